"""Review of session 10 (rv10-ce): the question's own "why not" denies nothing of the course it names
as given later in the sentence ("Why not A after PD on B + C?": B and C were given, A is asked about);
a negation of its own before a drug still negates it. Questions worded for this file."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from mbc.answer import answer_question
from mbc.answer._schema import load_answer_kb
from mbc.answer._understand import mentions

AS_OF = dt.date(2026, 12, 7)


def _given(kb: Any, q: str) -> tuple[set[str], set[str]]:
    """The drugs of the courses read as given, and the drugs the question names as given."""
    a = answer_question(q, kb, as_of=AS_OF).to_json()
    courses = {kb.lookup_drug(d) or d for t in a["read"].get("prior_therapies") or [] for d in t["drugs"]}
    return courses, set(a["about"]["prior_drugs"])


@pytest.mark.parametrize(
    ("q", "given", "asked"),
    [
        (
            "Why not fulvestrant after progression on letrozole and palbociclib?",
            {"letrozole", "palbociclib"},
            "fulvestrant",
        ),
        (
            "Why not everolimus after PD on letrozole + abemaciclib?",
            {"letrozole", "abemaciclib"},
            "everolimus",
        ),
        (
            "why not exemestane + everolimus after PD on anastrozole plus ribociclib?",
            {"anastrozole", "ribociclib"},
            "everolimus",
        ),
    ],
)
def test_why_not_keeps_the_course_given(kb: Any, q: str, given: set[str], asked: str) -> None:
    courses, named = _given(kb, q)
    assert given <= courses and given <= named
    assert asked not in courses and asked not in named


@pytest.mark.parametrize(
    "q",
    ["Why not fulvestrant after no response to letrozole?", "Why not capecitabine, she never had letrozole?"],
)
def test_a_negation_of_its_own_still_negates(kb: Any, q: str) -> None:
    (m,) = [m for m in mentions(q, kb, load_answer_kb(kb)) if m.id == "letrozole"]
    assert m.negated
