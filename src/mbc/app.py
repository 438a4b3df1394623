"""The whole served app: the REST API and CDS Hooks (:mod:`mbc.api`) plus the web pages
(:mod:`mbc.web`), both over the service layer (:mod:`mbc.service`).

This module sits above ``mbc.api`` and ``mbc.web`` so neither imports the other's routes.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from fastapi import FastAPI

__all__ = ["create_app", "create_app_from_env"]


def create_app(*args: Any, **kwargs: Any) -> FastAPI:
    """Build the app: :func:`mbc.api.app.create_api_app` (same arguments) plus the web pages."""
    from mbc.api.app import create_api_app
    from mbc.web.routes import mount_web

    app = create_api_app(*args, **kwargs)
    mount_web(app)
    return app


def create_app_from_env() -> FastAPI:
    """The app of one ``mbc serve --workers N`` worker: settings from the environment."""
    from mbc.service.settings import Settings

    return create_app(Settings())
