"""Pydantic models of ``knowledge/assumptions/*.yaml`` (issue 10): assumable fields, fields
never assumed, assumption policies. Re-exported by :mod:`mbc.knowledge.schema`.

.. versionadded:: 0.2
"""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from mbc.knowledge.conditions import Condition
from mbc.knowledge.schema import Evidence, Id, StrictModel

__all__ = ["AssumableField", "AssumptionPolicy", "AssumptionsFile", "TestBranch", "TestBranchCase"]


class AssumableField(StrictModel):
    """A record field that assumption policies may fill, or that a plan may branch on.

    .. versionadded:: 0.2
    """

    field: str = Field(
        pattern=r"^[a-z_]+(\[\])?(\.[a-z0-9_]+)*$",
        description="Record field path; 'prior_therapies[].setting' is a field of each therapy.",
    )
    label: str = Field(description="How a clinician names it, e.g. 'Menopausal status'.")
    safety: Literal[False] = Field(
        False, description="Always false: a safety fact is never assumed (see never_assume)."
    )
    branch: tuple[str | int | bool, ...] = Field(
        (),
        description="Values a plan may branch on (scenarios) when the field is unknown, no policy "
        "fills it and it decides between preferred options; empty = never branch.",
    )
    values: dict[str, str] = Field(
        default_factory=dict, description="How each value reads (JSON value -> words)."
    )
    exclusive: bool = Field(
        False,
        description="When the plan branches on this field, an option preferred in only some "
        "branches is not offered outright (e.g. endocrine therapy while a visceral crisis is "
        "possible). .. versionadded:: 0.3",
    )
    recorded_by: tuple[str, ...] = Field(
        (),
        description="Other record fields that record the same fact (e.g. tumor.her2_ihc for "
        "tumor.her2_status): when one is given, the field is not assumed or branched on. "
        ".. versionadded:: 0.3",
    )
    unless_text: tuple[str, ...] = Field(
        (),
        description="Regular expressions: when the free text a record was read from (a note, a "
        "question) matches one, no policy assumes this field (a signal against the usual case "
        "that the reader does not turn into a fact, e.g. 'frail' for ECOG, 'previously treated' "
        "for the therapy history). See mbc.engine.assume.blocked_by_text. .. versionadded:: 0.3",
    )


class AssumptionPolicy(StrictModel):
    """Assume a value for an unrecorded field when the context makes it the usual case.

    The policy fires when the field is not recorded, ``when`` is TRUE and ``unless`` is not
    TRUE (an unknown signal does not block: "no organ dysfunction recorded"). Policies of
    ``scope: therapy`` are evaluated once per prior therapy without a setting, with the
    patient's facts plus ``therapy.*`` facts of that therapy.

    .. versionadded:: 0.2
    """

    id: Id
    version: int = Field(ge=1)
    status: Literal["draft", "active", "retired"] = "active"
    title: str
    field: str = Field(description="An assumable field (see AssumptionsFile.fields).")
    assume: str | int | bool | tuple[str, ...] = Field(
        description="The value assumed (an empty list for prior_therapies = no therapy yet)."
    )
    shown: str = Field(description="How the assumption reads, e.g. 'no visceral crisis'.")
    scope: Literal["patient", "therapy"] = "patient"
    when: Condition | None = Field(None, description="Must be TRUE (omitted = always).")
    unless: Condition | None = Field(
        None, description="A recorded signal against the usual case; blocks only when TRUE."
    )
    why: str = Field(description="Why the usual case is assumed, in a clinician's words.")
    confirm: str = Field(description="What to do to confirm it.")
    evidence: Evidence


class TestBranchCase(StrictModel):
    """One result of a test: the derived facts it sets and how the branch reads.

    .. versionadded:: 0.3
    """

    if_: dict[str, str | int | bool] = Field(
        alias="if",
        description="Derived facts and the value this result gives them, e.g. {somatic.esr1: altered}.",
    )
    label: str = Field(description="The branch in words, e.g. 'if an ESR1 mutation is found'.")


class TestBranch(StrictModel):
    """Branches on a test not yet done (issue 10, session 3): when rules with a preferred
    option wait for one of its facts, the plan lists what each result would prefer
    (``Plan.scenarios`` with ``test``), without re-running the pipeline: only the rules that
    read the test's facts are evaluated again, and the options they would add pass the
    safety checks on the record as given.

    .. versionadded:: 0.3
    """

    id: Id
    version: int = Field(ge=1)
    label: str = Field(description="What is tested, e.g. 'Tumour genomics'.")
    test: str = Field(
        description="The test to order, e.g. 'ctDNA (or tissue) NGS for ESR1, PIK3CA, AKT1, PTEN'."
    )
    cases: tuple[TestBranchCase, ...] = Field(min_length=2)
    evidence: Evidence


class AssumptionsFile(StrictModel):
    """knowledge/assumptions/*.yaml: assumable fields, fields never assumed, policies.

    .. versionadded:: 0.2
    """

    schema_: Literal["mbc/assumptions@1"] = Field(alias="schema")
    fields: tuple[AssumableField, ...] = ()
    never_assume: tuple[str, ...] = Field(
        (), description="Safety facts (record fields) no policy may set: they stay alerts / workup."
    )
    policies: tuple[AssumptionPolicy, ...] = ()
    test_branches: tuple[TestBranch, ...] = Field(
        (), description="Branches on a test not yet done (scenarios naming the test)."
    )
