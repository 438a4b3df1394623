"""Review of session 8's therapy timeline (issue 11): a course really given is not dropped as
"not given (yet)". Every phrasing here was written for these tests."""

from __future__ import annotations

import datetime as dt

import pytest

from mbc.ingest import extract

AS_OF = dt.date(2026, 11, 20)


def _given(text: str) -> set[str]:
    rec = extract(text, kind="note", as_of=AS_OF).record
    return {d for t in rec.get("prior_therapies", []) for d in t["drugs"]}


@pytest.mark.parametrize(
    ("text", "drug"),
    [
        (
            "Liver metastases. Capecitabine: first cycle given 2 weeks ago, cycle 2 due next week.",
            "capecitabine",
        ),
        ("Liver metastases. Started eribulin, first dose given today, next dose due day 8.", "eribulin"),
        (
            "Liver metastases. On capecitabine, first cycle given last week, next cycle due on Monday.",
            "capecitabine",
        ),
    ],
)
def test_a_first_cycle_said_given_is_not_a_first_cycle_to_come(text: str, drug: str) -> None:
    assert drug in _given(text)


@pytest.mark.parametrize(
    "text",
    [
        "Bone and liver metastases. On paclitaxel weekly, tolerating well. C1D1 of the next block booked for Monday.",
        "Liver mets. Currently on paclitaxel, tolerating it. First infusion of the new block scheduled for Friday.",
    ],
)
def test_a_first_cycle_booked_in_the_next_sentence_does_not_withhold_a_course_going_on(text: str) -> None:
    assert "paclitaxel" in _given(text)


@pytest.mark.parametrize(
    ("text", "given", "not_given"),
    [
        # a choice word between two drugs that does not join them
        (
            "Bone metastases. On fulvestrant, tolerating it, no pain or fatigue, with palbociclib cycle 3.",
            {"fulvestrant", "palbociclib"},
            set(),
        ),
        # the note says which was chosen: that one is given, the other is not
        (
            "Bone metastases. Letrozole or anastrozole, she takes letrozole, plus palbociclib.",
            {"letrozole", "palbociclib"},
            {"anastrozole"},
        ),
        (
            "Liver metastases. Paclitaxel or nab-paclitaxel: she is on paclitaxel weekly, tolerating well.",
            {"paclitaxel"},
            {"nab-paclitaxel"},
        ),
        (
            "Bone metastases. Fulvestrant with capivasertib or alpelisib; capivasertib chosen, now on "
            "fulvestrant + capivasertib, tolerating well.",
            {"fulvestrant", "capivasertib"},
            {"alpelisib"},
        ),
    ],
)
def test_a_choice_is_only_two_drugs_joined_by_the_choice_word_and_left_open(
    text: str, given: set[str], not_given: set[str]
) -> None:
    read = _given(text)
    assert given <= read, read
    assert not read & not_given, read
