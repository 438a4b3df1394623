"""``/docs``: Swagger UI served from the ``swagger-ui-bundle`` package (no CDN), with the
start-up script as a file (the content security policy forbids inline scripts). ReDoc is
not offered: no PyPI package ships its assets. ``/openapi.json`` is always there."""

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
<body><main><h1>mbc API</h1><p>The interactive API page needs the <code>swagger-ui-bundle</code>
package. The OpenAPI document is at <a href="/openapi.json">/openapi.json</a>.</p></main></body></html>"""


def _assets() -> str | None:
    try:
        import swagger_ui_bundle  # type: ignore[import-untyped]
    except ImportError:
        return None
    return str(swagger_ui_bundle.swagger_ui_path)


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
