"""Helpers the note-reading tests share."""

from __future__ import annotations

from typing import Any

from mbc.model.paths import get_path as _get_path

ABSENT: Any = object()
"""What :func:`get_path` returns for a field the record does not give."""


def get_path(record: dict[str, Any], path: str) -> Any:
    """The value at a dotted path of a record read from text (``tumor.er_percent``), or
    :data:`ABSENT` when any part of the path is missing."""
    return _get_path(record, path, ABSENT)


def fhir_bundle(*resources: dict[str, Any]) -> dict[str, Any]:
    """A collection bundle of a female patient born 1970 (``Patient/p``) and ``resources``."""
    patient = {"resourceType": "Patient", "id": "p", "gender": "female", "birthDate": "1970-01-01"}
    return {"resourceType": "Bundle", "type": "collection", "entry": [{"resource": r} for r in (patient, *resources)]}


def fhir_observation(oid: str, coding: dict[str, Any], day: str, text: str | None = None, **value: Any) -> dict[str, Any]:
    """A final Observation of ``Patient/p`` with one coding (and its text), dated ``day``."""
    code: dict[str, Any] = {"coding": [coding], **({"text": text} if text else {})}
    return {
        "resourceType": "Observation",
        "id": oid,
        "status": "final",
        "code": code,
        "subject": {"reference": "Patient/p"},
        "effectiveDateTime": day,
        **value,
    }
