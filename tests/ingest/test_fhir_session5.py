"""Issue 11, session 5: FHIR idioms of other producers (our own small bundles)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from mbc.ingest import extract

from ._fhir_builders import ICD, LOINC, RXNORM, SNOMED
from ._fhir_builders import obs as _obs
from ._fhir_builders import statement as _statement
from ._helpers import fhir_bundle, fhir_observation

pytestmark = pytest.mark.filterwarnings("ignore::UserWarning")
AS_OF = dt.date(2026, 11, 1)
LOCAL = "urn:oid:1.2.840.114350.1.13.0.1.7.2.768282"


_bundle = fhir_bundle


def _local_obs(oid: str, name: str, day: str, **value: Any) -> dict[str, Any]:
    """An observation known only by a local code and its words (no LOINC beside it)."""
    return fhir_observation(oid, {"system": LOCAL, "code": "LAB" + oid, "display": name}, day, name, **value)


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


def _cond(cid: str, onset: str, code: dict[str, Any], **more: Any) -> dict[str, Any]:
    return {
        "resourceType": "Condition",
        "id": cid,
        "verificationStatus": {"coding": [{"code": "confirmed"}]},
        "code": code,
        "subject": {"reference": "Patient/p"},
        "onsetDateTime": onset,
        **more,
    }


def _liver(onset: str = "2025-03-01") -> dict[str, Any]:
    return _cond("liver", onset, {"coding": [{"system": ICD, "code": "C78.7"}]})


def test_reflex_ish_without_specimen_is_not_historical() -> None:
    """IHC 2+ from a liver core and, two days later, an ISH written without its specimen: the
    ISH is the same episode's result, kept (the subtype needs it)."""
    ihc = _obs("ihc", "85319-2", "2025-03-10", valueString="2+", bodySite={"text": "liver core"})
    ish = _obs("ish", "85318-4", "2025-03-12", valueCodeableConcept={"text": "AMPLIFIED (ratio 2.8)"})
    tumor = extract(_bundle(_liver(), ihc, ish), as_of=AS_OF).record["tumor"]
    assert tumor["her2_ihc"] == "2+"
    assert tumor["her2_ish"] == "amplified"
    assert tumor["receptor_source"] == "metastasis"


def test_ish_without_value_read_from_note_then_ratio_component() -> None:
    name = {"coding": [{"system": "urn:oid:1.2.3", "code": "HER2DISH", "display": "HER2 dual ISH"}]}
    ratio = {"code": {"text": "HER2/CEP17 ratio"}, "valueQuantity": {"value": 1.2, "unit": "ratio"}}
    copies = {"code": {"text": "mean HER2 copy number"}, "valueQuantity": {"value": 3.4}}
    noted = _obs("a", "x", "2025-03-12", component=[copies, ratio], note=[{"text": "group 5 - not amplified"}])
    noted["code"] = name
    assert extract(_bundle(noted), as_of=AS_OF).record["tumor"]["her2_ish"] == "not_amplified"



@pytest.mark.parametrize(
    ("ratio", "copies", "want"),
    [
        (2.6, 5.9, "amplified"),  # ASCO-CAP group 1
        (1.2, 3.4, "not_amplified"),  # group 5
        (2.6, 3.4, None),  # group 2: needs the IHC, not decided
        (None, 6.4, "amplified"),  # single probe
        (None, 3.1, "not_amplified"),
        (None, 4.8, None),
        (2.4, None, "amplified"),  # ratio alone: the ratio cut-off
    ],
)
def test_ish_ratio_and_copy_number(ratio: float | None, copies: float | None, want: str | None) -> None:
    comps = []
    if ratio is not None:
        comps.append({"code": {"text": "HER2/CEP17 ratio"}, "valueQuantity": {"value": ratio}})
    if copies is not None:
        comps.append({"code": {"text": "mean HER2 copy number / cell"}, "valueQuantity": {"value": copies, "code": "{signals}/{cell}"}})
    obs = _obs("i", "x", "2025-03-12", component=comps)
    obs["code"] = {"coding": [{"system": "urn:oid:1.2.3", "code": "HER2ISH", "display": "HER2 ISH"}]}
    ex = extract(_bundle(obs), as_of=AS_OF)
    assert ex.record.get("tumor", {}).get("her2_ish") == want
    if want is not None:
        assert ex.provenance["tumor.her2_ish"]["certainty"] == "inferred"
    single = _obs("s", "85318-4", "2025-03-12", valueQuantity={"value": copies or 0, "unit": "copies/cell", "code": "{copies}/{cell}"})
    if ratio is None:
        assert extract(_bundle(single), as_of=AS_OF).record.get("tumor", {}).get("her2_ish") == want


@pytest.mark.parametrize(
    ("where", "text", "want"),
    [
        ("code", "R breast carcinoma NST, pT2", "ductal"),
        ("code", "Invasive lobular carcinoma (ILC) L breast", "lobular"),
        ("note", "R mastectomy: IDC grade 2, pT2 pN1a", "ductal"),
    ],
)
def test_histology_words(where: str, text: str, want: str) -> None:
    code: dict[str, Any] = {"coding": [{"system": ICD, "code": "C50.911"}]}
    more: dict[str, Any] = {}
    if where == "code":
        code["text"] = text
    else:
        more["note"] = [{"text": text}]
    record = extract(_bundle(_cond("prim", "2019-04-01", code, **more)), as_of=AS_OF).record
    assert record["tumor"]["histology"] == want


def test_conditions_known_only_by_local_words() -> None:
    local = "urn:oid:2.16.840.1.113883.3.999.77"
    prim = _cond("prim", "2025-10-06", {"coding": [{"system": local, "code": "ONC.BRCA.L", "display": "CA BREAST LEFT"}]})
    nodes = _cond("n", "2025-10-14", {"coding": [{"system": local, "code": "M1", "display": "METS RETROPERITONEAL NODES"}]})
    axilla = _cond("a", "2025-10-14", {"coding": [{"system": local, "code": "M2", "display": "METS L AXILLARY NODES"}]})
    record = extract(_bundle(prim, nodes, axilla), as_of=AS_OF).record
    assert record["metastases"]["sites"] == ["distant_lymph_nodes"]  # not peritoneum, not the axilla
    assert record["presentation"] == "de_novo"
    assert record["metastatic_diagnosis_date"] == "2025-10-14"


def test_variant_parts_written_as_observations_derived_from_it() -> None:
    variant = _obs("v", "69548-6", "2025-09-18", valueCodeableConcept={"coding": [{"system": LOINC, "code": "LA9633-4"}]})
    gene = _obs("g", "48018-6", "2025-09-18", derivedFrom=[{"reference": "Observation/v"}],
                valueCodeableConcept={"coding": [{"system": "http://www.genenames.org", "code": "HGNC:8975", "display": "PIK3CA"}]})  # fmt: skip
    change = _obs("c", "48005-3", "2025-09-18", derivedFrom=[{"reference": "Observation/v"}],
                  valueCodeableConcept={"coding": [{"system": "http://varnomen.hgvs.org", "code": "p.His1047Arg"}]})  # fmt: skip
    ex = extract(_bundle(variant, gene, change), as_of=AS_OF)
    assert ex.record["somatic"] == ["PIK3CA H1047R"]
    assert not [u for u in ex.unread if u.get("kind") in ("code", "genomic_variant")]


def test_gene_lists_in_words() -> None:
    absent = {"coding": [{"system": LOINC, "code": "LA9634-2", "display": "Absent"}]}
    panel = _obs("t", "81247-9", "2025-08-20", valueCodeableConcept={"text": "No reportable alterations in ESR1, PIK3CA (ctDNA)"})
    noted = _obs("n", "69548-6", "2025-08-20", valueCodeableConcept=absent, note=[{"text": "No pathogenic alterations detected in AKT1, PTEN."}])
    germ = _obs("g", "69548-6", "2025-04-02", valueCodeableConcept=absent, component=[
        {"code": {"coding": [{"system": LOINC, "code": "48002-0"}]}, "valueCodeableConcept": {"coding": [{"system": LOINC, "code": "LA6683-2"}]}},
        {"code": {"coding": [{"system": LOINC, "code": "48018-6"}]}, "valueCodeableConcept": {"text": "BRCA1, BRCA2, PALB2"}},
    ])  # fmt: skip
    record = extract(_bundle(panel, noted, germ), as_of=AS_OF).record
    assert sorted(record["somatic"]) == ["AKT1 wildtype", "ESR1 wildtype", "PIK3CA wildtype", "PTEN wildtype"]
    assert record["germline"] == []


def test_local_variant_germline_panel_and_words() -> None:
    local = {"coding": [{"system": "urn:oid:9.9", "code": "GEN.HBOC", "display": "HEREDITARY BREAST/OVARIAN PANEL"}]}
    present = _obs("p", "x", "2025-11-03", valueCodeableConcept={"coding": [{"system": LOINC, "code": "LA9633-4"}]}, component=[
        {"code": {"coding": [{"system": LOINC, "code": "48018-6"}]}, "valueCodeableConcept": {"coding": [{"system": "http://www.genenames.org", "code": "HGNC:1100", "display": "BRCA1"}]}},
        {"code": {"coding": [{"system": LOINC, "code": "48002-0"}]}, "valueCodeableConcept": {"coding": [{"system": LOINC, "code": "LA6683-2"}]}},
    ])  # fmt: skip
    present["code"] = local
    assert extract(_bundle(present), as_of=AS_OF).record["germline"] == ["BRCA1"]
    words = _obs("w", "51969-4", "2021-05-11", valueString="Negative: BRCA1 and BRCA2 sequencing, no pathogenic variant")
    assert extract(_bundle(words), as_of=AS_OF).record["germline"] == []
    tumour = _obs("t", "51969-4", "2021-05-11", valueString="Tumour sequencing: no pathogenic variant in BRCA1/2")
    assert "germline" not in extract(_bundle(tumour), as_of=AS_OF).record


@pytest.mark.parametrize(
    ("text", "want"),
    [
        ("c.2846A>T heterozygous - DPD intermediate metaboliser", "intermediate"),
        ("*1/*1 - no actionable variants (normal metabolizer)", "normal"),
        ("Wild type (no DPYD*2A, *13) - normal metaboliser", "normal"),
    ],
)
def test_dpyd_words(text: str, want: str) -> None:
    obs = _obs("d", "79713-5", "2025-03-25", valueCodeableConcept={"text": text})
    assert extract(_bundle(obs), as_of=AS_OF).record["dpyd"] == want


def test_labs_in_si_units_and_unit_words() -> None:
    ca = _obs("ca", "2000-8", "2026-10-01", valueQuantity={"value": 2.31, "unit": "mmol/L", "code": "mmol/L"})
    alb = _obs("alb", "61151-7", "2026-10-01", valueQuantity={"value": 36, "unit": "g/L", "code": "g/L"})
    glu = _obs("glu", "14771-0", "2026-10-01", valueQuantity={"value": 5.4, "unit": "mmol/L", "code": "mmol/L"})
    tmb = _obs("tmb", "94076-7", "2026-10-01", valueQuantity={"value": 2.5, "unit": "mut/Mb", "code": "1/1000000"})
    bad = _obs("anc", "26499-4", "2026-10-01", valueQuantity={"value": 3000, "unit": "10*3/uL", "code": "10*3/uL"})
    ex = extract(_bundle(ca, alb, glu, tmb, bad), as_of=AS_OF)
    labs = ex.record["labs"]
    assert labs["calcium_mg_dl"] == pytest.approx(9.258, abs=0.01)
    assert labs["albumin_g_dl"] == pytest.approx(3.6)
    assert labs["fasting_glucose_mg_dl"] == pytest.approx(97.3, abs=0.1)
    assert ex.record["tmb_per_mb"] == 2.5
    assert "anc_per_ul" not in labs  # 3 million neutrophils per uL: a unit written wrongly
    assert any(u.get("first_resource") == "Observation/anc" for u in ex.unread)


def test_her2_zero_words_and_held_medication() -> None:
    her2 = _obs("h", "85319-2", "2026-10-12", valueString="0 - no staining observed")
    held = _statement("z", "77655", "2026-03-10", None, status="on-hold")
    record = extract(_bundle(her2, held), as_of=AS_OF).record
    assert record["tumor"]["her2_ihc"] == "0"
    assert "medications" not in record


def test_receptors_dated_before_the_metastases_are_from_the_primary() -> None:
    er = _obs("er", "85337-4", "2025-02-01", valueQuantity={"value": 0, "unit": "%"})
    record = extract(_bundle(er, _liver("2025-03-01")), as_of=AS_OF).record
    assert record["tumor"]["receptor_source"] == "primary"
    later = _obs("er", "85337-4", "2025-03-05", valueQuantity={"value": 0, "unit": "%"})
    assert "receptor_source" not in extract(_bundle(later, _liver("2025-03-01")), as_of=AS_OF).record["tumor"]


def _lines(*resources: dict[str, Any]) -> list[dict[str, Any]]:
    return sorted(extract(_bundle(*resources), as_of=AS_OF).record["prior_therapies"], key=lambda t: t["start"])


def test_post_neoadjuvant_course_is_adjuvant() -> None:
    pac = _statement("pac", "56946", "2020-06-01", "2020-08-24", reasonCode=[{"text": "neoadjuvant"}])
    cape = _statement("cape", "194000", "2020-10-20", "2021-04-06", medicationCodeableConcept={
        "coding": [{"system": RXNORM, "code": "194000"}], "text": "capecitabine (post-neoadjuvant) x8"})  # fmt: skip
    lines = _lines(pac, cape, _liver("2026-09-01"))
    assert [(t["drugs"], t["setting"]) for t in lines] == [(["paclitaxel"], "neoadjuvant"), (["capecitabine"], "adjuvant")]


def test_early_endocrine_apart_when_one_names_the_setting() -> None:
    tc = _statement("tc", "x", "2017-06-05", "2017-08-07", medicationCodeableConcept={
        "text": "TC (docetaxel + cyclophosphamide) x4 - adjuvant"})  # fmt: skip
    tam = _statement("tam", "10324", "2017-07-03", "2022-07-01")
    lines = _lines(tc, tam, _liver("2026-10-05"))
    assert [sorted(t["drugs"]) for t in lines] == [["cyclophosphamide", "docetaxel"], ["tamoxifen"]]


def test_maintenance_drug_joins_the_running_line() -> None:
    tras = _statement("t", "224905", "2023-05-02", "2024-11-20", status="stopped", statusReason=[{"text": "PD"}])
    ful = _statement("f", "282357", "2023-09-01", "2024-11-20", status="stopped", statusReason=[{"text": "PD"}],
                     note=[{"text": "endocrine maintenance with HP"}])  # fmt: skip
    lines = _lines(tras, ful, _liver("2023-04-12"))
    assert len(lines) == 1
    assert sorted(lines[0]["drugs"]) == ["fulvestrant", "trastuzumab"]
    # session 8: added while the line goes on, no progression between: the same line, words or not
    unworded = _statement("f", "282357", "2023-09-01", "2024-11-20", status="stopped", statusReason=[{"text": "PD"}])
    assert len(_lines(tras, unworded, _liver("2023-04-12"))) == 1
    # begun after the line stopped at progression: a line of its own
    ended = _statement("t", "224905", "2023-05-02", "2023-08-25", status="stopped", statusReason=[{"text": "PD"}])
    assert len(_lines(ended, unworded, _liver("2023-04-12"))) == 2


def test_dose_not_given_for_progression_ends_the_line() -> None:
    def admin(aid: str, day: str, status: str = "completed", **more: Any) -> dict[str, Any]:
        return {"resourceType": "MedicationAdministration", "id": aid, "status": status, "effectiveDateTime": day,
                "subject": {"reference": "Patient/p"},
                "medicationCodeableConcept": {"coding": [{"system": "urn:oid:9", "code": "RX.CARBO", "display": "CARBOPLATIN INJ"}]},
                **more}  # fmt: skip

    given = [admin("a1", "2025-11-10"), admin("a2", "2025-12-08"), admin("a3", "2026-01-05")]
    held = admin("a4", "2026-02-02", status="not-done", statusReason=[{"text": "held - CT shows progression (liver)"}])
    lines = _lines(*given, held, _liver("2025-10-14"))
    assert lines[0]["end"] == "2026-01-05"
    assert lines[0]["stop_reason"] == "progression"
    assert "stop_reason" not in _lines(*given, _liver("2025-10-14"))[0]


def test_curative_chain_without_surgery_takes_the_written_setting() -> None:
    curative = [{"url": "http://hl7.org/fhir/us/mcode/StructureDefinition/mcode-procedure-intent",
                 "valueCodeableConcept": {"coding": [{"system": SNOMED, "code": "373808002"}]}}]  # fmt: skip
    ac = _statement("ac", "x", "2021-05-03", "2021-06-14", extension=curative,
                    medicationCodeableConcept={"text": "ddAC (doxorubicin + cyclophosphamide) x4"})  # fmt: skip
    pc = _statement("pc", "x", "2021-06-28", "2021-09-13", extension=curative, note=[{"text": "neoadjuvant"}],
                    medicationCodeableConcept={"text": "weekly paclitaxel + carboplatin x12"})  # fmt: skip
    lines = _lines(ac, pc, _liver("2024-01-10"))
    assert len(lines) == 1
    assert lines[0]["setting"] == "neoadjuvant"
    assert sorted(lines[0]["drugs"]) == ["carboplatin", "cyclophosphamide", "doxorubicin", "paclitaxel"]


def test_stage_iv_on_the_primary_dated_by_the_first_metastasis() -> None:
    stage = [{"summary": {"coding": [{"system": SNOMED, "code": "258228008"}]}}]
    prim = _cond("prim", "2026-09-30", {"coding": [{"system": ICD, "code": "C50.412"}]}, stage=stage)
    bone = _cond("bone", "2026-10-02", {"coding": [{"system": ICD, "code": "C79.51"}]})
    record = extract(_bundle(prim, bone), as_of=AS_OF).record
    assert record["metastatic_diagnosis_date"] == "2026-10-02"
    assert record["presentation"] == "de_novo"
    alone = extract(_bundle(prim), as_of=AS_OF).record
    assert alone["metastatic_diagnosis_date"] == "2026-09-30"


@pytest.mark.parametrize(
    ("text", "want"),
    [
        ("no headache, no focal neuro deficits", False),
        ("no headache, but new confusion", None),  # not all of it denied: not read
        ("headache for 2 weeks", None),
    ],
)
def test_brain_metastases_said_to_cause_no_symptoms(text: str, want: bool | None) -> None:
    brain = _cond("b", "2026-09-25", {"coding": [{"system": ICD, "code": "C79.31"}]})
    sym = _obs("s", "75325-1", "2026-11-02", valueCodeableConcept={"text": text})
    record = extract(_bundle(brain, sym), as_of=AS_OF).record
    assert record["metastases"].get("brain", {}).get("symptomatic") is want
    noted = _cond("b", "2026-09-25", {"coding": [{"system": ICD, "code": "C79.31"}]}, note=[{"text": "pt asymptomatic"}])
    assert extract(_bundle(noted), as_of=AS_OF).record["metastases"]["brain"]["symptomatic"] is False
    no_brain = extract(_bundle(_liver(), sym), as_of=AS_OF).record
    assert "brain" not in no_brain["metastases"]


def test_result_given_only_by_its_interpretation() -> None:
    def interp(code: str) -> list[dict[str, Any]]:
        return [{"coding": [{"system": "http://terminology.hl7.org/CodeSystem/v3-ObservationInterpretation", "code": code}]}]

    er = _obs("er", "16112-5", "2025-03-01", interpretation=interp("POS"))
    pr = _obs("pr", "16113-3", "2025-03-01", interpretation=interp("NEG"))
    her2 = _obs("h", "85319-2", "2025-03-01", interpretation=interp("IND"))
    tumor = extract(_bundle(er, pr, her2), as_of=AS_OF).record["tumor"]
    assert (tumor["er_status"], tumor["pr_status"], tumor["her2_ihc"]) == ("positive", "negative", "2+")
    valued = _obs("er", "16112-5", "2025-03-01", valueString="see report", interpretation=interp("POS"))
    assert "er_status" not in extract(_bundle(valued), as_of=AS_OF).record.get("tumor", {})


def test_receptor_scores_are_not_percentages_and_ecog_in_words() -> None:
    er = _obs("er", "16112-5", "2025-03-01", valueString="Positive, Allred 7/8")
    pr = _obs("pr", "16113-3", "2025-03-01", valueString="40% weak")
    ecog = _obs("e", "89247-1", "2025-03-01", valueString="ECOG 2")
    record = extract(_bundle(er, pr, ecog), as_of=AS_OF).record
    assert record["tumor"]["er_status"] == "positive"
    assert "er_percent" not in record["tumor"]
    assert record["tumor"]["pr_percent"] == 40
    assert record["ecog"] == 2


def test_results_contained_in_a_report() -> None:
    er = {**_obs("er", "85337-4", "2025-03-01", valueQuantity={"value": 90, "unit": "%"}), "id": "er"}
    report = {"resourceType": "DiagnosticReport", "id": "dr", "status": "final", "code": {"text": "Breast biomarkers"},
              "contained": [er], "result": [{"reference": "#er"}]}  # fmt: skip
    ex = extract(_bundle(report), as_of=AS_OF)
    assert ex.record["tumor"]["er_percent"] == 90
    assert ex.provenance["tumor.er_percent"]["resource"] == "Observation/dr#er"


@pytest.mark.parametrize(
    ("resource", "want"),
    [
        (_cond("pg", "2026-07-01", {"coding": [{"system": SNOMED, "code": "77386006"}]}), True),
        (_cond("pg", "2026-07-01", {"coding": [{"system": "urn:oid:9", "code": "OB1", "display": "Pregnancy, 22 weeks"}]}), True),
        (_cond("pg", "2020-07-01", {"text": "History of pregnancy loss"}), None),
        (_cond("pg", "2026-07-01", {"coding": [{"system": SNOMED, "code": "77386006"}]},
               clinicalStatus={"coding": [{"code": "resolved"}]}, abatementDateTime="2026-09-01"), None),  # fmt: skip
        (_obs("pt", "82810-3", "2026-10-01", valueString="Pregnant - 22 weeks gestation"), True),
        (_obs("pt", "82810-3", "2026-10-20", valueString="not pregnant"), False),  # recent: pregnancy_result_days
    ],
)
def test_pregnancy_in_codes_and_words(resource: dict[str, Any], want: bool | None) -> None:
    assert extract(_bundle(resource), as_of=AS_OF).record.get("pregnant") is want
