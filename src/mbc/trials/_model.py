"""Typed records of the trial matcher: a trial, its parsed criteria and a match.

All are frozen. A :class:`Criterion` keeps the sentence it came from, its section
(inclusion or exclusion) and, when a pattern understood it, a condition in the shared
condition language (:mod:`mbc.knowledge.conditions`). A criterion without a condition
is *needs review*: kept, shown, never counted as met.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal, NewType

from pydantic import BaseModel, ConfigDict, Field

# Imported at runtime: pydantic resolves the field annotations below.
from mbc.knowledge.conditions import Condition

__all__ = [
    "Criterion",
    "CriterionResult",
    "Kind",
    "MatchStatus",
    "Result",
    "Trial",
    "TrialId",
    "TrialMatch",
]

TrialId = NewType("TrialId", str)
Kind = Literal["inclusion", "exclusion"]
Result = Literal["met", "not_met", "unknown", "needs_review"]
MatchStatus = Literal["eligible", "possible", "excluded"]

_FROZEN = ConfigDict(frozen=True, extra="forbid")


class Criterion(BaseModel):
    """One eligibility sentence, parsed (``condition`` set) or kept for review.

    For an exclusion criterion ``condition`` describes who is *excluded*; the patient
    passes the criterion when it is FALSE.
    """

    model_config = _FROZEN

    text: str = Field(description="The source sentence, verbatim after whitespace clean-up.")
    kind: Kind = Field(description="Section the sentence came from.")
    condition: Condition | None = Field(None, description="Structured condition; None = needs review.")
    patterns: tuple[str, ...] = Field((), description="Ids of the patterns that produced it.")
    categories: tuple[str, ...] = Field((), description="Pattern categories (stage, subtype...).")
    source: Literal["text", "registry"] = Field(
        "text", description="Eligibility text, or a structured registry field (sex, ages)."
    )
    note: str | None = Field(None, description="Why a sentence was left for review.")
    cohort: str | None = Field(
        None, description="Cohort / arm / part the sentence is limited to ('cohort 2')."
    )


class Trial(BaseModel):
    """A registry record reduced to what matching and display need."""

    model_config = _FROZEN

    nct_id: str = Field(description="NCT number.")
    title: str = ""
    official_title: str | None = None
    status: str | None = Field(None, description="Overall recruitment status, upper snake case.")
    phases: tuple[str, ...] = ()
    conditions: tuple[str, ...] = ()
    interventions: tuple[str, ...] = ()
    eligibility_text: str = ""
    sex: Literal["all", "female", "male"] | None = None
    minimum_age_years: float | None = None
    maximum_age_years: float | None = None
    locations: tuple[str, ...] = ()
    start_date: dt.date | None = None
    last_update: dt.date | None = Field(None, description="Last update posted to the registry.")
    source_format: str = Field("ctgov_v2", description="Record shape it was read from.")
    criteria: tuple[Criterion, ...] | None = Field(
        None, description="Parsed criteria (filled by the registry); None = not parsed yet."
    )
    parsed_with: str | None = Field(None, description="Fingerprint of the patterns used.")

    def staleness_days(self, as_of: dt.date) -> int | None:
        """Days between the last registry update and ``as_of`` (None if unknown)."""
        if self.last_update is None:
            return None
        return (as_of - self.last_update).days


class CriterionResult(BaseModel):
    """How one criterion fares for one patient."""

    model_config = _FROZEN

    criterion: Criterion
    result: Result
    facts_used: dict[str, Any] = Field(default_factory=dict)
    facts_missing: tuple[str, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        """The JSON form used by the CLI, the plan and the web page."""
        return {
            "text": self.criterion.text,
            "kind": self.criterion.kind,
            "result": self.result,
            "facts_used": {k: _jsonable(v) for k, v in sorted(self.facts_used.items())},
            "facts_missing": list(self.facts_missing),
            "categories": list(self.criterion.categories),
            "source": self.criterion.source,
        }


class TrialMatch(BaseModel):
    """One trial judged for one patient, with every criterion's result."""

    model_config = _FROZEN

    trial: Trial
    status: MatchStatus
    score: float
    criteria: tuple[CriterionResult, ...]
    staleness_days: int | None = None
    reasons: tuple[str, ...] = Field((), description="Short reasons for the status.")
    needs: tuple[str, ...] = Field(
        (), description="Facts the record lacks that open criteria depend on, most decisive first."
    )

    def counts(self) -> dict[str, int]:
        """How many criteria are met / not met / unknown / need review."""
        out = {"met": 0, "not_met": 0, "unknown": 0, "needs_review": 0}
        for c in self.criteria:
            out[c.result] += 1
        return out

    def to_dict(self) -> dict[str, Any]:
        """The JSON form (``mbc trials --format json`` prints a list of these).

        .. versionchanged:: issue-16
           ``nct_id``, ``url``, ``phase``, ``missing_facts``, ``settle`` (the fact that
           would settle a possible match) and ``reason`` (one plain line).
        """
        t = self.trial
        missing = self.needs
        return {
            "nct_id": t.nct_id,
            "url": f"https://clinicaltrials.gov/study/{t.nct_id}",
            "phase": phase_label(t.phases),
            "missing_facts": list(missing),
            "settle": missing[0] if missing else None,
            "reason": self.reason(),
            "trial": t.nct_id,
            "status": self.status,
            "score": self.score,
            "title": t.title,
            "recruitment_status": t.status,
            "phases": list(t.phases),
            "last_update": t.last_update.isoformat() if t.last_update else None,
            "staleness_days": self.staleness_days,
            "locations": list(t.locations),
            "reasons": list(self.reasons),
            "counts": self.counts(),
            "criteria": [c.to_dict() for c in self.criteria],
        }

    def reason(self) -> str:
        """One plain line: why this status."""
        c = self.counts()
        if self.status == "excluded":
            first = next((r for r in self.criteria if r.result == "not_met"), None)
            return f"Not eligible: {first.criterion.text}" if first else "Not eligible."
        if self.status == "possible":
            missing = self.needs
            need = f"; needs {missing[0]}" if missing else ""
            return f"Possible match: {c['unknown']} criteria open{need}."
        review = f"; {c['needs_review']} for a clinician to check" if c["needs_review"] else ""
        return f"Eligible on every criterion read ({c['met']} met{review})."


def phase_label(phases: tuple[str, ...]) -> str | None:
    """'PHASE1', 'PHASE2' -> 'Phase 1/2'; 'NA' -> None."""
    nums = [p.upper().replace("PHASE", "").replace("_", " ").strip() for p in phases]
    nums = [n for n in nums if n and n not in {"NA", "N/A"}]
    if not nums:
        return None
    return "Phase " + "/".join(n.replace("EARLY 1", "early 1").replace("EARLY1", "early 1") for n in nums)


def _jsonable(value: Any) -> Any:
    if isinstance(value, tuple | list | set | frozenset):
        return [_jsonable(v) for v in value]
    if isinstance(value, dt.date):
        return value.isoformat()
    return value
