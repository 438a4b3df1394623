"""The condition language shared by rules, safety checks, dose adjustments and trial criteria.

A condition is a tree of small typed nodes; YAML stays terse because the node kind is
chosen by which key is present::

    {fact: tumor.pdl1_cps, op: ge, value: 10}        # leaf: compare one fact
    {all: [<cond>, ...]}                             # every part holds
    {any: [<cond>, ...]}                             # at least one part holds
    {not: <cond>}                                    # the part does not hold
    {at_least: 2, of: [<cond>, ...]}                 # n or more parts hold
    {ref: visceral_crisis}                           # a named definition (``defines:``)

Evaluation is three-valued (see :mod:`mbc.logic`, whose one truth table every node uses):
a missing fact makes its leaf UNKNOWN, and UNKNOWN propagates by Kleene's rules.
``present``/``absent`` are the only operators that look at missingness itself, and are
never UNKNOWN.

Logic once: each node class owns its evaluation (``truth`` / ``compiled``), its
explanation (``explain``: truth with the facts used and missing), its leaves (``leaves``,
``gates``) and its words (``describe``, ``undecided``). The evaluation is compiled into
closures once per node (cached on the node); there is no interpreted second path.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Annotated, Any, ClassVar

from pydantic import BaseModel, Discriminator, Field, Tag

from mbc.errors import KnowledgeError
from mbc.knowledge._node import (
    MISSING,
    ExplainFn,
    Facts,
    MaybeExplainFn,
    MaybeRawFn,
    Node,
    Outcome,
    Raw,
    RawFn,
    Scalar,
    TruthFn,
    flip,
    paren,
    value_words,
)
from mbc.knowledge._operators import OPERATORS, OpName, predicate
from mbc.logic import Truth, at_least

_T, _F, _U = Truth.TRUE, Truth.FALSE, Truth.UNKNOWN

__all__ = [
    "OPERATORS",
    "AllOf",
    "AnyOf",
    "AtLeast",
    "Condition",
    "ExplainFn",
    "FactTest",
    "Facts",
    "MaybeExplainFn",
    "NotOf",
    "Outcome",
    "RefTo",
    "Scalar",
    "TruthFn",
    "compiled",
    "explained",
    "explained_unless_false",
    "gate_leaves",
    "iter_fact_tests",
    "value_words",
]


class FactTest(Node):
    """Compare one patient fact with a literal. A missing fact yields UNKNOWN,
    except for ``present``/``absent``, which test missingness itself."""

    fact: str = Field(description="A fact path from knowledge/vocab/facts.yaml.")
    op: OpName = Field(description="Operator name; see mbc.knowledge.conditions.OPERATORS.")
    value: Scalar | tuple[Scalar, ...] | None = Field(
        None, description="The literal to compare with; omitted for present/absent."
    )

    def _compile(self) -> TruthFn:
        fact, name = self.fact, self.op
        if OPERATORS[name].sees_missing:
            present = name == "present"

            def seen(facts: Facts) -> Truth:
                return _T if (fact in facts) is present else _F

            return seen
        pred = predicate(name, self.value)

        def leaf(facts: Facts) -> Truth:
            observed = facts.get(fact, MISSING)
            if observed is MISSING:
                return _U
            return _T if pred(observed) else _F

        return leaf

    def _compile_raw(self) -> RawFn:
        fact, name = self.fact, self.op
        if OPERATORS[name].sees_missing:
            present = name == "present"

            def seen(facts: Facts) -> Raw:
                observed = facts.get(fact, MISSING)
                if observed is MISSING:
                    return (_F if present else _T), (), ()
                return (_T if present else _F), ((fact, observed),), ()

            return seen
        pred = predicate(name, self.value)

        def leaf(facts: Facts) -> Raw:
            observed = facts.get(fact, MISSING)
            if observed is MISSING:
                return _U, (), (fact,)
            return (_T if pred(observed) else _F), ((fact, observed),), ()

        return leaf

    @property
    def cheap(self) -> bool:
        return self.op in ("eq", "in")

    @property
    def leaf_fact(self) -> str | None:
        return self.fact

    def leaves(self) -> Iterator[FactTest]:
        yield self

    def gates(self) -> list[FactTest]:
        return [] if OPERATORS[self.op].sees_missing else [self]

    def describe(self) -> str:
        words = OPERATORS[self.op].words
        if self.op in ("present", "absent"):
            return f"{self.fact} {words}"
        if isinstance(self.value, bool) and self.op == "eq":
            return self.fact if self.value else f"not {self.fact}"
        return f"{self.fact} {words} {value_words(self.value)}"


class _Group(Node):
    """A node over several parts: TRUE when at least :meth:`need` parts are TRUE (Kleene,
    :func:`mbc.logic.at_least`). ``decisive`` is the part value that decides the group on
    its own and whose parts alone explain it (FALSE for ``all``, TRUE for ``any``)."""

    grouped: ClassVar[bool] = True
    decisive: ClassVar[Truth | None] = None

    def need(self) -> int:
        raise NotImplementedError

    def _ordered(self) -> tuple[Condition, ...]:
        """The parts in the order the truth closure tests them."""
        return self.parts()

    def _compile(self) -> TruthFn:
        parts = [c.compiled for c in self._ordered()]
        need = self.need()
        slack = len(parts) - need  # FALSE once more parts than this are FALSE

        def group(facts: Facts) -> Truth:
            n_true = n_false = n_unknown = 0
            for p in parts:
                t = p(facts)
                if t is _T:
                    n_true += 1
                    if n_true >= need:
                        return _T
                elif t is _F:
                    n_false += 1
                    if n_false > slack:
                        return _F
                else:
                    n_unknown += 1
            return at_least(need, n_true, n_unknown)

        return group

    def _compile_raw(self) -> RawFn:
        parts = [c.raw for c in self.parts()]
        decisive = self.decisive
        need = self.need()

        def group(facts: Facts) -> Raw:
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
            if hit:  # the decisive parts alone explain the result
                for o in outs:
                    if o[0] is decisive:
                        used += o[1]
                return decisive, used, ()  # type: ignore[return-value]
            missing: tuple[str, ...] = ()
            for o in outs:
                used += o[1]
                missing += o[2]
            t = at_least(need, n_true, n_unknown)
            return t, used, (missing if t is _U or decisive is not None else ())

        return group

    def leaves(self) -> Iterator[FactTest]:
        for c in self.parts():
            yield from c.leaves()


class AllOf(_Group):
    """TRUE when every part is TRUE; FALSE when any part is FALSE; else UNKNOWN."""

    all: tuple[Condition, ...] = Field(min_length=1)
    decisive: ClassVar[Truth | None] = _F

    def parts(self) -> tuple[Condition, ...]:
        return self.all

    def need(self) -> int:
        return len(self.all)

    def _ordered(self) -> tuple[Condition, ...]:
        # Kleene AND is commutative: test the cheap equality leaves first so most rules stop
        # at their first (usually subtype) mismatch without evaluating nested nodes.
        return tuple(sorted(self.all, key=lambda c: 0 if c.cheap else 1))

    def _compile_short(self) -> MaybeRawFn:
        # not FALSE -> every part was evaluated, so the order does not change the result
        parts = [c.short for c in self._ordered()]

        def all_(facts: Facts) -> Raw | None:
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

    def gates(self) -> list[FactTest]:
        return [leaf for c in self.all for leaf in c.gates()]

    def describe(self) -> str:
        return " and ".join(paren(c) for c in self.all)

    def undecided(self, facts: Facts) -> list[str]:
        if self.truth(facts) is not _U:
            return []
        return [w for c in self.all if c.truth(facts) is _U for w in c.undecided(facts)]


class AnyOf(_Group):
    """TRUE when any part is TRUE; FALSE when every part is FALSE; else UNKNOWN."""

    any: tuple[Condition, ...] = Field(min_length=1)
    decisive: ClassVar[Truth | None] = _T

    def parts(self) -> tuple[Condition, ...]:
        return self.any

    def need(self) -> int:
        return 1

    def describe(self) -> str:
        return " or ".join(paren(c) for c in self.any)

    def undecided(self, facts: Facts) -> list[str]:
        if self.truth(facts) is not _U:
            return []
        unknown = [c for c in self.any if c.truth(facts) is _U]
        if len(unknown) > 1:
            return [" or ".join(paren(c) for c in unknown)]
        return [w for c in unknown for w in c.undecided(facts)]


class AtLeast(_Group):
    """TRUE when at least ``at_least`` parts are TRUE; FALSE when that can no longer
    happen even if every UNKNOWN part turned TRUE; else UNKNOWN."""

    at_least: int = Field(ge=1)
    of: tuple[Condition, ...] = Field(min_length=1)
    grouped: ClassVar[bool] = False

    def parts(self) -> tuple[Condition, ...]:
        return self.of

    def need(self) -> int:
        return self.at_least

    def describe(self) -> str:
        return f"at least {self.at_least} of ({'; '.join(c.describe() for c in self.of)})"


class NotOf(Node):
    """Swaps TRUE and FALSE; UNKNOWN stays UNKNOWN."""

    not_: Condition = Field(alias="not")

    def parts(self) -> tuple[Condition, ...]:
        return (self.not_,)

    def _compile(self) -> TruthFn:
        inner = self.not_.compiled

        def not_(facts: Facts) -> Truth:
            return flip(inner(facts))

        return not_

    def _compile_raw(self) -> RawFn:
        inner = self.not_.raw

        def not_(facts: Facts) -> Raw:
            t, used, missing = inner(facts)
            return flip(t), used, missing

        return not_

    def leaves(self) -> Iterator[FactTest]:
        yield from self.not_.leaves()

    def describe(self) -> str:
        return f"not ({self.not_.describe()})"


class RefTo(Node):
    """A named, versioned definition (``defines:`` in a rules file), by id. It evaluates,
    explains and reads exactly as the definition's condition, which the KB binds when it
    loads (:meth:`bind`); an unbound reference cannot be evaluated."""

    ref: str = Field(description="The id of a definition in a rules file's `defines:`.")

    def bind(self, target: Condition) -> None:
        """Point this reference at its definition's condition (done once, by the loader)."""
        self.__dict__["bound"] = target

    def bind_refs(self, conditions: Mapping[str, Any]) -> list[str]:
        target = conditions.get(self.ref)
        if target is None:
            return [self.ref]
        self.bind(target)
        return []

    @property
    def target(self) -> Condition:
        """The definition's condition."""
        found = self.__dict__.get("bound")
        if found is None:
            raise KnowledgeError(f"reference to an unknown definition {self.ref!r}")
        return found  # type: ignore[no-any-return]

    @property
    def is_bound(self) -> bool:
        return "bound" in self.__dict__

    def _compile(self) -> TruthFn:
        return self.target.compiled

    def _compile_raw(self) -> RawFn:
        return self.target.raw

    def _compile_short(self) -> MaybeRawFn:
        return self.target.short

    @property
    def cheap(self) -> bool:
        return self.target.cheap

    @property
    def grouped(self) -> bool:  # type: ignore[override]
        return self.target.grouped

    def leaves(self) -> Iterator[FactTest]:
        yield from self.target.leaves()

    def gates(self) -> list[FactTest]:
        return self.target.gates()

    def refs(self) -> Iterator[str]:
        yield self.ref

    def describe(self) -> str:
        return self.target.describe()

    def undecided(self, facts: Facts) -> list[str]:
        return self.target.undecided(facts)


_TAGS: dict[type, str] = {AllOf: "all", AnyOf: "any", NotOf: "not", AtLeast: "at_least", RefTo: "ref"}
_KEYS = (("all", "all"), ("any", "any"), ("not", "not"), ("not_", "not"), ("at_least", "at_least"),
         ("ref", "ref"))  # fmt: skip


def _kind(value: Any) -> str | None:
    """Pick the node class from the key present (Synthea/pydantic callable discriminator)."""
    if isinstance(value, BaseModel):
        return _TAGS.get(type(value), "fact")
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
    | Annotated[AtLeast, Tag("at_least")]
    | Annotated[RefTo, Tag("ref")],
    Discriminator(_kind),
]

for _model in (AllOf, AnyOf, NotOf, AtLeast):
    _model.model_rebuild()


# ------------------------------------------------------------------ module-level names
# (kept for callers; each is the node's own method)


def iter_fact_tests(node: Any) -> Iterator[FactTest]:
    """Every leaf of a condition tree, depth first."""
    return node.leaves()  # type: ignore[no-any-return]


def compiled(node: Any) -> TruthFn:
    """A closure computing ``node.truth``, built once per node."""
    return node.compiled  # type: ignore[no-any-return]


def explained(node: Any) -> ExplainFn:
    """A closure computing ``node.explain``, built once per node."""
    return node.explainer  # type: ignore[no-any-return]


def explained_unless_false(node: Any) -> MaybeExplainFn:
    """Like :func:`explained`, but None when the condition is FALSE; an ``all`` stops at
    its first FALSE part (its cheap equality tests first), so a rule that does not apply
    costs about as little as with :func:`compiled`, and one that does is evaluated once."""
    return node.explainer_unless_false  # type: ignore[no-any-return]


def gate_leaves(node: Any) -> list[FactTest]:
    """Leaves that make the whole condition FALSE when they are FALSE."""
    return node.gates()  # type: ignore[no-any-return]
