"""The note pipeline: target rule packs, the medspaCy pipeline (sentences, sections,
ConText) and the mentions it annotates. See :mod:`mbc.ingest.notes`."""

from __future__ import annotations

import bisect
import functools
import logging
import re
import warnings
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pydantic import BaseModel, ConfigDict, Field

from mbc.ingest._data import drug_index, kb_root, load_yaml
from mbc.ingest._extraction import Source
from mbc.ingest._note_reach import REACH, bounded
from mbc.ingest._note_scope import (
    compile_scope,
    mark_forms,
    mark_questions,
    mark_requests,
    mark_sentences,
    spread_drug_status,
    spread_lists,
)
from mbc.ingest._note_sections import apply_sections
from mbc.ingest._note_specimen import mention_context
from mbc.ingest._note_vocab import macros as vocab_macros

if TYPE_CHECKING:
    from collections.abc import Callable, Mapping

_GROUP = "mbc_mentions"
_RECEPTOR_RULES = ("nlp.er", "nlp.pr", "nlp.her2", "nlp.receptor", "nlp.hr", "nlp.tnbc")
_DRUG_LABEL = "DRUG"
_DEFAULT_DROP = ("negated", "hypothetical", "family", "uncertain")
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
    void_before: str | None = Field(
        None,
        description="A pattern which, found in the mention's sentence before the mention, marks "
        "it historical (the reason a therapy was stopped, held or reduced for: 'stopped 06/2024 "
        "due to stomatitis').",
    )


class _Compiled:
    def __init__(self, rule: TargetRule, macros: Mapping[str, str]) -> None:
        self.rule = rule
        pattern = _expand(rule.pattern, macros)
        flags = 0 if rule.case_sensitive else re.IGNORECASE
        self.regex = re.compile(pattern, flags)
        self.fields = frozenset(f for a in rule.emit for f in _action_fields(a))
        self.void_before = (
            re.compile(_expand(rule.void_before, macros), re.IGNORECASE) if rule.void_before else None
        )


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


def _action_fields(action: Mapping[str, Any]) -> list[str]:
    """The fields an action may write (a field chosen by the text: every one it may be)."""
    if action["action"] in ("word_threshold", "ratio"):
        return sorted({str(v) for v in action["map"].values()})
    return [_action_field(action)]


# ---------------------------------------------------------------- the pipeline


@dataclass
class _Pipeline:
    nlp: Any
    steps: list[Callable[[Any], Any]]
    rules: list[_Compiled]
    therapy: Mapping[str, Any]
    sections: dict[str, tuple[str, ...]]
    proxy: Mapping[str, Any] = field(default_factory=dict)
    header_re: re.Pattern[str] | None = None
    by_header: dict[str, str] = field(default_factory=dict)
    scopes: Mapping[str, Any] = field(default_factory=dict)
    scope: Any = None  # mbc.ingest._note_scope._Compiled: lists, questions, forms, drug status
    line_sections: frozenset[str] = frozenset()  # an inline header of these ends with its line
    continued: re.Pattern[str] | None = None  # a line that goes on to the next one


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


def _query_mark(doc: Any) -> Any:
    """A query mark before a word ("Cough. ?pneumonitis") starts the sentence it asks about."""
    for tok in doc[1:-1]:
        if tok.text == "\u00bf":
            tok.is_sent_start = True
            doc[tok.i + 1].is_sent_start = False
    return doc


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

        # A blank English pipeline with medspaCy's clinical tokenizer. Sentences come from
        # spaCy's rule-based sentencizer (full stops, ?, !, ; and line breaks): PyRuSH
        # missed sentence ends after measurements ("12.4 mg/dL. Denies ...") in our notes.
        # Sections are found by our own header scan (linear; knowledge/nlp/sections.yaml).
        nlp = medspacy.load(medspacy_enable=["medspacy_tokenizer"], load_rules=False)
        nlp.add_pipe(
            "sentencizer",
            config={"punct_chars": [".", "!", "?", ";", "\n", "\n\n"]},
        )
        ctx_doc = load_yaml("nlp/context.yaml")
        context = nlp.add_pipe(
            "medspacy_context",
            config={
                "rules": None,
                "input_span_type": "group",
                "span_group_name": _GROUP,
                # a cue kind that ends one modifier kind only ("except" ends a negation)
                "terminating_types": ctx_doc.get("terminating_types") or None,
            },
        )
        context.add([ConTextRule(**r) for r in ctx_doc["rules"]])
        sec_doc = load_yaml("nlp/sections.yaml")
    targets = load_yaml("nlp/targets.yaml")
    macros = {**vocab_macros(), **targets.get("macros", {})}
    from mbc.ingest._note_labs import lab_rules

    rules = [_Compiled(TargetRule(**r), macros) for r in [*targets["rules"], *lab_rules()]]
    sections = {r["category"]: tuple(r.get("implies", [])) for r in sec_doc["rules"]}
    headers = sorted({str(r["literal"]).rstrip(":").strip() for r in sec_doc["rules"]}, key=len, reverse=True)
    by_header = {str(r["literal"]).rstrip(":").strip().lower(): r["category"] for r in sec_doc["rules"]}
    header_re = re.compile(
        # "Plan:" anywhere a line starts, or a header word alone on its line ("Background")
        # (an outline number before it: "VII. Assessment and plan:", "B. Medications:")
        r"^[ \t\-*#]*(?:(?:[IVX]{1,4}|[A-Z]|\d{1,2})[.)][ \t]+)?(?P<h>"
        + "|".join(re.escape(h) for h in headers)
        + r")(?:\s*:|[ \t]*$)",
        re.IGNORECASE | re.MULTILINE,
    )
    steps = [proc for _, proc in nlp.pipeline]
    return _Pipeline(
        nlp,
        steps,
        rules,
        load_yaml("nlp/therapy.yaml"),
        sections,
        ctx_doc.get("proxy") or {},
        header_re,
        by_header,
        ctx_doc.get("scopes") or {},
        compile_scope(ctx_doc.get("scope")),
        frozenset(sec_doc.get("line_sections", [])),
        re.compile(sec_doc.get("line_continues", "(?!)"), re.IGNORECASE),
    )


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
    context_text: str = ""
    specimen: str | None = None

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
        if self.specimen and self.rule is not None and self.rule.rule.id.startswith(_RECEPTOR_RULES):
            out["specimen"] = self.specimen
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
    # Overlap checks look only at mentions in the same 64-character buckets (linear time).
    found.sort(key=lambda x: (-(x.end - x.start), x.sent[0]))
    kept: list[_Mention] = []
    buckets: dict[int, list[_Mention]] = {}

    def near(a: int, b: int) -> list[_Mention]:
        out: dict[int, _Mention] = {}
        for key in range(a // 64, b // 64 + 1):
            for k in buckets.get(key, ()):
                out[id(k)] = k
        return list(out.values())

    for cand in found:
        assert cand.rule is not None
        clash = any(
            cand.start < k.end
            and k.start < cand.end
            and k.rule is not None
            and cand.rule.fields & k.rule.fields
            for k in near(cand.start, cand.end)
        )
        if not clash:
            kept.append(cand)
            for key in range(cand.start // 64, cand.end // 64 + 1):
                buckets.setdefault(key, []).append(cand)
    voided = {
        id(k)
        for other in kept
        if other.rule is not None and other.rule.rule.suppresses
        for k in near(other.start, other.end)
        if k is not other
        and k.rule is not None
        and k.rule.rule.id in other.rule.rule.suppresses
        and k.start < other.end
        and other.start < k.end
    }
    return sorted((k for k in kept if id(k) not in voided), key=lambda x: x.start)


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


_CHUNK = 800  # characters of whole sentences given to ConText at a time (linear time)
_NEG_END = re.compile(
    r"(?<=[^:=|\-\u2013\u2014\s\n])([ \t]+(?:no|not|nor|without))[ \t]*\n(?=[ \t]*[A-Za-z])"
)


def _unwrap(text: str) -> str:
    """Join lines broken inside a sentence ("drug A\nand drug B") for the sentencizer (same length)."""
    joined = re.sub(
        r"(?<=[A-Za-z0-9,)])[ \t]*\n(?=[ \t]*(?:[a-z]|\((?=[a-z])|\d+(?![.)]\s)[-/,\s]))", " ", text
    )
    # A line that ends on a word no sentence ends with ("the", "of", "+") goes on.
    joined = re.sub(
        r"(\b(?:the|an|of|with|to|for|my|her|his|their|from|by)|[+&/]"
        r"|(?<=[A-Za-z])-(?=[ \t]*\n[ \t]*(?:related|induced|associated|mediated|like|type)\b))"
        r"[ \t]*\n(?=[ \t]*[A-Za-z])",
        lambda m: m.group(1) + " " * (len(m.group(0)) - len(m.group(1))),
        joined,
    )
    # session 8: and a negation word in prose ("Dr B; no\nILD"), not a form answer ("Diabetes: no\n")
    joined = _NEG_END.sub(lambda m: m.group(1) + " " * (len(m.group(0)) - len(m.group(1))), joined)
    # A query mark before a word ("?cord compression") asks about what follows: "¿" (a forward cue).
    joined = re.sub(r"(?<![^\s(,;:])\?(?=[A-Za-z])", "\u00bf", joined)
    # ... and so does one that heads a line or follows a full stop, then a space ("? PIK3CA H1047R")
    joined = re.sub(r"(?m)(^[ \t]*|(?<=[.;:\-\u2013\u2014] ))\?(?=[ \t]{1,3}[A-Za-z])", "\\1\u00bf", joined)
    # An indented line still starts a sentence: move its indent before the line break.
    return re.sub(r"\n([ \t]+)(?=\S)", lambda m: m.group(1) + "\n", joined)


def _list_negations(pipe: _Pipeline, text: str, kind: str = "list_negation") -> list[tuple[int, int]]:
    """Spans negated as a whole list: "no history of diabetes, ILD or heart failure" (session
    10: ``kind`` "list_condition", a condition heading a list: "return if fever, rash or
    bleeding"; a list broken by a new clause - ``interrupt`` - is none)."""
    spec = pipe.scopes.get(kind)
    if not spec:
        return []
    cut = re.compile(spec["interrupt"], re.IGNORECASE) if spec.get("interrupt") else None
    out = []
    term = re.compile(spec["terminator"], re.IGNORECASE)
    last_or = re.compile(spec["last_item"], re.IGNORECASE)
    tail = re.compile(spec["tail_list"], re.IGNORECASE) if spec.get("tail_list") else None
    tail_cue = re.compile(spec.get("tail_cue") or "(?!)", re.IGNORECASE)
    for m in re.finditer(spec["cue"], text, re.IGNORECASE):
        stop = term.search(text, m.end(), m.end() + REACH)  # a list is no longer than REACH
        rest_end = stop.start() if stop else min(len(text), m.end() + REACH)
        rest = text[m.end() : rest_end]
        items = list(last_or.finditer(rest))
        if items and cut is not None and cut.search(rest, 0, items[-1].start()):
            continue
        if items:
            out.append((m.start(), m.end() + items[-1].end()))
        elif (
            tail is not None and tail_cue.fullmatch(m.group(0)) and tail.fullmatch(rest)
        ):  # s8: "denies A, B, C."
            out.append((m.start(), rest_end))
    return out


def _annotate(
    pipe: _Pipeline, text: str, mentions: list[_Mention], proxy: frozenset[str] = frozenset()
) -> list[tuple[int, int]]:
    """Sentences, sections and ConText over the mentions; return sentence spans.

    ConText runs on chunks of sentences (a long one cut by ``bounded``): linear in the length.
    """
    joined = _unwrap(text)
    sentencizer = pipe.nlp.get_pipe("sentencizer")
    context = pipe.nlp.get_pipe("medspacy_context")
    sents = [(s.start_char, s.end_char) for s in _query_mark(sentencizer(pipe.nlp.make_doc(joined))).sents]
    order = sorted(range(len(mentions)), key=lambda i: mentions[i].start)
    chunks: list[tuple[int, int]] = []
    for a, b in bounded(sents, joined, _CHUNK):  # ConText's work is quadratic in a sentence's length
        if chunks and b - chunks[-1][0] <= _CHUNK:
            chunks[-1] = (chunks[-1][0], b)
        else:
            chunks.append((a, b))
    pos = 0
    with warnings.catch_warnings():
        # spaCy warns (W036) that a medspaCy matcher has no token patterns when a rule pack
        # holds only phrase rules; that is expected here.
        warnings.filterwarnings("ignore", message=r".*\[W036\]")
        for c_start, c_end in chunks:
            inside = []
            while pos < len(order) and mentions[order[pos]].start < c_end:
                if mentions[order[pos]].start >= c_start:
                    inside.append(order[pos])
                pos += 1
            if not inside:
                continue
            doc = _query_mark(sentencizer(pipe.nlp.make_doc(joined[c_start:c_end])))
            spans = []
            for i in inside:
                m = mentions[i]
                span = doc.char_span(
                    m.start - c_start, min(m.end, c_end) - c_start, label=str(i), alignment_mode="expand"
                )
                if span is not None and len(span):
                    spans.append(span)
            doc.spans[_GROUP] = spans
            doc = context(doc)
            for span in doc.spans[_GROUP]:
                _read_context(pipe, mentions[int(span.label_)], span, proxy)
    apply_sections(pipe, text, mentions)
    firsts = [mentions[i].start for i in order]  # the mentions a list holds, found by bisection
    for kind, attr in (("list_negation", "negated"), ("list_condition", "hypothetical")):
        for a, b in _list_negations(pipe, joined, kind):
            for i in order[bisect.bisect_left(firsts, a) : bisect.bisect_right(firsts, b)]:
                if mentions[i].end <= b:
                    mentions[i].attrs.add(attr)
    if pipe.scope is not None:  # structures: forms, questions, lists, one status per drug
        drugs = [m for m in mentions if m.rule is None]
        mark_forms(pipe.scope, text, mentions)
        mark_sentences(pipe.scope, joined, sents, mentions, proxy)
        mark_requests(pipe.scope, joined, drugs)
        asked = mark_questions(pipe.scope, joined, sents, drugs)
        spread_lists(pipe.scope, joined, sents, drugs)
        spread_drug_status(pipe.scope, text, sents, drugs, drug_index().kind, asked)
    starts = [a for a, _ in sents]
    for m in mentions:
        k = bisect.bisect_right(starts, m.start) - 1
        m.sent = sents[k] if k >= 0 else (0, len(text))
        # Its line and any parenthesis around it (the specimen a result is from), within REACH.
        m.context_text = mention_context(text, m.start, m.end, m.sent)
    return sents


def _read_context(pipe: _Pipeline, m: _Mention, span: Any, proxy: frozenset[str]) -> None:
    for attr in ("negated", "hypothetical", "family", "historical", "uncertain"):
        if getattr(span._, f"is_{attr}", False):
            m.attrs.add(attr)
    categories = {mod.category for mod in span._.modifiers}
    if "PLANNED" in categories:
        m.attrs.add("planned")
        if m.rule is not None and "hypothetical" not in m.attrs and _differential(pipe, m, span):
            m.attrs.add("uncertain")  # s10: "drug pneumonitis vs infection" is a differential
    if "AWAITED" in categories:  # session 8: "germline BRCA1/2 ... sent 20/10 - result pending"
        m.attrs.add("hypothetical")
    if "ENDED" in categories:  # a medication stopped, given once or in hospital only: not current
        m.attrs.add("ended")
    if proxy and "family" in m.attrs:
        family = [mod for mod in span._.modifiers if mod.category == "FAMILY"]
        if family and all(mod.rule.literal.lower() in proxy for mod in family):
            m.attrs.discard("family")  # the relative writing about is the patient


def _differential(pipe: _Pipeline, m: _Mention, span: Any) -> bool:
    """A diagnosis weighed against another ("pneumonitis vs infection"): uncertain, not a fact.

    The choice cues (``scopes.differential.cues``) make a drug planned; a finding of a field in
    ``scopes.differential.fields`` they sit beside is only one of the possibilities.
    """
    spec = pipe.scopes.get("differential") or {}
    cues = {str(c).lower() for c in spec.get("cues") or ()}
    fields = tuple(spec.get("fields") or ())
    if not any(f.startswith(fields) for f in m.rule.fields):
        return False
    doc = span.doc
    for mod in span._.modifiers:
        if mod.category != "PLANNED" or mod.rule.literal.lower() not in cues:
            continue
        a, b = mod.modifier_span
        between = doc[span.end : a] if span.end <= a else doc[b : span.start]
        if not _ASIDE.search(between.text):  # "tingling - HFS vs low calcium": the cause is weighed
            return True
    return False


_ASIDE = re.compile(r"[-\u2013\u2014:;()]")
