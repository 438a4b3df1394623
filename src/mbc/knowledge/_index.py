"""Compiled, patient-independent indexes over one knowledge base (held by it).

:class:`KBIndex` is built once per :class:`~mbc.knowledge.loader.KnowledgeBase` (its
``index`` cached property) and lives and dies with it, so nothing here can go stale or be
shared between two KBs. It holds:

- :class:`RuleIndex`: the active rules compiled, with a *gate* index that skips rules a
  single fact already rules out (bit masks per fact value);
- :class:`Recall`: outcomes of one condition remembered by the values (and types) of the
  facts it reads, under one memory :class:`Budget` per KB.

Everything remembered is a pure function of its key, so it cannot change a result
(tests/engine/test_caches.py). Bounds: ``MAX_RECALLED`` outcomes per KB, ``MAX_CACHED``
masks and candidate lists per rule index.
"""

from __future__ import annotations

import functools
import itertools
import operator
from collections.abc import Callable, Iterable, Mapping, Sequence, Sized
from dataclasses import dataclass, field
from typing import Any

from mbc.knowledge._refs import hold_condition
from mbc.knowledge.conditions import (
    OPERATORS,
    MaybeExplainFn,
    Outcome,
    TruthFn,
    compiled,
    explained,
    explained_unless_false,
    gate_leaves,
    iter_fact_tests,
)
from mbc.knowledge.schema import Rule, SafetyRule
from mbc.logic import Truth

__all__ = [
    "ABSENT",
    "ABSENTS",
    "Budget",
    "KBIndex",
    "Recall",
    "RuleIndex",
    "applies",
    "has_room",
    "picker",
    "plain",
    "reads",
    "row_of",
]

# Shape of an outcome: (truth, names of the facts used, facts missing).
_Shape = tuple[Truth, tuple[str, ...], frozenset[str]]
MAX_RECALLED = 50_000  # outcomes remembered per KB, over all its conditions
MAX_CACHED = 10_000  # entries one per-KB memory keeps (every bounded memory but the recalls)

NOT_YET: Any = object()
ABSENT: Any = object()
ABSENTS = itertools.repeat(ABSENT)


def has_room(memory: Sized) -> bool:
    """Whether a per-KB memory may remember one more entry (``MAX_CACHED``, read at each
    call, bounds them all)."""
    return len(memory) < MAX_CACHED


@dataclass
class Budget:
    """How many more outcomes a KB's recalls may remember (bounds their memory)."""

    left: int = field(default_factory=lambda: MAX_RECALLED)


class Recall:
    """Outcomes of one condition remembered by the values of the facts it reads (per KB).

    A condition reads its facts only through its leaves, whose tests compare with ``==``,
    ``<``... (and tell ``True`` from ``1`` by type), so two patients with equal values of
    the same types get the same truth, the same facts used and the same facts missing.
    When every value read is :func:`plain` the outcome itself is shared (its values used
    print as this patient's would); otherwise the values shown as used are taken from this
    patient's facts.
    """

    __slots__ = ("budget", "reads", "seen")

    def __init__(self, reads: Iterable[str], budget: Budget) -> None:
        self.reads = tuple(sorted(set(reads)))
        self.seen: dict[tuple[Any, ...], Outcome | _Shape | None] = {}
        self.budget = budget

    def recall(
        self, key: Any, facts: Mapping[str, Any], compute: Callable[..., Outcome | None], *args: Any
    ) -> Outcome | None:
        """``compute(*args)`` (an Outcome, or None) for these facts, remembered by the key
        (each read fact's value and type, in ``reads`` order: :func:`row_of`)."""
        try:
            shape = self.seen.get(key, NOT_YET)
        except TypeError:  # an unhashable value: compute, do not remember
            return compute(*args)
        if shape is NOT_YET:
            out = compute(*args)
            if self.budget.left > 0:
                self.budget.left -= 1
                if out is None or plain(key):  # equal values print alike: share the outcome
                    self.seen[key] = out
                else:
                    self.seen[key] = (out.truth, tuple(out.used), out.missing)
            return out
        if shape is None or type(shape) is Outcome:
            return shape
        truth, used, missing = shape
        return Outcome(truth, {k: facts[k] for k in used}, missing)


def row_of(facts: Mapping[str, Any], names: Iterable[str]) -> tuple[tuple[Any, type], ...]:
    """The (value, type) of each named fact, in order (``ABSENT`` when missing)."""
    values = tuple(map(facts.get, names, ABSENTS))
    return tuple(zip(values, map(type, values), strict=True))


def plain(row: Iterable[tuple[Any, type]]) -> bool:
    """Every value of a row of (value, type) pairs prints one way for all values equal to
    it: strings, bools, ints, None, absent, non-zero floats and tuples of strings (``0.0``
    and ``-0.0`` are equal but print differently; NaN is never equal)."""
    row = tuple(row)
    types = list(map(_TYPE, row))
    # checked in C but for tuples; ``object`` must be the ABSENT marker
    if not _PLAIN.issuperset(types) or types.count(object) != row.count(_ABSENT_PAIR):
        return False
    if float in types:
        floats = list(itertools.compress(map(_VALUE, row), map(operator.is_, types, _FLOATS)))
        if 0.0 in floats or not all(map(operator.eq, floats, floats)):  # zero, or NaN
            return False
    if tuple in types:
        return all(all(type(x) is str for x in v) for v, t in row if t is tuple)
    return True


# Types whose values may print alike when equal (``object``: only as the ABSENT marker;
# floats: not zero, not NaN; tuples: of strings).
_PLAIN = frozenset({str, bool, int, type(None), object, float, tuple})
_ABSENT_PAIR = (ABSENT, object)
_VALUE, _TYPE = operator.itemgetter(0), operator.itemgetter(1)
_FLOATS = itertools.repeat(float)


def reads(*conditions: Any) -> list[str]:
    """The fact names the conditions read (with repeats)."""
    return [t.fact for c in conditions if c is not None for t in iter_fact_tests(c)]


def applies(cond: Any, facts: Mapping[str, Any]) -> Outcome | None:
    """A condition's explained outcome; None when it is FALSE."""
    return None if compiled(cond)(facts) is Truth.FALSE else explained(cond)(facts)


# (bit position, rule, its ``when`` explained unless FALSE, its ``unless`` compiled, its
# recall, a picker of the (value, type) pairs it reads from the patient's row)
Entry = tuple[
    int, Rule, MaybeExplainFn, TruthFn | None, Recall, Callable[[Sequence[Any]], Any], dict[Any, Any]
]
_Leaves = tuple[tuple[int, Any, Any], ...]


@dataclass
class RuleIndex:
    """The active rules compiled, and a gate index over them (one per KB).

    A *gate* is a leaf that makes a rule's ``when`` FALSE on its own (a fact test at the
    top of the rule or inside its top-level ``all``). For each gate fact and observed value
    we remember which rules that value rules out, as a bit mask, so most rules are skipped
    after a few dict lookups. Masks are computed from the leaves' own tests, so skipping a
    rule never changes a result: it would have evaluated FALSE.

    A patient's *row* holds the (value, type) of every fact some rule reads, in ``reads``
    order (:meth:`row`); each gate's masks are remembered by that pair (one dict per gate).
    """

    entries: tuple[Entry, ...]
    gates: tuple[tuple[str, _Leaves], ...]
    reads: tuple[str, ...] = ()  # every fact some rule reads
    masks: tuple[dict[tuple[Any, type], int], ...] = ()  # per gate: pair -> mask
    chosen: dict[int, tuple[Entry, ...]] = field(default_factory=dict)
    gate_pick: Callable[[Sequence[Any]], tuple[tuple[Any, type], ...]] = tuple
    masks_left: int = MAX_CACHED  # how many more gate masks may be remembered
    refs: tuple[str, ...] = ()  # "id@version" of each rule, in entry order

    @classmethod
    def build(cls, rules: Sequence[Rule], budget: Budget) -> RuleIndex:
        """Compile ``rules`` (in order) and index their gate leaves."""
        entries: list[Entry] = []
        by_fact: dict[str, list[tuple[int, Any, Any]]] = {}
        recalls = [Recall(reads(r.when, r.unless, hold_condition(r)), budget) for r in rules]
        all_reads = tuple(sorted({f for rc in recalls for f in rc.reads}))
        position = {f: n for n, f in enumerate(all_reads)}
        for i, r in enumerate(rules):
            unless = compiled(r.unless) if r.unless is not None else None
            at = [position[f] for f in recalls[i].reads]
            # (value, type) of each fact the rule reads, from the patient's row of all of them
            entry = (i, r, explained_unless_false(r.when), unless, recalls[i], picker(at), recalls[i].seen)
            entries.append(entry)
            for leaf in gate_leaves(r.when):
                by_fact.setdefault(leaf.fact, []).append((1 << i, OPERATORS[leaf.op].test, leaf.value))
        gates = tuple((f, tuple(v)) for f, v in by_fact.items())
        # a missing fact makes its leaves UNKNOWN, never FALSE: it rules nothing out
        masks = tuple({(ABSENT, type(ABSENT)): 0} for _ in gates)
        pick = picker([position[f] for f, _ in gates])
        refs = tuple(f"{r.id}@{r.version}" for r in rules)
        return cls(tuple(entries), gates, all_reads, masks, {}, pick, MAX_CACHED, refs)

    def row(self, facts: Mapping[str, Any]) -> tuple[tuple[Any, type], ...]:
        """The (value, type) of every fact in ``reads`` (``ABSENT`` when missing)."""
        return row_of(facts, self.reads)

    @staticmethod
    def _mask(leaves: _Leaves, observed: Any) -> int:
        out = 0
        for bit, test, value in leaves:
            if not test(observed, value):
                out |= bit
        return out

    def _gate_masks(self, pairs: tuple[tuple[Any, type], ...], found: list[int | None]) -> list[int | None]:
        """``found`` with the masks of the gates it lacks (None) computed, and remembered
        within bounds."""
        for n in itertools.compress(range(len(found)), map(operator.is_, found, itertools.repeat(None))):
            pair = pairs[n]
            mask = self._mask(self.gates[n][1], pair[0])
            try:
                if self.masks_left > 0:
                    self.masks[n][pair] = mask
                    self.masks_left -= 1
            except TypeError:  # an unhashable value: do not remember
                pass
            found[n] = mask
        return found

    def candidates(self, row: tuple[tuple[Any, type], ...]) -> tuple[Entry, ...]:
        """The rules no gate leaf rules out for this row (see :meth:`row`), in KB order."""
        pairs = self.gate_pick(row)
        try:
            found: list[int | None] = list(map(dict.get, self.masks, pairs))
        except TypeError:  # an unhashable value: look each gate up alone
            found = [self._lookup(n, pair) for n, pair in enumerate(pairs)]
        if None in found:
            found = self._gate_masks(pairs, found)
        excluded = functools.reduce(operator.or_, found, 0)
        chosen = self.chosen.get(excluded)
        if chosen is None:
            # entry n is kept when bit n of ``excluded`` is 0: its binary digits, lowest
            # first, as bytes 1 (kept) / 0 (ruled out), select the entries in C
            digits = format(excluded, self._width)[::-1].encode().translate(_KEEP)
            chosen = tuple(itertools.compress(self.entries, digits))
            if has_room(self.chosen):
                self.chosen[excluded] = chosen
        return chosen

    def _lookup(self, n: int, pair: tuple[Any, type]) -> int | None:
        try:
            return self.masks[n].get(pair)
        except TypeError:
            return None

    @functools.cached_property
    def _width(self) -> str:
        """The format of a mask as one binary digit per entry (entry n has bit n)."""
        assert all(e[0] == n for n, e in enumerate(self.entries))  # noqa: S101 - built so
        return f"0{len(self.entries)}b"


_KEEP = bytes.maketrans(b"01", b"\x01\x00")  # binary digit -> kept (1) / ruled out (0)


def _none(row: Sequence[Any]) -> tuple[Any, ...]:
    return ()


def picker(at: Sequence[int]) -> Callable[[Sequence[Any]], tuple[Any, ...]]:
    """Picks the items at ``at`` of a row, as a tuple (even of one or none)."""
    if not at:
        return _none
    return operator.itemgetter(*at) if len(at) > 1 else _one(at[0])


def _one(n: int) -> Callable[[Sequence[Any]], tuple[Any, ...]]:
    def pick(row: Sequence[Any]) -> tuple[Any, ...]:
        return (row[n],)

    return pick


class KBIndex:
    """The compiled indexes of one KB (built lazily; see the module docstring)."""

    def __init__(self, rules: Sequence[Rule], safety: Sequence[SafetyRule]) -> None:
        self._rules = rules
        self._safety = safety
        self.budget = Budget()
        self._safety_recalls: dict[int, Recall] = {}

    @functools.cached_property
    def rules(self) -> RuleIndex:
        """The active rules compiled, with their gate index."""
        return RuleIndex.build(self._rules, self.budget)

    def safety_recall(self, rule: SafetyRule) -> Recall:
        """The recall of a safety rule's patient condition."""
        found = self._safety_recalls.get(id(rule))
        if found is None:
            found = self._safety_recalls[id(rule)] = Recall(reads(rule.when), self.budget)
        return found
