"""The day/month order of a note's numeric dates ("06/10/2026": 6 October or June 10?).

One order per note, decided from the note itself: a numeric date whose first part is above
12 (or dotted, European style) votes day-first, one whose second part is above 12 votes
month-first; an ambiguous date votes for the order under which its month is a month the
note also writes out with the same year ("relapse September 2026 ... cell block
12/09/2026"). With no vote either way the note is read month/day, as before. The order is
held in a context variable while a note is read, so every date parser of the reader
follows it (threads and tasks each see their own).

Session 6: a numeric date followed by the same date written out ("01/10/2026 (1 October)")
votes for the order it confirms, and a month written in French, Spanish, Italian or German
("10 novembre 2026", "Oktober") votes day-first (those countries write dates day first).

Session 8: when the dates leave the order open (no vote, or a tie), the note's words decide:
British / Commonwealth spelling and services ("tumour", "oedema", "paracetamol", "999") vote
day-first, US ones ("tumor", "Tylenol", "mg/dL") month-first, each word once
(``date_locale`` in knowledge/nlp/therapy.yaml)."""

from __future__ import annotations

import datetime as dt
import functools
import re
from contextvars import ContextVar
from typing import TYPE_CHECKING, Any

from mbc.ingest._data import kb_root, load_yaml

if TYPE_CHECKING:
    from collections.abc import Mapping

__all__ = ["DAY_FIRST", "day_first", "event_date", "numeric_date", "written_date"]

DAY_FIRST: ContextVar[bool] = ContextVar("mbc_note_day_first", default=False)

_NUMERIC = re.compile(r"(?<![\d/.-])(\d{1,2})([/.-])(\d{1,2})\2((?:19|20)\d{2})(?![\d/])")
# session 11 (s11-nsafe hook): a date with a two-digit year ("6/14/24") that only one order can
# read votes for that order too
_SHORT = re.compile(r"(?<![\d/.-])(\d{1,2})/(\d{1,2})/\d{2}(?![\d/.])")
# session 9 (second pass): a date format the note states ("Visit: 5/11/2026 (dd/mm)", "dates are
# DD.MM.YYYY", "mm/dd/yy") decides the order of every numeric date in it
_STATED = re.compile(
    r"(?<![A-Za-z])(dd|mm)[/.-](mm|dd)(?:[/.-](?:yyyy|yy|jjjj|aaaa))?(?![A-Za-z])", re.IGNORECASE
)
_MONTH_YEAR = re.compile(r"\b([A-Za-z]{3,9})\.?,?\s+((?:19|20)\d{2})\b")
_NAMES = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")
_MONTHS = {m: i for i, m in enumerate(_NAMES, start=1)}
# Month names that are not English (each votes day-first); first three letters are not enough
# ("mar" is March in English too), so whole words.
_EUROPEAN = re.compile(
    r"\b(?:janvier|f[ée]vrier|avril|juillet|ao[uû]t|septembre|octobre|novembre|d[ée]cembre"
    r"|enero|febrero|marzo|abril|mayo|junio|julio|agosto|septiembre|octubre|noviembre|diciembre"
    r"|gennaio|febbraio|aprile|maggio|giugno|luglio|settembre|ottobre|dicembre"
    r"|Januar|Februar|M[äa]rz|Juni|Juli|Oktober|Dezember"
    # words of those languages common in notes ("46 anni", "51 ans", "1a línea", "1ère ligne")
    r"|a[ñn]os|anni|ans|Jahre|l[íi]nea|ligne|Linie)\b",
    re.IGNORECASE,
)
# the same date written out right after it: "01/10/2026 (1 October)", "(= 4 June)", "(i.e. 4 June)"
_SPELLED = re.compile(
    r"\s*\(\s*(?:=|i\.?e\.?,?|that is|ie)?\s*(\d{1,2})(?:st|nd|rd|th)?\s+(?:of\s+)?([A-Za-z]{3,9})\b",
    re.IGNORECASE,
)


def day_first(text: str, as_of: dt.date | None = None) -> bool:
    """Whether this note writes its numeric dates day/month/year (see the module doc); the
    ``as_of`` date given with the note votes twice for the order that reads its header date as
    that day (session 11)."""
    stated = next((m for m in _STATED.finditer(text) if m.group(1).lower() != m.group(2).lower()), None)
    if stated is not None:
        return stated.group(1).lower() == "dd"
    written = {
        (int(y), _MONTHS[w.lower()[:3]]) for w, y in _MONTH_YEAR.findall(text) if w.lower()[:3] in _MONTHS
    }
    day = len(_EUROPEAN.findall(text))
    month = 0
    for a_raw, b_raw in _SHORT.findall(text):
        day += int(a_raw) > 12 >= int(b_raw)
        month += int(b_raw) > 12 >= int(a_raw)
    for found in _NUMERIC.finditer(text):
        a_raw, sep, b_raw, y_raw = found.groups()
        a, b, year = int(a_raw), int(b_raw), int(y_raw)
        spelled = _SPELLED.match(text, found.end())
        if spelled and spelled.group(2).lower()[:3] in _MONTHS and a != b:
            said = (int(spelled.group(1)), _MONTHS[spelled.group(2).lower()[:3]])
            day += 2 * (said == (a, b))  # "01/10/2026 (1 October)": stated, so it counts more
            month += 2 * (said == (b, a))
        if a > 12 or (sep == "." and b <= 12):
            day += 1
        elif b > 12:
            month += 1
        elif a != b:
            day += (year, b) in written
            month += (year, a) in written
    # session 8 (s8-fields): the note's own date (its first numeric date, in the header) is not
    # earlier than a month the note writes as past ("TEL 07/11/2026 ... since Aug 2026": 7 Nov)
    head = _NUMERIC.search(text, 0, 200)
    two_ways = head is not None and int(head.group(1)) <= 12 and int(head.group(3)) <= 12
    if head and written and two_ways and head.group(1) != head.group(3):
        year, latest = int(head.group(4)), max(written)
        md_ok, dm_ok = (year, int(head.group(1))) >= latest, (year, int(head.group(3))) >= latest
        day, month = day + (dm_ok and not md_ok), month + (md_ok and not dm_ok)
    if head and as_of is not None and two_ways and head.group(1) != head.group(3):
        a, b, year = int(head.group(1)), int(head.group(3)), int(head.group(4))
        day += 2 * ((year, b, a) == (as_of.year, as_of.month, as_of.day))
        month += 2 * ((year, a, b) == (as_of.year, as_of.month, as_of.day))
    if day == month and (locale := _locale()) is not None:
        # no date decides: the note's spelling and services do (session 8), each word once
        first, second = locale
        day += len({w.lower() for w in first.findall(text)}) if first else 0
        month += len({w.lower() for w in second.findall(text)}) if second else 0
    return day > month


@functools.cache
def _locale_of(root: object) -> tuple[re.Pattern[str] | None, re.Pattern[str] | None] | None:
    del root  # the cache key: load_yaml reads the current knowledge root
    spec = load_yaml("nlp/therapy.yaml").get("date_locale")
    if not spec:
        return None

    def pattern(key: str) -> re.Pattern[str] | None:
        return re.compile(str(spec[key]), re.IGNORECASE) if spec.get(key) else None

    return pattern("day_first"), pattern("month_first")


def _locale() -> tuple[re.Pattern[str] | None, re.Pattern[str] | None] | None:
    """``date_locale`` of knowledge/nlp/therapy.yaml: words that vote for the note's date order
    (British / Commonwealth spelling and services vote day-first; US ones month-first)."""
    return _locale_of(kb_root())


def numeric_date(a: int, b: int, *, dotted: bool = False) -> tuple[int, int]:
    """(month, day) of a numeric date written ``a/b``: a part above 12 is the day, else a
    dotted date (``a.b``, European style) or the note's order (:data:`DAY_FIRST`) reads day first."""
    if a > 12 or (b <= 12 and (dotted or DAY_FIRST.get())):
        return b, a
    return a, b


_WRITTEN_DAY = re.compile(r"(\d{1,2})(?:st|nd|rd|th)?[-\s.]+([a-z]{3,9})\.?[-\s.,]+(\d{4})")
_WRITTEN_MONTH = re.compile(r"([a-z]{3,9})\.?(?:\s+of)?[-\s]+(\d{4})")


def written_date(raw: str) -> tuple[dt.date | None, str]:
    """A date written with a month word and a day ("3rd july 2023", "14-mar-2023": the day; an
    impossible day gives ``(None, "")``), or the raw text with a month-year form made plain
    ("june of 2024", "apr-2023" -> "june 2024"); ``raw`` is lower case."""
    if (m := _WRITTEN_DAY.fullmatch(raw)) and m.group(2)[:3] in _MONTHS:
        try:
            return dt.date(int(m.group(3)), _MONTHS[m.group(2)[:3]], int(m.group(1))), raw
        except ValueError:
            return None, ""
    if (m := _WRITTEN_MONTH.fullmatch(raw)) and m.group(1)[:3] in _MONTHS:
        return None, f"{m.group(1)} {m.group(2)}"
    return None, raw


def event_date(head: str, at: int, cfg: Mapping[str, Any]) -> bool:
    """Session 13: a written date right after an event word on its line ("Mets since 1st Feb 2024",
    "date of birth, uh, April 2nd 1963") dates that event, not the note (`note_date_event_before`)."""
    cue = cfg.get("note_date_event_before")
    if not cue:
        return False
    line_start = head.rfind("\n", 0, at) + 1
    return re.search(str(cue), head[max(line_start, at - 40) : at], re.IGNORECASE) is not None
