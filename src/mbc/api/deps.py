"""FastAPI dependencies: the services and settings of the running app."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request

from mbc.service import AppServices
from mbc.service.settings import Settings

__all__ = ["ServicesDep", "SettingsDep", "base_url", "get_services", "get_settings"]


def get_services(request: Request) -> AppServices:
    """The app's services (built by ``create_app``)."""
    svc: AppServices = request.app.state.services
    return svc


def get_settings(request: Request) -> Settings:
    """The app's settings."""
    settings: Settings = request.app.state.services.settings
    return settings


def base_url(request: Request) -> str:
    """The public base URL: ``MBC_PUBLIC_BASE_URL``, else the request's own."""
    configured = request.app.state.services.settings.public_base_url
    return (configured or str(request.base_url)).rstrip("/")


ServicesDep = Annotated[AppServices, Depends(get_services)]
SettingsDep = Annotated[Settings, Depends(get_settings)]
