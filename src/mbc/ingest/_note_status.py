"""Session 13: the status of a fact the note names - is it so *now*?

A fact named in a note may be over, or may never have been: a medication cancelled before its first
dose or taken in a closed date range that ended, a comorbidity that resolved, a symptom whose
measure is back to normal after it, brain metastases of which only an old lesion was treated.
Each check here is a cue class in ``knowledge/nlp/lexicon.yaml`` (``status``); the checks only
take a fact away or make it false when the note says so, never add one.

- :func:`medication_ended`: a medication item that says the drug is not taken now (``ended``
  words, or a closed date range whose end is before the note date).
- :func:`resolved_comorbidities`: a comorbidity of the ``resolvable`` kind that every mention calls
  resolved (a drug pneumonitis or a past cardiomyopathy is not of that kind: they stay, as the KB
  uses them to avoid drugs).
- :func:`normal_again_symptoms`: a symptom whose measure the note calls normal again after its last
  mention ("Temp 38.4 ... Temp normal since 14 Nov").
- :func:`brain_untreated_now`: brain lesions the note calls new and untreated: the brain disease is
  not locally treated, whatever older lesion was.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import TYPE_CHECKING, Any

from mbc.ingest._data import load_yaml
from mbc.ingest._note_pipeline import _MONTHS
from mbc.ingest._note_vocab import words_of

if TYPE_CHECKING:
    from mbc.ingest._extraction import RecordBuilder

__all__ = [
    "brain_untreated_now",
    "medication_ended",
    "normal_again_symptoms",
    "note_status",
    "resolved_comorbidities",
    "runs_on",
]

_I = re.IGNORECASE


def _spec() -> dict[str, Any]:
    """``status`` of the current knowledge root's lexicon (``load_yaml`` caches per root)."""
    return dict(load_yaml("nlp/lexicon.yaml").get("status") or {})


def _compiled(key: str) -> re.Pattern[str]:
    return re.compile(str(_spec().get(key) or "(?!)"), _I)  # ``re`` keeps compiled patterns


def runs_on(text: str, brk: re.Match[str]) -> bool:
    """A line break after a word no line of a list ends with ("She stopped the / senna"): the
    sentence goes on, so it ends no medication item (``status.line_runs_on``)."""
    if brk.group(0) != "\n":
        return False
    return bool(_compiled("line_runs_on").search(text, max(0, brk.start() - 40), brk.start()))


def note_status(b: RecordBuilder, text: str) -> None:
    """The record-level checks of this module, in order (the medication check runs per item)."""
    from mbc.ingest._note_pipeline import _pipeline

    resolved_comorbidities(b, text, _pipeline().rules)
    normal_again_symptoms(b, text)
    brain_untreated_now(b, text)


def _range_end(m: re.Match[str]) -> dt.date | None:
    """The last day of the month (or year) that ends a date range."""
    year = int(m.group("y"))
    month_word, month_num = m.group("mw"), m.group("mn")
    if month_word:
        month = _MONTHS[month_word[:3].lower()]
    elif month_num:
        month = int(month_num)
    else:
        return dt.date(year, 12, 31)
    if not 1 <= month <= 12:
        return None
    nxt = dt.date(year + month // 12, month % 12 + 1, 1)
    return nxt - dt.timedelta(days=1)


def medication_ended(item: str, ref: dt.date | None) -> bool:
    """A medication item (its own words) that says the drug is not taken now.

    ``status.medication_ended``: words ("cancelled before the first dose", "(ward only)", a sliding
    scale while on steroids); ``status.closed_range``: a date range whose end (group ``y`` and
    ``mw`` or ``mn``) is a month or more before the note date ("April 2025 to May 2026").
    """
    if _compiled("medication_ended").search(item):
        return True
    if ref is None:
        return False
    month = ref.replace(day=1)
    for m in _compiled("closed_range").finditer(item):
        end = _range_end(m)
        if end is not None and end < month:
            return True
    return _course_over(item, month)


_UNIT_DAYS = {"d": 1, "w": 7, "m": 31}


def _course_over(item: str, month: dt.date) -> bool:
    """A course told with its length and a date ("DVT 2021 - 6 months X"): over when the latest
    date of the item (the end of its month or year) plus the length is before the note's month."""
    length = _compiled("course_length").search(item)
    if length is None or _compiled("course_goes_on").search(item):
        return False
    n = length.group("n").lower()
    words = load_yaml("nlp/therapy.yaml")["number_words"]  # the reader's one table of number words
    days = (int(n) if n.isdigit() else int(words[n])) * _UNIT_DAYS[length.group("u")[0].lower()]
    ends = [e for e in map(_range_end, _compiled("course_date").finditer(item)) if e is not None]
    return bool(ends) and max(ends) + dt.timedelta(days=days) < month


def resolved_comorbidities(b: RecordBuilder, text: str, rules: list[Any]) -> None:
    """A comorbidity of a ``status.resolvable`` kind ("type 2 diabetes resolved after weight loss")
    that every mention of it calls resolved (``status.comorbidity_resolved`` right after it in its
    clause) is not a comorbidity now."""
    kinds = set(_spec().get("resolvable") or ())
    recorded = kinds & set(b.list_values("comorbidities"))
    if not recorded:
        return
    after = _compiled("comorbidity_resolved")
    said: dict[str, list[bool]] = {}
    for comp in rules:
        for action in comp.rule.emit:
            if action.get("field") != "comorbidities" or action.get("action") not in ("add", "add_word"):
                continue
            for m in comp.regex.finditer(text):
                value = action.get("value")
                if action["action"] == "add_word":
                    word = re.sub(r"\s+", " ", (m.group(action["group"]) or "").lower())
                    value = action["map"].get(word)
                if value in recorded:
                    said.setdefault(str(value), []).append(bool(after.match(text, m.end())))
    gone = {v for v, flags in said.items() if flags and all(flags)}
    if gone:
        b.discard("comorbidities", gone)


def normal_again_symptoms(b: RecordBuilder, text: str) -> None:
    """A symptom whose measure the note calls normal at its last mention ("Temp 38.4 -> A&E ...
    Temp normal.", "temperature back to normal since Monday") is over: ``status.symptom_normal``
    maps a symptom to its measure's words, ``status.normal_after`` is what follows them. A later
    mention of the symptom or its measure keeps it."""
    table = _spec().get("symptom_normal") or {}
    normal = _compiled("normal_after")
    gone = set()
    for symptom in b.list_values("symptoms"):
        measure = table.get(symptom)
        if not measure:
            continue
        words = "|".join(re.escape(w) for w in (symptom, *words_of("symptoms", symptom)))
        said = list(re.finditer(rf"\b(?:{measure}|{words})\b", text, _I))
        if said and re.fullmatch(measure, said[-1].group(0), _I) and normal.match(text, said[-1].end()):
            gone.add(symptom)
    if gone:
        b.discard("symptoms", gone)


def brain_untreated_now(b: RecordBuilder, text: str) -> None:
    """Brain lesions the note calls new (or growing) and untreated ("2 new lesions 09/2026
    untreated", "the 4 new lesions have NOT been irradiated"): the brain disease is not locally
    treated now, though an older lesion was (``status.brain_untreated``). Only in a note with brain
    metastases, and not lesions of another site; a local treatment told after that statement in its
    own sentence ("... untreated -> SRS to both") leaves the field as read."""
    current = b.get("metastases.brain.locally_treated")
    if current is False or (current is None and "brain" not in b.list_values("metastases.sites")):
        return
    other = _compiled("brain_untreated_other_site")
    untreated = [
        m
        for m in _compiled("brain_untreated").finditer(text)
        if not other.search(m.group(0)) and not _treated_after(text, m.end())
    ]
    if not untreated:
        return
    m = untreated[-1]
    src: dict[str, Any] = {
        "source": "note",
        "rule": "nlp.brain.untreated_now",
        "span": [m.start(), m.end()],
        "text": m.group(0),
    }
    if current is True:
        old = b.source_of("metastases.brain.locally_treated") or {}
        read = old.get("text", "")
        src["derived"] = f"new lesions untreated; the local therapy read ('{read}') was another's"
    b.set("metastases.brain.locally_treated", False, src, rank=(99,))  # type: ignore[arg-type]


def _treated_after(text: str, pos: int) -> bool:
    stop = re.compile(r"[.;](?:\s|$)|\n").search(text, pos)
    end = stop.start() if stop else len(text)
    return bool(_compiled("brain_treated_after").search(text, pos, end))
