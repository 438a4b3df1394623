"""Issue 11, session 6: FHIR reading faults a review found (our own phrasings)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from mbc.ingest import extract

from ._helpers import fhir_bundle

pytestmark = pytest.mark.filterwarnings("ignore::UserWarning")
AS_OF = dt.date(2026, 11, 1)
SNOMED = "http://snomed.info/sct"
ICD = "http://hl7.org/fhir/sid/icd-10-cm"


def _cond(cid: str, display: str, code: str = "999999999", system: str = SNOMED) -> dict[str, Any]:
    return {
        "resourceType": "Condition",
        "id": cid,
        "clinicalStatus": {"coding": [{"code": "active"}]},
        "verificationStatus": {"coding": [{"code": "confirmed"}]},
        "code": {"coding": [{"system": system, "code": code, "display": display}]},
        "subject": {"reference": "Patient/p"},
        "onsetDateTime": "2026-08-01",
    }


def _read(*resources: dict[str, Any]) -> dict[str, Any]:
    return extract(fhir_bundle(*resources), as_of=AS_OF).record


@pytest.mark.parametrize(
    "display",
    ["Type 2 diabetes mellitus in her mother", "Congestive heart failure - father", "Interstitial lung disease (maternal aunt)"],
)
def test_comorbidity_given_to_a_relative_after_it_is_not_the_patients(display: str) -> None:
    assert "comorbidities" not in _read(_cond("c", display))


@pytest.mark.parametrize("display", ["Hip pain in mother", "Nausea, no longer present", "Resolved headache", "Headache - ruled out"])
def test_symptom_given_to_a_relative_or_gone_is_not_read(display: str) -> None:
    assert "symptoms" not in _read(_cond("s", display))


def test_symptom_present_still_read() -> None:
    assert _read(_cond("s", "Headache, worse in the mornings"))["symptoms"] == ["headache"]


def test_hormone_receptor_positive_leaves_er_and_pr_unknown() -> None:
    ex = extract(fhir_bundle(_cond("c", "HR positive carcinoma of breast", "254837009")), as_of=AS_OF)
    tumor = ex.record.get("tumor", {})
    assert "er_status" not in tumor and "pr_status" not in tumor
    assert any(u.get("value") == "hormone receptor positive" for u in ex.unread)


def test_hormone_receptor_negative_still_gives_er_and_pr_negative() -> None:
    tumor = _read(_cond("c", "HR negative carcinoma of breast", "254837009"))["tumor"]
    assert tumor["er_status"] == "negative" and tumor["pr_status"] == "negative"


def test_procedure_of_unknown_status_is_not_a_therapy_given() -> None:
    proc = {
        "resourceType": "Procedure",
        "id": "x",
        "status": "unknown",
        "code": {"text": "Stereotactic radiosurgery to brain metastasis"},
        "subject": {"reference": "Patient/p"},
        "performedDateTime": "2026-07-01",
    }
    ex = extract(fhir_bundle(proc), as_of=AS_OF)
    assert ex.record.get("metastases", {}).get("brain", {}).get("locally_treated") is None
    assert any(u.get("reason") == "status unknown" for u in ex.unread)
    proc["status"] = "completed"
    assert _read(proc)["metastases"]["brain"]["locally_treated"] is True


LOINC = "http://loinc.org"


def _variant(value: str) -> dict[str, Any]:
    gene = {"system": "http://www.genenames.org/geneId", "code": "HGNC:8975", "display": "PIK3CA"}
    return {
        "resourceType": "Observation",
        "id": "v",
        "status": "final",
        "code": {"coding": [{"system": LOINC, "code": "69548-6"}]},
        "subject": {"reference": "Patient/p"},
        "effectiveDateTime": "2026-09-01",
        "valueString": value,
        "component": [
            {"code": {"coding": [{"system": LOINC, "code": "48018-6"}]}, "valueCodeableConcept": {"coding": [gene]}},
            {"code": {"coding": [{"system": LOINC, "code": "48002-0"}]},
             "valueCodeableConcept": {"coding": [{"system": LOINC, "code": "LA6684-0"}]}},
        ],
    }  # fmt: skip


def test_absent_words_naming_another_gene_say_nothing_of_the_coded_one() -> None:
    somatic = _read(_variant("Full results in the attached report. ESR1: no alterations found."))["somatic"]
    assert "ESR1 wildtype" in somatic
    assert not any(s.startswith("PIK3CA") for s in somatic)  # neither wildtype nor a mutation: unknown


def test_absent_words_naming_no_gene_still_speak_of_the_coded_one() -> None:
    assert "PIK3CA wildtype" in _read(_variant("Not detected. ESR1 also negative."))["somatic"]
