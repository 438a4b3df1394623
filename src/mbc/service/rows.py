"""The rows the store returns (plain frozen dataclasses) and their converters."""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

__all__ = ["AuditRow", "CaseRow", "PlanRow"]


@dataclass(frozen=True)
class CaseRow:
    """A saved case."""

    id: str
    label: str
    source_kind: str
    source_text: str | None
    record: dict[str, Any]
    created_at: str
    updated_at: str


@dataclass(frozen=True)
class PlanRow:
    """A stored plan."""

    id: int
    case_id: str | None
    input_hash: str
    kb_version: str
    engine_version: str
    as_of: str
    plan: dict[str, Any]
    created_at: str


@dataclass(frozen=True)
class AuditRow:
    """One audit event."""

    id: int
    ts: str
    event: str
    case_id: str | None
    plan_id: int | None
    input_hash: str | None
    kb_version: str | None
    actor: str
    detail: dict[str, Any]
    digest: str


def _case_row(m: Mapping[str, Any]) -> CaseRow:
    return CaseRow(
        id=m["id"],
        label=m["label"],
        source_kind=m["source_kind"],
        source_text=m["source_text"],
        record=json.loads(m["record_json"]),
        created_at=m["created_at"],
        updated_at=m["updated_at"],
    )


def _plan_row(m: Mapping[str, Any]) -> PlanRow:
    return PlanRow(
        id=m["id"],
        case_id=m["case_id"],
        input_hash=m["input_hash"],
        kb_version=m["kb_version"],
        engine_version=m["engine_version"],
        as_of=m["as_of"],
        plan=json.loads(m["plan_json"]),
        created_at=m["created_at"],
    )


def _audit_row(m: Mapping[str, Any]) -> AuditRow:
    return AuditRow(
        id=m["id"],
        ts=m["ts"],
        event=m["event"],
        case_id=m["case_id"],
        plan_id=m["plan_id"],
        input_hash=m["input_hash"],
        kb_version=m["kb_version"],
        actor=m["actor"],
        detail=json.loads(m["detail"]),
        digest=m["digest"],
    )
