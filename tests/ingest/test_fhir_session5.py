"""Issue 11, session 5: FHIR idioms of other producers (our own small bundles)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from mbc.ingest import extract

pytestmark = pytest.mark.filterwarnings("ignore::UserWarning")
AS_OF = dt.date(2026, 11, 1)
LOCAL = "urn:oid:1.2.840.114350.1.13.0.1.7.2.768282"


def _bundle(*resources: dict[str, Any]) -> dict[str, Any]:
    patient = {"resourceType": "Patient", "id": "p", "gender": "female", "birthDate": "1970-01-01"}
    return {"resourceType": "Bundle", "type": "collection", "entry": [{"resource": r} for r in (patient, *resources)]}


def _local_obs(oid: str, name: str, day: str, **value: Any) -> dict[str, Any]:
    """An observation known only by a local code and its words (no LOINC beside it)."""
    return {
        "resourceType": "Observation",
        "id": oid,
        "status": "final",
        "code": {"coding": [{"system": LOCAL, "code": "LAB" + oid, "display": name}], "text": name},
        "subject": {"reference": "Patient/p"},
        "effectiveDateTime": day,
        **value,
    }


@pytest.mark.parametrize(
    ("name", "value", "path", "want"),
    [
        ("Karnofsky performance status", {"valueInteger": 60}, "ecog", 2),
        ("Estrogen receptor IHC", {"valueString": "<1%"}, "tumor.er_percent", 0),
        ("HER2 FISH ratio", {"valueQuantity": {"value": 1.3, "unit": "ratio"}}, "tumor.her2_ish", "not_amplified"),
    ],
)
def test_read_by_name_with_a_derived_value(name: str, value: dict[str, Any], path: str, want: Any) -> None:
    """A reader that derives its value (and says so) through the by-name fallback: read, not a
    TypeError (two certainty words met in one provenance)."""
    ex = extract(_bundle(_local_obs("1", name, "2026-09-01", **value)), as_of=AS_OF)
    got: Any = ex.record
    for key in path.split("."):
        got = got[key]
    assert got == want
    prov = ex.provenance[path]
    assert prov["certainty"] == "inferred"
    assert prov["rule"] == "fhir.observation.by_name"
    assert prov.get("derived")
