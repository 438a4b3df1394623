"""Issue 11, session 6: FHIR as other producers write it (our own small bundles, written from
the FHIR / mCODE / Genomics Reporting / ICD-10-CM rules, none copied from a blind set)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from mbc.ingest import extract

from ._fhir_builders import ICD, LOINC, RXNORM, SNOMED, condition
from ._fhir_builders import SOMATIC as _SOMATIC
from ._fhir_builders import comp as _comp
from ._fhir_builders import gene as _gene
from ._fhir_builders import obs as _obs
from ._helpers import fhir_bundle

pytestmark = pytest.mark.filterwarnings("ignore::UserWarning")
AS_OF = dt.date(2026, 11, 1)

def _cond(cid: str, system: str, code: str, display: str, onset: str = "2024-01-10") -> dict[str, Any]:
    return condition(cid, {"coding": [{"system": system, "code": code, "display": display}]}, onset)


def _read(*resources: dict[str, Any]) -> dict[str, Any]:
    return extract(fhir_bundle(*resources), as_of=AS_OF).record


# ------------------------------------------------------------------ genomics in words


def test_variant_with_a_summary_naming_other_genes_absent() -> None:
    """The coded gene is AKT1 with its change; the value's words add 'PIK3CA, ESR1, PTEN: no
    alterations detected'. AKT1 is the variant (not wildtype because of the other clause); the
    three others are wildtype."""
    v = _obs(
        "ngs", "81247-9",
        valueCodeableConcept={"text": "AKT1 p.E17K detected (VAF 18%); PIK3CA, ESR1, PTEN: no alterations detected"},
        component=[_gene("AKT1", "HGNC:391"), _comp("48005-3", valueCodeableConcept={"text": "p.Glu17Lys"}), _SOMATIC],
    )  # fmt: skip
    somatic = _read(v)["somatic"]
    assert "AKT1 E17K" in somatic
    assert "AKT1 wildtype" not in somatic
    assert {"PIK3CA wildtype", "ESR1 wildtype", "PTEN wildtype"} <= set(somatic)


def test_panel_in_words_only() -> None:
    """A ctDNA panel given only as a string value: each gene of the negative clause is
    wildtype, the variant of the next sentence is read."""
    v = _obs("ct", "81247-9", valueString="ctDNA panel: no PIK3CA, ESR1 or AKT1 alterations detected. TP53 R248Q (VAF 3%).")
    assert set(_read(v)["somatic"]) == {"PIK3CA wildtype", "ESR1 wildtype", "AKT1 wildtype", "TP53 R248Q"}


def test_absent_variant_note_names_more_genes() -> None:
    v = _obs(
        "neg", "69548-6",
        valueCodeableConcept={"coding": [{"system": LOINC, "code": "LA9634-2", "display": "Absent"}]},
        component=[_gene("PIK3CA", "HGNC:8975"), _SOMATIC],
        note=[{"text": "No PIK3CA, AKT1 or PTEN alterations detected at LoD 0.5%. Tissue not tested."}],
    )  # fmt: skip
    assert set(_read(v)["somatic"]) == {"PIK3CA wildtype", "AKT1 wildtype", "PTEN wildtype"}


def test_sequencing_result_under_a_local_name() -> None:
    v = _obs("loc", "NGS-NEG", system="urn:oid:1.2.3", valueString="PIK3CA: no mutation detected. ESR1: no mutation detected.")
    v["code"]["text"] = "Tissue NGS pertinent negatives"
    assert set(_read(v)["somatic"]) == {"PIK3CA wildtype", "ESR1 wildtype"}


def test_genomics_report_conclusion() -> None:
    report = {
        "resourceType": "DiagnosticReport",
        "id": "gx",
        "status": "final",
        "code": {"coding": [{"system": LOINC, "code": "51969-4"}]},
        "subject": {"reference": "Patient/p"},
        "effectiveDateTime": "2026-09-01",
        "conclusion": "PIK3CA c.1633G>A p.E545K detected. No ESR1 or AKT1 alterations.",
    }
    assert set(_read(report)["somatic"]) == {"PIK3CA E545K", "ESR1 wildtype", "AKT1 wildtype"}


def test_report_conclusion_of_another_kind_is_not_read() -> None:
    report = {
        "resourceType": "DiagnosticReport",
        "id": "ct",
        "status": "final",
        "code": {"coding": [{"system": LOINC, "code": "24627-2", "display": "CT chest"}]},
        "subject": {"reference": "Patient/p"},
        "conclusion": "No PIK3CA comment expected here; lungs clear.",
    }
    assert "somatic" not in _read(report)


def test_copy_number_gain_is_an_amplification_not_a_mutation() -> None:
    """'ERBB2 mutation' is what the engine reads as an activating HER2 mutation: a copy
    number gain must not become one."""
    v = _obs(
        "cnv", "69548-6",
        valueCodeableConcept={"coding": [{"system": LOINC, "code": "LA9633-4"}]},
        component=[_gene("ERBB2", "HGNC:3430"),
                   _comp("48019-4", valueCodeableConcept={"coding": [{"system": LOINC, "code": "LA14033-7", "display": "Copy number gain"}]}),
                   _SOMATIC],
    )  # fmt: skip
    assert _read(v)["somatic"] == ["ERBB2 amplification"]


def test_versioned_medication_reference() -> None:
    med = {"resourceType": "Medication", "id": "m9", "code": {"coding": [{"system": RXNORM, "code": "1873916"}]}}
    st = {
        "resourceType": "MedicationStatement",
        "id": "s",
        "status": "active",
        "medicationReference": {"reference": "Medication/m9/_history/2"},
        "subject": {"reference": "Patient/p"},
        "effectivePeriod": {"start": "2026-01-10"},
    }
    ex = extract(fhir_bundle(_cond("m", SNOMED, "94222008", "Secondary malignant neoplasm of bone", "2025-12-01"), med, st), as_of=AS_OF)
    assert ex.record["prior_therapies"][0]["drugs"] == ["ribociclib"]
    assert not [u for u in ex.unread if u.get("kind") == "unreadable_resource"]


# ------------------------------------------------------------------ receptors


def test_her2_equivocal_with_the_score_in_the_interpretation() -> None:
    h = _obs("h", "48676-1", valueCodeableConcept={"coding": [{"system": LOINC, "code": "LA4259-3", "display": "Equivocal"}]},
             interpretation=[{"text": "IHC score 2+"}])  # fmt: skip
    assert _read(h)["tumor"]["her2_ihc"] == "2+"


def test_newer_retest_without_specimen_beats_older_named_metastasis() -> None:
    """A liver biopsy (named) with HER2 0 in 2025; a re-test a year later, specimen not named,
    IHC 2+: the newer result is current (newest biopsy), read as a metastasis (inferred)."""
    liver = _cond("liver", ICD, "C78.7", "Secondary malignant neoplasm of liver", "2024-05-01")
    old = _obs("o", "85319-2", "2025-10-28", valueString="0", note=[{"text": "liver bx: no membrane staining"}])
    new = _obs("n", "85319-2", "2026-10-20", valueString="2+")
    ex = extract(fhir_bundle(liver, old, new), as_of=AS_OF)
    assert ex.record["tumor"]["her2_ihc"] == "2+"
    assert ex.record["tumor"]["receptor_source"] == "metastasis"
    assert ex.provenance["tumor.her2_ihc"]["certainty"] in ("inferred", "conflicting")


def test_unnamed_result_alone_keeps_its_source_unknown() -> None:
    """With no named result to beat, an unnamed one after the metastatic diagnosis is not
    guessed to be from a metastasis."""
    liver = _cond("liver", ICD, "C78.7", "Secondary malignant neoplasm of liver", "2024-05-01")
    assert "receptor_source" not in _read(liver, _obs("n", "85337-4", "2026-10-20", valueQuantity={"value": 90, "unit": "%"}))["tumor"]


def test_receptor_panel_as_components() -> None:
    panel = _obs("p", "LOCAL-PANEL", system="urn:oid:1.2.3", component=[
        _comp("85337-4", valueQuantity={"value": 80, "unit": "%"}),
        _comp("85339-0", valueQuantity={"value": 5, "unit": "%"}),
        _comp("85319-2", valueCodeableConcept={"text": "1+"}),
    ])  # fmt: skip
    tumor = _read(panel)["tumor"]
    assert (tumor["er_percent"], tumor["pr_percent"], tumor["her2_ihc"]) == (80, 5, "1+")


@pytest.mark.parametrize(
    ("codes", "want"),
    [
        (["Z17.0", "Z17.32"], {"er_status": "positive", "her2_status": "negative"}),
        (["Z17.411"], {"her2_status": "negative"}),  # HR+ may be ER- PR+: ER stays unknown
        (["Z17.421"], {"er_status": "negative", "pr_status": "negative", "her2_status": "negative"}),
        (["Z17.1", "Z17.22", "Z17.31"], {"er_status": "negative", "pr_status": "negative", "her2_status": "positive"}),
    ],
)
def test_icd10cm_receptor_status_conditions(codes: list[str], want: dict[str, str]) -> None:
    conds = [_cond(f"z{i}", ICD, c, "status") for i, c in enumerate(codes)]
    tumor = _read(_cond("c", ICD, "C50.911", "Malignant neoplasm of right female breast"), *conds)["tumor"]
    assert {k: v for k, v in tumor.items() if k.endswith("_status")} == want


@pytest.mark.parametrize(
    ("display", "want"),
    [
        ("Triple negative malignant neoplasm of breast", {"er_status": "negative", "pr_status": "negative", "her2_status": "negative"}),
        ("Human epidermal growth factor 2 positive carcinoma of breast", {"her2_status": "positive"}),
        ("ER+/PR-/HER2- carcinoma of breast", {"er_status": "positive", "pr_status": "negative", "her2_status": "negative"}),
    ],
)
def test_receptor_status_in_a_breast_cancer_condition_name(display: str, want: dict[str, str]) -> None:
    tumor = _read(_cond("c", SNOMED, "254837009", display))["tumor"]
    assert {k: v for k, v in tumor.items() if k.endswith("_status")} == want


def test_a_receptor_observation_beats_a_condition_status() -> None:
    """The condition says HR+; the newer or older lab result always wins."""
    tumor = _read(
        _cond("c", ICD, "C50.911", "x", onset="2026-10-01"), _cond("z", ICD, "Z17.0", "ER+", onset="2026-10-01"),
        _obs("er", "85337-4", "2024-01-01", valueQuantity={"value": 0, "unit": "%"}),
    )["tumor"]  # fmt: skip
    assert tumor["er_percent"] == 0
    assert "er_status" not in tumor


# ------------------------------------------------------------------ other readings


def test_pregnant_now_is_premenopausal() -> None:
    preg = _obs("pg", "82810-3", valueCodeableConcept={"coding": [{"system": SNOMED, "code": "77386006", "display": "Pregnant"}]})
    ex = extract(fhir_bundle(preg), as_of=AS_OF)
    assert ex.record["menopausal_status"] == "premenopausal"
    assert ex.provenance["menopausal_status"]["certainty"] == "inferred"


def test_a_stated_menopausal_status_wins_over_pregnancy() -> None:
    preg = _obs("pg", "82810-3", valueCodeableConcept={"coding": [{"system": SNOMED, "code": "77386006"}]})
    meno = _obs("m", "MENO", system="urn:x", valueString="perimenopausal")
    meno["code"]["text"] = "Menopausal status"
    assert _read(preg, meno)["menopausal_status"] == "perimenopausal"


@pytest.mark.parametrize(("text", "read"), [("QTc (Bazett)", False), ("QTc Fridericia", True), ("QTc", True)])
def test_qtc_by_bazett_is_not_qtcf(text: str, read: bool) -> None:
    q = _obs("q", "8636-3", valueQuantity={"value": 446, "unit": "ms"})
    q["code"]["text"] = text
    assert ("qtcf_ms" in _read(q)) is read


def test_course_ordered_then_given_starts_when_given() -> None:
    med = {"system": RXNORM, "code": "72965"}
    order = {"resourceType": "MedicationRequest", "id": "o", "status": "completed", "intent": "order",
             "medicationCodeableConcept": {"coding": [med]}, "subject": {"reference": "Patient/p"}, "authoredOn": "2022-05-27"}  # fmt: skip
    given = {"resourceType": "MedicationStatement", "id": "g", "status": "active",
             "medicationCodeableConcept": {"coding": [med]}, "subject": {"reference": "Patient/p"},
             "effectivePeriod": {"start": "2022-06-01"}}  # fmt: skip
    bone = _cond("b", SNOMED, "94222008", "Secondary malignant neoplasm of bone", "2022-05-01")
    assert _read(bone, order, given)["prior_therapies"][0]["start"] == "2022-06-01"


@pytest.mark.parametrize(
    ("display", "text", "want"),
    [
        ("Pain in hip (finding)", "R hip pain, worse weight bearing", "hip pain"),
        ("Right upper quadrant pain (finding)", "RUQ discomfort", "right upper quadrant pain"),
        ("Neuropathy caused by chemotherapy (disorder)", "CIPN grade 1", "peripheral neuropathy"),
    ],
)
def test_symptom_condition_by_its_words(display: str, text: str, want: str) -> None:
    c = _cond("s", SNOMED, "999999999", display, "2026-08-01")
    c["code"]["text"] = text
    ex = extract(fhir_bundle(c), as_of=AS_OF)
    assert ex.record["symptoms"] == [want]


def test_symptom_condition_denied_or_resolved_is_not_read() -> None:
    c = _cond("s", SNOMED, "999999999", "Headache resolved", "2026-08-01")
    assert "symptoms" not in _read(c)
    c2 = _cond("s2", SNOMED, "999999998", "Hip pain", "2026-08-01")
    c2["clinicalStatus"] = {"coding": [{"code": "resolved"}]}
    assert "symptoms" not in _read(c2)


def test_pain_score_names_its_pain() -> None:
    p = _obs("p", "72514-3", valueInteger=3, note=[{"text": "L lateral chest wall (rib) pain, worse on deep breath"}])
    assert _read(p)["symptoms"] == ["rib pain"]
    zero = _obs("z", "72514-3", valueInteger=0, note=[{"text": "hip pain settled"}])
    assert "symptoms" not in _read(zero)


# ------------------------------------------------------------------ units, names, lists


def _q(value: float, unit: str) -> dict[str, Any]:
    return {"valueQuantity": {"value": value, "unit": unit}}


@pytest.mark.parametrize(
    ("code", "value", "unit", "path", "want"),
    [
        ("17861-6", 2.4, "mmol/l", ("labs", "calcium_mg_dl"), 9.619),
        ("1751-7", 38, "g/l", ("labs", "albumin_g_dl"), 3.8),
        ("777-3", 250, "G/L", ("labs", "platelets_per_ul"), 250000),
        ("751-8", 1.8, "x10^9/L", ("labs", "anc_per_ul"), 1800),
        ("29463-7", 150, "lbs", ("weight_kg",), 68.039),
    ],
)
def test_units_as_producers_write_them(code: str, value: float, unit: str, path: tuple[str, ...], want: float) -> None:
    got: Any = _read(_obs("o", code, **_q(value, unit)))
    for key in path:
        got = got[key]
    assert got == pytest.approx(want, rel=1e-3)


def test_snomed_only_vitals_and_labs_by_name() -> None:
    """No LOINC at all: SNOMED observables read by their names (certainty inferred)."""
    def sn(oid: str, code: str, name: str, **value: Any) -> dict[str, Any]:
        o = _obs(oid, code, system=SNOMED, **value)
        o["code"]["coding"][0]["display"] = name
        return o

    ex = extract(fhir_bundle(
        sn("wt", "27113001", "Body weight", **_q(64, "kg")),
        sn("ht", "50373000", "Body height", **_q(1.65, "m")),
        sn("ef", "250908004", "Left ventricular ejection fraction", **_q(0.58, "1")),
        sn("ecog", "423740007", "ECOG performance status",
           valueCodeableConcept={"coding": [{"system": SNOMED, "code": "422512005", "display": "ECOG performance status - grade 1"}]}),
        sn("alt", "34608000", "Alanine aminotransferase measurement", referenceRange=[{"text": "7-40 U/L"}], **_q(60, "U/L")),
        sn("wl", "x", "Weight loss percent", **_q(5, "%")),
    ), as_of=AS_OF)  # fmt: skip
    r = ex.record
    assert (r["weight_kg"], r["height_cm"], r["lvef_percent"], r["ecog"]) == (64, 165, 58, 1)
    assert r["labs"]["alt_x_uln"] == 1.5
    assert ex.provenance["weight_kg"]["certainty"] == "inferred"


@pytest.mark.parametrize(
    ("display", "want"),
    [
        ("Type 2 diabetes mellitus without complications", "diabetes_type2"),
        ("Drug-induced pneumonitis (resolved)", "interstitial_lung_disease"),
        ("Heart failure with reduced ejection fraction", "heart_failure"),
        ("Prolonged QT interval", "long_qt"),
        ("Medication-related osteonecrosis of the jaw", "osteonecrosis_jaw"),
    ],
)
def test_comorbidity_by_its_words(display: str, want: str) -> None:
    assert _read(_cond("c", SNOMED, "999999999", display))["comorbidities"] == [want]


def test_comorbidity_denied_is_not_read() -> None:
    assert "comorbidities" not in _read(_cond("c", SNOMED, "999999999", "No heart failure"))


def test_current_medication_no_list_knows_is_carried_by_name() -> None:
    def st(sid: str, name: str, status: str = "active") -> dict[str, Any]:
        return {"resourceType": "MedicationStatement", "id": sid, "status": status,
                "medicationCodeableConcept": {"coding": [{"system": RXNORM, "code": "0", "display": name}]},
                "subject": {"reference": "Patient/p"}, "effectivePeriod": {"start": "2026-01-01"}}  # fmt: skip

    r = _read(
        st("a", "Metoprolol Succinate 50 MG Extended Release Oral Tablet"), st("b", "Hydroxychloroquine 200 mg tablet"),
        st("c", "Estradiol 0.1 MG Transdermal System", status="stopped"), st("d", "Investigational agent XYZ 10 MG"),
    )  # fmt: skip
    assert r["medications"] == ["metoprolol", "hydroxychloroquine"]


def test_comorbidity_words_denied_within_the_name() -> None:
    c = _cond("c", SNOMED, "77970009", "Benign hypertensive heart disease without congestive heart failure (disorder)")
    assert "comorbidities" not in _read(c)


# ------------------------------------------------------------------ report dates and specimens


def _liver_met() -> dict[str, Any]:
    return _cond("met", SNOMED, "94381002", "Secondary malignant neoplasm of liver", "2025-06-01")


def _dateless_er(oid: str, pct: int, **more: Any) -> dict[str, Any]:
    o = _obs(oid, "85337-4", valueQuantity={"value": pct, "unit": "%"}, **more)
    del o["effectiveDateTime"]
    return o


def _report(rid: str, results: list[str], **more: Any) -> dict[str, Any]:
    return {"resourceType": "DiagnosticReport", "id": rid, "status": "final",
            "code": {"coding": [{"system": LOINC, "code": "22637-3"}]}, "subject": {"reference": "Patient/p"},
            "effectiveDateTime": "2025-06-10", "result": [{"reference": r} for r in results], **more}  # fmt: skip


def test_result_without_a_date_takes_its_reports() -> None:
    """The new biopsy's ER is dated only by the report listing it: it is newer than the 2019
    result (before, an undated result lost to any dated one)."""
    old = _obs("er1", "85337-4", "2019-01-01", valueQuantity={"value": 90, "unit": "%"})
    assert _read(_liver_met(), old, _dateless_er("er2", 5), _report("r", ["Observation/er2"]))["tumor"]["er_percent"] == 5


def test_contained_result_takes_its_reports_date() -> None:
    old = _obs("er1", "85337-4", "2019-01-01", valueQuantity={"value": 90, "unit": "%"})
    report = _report("r", ["#er3"], contained=[_dateless_er("er3", 5)])
    assert _read(_liver_met(), old, report)["tumor"]["er_percent"] == 5


def test_result_takes_its_reports_specimen() -> None:
    spec = {"resourceType": "Specimen", "id": "sp", "type": {"text": "core biopsy"},
            "collection": {"bodySite": {"coding": [{"system": SNOMED, "code": "10200004", "display": "Liver structure"}]}}}  # fmt: skip
    report = _report("r", ["Observation/er5"], specimen=[{"reference": "Specimen/sp"}])
    tumor = _read(_liver_met(), spec, _dateless_er("er5", 5), report)["tumor"]
    assert (tumor["er_percent"], tumor["receptor_source"]) == (5, "metastasis")


def test_result_takes_its_specimens_collection_date() -> None:
    """Both from a liver biopsy: only the dates decide, and the new one has only its
    specimen's collection date."""
    old = _obs("er1", "85337-4", "2024-01-01", valueQuantity={"value": 90, "unit": "%"}, note=[{"text": "liver bx"}])
    spec = {"resourceType": "Specimen", "id": "sp", "type": {"text": "liver core biopsy"}, "collection": {"collectedDateTime": "2025-06-08"}}
    assert _read(_liver_met(), old, spec, _dateless_er("er4", 5, specimen={"reference": "Specimen/sp"}))["tumor"]["er_percent"] == 5


# ------------------------------------------------------------------ therapy records


def _bone() -> dict[str, Any]:
    return _cond("b", SNOMED, "94222008", "Secondary malignant neoplasm of bone", "2025-06-01")


@pytest.mark.parametrize(
    "ref",
    [{"display": "Letrozole 2.5 mg tablet"}, {"identifier": {"system": "urn:x", "value": "123"}, "display": "Letrozole 2.5 mg"}],
)
def test_logical_medication_reference_is_read_not_rejected(ref: dict[str, Any]) -> None:
    st = {"resourceType": "MedicationStatement", "id": "s", "status": "active", "medicationReference": ref,
          "subject": {"reference": "Patient/p"}, "effectivePeriod": {"start": "2025-07-01"}}  # fmt: skip
    ex = extract(fhir_bundle(_bone(), st), as_of=AS_OF)
    assert ex.record["prior_therapies"][0]["drugs"] == ["letrozole"]
    assert not [u for u in ex.unread if u.get("kind") == "unreadable_resource"]


def test_dispense_is_a_record_of_the_drug() -> None:
    d = {"resourceType": "MedicationDispense", "id": "d", "status": "completed",
         "medicationCodeableConcept": {"coding": [{"system": RXNORM, "code": "72965"}]},
         "subject": {"reference": "Patient/p"}, "whenHandedOver": "2025-07-01"}  # fmt: skip
    lines = _read(_bone(), d)["prior_therapies"]
    assert (lines[0]["drugs"], lines[0]["start"]) == (["letrozole"], "2025-07-01")


def test_chemotherapy_procedure_with_its_drugs() -> None:
    pr = {"resourceType": "Procedure", "id": "pc", "status": "completed",
          "code": {"coding": [{"system": SNOMED, "code": "367336001", "display": "Chemotherapy"}]},
          "subject": {"reference": "Patient/p"}, "performedPeriod": {"start": "2025-08-01", "end": "2025-11-01"},
          "usedCode": [{"coding": [{"system": RXNORM, "code": "56946", "display": "paclitaxel"}]}]}  # fmt: skip
    line = _read(_bone(), pr)["prior_therapies"][0]
    assert (line["drugs"], line["start"], line["end"], line["setting"]) == (["paclitaxel"], "2025-08-01", "2025-11-01", "metastatic")


def test_national_icd10_edition_and_stage_words() -> None:
    gm = "http://fhir.de/CodeSystem/bfarm/icd-10-gm"
    prim = _cond("p1", gm, "C50.4", "Bösartige Neubildung der Brustdrüse", "2026-01-10")
    prim["stage"] = [{"summary": {"text": "UICC Stadium IV"}}]
    r = _read(prim, _cond("m1", gm, "C78.7", "Sekundäre bösartige Neubildung der Leber", "2026-01-20"))
    assert r["metastases"]["sites"] == ["liver"]
    assert r["presentation"] == "de_novo"


def test_copy_number_gain_written_as_a_sequence_ontology_term() -> None:
    v = _obs(
        "cnv", "69548-6", valueCodeableConcept={"coding": [{"system": LOINC, "code": "LA9633-4"}]},
        component=[_gene("ERBB2", "HGNC:3430"),
                   _comp("48019-4", valueCodeableConcept={"coding": [{"system": "http://www.sequenceontology.org", "code": "SO:0001742", "display": "copy_number_gain"}]}),
                   _SOMATIC],
    )  # fmt: skip
    assert _read(v)["somatic"] == ["ERBB2 amplification"]


def test_receptor_percent_beside_a_coded_answer() -> None:
    positive = {"coding": [{"system": SNOMED, "code": "10828004", "display": "Positive"}]}
    assert _read(_obs("er", "16112-5", valueCodeableConcept={**positive, "text": "Positive (95%)"}))["tumor"]["er_percent"] == 95
    comp = [{"code": {"text": "Percentage of stained nuclei"}, "valueQuantity": {"value": 80, "unit": "%"}}]
    assert _read(_obs("er", "16112-5", valueCodeableConcept=positive, component=comp))["tumor"]["er_percent"] == 80
    allred = _read(_obs("er", "16112-5", valueCodeableConcept={"text": "Positive, Allred 7/8 (60%)"}))["tumor"]
    assert allred == {"er_status": "positive"}


def test_unnamed_results_on_the_de_novo_diagnosis_day_are_the_primarys() -> None:
    prim = _cond("p", ICD, "C50.911", "Malignant neoplasm of right female breast", "2026-09-10")
    prim["stage"] = [{"summary": {"text": "Stage IV"}}]
    er = _obs("er", "85337-4", "2026-09-10", valueQuantity={"value": 95, "unit": "%"})
    ex = extract(fhir_bundle(prim, _cond("m", ICD, "C79.51", "Secondary malignant neoplasm of bone", "2026-09-18"), er), as_of=AS_OF)
    assert ex.record["tumor"]["receptor_source"] == "primary"
    assert ex.provenance["tumor.receptor_source"]["certainty"] == "inferred"


def test_quantitative_hcg_flagged_negative() -> None:
    hcg = _obs("h", "19080-1", "2026-10-25", valueQuantity={"value": 2, "unit": "m[IU]/mL", "comparator": "<"},
               interpretation=[{"coding": [{"code": "NEG", "display": "Negative"}]}])  # fmt: skip
    hcg["code"]["coding"][0]["display"] = "Choriogonadotropin [Units/volume] in Serum or Plasma"
    assert _read(hcg)["pregnant"] is False


def _brain_mri(conclusion: str) -> dict[str, Any]:
    return {"resourceType": "DiagnosticReport", "id": "mr", "status": "final",
            "code": {"coding": [{"system": LOINC, "code": "24590-2", "display": "MR Brain WO and W contrast IV"}]},
            "subject": {"reference": "Patient/p"}, "effectiveDateTime": "2026-10-15", "conclusion": conclusion}  # fmt: skip


@pytest.mark.parametrize(
    ("conclusion", "want"),
    [
        ("Lesions smaller. Patient reports headaches have resolved; no focal deficit.", False),
        ("Lesions smaller. Ongoing headaches; no focal deficit.", None),
        ("Lesions smaller.", None),
    ],
)
def test_brain_imaging_conclusion_says_asymptomatic(conclusion: str, want: bool | None) -> None:
    brain = _cond("b", ICD, "C79.31", "Secondary malignant neoplasm of brain", "2026-09-01")
    r = _read(brain, _brain_mri(conclusion))
    assert r["metastases"].get("brain", {}).get("symptomatic") is want


def test_panel_of_named_marker_components() -> None:
    panel = _obs("p", "LOCALPANEL", system="urn:x", component=[
        {"code": {"text": "Oestrogen receptor (% nuclei)"}, "valueQuantity": {"value": 90, "unit": "%"}},
        {"code": {"text": "Progesterone receptor"}, "valueString": "negative"},
        {"code": {"text": "HER2 IHC"}, "valueString": "2+"},
        {"code": {"text": "Ki-67"}, "valueQuantity": {"value": 20, "unit": "%"}},
    ])  # fmt: skip
    assert _read(panel)["tumor"] == {"er_percent": 90, "pr_status": "negative", "her2_ihc": "2+"}


@pytest.mark.parametrize(
    ("code", "value", "want"),
    [
        ("85319-2", {"valueQuantity": {"value": 2, "unit": "{score}"}}, ("her2_ihc", "2+")),
        ("85319-2", {"valueQuantity": {"value": 1}}, ("her2_ihc", "1+")),
        ("48676-1", {"valueQuantity": {"value": 2.0, "unit": "{ratio}"}}, ("her2_ish", "amplified")),
    ],
)
def test_her2_score_as_a_quantity(code: str, value: dict[str, Any], want: tuple[str, str]) -> None:
    tumor = _read(_obs("h", code, **value))["tumor"]
    assert (want[0], tumor[want[0]]) == want


def test_her2_observation_by_its_full_name() -> None:
    h = _obs("h", "x", system=SNOMED, valueCodeableConcept={"coding": [{"system": SNOMED, "code": "260385009", "display": "Negative"}]})
    h["code"]["coding"][0]["display"] = "Human epidermal growth factor receptor 2 status"
    assert _read(h)["tumor"]["her2_status"] == "negative"


def test_two_patient_resources_of_one_person_are_not_a_fault() -> None:
    """A Patient twice under two ids with the same identifier, or linked (a merged record):
    one person, read; two different people are still a structural fault."""
    from mbc.errors import FHIRMappingError

    a = {"resourceType": "Patient", "id": "a", "gender": "female", "identifier": [{"system": "urn:mrn", "value": "123"}]}
    same = {"resourceType": "Patient", "id": "b", "identifier": [{"system": "urn:mrn", "value": "123"}]}
    linked = {"resourceType": "Patient", "id": "d", "link": [{"other": {"reference": "Patient/a"}, "type": "replaced-by"}]}
    other = {"resourceType": "Patient", "id": "c", "identifier": [{"system": "urn:mrn", "value": "999"}]}
    er = _obs("er", "85337-4", valueQuantity={"value": 90, "unit": "%"})
    for twin in (same, linked):
        bundle = {"resourceType": "Bundle", "type": "collection", "entry": [{"resource": r} for r in (a, twin, er)]}
        assert extract(bundle, as_of=AS_OF).record["tumor"]["er_percent"] == 90
    with pytest.raises(FHIRMappingError):
        extract({"resourceType": "Bundle", "type": "collection", "entry": [{"resource": a}, {"resource": other}]}, as_of=AS_OF)


@pytest.mark.parametrize(
    ("system", "code", "display"),
    [
        ("urn:x", "MBC", "Metastatic breast cancer"),
        (ICD, "C79.9", "Secondary malignant neoplasm of unspecified site"),
        (SNOMED, "128462008", "Secondary malignant neoplastic disease"),
    ],
)
def test_metastatic_disease_without_a_site_dates_it(system: str, code: str, display: str) -> None:
    """The site is not said, the date still counts: a line started after it is metastatic."""
    prim = _cond("p", SNOMED, "254837009", "Malignant neoplasm of breast", "2019-01-01")
    st = {"resourceType": "MedicationStatement", "id": "s", "status": "active",
          "medicationCodeableConcept": {"coding": [{"system": RXNORM, "code": "72965"}]},
          "subject": {"reference": "Patient/p"}, "effectivePeriod": {"start": "2025-04-01"}}  # fmt: skip
    r = _read(prim, _cond("m", system, code, display, "2025-03-01"), st)
    assert (r["metastatic_diagnosis_date"], r["presentation"]) == ("2025-03-01", "recurrence")
    assert r["prior_therapies"][0]["setting"] == "metastatic"
    assert "metastases" not in r or not r["metastases"].get("sites")


@pytest.mark.parametrize("display", ["Non-metastatic breast cancer", "Breast cancer, no evidence of metastatic disease"])
def test_non_metastatic_words_do_not_date_metastases(display: str) -> None:
    assert "metastatic_diagnosis_date" not in _read(_cond("m", "urn:x", "X", display, "2025-03-01"))


@pytest.mark.parametrize(
    "display",
    ["Family history of metastatic breast cancer", "Mother with metastatic breast cancer",
     "Suspected metastatic breast cancer"],
)  # fmt: skip
def test_metastatic_words_of_someone_else_or_a_question_do_not_date_it(display: str) -> None:
    r = _read(_cond("p", SNOMED, "254837009", "Malignant neoplasm of breast", "2019-01-01"),
              _cond("m", "urn:x", "X", display, "2025-03-01"))  # fmt: skip
    assert "metastatic_diagnosis_date" not in r


@pytest.mark.parametrize(
    "display",
    ["Family history of heart failure", "FHx: type 2 diabetes", "Risk of heart failure",
     "Screening for diabetes type 2", "Family history of headache"],
)  # fmt: skip
def test_findings_of_relatives_risks_or_screening_are_not_the_patients(display: str) -> None:
    r = _read(_cond("c", SNOMED, "999999999", display))
    assert "comorbidities" not in r and "symptoms" not in r


@pytest.mark.parametrize(
    "resource",
    [
        {"resourceType": "MedicationDispense", "id": "d", "status": "declined", "whenPrepared": "2025-03-01",
         "medicationCodeableConcept": {"text": "paclitaxel"}},
        {"resourceType": "MedicationDispense", "id": "d", "status": "preparation", "whenPrepared": "2025-03-01",
         "medicationCodeableConcept": {"text": "paclitaxel"}},
        {"resourceType": "Procedure", "id": "pr", "status": "preparation", "code": {"text": "Chemotherapy"},
         "usedCode": [{"text": "paclitaxel"}], "performedPeriod": {"start": "2025-03-01", "end": "2025-06-01"}},
        {"resourceType": "MedicationRequest", "id": "q", "status": "active", "intent": "order", "doNotPerform": True,
         "medicationCodeableConcept": {"text": "paclitaxel"}, "authoredOn": "2025-03-01"},
        {"resourceType": "MedicationRequest", "id": "q", "status": "active", "intent": "option",
         "medicationCodeableConcept": {"text": "Atorvastatin 20 MG Oral Tablet"}, "authoredOn": "2025-03-01"},
        {"resourceType": "MedicationRequest", "id": "q", "status": "active", "intent": "order", "doNotPerform": True,
         "medicationCodeableConcept": {"text": "Atorvastatin 20 MG Oral Tablet"}, "authoredOn": "2025-03-01"},
    ],
)  # fmt: skip
def test_a_drug_declined_in_preparation_an_option_or_not_to_give_is_not_given(resource: dict[str, Any]) -> None:
    r = _read(resource)
    assert "prior_therapies" not in r and "medications" not in r


@pytest.mark.parametrize(
    ("conclusion", "want"),
    [
        ("No mutations detected except PIK3CA H1047R", {"PIK3CA H1047R"}),
        ("No PIK3CA mutation but ESR1 D538G detected", {"PIK3CA wildtype", "ESR1 D538G"}),
        ("PIK3CA H1047R (no resistance mutations). No ESR1 alterations.", {"ESR1 wildtype"}),
        ("PIK3CA E545K previously detected, now not detected", set()),
    ],
)
def test_report_conclusion_never_reads_a_named_change_as_wildtype(conclusion: str, want: set[str]) -> None:
    report = {"resourceType": "DiagnosticReport", "id": "gx", "status": "final",
              "code": {"coding": [{"system": LOINC, "code": "51969-4"}]}, "effectiveDateTime": "2026-09-01",
              "conclusion": conclusion}  # fmt: skip
    assert set(_read(report).get("somatic") or []) == want


@pytest.mark.parametrize(
    "display",
    ["Family history of triple negative breast cancer", "Mother: ER positive breast cancer",
     "Breast cancer, not HER2 positive"],
)  # fmt: skip
def test_receptor_words_of_a_relative_or_denied_are_not_the_tumours(display: str) -> None:
    tumor = _read(_cond("c", "urn:x", "X", display)).get("tumor") or {}
    assert not {"er_status", "pr_status", "her2_status"} & set(tumor)


def test_a_percentage_that_contradicts_the_coded_receptor_answer_is_not_read() -> None:
    negative = {"coding": [{"system": SNOMED, "code": "260385009", "display": "Negative"}]}
    cellularity = [{"code": {"text": "Tumor cellularity"}, "valueQuantity": {"value": 60, "unit": "%"}}]
    for obs in (
        _obs("er", "16112-5", valueCodeableConcept=negative, component=cellularity),
        _obs("er", "16112-5", valueCodeableConcept={**negative, "text": "Negative (tumour cellularity 40%)"}),
    ):
        assert _read(obs)["tumor"] == {"er_status": "negative"}


@pytest.mark.parametrize("said", ["PIK3CA H1047R detected (no resistance mutations)", "PIK3CA H1047R not detected"])
def test_variant_words_naming_a_change_and_not_detected_are_not_read(said: str) -> None:
    v = _obs("v", "69548-6", valueString=said, component=[_gene("PIK3CA", "HGNC:8975"), _SOMATIC])
    assert "somatic" not in _read(v)


def test_variant_detected_with_other_genes_absent_is_not_wildtype() -> None:
    v = _obs("v", "69548-6", valueString="Detected. No ESR1 alterations.",
             component=[_gene("PIK3CA", "HGNC:8975"), _SOMATIC])  # fmt: skip
    assert set(_read(v)["somatic"]) == {"PIK3CA mutation", "ESR1 wildtype"}
