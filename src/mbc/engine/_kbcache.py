"""Per-knowledge-base caches for patient-independent work (indexes, static items).

A cache entry is keyed by the KB's id and checked by a weak reference, so a KB that was
freed and whose id was reused never sees another KB's entries. Entries depend only on the
KB, never on a patient, so they cannot change a result.
"""

from __future__ import annotations

import weakref
from collections.abc import Callable
from typing import Any, TypeVar

from pydantic import BaseModel

from mbc.knowledge.loader import KnowledgeBase

__all__ = ["copy_with", "per_kb"]

_T = TypeVar("_T")
_M = TypeVar("_M", bound=BaseModel)
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


_MAX_COPIES = 10_000


def copy_with(kb: KnowledgeBase, model: _M, name: str, values: list[Any]) -> _M:
    """``model.model_copy(update={name: values})``, made once per KB for the same model
    object and the same values (strings by value, other items by identity; the cache holds
    them, so an id cannot be reused while it is remembered)."""
    cache: dict[tuple[Any, ...], tuple[Any, list[Any], Any]] = per_kb(kb, "copies", dict)
    key = (id(model), name, *(v if type(v) is str else id(v) for v in values))
    hit = cache.get(key)
    if hit is not None and hit[0] is model and all(
        a is b or type(a) is str for a, b in zip(hit[1], values, strict=True)
    ):
        found: _M = hit[2]
        return found
    found = model.model_copy(update={name: values})
    if len(cache) < _MAX_COPIES:
        cache[key] = (model, values, found)
    return found
