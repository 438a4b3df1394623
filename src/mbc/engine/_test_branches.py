"""Branches on a test not yet done (issue 10, session 3): scenarios that name the test.

When a rule with a preferred option waits for a fact of a test in
``knowledge/assumptions`` (``test_branches``: tumour genomics, germline BRCA), the plan lists
for each result the preferred options it would give. Cheap by construction: no pipeline
run; only the rules already TRUE or UNKNOWN that read the test's facts are evaluated again
with the result's facts. Options a result would add pass the safety checks on the record as
given and are never ones the plan says not to use. Pure: no I/O, no clock.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from mbc.engine._drug_checks import SafetyMemo, check_drugs
from mbc.knowledge._schema_assumptions import TestBranch
from mbc.knowledge.conditions import compiled, iter_fact_tests
from mbc.knowledge.loader import KnowledgeBase
from mbc.logic import Truth
from mbc.model.plan import Scenario

if TYPE_CHECKING:
    from mbc.engine.context import EvalContext

__all__ = ["test_scenarios"]


class _BranchIndex(dict[str, Any]):
    """Per KB: the test branches, the facts each reads, and the facts each rule reads."""


def _index(kb: KnowledgeBase) -> _BranchIndex:
    def build() -> _BranchIndex:
        out = _BranchIndex()
        out["branches"] = tuple(b for doc in kb.assumptions for b in doc.test_branches)
        out["facts"] = {b.id: frozenset(f for c in b.cases for f in c.if_) for b in out["branches"]}
        reads: dict[str, frozenset[str]] = {}
        for r in kb.rules:
            reads[r.id] = frozenset(
                t.fact for c in (r.when, r.unless) if c is not None for t in iter_fact_tests(c)
            )
        out["reads"] = reads
        out["all"] = frozenset().union(*out["facts"].values()) if out["branches"] else frozenset()
        out["preferring"] = frozenset(
            r.id for r in kb.rules if any(getattr(a, "category", None) == "preferred" for a in r.then)
        )
        return out

    return kb.attached(_BranchIndex, build)


def _preferred(ctx: EvalContext, facts: dict[str, Any], rules: list[Any]) -> dict[str, tuple[str, str]]:
    """Regimen -> (option id, name) of the preferred options these rules give with ``facts``."""
    out: dict[str, tuple[str, str]] = {}
    offered = {o.id: o for o in ctx.options}
    waiting = {(c.rule, c.regimen): c for c in ctx.conditional}
    for r in rules:
        if not _fires(r, facts):
            continue
        key = f"{r.id}@{r.version}"
        for a in r.then:
            if getattr(a, "category", None) != "preferred":
                continue
            regimen = "+".join((a.option, *a.add))
            now = offered.get(f"{r.id}:{regimen}") or next(
                (x for x in ctx.options if x.regimen == regimen and x.category == "preferred"), None
            )
            if now is not None:
                if now.category == "preferred":  # a safety cap ("other") holds in every branch
                    out[regimen] = (now.id, now.name)
            elif (c := waiting.get((key, regimen))) is not None:
                out[regimen] = (c.id, c.name)
    return out


def _truth(rule: Any, facts: dict[str, Any]) -> Truth:
    """The truth of :func:`~mbc.engine.evaluate.rule_outcome`, found without explaining it:
    FALSE when the rule does not apply (its ``when`` FALSE or its ``unless`` TRUE), else its
    ``when``'s truth (TRUE or UNKNOWN)."""
    when = compiled(rule.when)(facts)
    if when is Truth.FALSE or (rule.unless is not None and compiled(rule.unless)(facts) is Truth.TRUE):
        return Truth.FALSE
    return when


def _fires(rule: Any, facts: dict[str, Any]) -> bool:
    """The rule applies with these facts and its ``when`` is TRUE."""
    return _truth(rule, facts) is Truth.TRUE


class _Safe:
    """Whether a regimen may be offered to this patient: none of its drugs or itself is
    not recommended, and no safety check blocks it on the record as given (each regimen
    checked once per plan, the checks sharing one safety memo)."""

    def __init__(self, ctx: EvalContext) -> None:
        kb = self.kb = ctx.kb
        self.facts = ctx.safety_facts
        self.avoided = {kb.lookup_drug(d) or d for n in ctx.not_recommended for d in n.drugs}
        self.regimens = {n.regimen for n in ctx.not_recommended}
        self.memo = SafetyMemo()
        self.seen: dict[str, bool] = {}

    def __call__(self, regimen: str) -> bool:
        found = self.seen.get(regimen)
        if found is None:
            drugs = self.kb.regimen_drugs(regimen)
            if any(d in self.avoided for d in drugs) or regimen in self.regimens:
                found = False
            else:
                blocks, _, _ = check_drugs(self.kb, self.facts, drugs, self.memo)
                found = not blocks
            self.seen[regimen] = found
        return found


def _scenarios_of(
    ctx: EvalContext, branch: TestBranch, facts_read: frozenset[str], reads: dict[str, frozenset[str]],
    preferring: frozenset[str], safe: _Safe,
) -> list[Scenario]:  # fmt: skip
    waiting = [f.rule for f in ctx.unknown if f.rule.id in preferring and f.outcome.missing & facts_read]
    if not waiting:
        return []
    rules = [*waiting, *(f.rule for f in ctx.fired if reads.get(f.rule.id, frozenset()) & facts_read)]
    now = {o.regimen for o in ctx.options if o.category == "preferred"}
    out: list[Scenario] = []
    by_id = {r.id: r for r in rules}
    for case in branch.cases:
        if _settled(ctx.facts, case.if_):
            continue  # the record already gives this result, or one it contradicts
        facts = {**ctx.facts, **case.if_}
        pref = {k: v for k, v in _preferred(ctx, facts, rules).items() if k in now or safe(k)}
        # preferred options hold whatever the result is when no test-reading rule touches
        # them, or when the result does not make their rule false (a rule left open by a
        # record-field branch, e.g. menopausal status, stays as the record branch offers it)
        kept = {
            o.regimen: (o.id, o.name)
            for o in ctx.options
            if o.category == "preferred"
            and all(
                _holds_on(by_id.get(t.rule), facts)
                for t in o.trace
                if reads.get(t.rule, frozenset()) & facts_read
            )
        }
        pref = {**kept, **pref}
        if set(pref) == now:  # this result changes nothing
            continue
        out.append(
            Scenario.model_validate(
                {
                    "if": dict(case.if_),
                    "label": case.label,
                    "options": [i for i, _ in pref.values()],
                    "names": [n for _, n in pref.values()],
                    "test": branch.test,
                }
            )
        )
    return out


def _settled(facts: dict[str, Any], case: dict[str, Any]) -> bool:
    """Whether the record already decides this result: every fact it sets is recorded, or
    one is recorded with another value (no test is waiting for it)."""
    known = {k: facts[k] for k in case if facts.get(k) is not None}
    return len(known) == len(case) or any(v != case[k] for k, v in known.items())


def _holds_on(rule: Any, facts: dict[str, Any]) -> bool:
    """A rule's outcome with these facts is not FALSE (TRUE, or still open)."""
    return rule is None or _truth(rule, facts) is not Truth.FALSE


def test_scenarios(ctx: EvalContext) -> tuple[Scenario, ...]:
    """Scenarios for each test not done whose result would change the preferred options."""
    if not ctx.unknown:
        return ()
    idx = _index(ctx.kb)
    wanted, preferring = idx["all"], idx["preferring"]
    if not any(f.outcome.missing & wanted for f in ctx.unknown if f.rule.id in preferring):
        return ()
    out: list[Scenario] = []
    safe = _Safe(ctx)
    for b in idx["branches"]:
        out.extend(_scenarios_of(ctx, b, idx["facts"][b.id], idx["reads"], preferring, safe))
    return tuple(out)
