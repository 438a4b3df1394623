"""The note reader reads any text, or refuses it with an InputError: never another exception.

Text built from the knowledge base's own vocabulary (drug names and brands, lab and receptor
words, section headings) mixed with numbers and dates in every format and awkward unicode, and
the repo's notes with their numbers and dates rewritten (principle 5: bad input gets a clear
answer, never a traceback). The bounds keep the module to a few seconds; scaling with input
size is measured in ``benchmarks/bench_robust.py``.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json

from hypothesis import HealthCheck, given, settings

from mbc.errors import InputError
from mbc.ingest import extract
from mbc.ingest.notes import read_note

from ._inputs import examples, mutated_note, vocabulary_text

AS_OF = dt.date(2026, 11, 20)
_SETTINGS = settings(max_examples=examples(40), deadline=None, derandomize=True, database=None,
                     suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])  # fmt: skip


def _read(text: str) -> None:
    try:
        result = read_note(text, as_of=AS_OF)
    except InputError:
        return  # a clear refusal (an empty note) is an answer
    json.dumps(result.record, default=str)  # what was read is plain data


@_SETTINGS
@given(vocabulary_text())
def test_vocabulary_text_never_crashes_the_note_reader(text: str) -> None:
    _read(text)


@_SETTINGS
@given(mutated_note())
def test_rewritten_notes_never_crash_the_note_reader(text: str) -> None:
    _read(text)


@settings(_SETTINGS, max_examples=examples(20))
@given(vocabulary_text(max_tokens=30))
def test_extract_as_note_reads_or_refuses(text: str) -> None:
    with contextlib.suppress(InputError):  # a clear refusal is an answer
        extract(text, kind="note", as_of=AS_OF)
