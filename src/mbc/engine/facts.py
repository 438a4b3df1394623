"""The derived facts and the helpers the derive modules share (:mod:`mbc.engine.derive`,
:mod:`mbc.engine._history`)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from mbc.knowledge.loader import KnowledgeBase
from mbc.model.record import Therapy

__all__ = [
    "EARLY",
    "DerivedFacts",
    "FamilyKeys",
    "FlagRun",
    "FlagTemplate",
    "TherapyView",
    "family_keys",
    "months",
    "put",
]

EARLY = ("adjuvant", "neoadjuvant")


@dataclass(frozen=True, slots=True)
class TherapyView:
    """A prior therapy with its drugs resolved against the vocabulary."""

    therapy: Therapy
    index: int
    drug_ids: tuple[str, ...]
    unknown_drugs: tuple[str, ...]
    classes: frozenset[str]
    setting: str | None
    start: dt.date | None
    end: dt.date | None  # None = ongoing


class FlagTemplate(dict[str, bool]):
    """All-FALSE per-class / per-drug flags, written into the facts as one run of new names
    (:meth:`DerivedFacts.flags`); ``place`` is each flag's place in the run (per KB)."""

    __slots__ = ("place",)

    def __init__(self, names: Iterable[str]) -> None:
        super().__init__(dict.fromkeys(names, False))
        self.place = {k: i for i, k in enumerate(self)}


@dataclass(slots=True)
class FlagRun:
    """A flag template written into the facts as one run from place ``start`` (the facts'
    insertion order), and the flags of it set TRUE since (:meth:`DerivedFacts.raise_flag`)."""

    start: int
    template: FlagTemplate
    raised: list[str] = field(default_factory=list)


@dataclass
class DerivedFacts:
    """The fact mapping plus notes on what could not be read.

    Per-class / per-drug flags are written through :meth:`flags` (a template, all FALSE)
    and :meth:`raise_flag` (one flag TRUE): ``runs`` then says where the runs of flags are
    and which of their flags are not FALSE, so the plan's trace lists those without walking
    the hundreds left FALSE (:func:`mbc.engine._output.shown_facts`)."""

    facts: dict[str, Any]
    # what could not be read (stage_derive turns these into the plan's notes)
    unknown_drugs: list[str] = field(default_factory=list)
    unknown_medications: list[str] = field(default_factory=list)
    unmatched_symptoms: list[str] = field(default_factory=list)
    unread_somatic: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    # the flag templates written as runs, in order; None when one was not a run of new
    # names (the trace then walks every fact)
    runs: list[FlagRun] | None = field(default_factory=list)
    therapies: list[TherapyView] = field(default_factory=list)

    def flags(self, template: FlagTemplate) -> None:
        """Write an all-FALSE flag template into the facts (as one run when its names are new)."""
        f = self.facts
        start = len(f)
        f.update(template)
        if self.runs is not None:
            if len(f) == start + len(template):  # every flag new: one run from start
                self.runs.append(FlagRun(start, template))
            else:
                self.runs = None

    def raise_flag(self, name: str) -> None:
        """Set a flag of a template written TRUE (the one way derive sets a flag)."""
        self.raise_flags((name,))

    def raise_flags(self, names: Iterable[str]) -> None:
        """Set flags TRUE, in order, each recorded with the run whose template holds it (see
        :meth:`raise_flag`)."""
        names = list(names)
        self.facts.update(dict.fromkeys(names, True))
        runs = self.runs
        if not runs:
            return
        last = runs[-1]
        place = last.template.place
        for name in names:
            if name in place:
                last.raised.append(name)
                continue
            # session 9: a flag of an earlier run is recorded with that run (it was recorded
            # with the last one, and the trace then fell back to walking every fact); a name
            # of no run makes the trace walk the facts
            run = next((r for r in reversed(runs) if name in r.template.place), None)
            if run is None:
                self.runs = None
                return
            run.raised.append(name)


def months(a: dt.date, b: dt.date, kb: KnowledgeBase) -> float:
    """Months from a to b (negative if b is before a)."""
    return (b - a).days / float(kb.param("days_per_month"))


def put(f: dict[str, Any], key: str, value: Any) -> None:
    if value is not None:
        f[key] = value


@dataclass(frozen=True)
class FamilyKeys:
    """The names of the per-class and per-drug flags, and all-FALSE templates of them in
    the order they are written (per KB: they depend on the vocabulary only)."""

    classes: dict[str, dict[str, str]]  # prefix -> class id -> fact name
    drugs: dict[str, dict[str, str]]  # prefix -> drug id -> fact name
    history: FlagTemplate
    history_undetermined: FlagTemplate
    prior_drugs: FlagTemplate
    medications: FlagTemplate


_CLASS_PREFIXES = ("prior.class.", "current.class.", "prior.metastatic.class.", "prior.early.class.",
                   "progressed_on.class.", "medication.class.")  # fmt: skip


def _build_family_keys(kb: KnowledgeBase) -> FamilyKeys:
    classes = {p: {c: f"{p}{c}" for c in kb.drug_classes} for p in _CLASS_PREFIXES}
    drugs = {p: {d: f"{p}{d}" for d in kb.drugs} for p in ("prior.drug.", "medication.drug.")}
    history: list[str] = []
    undetermined: list[str] = []
    for c in kb.drug_classes:
        history.extend(classes[p][c] for p in _CLASS_PREFIXES[:5])
        undetermined.extend(classes[p][c] for p in _CLASS_PREFIXES[:2])
    medications = [*classes["medication.class."].values(), *drugs["medication.drug."].values()]
    return FamilyKeys(
        classes, drugs, FlagTemplate(history), FlagTemplate(undetermined),
        FlagTemplate(drugs["prior.drug."].values()), FlagTemplate(medications),
    )  # fmt: skip


def family_keys(kb: KnowledgeBase) -> FamilyKeys:
    return kb.attached(FamilyKeys, lambda: _build_family_keys(kb))
