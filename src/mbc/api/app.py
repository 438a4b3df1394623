"""The API app factory: REST (/v1), CDS Hooks, sign-in, docs, and the middleware.

:func:`mbc.app.create_app` (a level above ``mbc.api`` and ``mbc.web``) builds this app and
adds the web pages; ``mbc.api`` itself never imports ``mbc.web``.
"""

from __future__ import annotations

import datetime as dt
import importlib
import logging
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from typing import Any

import httpx
from fastapi import FastAPI
from fastapi.concurrency import run_in_threadpool
from fastapi.middleware.cors import CORSMiddleware
from fastapi.openapi.utils import get_openapi
from starlette.middleware.sessions import SessionMiddleware

from mbc.api.auth.gate import AuthGate, SecurityHeaders
from mbc.api.auth.jwks import JsonCache
from mbc.api.cdshooks.auth import JWTVerifier
from mbc.api.errors import BodySizeLimit, install_error_handlers
from mbc.api.limits import CatchAll, JsonGuard, RateLimit
from mbc.api.logs import configure_logging
from mbc.knowledge import KnowledgeBase
from mbc.service import AppServices, build_services
from mbc.service.keys import derive_key, load_secret
from mbc.service.settings import Settings

__all__ = ["create_api_app"]


def _warm_note_reader() -> None:
    """Read a one-line note once, so the language pipeline is loaded at start-up."""
    try:
        from mbc.ingest import extract

        extract("Note.", kind="note")
    except Exception:  # the nlp extra may be absent: notes then fail clearly per request
        logging.getLogger(__name__).info("note reader not warmed", exc_info=True)


def _openapi(app: FastAPI) -> Callable[[], dict[str, Any]]:
    from mbc.model import PatientRecord

    def build() -> dict[str, Any]:
        if app.openapi_schema:
            return app.openapi_schema
        schema = get_openapi(
            title=app.title, version=app.version, description=app.description, routes=app.routes
        )
        comps = schema.setdefault("components", {}).setdefault("schemas", {})
        rec = PatientRecord.model_json_schema(ref_template="#/components/schemas/{model}")
        for name, sub in rec.pop("$defs", {}).items():
            comps.setdefault(name, sub)
        comps["PatientRecordIn"] = rec
        app.openapi_schema = schema
        return schema

    return build


def create_api_app(
    settings: Settings | None = None,
    *,
    kb: KnowledgeBase | None = None,
    today: Callable[[], dt.date] | None = None,
    http_factory: Callable[[], httpx.Client] | None = None,
    services: AppServices | None = None,
    oidc_transport: httpx.AsyncBaseTransport | None = None,
) -> FastAPI:
    """Build the app.

    Args:
        settings: Settings; default ``Settings()`` (read from the environment now).
        kb: A loaded knowledge base (default: load ``settings.kb_path``).
        today: Clock for records without ``as_of`` (tests pin it).
        http_factory: Makes the HTTP client used for FHIR reads and JWKS fetches (tests
            pass one with a fake transport).
        services: Pre-built services (overrides ``kb``/``today``).
        oidc_transport: HTTP transport of the OIDC sign-in client (tests: a fake IdP).

    Returns:
        The FastAPI app. Its store is closed when the app shuts down.
    """
    from mbc import __version__
    from mbc.api.auth import oidc
    from mbc.api.routes import admin, cdshooks, docs, v1

    settings = settings or Settings()
    configure_logging(settings.log_format)
    svc = services or build_services(settings, kb=kb, today=today)
    factory = http_factory or (lambda: httpx.Client(timeout=settings.fhir_timeout_s))
    secret = load_secret(settings)
    jwks = JsonCache(factory, timeout_s=settings.jwks_timeout_s, negative_ttl_s=settings.jwks_negative_ttl_s)

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        if settings.warm_note_reader:  # the reader's one-time load, before any request
            await run_in_threadpool(_warm_note_reader)
        yield
        svc.close()

    app = FastAPI(
        title="mbc",
        version=__version__,
        description="Cited clinical decision support for metastatic breast cancer: REST API "
        "(/v1), CDS Hooks 2.0 (/cds-services) and a web page (/).",
        lifespan=lifespan,
        docs_url=None,
        redoc_url=None,
    )
    app.state.services = svc
    app.state.http_factory = factory
    app.state.secret = secret
    app.state.jwt_verifier = JWTVerifier(settings, http=factory, cache=jwks, store=svc.store)
    app.state.oidc = oidc.OIDC(settings, jwks, transport=oidc_transport)
    install_error_handlers(app)
    app.include_router(v1.router)
    app.include_router(importlib.import_module("mbc.api.routes.ask").router)  # POST /v1/ask (issue 12)
    app.include_router(admin.router)
    app.include_router(cdshooks.router)
    app.include_router(oidc.router)
    app.include_router(docs.router)
    docs.mount_assets(app)
    # Middleware: the last added is the outermost.
    app.add_middleware(JsonGuard, max_depth=settings.max_json_depth)
    if settings.cors_origins:
        app.add_middleware(
            CORSMiddleware,
            allow_origins=settings.cors_origins,
            allow_methods=["GET", "POST", "PUT", "DELETE"],
            allow_headers=["Authorization", "Content-Type"],
        )
    app.add_middleware(AuthGate)
    app.add_middleware(
        SessionMiddleware,
        secret_key=derive_key(secret, "session").hex(),
        session_cookie="mbc_session",
        max_age=settings.session_max_age_s,
        same_site="lax",
        https_only=settings.cookie_secure and settings.auth_on,
    )
    app.add_middleware(RateLimit, per_s=settings.rate_limit_per_s, burst=settings.rate_limit_burst)
    app.add_middleware(BodySizeLimit, max_bytes=settings.max_body_bytes)
    app.add_middleware(CatchAll)
    app.add_middleware(SecurityHeaders)
    app.openapi = _openapi(app)  # type: ignore[method-assign]
    return app
