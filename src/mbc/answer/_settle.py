"""Session 9: facts the question settles in its own words after the note reader has read it -
a course that has not progressed, and pregnancy in the past or ruled out now. Each restates
only what the question says (``knowledge/answer/facts.yaml``: ``courses.not_progressed``,
``pregnancy``) and is listed in the answer's assumptions; pregnancy is never assumed either way
(principle 7): a past pregnancy leaves the present status unknown, which a yes/no verdict on a
drug then "depends" on."""

from __future__ import annotations

import copy
import re
from typing import Any

from mbc.answer._schema import AnswerKB
from mbc.knowledge.loader import KnowledgeBase

__all__ = ["settle_not_progressed", "settle_pregnancy"]

_FLAGS = re.IGNORECASE
_SENTENCE = re.compile(r"[.;?!\n]")


def _asked(text: str, end: int) -> bool:
    """The sentence around ``end`` is a question (its words are asked about, not stated)."""
    stop = _SENTENCE.search(text, end)
    return stop is not None and text[stop.start()] == "?"


def _stated(pattern: str, text: str) -> bool:
    return any(not _asked(text, m.end()) for m in re.finditer(pattern, text, _FLAGS))


def settle_pregnancy(text: str, record: dict[str, Any], akb: AnswerKB) -> tuple[dict[str, Any], list[str]]:
    """ "Not pregnant now" -> not pregnant; a pregnancy only in the past -> pregnancy not known
    (neither read as present nor as ruled out). A pregnancy stated as present keeps the reading."""
    spec = akb.facts.pregnancy
    if record.get("pregnancy_weeks") is not None and record.get("pregnant") is None:
        record = {**record, "pregnant": True}  # session 10 (second pass): a gestational age states pregnancy
    if spec is None or not re.search(r"pregnan", text, _FLAGS):
        return record, []
    if _stated(spec.not_now, text) and not _stated(spec.present, text):
        if record.get("pregnant") is False and record.get("pregnancy_weeks") is None:
            return record, []
        out = copy.deepcopy(record)
        out["pregnant"] = False
        out.pop("pregnancy_weeks", None)
        return out, [spec.said_not_now]
    if _stated(spec.past, text) and not _stated(spec.present, text):
        if record.get("pregnant") is None and record.get("pregnancy_weeks") is None:
            return record, []
        out = copy.deepcopy(record)
        out.pop("pregnant", None)
        out.pop("pregnancy_weeks", None)
        return out, [spec.said_past]
    return record, []


def _stretch(text: str, spans: list[tuple[int, int]], others: list[int]) -> str:
    """The words of one course: from the sentence start (or the last other course named before
    it) to the sentence end (or the next other course named after it)."""
    first, last = min(s for s, _ in spans), max(e for _, e in spans)
    start = max((m.end() for m in _SENTENCE.finditer(text, 0, first)), default=0)
    start = max([start, *(o for o in others if o < first)])
    stop = _SENTENCE.search(text, last)
    end = stop.start() if stop else len(text)
    end = min([end, *(o for o in others if o > last)])
    return text[start:end]


def settle_not_progressed(
    text: str, record: dict[str, Any], found: list[Any], kb: KnowledgeBase, akb: AnswerKB
) -> tuple[dict[str, Any], list[str]]:
    """A course read as ended at progression whose own stretch of the question says it has not
    progressed ("on X + Y 3 years, never progressed on it, still responding"): still given."""
    spec = akb.facts.courses
    therapies = record.get("prior_therapies") or []
    if spec is None or not therapies or not re.search(spec.not_progressed, text, _FLAGS):
        return record, []
    out = copy.deepcopy(record)
    said: list[str] = []
    drugs = [m for m in found if m.kind == "drug" and not m.negated]
    for t in out["prior_therapies"]:
        if t.get("stop_reason") != "progression":
            continue
        ids = {kb.lookup_drug(n) or n for n in t.get("drugs") or []}
        mine = [(m.start, m.end) for m in drugs if m.id in ids]
        if not mine:
            continue
        others = [m.start for m in drugs if m.id not in ids]
        stretch = _stretch(text, mine, others)
        if re.search(spec.not_progressed, stretch, _FLAGS) and not re.search(
            spec.progression, _strip(stretch, spec), _FLAGS
        ):
            t["stop_reason"] = "ongoing"
            t.pop("end", None)
            said.append(spec.said_not_progressed.replace("{drugs}", " + ".join(t.get("drugs") or [])))
    return (out, said) if said else (record, [])


def _strip(stretch: str, spec: Any) -> str:
    """The stretch without the words that deny progression (what is left may still state it)."""
    return re.sub(spec.not_progressed, " ", stretch, flags=_FLAGS)


def settle_ended_before(record: dict[str, Any]) -> tuple[dict[str, Any], list[str]]:
    """A course read as metastatic (or with no setting read - session 13) that was completed before the
    metastatic disease was found ("finished 5 years of <drug> in March 2026; in Oct 2026 liver recurrence",
    "it came back 2 years after I finished chemo"): early (adjuvant) therapy - a course for metastatic disease
    cannot end before the disease is found."""
    found = record.get("metastatic_diagnosis_date")
    therapies = record.get("prior_therapies") or []
    if not found or record.get("presentation") == "de_novo" or not therapies:
        return record, []
    out = copy.deepcopy(record)
    said: list[str] = []
    for t in out["prior_therapies"]:
        end = t.get("end")
        if t.get("setting") not in ("metastatic", None) or t.get("stop_reason") != "completed" or not end:
            continue
        if str(end)[:7] < str(found)[:7]:
            t["setting"] = "adjuvant"
            names = " + ".join(t.get("drugs") or [])
            said.append(
                f"{names} read as adjuvant: completed {str(end)[:7]}, before the metastatic disease was found"
                f" ({str(found)[:7]})"
            )
    return (out, said) if said else (record, [])
