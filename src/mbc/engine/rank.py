"""Rank stage: order options by category, then evidence level, then rule order in the KB;
workup by urgency; alerts by severity; conditional options strongest and nearest first."""

from __future__ import annotations

from dataclasses import replace

from mbc.engine.context import EvalContext

__all__ = ["CATEGORY_ORDER", "URGENCY_ORDER", "stage_rank"]

CATEGORY_ORDER = {"preferred": 0, "other": 1, "certain_circumstances": 2}
URGENCY_ORDER = {"emergency": 0, "soon": 1, "routine": 2}
_SEVERITY_ORDER = {"critical": 0, "warning": 1, "info": 2}


def stage_rank(ctx: EvalContext) -> EvalContext:
    """Order options by category, then evidence level, then rule order in the KB."""
    kb = ctx.kb

    def ev_rank(level: str) -> int:
        t = kb.term("evidence_levels", level)
        return int(t.data.get("rank", 99)) if t else 99

    options = sorted(
        enumerate(ctx.options),
        key=lambda p: (CATEGORY_ORDER[p[1].category], ev_rank(p[1].evidence_level), p[0]),
    )
    workup = sorted(ctx.workup, key=lambda w: URGENCY_ORDER[w.urgency])
    alerts = sorted(ctx.alerts, key=lambda a: _SEVERITY_ORDER[a.severity])
    # options that need data: the strongest and nearest (fewest missing fields) first
    conditional = sorted(
        enumerate(ctx.conditional), key=lambda p: (CATEGORY_ORDER[p[1].category], len(p[1].needs), p[0])
    )
    return replace(
        ctx,
        options=tuple(o for _, o in options),
        workup=tuple(workup),
        alerts=tuple(alerts),
        conditional=tuple(c for _, c in conditional),
    )
