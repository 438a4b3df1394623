"""Session 11 (ask, second pass): two alternatives with a deferral between them ("A now, or should we hold it
and give B first?"), "does she need <treatment> and if so which?" as a next-treatment question, and a scan told
as "now" with what it found as metastatic disease found now. Every question is written for this file."""

from __future__ import annotations

from typing import Any

import pytest


@pytest.mark.parametrize(
    "tail",
    [
        "or should we hold it and give sacituzumab govitecan first?",
        "or wait and give sacituzumab govitecan first?",
        "or should we save it and then use sacituzumab govitecan?",
    ],
    ids=["hold-it-and-give", "wait-and-give", "save-it-and-then-use"],
)
def test_a_deferral_between_two_drugs_names_two_alternatives(ask_json: Any, tail: str) -> None:
    """The "and" of "hold it and give" joins two verbs: each drug is judged alone (the best-placed leads), not
    the two as one regimen (which no guideline gives, so the answer was "no")."""
    a = ask_json(
        "ER 0, PR 0, HER2 IHC 2+ ISH not amplified metastatic breast cancer, progressed on first-line weekly "
        f"paclitaxel, nothing else given. Is trastuzumab deruxtecan the right call now, {tail}"
    )
    assert a["answer"]["verdict"] == "yes"
    assert a["answer"]["text"].startswith("Of ")


def test_drugs_joined_by_and_stay_one_regimen(ask_json: Any) -> None:
    """Guard: without a deferral verb, "and" between two drugs still joins them."""
    a = ask_json(
        "HER2-positive MBC, de novo, nothing given yet. Is it trastuzumab and pertuzumab with docetaxel, "
        "or something else?"
    )
    assert not a["answer"]["text"].startswith("Of ")


@pytest.mark.parametrize(
    "ask",
    [
        "Does she still need systemic therapy and if so which?",
        "Would she benefit from systemic treatment, and if so, what?",
    ],
)
def test_need_treatment_and_if_so_which_asks_the_next_treatment(ask_json: Any, ask: str) -> None:
    a = ask_json(
        "70F, ER+ PR+ HER2 0, single rib metastasis biopsied three years after she finished 5 years of adjuvant "
        f"letrozole. Rad onc will treat the rib. {ask}"
    )
    assert a["intent"] == "next_treatment"


def test_a_scan_told_as_now_dates_the_relapse(ask_json: Any, preferred: Any) -> None:
    """ "MRI now: two lesions in ..." after a completed adjuvant AI years ago: metastatic disease found now, so
    the relapse is more than 12 months after the AI (endocrine-sensitive) and AI + CDK4/6 inhibitor is offered;
    without the date the plan could name nothing ("depends on the treatment given so far")."""
    a = ask_json(
        "71F, completed 5 yrs adjuvant letrozole in 2021. MRI now: two lesions in T8 and T10, biopsy ER+ PR+ "
        "HER2 0, nothing elsewhere. Which systemic treatment should she get?"
    )
    assert a["plan"]["classification"]["endocrine_resistance"] == "none"
    assert any({"letrozole", "ribociclib"} <= s or {"anastrozole", "ribociclib"} <= s for s in preferred(a))


def test_a_clear_scan_now_is_no_relapse(ask_json: Any) -> None:
    """Guard: "CT now: no new lesions" dates nothing."""
    a = ask_json(
        "71F, completed 5 yrs adjuvant letrozole in 2021, ER+ HER2 0. CT now: no new lesions, stable. "
        "Which systemic treatment should she get?"
    )
    assert "metastatic disease found now" not in " ".join(a["assumptions"])


def test_a_shrinking_tumour_beside_a_normal_lvef_is_no_lvef_drop(ask_json: Any) -> None:
    """ "Nodes down 50%" with "LVEF 61%": the fall is the tumour's, not the heart's - no LVEF-drop pause."""
    a = ask_json(
        "HER2+ MBC on docetaxel + trastuzumab + pertuzumab, 6 cycles done, nodes down 50%. LVEF 61%. "
        "Can we drop the docetaxel and carry on with trastuzumab + pertuzumab?"
    )
    assert "withhold trastuzumab" not in a["answer"]["text"]


@pytest.mark.parametrize(
    "told",
    ["LVEF dropped from 63% to 45%", "a drop in LVEF to 44% on this echo", "her EF is down to 46% from 64%"],
)
def test_an_lvef_drop_still_pauses_her2_therapy(ask_json: Any, told: str) -> None:
    """Guard: a fall told of the LVEF itself keeps the pause ruling."""
    a = ask_json(f"HER2+ MBC on trastuzumab + pertuzumab maintenance, {told}. Continue HER2 therapy?")
    assert a["answer"]["verdict"] == "no"
    assert "withhold trastuzumab" in a["answer"]["text"]


@pytest.mark.parametrize("said", ["PD-L1 CPS <1", "PD-L1 22C3 CPS less than 1", "CPS below 1"])
def test_a_cps_told_as_below_1_is_read_as_0(ask_json: Any, said: str) -> None:
    """A CPS bound below 1 is the lowest score: read as 0 (below every CPS threshold), not left unknown (the
    answer used to be "depends on PD-L1"), and no checkpoint-inhibitor option is preferred."""
    a = ask_json(f"De novo TNBC, lung and liver mets, ECOG 1, gBRCA negative, {said}. What first line?")
    assert a["answer"]["verdict"] != "depends"
    assert any("CPS below 1" in s for s in a["assumptions"])
    preferred_drugs = {d for o in a["plan"]["options"] if o["category"] == "preferred" for d in o["drugs"]}
    assert preferred_drugs and "pembrolizumab" not in preferred_drugs


def test_a_cps_bound_of_another_size_is_left_unread(ask_json: Any) -> None:
    """Guard: "CPS <10" is a bound, not a value; only the bound 1 has a single reading."""
    a = ask_json("De novo TNBC, lung mets, ECOG 1, gBRCA negative, PD-L1 CPS <10. What first line?")
    assert not any("CPS below 1" in s for s in a["assumptions"])


def test_no_parp_inhibitor_preferred_soon_after_olympia_style_olaparib(ask_json: Any, preferred: Any) -> None:
    """An adjuvant course named by its trial ("OlympiA-style olaparib") is adjuvant: a relapse 8 months after it
    ends gets no PARP inhibitor as a preferred option (no re-challenge data; 12-month relapse window). A guard:
    this wording was already read right before the trial-name cue; the ingest tests hold the failing forms."""
    a = ask_json(
        "HR+ HER2- gBRCA1, 55F postmenopausal. Adj: EC-paclitaxel, then OlympiA-style olaparib x 12 months "
        "(finished 01/2026) + anastrozole continuing. Relapse 09/2026 in liver and bone. Preferred first line?"
    )
    assert not any(s & {"olaparib", "talazoparib"} for s in preferred(a))
