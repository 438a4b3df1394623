"""What the pipeline's stages pass along: :class:`EvalContext`, and the ``Stage`` type."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, fields
from typing import Any, NamedTuple

from mbc.engine.facts import DerivedFacts
from mbc.knowledge.conditions import Outcome
from mbc.knowledge.loader import KnowledgeBase
from mbc.knowledge.schema import Rule
from mbc.model.plan import (
    Alert,
    Assumption,
    ConditionalOption,
    MissingInfo,
    NotRecommended,
    Option,
    Scenario,
    Summary,
    SupportiveItem,
    WorkupItem,
)
from mbc.model.record import PatientRecord

__all__ = ["EvalContext", "Fired", "Partial", "Stage"]


class Fired(NamedTuple):
    """A rule whose condition held (or might hold), with its explanation."""

    rule: Rule
    outcome: Outcome
    order: int


@dataclass(frozen=True)
class Partial:
    """What a plan on an incomplete record adds (issue 10): the facts of the record as given
    when assumptions changed them (the safety checks read these), what was assumed (and the
    values), the branches on a deciding unknown, and the bottom line."""

    record_derived: DerivedFacts | None = None
    assumptions: tuple[Assumption, ...] = ()
    values: dict[str, Any] = field(default_factory=dict)
    scenarios: tuple[Scenario, ...] = ()
    summary: Summary | None = None
    no_assume: frozenset[str] = frozenset()  # fields the caller's free text blocks (session 3)


_NOTHING_ASSUMED = Partial()


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
    # issue 10 (engine/assume.py, scenarios.py, summary.py): one field, so the stages'
    # copies stay cheap
    partial: Partial = field(default_factory=lambda: _NOTHING_ASSUMED)
    region: str = "US"  # regulatory region (issue 9): label-based options follow its regulator
    # not_recommended ids that took only some alternatives out of a grouped option (issue 9):
    # resolve must not remove other options that contain those drugs
    partial_nr: frozenset[str] = frozenset()

    def evolve(self, **changes: Any) -> EvalContext:
        """A copy with ``changes`` (as ``dataclasses.replace``, about ten times cheaper:
        the fields are copied as they are, no ``__init__`` runs)."""
        if not changes.keys() <= _FIELDS:
            msg = f"EvalContext has no field {sorted(changes.keys() - _FIELDS)}"
            raise TypeError(msg)
        state = self.__dict__.copy()
        state.update(changes)
        new = _new(EvalContext)
        _set(new, "__dict__", state)  # the class is frozen: set its state as object does
        return new

    def appended(self, **items: Iterable[Any]) -> dict[str, tuple[Any, ...]]:
        """The named item tuples with ``items`` added at their end (for :meth:`evolve`)."""
        return {name: getattr(self, name) + tuple(added) for name, added in items.items()}

    @property
    def facts(self) -> dict[str, Any]:
        assert self.derived is not None, "derive stage has not run"
        return self.derived.facts

    @property
    def safety_facts(self) -> dict[str, Any]:
        """The facts of the record as given (never assumed values): what safety reads."""
        rd = self.partial.record_derived
        return rd.facts if rd is not None else self.facts

    @property
    def record_derived(self) -> DerivedFacts | None:
        """The facts of the record as given, when assumptions changed them."""
        return self.partial.record_derived

    @property
    def assumptions(self) -> tuple[Assumption, ...]:
        return self.partial.assumptions

    @property
    def assumed_values(self) -> dict[str, Any]:
        return self.partial.values

    @property
    def scenarios(self) -> tuple[Scenario, ...]:
        return self.partial.scenarios

    @property
    def summary(self) -> Summary | None:
        return self.partial.summary


_FIELDS = frozenset(f.name for f in fields(EvalContext))
_new = object.__new__
_set = object.__setattr__

Stage = Callable[[EvalContext], EvalContext]
