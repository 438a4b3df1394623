"""Drug-tied workup (issue 9): a test that exists for one drug (DPYD before a fluoropyrimidine, an
ECG before a QT-prolonging CDK4/6 inhibitor, LVEF before HER2-directed therapy, ...) is ordered only when an
option - offered, or offered once missing data is known - contains that drug.

Which tests are drug-tied is data: ``for_drugs`` on the rule's workup action.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from mbc.engine._items import NOT_FOUND, ByIdentity
from mbc.knowledge.schema import WorkupAction

if TYPE_CHECKING:
    from mbc.engine.context import EvalContext
    from mbc.knowledge.loader import KnowledgeBase
    from mbc.model.plan import WorkupItem

__all__ = ["stage_drug_workup"]


@dataclass
class _Ties:
    """(rule id, test id) -> the drugs / classes the test is for (per KB)."""

    by_action: dict[tuple[str, str], tuple[str, ...]] = field(default_factory=dict)
    tests: set[str] = field(default_factory=set)  # test ids some rule ties to drugs
    classes: dict[str, frozenset[str]] = field(default_factory=dict)  # regimen -> drugs + classes
    items: ByIdentity = field(default_factory=lambda: ByIdentity())  # (id(item),) -> _tied(item)


def _ties(kb: KnowledgeBase) -> _Ties:
    t = _Ties()
    for r in kb.active_rules:
        for a in r.then:
            if isinstance(a, WorkupAction) and a.for_drugs:
                t.by_action[(r.id, a.workup)] = a.for_drugs
                t.tests.add(a.workup)
    return t


def _regimen_classes(kb: KnowledgeBase, t: _Ties, regimen: str) -> frozenset[str]:
    found = t.classes.get(regimen)
    if found is None:
        acc: set[str] = set()
        for d in kb.regimen_drugs(regimen):
            acc.add(d)
            acc |= kb.drug_classes_of(d)
        found = t.classes[regimen] = frozenset(acc)
    return found


def _tied(t: _Ties, w: WorkupItem) -> frozenset[str] | None:
    """The drugs and classes a workup item of a drug-tied test is for; None when it is not
    tied to drugs."""
    wanted = [t.by_action.get((tr.rule, w.id)) for tr in w.trace]
    if wanted and all(x is not None for x in wanted):
        return frozenset(d for x in wanted for d in x or ())
    return None


def stage_drug_workup(ctx: EvalContext) -> EvalContext:
    """Drop drug-tied workup items when no option contains one of their drugs."""
    kb = ctx.kb
    t = kb.attached(_Ties, lambda: _ties(kb))
    tied: list[tuple[int, frozenset[str]]] = []
    items = t.items
    for n, w in enumerate(ctx.workup):
        if w.id not in t.tests:
            continue
        # what ties an item to drugs is a function of the item (items recur across patients:
        # remembered by identity)
        key = (id(w),)
        drugs = items.find(key, w)
        if drugs is NOT_FOUND:
            drugs = _tied(t, w)
            items.keep(key, (w,), drugs)
        if drugs is not None:
            tied.append((n, drugs))
    if not tied:
        return ctx
    targets = frozenset().union(*(x for _, x in tied))
    hit: set[str] = set()
    for regimen in (*(o.regimen for o in ctx.options), *(c.regimen for c in ctx.conditional)):
        hit |= targets & _regimen_classes(kb, t, regimen)
    drop = {n for n, x in tied if not (x & hit)}  # no option contains a drug it is for
    if not drop:
        return ctx
    return ctx.evolve(workup=tuple(w for n, w in enumerate(ctx.workup) if n not in drop))
