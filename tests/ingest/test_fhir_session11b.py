"""Session 11, second FHIR pass: FHIR R4 as producers write it, in small bundles of our own
(none copied from a blind set): a history bundle's newest versions and deletions, results
contained in a report entered in error, a secondary cancer in regional nodes by its body site,
body sites by code and in other languages, metastases and breast cancer named in French,
German, Spanish, Italian and Japanese, relatives named in those languages, and clearance in
SI units."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest

from mbc.ingest import extract

from ._fhir_builders import LOINC, SNOMED, condition, obs, read, statement
from ._fhir_builders import extraction as _extraction

AS_OF = dt.date(2026, 11, 1)
PATIENT = {"resourceType": "Patient", "id": "p", "gender": "female", "birthDate": "1970-01-01"}
LOCAL = "urn:oid:1.2.250.1.213.1.1.9"
SECONDARY = {"coding": [{"system": SNOMED, "code": "128462008", "display": "Secondary malignant neoplastic disease"}]}
ANC = {"valueQuantity": {"value": 2.3, "unit": "10*3/uL", "system": "http://unitsofmeasure.org", "code": "10*3/uL"}}
CAPECITABINE = "194000"


def liver(cid: str = "m1", **more: Any) -> dict[str, Any]:
    return condition(cid, {"coding": [{"system": SNOMED, "code": "94381002"}]}, "2025-02-01", **more)


def extraction_of(*resources: dict[str, Any]) -> Any:
    return _extraction(AS_OF, *resources)


def history(*entries: dict[str, Any]) -> dict[str, Any]:
    return {"resourceType": "Bundle", "type": "history", "entry": list(entries)}


def by_site(*sites: dict[str, Any], **more: Any) -> dict[str, Any]:
    return read(AS_OF, condition("c1", SECONDARY, "2025-02-01", bodySite=list(sites), **more))


def named(text: str, day: str = "2025-02-01") -> dict[str, Any]:
    """A condition under a local code whose words are its only meaning."""
    return condition("c1", {"coding": [{"system": LOCAL, "code": "X1", "display": text}], "text": text}, day)


# --- bundles -------------------------------------------------------------------------------


def test_history_bundle_deleted_resource_is_not_read() -> None:
    """History entries are newest first; a DELETE entry (no resource) deletes the older ones."""
    bundle = history(
        {"fullUrl": "https://ehr.example/fhir/Condition/m1", "request": {"method": "DELETE", "url": "Condition/m1"}},
        {"fullUrl": "https://ehr.example/fhir/Condition/m1", "resource": {**liver(), "meta": {"versionId": "1"}},
         "request": {"method": "POST", "url": "Condition"}},
        {"resource": PATIENT, "request": {"method": "PUT", "url": "Patient/p"}},
    )  # fmt: skip
    got = extract(bundle, as_of=AS_OF)
    assert got.record.get("metastases") is None or "liver" not in got.record["metastases"].get("sites", [])
    assert any(u.get("resource") == "Condition/m1" and u.get("kind") == "superseded_version" for u in got.unread)


def test_history_bundle_newest_version_wins_without_version_ids() -> None:
    """Without meta.versionId, the entry order says which version is newest (first)."""
    done = statement("s1", CAPECITABINE, "2025-04-01", "2025-08-01", status="completed")
    going = statement("s1", CAPECITABINE, "2025-04-01", None, status="active")
    bundle = history(
        {"resource": done, "request": {"method": "PUT", "url": "MedicationStatement/s1/_history/2"}},
        {"resource": going, "request": {"method": "POST", "url": "MedicationStatement"}},
        {"resource": liver()},
        {"resource": PATIENT},
    )
    [line] = extract(bundle, as_of=AS_OF).record["prior_therapies"]
    assert line["end"] == "2025-08-01"
    assert line.get("stop_reason") != "ongoing"


def test_collection_bundle_keeps_every_copy_order_free() -> None:
    """Only a history bundle's order means versions: a collection is read as before."""
    record = read(AS_OF, liver(), statement("s1", CAPECITABINE, "2025-04-01", "2025-08-01"))
    assert record["prior_therapies"][0]["drugs"] == ["capecitabine"]


@pytest.mark.parametrize("status", ["entered-in-error", "cancelled"])
def test_results_contained_in_a_withdrawn_report_are_not_read(status: str) -> None:
    report = {"resourceType": "DiagnosticReport", "id": "dr", "status": status,
              "code": {"coding": [{"system": LOINC, "code": "58410-2"}]}, "subject": {"reference": "Patient/p"},
              "effectiveDateTime": "2026-09-01", "result": [{"reference": "#c1"}],
              "contained": [{"resourceType": "Observation", "id": "c1", "status": "final",
                             "code": {"coding": [{"system": LOINC, "code": "751-8"}]}, **ANC}]}  # fmt: skip
    assert "anc_per_ul" not in read(AS_OF, report).get("labs", {})
    assert read(AS_OF, {**report, "status": "final"})["labs"]["anc_per_ul"] == 2300.0


# --- secondary cancer by body site ----------------------------------------------------------


@pytest.mark.parametrize(
    "site",
    [
        {"coding": [{"system": SNOMED, "code": "68171009", "display": "Axillary lymph node structure"}]},
        {"coding": [{"system": SNOMED, "code": "68171009"}]},
        {"text": "Left axillary lymph node"},
        {"coding": [{"system": SNOMED, "code": "59441001"}], "text": "Ganglion axillaire gauche"},
        {"text": "Supraclavicular lymph node"},
    ],
)
def test_secondary_cancer_in_regional_nodes_is_not_metastatic(site: dict[str, Any]) -> None:
    record = by_site(site)
    assert record.get("metastatic_diagnosis_date") is None
    assert "distant_lymph_nodes" not in (record.get("metastases") or {}).get("sites", [])


def test_secondary_cancer_in_contralateral_axillary_nodes_is_distant() -> None:
    record = by_site({"text": "Contralateral axillary lymph node"})
    assert record["metastases"]["sites"] == ["distant_lymph_nodes"]


def test_secondary_cancer_in_distant_nodes_stays_distant() -> None:
    record = by_site({"coding": [{"system": SNOMED, "code": "62683002", "display": "Mediastinal lymph node structure"}]})
    assert record["metastases"]["sites"] == ["distant_lymph_nodes"]


@pytest.mark.parametrize(
    ("site", "want"),
    [
        ({"coding": [{"system": SNOMED, "code": "421060004"}]}, "bone"),
        ({"coding": [{"system": SNOMED, "code": "23451007"}]}, "other"),
        ({"text": "Glándula suprarrenal"}, "other"),
        ({"text": "Ovaire droit"}, "other"),
    ],
)
def test_secondary_cancer_body_sites(site: dict[str, Any], want: str) -> None:
    record = by_site(site)
    assert record["metastases"]["sites"] == [want]
    assert record["metastatic_diagnosis_date"] == "2025-02-01"


# --- words in other languages ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "site"),
    [
        ("Knochenmetastasen", "bone"),
        ("Lebermetastasen", "liver"),
        ("Hirnmetastasen", "brain"),
        ("Lungenmetastasen", "lung"),
        ("Metastasi epatiche", "liver"),
        ("Metastasi ossee", "bone"),
        ("骨転移", "bone"),
        ("肝転移", "liver"),
        ("脳転移", "brain"),
    ],
)
def test_metastasis_named_in_other_languages(text: str, site: str) -> None:
    record = read(AS_OF, named(text))
    assert record["metastases"]["sites"] == [site]


@pytest.mark.parametrize("text", ["Keine Knochenmetastasen", "Sans métastase hépatique", "骨転移なし"])
def test_metastasis_denied_in_other_languages(text: str) -> None:
    record = read(AS_OF, named(text))
    assert record.get("metastatic_diagnosis_date") is None
    assert not (record.get("metastases") or {}).get("sites")


@pytest.mark.parametrize(
    "text",
    ["Cancer du sein gauche", "Mammakarzinom", "Tumor de mama izquierda", "Carcinoma della mammella", "乳癌"],
)
def test_breast_cancer_named_in_other_languages(text: str) -> None:
    record = read(AS_OF, named(text, "2019-02-01"), liver())
    assert record["presentation"] == "recurrence"  # the primary's date read from the words


@pytest.mark.parametrize(
    "text", ["Antécédents familiaux de cancer du sein", "Cancer du sein - mère", "Brustkrebs (Mutter)",
             "Cáncer de mama - hermana"],
)  # fmt: skip
def test_breast_cancer_of_a_relative_in_other_languages(text: str) -> None:
    record = read(AS_OF, named(text, "2019-02-01"), liver())
    assert record.get("presentation") is None


# --- units ----------------------------------------------------------------------------------


@pytest.mark.parametrize(("unit", "want"), [("mL/s", 72.0), ("mL/min", 1.2)])
def test_creatinine_clearance_in_si_units(unit: str, want: float) -> None:
    result = obs("o1", "2164-2", valueQuantity={"value": 1.2, "unit": unit})
    assert read(AS_OF, result)["labs"]["creatinine_clearance_ml_min"] == pytest.approx(want)


def test_platelets_in_giga_per_litre() -> None:
    result = obs("o1", "777-3", valueQuantity={"value": 250, "unit": "Giga/L"})
    assert read(AS_OF, result)["labs"]["platelets_per_ul"] == 250000.0


@pytest.mark.parametrize("text", ["No evidence of liver metastases", "Possible bone metastases"])
def test_metastasis_site_named_to_deny_or_doubt_is_not_read(text: str) -> None:
    record = read(AS_OF, named(text))
    assert not (record.get("metastases") or {}).get("sites")


def test_breast_cancer_said_non_metastatic_is_still_the_primary() -> None:
    record = read(AS_OF, named("Breast cancer, non-metastatic", "2019-02-01"), liver())
    assert record["presentation"] == "recurrence"


def test_history_fixture() -> None:
    """tests/ingest/fixtures/history_versions.json: what a history bundle says now."""
    bundle = json.loads((Path(__file__).parent / "fixtures" / "history_versions.json").read_text("utf-8"))
    got = extract(bundle, as_of=AS_OF)
    record = got.record
    assert record["metastases"]["sites"] == ["bone"]  # liver deleted; the axillary node is regional
    assert record["metastatic_diagnosis_date"] == "2025-03-01"
    [line] = record["prior_therapies"]
    assert (line["drugs"], line["end"]) == (["capecitabine"], "2025-09-30")
    assert "anc_per_ul" not in record.get("labs", {})  # the report was entered in error
    assert {u["resource"] for u in got.unread if u.get("kind") == "superseded_version"} >= {
        "Condition/liver", "MedicationStatement/cape"}  # fmt: skip


# --- dates and names ------------------------------------------------------------------------


def test_request_dated_by_its_timing_events() -> None:
    """A request with no authoredOn, its doses' days in dosageInstruction.timing.event."""
    order = {"resourceType": "MedicationRequest", "id": "r1", "status": "completed", "intent": "order",
             "medicationCodeableConcept": {"coding": [{"system": "http://www.nlm.nih.gov/research/umls/rxnorm",
                                                       "code": CAPECITABINE}]},
             "subject": {"reference": "Patient/p"},
             "dosageInstruction": [{"timing": {"event": ["2025-05-01", "2025-04-03"]}}]}  # fmt: skip
    [line] = read(AS_OF, liver(), order)["prior_therapies"]
    assert (line["start"], line["end"]) == ("2025-04-03", "2025-05-01")


@pytest.mark.parametrize(
    ("name", "value", "want"),
    [("Indice de performance OMS", 2, 2), ("Estado funcional ECOG", 1, 1), ("Indice de performance de Karnofsky", 80, 1)],  # Karnofsky 80 -> ECOG 1
)
def test_performance_status_named_in_other_languages(name: str, value: int, want: int | None) -> None:
    result = {**obs("ps", "PS", system=LOCAL), "code": {"coding": [{"system": LOCAL, "code": "PS"}], "text": name},
              "valueInteger": value}  # fmt: skip
    assert read(AS_OF, result).get("ecog") == want


# --- whose record ---------------------------------------------------------------------------


BONE = {"coding": [{"system": SNOMED, "code": "94222008"}]}


@pytest.mark.parametrize("subject", ["Patient/someone-else", "RelatedPerson/mother", "Group/cohort-7"])
def test_a_resource_of_another_subject_is_not_the_patients(subject: str) -> None:
    """Another resource names the patient (Patient/p): one naming someone else is theirs."""
    got = extraction_of(liver(subject={"reference": subject}), condition("m2", BONE, "2025-03-01"))
    assert got.record["metastases"]["sites"] == ["bone"]
    assert any(u.get("kind") == "other_subject" and u.get("subject") == subject for u in got.unread)


@pytest.mark.parametrize("subject", ["RelatedPerson/mother", "Group/cohort-7"])
def test_a_relative_or_group_resource_alone_is_not_the_patients(subject: str) -> None:
    got = extraction_of(liver(subject={"reference": subject}))
    assert not (got.record.get("metastases") or {}).get("sites")


def test_every_resource_naming_one_other_patient_id_is_the_patients() -> None:
    """No resource names the bundle's Patient id, all name one other: the producer's id for her."""
    quirk = {"reference": "Patient/12345"}
    record = extraction_of(liver(subject=quirk), condition("m2", BONE, "2025-03-01", subject=quirk)).record
    assert sorted(record["metastases"]["sites"]) == ["bone", "liver"]


@pytest.mark.parametrize(
    "subject",
    ["Patient/p", "https://ehr.example.org/fhir/Patient/p", "Patient/p/_history/3", "urn:uuid:not-in-bundle",
     "Patient?identifier=urn:mrn|123"],
)  # fmt: skip
def test_a_reference_naming_the_patient_or_unjudgeable_is_read(subject: str) -> None:
    got = extraction_of(liver(subject={"reference": subject}))
    assert got.record["metastases"]["sites"] == ["liver"]


def test_no_patient_in_the_bundle_reads_every_resource() -> None:
    bundle = {"resourceType": "Bundle", "type": "collection",
              "entry": [{"resource": liver(subject={"reference": "Patient/x"})}]}  # fmt: skip
    assert extract(bundle, as_of=AS_OF).record["metastases"]["sites"] == ["liver"]
