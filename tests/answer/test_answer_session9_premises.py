"""Session 9 (issue 12, s9-ask2): forbidden-preferred mechanisms and question forms found on blind set
11 - a relapse dated by what a scan found, a "last <drug> dose" date, a line that a later line
followed, a bare or tag question. Every question here is worded for this file (none is copied from a
blind set)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

AS_OF = dt.date(2026, 11, 1)
AIS = {"letrozole", "anastrozole", "exemestane"}


# ------------------------------------------------ relapse dated by what a scan or biopsy found
@pytest.mark.parametrize(
    "q",
    [
        "71F, adjuvant letrozole from 01/2018 to 01/2023, completed. In September 2023 a PET showed several "
        "liver lesions; biopsy ER 90%, HER2 0. What do you recommend?",
        "Adjuvant exemestane 05/2019 to 05/2024 then stopped as planned. PET-CT 02/2025: new bone and lung "
        "lesions, ER+ HER2-negative, postmenopausal. First-line choice?",
        "ER+/HER2- IDC, adjuvant anastrozole from 04/2020 to 04/2025. Then in Dec 2025 her CT revealed "
        "multiple pulmonary nodules, biopsy-proven recurrence. What would you start?",
    ],
)
def test_relapse_dated_by_a_scan_finding_within_a_year_of_the_ai(kb: Any, q: str, ask_json: Any, preferred: Any) -> None:
    a = ask_json(q)
    assert a["read"].get("metastatic_diagnosis_date"), a["read"]
    pref = preferred(a)
    assert pref, a["answer"]["text"]
    assert not any(p & AIS for p in pref), pref  # relapse within 12 months of the AI: no AI preferred
    assert any("fulvestrant" in p for p in pref), pref


def test_a_scan_that_found_nothing_dates_no_relapse(kb: Any, ask_json: Any) -> None:
    q = (
        "Adjuvant anastrozole 2015 to 2020, finished. CT in Aug 2021 showed no lung lesions. Now new bone "
        "mets, ER+ HER2-. Next?"
    )
    assert not str(ask_json(q)["read"].get("metastatic_diagnosis_date") or "").startswith("2021-08")


# ------------------------------------------------ "last <drug> dose <date>" ends that course
@pytest.mark.parametrize(
    "q",
    [
        "HER2+ ER-negative, neoadjuvant TCHP then adjuvant trastuzumab + pertuzumab; last Herceptin dose "
        "3 March 2026. New liver mets found Oct 2026, biopsy HER2 3+. What now?",
        "HER2 3+ ER-neg. Post-op trastuzumab/pertuzumab to a year; final HP infusion Jan 2026. "
        "CT Sept 2026 showed multiple liver lesions. Next line?",
    ],
)
def test_relapse_within_a_year_of_the_last_adjuvant_her2_dose(kb: Any, q: str, ask_json: Any, preferred: Any) -> None:
    a = ask_json(q)
    pref = preferred(a)
    assert any("trastuzumab_deruxtecan" in p for p in pref), pref
    assert not any(p & {"docetaxel", "paclitaxel", "trastuzumab_emtansine"} for p in pref), pref


# ------------------------------------------------ a line a later line followed has ended
@pytest.mark.parametrize(
    ("q", "tried"),
    [
        (
            "ER+ HER2 0. Had letrozole + ribociclib, then fulvestrant + everolimus, then capecitabine, then "
            "eribulin with PD now. ECOG 1. What's next?",
            {"capecitabine", "everolimus", "ribociclib"},
        ),
        (
            "HR+/HER2-neg: anastrozole+palbociclib (1L), capecitabine (2L, 8 mo), followed by paclitaxel (3L, PD "
            "after 5 mo). Next?",
            {"capecitabine", "paclitaxel", "palbociclib"},
        ),
    ],
)
def test_a_tried_line_does_not_come_back_as_preferred(kb: Any, q: str, tried: set[str], ask_json: Any, preferred: Any) -> None:
    a = ask_json(q)
    pref = preferred(a)
    assert not any(p & tried for p in pref), pref
    assert any("ended at progression" in s for s in a["assumptions"]) or all(
        t.get("stop_reason") for t in a["read"]["prior_therapies"]
    )


def test_maintenance_after_a_course_does_not_end_it_by_progression(kb: Any, ask_json: Any) -> None:
    q = (
        "ER-negative HER2 3+. 1L paclitaxel + trastuzumab + pertuzumab, then trastuzumab + pertuzumab "
        "maintenance, ongoing. Anything to add?"
    )
    read = ask_json(q)["read"]
    assert not any(t.get("stop_reason") == "progression" for t in read.get("prior_therapies") or []), read


# ------------------------------------------------ bare and tag questions
@pytest.mark.parametrize(
    ("q", "intent"),
    [
        (
            "HER2+ ER-neg, relapse 6 months after adjuvant paclitaxel + trastuzumab + pertuzumab, liver mets. "
            "Restart paclitaxel + trastuzumab + pertuzumab?",
            "next_treatment",
        ),
        (
            "HR+ HER2-, PD on letrozole + palbociclib after 20 months, ESR1 wild-type. Back on letrozole?",
            "next_treatment",
        ),
        # a bare offer of a drug not given before is a yes / no question about it (session 8)
        ("Newly metastatic TNBC, CPS 20, ECOG 0. Give pembrolizumab with nab-paclitaxel?", "appropriate"),
        (
            "TNBC, PD on capecitabine after 8 months, then eribulin 3 months. Go back on capecitabine?",
            "next_treatment",
        ),
        # "Switch therapy?" stays a stop-or-keep question (response)
        ("CA 27.29 up twice, scans stable on anastrozole + abemaciclib. Switch therapy?", "response"),
        ("Child-Pugh B cirrhosis, HR+ HER2-. If we use ribociclib at all, how is it dosed?", "dose"),
        ("She's ER 2% HER2 0 so letrozole + palbociclib is the plan, right?", "appropriate"),
        ("HR+ HER2-, ECOG 1, QTcF 462 ms. Fine to start ribociclib?", "appropriate"),
        ("TNBC, CPS 15. Pembrolizumab + nab-paclitaxel is reasonable first line, correct?", "appropriate"),
    ],
)
def test_bare_conditional_and_tag_question_forms(kb: Any, q: str, intent: str, ask_json: Any) -> None:
    assert ask_json(q)["intent"] == intent


# ------------------------------------------------ a wrong premise about the receptor: "no", naming it
@pytest.mark.parametrize(
    ("q", "stated"),
    [
        (
            "Her tumour is HER2 2+ with FISH not amplified, so pertuzumab + trastuzumab + docetaxel for 1L, yes?",
            "HER2-",
        ),
        ("HER2 IHC 1+ on the liver biopsy. Should we add trastuzumab to the paclitaxel?", "HER2-"),
        ("HER2-low disease (IHC 1+). Is Phesgo with a taxane appropriate first line?", "HER2-"),
    ],
)
def test_a_her2_drug_for_a_stated_her2_negative_result_is_no(kb: Any, q: str, stated: str, ask_json: Any) -> None:
    a = ask_json(q)
    assert a["intent"] == "appropriate"
    assert a["answer"]["verdict"] == "no", a["answer"]["text"]
    assert stated in a["answer"]["text"] and "HER2-positive" in a["answer"]["text"]


# ------------------------------------------------ a drug class asked about ("is an ADC reasonable?")
@pytest.mark.parametrize(
    "q",
    [
        "HR+ HER2 2+ ISH negative, PD on letrozole + ribociclib after 5 months, no chemo yet. Would an "
        "antibody-drug conjugate be reasonable next?",
        "Is an ADC an option now? ER+ HER2 1+, progressed on anastrozole + palbociclib after just 3 months, "
        "chemo-naive for MBC. Leaning towards Enhertu before any chemo.",
    ],
)
def test_an_adc_class_question_after_early_progression_on_1l_et_cdk(kb: Any, q: str, ask_json: Any, preferred: Any) -> None:
    a = ask_json(q)
    assert a["intent"] == "appropriate"
    assert a["answer"]["verdict"] == "yes", a["answer"]["text"]
    assert any("trastuzumab_deruxtecan" in p for p in preferred(a))


def test_a_drug_put_after_the_asked_one_is_not_asked_but_a_test_before_a_drug_is(kb: Any, ask_json: Any) -> None:
    a = ask_json("HR+ HER2-low, PD on 1L AI + CDK4/6i at 4 months. T-DXd before any chemo, is that right?")
    assert "chemotherapy" not in a["about"]["classes"]
    b = ask_json("Baseline tests before abemaciclib?")
    assert "abemaciclib" in b["about"]["drugs"]


# ------------------------------------------------ "tried A + B, C, D": every item a course, each ended
@pytest.mark.parametrize(
    ("q", "tried"),
    [
        (
            "ER+ HER2 0 MBC. Tried letrozole + palbociclib, fulvestrant + everolimus, capecitabine, eribulin. Next?",
            {"capecitabine", "palbociclib", "letrozole", "everolimus"},
        ),
        (
            "HR-positive HER2-negative, metastatic. She has tried anastrozole/abemaciclib; exemestane/everolimus; "
            "paclitaxel; gemcitabine. What now?",
            {"paclitaxel", "abemaciclib", "everolimus", "anastrozole"},
        ),
    ],
)
def test_every_item_of_a_tried_list_is_a_course_that_ended(kb: Any, q: str, tried: set[str], ask_json: Any, preferred: Any) -> None:
    a = ask_json(q)
    courses = a["read"]["prior_therapies"]
    assert len(courses) >= 3, courses
    pref = preferred(a)
    assert pref, a["answer"]["text"]
    assert not any(p & tried for p in pref), pref


def test_a_combination_written_with_plus_is_not_split(kb: Any, ask_json: Any) -> None:
    read = ask_json("HR+ HER2-, had letrozole + ribociclib for 2 years, now PD. Next?")["read"]
    assert any(len(t["drugs"]) == 2 for t in read["prior_therapies"]), read


# ------------------------------------------------ a choice asked ("after X: A, B or C?") is not a history
@pytest.mark.parametrize(
    ("q", "asked"),
    [
        ("Sequencing after CDK4/6i: elacestrant, capivasertib or everolimus? ER+ HER2-, PD on letrozole + "
         "palbociclib after 30 months, PIK3CA wild-type, AKT1 E17K.", {"elacestrant", "capivasertib"}),
        ("Post anastrozole + ribociclib - fulvestrant + alpelisib vs capecitabine? PIK3CA H1047R, HbA1c 5.4%.",
         {"alpelisib", "capecitabine"}),
    ],
)
def test_the_drugs_of_an_asked_choice_are_not_read_as_given(kb: Any, q: str, asked: set[str], ask_json: Any) -> None:
    a = ask_json(q)
    given = {kb.lookup_drug(d) or d for t in a["read"].get("prior_therapies") or [] for d in t["drugs"]}
    assert not given & asked, a["read"]


def test_a_history_before_a_wh_question_stays_given(kb: Any, ask_json: Any) -> None:
    a = ask_json("After letrozole or anastrozole with palbociclib, what next? ER+ HER2-, PD at 20 months.")
    assert a["about"]["prior_drugs"], a["about"]


def test_a_normal_lab_in_the_next_sentence_does_not_cancel_the_progression(kb: Any, ask_json: Any) -> None:
    q = (
        "HR+ HER2 0, had letrozole + ribociclib, then capecitabine for 8 months -> now PD in the liver. "
        "Bilirubin normal. ECOG 1. Next line?"
    )
    assert ask_json(q)["intent"] == "next_treatment"
