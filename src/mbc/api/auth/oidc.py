"""OpenID Connect: web sign-in (authorization code + PKCE, by authlib) and bearer access
tokens (JWTs checked against the identity provider's JWKS, by PyJWT).

Routes: ``GET /auth/login`` (redirect to the identity provider), ``GET /auth/callback``
(code exchange, ID token check, session), ``POST /auth/logout``, ``GET /auth/me``.
"""

from __future__ import annotations

import html
import secrets
import time
from typing import TYPE_CHECKING, Any

import httpx
import jwt
from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse, Response

from mbc.api.auth.jwks import FetchError, JsonCache, alg_matches_key
from mbc.api.auth.principal import Principal, best_role, current
from mbc.api.errors import ApiError, UnauthorizedError, envelope
from mbc.errors import Problem
from mbc.model.paths import get_path

if TYPE_CHECKING:
    from mbc.service.settings import Settings

__all__ = ["OIDC", "router"]

router = APIRouter(prefix="/auth", include_in_schema=False)
_ALGS = ("RS256", "RS384", "RS512", "PS256", "PS384", "PS512", "ES256", "ES384", "ES512")


def _deny(msg: str, kind: str = "invalid_token") -> UnauthorizedError:
    return UnauthorizedError(f"authorization failed: {msg}", [Problem(("authorization",), msg, kind)])


class OIDC:
    """The identity provider as mbc sees it.

    Args:
        settings: App settings (``oidc_*``).
        cache: The JSON cache used for metadata and JWKS (sync, off the event loop).
        transport: HTTP transport of the authlib client (tests pass a fake IdP's).
    """

    def __init__(
        self, settings: Settings, cache: JsonCache, *, transport: httpx.AsyncBaseTransport | None = None
    ) -> None:
        self.settings = settings
        self.cache = cache
        self.configured = bool(settings.oidc_issuer and settings.oidc_client_id)
        self.client: Any = None
        if self.configured:
            from authlib.integrations.starlette_client import OAuth  # type: ignore[import-untyped]

            issuer = str(settings.oidc_issuer).rstrip("/")
            kwargs: dict[str, Any] = {
                "scope": settings.oidc_scopes,
                "code_challenge_method": "S256",
                "timeout": settings.jwks_timeout_s,
            }
            if transport is not None:
                kwargs["transport"] = transport
            oauth = OAuth()
            self.client = oauth.register(
                "hospital",
                client_id=settings.oidc_client_id,
                client_secret=settings.oidc_client_secret or None,
                server_metadata_url=f"{issuer}/.well-known/openid-configuration",
                client_kwargs=kwargs,
            )

    @property
    def metadata_url(self) -> str:
        """The provider's discovery document."""
        return f"{str(self.settings.oidc_issuer).rstrip('/')}/.well-known/openid-configuration"

    def role_of(self, claims: dict[str, Any]) -> Any:
        """The mbc role named by the claims, or None."""
        return best_role(get_path(claims, self.settings.oidc_roles_claim), self.settings.oidc_role_map)

    def verify_access_token(self, token: str) -> Principal:
        """Check a bearer access token (blocking: call in a worker thread).

        Any problem (unknown issuer, key, algorithm, audience, expiry, signature) is a 401.
        """
        if not self.configured:
            raise _deny("bearer access tokens are not accepted (no identity provider configured)")
        try:
            header = jwt.get_unverified_header(token)
            meta = self.cache.get(self.metadata_url)
            jwks_uri = meta.get("jwks_uri")
            if not isinstance(jwks_uri, str):
                raise _deny("the identity provider publishes no jwks_uri")
            alg = header.get("alg")
            keys = [k for k in self.cache.get(jwks_uri).get("keys", []) if isinstance(k, dict)]
            match = [k for k in keys if k.get("kid") == header.get("kid")]
            if alg not in _ALGS or len(match) != 1 or not alg_matches_key(str(alg), match[0]):
                raise _deny("no key of the identity provider fits the token's kid and algorithm")
            claims: dict[str, Any] = jwt.decode(
                token,
                key=jwt.PyJWK(match[0], algorithm=alg).key,
                algorithms=[str(alg)],
                audience=self.settings.oidc_audience or self.settings.oidc_client_id,
                issuer=meta.get("issuer", self.settings.oidc_issuer),
                leeway=30,
                options={"require": ["iss", "aud", "exp", "sub"]},
            )
        except ApiError:
            raise
        except FetchError as exc:
            raise _deny(f"the identity provider's keys are unavailable: {exc}", "jwks_unavailable") from None
        except Exception as exc:  # any verification problem is a 401, never a 500
            raise _deny(f"the token is invalid ({type(exc).__name__})") from None
        role = self.role_of(claims)
        if role is None:
            raise ApiError(
                "the token carries no mbc role", [Problem(("role",), "no role", "forbidden")], status=403
            )
        name = str(claims.get("name") or claims.get("preferred_username") or claims["sub"])
        return Principal(subject=str(claims["sub"])[:48], name=name[:100], role=role, via="oidc")


def _oidc(request: Request) -> OIDC:
    o: OIDC = request.app.state.oidc
    return o


def _safe_next(value: str | None) -> str:
    if value and value.startswith("/") and not value.startswith("//") and "\\" not in value:
        return value[:500]
    return "/"


def _page(_request: Request, status: int, title: str, message: str) -> Response:
    body = (
        f"<!doctype html><html lang=en><head><meta charset=utf-8><title>{html.escape(title)} - mbc"
        f"</title><link rel=stylesheet href=/static/style.css></head><body><main><h1>{html.escape(title)}"
        f"</h1><p>{html.escape(message)}</p><p><a href=/auth/login>Sign in</a></p></main></body></html>"
    )
    return HTMLResponse(body, status_code=status)


@router.get("/login")
async def login(request: Request, next: str | None = None) -> Response:  # noqa: A002 - query name
    """Start sign-in at the identity provider (authorization code + PKCE)."""
    settings = request.app.state.services.settings
    if not settings.auth_on:
        return RedirectResponse("/", status_code=303)
    oidc = _oidc(request)
    if not oidc.configured:
        return _page(
            request,
            503,
            "Sign-in is not configured",
            "Ask the administrator to set MBC_OIDC_ISSUER and MBC_OIDC_CLIENT_ID.",
        )
    request.session["next"] = _safe_next(next)
    root = (settings.public_base_url or str(request.base_url)).rstrip("/")
    try:
        resp: Response = await oidc.client.authorize_redirect(request, f"{root}/auth/callback")
    except Exception:  # the IdP's metadata could not be read
        return _page(request, 503, "Sign-in is unavailable", "The identity provider did not answer.")
    return resp


@router.get("/callback")
async def callback(request: Request) -> Response:
    """The identity provider's answer: exchange the code, check the ID token, open a session."""
    oidc = _oidc(request)
    if not oidc.configured:
        return _page(request, 503, "Sign-in is not configured", "No identity provider is set.")
    try:
        token = await oidc.client.authorize_access_token(request)
    except Exception as exc:  # authlib raises OAuthError, MismatchingStateError, JOSE errors...
        return _page(
            request, 401, "Sign-in failed", f"The sign-in could not be completed ({type(exc).__name__})."
        )
    claims = dict(token.get("userinfo") or {})
    role = oidc.role_of(claims)
    if role is None:
        return _page(request, 403, "No access", "You are signed in, but you have no mbc role.")
    settings = request.app.state.services.settings
    user = {
        "sub": str(claims.get("sub"))[:48],
        "name": str(claims.get("name") or claims.get("preferred_username") or claims.get("sub"))[:100],
        "role": role,
        "exp": int(time.time()) + settings.session_max_age_s,
    }
    nxt = _safe_next(request.session.get("next"))
    request.session.clear()
    request.session.update({"user": user, "csrf": secrets.token_urlsafe(32)})
    from mbc import service

    service.record_event(
        request.app.state.services, event="signed_in", actor=f"session:{user['sub']}", detail={"role": role}
    )
    return RedirectResponse(nxt, status_code=303)


@router.post("/logout")
async def logout(request: Request) -> Response:
    """End the web session (CSRF-checked like every form post)."""
    request.session.clear()
    return RedirectResponse("/", status_code=303)


@router.get("/me")
async def me(request: Request) -> Response:
    """Who the request is signed in as."""
    p = current(request)
    if p is None:
        return JSONResponse(envelope(401, "not signed in"), status_code=401)
    return JSONResponse({"subject": p.subject, "name": p.name, "role": p.role, "via": p.via})
