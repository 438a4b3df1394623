"""The passes over a patient's placed lines of therapy (split from :mod:`_fhir_lines`): one
merge, driven by three join rules, each a pass in turn — an early chemotherapy chain is one
course, a metastatic line resumed (or continued with fewer drugs) after a break is one line, a
switch for toxicity is not a new line — and a line stopped at progression ends on the
progression's date.

Every join merges the same way (:func:`_join`): the drugs of both, the later part's end,
activity and completion (the course ends as its last part ended), and its stop reason; only a
chain keeps the earlier part's reason when the later gives none (AC completed, then the taxane
with no reason: completed)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Collection
from dataclasses import dataclass
from typing import TYPE_CHECKING

from mbc.ingest._data import drug_index, load_yaml

if TYPE_CHECKING:
    from mbc.ingest._fhir_lines import _Course

# Why a drug stopped when another that follows soon is a switch within the same line: toxicity
# (a change with no reason given, or for another reason, may hide a progression: not merged).
_SWITCH_REASONS = frozenset({"toxicity"})
_GUESSED = "fhir.therapy.intent_no_surgery"
_EARLY = ("neoadjuvant", "adjuvant")

Placed = tuple["_Course", str | None, str]


@dataclass(frozen=True)
class JoinParams:
    """The windows and data the join rules read (``therapy_grouping`` in fhir.yaml)."""

    gap: dt.timedelta  # same_course_gap_days: an early chain's parts follow within it
    switch: dt.timedelta  # toxicity_switch_days
    progression: tuple[dt.date, ...] = ()
    resume_subset: dt.timedelta = dt.timedelta(0)  # resume_subset_days
    chain_excludes: Collection[str] = ()  # early_chain_excludes: drugs a chain never absorbs
    full_course: dt.timedelta = dt.timedelta(0)  # endocrine_full_course_days


@dataclass(frozen=True)
class _Rule:
    name: str
    joins: Callable[[Placed, Placed, JoinParams], bool]
    keeps_reason: bool = False  # the earlier part's reason stays when the later gives none


def _endocrine(x: _Course) -> bool:
    group = drug_index().group
    return all(group.get(d) == "endocrine" for d in x.drugs)


def _chain(before: Placed, after: Placed, p: JoinParams) -> bool:
    """An early chemotherapy chain ("AC then a taxane", both adjuvant) is one course: a line of
    the same (neo)adjuvant setting that starts within the course gap of the previous one's end
    joins it, unless either holds an endocrine drug (adjuvant endocrine therapy after
    chemotherapy stays its own course) or a drug the chain never absorbs (``chain_excludes``:
    the anti-HER2 antibodies begun with the taxane after an anthracycline pair: two
    regimens as written)."""
    (prev, prev_setting, _), (line, setting, _) = before, after
    group = drug_index().group
    both = [*line.drugs, *prev.drugs]
    return (
        setting in _EARLY
        and setting == prev_setting
        and line.start <= prev.end + p.gap
        and not any(group.get(d) == "endocrine" or d in p.chain_excludes for d in both)
        and not (line.active or prev.active)
    )


def _resumed(before: Placed, after: Placed, p: JoinParams) -> bool:
    """A metastatic line that gives again the drugs of the line just before it, when that line
    ended with no reason recorded (not progression, toxicity or completion) and no progression
    was recorded between them, is the same line resumed after a break (administrations months
    apart, a treatment holiday): one line. Exactly the same drugs at any distance; some of them
    only (the antibodies going on after the taxane of the line stopped) within
    ``resume_subset_days``."""
    (prev, prev_setting, _), (line, setting, _) = before, after
    same = sorted(prev.drugs) == sorted(line.drugs)
    # ... at any distance when a record of the earlier line says the therapy goes on past it
    fewer = set(line.drugs) < set(prev.drugs) and (line.start <= prev.end + p.resume_subset or prev.goes_on)
    return (
        setting == prev_setting == "metastatic"
        and (same or fewer)
        and not prev.active
        and prev.stop_reason is None  # a completed course given again is a re-challenge
        and prev.end <= line.start
        and not any(prev.start <= x < line.start for x in p.progression)
    )


def _switched(before: Placed, after: Placed, p: JoinParams) -> bool:
    """A line stopped for toxicity (not progression) and another of the same setting started
    within ``toxicity_switch_days`` of its end are one line: a switch for toxicity is not a new
    line (one CDK4/6 inhibitor then another; an adjuvant AI then another). In early disease only
    a like-for-like switch (endocrine for endocrine, chemotherapy for chemotherapy); early
    endocrine drugs one after another (a SERM then an AI) are one endocrine course whatever the
    reason, unless the first stopped at progression or was completed as a full course
    (``endocrine_full_course_days``: five years of a SERM, then extended adjuvant AI: two
    courses; two years of it, then an AI: one)."""
    (prev, prev_setting, _), (line, setting, _) = before, after
    early = setting in _EARLY
    sequence = early and _endocrine(prev) and _endocrine(line) and prev.stop_reason != "progression"
    full = bool(p.full_course) and prev.done and prev.end - prev.start >= p.full_course
    sequence = sequence and not full
    return (
        setting == prev_setting
        and setting in ("metastatic", *_EARLY)
        and (not early or _endocrine(prev) == _endocrine(line))
        and (prev.stop_reason in _SWITCH_REASONS or sequence)
        and not prev.active
        and prev.end <= line.start <= prev.end + p.switch
    )


# The join rules, each applied as one pass over the lines in this order.
RULES: tuple[_Rule, ...] = (
    _Rule("early_chain", _chain, keeps_reason=True),
    _Rule("resumed", _resumed),
    _Rule("toxicity_switch", _switched),
)


def _align_guessed(before: Placed, after: Placed) -> tuple[Placed, Placed]:
    """ "Curative" AC with no surgery known (adjuvant guessed), then a taxane written
    neoadjuvant: the setting written on one part is the setting of the other."""
    (prev, prev_setting, prev_rule), (line, setting, rule) = before, after
    if setting in _EARLY and prev_setting in _EARLY:
        if prev_rule == _GUESSED and rule != _GUESSED:
            return (prev, setting, rule), after
        if rule == _GUESSED and prev_rule != _GUESSED:
            return before, (line, prev_setting, prev_rule)
    return before, after


def _join(prev: _Course, line: _Course, keeps_reason: bool) -> None:
    prev.drugs.extend(d for d in line.drugs if d not in prev.drugs)
    prev.end = max(prev.end, line.end)
    prev.active, prev.done = line.active, line.done
    prev.stop_reason = line.stop_reason or (prev.stop_reason if keeps_reason else None)
    prev.refs.extend(line.refs)
    prev.goes_on = line.goes_on
    if prev.members is not None:
        prev.members.extend(line.members or [line])


def merge_lines(placed: list[Placed], params: JoinParams, rules: tuple[_Rule, ...] = RULES) -> list[Placed]:
    """Each rule in turn, one pass each: a line the rule joins to the line just before it is
    merged into that line."""
    for rule in rules:
        out: list[Placed] = []
        for item in placed:
            if out:
                before, after = out[-1], item
                if rule.keeps_reason:  # a chain: a setting guessed on one part is the other's
                    before, after = _align_guessed(before, after)
                if rule.joins(before, after, params):
                    _join(before[0], after[0], rule.keeps_reason)
                    out[-1] = before
                    continue
                item = after
            out.append(item)
        placed = out
    return placed


def _progression_end(
    line: _Course,
    progression: list[dt.date],
    starts: list[dt.date],
    gap: dt.timedelta,
    backbone: Collection[str] = (),
) -> dt.date:
    """A line stopped at progression ends on the progression's date when that is recorded after
    its last date, within a course gap (oral drugs dispensed or ordered for weeks ahead, the scan
    that showed progression later) and before any other line began; otherwise on its last date.
    A line whose drugs that stopped last (ovarian suppression aside) were given by
    administrations ends on the last one: each records a dose given on its day."""
    core = [m for m in line.members or [line] if not set(m.drugs) <= set(backbone)] or [line]
    last = max(m.end for m in core)
    if any(ref.startswith("MedicationAdministration/") for m in core if m.end == last for ref in m.refs):
        return line.end
    after = [
        p
        for p in progression
        if line.end < p <= line.end + gap and not any(line.end < s <= p for s in starts)
    ]
    return min(after) if after else line.end


def end_superseded(
    placed: list[Placed],
    progression: Collection[dt.date],
    window: dt.timedelta,
    backbone: Collection[str] = (),
    regimens: Collection[frozenset[str]] = (),
) -> list[dt.date | None]:
    """A line still recorded as going on (no end date, status active) when a later metastatic
    line began that did not join it has ended: a record nobody closed, not a therapy running
    beside the next line. It ends at the last progression recorded between the two starts
    (stop reason progression), else when the later line began (stop reason unknown). Ovarian
    suppression alone goes on beside successive lines, and a later line must begin more than
    ``window`` after it (drugs begun together are one line). A drug of it still going on that,
    with the later line's drugs, makes up exactly a known regimen (``regimens``: a HER2 antibody
    going on into a TKI + fluoropyrimidine regimen that holds it) is carried into that line, not
    ended. Returns, per
    line, the progression it stopped at (None: not superseded, or no progression between)."""
    out: list[dt.date | None] = [None] * len(placed)
    for i, (line, _, _) in enumerate(placed):
        if not line.active or set(line.drugs) <= set(backbone):
            continue
        later = [
            x.start
            for x, setting, _ in placed
            if x is not line and setting == "metastatic" and x.start > line.start + window
            and not set(x.drugs) <= set(backbone)
        ]  # fmt: skip
        if not later:
            continue
        nxt = min(later)
        _carry(line, next(x for x, s, _ in placed if x.start == nxt and s == "metastatic"), regimens)
        between = [p for p in progression if line.start < p <= nxt]
        line.active = False
        line.end = max(between) if between else nxt
        if between:
            line.stop_reason = "progression"
            out[i] = line.end
    return out


def _carry(line: _Course, nxt: _Course, regimens: Collection[frozenset[str]]) -> None:
    """The drugs of ``line`` still going on that, with ``nxt``'s drugs, make up exactly a known
    regimen: given on in ``nxt`` (put in its drugs)."""
    going = [d for m in line.members or [line] if m.active for d in m.drugs]
    for d in going:
        if d not in nxt.drugs and frozenset([*nxt.drugs, d]) in regimens:
            nxt.drugs.append(d)


def known_regimens() -> frozenset[frozenset[str]]:
    """The known regimens made up of named drugs only (``knowledge/vocab/regimens.yaml``; a
    component giving a choice of drugs is no exact set), as sets of drug names."""
    out = set()
    for reg in (load_yaml("vocab/regimens.yaml") or {}).get("regimens") or []:
        comps = reg.get("components") or []
        if comps and all(isinstance(c, dict) and "drug" in c for c in comps):
            out.add(frozenset(str(c["drug"]).replace("_", " ") for c in comps))
    return frozenset(out)


def progressing(line: _Course, progression: list[dt.date], starts: list[dt.date], window: int) -> bool:
    """A metastatic line still recorded as going on, the last one begun, with a progression
    recorded more than ``window`` days after its start (a RECIST "progressive disease" result
    while the drugs' records still say active): the disease progressed on it. When it stopped
    is not recorded, so it gets no end."""
    after = line.start + dt.timedelta(days=window)
    return not any(s > line.start for s in starts) and any(p > after for p in progression)
