"""Drug-tied workup (issue 9): a test that exists for one drug (DPYD before capecitabine, an
ECG before ribociclib, LVEF before HER2-directed therapy, ...) is ordered only when an
option - offered, or offered once missing data is known - contains that drug.

Which tests are drug-tied is data: ``for_drugs`` on the rule's workup action.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING

from mbc.engine._kbcache import per_kb
from mbc.knowledge.schema import WorkupAction

if TYPE_CHECKING:
    from mbc.engine.pipeline import EvalContext
    from mbc.knowledge.loader import KnowledgeBase

__all__ = ["stage_drug_workup"]


@dataclass
class _Ties:
    """(rule id, test id) -> the drugs / classes the test is for (per KB)."""

    by_action: dict[tuple[str, str], tuple[str, ...]] = field(default_factory=dict)


def _ties(kb: KnowledgeBase) -> _Ties:
    t = _Ties()
    for r in kb.active_rules:
        for a in r.then:
            if isinstance(a, WorkupAction) and a.for_drugs:
                t.by_action[(r.id, a.workup)] = a.for_drugs
    return t


def stage_drug_workup(ctx: EvalContext) -> EvalContext:
    """Drop drug-tied workup items when no option contains one of their drugs."""
    kb = ctx.kb
    ties = per_kb(kb, "workup.ties", lambda: _ties(kb)).by_action
    if not ties:
        return ctx
    offered: set[str] = set()
    for o in ctx.options:
        offered.update(kb.regimen_drugs(o.regimen))
    for c in ctx.conditional:
        offered.update(kb.regimen_drugs(c.regimen))
    classes: set[str] = set(offered)
    for d in offered:
        classes |= kb.drug_classes_of(d)
    kept = []
    for w in ctx.workup:
        wanted = [ties.get((t.rule, w.id)) for t in w.trace]
        if wanted and all(x is not None for x in wanted) and not any(
            set(x or ()) & classes for x in wanted
        ):
            continue  # every rule that ordered it ties it to drugs no option contains
        kept.append(w)
    return ctx if len(kept) == len(ctx.workup) else replace(ctx, workup=tuple(kept))
