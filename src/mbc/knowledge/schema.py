"""Pydantic models of every knowledge-base file. JSON Schemas in knowledge/schema/ are
generated from these (``mbc kb schema --write``) and checked for staleness by a test.

Every model forbids unknown keys. Cross-references (regimen -> drug, rule -> citation,
fact path -> fact vocabulary ...) are checked by :mod:`mbc.knowledge.lint`.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Discriminator, Field, Tag

from mbc.knowledge.conditions import Condition

__all__ = [
    "Action",
    "AlertAction",
    "AvoidAction",
    "Category",
    "Component",
    "Definition",
    "DeriveFile",
    "Dose",
    "Drug",
    "DrugClass",
    "DrugsFile",
    "Evidence",
    "Fact",
    "FactsFile",
    "OptionAction",
    "Regimen",
    "RegimensFile",
    "Rule",
    "RulesFile",
    "SafetyFile",
    "SafetyRule",
    "Source",
    "SourcesFile",
    "StrictModel",
    "SupportiveAction",
    "Term",
    "TermsFile",
    "WorkupAction",
]

_STRICT = ConfigDict(frozen=True, extra="forbid", populate_by_name=True)

Id = Annotated[str, Field(pattern=r"^[a-z0-9][a-z0-9_.\-]*$", min_length=2, max_length=80)]
Category = Literal["preferred", "other", "certain_circumstances"]
Severity = Literal["critical", "warning", "info"]
Urgency = Literal["routine", "soon", "emergency"]


class StrictModel(BaseModel):
    """The base of the knowledge-file models: frozen, no unknown key, fields by name or alias."""

    model_config = _STRICT


# ------------------------------------------------------------------ sources / evidence


class Source(StrictModel):
    """A citable source: guideline, consensus, trial publication, or drug label."""

    id: Id
    kind: Literal["guideline", "consensus", "trial", "label", "review", "meta_analysis"]
    title: str = Field(description="Full title or a faithful short title.")
    short: str = Field(description="How it is cited in text, e.g. 'ASCO 2024' or 'EMERALD'.")
    org: str | None = Field(None, description="Issuing body or first author + journal.")
    year: int = Field(ge=1900, le=2100)
    version: str | None = Field(
        None, description="Edition or version of the source (e.g. a guideline's v2.2026); default its year."
    )
    doi: str | None = None
    pmid: str | None = None
    url: str | None = None
    verified: bool = Field(
        True,
        description="False when the fact this source supports could not be checked against a "
        "stored copy of the source (shown as lower evidence).",
    )
    note: str | None = None

    @property
    def edition(self) -> str:
        """The version a rule is reviewed against: ``version``, else the year."""
        return self.version or str(self.year)


class SourcesFile(StrictModel):
    schema_: Literal["mbc/sources@1"] = Field(alias="schema")
    sources: tuple[Source, ...]


class Evidence(StrictModel):
    level: Id = Field(description="An id from vocab/evidence_levels.yaml.")
    citations: tuple[Id, ...] = Field(min_length=1)


# ------------------------------------------------------------------ vocabularies


class Term(StrictModel):
    """A generic vocabulary term (tests, supportive-care items, symptoms, genes ...)."""

    id: Id
    name: str
    description: str | None = None
    synonyms: tuple[str, ...] = ()
    parents: tuple[Id, ...] = ()
    data: dict[str, Any] = Field(default_factory=dict, description="Term-specific attributes.")


class TermsFile(StrictModel):
    schema_: Literal["mbc/terms@1"] = Field(alias="schema")
    kind: str = Field(description="Which vocabulary this file defines, e.g. 'tests'.")
    terms: tuple[Term, ...]


class DrugClass(StrictModel):
    id: Id
    name: str
    parents: tuple[Id, ...] = ()
    description: str | None = None


class Drug(StrictModel):
    """A drug (INN, lower case) with its classes."""

    id: Id = Field(description="INN, lower case, words joined by underscores.")
    name: str = Field(description="INN as written, lower case, words separated by spaces.")
    classes: tuple[Id, ...] = Field(min_length=1)
    route: Literal["oral", "iv", "sc", "im", "mouthwash", "topical", "other"]
    brands: tuple[str, ...] = ()
    synonyms: tuple[str, ...] = ()
    rxnorm: str | None = None
    cancer_drug: bool = True


class DrugsFile(StrictModel):
    schema_: Literal["mbc/drugs@1"] = Field(alias="schema")
    classes: tuple[DrugClass, ...] = ()
    drugs: tuple[Drug, ...] = ()


class Dose(StrictModel):
    """A dose as written on the label or in the pivotal trial."""

    amount: float = Field(gt=0)
    unit: Literal["mg", "mg/kg", "mg/m2", "AUC", "mcg", "g", "IU", "ml"]
    route: Literal["oral", "iv", "sc", "im", "mouthwash", "topical", "other"]
    schedule: str = Field(description="Days and cycle, e.g. 'days 1-21 of a 28-day cycle'.")
    loading: tuple[float, str] | None = Field(
        None, description="(amount, schedule) of a loading dose in the same unit."
    )
    max_mg: float | None = Field(None, gt=0, description="Cap on the computed dose, in mg.")
    citations: tuple[Id, ...] = ()
    note: str | None = None


class Component(StrictModel):
    """One drug of a regimen, or a choice between interchangeable drugs."""

    drug: Id | None = None
    one_of: tuple[Id, ...] = ()
    dose: Dose | None = None
    doses: dict[Id, Dose] = Field(default_factory=dict, description="Per-drug doses for one_of.")


class Regimen(StrictModel):
    id: Id
    name: str
    components: tuple[Component, ...] = Field(min_length=1)
    kind: Literal[
        "endocrine", "endocrine_targeted", "targeted", "chemotherapy", "anti_her2",
        "adc", "immunotherapy", "other",
    ]  # fmt: skip
    description: str | None = None
    name_male: str | None = Field(None, description="Display name for a male patient, when it differs.")
    groups: tuple[Id, ...] = Field((), description="Regimen groups a rule can name (an avoid `group`).")


class RegimensFile(StrictModel):
    schema_: Literal["mbc/regimens@1"] = Field(alias="schema")
    regimens: tuple[Regimen, ...]


class Fact(StrictModel):
    """A fact the engine derives from the record and rules may test.

    ``id`` may contain one ``{vocab}`` placeholder: the fact then exists once for each term
    of that vocabulary, e.g. ``prior.class.{drug_classes}``.
    """

    id: str = Field(pattern=r"^[a-z0-9_.]+(\{[a-z_]+\})?[a-z0-9_.]*$")
    type: Literal["bool", "enum", "number", "int", "enum_list"]
    values: tuple[str, ...] = ()
    unit: str | None = None
    field: str = Field(description="Record field(s) that supply it (for missing_information).")
    ask: str = Field(description="What to do to learn it, in a clinician's words.")
    description: str
    derivation: str | None = Field(None, description="How it is derived, with its source.")
    traced: bool = Field(
        True,
        description="Listed in the plan's facts (the trace); false for facts derived for trial "
        "criteria and for the rules that test them, which show them in their own facts used.",
    )


class FactsFile(StrictModel):
    schema_: Literal["mbc/facts@1"] = Field(alias="schema")
    facts: tuple[Fact, ...]


class TableRow(StrictModel):
    """One row of a lookup table: ``value`` when every input named in ``when`` has the
    given value (an empty ``when`` always matches)."""

    when: dict[str, str] = Field(default_factory=dict)
    value: str | bool


class DeriveTable(StrictModel):
    """A first-match lookup from record values to a derived fact (e.g. HER2 IHC / ISH to
    the HER2 category): the first row that matches gives the value; none -> unknown.

    .. versionadded:: 0.2
    """

    inputs: tuple[str, ...] = Field(description="The input names the rows test.")
    rows: tuple[TableRow, ...] = Field(min_length=1)


class DeriveFile(StrictModel):
    """Named parameters of the derivations (thresholds live here, not in code)."""

    schema_: Literal["mbc/derive@1"] = Field(alias="schema")
    parameters: dict[str, float | int | str | tuple[str, ...]]
    tables: dict[str, DeriveTable] = Field(
        default_factory=dict, description="Named first-match lookup tables (categories, labels)."
    )
    citations: dict[str, tuple[Id, ...]] = Field(
        description="Parameter or table name -> citations supporting it."
    )
    line_adjustments: tuple[LineAdjustment, ...] = ()


class LineAdjustment(StrictModel):
    """Adds to the metastatic line when a condition holds (early-relapse rules)."""

    id: Id
    when: Condition
    add: int = Field(ge=1, le=2)
    reason: str
    treated_as: str | None = Field(
        None,
        description="What the plan says in classification.treated_as when this adjustment holds, "
        "e.g. 'endocrine-resistant: second-line endocrine rules apply' (the reported line stays "
        "the metastatic line).",
    )
    citations: tuple[Id, ...] = Field(min_length=1)


# ------------------------------------------------------------------ rules


class OptionAction(StrictModel):
    """Offer a regimen as a treatment option."""

    option: Id = Field(description="A regimen id.")
    category: Category
    add: tuple[Id, ...] = Field(
        (), description="Regimen ids given together with it, e.g. 'ofs' (ovarian suppression)."
    )
    note: str | None = None
    citations: tuple[Id, ...] = Field(
        (), description="The option's own evidence, some of the rule's citations (default: all of them)."
    )


class AvoidAction(StrictModel):
    """Say a regimen (or drugs) should not be used, and why."""

    avoid: Id | None = Field(None, description="A regimen id.")
    drugs: tuple[Id, ...] = ()
    group: Id | None = Field(None, description="Every regimen with this id in its `groups` (one avoid each).")
    # (the KB writes a group out as one avoid per member, ``avoid`` and ``group`` both set)
    reason: str


class WorkupAction(StrictModel):
    """Order or consider a test."""

    workup: Id = Field(description="A term id from vocab/tests.yaml.")
    urgency: Urgency = "routine"
    reason: str
    for_drugs: tuple[Id, ...] = Field(
        (),
        description="Drug-tied test: kept only when an offered option contains one of these "
        "drugs or a drug of one of these classes (drug or class ids).",
    )


class SupportiveAction(StrictModel):
    """A supportive-care item."""

    supportive: Id = Field(description="A term id from vocab/supportive.yaml.")
    detail: str
    drugs: tuple[Id, ...] = ()


class AlertAction(StrictModel):
    """Raise an alert."""

    alert: Id = Field(description="Alert code.")
    severity: Severity
    message: str
    drugs: tuple[Id, ...] = ()


def _action_kind(value: Any) -> str | None:
    keys = ("option", "avoid", "workup", "supportive", "alert")
    if isinstance(value, dict):
        for k in keys:
            if k in value:
                return k
        return "avoid" if "drugs" in value else None
    for k, cls in zip(
        keys,
        (OptionAction, AvoidAction, WorkupAction, SupportiveAction, AlertAction),
        strict=True,
    ):
        if isinstance(value, cls):
            return k
    return None


Action = Annotated[
    Annotated[OptionAction, Tag("option")]
    | Annotated[AvoidAction, Tag("avoid")]
    | Annotated[WorkupAction, Tag("workup")]
    | Annotated[SupportiveAction, Tag("supportive")]
    | Annotated[AlertAction, Tag("alert")],
    Discriminator(_action_kind),
]


class Review(StrictModel):
    """Who checked a rule, when, and against which versions of its sources.

    ``kind: internal`` is a consistency review by the KB maintainers (rule matches the cited
    source text as summarised in the research notes); it is NOT a clinician sign-off, which
    is ``kind: clinician``.

    .. versionchanged:: 0.2 ``kind`` and ``source_version`` added.
    """

    on: dt.date
    by: tuple[str, ...] = Field(min_length=1)
    kind: Literal["internal", "clinician"] = Field(
        "clinician", description="internal: KB team consistency review, not a clinician sign-off."
    )
    source_version: dict[str, str] = Field(
        default_factory=dict, description="Citation id -> the source version (edition / year) reviewed."
    )


class Rule(StrictModel):
    """A cited decision rule: when ``when`` holds and ``unless`` does not, do ``then``."""

    id: Id = Field(description="Stable; never reused. A renamed rule is a new id + replaces.")
    version: int = Field(ge=1)
    status: Literal["draft", "active", "retired"] = "active"
    title: str
    when: Condition
    unless: Condition | None = None
    hold_if_unknown: bool | Condition = Field(
        False,
        description="Session 12: an undecided safety exclusion holds its subject back as a conditional "
        "option (check the missing fact first): an option rule whose `unless` is UNKNOWN, or the "
        "options an avoid rule whose `when` is UNKNOWN names. A condition: only when it is TRUE (the "
        "doubt is on record). Default: an unknown `unless` does not hold back; an avoid rule only asks.",
    )
    then: tuple[Action, ...] = Field(min_length=1)
    evidence: Evidence
    rationale: str = Field(description="One or two plain sentences a clinician can read.")
    missing_why: str | None = Field(
        None, description="How to say what an unknown fact decides here (default: the title)."
    )
    replaces: Id | None = None
    replaced_by: Id | None = None
    reviewed: Review | None = None


class Definition(StrictModel):
    """A named, versioned condition that rules share by reference (``{ref: <id>}``).

    Changing its condition changes every rule that uses it: bump its ``version`` and the
    version of each rule that uses it (``mbc kb diff`` lists them and the clinical effect).

    .. versionadded:: 0.2 (replaces YAML anchors and aliases in rule files)
    """

    id: Id = Field(description="Stable id, referred to as {ref: <id>} in conditions.")
    version: int = Field(ge=1)
    title: str | None = Field(None, description="What the condition means, in words.")
    when: Condition


class RulesFile(StrictModel):
    schema_: Literal["mbc/rules@1"] = Field(alias="schema")
    topic: str
    rules: tuple[Rule, ...]
    defines: tuple[Definition, ...] = Field(
        (), description="Named conditions any rule of the KB may refer to with {ref: <id>}."
    )


class SafetyRule(StrictModel):
    """A contraindication or caution for drugs, evaluated against the patient.

    It applies to an option when the option's regimen contains any of ``drugs`` or a drug
    of any of ``classes``; with ``combination``, only when the regimen has a drug of each
    listed class at once (e.g. anti-HER2 antibody + anthracycline).
    """

    id: Id
    version: int = Field(ge=1)
    status: Literal["draft", "active", "retired"] = "active"
    title: str
    drugs: tuple[Id, ...] = ()
    classes: tuple[Id, ...] = ()
    combination: tuple[Id, ...] = Field(
        default=(),
        description="Drug classes or drugs given together in one regimen (each entry names a class "
        "or a drug id), e.g. [anti_her2_antibody, anthracycline].",
    )
    routes: tuple[Literal["oral", "iv", "sc", "im"], ...] = Field(
        (),
        description="Routes of administration (session 10): the rule applies to every drug of the "
        "regimen given by one of these routes (e.g. [iv, sc, im] for a patient who takes tablets only).",
    )
    not_with: tuple[Id, ...] = Field(
        (),
        description="Drug classes or drugs whose presence in the same regimen makes the rule not "
        "apply (e.g. an AI in a man is fine with a GnRH agonist).",
    )
    when: Condition | None = Field(None, description="Patient condition; omitted = always.")
    ask_if_unknown: bool = Field(
        True,
        description="When `when` cannot be decided, list its facts as missing information "
        "(false for facts that are not gaps in the record, such as unstated preferences).",
    )
    effect: Literal["contraindicated", "caution", "declined", "no_adjustment", "exempt"] = Field(
        description="contraindicated / declined: the option moves to not_recommended; "
        "caution: it stays, with an alert (never above 'other' when the alert is critical); "
        "no_adjustment: a statement that the label needs no change for this organ (never "
        "applied; it documents that the drug was checked); exempt: an exception to a "
        "progression rule (``progressed_on: exception``)."
    )
    progressed_on: Literal["drug", "class", "exception"] | None = Field(
        None,
        description="A progression rule: it concerns only the drugs of an option on which "
        "metastatic disease progressed (drug), or every drug of a listed class when a drug of "
        "that class progressed (class); an exception names drugs / classes that may be given "
        "again (e.g. an anti-HER2 antibody beyond progression) when its condition holds.",
    )
    organ: Literal["hepatic", "renal", "cardiac", "pregnancy", "interaction", "other"] | None = Field(
        None,
        description="The domain of the limit (kb lint requires hepatic and renal entries, and "
        "reports cardiac ones, for every systemic anticancer drug).",
    )
    dose_percent: int | None = Field(
        None,
        ge=1,
        le=100,
        description="Starting dose as a percentage of the usual dose when this caution applies "
        "(label dose modification); the doses stage states it on the drug's dose line.",
    )
    severity: Severity = "warning"
    message: str
    action: str | None = Field(None, description="What to do instead / how to proceed.")
    evidence: Evidence


class SafetyFile(StrictModel):
    schema_: Literal["mbc/safety@1"] = Field(alias="schema")
    safety: tuple[SafetyRule, ...]


# The models of knowledge/assumptions/ (issue 10) are in mbc.knowledge._schema_assumptions.

DeriveFile.model_rebuild()
