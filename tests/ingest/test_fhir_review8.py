"""Review 8 of the FHIR reader (our own bundles, built with the shared builders)."""

from __future__ import annotations

import datetime as dt

import pytest

from ._fhir_builders import LOINC, read
from .test_fhir_session8 import bone, lines, med, obs


@pytest.mark.parametrize("said", ["Non-CR/Non-PD", "Non-progressive disease", "Non-progression",
                                  "PD-L1 not assessed; stable disease"])  # fmt: skip
def test_a_disease_status_saying_no_progression_does_not_end_the_line_at_progression(said: str) -> None:
    # RECIST "Non-CR/Non-PD" is not progression: read as one, the drug would be recorded as
    # failed (stop reason progression) and not offered again
    status = obs("ds", "97509-4", "2024-08-01", valueCodeableConcept={"text": said})
    cape = med("c", "capecitabine", "2024-02-01", "2024-08-01")
    assert "stop_reason" not in lines(bone(), cape, status)[0]


def test_a_disease_status_saying_progression_still_ends_the_line_at_progression() -> None:
    cape = med("c", "capecitabine", "2024-02-01", "2024-08-01")
    for said in (
        "PD per RECIST",
        "Progressive disease",
        "Non-target lesions stable; new lesions in the liver",
    ):
        status = obs("ds", "97509-4", "2024-08-01", valueCodeableConcept={"text": said})
        assert lines(bone(), cape, status)[0]["stop_reason"] == "progression", said


def _conclusion(said: str) -> dict[str, object]:
    return {"resourceType": "DiagnosticReport", "id": "g", "status": "final",
            "code": {"coding": [{"system": LOINC, "code": "81247-9"}]}, "subject": {"reference": "Patient/p"},
            "effectiveDateTime": "2026-09-01", "conclusion": said}  # fmt: skip


def test_a_relatives_variant_in_a_conclusion_is_not_the_patients() -> None:
    # read as hers, a relative's BRCA1 variant would make her a germline carrier (a PARP inhibitor offered)
    rec = read(
        dt.date(2026, 10, 1), _conclusion("Mother carries BRCA1 pathogenic variant; patient tested negative.")
    )
    assert not any("BRCA1" in str(v) for v in (rec.get("germline") or []) + (rec.get("somatic") or []))
    rec = read(dt.date(2026, 10, 1), _conclusion("Tumour tissue: PIK3CA E545K detected."))
    assert rec["somatic"] == ["PIK3CA E545K"]  # the patient's own finding is still read
