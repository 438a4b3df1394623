"""Fetching JSON documents (JWKS, OIDC metadata) for token checks: cached, bounded, fail-closed.

* A fetch has a timeout (``jwks_timeout_s``) and runs in a worker thread, never on the event
  loop (callers use :func:`fetch_async`), so a slow URL stalls no other request.
* A good answer is kept ``ttl_s``; a failure is remembered ``negative_ttl_s`` (a forged
  issuer's dead URL is not fetched again on every request).
* One fetch per URL at a time (a lock per URL): a burst of tokens does not make a burst of
  fetches.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from typing import Any

import httpx
from fastapi.concurrency import run_in_threadpool

__all__ = ["FetchError", "JsonCache", "alg_matches_key"]

_FAMILY = {"RS": "RSA", "PS": "RSA", "ES": "EC", "Ed": "OKP"}


class FetchError(Exception):
    """The document could not be fetched (or was malformed); the message says why."""


def alg_matches_key(alg: str, jwk: dict[str, Any]) -> bool:
    """Whether a JWS algorithm belongs to the key's type (RS256 with an EC key -> False)."""
    family = _FAMILY.get(alg[:2])
    return family is not None and jwk.get("kty") == family and jwk.get("alg", alg) == alg


class JsonCache:
    """A small cache of fetched JSON objects.

    Args:
        http: Factory of the (sync) HTTP client.
        timeout_s: Timeout of one fetch.
        ttl_s: How long a fetched document is used.
        negative_ttl_s: How long a failure is remembered.
        clock: Seconds (tests pin it).
    """

    def __init__(
        self,
        http: Callable[[], httpx.Client],
        *,
        timeout_s: float,
        ttl_s: float = 300.0,
        negative_ttl_s: float = 60.0,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._http = http
        self.timeout_s = timeout_s
        self.ttl_s = ttl_s
        self.negative_ttl_s = negative_ttl_s
        self._clock = clock
        self._good: dict[str, tuple[float, dict[str, Any]]] = {}
        self._bad: dict[str, tuple[float, str]] = {}
        self._locks: dict[str, threading.Lock] = {}
        self._guard = threading.Lock()

    def _lock(self, url: str) -> threading.Lock:
        with self._guard:
            if len(self._locks) > 1024:
                self._locks.clear()
            return self._locks.setdefault(url, threading.Lock())

    def _cached(self, url: str, *, force: bool) -> dict[str, Any] | None:
        now = self._clock()
        bad = self._bad.get(url)
        if bad is not None and now - bad[0] < self.negative_ttl_s:
            raise FetchError(bad[1])
        good = self._good.get(url)
        if good is not None and not force and now - good[0] < self.ttl_s:
            return good[1]
        return None

    def get(self, url: str, *, force: bool = False) -> dict[str, Any]:
        """The JSON object at ``url`` (blocking; call from a worker thread).

        Raises:
            FetchError: Not fetchable, not JSON, not an object, or failed recently.
        """
        hit = self._cached(url, force=force)
        if hit is not None:
            return hit
        with self._lock(url):
            hit = self._cached(url, force=False) if not force else None
            if hit is not None:
                return hit
            try:
                with self._http() as client:
                    resp = client.get(url, timeout=self.timeout_s)
                    resp.raise_for_status()
                    doc = resp.json()
                if not isinstance(doc, dict):
                    raise ValueError("not a JSON object")
            except (httpx.HTTPError, ValueError) as exc:
                reason = f"{url} could not be fetched ({type(exc).__name__})"
                self._bad[url] = (self._clock(), reason)
                raise FetchError(reason) from None
            self._good[url] = (self._clock(), doc)
            self._bad.pop(url, None)
            return doc

    async def fetch_async(self, url: str, *, force: bool = False) -> dict[str, Any]:
        """:meth:`get` in a worker thread (never blocks the event loop)."""
        return await run_in_threadpool(self.get, url, force=force)
