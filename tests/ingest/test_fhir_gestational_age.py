"""Gestational age from FHIR (issue 10, session 6): LOINC 11884-4 / 49051-6 / 18185-9 fill
``pregnancy_weeks`` with completed weeks, so the trimester rules decide (the blind4 bundle h04 was
read as pregnant without its 22+3 weeks and got AC / EC only 'in certain circumstances')."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from mbc.ingest import extract

from ._helpers import fhir_bundle

pytestmark = pytest.mark.filterwarnings("ignore::UserWarning")

AS_OF = dt.date(2026, 11, 20)


def _ga(code: str, value: float, unit: str) -> dict[str, Any]:
    return {
        "resourceType": "Observation",
        "id": "ga",
        "status": "final",
        "code": {"coding": [{"system": "http://loinc.org", "code": code}]},
        "subject": {"reference": "Patient/p"},
        "effectiveDateTime": "2026-11-13",
        "valueQuantity": {"value": value, "unit": unit, "system": "http://unitsofmeasure.org", "code": unit},
    }


def _preg() -> dict[str, Any]:
    return {
        "resourceType": "Observation",
        "id": "ps",
        "status": "final",
        "code": {"coding": [{"system": "http://loinc.org", "code": "82810-3"}]},
        "subject": {"reference": "Patient/p"},
        "effectiveDateTime": "2026-11-13",
        "valueCodeableConcept": {"coding": [{"system": "http://loinc.org", "code": "LA15173-0"}]},
    }


@pytest.mark.parametrize(
    ("code", "value", "unit", "want"),
    [("11884-4", 22.4, "wk", 22), ("49051-6", 13.9, "wk", 13), ("18185-9", 140, "d", 20)],
)
def test_gestational_age_in_completed_weeks(code: str, value: float, unit: str, want: int) -> None:
    ex = extract(fhir_bundle(_preg(), _ga(code, value, unit)), as_of=AS_OF)
    assert ex.record.get("pregnant") is True
    assert ex.record.get("pregnancy_weeks") == want
