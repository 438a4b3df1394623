"""The plan: contract v1 output (CONTRACT.md §3) plus mbc's additive fields.

Every view (CLI text/markdown/JSON, REST, CDS Hooks cards, web page, patient view)
renders this one object. Items keep their trace: the rule id and version that produced
them, the facts used and the facts missing.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

__all__ = [
    "Alert",
    "Assumption",
    "Citation",
    "Classification",
    "ConditionalOption",
    "DoseLine",
    "MissingInfo",
    "NotRecommended",
    "Option",
    "Plan",
    "Scenario",
    "Summary",
    "SupportiveItem",
    "Trace",
    "WorkupItem",
]

_CFG = ConfigDict(frozen=True, extra="forbid")


class _Frozen(BaseModel):
    """Every part of a plan: frozen, no unknown key."""

    model_config = _CFG


class Citation(_Frozen):
    """A resolved citation."""

    id: str
    title: str
    short: str
    kind: str
    year: int
    url_or_doi: str | None = None
    verified: bool = True


class Trace(_Frozen):
    """Why an item is here: the rule (id@version) and the facts it used or lacked."""

    rule: str
    version: int
    facts_used: dict[str, Any] = Field(default_factory=dict)
    facts_missing: list[str] = Field(default_factory=list)
    assumed: list[str] = Field(
        default_factory=list,
        description="Record fields this item rests on that were assumed, not recorded "
        "(see Plan.assumptions).",
    )


class DoseLine(_Frozen):
    """One drug's dose, computed for this patient where the unit allows."""

    drug: str
    dose: str = Field(description="Human-readable dose, e.g. '8 mg/kg IV loading, then 6 mg/kg'.")
    computed: str | None = Field(None, description="For this patient, e.g. '480 mg'.")
    schedule: str
    adjustment: str | None = None
    citations: list[Citation] = Field(default_factory=list)
    verify: bool = Field(True, description="Doses must be verified against the current label.")


class Option(_Frozen):
    """A treatment option."""

    id: str
    regimen: str
    name: str
    drugs: list[str] = Field(description="Generic names, lower case (all alternatives included).")
    components: list[list[str]] = Field(
        default_factory=list, description="Per component, the interchangeable drugs."
    )
    category: Literal["preferred", "other", "certain_circumstances"]
    line: int | None
    rationale: str
    evidence: str
    evidence_level: str
    citations: list[Citation]
    note: str | None = None
    doses: list[DoseLine] = Field(default_factory=list)
    cautions: list[str] = Field(default_factory=list, description="Alert codes about this option.")
    trace: list[Trace] = Field(default_factory=list)
    qualifier: str | None = Field(
        None,
        description="What changes under a deciding unknown, e.g. "
        "'with ovarian suppression if premenopausal'.",
    )


class ConditionalOption(_Frozen):
    """An option that a rule would offer if a missing fact were known."""

    id: str
    regimen: str
    name: str
    drugs: list[str]
    category: Literal["preferred", "other", "certain_circumstances", "held"] = Field(
        description="The category its rule would give it; ``held`` (session 12) when a safety avoid "
        "waiting for the same fact holds it back: a possible contraindication, never a pending preference."
    )
    needs: list[str] = Field(description="Record fields that would decide it.")
    rule: str
    held_by: str | None = Field(
        None,
        description="rule_id@version of the avoid that holds it back until the fact is known (session 12).",
    )
    held_reason: str | None = Field(
        None, description="Why that avoid would rule it out, in the rule's own words (session 12)."
    )

    @classmethod
    def waiting(
        cls, opt: Any, *, category: str, needs: list[str], rule: str, **held: str
    ) -> ConditionalOption:
        """``opt`` (an offered option: id, regimen, name, drugs) held back until ``needs`` are known;
        ``held``: ``held_by`` / ``held_reason`` of the avoid that holds it."""
        return cls(
            id=opt.id,
            regimen=opt.regimen,
            name=opt.name,
            drugs=list(opt.drugs),
            category=category,  # type: ignore[arg-type]
            needs=needs,
            rule=rule,
            **held,
        )


class NotRecommended(_Frozen):
    """A drug or regimen that should not be used for this patient, and why."""

    id: str
    regimen: str | None = None
    name: str | None = None
    drugs: list[str]
    reason: str
    kind: Literal["contraindicated", "not_indicated", "declined"] = "not_indicated"
    citations: list[Citation]
    trace: list[Trace] = Field(default_factory=list)


class WorkupItem(_Frozen):
    id: str
    name: str
    reason: str
    urgency: Literal["routine", "soon", "emergency"]
    citations: list[Citation]
    trace: list[Trace] = Field(default_factory=list)


class SupportiveItem(_Frozen):
    id: str
    name: str
    detail: str
    drugs: list[str] = Field(default_factory=list)
    doses: list[DoseLine] = Field(default_factory=list)
    citations: list[Citation]
    trace: list[Trace] = Field(default_factory=list)


class Alert(_Frozen):
    severity: Literal["critical", "warning", "info"]
    code: str
    message: str
    action: str | None = None
    drugs: list[str] = Field(default_factory=list)
    citations: list[Citation]
    trace: list[Trace] = Field(default_factory=list)


class MissingInfo(_Frozen):
    field: str = Field(description="The record field that would supply the fact.")
    why: str = Field(description="Which decisions it changes.")
    ask: str = Field("", description="How to find it out.")
    facts: list[str] = Field(default_factory=list)
    decides: list[str] = Field(default_factory=list, description="Rule ids it would decide.")
    priority: Literal["treatment", "safety", "workup"] = Field(
        "workup", description="What it decides first: a treatment choice, a safety check, or workup."
    )
    label: str = Field("", description="How a clinician names it, e.g. 'Menopausal status'.")
    changes: int = Field(0, description="How many preferred options it would change (add, remove or alter).")


class Classification(_Frozen):
    subtype: Literal["HR+/HER2-", "HR+/HER2+", "HR-/HER2+", "TNBC", "unknown"]
    hr_status: Literal["positive", "low", "negative", "unknown"]
    her2_category: Literal["positive", "low", "ultralow", "zero", "equivocal", "negative", "unknown"]
    endocrine_resistance: Literal["none", "primary", "secondary", "not_applicable", "unknown"]
    line: int | None
    treated_as: str | None = Field(
        None,
        description="When guideline rules for a later line apply (early relapse), e.g. "
        "'endocrine-resistant: second-line endocrine rules apply'. .. versionadded:: 0.2.0",
    )
    er_status: str = "unknown"
    pr_status: str = "unknown"
    pdl1: str = Field("unknown", description="'CPS n (22C3)' or 'unknown'.")
    menopausal_status: str = "unknown"
    visceral_crisis: bool | None = None
    prior_metastatic_lines: int | None = None


class Assumption(_Frozen):
    """A fact the plan assumed because the record left it out (never a safety fact).

    .. versionadded:: 0.2
    """

    field: str = Field(description="The record field assumed, e.g. 'metastases.visceral_crisis'.")
    label: str = Field("", description="How a clinician names the field.")
    assumed: Any = Field(description="The value assumed.")
    shown: str = Field("", description="How the assumption reads, e.g. 'no visceral crisis'.")
    why: str
    confirm: str
    policy: str = Field("", description="policy_id@version (knowledge/assumptions).")
    citations: list[Citation] = Field(default_factory=list)


class Scenario(BaseModel):
    """A branch on a deciding unknown: the preferred options if the field had this value.

    .. versionadded:: 0.2
    """

    model_config = ConfigDict(
        frozen=True, extra="forbid", validate_by_name=True, validate_by_alias=True, serialize_by_alias=True
    )
    if_: dict[str, Any] = Field(alias="if", description="{record field: value}.")
    label: str = Field("", description="The branch in words, e.g. 'if premenopausal'.")
    options: list[str] = Field(
        default_factory=list,
        description="Preferred option ids in that case (each branch's best category when no "
        "branch has a preferred one).",
    )
    names: list[str] = Field(default_factory=list, description="Their names, in the same order.")
    test: str = Field(
        "",
        description="The test whose result this branch is, when the unknown is a test not yet done "
        "(then ``if`` names derived facts, e.g. somatic.esr1). .. versionadded:: 0.3",
    )


class Summary(_Frozen):
    """The bottom line every view shows first.

    .. versionadded:: 0.2
    """

    headline: str
    top_options: list[str] = Field(default_factory=list, description="Option ids, best first.")
    critical_alerts: list[str] = Field(default_factory=list, description="Alert codes.")
    decisive_unknown: str | None = Field(
        None, description="The record field that would most change the plan, or null."
    )


class Plan(_Frozen):
    """The plan for one patient."""

    contract_version: Literal[1] = 1
    patient_id: str
    kb_version: str
    engine_version: str
    as_of: dt.date
    region: Literal["US", "EU"] = Field(
        "US", description="Regulatory region: label-based options cite its regulator. .. versionadded:: 0.2.0"
    )
    classification: Classification
    options: list[Option] = Field(default_factory=list)
    not_recommended: list[NotRecommended] = Field(default_factory=list)
    workup: list[WorkupItem] = Field(default_factory=list)
    supportive_care: list[SupportiveItem] = Field(default_factory=list)
    alerts: list[Alert] = Field(default_factory=list)
    missing_information: list[MissingInfo] = Field(default_factory=list)
    conditional_options: list[ConditionalOption] = Field(default_factory=list)
    trials: list[dict[str, Any]] = Field(default_factory=list)
    notes: list[str] = Field(default_factory=list)
    rules_fired: list[str] = Field(default_factory=list, description="rule_id@version that fired.")
    rules_unknown: list[str] = Field(
        default_factory=list,
        description="rule_id@version that would fire if missing facts were known.",
    )
    facts: dict[str, Any] = Field(
        default_factory=dict, description="The derived facts the rules saw (false flags omitted)."
    )
    # issue 10: plans on incomplete records (CONTRACT.md section 3.1)
    assumptions: list[Assumption] = Field(
        default_factory=list, description="Facts assumed because the record left them out."
    )
    scenarios: list[Scenario] = Field(
        default_factory=list, description="Branches on a deciding unknown fact."
    )
    summary: Summary | None = Field(None, description="The bottom line, rendered first.")

    def to_json(self) -> dict[str, Any]:
        """The canonical JSON form (dates as ISO strings)."""
        return self.model_dump(mode="json")
