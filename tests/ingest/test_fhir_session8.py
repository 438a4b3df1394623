"""Session 8 FHIR readings, each in small bundles of our own (none copied from a blind set):
lines of therapy (switches, maintenance, ovarian suppression, early courses, settings from a
registry summary or a record's reason), newest-result and comparison words, germline panels
named so, report words (PD-L1 CPS), last menstrual period, current symptoms, Karnofsky,
genomics words and the session-7 review leftovers (bare HER2 ISH numbers, NAACCR 3855 code 0)."""

from __future__ import annotations

import base64
import datetime as dt
from typing import Any

import pytest

from ._fhir_builders import LOINC, SNOMED, condition, extraction, given, med, obs, read

AS_OF = dt.date(2026, 11, 1)




def bone(day: str = "2024-01-10", cid: str = "m1") -> dict[str, Any]:
    """A confirmed bone metastasis (SNOMED secondary malignant neoplasm of bone)."""
    return condition(cid, {"coding": [{"system": SNOMED, "code": "94222008"}]}, day)


def mastectomy(day: str = "2019-05-01") -> dict[str, Any]:
    return {"resourceType": "Procedure", "id": "sx", "status": "completed", "subject": {"reference": "Patient/p"},
            "code": {"coding": [{"system": SNOMED, "code": "172043006"}], "text": "Mastectomy"},
            "performedDateTime": day}  # fmt: skip


def why(text: str) -> dict[str, Any]:
    return {"statusReason": [{"text": text}]}


def lines(*resources: dict[str, Any]) -> list[dict[str, Any]]:
    return sorted(read(AS_OF, *resources).get("prior_therapies", []), key=lambda t: t["start"])


def drugs(*resources: dict[str, Any]) -> list[list[str]]:
    return [sorted(t["drugs"]) for t in lines(*resources)]


# ---------------------------------------------------------------- lines of therapy


def test_a_switch_for_toxicity_stays_in_the_line_whose_other_drug_later_progresses() -> None:
    ai = med("l", "letrozole", "2024-02-01", "2025-06-01", "stopped", **why("PD"))
    cdk = med("p", "palbociclib", "2024-02-01", "2024-05-01", "stopped",
              **why("recurrent G3 neutropenia - switched to abemaciclib; no progression"))  # fmt: skip
    nxt = med("a", "abemaciclib", "2024-05-20", "2025-06-01", "stopped", **why("PD"))
    assert drugs(bone(), ai, cdk, nxt) == [["abemaciclib", "letrozole", "palbociclib"]]
    after_pd = med("a", "abemaciclib", "2025-06-10", "2026-01-01", "stopped", **why("PD"))
    assert len(lines(bone(), ai, cdk, after_pd)) == 2  # begun after the line progressed: a new line


@pytest.mark.parametrize(
    ("reason", "want"),
    [
        ("Changed to exemestane for grade 2 arthralgia (no recurrence)", "toxicity"),
        ("stopped without progression - hot flushes, intolerance", "toxicity"),
        ("relapse in the liver", "progression"),
        ("kein Progress; Umstellung wegen Arthralgie Grad 2", "toxicity"),
    ],
)
def test_a_denied_stop_word_does_not_count(reason: str, want: str) -> None:
    ai = med("l", "letrozole", "2024-02-01", "2024-09-01", "stopped", **why(reason))
    assert lines(bone("2024-01-10"), ai)[0]["stop_reason"] == want


def test_an_adjuvant_ai_switched_for_toxicity_is_one_adjuvant_course() -> None:
    curative = [{"url": "http://hl7.org/fhir/us/mcode/StructureDefinition/mcode-procedure-intent",
                 "valueCodeableConcept": {"coding": [{"system": SNOMED, "code": "373808002"}]}}]  # fmt: skip
    first = med("l", "letrozole", "2019-07-01", "2021-03-01", "stopped", extension=curative,
                **why("Switched to exemestane for arthralgia (no recurrence)"))  # fmt: skip
    second = med("e", "exemestane", "2021-03-10", "2024-07-01", extension=curative)
    got = lines(mastectomy(), bone("2025-06-01"), first, second)
    assert [(sorted(t["drugs"]), t["setting"], t["stop_reason"]) for t in got] == [
        (["exemestane", "letrozole"], "adjuvant", "completed")
    ]


def test_early_endocrine_drugs_one_after_another_are_one_course() -> None:
    tam = med("t", "tamoxifen", "2018-03-01", "2020-03-01")
    ai = med("a", "anastrozole", "2020-03-10", "2023-03-01")
    assert drugs(mastectomy("2018-01-10"), bone("2026-06-01"), tam, ai) == [["anastrozole", "tamoxifen"]]
    progressed = med("t", "tamoxifen", "2018-03-01", "2020-03-01", "stopped", **why("local recurrence"))
    assert len(lines(mastectomy("2018-01-10"), bone("2026-06-01"), progressed, ai)) == 2


def _bso(day: str) -> dict[str, Any]:
    return {"resourceType": "Procedure", "id": "bso", "status": "completed", "subject": {"reference": "Patient/p"},
            "code": {"text": "Laparoscopic bilateral salpingo-oophorectomy (ovarian ablation)"},
            "performedDateTime": day}  # fmt: skip


def test_ovarian_suppression_joins_the_endocrine_line_running_then() -> None:
    ai = med("l", "letrozole", "2024-02-01", "2025-06-01", "stopped", **why("PD"))
    gnrh = med("g", "goserelin", "2024-02-01", "2024-09-01", "stopped", **why("replaced by surgery"))
    got = lines(bone(), ai, gnrh, _bso("2024-09-01"))
    assert [sorted(t["drugs"]) for t in got] == [["bilateral_oophorectomy", "goserelin", "letrozole"]]
    assert got[0]["stop_reason"] == "progression"
    late_gnrh = med("g", "goserelin", "2024-06-01", "2025-06-01")
    assert drugs(bone(), ai, late_gnrh) == [["goserelin", "letrozole"]]


def test_an_ablation_beside_no_endocrine_line_is_not_a_line() -> None:
    ex = extraction(AS_OF, bone(), _bso("2023-05-01"))
    assert not ex.record.get("prior_therapies")
    assert any("ovarian suppression" in str(u.get("reason")) for u in ex.unread)


def test_a_specific_form_named_beside_its_parent_is_one_drug() -> None:
    nab = med("n", "x", "2025-02-10", "2025-08-18", medicationCodeableConcept={
        "coding": [{"system": SNOMED, "code": "386918005", "display": "Paclitaxel albumin-stabilized nanoparticle"}],
        "text": "nab-Paclitaxel 100 mg/m2 d1,8,15 q28d"})  # fmt: skip
    assert drugs(bone("2025-01-10"), nab) == [["nab-paclitaxel"]]


def test_a_planned_end_in_german_is_completed() -> None:
    course = med("c", "capecitabine", "2025-02-10", "2025-08-18", **why("6 Zyklen planmaessig abgeschlossen"))
    assert lines(bone("2025-01-10"), course)[0]["stop_reason"] == "completed"


def test_maintenance_added_while_the_line_goes_on_is_the_same_line() -> None:
    taxane = med("d", "docetaxel", "2024-02-01", "2024-06-01")
    her2 = [med(x, x, "2024-02-01", "2025-06-01", "stopped", **why("PD")) for x in ("trastuzumab", "pertuzumab")]
    et = med("l", "letrozole", "2024-06-20", "2025-06-01", "stopped", **why("PD"))
    assert drugs(bone(), taxane, *her2, et) == [["docetaxel", "letrozole", "pertuzumab", "trastuzumab"]]
    stopped = [med(x, x, "2024-02-01", "2024-06-15", "stopped", **why("PD")) for x in ("trastuzumab", "pertuzumab")]
    assert len(lines(bone(), taxane, *stopped, et)) == 2  # after progression: a new line


def test_a_drug_replaced_after_two_doses_is_the_same_line() -> None:
    doses = [given("p1", "paclitaxel", "2024-02-01"), given("p2", "paclitaxel", "2024-02-08")]
    doses += [given(f"n{i}", "nab-paclitaxel", d) for i, d in enumerate(("2024-02-22", "2024-03-01", "2024-03-08"))]
    assert drugs(bone(), *doses) == [["nab-paclitaxel", "paclitaxel"]]
    later = [given(f"e{i}", "eribulin", d) for i, d in enumerate(("2024-06-01", "2024-06-08"))]
    assert len(lines(bone(), *doses, *later)) == 2  # months later: another line


def test_disease_status_in_words_is_progression() -> None:
    status = obs("ds", "97509-4", "2024-08-01", valueCodeableConcept={"text": "Progressive disease (new liver lesions)"})
    cape = med("c", "capecitabine", "2024-02-01", "2024-08-01")
    assert lines(bone(), cape, status)[0]["stop_reason"] == "progression"
    stable = obs("ds", "97509-4", "2024-08-01", valueCodeableConcept={"text": "No progression; stable disease"})
    assert "stop_reason" not in lines(bone(), cape, stable)[0]


def test_a_record_given_for_a_secondary_neoplasm_is_metastatic() -> None:
    site = bone(cid="mnd")
    site.pop("onsetDateTime")
    ref = {"reasonReference": [{"reference": "Condition/mnd"}]}
    got = lines(mastectomy(), site, med("c", "capecitabine", "2024-03-01", "2024-09-01", "stopped", **why("PD"), **ref))
    assert got[0]["setting"] == "metastatic"
    assert lines(mastectomy(), site, med("c", "capecitabine", "2024-03-01", "2024-09-01"))[0]["setting"] == "adjuvant"


def test_a_line_begun_just_before_the_biopsy_dated_metastasis_is_metastatic() -> None:
    tam = med("t", "tamoxifen", "2019-07-01", "2023-12-01")
    first = [med(x, x, "2024-03-01", None, "active") for x in ("letrozole", "ribociclib")]
    got = lines(mastectomy(), bone("2024-03-10"), tam, *first)
    assert [(sorted(t["drugs"]), t["setting"]) for t in got] == [
        (["tamoxifen"], "adjuvant"), (["letrozole", "ribociclib"], "metastatic")
    ]


def test_a_completed_course_is_not_made_a_progression_by_the_relapse_date() -> None:
    ai = med("a", "anastrozole", "2019-06-01", "2024-05-20")  # completed a few weeks before the relapse
    assert lines(bone("2024-06-15"), ai)[0]["stop_reason"] != "progression"


def _registry_summary(note: str) -> dict[str, Any]:
    return {"resourceType": "Observation", "id": "rx", "status": "final", "subject": {"reference": "Patient/p"},
            "code": {"coding": [{"code": "1390", "display": "RX Summ--Chemo"}], "text": "NAACCR #1390 RX Summ--Chemo"},
            "effectiveDateTime": "2020-02-05", "valueCodeableConcept": {"coding": [{"code": "03"}]},
            "note": [{"text": note}]}  # fmt: skip


def test_a_registry_treatment_summary_gives_the_settings() -> None:
    chemo = [med("a", "doxorubicin", "2020-02-05", "2020-03-18"), med("c", "cyclophosphamide", "2020-02-05", "2020-03-18"),
             med("t", "paclitaxel", "2020-04-01", "2020-07-15"), med("x", "capecitabine", "2020-09-10", "2021-02-18")]  # fmt: skip
    summary = _registry_summary("Neoadjuvant AC then weekly paclitaxel (2020); adjuvant capecitabine x6 for residual disease")
    got = lines(bone("2026-06-01"), summary, *chemo)
    assert [(sorted(t["drugs"]), t["setting"]) for t in got] == [
        (["cyclophosphamide", "doxorubicin", "paclitaxel"], "neoadjuvant"), (["capecitabine"], "adjuvant")
    ]
    assert len(lines(bone("2026-06-01"), *chemo)) == 1  # no summary: one early course, as before


# ---------------------------------------------------------------- receptors


def _her2(oid: str, code: str, day: str, spec: str, answer: str, text: str, **more: Any) -> dict[str, Any]:
    return obs(oid, code, day, specimen={"reference": f"Specimen/{spec}"},
               valueCodeableConcept={"coding": [{"system": LOINC, "code": answer}], "text": text}, **more)  # fmt: skip


def _specimen(sid: str, text: str) -> dict[str, Any]:
    return {"resourceType": "Specimen", "id": sid, "type": {"text": text}, "subject": {"reference": "Patient/p"}}


def test_what_a_result_says_of_another_is_not_its_value_or_tissue() -> None:
    old = _her2("h1", "85319-2", "2019-05-09", "s1", "LA6576-8", "3+ (complete intense staining)")
    new = _her2("h2", "85319-2", "2026-10-19", "s2", "LA6577-6", "1+ (faint, incomplete) - discordant with 2019 primary (3+)")
    ish = _her2("h3", "85318-4", "2026-10-21", "s2", "LA6577-6", "Not amplified",
                note=[{"text": "ISH to confirm loss of amplification vs 2019 primary"}])  # fmt: skip
    tumor = read(AS_OF, _specimen("s1", "Core biopsy L breast"), _specimen("s2", "Liver biopsy sample"), old, new, ish)["tumor"]
    assert tumor["her2_ihc"] == "1+"
    assert tumor["her2_ish"] == "not_amplified"
    assert tumor["receptor_source"] == "metastasis"


@pytest.mark.parametrize(("value", "want"), [(1.5, "not_amplified"), (7.0, "amplified"), (4.5, None)])
def test_a_bare_her2_ish_number_is_read_only_where_ratio_and_copies_agree(value: float, want: str | None) -> None:
    o = obs("f", "LOCAL1", "2026-09-01", system="urn:oid:1.2.3", valueQuantity={"value": value})
    o["code"]["text"] = "HER2 FISH"
    assert read(AS_OF, o).get("tumor", {}).get("her2_ish") == want


def test_naaccr_her2_overall_summary_code_0_is_not_a_status() -> None:
    item = obs("n", "3855", "2020-03-01", system="http://naaccr.org/item", valueString="0")
    assert "her2_status" not in read(AS_OF, item).get("tumor", {})
    positive = obs("n", "3855", "2020-03-01", system="http://naaccr.org/item", valueString="1")
    assert read(AS_OF, positive)["tumor"]["her2_status"] == "positive"


# ---------------------------------------------------------------- genomics


def test_a_germline_panel_named_so_is_germline_not_somatic_wildtype() -> None:
    panel = obs("g", "81247-9", "2026-10-09", valueCodeableConcept={
        "text": "Negative - no pathogenic or likely pathogenic variant identified"})  # fmt: skip
    panel["code"]["text"] = "Germline BRCA1/BRCA2/PALB2 panel (blood)"
    record = read(AS_OF, panel)
    assert record["germline"] == []
    assert not record.get("somatic")


def test_a_genetic_test_in_german_saying_keimbahn_negative_is_germline_tested() -> None:
    test = obs("g", "405824009", "2025-03-11", system=SNOMED, valueCodeableConcept={
        "coding": [{"system": SNOMED, "code": "260385009", "display": "Negative"}],
        "text": "Keimbahn BRCA1/2, PALB2: keine pathogene Variante"})  # fmt: skip
    assert read(AS_OF, test)["germline"] == []


def test_variants_a_test_looked_for_are_not_findings() -> None:
    ctdna = obs("e", "LOCAL2", "2026-10-20", system="urn:oid:1.2.3",
                valueCodeableConcept={"text": "ESR1 mutation not detected (E380Q, Y537S/N/C, D538G tested)"})  # fmt: skip
    ctdna["code"]["text"] = "ctDNA ESR1 ddPCR"
    ngs = obs("n", "LOCAL3", "2025-01-28", system="urn:oid:1.2.3",
              valueCodeableConcept={"text": "AKT1 p.E17K pathogenic. PIK3CA: no mutation detected. PTEN intact."})  # fmt: skip
    ngs["code"]["text"] = "Tumour NGS - actionable findings"
    assert set(read(AS_OF, ctdna, ngs)["somatic"]) == {"ESR1 wildtype", "AKT1 E17K", "PIK3CA wildtype", "PTEN wildtype"}


# ---------------------------------------------------------------- reports, vitals, symptoms


def _report(text: str) -> dict[str, Any]:
    data = base64.b64encode(text.encode()).decode()
    return {"resourceType": "DiagnosticReport", "id": "sp", "status": "final", "subject": {"reference": "Patient/p"},
            "code": {"coding": [{"system": LOINC, "code": "60567-5"}]}, "effectiveDateTime": "2026-10-21",
            "presentedForm": [{"contentType": "text/plain", "data": data}]}  # fmt: skip


def test_a_pdl1_cps_in_a_pathology_reports_words_is_read() -> None:
    said = "Specimen: Liver core\nPD-L1 IHC (22C3): Combined Positive Score (CPS) = 3.\nComment: CPS <10."
    ex = extraction(AS_OF, _report(said))
    assert ex.record["tumor"]["pdl1_cps"] == 3
    assert ex.provenance["tumor.pdl1_cps"]["certainty"] == "inferred"
    assert "pdl1_cps" not in read(AS_OF, _report("Comment: CPS <10, no score given.")).get("tumor", {})


@pytest.mark.parametrize(("lmp", "want"), [("2026-10-20", "premenopausal"), ("2025-01-05", None)])
def test_a_recent_last_menstrual_period_is_premenopausal(lmp: str, want: str | None) -> None:
    o = obs("lmp", "8665-2", "2026-10-28", valueDateTime=lmp)
    assert read(AS_OF, o).get("menopausal_status") == want


def test_a_symptom_on_the_problem_list_for_years_is_not_a_current_symptom() -> None:
    cipn = {"coding": [{"system": SNOMED, "code": "424780004"}], "text": "Peripheral neuropathy, chemotherapy-induced"}
    assert not read(AS_OF, condition("n", cipn, "2022-07-01")).get("symptoms")
    assert read(AS_OF, condition("n", cipn, "2026-08-01"))["symptoms"] == ["peripheral neuropathy"]


def test_a_karnofsky_row_marked_not_to_convert_is_listed_not_converted(monkeypatch: pytest.MonkeyPatch) -> None:
    """The data can hold a Karnofsky row back (``convert: false``); the shipped rows all convert."""
    from mbc.ingest._data import load_yaml

    assert read(AS_OF, obs("kps", "89243-0", "2026-10-20", valueInteger=80))["ecog"] == 1
    cfg = load_yaml("ingest/fhir.yaml")
    rows = [{**r, "convert": False} if r["at_least"] == 70 else r for r in cfg["karnofsky_to_ecog"]]
    monkeypatch.setitem(cfg, "karnofsky_to_ecog", rows)
    ex = extraction(AS_OF, obs("kps", "89243-0", "2026-10-20", valueInteger=80))
    assert "ecog" not in ex.record
    assert any("Karnofsky 80" in str(u.get("reason")) for u in ex.unread)


def test_a_weight_in_pounds_is_kept_to_a_tenth_of_a_kilo() -> None:
    w = obs("w", "29463-7", "2026-10-28", valueQuantity={"value": 179.6, "unit": "lb", "code": "[lb_av]"})
    assert read(AS_OF, w)["weight_kg"] == 81.5


def test_a_response_assessment_under_a_local_code_saying_progression_ends_the_line() -> None:
    recist = obs("r", "LOCAL9", "2024-08-01", system="urn:oid:1.2.3", valueString="PD - new liver lesions")
    recist["code"]["text"] = "Tumour response (RECIST 1.1)"
    cape = med("c", "capecitabine", "2024-02-01", "2024-08-01")
    assert lines(bone(), cape, recist)[0]["stop_reason"] == "progression"


def test_a_drug_given_again_with_a_new_partner_after_progression_is_the_next_line() -> None:
    first = [med(x, x, "2024-02-01", "2025-06-01", "stopped", **why("PD")) for x in ("fulvestrant", "palbociclib")]
    again = [med(x + "2", x, "2025-06-15", None, "active") for x in ("fulvestrant", "capivasertib")]
    got = lines(bone(), *first, *again)
    assert [(sorted(t["drugs"]), t["stop_reason"]) for t in got] == [
        (["fulvestrant", "palbociclib"], "progression"), (["capivasertib", "fulvestrant"], "ongoing")
    ]
    cape = med("c1", "capecitabine", "2024-02-01", "2024-08-01", "stopped", **why("progression"))
    more = [med(x + "2", x, "2024-09-15", "2025-01-01", "stopped", **why("PD")) for x in ("capecitabine", "tucatinib")]
    assert len(lines(bone(), cape, *more)) == 2


def test_a_stale_active_record_of_the_old_drug_does_not_absorb_the_next_line() -> None:
    stale = med("l", "letrozole", "2024-02-01", None, "active")  # never closed in the med list
    second = [med(x, x, "2025-09-01", None, "active") for x in ("fulvestrant", "palbociclib")]
    assert len(lines(bone(), stale, *second)) == 2
