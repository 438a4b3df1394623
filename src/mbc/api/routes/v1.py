"""REST API ``/v1``: plan a record, a FHIR bundle or a note; cases; rules.

Handlers parse the body, call one service function and map the result. Bodies are read as
raw JSON and validated by :func:`mbc.model.parse_record`, so a 422 names every bad field at
once, with the nearest known key for a misspelt one.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Query, Request, Response
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field

from mbc import service
from mbc.api.auth.principal import Admin, Clinician, Viewer
from mbc.api.deps import ServicesDep
from mbc.api.errors import ApiError, ErrorEnvelope
from mbc.api.limits import BadJson, loads_bounded
from mbc.errors import Problem
from mbc.model.plan import Plan
from mbc.service.store import CaseRow

__all__ = ["router"]

router = APIRouter(prefix="/v1", tags=["v1"])

_ERRORS: dict[int | str, dict[str, Any]] = {
    code: {"model": ErrorEnvelope, "description": desc}
    for code, desc in (
        (401, "Sign-in required"),
        (403, "The role does not allow this"),
        (404, "Not found"),
        (413, "Request body too large"),
        (422, "Invalid input: every problem, each with its location"),
        (500, "Internal error"),
    )
}


AsOfQuery = Annotated[
    dt.date | None, Query(description="Plan date (default: the record's as_of, else today).")
]
RegionQuery = Annotated[
    Literal["US", "EU"],
    Query(description="Regulatory region: label-based options follow the FDA (US) or EMA (EU)."),
]


def _record_body(schema_ref: str = "#/components/schemas/PatientRecordIn") -> dict[str, Any]:
    return {
        "requestBody": {"required": True, "content": {"application/json": {"schema": {"$ref": schema_ref}}}}
    }


async def _json(request: Request) -> Any:
    """The JSON body, decoded once with bounds (:class:`mbc.api.limits.JsonGuard`).

    A body must be sent as ``application/json``: a cross-site form cannot send that
    without a CORS preflight, so a JSON route cannot be driven by another site's form.
    """
    raw = await request.body()
    if not raw.strip():
        raise ApiError(
            "request body is empty", [Problem((), "a JSON body is required", "missing")], status=422
        )
    if "json" not in request.headers.get("content-type", "").lower():
        raise ApiError(
            "send the body as application/json",
            [Problem(("content-type",), "expected application/json", "unsupported_media_type")],
            status=415,
        )
    if "mbc.json" in request.scope:
        return request.scope["mbc.json"]
    try:
        return loads_bounded(raw, max_depth=request.app.state.services.settings.max_json_depth)
    except BadJson as exc:
        raise ApiError("request body is not valid JSON", [exc.problem], status=422) from None


def _object(data: Any, what: str) -> dict[str, Any]:
    if not isinstance(data, dict):
        raise ApiError(
            f"{what} must be a JSON object",
            [Problem((), f"expected an object, got {type(data).__name__}", "type_error")],
            status=422,
        )
    return data


def _plan_response(planned: service.Planned, extra: dict[str, Any] | None = None) -> Response:
    headers = {"X-MBC-Input-Hash": planned.input_hash}
    if planned.plan_id is not None:
        headers["X-MBC-Plan-Id"] = str(planned.plan_id)
    if planned.audit_id is not None:
        headers["X-MBC-Audit-Id"] = str(planned.audit_id)
    if extra is None:
        return Response(planned.plan_json, media_type="application/json", headers=headers)
    return JSONResponse({**extra, "plan": planned.plan.to_json()}, headers=headers)


class Ping(BaseModel):
    """A trivial answer (the benchmark's floor)."""

    ok: bool = True


class Health(BaseModel):
    """Versions of what is running."""

    ok: bool = True
    kb_version: str
    engine_version: str
    cases: int


class CaseOut(BaseModel):
    """A saved case."""

    id: str
    label: str
    source_kind: str = Field(description="form | note | fhir | json | example")
    record: dict[str, Any]
    created_at: str
    updated_at: str
    links: dict[str, str] = Field(default_factory=dict)


class CaseList(BaseModel):
    """Saved cases."""

    cases: list[CaseOut]


class CaseIn(BaseModel):
    """A case to save: a contract record, with an optional display label."""

    record: dict[str, Any] = Field(description="A contract-v1 patient record.")
    label: str | None = Field(None, max_length=200)


class NoteIn(BaseModel):
    """A free-text note (or a clinician's question)."""

    text: str = Field(min_length=1, description="The note text (at most MBC_MAX_NOTE_CHARS).")


class Extracted(BaseModel):
    """A plan made from a FHIR bundle or a note, with the record read from it."""

    record: dict[str, Any]
    unread: list[dict[str, Any]]
    kind: str
    plan: Plan


def _case_out(row: CaseRow) -> dict[str, Any]:
    return {
        "id": row.id,
        "label": row.label,
        "source_kind": row.source_kind,
        "record": row.record,
        "created_at": row.created_at,
        "updated_at": row.updated_at,
        "links": {
            "self": f"/v1/cases/{row.id}",
            "plan": f"/v1/cases/{row.id}/plan",
            "page": f"/cases/{row.id}",
        },
    }


@router.get("/ping", response_model=Ping, summary="Trivial endpoint (latency floor)")
async def ping() -> dict[str, bool]:
    """Answer at once; touches nothing."""
    return {"ok": True}


@router.get("/health", response_model=Health, summary="Versions and store status")
def health(svc: ServicesDep, _who: Viewer) -> dict[str, Any]:
    """KB and engine versions; number of saved cases."""
    from mbc.engine import ENGINE_VERSION

    return {
        "ok": True,
        "kb_version": svc.kb.version,
        "engine_version": ENGINE_VERSION,
        "cases": svc.store.count_cases(),
    }


@router.post(
    "/plan",
    summary="Plan one patient record",
    responses={200: {"model": Plan}, **_ERRORS},
    openapi_extra=_record_body(),
)
async def post_plan(
    request: Request,
    svc: ServicesDep,
    who: Clinician,
    as_of: AsOfQuery = None,
    save: bool = Query(False, description="Store the plan (default: only its hash, in the audit row)."),
    region: RegionQuery = "US",
) -> Response:
    """Validate a contract-v1 record and return its plan (contract §3). Audited with the
    plan's hash; the plan itself is stored only with ``?save=true``."""
    data = _object(await _json(request), "a patient record")
    planned = await run_in_threadpool(
        service.plan_record, svc, data, actor=who.actor, as_of=as_of, save=save, region=region
    )
    return _plan_response(planned)


@router.post(
    "/plan/fhir",
    summary="Plan from a FHIR R4 / mCODE bundle",
    responses={200: {"model": Extracted}, 501: {"model": ErrorEnvelope}, **_ERRORS},
    openapi_extra={
        "requestBody": {
            "required": True,
            "content": {
                "application/json": {
                    "schema": {
                        "type": "object",
                        "required": ["resourceType"],
                        "properties": {
                            "resourceType": {"type": "string", "enum": ["Bundle"]},
                            "entry": {"type": "array", "items": {"type": "object"}},
                        },
                    }
                }
            },
        }
    },
)
async def post_plan_fhir(request: Request, svc: ServicesDep, who: Clinician) -> Response:
    """Read a FHIR bundle into a record, then plan it."""
    data = _object(await _json(request), "a FHIR bundle")
    extraction, planned = await run_in_threadpool(
        service.plan_source, svc, data, kind="fhir", actor=who.actor
    )
    return _plan_response(
        planned, {"record": extraction.record, "unread": extraction.unread, "kind": extraction.kind}
    )


@router.post(
    "/plan/note",
    summary="Plan from a free-text note",
    responses={200: {"model": Extracted}, 501: {"model": ErrorEnvelope}, **_ERRORS},
)
async def post_plan_note(body: NoteIn, svc: ServicesDep, who: Clinician) -> Response:
    """Read a note (or a clinician's question) into a record, then plan it."""
    service.check_note_size(svc, body.text)
    extraction, planned = await run_in_threadpool(
        service.plan_source, svc, body.text, kind="note", actor=who.actor
    )
    return _plan_response(
        planned, {"record": extraction.record, "unread": extraction.unread, "kind": extraction.kind}
    )


@router.get("/cases", response_model=CaseList, summary="List saved cases", responses=_ERRORS)
def list_cases(
    svc: ServicesDep,
    who: Viewer,
    limit: int = Query(100, ge=1, le=1000),
    offset: int = Query(0, ge=0, le=2**31 - 1),  # bounded: SQLite integers are 64-bit
) -> dict[str, Any]:
    """Saved cases, newest first (the read is audited)."""
    rows = service.list_cases(svc, limit=limit, offset=offset, actor=who.actor)
    return {"cases": [_case_out(c) for c in rows]}


@router.post("/cases", response_model=CaseOut, status_code=201, summary="Save a case", responses=_ERRORS)
def create_case(body: CaseIn, svc: ServicesDep, who: Clinician) -> dict[str, Any]:
    """Validate and save a record as a case."""
    return _case_out(
        service.create_case(svc, body.record, source_kind="json", actor=who.actor, label=body.label)
    )


@router.get("/cases/{case_id}", response_model=CaseOut, summary="One saved case", responses=_ERRORS)
def get_case(case_id: str, svc: ServicesDep, who: Viewer) -> dict[str, Any]:
    """A saved case (its record and source); the read is audited."""
    return _case_out(service.get_case(svc, case_id, actor=who.actor))


@router.put("/cases/{case_id}", response_model=CaseOut, summary="Replace a case's record", responses=_ERRORS)
def put_case(case_id: str, body: CaseIn, svc: ServicesDep, who: Clinician) -> dict[str, Any]:
    """Replace the record (validated first)."""
    return _case_out(service.update_case(svc, case_id, body.record, actor=who.actor, label=body.label))


@router.delete("/cases/{case_id}", status_code=204, summary="Delete a case", responses=_ERRORS)
def delete_case(case_id: str, svc: ServicesDep, who: Admin) -> Response:
    """Delete a case (admin); its stored plans and audit rows are kept."""
    service.delete_case(svc, case_id, actor=who.actor)
    return Response(status_code=204)


@router.get(
    "/cases/{case_id}/plan",
    summary="The plan of a saved case (audited)",
    responses={200: {"model": Plan}, **_ERRORS},
)
def get_case_plan(case_id: str, svc: ServicesDep, who: Viewer) -> Response:
    """Plan the case now; headers give the stored plan id and audit id. When the KB changed
    since an earlier stored plan, ``X-MBC-Changed-Since`` names that KB version."""
    view = service.show_case(svc, case_id, actor=who.actor)
    resp = _plan_response(view.planned)
    if view.diff is not None:
        resp.headers["X-MBC-Changed-Since"] = view.diff.old_kb_version
    return resp


@router.get("/rules/{rule_id}", summary="A rule with its citations", responses=_ERRORS)
def get_rule(rule_id: str, svc: ServicesDep, _who: Viewer) -> dict[str, Any]:
    """A decision or safety rule: its condition, actions, evidence and resolved citations."""
    return service.get_rule(svc, rule_id)
