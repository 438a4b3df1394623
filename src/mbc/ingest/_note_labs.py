"""Lab values from a vocabulary (session 6): one target rule per lab of ``lab_values`` in
``knowledge/nlp/lexicon.yaml`` — names in the languages seen, units with their factors to the
record's unit, and the upper limit of normal read from the reference written after the value.

The rules are ordinary target rules (they go through ConText and the same overlap and ranking
as the hand-written ones), built once per knowledge root.
"""

from __future__ import annotations

import datetime as dt
import re
from contextvars import ContextVar
from typing import TYPE_CHECKING, Any

from mbc.ingest._data import load_yaml
from mbc.ingest._note_coltable import column_day, read_column_tables

if TYPE_CHECKING:
    from collections.abc import Mapping

    from mbc.ingest._extraction import RecordBuilder
    from mbc.ingest._note_actions import _State
    from mbc.ingest._note_pipeline import _Mention

__all__ = [
    "REF_DATE",
    "apply_lab",
    "expire_old_labs",
    "lab_rules",
    "stale",
    "table_day",
    "value_day",
    "year_written",
]


def _spec() -> Mapping[str, Any]:
    return load_yaml("nlp/lexicon.yaml").get("lab_values") or {}


def _words(names: list[str]) -> str:
    """An alternation of names, longest first; a space in a name matches any spacing."""
    parts = sorted({str(n) for n in names}, key=lambda n: (-len(n), n))
    return "|".join(re.escape(n).replace(r"\ ", r"\s*") for n in parts)


def _units(units: Mapping[str, Any]) -> str:
    keys = sorted(units, key=lambda u: (-len(u), u))
    return "|".join(re.escape(u).replace("x", r"x\s*").replace("×", r"×\s*") for u in keys)


def lab_rules() -> list[dict[str, Any]]:
    """Target-rule dicts (``knowledge/nlp/targets.yaml`` shape) for each lab of the vocabulary."""
    spec = _spec()
    if not spec:
        return []
    num = f"(?:{spec['number']})"
    rules = []
    for lab in spec["labs"]:
        units = _units(lab.get("units") or {})
        unit = rf"\s*(?P<u>{units})(?![A-Za-z])" if units else ""
        # not the low end of a reference range ("ANC   1.1   1.5-7.5 x10^9/L": 1.5 is no value)
        value = (
            rf"(?P<v>{num})(?![\d.,]*\s*[-–]\s*\d)"
            rf"(?![\d.,]*\s*(?:x|×|times)\s*(?:the\s+)?(?:ULN|LSN|upper))(?:{unit})?"
        )
        also = f"(?:{lab['also']})?" if lab.get("also") else ""
        # one gap, not a run of gaps: "(?:[ \t]{2,}|\t)+" split a run of blanks every way (exponential)
        table = rf"(?:{num}(?:[ \t]{{2,}}|\t))*"
        head = (
            rf"\b(?P<name>{_words(lab['names'])})(?![\w-])(?:\s*\([^()\n]{{1,30}}\))?"
            rf"{spec['between']}{spec['when']}\s*(?:[:=]\s*|of\s+)?{table}"
        )
        field = lab.get("field") or lab["uln_field"]
        if lab.get("uln_field") and not lab.get("field"):
            # a multiple of the ULN is the fact: a reference or a written multiple is required
            written = rf"(?P<x>{num})\s*(?:x|×|times|fois|fach)\s*(?:the\s+)?" + (
                r"(?:ULN|LSN|upper limit(?: of normal)?|N\b|VN)"
            )
            pattern = rf"{head}(?:{written}|{value}{spec['reference']})"
        else:
            pattern = rf"{head}{value}{also}"
        rules.append(
            {
                "id": f"nlp.lab_value.{lab['key']}",
                "pattern": pattern,
                # a measured value is not denied by a list negation around it ("no diabetes
                # (HbA1c 5.6%)"); a value in a plan, a relative's history or in doubt is not read
                "drop_if": ["family", "hypothetical", "uncertain"],
                "emit": [{"action": "lab", "key": lab["key"], "field": field, "group": "v"}],
            }
        )
    return rules


def _number(raw: str, per_unit: bool) -> float:
    """A number as written: "3.200/mmc" and "1,600" group thousands; "2,3" is a decimal."""
    if re.fullmatch(r"\d{1,3}(?:[.,]\d{3})+", raw) and per_unit:
        return float(re.sub(r"[.,]", "", raw))
    return float(raw.replace(",", "."))


def _uln(m: re.Match[str], spec: Mapping[str, Any]) -> float | None:
    ref = m.groupdict().get("ref") or m.groupdict().get("ref2") or m.groupdict().get("ref3")
    if not ref:
        return None
    for key in ("uln_range", "uln_below", "uln_word"):
        found = re.search(str(spec[key]), ref, re.IGNORECASE)
        if found:
            hi = float(found.group("hi").replace(",", "."))
            return hi if hi > 0 else None
    return None


def _factor(lab: Mapping[str, Any], unit: str | None, value: float) -> float | None:
    """The factor to the record's unit (None: a unit or a unitless value not read)."""
    if unit:
        key = re.sub(r"\s+", "", unit.lower())
        table = {re.sub(r"\s+", "", str(k).lower()): v for k, v in (lab.get("units") or {}).items()}
        factor = table.get(key)
        return None if factor is None else float(factor)
    for row in lab.get("unitless") or []:
        if "below" not in row or value < float(row["below"]):
            return float(row.get("factor", 1))
    return None


def _rounded(lab: Mapping[str, Any], value: float) -> float | int:
    return round(value) if lab.get("int") else round(value, int(lab.get("round", 2)))


def _in_record_unit(lab: Mapping[str, Any], raw: str, unit: str | None) -> tuple[float | int, float] | None:
    """A written value converted to the record's unit and rounded, with the factor used
    (None: a unit not read)."""
    number = _number(raw, unit is None or _factor(lab, unit, 0.0) == 1.0)
    factor = _factor(lab, unit, number)
    return None if factor is None else (_rounded(lab, number * factor), factor)


def apply_lab(st: _State, m: _Mention, a: Mapping[str, Any]) -> None:
    """Record a lab value (converted to the record's unit) or its multiple of the ULN."""
    from mbc.ingest._note_actions import _rank

    if m.match is None:
        return
    spec = _spec()
    lab = next((x for x in spec.get("labs", []) if x["key"] == a["key"]), None)
    if lab is None:
        return
    if "field" not in a:  # session 8: ranked as a lab (newest date, older words), not by position only
        a = {**a, "field": lab.get("field") or lab.get("uln_field")}
    g = m.match.groupdict()
    src = m.src()
    if g.get("x"):  # "ALT 1.5x ULN"
        st.builder.set(a["field"], float(g["x"].replace(",", ".")), src, rank=_rank(m, a))
        return
    raw, unit = g.get("v"), g.get("u")
    if raw is None:
        return
    if lab.get("field"):
        if g.get("also"):
            out = _rounded(lab, float(g["also"].replace(",", ".")))
            src = {**src, "derived": f"{raw} {unit or ''} -> {g['also']} as written".replace("  ", " ")}
        else:
            converted = _in_record_unit(lab, raw, unit)
            if converted is None:
                return
            out, factor = converted
            if factor != 1.0:
                src = {**src, "derived": f"{raw} {unit or '(no unit)'} x {factor:g}"}
        st.builder.set(str(lab["field"]), out, src, rank=_table_rank(st, m, _rank(m, a)))
        _later_value(st, m, a, lab, unit, src)
        return
    uln = _uln(m.match, spec)
    if uln is None:
        return
    value = round(_number(raw, False) / uln, 2)
    st.builder.set(str(lab["uln_field"]), value, {**src, "derived": f"{raw} / ULN {uln:g}"}, rank=_rank(m, a))


def _table_rank(st: _State, m: _Mention, rank: tuple[Any, ...]) -> tuple[Any, ...]:
    """Session 9: a table row's value with no date of its own takes its header's last date."""
    if len(rank) < 4 or rank[2] or st.text is None or m.match is None or m.match.string is not st.text:
        return rank
    day = table_day(st.text, m.start)
    return rank if not day else (rank[0], rank[1], day, *rank[3:])


def _later_value(
    st: _State, m: _Mention, a: Mapping[str, Any], lab: Mapping[str, Any], unit: str | None, src: Any
) -> None:
    """A later value of the same lab written right after this one, in its unit ("Plt 45
    x10^9/L yesterday; 98 today"): recorded as the newer value (session 8)."""
    from mbc.ingest._note_actions import _rank
    from mbc.ingest._note_series import series

    later = series(m, {**a, "group": "v"})
    if later is None or m.match is None or m.match.groupdict().get("also"):
        return
    converted = _in_record_unit(lab, later[0], unit)
    if converted is None:
        return
    out, factor = converted
    st.builder.set(
        str(lab["field"]),
        out,
        {**src, "derived": f"later value {later[0]} x {factor:g}"},
        rank=_rank(m, later[1]),
    )


_ROW = re.compile(r"^[ \t]*\|(.+)\|[ \t]*$", re.MULTILINE)


def read_lab_tables(st: _State, text: str, rules: list[Any]) -> None:
    """Pipe tables of lab results ("| date | bili (ULN 21 µmol/L) | ALT (ULN 35) | plt |"): the
    header names each column (a reference in the header applies to the column); the last row is
    the newest. Each cell is read as "<header> <value>" by the lab rules, so units, factors and
    upper limits work as in prose."""
    from mbc.ingest._note_pipeline import _Mention

    # every rule that records a lab (the vocabulary's and the hand-written ones: calcium)
    labs = [c for c in rules if any(f.startswith("labs.") for f in c.fields)]
    if labs:  # session 10: a table whose columns are dates, newest not last
        read_column_tables(st, text, labs, _Mention)
    if not labs or "|" not in text:
        return
    rows: list[list[re.Match[str]]] = []
    for line in _ROW.finditer(text):
        if rows and text.count("\n", rows[-1][-1].end(), line.start()) > 1:
            _read_table(st, text, rows, labs, _Mention)
            rows = []
        rows.append([line])
    if rows:
        _read_table(st, text, rows, labs, _Mention)


def _cells(m: re.Match[str]) -> list[tuple[int, int]]:
    """(start, end) of each cell of a table row, stripped."""
    out, pos = [], m.start(1)
    for part in m.group(1).split("|"):
        a = pos + len(part) - len(part.lstrip())
        out.append((a, a + len(part.strip())))
        pos += len(part) + 1
    return out


def _read_table(
    st: _State, text: str, rows: list[list[re.Match[str]]], labs: list[Any], mention: Any
) -> None:
    from mbc.ingest._note_actions import _apply

    lines = [r[0] for r in rows if not re.fullmatch(r"[\s|:\-]+", r[0].group(0))]
    if len(lines) < 2:
        return
    header = [text[a:b] for a, b in _cells(lines[0])]
    last = _cells(lines[-1])
    for col, (a, b) in enumerate(last):
        if col >= len(header) or not header[col] or a >= b:
            continue
        head = header[col]
        name = re.sub(r"\s*\([^()]*\)", "", head).strip()
        ref = re.search(r"\(([^()]*)\)", head)
        cell = text[a:b]
        virtual = f"{name} {cell}" + (f" ({ref.group(1)})" if ref else "")
        for comp in labs:
            found = comp.regex.match(virtual)
            if found is None:
                continue
            m = mention(a, b, cell, comp, found)
            m.sent = (lines[0].start(), lines[-1].end())
            _apply(st, m)
            break


# ---------------------------------------------------------------- session 8: newest value by date

REF_DATE: ContextVar[dt.date | None] = ContextVar("mbc_note_ref_date", default=None)

_MONTHS_TITLE = (
    "Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?"
    "|July?|Aug(?:ust)?|Sep(?:t(?:ember)?)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?"
)
# session 10: a month word in capitals too ("12 MARCH 2024"), never in lower case ("may")
_MONTH_WORDS = _MONTHS_TITLE + "|" + _MONTHS_TITLE.upper().replace("(?:".upper(), "(?:")
_VALUE_DATE = re.compile(
    r"(?<![\d/.])(?P<a>\d{1,2})[/.](?P<b>\d{1,2})(?:[/.](?P<y>(?:19|20)?\d{2}))?(?![\d/.])"
    r"|(?<![\d/.])(?P<m>\d{1,2})/(?P<yy>(?:19|20)\d{2})(?![\d/])"
    r"|\b(?P<iso>(?:19|20)\d{2}-\d{2}(?:-\d{2})?)\b"
    # session 9: a month written as a word ("in July", "12 Sept", "September 2026")
    r"|(?:\b(?P<md>\d{1,2})(?:st|nd|rd|th)?[ \t-])?"
    r"\b(?P<mon>" + _MONTH_WORDS + ")"
    r"\.?(?![A-Za-z])(?:[ \t,-]+(?P<my>(?:19|20)\d{2}))?"
)
_MONTH_NAMES = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")
# a date written right after a value, in its own words or aside ("ECOG 1 in September", "ANC 0.8
# (12/07)", "Hb 95 g/L on 03/10"): the value's date when none is written before it
_DATE_AFTER = re.compile(r"^[^,;()\n]{0,12}?(?:\b(?:in|on|from|dated|of|at)\b|\()[ \t]*$")
# Where the clause a value belongs to begins: a dash between words, a semicolon, a full stop
# before a space ("4L X since 08/26 — C4 delayed (neutrophils 0.9)": the line's date is the
# line of therapy's, not the count's).
_CLAUSE_BREAK = re.compile(r"\s[—–-]{1,2}\s|;|\.\s|\bthen\b", re.IGNORECASE)


def value_day(line: str, value_text: str) -> int:
    """The date written before a measured value in its clause, as a day ordinal (0: none).

    "FBC 20/10 (C2D1): neutrophils 2.2", "Echo 11/14: LVEF 35% (08/2026 LVEF 55%)": each value
    takes the last date before it on its line, after the last clause break. Numeric dates
    follow the note's day/month order (an impossible month decides); a date without a year is
    in the year of the note's reference date, or the year before when that would be later than
    it; a month and year ("08/2026") is the first of the month.
    """
    found = _dates_before(line, value_text) or _dates_after(line, value_text)
    if not found:
        return _past_year_after(line, value_text)
    day = _date_of(found[-1], REF_DATE.get())
    return day.toordinal() if day else 0


# session 11: a year alone right after a value ("LVEF 45 % in 2019", "ECOG 0 was from 2024")
_YEAR_AFTER = re.compile(
    r"[^,;()\n]{0,12}?(?:\b(?:in|from|of|during)\b|\()[ \t]*(?P<y>(?:19|20)\d{2})\b(?![/.-]\d)"
)


def _past_year_after(line: str, value_text: str) -> int:
    """The last day of a past year written right after a value (0: none, or the reference year or
    later, which says nothing about how old the value is)."""
    idx = line.find(value_text)
    ref = REF_DATE.get()
    found = _YEAR_AFTER.match(line, idx + len(value_text)) if idx >= 0 and ref is not None else None
    if found is None or ref is None or int(found.group("y")) >= ref.year:
        return 0
    return dt.date(int(found.group("y")), 12, 31).toordinal()


def _dates_after(line: str, value_text: str) -> list[re.Match[str]]:
    """Session 9: the date written right after the value ("ECOG 1 in September")."""
    idx = line.find(value_text)
    if idx < 0:
        return []
    start = idx + len(value_text)
    for d in _VALUE_DATE.finditer(line, start, min(len(line), start + 40)):
        if _DATE_AFTER.match(line[start : d.start()]) and (d.group("mon") or d.group("y") or d.group("yy")):
            return [d]
        break
    return []


def _dates_before(line: str, value_text: str) -> list[re.Match[str]]:
    idx = line.find(value_text)
    prefix = line[: idx if idx >= 0 else 0]
    cut = [b.end() for b in _CLAUSE_BREAK.finditer(prefix)]
    found = list(_VALUE_DATE.finditer(prefix, cut[-1] if cut else 0))
    # session 8: "2.9" with no year is a decimal ("neut 2.9, plt 188, bili 17"), not 2 September
    # ("24.11" with a two-digit month stays a date)
    return _not_decimals(found)


def _not_decimals(found: list[re.Match[str]]) -> list[re.Match[str]]:
    return [
        d
        for d in found
        if d.group("mon") or d.group("y") or "." not in d.group(0) or len(d.group("b") or "") == 2
    ]


def year_written(line: str, value_text: str) -> bool:
    """The date before a measured value in its clause states its year ("05/2026", "3/4/2026"):
    a day and month alone may be last year's or this year's, so they never make a value stale."""
    found = _dates_before(line, value_text) or _dates_after(line, value_text)
    return (bool(found) and _certain(found[-1])) or (not found and bool(_past_year_after(line, value_text)))


def _certain(d: re.Match[str]) -> bool:
    """A date whose year or month cannot be misread: its year is written, or (session 9) its
    month is a word ("in July": this year's or last year's, older either way) or its day is
    above 12 ("24/10")."""
    if d.group("y") or d.group("yy") or d.group("iso") or d.group("mon"):
        return True
    # ... a day and month with a full stop ("2.20") may be a decimal: never certain
    return bool(d.group("a")) and "." not in d.group(0) and max(int(d.group("a")), int(d.group("b"))) > 12


def stale(recency: int, day: int) -> int:
    """Session 8: a value whose own date is well before the note's (``value_stale_after_days``
    in knowledge/nlp/lexicon.yaml) is older (-1) unless its words say otherwise, so an undated
    current value wins over it ("HbA1c 8.2% ... (old report 05/2026: HbA1c 7.4%)")."""
    ref = REF_DATE.get()
    # session 9: a "today" nearby does not outweigh the value's own old date ("ECOG 2 today
    # (ECOG 1 in August)"); a later value of a series (2) does
    if recency > 1 or recency < 0 or not day or ref is None:
        return recency
    limit = load_yaml("nlp/lexicon.yaml").get("value_stale_after_days")
    return -1 if limit and ref.toordinal() - day > int(limit) else recency


# session 11: a day and month a few days after the note's date are this year's (results of the
# next morning added to an evening's clerking: "Bloods 21/11 18:10   22/11 06:00"), not last year's
_AFTER_REF = dt.timedelta(days=3)


def _date_of(d: re.Match[str], ref: dt.date | None) -> dt.date | None:
    from mbc.ingest._note_order import DAY_FIRST

    try:
        if d.group("iso"):
            parts = [int(x) for x in d.group("iso").split("-")]
            return dt.date(parts[0], parts[1], parts[2] if len(parts) > 2 else 1)
        if d.group("yy"):
            return dt.date(int(d.group("yy")), int(d.group("m")), 1)
        ref = ref or dt.date.today()
        if d.group("mon"):  # session 9: a month word, with its day and year when written
            month = _MONTH_NAMES.index(d.group("mon")[:3].lower()) + 1
            day = int(d.group("md") or 1)
            if d.group("my"):
                return dt.date(int(d.group("my")), month, day)
            out = dt.date(ref.year, month, day)
            return out if out <= ref + _AFTER_REF else dt.date(ref.year - 1, month, day)
        a, b = int(d.group("a")), int(d.group("b"))
        if a > 12 or (b <= 12 and DAY_FIRST.get()):
            day, month = a, b
        else:
            day, month = b, a
        year_text = d.group("y")
        ref = ref or dt.date.today()
        if year_text:
            year = int(year_text) + (2000 if len(year_text) == 2 else 0)
            return dt.date(year, month, day)
        out = dt.date(ref.year, month, day)
        return out if out <= ref + _AFTER_REF else dt.date(ref.year - 1, month, day)
    except ValueError:
        return None


def expire_old_labs(b: RecordBuilder, ref: dt.date, text: str) -> None:
    """Session 9: a lab value whose own date is well before the note (``value_expired_after_days``
    in knowledge/nlp/lexicon.yaml, per lab or by default) and that no newer value replaced is no
    current value: "the dose was reduced in July after a neutrophil count of 0.8" gives no ANC
    for today. Only a date whose month cannot be misread counts (a month word, "07/2026", ISO, or
    a day above 12); the value is withdrawn and kept in the provenance as superseded."""
    limits = load_yaml("nlp/lexicon.yaml").get("value_expired_after_days")
    if not limits:
        return
    for path in b.scalar_paths("labs."):
        rank, src = b.rank_of(path), b.source_of(path) or {}
        if not rank or len(rank) < 3 or not isinstance(rank[2], int) or not rank[2] or rank[1] != -1:
            continue
        limit = limits.get(path, limits.get("default")) if isinstance(limits, dict) else limits
        age = ref.toordinal() - rank[2]
        if not limit or age <= int(limit) or not _month_certain(text, src):
            continue
        b.drop(path, f"dated {age} days before the note; no newer value")


def _month_certain(text: str, src: Mapping[str, Any]) -> bool:
    span, said = src.get("span"), str(src.get("text") or "")
    if not isinstance(span, list | tuple) or not said:
        return False
    line_a = text.rfind("\n", 0, int(span[0])) + 1
    line_b = text.find("\n", int(span[1]))
    line = text[line_a : len(text) if line_b == -1 else line_b]
    found = _dates_before(line, said) or _dates_after(line, said)
    if not found:
        return False
    return _certain(found[-1])


def table_day(text: str, start: int) -> int:
    """Session 9: the date of a value in a column table with no date of its own: the last date of
    the header line above it ("Bloods   06/11   09/11" over "ANC   0.1   1.2": the row's last
    value is of 09/11). 0 when the block has no such header."""
    pos = text.rfind("\n", 0, start)
    for _ in range(12):
        if pos <= 0:
            return 0
        prev = text.rfind("\n", 0, pos) + 1
        line = text[prev:pos]
        if not line.strip():
            return 0
        dates = [
            d for d in _not_decimals(list(_VALUE_DATE.finditer(line))) if not d.group("mon") or d.group("md")
        ]
        # session 10: the header date over the value's own column (a cell read on its own)
        column = column_day(line, start - (text.rfind("\n", 0, start) + 1))
        if column:
            return column
        if len(dates) >= 2 and len(re.findall(r"[A-Za-z]", line)) <= 12:
            day = _date_of(dates[-1], REF_DATE.get())
            return day.toordinal() if day else 0
        pos = prev - 1
    return 0
