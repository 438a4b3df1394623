"""Answer helpers: what missing facts are called, and the options a safety avoid holds back
until a fact is known (session 12, rules review S2; split from ``_clinician`` for size)."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from mbc.answer._understand import Understanding
    from mbc.knowledge import KnowledgeBase
    from mbc.model.plan import Plan

__all__ = ["held_lines", "needs_text"]


def needs_text(plan: Plan, needs: list[str], labels: dict[str, str] | None = None) -> str:
    """What the missing facts are, in short words ("HER2 status; ER/PR status")."""
    asks = {m.field: m.ask for m in plan.missing_information if m.ask}
    out: list[str] = []
    for n in needs:
        named = [labels[n]] if labels and n in labels else []
        named += [labels[f] for f in (x.strip() for x in n.split(",")) if labels and f in labels]
        text = named[0] if named else asks.get(n, n).rstrip(".")
        if text not in out:
            out.append(text)
    return "; ".join(out)


def held_lines(kb: KnowledgeBase, plan: Plan, u: Understanding, labels: dict[str, str]) -> list[str]:
    """Options a safety avoid holds back until a fact is known (session 12, review S2): the drug
    asked about first, each with the fact to check and what it would rule out."""
    asked = set(u.drugs)
    held = sorted(
        (x for x in plan.conditional_options if x.category == "held"),
        key=lambda x: not asked & {kb.lookup_drug(d) or d for d in x.drugs},
    )
    out = []
    for x in held[:2]:
        why = (x.held_reason or "").split(";")[0].strip().rstrip(".")
        out.append(
            f"Held back: {x.name} - check {needs_text(plan, x.needs, labels)} first"
            + (f"; not given if {why[:1].lower()}{why[1:]}" if why else "")
            + "."
        )
    return out
