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
from mbc.knowledge.loader import KnowledgeBase

__all__ = ["add_courses", "date_courses"]

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


def _months_back(day: dt.date, months: float) -> dt.date:
    n = round(months)
    y, m = divmod(day.year * 12 + day.month - 1 - n, 12)
    return dt.date(y, m + 1, 1)


def _duration(text: str, spans: list[tuple[int, int]], bounds: tuple[int, int], akb: AnswerKB) -> float | None:
    """A duration written right after the drugs of a course or right before them."""
    spec = akb.facts.courses
    assert spec is not None
    first, last = spans[0][0], spans[-1][1]
    lo, hi = bounds
    after = text[last:hi]
    before = text[max(lo, first - 60) : first]
    for p, where in [*((p, after) for p in spec.duration_after), *((p, before) for p in spec.duration_before)]:
        m = re.search(p, where, _FLAGS)
        if m is None:
            continue
        per = spec.months.get(m.group("u")[:1].lower())
        if per is not None:
            return float(m.group("v")) * per
    return None


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
        end = dt.date.fromisoformat(t["end"]) if t.get("end") else cursor
        if not t.get("end"):
            if t.get("stop_reason") != "progression" and i != met[-1]:
                break
            if t.get("stop_reason") == "progression":
                t["end"] = end.isoformat()
        start = _months_back(end, months)
        t["start"] = start.isoformat()
        said.append(
            spec.said_duration.replace("{drugs}", " + ".join(t.get("drugs") or []))
            .replace("{months}", f"{months:g}")
            .replace("{end}", end.isoformat()[:7] if t.get("end") else "ongoing")
        )
        cursor = start
    return (out, list(reversed(said))) if said else (record, [])
