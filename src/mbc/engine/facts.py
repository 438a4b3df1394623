"""The derived facts and the helpers the derive modules share (:mod:`mbc.engine.derive`,
:mod:`mbc.engine._history`)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from mbc.knowledge.loader import KnowledgeBase
from mbc.model.record import Therapy

__all__ = ["EARLY", "DerivedFacts", "FamilyKeys", "FlagBlock", "TherapyView", "family_keys", "months", "put"]

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


@dataclass(frozen=True)
class FlagBlock:
    """An all-FALSE template of per-class / per-drug flags written into the facts as one
    run from place ``start`` (the facts' insertion order): the plan's trace reads the run's
    values in C and shows only the flags then set to something else, without walking the
    hundreds left FALSE in Python (:func:`mbc.engine._output.shown_facts`)."""

    start: int
    template: dict[str, bool]


@dataclass
class DerivedFacts:
    """The fact mapping plus notes on what could not be read."""

    facts: dict[str, Any]
    therapies: list[TherapyView] = field(default_factory=list)
    unknown_drugs: list[str] = field(default_factory=list)
    unknown_medications: list[str] = field(default_factory=list)
    unmatched_symptoms: list[str] = field(default_factory=list)
    unread_somatic: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    # the flag templates written as runs, in order; None when one was not a run of new keys
    blocks: list[FlagBlock] | None = field(default_factory=list)

    def flags(self, template: dict[str, bool]) -> None:
        """Write an all-FALSE flag template into the facts (its flags are then set as any
        fact is: the trace reads them from the facts)."""
        f = self.facts
        block = FlagBlock(len(f), template)
        f.update(template)
        if self.blocks is not None:
            if len(f) == block.start + len(template):  # every flag new: one run from start
                self.blocks.append(block)
            else:
                self.blocks = None


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
    history: dict[str, bool]
    history_undetermined: dict[str, bool]
    prior_drugs: dict[str, bool]
    medications: dict[str, bool]


_CLASS_PREFIXES = ("prior.class.", "current.class.", "prior.metastatic.class.", "prior.early.class.",
                   "progressed_on.class.", "medication.class.")  # fmt: skip


def _build_family_keys(kb: KnowledgeBase) -> FamilyKeys:
    classes = {p: {c: f"{p}{c}" for c in kb.drug_classes} for p in _CLASS_PREFIXES}
    drugs = {p: {d: f"{p}{d}" for d in kb.drugs} for p in ("prior.drug.", "medication.drug.")}
    history: dict[str, bool] = {}
    undetermined: dict[str, bool] = {}
    for c in kb.drug_classes:
        for p in _CLASS_PREFIXES[:5]:
            history[classes[p][c]] = False
        for p in _CLASS_PREFIXES[:2]:
            undetermined[classes[p][c]] = False
    medications = dict.fromkeys(classes["medication.class."].values(), False)
    medications.update(dict.fromkeys(drugs["medication.drug."].values(), False))
    return FamilyKeys(
        classes, drugs, history, undetermined,
        dict.fromkeys(drugs["prior.drug."].values(), False), medications,
    )  # fmt: skip


def family_keys(kb: KnowledgeBase) -> FamilyKeys:
    return kb.attached(FamilyKeys, lambda: _build_family_keys(kb))
