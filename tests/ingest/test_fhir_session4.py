"""Issue 11, session 4: FHIR idioms of other producers (our own small bundles): a specimen
named only by its display, HER2 ISH as a valueRatio, a drug whose words name a more specific
form than its code, administrations numbered as cycles of one course, early endocrine therapy
beside an early regimen."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from mbc.ingest import extract

from ._helpers import fhir_bundle, fhir_observation

pytestmark = pytest.mark.filterwarnings("ignore::UserWarning")
AS_OF = dt.date(2026, 11, 1)
LOINC = "http://loinc.org"
RXNORM = "http://www.nlm.nih.gov/research/umls/rxnorm"
CURATIVE = {
    "url": "http://hl7.org/fhir/us/mcode/StructureDefinition/mcode-procedure-intent",
    "valueCodeableConcept": {"coding": [{"system": "http://snomed.info/sct", "code": "373808002"}]},
}


_bundle = fhir_bundle


def _obs(oid: str, code: str, day: str, **value: Any) -> dict[str, Any]:
    return fhir_observation(oid, {"system": LOINC, "code": code}, day, **value)


def _admin(aid: str, day: str, note: str, rxcui: str = "", text: str = "") -> dict[str, Any]:
    concept: dict[str, Any] = {"text": text} if text else {}
    if rxcui:
        concept["coding"] = [{"system": RXNORM, "code": rxcui}]
    return {
        "resourceType": "MedicationAdministration",
        "id": aid,
        "status": "completed",
        "subject": {"reference": "Patient/p"},
        "effectiveDateTime": day,
        "medicationCodeableConcept": concept,
        "note": [{"text": note}],
        "extension": [CURATIVE],
    }


def test_specimen_display_and_her2_ratio() -> None:
    er = _obs("er", "85337-4", "2026-09-01", valueQuantity={"value": 80, "unit": "%"})
    er["specimen"] = {"display": "Liver core biopsy"}
    ish = _obs("ish", "85318-4", "2026-09-01", valueRatio={"numerator": {"value": 2.4}, "denominator": {"value": 1}})
    tumor = extract(_bundle(er, ish), as_of=AS_OF).record["tumor"]
    assert tumor["receptor_source"] == "metastasis"
    assert tumor["her2_ish"] == "amplified"


def test_words_naming_a_more_specific_form_win_over_the_parent_code() -> None:
    ms = {
        "resourceType": "MedicationStatement",
        "id": "ms",
        "status": "active",
        "subject": {"reference": "Patient/p"},
        "effectivePeriod": {"start": "2026-06-01"},
        "medicationCodeableConcept": {
            "coding": [{"system": RXNORM, "code": "583214", "display": "paclitaxel protein-bound"}],
            "text": "paclitaxel protein-bound",
        },
    }
    drugs = extract(_bundle(ms), as_of=AS_OF).record["prior_therapies"][0]["drugs"]
    assert drugs == ["nab-paclitaxel"]


def test_cycles_of_one_course_and_early_endocrine_apart() -> None:
    tdm1 = [
        _admin("a1", "2025-06-16", "C1 adjuvant", text="trastuzumab emtansine"),
        _admin("a6", "2025-09-22", "C6 dose reduced; continue", text="trastuzumab emtansine"),
        _admin("a14", "2026-04-06", "C14 - course completed", text="trastuzumab emtansine"),
    ]
    tam = {
        "resourceType": "MedicationStatement",
        "id": "tam",
        "status": "completed",
        "subject": {"reference": "Patient/p"},
        "effectivePeriod": {"start": "2025-06-20", "end": "2026-08-25"},
        "medicationCodeableConcept": {"text": "tamoxifen 20 mg"},
        "extension": [CURATIVE],
    }
    lines = extract(_bundle(*tdm1, tam), as_of=AS_OF).record["prior_therapies"]
    assert [t["drugs"] for t in lines] == [["trastuzumab emtansine"], ["tamoxifen"]]
    assert lines[0]["start"] == "2025-06-16" and lines[0]["end"] == "2026-04-06"
