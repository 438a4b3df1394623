"""The served app: REST API, CDS Hooks 2.0 and the web page over one service layer.

``create_app(Settings())`` builds it; ``mbc serve`` runs it under uvicorn.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from mbc.app import create_app
    from mbc.service.settings import Settings

__all__ = ["Settings", "create_app"]


def __getattr__(name: str) -> Any:
    # Lazy: ``import mbc.api`` must not import FastAPI (nothing read at import time).
    if name == "create_app":  # the whole app (API + web), built a level above mbc.api
        from mbc.app import create_app

        return create_app
    if name == "Settings":
        from mbc.service.settings import Settings

        return Settings
    raise AttributeError(name)
