"""What every service function needs: settings, knowledge base, store, clock, plan cache."""

from __future__ import annotations

import datetime as dt
import hashlib
import re
import threading
from collections import OrderedDict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

from mbc.errors import Problem
from mbc.knowledge import KnowledgeBase, load_kb
from mbc.model.plan import Plan
from mbc.service.errors import ApiError
from mbc.service.settings import Settings
from mbc.service.store import Store

__all__ = ["AppServices", "SourceKind", "build_services", "ensure", "hash_id"]


SourceKind = Literal["form", "note", "fhir", "json", "example"]


class _PlanCache:
    """A small thread-safe LRU of plans keyed by (input hash, as_of, KB and engine version).

    A plan is a pure function of those four, so a cached plan is the same plan.
    """

    def __init__(self, size: int) -> None:
        self.size = size
        self._data: OrderedDict[tuple[str, ...], tuple[Plan, str]] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: tuple[str, ...]) -> tuple[Plan, str] | None:
        with self._lock:
            value = self._data.get(key)
            if value is not None:
                self._data.move_to_end(key)
            return value

    def put(self, key: tuple[str, ...], value: tuple[Plan, str]) -> None:
        if self.size <= 0:
            return
        with self._lock:
            self._data[key] = value
            self._data.move_to_end(key)
            while len(self._data) > self.size:
                self._data.popitem(last=False)


@dataclass
class AppServices:
    """What every service function needs: settings, knowledge base, store, clock."""

    settings: Settings
    kb: KnowledgeBase
    store: Store
    today: Callable[[], dt.date] = dt.date.today
    cache: _PlanCache = field(default_factory=lambda: _PlanCache(0))
    trials: Any = None
    """The trial registry (:class:`mbc.trials.Registry`, opened once; matched by streaming)."""
    trials_lock: threading.Lock = field(default_factory=threading.Lock)
    """One SQLite connection serves every request: matching holds this lock."""

    def close(self) -> None:
        """Release the store (and the trial registry)."""
        self.store.close()
        if self.trials is not None:
            self.trials.close()


def build_services(
    settings: Settings, *, kb: KnowledgeBase | None = None, today: Callable[[], dt.date] | None = None
) -> AppServices:
    """Load the knowledge base and open the store named by ``settings``.

    Args:
        settings: The app settings.
        kb: A knowledge base to use instead of loading ``settings.kb_path``.
        today: The clock for records without ``as_of`` (tests pin it).

    Returns:
        The services.
    """
    from mbc.service.keys import derive_key, load_secret

    kbase = kb if kb is not None else load_kb(settings.kb_path)
    trials = None
    if settings.trial_registry:
        from mbc.trials import load_registry  # noqa: PLC0415 - optional, only with a registry

        trials = load_registry(settings.trial_registry, kb=kbase)  # not loaded into memory
    store = Store(settings.database_url, audit_key=derive_key(load_secret(settings), "audit"))
    if settings.plan_retention_days:
        from mbc.service.audit_chain import purge_plans

        purge_plans(store, older_than_days=settings.plan_retention_days)
    return AppServices(
        trials=trials,
        settings=settings,
        kb=kbase,
        store=store,
        today=today or dt.date.today,
        cache=_PlanCache(settings.plan_cache_size),
    )


def hash_id(svc: AppServices, value: str | None) -> str | None:
    """A salted, truncated SHA-256 of an identifier: what logs carry instead of the id."""
    if value is None:
        return None
    return hashlib.sha256(f"{svc.settings.id_salt}:{value}".encode()).hexdigest()[:16]


FHIR_ID = re.compile(r"[A-Za-z0-9\-.]{1,64}")
"""A FHIR resource id (R4 ``id`` datatype)."""


def _list(value: Any) -> list[Any]:
    """``value`` if it is a list, else [] (a hook body of the wrong shape reads as empty)."""
    return value if isinstance(value, list) else []


def ensure(condition: bool, message: str, loc: Sequence[str | int], kind: str = "value_error") -> None:
    """Raise a 422-style :class:`ApiError` unless ``condition`` holds."""
    if not condition:
        raise ApiError(message, [Problem(tuple(loc), message, kind)], status=422)
