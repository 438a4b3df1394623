"""Session 12 (ask, second pass): a patient "no" / "only if" on an aromatase inhibitor says why in plain words
(ovarian suppression before the menopause, a GnRH agonist in a man); an asked combination that already holds the
GnRH agonist meets the "only with" condition; drugs a plan or wish names ("wants me on X with Y") are planned, not
given. Every question is written for this file."""

from __future__ import annotations

from typing import Any


def _text(a: dict[str, Any]) -> str:
    ans = a["answer"]
    return " ".join([ans.get("text") or "", *(ans.get("points") or [])]).lower()


def test_a_patient_no_to_an_ai_alone_before_menopause_says_why(ask_json: Any, fk_grade: Any) -> None:
    a = ask_json(
        "I am 39 and my periods are regular. My hormone positive cancer is in my spine. Can I take anastrozole "
        "by itself and skip the injection?",
        "patient",
    )
    assert a["answer"]["verdict"] == "no"
    text = _text(a)
    assert "ovar" in text and "agonist" in text
    assert fk_grade(" ".join([a["answer"]["text"], *a["answer"]["points"]])) <= 6


def test_a_patient_answer_on_an_ai_for_a_man_names_the_gnrh_agonist(ask_json: Any) -> None:
    a = ask_json(
        "My husband is 68 and has breast cancer in his bones. The doctor wants him on anastrozole and "
        "palbociclib. Is anastrozole ok for a man?",
        "patient",
    )
    assert a["answer"]["verdict"] in ("certain_circumstances", "no")
    assert "agonist" in _text(a)


def test_an_ai_asked_with_the_gnrh_agonist_is_not_only_with_it(ask_json: Any) -> None:
    """The "only with a GnRH agonist" entry is met when the agonist is asked together with the AI."""
    a = ask_json(
        "Man, 66, ER+ HER2-negative MBC, bone only, no prior treatment. Is letrozole + goserelin + ribociclib "
        "appropriate?",
        "clinician",
    )
    assert not a["answer"]["text"].lower().startswith("only with a gnrh agonist")
    assert "only with a gnrh agonist" not in a["answer"]["text"].lower()


def test_drugs_a_plan_names_are_not_given(ask_json: Any) -> None:
    """ "wants me on X with Y plus an injection (Z)": all three are planned, none is a past course."""
    a = ask_json(
        "I'm 44 and still have periods. My doctor wants me on Verzenio with anastrozole plus a monthly shot "
        "(Zoladex). Is that right for me?",
        "patient",
    )
    given = {d for p in a["read"].get("prior_therapies", []) for d in p["drugs"]}
    assert not given & {"abemaciclib", "anastrozole", "goserelin"}


def test_a_course_after_the_plan_word_and_a_history_word_stays_given(ask_json: Any) -> None:
    """Guard: "wants to start X after Y" - Y is history, not the plan."""
    a = ask_json(
        "ER+ HER2-negative MBC. Oncologist wants to start fulvestrant after progression on letrozole + "
        "palbociclib for 2 years. Is fulvestrant alone appropriate?",
        "clinician",
    )
    given = {d for p in a["read"].get("prior_therapies", []) for d in p["drugs"]}
    assert {"letrozole", "palbociclib"} <= given


def test_lay_words_for_a_hormone_positive_cancer_are_read(ask_json: Any) -> None:
    a = ask_json(
        "My cancer is the hormone kind and it has spread to my liver. Is letrozole right for me?", "patient"
    )
    assert a["read"].get("tumor", {}).get("er_status") == "positive"


def test_ovarian_suppression_planned_with_the_treatment_is_not_a_missing_fact(ask_json: Any) -> None:
    a = ask_json(
        "I'm 40 and still have regular periods. ER+ HER2-negative cancer in my bones. My doctor wants me on "
        "anastrozole and palbociclib with a monthly injection to switch off my ovaries. Is that ok?",
        "clinician",
    )
    assert "discuss suppression" not in a["answer"]["text"].lower()
    assert a["answer"]["verdict"] in ("yes", "certain_circumstances")


def test_skipping_the_injections_is_not_suppression_planned(ask_json: Any) -> None:
    """ "without the injections that switch off my ovaries" is no plan for suppression, and asks for the drug alone
    (it was "yes" on the base: "without the injections" was not read as "alone")."""
    a = ask_json(
        "I'm 40 and still have periods. ER+ HER2-negative cancer in my bones. Can I take letrozole without the "
        "injections that switch off my ovaries?",
        "patient",
    )
    assert a["answer"]["verdict"] == "no"


def test_a_comparison_with_postmenopausal_women_does_not_make_a_man_one(ask_json: Any) -> None:
    """ "men are like postmenopausal women" speaks of a group: the man stays a man, and his AI options carry the GnRH
    agonist (the base read him as a postmenopausal woman)."""
    a = ask_json(
        "Man aged 72, ER+ PR+ HER2-negative breast cancer, lung and bone metastases, no treatment yet. His GP says "
        "anastrozole is fine because men are like postmenopausal women. What should he get?",
        "clinician",
    )
    assert a["read"].get("sex") == "male"
    assert a["read"].get("menopausal_status") is None
    names = " ".join(o["name"] for o in a["plan"]["options"] if o["category"] == "preferred").lower()
    assert "gnrh agonist" in names
