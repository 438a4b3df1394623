"""The day/month order of a note's numeric dates ("06/10/2026": 6 October or June 10?).

One order per note, decided from the note itself: a numeric date whose first part is above
12 (or dotted, European style) votes day-first, one whose second part is above 12 votes
month-first; an ambiguous date votes for the order under which its month is a month the
note also writes out with the same year ("relapse September 2026 ... cell block
12/09/2026"). With no vote either way the note is read month/day, as before. The order is
held in a context variable while a note is read, so every date parser of the reader
follows it (threads and tasks each see their own)."""

from __future__ import annotations

import re
from contextvars import ContextVar

__all__ = ["DAY_FIRST", "day_first", "numeric_date"]

DAY_FIRST: ContextVar[bool] = ContextVar("mbc_note_day_first", default=False)

_NUMERIC = re.compile(r"(?<![\d/.-])(\d{1,2})([/.-])(\d{1,2})\2((?:19|20)\d{2})(?![\d/])")
_MONTH_YEAR = re.compile(r"\b([A-Za-z]{3,9})\.?,?\s+((?:19|20)\d{2})\b")
_NAMES = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")
_MONTHS = {m: i for i, m in enumerate(_NAMES, start=1)}


def day_first(text: str) -> bool:
    """Whether this note writes its numeric dates day/month/year (see the module doc)."""
    written = {
        (int(y), _MONTHS[w.lower()[:3]]) for w, y in _MONTH_YEAR.findall(text) if w.lower()[:3] in _MONTHS
    }
    day = month = 0
    for a_raw, sep, b_raw, y_raw in _NUMERIC.findall(text):
        a, b, year = int(a_raw), int(b_raw), int(y_raw)
        if a > 12 or (sep == "." and b <= 12):
            day += 1
        elif b > 12:
            month += 1
        elif a != b:
            day += (year, b) in written
            month += (year, a) in written
    return day > month


def numeric_date(a: int, b: int, *, dotted: bool = False) -> tuple[int, int]:
    """(month, day) of a numeric date written ``a/b``: a part above 12 is the day, else a
    dotted date (``a.b``, European style) or the note's order (:data:`DAY_FIRST`) reads day first."""
    if a > 12 or (b <= 12 and (dotted or DAY_FIRST.get())):
        return b, a
    return a, b
