"""Field-value steps of the note reader added in session 6 (run after the mentions are applied).

Each step reads only what the builder already holds (values and their sources), so it is linear
in the number of facts, not in the note's length.
"""

from __future__ import annotations

import datetime as dt
import functools
import itertools
import re
from typing import TYPE_CHECKING, Any, NamedTuple

from mbc.ingest._data import kb_root, load_yaml
from mbc.ingest._note_order import _MONTHS

if TYPE_CHECKING:
    from collections.abc import Mapping
    from pathlib import Path

    from mbc.ingest._data import DrugIndex
    from mbc.ingest._extraction import RecordBuilder
    from mbc.ingest._note_dates import _Clause
    from mbc.ingest._note_pipeline import _Mention

_RESULTS = (
    "tumor.er_percent",
    "tumor.er_status",
    "tumor.pr_percent",
    "tumor.pr_status",
    "tumor.her2_ihc",
    "tumor.her2_ish",
    "tumor.her2_status",
)


def _line_of(text: str, span: object) -> str:
    """The line a span sits on (and the parenthesis it opens in, if any)."""
    if not isinstance(span, list | tuple) or len(span) != 2:
        return ""
    a, z = int(span[0]), int(span[1])
    line_a = text.rfind("\n", 0, a) + 1
    line_b = text.find("\n", z)
    return text[line_a : len(text) if line_b == -1 else line_b]


def receptor_source_from_specimen(b: RecordBuilder, text: str) -> None:
    """The specimen the current receptor results were read from, when no rule named it.

    Each receptor result carries the specimen read on its line (``specimen`` in
    knowledge/nlp/lexicon.yaml). When every current result whose line names a specimen names a
    metastasis ("Liver core 02/2025: ER 60%, HER2 3+"), the receptors come from a metastasis;
    when every one names the primary and none a metastasis, from the primary.
    """
    from mbc.ingest._note_specimen import wrapped_from

    if b.get("tumor.receptor_source") is not None:
        return
    lex = load_yaml("nlp/lexicon.yaml")
    named = lex.get("specimen_named") or {}
    if not named:
        return
    seen: dict[str, dict[str, object]] = {}
    for path in _RESULTS:
        src = b.source_of(path)
        if src is None or b.get(path) is None or src.get("source") != "note":
            continue
        line = _line_of(text, src.get("span"))
        kinds = [k for k in ("metastasis", "primary") if re.search(named[k], line, re.IGNORECASE)]
        not_sampled = str(lex.get("specimen_not_sampled") or "(?!)")
        if "metastasis" in kinds and (
            re.search(not_sampled, line, re.IGNORECASE) or src.get("specimen") == "primary"
        ):
            kinds.remove("metastasis")  # session 8: nor when the result itself is the primary's
        if not kinds and src.get("specimen") and src.get("span"):  # session 10: named in the
            a = int(src["span"][0])  # sentence wrapped from the line before ("Lung core:\nER 70%")
            line_a = text.rfind("\n", 0, a) + 1
            before = text[wrapped_from(text, line_a) : line_a]
            kinds = [k for k in ("metastasis", "primary") if re.search(named[k], before, re.IGNORECASE)]
        if len(kinds) == 1:
            seen.setdefault(kinds[0], dict(src))
    if len(seen) != 1:
        return
    ((spec, src),) = seen.items()
    b.set(
        "tumor.receptor_source",
        spec,
        {**src, "rule": "nlp.receptor_source.result_line"},  # type: ignore[typeddict-item]
        rank=(-2, 0),
    )


def split_endocrine_from_chemo(
    text: str, clauses: list[_Clause], drugs: list[_Mention], index: DrugIndex, cfg: Mapping[str, Any]
) -> list[_Clause]:
    """Cut a clause where a list goes from chemotherapy to endocrine therapy (or back) at a
    comma: "adjuvant <chemo> then <taxane>, RT, <endocrine drug> 2020" gives the taxane and the
    endocrine drug as two courses (drugs joined by "+", "and", "/", "with" stay one regimen:
    ``regimen_joiners`` in knowledge/nlp/therapy.yaml)."""
    from mbc.ingest._note_dates import _Clause

    joiners = cfg.get("regimen_joiners")
    if not joiners:
        return clauses
    joined = re.compile(str(joiners), re.IGNORECASE)
    ordered = sorted(drugs, key=lambda d: d.start)

    def endocrine(d: _Mention) -> bool:
        return bool(d.inns) and all(index.group.get(i) == "endocrine" for i in d.inns)

    out: list[_Clause] = []
    pos = 0
    for cl in clauses:
        inside = []
        while pos < len(ordered) and ordered[pos].start < cl.end:
            if ordered[pos].start >= cl.start:
                inside.append(ordered[pos])
            pos += 1
        start, sep = cl.start, cl.sep
        for a, z in itertools.pairwise(inside):
            between = text[a.end : z.start]
            comma = between.find(",")
            if endocrine(a) == endocrine(z) or comma < 0 or joined.search(between):
                continue
            cut = a.end + comma
            out.append(_Clause(start, cut, sep, cl.sent))
            start, sep = cut + 1, ", then"  # a course after another: settings carry as after "then"
        out.append(_Clause(start, cl.end, sep, cl.sent))
    return [c for c in out if c.end > c.start]


# ---------------------------------------------------------------- session 7: forms, receptors


class _FormFields(NamedTuple):
    leader: re.Pattern[str] | None
    dropdown: re.Pattern[str] | None
    keep: re.Pattern[str]
    tag_after: re.Pattern[str]
    site_header: re.Pattern[str] | None
    ticked: re.Pattern[str] | None
    distant_nodes: re.Pattern[str]


@functools.cache
def _form_fields(root: Path) -> _FormFields:
    """``form_fields`` of knowledge/nlp/lexicon.yaml, compiled once per knowledge root."""
    del root  # the cache key: load_yaml reads the current knowledge root
    cfg = load_yaml("nlp/lexicon.yaml").get("form_fields") or {}

    def opt(key: str, flags: int = 0) -> re.Pattern[str] | None:
        return re.compile(str(cfg[key]), flags) if cfg.get(key) else None

    i = re.IGNORECASE
    return _FormFields(
        opt("leader"),
        opt("dropdown"),
        re.compile(str(cfg.get("keep") or "(?!)"), i),
        re.compile(str(cfg.get("tag_after") or "(?!)")),
        opt("site_header", i),
        opt("ticked"),
        re.compile(str(cfg.get("distant_nodes") or "(?!)"), i),
    )


def flatten_dropdowns(text: str) -> str:
    """EHR smart-text chrome blanked, the length kept (every span still points at the note).

    A drop-down or filled box ("ER [Positive v] [95] %", "HER2 IHC [2+ v]", "ER [40 %]") is
    read as its text: the content moves one place left over its "[" and the rest ("]", the
    "v" arrow) becomes spaces. A tick box ("[x]", "[ ]") is kept for the form readers.
    Pattern: ``form_fields.dropdown`` in knowledge/nlp/lexicon.yaml.
    """
    form = _form_fields(kb_root())
    if form.leader:  # "Estrogen receptor ........ POSITIVE": the dot leader is spacing
        text = form.leader.sub(lambda m: " " * len(m.group(0)), text)
    if form.dropdown is None or "[" not in text:
        return text
    keep, tag_after = form.keep, form.tag_after

    def blank(m: re.Match[str]) -> str:
        value = m.group("v").strip()
        if len(value) < 2 or not any(c.isalnum() for c in value) or keep.match(value):
            return m.group(0)
        if tag_after.search(text, max(0, m.start() - 12), m.start()):
            return m.group(0)
        return value.ljust(len(m.group(0)))

    return form.dropdown.sub(blank, text)


def ticked_sites(b: RecordBuilder, text: str, site_words: tuple[re.Pattern[str], dict[str, str]]) -> None:
    """Sites ticked on a form line that lists them ("Metastatic sites: [x] Bone [ ] Liver
    [x] Distant LN"): each ticked item naming a site is a metastatic site; unticked items say
    nothing (``form_fields`` in knowledge/nlp/lexicon.yaml)."""
    form = _form_fields(kb_root())
    head, tick, distant = form.site_header, form.ticked, form.distant_nodes
    if head is None or tick is None or "[" not in text:
        return
    regex, table = site_words
    pos = 0
    for line in text.splitlines(keepends=True):
        start, pos = pos, pos + len(line)
        h = head.search(line)
        if h is None or "[" not in line:
            continue
        for m in tick.finditer(line, h.end()):
            item = m.group("item")
            found = [table.get(w.group(0).lower()) for w in regex.finditer(item)]
            site = "distant_lymph_nodes" if distant.match(item) else next((s for s in found if s), None)
            if site is not None:
                a = start + m.start("item")
                src = {"source": "note", "rule": "nlp.sites.ticked", "span": [a, a + len(item)], "text": item}
                b.add("metastases.sites", site, src)  # type: ignore[arg-type]


def prefer_measured_receptors(b: RecordBuilder) -> None:
    """A bare status word whose specimen is not stated ("HR+/HER2-0 MBC") does not make an
    agreeing measured result of a named specimen ("breast core ER 95% ... HER2 0") historical:
    the status word is a summary of that result, so the measured value is kept and the word
    dropped (a status that disagrees still goes through the specimen ranking)."""
    pairs = (("tumor.er_status", ("tumor.er_percent",)), ("tumor.pr_status", ("tumor.pr_percent",)),
             ("tumor.her2_status", ("tumor.her2_ihc", "tumor.her2_ish")))  # fmt: skip
    for status, measured in pairs:
        word, src = b.get(status), b.source_of(status)
        if word is None or src is None or src.get("specimen"):
            continue
        if status == "tumor.her2_status":  # session 8: "HER2-low" is recorded negative; it says 1+
            said = str(src.get("text", "")).lower()
            word = "ultralow" if "ultra" in said else ("low" if "low" in said else word)
        for f in measured:
            value, msrc = b.get(f), b.source_of(f)
            if value is None or msrc is None or not msrc.get("specimen"):
                continue
            if _agrees(status, str(word), value):
                b.drop(status, f"summary of the measured {f}")
                break


def _agrees(status: str, word: str, value: Any) -> bool:
    """Whether a status word says what a measured value says."""
    if status == "tumor.her2_status":
        positive = value in ("3+", "amplified")
        if value == "2+":
            return False  # equivocal: the ISH decides
        if word in ("low", "ultralow"):  # session 8: "HER2-low" says 1+ (or 2+ ISH-negative), not 0
            return value == ("1+" if word == "low" else "ultralow")
        return (word == "positive") == positive
    if not isinstance(value, int | float):
        return False
    if word == "positive":
        return value >= 1
    if word == "low":
        return 1 <= value <= 10
    return word == "negative" and value < 1


# ---------------------------------------------------------------- session 8: receptor panels


def _marker(path: str) -> str:
    return path.split(".", 1)[1].split("_", 1)[0]  # "tumor.her2_ihc" -> "her2"


def primary_panel_superseded(b: RecordBuilder) -> None:
    """A metastasis re-tested for two or more markers replaces the primary's whole panel.

    Each marker already prefers the metastasis's value over the primary's
    (``drop_historical``); a marker the metastasis report leaves out ("Bone biopsy: ER
    positive, HER2 0" after "2019 L breast IDC: ER 95% PR 80%") would otherwise keep the
    primary's old value as if it were current. It is dropped (kept in ``unread`` as the
    older result): unknown, which the plan asks for, rather than an outdated fact.
    """
    current = {p: b.source_of(p) for p in _RESULTS if b.get(p) is not None}
    from_metastasis = {
        _marker(p) for p, src in current.items() if src and src.get("specimen") == "metastasis"
    }
    if len(from_metastasis) < 2:
        return
    met_ends = [
        int(src["span"][1])
        for src in current.values()
        if src and src.get("specimen") == "metastasis" and src.get("span")
    ]
    for path, src in current.items():
        if not src or src.get("specimen") != "primary" or _marker(path) in from_metastasis:
            continue
        start = int(src["span"][0]) if src.get("span") else -1
        if any(0 <= start - end <= _SAME_PANEL for end in met_ends):
            continue  # written right after the metastasis's results: part of that panel
        b.drop(path, "the primary's result; the receptors were re-tested on a metastasis")


_SAME_PANEL = 40  # characters between a metastasis result and the next result of its panel


@functools.cache
def _other_results(root: Path) -> re.Pattern[str]:
    del root  # the cache key: load_yaml reads the current knowledge root
    return re.compile(str(load_yaml("nlp/lexicon.yaml").get("other_results_aside") or "(?!)"))


def without_other_results(context: str) -> str:
    """A result's context without an aside that holds other receptor results ("liver bx: ER 5%,
    HER2 1+ (primary 2019 was ER 80%, HER2 0)"): the aside's specimen is its own
    (``other_results_aside`` in knowledge/nlp/lexicon.yaml)."""
    return _other_results(kb_root()).sub(" ", context)


# ---------------------------------------------------------------- session 8: dated symptoms

_DATE_WORDS = re.compile(
    r"\b(?:(?P<mon>jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?\s+|(?P<num>\d{1,2})[/.-])?(?P<y>(?:19|20)\d{2})\b",
    re.IGNORECASE,
)


_DATE_AFTER = re.compile(
    r"\s*(?:in|on|during|from|\(|-)?\s*(?:[A-Za-z]{3,9}\.?\s+)?(?:\d{1,2}/)?(?:19|20)\d{2}\b"
)


def _latest_day(clause: str) -> dt.date | None:
    """The latest date written in a clause, each at its latest possible day ("2022" = 31 Dec)."""
    days = []
    for m in _DATE_WORDS.finditer(clause):
        year = int(m.group("y"))
        month = _MONTHS[m.group("mon").lower()[:3]] if m.group("mon") else None
        if month is None and m.group("num") and 1 <= int(m.group("num")) <= 12:
            month = int(m.group("num"))
        end = (
            dt.date(year, month % 12 + 1, 1) - dt.timedelta(days=1)
            if month and month < 12
            else dt.date(year, 12, 31)
        )
        days.append(end)
    return max(days) if days else None


def dated_symptoms(b: RecordBuilder, text: str, ref: dt.date) -> None:
    """A symptom told with a date long past in its sentence ("April 2022: cough.", "(November
    2022) she developed rib pain", "a dose delay in 2025 for nausea") is history, not a current
    symptom, unless the sentence says it goes on ("since 2022", "still") or the note names it
    again elsewhere. ``symptom_dated`` in knowledge/nlp/lexicon.yaml (days, current words)."""
    cfg = load_yaml("nlp/lexicon.yaml").get("symptom_dated") or {}
    if not cfg:
        return
    current = re.compile(str(cfg["current"]), re.IGNORECASE)
    limit = ref - dt.timedelta(days=int(cfg["older_than_days"]))
    old = set()
    for value, src in b.list_items("symptoms"):
        span, said = src.get("span"), str(src.get("text", ""))
        if not isinstance(span, list | tuple) or not said:
            continue
        a, z = int(span[0]), int(span[1])
        start = max(text.rfind(c, 0, a) for c in (".\n", ". ", ";", "\n")) + 1
        stop = min((i for i in (text.find(c, z) for c in (". ", ";", "\n")) if i != -1), default=len(text))
        sentence = text[start:stop]
        after = _DATE_AFTER.match(text, z, stop)  # "nausea in 2023", "cough (April 2022)"
        latest = _latest_day(text[start : after.end() if after else z])
        if latest is None or latest >= limit or current.search(sentence):
            continue
        if re.search(re.escape(said), text[stop:], re.IGNORECASE):
            continue  # named again later: judged there
        old.add(value)
    if old:
        b.discard("symptoms", old)
