"""The rows the store returns (plain frozen dataclasses) and their converters."""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, fields
from typing import Any, TypeVar

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


_R = TypeVar("_R")


def _row(cls: type[_R], m: Mapping[str, Any], json_columns: Mapping[str, str]) -> _R:
    """A row object from a database mapping: each field from the column of its name, and
    the fields in ``json_columns`` (field -> column) decoded from JSON."""
    values = {
        f.name: json.loads(m[json_columns[f.name]]) if f.name in json_columns else m[f.name]
        for f in fields(cls)  # type: ignore[arg-type]
    }
    return cls(**values)


def _case_row(m: Mapping[str, Any]) -> CaseRow:
    return _row(CaseRow, m, {"record": "record_json"})


def _plan_row(m: Mapping[str, Any]) -> PlanRow:
    return _row(PlanRow, m, {"plan": "plan_json"})


def _audit_row(m: Mapping[str, Any]) -> AuditRow:
    return _row(AuditRow, m, {"detail": "detail"})
