"""A reference date at the edge of the calendar never crashes the note reader.

Found by the session-9 targeted fuzzing: a note headed "Date: 0001-01-03" (or ``as_of``
0001-01-01, e.g. ``POST /v1/ask`` with ``"as_of": "0001-01-01"``, a 500) raised
OverflowError when a duration was counted back from it (``_note_fields.dated_symptoms``).
"""

from __future__ import annotations

import datetime as dt

import pytest

from mbc.answer import answer_question
from mbc.errors import NoteExtractionError
from mbc.ingest.notes import read_note
from mbc.knowledge import load_kb


@pytest.mark.parametrize("header", ["Date: 0001-01-03", "Date of visit: 01.01.0001", "Datum: 03/01/0001"])
def test_an_impossible_note_date_is_no_reference(header: str) -> None:
    result = read_note(f"{header}\nHeadache since 3 days. ER 90%.", as_of=dt.date(2026, 11, 20))
    assert result.record["as_of"] == "2026-11-20"
    assert result.record["tumor"]["er_percent"] == 90


def test_an_as_of_before_1900_is_refused_with_its_field() -> None:
    with pytest.raises(NoteExtractionError) as err:
        read_note("Headache since 3 days.", as_of=dt.date(1, 1, 1))
    assert err.value.problems[0].loc == ("as_of",)


def test_a_question_as_of_year_one_is_answered_not_crashed() -> None:
    answer = answer_question(
        "68 yo, back pain for 2 weeks, on letrozole. What next?", load_kb(), as_of=dt.date(1, 1, 1)
    )
    assert answer.answer.text
