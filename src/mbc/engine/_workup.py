"""Drug-tied workup (issue 9): a test that exists for one drug (DPYD before capecitabine, an
ECG before ribociclib, LVEF before HER2-directed therapy, ...) is ordered only when an
option - offered, or offered once missing data is known - contains that drug.

Which tests are drug-tied is data: ``for_drugs`` on the rule's workup action.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING

from mbc.knowledge.schema import WorkupAction

if TYPE_CHECKING:
    from mbc.engine.context import EvalContext
    from mbc.knowledge.loader import KnowledgeBase

__all__ = ["stage_drug_workup"]


@dataclass
class _Ties:
    """(rule id, test id) -> the drugs / classes the test is for (per KB)."""

    by_action: dict[tuple[str, str], tuple[str, ...]] = field(default_factory=dict)
    tests: set[str] = field(default_factory=set)  # test ids some rule ties to drugs
    classes: dict[str, frozenset[str]] = field(default_factory=dict)  # regimen -> drugs + classes


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


def stage_drug_workup(ctx: EvalContext) -> EvalContext:
    """Drop drug-tied workup items when no option contains one of their drugs."""
    kb = ctx.kb
    t = kb.attached(_Ties, lambda: _ties(kb))
    ties = t.by_action
    if not any(w.id in t.tests for w in ctx.workup):
        return ctx
    classes: set[str] = set()
    for o in ctx.options:
        classes |= _regimen_classes(kb, t, o.regimen)
    for c in ctx.conditional:
        classes |= _regimen_classes(kb, t, c.regimen)
    kept = []
    for w in ctx.workup:
        wanted = [ties.get((t.rule, w.id)) for t in w.trace]
        if wanted and all(x is not None for x in wanted) and not any(set(x or ()) & classes for x in wanted):
            continue  # every rule that ordered it ties it to drugs no option contains
        kept.append(w)
    return ctx if len(kept) == len(ctx.workup) else replace(ctx, workup=tuple(kept))
