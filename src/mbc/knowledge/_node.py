"""The base of every condition node (:mod:`mbc.knowledge.conditions`): what a node owns,
and the compiled closures it caches on itself."""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterator, Mapping
from types import MappingProxyType
from typing import Any, ClassVar, NamedTuple, TypeAlias

from pydantic import BaseModel, ConfigDict

from mbc.logic import Truth

__all__ = [
    "MISSING", "ExplainFn", "Facts", "MaybeExplainFn", "MaybeRawFn", "Node", "Outcome", "Raw",
    "RawFn", "Scalar", "TruthFn", "flip", "paren", "value_words",
]  # fmt: skip

_T, _F, _U = Truth.TRUE, Truth.FALSE, Truth.UNKNOWN
Scalar: TypeAlias = str | bool | int | float
Facts: TypeAlias = Mapping[str, Any]

MISSING = object()


class Outcome(NamedTuple):
    """The result of evaluating a condition with its explanation (a named tuple: the
    engine makes one per rule and patient, and a tuple is the cheapest to make)."""

    truth: Truth
    used: Mapping[str, Any] = MappingProxyType({})
    missing: frozenset[str] = frozenset()


# (truth, used as (fact, value) pairs, missing fact names): tuples are cheap to build and
# concatenate; the top level turns them into an Outcome once.
Raw: TypeAlias = tuple[Truth, tuple[tuple[str, Any], ...], tuple[str, ...]]
RawFn = Callable[[Facts], Raw]
MaybeRawFn = Callable[[Facts], "Raw | None"]
TruthFn = Callable[[Facts], Truth]
ExplainFn = Callable[[Facts], Outcome]
MaybeExplainFn = Callable[[Facts], "Outcome | None"]
_NONE: frozenset[str] = frozenset()
_STRICT = ConfigDict(frozen=True, extra="forbid", populate_by_name=True)
_CACHED = ("compiled", "raw", "short", "explainer", "explainer_unless_false")


def flip(t: Truth) -> Truth:
    return t if t is _U else (_F if t is _T else _T)


class Node(BaseModel):
    """What every node owns. Subclasses write ``_compile`` (truth) and ``_compile_raw``
    (explanation), ``leaves`` and ``describe``; the rest follows."""

    model_config = _STRICT
    grouped: ClassVar[bool] = False  # shown in parentheses inside another group

    # ------------------------------------------------------------ evaluation
    @functools.cached_property
    def compiled(self) -> TruthFn:
        """A closure computing the node's truth for a fact mapping (built once)."""
        return self._compile()

    @functools.cached_property
    def raw(self) -> RawFn:
        """A closure computing (truth, facts used, facts missing) as tuples."""
        return self._compile_raw()

    @functools.cached_property
    def short(self) -> MaybeRawFn:
        """As :attr:`raw`, but None as soon as the node is known to be FALSE."""
        return self._compile_short()

    @functools.cached_property
    def explainer(self) -> ExplainFn:
        """A closure computing :meth:`explain`."""
        raw = self.raw

        def explain(facts: Facts) -> Outcome:
            t, used, missing = raw(facts)
            return Outcome(t, dict(used), frozenset(missing) if missing else _NONE)

        return explain

    @functools.cached_property
    def explainer_unless_false(self) -> MaybeExplainFn:
        """Like :attr:`explainer`, but None when the condition is FALSE; an ``all`` stops at
        its first FALSE part (its cheap equality tests first)."""
        short = self.short

        def explain(facts: Facts) -> Outcome | None:
            r = short(facts)
            if r is None:
                return None
            t, used, missing = r
            return Outcome(t, dict(used), frozenset(missing) if missing else _NONE)

        return explain

    def truth(self, facts: Facts) -> Truth:
        """The node's truth value for these facts."""
        return self.compiled(facts)

    def explain(self, facts: Facts) -> Outcome:
        """Truth value with the facts used and missing."""
        return self.explainer(facts)

    def _compile(self) -> TruthFn:
        raise NotImplementedError

    def _compile_raw(self) -> RawFn:
        raise NotImplementedError

    def _compile_short(self) -> MaybeRawFn:
        raw = self.raw

        def other(facts: Facts) -> Raw | None:
            r = raw(facts)
            return None if r[0] is _F else r

        return other

    # ------------------------------------------------------------ structure
    @property
    def cheap(self) -> bool:
        """An equality test on one fact: evaluated first inside an ``all``."""
        return False

    @property
    def leaf_fact(self) -> str | None:
        """The fact a single leaf tests; None for any other node."""
        return None

    def leaves(self) -> Iterator[Any]:
        """Every leaf, depth first."""
        raise NotImplementedError

    def gates(self) -> list[Any]:
        """Leaves that make the whole condition FALSE when they are FALSE (the node itself,
        or the parts of an ``all``, recursively). Presence tests are left out."""
        return []

    def refs(self) -> Iterator[str]:
        """The ids of the named definitions this condition refers to (not followed)."""
        for part in self.parts():
            yield from part.refs()

    def parts(self) -> tuple[Any, ...]:
        """The direct sub-conditions."""
        return ()

    def bind_refs(self, conditions: Mapping[str, Any]) -> list[str]:
        """Bind every reference in this condition to the named condition (definition id ->
        its condition); the ids that are not defined."""
        return [u for part in self.parts() for u in part.bind_refs(conditions)]

    # ------------------------------------------------------------ words
    def describe(self) -> str:
        """The condition in words, e.g. 'subtype is TNBC and line >= 2'."""
        raise NotImplementedError

    def undecided(self, facts: Facts) -> list[str]:
        """The smallest sub-conditions (in words) that are still UNKNOWN for these facts."""
        return [self.describe()] if self.truth(facts) is _U else []

    def model_copy(self, *, update: Mapping[str, Any] | None = None, deep: bool = False) -> Any:
        copied = super().model_copy(update=update, deep=deep)
        for name in _CACHED:  # a changed node needs its own closures
            copied.__dict__.pop(name, None)
        return copied


def paren(node: Any) -> str:
    text: str = node.describe()
    return f"({text})" if node.grouped else text


def value_words(v: Any) -> str:
    """A literal in words: lists joined with commas, booleans as yes / no."""
    if isinstance(v, tuple | list):
        return ", ".join(value_words(x) for x in v)
    if isinstance(v, bool):
        return "yes" if v else "no"
    return f"{v:g}" if isinstance(v, float) else str(v)
