"""Dose tables: the schema of ``knowledge/doses/*.yaml`` (``schema: mbc/doses@1``) and
their loader.

A dose entry belongs to one drug, optionally restricted to the regimens or supportive-care
items (``contexts``) in which it applies (one drug may have a different dose in each
regimen). Renal / hepatic adjustments are written in the rule condition language
and are evaluated three-valued against the patient's facts by :mod:`mbc.engine.doses`.
The files are read through :func:`mbc.knowledge.loader.read_yaml` from ``kb.path / "doses"``
and cached per KB path.

.. versionadded:: 0.1.0
"""

from __future__ import annotations

import functools
from collections.abc import Mapping
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from mbc.errors import KnowledgeError, Problem
from mbc.knowledge.conditions import Condition
from mbc.knowledge.loader import KnowledgeBase, read_yaml
from mbc.knowledge.schema import StrictModel

__all__ = [
    "DoseAdjustment",
    "DoseEntry",
    "DoseParameter",
    "DoseTables",
    "DoseWaiver",
    "DosesFile",
    "Loading",
    "load_doses",
    "whole_units",
]

Unit = Literal["mg", "mg/kg", "mg/m2", "AUC", "mcg", "g", "IU", "ml"]
Route = Literal["oral", "iv", "sc", "im", "mouthwash", "topical", "other"]


class Loading(StrictModel):
    """A loading dose given before the maintenance dose, in the entry's unit."""

    amount: float = Field(gt=0)
    schedule: str = Field(description="When the loading dose is given, e.g. 'first dose'.")


class DoseAdjustment(StrictModel):
    """A label adjustment applied when ``when`` holds.

    ``effect``: ``dose`` gives a new amount, ``factor`` multiplies the label amount,
    ``not_recommended`` and ``hold`` say not to give it, ``note`` only adds text (and ``per``,
    if set). When several hold, the lowest adjusted dose is given and all are named (session 12).
    """

    when: Condition
    effect: Literal["dose", "factor", "not_recommended", "hold", "note"]
    amount: float | None = Field(None, gt=0, description="New amount (effect: dose).")
    factor: float | None = Field(None, gt=0, description="Multiplier (effect: factor).")
    per: str | None = Field(
        None,
        description="New frequency when the label changes how often it is given, e.g. 'every other "
        "day' (letrozole in severe hepatic impairment) or 'once daily' (session 12).",
    )
    text: str = Field(description="The adjustment in words, e.g. 'CrCl 30-50 mL/min: 75% of the dose'.")


class DoseEntry(StrictModel):
    """One drug's dose, as written on the label or in the pivotal trial."""

    drug: str = Field(description="Drug id from vocab/drugs.yaml.")
    contexts: tuple[str, ...] = Field(
        (), description="Regimen or supportive-item ids where this entry applies; empty = default."
    )
    amount: float = Field(gt=0)
    unit: Unit
    route: Route
    per: str | None = Field(None, description="How often per day, e.g. 'twice daily' (oral drugs).")
    schedule: str = Field(description="Days and cycle, e.g. 'days 1-21 of a 28-day cycle'.")
    loading: Loading | None = None
    max_mg: float | None = Field(None, gt=0, description="Cap on the computed single dose, in mg.")
    strengths: tuple[float, ...] = Field(
        (),
        description="Strengths of the tablets / capsules (in `unit`) of an oral drug: a dose reduced by a "
        "percentage is given as the nearest amount whole units of these make up (no split tablets).",
    )
    adjustments: tuple[DoseAdjustment, ...] = ()
    citations: tuple[str, ...] = Field(min_length=1)
    verified: bool = Field(
        True, description="False when the dose is not confirmed by a stored copy of its source."
    )
    note: str | None = None


class DoseParameter(StrictModel):
    """A named constant used by a dose formula (e.g. the Calvert GFR offset), with its source."""

    value: float
    citations: tuple[str, ...] = Field(min_length=1)
    description: str


class DoseWaiver(StrictModel):
    """A safety caution's reduced dose that no dose adjustment carries, on purpose (session 12:
    ``kb lint`` reports such a caution otherwise)."""

    safety: str = Field(description="Safety rule id.")
    drug: str = Field(description="Drug id.")
    reason: str


class DosesFile(StrictModel):
    schema_: Literal["mbc/doses@1"] = Field(alias="schema")
    parameters: dict[str, DoseParameter] = Field(default_factory=dict)
    doses: tuple[DoseEntry, ...] = ()
    waivers: tuple[DoseWaiver, ...] = ()


class DoseTables(BaseModel):
    """All dose files of a KB, merged."""

    model_config = ConfigDict(frozen=True)
    parameters: Mapping[str, DoseParameter]
    entries: tuple[DoseEntry, ...]
    waivers: tuple[DoseWaiver, ...] = ()

    def find(self, drug: str, contexts: tuple[str, ...]) -> DoseEntry | None:
        """The entry for ``drug`` in the first matching context, else its default entry."""
        mine = [e for e in self.entries if e.drug == drug]
        for ctx in contexts:
            for e in mine:
                if ctx in e.contexts:
                    return e
        for e in mine:
            if not e.contexts:
                return e
        return None

    def param(self, name: str) -> float:
        try:
            return self.parameters[name].value
        except KeyError:
            raise KnowledgeError(f"doses: no parameter {name!r}") from None


def load_doses(kb: KnowledgeBase) -> DoseTables:
    """Load and validate ``kb.path / "doses" / *.yaml`` (once per KB: held by it).

    Drug ids and citations are checked against the KB.

    Raises:
        KnowledgeError: Listing every problem found.
    """
    return kb.attached(DoseTables, lambda: _load_doses(kb))


def _load_doses(kb: KnowledgeBase) -> DoseTables:
    root = Path(kb.path) / "doses"
    problems: list[Problem] = []
    params: dict[str, DoseParameter] = {}
    entries: list[DoseEntry] = []
    waivers: list[DoseWaiver] = []
    for file in sorted(root.glob("*.yaml")) if root.is_dir() else []:
        rel = f"doses/{file.name}"
        try:
            doc = DosesFile.model_validate(read_yaml(file))
        except ValidationError as exc:
            for err in exc.errors(include_url=False):
                problems.append(Problem((rel, *map(str, err["loc"])), err["msg"], err["type"]))
            continue
        for name, p in doc.parameters.items():
            params[name] = p
            problems.extend(_check_cites(kb, p.citations, (rel, "parameters", name)))
        for i, e in enumerate(doc.doses):
            where = (rel, "doses", str(i))
            if e.drug not in kb.drugs:
                problems.append(Problem(where, f"unknown drug {e.drug!r}", "unresolved"))
            for c in e.contexts:
                if c not in kb.regimens and kb.term("supportive", c) is None:
                    problems.append(Problem(where, f"unknown regimen / supportive item {c!r}", "unresolved"))
            problems.extend(_check_cites(kb, e.citations, where))
            entries.append(e)
        waivers.extend(doc.waivers)
    if problems:
        raise KnowledgeError(f"dose tables at {root} are invalid ({len(problems)} problems)", problems)
    return DoseTables(
        parameters=params,
        entries=tuple(_with_safety_doses(kb, e) for e in entries),
        waivers=tuple(waivers),
    )


def _with_safety_doses(kb: KnowledgeBase, e: DoseEntry) -> DoseEntry:
    """The entry with the starting-dose reductions of the safety rules (``dose_percent``:
    hepatic / renal label bands) that concern its drug, ahead of its own adjustments.

    .. versionadded:: 0.2.0
    """
    classes = kb.drug_classes_of(e.drug)
    extra = tuple(
        DoseAdjustment(
            when=s.when,
            effect="factor",
            factor=s.dose_percent / 100,
            text=f"{s.title}: {s.dose_percent}% of the usual starting dose "
            f"({(s.action or s.message).rstrip('.')}).",
        )
        for s in kb.active_safety
        if s.dose_percent is not None
        and s.when is not None
        and (e.drug in s.drugs or classes & set(s.classes))
    )
    return e.model_copy(update={"adjustments": extra + e.adjustments}) if extra else e


@functools.cache
def _amounts(strengths: tuple[float, ...], most: int) -> tuple[float, ...]:
    """Every amount up to ``most`` tablets / capsules of ``strengths`` make, ascending (once per
    strength set, not per plan)."""
    made = {0.0}
    for _ in range(most):
        made |= {round(m + s, 6) for m in made for s in strengths}
    made.discard(0.0)
    return tuple(sorted(made))


def whole_units(amount: float, strengths: tuple[float, ...], *, most: int, over: float) -> float | None:
    """The largest amount up to ``most`` tablets / capsules of ``strengths`` make that does not
    exceed ``amount`` by more than the fraction ``over`` (a reduced oral dose is never rounded
    up beyond the computed dose; ``over`` only absorbs factors written to two decimals, 0.33 for
    a third). None when even the smallest amount is above that (no whole-unit dose fits). Both
    limits come from the dose files' parameters (session 12, review N4)."""
    made = _amounts(tuple(strengths), most)
    if not made:
        return amount
    ceiling = amount * (1 + over) + 1e-9
    fits = [m for m in made if m <= ceiling]
    return fits[-1] if fits else None


def _check_cites(kb: KnowledgeBase, ids: tuple[str, ...], where: tuple[str, ...]) -> list[Problem]:
    return [Problem(where, f"unknown citation {c!r}", "unresolved") for c in ids if c not in kb.sources]
