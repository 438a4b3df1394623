"""Session 10, second pass (issue 12, s10-q2): mechanisms found missing on set 13, each tested on
phrasings worded for this file (none copied from a blind set)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

AS_OF = dt.date(2026, 11, 1)
ANTI_HER2 = {"trastuzumab", "pertuzumab", "trastuzumab_deruxtecan", "trastuzumab_emtansine", "tucatinib", "lapatinib"}


# --- pregnancy: obstetric notations, and a delivery still to come is no ended pregnancy -------------------
PREGNANT = [
    "34-year-old, 24/40 pregnant, HER2 3+, ER 5%, new liver metastases. What systemic therapy now?",
    "Woman of 29, G3P2 at 20 weeks, HER2-positive metastatic breast cancer to bone and liver. What can we give?",
    "HER2+ MBC with lung mets in a 33 year old, 26 wks gestation. Which treatment would you start?",
    "She is pregnant (2nd trimester), HER2 amplified, ER negative, liver metastases. What do we offer?",
    "HER2 3+ metastatic disease, 21 weeks pregnant, delivery planned at 37 weeks. Treatment until the birth?",
    "27F, 23/40 pregnant, HER2-positive, liver mets. MDT wants to know what can be given before delivery.",
]


@pytest.mark.parametrize("q", PREGNANT)
def test_pregnancy_read_no_anti_her2_preferred(kb: Any, q: str, ask_json: Any, preferred: Any) -> None:
    a = ask_json(q)
    assert a["read"].get("pregnant") is True, a["read"]
    assert a["intent"] == "next_treatment"
    for opt in preferred(a):
        assert not (opt & ANTI_HER2), opt


@pytest.mark.parametrize(
    ("q", "weeks"),
    [
        ("31F, 19/40 pregnant, HER2-positive, liver mets. What now?", 19),
        ("G2P1 at 25 weeks, HER2+ metastatic breast cancer. Next step?", 25),
    ],
)
def test_gestational_age_notation(kb: Any, q: str, weeks: int, ask_json: Any) -> None:
    assert ask_json(q)["read"].get("pregnancy_weeks") == weeks


@pytest.mark.parametrize(
    "q",
    [
        "Pathology: 12/40 nodes positive, HER2+, liver mets, not pregnant (hCG negative). What first line?",
        "HER2+ MBC, 8/40 lymph nodes involved at surgery. What first line?",
    ],
)
def test_node_count_is_no_gestational_age(kb: Any, q: str, ask_json: Any) -> None:
    read = ask_json(q)["read"]
    assert read.get("pregnancy_weeks") is None
    assert read.get("pregnant") is not True


@pytest.mark.parametrize(
    "q",
    [
        "She delivered a healthy baby 4 months ago; now HER2+ liver mets. Pregnant no longer. What now?",
        "Gave birth in March after a pregnancy with no problems; HER2+ MBC now. First line?",
    ],
)
def test_a_past_delivery_still_ends_the_pregnancy(kb: Any, q: str, ask_json: Any) -> None:
    assert ask_json(q)["read"].get("pregnant") is not True


# --- a (neo)adjuvant course's end told as a time ago -----------------------------------------------------
@pytest.mark.parametrize(
    "q",
    [
        "HER2 3+, ER 0. Adjuvant Kadcyla for residual disease, final cycle 6 months ago. Now liver mets. Plan?",
        "HER2-positive; finished adjuvant T-DM1 about 3 months ago and now has bone and lung mets. What next?",
        "HER2+ ER- early cancer treated with TCHP then adjuvant trastuzumab emtansine, last infusion 7 mos ago; "
        "new lung nodules on CT. Which regimen?",
    ],
)
def test_early_relapse_after_adjuvant_anti_her2_told_as_ago(kb: Any, q: str, ask_json: Any, preferred: Any) -> None:
    a = ask_json(q)
    assert {"trastuzumab_deruxtecan"} in preferred(a), preferred(a)
    assert not any("pertuzumab" in o for o in preferred(a))


def test_a_late_end_told_as_ago_keeps_first_line(kb: Any, ask_json: Any, preferred: Any) -> None:
    q = "ER 90%, HER2 0. Completed adjuvant letrozole 3 years ago; now bone mets. What first line?"
    a = ask_json(q)
    ends = [t.get("end") for t in a["read"].get("prior_therapies") or []]
    assert any(e and e.startswith("2023") for e in ends), ends
    assert any("letrozole" in o or "anastrozole" in o for o in preferred(a)), preferred(a)


# --- DPYD told as a genotype or an activity score -----------------------------------------------------------
@pytest.mark.parametrize(
    "q",
    [
        "Genotyping shows DPYD c.2846A>T heterozygous (activity score 1.5). HR+ MBC, endocrine options used up. "
        "OK to start capecitabine?",
        "HER2-negative MBC after three endocrine lines. DPYD: one copy of *2A, activity score 1. Is Xeloda fine?",
        "DPD partial deficiency on testing. Triple negative, 2nd line. Can she have capecitabine?",
    ],
)
def test_partial_dpd_deficiency_is_reduced_dose(kb: Any, q: str, ask_json: Any) -> None:
    a = ask_json(q)
    assert a["read"].get("dpyd") == "intermediate"
    assert a["answer"]["verdict"] == "certain_circumstances", a["answer"]["text"]
    assert "reduc" in a["answer"]["text"].lower()


@pytest.mark.parametrize(
    "q",
    [
        "DPYD result: homozygous for c.1905+1G>A. HR+ MBC after endocrine lines. Capecitabine OK?",
        "DPYD activity score 0 on genotyping. HER2-negative MBC, endocrine-refractory. Start capecitabine?",
    ],
)
def test_complete_dpd_deficiency_stays_no(kb: Any, q: str, ask_json: Any) -> None:
    a = ask_json(q)
    assert a["read"].get("dpyd") == "poor"
    assert a["answer"]["verdict"] == "no"


def test_dpyd_only_supposed_is_not_read(kb: Any, ask_json: Any) -> None:
    q = "HR+ MBC after endocrine lines. What if she is DPYD heterozygous - could we still use capecitabine?"
    assert ask_json(q)["read"].get("dpyd") is None


# --- calcium from a lab table with a bracketed qualifier ----------------------------------------------------
@pytest.mark.parametrize(
    "q",
    [
        "Bone mets, first denosumab due today.\n  Ca (adjusted)   1.95 mmol/L\n  Albumin  36 g/L\nGive it today?",
        "Bone-only disease; Xgeva planned. Labs: Calcium (total): 7.6 mg/dL, creatinine normal. Go ahead?",
    ],
)
def test_low_calcium_in_a_lab_table_holds_denosumab(kb: Any, q: str, ask_json: Any) -> None:
    a = ask_json(q)
    assert a["answer"]["verdict"] == "no", a["answer"]["text"]
    assert "calci" in a["answer"]["text"].lower()


# --- intents: a numeric dose checked; lay side effects; how often scans ---------------------------------------
@pytest.mark.parametrize(
    "q",
    [
        "Pharmacy check: T-DXd for HER2-low MBC, 64 kg, the script says 6.4 mg/kg = 410 mg every 3 weeks. Correct?",
        "Enhertu for HER2-low disease after chemo, weight 70 kg: is 440 mg the right dose?",
    ],
)
def test_a_numeric_dose_checked_gets_the_dose(kb: Any, q: str, ask_json: Any) -> None:
    a = ask_json(q)
    assert a["intent"] == "dose"
    assert "5.4" in a["answer"]["text"]


def test_a_dose_appraised_in_words_stays_a_verdict(kb: Any, ask_json: Any) -> None:
    a = ask_json("HR+ MBC on capecitabine; CrCl 40. Renal-reduced capecitabine dose fine, or not?")
    assert a["intent"] == "appropriate"


@pytest.mark.parametrize(
    "q",
    [
        "my nurse say i start the enhertu soon. what can it do to me and when i should phone the hospital?",
        "Starting Enhertu on Monday. What bad things could this drug cause?",
    ],
)
def test_lay_side_effect_words(kb: Any, q: str, ask_json: Any) -> None:
    a = ask_json(q, "patient")
    assert a["intent"] == "side_effects"
    assert "lung" in a["answer"]["text"].lower()


@pytest.mark.parametrize(
    "q",
    [
        "How often do I get CT scans on letrozole and Kisqali? I want one every month.",
        "On Verzenio and fulvestrant - how often should she have a scan?",
    ],
)
def test_how_often_scans_is_response_not_dose(kb: Any, q: str, ask_json: Any) -> None:
    assert ask_json(q)["intent"] == "response"


def test_a_regimen_with_its_dose_judged_as_a_line_stays_a_verdict(kb: Any, ask_json: Any) -> None:
    q = "HER2 3+ ER- de novo MBC, LVEF 60%. Plan: THP with paclitaxel 80 mg/m2 weekly. Appropriate for first line?"
    assert ask_json(q)["intent"] == "appropriate"
