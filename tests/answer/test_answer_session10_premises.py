"""Session 10 (issue 12, s10-askp): what the question says about the patient. Drugs asked about,
compared, listed as choices or proposed are never courses given; relapse timing, lines and other premises.
Every question here is worded for this file (none is copied from a blind set)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from mbc.answer import answer_question
from mbc.answer._schema import load_answer_kb
from mbc.answer._understand import mentions

AS_OF = dt.date(2026, 11, 1)
CHEMO = {"capecitabine", "paclitaxel", "docetaxel", "nab_paclitaxel", "eribulin", "doxorubicin", "epirubicin"}


def _ask(kb: Any, q: str, audience: str | None = None) -> dict[str, Any]:
    return answer_question(q, kb, as_of=AS_OF, audience=audience).to_json()  # type: ignore[arg-type]


def _given(kb: Any, a: dict[str, Any]) -> set[str]:
    """Every drug id of a course the answer read as given."""
    return {kb.lookup_drug(d) or d for t in a["read"].get("prior_therapies") or [] for d in t["drugs"]}


def _preferred(kb: Any, a: dict[str, Any]) -> list[set[str]]:
    return [
        {kb.lookup_drug(d) or d for d in o["drugs"]}
        for o in a["plan"]["options"]
        if o["category"] == "preferred"
    ]


def _marks(kb: Any, q: str) -> dict[str, bool]:
    """drug id -> given (``prior``) for each drug mention, as the question reader marks it."""
    return {m.id: m.prior for m in mentions(q, kb, load_answer_kb(kb)) if m.kind == "drug"}


# ------------------------------------------------ drugs asked about are never courses given
@pytest.mark.parametrize(
    ("q", "asked", "given"),
    [
        # a colon after a history word opens the list of choices
        (
            "ER+ HER2- MBC, PD on anastrozole + abemaciclib at 30 months. Best sequence after the CDK4/6 "
            "inhibitor: exemestane + everolimus, fulvestrant, capecitabine?",
            {"exemestane", "everolimus", "fulvestrant", "capecitabine"},
            {"anastrozole", "abemaciclib"},
        ),
        (
            "Postmenopausal, HR+ HER2-, bone and liver mets, progressed on letrozole/palbociclib (2 yrs). "
            "In what order after that: fulvestrant, elacestrant or exemestane/everolimus?",
            {"fulvestrant", "elacestrant", "everolimus", "exemestane"},
            {"letrozole", "palbociclib"},
        ),
        # a comma that opens a choice list ends the scope of "after"
        (
            "HR+ HER2- metastatic disease. What is next after letrozole + ribociclib, capivasertib or alpelisib?",
            {"capivasertib", "alpelisib"},
            {"letrozole", "ribociclib"},
        ),
        # "should we use A after B": A asked, B given
        (
            "HR+/HER2- MBC. Should we use eribulin after capecitabine failed?",
            {"eribulin"},
            {"capecitabine"},
        ),
        # a choice framed by "vs" in a bare clause
        (
            "TNBC, lung mets, 1L paclitaxel + pembrolizumab with PD at 7 months. Sacituzumab vs eribulin now?",
            {"sacituzumab_govitecan", "eribulin"},
            {"paclitaxel", "pembrolizumab"},
        ),
        # a yes / no question with the history after the drug asked
        (
            "Is fulvestrant reasonable after PD on anastrozole + palbociclib? ER 90%, HER2 0.",
            {"fulvestrant"},
            {"anastrozole", "palbociclib"},
        ),
    ],
)
def test_drugs_asked_about_are_not_given(kb: Any, q: str, asked: set[str], given: set[str]) -> None:
    marks = _marks(kb, q)
    assert all(marks[d] is False for d in asked), marks
    assert all(marks[d] is True for d in given), marks
    a = _ask(kb, q)
    assert not (_given(kb, a) & asked), a["read"].get("prior_therapies")


@pytest.mark.parametrize(
    "q",
    [
        "Why not capecitabine? She progressed on letrozole + palbociclib, ER+ HER2-negative metastatic.",
        "HR+ HER2- MBC after anastrozole + ribociclib, PIK3CA H1047R. Any reason not to give capivasertib?",
        "ER+ HER2- MBC, PD on letrozole and abemaciclib. Shouldn't we give everolimus with exemestane?",
    ],
)
def test_a_negation_that_frames_the_question_asks_about_the_drug(kb: Any, q: str) -> None:
    a = _ask(kb, q)
    assert a["intent"] == "appropriate", a["intent"]
    assert a["about"]["drugs"], a["about"]
    assert not (_given(kb, a) & set(a["about"]["drugs"])), a["read"].get("prior_therapies")


def test_a_real_negation_in_a_question_stays_a_negation(kb: Any) -> None:
    # "no chemo so far" denies chemotherapy; "not paclitaxel" after a choice excludes it
    marks = {m.id: m.negated for m in mentions(
        "HR+ HER2- MBC, never had capecitabine. What next after letrozole + palbociclib?", kb, load_answer_kb(kb)
    ) if m.kind == "drug"}  # fmt: skip
    assert marks["capecitabine"] is True


@pytest.mark.parametrize(
    ("q", "given"),
    [
        # history written inside the asking sentence stays history
        ("HR+ HER2- MBC. What should we give after letrozole + palbociclib?", {"letrozole", "palbociclib"}),
        (
            "ER-positive HER2-negative MBC, what do we do now that she has progressed on anastrozole + ribociclib?",
            {"anastrozole", "ribociclib"},
        ),
        ("Progressed on fulvestrant + abemaciclib after 3 years, what now? HR+ HER2-.", {"fulvestrant", "abemaciclib"}),
        ("HR+ HER2- MBC, is exemestane + everolimus OK after letrozole (14 mo)?", {"letrozole"}),
    ],
)
def test_history_in_an_asking_sentence_stays_given(kb: Any, q: str, given: set[str]) -> None:
    marks = _marks(kb, q)
    assert all(marks[d] is True for d in given), marks


def test_the_choice_of_the_next_line_is_not_read_as_lines_progressed_on(kb: Any) -> None:
    """The safety case: three drugs asked about as an order, read as three lines progressed on, made
    chemotherapy preferred; asked about, the next line after an AI + CDK4/6 inhibitor is endocrine-based."""
    q = (
        "70F, ER+ HER2- MBC, PIK3CA H1047R on ctDNA, ESR1 not detected. Progressed on anastrozole + "
        "palbociclib after 28 months. Which order after the CDK4/6 inhibitor: elacestrant, capivasertib, "
        "everolimus? No diabetes."
    )
    a = _ask(kb, q)
    assert _given(kb, a) == {"anastrozole", "palbociclib"}, a["read"].get("prior_therapies")
    pref = _preferred(kb, a)
    assert pref and not any(p & CHEMO for p in pref), pref
    assert any({"capivasertib", "fulvestrant"} <= p for p in pref), pref
