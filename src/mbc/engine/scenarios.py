"""Stage ``scenarios``: branch on the unknown fact that decides between preferred options.

When a field the KB marks as branchable (``branch:`` in knowledge/assumptions) is not
recorded, no policy filled it, and preferred options wait for it, the plan is made once per
value of that field (at most two fields, so at most four branches). Each branch lists its
preferred option ids (``Plan.scenarios``), and what every branch shares is offered outright:
the variant with the fewest add-ons, with a qualifier naming the add-on and the branch it
belongs to ("with ovarian function suppression if premenopausal").

Safety in a branch reads the record as given, as everywhere (an assumed or hypothetical
value never switches a safety check off). Pure: no I/O, no clock.
"""

from __future__ import annotations

import itertools
from dataclasses import replace
from typing import Any

from mbc.engine._test_branches import test_scenarios
from mbc.engine.act import stage_act
from mbc.engine.assume import apply_values, assumption_index, field_is_recorded
from mbc.engine.context import EvalContext
from mbc.engine.derive import stage_derive
from mbc.engine.doses import option_doses
from mbc.engine.evaluate import stage_evaluate
from mbc.engine.rank import stage_rank
from mbc.engine.resolve import stage_resolve_items
from mbc.engine.safety import stage_safety
from mbc.knowledge.loader import KnowledgeBase
from mbc.model.plan import Option, Scenario

__all__ = ["stage_scenarios"]

_MAX_FIELDS = 2
_ORDER = {"preferred": 0, "other": 1, "certain_circumstances": 2}


def _value_words(kb: KnowledgeBase, field_path: str, value: Any) -> str:
    spec = assumption_index(kb).fields.get(field_path)
    key = str(value).lower() if isinstance(value, bool) else str(value)
    return spec.values.get(key, key.replace("_", " ")) if spec else key.replace("_", " ")


def _branch(ctx: EvalContext, values: dict[str, Any]) -> EvalContext:
    """The plan's stages (up to ranking) on the record with these values filled in, for
    its options: without doses (added to the options it offers outright) and without
    gathering the missing information."""
    record = apply_values(ctx.record, {**ctx.assumed_values, **values})
    run = stage_derive(EvalContext(record=record, kb=ctx.kb, as_of=ctx.as_of))
    # safety reads the record as given, never the branch's hypothetical value
    run = run.evolve(partial=replace(run.partial, record_derived=ctx.record_derived or ctx.derived))
    for stage in _BRANCH_STAGES:
        run = stage(run)
    return run


_BRANCH_STAGES = (stage_evaluate, stage_act, stage_safety, stage_resolve_items, stage_rank)


def _deciding(ctx: EvalContext) -> list[tuple[str, tuple[Any, ...]]]:
    if not ctx.conditional:
        return []  # no option waits for a field
    index = assumption_index(ctx.kb)
    candidates = [
        f
        for f in index.fields.values()
        if f.branch
        and f.field not in ctx.assumed_values
        and not field_is_recorded(ctx.record, f.field, index)
    ]
    if not candidates:
        return []
    # a field whose fact another candidate records as well (HER2 ISH under HER2 status) is
    # decided by that one
    covered = {r for f in candidates for r in f.recorded_by}
    candidates = [f for f in candidates if f.field not in covered]
    # fields that preferred options wait for; with no preferred option at all, any option
    none_preferred = not any(o.category == "preferred" for o in ctx.options)
    waiting = {
        p.strip()
        for c in ctx.conditional
        if c.category == "preferred" or none_preferred
        for n in c.needs
        for p in n.split(",")
    }
    return [
        (f.field, f.branch) for f in candidates if f.field in waiting or waiting.intersection(f.recorded_by)
    ][:_MAX_FIELDS]


def _base(regimen: str) -> str:
    return regimen.split("+", 1)[0]


def stage_scenarios(ctx: EvalContext) -> EvalContext:
    """Branch on the deciding unknown(s); offer outright what every branch prefers; then
    list what each result of a test not yet done would prefer (``_test_branches``)."""
    ctx = _record_branches(ctx)
    tests = test_scenarios(ctx)
    if not tests:
        return ctx
    return ctx.evolve(partial=replace(ctx.partial, scenarios=(*ctx.scenarios, *tests)))


def _record_branches(ctx: EvalContext) -> EvalContext:
    """Branch on the deciding unknown record field(s) (KB ``branch:`` lists)."""
    deciding = _deciding(ctx)
    if not deciding:
        return ctx
    kb = ctx.kb
    fields = [f for f, _ in deciding]
    branches: list[tuple[dict[str, Any], list[Option]]] = []
    runs = []
    # each branch's values and facts: an option object can recur in several branches (items
    # are shared), so its facts are looked up by the branch it is taken from, not by its id
    branch_facts: list[tuple[dict[str, Any], dict[str, Any]]] = []
    for combo in itertools.product(*(vals for _, vals in deciding)):
        values = dict(zip(fields, combo, strict=True))
        run = _branch(ctx, values)
        branch_facts.append((values, run.facts))
        runs.append((values, run.options))
    # each branch's preferred options; when no branch has one, each branch's best category
    runs, fields = _drop_idle(runs, fields)
    preferred_branches = any(o.category == "preferred" for _, opts in runs for o in opts)
    if preferred_branches:
        branches = [(v, [o for o in opts if o.category == "preferred"]) for v, opts in runs]
    else:
        branches = [(v, [o for o in opts if opts and o.category == opts[0].category]) for v, opts in runs]
    if not any(opts for _, opts in branches):
        return ctx
    if len({frozenset(o.regimen for o in opts) for _, opts in branches}) == 1:
        return ctx  # every branch prefers the same: the field decides nothing here
    scenarios = tuple(
        Scenario.model_validate(
            {
                "if": values,
                "label": "if " + " and ".join(_value_words(kb, f, v) for f, v in values.items()),
                "options": [o.id for o in opts],
                "names": [o.name for o in opts],
            }
        )
        for values, opts in branches
    )
    # what every branch prefers, by regimen without add-ons
    shared = set.intersection(*({_base(o.regimen) for o in opts} for _, opts in branches))
    index = assumption_index(kb)
    if preferred_branches and any(index.fields[f].exclusive for f in fields if f in index.fields):
        # an option preferred now but not in every branch of an exclusive field rests on the
        # open question (endocrine therapy while a visceral crisis is possible): it is shown
        # in its branch, not offered outright (session 3)
        ctx = ctx.evolve(
            options=tuple(o for o in ctx.options if o.category != "preferred" or _base(o.regimen) in shared),
        )
    offered = {o.regimen for o in ctx.options}
    avoided = {n.regimen for n in ctx.not_recommended if n.regimen}
    outright: list[Option] = []
    for base in sorted(shared, key=lambda b: _first_index(branches, b)):
        variants = [(values, next(o for o in opts if _base(o.regimen) == base)) for values, opts in branches]
        taken, plain = min(variants, key=lambda vo: len(vo[1].regimen.split("+")))
        if plain.regimen in offered or plain.regimen in avoided or base in avoided:
            continue
        extras = []
        for values, o in variants:
            added = [p for p in o.regimen.split("+") if p not in plain.regimen.split("+")]
            if added:
                names = ", ".join(kb.regimen_name(p)[0].lower() + kb.regimen_name(p)[1:] for p in added)
                words = " and ".join(_value_words(kb, f, v) for f, v in values.items())
                extras.append(f"with {names} if {words}")
        # the dose stage of the branch the option comes from (skipped by _branch)
        dosed = option_doses(kb, plain, _facts_of(branch_facts, taken))
        outright.append(dosed.model_copy(update={"qualifier": "; ".join(extras) or None}))
    if not outright:
        return ctx.evolve(partial=replace(ctx.partial, scenarios=scenarios))
    options = sorted((*outright, *ctx.options), key=lambda o: _ORDER[o.category])
    now = {o.regimen for o in options}
    conditional = tuple(c for c in ctx.conditional if c.regimen not in now and _base(c.regimen) not in now)
    partial = replace(ctx.partial, scenarios=scenarios)
    return ctx.evolve(options=tuple(options), conditional=conditional, partial=partial)


def _facts_of(
    branch_facts: list[tuple[dict[str, Any], dict[str, Any]]], values: dict[str, Any]
) -> dict[str, Any]:
    """The facts of the first branch with these values (a field :func:`_drop_idle` dropped
    kept its first value, and that branch comes first)."""
    return next(facts for given, facts in branch_facts if given.items() >= values.items())


def _drop_idle(runs: list[tuple[dict[str, Any], Any]], fields: list[str]) -> tuple[list[Any], list[str]]:
    """Of two branch fields, drop one whose value changes no branch's preferred options
    (e.g. menopausal status next to PD-L1 in triple-negative disease)."""
    if len(fields) < 2:
        return runs, fields

    def key(opts: Any) -> frozenset[str]:
        return frozenset(o.regimen for o in opts if o.category == "preferred")

    for idle in fields:
        other = [f for f in fields if f != idle]
        groups: dict[tuple[Any, ...], set[frozenset[str]]] = {}
        for values, opts in runs:
            groups.setdefault(tuple(values[f] for f in other), set()).add(key(opts))
        if all(len(g) == 1 for g in groups.values()):
            first = runs[0][0][idle]
            kept = [
                ({f: v for f, v in values.items() if f != idle}, opts)
                for values, opts in runs
                if values[idle] == first
            ]
            return kept, other
    return runs, fields


def _first_index(branches: list[tuple[dict[str, Any], list[Option]]], base: str) -> int:
    for _, opts in branches:
        for n, o in enumerate(opts):
            if _base(o.regimen) == base:
                return n
    return 0
