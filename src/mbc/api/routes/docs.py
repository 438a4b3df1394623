"""``/docs``: Swagger UI served from the assets the ``fastapi-offline`` package ships (no
CDN), with the start-up script as a file (the content security policy forbids inline
scripts). ReDoc is not offered (it injects inline styles the policy forbids).
``/openapi.json`` is always there. (``swagger-ui-bundle`` ships Swagger UI 4, which cannot
read the OpenAPI 3.1 document FastAPI writes.)"""

from __future__ import annotations

from fastapi import APIRouter, FastAPI
from fastapi.responses import HTMLResponse, Response
from fastapi.staticfiles import StaticFiles

__all__ = ["mount_assets", "router"]

router = APIRouter(include_in_schema=False)

_PAGE = """<!doctype html><html lang="en"><head><meta charset="utf-8"><title>mbc API</title>
<link rel="stylesheet" href="/static/swagger/swagger-ui.css"></head>
<body><div id="swagger-ui"></div>
<script src="/static/swagger/swagger-ui-bundle.js"></script>
<script src="/docs/init.js"></script></body></html>"""

_INIT = """window.ui = SwaggerUIBundle({url: "/openapi.json", dom_id: "#swagger-ui",
  presets: [SwaggerUIBundle.presets.apis], layout: "BaseLayout"});"""

_MISSING = """<!doctype html><html lang="en"><head><meta charset="utf-8"><title>mbc API</title></head>
<body><main><h1>mbc API</h1><p>The interactive API page needs the Swagger UI
assets of the <code>fastapi-offline</code> package. The OpenAPI document is at
<a href="/openapi.json">/openapi.json</a>.</p></main></body></html>"""


def _assets() -> str | None:
    try:
        import fastapi_offline
    except ImportError:
        return None
    from pathlib import Path

    static = Path(fastapi_offline.__file__).parent / "static"
    return str(static) if (static / "swagger-ui-bundle.js").is_file() else None


def mount_assets(app: FastAPI) -> None:
    """Serve the Swagger UI files under ``/static/swagger`` when the package is installed."""
    path = _assets()
    if path is not None:
        app.mount("/static/swagger", StaticFiles(directory=path), name="swagger")


@router.get("/docs")
def docs() -> HTMLResponse:
    """The interactive API page (Swagger UI), or where the OpenAPI document is."""
    return HTMLResponse(_PAGE if _assets() else _MISSING)


@router.get("/docs/init.js")
def docs_init() -> Response:
    """Swagger UI's start-up script."""
    return Response(_INIT, media_type="text/javascript")
