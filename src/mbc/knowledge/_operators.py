"""The leaf operators of the condition language: one table entry each (packaging-style).

A new operator is one entry in :data:`OPERATORS`, one docs line and one row in
tests/engine/cases/operators.yaml. :func:`predicate` specialises the common operators into
fast one-argument tests with the same results (tests/engine/test_truth_tables.py).
"""

from __future__ import annotations

import operator
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Literal

__all__ = ["OPERATORS", "OpName", "predicate"]


def _as_tuple(value: Any) -> tuple[Any, ...]:
    return tuple(value) if isinstance(value, list | tuple | set | frozenset) else (value,)


def _num(a: Any, b: Any, cmp: Callable[[Any, Any], bool]) -> bool:
    if isinstance(a, bool) or not isinstance(a, int | float):
        return False
    return cmp(a, b)


@dataclass(frozen=True, slots=True)
class _Op:
    """One leaf operator: how to compare an observed fact with the rule's literal, and how
    to say it in words."""

    test: Callable[[Any, Any], bool]
    doc: str
    words: str
    takes_value: bool = True
    sees_missing: bool = False


def _eq(a: Any, b: Any) -> bool:
    # True == 1 in Python; in a rule they are different things.
    if isinstance(a, bool) or isinstance(b, bool):
        return a is b
    return bool(a == b)


OPERATORS: dict[str, _Op] = {
    "eq": _Op(_eq, "fact equals value", "is"),
    "ne": _Op(lambda a, b: not _eq(a, b), "fact differs from value", "is not"),
    "in": _Op(lambda a, b: a in _as_tuple(b), "fact is one of the listed values", "is one of"),
    "not_in": _Op(lambda a, b: a not in _as_tuple(b), "fact is none of the listed values", "is none of"),
    "lt": _Op(lambda a, b: _num(a, b, operator.lt), "number below value", "<"),
    "le": _Op(lambda a, b: _num(a, b, operator.le), "number at or below value", "<="),
    "gt": _Op(lambda a, b: _num(a, b, operator.gt), "number above value", ">"),
    "ge": _Op(lambda a, b: _num(a, b, operator.ge), "number at or above value", ">="),
    "contains": _Op(lambda a, b: b in _as_tuple(a), "list fact contains value", "includes"),
    "contains_any": _Op(
        lambda a, b: any(x in _as_tuple(a) for x in _as_tuple(b)),
        "list fact contains at least one of the values",
        "includes any of",
    ),
    "present": _Op(lambda a, b: True, "fact is known (never UNKNOWN)", "is recorded", False, True),
    "absent": _Op(lambda a, b: False, "fact is not known (never UNKNOWN)", "is not recorded", False, True),
}

OpName = Literal[
    "eq", "ne", "in", "not_in", "lt", "le", "gt", "ge", "contains", "contains_any",
    "present", "absent",
]  # fmt: skip

_COMPARE: dict[str, Callable[[Any, Any], bool]] = {
    "lt": operator.lt, "le": operator.le, "gt": operator.gt, "ge": operator.ge,
}  # fmt: skip


def predicate(name: str, value: Any) -> Callable[[Any], bool]:
    """``lambda observed: OPERATORS[name].test(observed, value)``, specialised for the
    common operators (same results; ``type(x) is bool`` is ``isinstance(x, bool)``, as bool
    cannot be subclassed)."""
    if name in ("eq", "ne"):
        if isinstance(value, bool):

            def same(a: Any) -> bool:
                return a is value

            eq = same
        else:

            def equal(a: Any) -> bool:
                return type(a) is not bool and bool(a == value)

            eq = equal
        if name == "eq":
            return eq
        return lambda a: not eq(a)
    if name in ("in", "not_in"):
        options = _as_tuple(value)
        if name == "in":
            return lambda a: a in options
        return lambda a: a not in options
    if name in _COMPARE:
        cmp = _COMPARE[name]

        def number(a: Any) -> bool:
            return type(a) is not bool and isinstance(a, int | float) and cmp(a, value)

        return number
    test = OPERATORS[name].test
    return lambda a: test(a, value)
