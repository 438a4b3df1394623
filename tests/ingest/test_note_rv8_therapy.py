"""Review of session 8's therapy timeline (issue 11): a course really given is not dropped as
"not given (yet)" or as a choice, the choice not taken is not given, and a word US notes write
too does not read a note's dates day-first. Every phrasing here was written for these tests."""

from __future__ import annotations

import datetime as dt

import pytest

from mbc.ingest import extract
from mbc.ingest._note_order import day_first

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


@pytest.mark.parametrize(
    "text",
    [
        # words US notes write too do not turn a note day-first
        "Seen 05/03/2026 with the ID consultant. Bone mets, on letrozole since 04/09/2025.",
        "Visit 05/03/2026. On letrozole since 04/09/2025. Discussed at MDT. Labs ok.",
        "Visit 05/03/2026. CA 27-29 999, rising.",
    ],
)
def test_a_word_us_notes_write_too_does_not_read_a_note_day_first(text: str) -> None:
    assert day_first(text) is False


def test_999_as_the_number_called_still_reads_day_first() -> None:
    assert day_first("PHONE 03/10/2026 - daughter called, her mum should dial 999 if weak legs.") is True


def test_an_earlier_scan_does_not_end_a_line_through_a_stop_of_something_else() -> None:
    text = (
        "Bone metastases. Letrozole started 03/2025. CT 09/2026: new bone lesions, likely degenerative "
        "per radiology. The anti-emetic was stopped."
    )
    rec = extract(text, kind="note", as_of=AS_OF).record
    line = next(t for t in rec["prior_therapies"] if "letrozole" in t["drugs"])
    assert line.get("stop_reason") != "progression"


def test_an_earlier_scan_gives_its_reason_to_a_stop_of_the_line() -> None:
    text = "Bone metastases. Letrozole started 03/2025. CT 09/2026: new liver lesions. Treatment stopped."
    rec = extract(text, kind="note", as_of=AS_OF).record
    line = next(t for t in rec["prior_therapies"] if "letrozole" in t["drugs"])
    assert line["stop_reason"] == "progression"


@pytest.mark.parametrize(
    "text",
    [
        "HR+ breast cancer. Capecitabine 2022-2023, PD. Eribulin 2023-2024, PD. New brain metastasis "
        "diagnosed 03/2026, treated with SRS.",
        "Breast cancer 2019, mastectomy. Capecitabine 01/2022-06/2023 stopped for PD. Recurrence in the liver "
        "11/2025 on imaging.",
    ],
)
def test_a_course_stopped_for_progression_is_not_made_early_by_its_dates(text: str) -> None:
    rec = extract(text, kind="note", as_of=AS_OF).record
    line = next(t for t in rec["prior_therapies"] if "capecitabine" in t["drugs"])
    assert (line["setting"], line["stop_reason"]) == ("metastatic", "progression")
