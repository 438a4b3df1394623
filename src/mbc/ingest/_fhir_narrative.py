"""A medication record whose coded parts name no drug ("Antineoplastic regimen - see
narrative"), read from its narrative (``text.div``): the drugs it names, when they began and
stopped, and why (every fact inferred). The record's own ``status`` still decides whether the
drug is given, current or stopped; the words only say which drug and when.

Dates are read in the shapes people write them (ISO, "14-Feb-2024", "Feb 14, 2024", "March
2024", "02/2024", "14.02.2024"; a numeric day/month whose order is not plain is not read). A
date takes its role from the nearest start or stop word before it in its sentence; a sentence
that speaks of a dose change, a delay or a hold ("dose-reduced to 400 mg from <date>") gives
neither a start nor an end. Words live in ``knowledge/ingest/fhir.yaml`` (``narrative_therapy``).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from mbc.ingest._data import drug_index
from mbc.ingest._fhir_base import Ctx, Res, narrative, said_match

__all__ = ["NarrativeTherapy", "narrative_dates", "read_narrative", "this_course"]


@dataclass(frozen=True)
class NarrativeTherapy:
    """What a medication record's narrative says: the drugs (a regimen's anticancer drugs, or
    the one other drug it is about), its first and last dates, why it stopped, the words."""

    drugs: list[str]
    start: dt.date | None
    end: dt.date | None
    reason: str | None
    text: str


def read_narrative(ctx: Ctx, res: Res) -> NarrativeTherapy | None:
    """The therapy a record's narrative gives, or None when it names no drug we know."""
    text = narrative(res)
    if not text:
        return None
    found = drug_index().find(text)
    cfg = ctx.cfg["narrative_therapy"]
    found = this_course(text, found, cfg)
    if not found:
        return None
    kind = drug_index().kind
    inns: list[str] = []
    for _, _, _, names in found:
        inns.extend(i for i in names if i not in inns)
    cancer = [i for i in inns if kind.get(i, "other") == "antineoplastic"]
    drugs = cancer or found[0][3][:1]  # a regimen's drugs, else the one drug it is about
    start, end, reason = _course(text, cfg, ctx.cfg["therapy_words"], set(inns))
    return NarrativeTherapy(drugs, start, end, reason, text)


def this_course(
    text: str, found: list[tuple[int, int, str, list[str]]], cfg: Mapping[str, Any]
) -> list[tuple[int, int, str, list[str]]]:
    """Review rv10-nf: the drug names this record is about; a name led, within its sentence and
    after the drug named before it, by a word of another course ("previously <drug>", "plan to
    add <drug>", "instead of <drug>": ``other_course``) is not one of them."""
    other = cfg.get("other_course")
    if not other:
        return found
    bounds = [m.end() for m in re.finditer(cfg["sentence_split"], text)]
    kept, prev_end = [], 0
    for item in found:
        lo = max([prev_end] + [b for b in bounds if b <= item[0]])
        if not re.search(other, text[lo : item[0]], re.IGNORECASE):
            kept.append(item)
        prev_end = item[1]
    return kept


def _course(
    text: str, cfg: Mapping[str, Any], words: Mapping[str, Any], ours: set[str] | None = None
) -> tuple[dt.date | None, dt.date | None, str | None]:
    """First and last dates and the stop reason the sentences give; a sentence that names drugs,
    none of them this record's (``ours``: "Previously on <another drug> from <date>"), speaks
    of another course and gives none of them."""
    starts: list[dt.date] = []
    stops: list[dt.date] = []
    plain: list[dt.date] = []
    reason = None
    for sentence in re.split(cfg["sentence_split"], text):
        if re.search(cfg["not_start_or_stop"], sentence, re.IGNORECASE):
            continue  # a dose change, a delay, a hold: the course went on
        named = {i for _, _, _, inns in drug_index().find(sentence) for i in inns}
        if ours and named and not named & ours:
            continue  # about another course's drugs only
        stopped = re.search(cfg["stop"], sentence, re.IGNORECASE)
        if stopped is not None and reason is None:
            reason = said_match(words["stop"], sentence[stopped.start() :], words.get("denied_before"))
        for pos, day in narrative_dates(sentence, cfg["months"]):
            role = _role(sentence[:pos], cfg)
            (starts if role == "start" else stops if role == "stop" else plain).append(day)
    start = min(starts) if starts else (min(plain) if plain else None)
    end = max(stops) if stops else None
    return start, end, reason


def _role(before: str, cfg: Mapping[str, Any]) -> str | None:
    """The role the last start or stop word before a date gives it (None: neither)."""
    last: tuple[int, str] | None = None
    for role in ("start", "stop"):
        for m in re.finditer(cfg[role], before, re.IGNORECASE):
            if last is None or m.start() > last[0]:
                last = (m.start(), role)
    return last[1] if last else None


def _month_pattern(months: Mapping[str, int]) -> str:
    names = sorted(months, key=len, reverse=True)
    return "(?:" + "|".join(re.escape(n) for n in names) + r")\.?"


def narrative_dates(text: str, months: Mapping[str, int]) -> list[tuple[int, dt.date]]:
    """The dates written in ``text`` with where each begins, in order; a month without a day
    is its first day. Overlapping shapes: the longer reading wins."""
    mon = _month_pattern(months)
    shapes = [
        (r"\b(?P<y>(?:19|20)\d{2})-(?P<m>\d{1,2})(?:-(?P<d>\d{1,2}))?\b", None),
        (
            rf"\b(?P<d>\d{{1,2}})(?:st|nd|rd|th)?[\s.\-/]+(?P<mn>{mon})[\s.\-/,]+(?P<y>(?:19|20)\d{{2}})\b",
            None,
        ),
        (rf"\b(?P<mn>{mon})\s+(?P<d>\d{{1,2}})(?:st|nd|rd|th)?,?\s+(?P<y>(?:19|20)\d{{2}})\b", None),
        (rf"\b(?P<mn>{mon})[\s\-/,]+(?P<y>(?:19|20)\d{{2}})\b", None),
        (r"\b(?P<a>\d{1,2})(?P<sep>[./])(?P<b>\d{1,2})(?P=sep)(?P<y>(?:19|20)\d{2})\b", "numeric"),
        (r"(?<![\d/.])(?P<m>\d{1,2})/(?P<y>(?:19|20)\d{2})\b", None),
    ]
    taken: list[tuple[int, int]] = []
    out: list[tuple[int, dt.date]] = []
    for pattern, kind in shapes:
        for m in re.finditer(pattern, text, re.IGNORECASE):
            if any(a < m.end() and m.start() < b for a, b in taken):
                continue
            day = _day(m, months, kind == "numeric")
            if day is not None:
                taken.append((m.start(), m.end()))
                out.append((m.start(), day))
    return sorted(out, key=lambda x: x[0])


def _day(m: re.Match[str], months: Mapping[str, int], numeric: bool) -> dt.date | None:
    g = m.groupdict()
    try:
        if numeric:
            a, b = int(g["a"]), int(g["b"])
            if g["sep"] == "." or a > 12:  # day.month.year, or a day above 12 first
                day_no, month = a, b
            elif b > 12:  # month/day/year
                day_no, month = b, a
            else:
                return None  # the order is not plain: not read
        else:
            day_no = int(g["d"]) if g.get("d") else 1
            month = int(g["m"]) if g.get("m") else _month(g["mn"], months)
        return dt.date(int(g["y"]), month, day_no)
    except (ValueError, KeyError, TypeError):
        return None


def _month(word: str, months: Mapping[str, int]) -> int:
    key = word.rstrip(".").lower()
    if key in months:
        return int(months[key])
    raise KeyError(word)
