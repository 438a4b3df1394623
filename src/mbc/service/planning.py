"""Planning: validate a record, plan it (cached), store and audit the plan."""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Mapping
from dataclasses import dataclass, replace
from typing import Any, Literal

from mbc.engine import ENGINE_VERSION
from mbc.engine import plan as engine_plan
from mbc.errors import Problem
from mbc.model import PatientRecord, parse_record
from mbc.model.plan import Plan
from mbc.service.core import AppServices, hash_id
from mbc.service.errors import ApiError, UnavailableError
from mbc.service.store import sha256_hex

log = logging.getLogger("mbc.api")

__all__ = ["Planned", "check_note_size", "extract_source", "make_plan", "plan_record", "plan_source"]


@dataclass(frozen=True)
class Planned:
    """A plan with what it was made from."""

    plan: Plan
    record: PatientRecord
    input_hash: str
    plan_json: str  # the plan's JSON text, computed once per cached plan
    plan_id: int | None = None
    audit_id: int | None = None


def _input_hash(record: PatientRecord) -> str:
    return sha256_hex(record.model_dump(mode="json", exclude_none=True))


def make_plan(
    svc: AppServices, data: Any, *, as_of: dt.date | None = None, region: str = "US"
) -> Planned:
    """Validate a record and make its plan (cached; no store access).

    Args:
        svc: The services.
        data: The decoded record.
        as_of: Plan date; default the record's ``as_of``, else today.

    Returns:
        The plan.

    Raises:
        RecordError: Naming every invalid field.
    """
    record = parse_record(data)
    when = as_of or record.as_of or svc.today()
    digest = _input_hash(record)
    key = (digest, when.isoformat(), svc.kb.version, ENGINE_VERSION, region)
    cached = svc.cache.get(key)
    if cached is None:
        made = engine_plan(record, svc.kb, as_of=when, region=region)
        if svc.trials is not None:
            made = _with_trials(svc, made, record, when)
        cached = (made, made.model_dump_json())
        svc.cache.put(key, cached)
    return Planned(plan=cached[0], record=record, input_hash=digest, plan_json=cached[1])


def _with_trials(svc: AppServices, made: Plan, record: PatientRecord, when: dt.date) -> Plan:
    """The plan with its trials section filled by the shared matcher (the 20 best, no
    excluded trial), streamed from the registry: only the trials shown are built."""
    from mbc.trials import match_registry  # noqa: PLC0415 - optional, only with a registry

    with svc.trials_lock:
        matches = match_registry(svc.trials, record, kb=svc.kb, as_of=when, limit=20)
    return made.model_copy(update={"trials": [m.to_dict() for m in matches]})


def _audited(
    svc: AppServices,
    planned: Planned,
    *,
    case_id: str | None,
    event: str,
    actor: str,
    detail: Mapping[str, Any] | None = None,
    store_plan: bool = True,
) -> Planned:
    """Store the plan (unless ``store_plan`` is false) and append its audit row, which
    carries the plan's SHA-256, in one transaction."""
    p = planned.plan
    plan_hash = sha256_hex(planned.plan_json)
    with svc.store.write() as conn:
        plan_id = (
            svc.store.save_plan(
                conn,
                case_id=case_id,
                input_hash=planned.input_hash,
                kb_version=p.kb_version,
                engine_version=p.engine_version,
                as_of=p.as_of.isoformat(),
                plan_json=planned.plan_json,
            )
            if store_plan
            else None
        )
        audit_id = svc.store.append_audit(
            conn,
            event_name=event,
            actor=actor,
            case_id=case_id,
            plan_id=plan_id,
            input_hash=planned.input_hash,
            kb_version=p.kb_version,
            detail={"engine_version": p.engine_version, "plan_sha256": plan_hash, **(detail or {})},
        )
    log.info(
        "plan %s",
        event,
        extra={
            "mbc": {
                "event": event,
                "case": hash_id(svc, case_id),
                "patient": hash_id(svc, p.patient_id),
                "kb_version": p.kb_version,
                "engine_version": p.engine_version,
                "plan_id": plan_id,
                "options": len(p.options),
                "alerts": len(p.alerts),
            }
        },
    )
    return replace(planned, plan_id=plan_id, audit_id=audit_id)


def plan_record(
    svc: AppServices,
    data: Any,
    *,
    actor: str,
    as_of: dt.date | None = None,
    save: bool = False,
    region: str = "US",
) -> Planned:
    """Plan one record and audit it as shown (``POST /v1/plan``).

    Args:
        svc: The services.
        data: The decoded record.
        actor: Who asked (``session:<sub>``, ``api_key:<id>``, ``cds:<issuer>`` ...).
        as_of: Plan date override.
        save: Store the plan itself (default: the audit row keeps only its hash).
        region: ``US`` or ``EU`` (the regulator whose labels the options follow).

    Returns:
        The plan, with its audit id (and stored plan id when saved).
    """
    return _audited(
        svc,
        make_plan(svc, data, as_of=as_of, region=region),
        case_id=None,
        event="plan_shown",
        actor=actor,
        store_plan=save,
    )


def check_note_size(svc: AppServices, text: str) -> None:
    """Refuse a note or pasted source over ``max_note_chars`` (413, before any reading)."""
    limit = svc.settings.max_note_chars
    if len(text) > limit:
        raise ApiError(
            f"the text is too long ({len(text)} characters; the limit is {limit})",
            [Problem(("text",), f"at most {limit} characters", "too_long")],
            status=413,
        )


def extract_source(
    source: str | bytes | Mapping[str, Any],
    *,
    kind: Literal["fhir", "note", "auto"],
    as_of: dt.date | None = None,
) -> Any:
    """Read a FHIR bundle or a note into an ``Extraction`` (lazy import of :mod:`mbc.ingest`).

    Raises:
        UnavailableError: When the readers are not installed (HTTP 501).
        IngestError: When the source cannot be read (HTTP 422).
    """
    try:
        from mbc.ingest import extract
    except ImportError as exc:
        raise UnavailableError(
            "reading FHIR bundles and notes is not available in this installation",
            [Problem(("kind",), str(exc), "unavailable")],
        ) from None
    return extract(source, kind=kind, as_of=as_of)


def plan_source(
    svc: AppServices,
    source: str | Mapping[str, Any],
    *,
    kind: Literal["fhir", "note", "auto"],
    actor: str,
    as_of: dt.date | None = None,
) -> tuple[Any, Planned]:
    """Read a source, then plan and audit the record it yields.

    Returns:
        ``(extraction, planned)``.
    """
    extraction = extract_source(source, kind=kind, as_of=as_of or svc.today())
    planned = make_plan(svc, extraction.record, as_of=as_of)
    return extraction, _audited(
        svc, planned, case_id=None, event="plan_shown", actor=actor, detail={"source": extraction.kind}
    )
