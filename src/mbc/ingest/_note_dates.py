"""Dates of prior therapies read from notes: ranges, since / until, durations, relative
phrases ("8 months after finishing ..."), and lines dated only by durations."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from mbc.ingest._extraction import Source

if TYPE_CHECKING:
    from collections.abc import Mapping

from mbc.ingest._note_actions import _count_span, _parse_date, _shift, _State
from mbc.ingest._note_items import _ASIDE, _SENTENCE
from mbc.ingest._note_order import DAY_FIRST, numeric_date
from mbc.ingest._note_pipeline import _MONTHS, _Mention
from mbc.ingest._note_short_dates import _MONTH_WORD, short_forms

# ---------------------------------------------------------------- therapies


@dataclass
class _Clause:
    start: int
    end: int
    sep: str
    sent: int


def _duration(text: str, cfg: Mapping[str, Any], key: str = "durations") -> tuple[int, int] | None:
    """A duration in the clause as (months, days): calendar months for months and years."""
    m = re.search(cfg[key], text, re.IGNORECASE)
    if not m:
        return None
    return _count_span(m.group("n"), m.group("unit"), cfg)


def _therapy_dates(
    clause: str,
    cfg: Mapping[str, Any],
    stop: str | None,
    ref: dt.date,
    *,
    after_drugs: str = "",
    before_drugs: str = "",
    anchor: bool = True,
    since_then: dt.date | None = None,
) -> tuple[dt.date | None, dt.date | None, str | None]:
    """(start, end, precision) written in a clause.

    Args:
        clause: The clause text (with any continuation).
        cfg: The therapy rule pack.
        stop: The clause's stop reason.
        ref: The reference date ("now").
        after_drugs: The clause text right after its last drug mention (a bare start date).
        before_drugs: The clause text before its first drug mention (a completion verb there makes the
            bare date after the drugs their end - session 13).
        anchor: Whether a duration alone may be counted from ``ref``.
        since_then: The date "since then" refers to (the metastatic diagnosis), if known.
    """
    start = end = None
    precision = None
    clause, after_drugs = _iso_days(clause, ref), _iso_days(after_drugs, ref)

    def kind(raw: str) -> str:
        return "year" if raw.strip().isdigit() else "month"

    m = re.search(cfg["year_range"], clause, re.IGNORECASE)
    if m:
        start, end = _parse_date(m.group("a"), end=False), _parse_date(m.group("b"), end=True)
        precision = kind(m.group("a"))
    else:
        m = re.search(cfg["since"], clause, re.IGNORECASE)
        if m:
            start = _parse_date(m.group("d"), end=False)
            precision = kind(m.group("d"))
        m_end = re.search(cfg["end_date"], clause, re.IGNORECASE)
        if m_end:
            end = _parse_date(m_end.group("d"), end=True)
            precision = precision or kind(m_end.group("d"))
        m2 = re.search(cfg["in_year"], clause, re.IGNORECASE)
        if m2 and start is None and end is None:
            raw = m2.group("d")
            precision = kind(raw)
            if stop == "ongoing":
                start = _parse_date(raw, end=False)
            elif raw.isdigit():
                start, end = _parse_date(raw, end=False), _parse_date(raw, end=True)
            else:
                end = _parse_date(raw, end=True)
        verb_first = cfg.get("end_verb_first")  # session 13: "Finished 5y <drug> 14-Feb-2026": the end
        bare_end = None
        if start is None and end is None and verb_first and stop != "ongoing" and before_drugs:
            m3 = re.search(cfg["bare_start"], after_drugs, re.IGNORECASE)
            if m3 and re.search(verb_first, before_drugs, re.IGNORECASE):
                end = bare_end = _parse_date(m3.group("d"), end=True)
                precision = precision or kind(m3.group("d"))
        if start is None and bare_end is None and (end is not None or stop == "ongoing"):
            m3 = re.search(cfg["bare_start"], after_drugs, re.IGNORECASE)
            if m3:
                start = _parse_date(m3.group("d"), end=False)
                precision = precision or kind(m3.group("d"))
    m4 = re.search(cfg["open_start"], clause, re.IGNORECASE | re.MULTILINE) if cfg.get("open_start") else None
    if start is None and m4 is not None:
        start = _parse_date(m4.group("d"), end=False)  # "02/2026 -": the end left open (session 10)
        precision = precision or kind(m4.group("d"))
    if end is None and (ago := _duration(clause, cfg, "end_ago")) is not None:
        end = _shift(ref, *ago, -1)  # "stopped it 4 months ago"
        precision = precision or "ago"
    if start is None and (ago := _duration(clause, cfg, "start_ago")) is not None:
        start = _shift(ref, *ago, -1)  # "started 6 months ago"
        precision = precision or "ago"
    if start is None and since_then is not None and re.search(cfg["since_then"], clause, re.IGNORECASE):
        start = since_then
        precision = precision or "since then"
    span = _duration(clause, cfg)
    if span is not None and (start is not None or end is not None or anchor):
        if stop == "ongoing" and start is None:
            start = _shift(ref, *span, -1)
        elif start is not None and end is None and stop != "ongoing":
            end = _shift(start, *span, 1)
        elif start is None:
            end = end or ref
            start = _shift(end, *span, -1)
        precision = precision or "duration"
    if end is not None and end > ref:
        end = ref
    if start is not None and start > ref:
        start = None
    if start and end and end < start:
        end = None
    return start, end, precision


_DAY_MONTH = re.compile(
    # session 13: "14-Feb-2026" (hyphens, as EMRs print it) as "14 Feb 2026"
    rf"\b(?P<d1>\d{{1,2}})(?:st|nd|rd|th)?(?:\s+(?:of\s+)?|-)(?P<m1>{_MONTH_WORD})(?:\s+|-)"
    rf"(?P<y1>(?:19|20)\d{{2}})\b"
    rf"|\b(?P<m2>{_MONTH_WORD})\s+(?P<d2>\d{{1,2}})(?:st|nd|rd|th)?,?\s+(?P<y2>(?:19|20)\d{{2}})\b",
    re.IGNORECASE,
)
_NUMERIC_DAY = re.compile(
    r"(?<![\d/.])(?P<a>\d{1,2})(?P<sep>[/.])(?P<b>\d{1,2})(?P=sep)(?P<y>(?:19|20)\d{2}|\d{2})(?![\d/])"
)
# session 8: "Jun 2026-now", "03/2025 - present": a start, going on
_TO_NOW = re.compile(
    r"(?P<d>(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?\s+(?:19|20)\d{2}|\d{1,2}/(?:19|20)\d{2}"
    r"|(?:19|20)\d{2}-\d{2}(?:-\d{2})?)"
    r"\s*(?:-|–|->|→|to|until)\s*(?:now|present|today|to date|date|ongoing|current)\b",
    re.IGNORECASE,
)
_NUMERIC_THEN_WRITTEN = re.compile(
    r"(?<![\d/.])\d{1,2}[/.]\d{1,2}[/.](?:19|20)\d{2}\s*\(\s*((?:19|20)\d{2}-\d{2}-\d{2})\s*\)"
)


# session 9 (second pass): a month and year written with a dot ("from 04.2025 until 08.2026"), read
# as "04/2025" (never a decimal: the year part is 19xx / 20xx and nothing follows it)
_DOTTED_MONTH_YEAR = re.compile(r"(?<![\d.,])(0?[1-9]|1[0-2])\.((?:19|20)\d{2})(?![\d]|[.,]\d)")


# session 9: two months of one year ("Jul-Dec 2019", "Feb/Jul 2025"): a range within the year
MONTHS_OF_YEAR = re.compile(
    rf"\b({_MONTH_WORD})\s*[-\u2013/]\s*({_MONTH_WORD})\s+((?:19|20)\d{{2}})\b", re.IGNORECASE
)


def _iso_days(text: str, ref: dt.date | None = None) -> str:
    """Day-precision dates rewritten as ISO dates for the therapy date patterns: a written
    month ("10 June 2026", "June 10, 2026") as written; a numeric date followed by its
    written form ("10/06/2026 (10 June 2026)": the written month wins); a numeric date whose
    order is plain (a part above 12, or day.month.year with dots). An ambiguous numeric date
    is left as it is. A month named without a year after "since" / "from" / "started" ("since
    June", "from last December") is the latest such month up to ``ref`` (session 12)."""
    if text and ref is not None and _SINCE_MONTH.search(text):
        text = _SINCE_MONTH.sub(lambda m: _since_month(m, ref), text)
    if not text or not re.search(r"\d{1,2}", text):
        return text

    def written(m: re.Match[str]) -> str:
        month = (m.group("m1") or m.group("m2")).lower()[:3]
        try:
            year, day_no = int(m.group("y1") or m.group("y2")), int(m.group("d1") or m.group("d2"))
            day = dt.date(year, _MONTHS[month], day_no)
        except (KeyError, ValueError):
            return m.group(0)
        return day.isoformat()

    out = _DAY_MONTH.sub(written, text)
    out = short_forms(out, ref)  # session 13 (_note_short_dates): "Apr 22 - Dec 23", "C1 23/09"
    out = MONTHS_OF_YEAR.sub(r"\1 \3 - \2 \3", out)  # "Jul-Dec 2019" (session 9)
    out = _TO_NOW.sub(r"since \g<d> ongoing", out)
    out = _NUMERIC_THEN_WRITTEN.sub(r"\1", out)

    def numeric(m: re.Match[str]) -> str:
        a, b, year = int(m.group("a")), int(m.group("b")), int(m.group("y"))
        year += 2000 if year < 100 else 0  # "10/20/26" (session 8)
        dotted = m.group("sep") == "."
        if a <= 12 and b <= 12 and not dotted and (a == b or not DAY_FIRST.get()):
            return m.group(0)  # the order is not stated (nor the note's other dates): left as written
        month, day = numeric_date(a, b, dotted=dotted)
        try:
            return dt.date(year, month, day).isoformat()
        except ValueError:
            return m.group(0)

    out = _NUMERIC_DAY.sub(numeric, out)
    out = _DOTTED_MONTH_YEAR.sub(r"\1/\2", out)  # "04.2025" (session 9, second pass)
    out = _YEAR_YY.sub(_year_yy, out) if "-" in out or "–" in out else out
    if "/" not in out:
        return out
    return _SHORT_RANGE.sub(lambda m: _short_range(m, ref), out)


# session 12: "since June", "started in February", "from last December": a month without a year (not
# followed by a day or a year), read as the latest such month up to the note's date
_SINCE_MONTH = re.compile(
    r"\b(?P<w>since|from|started|starting|began|begun)\s+(?:in\s+)?(?:(?:last|early|mid|late)[\s-]+)?"
    r"(?P<m>jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sept?(?:ember)?"
    r"|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\b"
    r"(?!\.?\s*[-\u2013/,]?\s*(?:\d|')|\s+(?:of\s+)?(?:this|last|next)\s+year)",
    re.IGNORECASE,
)


def _since_month(m: re.Match[str], ref: dt.date) -> str:
    month = _MONTHS.get(m.group("m").lower()[:3])
    if month is None or m.group("m") == "may":  # "from may ..." is the verb
        return m.group(0)
    year = ref.year if month <= ref.month else ref.year - 1
    return f"{m.group('w')} {year:04d}-{month:02d}"


# session 8: "2016-17" (a year range with a two-digit end; never a month: above 12, not before the start)
_YEAR_YY = re.compile(r"(?<![\d/-])(?P<c>19|20)(?P<a>\d{2})\s*[-–]\s*(?P<b>\d{2})(?![-/\d])")


def _year_yy(m: re.Match[str]) -> str:
    a, b = int(m.group("a")), int(m.group("b"))
    return f"{m.group('c')}{a:02d} to {m.group('c')}{b:02d}" if b > 12 and b >= a else m.group(0)


# session 8: month/two-digit-year ranges and starts ("05/23-03/24 PD", "since 08/26"): the year
# part must be 13 or more (so never a month) and the range must run forwards; a day/month pair
# ("17/11") is never read, its second part being 12 or less.
_SHORT_RANGE = re.compile(
    r"(?<![\d/.])(?P<m1>0?[1-9]|1[0-2])/(?P<y1>\d{2})"
    r"(?:\s*(?:-|–|->|to)\s*(?P<m2>0?[1-9]|1[0-2])/(?P<y2>\d{2})"
    r"|(?<=since \d/\d\d)|(?<=since \d\d/\d\d)|(?<=from \d/\d\d)|(?<=from \d\d/\d\d))"
    r"(?![\d/])",
    re.IGNORECASE,
)


def _short_range(m: re.Match[str], ref: dt.date | None = None) -> str:
    y1 = int(m.group("y1"))
    if m.group("m2") is None:  # "since 08/26"
        if ref is not None and len(m.group("m1")) == 1 and not DAY_FIRST.get():
            # session 9: "since 5/20" in a month-first note is 20 May (the last one before the
            # note), not May 2020: a month / two-digit year is written with its zero ("05/20")
            try:
                day = dt.date(ref.year, int(m.group("m1")), y1)
            except ValueError:
                return m.group(0)
            return (day if day <= ref else day.replace(year=ref.year - 1)).isoformat()
        return f"20{y1:02d}-{int(m.group('m1')):02d}" if y1 >= 13 else m.group(0)
    y2 = int(m.group("y2"))
    if y1 < 13 or y2 < y1 or (y2 == y1 and int(m.group("m2")) < int(m.group("m1"))):
        return m.group(0)
    return f"20{y1:02d}-{int(m.group('m1')):02d} to 20{y2:02d}-{int(m.group('m2')):02d}"


def _is_relapse_date(therapy: Mapping[str, Any], relapse: dt.date | None) -> bool:
    """Whether a therapy's only date is the relapse's, read from the same clause.

    "Recurrence diagnosed in 03/2025, 2 years after finishing adjuvant X": the
    clause's date belongs to the recurrence, not to the therapy.
    """
    end = _iso(therapy.get("end"))
    if relapse is None or end is None or therapy.get("start"):
        return False
    return (end.year, end.month) == (relapse.year, relapse.month) or end == dt.date(relapse.year, 12, 31)


def _iso(value: Any) -> dt.date | None:
    try:
        return dt.date.fromisoformat(str(value)) if value else None
    except ValueError:
        return None


def _split_line_lists(
    text: str, clauses: list[_Clause], cfg: Mapping[str, Any]
) -> tuple[list[_Clause], dict[int, tuple[str, str, str]]]:
    """Cut "s/p 3 lines (A, B, C)" at its commas: each item is one line of therapy.

    Returns:
        The clauses, and for the index of each clause inside such a list, its setting hit and
        the list's heading ("3 prior lines, each stopped for progression").
    """
    spec = cfg.get("line_lists")
    if not spec:
        return clauses, {}
    regions = []
    for m in re.finditer(spec["pattern"], text, re.IGNORECASE):
        group = "items" if m.group("items") is not None else "items2"
        regions.append((m.start(group), m.end(group), text[m.start() : m.start(group)]))
    if not regions:
        return clauses, {}
    out: list[_Clause] = []
    settings: dict[int, tuple[str, str, str]] = {}
    for cl in clauses:
        cuts = [i for a, b, _ in regions for i in range(max(a, cl.start), min(b, cl.end)) if text[i] == ","]
        inside = next((head for a, b, head in regions if a < cl.end and cl.start < b), None)
        pos, sep = cl.start, cl.sep
        for cut in [*cuts, cl.end]:
            if cut > pos:
                if inside is not None:
                    settings[len(out)] = (str(spec["setting"]), str(spec["id"]), inside)
                out.append(_Clause(pos, cut, sep, cl.sent))
            pos, sep = cut + 1, "list"
    return out, settings


def chain_back(
    spans: list[tuple[int, int] | None],
    ends: list[dt.date | None],
    anchor: dt.date,
    *,
    month_start: bool = False,
) -> list[tuple[dt.date, dt.date] | None]:
    """Dates of courses given one after another and known by their lengths (``(months, days)``),
    counted back from the last: a course ends at its own end if known, else when the course after
    it began (the last one at ``anchor``), and starts its length before that. The walk stops at the
    first course (from the end) with no length; those before it get ``None``. ``month_start``
    rounds each start to the first of its month (lengths said in months).

    Shared by the note reader (:func:`_chain_durations`) and the question reader
    (``mbc.answer._courses.date_courses``)."""
    out: list[tuple[dt.date, dt.date] | None] = [None] * len(spans)
    cursor = anchor
    for i in range(len(spans) - 1, -1, -1):
        span = spans[i]
        if span is None:
            break
        end = ends[i] or cursor
        start = _shift(end, *span, -1)
        if month_start:
            start = start.replace(day=1)
        out[i] = (start, end)
        cursor = start
    return out


def _chain_durations(made: list[tuple[dict[str, Any], Source, tuple[int, int] | None]], ref: dt.date) -> None:
    """Lines dated only by durations end when the next line written after them starts.

    "progressed on A after 26 months and then on B after 6 months": both durations count back
    from the note date on their own; A really ended when B began.
    """
    for i in range(len(made) - 2, -1, -1):
        therapy, src, span = made[i]
        if (
            span is None
            or therapy.get("setting") != "metastatic"
            or therapy.get("stop_reason") not in ("progression", "toxicity")
            or therapy.get("end") != ref.isoformat()
        ):
            continue
        nxt = next((t for t, _, _ in made[i + 1 :] if t.get("setting") == "metastatic"), None)
        nxt_start = _iso(nxt.get("start")) if nxt else None
        if nxt_start is None or nxt_start >= ref:
            continue
        dated = chain_back([span], [None], nxt_start)[0]
        assert dated is not None
        therapy["start"], therapy["end"] = dated[0].isoformat(), dated[1].isoformat()
        src["date_precision"] = "duration, ended when the next line started"


def _relapse_day(raw: str) -> dt.date | None:
    """A relapse date as written; a month/two-digit year ("dx 12/25") read as its month; dotted
    and year-first dates ("03.02.2025", "04.2025", "2025/01/15") as their slashed or ISO form."""
    raw = raw.strip()
    if m := re.fullmatch(r"((?:19|20)\d{2})/(\d{1,2})(?:/(\d{1,2}))?", raw):
        raw = f"{m.group(1)}-{int(m.group(2)):02d}" + (f"-{int(m.group(3)):02d}" if m.group(3) else "")
    elif re.fullmatch(r"\d{1,2}\.\d{1,2}\.(?:19|20)\d{2}|\d{1,2}\.(?:19|20)\d{2}", raw):
        raw = raw.replace(".", "/")
    if re.fullmatch(r"\d{1,2}/\d{2}", raw):
        raw = _iso_days(f"since {raw}")[len("since ") :]
    return _parse_date(raw, end=False)


def relapse_date(st: _State, text: str, drugs: list[_Mention], cfg: Mapping[str, Any]) -> None:
    """The metastatic diagnosis date when the target rules read none (session 8): a month-precise
    date written close after a relapse or metastasis word in the same sentence ("relapse in bone
    and liver dx 14/03/2025", "Relapse: bone + pleura (cytology +ve) Feb 2024", "came back in the
    bones (spine and both hips) in Feb 2025", "mets liver/bone since Jan 2025"), or heading a
    sentence that names metastases ("In 02/2025 she presented with ...: PET showed bone
    metastases"). Not across a drug mention (a therapy's date), a word of the primary or the early
    disease, a doubt or a relative (``relapse_date`` in knowledge/nlp/therapy.yaml); the earliest
    such date wins (the first metastatic diagnosis; later ones are progressions)."""
    spec = cfg.get("relapse_date")
    if not spec or st.builder.get("metastatic_diagnosis_date") is not None:
        return
    import bisect

    flags = re.IGNORECASE
    anchor = re.compile(spec["anchor"], flags)
    date = re.compile(spec["date"], flags)
    blocked = re.compile(spec["between_not"], flags)
    doubt = re.compile(spec["doubt"], flags)
    lead = re.compile(spec["leading_date"], flags)
    window = int(spec["window"])
    starts = sorted(d.start for d in drugs)
    found: list[tuple[str, int, int, str]] = []
    for sentence in _SENTENCE.finditer(text):
        s_text, s_start = sentence.group(0), sentence.start()
        plain = _ASIDE.sub(lambda m: " " * len(m.group(0)), s_text)  # asides blanked, offsets kept
        if not anchor.search(s_text) or doubt.search(plain):
            continue
        for cue in anchor.finditer(s_text):
            d = date.search(s_text, cue.end(), min(len(s_text), cue.end() + window + 120))
            if d is None or len(re.sub(r"\s+", " ", plain[cue.end() : d.start()])) > window:
                continue
            between = plain[cue.end() : d.start()]
            opened = s_text.rfind("(", cue.end(), d.start())
            if opened != -1 and ")" not in s_text[opened : d.start()]:
                # a date inside an aside counts only near its opening, not across a word of the
                # primary ("(dx 03/2025)", not "(primary 2012)" or "(..., liver bx 06/2026)")
                aside = s_text[opened + 1 : d.start()]
                if len(aside) > 20 or blocked.search(aside):
                    continue
            k = bisect.bisect_left(starts, s_start + cue.end())
            if blocked.search(between) or (k < len(starts) and starts[k] < s_start + d.start()):
                continue
            found.append((str(d.group("d")), s_start + d.start(), s_start + d.end(), s_text))
            break
        else:
            m = lead.match(s_text)
            k = bisect.bisect_left(starts, s_start)
            head = text.rfind("\n", 0, s_start) + 1
            bullet = text[head:s_start].strip(" \t") in ("-", "•", "*")
            line_start = not text[head:s_start].strip(" \t-•*") and (
                bullet or text[:head].rstrip()[-1:] in ("", ".", ":", "!", "?")  # not a wrapped sentence
            )
            if m is not None and line_start and not (k < len(starts) and starts[k] < sentence.end()):
                found.append((str(m.group("d")), s_start + m.start("d"), s_start + m.end("d"), s_text))
    days = [(day, lo, hi, said) for raw, lo, hi, said in found if (day := _relapse_day(raw)) is not None]
    days = [x for x in days if x[0] <= st.ref_date]
    if not days:
        return
    day, a, b, sentence_text = min(days, key=lambda x: x[0])
    src: Source = {
        "source": "note",
        "rule": str(spec["id"]),
        "span": [a, b],
        "text": text[a:b],
        "sentence": sentence_text.strip()[:200],
        "certainty": "inferred",
    }
    st.builder.set("metastatic_diagnosis_date", day.isoformat(), src, rank=(-5, 0))
