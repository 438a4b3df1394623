"""Per-knowledge-base caches for patient-independent work (indexes, static items).

A cache entry is keyed by the KB's id and checked by a weak reference, so a KB that was
freed and whose id was reused never sees another KB's entries. Entries depend only on the
KB, never on a patient, so they cannot change a result.
"""

from __future__ import annotations

import weakref
from collections.abc import Callable
from typing import Any, TypeVar

from mbc.knowledge.loader import KnowledgeBase

__all__ = ["per_kb"]

_T = TypeVar("_T")
_CACHES: dict[tuple[int, str], tuple[weakref.ref[KnowledgeBase], Any]] = {}


def per_kb(kb: KnowledgeBase, name: str, build: Callable[[], _T]) -> _T:
    """The value ``build()`` made for this KB under ``name`` (built on first use)."""
    key = (id(kb), name)
    hit = _CACHES.get(key)
    if hit is not None and hit[0]() is kb:
        value: _T = hit[1]
        return value
    value = build()

    def forget(ref: weakref.ref[KnowledgeBase]) -> None:  # the KB is gone: drop its entry
        entry = _CACHES.get(key)
        if entry is not None and entry[0] is ref:
            del _CACHES[key]

    _CACHES[key] = (weakref.ref(kb, forget), value)
    return value
