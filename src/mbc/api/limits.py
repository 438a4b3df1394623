"""Bounds on the work one request can cause: a per-client rate limit and a JSON guard.

* :class:`RateLimit`: a token bucket per client address (``rate_limit_per_s``,
  ``rate_limit_burst``); over it, 429 with ``Retry-After``.
* :class:`JsonGuard`: every JSON body is decoded once with bounds before any route sees
  it: nesting deeper than ``max_json_depth``, integers longer than 30 digits, NaN /
  Infinity, non-finite floats and lone surrogates are a 422 naming the place. So no
  route meets a ``RecursionError``, a 5,000-digit int or a string that cannot be stored.
"""

from __future__ import annotations

import json
import math
import threading
import time
from collections import OrderedDict
from collections.abc import MutableMapping
from typing import Any

from starlette.responses import JSONResponse

from mbc.api.errors import ASGIApp, Receive, Send, envelope
from mbc.errors import Problem

__all__ = ["BadJson", "JsonGuard", "RateLimit", "loads_bounded"]

_MAX_INT_DIGITS = 30


class BadJson(ValueError):
    """A JSON body outside the bounds; carries one located problem."""

    def __init__(self, problem: Problem) -> None:
        super().__init__(problem.msg)
        self.problem = problem


def _int(text: str) -> int:
    if len(text.lstrip("-")) > _MAX_INT_DIGITS:
        raise BadJson(Problem((), f"a number has more than {_MAX_INT_DIGITS} digits", "number_too_large"))
    return int(text)


def _float(text: str) -> float:
    if len(text) > 400:
        raise BadJson(Problem((), "a number is too long", "number_too_large"))
    value = float(text)
    if not math.isfinite(value):
        raise BadJson(Problem((), f"the number {text[:40]} is out of range", "number_too_large"))
    return value


def _constant(name: str) -> Any:
    raise BadJson(Problem((), f"{name} is not a JSON number", "json_invalid"))


def _walk(value: Any, max_depth: int) -> None:
    """Check depth and strings iteratively (no recursion, linear time)."""
    stack: list[tuple[Any, tuple[str | int, ...]]] = [(value, ())]
    while stack:
        node, loc = stack.pop()
        if len(loc) > max_depth:
            raise BadJson(Problem(loc[:8], f"nested deeper than {max_depth} levels", "too_deep"))
        if isinstance(node, dict):
            for k, v in node.items():
                _check_str(k, loc)
                stack.append((v, (*loc, k)))
        elif isinstance(node, list):
            stack.extend((v, (*loc, i)) for i, v in enumerate(node))
        elif isinstance(node, str):
            _check_str(node, loc)


def _check_str(s: str, loc: tuple[str | int, ...]) -> None:
    try:
        s.encode("utf-8")
    except UnicodeEncodeError:
        raise BadJson(Problem(loc[:8], "text contains a lone surrogate (not valid Unicode)", "unicode_error"))
    return None


def loads_bounded(raw: bytes | str, *, max_depth: int = 64) -> Any:
    """Decode JSON with the bounds above.

    Raises:
        BadJson: Out of bounds (or not JSON: the problem's type is ``json_invalid``).
    """
    try:
        value = json.loads(raw, parse_int=_int, parse_float=_float, parse_constant=_constant)
    except BadJson:
        raise
    except RecursionError:
        raise BadJson(Problem((), f"nested deeper than {max_depth} levels", "too_deep")) from None
    except (ValueError, UnicodeDecodeError) as exc:
        where = (
            f"line {exc.lineno} column {exc.colno}: {exc.msg}"
            if isinstance(exc, json.JSONDecodeError)
            else str(exc)[:200]
        )
        raise BadJson(Problem((), where, "json_invalid")) from None
    _walk(value, max_depth)
    return value


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
                resp = JSONResponse(envelope(422, f"request body rejected: {exc}", [exc.problem]), status_code=422)
                await resp(scope, receive, send)
                return
        sent = False

        async def replay() -> MutableMapping[str, Any]:
            nonlocal sent
            if sent:
                return await receive()
            sent = True
            return {"type": "http.request", "body": body, "more_body": False}

        await self.app(scope, replay, send)


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
