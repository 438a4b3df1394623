"""The condition language shared by rules, safety checks and trial criteria.

A condition is a tree of small typed nodes; YAML stays terse because the node kind is
chosen by which key is present::

    {fact: tumor.pdl1_cps, op: ge, value: 10}        # leaf: compare one fact
    {all: [<cond>, ...]}                             # every part holds
    {any: [<cond>, ...]}                             # at least one part holds
    {not: <cond>}                                    # the part does not hold
    {at_least: 2, of: [<cond>, ...]}                 # n or more parts hold

Evaluation is three-valued (see :mod:`mbc.logic`): a missing fact makes its leaf
UNKNOWN, and UNKNOWN propagates by Kleene's rules. ``present``/``absent`` are the only
operators that look at missingness itself, and are never UNKNOWN.
"""

from __future__ import annotations

import operator
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Annotated, Any, Literal, TypeAlias, TypeVar

from pydantic import BaseModel, ConfigDict, Discriminator, Field, Tag

from mbc.logic import Truth

__all__ = [
    "OPERATORS",
    "AllOf",
    "AnyOf",
    "AtLeast",
    "Condition",
    "FactTest",
    "Facts",
    "NotOf",
    "Outcome",
    "Scalar",
    "compiled",
    "explained",
    "explained_unless_false",
    "gate_leaves",
    "iter_fact_tests",
]

Scalar: TypeAlias = str | bool | int | float
Facts: TypeAlias = Mapping[str, Any]

_T, _F, _U = Truth.TRUE, Truth.FALSE, Truth.UNKNOWN


def _as_tuple(value: Any) -> tuple[Any, ...]:
    return tuple(value) if isinstance(value, list | tuple | set | frozenset) else (value,)


def _num(a: Any, b: Any, cmp: Callable[[Any, Any], bool]) -> bool:
    if isinstance(a, bool) or not isinstance(a, int | float):
        return False
    return cmp(a, b)


@dataclass(frozen=True, slots=True)
class _Op:
    """One leaf operator: how to compare an observed fact with the rule's literal."""

    test: Callable[[Any, Any], bool]
    doc: str
    takes_value: bool = True
    sees_missing: bool = False


def _eq(a: Any, b: Any) -> bool:
    # True == 1 in Python; in a rule they are different things.
    if isinstance(a, bool) or isinstance(b, bool):
        return a is b
    return bool(a == b)


# Dispatch table (packaging-style): a new operator is one entry here, one docs line and
# one row in tests/engine/cases/operators.yaml.
OPERATORS: dict[str, _Op] = {
    "eq": _Op(_eq, "fact equals value"),
    "ne": _Op(lambda a, b: not _eq(a, b), "fact differs from value"),
    "in": _Op(lambda a, b: a in _as_tuple(b), "fact is one of the listed values"),
    "not_in": _Op(lambda a, b: a not in _as_tuple(b), "fact is none of the listed values"),
    "lt": _Op(lambda a, b: _num(a, b, operator.lt), "number below value"),
    "le": _Op(lambda a, b: _num(a, b, operator.le), "number at or below value"),
    "gt": _Op(lambda a, b: _num(a, b, operator.gt), "number above value"),
    "ge": _Op(lambda a, b: _num(a, b, operator.ge), "number at or above value"),
    "contains": _Op(lambda a, b: b in _as_tuple(a), "list fact contains value"),
    "contains_any": _Op(
        lambda a, b: any(x in _as_tuple(a) for x in _as_tuple(b)),
        "list fact contains at least one of the values",
    ),
    "present": _Op(lambda a, b: True, "fact is known (never UNKNOWN)", False, True),
    "absent": _Op(lambda a, b: False, "fact is not known (never UNKNOWN)", False, True),
}

OpName = Literal[
    "eq", "ne", "in", "not_in", "lt", "le", "gt", "ge", "contains", "contains_any",
    "present", "absent",
]  # fmt: skip

_MISSING = object()


@dataclass(frozen=True, slots=True)
class Outcome:
    """The result of evaluating a condition with its explanation."""

    truth: Truth
    used: Mapping[str, Any] = field(default_factory=dict)
    missing: frozenset[str] = frozenset()


_STRICT = ConfigDict(frozen=True, extra="forbid", populate_by_name=True)


class FactTest(BaseModel):
    """Compare one patient fact with a literal. A missing fact yields UNKNOWN,
    except for ``present``/``absent``, which test missingness itself."""

    model_config = _STRICT

    fact: str = Field(description="A fact path from knowledge/vocab/facts.yaml.")
    op: OpName = Field(description="Operator name; see mbc.knowledge.conditions.OPERATORS.")
    value: Scalar | tuple[Scalar, ...] | None = Field(
        None, description="The literal to compare with; omitted for present/absent."
    )

    def truth(self, facts: Facts) -> Truth:
        """Truth value only (fast path)."""
        observed = facts.get(self.fact, _MISSING)
        op = OPERATORS[self.op]
        if observed is _MISSING:
            if op.sees_missing:
                return _F if self.op == "present" else _T
            return _U
        if op.sees_missing:
            return _T if self.op == "present" else _F
        return _T if op.test(observed, self.value) else _F

    def explain(self, facts: Facts) -> Outcome:
        """Truth value with the facts used and missing."""
        t = self.truth(facts)
        if self.fact in facts:
            return Outcome(t, {self.fact: facts[self.fact]})
        if t is _U:
            return Outcome(t, {}, frozenset({self.fact}))
        return Outcome(t, {}, frozenset())


class AllOf(BaseModel):
    """TRUE when every part is TRUE; FALSE when any part is FALSE; else UNKNOWN."""

    model_config = _STRICT
    all: tuple[Condition, ...] = Field(min_length=1)

    def truth(self, facts: Facts) -> Truth:
        result = _T
        for c in self.all:
            t = c.truth(facts)
            if t is _F:
                return _F
            if t is _U:
                result = _U
        return result

    def explain(self, facts: Facts) -> Outcome:
        outs = [c.explain(facts) for c in self.all]
        if any(o.truth is _F for o in outs):
            falses = [o for o in outs if o.truth is _F]
            return Outcome(_F, _merge_used(falses), frozenset())
        truth = _U if any(o.truth is _U for o in outs) else _T
        return Outcome(truth, _merge_used(outs), _merge_missing(outs))


class AnyOf(BaseModel):
    """TRUE when any part is TRUE; FALSE when every part is FALSE; else UNKNOWN."""

    model_config = _STRICT
    any: tuple[Condition, ...] = Field(min_length=1)

    def truth(self, facts: Facts) -> Truth:
        result = _F
        for c in self.any:
            t = c.truth(facts)
            if t is _T:
                return _T
            if t is _U:
                result = _U
        return result

    def explain(self, facts: Facts) -> Outcome:
        outs = [c.explain(facts) for c in self.any]
        trues = [o for o in outs if o.truth is _T]
        if trues:
            return Outcome(_T, _merge_used(trues), frozenset())
        truth = _U if any(o.truth is _U for o in outs) else _F
        return Outcome(truth, _merge_used(outs), _merge_missing(outs))


class NotOf(BaseModel):
    """Swaps TRUE and FALSE; UNKNOWN stays UNKNOWN."""

    model_config = _STRICT
    not_: Condition = Field(alias="not")

    def truth(self, facts: Facts) -> Truth:
        t = self.not_.truth(facts)
        return t if t is _U else (_F if t is _T else _T)

    def explain(self, facts: Facts) -> Outcome:
        o = self.not_.explain(facts)
        t = o.truth if o.truth is _U else (_F if o.truth is _T else _T)
        return Outcome(t, o.used, o.missing)


class AtLeast(BaseModel):
    """TRUE when at least ``at_least`` parts are TRUE; FALSE when that can no longer
    happen even if every UNKNOWN part turned TRUE; else UNKNOWN."""

    model_config = _STRICT
    at_least: int = Field(ge=1)
    of: tuple[Condition, ...] = Field(min_length=1)

    def truth(self, facts: Facts) -> Truth:
        ts = [c.truth(facts) for c in self.of]
        n_true = sum(t is _T for t in ts)
        if n_true >= self.at_least:
            return _T
        if n_true + sum(t is _U for t in ts) >= self.at_least:
            return _U
        return _F

    def explain(self, facts: Facts) -> Outcome:
        outs = [c.explain(facts) for c in self.of]
        t = self.truth(facts)
        return Outcome(t, _merge_used(outs), _merge_missing(outs) if t is _U else frozenset())


def _merge_used(outs: list[Outcome]) -> dict[str, Any]:
    used: dict[str, Any] = {}
    for o in outs:
        used.update(o.used)
    return used


def _merge_missing(outs: list[Outcome]) -> frozenset[str]:
    return frozenset().union(*(o.missing for o in outs)) if outs else frozenset()


_KEYS = (("all", "all"), ("any", "any"), ("not", "not"), ("not_", "not"), ("at_least", "at_least"))


def _kind(value: Any) -> str | None:
    """Pick the node class from the key present (Synthea/pydantic callable discriminator)."""
    if isinstance(value, BaseModel):
        return {AllOf: "all", AnyOf: "any", NotOf: "not", AtLeast: "at_least"}.get(type(value), "fact")
    if isinstance(value, Mapping):
        for key, tag in _KEYS:
            if key in value:
                return tag
        return "fact"
    return None


Condition = Annotated[
    Annotated[FactTest, Tag("fact")]
    | Annotated[AllOf, Tag("all")]
    | Annotated[AnyOf, Tag("any")]
    | Annotated[NotOf, Tag("not")]
    | Annotated[AtLeast, Tag("at_least")],
    Discriminator(_kind),
]

for _model in (AllOf, AnyOf, NotOf, AtLeast):
    _model.model_rebuild()


def iter_fact_tests(node: Any) -> Iterator[FactTest]:
    """Every leaf of a condition tree, depth first."""
    if isinstance(node, FactTest):
        yield node
    elif isinstance(node, AllOf):
        for c in node.all:
            yield from iter_fact_tests(c)
    elif isinstance(node, AnyOf):
        for c in node.any:
            yield from iter_fact_tests(c)
    elif isinstance(node, NotOf):
        yield from iter_fact_tests(node.not_)
    elif isinstance(node, AtLeast):
        for c in node.of:
            yield from iter_fact_tests(c)


# ---------------------------------------------------------------- compiled fast path


def _predicate(name: str, value: Any) -> Callable[[Any], bool]:
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


_COMPARE: dict[str, Callable[[Any, Any], bool]] = {
    "lt": operator.lt, "le": operator.le, "gt": operator.gt, "ge": operator.ge,
}  # fmt: skip

TruthFn = Callable[[Facts], Truth]
_COMPILED: dict[int, tuple[Any, TruthFn]] = {}
_F_T = TypeVar("_F_T")


def _memo(table: dict[int, tuple[Any, _F_T]], node: Any, build: Callable[[Any], _F_T]) -> _F_T:
    """The closure built for ``node``, cached by id; the entry keeps a reference to the node
    so that its id cannot be reused while cached."""
    hit = table.get(id(node))
    if hit is not None and hit[0] is node:
        return hit[1]
    fn = build(node)
    table[id(node)] = (node, fn)
    return fn


def compiled(node: Any) -> TruthFn:
    """A closure computing ``node.truth`` (same semantics, ~2x faster), cached per node."""
    return _memo(_COMPILED, node, _compile)


def _compile(node: Any) -> TruthFn:
    if isinstance(node, FactTest):
        fact, value, name = node.fact, node.value, node.op
        op = OPERATORS[name]
        if op.sees_missing:
            present = name == "present"

            def seen(facts: Facts) -> Truth:
                return _T if (fact in facts) is present else _F

            return seen
        pred = _predicate(name, value)

        def leaf(facts: Facts) -> Truth:
            observed = facts.get(fact, _MISSING)
            if observed is _MISSING:
                return _U
            return _T if pred(observed) else _F

        return leaf
    if isinstance(node, AllOf):
        # Kleene AND is commutative: test the cheap equality leaves first so most rules stop
        # at their first (usually subtype) mismatch without evaluating nested nodes.
        ordered = sorted(node.all, key=lambda c: 0 if isinstance(c, FactTest) and c.op in ("eq", "in") else 1)
        parts = [compiled(c) for c in ordered]

        def all_(facts: Facts) -> Truth:
            result = _T
            for p in parts:
                t = p(facts)
                if t is _F:
                    return _F
                if t is _U:
                    result = _U
            return result

        return all_
    if isinstance(node, AnyOf):
        parts = [compiled(c) for c in node.any]

        def any_(facts: Facts) -> Truth:
            result = _F
            for p in parts:
                t = p(facts)
                if t is _T:
                    return _T
                if t is _U:
                    result = _U
            return result

        return any_
    if isinstance(node, NotOf):
        inner = compiled(node.not_)

        def not_(facts: Facts) -> Truth:
            t = inner(facts)
            return t if t is _U else (_F if t is _T else _T)

        return not_
    fallback: TruthFn = node.truth  # AtLeast and anything else: the model's own method
    return fallback


# ---------------------------------------------------------------- compiled explanations

# (truth, used as (fact, value) pairs, missing fact names): tuples are cheap to build and
# concatenate; the top level turns them into an Outcome once.
_Raw: TypeAlias = tuple[Truth, tuple[tuple[str, Any], ...], tuple[str, ...]]
RawFn = Callable[[Facts], _Raw]
ExplainFn = Callable[[Facts], Outcome]
_EXPLAINED: dict[int, tuple[Any, ExplainFn]] = {}
_RAW: dict[int, tuple[Any, RawFn]] = {}
_NONE: frozenset[str] = frozenset()


def explained(node: Any) -> ExplainFn:
    """A closure computing ``node.explain`` (same truth, facts used and missing; about 3x
    faster), cached per node."""
    return _memo(_EXPLAINED, node, _build_explained)


def _build_explained(node: Any) -> ExplainFn:
    raw = _raw(node)

    def explain(facts: Facts) -> Outcome:
        t, used, missing = raw(facts)
        return Outcome(t, dict(used), frozenset(missing) if missing else _NONE)

    return explain


def _raw(node: Any) -> RawFn:
    return _memo(_RAW, node, _compile_raw)


def _flip(t: Truth) -> Truth:
    return t if t is _U else (_F if t is _T else _T)


def _compile_raw(node: Any) -> RawFn:
    if isinstance(node, FactTest):
        fact, value, name = node.fact, node.value, node.op
        op = OPERATORS[name]
        if op.sees_missing:
            present = name == "present"

            def seen(facts: Facts) -> _Raw:
                observed = facts.get(fact, _MISSING)
                if observed is _MISSING:
                    return (_F if present else _T), (), ()
                return (_T if present else _F), ((fact, observed),), ()

            return seen
        pred = _predicate(name, value)

        def leaf(facts: Facts) -> _Raw:
            observed = facts.get(fact, _MISSING)
            if observed is _MISSING:
                return _U, (), (fact,)
            return (_T if pred(observed) else _F), ((fact, observed),), ()

        return leaf
    if isinstance(node, AllOf | AnyOf | AtLeast):
        children = node.all if isinstance(node, AllOf) else node.any if isinstance(node, AnyOf) else node.of
        parts = [_raw(c) for c in children]
        # AllOf: FALSE keeps the used facts of its FALSE parts; AnyOf: TRUE keeps its TRUE parts'.
        decisive = _F if isinstance(node, AllOf) else _T if isinstance(node, AnyOf) else None
        need = node.at_least if isinstance(node, AtLeast) else 0

        def group(facts: Facts) -> _Raw:
            outs = [p(facts) for p in parts]
            n_true = n_unknown = 0
            hit = False
            for o in outs:
                t = o[0]
                if t is _T:
                    n_true += 1
                elif t is _U:
                    n_unknown += 1
                if t is decisive:
                    hit = True
            used: tuple[tuple[str, Any], ...] = ()
            if hit and decisive is not None:
                for o in outs:
                    if o[0] is decisive:
                        used += o[1]
                return decisive, used, ()
            missing: tuple[str, ...] = ()
            for o in outs:
                used += o[1]
                missing += o[2]
            if decisive is None:  # at_least
                if n_true >= need:
                    return _T, used, ()
                if n_true + n_unknown >= need:
                    return _U, used, missing
                return _F, used, ()
            t = _U if n_unknown else _flip(decisive)
            return t, used, missing

        return group
    if isinstance(node, NotOf):
        inner = _raw(node.not_)

        def not_(facts: Facts) -> _Raw:
            t, used, missing = inner(facts)
            return _flip(t), used, missing

        return not_
    interpreted = node.explain

    def fallback(facts: Facts) -> _Raw:
        o = interpreted(facts)
        return o.truth, tuple(o.used.items()), tuple(o.missing)

    return fallback


_MaybeRaw = Callable[[Facts], "_Raw | None"]
MaybeExplainFn = Callable[[Facts], "Outcome | None"]
_SHORT: dict[int, tuple[Any, _MaybeRaw]] = {}
_EXPLAINED_NF: dict[int, tuple[Any, MaybeExplainFn]] = {}


def explained_unless_false(node: Any) -> MaybeExplainFn:
    """Like :func:`explained`, but None when the condition is FALSE; an ``all`` stops at
    its first FALSE part (its cheap equality tests first), so a rule that does not apply
    costs about as little as with :func:`compiled`, and one that does is evaluated once."""
    return _memo(_EXPLAINED_NF, node, _build_explained_unless_false)


def _build_explained_unless_false(node: Any) -> MaybeExplainFn:
    short = _short(node)

    def explain(facts: Facts) -> Outcome | None:
        r = short(facts)
        if r is None:
            return None
        t, used, missing = r
        return Outcome(t, dict(used), frozenset(missing) if missing else _NONE)

    return explain


def _short(node: Any) -> _MaybeRaw:
    return _memo(_SHORT, node, _compile_short)


def _compile_short(node: Any) -> _MaybeRaw:
    if isinstance(node, AllOf):
        # not FALSE -> every part was evaluated, so the order does not change the result
        ordered = sorted(node.all, key=lambda c: 0 if isinstance(c, FactTest) and c.op in ("eq", "in") else 1)
        parts = [_short(c) for c in ordered]

        def all_(facts: Facts) -> _Raw | None:
            t = _T
            used: tuple[tuple[str, Any], ...] = ()
            missing: tuple[str, ...] = ()
            for p in parts:
                r = p(facts)
                if r is None:
                    return None
                if r[0] is _U:
                    t = _U
                used += r[1]
                missing += r[2]
            return t, used, missing

        return all_
    raw = _raw(node)

    def other(facts: Facts) -> _Raw | None:
        r = raw(facts)
        return None if r[0] is _F else r

    return other


def gate_leaves(node: Any) -> list[FactTest]:
    """Leaves that make the whole condition FALSE when they are FALSE (the node itself,
    or the parts of an ``all``, recursively). Presence tests are left out."""
    if isinstance(node, FactTest):
        return [] if OPERATORS[node.op].sees_missing else [node]
    if isinstance(node, AllOf):
        return [leaf for c in node.all for leaf in gate_leaves(c)]
    return []
