"""Session 10: lab tables whose columns are dates ("RECENT RESULTS   28/10/2026   07/10/2026"
over "Neut (x10^9/L)   2.4   1.2"). The prose rules read a row's last value (a table usually
ends with its newest column); when the header's newest date heads another column, that
column's cell is read as "<row name> <cell> <unit> (<reference>)" by the lab rules, and each
cell is dated by the header date above it (``header_dates`` / ``column_day``), so the newest
column wins whichever side it is on.
"""

from __future__ import annotations

import itertools
import re
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from mbc.ingest._note_actions import _State

__all__ = ["column_day", "header_dates", "read_column_tables"]

_CELL = re.compile(r"\S+(?:[ ]\S+)*")  # cells are set apart by two or more spaces or a tab
# session 11: a cell may carry its unit ("2.94 mmol/L", "29 g/L")
_NUMBER = re.compile(r"^[<>]?\d+(?:[.,]\d+)?(?:[ ]?(?:[a-zA-Zµ%][\w/^µ%.]{0,11}))?$")
_MAX_ROWS = 40
_EMPTY = frozenset({"--", "-", "—", "n/a", "NA", "nd"})
_MAX_HEADER_LETTERS = 30  # letters of a header line besides its dates ("Bloods (most recent first)")


def header_dates(line: str) -> list[tuple[int, int, Any, str]]:
    """(start, end, date, as written) of each date of a column-table header line, or [] when the line is no
    such header (fewer than two dates, or more words than a header has)."""
    from mbc.ingest._note_labs import _VALUE_DATE, REF_DATE, _date_of, _not_decimals

    found = [
        d for d in _not_decimals(list(_VALUE_DATE.finditer(line))) if not d.group("mon") or d.group("md")
    ]
    if len(found) < 2:
        return []
    # session 11: columns stand apart (two spaces or a tab), not joined as a span ("10/21 -> 03/25")
    for d, e in itertools.pairwise(found):
        gap = line[d.end() : e.start()]
        if not re.search(r"[ ]{2,}|\t", gap) or re.search(r"->|→|=>|\bto\b|[-–]\s*$", gap):
            return []
    rest = _VALUE_DATE.sub(" ", line)
    if len(re.findall(r"[A-Za-z]", rest)) > _MAX_HEADER_LETTERS:
        return []
    out = []
    for d in found:
        day = _date_of(d, REF_DATE.get())
        if day is None:
            return []
        out.append((d.start(), d.end(), day, d.group(0)))
    return out


def _column(dates: list[tuple[int, int, Any, str]], a: int, b: int) -> int | None:
    """The index of the header date over the cell at columns [a, b), or None when the cell lies
    left of every date column (a row label)."""
    if b <= dates[0][0] - 1:
        return None
    centre = (a + b) / 2
    return min(range(len(dates)), key=lambda i: abs((dates[i][0] + dates[i][1]) / 2 - centre))


def column_day(line: str, x: int) -> int | None:
    """The day ordinal of the header date over column ``x`` of a row (None when ``line`` is no
    date header or ``x`` is left of its dates)."""
    dates = header_dates(line)
    if not dates:
        return None
    i = _column(dates, x, x + 1)
    return dates[i][2].toordinal() if i is not None else None


def _virtual(name_cell: str, value: str) -> str:
    """ "Bili (umol/L, 3-21)" and "12" -> "Bili 12 umol/L (3-21)"."""
    name = re.sub(r"\s*\([^()]*\)", "", name_cell).strip()
    unit, ref = "", ""
    for inner in re.findall(r"\(([^()]*)\)", name_cell):
        for part in (p.strip() for p in inner.split(",")):
            if re.fullmatch(
                r"[<>]?\d+(?:[.,]\d+)?\s*[-–]\s*\d+(?:[.,]\d+)?|(?:ULN|ref)\b.*", part, re.IGNORECASE
            ):
                ref = part
            elif part and not unit:
                unit = part
    return f"{name} {value}" + (f" {unit}" if unit else "") + (f" ({ref})" if ref else "")


def read_column_tables(st: _State, text: str, labs: list[Any], mention: Any) -> None:
    """Read the newest column of each date-headed lab table. Session 11: the last column too (a
    row whose cells carry their units is read by the prose rules at its first cell)."""
    from mbc.ingest._note_actions import _apply

    pos = 0
    for line_m in re.finditer(r"[^\n]*", text):
        if line_m.start() < pos or not line_m.group(0).strip():
            continue
        dates = header_dates(line_m.group(0))
        if not dates:
            continue
        newest = max(range(len(dates)), key=lambda i: (dates[i][2], -i))
        pos = _read_rows(st, text, line_m.end() + 1, dates, newest, labs, mention, _apply)


def _read_rows(
    st: _State,
    text: str,
    start: int,
    dates: list[Any],
    newest: int,
    labs: list[Any],
    mention: Any,
    apply: Any,
) -> int:
    pos = start
    for _ in range(_MAX_ROWS):
        if pos >= len(text):
            break
        end = text.find("\n", pos)
        end = len(text) if end == -1 else end
        row = text[pos:end]
        if not row.strip() or header_dates(row):  # session 11: the next table's header ends this one
            break
        cells = [(c.start(), c.end()) for c in _CELL.finditer(row)]
        k = next(
            (i for i, (a, b) in enumerate(cells) if _NUMBER.match(row[a:b]) or row[a:b] in _EMPTY), len(cells)
        )
        name = row[cells[0][0] : cells[k - 1][1]] if k else ""
        if re.search(r"[A-Za-z]", name):  # the row's label: its cells before the first value
            for a, b in cells[k:]:
                if _column(dates, a, b) == newest and _NUMBER.match(row[a:b]):
                    cell = (pos + a, pos + b, name, dates[newest][3])  # its row label and date
                    _read_cell(st, text, cell, labs, mention, apply)
                    break
        pos = end + 1
    return pos


def _read_cell(
    st: _State, text: str, cell: tuple[int, int, str, str], labs: list[Any], mention: Any, apply: Any
) -> None:
    a, b, name, date = cell
    virtual = _virtual(name, text[a:b])
    for comp in labs:
        found = comp.regex.match(virtual)
        if found is None:
            continue
        m = mention(a, b, text[a:b], comp, found)
        m.sent = (a, b)
        m.context_text = f"{date}: {virtual}"  # the cell's date, as value_day reads it
        apply(st, m)
        return
