"""Bounds on the work one request can cause: a per-client rate limit and a JSON guard.

* :class:`RateLimit`: a token bucket per client address (``rate_limit_per_s``,
  ``rate_limit_burst``); over it, 429 with ``Retry-After``.
* :class:`JsonGuard`: every JSON body is decoded once with bounds before any route sees
  it: nesting deeper than ``max_json_depth``, integers longer than 30 digits, NaN /
  Infinity, non-finite floats and lone surrogates are a 422 naming the place. So no
  route meets a ``RecursionError``, a 5,000-digit int or a string that cannot be stored.
"""

from __future__ import annotations

import logging
import math
import threading
import time
from collections import OrderedDict
from collections.abc import MutableMapping
from typing import Any

from starlette.responses import JSONResponse

from mbc.api.errors import ASGIApp, BodyReplay, HttpMiddleware, Receive, Send, TrackedSend, envelope
from mbc.bounded import BadInput, loads_bounded
from mbc.errors import Problem

__all__ = ["BadJson", "CatchAll", "JsonGuard", "RateLimit", "loads_bounded"]

log = logging.getLogger("mbc.api")

BadJson = BadInput
"""The bounded decoder's error (an alias kept for the API's modules)."""


class JsonGuard:
    """ASGI middleware: decode every JSON request body with :func:`loads_bounded` first."""

    def __init__(self, app: ASGIApp, max_depth: int) -> None:
        self.app = app
        self.max_depth = max_depth

    async def __call__(self, scope: MutableMapping[str, Any], receive: Receive, send: Send) -> None:
        ctype = dict(scope.get("headers", ())).get(b"content-type", b"") if scope["type"] == "http" else b""
        if scope["type"] != "http" or b"json" not in ctype.lower():
            await self.app(scope, receive, send)
            return
        chunks: list[bytes] = []
        while True:
            message = await receive()
            if message["type"] != "http.request":
                break
            chunks.append(message.get("body", b""))
            if not message.get("more_body"):
                break
        body = b"".join(chunks)
        if body.strip():
            try:
                scope["mbc.json"] = loads_bounded(body, max_depth=self.max_depth)
            except BadJson as exc:
                resp = JSONResponse(
                    envelope(422, f"request body rejected: {exc}", [exc.problem]), status_code=422
                )
                await resp(scope, receive, send)
                return
        await self.app(scope, BodyReplay(body, receive), send)


class RateLimit:
    """ASGI middleware: a token bucket per client address; 429 when empty."""

    def __init__(self, app: ASGIApp, *, per_s: float, burst: int, max_clients: int = 10_000) -> None:
        self.app = app
        self.per_s = per_s
        self.burst = float(burst)
        self.max_clients = max_clients
        self._buckets: OrderedDict[str, tuple[float, float]] = OrderedDict()
        self._lock = threading.Lock()

    def take(self, client: str, now: float | None = None) -> float:
        """Take one token; return 0 when allowed, else seconds until one is free."""
        now = time.monotonic() if now is None else now
        with self._lock:
            tokens, last = self._buckets.pop(client, (self.burst, now))
            tokens = min(self.burst, tokens + (now - last) * self.per_s)
            wait = 0.0
            if tokens >= 1:
                tokens -= 1
            else:
                wait = (1 - tokens) / self.per_s
            self._buckets[client] = (tokens, now)
            while len(self._buckets) > self.max_clients:
                self._buckets.popitem(last=False)
            return wait

    async def __call__(self, scope: MutableMapping[str, Any], receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or self.per_s <= 0:
            await self.app(scope, receive, send)
            return
        client = (scope.get("client") or ("?", 0))[0]
        wait = self.take(str(client))
        if wait > 0:
            resp = JSONResponse(
                envelope(429, "too many requests", [Problem((), "slow down", "rate_limited")]),
                status_code=429,
                headers={"Retry-After": str(max(1, math.ceil(wait)))},
            )
            await resp(scope, receive, send)
            return
        await self.app(scope, receive, send)


class CatchAll(HttpMiddleware):
    """ASGI middleware: an unexpected exception becomes the 500 envelope *without* being
    re-raised, so the server keeps the keep-alive connection open (Starlette's own error
    middleware re-raises, and the server then drops the connection)."""

    async def http(self, scope: MutableMapping[str, Any], receive: Receive, send: Send) -> None:
        tracked = TrackedSend(send)
        try:
            await self.app(scope, receive, tracked)
        except Exception as exc:
            log.error("internal error", exc_info=exc)
            if tracked.started:  # nothing sensible can be sent any more
                raise
            resp = JSONResponse(envelope(500, "internal error"), status_code=500)
            await resp(scope, receive, send)
