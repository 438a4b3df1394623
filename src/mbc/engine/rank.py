"""Rank stage: order options by category, then evidence level, then rule order in the KB;
workup by urgency; alerts by severity; conditional options strongest and nearest first."""

from __future__ import annotations

from mbc.engine.context import EvalContext
from mbc.knowledge.loader import KnowledgeBase

__all__ = ["URGENCY_ORDER", "category_order", "stage_rank"]


class _CategoryOrder(dict[str, int]):
    """Option category -> its rank (knowledge/vocab/categories.yaml)."""


def category_order(kb: KnowledgeBase) -> dict[str, int]:
    """Option category -> rank, from the KB's category vocabulary (once per KB)."""
    return kb.attached(
        _CategoryOrder,
        lambda: _CategoryOrder({t.id: int(t.data["rank"]) for t in kb.terms.get("categories", {}).values()}),
    )


class _EvidenceOrder(dict[str, int]):
    """Evidence level -> its rank (knowledge/vocab evidence_levels; 99 when unranked),
    filled on first use (per KB)."""

    def __init__(self, kb: KnowledgeBase) -> None:
        super().__init__()
        self.kb = kb

    def __missing__(self, level: str) -> int:
        t = self.kb.term("evidence_levels", level)
        rank = self[level] = int(t.data.get("rank", 99)) if t else 99
        return rank


URGENCY_ORDER = {"emergency": 0, "soon": 1, "routine": 2}
_SEVERITY_ORDER = {"critical": 0, "warning": 1, "info": 2}


def stage_rank(ctx: EvalContext) -> EvalContext:
    """Order options by category, then evidence level, then rule order in the KB."""
    kb = ctx.kb
    categories = category_order(kb)

    evidence = kb.attached(_EvidenceOrder, lambda: _EvidenceOrder(kb))
    options = sorted(
        enumerate(ctx.options),
        key=lambda p: (categories[p[1].category], evidence[p[1].evidence_level], p[0]),
    )
    workup = sorted(ctx.workup, key=lambda w: URGENCY_ORDER[w.urgency])
    alerts = sorted(ctx.alerts, key=lambda a: _SEVERITY_ORDER[a.severity])
    # options that need data: the strongest and nearest (fewest missing fields) first
    conditional = sorted(
        enumerate(ctx.conditional),
        key=lambda p: (categories.get(p[1].category, len(categories)), len(p[1].needs), p[0]),
    )
    return ctx.evolve(
        options=tuple(o for _, o in options),
        workup=tuple(workup),
        alerts=tuple(alerts),
        conditional=tuple(c for _, c in conditional),
    )
