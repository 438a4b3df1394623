"""Mention actions (the closed set a target rule may emit) and date parsing."""

from __future__ import annotations

import datetime as dt
import functools
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from mbc.ingest._data import kb_root, load_yaml
from mbc.ingest._extraction import RecordBuilder, Source
from mbc.ingest._note_labs import _number, apply_lab, stale, value_day, year_written
from mbc.ingest._note_order import event_date as _event_date
from mbc.ingest._note_order import numeric_date, written_date
from mbc.ingest._note_pipeline import _MONTHS, _Mention, _pipeline
from mbc.ingest._note_reach import REACH
from mbc.ingest._note_series import MEASURES, result_clause, result_when, series, superseded, value_recency
from mbc.ingest._note_vocab import term_of

if TYPE_CHECKING:
    from collections.abc import Callable, Mapping

# ---------------------------------------------------------------- actions


@dataclass
class _State:
    builder: RecordBuilder
    ref_date: dt.date
    ref_kind: str = "note date"
    flags: dict[str, Source] = field(default_factory=dict)
    therapy_cues: list[_Mention] = field(default_factory=list)
    text: str | None = None  # the note (for checks over the whole text)


def _group(m: _Mention, name: str | None) -> str | None:
    if not name or m.match is None:
        return None
    try:
        return m.match.group(name)
    except IndexError:
        return None


def _rank(m: _Mention, action: Mapping[str, Any], day: dt.date | None = None) -> tuple[Any, ...]:
    """Later mentions win; receptor results rank by specimen first (metastasis over an
    unstated specimen over the primary: ``specimen`` in knowledge/nlp/lexicon.yaml)."""
    field_name = str(action.get("field") or "")
    if field_name.startswith("tumor.") and field_name != "tumor.receptor_source":
        older, _when = result_when(m)  # session 8: then words calling it older (or re-read)
        spec, rank = _specimen_rank(m), int(action.get("rank", 0))  # session 11: a correction naming
        return (2 if spec == 1 and rank > 0 else spec, older, rank, m.start)  # no specimen: its result's
    if field_name.startswith("labs.") or field_name in MEASURES:  # the newest date wins
        day = value_day(m.context_text or "", m.text)  # the date written before it in its clause
        recency = value_recency(m, action)
        if year_written(m.context_text or "", m.text):
            recency = stale(recency, day)
        return (int(action.get("rank", 0)), recency, day, m.start)
    if field_name == "metastatic_diagnosis_date":  # session 9: the first metastatic diagnosis
        day = day or _parse_date(_group(m, action.get("group")) or "", end=False)  # wins: a later
        return (int(action.get("rank", 0)), -day.toordinal() if day else 0, m.start)  # date relapses
    return (int(action.get("rank", 0)), m.start)


def _src_rank(m: _Mention, a: Mapping[str, Any]) -> dict[str, Any]:
    """``source`` and ``rank`` of a mention; the rank first, so the source names the specimen."""
    rank = _rank(m, a)
    return {"source": m.src(), "rank": rank}


_NEVER = re.compile(r"(?!)")


def _specimen_rank(m: _Mention) -> int:
    """2 metastasis, 1 not stated, 0 primary / earlier result, from the mention's line."""
    from mbc.ingest._note_specimen import _patterns_at  # compiled once per KB (session 11)

    spec = _patterns_at(kb_root())
    primary, metastasis = spec.get("primary", _NEVER), spec.get("metastasis", _NEVER)
    text = m.context_text or m.text
    if primary.search(text):
        m.specimen = "primary"
        return 0
    if metastasis.search(text):
        m.specimen = "metastasis"
        return 2
    # session 8: the line names none; its clause may ("NEW bx liver: ER 20%,\nHER2 2+")
    clause = result_clause(m)
    if clause and clause not in text and metastasis.search(clause):
        m.specimen = "metastasis"
        return 2
    return 1


def _a_set(st: _State, m: _Mention, a: Mapping[str, Any]) -> None:
    st.builder.set(a["field"], a["value"], **_src_rank(m, a))


def _a_number(st: _State, m: _Mention, a: Mapping[str, Any]) -> None:
    raw = _group(m, a["group"])
    if raw is None:
        return
    st.builder.set(a["field"], _number_of(m, a, raw.replace(",", "")), **_src_rank(m, a))
    later = series(m, a) if "recency" not in a else None
    if later is not None and (a["field"].startswith("labs.") or a["field"] in MEASURES):
        st.builder.set(a["field"], _number_of(m, a, later[0]), **_src_rank(m, later[1]))


def _num(raw: str) -> float:
    """A number as written: "1,600" groups thousands; "1,66" and "61,5" are decimal commas
    (the lab reader's parser; a comma is taken as a thousands mark only in a 3-digit group)."""
    return _number(raw, per_unit="," in raw)


def _number_of(m: _Mention, a: Mapping[str, Any], raw: str) -> float | int:
    """The value of a number written ``raw``, scaled by the action's ``thousands`` and typed."""
    number = _num(raw)
    thousands = a.get("thousands")
    if thousands is not None and (
        _group(m, thousands.get("group")) or number < float(thousands.get("below", 0))
    ):  # "plt 145k", "ANC 1.1" (10^3/uL): written in thousands
        number *= 1000
    return int(number) if a.get("type") == "int" else number


def _a_threshold(st: _State, m: _Mention, a: Mapping[str, Any]) -> None:
    raw = _group(m, a["group"]) or _group(m, a.get("group2"))
    if raw is None:
        return
    value = a["above"] if _num(raw) >= float(a["at_least"]) else a["below"]
    st.builder.set(a["field"], value, **_src_rank(m, a))


def _a_word(st: _State, m: _Mention, a: Mapping[str, Any]) -> None:
    raw = _group(m, a.get("group"))
    table = a["map"]
    if raw is None:
        if "default" in a:
            st.builder.set(a["field"], a["default"], **_src_rank(m, a))
        return
    key = raw.lower().strip()
    if key in table:
        st.builder.set(a["field"], table[key], **_src_rank(m, a))


def _a_add(st: _State, m: _Mention, a: Mapping[str, Any]) -> None:
    st.builder.add(a["field"], a["value"], m.src())


def _a_add_word(st: _State, m: _Mention, a: Mapping[str, Any]) -> None:
    raw = _group(m, a["group"])
    if raw is None:
        return
    key = re.sub(r"\s+", " ", raw.lower().strip())
    if key in a["map"]:
        st.builder.add(a["field"], a["map"][key], m.src())


def _a_add_term(st: _State, m: _Mention, a: Mapping[str, Any]) -> None:
    raw = _group(m, a["group"])
    term = term_of(a["vocabulary"], raw) if raw is not None else None
    if term is not None:
        st.builder.add(a["field"], term, m.src())


def _site_words() -> tuple[re.Pattern[str], dict[str, str]]:
    return _site_words_at(kb_root())


@functools.cache
def _site_words_at(root: Path) -> tuple[re.Pattern[str], dict[str, str]]:
    doc = load_yaml("nlp/lexicon.yaml")
    table = {str(k).lower(): str(v) for k, v in doc["sites"].items() if v is not None}
    silent = [str(k).lower() for k, v in doc["sites"].items() if v is None]
    words = sorted([*table, *silent], key=len, reverse=True)
    return re.compile(r"\b(" + "|".join(re.escape(w) for w in words) + r")\b", re.I), table


@functools.cache
def _site_denials_at(root: Path) -> tuple[re.Pattern[str] | None, ...]:
    """``site_item_denied``, ``site_benign_after`` and ``site_regional_node``, compiled once per root."""
    del root  # the cache key
    doc = load_yaml("nlp/lexicon.yaml")
    keys = ("site_item_denied", "site_benign_after", "site_regional_node")
    return tuple(re.compile(str(doc[k]), re.IGNORECASE) if doc.get(k) else None for k in keys)


def _a_sites(st: _State, m: _Mention, a: Mapping[str, Any]) -> None:
    raw = _group(m, a["group"]) or ""
    regex, table = _site_words()
    denied, benign, regional = _site_denials_at(kb_root())
    base = m.match.start(a["group"]) if m.match is not None and m.match.group(a["group"]) else None
    for w in regex.finditer(raw):
        if w.group(0).lower() not in table:
            continue
        if denied and base is not None and st.text is not None:
            after = st.text[base + w.end() : base + w.end() + 90]
            if denied.match(after) or (benign and benign.match(after)):
                # "pleural effusion (cytology negative)", "adrenal nodule ... an adenoma"
                why = {"kind": "mention_not_used", "reason": "denied in its own words"}
                st.builder.note_unread({**why, **m.src()})
                continue
        distant = table[w.group(0).lower()] == "distant_lymph_nodes"
        if regional and distant and base is not None and st.text is not None:
            at = base + w.start()  # the word's own clause: from the last . ; or line end to the next
            lo = max(st.text.rfind(c, max(0, at - 120), at) for c in ".;\n") + 1
            hi = min((i for c in ".;\n" if (i := st.text.find(c, at, at + 120)) >= 0), default=at + 120)
            if regional.search(st.text[lo:hi]):  # "R axillary + R supraclavicular nodes": the regional basin
                st.builder.note_unread({"kind": "mention_not_used", "reason": "regional node", **m.src()})
                continue
        st.builder.add("metastases.sites", table[w.group(0).lower()], m.src())
    st.flags.setdefault("metastatic", m.src())


def _a_somatic(st: _State, m: _Mention, a: Mapping[str, Any]) -> None:
    gene = a.get("gene_value") or _group(m, a.get("gene"))
    if not gene:
        return
    alt = _group(m, a.get("alt")) if a.get("alt") else None
    label = alt or a.get("value", "mutation")
    st.builder.add("somatic", f"{gene.upper()} {label}", m.src())


def _a_germline(st: _State, m: _Mention, a: Mapping[str, Any]) -> None:
    gene = _group(m, a["gene"])
    if gene:
        st.builder.add("germline", gene.upper(), m.src())


def _a_germline_tested(st: _State, m: _Mention, a: Mapping[str, Any]) -> None:
    st.builder.ensure_list("germline", m.src())


def _a_unread(st: _State, m: _Mention, a: Mapping[str, Any]) -> None:
    st.builder.note_unread({"kind": "phrase", "value": a["value"], **m.src()})


def _a_ecog(st: _State, m: _Mention, a: Mapping[str, Any]) -> None:
    values = [int(v) for v in (_group(m, a["group"]), _group(m, a.get("group2"))) if v]
    if values and superseded(m, a):  # session 13: "ECOG 1 before admission; now bed-bound"
        st.builder.note_unread({"kind": "mention_not_used", "reason": "superseded", **m.src()})
        return
    if values:  # a range "ECOG 1-2": the worse (higher) grade
        st.builder.set("ecog", max(values), **_src_rank(m, {**a, "field": "ecog"}))
        later = series(m, a)
        if later is not None and later[0] in {"0", "1", "2", "3", "4"}:
            st.builder.set("ecog", int(later[0]), **_src_rank(m, {**later[1], "field": "ecog"}))


def _a_quantity(st: _State, m: _Mention, a: Mapping[str, Any]) -> None:
    """A measurement with its unit, converted with pint (``units`` maps the written unit to a
    pint unit; ``molar_mass`` in g/mol converts mmol/L to a mass concentration)."""
    raw = _group(m, a["group"])
    unit = (_group(m, a.get("unit")) or a.get("default_unit") or "").lower().strip()
    if raw is None or unit not in a["units"]:
        return
    value = _convert(_num(raw), str(a["units"][unit]), str(a["to"]), a.get("molar_mass"))
    second = a.get("plus")  # "5 ft 3 in": a second part in its own unit
    if second and _group(m, second["group"]):
        value += _convert(_num(_group(m, second["group"]) or "0"), str(second["unit"]), str(a["to"]), None)
    value = round(value, int(a.get("round", 2)))
    src = {**m.src(), "derived": f"{raw} {unit} -> {a['to']}"} if unit != a.get("native") else m.src()
    st.builder.set(a["field"], value, src, rank=_rank(m, a))
    later = series(m, a) if not second and "recency" not in a else None  # s12: "3.2 on adm -> 2.7 today"
    if later is not None:
        newer = _convert(_num(later[0]), str(a["units"][unit]), str(a["to"]), a.get("molar_mass"))
        src = {**src, "derived": f"later value {later[0]} {unit}"}
        st.builder.set(a["field"], round(newer, int(a.get("round", 2))), src, rank=_rank(m, later[1]))


def _convert(value: float, unit: str, to: str, molar_mass: Any) -> float:
    from mbc.ingest._units import convert

    return convert(value, unit, to, molar_mass)


def _a_word_threshold(st: _State, m: _Mention, a: Mapping[str, Any]) -> None:
    """A score whose field depends on the marker written ("PR H-score 0", "RE Allred 8")."""
    raw, which = _group(m, a["group"]), _group(m, a["field_group"])
    field_name = a["map"].get((which or "").lower().strip())
    if raw is None or field_name is None:
        return
    value = a["above"] if _num(raw) >= float(a["at_least"]) else a["below"]
    st.builder.set(field_name, value, m.src(), rank=_rank(m, {**a, "field": field_name}))


def _a_ratio(st: _State, m: _Mention, a: Mapping[str, Any]) -> None:
    """A lab value over its upper limit of normal ("ALT 88 U/L (ULN 40)", "(7-40)")."""
    raw, uln, which = _group(m, a["group"]), _group(m, a["over"]), _group(m, a.get("field_group"))
    if raw is None or uln is None or _num(uln) <= 0:
        return
    field_name = a["map"].get((which or "").lower().strip()) if which is not None else a.get("field")
    if field_name is None:
        return
    value = round(_num(raw) / _num(uln), int(a.get("round", 2)))
    src = {**m.src(), "derived": f"{raw} / ULN {uln}"}
    st.builder.set(field_name, value, src, rank=_rank(m, {**a, "field": field_name}))


def _a_lvef(st: _State, m: _Mention, a: Mapping[str, Any]) -> None:
    values = [_num(v) for v in (_group(m, a["group"]), _group(m, a.get("group2"))) if v]
    if values:  # a range "EF 50-55%": the lower value
        st.builder.set("lvef_percent", min(values), **_src_rank(m, {**a, "field": "lvef_percent"}))
        later = series(m, a)
        if later is not None and 10 <= _num(later[0]) <= 90:
            src = _src_rank(m, {**later[1], "field": "lvef_percent"})
            st.builder.set("lvef_percent", _num(later[0]), **src)


def _a_date(st: _State, m: _Mention, a: Mapping[str, Any]) -> None:
    parsed = _parse_date(_group(m, a["group"]) or "", end=False)
    if parsed is not None:
        st.builder.set(a["field"], parsed.isoformat(), **_src_rank(m, a))


def _a_date_ago(st: _State, m: _Mention, a: Mapping[str, Any]) -> None:
    span = _count_span(_group(m, a["n"]) or "", _group(m, a["unit"]) or "", _pipeline().therapy)
    if span is None:
        return
    day = _shift(st.ref_date, *span, -1)
    src = {**m.src(), "derived": f"counted back from the {st.ref_kind} ({st.ref_date.isoformat()})"}
    st.builder.set(a["field"], day.isoformat(), src, rank=_rank(m, a, day))


def _a_flag(st: _State, m: _Mention, a: Mapping[str, Any]) -> None:
    st.flags.setdefault(str(a["value"]), m.src())


def _a_therapy_cue(st: _State, m: _Mention, a: Mapping[str, Any]) -> None:
    st.therapy_cues.append(m)


# fmt: off
_ACTIONS: dict[str, Callable[[_State, _Mention, Mapping[str, Any]], None]] = {
    "set": _a_set, "quantity": _a_quantity, "ratio": _a_ratio, "word_threshold": _a_word_threshold,
    "number": _a_number, "threshold": _a_threshold, "word": _a_word, "add": _a_add, "add_word": _a_add_word,
    "add_term": _a_add_term, "sites": _a_sites, "somatic": _a_somatic, "germline": _a_germline,
    "germline_tested": _a_germline_tested, "unread": _a_unread, "ecog": _a_ecog, "lvef": _a_lvef,
    "date": _a_date, "date_ago": _a_date_ago, "flag": _a_flag, "therapy_cue": _a_therapy_cue,
    "lab": apply_lab,  # session 6: lab values from a vocabulary (mbc.ingest._note_labs)
}
# fmt: on


def _apply(st: _State, m: _Mention) -> None:
    assert m.rule is not None
    rule = m.rule.rule
    if "negated" in m.attrs and rule.if_negated is not None and not (m.attrs & {"hypothetical", "family"}):
        for action in rule.if_negated:
            _ACTIONS[action["action"]](st, m, action)
        return
    before = m.rule.void_before
    # the clause before the mention, within REACH (a run-on "sentence" made this quadratic)
    lo = max(m.sent[0], m.start - REACH)
    if before is not None and st.text is not None and before.search(st.text, lo, m.start):
        m.attrs.add("historical")
    voided = m.attrs & set(rule.drop_if)
    if voided:
        st.builder.note_unread({"kind": "mention_not_used", "reason": ", ".join(sorted(voided)), **m.src()})
        return
    for action in rule.emit:
        _ACTIONS[action["action"]](st, m, action)


# ---------------------------------------------------------------- dates


def _parse_date(raw: str, *, end: bool) -> dt.date | None:
    day, raw = written_date(raw.strip().lower().rstrip("."))  # "3rd July 2023", "June of 2024"
    if day is not None or not raw:
        return day
    try:
        if re.fullmatch(r"\d{4}-\d{2}-\d{2}", raw):
            return dt.date.fromisoformat(raw)
        m = re.fullmatch(r"(\d{4})-(\d{2})", raw)
        if m:
            return _month(int(m.group(1)), int(m.group(2)), end=end)
        m = re.fullmatch(r"(\d{1,2})/(\d{1,2})/(\d{4})", raw)
        if m:
            month, day = numeric_date(int(m.group(1)), int(m.group(2)))
            return dt.date(int(m.group(3)), month, day)
        m = re.fullmatch(r"(\d{1,2})/(\d{4})", raw)
        if m:
            return _month(int(m.group(2)), int(m.group(1)), end=end)
        m = re.fullmatch(r"([a-z]+)\.?\s+(\d{4})", raw)
        if m and m.group(1)[:3] in _MONTHS:
            return _month(int(m.group(2)), _MONTHS[m.group(1)[:3]], end=end)
        m = re.fullmatch(r"(\d{4})", raw)
        if m:
            return dt.date(int(raw), 12, 31) if end else dt.date(int(raw), 1, 1)
    except ValueError:
        return None
    return None


def _month(year: int, month: int, *, end: bool) -> dt.date:
    if not end:
        return dt.date(year, month, 1)
    nxt = dt.date(year + (month == 12), month % 12 + 1, 1)
    return nxt - dt.timedelta(days=1)


_WRITTEN = re.compile(
    r"\b(?:(?P<d1>\d{1,2})(?:st|nd|rd|th)?[ -](?P<m1>[A-Za-z]{3,9})\.?[\s,-]*(?P<y1>(?:19|20)\d{2})"
    r"|(?P<m2>[A-Za-z]{3,9})\.?\s+(?P<d2>\d{1,2})(?:st|nd|rd|th)?,?\s+(?P<y2>(?:19|20)\d{2}))\b"
)
_NUMERIC = re.compile(
    r"(?<![\d/.-])(?:(?P<y>(?:19|20)\d{2})[-/.](?P<mo>\d{1,2})[-/.](?P<dd>\d{1,2})"
    r"|(?P<a>\d{1,2})(?P<sep>[/.-])(?P<b>\d{1,2})(?P=sep)(?P<yy>(?:19|20)\d{2}))(?![\d/])"
)


_BIRTH = re.compile(  # dates of other events in a header are not the note's ("Received: 19-Oct-2026")
    r"(?:\bDOB|\bD\.O\.B\.?|date of birth|\bborn(?: on)?|\bbirth ?date|\breceived|\bcollected"
    r"|\bcollection(?: date)?|\badmitted|\badmission(?: date)?|\bsampled|\bdx|\bdiagnos\w+)\W{0,3}$",
    re.IGNORECASE,
)


def note_date_of(
    text: str, cfg: Mapping[str, Any], as_of: dt.date | None = None
) -> tuple[dt.date | None, dict[str, Any]]:
    """The note's own date from its first lines, and how it was read.

    A written month ("8 November 2026", "Nov 2, 2026") wins over a numeric date; a numeric
    day/month order is decided by a part above 12 or a dot (European day.month.year), then by
    a written month next to it, then by the note's order (:func:`_note_order.numeric_date`);
    else, unless day/month gives the ``as_of`` date (session 11), month/day, flagged ambiguous."""
    head = "\n".join(text.splitlines()[: int(cfg.get("note_date_lines", 4))])
    how: dict[str, Any] = {}
    m = next((x for x in _NUMERIC.finditer(head) if not _BIRTH.search(head[: x.start()])), None)
    for w in _WRITTEN.finditer(head):
        month = (w.group("m1") or w.group("m2") or "").lower()[:3]
        if month not in _MONTHS or _BIRTH.search(head[: w.start()]) or _event_date(head, w.start(), cfg):
            continue
        try:
            year = int(w.group("y1") or w.group("y2"))
            day = dt.date(year, _MONTHS[month], int(w.group("d1") or w.group("d2")))
        except ValueError:
            continue
        return day, {"text": w.group(0), "read_as": "written month"}
    if m is None:
        pm = re.search(str(cfg.get("note_date", "(?!)")), text, re.IGNORECASE | re.MULTILINE)
        return (_parse_date(pm.group("d"), end=False) if pm else None), {"text": pm.group("d")} if pm else {}
    try:
        if m.group("y"):
            return dt.date(int(m.group("y")), int(m.group("mo")), int(m.group("dd"))), {"text": m.group(0)}
        a, b, year = int(m.group("a")), int(m.group("b")), int(m.group("yy"))
        if a > 12 or m.group("sep") == ".":
            how = {"text": m.group(0), "read_as": "day/month/year"}
            return dt.date(year, b, a), how
        how = {"text": m.group(0), "read_as": "month/day/year"}
        after = head[m.end() :]
        hint = re.search(
            r"\b([A-Za-z]{3,9})\.?\s+(\d{1,2})(?:st|nd|rd|th)?\b|\b(\d{1,2})(?:st|nd|rd|th)?\s+(?:of\s+)?([A-Za-z]{3,9})\b",
            after,
        )
        if hint:  # "03/04/2026 (March 4)": the written month decides the order
            month_word = (hint.group(1) or hint.group(4) or "").lower()[:3]
            day_no = int(hint.group(2) or hint.group(3))
            if _MONTHS.get(month_word) == b and day_no == a:
                return dt.date(year, b, a), {"text": m.group(0), "read_as": "day/month/year (month written)"}
            if _MONTHS.get(month_word) == a and day_no == b:
                return dt.date(year, a, b), {**how, "read_as": "month/day/year (month written)"}
        if a != b and numeric_date(a, b) == (b, a):  # the note's other dates are day/month
            how = {"text": m.group(0), "read_as": "day/month/year (the note's other dates)"}
            return dt.date(year, b, a), how
        if b <= 12 and a != b and as_of == dt.date(year, b, a):
            return as_of, {"text": m.group(0), "read_as": "day/month/year (the as_of date)"}
        if b <= 12 and a != b:
            how["ambiguous"] = "day/month order not stated; read as month/day"
        return dt.date(year, a, b), how
    except ValueError:
        return None, {}


def _count_span(n_raw: str, unit_raw: str, cfg: Mapping[str, Any]) -> tuple[int, int] | None:
    """("8", "months") -> (8, 0); ("two", "weeks") -> (0, 14); None if not a count."""
    n_raw, unit = n_raw.lower().strip(), unit_raw.lower().strip()
    if n_raw.isdigit():
        n = int(n_raw)
    elif n_raw in cfg["number_words"]:
        n = int(cfg["number_words"][n_raw])
    else:
        return None
    months = cfg["unit_months"].get(unit)
    if months is not None:
        return n * int(months), 0
    days = cfg["unit_days"].get(unit)
    return None if days is None else (0, n * int(days))


def _shift(day: dt.date, months: int, days: int, sign: int) -> dt.date:
    total = day.year * 12 + (day.month - 1) + sign * months
    year, month = divmod(total, 12)
    last = _month(year, month + 1, end=True).day
    return dt.date(year, month + 1, min(day.day, last)) + dt.timedelta(days=sign * days)
