"""Review of session 9 (safety, both ways): each test fails without its mend. Questions written for this
file; none copied from a blind set."""

from __future__ import annotations

from typing import Any

import pytest


@pytest.mark.parametrize(
    "question",
    [
        "ER+ HER2- MBC on ribociclib, scans stable, responding well, but QTc now 530 ms. Continue ribociclib?",
        "HR+ HER2- MBC on letrozole + palbociclib, scans stable and responding, but ANC is 0.3 today. Keep going?",
        "ER+ HER2- MBC on ribociclib + letrozole, dose was reduced to 400 mg for neutropenia; ANC now 0.4. "
        "Does that mean I should stop?",
    ],
)
def test_a_yes_to_go_on_is_not_given_over_a_stated_organ_or_blood_toxicity(ask: Any, question: str) -> None:
    a = ask(question, "clinician")
    # the rulings "continue at the lower dose" / "continue a treatment that is working" do not answer it
    assert not a.answer.text.startswith("Yes - continue"), a.answer.text


@pytest.mark.parametrize(
    "question",
    [
        "ER+ HER2- MBC. After letrozole + palbociclib, fulvestrant or capecitabine?",
        "HR+ HER2- metastatic. She had letrozole + palbociclib, then fulvestrant or exemestane?",
    ],
)
def test_the_history_before_an_asked_choice_stays_given(ask: Any, question: str) -> None:
    a = ask(question, "clinician")
    given = {d for t in a.read.get("prior_therapies") or [] for d in t.get("drugs") or []}
    assert {"letrozole", "palbociclib"} <= {d.lower() for d in given}, a.read
    preferred = [set(o["drugs"]) for o in a.plan["options"] if o["category"] == "preferred"]
    # no CDK4/6 inhibitor with an aromatase inhibitor again, as if nothing had been given
    assert not any("letrozole" in {d.lower() for d in p} for p in preferred), preferred


@pytest.mark.parametrize(
    "question",
    [
        "ER+ HER2- metastatic, 33F, she became pregnant 6 weeks ago. Is palbociclib appropriate?",
        "HR+ HER2- MBC, 35F; she got pregnant recently, about 8 weeks along. Can we start letrozole + ribociclib?",
    ],
)
def test_a_pregnancy_begun_is_present_not_past(ask: Any, question: str) -> None:
    a = ask(question, "clinician")
    assert a.answer.verdict == "no", a.answer.text
    assert "pregnan" in a.answer.text.lower()


def test_an_old_negative_pregnancy_test_rules_nothing_out_now(ask: Any) -> None:
    a = ask(
        "ER+ HER2- metastatic, 34F, negative pregnancy test 3 months ago. Is letrozole + palbociclib appropriate?",
        "clinician",
    )
    assert a.read.get("pregnant") is not False, a.read
    assert a.answer.verdict == "depends" and "pregnan" in a.answer.text.lower(), a.answer.text


@pytest.mark.parametrize(
    "question",
    [
        "ER+ HER2- MBC on letrozole + palbociclib for 3 years, never progressed on it until last month when CT "
        "showed new liver mets. What next?",
        "HR+ HER2- MBC on anastrozole + ribociclib 2 yrs, had not progressed before this scan, which shows new "
        "lung nodules. What next?",
    ],
)
def test_a_progression_now_is_not_undone_by_a_time_without_one(ask: Any, question: str) -> None:
    a = ask(question, "clinician")
    stops = [t.get("stop_reason") for t in a.read.get("prior_therapies") or []]
    assert stops and "ongoing" not in stops, a.read


def test_a_dose_reduction_is_not_called_the_way_to_go_on_over_a_grade_4_event(ask: Any) -> None:
    a = ask(
        "ER+ HER2- MBC on abemaciclib, dose reduced from 150 to 100 mg for diarrhoea; now grade 4 pneumonitis. "
        "Does that mean she should stop it?",
        "clinician",
    )
    assert "continue at the lower dose" not in a.answer.text, a.answer.text
