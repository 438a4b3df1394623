"""The drug class hierarchy seen from one drug: its classes, nearest first."""

from __future__ import annotations

from collections.abc import Container
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from mbc.knowledge.loader import KnowledgeBase

__all__ = ["nearest_class"]


def nearest_class(kb: KnowledgeBase, drug_id: str, wanted: Container[str]) -> str | None:
    """The class of a drug nearest to it that is in ``wanted``: its own classes first, then
    their parents, breadth first up the hierarchy; None when no class of it is wanted."""
    frontier = list(kb.drugs[drug_id].classes)
    seen: set[str] = set()
    while frontier:
        nxt: list[str] = []
        for c in frontier:
            if c in seen:
                continue
            seen.add(c)
            if c in wanted:
                return c
            cls = kb.drug_classes.get(c)
            if cls is not None:
                nxt.extend(cls.parents)
        frontier = nxt
    return None
