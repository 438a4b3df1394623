"""Three-valued logic (Kleene / CQL): TRUE, FALSE, UNKNOWN.

A missing fact is UNKNOWN, never FALSE. The one truth table is :func:`at_least`: "at
least ``need`` of the parts are TRUE" is TRUE when that many are TRUE, FALSE when it can
no longer happen even if every UNKNOWN part turned TRUE, else UNKNOWN. ``all`` of n parts
is ``at_least(n)`` (FALSE if any part is FALSE, else UNKNOWN if any is UNKNOWN), ``any`` is
``at_least(1)``; ``not`` swaps TRUE and FALSE and keeps UNKNOWN. Every condition node
(:mod:`mbc.knowledge.conditions`) evaluates through these functions.
"""

from __future__ import annotations

from collections.abc import Iterable
from enum import Enum

__all__ = ["Truth", "all_of", "any_of", "at_least", "decided", "not_"]


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


_T, _F, _U = Truth.TRUE, Truth.FALSE, Truth.UNKNOWN


def at_least(need: int, n_true: int, n_unknown: int) -> Truth:
    """Kleene truth of "at least ``need`` parts are TRUE", from the counts of TRUE and
    UNKNOWN parts (the rest are FALSE)."""
    if n_true >= need:
        return _T
    if n_true + n_unknown >= need:
        return _U
    return _F


def decided(need: int, n_parts: int, n_true: int, n_false: int) -> Truth | None:
    """The result of :func:`at_least` once the parts seen so far decide it, else None:
    TRUE with ``need`` TRUE parts, FALSE with more FALSE parts than ``n_parts - need``."""
    if n_true >= need:
        return _T
    if n_false > n_parts - need:
        return _F
    return None


def _counts(values: Iterable[Truth]) -> tuple[int, int, int]:
    vs = list(values)
    return len(vs), sum(v is _T for v in vs), sum(v is _U for v in vs)


def all_of(values: Iterable[Truth]) -> Truth:
    """Kleene conjunction."""
    n, n_true, n_unknown = _counts(values)
    return at_least(n, n_true, n_unknown)


def any_of(values: Iterable[Truth]) -> Truth:
    """Kleene disjunction."""
    _, n_true, n_unknown = _counts(values)
    return at_least(1, n_true, n_unknown)


def not_(value: Truth) -> Truth:
    """Kleene negation."""
    if value is _U:
        return value
    return _F if value is _T else _T
