"""Session 11 (clinical rules, second pass): patient words for an interaction follow its
direction (audit F3), and the HR+/HER2+ 'endocrine therapy with HER2 antibody' ruling does not
answer a question about an antibody-drug conjugate or HER2-ultralow disease (audit F4)."""

from __future__ import annotations

from typing import Any

import pytest


@pytest.mark.parametrize(
    "question",
    ["Can I take clarithromycin with palbociclib?", "Can I take itraconazole with ribociclib?"],
)
def test_patient_inhibitor_interaction_says_level_rises(ask: Any, question: str, fk_grade: Any) -> None:
    a = ask(question)
    assert a.audience == "patient" and a.answer.verdict == "no"
    assert "raise the level" in a.answer.text
    assert "work less well" not in a.answer.text  # that is what an inducer does
    assert fk_grade(a.answer.text) <= 6


def test_patient_inducer_interaction_says_it_may_work_less_well(ask: Any, fk_grade: Any) -> None:
    a = ask("Can I take rifampicin with palbociclib?")
    assert a.audience == "patient" and a.answer.verdict == "no"
    assert "lower the level" in a.answer.text and "work less well" in a.answer.text
    assert fk_grade(a.answer.text) <= 6


@pytest.mark.parametrize(
    "question",
    [
        "Is trastuzumab deruxtecan appropriate for HR+ HER2-ultralow MBC after progression on letrozole plus "
        "ribociclib, no chemotherapy yet?",
        "Is trastuzumab deruxtecan appropriate for HR+ HER2 IHC 2+ FISH not amplified MBC after progression on "
        "letrozole plus ribociclib, no chemotherapy yet?",
    ],
)
def test_tdxd_after_endocrine_therapy_is_not_the_her2_positive_ruling(ask: Any, question: str) -> None:
    a = ask(question, audience="clinician")
    assert "PERTAIN" not in a.answer.text
    assert a.answer.verdict == "yes"  # DESTINY-Breast06 / FDA label: HER2-low or -ultralow after ET


def test_endocrine_therapy_with_her2_antibodies_without_chemo_still_ruled(ask: Any) -> None:
    a = ask(
        "Is letrozole with trastuzumab and pertuzumab without chemotherapy reasonable for a frail 82-year-old "
        "with ER+ HER2-positive MBC?",
        audience="clinician",
    )
    assert a.answer.verdict == "certain_circumstances" and "PERTAIN" in a.answer.text
