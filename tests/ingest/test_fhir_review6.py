"""Issue 11, session 6: FHIR reading faults a review found (our own phrasings)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from mbc.ingest import extract

from ._fhir_builders import SNOMED, condition
from ._helpers import fhir_bundle

pytestmark = pytest.mark.filterwarnings("ignore::UserWarning")
AS_OF = dt.date(2026, 11, 1)


def _cond(cid: str, display: str, code: str = "999999999", system: str = SNOMED) -> dict[str, Any]:
    return condition(cid, {"coding": [{"system": system, "code": code, "display": display}]}, "2026-08-01")


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


def _bundle(*resources: dict[str, Any]) -> dict[str, Any]:
    return {"resourceType": "Bundle", "type": "collection", "entry": [{"resource": r} for r in resources]}


def test_two_patients_sharing_an_identifier_value_without_a_system_are_not_one_person() -> None:
    from mbc.errors import FHIRMappingError

    a = {"resourceType": "Patient", "id": "a", "identifier": [{"value": "123"}]}
    b = {"resourceType": "Patient", "id": "b", "identifier": [{"value": "123"}]}
    with pytest.raises(FHIRMappingError):
        extract(_bundle(a, b), as_of=AS_OF)
    for p in (a, b):
        p["identifier"][0]["system"] = "urn:mrn"
    assert extract(_bundle(a, b), as_of=AS_OF).record is not None


def _lab(code: str, **value: Any) -> dict[str, Any]:
    return {
        "resourceType": "Observation",
        "id": f"o{code}",
        "status": "final",
        "code": {"coding": [{"system": LOINC, "code": code}]},
        "subject": {"reference": "Patient/p"},
        "effectiveDateTime": "2026-09-01",
        **value,
    }


@pytest.mark.parametrize(
    ("value", "unit", "want"),
    [(1, "1", None), (0.55, "1", 55.0), (1, "{fraction}", 100.0), (1, "%", 1.0), (55, "%", 55.0)],
)
def test_percent_as_a_fraction_only_when_the_unit_says_so(value: float, unit: str, want: float | None) -> None:
    got = _read(_lab("10230-1", valueQuantity={"value": value, "unit": unit}))
    assert got.get("lvef_percent", (got.get("cardiac") or {}).get("lvef_percent")) == want


def _alt(sex: str | None, text: str) -> dict[str, Any]:
    pat = {"resourceType": "Patient", "id": "p", **({"gender": sex} if sex else {})}
    alt = _lab("1742-6", valueQuantity={"value": 70, "unit": "U/L"}, referenceRange=[{"text": text}])
    return _read(alt, pat)


@pytest.mark.parametrize(
    ("sex", "text", "want"),
    [("female", "M: 10-40; F: 7-35", 2.0), ("male", "M: 10-40; F: 7-35", 1.75), (None, "M: 10-40; F: 7-35", None),
     ("female", "Female 7-35, male 10-40", 2.0), ("female", "7-35 U/L", 2.0)],
)  # fmt: skip
def test_uln_in_words_takes_the_patients_sex(sex: str | None, text: str, want: float | None) -> None:
    assert _alt(sex, text).get("labs", {}).get("alt_x_uln") == want


@pytest.mark.parametrize(("text", "want"), [("ECOG 0-1", 1), ("PS 1 to 2", 2), ("ECOG 1", 1)])
def test_ecog_range_in_words_is_its_worse_value_and_uncertain(text: str, want: int) -> None:
    ex = extract(fhir_bundle(_lab("89247-1", valueCodeableConcept={"text": text})), as_of=AS_OF)
    assert ex.record["ecog"] == want
    certainty = ex.provenance["ecog"].get("certainty")
    assert (certainty == "uncertain") == (text != "ECOG 1")


@pytest.mark.parametrize(("sex", "want"), [("female", 2.0), ("male", 1.75), (None, None)])
def test_uln_ranges_by_sex_in_applies_to(sex: str | None, want: float | None) -> None:
    def rng(high: int, code: str) -> dict[str, Any]:
        return {"high": {"value": high}, "appliesTo": [{"coding": [{"code": code}]}]}

    pat = {"resourceType": "Patient", "id": "p", **({"gender": sex} if sex else {})}
    alt = _lab("1742-6", valueQuantity={"value": 70, "unit": "U/L"}, referenceRange=[rng(40, "male"), rng(35, "female")])
    assert _read(alt, pat).get("labs", {}).get("alt_x_uln") == want


def test_breast_cancer_given_to_a_relative_after_it_is_not_the_patients() -> None:
    assert _read(_cond("c", "Carcinoma of breast in her mother")) == _read(_cond("c", "Family history of carcinoma of breast"))
