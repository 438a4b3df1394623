"""Short date forms written out in full before the therapy dates are read (session 13): a month and
two-digit-year range ("Apr 22 - Dec 23") and a first cycle's day without a year ("C1 23/09")."""

from __future__ import annotations

import datetime as dt
import re

from mbc.ingest._note_order import numeric_date
from mbc.ingest._note_pipeline import _MONTHS

__all__ = ["short_forms"]

_MONTH_WORD = r"(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?"

# session 13: a month word with a two-digit year on both ends ("Apr 22 - Dec 23", "May25-Jan26"):
# the years must be 13 or more, run forwards and not pass the note's year (so "Oct 14 - Nov 2" and
# other day ranges are never read as years)
_MONTH_YY_RANGE = re.compile(
    rf"(?<![\w/])(?P<m1>{_MONTH_WORD})\s*'?(?P<y1>\d{{2}})\s*(?:-|\u2013|\u2014|->|to)\s*"
    rf"(?P<m2>{_MONTH_WORD})\s*'?(?P<y2>\d{{2}})(?![\d/:.]\d|\d)",
    re.IGNORECASE,
)
# session 13: the first cycle's day without a year ("C1 23/09", "C1D1 05/10"): the latest such day up
# to the note's date; the day/month order as the note writes it (:func:`numeric_date`)
_CYCLE_ONE_DAY = re.compile(
    r"\b(?P<c>C(?:ycle)?\s*1(?:\s*D(?:ay)?\s*1)?)\b[\s:=]*(?:(?:on|given)\s+)?"
    r"(?P<a>\d{1,2})/(?P<b>\d{1,2})(?![/.]?\d)",
    re.IGNORECASE,
)


def short_forms(text: str, ref: dt.date | None) -> str:
    """Month-and-two-digit-year ranges and a year-less first-cycle day, written out in full."""
    if ref is None or not re.search(r"\d", text):
        return text

    def month_yy(m: re.Match[str]) -> str:
        m1, m2 = _MONTHS.get(m.group("m1").lower()[:3]), _MONTHS.get(m.group("m2").lower()[:3])
        y1, y2 = int(m.group("y1")), int(m.group("y2"))
        if m1 is None or m2 is None or y1 < 13 or y2 < y1 or (y1 == y2 and m2 < m1) or 2000 + y2 > ref.year:
            return m.group(0)
        return f"{m.group('m1')} 20{y1:02d} - {m.group('m2')} 20{y2:02d}"

    def cycle_one(m: re.Match[str]) -> str:
        month, day_no = numeric_date(int(m.group("a")), int(m.group("b")))
        try:
            day = dt.date(ref.year, month, day_no)
        except ValueError:
            return m.group(0)
        if day > ref:
            day = day.replace(year=ref.year - 1) if not (month == 2 and day_no == 29) else day
        return f"{m.group('c')} {day.isoformat()}" if day <= ref else m.group(0)

    return _CYCLE_ONE_DAY.sub(cycle_one, _MONTH_YY_RANGE.sub(month_yy, text))
