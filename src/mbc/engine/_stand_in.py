"""Session 13: the next category stands in when the patient's contraindications take out every
preferred option.

A guideline lists its preferred options for the usual patient. When a patient-specific
contraindication (a safety rule with effect ``contraindicated``, not a progression exclusion nor a
patient's choice) moves every option of the first category out of the plan, the guideline's answer
for that patient is the best of what remains: the options of the category whose term names the
first one in ``stands_in`` (``knowledge/vocab/categories.yaml``) are then shown in it, each with a
note naming what was ruled out. Options that were first-category themselves and only lost their
rank to a critical caution keep the lower rank (the caution still holds), and so does an option with a
critical caution of its own (``critical``: the codes of the critical alerts). No drug is named here.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any, TypeVar

from mbc.engine._items import replaced
from mbc.engine.rank import category_order
from mbc.knowledge.loader import KnowledgeBase

__all__ = ["blocks_top", "stand_in"]

_O = TypeVar("_O")


class _StandIn(dict[str, str]):
    """Category -> the category it stands in for (per KB)."""


def _stands_in(kb: KnowledgeBase) -> dict[str, str]:
    return kb.attached(
        _StandIn,
        lambda: _StandIn(
            {
                t.id: str(t.data["stands_in"])
                for t in kb.terms.get("categories", {}).values()
                if t.data.get("stands_in")
            }
        ),
    )


def _top(kb: KnowledgeBase) -> str | None:
    order = category_order(kb)
    return min(order, key=order.__getitem__) if order else None


def blocks_top(kb: KnowledgeBase, category: str, findings: Iterable[Any]) -> bool:
    """Whether ``findings`` (safety findings that removed an option of ``category``) take out a first-category
    option for a patient-specific contraindication."""
    return category == _top(kb) and any(
        f.rule.effect == "contraindicated" and f.rule.progressed_on is None for f in findings
    )


def stand_in(
    kb: KnowledgeBase,
    before: Sequence[Any],
    kept: list[_O],
    conditional: Sequence[_O],
    blocked: Sequence[str],
    critical: frozenset[str] = frozenset(),
) -> tuple[list[_O], tuple[_O, ...]]:
    """``kept`` and ``conditional`` with the standing-in category promoted, when ``blocked`` (the names of the
    first-category options a contraindication removed) is not empty and no first-category option is offered
    outright (one waiting for a missing fact - "if a germline BRCA variant is found" - stays as it is)."""
    top = _top(kb)
    if not blocked or top is None:
        return kept, tuple(conditional)
    if any(getattr(o, "category", None) == top for o in kept):  # an "if <unknown>" option answers nothing now
        return kept, tuple(conditional)
    was_top = {o.id for o in before if o.category == top}
    ins = {c for c, for_ in _stands_in(kb).items() if for_ == top}
    names = ", ".join(dict.fromkeys(blocked))
    note = f"Shown as preferred: the preferred options ({names}) are contraindicated for this patient."

    def up(o: _O) -> _O:
        if getattr(o, "category", None) not in ins or getattr(o, "id", None) in was_top:
            return o
        if critical & set(getattr(o, "cautions", ())):  # a critical caution of its own keeps it lower
            return o
        old = getattr(o, "note", None)
        change: dict[str, Any] = {"category": top}
        if hasattr(o, "note"):
            change["note"] = f"{old} {note}" if old else note
        return replaced(o, change)  # type: ignore[type-var]

    return [up(o) for o in kept], tuple(up(c) for c in conditional)
