"""What the pipeline's stages pass along: :class:`EvalContext`, and the ``Stage`` type."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from mbc.engine.facts import DerivedFacts
from mbc.knowledge.conditions import Outcome
from mbc.knowledge.loader import KnowledgeBase
from mbc.knowledge.schema import Rule
from mbc.model.plan import (
    Alert,
    ConditionalOption,
    MissingInfo,
    NotRecommended,
    Option,
    SupportiveItem,
    WorkupItem,
)
from mbc.model.record import PatientRecord

__all__ = ["EvalContext", "Fired", "Stage"]


@dataclass(frozen=True)
class Fired:
    """A rule whose condition held (or might hold), with its explanation."""

    rule: Rule
    outcome: Outcome
    order: int


@dataclass(frozen=True)
class EvalContext:
    """Everything the stages pass along. Frozen; stages return a modified copy."""

    record: PatientRecord
    kb: KnowledgeBase
    as_of: dt.date
    derived: DerivedFacts | None = None
    fired: tuple[Fired, ...] = ()
    unknown: tuple[Fired, ...] = ()
    options: tuple[Option, ...] = ()
    conditional: tuple[ConditionalOption, ...] = ()
    not_recommended: tuple[NotRecommended, ...] = ()
    workup: tuple[WorkupItem, ...] = ()
    supportive: tuple[SupportiveItem, ...] = ()
    alerts: tuple[Alert, ...] = ()
    missing: tuple[MissingInfo, ...] = ()
    notes: tuple[str, ...] = ()
    region: str = "US"  # regulatory region (issue 9): label-based options follow its regulator
    # not_recommended ids that took only some alternatives out of a grouped option (issue 9):
    # resolve must not remove other options that contain those drugs
    partial: frozenset[str] = frozenset()

    @property
    def facts(self) -> dict[str, Any]:
        assert self.derived is not None, "derive stage has not run"
        return self.derived.facts


Stage = Callable[[EvalContext], EvalContext]
