"""The passes over a patient's placed lines of therapy (split from :mod:`_fhir_lines`):
an early chemotherapy chain is one course, a metastatic line resumed after a break is one
line, a switch for toxicity is not a new line, and a line stopped at progression ends on the
progression's date."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from mbc.ingest._data import drug_index

if TYPE_CHECKING:
    from mbc.ingest._fhir_lines import _Course

# Why a drug stopped when another that follows soon is a switch within the same line: toxicity
# (a change with no reason given, or for another reason, may hide a progression: not merged).
_SWITCH_REASONS = frozenset({"toxicity"})
_GUESSED = "fhir.therapy.intent_no_surgery"


def _progression_end(
    line: _Course, progression: list[dt.date], starts: list[dt.date], gap: dt.timedelta
) -> dt.date:
    """A line stopped at progression whose records include an order or a statement (not only
    administrations, each a dose given on its day) ends on the progression's date when that is
    recorded after its last date, within a course gap (oral drugs dispensed for weeks ahead,
    the scan that showed progression later) and before any other line began; otherwise on its
    last date."""
    if all(ref.startswith("MedicationAdministration/") for ref in line.refs):
        return line.end
    after = [
        p
        for p in progression
        if line.end < p <= line.end + gap and not any(line.end < s <= p for s in starts)
    ]
    return min(after) if after else line.end


def _early_chains(
    lines: list[tuple[_Course, str | None, str]], gap: dt.timedelta
) -> list[tuple[_Course, str | None, str]]:
    """An early chemotherapy chain ("AC then a taxane", both adjuvant) is one course: a
    line of the same (neo)adjuvant setting that starts within ``gap`` of the previous one's
    end joins it, unless either holds an endocrine drug (adjuvant endocrine therapy after
    chemotherapy stays its own course)."""
    group = drug_index().group
    out: list[tuple[_Course, str | None, str]] = []
    for line, setting, rule in lines:
        if out:
            prev, prev_setting, prev_rule = out[-1]
            if setting in ("neoadjuvant", "adjuvant") and prev_setting in ("neoadjuvant", "adjuvant"):
                # "curative" AC with no surgery known, then a taxane written neoadjuvant
                if prev_rule == _GUESSED and rule != _GUESSED:
                    prev_setting, prev_rule = setting, rule
                elif rule == _GUESSED and prev_rule != _GUESSED:
                    setting, rule = prev_setting, prev_rule
            if (
                setting in ("neoadjuvant", "adjuvant")
                and setting == prev_setting
                and line.start <= prev.end + gap
                and not any(group.get(d) == "endocrine" for d in [*line.drugs, *prev.drugs])
                and not (line.active or prev.active)
            ):
                prev.drugs.extend(d for d in line.drugs if d not in prev.drugs)
                prev.end = max(prev.end, line.end)
                prev.stop_reason = line.stop_reason or prev.stop_reason
                prev.done = prev.done and line.done
                prev.refs.extend(line.refs)
                out[-1] = (prev, prev_setting, prev_rule)
                continue
        out.append((line, setting, rule))
    return out


def _breaks(
    lines: list[tuple[_Course, str | None, str]], progression: list[dt.date]
) -> list[tuple[_Course, str | None, str]]:
    """A metastatic line that gives again exactly the drugs of the line just before it, when
    that line ended with no reason recorded (not progression, toxicity or completion) and no
    progression was recorded between them, is the same line resumed after a break
    (administrations months apart, a treatment holiday): one line, not two."""
    out: list[tuple[_Course, str | None, str]] = []
    for line, setting, rule in lines:
        if out:
            prev, prev_setting, _ = out[-1]
            if (
                setting == prev_setting == "metastatic"
                and sorted(prev.drugs) == sorted(line.drugs)
                and not prev.active
                and prev.stop_reason is None  # a completed course given again is a re-challenge
                and prev.end <= line.start
                and not any(prev.start <= p < line.start for p in progression)
            ):
                prev.end, prev.active, prev.stop_reason = line.end, line.active, line.stop_reason
                prev.done = prev.done and line.done
                prev.refs.extend(line.refs)
                continue
        out.append((line, setting, rule))
    return out


def _toxicity_switches(
    lines: list[tuple[_Course, str | None, str]], window: dt.timedelta
) -> list[tuple[_Course, str | None, str]]:
    """A line stopped for toxicity (not progression) and another of the same setting started
    within ``window`` of its end are one line: a switch for toxicity is not a new line of
    therapy (one CDK4/6 inhibitor then another; an adjuvant AI then another). In early disease only
    a like-for-like switch (endocrine for endocrine, chemotherapy for chemotherapy); early
    endocrine drugs one after another (a SERM then an AI) are one endocrine course whatever
    the reason, unless the first stopped at progression."""
    group = drug_index().group

    def endocrine(x: _Course) -> bool:
        return all(group.get(d) == "endocrine" for d in x.drugs)

    out: list[tuple[_Course, str | None, str]] = []
    for line, setting, rule in lines:
        if out:
            prev, prev_setting, _ = out[-1]
            early = setting in ("adjuvant", "neoadjuvant")
            if (
                setting == prev_setting
                and setting in ("metastatic", "adjuvant", "neoadjuvant")
                and (not early or endocrine(prev) == endocrine(line))
                and (
                    prev.stop_reason in _SWITCH_REASONS
                    or (early and endocrine(prev) and endocrine(line) and prev.stop_reason != "progression")
                )  # one early endocrine course: a SERM then an AI, a planned sequence
                and not prev.active
                and prev.end <= line.start <= prev.end + window
            ):
                prev.drugs.extend(d for d in line.drugs if d not in prev.drugs)
                prev.end, prev.active, prev.stop_reason = line.end, line.active, line.stop_reason
                prev.done = line.done
                prev.refs.extend(line.refs)
                continue
        out.append((line, setting, rule))
    return out
