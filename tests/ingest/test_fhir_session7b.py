"""Issue 11, session 7 (second pass): generalisation of the FHIR reader to shapes real producers
use - local codes with only display text (Epic-like), scores named in the code, copy numbers
given as results of their own, lines with a toxicity switch, relapse on early therapy, orders
on hold (our own small bundles written from the FHIR R4 / mCODE / US Core rules; none copied
from a blind set)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from ._fhir_builders import ICD, RXNORM, condition, extraction, read, request, statement

pytestmark = pytest.mark.filterwarnings("ignore::UserWarning")
AS_OF = dt.date(2026, 11, 1)
LOCAL = "urn:oid:1.2.840.114350.1.13.0.1.7.2.768282"  # a local (EHR-specific) code system

LETROZOLE, PALBOCICLIB, ABEMACICLIB, FULVESTRANT, ANASTROZOLE = "72965", "1601374", "1946825", "282357", "84857"
TAMOXIFEN, PACLITAXEL = "10324", "56946"


def local(oid: str, name: str, day: str = "2026-03-01", **value: Any) -> dict[str, Any]:
    """A final Observation under a local code, known only by its display and text."""
    return {
        "resourceType": "Observation",
        "id": oid,
        "status": "final",
        "code": {"coding": [{"system": LOCAL, "code": f"{oid.upper()}-1", "display": name}], "text": name},
        "subject": {"reference": "Patient/p"},
        "effectiveDateTime": day,
        **value,
    }


def _recurrence(onset: str = "2025-02-10") -> list[dict[str, Any]]:
    return [
        condition("prim", {"coding": [{"system": ICD, "code": "C50.412"}]}, "2018-04-08"),
        condition("liver", {"coding": [{"system": ICD, "code": "C78.7"}]}, onset),
    ]


def _tumor(*resources: dict[str, Any]) -> dict[str, Any]:
    return dict(read(AS_OF, *_recurrence(), *resources).get("tumor") or {})


# ------------------------------------------------------------------ receptors by name


@pytest.mark.parametrize(
    ("name", "value", "field", "want"),
    [
        ("ER by IHC - Allred", {"valueString": "7/8"}, "er_status", "positive"),
        ("PR by IHC - Allred", {"valueString": "2/8"}, "pr_status", "negative"),
        ("Estrogen receptor Allred score", {"valueInteger": 6}, "er_status", "positive"),
        ("ER % positive cells", {"valueQuantity": {"value": 5, "unit": "%"}}, "er_percent", 5),
        ("PgR % positive", {"valueQuantity": {"value": 0, "unit": "%"}}, "pr_percent", 0),
        ("Estrogen Receptor IHC", {"valueString": "Positive, 90% strong"}, "er_percent", 90),
    ],
)
def test_receptor_known_by_local_name(name: str, value: dict[str, Any], field: str, want: Any) -> None:
    assert _tumor(local("r", name, **value)).get(field) == want


def test_allred_score_named_is_not_a_percentage() -> None:
    """"ER Allred score" = 4 is a score (positive), never ER 4 % (ER-low)."""
    tumor = _tumor(local("r", "ER Allred score", valueQuantity={"value": 4}))
    assert "er_percent" not in tumor
    assert tumor.get("er_status") == "positive"


def test_her2_copy_number_result_is_not_a_ratio() -> None:
    """A result of its own named as the mean HER2 copy number (3.1, no unit): not read as a
    HER2/CEP17 ratio of 3.1 (amplified); with the ratio 1.4 beside it, not amplified."""
    copies = local("c", "HER2 copy number (average per cell)", valueQuantity={"value": 3.1})
    ratio = local("q", "HER2/CEP17 ratio", valueQuantity={"value": 1.4})
    assert _tumor(copies).get("her2_ish") == "not_amplified"
    assert _tumor(local("h", "HER2 IHC", valueString="2+"), ratio, copies).get("her2_ish") == "not_amplified"
    assert _tumor(local("c", "HER2 signals per nucleus", valueQuantity={"value": 7.2})).get("her2_ish") == "amplified"


def test_molecular_profile_in_words() -> None:
    """A local "Tumor molecular profile" result written as a sentence: each gene read, "wild
    type" spelled apart is wildtype."""
    said = "PIK3CA p.E545K mutation detected; ESR1 wild type"
    got = read(AS_OF, *_recurrence(), local("v", "Tumor molecular profile", valueString=said)).get("somatic")
    assert "PIK3CA E545K" in got and "ESR1 wildtype" in got


# ------------------------------------------------------------------ lines


def _lines(*resources: dict[str, Any]) -> list[dict[str, Any]]:
    return list(read(AS_OF, *_recurrence(), *resources).get("prior_therapies") or [])


def test_toxicity_switch_inside_a_running_line_is_one_line() -> None:
    """Letrozole goes on; palbociclib stopped for G4 neutropenia and abemaciclib started ten days
    later: one line (a switch for toxicity without progression), not two."""
    lines = _lines(
        statement("l", LETROZOLE, "2025-03-01", None, "active"),
        statement("p", PALBOCICLIB, "2025-03-01", "2025-05-10", "stopped", statusReason=[{"text": "neutropenia G4"}]),
        statement("a", ABEMACICLIB, "2025-05-20", None, "active"),
    )
    assert len(lines) == 1
    assert set(lines[0]["drugs"]) == {"letrozole", "palbociclib", "abemaciclib"}


def test_drug_added_after_progression_is_a_new_line() -> None:
    """A guard: a line stopped at progression and a new one started: two lines."""
    lines = _lines(
        statement("l", LETROZOLE, "2025-03-01", "2026-01-10", "stopped", statusReason=[{"text": "progression"}]),
        statement("p", PALBOCICLIB, "2025-03-05", "2026-01-10", "stopped"),
        statement("f", FULVESTRANT, "2026-01-20", None, "active"),
    )
    assert [sorted(t["drugs"]) for t in lines] == [["letrozole", "palbociclib"], ["fulvestrant"]]
    assert lines[0]["stop_reason"] == "progression"


def test_relapse_on_early_endocrine_therapy() -> None:
    """Anastrozole from 2018, stopped nine days before liver metastases were found: adjuvant,
    stopped at the relapse (inferred), not a course without setting."""
    ex = extraction(AS_OF, *_recurrence(), statement("t", ANASTROZOLE, "2018-07-01", "2025-02-01", "stopped"),
                    statement("f", FULVESTRANT, "2025-03-01", None, "active"))  # fmt: skip
    first = ex.record["prior_therapies"][0]
    assert (first["setting"], first.get("stop_reason")) == ("adjuvant", "progression")
    assert ex.provenance["prior_therapies[0]"]["certainty"] == "inferred"


def test_course_ended_long_before_stays_completed_adjuvant() -> None:
    """A guard: tamoxifen completed 2023, metastases 2025: adjuvant, no progression invented."""
    first = _lines(statement("t", TAMOXIFEN, "2018-07-01", "2023-07-01", "completed"))[0]
    assert first["setting"] == "adjuvant" and first.get("stop_reason") != "progression"


def test_order_on_hold_never_given_is_not_a_therapy() -> None:
    ex = extraction(AS_OF, *_recurrence(), statement("l", LETROZOLE, "2025-03-01", None, "active"),
                    request("h", PALBOCICLIB, "2026-10-20", "on-hold"))  # fmt: skip
    assert [t["drugs"] for t in ex.record["prior_therapies"]] == [["letrozole"]]
    assert any(u.get("reason", "").startswith("ordered and on hold") for u in ex.unread)


def test_administrations_only_make_one_course() -> None:
    """Twelve weekly paclitaxel administrations (no statement, no order): one course with its
    first and last day."""
    days = [(dt.date(2025, 3, 3) + dt.timedelta(days=7 * i)).isoformat() for i in range(12)]
    given = [
        {"resourceType": "MedicationAdministration", "id": f"a{i}", "status": "completed",
         "medicationCodeableConcept": {"coding": [{"system": RXNORM, "code": PACLITAXEL}]},
         "subject": {"reference": "Patient/p"}, "effectiveDateTime": d}
        for i, d in enumerate(days)
    ]  # fmt: skip
    lines = _lines(*given)
    assert [(t["drugs"], t["start"], t.get("end")) for t in lines] == [(["paclitaxel"], days[0], days[-1])]


# ------------------------------------------------------------------ ranges, menopause, staging


@pytest.mark.parametrize(
    ("name", "value", "field", "want"),
    [
        ("Estrogen Receptor", {"valueString": "Weakly positive, 1-10% of cells"}, "er_status", "low"),
        ("Estrogen Receptor", {"valueRange": {"low": {"value": 1, "unit": "%"}, "high": {"value": 10, "unit": "%"}}},
         "er_status", "low"),
        ("Progesterone Receptor", {"valueString": "Positive, 50-60% of nuclei"}, "pr_status", "positive"),
        ("Estrogen Receptor", {"valueString": "0-0%"}, "er_status", "negative"),
    ],
)  # fmt: skip
def test_receptor_percent_range_is_a_status(name: str, value: dict[str, Any], field: str, want: str) -> None:
    """A range is never read as its first number ("1-10 %" is ER-low, not ER 1 %)."""
    tumor = _tumor(local("r", name, **value))
    assert tumor.get(field) == want
    assert f"{field.split('_')[0]}_percent" not in tumor


def test_range_across_low_and_positive_is_not_decided() -> None:
    tumor = _tumor(local("r", "Estrogen Receptor", valueString="5-20% of nuclei"))
    assert "er_status" not in tumor and "er_percent" not in tumor


@pytest.mark.parametrize(
    ("code", "system", "answer", "want"),
    [
        ("8678-5", "http://loinc.org", "76498008", "postmenopausal"),  # Menstrual status: Postmenopausal state
        ("161712005", "http://snomed.info/sct", "307429007", "postmenopausal"),  # ICHOM: After menopause
        ("161712005", "http://snomed.info/sct", "309606002", "premenopausal"),  # ICHOM: Before menopause
    ],
)
def test_menopausal_status_observation_codes(code: str, system: str, answer: str, want: str) -> None:
    from ._fhir_builders import SNOMED, obs

    value = {"valueCodeableConcept": {"coding": [{"system": SNOMED, "code": answer}]}}
    assert read(AS_OF, *_recurrence(), obs("m", code, "2025-02-10", system=system, **value)).get("menopausal_status") == want


def test_no_menopausal_status_from_age() -> None:
    """A guard: a woman of 76 with no stated status has none recorded (never inferred from age)."""
    assert "menopausal_status" not in read(AS_OF, *_recurrence())


def test_snomed_tnm_stage_grouping_stage_iv_dates_metastatic_disease() -> None:
    """mCODE TNMStageGroup coded SNOMED 399390009 with an AJCC stage IV answer (in words):
    the stage IV date makes the letrozole after it a metastatic line."""
    from ._fhir_builders import SNOMED, obs

    prim = condition("prim", {"coding": [{"system": SNOMED, "code": "408643008"}]}, "2019-02-01")
    stage = obs("s", "399390009", "2024-06-10", system=SNOMED,
                valueCodeableConcept={"text": "American Joint Committee on Cancer stage IV"})  # fmt: skip
    rec = read(AS_OF, prim, stage, statement("l", LETROZOLE, "2024-07-01", None, "active"))
    assert rec.get("metastatic_diagnosis_date") == "2024-06-10"
    assert rec["prior_therapies"][0]["setting"] == "metastatic"


# ------------------------------------------------------------------ ISH numbers apart, drug procedures


@pytest.mark.parametrize(
    ("ratio", "copies", "want"),
    [
        (2.3, 4.5, "amplified"),  # group 1
        (1.4, 3.1, "not_amplified"),  # group 5
        (2.3, 3.5, None),  # group 2: the ratio alone would say amplified; needs the IHC
        (1.5, 6.5, None),  # group 3: needs the IHC
    ],
)
def test_ratio_and_copy_number_as_two_results_are_read_together(ratio: float, copies: float, want: str | None) -> None:
    tumor = _tumor(
        local("r", "HER2/CEP17 ratio", valueQuantity={"value": ratio}),
        local("c", "HER2 average copy number per cell", valueQuantity={"value": copies}),
    )
    assert tumor.get("her2_ish") == want


def test_ratio_of_another_day_is_not_paired() -> None:
    """A guard: a copy number of another test (another day) does not change the ratio's reading."""
    tumor = _tumor(
        local("r", "HER2/CEP17 ratio", "2026-03-01", valueQuantity={"value": 2.5}),
        local("c", "HER2 average copy number per cell", "2018-04-01", valueQuantity={"value": 3.2}),
    )
    assert tumor.get("her2_ish") == "amplified"


def test_chemotherapy_procedure_naming_its_drugs_in_its_name() -> None:
    """A Procedure "Chemotherapy - docetaxel + cyclophosphamide (TC) x4" with no usedCode: the
    drugs of its name over its period (adjuvant: it ended years before the metastases)."""
    proc = {"resourceType": "Procedure", "id": "cp", "status": "completed",
            "code": {"text": "Chemotherapy - docetaxel + cyclophosphamide (TC) x4"},
            "subject": {"reference": "Patient/p"}, "performedPeriod": {"start": "2018-06-01", "end": "2018-08-20"}}  # fmt: skip
    lines = _lines(proc)
    assert [(sorted(t["drugs"]), t["start"], t["end"], t["setting"]) for t in lines] == [
        (["cyclophosphamide", "docetaxel"], "2018-06-01", "2018-08-20", "adjuvant")
    ]


def test_radiotherapy_procedure_is_not_a_drug_line() -> None:
    """A guard: palliative radiotherapy and a mastectomy are not lines of drug therapy."""
    rt = {"resourceType": "Procedure", "id": "rt", "status": "completed",
          "code": {"text": "Palliative radiotherapy to T10 spine 8 Gy/1"},
          "subject": {"reference": "Patient/p"}, "performedDateTime": "2025-03-01"}  # fmt: skip
    mx = {"resourceType": "Procedure", "id": "mx", "status": "completed", "code": {"text": "Left simple mastectomy"},
          "subject": {"reference": "Patient/p"}, "performedDateTime": "2018-05-01"}  # fmt: skip
    assert _lines(rt, mx) == []


@pytest.mark.parametrize(
    ("code", "site"),
    [("C79.71", "other"), ("C78.5", "other"), ("C79.61", "other"), ("J91.0", "pleura")],
)
def test_other_metastatic_sites_by_icd10cm(code: str, site: str) -> None:
    """Adrenal, bowel, ovary (contract site "other") and a malignant pleural effusion."""
    rec = read(AS_OF, *_recurrence(), condition("m", {"coding": [{"system": ICD, "code": code}]}, "2025-06-01"))
    assert site in rec["metastases"]["sites"]


def test_regional_axillary_nodes_are_not_a_distant_site() -> None:
    """A guard: ICD-10-CM C77.3 (axillary nodes) is regional for a breast cancer."""
    rec = read(AS_OF, *_recurrence(), condition("n", {"coding": [{"system": ICD, "code": "C77.3"}]}, "2025-06-01"))
    assert rec["metastases"]["sites"] == ["liver"]


# ------------------------------------------------------------------ receptors in words


def _report(conclusion: str | None = None, text: str | None = None, **more: Any) -> dict[str, Any]:
    import base64

    rep: dict[str, Any] = {
        "resourceType": "DiagnosticReport", "id": "d", "status": "final",
        "code": {"coding": [{"system": "http://loinc.org", "code": "60568-3"}], "text": "Surgical pathology report"},
        "subject": {"reference": "Patient/p"}, "effectiveDateTime": "2025-02-08", **more,
    }  # fmt: skip
    if conclusion:
        rep["conclusion"] = conclusion
    if text:
        rep["presentedForm"] = [{"contentType": "text/plain", "data": base64.b64encode(text.encode()).decode()}]
    return rep


def test_receptors_in_a_pathology_report_conclusion() -> None:
    """Only the conclusion gives the receptors (no result observation): read, from the liver
    biopsy the head of the conclusion names (not the "breast primary" it is consistent with)."""
    ex = extraction(AS_OF, *_recurrence(), _report(
        "Liver, core biopsy: metastatic carcinoma consistent with breast primary. ER positive (90%), "
        "PR negative (<1%), HER2 1+."))  # fmt: skip
    tumor = ex.record["tumor"]
    assert (tumor.get("er_percent"), tumor.get("pr_status"), tumor.get("her2_ihc")) == (90, "negative", "1+")
    assert tumor.get("receptor_source") == "metastasis"
    assert ex.provenance["tumor.er_percent"]["certainty"] == "inferred"


def test_receptors_in_a_report_attachment() -> None:
    text = ("FINAL DIAGNOSIS\nLiver, biopsy: metastatic ductal carcinoma.\nEstrogen receptor: Positive, 80%, strong\n"
            "Progesterone receptor: Negative (0%)\nHER2 (4B5): 2+ equivocal\nHER2 FISH: Not amplified (ratio 1.2)")  # fmt: skip
    tumor = read(AS_OF, *_recurrence(), _report(text=text))["tumor"]
    assert (tumor.get("er_percent"), tumor.get("her2_ihc"), tumor.get("her2_ish")) == (80, "2+", "not_amplified")


def test_radiology_partial_response_is_not_a_receptor() -> None:
    """A guard: "PR" in a CT report's conclusion is a partial response, not a progesterone result."""
    ct = _report("CT chest/abdomen: PR in the liver lesions; no new lesions.",
                 code={"coding": [{"system": "http://loinc.org", "code": "24627-2"}], "text": "CT Chest"})  # fmt: skip
    assert "pr_status" not in (read(AS_OF, *_recurrence(), ct).get("tumor") or {})


@pytest.mark.parametrize(
    ("name", "value", "want"),
    [
        ("Breast cancer receptor status", {"valueString": "ER+ / PR- / HER2-"},
         {"er_status": "positive", "pr_status": "negative", "her2_status": "negative"}),
        ("Hormone receptor / HER2 summary", {"valueString": "ER 95%, PR 10%, HER2 0"},
         {"er_percent": 95, "pr_percent": 10, "her2_ihc": "0"}),
        ("Estrogen receptor", {"note": [{"text": "Positive, 70% moderate"}]}, {"er_percent": 70}),
    ],
)  # fmt: skip
def test_result_named_locally_given_in_a_sentence(name: str, value: dict[str, Any], want: dict[str, Any]) -> None:
    tumor = _tumor(local("x", name, **value))
    assert {k: tumor.get(k) for k in want} == want


def test_coded_her2_string_gives_the_ish_too() -> None:
    """A LOINC HER2 result written "IHC 2+ (equivocal); reflex FISH negative (ratio 1.3)": the
    IHC score and the ISH result (subtype known), not the IHC alone."""
    from ._fhir_builders import obs

    tumor = _tumor(obs("h", "48676-1", "2026-03-01", valueString="IHC 2+ (equivocal); reflex FISH negative (ratio 1.3)"))
    assert (tumor.get("her2_ihc"), tumor.get("her2_ish")) == ("2+", "not_amplified")


# ------------------------------------------------------------------ patient


@pytest.mark.parametrize(
    ("gender", "extension", "want"),
    [
        (None, {"url": "http://hl7.org/fhir/us/core/StructureDefinition/us-core-birthsex", "valueCode": "M"}, "male"),
        ("unknown", {"url": "http://hl7.org/fhir/us/core/StructureDefinition/us-core-birthsex", "valueCode": "F"},
         "female"),
        (None, {"url": "http://hl7.org/fhir/us/core/StructureDefinition/us-core-sex",
                "valueCoding": {"system": "http://snomed.info/sct", "code": "248153007"}}, "male"),
        ("female", {"url": "http://hl7.org/fhir/us/core/StructureDefinition/us-core-birthsex", "valueCode": "M"},
         "female"),  # gender stated: it decides
    ],
)  # fmt: skip
def test_sex_from_us_core_extensions(gender: str | None, extension: dict[str, Any], want: str) -> None:
    from mbc.ingest import extract

    from ._helpers import fhir_bundle

    bundle = fhir_bundle(*_recurrence())
    patient = bundle["entry"][0]["resource"]
    patient.pop("gender")
    if gender:
        patient["gender"] = gender
    patient["extension"] = [extension]
    ex = extract(bundle, as_of=AS_OF)
    assert ex.record.get("sex") == want
    if gender != "female":  # read from an extension: inferred
        assert ex.provenance["sex"]["certainty"] == "inferred"


# ------------------------------------------------------------------ germline in words


@pytest.mark.parametrize(
    ("said", "want"),
    [
        ("Pathogenic variant identified: BRCA2 c.5946delT (p.Ser1982fs), heterozygous", ["BRCA2"]),
        ("PALB2 c.3113G>A (p.Trp1038*) - pathogenic, heterozygous", ["PALB2"]),
        ("BRCA1/2: no pathogenic variant identified", []),
        ("Patient: no pathogenic variants. Mother known BRCA1 pathogenic carrier.", []),
        ("BRCA2 c.7397T>C: variant of uncertain significance; no pathogenic variant", []),
    ],
)
def test_hereditary_panel_in_words(said: str, want: list[str]) -> None:
    """A germline panel written as a sentence: a gene called pathogenic is a germline finding;
    a negative panel, a relative's variant or a VUS is "tested, none found"."""
    rec = read(AS_OF, *_recurrence(), local("g", "Hereditary breast cancer panel", valueString=said))
    assert rec.get("germline") == want


# ------------------------------------------------------------------ drug names, administrations


@pytest.mark.parametrize(
    ("name", "want"),
    [
        ("fam-trastuzumab deruxtecan-nxki 100 mg IV", "trastuzumab deruxtecan"),
        ("SACITUZUMAB GOVITECAN-HZIY 180 MG IV SOLR", "sacituzumab govitecan"),
        ("trastuzumab-dkst (Ogivri) 420 mg", "trastuzumab"),
    ],
)
def test_biologic_name_with_fda_suffix(name: str, want: str) -> None:
    given = {"resourceType": "MedicationAdministration", "id": "a", "status": "completed",
             "medicationCodeableConcept": {"text": name}, "subject": {"reference": "Patient/p"},
             "effectiveDateTime": "2025-06-01"}  # fmt: skip
    assert _lines(given)[0]["drugs"] == [want]


def test_her2_lines_from_administrations_only() -> None:
    """THP given q3w (docetaxel x6, then trastuzumab + pertuzumab on), then T-DXd after: two
    metastatic lines, not one (the T-DXd written with its FDA suffix)."""
    def given(prefix: str, name: str, start: str, n: int) -> list[dict[str, Any]]:
        s = dt.date.fromisoformat(start)
        return [{"resourceType": "MedicationAdministration", "id": f"{prefix}{i}", "status": "completed",
                 "medicationCodeableConcept": {"text": name}, "subject": {"reference": "Patient/p"},
                 "effectiveDateTime": (s + dt.timedelta(days=21 * i)).isoformat()} for i in range(n)]  # fmt: skip

    lines = _lines(*given("d", "docetaxel", "2025-03-01", 6), *given("t", "trastuzumab", "2025-03-01", 12),
                   *given("p", "pertuzumab", "2025-03-01", 12), *given("x", "fam-trastuzumab deruxtecan-nxki", "2026-01-10", 4))  # fmt: skip
    assert [sorted(t["drugs"]) for t in lines] == [["docetaxel", "pertuzumab", "trastuzumab"], ["trastuzumab deruxtecan"]]


def test_condition_dated_by_asserted_date_extension() -> None:
    """A metastasis with no onset, dated by the FHIR condition-assertedDate extension (not the
    later recordedDate): the metastatic diagnosis date, and the line after it is metastatic."""
    liver = condition("liver", {"coding": [{"system": ICD, "code": "C78.7"}]}, "2025-02-10")
    del liver["onsetDateTime"]
    liver["recordedDate"] = "2025-09-30"
    liver["extension"] = [{"url": "http://hl7.org/fhir/StructureDefinition/condition-assertedDate",
                           "valueDateTime": "2025-02-12"}]  # fmt: skip
    prim = condition("prim", {"coding": [{"system": ICD, "code": "C50.412"}]}, "2018-04-08")
    rec = read(AS_OF, prim, liver, statement("f", FULVESTRANT, "2025-03-01", None, "active"))
    assert rec["metastatic_diagnosis_date"] == "2025-02-12"
    assert rec["prior_therapies"][0]["setting"] == "metastatic"


def _given(prefix: str, name: str, start: str, n: int, every: int = 21) -> list[dict[str, Any]]:
    s = dt.date.fromisoformat(start)
    return [{"resourceType": "MedicationAdministration", "id": f"{prefix}{i}", "status": "completed",
             "medicationCodeableConcept": {"text": name}, "subject": {"reference": "Patient/p"},
             "effectiveDateTime": (s + dt.timedelta(days=every * i)).isoformat()} for i in range(n)]  # fmt: skip


def test_order_written_days_ago_with_nothing_given_is_not_a_line() -> None:
    """Capecitabine given (administrations), stopped at progression; eribulin ordered five days
    before the record's date with no administration: one line so far, not two."""
    cape = statement("c", "194000", "2025-03-01", "2026-10-20", "stopped", statusReason=[{"text": "PD"}])
    eribulin = request("e", "1045453", "2026-10-27")
    lines = _lines(cape, *_given("a", "capecitabine", "2025-03-01", 3), eribulin)
    assert [t["drugs"] for t in lines] == [["capecitabine"]]


def test_older_order_with_no_administration_is_still_given() -> None:
    """A guard: an order written months ago (no administrations kept for it) is a course given."""
    lines = _lines(*_given("a", "capecitabine", "2025-03-01", 3), request("e", "1045453", "2026-05-01"))
    assert ["eribulin"] in [t["drugs"] for t in lines]


def test_results_named_by_the_bare_marker() -> None:
    """Local lab results named "ER" / "PR", and a panel whose components are so named."""
    assert _tumor(local("e", "ER", valueString="Positive (95%)"), local("p", "PR", valueString="Negative")) == {
        "er_percent": 95, "pr_status": "negative", "receptor_source": "metastasis"}  # fmt: skip

    def part(name: str, said: str) -> dict[str, Any]:
        return {"code": {"coding": [{"system": LOCAL, "code": f"{name}-1", "display": name}]}, "valueString": said}

    panel = local("x", "Breast biomarker panel", component=[part("ER", "Positive 95%"), part("PR", "Negative"), part("HER2", "1+")])
    tumor = _tumor(panel)
    assert (tumor.get("er_percent"), tumor.get("pr_status"), tumor.get("her2_ihc")) == (95, "negative", "1+")


def test_emergency_visit_named_er_is_not_a_receptor() -> None:
    """A guard: "ER visits in the last 12 months" is not an oestrogen receptor result."""
    assert "er_percent" not in _tumor(local("v", "ER visits in the last 12 months", valueQuantity={"value": 2}))
