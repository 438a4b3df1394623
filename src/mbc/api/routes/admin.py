"""``/v1/admin``: API keys and the audit log (admin role only)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, Query, Request, Response
from pydantic import BaseModel, Field

from mbc.api.auth.principal import Principal, Role, require
from mbc.api.deps import ServicesDep
from mbc.api.errors import NotFoundError
from mbc.errors import Problem
from mbc.service.keys import create_key, list_keys, revoke_key

__all__ = ["router"]

router = APIRouter(prefix="/v1/admin", tags=["admin"], dependencies=[Depends(require("admin"))])


class KeyIn(BaseModel):
    """A key to create."""

    name: str = Field(min_length=1, max_length=100)
    role: Role


def _who(request: Request) -> Principal:
    p: Principal = request.scope["state"]["principal"]
    return p


@router.post("/keys", status_code=201, summary="Create an API key (the token is shown once)")
def post_key(body: KeyIn, request: Request, svc: ServicesDep) -> dict[str, Any]:
    """Create a key with one role."""
    key, token = create_key(svc.store, name=body.name, role=body.role, actor=_who(request).actor)
    return {"id": key.id, "name": key.name, "role": key.role, "token": token}


@router.get("/keys", summary="List API keys (never their secrets)")
def get_keys(svc: ServicesDep) -> dict[str, Any]:
    """Every key's public part."""
    return {"keys": [k.__dict__ for k in list_keys(svc.store)]}


@router.delete("/keys/{key_id}", status_code=204, summary="Revoke an API key")
def delete_key(key_id: str, request: Request, svc: ServicesDep) -> Response:
    """Revoke a key at once."""
    if not revoke_key(svc.store, key_id[:16], actor=_who(request).actor):
        raise NotFoundError(f"no live key {key_id!r}", [Problem(("key_id",), "not found", "not_found")])
    return Response(status_code=204)


@router.get("/audit", summary="Audit rows, oldest first")
def get_audit(
    request: Request,
    svc: ServicesDep,
    case_id: str | None = Query(None, max_length=64),
    limit: int = Query(1000, ge=1, le=10_000),
) -> dict[str, Any]:
    """The audit log (reading it is audited too)."""
    from mbc import service

    service.record_event(svc, event="audit_read", actor=_who(request).actor, detail={"case": case_id})
    return {"audit": [r.__dict__ for r in svc.store.audit_rows(case_id=case_id, limit=limit)]}
