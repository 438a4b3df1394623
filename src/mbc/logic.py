"""Three-valued logic (Kleene / CQL): TRUE, FALSE, UNKNOWN.

A missing fact is UNKNOWN, never FALSE. ``all`` is FALSE if any part is FALSE, else
UNKNOWN if any part is UNKNOWN, else TRUE; ``any`` mirrors it; ``not`` swaps TRUE and
FALSE and keeps UNKNOWN.
"""

from __future__ import annotations

from collections.abc import Iterable
from enum import Enum

__all__ = ["Truth", "all_of", "any_of", "not_"]


class Truth(Enum):
    """A three-valued truth value."""

    FALSE = 0
    TRUE = 1
    UNKNOWN = 2

    @classmethod
    def of(cls, value: bool) -> Truth:
        """TRUE for a true bool, FALSE otherwise."""
        return cls.TRUE if value else cls.FALSE

    def __bool__(self) -> bool:  # pragma: no cover - guard against accidental truthiness
        msg = "Truth has three values; compare with Truth.TRUE explicitly"
        raise TypeError(msg)


def all_of(values: Iterable[Truth]) -> Truth:
    """Kleene conjunction."""
    result = Truth.TRUE
    for v in values:
        if v is Truth.FALSE:
            return Truth.FALSE
        if v is Truth.UNKNOWN:
            result = Truth.UNKNOWN
    return result


def any_of(values: Iterable[Truth]) -> Truth:
    """Kleene disjunction."""
    result = Truth.FALSE
    for v in values:
        if v is Truth.TRUE:
            return Truth.TRUE
        if v is Truth.UNKNOWN:
            result = Truth.UNKNOWN
    return result


def not_(value: Truth) -> Truth:
    """Kleene negation."""
    if value is Truth.UNKNOWN:
        return value
    return Truth.FALSE if value is Truth.TRUE else Truth.TRUE
