"""One error envelope for every error the app returns.

Every error, whatever raised it, leaves as::

    {"ok": false, "error": str, "errors": [{"loc": [...], "msg": str, "type": str}], "status": int}

``422`` names every bad field at once (the record's ``Problem`` list), ``413`` a body over
the size limit, ``404`` an unknown case or rule, ``501`` an optional component that is not
installed, ``500`` an internal error, without internals.
"""

from __future__ import annotations

import html
import logging
from collections.abc import Awaitable, Callable, MutableMapping, Sequence
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, JSONResponse, Response
from pydantic import BaseModel, Field
from starlette.exceptions import HTTPException as StarletteHTTPException

from mbc.errors import InputError, Problem
from mbc.service.errors import (
    ApiError,
    NotFoundError,
    PayloadTooLargeError,
    UnauthorizedError,
    UnavailableError,
)

__all__ = [
    "ApiError",
    "BodyReplay",
    "BodySizeLimit",
    "ErrorDetail",
    "ErrorEnvelope",
    "HttpMiddleware",
    "NotFoundError",
    "PayloadTooLargeError",
    "TrackedSend",
    "UnauthorizedError",
    "UnavailableError",
    "envelope",
    "install_error_handlers",
]

log = logging.getLogger("mbc.api")


class ErrorDetail(BaseModel):
    """One located problem."""

    loc: list[str | int] = Field(description="JSON path of the offending value.")
    msg: str = Field(description="What is wrong, in words.")
    type: str = Field(description="Machine-readable kind of problem.")


class ErrorEnvelope(BaseModel):
    """The shape of every error response."""

    ok: bool = Field(False, description="Always false.")
    error: str = Field(description="One-line summary.")
    errors: list[ErrorDetail] = Field(default_factory=list, description="Every problem found.")
    status: int = Field(description="The HTTP status, repeated.")


def envelope(status: int, error: str, problems: Sequence[Problem | dict[str, Any]] = ()) -> dict[str, Any]:
    """Build the error envelope."""
    errors = [p.as_dict() if isinstance(p, Problem) else p for p in problems]
    return {"ok": False, "error": error, "errors": errors, "status": status}


def _response(
    status: int,
    error: str,
    problems: Sequence[Problem | dict[str, Any]] = (),
    headers: dict[str, str] | None = None,
) -> JSONResponse:
    return JSONResponse(envelope(status, error, problems), status_code=status, headers=headers)


_REASONS = {
    400: "bad request",
    401: "unauthorized",
    403: "forbidden",
    404: "not found",
    405: "method not allowed",
    406: "not acceptable",
    413: "request body too large",
    415: "unsupported media type",
    422: "invalid input",
}


def _validation_problems(exc: RequestValidationError) -> list[Problem]:
    out: list[Problem] = []
    for err in exc.errors():
        loc = [p for p in err.get("loc", ()) if not (isinstance(p, str) and "[" in p)]
        if loc and loc[0] in ("body", "query", "path", "header"):
            loc = loc[1:] if loc[0] == "body" else loc
        out.append(Problem(tuple(loc), str(err.get("msg", "invalid")), str(err.get("type", "value_error"))))
    return out


def wants_page(scope: MutableMapping[str, Any]) -> bool:
    """A browser asking for a page (not the REST API or CDS Hooks)."""
    path = str(scope.get("path", ""))
    if path.startswith(("/v1/", "/cds-services", "/openapi")):
        return False
    accept = dict(scope.get("headers", ())).get(b"accept", b"")
    return b"text/html" in accept


def html_error(status: int, error: str, problems: Sequence[Problem | dict[str, Any]] = ()) -> HTMLResponse:
    """A plain error page (for browsers): the same facts as the envelope, in words."""
    items = "".join(f"<li>{html.escape(str(p))}</li>" for p in problems)
    body = (
        '<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" '
        'content="width=device-width, initial-scale=1"><title>Error ' + str(status) + " · mbc</title>"
        '<link rel="stylesheet" href="/static/style.css"></head><body><main id="main">'
        f"<h1>{html.escape(error)}</h1>{'<ul>' + items + '</ul>' if items else ''}"
        '<p><a href="/">Back to the cases</a></p></main></body></html>'
    )
    return HTMLResponse(body, status_code=status)


def install_error_handlers(app: FastAPI) -> None:
    """Route every exception through the one envelope."""

    @app.exception_handler(InputError)
    async def _input(req: Request, exc: InputError) -> Response:
        if wants_page(req.scope):
            return html_error(422, str(exc).splitlines()[0], exc.problems)
        return _response(422, str(exc).splitlines()[0], exc.problems)

    @app.exception_handler(ApiError)
    async def _api(req: Request, exc: ApiError) -> Response:
        headers = {"WWW-Authenticate": "Bearer"} if exc.status == 401 else None
        if wants_page(req.scope) and exc.status != 401:
            return html_error(exc.status, str(exc), exc.problems)
        return _response(exc.status, str(exc), exc.problems, headers)

    @app.exception_handler(RequestValidationError)
    async def _validation(_req: Request, exc: RequestValidationError) -> JSONResponse:
        problems = _validation_problems(exc)
        return _response(
            422, f"invalid input ({len(problems)} problem{'s' * (len(problems) != 1)})", problems
        )

    @app.exception_handler(StarletteHTTPException)
    async def _http(_req: Request, exc: StarletteHTTPException) -> JSONResponse:
        msg = exc.detail if isinstance(exc.detail, str) else _REASONS.get(exc.status_code, "error")
        return _response(exc.status_code, msg, headers=getattr(exc, "headers", None))

    @app.exception_handler(Exception)
    async def _internal(_req: Request, exc: Exception) -> JSONResponse:
        log.error("internal error", exc_info=exc)
        return _response(500, "internal error")


Receive = Callable[[], Awaitable[MutableMapping[str, Any]]]
Send = Callable[[MutableMapping[str, Any]], Awaitable[None]]
ASGIApp = Callable[[MutableMapping[str, Any], Receive, Send], Awaitable[None]]


class HttpMiddleware:
    """An ASGI middleware that handles HTTP requests (:meth:`http`) and passes every other
    kind of scope (lifespan, websocket) through untouched."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: MutableMapping[str, Any], receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        await self.http(scope, receive, send)

    async def http(self, scope: MutableMapping[str, Any], receive: Receive, send: Send) -> None:
        raise NotImplementedError


class TrackedSend:
    """An ASGI ``send`` that remembers whether the response has started (after which no
    error response can be sent any more)."""

    def __init__(self, send: Send) -> None:
        self._send, self.started = send, False

    async def __call__(self, message: MutableMapping[str, Any]) -> None:
        if message["type"] == "http.response.start":
            self.started = True
        await self._send(message)


class BodyReplay:
    """An ASGI ``receive`` that hands over an already-read request body once, then defers to
    the real ``receive`` (for middleware that must read the body before the app does).
    ``rewind()`` lets a second reader (the app, after a check) get the body again."""

    def __init__(self, body: bytes, receive: Receive) -> None:
        self._body, self._receive, self._sent = body, receive, False

    def rewind(self) -> None:
        self._sent = False

    async def __call__(self) -> MutableMapping[str, Any]:
        if self._sent:
            return await self._receive()
        self._sent = True
        return {"type": "http.request", "body": self._body, "more_body": False}


class BodySizeLimit(HttpMiddleware):
    """ASGI middleware: answer 413 (in the envelope) to a body over ``max_bytes``.

    Checks ``Content-Length`` up front and counts streamed (chunked) bodies as they arrive.
    """

    def __init__(self, app: ASGIApp, max_bytes: int) -> None:
        super().__init__(app)
        self.max_bytes = max_bytes

    async def http(self, scope: MutableMapping[str, Any], receive: Receive, send: Send) -> None:
        for name, value in scope.get("headers", ()):
            if name == b"content-length":
                try:
                    size = int(value)
                except ValueError:
                    size = 0
                if size > self.max_bytes:
                    await self._reject(send, scope)
                    return
        seen = 0

        async def counting_receive() -> MutableMapping[str, Any]:
            nonlocal seen
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > self.max_bytes:
                    raise PayloadTooLargeError(f"request body too large (limit {self.max_bytes} bytes)")
            return message

        tracked = TrackedSend(send)
        try:
            await self.app(scope, counting_receive, tracked)
        except PayloadTooLargeError:
            if not tracked.started:
                await self._reject(send, scope)

    async def _reject(self, send: Send, scope: MutableMapping[str, Any]) -> None:
        msg = f"request body too large (limit {self.max_bytes} bytes)"
        resp: Response = html_error(413, msg) if wants_page(scope) else _response(413, msg)
        await send({"type": "http.response.start", "status": 413, "headers": resp.raw_headers})
        await send({"type": "http.response.body", "body": resp.body})
