"""The app factory: one FastAPI app serving the REST API, CDS Hooks and the web page."""

from __future__ import annotations

import datetime as dt
import importlib
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from typing import Any

import httpx
from fastapi import FastAPI
from fastapi.middleware.cors import CORSMiddleware
from fastapi.openapi.utils import get_openapi

from mbc.api.cdshooks.auth import JWTVerifier
from mbc.api.errors import BodySizeLimit, install_error_handlers
from mbc.api.logs import configure_logging
from mbc.api.service import AppServices, build_services
from mbc.api.settings import Settings
from mbc.knowledge import KnowledgeBase

__all__ = ["create_app"]


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


def create_app(
    settings: Settings | None = None,
    *,
    kb: KnowledgeBase | None = None,
    today: Callable[[], dt.date] | None = None,
    http_factory: Callable[[], httpx.Client] | None = None,
    services: AppServices | None = None,
) -> FastAPI:
    """Build the app.

    Args:
        settings: Settings; default ``Settings()`` (read from the environment now).
        kb: A loaded knowledge base (default: load ``settings.kb_path``).
        today: Clock for records without ``as_of`` (tests pin it).
        http_factory: Makes the HTTP client used for FHIR reads and JWKS fetches (tests
            pass one with a fake transport).
        services: Pre-built services (overrides ``kb``/``today``).

    Returns:
        The FastAPI app. Its store is closed when the app shuts down.
    """
    from mbc import __version__
    from mbc.api.routes import cdshooks, v1
    from mbc.web.routes import mount_web

    settings = settings or Settings()
    configure_logging(settings.log_format)
    svc = services or build_services(settings, kb=kb, today=today)
    factory = http_factory or (lambda: httpx.Client(timeout=settings.fhir_timeout_s))

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        yield
        svc.close()

    app = FastAPI(
        title="mbc",
        version=__version__,
        description="Cited clinical decision support for metastatic breast cancer: REST API "
        "(/v1), CDS Hooks 2.0 (/cds-services) and a web page (/).",
        lifespan=lifespan,
    )
    app.state.services = svc
    app.state.http_factory = factory
    app.state.jwt_verifier = JWTVerifier(settings, http=factory)
    install_error_handlers(app)
    app.include_router(v1.router)
    app.include_router(importlib.import_module("mbc.api.routes.ask").router)  # POST /v1/ask (issue 12)
    app.include_router(cdshooks.router)
    mount_web(app)
    if settings.cors_origins:
        app.add_middleware(
            CORSMiddleware,
            allow_origins=settings.cors_origins,
            allow_methods=["GET", "POST", "PUT", "DELETE"],
            allow_headers=["*"],
        )
    app.add_middleware(BodySizeLimit, max_bytes=settings.max_body_bytes)
    app.openapi = _openapi(app)  # type: ignore[method-assign]
    return app
