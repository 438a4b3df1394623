"""Fetch trials from the ClinicalTrials.gov API v2 into a :class:`Registry`.

Paged with ``pageToken``; after every page the next token is saved in the registry, so
an interrupted sync resumes where it stopped. The HTTP call sits behind a
:class:`Transport` so tests run with a fake and never touch the network.
"""

from __future__ import annotations

import datetime as dt
import json
import urllib.parse
import urllib.request
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Protocol

from mbc.errors import TrialSourceError
from mbc.trials._sources import trial_from_mapping

if TYPE_CHECKING:
    from collections.abc import Callable, Mapping

    from mbc.trials._store import Registry

__all__ = ["API_URL", "SyncReport", "Transport", "UrllibTransport", "sync_registry"]

API_URL = "https://clinicaltrials.gov/api/v2/studies"


class Transport(Protocol):
    """GET a URL with query parameters and return the decoded JSON body."""

    def __call__(self, url: str, params: Mapping[str, str]) -> Mapping[str, Any]: ...


class UrllibTransport:
    """The default transport (stdlib ``urllib``)."""

    def __init__(self, *, timeout: float = 30.0) -> None:
        self.timeout = timeout

    def __call__(self, url: str, params: Mapping[str, str]) -> Mapping[str, Any]:
        full = f"{url}?{urllib.parse.urlencode(params)}"
        req = urllib.request.Request(full, headers={"Accept": "application/json"})
        try:
            with urllib.request.urlopen(req, timeout=self.timeout) as resp:
                data: Mapping[str, Any] = json.load(resp)
        except (OSError, ValueError) as exc:
            raise TrialSourceError(f"ClinicalTrials.gov request failed: {exc}") from exc
        return data


@dataclass(frozen=True, slots=True)
class SyncReport:
    """What a sync did."""

    pages: int
    trials: int
    total: int | None
    complete: bool


def _token_key(condition: str) -> str:
    return f"sync.page_token.{condition.strip().lower()}"


def _done_key(condition: str) -> str:
    return f"sync.complete_since.{condition.strip().lower()}"


def sync_registry(
    registry: Registry,
    *,
    condition: str,
    transport: Transport | None = None,
    page_size: int = 100,
    max_pages: int | None = None,
    resume: bool = True,
    progress: Callable[[int, int | None], None] | None = None,
    incremental: bool = True,
    today: dt.date | None = None,
) -> SyncReport:
    """Fetch every study for a condition, page by page, into the registry.

    Args:
        registry: Where to store the trials.
        condition: ``query.cond`` of the API, e.g. ``"metastatic breast cancer"``.
        transport: HTTP seam (default :class:`UrllibTransport`).
        page_size: Studies per page (the API allows up to 1000).
        max_pages: Stop after this many pages (the token is kept to resume).
        resume: Continue from the token saved by an interrupted sync.
        progress: Called after each page with (trials so far, total or None).
        incremental: After one complete sync, fetch only the studies whose last update
            was posted on or after the day that sync started (``filter.advanced`` on
            ``LastUpdatePostDate``); unchanged records are skipped when stored anyway.
        today: The date recorded as the start of this sync (default: today).

    Returns:
        Pages and trials fetched, the API's total count, and whether the listing ended.

    Raises:
        TrialSourceError: A request failed or a record could not be read.
    """
    get = transport or UrllibTransport()
    key = _token_key(condition)
    token = registry.get_meta(key) if resume else None
    started = (today or dt.date.today()).isoformat()
    since = registry.get_meta(_done_key(condition)) if incremental else None
    pages = fetched = 0
    total: int | None = None
    while max_pages is None or pages < max_pages:
        params = {
            "query.cond": condition,
            "pageSize": str(page_size),
            "format": "json",
            "countTotal": "true",
        }
        if token:
            params["pageToken"] = token
        if since:
            params["filter.advanced"] = f"AREA[LastUpdatePostDate]RANGE[{since},MAX]"
        body = get(API_URL, params)
        studies = body.get("studies") or []
        if not isinstance(studies, list):
            raise TrialSourceError("API response has no 'studies' list")
        registry.add(trial_from_mapping(s) for s in studies)
        pages += 1
        fetched += len(studies)
        if isinstance(body.get("totalCount"), int):
            total = body["totalCount"]
        token = body.get("nextPageToken")
        registry.set_meta(key, token or "")
        if progress is not None:
            progress(fetched, total)
        if not token:
            registry.set_meta(_done_key(condition), started)
            return SyncReport(pages, fetched, total, complete=True)
    return SyncReport(pages, fetched, total, complete=False)
