"""Issue 11, session 7: FHIR therapies, receptors, genomics and report words as other producers
write them (our own small bundles, written from the FHIR R4 / mCODE / Genomics Reporting rules;
none copied from a blind set)."""

from __future__ import annotations

import base64
import datetime as dt
from typing import Any

import pytest

from ._fhir_builders import ATC, ICD, LOINC, SNOMED, condition, extraction, obs, read, request, statement

pytestmark = pytest.mark.filterwarnings("ignore::UserWarning")
AS_OF = dt.date(2026, 11, 1)

# RxNorm ingredient codes as listed in knowledge/ingest/drugs.yaml
DOCETAXEL, CARBOPLATIN, TRASTUZUMAB, PERTUZUMAB, TDM1 = "72962", "40048", "224905", "1298944", "1371041"
ANASTROZOLE, ABEMACICLIB, LEUPROLIDE, LETROZOLE = "84857", "1946825", "42375", "72965"


def _lines(*resources: dict[str, Any], as_of: dt.date = AS_OF) -> list[dict[str, Any]]:
    return list(read(as_of, *resources).get("prior_therapies") or [])


def _line_with(lines: list[dict[str, Any]], drug: str) -> dict[str, Any]:
    return next(t for t in lines if drug in t["drugs"])


def _recurrence(onset: str = "2025-02-10") -> list[dict[str, Any]]:
    """A stage II primary in 2019 and a liver metastasis found on ``onset``."""
    return [
        condition("prim", {"coding": [{"system": ICD, "code": "C50.412"}]}, "2019-04-08"),
        condition("liver", {"coding": [{"system": ICD, "code": "C78.7"}]}, onset),
    ]


# ------------------------------------------------------------------ therapies


def test_statement_category_words_give_the_setting() -> None:
    """Neoadjuvant TCHP then adjuvant T-DM1 two months later, each said in the statement's
    category: two early courses with their settings, not one merged adjuvant course."""
    neo = {"category": {"text": "neoadjuvant (TCHP x6)"}}
    tchp = [statement(f"n{i}", rx, "2019-05-06", "2019-08-19", **neo) for i, rx in
            enumerate((DOCETAXEL, CARBOPLATIN, TRASTUZUMAB, PERTUZUMAB))]  # fmt: skip
    tdm1 = statement("t", TDM1, "2019-10-14", "2020-08-24", category={"text": "adjuvant (residual disease)"})
    lines = _lines(*_recurrence("2023-02-10"), *tchp, tdm1)
    assert _line_with(lines, "docetaxel")["setting"] == "neoadjuvant"
    assert "trastuzumab emtansine" not in _line_with(lines, "docetaxel")["drugs"]
    assert _line_with(lines, "trastuzumab emtansine")["setting"] == "adjuvant"


def test_coded_status_reason_condition_worsened_is_progression() -> None:
    why = [{"coding": [{"system": SNOMED, "code": "271299001", "display": "Patient's condition worsened"}]}]
    line = _lines(*_recurrence(), statement("l", LETROZOLE, "2025-03-01", "2026-01-15", "stopped", statusReason=why))
    assert line[0]["stop_reason"] == "progression"


@pytest.mark.parametrize(
    ("why", "want"),
    [
        ("Stopped for recurrent G4 thrombocytopenia; responding disease", "toxicity"),
        ("Recurrence in the liver on CT", "progression"),
        ("recurrent disease (PD)", "progression"),
    ],
)
def test_recurrent_toxicity_is_not_a_recurrence(why: str, want: str) -> None:
    st = statement("c", CARBOPLATIN, "2025-03-01", "2025-08-01", "stopped", statusReason=[{"text": why}])
    assert _lines(*_recurrence(), st)[0]["stop_reason"] == want


def test_dose_change_order_is_not_a_stop() -> None:
    """A 150 mg order stopped because the dose was reduced, then the 100 mg order stopped at
    progression: one course, stopped for progression, not toxicity."""
    v1 = {"dispenseRequest": {"validityPeriod": {"start": "2025-03-01", "end": "2025-05-14"}},
          "statusReason": {"text": "Dose reduced (diarrhoea G3) - see new Rx 100 mg"}}  # fmt: skip
    v2 = {"dispenseRequest": {"validityPeriod": {"start": "2025-05-14", "end": "2026-06-01"}},
          "statusReason": {"text": "Progression"}}  # fmt: skip
    lines = _lines(*_recurrence(), request("a1", ABEMACICLIB, "2025-03-01", "stopped", **v1),
                   request("a2", ABEMACICLIB, "2025-05-14", "stopped", **v2))  # fmt: skip
    assert len(lines) == 1
    assert lines[0]["stop_reason"] == "progression"
    assert lines[0]["end"] == "2026-06-01"


def test_order_chain_is_one_course_and_a_held_order_after_progression_does_not_restart_it() -> None:
    """Orders dated only by authoredOn, months apart, chained by priorPrescription, with the
    doses given on them: one course, ended at progression; the held follow-up order does not
    make it ongoing."""
    first = request("t1", TDM1, "2024-07-08", "stopped", statusReason={"text": "replaced by dose-reduced order"})
    second = request("t2", TDM1, "2025-02-10", "stopped", priorPrescription={"reference": "MedicationRequest/t1"},
                     statusReason={"text": "Progression: new brain metastases"})  # fmt: skip
    held = request("t3", TDM1, "2026-09-22", "on-hold", priorPrescription={"reference": "MedicationRequest/t2"})
    last_dose = {
        "resourceType": "MedicationAdministration", "id": "ad", "status": "completed",
        "medicationCodeableConcept": {"coding": [{"system": "http://www.nlm.nih.gov/research/umls/rxnorm", "code": TDM1}]},
        "subject": {"reference": "Patient/p"}, "effectiveDateTime": "2026-09-01",
        "request": {"reference": "MedicationRequest/t2"},
    }  # fmt: skip
    lines = _lines(*_recurrence("2024-06-01"), first, second, held, last_dose)
    assert len(lines) == 1, lines
    assert lines[0]["stop_reason"] == "progression"
    assert lines[0]["end"] == "2026-09-01"


def test_gnrh_backbone_going_on_does_not_keep_a_stopped_line_open() -> None:
    def order(rid: str, rx: str, status: str, end: str | None, **more: Any) -> dict[str, Any]:
        period = {"start": "2024-02-20", **({"end": end} if end else {})}
        return request(rid, rx, "2024-02-20", status, dispenseRequest={"validityPeriod": period}, **more)

    pd = {"statusReason": {"text": "Progression (bone scan 10/08/26)"}}
    lines = _lines(
        condition("prim", {"coding": [{"system": ICD, "code": "C50.022"}]}, "2024-02-05",
                  stage=[{"summary": {"text": "Stage IV"}}]),
        order("ana", ANASTROZOLE, "stopped", "2026-10-08", **pd), order("abe", ABEMACICLIB, "stopped", "2026-10-08", **pd),
        order("leu", LEUPROLIDE, "active", None),
    )  # fmt: skip
    assert len(lines) == 1
    assert set(lines[0]["drugs"]) == {"anastrozole", "abemaciclib", "leuprolide"}
    assert lines[0]["stop_reason"] == "progression"
    assert lines[0]["end"] == "2026-10-08"


def test_gnrh_alone_still_ongoing() -> None:
    period = {"validityPeriod": {"start": "2025-03-01"}}
    lines = _lines(*_recurrence(), request("g", LEUPROLIDE, "2025-03-01", dispenseRequest=period))
    assert lines[0]["stop_reason"] == "ongoing"


@pytest.mark.parametrize(("scheduled", "given"), [("2026-11-09", False), ("2026-10-05", True)])
def test_order_whose_first_dose_is_scheduled_later_is_not_given(scheduled: str, given: bool) -> None:
    text = [{"text": f"75 mg/m2 IV q21d, C1D1 scheduled {scheduled}"}]
    ex = extraction(AS_OF, *_recurrence("2026-09-20"), request("o", DOCETAXEL, "2026-10-01", dosageInstruction=text))
    assert bool(ex.record.get("prior_therapies")) is given
    if not given:
        assert any("not yet given" in str(u.get("reason")) for u in ex.unread)


def test_atc_coded_drug() -> None:
    st = statement("l", "x", "2025-03-01", None, "active")
    st["medicationCodeableConcept"] = {"coding": [{"system": ATC, "code": "L02BG04"}]}
    assert _lines(*_recurrence(), st)[0]["drugs"] == ["letrozole"]


def test_intrauterine_system_named_by_its_drug() -> None:
    st = statement("iud", "x", "2023-06-01", None, "active")
    st["medicationCodeableConcept"] = {"text": "levonorgestrel IUS (Mirena)"}
    assert read(AS_OF, st)["medications"] == ["levonorgestrel"]


# ------------------------------------------------------------------ receptors


def _her2_snomed(**more: Any) -> dict[str, Any]:
    o = obs("h2", "433114000", "2026-10-30", system=SNOMED, **more)
    o["code"]["coding"][0]["display"] = "Human epidermal growth factor receptor 2 gene detection by immunohistochemistry"
    return o


def test_her2_ish_component_of_a_result_read_by_name() -> None:
    """A HER2 IHC result known by its name, coded Negative with "Score 2+" in its words, and its
    ISH as a named component: 2+ and not amplified (HER2-low), not HER2 negative unknown."""
    ish = {"code": {"coding": [{"system": SNOMED, "code": "414464004", "display": "HER2 ISH"}]},
           "valueString": "not amplified (ratio 1.3)"}  # fmt: skip
    h2 = _her2_snomed(valueCodeableConcept={"coding": [{"system": SNOMED, "code": "260385009", "display": "Negative"}],
                                            "text": "Score 2+ (moderate, complete, >10%)"}, component=[ish])  # fmt: skip
    tumor = read(AS_OF, h2)["tumor"]
    assert tumor["her2_ihc"] == "2+"
    assert tumor["her2_ish"] == "not_amplified"


@pytest.mark.parametrize(
    ("where", "want"),
    [
        ({"specimen": {"display": "Leber Segment VII, Stanze"}}, "metastasis"),
        ({"specimen": {"display": "Mamma links, Stanze"}}, "primary"),
        ({"code_text": "ER % (pleural fluid cell block)"}, "metastasis"),
    ],
)
def test_specimen_from_other_words(where: dict[str, Any], want: str) -> None:
    er = obs("er", "85329-1", "2019-04-20", valueQuantity={"value": 80, "unit": "%"})
    if "code_text" in where:
        er["code"]["text"] = where["code_text"]
    else:
        er.update(where)
    assert read(AS_OF, er)["tumor"]["receptor_source"] == want


def _panel(text: str, conclusion: str | None = None) -> list[dict[str, Any]]:
    er = obs("er", "16112-5", "2019-04-20", valueCodeableConcept={"text": "Negative"})
    panel = obs("pan", "BRPANEL", "2019-04-20", system="urn:oid:1.2.3", hasMember=[{"reference": "Observation/er"}])
    panel["code"]["text"] = text
    report = {"resourceType": "DiagnosticReport", "id": "dr", "status": "final", "code": {"text": "Pathology"},
              "subject": {"reference": "Patient/p"}, "effectiveDateTime": "2019-04-20",
              "result": [{"reference": "Observation/pan"}], **({"conclusion": conclusion} if conclusion else {})}  # fmt: skip
    return [er, panel, report]


@pytest.mark.parametrize(
    ("name", "conclusion", "want"),
    [
        ("Breast prognostic markers (lung bx)", None, "metastasis"),
        ("Breast prognostic markers", "Liver, core: metastatic carcinoma", "metastasis"),
        ("Breast prognostic markers", None, None),  # "breast" names the cancer, not the tissue
    ],
)
def test_site_named_by_the_panel_or_report(name: str, conclusion: str | None, want: str | None) -> None:
    assert read(AS_OF, *_panel(name, conclusion))["tumor"].get("receptor_source") == want


@pytest.mark.parametrize(
    ("presentation", "tested", "want"),
    [
        ("de_novo", "2024-02-07", "primary"),  # two days after the de novo diagnosis: the diagnostic biopsy
        ("recurrence", "2024-02-07", "metastasis"),  # two days after the recurrence was found
        ("recurrence", "2019-05-01", "primary"),  # at the first diagnosis
    ],
)
def test_receptor_source_by_date(presentation: str, tested: str, want: str) -> None:
    prim_onset = "2024-02-05" if presentation == "de_novo" else "2019-04-20"
    conds = [condition("prim", {"coding": [{"system": ICD, "code": "C50.412"}]}, prim_onset),
             condition("bone", {"coding": [{"system": ICD, "code": "C79.51"}]}, "2024-02-05")]  # fmt: skip
    er = obs("er", "85329-1", tested, valueQuantity={"value": 90, "unit": "%"})
    record = read(AS_OF, *conds, er)
    assert record["presentation"] == presentation
    assert record["tumor"]["receptor_source"] == want


# ------------------------------------------------------------------ genomics


@pytest.mark.parametrize(
    ("name", "value", "want"),
    [
        ("GUARDANT360 - PIK3CA", "Not detected", "PIK3CA wildtype"),
        ("GUARDANT360 - AKT1", "AKT1 p.E17K (c.49G>A) DETECTED, VAF 3.8%", "AKT1 E17K"),
        ("ESR1 mutation (ctDNA)", "Not detected", "ESR1 wildtype"),
        ("PIK3CA mutation analysis (tissue) - therascreen", "No mutation detected", "PIK3CA wildtype"),
    ],
)
def test_result_named_by_its_gene(name: str, value: str, want: str) -> None:
    o = obs("g", "LOCAL1", "2026-10-15", system="urn:oid:1.2.3", valueString=value)
    o["code"] = {"text": name}
    assert read(AS_OF, o)["somatic"] == [want]


def test_region_studied_notes_give_wildtype_for_the_genes_the_plan_reads() -> None:
    region = obs("rs", "53041-0", "2026-10-12", note=[{"text": "74-gene cfDNA panel. No reportable alterations in AKT1, PTEN or ERBB2."}])
    assert sorted(read(AS_OF, region)["somatic"]) == ["AKT1 wildtype", "PTEN wildtype"]


@pytest.mark.parametrize(
    ("conclusion", "want"),
    [
        ("NEGATIVE for pathogenic germline variants. One variant of uncertain significance (ATM).", []),
        ("Pathogenic germline BRCA1 variant detected (c.68_69del).", ["BRCA1"]),
    ],
)
def test_germline_report_conclusion(conclusion: str, want: list[str]) -> None:
    report = {"resourceType": "DiagnosticReport", "id": "g", "status": "final",
              "code": {"coding": [{"system": LOINC, "code": "51969-4"}], "text": "Hereditary cancer panel"},
              "subject": {"reference": "Patient/p"}, "effectiveDateTime": "2023-05-20", "conclusion": conclusion}  # fmt: skip
    assert read(AS_OF, report).get("germline") == want


# ------------------------------------------------------------------ report words


def _report(text: str | None = None, conclusion: str | None = None, code: str = "60567-5") -> dict[str, Any]:
    body: dict[str, Any] = {"resourceType": "DiagnosticReport", "id": "dr", "status": "final",
                            "code": {"coding": [{"system": LOINC, "code": code}]},
                            "subject": {"reference": "Patient/p"}, "effectiveDateTime": "2023-02-14"}  # fmt: skip
    if text is not None:
        data = base64.b64encode(text.encode()).decode()
        body["presentedForm"] = [{"contentType": "text/plain", "title": "ISH addendum", "data": data}]
    if conclusion is not None:
        body["conclusion"] = conclusion
    return body


@pytest.mark.parametrize(
    ("text", "want"),
    [
        ("HER2 DUAL-PROBE ISH (lung core). HER2/CEP17 ratio 3.4; 7.9 signals/cell. INTERPRETATION: POSITIVE (AMPLIFIED).",
         "amplified"),
        ("HER2 FISH: NOT AMPLIFIED (ratio 1.2, 2.1 copies/cell).", "not_amplified"),
        ("HER2 ISH to follow on the liver core.", None),
    ],
)  # fmt: skip
def test_her2_ish_only_in_the_report_text(text: str, want: str | None) -> None:
    ex = extraction(AS_OF, _report(text=text))
    assert ex.record.get("tumor", {}).get("her2_ish") == want
    if want is not None:
        assert ex.provenance["tumor.her2_ish"]["certainty"] == "inferred"
        assert ex.provenance["tumor.her2_ish"]["resource"] == "DiagnosticReport/dr"


def test_pathology_conclusion_gives_histology_only_when_no_condition_does() -> None:
    report = _report(conclusion="Liver, core: metastatic ductal carcinoma (NST).")
    assert read(AS_OF, report)["tumor"]["histology"] == "ductal"
    lobular = condition("prim", {"coding": [{"system": ICD, "code": "C50.912"}], "text": "Invasive lobular carcinoma"},
                        "2019-04-08")  # fmt: skip
    assert read(AS_OF, report, lobular)["tumor"]["histology"] == "lobular"
    other = _report(conclusion="Ductal carcinoma in a lymph node", code="24627-2")  # a CT report: not pathology
    assert "histology" not in read(AS_OF, other).get("tumor", {})


# ------------------------------------------------------------------ values


def test_weight_in_ounces_and_hba1c_in_mmol_per_mol() -> None:
    wt = obs("wt", "29463-7", "2026-10-29", valueQuantity={"value": 3104, "unit": "[oz_av]", "code": "[oz_av]"})
    a1c = obs("a1c", "4548-4", "2026-10-29", valueQuantity={"value": 48, "unit": "mmol/mol", "code": "mmol/mol"})
    ex = extraction(AS_OF, wt, a1c)
    assert ex.record["weight_kg"] == pytest.approx(88.0, abs=0.05)
    assert ex.record["labs"]["hba1c_percent"] == pytest.approx(6.5, abs=0.05)  # 48 mmol/mol is the 6.5 % cut-off
    assert ex.provenance["labs.hba1c_percent"]["certainty"] == "inferred"


@pytest.mark.parametrize(
    ("name", "value", "want"),
    [
        ("Menopause status", {"valueString": "post"}, "postmenopausal"),
        ("Menses regular, LMP 2026-10-08", {"valueCodeableConcept": {"text": "Premenopausal - regular cycles"}},
         "premenopausal"),
    ],
)  # fmt: skip
def test_menopause_in_other_words(name: str, value: dict[str, Any], want: str) -> None:
    o = obs("m", "LOCALM", "2026-10-20", system="urn:oid:1.2.3", **value)
    o["code"] = {"text": name}
    assert read(AS_OF, o)["menopausal_status"] == want


def test_karnofsky_converted_keeps_its_source_and_a_stated_ecog_wins() -> None:
    kps = obs("kps", "89243-0", "2026-10-20", valueInteger=70)
    ex = extraction(AS_OF, kps)
    assert ex.record["ecog"] == 1
    prov = ex.provenance["ecog"]
    assert prov["certainty"] == "inferred"
    assert prov["converted_from"] == "Karnofsky 70"
    stated = obs("ecog", "89247-1", "2026-10-20", valueInteger=2)
    for order in ((kps, stated), (stated, kps)):
        ex = extraction(AS_OF, *order)
        assert ex.record["ecog"] == 2
        assert ex.provenance["ecog"].get("converted_from") is None


def test_copy_number_parts_of_a_her2_ish_result_are_not_results_of_their_own() -> None:
    """A named HER2 ISH result whose ratio and copy number put it in ASCO-CAP group 2: not
    decided, and its ratio component alone is not read as an amplified ISH."""
    parts = [{"code": {"text": "HER2/CEP17 ratio"}, "valueQuantity": {"value": 2.6}},
             {"code": {"text": "mean HER2 copy number / cell"}, "valueQuantity": {"value": 3.4, "code": "{signals}/{cell}"}}]  # fmt: skip
    o = obs("i", "HER2ISH", "2025-03-12", system="urn:oid:1.2.3", component=parts)
    o["code"]["coding"][0]["display"] = "HER2 ISH"
    assert "her2_ish" not in read(AS_OF, o).get("tumor", {})


# ------------------------------------------------------------------ tumour-registry items (NAACCR SSDI)


def _item(number: str, name: str, **value: Any) -> dict[str, Any]:
    o = obs(f"n{number}", number, "2020-03-01", system="http://naaccr.org/naaccrxml", **value)
    o["code"]["coding"][0]["display"] = name
    return o


@pytest.mark.parametrize(
    ("number", "name", "value", "field", "want"),
    [
        ("3827", "Estrogen Receptor Summary", "1", "er_status", "positive"),  # not ER 1 %
        ("3827", "Estrogen Receptor Summary", "0", "er_status", "negative"),
        ("3915", "Progesterone Receptor Summary", "0", "pr_status", "negative"),  # not PR 0 %
        ("3855", "HER2 Overall Summary", "1", "her2_status", "positive"),  # not HER2 1+
        ("3850", "HER2 IHC Summary", "2", "her2_ihc", "2+"),
        ("3854", "HER2 ISH Summary", "3", "her2_ish", "amplified"),
        ("3826", "Estrogen Receptor Percent Positive or Range", "085", "er_percent", 85.0),
        ("3826", "Estrogen Receptor Percent Positive or Range", "R10", "er_status", "low"),
        ("3852", "HER2 ISH Dual Probe Ratio", "2.5", "her2_ish", "amplified"),
    ],
)
def test_registry_item_codes(number: str, name: str, value: str, field: str, want: Any) -> None:
    tumor = read(AS_OF, _item(number, name, valueString=value))["tumor"]
    assert tumor == {field: want}


@pytest.mark.parametrize(
    ("number", "name", "value"),
    [
        ("3827", "Estrogen Receptor Summary", "9"),  # unknown, not ER 9 %
        ("3854", "HER2 ISH Summary", "1"),  # no such code (3 is positive): not "ratio 1, not amplified"
        ("3854", "HER2 ISH Summary", "2"),  # equivocal
        ("3852", "HER2 ISH Dual Probe Ratio", "XX.9"),
    ],
)
def test_registry_codes_that_say_no_result_are_unread(number: str, name: str, value: str) -> None:
    ex = extraction(AS_OF, _item(number, name, valueString=value))
    assert "tumor" not in ex.record
    assert ex.unread


def test_registry_item_known_by_its_name_only() -> None:
    o = obs("er", "LOCAL-ER", "2020-03-01", system="urn:oid:1.2.3",
            valueCodeableConcept={"coding": [{"system": "urn:oid:1.2.4", "code": "1", "display": "ER positive"}]})  # fmt: skip
    o["code"]["text"] = "Estrogen Receptor Summary"
    assert read(AS_OF, o)["tumor"] == {"er_status": "positive"}


def test_icdo3_coded_conditions() -> None:
    """A registry's conditions: breast topography C50.4 with morphology 8500/3 is the primary
    (ductal); liver topography C22.0 with behaviour /6 is a liver metastasis."""
    icdo = "http://terminology.hl7.org/CodeSystem/icd-o-3"

    def morph(code: str) -> list[dict[str, Any]]:
        url = "http://hl7.org/fhir/us/mcode/StructureDefinition/mcode-histology-morphology-behavior"
        return [{"url": url, "valueCodeableConcept": {"coding": [{"system": icdo, "code": code}]}}]

    prim = condition("prim", {"coding": [{"system": icdo, "code": "C50.4"}]}, "2019-03-01", extension=morph("8500/3"))
    met = condition("met", {"coding": [{"system": icdo, "code": "C22.0"}]}, "2024-05-01", extension=morph("8500/6"))
    record = read(AS_OF, prim, met)
    assert record["tumor"]["histology"] == "ductal"
    assert record["metastases"]["sites"] == ["liver"]
    assert record["presentation"] == "recurrence"
    assert record["metastatic_diagnosis_date"] == "2024-05-01"
    plain = condition("liv", {"coding": [{"system": icdo, "code": "C22.0"}]}, "2024-05-01")  # no behaviour: not a site
    assert "metastases" not in read(AS_OF, plain)
    # an earlier DCIS (C50 with behaviour /2) is not the invasive primary: it gives no date and no histology
    dcis = condition("dcis", {"coding": [{"system": icdo, "code": "C50.4"}]}, "2012-03-01", extension=morph("8500/2"))
    ex = extraction(AS_OF, dcis, met)
    assert "histology" not in (ex.record.get("tumor") or {})
    assert any(u.get("reason") == "not an invasive cancer" for u in ex.unread)


@pytest.mark.parametrize(("said", "want"), [("Allred 7/8", "positive"), ("Allred score 2/8", "negative")])
def test_receptor_given_as_an_allred_score(said: str, want: str) -> None:
    er = obs("er", "85337-4", "2024-03-01", valueString=said)
    ex = extraction(AS_OF, er)
    assert ex.record["tumor"] == {"er_status": want}
    assert ex.provenance["tumor.er_status"]["certainty"] == "inferred"


@pytest.mark.parametrize(("why", "lines"), [("arthralgia - intolerance", 1), ("Progression on CT", 2)])
def test_switch_for_toxicity_stays_in_the_line(why: str, lines: int) -> None:
    """Letrozole stopped (for toxicity, or at progression), exemestane from three weeks later:
    a switch for toxicity is the same line; a change at progression is a new one."""
    let = statement("let", LETROZOLE, "2025-03-01", "2025-06-01", "stopped", statusReason=[{"text": why}])
    exe = statement("exe", "258494", "2025-06-20", "2026-05-01", "stopped", statusReason=[{"text": "Progression"}])
    got = _lines(*_recurrence(), let, exe)
    assert len(got) == lines
    assert got[-1]["stop_reason"] == "progression"
    if lines == 1:
        assert set(got[0]["drugs"]) == {"letrozole", "exemestane"}
