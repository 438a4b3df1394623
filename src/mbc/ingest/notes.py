"""Read a clinical note, or a clinician's / patient's question, into a contract-v1 record.

Rule-based clinical NLP on medspaCy: target rules (regular expressions with named groups,
``knowledge/nlp/targets.yaml``) find mentions; medspaCy's PyRuSH splits sentences, its
Sectionizer finds sections (``knowledge/nlp/sections.yaml``) and its ConText marks negated,
hypothetical, family and historical mentions (``knowledge/nlp/context.yaml``). Each mention's
``emit`` actions (a closed set, :data:`_ACTIONS`) turn it into facts. Drug mentions come from
``knowledge/ingest/drugs.yaml`` and are assembled into prior therapies clause by clause with
the cues in ``knowledge/nlp/therapy.yaml``.

Target rules are matched by our own regex pass, not medspaCy's TargetMatcher: its regex
matcher drops any match that does not align with token boundaries and warns (an error under
``filterwarnings=error``) when two matches overlap, and several rules here overlap on purpose.
The spans are handed to the medspaCy components as a span group.

Nothing here downloads a model; the pipeline is a blank English one.
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import logging
import re
import warnings
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pydantic import BaseModel, ConfigDict, Field

from mbc.errors import NoteExtractionError, Problem
from mbc.ingest._data import drug_index, kb_root, load_yaml
from mbc.ingest._extraction import Extraction, RecordBuilder, Source

if TYPE_CHECKING:
    from collections.abc import Callable, Mapping

__all__ = ["read_note"]

_GROUP = "mbc_mentions"
_DRUG_LABEL = "DRUG"
_DEFAULT_DROP = ("negated", "hypothetical", "family")
_MONTHS = {
    m: i
    for i, m in enumerate(
        ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"], 1
    )
}


# ---------------------------------------------------------------- rule-pack models


class TargetRule(BaseModel):
    """One target rule of ``knowledge/nlp/targets.yaml``."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    id: str = Field(pattern=r"^nlp\.[a-z0-9_.]+$")
    pattern: str
    case_sensitive: bool = False
    drop_if: tuple[str, ...] = _DEFAULT_DROP
    if_negated: tuple[dict[str, Any], ...] | None = None
    suppresses: tuple[str, ...] = Field(
        (), description="Rule ids whose overlapping mentions this rule's mention voids."
    )
    emit: tuple[dict[str, Any], ...]


class _Compiled:
    def __init__(self, rule: TargetRule, macros: Mapping[str, str]) -> None:
        self.rule = rule
        pattern = _expand(rule.pattern, macros)
        flags = 0 if rule.case_sensitive else re.IGNORECASE
        self.regex = re.compile(pattern, flags)
        self.fields = frozenset(_action_field(a) for a in rule.emit)


def _expand(pattern: str, macros: Mapping[str, str]) -> str:
    for _ in range(5):  # macros may use macros
        new = re.sub(r"\{([a-z_]+)\}", lambda m: macros.get(m.group(1), m.group(0)), pattern)
        if new == pattern:
            break
        pattern = new
    return pattern


def _action_field(action: Mapping[str, Any]) -> str:
    kind = action["action"]
    if kind == "somatic":
        return "somatic"
    if kind == "unread":
        return str(action.get("field", "unread"))
    if kind in ("germline", "germline_tested"):
        return "germline"
    if kind == "sites":
        return "metastases.sites"
    if kind == "ecog":
        return "ecog"
    if kind == "lvef":
        return "lvef_percent"
    return str(action.get("field") or kind)


# ---------------------------------------------------------------- the pipeline


@dataclass
class _Pipeline:
    nlp: Any
    steps: list[Callable[[Any], Any]]
    rules: list[_Compiled]
    therapy: Mapping[str, Any]
    sections: dict[str, tuple[str, ...]]
    proxy: Mapping[str, Any] = field(default_factory=dict)


def _quiet() -> None:
    """Silence the libraries' debug output (PyRuSH logs through loguru if it is loaded)."""
    try:
        from loguru import logger

        logger.disable("PyRuSH")
        logger.disable("medspacy")
    except ImportError:  # pragma: no cover - loguru comes with PyRuSH
        pass
    for name in ("medspacy", "PyRuSH", "spacy"):
        logging.getLogger(name).setLevel(logging.WARNING)


def _pipeline() -> _Pipeline:
    """The pipeline of the current knowledge root (``--kb``), built once per root."""
    return _pipeline_at(kb_root())


@functools.cache
def _pipeline_at(root: Path) -> _Pipeline:
    _quiet()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        import medspacy  # type: ignore[import-untyped]
        from medspacy.context import ConTextRule  # type: ignore[import-untyped]
        from medspacy.section_detection import SectionRule  # type: ignore[import-untyped]

        # A blank English pipeline with medspaCy's clinical tokenizer. Sentences come from
        # spaCy's rule-based sentencizer (full stops, ?, !, ; and line breaks): PyRuSH
        # missed sentence ends after measurements ("12.4 mg/dL. Denies ...") in our notes.
        nlp = medspacy.load(medspacy_enable=["medspacy_tokenizer"], load_rules=False)
        nlp.add_pipe(
            "sentencizer",
            config={"punct_chars": [".", "!", "?", ";", "\n", "\n\n"]},
        )
        context = nlp.add_pipe(
            "medspacy_context",
            config={"rules": None, "input_span_type": "group", "span_group_name": _GROUP},
        )
        ctx_doc = load_yaml("nlp/context.yaml")
        context.add([ConTextRule(**r) for r in ctx_doc["rules"]])
        sec_doc = load_yaml("nlp/sections.yaml")
        sectionizer = nlp.add_pipe(
            "medspacy_sectionizer",
            before="medspacy_context",
            config={
                "rules": None,
                "input_span_type": "group",
                "span_group_name": _GROUP,
                "span_attrs": None,
            },
        )
        sectionizer.add([SectionRule(literal=r["literal"], category=r["category"]) for r in sec_doc["rules"]])
    targets = load_yaml("nlp/targets.yaml")
    macros = targets.get("macros", {})
    rules = [_Compiled(TargetRule(**r), macros) for r in targets["rules"]]
    sections = {r["category"]: tuple(r.get("implies", [])) for r in sec_doc["rules"]}
    steps = [proc for _, proc in nlp.pipeline]
    return _Pipeline(nlp, steps, rules, load_yaml("nlp/therapy.yaml"), sections, ctx_doc.get("proxy") or {})


# ---------------------------------------------------------------- mentions


@dataclass
class _Mention:
    start: int
    end: int
    text: str
    rule: _Compiled | None
    match: re.Match[str] | None
    inns: list[str] = field(default_factory=list)
    attrs: set[str] = field(default_factory=set)
    section: str | None = None
    sent: tuple[int, int] = (0, 0)

    def src(self, rule_id: str | None = None) -> Source:
        out: Source = {
            "source": "note",
            "rule": rule_id or (self.rule.rule.id if self.rule else "nlp.drug"),
            "span": [self.start, self.end],
            "text": self.text,
        }
        if self.attrs:
            out["context"] = sorted(self.attrs)
        if self.section:
            out["section"] = self.section
        return out


def _find_mentions(text: str, rules: list[_Compiled]) -> list[_Mention]:
    found: list[_Mention] = []
    for order, comp in enumerate(rules):
        for m in comp.regex.finditer(text):
            if m.end() <= m.start():
                continue
            mention = _Mention(m.start(), m.end(), m.group(0), comp, m)
            mention.sent = (order, 0)  # temporary: rule order for tie-breaks
            found.append(mention)
    # Overlapping mentions that write the same field: keep the longer (then the earlier rule).
    found.sort(key=lambda x: (-(x.end - x.start), x.sent[0]))
    kept: list[_Mention] = []
    for cand in found:
        assert cand.rule is not None
        clash = any(
            cand.start < k.end
            and k.start < cand.end
            and k.rule is not None
            and cand.rule.fields & k.rule.fields
            for k in kept
        )
        if not clash:
            kept.append(cand)
    voided = [
        k
        for k in kept
        for other in kept
        if other is not k
        and other.rule is not None
        and k.rule is not None
        and k.rule.rule.id in other.rule.rule.suppresses
        and k.start < other.end
        and other.start < k.end
    ]
    return sorted((k for k in kept if k not in voided), key=lambda x: x.start)


def _proxy_words(pipe: _Pipeline, text: str) -> tuple[frozenset[str], str | None]:
    """The relation words that name the patient when a relative or friend writes.

    "My mom is 78 and her breast cancer spread to her liver": the mother is the patient, so
    "mom" must not mark her facts as family history (``knowledge/nlp/context.yaml`` ``proxy``).

    Returns:
        (the relation's words, the patient's sex if the relation gives it).
    """
    cfg = pipe.proxy
    if not cfg:
        return frozenset(), None
    m = re.search(cfg["pattern"], text, re.IGNORECASE)
    if not m or re.search(cfg.get("unless", r"(?!)"), text, re.IGNORECASE):
        return frozenset(), None
    who = m.group("who").lower()
    for group in cfg["relations"]:
        if who in group["words"]:
            return frozenset(w.lower() for w in group["words"]), group.get("sex")
    return frozenset({who}), None  # pragma: no cover - pattern and relations agree (tested)


def _annotate(
    pipe: _Pipeline, text: str, mentions: list[_Mention], proxy: frozenset[str] = frozenset()
) -> list[tuple[int, int]]:
    """Run medspaCy (sentences, sections, ConText) over the mentions; return sentence spans."""
    doc = pipe.nlp.make_doc(text)
    doc = pipe.steps[0](doc)  # sentences
    spans = []
    for i, m in enumerate(mentions):
        span = doc.char_span(m.start, m.end, label=str(i), alignment_mode="expand")
        if span is None or len(span) == 0:
            continue
        spans.append(span)
    doc.spans[_GROUP] = spans
    with warnings.catch_warnings():
        # spaCy warns (W036) that a medspaCy matcher has no token patterns when a rule pack
        # holds only phrase rules; that is expected here.
        warnings.filterwarnings("ignore", message=r".*\[W036\]")
        for step in pipe.steps[1:]:
            doc = step(doc)
    for span in doc.spans[_GROUP]:
        m = mentions[int(span.label_)]
        for attr in ("negated", "hypothetical", "family", "historical"):
            if getattr(span._, f"is_{attr}", False):
                m.attrs.add(attr)
        if proxy and "family" in m.attrs:
            family = [mod for mod in span._.modifiers if mod.category == "FAMILY"]
            if family and all(mod.rule.literal.lower() in proxy for mod in family):
                m.attrs.discard("family")  # the relative writing about is the patient
        category = getattr(span._, "section_category", None)
        if category:
            m.section = category
            m.attrs.update(pipe.sections.get(category, ()))
        sent = span.sent
        m.sent = (sent.start_char, sent.end_char)
    return [(s.start_char, s.end_char) for s in doc.sents]


# ---------------------------------------------------------------- actions


@dataclass
class _State:
    builder: RecordBuilder
    ref_date: dt.date
    ref_kind: str = "note date"
    flags: dict[str, Source] = field(default_factory=dict)
    therapy_cues: list[_Mention] = field(default_factory=list)


def _group(m: _Mention, name: str | None) -> str | None:
    if not name or m.match is None:
        return None
    try:
        value = m.match.group(name)
    except IndexError:
        return None
    return value


def _rank(m: _Mention, action: Mapping[str, Any]) -> tuple[Any, ...]:
    return (int(action.get("rank", 0)), m.start)


def _a_set(st: _State, m: _Mention, a: Mapping[str, Any]) -> None:
    st.builder.set(a["field"], a["value"], m.src(), rank=_rank(m, a))


def _a_number(st: _State, m: _Mention, a: Mapping[str, Any]) -> None:
    raw = _group(m, a["group"])
    if raw is None:
        return
    number = float(raw.replace(",", ""))
    thousands = a.get("thousands")
    if thousands is not None and (
        _group(m, thousands.get("group")) or number < float(thousands.get("below", 0))
    ):  # "plt 145k", "ANC 1.1" (10^3/uL): written in thousands
        number *= 1000
    value: float | int = int(number) if a.get("type") == "int" else number
    st.builder.set(a["field"], value, m.src(), rank=_rank(m, a))


def _a_threshold(st: _State, m: _Mention, a: Mapping[str, Any]) -> None:
    raw = _group(m, a["group"]) or _group(m, a.get("group2"))
    if raw is None:
        return
    value = a["above"] if float(raw) >= float(a["at_least"]) else a["below"]
    st.builder.set(a["field"], value, m.src(), rank=_rank(m, a))


def _a_word(st: _State, m: _Mention, a: Mapping[str, Any]) -> None:
    raw = _group(m, a.get("group"))
    table = a["map"]
    if raw is None:
        if "default" in a:
            st.builder.set(a["field"], a["default"], m.src(), rank=_rank(m, a))
        return
    key = raw.lower().strip()
    if key in table:
        st.builder.set(a["field"], table[key], m.src(), rank=_rank(m, a))


def _a_add(st: _State, m: _Mention, a: Mapping[str, Any]) -> None:
    st.builder.add(a["field"], a["value"], m.src())


def _a_add_word(st: _State, m: _Mention, a: Mapping[str, Any]) -> None:
    raw = _group(m, a["group"])
    if raw is None:
        return
    key = re.sub(r"\s+", " ", raw.lower().strip())
    if key in a["map"]:
        st.builder.add(a["field"], a["map"][key], m.src())


def _site_words() -> tuple[re.Pattern[str], dict[str, str]]:
    return _site_words_at(kb_root())


@functools.cache
def _site_words_at(root: Path) -> tuple[re.Pattern[str], dict[str, str]]:
    doc = load_yaml("nlp/lexicon.yaml")
    table = {str(k).lower(): str(v) for k, v in doc["sites"].items() if v is not None}
    silent = [str(k).lower() for k, v in doc["sites"].items() if v is None]
    words = sorted([*table, *silent], key=len, reverse=True)
    return re.compile(r"\b(" + "|".join(re.escape(w) for w in words) + r")\b", re.I), table


def _a_sites(st: _State, m: _Mention, a: Mapping[str, Any]) -> None:
    raw = _group(m, a["group"]) or ""
    regex, table = _site_words()
    for w in regex.findall(raw):
        if w.lower() in table:
            st.builder.add("metastases.sites", table[w.lower()], m.src())
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
    if values:  # a range "ECOG 1-2": the worse (higher) grade
        st.builder.set("ecog", max(values), m.src(), rank=_rank(m, a))


def _a_lvef(st: _State, m: _Mention, a: Mapping[str, Any]) -> None:
    values = [float(v) for v in (_group(m, a["group"]), _group(m, a.get("group2"))) if v]
    if values:  # a range "EF 50-55%": the lower value
        st.builder.set("lvef_percent", min(values), m.src(), rank=_rank(m, a))


def _a_date(st: _State, m: _Mention, a: Mapping[str, Any]) -> None:
    parsed = _parse_date(_group(m, a["group"]) or "", end=False)
    if parsed is not None:
        st.builder.set(a["field"], parsed.isoformat(), m.src(), rank=_rank(m, a))


def _a_date_ago(st: _State, m: _Mention, a: Mapping[str, Any]) -> None:
    span = _count_span(_group(m, a["n"]) or "", _group(m, a["unit"]) or "", _pipeline().therapy)
    if span is None:
        return
    day = _shift(st.ref_date, *span, -1)
    src = {**m.src(), "derived": f"counted back from the {st.ref_kind} ({st.ref_date.isoformat()})"}
    st.builder.set(a["field"], day.isoformat(), src, rank=_rank(m, a))


def _a_flag(st: _State, m: _Mention, a: Mapping[str, Any]) -> None:
    st.flags.setdefault(str(a["value"]), m.src())


def _a_therapy_cue(st: _State, m: _Mention, a: Mapping[str, Any]) -> None:
    st.therapy_cues.append(m)


_ACTIONS: dict[str, Callable[[_State, _Mention, Mapping[str, Any]], None]] = {
    "set": _a_set,
    "number": _a_number,
    "threshold": _a_threshold,
    "word": _a_word,
    "add": _a_add,
    "add_word": _a_add_word,
    "sites": _a_sites,
    "somatic": _a_somatic,
    "germline": _a_germline,
    "germline_tested": _a_germline_tested,
    "unread": _a_unread,
    "ecog": _a_ecog,
    "lvef": _a_lvef,
    "date": _a_date,
    "date_ago": _a_date_ago,
    "flag": _a_flag,
    "therapy_cue": _a_therapy_cue,
}


def _apply(st: _State, m: _Mention) -> None:
    assert m.rule is not None
    rule = m.rule.rule
    if "negated" in m.attrs and rule.if_negated is not None and not (m.attrs & {"hypothetical", "family"}):
        for action in rule.if_negated:
            _ACTIONS[action["action"]](st, m, action)
        return
    voided = m.attrs & set(rule.drop_if)
    if voided:
        st.builder.note_unread({"kind": "mention_not_used", "reason": ", ".join(sorted(voided)), **m.src()})
        return
    for action in rule.emit:
        _ACTIONS[action["action"]](st, m, action)


# ---------------------------------------------------------------- dates


def _parse_date(raw: str, *, end: bool) -> dt.date | None:
    raw = raw.strip().lower().rstrip(".")
    try:
        if re.fullmatch(r"\d{4}-\d{2}-\d{2}", raw):
            return dt.date.fromisoformat(raw)
        m = re.fullmatch(r"(\d{4})-(\d{2})", raw)
        if m:
            return _month(int(m.group(1)), int(m.group(2)), end=end)
        m = re.fullmatch(r"(\d{1,2})/(\d{1,2})/(\d{4})", raw)
        if m:
            return dt.date(int(m.group(3)), int(m.group(1)), int(m.group(2)))
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


def _note_date(text: str, pattern: str) -> dt.date | None:
    m = re.search(pattern, text, re.IGNORECASE | re.MULTILINE)
    return _parse_date(m.group("d"), end=False) if m else None


# ---------------------------------------------------------------- therapies


def _clauses(sentence: str, start: int, breaks: re.Pattern[str]) -> list[tuple[int, int, str]]:
    """(start, end, separator-before) of each clause, in absolute offsets."""
    out: list[tuple[int, int, str]] = []
    pos, sep = 0, ""
    for m in breaks.finditer(sentence):
        out.append((start + pos, start + m.start(), sep))
        pos, sep = m.end(), m.group(0).lower()
    out.append((start + pos, start + len(sentence), sep))
    return [c for c in out if c[1] > c[0]]


def _first(patterns: list[Mapping[str, Any]], key: str, text: str) -> tuple[str, str] | None:
    for p in patterns:
        if re.search(p["pattern"], text, re.IGNORECASE):
            return str(p[key]), str(p["id"])
    return None


def _duration(text: str, cfg: Mapping[str, Any], key: str = "durations") -> tuple[int, int] | None:
    """A duration in the clause as (months, days): calendar months for months and years."""
    m = re.search(cfg[key], text, re.IGNORECASE)
    if not m:
        return None
    return _count_span(m.group("n"), m.group("unit"), cfg)


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


def _therapy_dates(
    clause: str,
    cfg: Mapping[str, Any],
    stop: str | None,
    ref: dt.date,
    *,
    after_drugs: str = "",
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
        anchor: Whether a duration alone may be counted from ``ref``.
        since_then: The date "since then" refers to (the metastatic diagnosis), if known.
    """
    start = end = None
    precision = None

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
        if start is None and (end is not None or stop == "ongoing"):
            m3 = re.search(cfg["bare_start"], after_drugs, re.IGNORECASE)
            if m3:
                start = _parse_date(m3.group("d"), end=False)
                precision = precision or kind(m3.group("d"))
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


@dataclass
class _Clause:
    start: int
    end: int
    sep: str
    sent: int


def _all_clauses(text: str, sents: list[tuple[int, int]], breaks: re.Pattern[str]) -> list[_Clause]:
    out: list[_Clause] = []
    for n, (s_start, s_end) in enumerate(sents):
        out.extend(_Clause(a, b, sep, n) for a, b, sep in _clauses(text[s_start:s_end], s_start, breaks))
    return out


def _assemble_therapies(  # noqa: C901, PLR0912, PLR0915 - one pass over the clauses, cue by cue
    st: _State,
    text: str,
    sents: list[tuple[int, int]],
    drugs: list[_Mention],
    cfg: Mapping[str, Any],
) -> None:
    breaks = re.compile(cfg["clause_breaks"], re.IGNORECASE)
    index = drug_index()
    metastatic_note = "metastatic" in st.flags or st.builder.has("metastases.sites")
    clauses, list_settings = _split_line_lists(text, _all_clauses(text, sents, breaks), cfg)
    drop = {"negated", "hypothetical", "family"}
    made: list[tuple[dict[str, Any], Source, tuple[int, int] | None]] = []
    since_then = _iso(st.builder.get("metastatic_diagnosis_date"))
    section_stops: Mapping[str, Mapping[str, str]] = cfg.get("section_stop_reasons", {})
    then_carry = cfg["then_carry"]
    carried: str | None = None
    carried_dates: tuple[dt.date | None, dt.date | None, str | None] = (None, None, None)
    prev_stop_hit: tuple[str, str] | None = None
    prev_clause = ""
    sentence_therapies: list[tuple[dict[str, Any], Source]] = []
    for n, cl in enumerate(clauses):
        c_start, c_end, sep = cl.start, cl.end, cl.sep
        if n and clauses[n - 1].sent != cl.sent:
            carried, carried_dates, prev_stop_hit, prev_clause = None, (None, None, None), None, ""
            sentence_therapies = []
        clause = text[c_start:c_end]
        # Clauses joined by "followed by" are one regimen sequence (AC followed by T):
        # a setting or date written once applies to the whole chain.
        chain_end = c_end
        for nxt in clauses[n + 1 :]:
            if nxt.sent != cl.sent or "followed" not in nxt.sep:
                break
            chain_end = nxt.end
        chain = text[c_start:chain_end]
        in_clause = [d for d in drugs if c_start <= d.start < c_end]
        usable = [d for d in in_clause if not d.attrs & drop]
        for d in in_clause:
            if d not in usable:
                st.builder.note_unread(
                    {
                        "kind": "mention_not_used",
                        "reason": ", ".join(sorted(d.attrs)),
                        **d.src(),
                    }
                )
        setting_hit = _first(cfg["settings"], "setting", clause) or _first(cfg["settings"], "setting", chain)
        setting = setting_hit[0] if setting_hit else None
        carry_then = (
            setting is None
            and carried in then_carry["settings"]
            and "then" in sep
            and not re.search(then_carry["unless"], clause, re.IGNORECASE)
        )
        if setting is None and carried is not None and "followed" in sep:
            setting = carried
        if setting is None and n in list_settings:  # an item of "s/p 3 lines (A, B, C)"
            setting_hit = list_settings[n]
            setting = setting_hit[0]
        cues = [c for c in st.therapy_cues if c_start <= c.start < c_end]
        cancer = [d for d in usable if any(index.kind.get(i) == "antineoplastic" for i in d.inns)]
        for d in usable:
            for inn in d.inns:
                if index.kind.get(inn) != "antineoplastic":
                    st.builder.add("medications", inn, d.src("nlp.drug.medication"))
        if not cancer:
            for cue in cues:
                if cue.attrs & drop:
                    continue
                what = re.sub(r"\s+", " ", cue.text.strip().lower())
                if setting and setting not in what:
                    what = f"{setting} {what}"
                st.builder.note_unread(
                    {
                        "kind": "therapy_without_drugs",
                        "value": what + cfg["unnamed_suffix"],
                        **cue.src(),
                    }
                )
                if setting in ("adjuvant", "neoadjuvant"):
                    st.flags.setdefault("early_treatment", cue.src())
            carried = setting or carried
            if not in_clause:
                prev_clause = clause
            continue
        inns: list[str] = []
        for d in cancer:
            inns.extend(i for i in d.inns if i not in inns and index.kind.get(i) == "antineoplastic")
        # A drug-less clause right after this one that starts with a stop cue finishes it.
        cue_text = clause
        if n + 1 < len(clauses):
            nxt = clauses[n + 1]
            gap = text[c_end : nxt.start]
            nxt_text = text[nxt.start : nxt.end]
            if (
                re.fullmatch(r"[\s,;.]*", gap)
                and not any(nxt.start <= d.start < nxt.end for d in drugs)
                and re.match(cfg["continuation"], nxt_text, re.IGNORECASE)
                and _first(cfg["stop_reasons"], "stop_reason", clause) in (None, _ongoing_hit(cfg, clause))
            ):
                cue_text = f"{clause} {nxt_text}"
        stop_hit = _first(cfg["stop_reasons"], "stop_reason", cue_text)
        on_drug = cfg["on_drug"]
        if (
            stop_hit is None
            and prev_stop_hit is not None
            and prev_stop_hit[0] == "progression"
            and "then" in sep
            and re.search(cfg["progressed_on"], prev_clause, re.IGNORECASE)
            and re.match(cfg["chain_on"], clause, re.IGNORECASE)
        ):
            stop_hit = prev_stop_hit  # "progressed on X and then on Y"
        if stop_hit is None and any(
            re.search(on_drug["pattern"], text[c_start : d.start], re.IGNORECASE) for d in cancer
        ):
            stop_hit = (str(on_drug["stop_reason"]), str(on_drug["id"]))
        if stop_hit is None:
            for d in cancer:
                by_section = section_stops.get(d.section or "")
                if by_section is not None:
                    stop_hit = (str(by_section["stop_reason"]), str(by_section["id"]))
                    break
        stop = stop_hit[0] if stop_hit else None
        if carry_then and not (stop == "ongoing" and metastatic_note):
            setting = carried  # "adjuvant X then Y"; not a drug taken now for mets
        rules = [r for r in (setting_hit and setting_hit[1], stop_hit and stop_hit[1]) if r]
        after_drugs = text[max(d.end for d in cancer) : c_end]
        anchor = stop in cfg["duration_anchor_stops"] and setting not in ("adjuvant", "neoadjuvant")
        start, end, precision = _therapy_dates(
            cue_text, cfg, stop, st.ref_date, after_drugs=after_drugs, anchor=anchor, since_then=since_then
        )
        if start is None and end is None and chain != clause:
            start, end, precision = _therapy_dates(chain, cfg, stop, st.ref_date, anchor=anchor)
        if start is None and end is None and "followed" in sep:
            start, end, precision = carried_dates
        if stop == "ongoing" and end is not None and re.search(cfg["end_date"], cue_text, re.IGNORECASE):
            stop = None  # "started X 2018, stopped 2020": it has ended, reason not given
        if setting is None and stop == "progression":
            setting = cfg["progression_default_setting"]["setting"]
            rules.append(cfg["progression_default_setting"]["id"])
        elif setting is None and stop == "ongoing" and metastatic_note:
            setting = cfg["ongoing_metastatic_default"]["setting"]
            rules.append(cfg["ongoing_metastatic_default"]["id"])
        therapy: dict[str, Any] = {"drugs": inns}
        if setting:
            therapy["setting"] = setting
        if start:
            therapy["start"] = start.isoformat()
        if end and stop != "ongoing":
            therapy["end"] = end.isoformat()
        if stop:
            therapy["stop_reason"] = stop
        src: Source = {
            "source": "note",
            "rule": "nlp.therapy.clause",
            "cue_rules": rules,
            "span": [c_start, c_end],
            "text": clause.strip(),
            "drug_mentions": [[d.start, d.end, d.text] for d in cancer],
        }
        if precision:
            src["date_precision"] = precision
        if stop is not None and re.search(cfg["shared_stop"], clause, re.IGNORECASE):
            # "X then Y, both with progression"
            for earlier, e_src in sentence_therapies:
                if "stop_reason" not in earlier:
                    earlier["stop_reason"] = stop
                    e_src["cue_rules"] = [*e_src["cue_rules"], "nlp.therapy.stop.shared"]
                    if "setting" not in earlier and stop == "progression":
                        earlier["setting"] = cfg["progression_default_setting"]["setting"]
        st.builder.therapy(therapy, src)
        sentence_therapies.append((therapy, src))
        made.append((therapy, src, _duration(cue_text, cfg) if precision == "duration" else None))
        if setting in ("adjuvant", "neoadjuvant"):
            st.flags.setdefault("early_treatment", src)
        carried = setting
        carried_dates = (start, end, precision)
        prev_stop_hit = stop_hit
        prev_clause = clause
    if cfg.get("chain_durations"):
        _chain_durations(made, st.ref_date)
    _relative_dates(st, text, sents, drugs, cfg, made)


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
) -> tuple[list[_Clause], dict[int, tuple[str, str]]]:
    """Cut "s/p 3 lines (A, B, C)" at its commas: each item is one line of therapy.

    Returns:
        The clauses, and for the index of each clause inside such a list, its setting hit.
    """
    spec = cfg.get("line_lists")
    if not spec:
        return clauses, {}
    regions = []
    for m in re.finditer(spec["pattern"], text, re.IGNORECASE):
        group = "items" if m.group("items") is not None else "items2"
        regions.append((m.start(group), m.end(group)))
    if not regions:
        return clauses, {}
    out: list[_Clause] = []
    settings: dict[int, tuple[str, str]] = {}
    for cl in clauses:
        cuts = [i for a, b in regions for i in range(max(a, cl.start), min(b, cl.end)) if text[i] == ","]
        inside = any(a < cl.end and cl.start < b for a, b in regions)
        pos, sep = cl.start, cl.sep
        for cut in [*cuts, cl.end]:
            if cut > pos:
                if inside:
                    settings[len(out)] = (str(spec["setting"]), str(spec["id"]))
                out.append(_Clause(pos, cut, sep, cl.sent))
            pos, sep = cut + 1, "list"
    return out, settings


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
        therapy["end"] = nxt_start.isoformat()
        therapy["start"] = _shift(nxt_start, *span, -1).isoformat()
        src["date_precision"] = "duration, ended when the next line started"


def _relative_dates(  # noqa: PLR0913 - the assembler's working set
    st: _State,
    text: str,
    sents: list[tuple[int, int]],
    drugs: list[_Mention],
    cfg: Mapping[str, Any],
    made: list[tuple[dict[str, Any], Source, tuple[int, int] | None]],
) -> None:
    """Date early therapies from relative phrases ("relapsed 8 months after finishing X").

    The count is taken back from the relapse: the metastatic diagnosis date if the note gives
    one, else the note date (``as_of``) when no metastatic therapy is named. Provenance keeps
    the phrase and the anchor (``relative``).
    """
    rules = cfg.get("relative") or []
    if not rules or not made:
        return
    explicit = _iso(st.builder.get("metastatic_diagnosis_date"))
    metastatic = [t for t, _, _ in made if t.get("setting") == "metastatic"]
    if explicit is not None:
        anchor, anchor_kind = explicit, "metastatic diagnosis date"
    elif metastatic:
        return  # the relapse came before a metastatic line whose dates we do not know
    else:
        anchor, anchor_kind = st.ref_date, st.ref_kind
    by_mention = {
        (d[0], d[1]): (therapy, src) for therapy, src, _ in made for d in src.get("drug_mentions", [])
    }
    done: set[int] = set()
    for d in drugs:
        hit = by_mention.get((d.start, d.end))
        if hit is None or id(hit[0]) in done:
            continue
        therapy, src = hit
        if (therapy.get("start") or therapy.get("end")) and not _is_relapse_date(therapy, explicit):
            continue  # dates written for the therapy win
        s_start, s_end = next(((a, b) for a, b in sents if a <= d.start < b), (0, len(text)))
        if not re.search(cfg["relative_cue"], text[s_start:s_end], re.IGNORECASE):
            continue
        prefix = text[s_start : d.start]
        for rule in rules:
            m = re.search(rule["pattern"], prefix, re.IGNORECASE)
            span = _count_span(m.group("n"), m.group("unit"), cfg) if m else None
            if m is None or span is None:
                continue
            back = _shift(anchor, *span, -1)
            if rule.get("end") == "ago":
                end, start = back, None
                length = _count_span(m.group("len_n") or "", m.group("len_unit") or "", cfg)
                if length is not None:
                    start = _shift(end, *length, -1)
            else:
                start, end = back, anchor
            if start is not None:
                therapy["start"] = start.isoformat()
            therapy["end"] = end.isoformat()
            if therapy.get("stop_reason") in (None, "ongoing"):
                therapy["stop_reason"] = rule["stop_reason"]
            src["date_precision"] = "relative"
            src["relative"] = {
                "rule": rule["id"],
                "phrase": (prefix[m.start() :] + d.text).strip(),
                "counted_back_from": f"{anchor_kind} ({anchor.isoformat()})",
            }
            st.flags.setdefault("relative_relapse", {**src, "rule": rule["id"]})
            done.add(id(therapy))
            break


def _ongoing_hit(cfg: Mapping[str, Any], clause: str) -> tuple[str, str] | None:
    """The clause's stop cue if it is only an "ongoing" cue ("started X 2023-06")."""
    hit = _first(cfg["stop_reasons"], "stop_reason", clause)
    return hit if hit is not None and hit[0] == "ongoing" else None


# ---------------------------------------------------------------- entry point


def read_note(text: str, *, as_of: dt.date | None = None) -> Extraction:
    """Read a note or question into an extraction.

    Args:
        text: The note text.
        as_of: The record's ``as_of``; a date in the note header is the reference for
            "now" and durations. Default: the note date, else today.

    Returns:
        The extraction.

    Raises:
        NoteExtractionError: If the note is empty.
    """
    if not text or not text.strip():
        raise NoteExtractionError("the note is empty", [Problem(("note",), "no text to read", "empty_note")])
    pipe = _pipeline()
    note_date = _note_date(text, pipe.therapy["note_date"])
    ref = note_date or as_of or dt.date.today()
    ref_kind = "note date" if note_date else ("as_of date" if as_of else "date of reading")
    record_as_of = as_of or note_date or dt.date.today()
    digest = hashlib.sha256(text.encode("utf-8")).hexdigest()[:12]
    builder = RecordBuilder(f"note-{digest}", record_as_of, "note")
    st = _State(builder, ref, ref_kind)
    proxy, proxy_sex = _proxy_words(pipe, text)

    mentions = _find_mentions(text, pipe.rules)
    drugs = [_Mention(s, e, w, None, None, inns=list(inns)) for s, e, w, inns in drug_index().find(text)]
    sents = _annotate(pipe, text, [*mentions, *drugs], proxy)
    if proxy_sex is not None:
        builder.set("sex", proxy_sex, {"source": "note", "rule": "nlp.proxy.relation"}, rank=(-1, 0))
    for m in mentions:
        _apply(st, m)
    _assemble_therapies(st, text, sents, drugs, pipe.therapy)
    _finish(st)
    return builder.build()


def _finish(st: _State) -> None:
    b = st.builder
    _date_new_metastases(st)
    _brain_symptomatic(st)
    _nothing_given(st)
    # Presentation inferred: metastatic now, after treatment for early disease.
    if b.get("presentation") is None and "metastatic" in st.flags:
        early = st.flags.get("early_treatment") or st.flags.get("surgery") or st.flags.get("early_stage")
        if early is not None:
            b.set(
                "presentation",
                "recurrence",
                {
                    **{k: v for k, v in early.items() if k not in ("relative", "date_precision")},
                    "rule": "nlp.presentation.inferred",
                },
                rank=(-1, 0),
            )
    # Receptor source only means something with a receptor result.
    if b.get("tumor.receptor_source") is not None and not any(
        b.get(f"tumor.{f}") is not None
        for f in (
            "er_percent",
            "pr_percent",
            "er_status",
            "pr_status",
            "her2_ihc",
            "her2_ish",
            "her2_status",
        )
    ):
        b.drop("tumor.receptor_source", "no receptor result in the note")
    _harmonise(b)


def _date_new_metastases(st: _State) -> None:
    """Metastases described as new now, with no date written: diagnosed at the note date.

    Only when no metastatic therapy is named (a metastatic line would mean the metastases
    were found earlier) and the metastases are not denied or hypothetical.
    """
    b = st.builder
    cue = st.flags.get("new_metastases") or st.flags.get("relative_relapse")
    if cue is None or b.get("metastatic_diagnosis_date") is not None:
        return
    if any(t.get("setting") == "metastatic" for t in b.therapies()):
        return
    src = {
        "source": "note",
        "rule": "nlp.metastatic.dated_now",
        "cue": {k: cue[k] for k in ("rule", "span", "text") if k in cue},
        "derived": f"metastases described as new: dated to the {st.ref_kind} ({st.ref_date.isoformat()})",
    }
    b.set("metastatic_diagnosis_date", st.ref_date.isoformat(), src, rank=(-3, 0))


def _nothing_given(st: _State) -> None:
    """``prior_therapies: []`` when the note says nothing has been given yet.

    "treatment-naive", or de novo metastatic disease asked about as "first line?", with no
    therapy named anywhere in the note (absent would mean *unknown*, contract §1).
    """
    b = st.builder
    if b.therapies():
        return
    cue = st.flags.get("treatment_naive")
    if cue is None and b.get("presentation") == "de_novo":
        cue = st.flags.get("first_line_question")
    if cue is not None:
        b.no_therapies({**cue, "rule": "nlp.therapy.none_given", "cue_rule": cue.get("rule")})


def _brain_symptomatic(st: _State) -> None:
    """Brain metastases with a neurological symptom in the note are symptomatic.

    The symptom list is ``brain_symptoms`` in ``knowledge/nlp/lexicon.yaml``; a symptom
    stated about the brain lesions themselves ("asymptomatic brain met") wins.
    """
    b = st.builder
    if b.get("metastases.brain.symptomatic") is not None:
        return
    if "brain" not in b.list_values("metastases.sites"):
        return
    words = {str(w).lower() for w in load_yaml("nlp/lexicon.yaml").get("brain_symptoms", [])}
    found = [s for s in b.list_values("symptoms") if str(s).lower() in words]
    if found:
        b.set(
            "metastases.brain.symptomatic",
            value=True,
            source={"source": "note", "rule": "nlp.brain.symptomatic_from_symptoms", "symptoms": found},
            rank=(-3, 0),
        )


def _harmonise(b: RecordBuilder) -> None:
    """Keep one form of each receptor (contract §1) and the most specific somatic strings."""
    b.harmonise_receptors()
    b.prune_somatic()
