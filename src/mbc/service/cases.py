"""Saved cases: create, read (audited), update, delete; a case's plan and what changed."""

from __future__ import annotations

import logging
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any, Literal

from mbc.errors import Problem
from mbc.model import PatientRecord, parse_record
from mbc.service.core import AppServices, SourceKind, hash_id
from mbc.service.errors import NotFoundError
from mbc.service.planning import Planned, _audited, extract_source, make_plan
from mbc.service.store import CaseRow, PlanRow, sha256_hex

log = logging.getLogger("mbc.api")

__all__ = [
    "CaseView",
    "PlanDiff",
    "case_from_source",
    "create_case",
    "delete_case",
    "diff_plans",
    "get_case",
    "list_cases",
    "record_event",
    "show_case",
    "update_case",
]


def _label(record: PatientRecord, label: str | None) -> str:
    return (label or record.id).strip()[:200] or record.id


def create_case(
    svc: AppServices,
    data: Any,
    *,
    source_kind: SourceKind,
    actor: str,
    source_text: str | None = None,
    label: str | None = None,
    case_id: str | None = None,
) -> CaseRow:
    """Validate and save a case.

    Raises:
        RecordError: Naming every invalid field (nothing is saved).
    """
    record = parse_record(data)
    clean = record.model_dump(mode="json", exclude_none=True)
    row = svc.store.create_case(
        label=_label(record, label),
        source_kind=source_kind,
        record=clean,
        source_text=source_text,
        actor=actor,
        case_id=case_id,
    )
    log.info("case created", extra={"mbc": {"event": "case_created", "case": hash_id(svc, row.id)}})
    return row


def case_from_source(
    svc: AppServices,
    source: str | Mapping[str, Any],
    *,
    kind: Literal["fhir", "note", "auto"],
    actor: str,
    label: str | None = None,
) -> CaseRow:
    """Read a note or FHIR bundle and save the record it yields as a case.

    The same source pasted again opens the case it made before (its id is derived from the
    source's hash) instead of making a duplicate; the repeat is audited.
    """
    import json

    text = source if isinstance(source, str) else json.dumps(source, sort_keys=True)
    derived = "src-" + sha256_hex(text)[:12]
    case_id: str | None = derived
    existing = svc.store.get_case(derived)
    if existing is not None:
        record_event(svc, event="source_repeated", actor=actor, case_id=existing.id, detail={})
        return existing
    extraction = extract_source(source, kind=kind, as_of=svc.today())
    if svc.store.case_exists(derived):  # a deleted case made from this source: a fresh id
        case_id = None
    # The record with its provenance (where each fact came from, its certainty) is kept with
    # the case so the clinician can check what was read (issue 11).
    return create_case(
        svc,
        extraction.to_json(),
        source_kind=extraction.kind,
        actor=actor,
        source_text=text,
        label=label,
        case_id=case_id,
    )


def get_case(svc: AppServices, case_id: str, *, actor: str | None = None) -> CaseRow:
    """A case, or :class:`NotFoundError`; with ``actor``, the read is audited (``case_read``)."""
    row = svc.store.get_case(case_id)
    if row is None:
        raise NotFoundError(f"no case {case_id!r}", [Problem(("case_id",), "not found", "not_found")])
    if actor is not None:
        record_event(svc, event="case_read", actor=actor, case_id=case_id, detail={})
    return row


def list_cases(
    svc: AppServices, *, limit: int = 200, offset: int = 0, actor: str | None = None
) -> list[CaseRow]:
    """Saved cases, newest first; with ``actor``, the read is audited (``cases_listed``)."""
    rows = svc.store.list_cases(limit=limit, offset=offset)
    if actor is not None:
        record_event(svc, event="cases_listed", actor=actor, detail={"n": len(rows), "offset": offset})
    return rows


def update_case(
    svc: AppServices, case_id: str, data: Any, *, actor: str, label: str | None = None
) -> CaseRow:
    """Replace a case's record (validated first)."""
    record = parse_record(data)
    row = svc.store.update_case(
        case_id, record=record.model_dump(mode="json", exclude_none=True), label=label, actor=actor
    )
    if row is None:
        raise NotFoundError(f"no case {case_id!r}", [Problem(("case_id",), "not found", "not_found")])
    return row


def delete_case(svc: AppServices, case_id: str, *, actor: str) -> None:
    """Delete a case (soft: its plans and audit rows are kept)."""
    if not svc.store.delete_case(case_id, actor=actor):
        raise NotFoundError(f"no case {case_id!r}", [Problem(("case_id",), "not found", "not_found")])


@dataclass(frozen=True)
class PlanDiff:
    """What changed in a case's plan between a stored plan and a fresh one."""

    old_kb_version: str
    new_kb_version: str
    old_engine_version: str
    new_engine_version: str
    added: dict[str, list[str]]
    removed: dict[str, list[str]]
    changed: dict[str, list[str]]

    @property
    def empty(self) -> bool:
        """True when nothing the clinician sees changed."""
        return (
            not any(self.added.values()) and not any(self.removed.values()) and not any(self.changed.values())
        )


def _keyed(section: str, items: Iterable[Mapping[str, Any]]) -> dict[str, tuple[str, str]]:
    """section item -> (key, label, signature) for comparison."""
    out: dict[str, tuple[str, str]] = {}
    for it in items:
        if section == "options":
            key = str(it.get("regimen") or it.get("id"))
            label = str(it.get("name") or key)
            sig = f"{it.get('category')}"
        elif section == "not_recommended":
            key = str(it.get("regimen") or "+".join(it.get("drugs", [])))
            label = str(it.get("name") or ", ".join(it.get("drugs", [])) or key)
            sig = f"{it.get('kind')}|{it.get('reason')}"
        else:  # alerts
            key = str(it.get("code"))
            label = str(it.get("message") or key)
            sig = f"{it.get('severity')}|{','.join(it.get('drugs', []))}"
        out[key] = (label, sig)
    return out


def diff_plans(old: Mapping[str, Any], new: Mapping[str, Any]) -> PlanDiff:
    """Compare two plans (JSON form) on options, not_recommended and alerts.

    Args:
        old: The stored plan.
        new: The fresh plan.

    Returns:
        Per section, the labels of items added, removed and changed (category, reason or
        severity).
    """
    added: dict[str, list[str]] = {}
    removed: dict[str, list[str]] = {}
    changed: dict[str, list[str]] = {}
    for section in ("options", "not_recommended", "alerts"):
        a = _keyed(section, old.get(section, []))
        b = _keyed(section, new.get(section, []))
        added[section] = [b[k][0] for k in b if k not in a]
        removed[section] = [a[k][0] for k in a if k not in b]
        changed[section] = [f"{b[k][0]} ({a[k][1]} → {b[k][1]})" for k in b if k in a and a[k][1] != b[k][1]]
    return PlanDiff(
        old_kb_version=str(old.get("kb_version")),
        new_kb_version=str(new.get("kb_version")),
        old_engine_version=str(old.get("engine_version")),
        new_engine_version=str(new.get("engine_version")),
        added=added,
        removed=removed,
        changed=changed,
    )


@dataclass(frozen=True)
class CaseView:
    """A case with its fresh plan and, if the KB changed since, what changed."""

    case: CaseRow
    planned: Planned
    previous: PlanRow | None
    diff: PlanDiff | None


def show_case(
    svc: AppServices,
    case_id: str,
    *,
    actor: str,
    event: Literal["plan_shown", "plan_exported"] = "plan_shown",
    detail: Mapping[str, Any] | None = None,
) -> CaseView:
    """Plan a saved case, store and audit the plan, and diff it with the last stored plan
    made under another KB or engine version.

    Args:
        svc: The services.
        case_id: The case.
        actor: Who looks.
        event: ``plan_shown`` (a page or API read) or ``plan_exported`` (print / PDF).
        detail: Extra audit detail (e.g. the view and format).

    Returns:
        The case view.
    """
    case = get_case(svc, case_id)
    planned = make_plan(svc, case.record)
    history = svc.store.plans_of(case_id)
    previous = next(
        (
            p
            for p in reversed(history)
            if (p.kb_version, p.engine_version) != (planned.plan.kb_version, planned.plan.engine_version)
        ),
        None,
    )
    diff = diff_plans(previous.plan, planned.plan.to_json()) if previous is not None else None
    audited = _audited(svc, planned, case_id=case_id, event=event, actor=actor, detail=detail)
    return CaseView(case=case, planned=audited, previous=previous, diff=diff)


def record_event(
    svc: AppServices, *, event: str, actor: str, detail: Mapping[str, Any], case_id: str | None = None
) -> int:
    """Append a free-standing audit event (e.g. CDS Hooks feedback); return its id."""
    with svc.store.write() as conn:
        return svc.store.append_audit(
            conn, event_name=event, actor=actor, case_id=case_id, kb_version=svc.kb.version, detail=detail
        )
