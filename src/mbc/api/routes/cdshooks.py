"""CDS Hooks 2.0 endpoints: discovery, the services of the registry, and feedback."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from fastapi import APIRouter, Request
from fastapi.concurrency import run_in_threadpool

from mbc import service
from mbc.api.cdshooks import discovery, find_service
from mbc.api.deps import ServicesDep, base_url
from mbc.api.errors import ApiError, ErrorEnvelope, NotFoundError, UnauthorizedError
from mbc.api.routes.v1 import _json, _object
from mbc.errors import Problem

__all__ = ["router"]

router = APIRouter(tags=["cds-hooks"])

# Service id -> the one service function that answers it.
_HANDLERS: dict[str, Callable[..., dict[str, Any]]] = {
    "mbc-patient-view": service.cds_patient_view,
    "mbc-order-select": service.cds_order_select,
}

_ERR: dict[int | str, dict[str, Any]] = {
    code: {"model": ErrorEnvelope} for code in (401, 404, 412, 413, 422, 500)
}


async def _verify(request: Request, paths: list[str]) -> str:
    """Check the CDS client's JWT (in a worker thread: it may fetch a JWKS). The audience is
    the configured public base URL plus the path, never the request's Host header."""
    verifier = request.app.state.jwt_verifier
    if not verifier.enabled:
        return "cds:anonymous"
    configured = request.app.state.services.settings.public_base_url
    if not configured:
        raise UnauthorizedError(
            "CDS Hooks authorization failed: the service has no configured base URL",
            [Problem(("authorization",), "set MBC_PUBLIC_BASE_URL (the JWT audience)", "no_audience")],
        )
    root = configured.rstrip("/")
    audiences = [f"{root}{p}" for p in paths]
    header = request.headers.get("authorization")
    claims = await run_in_threadpool(verifier.verify, header, audience=audiences)
    return f"cds:{claims.get('iss', 'anonymous')}"[:64] if claims else "cds:anonymous"


@router.get("/cds-services", summary="CDS Hooks discovery")
async def cds_discovery() -> dict[str, Any]:
    """The services offered, generated from the registry."""
    return discovery()


@router.post("/cds-services/{service_id}", summary="Call a CDS service", responses=_ERR)
async def cds_call(service_id: str, request: Request, svc: ServicesDep) -> dict[str, Any]:
    """Verify the JWT, check the hook, call the service; answer ``{"cards": [...]}``."""
    spec = find_service(service_id)
    if spec is None:
        raise NotFoundError(
            f"no CDS service {service_id!r}", [Problem(("service_id",), "not found", "not_found")]
        )
    root = base_url(request)
    actor = await _verify(request, [f"/cds-services/{service_id}"])
    body = _object(await _json(request), "a hook request")
    if body.get("hook") != spec.hook:
        raise ApiError(
            f"service {service_id} answers the {spec.hook!r} hook",
            [Problem(("hook",), f"expected {spec.hook!r}", "literal_error")],
            status=422,
        )
    handler = _HANDLERS[service_id]
    http = request.app.state.http_factory
    return await run_in_threadpool(handler, svc, body, base_url=root, actor=actor, http=http)


@router.post("/cds-services/{service_id}/feedback", summary="Feedback on cards", responses=_ERR)
async def cds_feedback(service_id: str, request: Request, svc: ServicesDep) -> dict[str, Any]:
    """Record whether cards were accepted or overridden (audit log)."""
    if find_service(service_id) is None:
        raise NotFoundError(
            f"no CDS service {service_id!r}", [Problem(("service_id",), "not found", "not_found")]
        )
    actor = await _verify(request, [f"/cds-services/{service_id}", f"/cds-services/{service_id}/feedback"])
    body = _object(await _json(request), "feedback")
    n = await run_in_threadpool(service.cds_feedback, svc, service_id, body, actor=actor)
    return {"ok": True, "recorded": n}
