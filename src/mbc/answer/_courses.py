"""Metastatic courses a question names as given but the note reader did not record, and the
durations that date undated courses (``knowledge/answer/facts.yaml``, ``courses``).

"Hx: <regimen> 1L (PFS ~2 yrs) -> <drug> 2L (14 mo)", "she make 19 month <AI> with <CDK4/6
inhibitor>, now is progression", "1L was <AI> + <CDK4/6 inhibitor> -> PD at 5 months": the
drugs are marked as given by the question reader (:mod:`mbc.answer._understand`); here they
become courses of the record, and a duration given with a course dates it back from the
answer date, so that the engine can judge endocrine resistance. Each step is stated in the
answer's assumptions."""

from __future__ import annotations

import copy
import datetime as dt
import re
from typing import Any

from mbc.answer._schema import AnswerKB
from mbc.ingest import chain_back
from mbc.knowledge.loader import KnowledgeBase

__all__ = ["add_courses", "count_lines", "date_courses", "progressed_now", "settle_early", "split_courses"]

_FLAGS = re.IGNORECASE
_SENTENCE = re.compile(r"[.;?!](?=\s|$)|\n")


def _sentence_start(text: str, at: int) -> int:
    return max((m.end() for m in _SENTENCE.finditer(text, 0, at)), default=0)


def _sentence_end(text: str, at: int) -> int:
    m = _SENTENCE.search(text, at)
    return m.start() if m else len(text)


def _groups(text: str, mentions: list[Any], join: str) -> list[list[Any]]:
    """Drug mentions joined into courses: one regimen name, or drugs joined by "+", "with"..."""
    out: list[list[Any]] = []
    for m in sorted(mentions, key=lambda x: x.start):
        last = out[-1][-1] if out else None
        if last is not None and (
            m.start == last.start
            or (
                re.fullmatch(join, text[last.end : m.start], _FLAGS) is not None
                and (m.line is None or last.line is None or m.line[2] == last.line[2])
            )
        ):
            out[-1].append(m)
        else:
            out.append([m])
    return out


def add_courses(
    text: str, record: dict[str, Any], found: list[Any], kb: KnowledgeBase, akb: AnswerKB
) -> tuple[dict[str, Any], list[str]]:
    """The record with the metastatic courses the question names as given, when the reader
    recorded none; what was read, in words."""
    spec = akb.facts.courses
    therapies = list(record.get("prior_therapies") or [])
    if spec is None or any(t.get("setting") == "metastatic" for t in therapies):
        return record, []
    known = {kb.lookup_drug(n) or n for t in therapies for n in t.get("drugs") or []}
    given = [
        m for m in found
        if m.kind == "drug" and m.prior and not m.negated and kb.drugs[m.id].cancer_drug
    ]  # fmt: skip
    courses: list[tuple[int, int, list[Any]]] = []
    seen: set[str] = set()
    for g in _groups(text, given, spec.join):
        ids = list(dict.fromkeys(m.id for m in g))
        if known & set(ids) or set(ids) <= seen:
            continue  # the reader has this course, or the question names it again
        start = _sentence_start(text, g[0].start)
        if re.search(spec.early, text[start : g[0].start], _FLAGS):
            continue  # (neo)adjuvant: the reader's part
        line = next((m.line[2] for m in g if m.line is not None), None)
        stop = _sentence_end(text, g[-1].end)
        said_so = line is not None or re.search(spec.progression, text[start:stop], _FLAGS) is not None
        if not said_so:
            continue
        seen |= set(ids)
        courses.append((line if line is not None else 99, len(courses), g))
    if not courses:
        return record, []
    courses.sort(key=lambda c: (c[0], c[1]))
    progressed = re.search(spec.progression, text, _FLAGS) is not None
    out = copy.deepcopy(record)
    added: list[dict[str, Any]] = []
    said: list[str] = []
    for k, (line, _, g) in enumerate(courses):
        names = [kb.drugs[i].name for i in dict.fromkeys(m.id for m in g)]
        course: dict[str, Any] = {"drugs": names, "setting": "metastatic"}
        if k < len(courses) - 1 or progressed:
            course["stop_reason"] = "progression"
        added.append(course)
        how = (f"line {line}" if line != 99 else "metastatic") + (
            ", ended at progression" if course.get("stop_reason") else ""
        )
        said.append(spec.said.replace("{drugs}", " + ".join(names)).replace("{how}", how))
    out["prior_therapies"] = [*therapies, *added]
    return out, said


def _bounds(text: str, g: list[Any], drugs: list[Any]) -> tuple[int, int]:
    """The stretch of text that belongs to a course: its sentence, cut at the drugs of others."""
    ids = {m.id for m in g}
    nxt = min((m.start for m in drugs if m.start >= g[-1].end and m.id not in ids), default=len(text))
    prev = max((m.end for m in drugs if m.end <= g[0].start and m.id not in ids), default=0)
    return max(prev, _sentence_start(text, g[0].start)), min(nxt, _sentence_end(text, g[-1].end))


def split_courses(
    text: str, record: dict[str, Any], found: list[Any], kb: KnowledgeBase, akb: AnswerKB
) -> tuple[dict[str, Any], list[str]]:
    """An undated course of the reader that holds the drugs of two or more courses the question
    lists one after another, each with its own duration or line ("Prior lines: X+Y (28 months),
    Z (7 months)"): one metastatic course per listed course, in the order written; every course
    but the last ended at progression."""
    spec = akb.facts.courses
    therapies = record.get("prior_therapies") or []
    if spec is None or not therapies:
        return record, []
    drugs = [m for m in found if m.kind == "drug" and not m.negated]
    given = [m for m in drugs if m.prior and kb.drugs[m.id].cancer_drug]
    groups = _groups(text, given, spec.join)
    out: list[dict[str, Any]] = []
    said: list[str] = []
    listed: list[int] = []  # places in ``out`` of the courses the question lists one after another
    for t in therapies:
        ids = {kb.lookup_drug(n) or n for n in t.get("drugs") or []}
        mine = [g for g in groups if {m.id for m in g} <= ids]
        marked = [
            g for g in mine
            if any(m.line is not None for m in g)
            or _duration(text, [(m.start, m.end) for m in g], _bounds(text, g, drugs), akb) is not None
        ]  # fmt: skip
        covered = {m.id for g in mine for m in g}
        if t.get("start") or t.get("end") or not marked or len(marked) != len(mine) or covered != ids:
            out.append(t)
            continue
        if len(marked) < 2:  # the reader kept this listed course apart already
            listed.append(len(out))
            out.append(t)
            continue
        parts = []
        for k, g in enumerate(mine):
            part: dict[str, Any] = {
                "drugs": [kb.drugs[i].name for i in dict.fromkeys(m.id for m in g)],
                "setting": "metastatic",
            }
            if k == len(mine) - 1:  # the earlier parts end at progression with every listed course below
                if t.get("stop_reason"):
                    part["stop_reason"] = t["stop_reason"]
                elif not re.search(spec.ongoing, text, _FLAGS):  # a listed line given before: it ended
                    part["stop_reason"] = "progression"
            parts.append(part)
        listed.extend(range(len(out), len(out) + len(parts)))
        out.extend(parts)
        said.append(
            "lines of therapy as listed in the question: " + "; ".join(" + ".join(p["drugs"]) for p in parts)
        )
    # a course listed before another one of the list ended at progression, however the reader grouped them
    for i in listed[:-1]:
        if not out[i].get("stop_reason"):
            out[i] = {**out[i], "stop_reason": "progression"}
            if not said:
                said.append(
                    "lines of therapy as listed in the question: "
                    + "; ".join(" + ".join(out[j].get("drugs") or []) for j in listed)
                )
    if not said:
        return record, []
    return {**record, "prior_therapies": out}, said


def _month_start(day: dt.date, shift: int) -> dt.date:
    """The first day of the month ``shift`` months after (negative: before) ``day``'s month."""
    y, m = divmod(day.year * 12 + day.month - 1 + shift, 12)
    return dt.date(y, m + 1, 1)


def _duration(
    text: str, spans: list[tuple[int, int]], bounds: tuple[int, int], akb: AnswerKB
) -> float | None:
    """A duration written right after the drugs of a course or right before them."""
    spec = akb.facts.courses
    assert spec is not None
    first, last = spans[0][0], spans[-1][1]
    lo, hi = bounds
    after = text[last:hi]
    before = text[max(lo, first - 60) : first]
    for p, where in [
        *((p, after) for p in spec.duration_after),
        *((p, before) for p in spec.duration_before),
    ]:
        m = re.search(p, where, _FLAGS)
        if m is None:
            continue
        per = spec.months.get(m.group("u")[:1].lower())
        if per is not None:
            return float(m.group("v")) * per
    return None


def settle_early(
    text: str, record: dict[str, Any], found: list[Any], kb: KnowledgeBase, akb: AnswerKB
) -> tuple[dict[str, Any], list[str]]:
    """A course the reader gave no setting, named in a sentence about the early disease
    ("operated 2019, she took <drug> 5 years and stop in 2024"), is (neo)adjuvant; a
    duration given with an ended course dates its start when the reader's start is later."""
    spec = akb.facts.courses
    therapies = record.get("prior_therapies") or []
    if spec is None or not therapies:
        return record, []
    drugs = [m for m in found if m.kind == "drug" and not m.negated]
    out = copy.deepcopy(record)
    said: list[str] = []
    for t in out["prior_therapies"]:
        if t.get("setting") not in (None, "adjuvant"):
            continue
        ids = {kb.lookup_drug(n) or n for n in t.get("drugs") or []}
        own = sorted((m for m in drugs if m.id in ids), key=lambda m: m.start)
        if not own:
            continue
        g = next((g for g in _groups(text, own, spec.join)), own[:1])
        lo, hi = _bounds(text, g, drugs)
        sentence = text[_sentence_start(text, g[0].start) : _sentence_end(text, g[-1].end)]
        if (
            t.get("setting") is None
            and re.search(spec.early, sentence, _FLAGS)
            and not re.search(spec.progression, sentence, _FLAGS)
        ):
            t["setting"] = "adjuvant"
            names = " + ".join(t.get("drugs") or [])
            said.append(f"{names} read as adjuvant (named with the surgery of the early cancer)")
        elif t.get("setting") is None and _metastatic_only(text, spec):
            t["setting"] = "metastatic"  # the question speaks of the metastatic disease alone
            names = " + ".join(t.get("drugs") or [])
            said.append(f"{names} read as given for the metastatic disease (no early cancer is named)")
        months = _duration(text, [(m.start, m.end) for m in g], (lo, hi), akb)
        if months is None or not t.get("end"):
            continue
        ended = dt.date.fromisoformat(t["end"])
        start = chain_back([(round(months), 0)], [ended], ended, month_start=True)[0][0]  # type: ignore[index]
        if not t.get("start") or dt.date.fromisoformat(t["start"]) > _month_start(start, 2):
            t["start"] = start.isoformat()
            names = " + ".join(t.get("drugs") or [])
            said.append(f"{names}: {months:g} months, from {start.isoformat()[:7]} (as the question says)")
    return (out, said) if said else (record, [])


def _metastatic_only(text: str, spec: Any) -> bool:
    """The question names metastatic disease and no early cancer, surgery or adjuvant course."""
    return bool(re.search(spec.metastatic, text, _FLAGS)) and not re.search(spec.early, text, _FLAGS)


def date_courses(
    text: str, record: dict[str, Any], found: list[Any], kb: KnowledgeBase, akb: AnswerKB, as_of: dt.date
) -> tuple[dict[str, Any], list[str]]:
    """Undated metastatic courses dated by the durations the question gives, from the last
    course back: it ends at the answer date (when it ended at progression), each earlier
    course when the next began; the walk stops at the first course without a duration."""
    spec = akb.facts.courses
    therapies = record.get("prior_therapies") or []
    if spec is None:
        return record, []
    met = [i for i, t in enumerate(therapies) if t.get("setting") == "metastatic"]
    if not met:
        return record, []
    out = copy.deepcopy(record)
    said: list[str] = []
    cursor = as_of
    drugs = [m for m in found if m.kind == "drug" and not m.negated]
    for i in reversed(met):
        t = out["prior_therapies"][i]
        if t.get("start"):
            break
        ids = {kb.lookup_drug(n) or n for n in t.get("drugs") or []}
        own = sorted((m for m in drugs if m.id in ids), key=lambda m: m.start)
        if not own:
            break
        # the mentions of this course: the first cluster of its drugs (joined as one course)
        cluster = next((g for g in _groups(text, own, spec.join) if ids & {m.id for m in g}), own[:1])
        spans = [(m.start, m.end) for m in cluster]
        nxt = min((m.start for m in drugs if m.start >= spans[-1][1] and m.id not in ids), default=len(text))
        prev = max((m.end for m in drugs if m.end <= spans[0][0] and m.id not in ids), default=0)
        bounds = (max(prev, _sentence_start(text, spans[0][0])), min(nxt, _sentence_end(text, spans[-1][1])))
        months = _duration(text, spans, bounds, akb)
        if months is None:
            break
        if not t.get("end") and t.get("stop_reason") != "progression" and i != met[-1]:
            break
        # the shared timeline arithmetic of the note reader: ends when the next course began
        dated = chain_back(
            [(round(months), 0)],
            [dt.date.fromisoformat(t["end"]) if t.get("end") else None],
            cursor,
            month_start=True,
        )[0]
        assert dated is not None
        start, end = dated
        if not t.get("end") and t.get("stop_reason") == "progression":
            t["end"] = end.isoformat()
        t["start"] = start.isoformat()
        said.append(
            spec.said_duration.replace("{drugs}", " + ".join(t.get("drugs") or []))
            .replace("{months}", f"{months:g}")
            .replace("{end}", end.isoformat()[:7] if t.get("end") else "ongoing")
        )
        cursor = start
    return (out, list(reversed(said))) if said else (record, [])


def count_lines(
    text: str, record: dict[str, Any], kb: KnowledgeBase, akb: AnswerKB, variant: int = -1
) -> tuple[dict[str, Any], list[str]]:
    """ "After 2 lines of endocrine therapy" when the record has no metastatic course, "had
    neoadjuvant chemo" when it has no early course (session 7, ``setting``): that many courses
    of stand-in drugs (``knowledge/answer/facts.yaml``, ``line_counts``), stated. ``variant``
    >= 0 reads the variant sequences of that index instead (an entry without one keeps its
    stand-ins; none left: the record as is)."""
    therapies = list(record.get("prior_therapies") or [])
    hits = []
    for lc in akb.facts.line_counts:
        early = lc.setting != "metastatic"
        if early and any(t.get("setting") != "metastatic" for t in therapies):
            continue
        m = re.search(lc.pattern, text, _FLAGS)
        if m is None:
            continue
        g = m.group("n") or "1"  # an entry without a number: one course
        n = akb.facts.ordinals.get(g.lower()) or (int(g) if g.isdigit() else 0)
        # a stated count of metastatic lines counts beside the recorded courses (session 7 review:
        # "after 2 lines of endocrine therapy and one chemotherapy"): only the lines of the class
        # not recorded are stood in
        hits.append((lc, n - (0 if early else _recorded_of_class(lc, therapies, kb))))
    if variant >= 0 and all(variant >= len(lc.variants) for lc, _ in hits):
        return record, []
    added: list[dict[str, Any]] = []
    said: list[str] = []
    for lc, n in hits:
        seq = lc.stand_ins if variant < 0 or variant >= len(lc.variants) else lc.variants[variant]
        if not 1 <= n <= len(seq):
            continue
        mine = [
            {
                "drugs": [kb.drugs[d].name for d in seq[k]],
                "setting": lc.setting,
                "stop_reason": "progression" if lc.setting == "metastatic" else "completed",
            }
            for k in range(n)
        ]
        added += mine
        said.append(
            lc.said.replace("{n}", str(n)).replace("{drugs}", "; ".join(" + ".join(c["drugs"]) for c in mine))
        )
    if not added:
        return record, []
    # the stand-ins are the earlier lines: placed before the recorded courses
    return {**record, "prior_therapies": [*added, *therapies]}, said


def _recorded_of_class(lc: Any, therapies: list[dict[str, Any]], kb: KnowledgeBase) -> int:
    """How many recorded metastatic courses belong to the class the line count names (the
    classes every one of its stand-in courses shares, e.g. endocrine, chemotherapy)."""
    courses = [*lc.stand_ins, *(c for v in lc.variants for c in v)]
    shared = frozenset.intersection(
        *(frozenset().union(*(kb.drug_classes_of(d) for d in c)) for c in courses)
    )
    return sum(
        1
        for t in therapies
        if t.get("setting") == "metastatic"
        and any(kb.drug_classes_of(str(d).lower().replace(" ", "_")) & shared for d in t.get("drugs") or [])
    )


def progressed_now(
    text: str, record: dict[str, Any], kb: KnowledgeBase, akb: AnswerKB
) -> tuple[dict[str, Any], list[str]]:
    """The metastatic courses of cancer drugs recorded as still given (or with no stop reason and
    no end) ended at progression when the question says the disease progresses now (session 7:
    "anti-HER2 + aromatase inhibitor maintenance ... Now extracranial progression"; "1L X, 2L Y -> progression
    again": a course listed before another one was not still given). Stated."""
    spec = akb.facts.courses
    if spec is None or not re.search(spec.now_progression, text, _FLAGS):
        return record, []
    if re.search(spec.now_unless, text, _FLAGS):
        return record, []
    out = copy.deepcopy(record)
    said: list[str] = []
    courses = [t for t in out.get("prior_therapies") or [] if t.get("setting") == "metastatic"]
    latest = max(courses, key=lambda t: t.get("start") or "", default=None)
    for t in courses:
        if t.get("stop_reason") not in (None, "ongoing"):
            continue
        if t.get("end") and not (t.get("stop_reason") is None and t is latest):
            continue  # an ended course: only the latest, with no stop reason, ended at this progression
        ids = [kb.lookup_drug(n) for n in t.get("drugs") or []]
        if not any(i is not None and kb.drugs[i].cancer_drug for i in ids):
            continue
        t["stop_reason"] = "progression"
        said.append(spec.said_now.replace("{drugs}", " + ".join(t.get("drugs") or [])))
    return (out, said) if said else (record, [])
