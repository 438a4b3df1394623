"""Resolve stage: de-duplicate the plan's items and gather the missing information.

One option per regimen (the best category wins; traces, citations and cautions merged); a
regimen or drug that a rule or safety check says not to use is not offered; one workup
item per test (the most urgent wins), one supportive item per id, one alert per code.
"""

from __future__ import annotations

import operator
from collections.abc import Callable, Hashable, Iterable
from typing import Any, TypeVar

from mbc.engine._items import NOT_FOUND, ByIdentity, field_of, replaced
from mbc.engine.context import EvalContext
from mbc.engine.evaluate import holds
from mbc.engine.missing import missing_information
from mbc.engine.rank import URGENCY_ORDER, category_order
from mbc.knowledge.loader import KnowledgeBase
from mbc.knowledge.schema import AvoidAction
from mbc.model.plan import Alert, Citation, ConditionalOption, NotRecommended, Option

__all__ = ["one_per_key", "stage_resolve", "stage_resolve_items"]

_I = TypeVar("_I")


def one_per_key(
    items: Iterable[_I],
    key: Callable[[_I], Hashable],
    combine: Callable[[_I, _I], _I] | None = None,
    rank: Callable[[_I], int] | None = None,
) -> list[_I]:
    """One item per key, in first-seen order.

    Without ``combine`` the first item wins. With it, a repeat is merged into the kept
    item as ``combine(best, other)``, where ``best`` has the lower ``rank`` (the earlier
    item on a tie or without ``rank``)."""
    out: dict[Hashable, _I] = {}
    for item in items:
        k = key(item)
        prev = out.get(k)
        if prev is None:
            out[k] = item
        elif combine is not None:
            better = rank is not None and rank(item) < rank(prev)
            out[k] = combine(item, prev) if better else combine(prev, item)
    return list(out.values())


def _merge_cites(a: list[Citation], b: list[Citation]) -> list[Citation]:
    seen = {c.id for c in a}
    return a + [c for c in b if c.id not in seen]


def _traced(best: Any, other: Any) -> dict[str, Any]:
    return {"citations": _merge_cites(best.citations, other.citations), "trace": best.trace + other.trace}


def _merge_traced(best: Any, other: Any) -> Any:
    """The kept item with the other's citations and trace added."""
    return replaced(best, _traced(best, other))


def _merge_option(best: Option, other: Option) -> Option:
    """As :func:`_merge_traced`, and the cautions of both."""
    cautions = sorted(set(best.cautions) | set(other.cautions))
    return replaced(best, {**_traced(best, other), "cautions": cautions})


def _merge_alert(first: Alert, other: Alert) -> Alert:
    """One alert of a code for every drug it concerns."""
    return replaced(first, {"drugs": first.drugs + [d for d in other.drugs if d not in first.drugs]})


class _Merges(ByIdentity):
    """(id of one item, id of the other, merge) -> their merge, per KB: items recur across
    patients (shared per KB) and a merge is a pure function of them."""


def _remembered(kb: KnowledgeBase, merge: Callable[[_I, _I], _I]) -> Callable[[_I, _I], _I]:
    memo = kb.attached(_Merges)

    def merged(a: _I, b: _I) -> _I:
        key = (id(a), id(b), merge)
        found = memo.find(key, a)
        if found is NOT_FOUND:
            found = merge(a, b)
            memo.keep(key, (a, b), found)
        return found  # type: ignore[no-any-return]

    return merged


def stage_resolve(ctx: EvalContext) -> EvalContext:
    """De-duplicate: one option per regimen (best category wins, traces and citations
    merged); a regimen that a rule or safety check says not to use is not offered. Then
    gather the missing information."""
    return ctx.evolve(**_resolved(ctx), missing=missing_information(ctx))


def stage_resolve_items(ctx: EvalContext) -> EvalContext:
    """:func:`stage_resolve` without gathering the missing information: what a scenario
    branch needs (its options)."""
    return ctx.evolve(**_resolved(ctx))


# item keys read in C (no Python frame per item)
_REGIMEN, _ID, _CODE = (operator.attrgetter(name) for name in ("regimen", "id", "code"))


def _resolved(ctx: EvalContext) -> dict[str, Any]:
    """The de-duplicated items (the fields :func:`stage_resolve` changes)."""
    avoided_regimens = {named for n in ctx.not_recommended if (named := n.regimen)}
    avoided_drugs = {
        d for n in ctx.not_recommended if not n.regimen and n.id not in ctx.partial_nr for d in n.drugs
    }
    allowed = (
        opt
        for opt in ctx.options
        if not ((r := opt.regimen) in avoided_regimens or r.split("+")[0] in avoided_regimens)
        and not (avoided_drugs and not avoided_drugs.isdisjoint(opt.drugs))
    )
    kb = ctx.kb
    rank = category_order(kb)
    options = one_per_key(allowed, _REGIMEN, _remembered(kb, _merge_option), lambda o: rank[o.category])
    options, held, waiting = _held_back(ctx, options)
    offered = {o.regimen for o in options}
    conditional = one_per_key(
        (
            c
            for c in (*held, *waiting)
            if c.regimen not in offered and c.regimen not in avoided_regimens
        ),
        _REGIMEN,
    )
    # not_recommended: one entry per (regimen or drug set, reason)
    not_recommended = one_per_key(
        _group_members_shown(ctx), lambda n: (n.regimen or "", *sorted(n.drugs), n.reason)
    )
    merge_traced = _remembered(kb, _merge_traced)
    workup = one_per_key(ctx.workup, _ID, merge_traced, lambda w: URGENCY_ORDER[w.urgency])
    supportive = one_per_key(ctx.supportive, _ID, merge_traced)
    # one alert per (code, drugs), then one per code across drugs
    alerts = one_per_key(ctx.alerts, lambda a: (a.code, tuple(a.drugs)))
    alerts = one_per_key(alerts, _CODE, _remembered(kb, _merge_alert))
    return {
        "options": tuple(options),
        "conditional": tuple(conditional),
        "not_recommended": tuple(not_recommended),
        "workup": tuple(workup),
        "supportive": tuple(supportive),
        "alerts": tuple(alerts),
    }


def _held_back(
    ctx: EvalContext, options: list[Option]
) -> tuple[list[Option], list[ConditionalOption], list[ConditionalOption]]:
    """Options an undecided safety exclusion holds back (session 12): an avoid rule marked
    ``hold_if_unknown`` whose ``when`` waits for a fact makes each offered option with its
    regimen or one of its drugs conditional on that fact (never offered outright, never
    dropped). Without such a rule, the options as they are."""
    holding = [
        (a, f)
        for f in ctx.unknown
        if f.rule.hold_if_unknown is not False and holds(f.rule, ctx.facts)
        for a in f.rule.then
        if isinstance(a, AvoidAction)
    ]
    if not holding:
        return options, [], list(ctx.conditional)
    kb = ctx.kb
    ids_by_name = {d.name: i for i, d in kb.drugs.items()}
    kept: list[Option] = []
    held: list[ConditionalOption] = []
    for opt in options:
        # options carry display names ("trastuzumab deruxtecan"), avoids drug ids (review S1)
        opt_ids = {ids_by_name.get(d, d) for d in opt.drugs}
        needs: set[str] = set()
        by: list[tuple[AvoidAction, Any]] = []
        for a, f in holding:
            by_regimen = a.avoid is not None and a.avoid in (opt.regimen, opt.regimen.split("+")[0])
            if by_regimen or not opt_ids.isdisjoint(a.drugs):
                needs.update(field_of(kb, m) for m in f.outcome.missing)
                by.append((a, f))
        if not needs:
            kept.append(opt)
            continue
        rule = f"{opt.trace[0].rule}@{opt.trace[0].version}" if opt.trace else ""
        a0, f0 = by[0]
        held.append(
            ConditionalOption.waiting(
                opt,
                category="held",  # a possible contraindication, not a pending preference (review S2)
                needs=sorted(needs),
                rule=rule,
                held_by=f"{f0.rule.id}@{f0.rule.version}",
                held_reason=a0.reason.strip(),
            )
        )
    # an option already waiting for a fact that the same avoid would rule out is held too
    waiting: list[ConditionalOption] = []
    for c in ctx.conditional:
        c_ids = {ids_by_name.get(d, d) for d in c.drugs}
        hit = [
            (a, f)
            for a, f in holding
            if (a.avoid is not None and a.avoid in (c.regimen, c.regimen.split("+")[0]))
            or not c_ids.isdisjoint(a.drugs)
        ]
        if not hit:
            waiting.append(c)
            continue
        a0, f0 = hit[0]
        more = {field_of(kb, m) for _, f in hit for m in f.outcome.missing}
        waiting.append(
            c.model_copy(
                update={
                    "category": "held",
                    "needs": sorted(set(c.needs) | more),
                    "held_by": f"{f0.rule.id}@{f0.rule.version}",
                    "held_reason": a0.reason.strip(),
                }
            )
        )
    return kept, held, waiting


def _group_members_shown(ctx: EvalContext) -> list[NotRecommended]:
    """The not-recommended entries, a regimen group's members (an avoid ``group``, written
    out per regimen by the KB) only for the regimens some rule offered or would offer, so a
    group does not list every regimen it holds; all of them when none was (session 12)."""
    members: dict[str, str] = {}  # entry id -> group key
    for f in ctx.fired:
        for a in f.rule.then:
            if isinstance(a, AvoidAction) and a.group and a.avoid:
                members[f"{f.rule.id}:{a.avoid}"] = f"{f.rule.id}:{a.group}"
    if not members:
        return list(ctx.not_recommended)
    candidates = {o.regimen.split("+")[0] for o in ctx.options} | {c.regimen for c in ctx.conditional}
    offered_groups = {
        members[n.id] for n in ctx.not_recommended if n.id in members and n.regimen in candidates
    }
    return [
        n
        for n in ctx.not_recommended
        if n.id not in members or members[n.id] not in offered_groups or n.regimen in candidates
    ]
