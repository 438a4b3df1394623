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
import datetime as dt
import itertools
import re
from typing import Any

from mbc.answer._reader_courses import one_regimen
from mbc.answer._schema import AnswerKB
from mbc.knowledge.loader import KnowledgeBase

__all__ = ["settle_superseded", "split_listed"]

_FLAGS = re.IGNORECASE


def _ids(t: dict[str, Any], kb: KnowledgeBase) -> set[str]:
    return {kb.lookup_drug(n) or n for n in t.get("drugs") or []}


# between two drugs of one listed course item: nothing but a list separator ("A + B, C, D (3L), E")
# session 10: also after a year range or a duration written after the item ("THP 2020-22, T-DXd 2022-24, ...")
_NOTE = (
    r"(?:\([^()]{0,60}\)\s*|(?:19|20)\d\d\s*(?:[-\u2013]|to)\s*(?:[A-Za-z]{3,9}\.?\s+)?(?:(?:19|20)?\d\d)\s*"
    r"|(?:x\s*|for\s+)?\d+(?:\.\d+)?\s*(?:mo|mos|months?|yrs?|years?|cycles?)\s*)?"
)
_SEPARATOR = re.compile(rf"^\s*{_NOTE}(?:[,;]|\bthen\b|->|=>|\u2192)\s*(?:and\s+|then\s+)?$", _FLAGS)
# the last "and" of a list whose items were parted by commas ("s/p A/B, C/D and E")
_LAST_AND = re.compile(rf"^\s*{_NOTE}\band\s+$", _FLAGS)
_RANGE = re.compile(
    r"^\s*\(?\s*(?:from\s+)?(?P<y1>(?:19|20)\d\d)\s*(?:[-\u2013]|to)\s*(?:(?P<mon>[A-Za-z]{3})[a-z]*\.?\s+)?"
    r"(?P<y2>(?:19|20)?\d\d)\b",
    _FLAGS,
)
_MONTHS = {
    m: i + 1
    for i, m in enumerate(
        ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")
    )
}


def _range(text: str, at: int) -> tuple[str, str] | None:
    """A year range written right after a course item ("2020-22", "(2022-2024)", "2024-Oct 2026"): its
    start and end dates (the first and the last day of the years, or of the month named)."""
    m = _RANGE.match(text[at : at + 40])
    if m is None:
        return None
    y1, y2 = int(m.group("y1")), m.group("y2")
    end_year = int(y2) if len(y2) == 4 else (y1 // 100) * 100 + int(y2)
    if end_year < y1:
        return None
    mon = _MONTHS.get((m.group("mon") or "").lower())
    if mon is None:
        end = f"{end_year}-12-31"
    else:
        nxt = dt.date(end_year + mon // 12, mon % 12 + 1, 1)
        end = (nxt - dt.timedelta(days=1)).isoformat()
    return f"{y1}-01-01", end


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
        # session 10: every mention of the list (a drug named again in a later item)
        ordered = _listing(text, ms)
        if len({m.id for m in ordered}) != len(ids) or len({m.id for m in ordered}) < 2:
            out.append(t)
            continue
        groups: list[list[Any]] = [[ordered[0]]]
        commas = True  # every split so far at a plain comma / semicolon
        for prev, m in itertools.pairwise(ordered):
            gap = text[prev.end : m.start]
            left = {x.id for x in groups[-1]}
            # "A/B, C/D and E" (after commas), or "A + B and C" where each side is a regimen and both are none
            last_and = (
                bool(_LAST_AND.search(gap))
                and not one_regimen(kb, left | {m.id})
                and (
                    (len(groups) > 1 and commas)
                    or (one_regimen(kb, left) and one_regimen(kb, _rest(ordered, m)))
                )
            )
            # a bare comma inside one regimen's drugs ("taxane, antibody and second antibody") parts nothing
            bare = re.fullmatch(r"\s*,\s*", gap) is not None and one_regimen(kb, left | {m.id})
            if (_SEPARATOR.search(gap) and not bare) or last_and:
                commas = commas and not re.search(r"\bthen\b|->|=>|\u2192", gap, _FLAGS)
                groups.append([m])
            else:
                groups[-1].append(m)
        if len(groups) < 2:
            out.append(t)
            continue
        names = {kb.lookup_drug(n) or n: n for n in t.get("drugs") or []}
        for k, g in enumerate(groups):
            part: dict[str, Any] = {"drugs": list(dict.fromkeys(names[m.id] for m in g))}
            if t.get("setting"):
                part["setting"] = t["setting"]
            if k == 0 and t.get("start"):
                part["start"] = t["start"]
            if k == len(groups) - 1:
                part.update({key: t[key] for key in ("end", "stop_reason") if t.get(key)})
            dated = _range(text, g[-1].end)
            if dated is not None:  # its own years, as written after it
                part["start"] = dated[0]
                if k < len(groups) - 1 or not part.get("end"):
                    part["end"] = dated[1]
            out.append(part)
        said.append(
            "courses as listed in the question: "
            + "; ".join(" + ".join(dict.fromkeys(names[m.id] for m in g)) for g in groups)
        )
    return ({**record, "prior_therapies": out}, said) if said else (record, [])


def _rest(ordered: list[Any], m: Any) -> set[str]:
    """The drugs from ``m`` to the end of the listing (the right side of an "and")."""
    return {x.id for x in ordered[ordered.index(m) :]}


def _listing(text: str, ms: list[Any]) -> list[Any]:
    """The mentions of a course's drugs in the order written, one per place (a regimen name gives several
    drugs at one place); a drug named again counts at each place."""
    seen: set[tuple[int, str]] = set()
    out = []
    for m in sorted(ms, key=lambda m: m.start):
        if (m.start, m.id) not in seen:
            seen.add((m.start, m.id))
            out.append(m)
    return out


def settle_superseded(
    text: str, record: dict[str, Any], found: list[Any], kb: KnowledgeBase, akb: AnswerKB
) -> tuple[dict[str, Any], list[str]]:
    """Every metastatic course a later line followed, ended (see the module text)."""
    spec = akb.facts.courses
    therapies = record.get("prior_therapies") or []
    if spec is None or not spec.said_superseded or len(therapies) < 2:
        return record, []
    record, placed = _after_metastatic(text, record, found, kb, spec)
    therapies = record.get("prior_therapies") or []
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
    said = placed + said
    return (out, said) if said else (record, [])


def _after_metastatic(
    text: str, record: dict[str, Any], found: list[Any], kb: KnowledgeBase, spec: Any
) -> tuple[dict[str, Any], list[str]]:
    """Session 10: a course with no setting that the question names as a later line after a metastatic
    course ("<A> (1L), <B> (5 mo), <C> (9 mo), then <D>": B follows A by a list separator or a sequence
    word) was given for the metastatic disease too - no (neo)adjuvant course comes after a metastatic line."""
    therapies = record.get("prior_therapies") or []
    given = [m for m in found if m.kind == "drug" and m.prior and not m.negated]

    def span(t: dict[str, Any]) -> tuple[int, int] | None:
        ms = [m for m in given if m.id in _ids(t, kb)]
        return (min(m.start for m in ms), max(m.end for m in ms)) if ms else None

    spans = [span(t) for t in therapies]
    out = copy.deepcopy(record)
    said: list[str] = []
    order = sorted((k for k, s in enumerate(spans) if s is not None), key=lambda k: spans[k] or (0, 0))
    for k in order:  # in the order written: a course placed here counts for the next one
        t, here = out["prior_therapies"][k], spans[k]
        if t.get("setting") is not None or here is None:
            continue
        before = [
            s for j, s in enumerate(spans)
            if s is not None and out["prior_therapies"][j].get("setting") == "metastatic" and s[1] <= here[0]
        ]  # fmt: skip
        if not before:
            continue
        gap = text[max(e for _, e in before) : here[0]]
        if re.search(r"[.?!](?:\s|$)|\n", gap) or not re.search(spec.superseded_by, gap, _FLAGS):
            continue
        out["prior_therapies"][k]["setting"] = "metastatic"
        said.append(
            f"{' + '.join(t.get('drugs') or [])} read as a metastatic line (named after a metastatic line)"
        )
    return (out, said) if said else (record, [])
