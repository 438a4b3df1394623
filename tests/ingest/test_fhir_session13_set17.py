"""Session 13, classes of error found on FHIR set 17, in small bundles of our own (none copied
from the set): a local lab whose name holds another lab's words ("... ideal body weight") read
by the fallback its unit fits; an administrations-only export whose diagnoses are only the
administrations' reason codes; a dose whose note says the treatment before it progressed."""

from __future__ import annotations

import datetime as dt
from typing import Any

from ._fhir_builders import ICD, condition, read

AS_OF = dt.date(2026, 11, 30)
BREAST = {"coding": [{"system": ICD, "code": "C50.411", "display": "Malignant neoplasm of upper-outer quadrant of right female breast"}]}


def lab(oid: str, name: str, value: float, unit: str) -> dict[str, Any]:
    code = {"coding": [{"system": "https://lab.example.net/codes", "code": "L" + oid, "display": name}], "text": name}
    return {"resourceType": "Observation", "id": oid, "status": "final", "code": code,
            "subject": {"reference": "Patient/p"}, "effectiveDateTime": "2026-11-25",
            "valueQuantity": {"value": value, "unit": unit}}  # fmt: skip


def dose(mid: str, drug: str, day: str, status: str = "completed", **more: Any) -> dict[str, Any]:
    return {"resourceType": "MedicationAdministration", "id": mid, "status": status,
            "medicationCodeableConcept": {"text": drug}, "subject": {"reference": "Patient/p"},
            "effectiveDateTime": day, **more}  # fmt: skip


def reasons(*items: tuple[str, str] | str) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    for item in items:
        if isinstance(item, str):
            out.append({"text": item})
        else:
            out.append({"coding": [{"system": ICD, "code": item[0], "display": item[1]}]})
    return out


# --- a lab named with another lab's words: its unit decides -------------------------------------


def test_a_clearance_named_with_body_weight_words_is_a_clearance_not_a_weight() -> None:
    rec = read(AS_OF, lab("cl", "Est. creatinine clearance, Cockcroft-Gault using ideal body weight", 52, "mL/min"))
    assert rec["labs"]["creatinine_clearance_ml_min"] == 52
    assert "weight_kg" not in rec


def test_a_body_weight_in_kg_is_still_a_weight() -> None:
    rec = read(AS_OF, lab("bw", "Body weight (measured)", 63.4, "kg"))
    assert rec["weight_kg"] == 63.4


# --- an administrations-only export: the reasons are the diagnoses -------------------------------

REASONS = reasons(
    ("C50.911", "Malignant neoplasm of unspecified site of right female breast"),
    ("Z17.0", "Estrogen receptor positive status [ER+]"),
    ("C78.01", "Secondary malignant neoplasm of right lung"),
    "Breast carcinoma, HER2 negative (IHC 1+)",
)


def test_reason_codes_of_an_administrations_only_export_give_sites_and_receptors() -> None:
    rec = read(AS_OF, dose("a1", "paclitaxel", "2026-03-04", reasonCode=REASONS),
               dose("a2", "paclitaxel", "2026-03-11", reasonCode=REASONS))  # fmt: skip
    assert rec["metastases"]["sites"] == ["lung"]
    assert rec["tumor"]["er_status"] == "positive"
    assert rec["tumor"]["her2_ihc"] == "1+"
    assert "metastatic_diagnosis_date" not in rec  # the day of a dose is not the day of a diagnosis


def test_reason_codes_are_not_read_when_the_bundle_gives_its_conditions() -> None:
    primary = condition("c1", BREAST, "2022-05-01")
    rec = read(AS_OF, primary, dose("a1", "paclitaxel", "2026-03-04", reasonCode=REASONS))
    assert "lung" not in (rec.get("metastases") or {}).get("sites", [])


def test_reason_codes_of_a_dose_entered_in_error_are_not_read() -> None:
    rec = read(AS_OF, dose("a1", "paclitaxel", "2026-03-04", status="entered-in-error", reasonCode=REASONS))
    assert "lung" not in (rec.get("metastases") or {}).get("sites", [])


# --- a dose whose note says the line before it progressed ----------------------------------------


def _lines(note: str) -> list[dict[str, Any]]:
    first = [dose(f"e{i}", "eribulin", day) for i, day in enumerate(["2025-05-06", "2025-05-13", "2025-05-27", "2025-06-03"])]
    then = dose("v1", "vinorelbine", "2025-07-01", note=[{"text": note}])
    more = dose("v2", "vinorelbine", "2025-07-08")
    return read(AS_OF, *first, then, more)["prior_therapies"]


def test_a_note_saying_the_disease_progressed_on_the_last_treatment_ends_that_line() -> None:
    lines = _lines("Starting vinorelbine today: PD on eribulin per restaging MRI 2025-06-20")
    eribulin = next(t for t in lines if t["drugs"] == ["eribulin"])
    assert eribulin["stop_reason"] == "progression"
    assert eribulin["end"][:7] == "2025-06"


def test_a_note_denying_progression_does_not_end_the_line_by_progression() -> None:
    lines = _lines("Switched for neuropathy; no progression on eribulin at restaging")
    eribulin = next(t for t in lines if t["drugs"] == ["eribulin"])
    assert eribulin.get("stop_reason") != "progression"


# --- a measure written in a dose's note ----------------------------------------------------------


def test_the_newest_ejection_fraction_in_dose_notes_is_read() -> None:
    old = dose("t1", "trastuzumab", "2025-01-15", note=[{"text": "Cardiac echo 2025-01-10 showed LVEF 61%, proceed"}])
    new = dose("t2", "trastuzumab", "2025-10-08", note=[{"text": "Proceed. Latest echocardiogram: LVEF 54%."}])
    assert read(AS_OF, old, new)["lvef_percent"] == 54


def test_an_ejection_fraction_is_not_read_from_a_note_without_one() -> None:
    rec = read(AS_OF, dose("t1", "trastuzumab", "2025-01-15", note=[{"text": "Proceed with cycle 3; echo due next month"}]))
    assert "lvef_percent" not in rec


# --- regional nodes named in another language -----------------------------------------------------


def test_axillary_nodes_named_in_spanish_or_french_are_regional_not_distant() -> None:
    from ._fhir_builders import condition as cond

    es = cond("n1", {"coding": [{"system": ICD, "code": "C77.3", "display": "Ganglios linfáticos de la axila izquierda, metástasis"}]}, "2026-02-01")
    fr = cond("n2", {"coding": [{"system": ICD, "code": "C77.3", "display": "Adénopathies axillaires gauches secondaires"}]}, "2026-02-01")
    bone = cond("b1", {"coding": [{"system": ICD, "code": "C79.51"}]}, "2026-02-01")
    assert read(AS_OF, condition("c1", BREAST, "2026-01-20"), es, fr, bone)["metastases"]["sites"] == ["bone"]


# --- asymptomatic brain metastases said in another language ----------------------------------------


def test_brain_metastases_said_asymptomatic_in_other_languages() -> None:
    for words in ("Métastases cérébrales (2), asymptomatiques", "Metástasis cerebral única, asintomática", "脳転移 1個、無症状"):
        brain = condition("br", {"coding": [{"system": ICD, "code": "C79.31"}], "text": words}, "2026-09-15")
        rec = read(AS_OF, condition("c1", BREAST, "2024-01-20"), brain)
        assert rec["metastases"]["brain"]["symptomatic"] is False, words
