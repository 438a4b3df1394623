"""Session 9: a metastatic course that a later line followed has ended.

"Tried <A> (1L), <B> (2L), <C> (3L), then <D> (4L, PD)": the reader or the line split may leave a
middle course with no end and no stop reason, so the engine takes it as still given and may offer
its drug again as preferred. A metastatic course with no end, no stop reason and no "still on /
ongoing" word by it, that a later metastatic course follows - a higher line number, a later start,
or named after it with a sequence word ("then", "followed by", "->") - ended; with no reason given,
it is taken as ended at progression (the reading that offers none of its drugs again), and the
answer says so. A later course that only continues some of its drugs (maintenance) does not end
it (``knowledge/answer/facts.yaml``, ``courses.superseded_by``). In a question that names no early
(adjuvant) treatment, a course with no setting is such a metastatic course too."""

from __future__ import annotations

import copy
import itertools
import re
from typing import Any

from mbc.answer._schema import AnswerKB
from mbc.knowledge.loader import KnowledgeBase

__all__ = ["settle_superseded", "split_listed"]

_FLAGS = re.IGNORECASE


def _ids(t: dict[str, Any], kb: KnowledgeBase) -> set[str]:
    return {kb.lookup_drug(n) or n for n in t.get("drugs") or []}


# between two drugs of one listed course item: nothing but a list separator ("A + B, C, D (3L), E")
_SEPARATOR = re.compile(r"^\s*(?:\([^()]{0,60}\)\s*)?(?:[,;]|\bthen\b|->|=>)\s*(?:and\s+|then\s+)?$", _FLAGS)


def split_listed(
    text: str, record: dict[str, Any], found: list[Any], kb: KnowledgeBase
) -> tuple[dict[str, Any], list[str]]:
    """A course whose drugs the question lists as separate items ("tried A + B, C, D": A + B, then C,
    then D) is one course per item, in the order named; dates and the stop reason stay with the last
    item, the others ended as :func:`settle_superseded` then decides."""
    therapies = record.get("prior_therapies") or []
    given = sorted(
        (m for m in found if m.kind == "drug" and m.prior and not m.negated), key=lambda m: m.start
    )
    out: list[dict[str, Any]] = []
    said: list[str] = []
    for t in therapies:
        ids = _ids(t, kb)
        ms = [m for m in given if m.id in ids]
        first = {}
        for m in ms:  # each drug at its first mention
            first.setdefault(m.id, m)
        ordered = sorted(first.values(), key=lambda m: m.start)
        if len(ordered) < 2 or len(ordered) != len(ids):
            out.append(t)
            continue
        groups: list[list[Any]] = [[ordered[0]]]
        for prev, m in itertools.pairwise(ordered):
            if _SEPARATOR.search(text[prev.end : m.start]):
                groups.append([m])
            else:
                groups[-1].append(m)
        if len(groups) < 2:
            out.append(t)
            continue
        names = {kb.lookup_drug(n) or n: n for n in t.get("drugs") or []}
        for k, g in enumerate(groups):
            part: dict[str, Any] = {"drugs": [names[m.id] for m in g]}
            if t.get("setting"):
                part["setting"] = t["setting"]
            if k == 0 and t.get("start"):
                part["start"] = t["start"]
            if k == len(groups) - 1:
                part.update({key: t[key] for key in ("end", "stop_reason") if t.get(key)})
            out.append(part)
        said.append(
            "courses as listed in the question: "
            + "; ".join(" + ".join(names[m.id] for m in g) for g in groups)
        )
    return ({**record, "prior_therapies": out}, said) if said else (record, [])


def settle_superseded(
    text: str, record: dict[str, Any], found: list[Any], kb: KnowledgeBase, akb: AnswerKB
) -> tuple[dict[str, Any], list[str]]:
    """Every metastatic course a later line followed, ended (see the module text)."""
    spec = akb.facts.courses
    therapies = record.get("prior_therapies") or []
    if spec is None or not spec.said_superseded or len(therapies) < 2:
        return record, []
    given = [m for m in found if m.kind == "drug" and m.prior and not m.negated]

    def where(t_ids: set[str]) -> tuple[list[Any], int | None]:
        ms = [m for m in given if m.id in t_ids]
        lines = {m.line[2] for m in ms if m.line is not None}
        return ms, (max(lines) if len(lines) == 1 else None)

    # a course with no setting counts as metastatic in a question that names no early treatment
    open_setting = not re.search(spec.early, text, _FLAGS)
    met = [
        t
        for t in therapies
        if t.get("setting") == "metastatic" or (open_setting and t.get("setting") is None)
    ]
    if not any(t.get("setting") == "metastatic" for t in met):
        return record, []
    ids = [_ids(t, kb) for t in met]  # each course's drug ids, once
    spots = [where(x) for x in ids]
    out = copy.deepcopy(record)
    said: list[str] = []
    for i, a in enumerate(met):
        if a.get("end") or a.get("stop_reason") is not None:
            continue
        a_ms, a_line = spots[i]
        if any(re.search(spec.ongoing, text[max(0, m.start - 30) : m.end + 30], _FLAGS) for m in a_ms):
            continue
        for j, b in enumerate(met):
            b_ms, b_line = spots[j]
            if j == i or ids[j] <= ids[i]:  # the same drugs, or some kept on: maintenance
                continue
            later = (a_line is not None and b_line is not None and b_line > a_line) or bool(
                a.get("start") and b.get("start") and str(b["start"]) > str(a["start"])
            )
            if not later and a_ms and b_ms:
                gap_from, gap_to = max(m.end for m in a_ms), min(m.start for m in b_ms)
                later = gap_from < gap_to and bool(
                    re.search(spec.superseded_by, text[gap_from:gap_to], _FLAGS)
                )
            if later:
                k = therapies.index(a)
                out["prior_therapies"][k]["stop_reason"] = "progression"
                out["prior_therapies"][k]["setting"] = "metastatic"
                said.append(
                    spec.said_superseded.format(
                        drugs=" + ".join(a.get("drugs") or []), later=" + ".join(b.get("drugs") or [])
                    )
                )
                break
    return (out, said) if said else (record, [])
