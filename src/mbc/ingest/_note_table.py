"""Treatment-summary tables in a note: one row, one course (issue 11, session 7).

A table is found by its header row: cells split by pipes, tabs or runs of two or more spaces,
whose names (``tables.columns`` in ``knowledge/nlp/therapy.yaml``) give a regimen column and
at least one of start, stop or reason ("line | regimen | start | stop | best response | reason
stopped"). Each row below it, to a blank line, is read cell by cell:

- the drugs are the drug mentions in the regimen cell (an arrow or "then" inside the cell is one
  course: "A -> B");
- the setting comes from the setting cell or the line cell ("adj", "neo", "met", a line number);
- start and end from their cells ("ongoing" ends nothing and makes the course ongoing);
- the stop reason from the reason cell (the table's own words first, then the reader's stop
  cues); "see note a" reads the footnote line "note a: ..." instead;
- a row that only proposes ("planned", "next?", "offered - declined by pt", "screening", or in
  its regimen cell "consider X", "?X") gives no course, and its drugs are withheld.

The row's drug mentions (and a footnote's) are taken out of the clause-by-clause reading, so a
course is read once. Every step is linear in the note's length.
"""

from __future__ import annotations

import bisect
import functools
import re
from typing import TYPE_CHECKING, Any

from mbc.ingest._data import drug_index, kb_root, load_yaml
from mbc.ingest._note_actions import _parse_date
from mbc.ingest._note_dates import MONTHS_OF_YEAR, _iso_days

if TYPE_CHECKING:
    from collections.abc import Mapping
    from pathlib import Path

    from mbc.ingest._note_actions import _State
    from mbc.ingest._note_pipeline import _Mention

__all__ = ["read_therapy_tables"]

_SPLIT = {"|": re.compile(r"\s*\|\s*"), "\t": re.compile(r"\s*\t\s*"), "  ": re.compile(r"\s{2,}")}
_DATE = re.compile(
    r"(?:19|20)\d{2}-\d{2}(?:-\d{2})?|\d{1,2}/(?:19|20)\d{2}|(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)"
    r"[a-z]*\.?\s+(?:19|20)\d{2}|(?:19|20)\d{2}",
    re.IGNORECASE,
)


def _cells(line: str, sep: str) -> list[tuple[int, int]]:
    """(start, end) of each cell of a line, relative to the line (empty edge cells dropped)."""
    out, pos = [], 0
    for m in _SPLIT[sep].finditer(line):
        out.append((pos, m.start()))
        pos = m.end()
    out.append((pos, len(line)))
    if sep == "|":
        if out and not line[out[0][0] : out[0][1]].strip():
            out = out[1:]
        if out and not line[out[-1][0] : out[-1][1]].strip():
            out = out[:-1]
    return out


def _header(line: str, columns: Mapping[str, re.Pattern[str]]) -> tuple[str, dict[str, int]] | None:
    """(separator, column kind -> cell index) when the line is a treatment table's header."""
    for sep in ("|", "\t", "  "):
        if sep != "  " and sep not in line:
            continue
        cells = [line[a:b].strip() for a, b in _cells(line, sep)]
        if len(cells) < 3:
            continue
        kinds: dict[str, int] = {}
        for i, cell in enumerate(cells):
            kind = next((k for k, p in columns.items() if p.fullmatch(cell)), None)
            if kind is not None and kind not in kinds:
                kinds[kind] = i
        if "regimen" in kinds and {"start", "stop", "reason"} & kinds.keys():
            return sep, kinds
    return None


def _date(cell: str, *, end: bool) -> Any:
    cell = re.sub(
        r"(?i)\b([a-z]{3,9})[-.](\d{4})\b",
        r"\1 \2",
        _iso_days(re.sub(r"(?i)\b(\d{1,2})-([a-z]{3,9})-(\d{4})\b", r"\1 \2 \3", cell)),
    )
    m = _DATE.search(cell)
    return _parse_date(m.group(0), end=end) if m else None


@functools.cache
def _compiled(root: Path) -> tuple[Any, ...]:
    """The ``tables`` patterns of knowledge/nlp/therapy.yaml, compiled once per knowledge root."""
    del root  # the cache key: load_yaml reads the current knowledge root
    spec, f = load_yaml("nlp/therapy.yaml")["tables"], re.IGNORECASE
    return (
        {k: re.compile(p, f) for k, p in spec["columns"].items()},
        [(re.compile(p, f), s) for p, s in spec["settings"].items()],
        re.compile(spec["withheld"], f),
        re.compile(spec.get("withheld_regimen", "(?!)"), f),  # said in the regimen cell only
        re.compile(spec["ongoing"], f),
        re.compile(spec["footnote_ref"], f),
        [(re.compile(r["pattern"], f), r) for r in spec.get("reasons", [])],
        re.compile(spec.get("reason_denied", "(?!)"), f),  # "no toxicity, PD": the reason is PD
    )


def read_therapy_tables(  # noqa: C901, PLR0912 - one pass over the lines, cell by cell
    st: _State, text: str, drugs: list[_Mention], cfg: Mapping[str, Any], first: Any
) -> list[_Mention]:
    """Read the note's treatment tables into courses; return the drug mentions left for the
    clause reader (``first``: the stop-cue matcher of the therapy reader)."""
    spec = cfg.get("tables")
    if not spec or ("|" not in text and "\t" not in text and "   " not in text):
        return drugs
    f = re.IGNORECASE
    columns, settings, withheld, proposed, ongoing, footnote_ref, reasons, denied = _compiled(kb_root())
    drugs = sorted(drugs, key=lambda d: d.start)
    starts = [d.start for d in drugs]
    used: set[int] = set()
    index = drug_index()
    lines, pos = [], 0
    for line in text.split("\n"):
        lines.append((pos, pos + len(line)))
        pos += len(line) + 1
    n = 0
    while n < len(lines):
        a, b = lines[n]
        head = _header(text[a:b], columns) if b - a < 400 else None
        n += 1
        if head is None:
            continue
        sep, kinds = head
        while n < len(lines):
            a, b = lines[n]
            row = text[a:b]
            if not row.strip():
                if (
                    n + 1 < len(lines)
                    and lines[n + 1][1] > lines[n + 1][0]
                    and _is_row(text, lines[n + 1], sep)
                ):
                    n += 1
                    continue
                break
            n += 1
            if not _is_row(text, (a, b), sep) or re.fullmatch(r"[\s|:+\-=]*", row):
                continue
            cells = [(a + x, a + y) for x, y in _cells(row, sep)]

            def cell(
                kind: str, cells: list[tuple[int, int]] = cells, kinds: dict[str, int] = kinds
            ) -> tuple[int, int] | None:
                i = kinds.get(kind)
                return cells[i] if i is not None and i < len(cells) else None

            reg = cell("regimen")
            if reg is None:
                continue
            lo, hi = reg
            in_row = [d for d in drugs[bisect.bisect_left(starts, a) : bisect.bisect_left(starts, b)]]
            in_reg = [d for d in in_row if lo <= d.start < hi]
            if not any(index.kind.get(i) == "antineoplastic" for d in in_reg for i in d.inns):
                # a medication chart row (no cancer drug): left to the medication reader, unless
                # its stop column holds a date (stopped: no current medication; session 11)
                stop_cell = text[slice(*cell("stop"))] if cell("stop") else ""
                if re.search(r"\d", stop_cell) and not ongoing.search(stop_cell):
                    used.update(id(d) for d in in_row)
                continue
            others = " ".join(text[x:y] for x, y in cells if (x, y) != reg)
            for d in in_row:
                used.add(id(d))
            if (
                withheld.search(others)
                or withheld.search(text[lo:hi])
                or proposed.search(text, lo, hi)
                or any(d.attrs & {"negated", "family"} for d in in_reg)
            ):
                continue  # a proposal, an offer declined, a screening: no course given
            reason_text = text[slice(*cell("reason"))] if cell("reason") else ""
            note = footnote_ref.search(reason_text)
            if note:
                found = re.search(
                    spec["footnote"].replace("{ref}", re.escape(note.group("ref"))), text, f | re.MULTILINE
                )
                if found:
                    reason_text = found.group(0)
                    for d in drugs[
                        bisect.bisect_left(starts, found.start()) : bisect.bisect_left(starts, found.end())
                    ]:
                        used.add(id(d))
            reasons_of = (reasons, denied)
            therapy = _row_therapy(text, cell, in_reg, settings, ongoing, reasons_of, reason_text, cfg, first)
            st.builder.therapy(
                therapy,
                {
                    "source": "note",
                    "rule": "nlp.therapy.table",
                    "cue_rules": [],
                    "span": [a, b],
                    "text": row.strip(),
                    "drug_mentions": [[d.start, d.end, d.text] for d in in_reg],
                    "date_precision": "month",
                },
            )
            if therapy.get("setting") in ("adjuvant", "neoadjuvant"):
                st.flags.setdefault(
                    "early_treatment", {"source": "note", "rule": "nlp.therapy.table", "span": [a, b]}
                )
    return [d for d in drugs if id(d) not in used]


def _is_row(text: str, line: tuple[int, int], sep: str) -> bool:
    row = text[line[0] : line[1]]
    return (sep in row) if sep != "  " else bool(re.search(r"\S\s{2,}\S", row))


_RANGE_TO = re.compile(r"\s*(?:->|-->|→|-|–|to|until|through|till)\s*", re.IGNORECASE)
_NOW = re.compile(r"\b(?:now|present|ongoing|to date|current(?:ly)?|today)\b", re.IGNORECASE)


def _date_span(cell: str) -> tuple[str, str]:
    """(start, stop) cell texts of one cell holding both dates ("Jan-May 2018" -> "Jan 2018",
    "May 2018"; "Oct 2025 - now" -> "Oct 2025", "ongoing"; "2018" -> "2018", "2018")."""
    cell = MONTHS_OF_YEAR.sub(r"\1 \3 - \2 \3", cell)
    m = _DATE.search(cell)
    if m is None:
        return "", ""
    rest = cell[m.end() :]
    to = _RANGE_TO.match(rest)
    if to is None:  # one date: a year is the whole course, a month only its start
        return m.group(0), (m.group(0) if m.group(0).isdigit() else "")
    rest = rest[to.end() :]
    return m.group(0), ("ongoing" if _NOW.match(rest) else rest)


def _row_therapy(  # noqa: PLR0913 - the row's cells and the reader's vocabularies
    text: str,
    cell: Any,
    in_reg: list[_Mention],
    settings: list[tuple[re.Pattern[str], str]],
    ongoing: re.Pattern[str],
    reasons: tuple[list[tuple[re.Pattern[str], Mapping[str, Any]]], re.Pattern[str]],
    reason_text: str,
    cfg: Mapping[str, Any],
    first: Any,
) -> dict[str, Any]:
    index = drug_index()
    inns: list[str] = []
    for d in in_reg:
        inns.extend(i for i in d.inns if i not in inns and index.kind.get(i) == "antineoplastic")
    if not inns:
        inns = [i for d in in_reg for i in d.inns]
    therapy: dict[str, Any] = {"drugs": inns}
    for kind in ("setting", "line"):
        span = cell(kind)
        value = text[slice(*span)].strip() if span else ""
        setting = next((s for p, s in settings if p.fullmatch(value)), None)
        if setting:
            therapy["setting"] = setting
            break
    start_cell = text[slice(*cell("start"))] if cell("start") else ""
    stop_cell = text[slice(*cell("stop"))] if cell("stop") else ""
    if cell("dates") and not start_cell and not stop_cell:
        start_cell, stop_cell = _date_span(text[slice(*cell("dates"))])
    start = _date(start_cell, end=False)
    end = _date(stop_cell, end=True)
    if start:
        therapy["start"] = start.isoformat()
    if ongoing.search(stop_cell) or (end is None and ongoing.search(reason_text)):
        therapy["stop_reason"] = "ongoing"
        return therapy
    if end:
        therapy["end"] = end.isoformat()
    table, denied = reasons  # a reason word the cell denies ("no toxicity") is not the reason
    hit = next(
        (
            r["stop_reason"]
            for p, r in table
            if (m := p.search(reason_text)) and not denied.search(reason_text, 0, m.start())
        ),
        None,
    )
    if hit is None and reason_text.strip():
        found = first(cfg["stop_reasons"], "stop_reason", reason_text)
        hit = found[0] if found and found[0] != "ongoing" else None
    if hit:
        therapy["stop_reason"] = str(hit)
    return therapy
