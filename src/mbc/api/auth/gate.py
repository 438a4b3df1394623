"""The gate: who is asking, refusal of anonymous requests, CSRF/Origin checks, and the
security headers. One ASGI middleware, so no route can forget it (fail closed).

With ``MBC_AUTH=on`` (the default) only these answer an anonymous request: ``/v1/ping``,
the CDS Hooks discovery document, static assets, the sign-in routes, and the CDS Hooks
service calls (which carry the CDS client's own JWT, checked by the CDS verifier). A page
request of a browser is sent to sign-in; any other request gets a 401 envelope.

Credentials: ``Authorization: Bearer`` (an API key ``mbc_...`` or an OIDC access token) or
the web session cookie (set after OIDC sign-in). A state-changing request that relies on
the session cookie must carry the session's CSRF token (form field ``_csrf`` or header
``X-CSRF-Token``) and, when the browser sends one, an ``Origin`` of this site.
"""

from __future__ import annotations

import hmac
import time
from collections.abc import MutableMapping
from typing import Any
from urllib.parse import quote, urlsplit

from fastapi.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import JSONResponse, RedirectResponse, Response

from mbc.api.auth.principal import DEV, Principal
from mbc.api.errors import ApiError, BodyReplay, HttpMiddleware, Receive, Send, envelope
from mbc.service.keys import lookup_key

__all__ = ["PRINT_CSP", "AuthGate", "SecurityHeaders", "csrf_token"]

_PUBLIC_EXACT = {"/v1/ping", "/cds-services", "/auth/login", "/auth/callback", "/favicon.ico"}
_PUBLIC_PREFIX = ("/static/", "/cds-services/")
_SAFE = {"GET", "HEAD", "OPTIONS"}

CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'none'; "
    "form-action 'self'; frame-ancestors 'none'"
)
PRINT_CSP = (
    "default-src 'none'; style-src 'unsafe-inline'; img-src 'self' data:; "
    "base-uri 'none'; form-action 'none'; frame-ancestors 'none'"
)
"""The print page's policy: its stylesheet is inline (self-contained), and it runs no script."""
_HEADERS = [
    (b"content-security-policy", CSP.encode()),
    (b"x-frame-options", b"DENY"),
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"same-origin"),  # "no-referrer" makes browsers send Origin: null
    (b"permissions-policy", b"camera=(), microphone=(), geolocation=()"),
    (b"cross-origin-opener-policy", b"same-origin"),
]


def is_public(path: str, method: str) -> bool:
    """Whether an anonymous request may reach this path."""
    if path in _PUBLIC_EXACT:
        return path != "/cds-services" or method in _SAFE
    return path.startswith(_PUBLIC_PREFIX)


def csrf_token(scope: MutableMapping[str, Any]) -> str:
    """The session's CSRF token ('' without a session)."""
    session = scope.get("session")
    return str(session.get("csrf", "")) if isinstance(session, dict) else ""


class SecurityHeaders(HttpMiddleware):
    """ASGI middleware: security headers on every response; ``no-store`` on all but static
    assets (pages and API answers carry patient data)."""

    async def http(self, scope: MutableMapping[str, Any], receive: Receive, send: Send) -> None:
        static = str(scope.get("path", "")).startswith("/static/")

        async def wrapped(message: MutableMapping[str, Any]) -> None:
            if message["type"] == "http.response.start":
                headers = [
                    (k, v) for k, v in message.get("headers", []) if k.lower() != b"cache-control" or static
                ]
                own_csp = any(k.lower() == b"content-security-policy" for k, _ in headers)
                headers += [(k, v) for k, v in _HEADERS if not (own_csp and k == b"content-security-policy")]
                if not static:
                    headers.append((b"cache-control", b"no-store"))
                message["headers"] = headers
            await send(message)

        await self.app(scope, receive, wrapped)


class AuthGate(HttpMiddleware):
    """ASGI middleware: resolve the principal, refuse anonymous and cross-site requests.

    Must sit inside Starlette's ``SessionMiddleware`` (it reads ``scope["session"]``).
    """

    async def http(self, scope: MutableMapping[str, Any], receive: Receive, send: Send) -> None:
        request = Request(scope, receive)
        services = scope["app"].state.services
        settings = services.settings
        path, method = scope.get("path", ""), scope.get("method", "GET")
        try:
            principal, by_cookie = await self._principal(request, settings, services)
        except ApiError as exc:
            if not is_public(path, method):
                await self._send(scope, receive, send, _error(exc.status, str(exc), exc.problems))
                return
            principal, by_cookie = None, False  # bad credentials on a public route: anonymous
        scope.setdefault("state", {})["principal"] = principal
        if principal is None and settings.auth_on and not is_public(path, method):
            await self._send(scope, receive, send, _anonymous(request))
            return
        api_call = path.startswith(("/v1/", "/cds-services"))
        if method not in _SAFE and (by_cookie or (not settings.auth_on and not api_call)):
            body = await request.body()  # bounded by the BodySizeLimit outside this middleware
            replay = BodyReplay(body, receive)
            problem = await self._csrf_problem(Request(scope, replay), settings)
            replay.rewind()
            if problem:
                await self._send(scope, receive, send, _error(403, problem))
                return
            await self.app(scope, replay, send)
            return
        await self.app(scope, receive, send)

    @staticmethod
    async def _send(scope: MutableMapping[str, Any], receive: Receive, send: Send, resp: Response) -> None:
        await resp(scope, receive, send)

    async def _principal(
        self, request: Request, settings: Any, services: Any
    ) -> tuple[Principal | None, bool]:
        if not settings.auth_on:
            # Dev mode: everyone is the developer; cookies still get CSRF checks.
            return DEV, False
        auth = request.headers.get("authorization")
        if auth:
            scheme, _, token = auth.partition(" ")
            token = token.strip()
            if scheme.lower() != "bearer" or not token:
                raise ApiError("authorization must be a bearer token", status=401)
            if request.url.path.startswith("/cds-services/"):
                return None, False  # the CDS verifier checks the CDS client's token
            if token.startswith("mbc_"):
                p = await run_in_threadpool(lookup_key, services.store, token)
                if p is None:
                    raise ApiError("the API key is unknown or revoked", status=401)
                return p, False
            oidc = request.app.state.oidc
            return await run_in_threadpool(oidc.verify_access_token, token), False
        session = request.scope.get("session")
        user = session.get("user") if isinstance(session, dict) else None
        if isinstance(user, dict) and int(user.get("exp", 0)) > time.time():
            p = Principal(subject=str(user["sub"]), name=str(user["name"]), role=user["role"], via="session")
            return p, True
        return None, False

    async def _csrf_problem(self, request: Request, settings: Any) -> str | None:
        origin = request.headers.get("origin") or request.headers.get("referer")
        if origin is not None:
            own = urlsplit(settings.public_base_url or str(request.base_url))
            theirs = urlsplit(origin)
            if (theirs.scheme, theirs.netloc) != (own.scheme, own.netloc):
                return "cross-site request refused (Origin is not this site)"
        expected = csrf_token(request.scope)
        given = request.headers.get("x-csrf-token")
        if given is None and request.headers.get("content-type", "").startswith(
            ("application/x-www-form-urlencoded", "multipart/form-data")
        ):
            try:
                form = await request.form(max_files=0, max_fields=5000)
            except Exception:  # malformed form: no token can be read
                return "the form could not be read"
            value = form.get("_csrf")
            given = value if isinstance(value, str) else None
        if not expected or not given or not hmac.compare_digest(expected.encode(), given.encode()):
            return "the form's CSRF token is missing or wrong (reload the page)"
        return None


def _error(status: int, message: str, problems: Any = ()) -> JSONResponse:
    headers = {"WWW-Authenticate": "Bearer"} if status == 401 else None
    return JSONResponse(envelope(status, message, problems), status_code=status, headers=headers)


def _anonymous(request: Request) -> Response:
    wants_page = request.method == "GET" and "text/html" in request.headers.get("accept", "")
    if wants_page:
        target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
        return RedirectResponse(f"/auth/login?next={quote(target, safe='')}", status_code=303)
    return _error(401, "sign-in required")
