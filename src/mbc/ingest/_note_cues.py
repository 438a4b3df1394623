"""Cues of the therapy timeline that look beyond a course's own clause (session 8 split from
:mod:`mbc.ingest._note_therapy`): the operation on the primary before or after a course (its
setting), and a stop written in a later sentence (its reason and end)."""

from __future__ import annotations

import bisect
import re
from typing import TYPE_CHECKING, Any

from mbc.ingest._note_actions import _parse_date
from mbc.ingest._note_dates import _Clause, _iso_days
from mbc.ingest._note_lines import _dose_change

if TYPE_CHECKING:
    from collections.abc import Mapping

    from mbc.ingest._extraction import Source
    from mbc.ingest._note_pipeline import _Mention

__all__ = ["later_stops", "operated", "surgery_next"]

_EARLY = ("adjuvant", "neoadjuvant")


def operated(
    cfg: Mapping[str, Any],
    operated: str | None,
    text: str,
    cl: _Clause,
    sents: list[tuple[int, int]],
    drugs: list[_Mention],
    drug_starts: list[int],
) -> str | None:
    """The surgery word that makes the drugs after it in this sentence adjuvant ("R breast IDC
    2019 -> lumpectomy, dd AC -> <taxane>, RT, then <endocrine drug>"), or None (session 8;
    ``surgery_setting`` in knowledge/nlp/therapy.yaml): a breast operation; "surgery" alone only
    in a sentence that names no relapse or metastasis. A relapse word ends it."""
    spec = cfg.get("surgery_setting")
    if not spec:
        return None
    k = bisect.bisect_left(drug_starts, cl.start)
    first = drugs[k].start if k < len(drugs) and drugs[k].start < cl.end else cl.end
    head = text[cl.start : first]
    relapse = re.compile(cfg["then_carry"]["unless"], re.IGNORECASE)
    if relapse.search(head):
        return None
    m = re.search(spec["breast"], head, re.IGNORECASE)
    if m is None and (g := re.search(spec["generic"], head, re.IGNORECASE)) is not None:
        sentence = text[sents[cl.sent][0] : sents[cl.sent][1]] if sents else head
        m = None if relapse.search(sentence) else g
    return m.group(0) if m is not None else operated


def surgery_next(
    cfg: Mapping[str, Any], text: str, c_end: int, sents: list[tuple[int, int]], cl: _Clause
) -> bool:
    """The clause right after this one, in its sentence, starts with the operation on the breast
    ("TCHP x6 -> surgery, no pCR -> T-DM1"): this course came before it (neoadjuvant)."""
    spec = cfg.get("surgery_setting")
    if not spec or not spec.get("next"):
        return False
    # a line break may end the sentence before the operation ("TCHP x6 ->\nsurgery"): 80 characters
    m = re.match(spec["next"], text[c_end : c_end + 80], re.IGNORECASE)
    if m is None:
        return False
    if re.search(spec["breast"], m.group(0), re.IGNORECASE):
        return True
    sentence = text[sents[cl.sent][0] : sents[cl.sent][1]] if sents else text[c_end : c_end + 80]
    return re.search(cfg["then_carry"]["unless"], sentence, re.IGNORECASE) is None  # "surgery" alone


def later_stops(
    text: str,
    sents: list[tuple[int, int]],
    drugs: list[_Mention],
    spec: Mapping[str, Any],
    made: list[tuple[dict[str, Any], Source, tuple[int, int] | None]],
    cfg: Mapping[str, Any],
) -> None:
    """A line that ended with no reason in its own clause takes the reason written in the
    next sentences about it: "(1) A + B 06/2024 - 09/2026. B reduced for neutropenia, then
    continued. PD on CT 09/2026." Only sentences naming no other drug, before a new item, a blank
    line or the next drug mention, and only when the reason is not denied or in doubt."""
    starts = [a for a, _ in sents]
    drugs = sorted(drugs, key=lambda d: d.start)
    drug_starts = [d.start for d in drugs]
    pattern = re.compile(spec["pattern"], re.IGNORECASE)
    unless = re.compile(spec["unless"], re.IGNORECASE)
    item = re.compile(spec["new_item"], re.IGNORECASE)
    reasons = [(pattern, spec)] + [
        (re.compile(alt["pattern"], re.IGNORECASE), alt) for alt in spec.get("also", [])
    ]
    stop_verb = re.compile(spec.get("stop_verb", "(?!)"), re.IGNORECASE)
    refer = re.compile(spec.get("refers", "(?!)"), re.IGNORECASE)
    last_dose = re.compile(spec.get("last_dose", "(?!)"), re.IGNORECASE)
    stop_date = re.compile(spec.get("stop_date", "(?!)"), re.IGNORECASE)
    for therapy, src, _ in made:
        if therapy.get("setting") in _EARLY or _dose_change(str(src.get("text") or ""), cfg):
            continue  # a dose change or hold is a mention of its line, not a line (session 8)
        # a line dated as started and not ended: only a later sentence that says it was
        # stopped ("Discontinued for progression.") ends it; its end is the "last dose" date
        open_line = (
            therapy.get("start")
            and not therapy.get("end")
            and therapy.get("stop_reason") in (None, "ongoing")
        )
        if not open_line and (therapy.get("stop_reason") or not therapy.get("end")):
            continue
        end_seen: str | None = None
        pending: Mapping[str, Any] | None = None
        c_end = int(src["span"][1])
        k = bisect.bisect_right(starts, c_end - 1)
        for a, b in sents[k : k + int(spec["sentences"])]:
            between = text[c_end:a]
            sentence = text[a:b]
            if "\n\n" in re.sub(r"[ \t]+", "", between) or item.match(sentence):
                break
            named = drugs[bisect.bisect_left(drug_starts, a) : bisect.bisect_left(drug_starts, b)]
            if any(not set(d.inns) <= set(therapy["drugs"]) for d in named):
                break  # another therapy's sentence
            if open_line and (dose := last_dose.search(_iso_days(sentence))):
                end_seen = dose.group("d")
            elif (
                open_line
                and end_seen is None
                and stop_verb.search(sentence)
                and (said := stop_date.search(_iso_days(sentence)))
            ):
                end_seen = said.group("d")  # "In May 2026 ... the treatment was stopped" (session 8)
            if unless.search(sentence) or _held(sentence, cfg):
                continue
            hit = next((alt for p, alt in reasons if p.search(sentence)), None)
            if open_line and not stop_verb.search(sentence):
                pending = hit or pending  # "PET: new lesions - progression; both drugs stopped on <date>."
                continue
            # "both drugs stopped", not "the anti-emetic was stopped" (review)
            refers = named or refer.search(sentence)
            hit = hit or (pending if open_line and refers else None)
            if hit is not None and _taken_again(text, sents, b, cfg):
                break  # "B stopped in June for neutropenia. Restarted at 100 mg in July." (session 13)
            if hit is not None:
                if open_line:
                    end = _parse_date(end_seen, end=True) if end_seen else None
                    if end is not None:
                        therapy["end"] = end.isoformat()
                therapy["stop_reason"] = str(hit["stop_reason"])
                src["cue_rules"] = [*src.get("cue_rules", []), str(hit["id"])]
                src["later_stop"] = {"span": [a, b], "text": sentence.strip()}
                break


def _held(sentence: str, cfg: Mapping[str, Any]) -> bool:
    """Session 13: a later sentence about a hold ("B stopped for 7 days due to neutropenia,
    restarted at 100 mg"): the `not_stopped` words, with no real stop or with the drug taken again
    (`resumed`), give the line no stop reason."""
    held = cfg.get("not_stopped")
    if not held or not re.search(held["pattern"], sentence, re.IGNORECASE):
        return False
    resumed = cfg.get("resumed")
    return not re.search(held["unless"], sentence, re.IGNORECASE) or bool(
        resumed and re.search(resumed, sentence, re.IGNORECASE)
    )


def _taken_again(text: str, sents: list[tuple[int, int]], end: int, cfg: Mapping[str, Any]) -> bool:
    """The sentence right after a stop sentence (ending at ``end``) says the drug was taken again."""
    resumed = cfg.get("resumed")
    if not resumed:
        return False
    k = bisect.bisect_left([a for a, _ in sents], end)
    if k >= len(sents):
        return False
    a, b = sents[k]
    return "\n\n" not in text[end:a] and re.match(rf"\W*(?:{resumed})", text[a:b], re.IGNORECASE) is not None
