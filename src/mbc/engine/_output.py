"""The plan's summary fields made from the facts: the classification, and the facts shown
in the trace (without the hundreds of FALSE per-class / per-drug flags)."""

from __future__ import annotations

import itertools
import operator
from collections.abc import Iterable, Sequence
from typing import Any

from mbc.engine._items import NOT_FOUND, ByIdentity
from mbc.engine.facts import FlagBlock
from mbc.knowledge._index import has_room
from mbc.knowledge.loader import KnowledgeBase
from mbc.model.plan import Classification

__all__ = ["classification", "shown_facts"]


class _Classifications(dict[tuple[Any, ...], Classification]):
    """The classification made from its inputs' values and types (per KB, bounded)."""


def classification(facts: dict[str, Any], kb: KnowledgeBase | None = None) -> Classification:
    """The plan's classification (with ``kb``: remembered by the values it reads)."""
    values = tuple(map(facts.get, _READS, _NONES))
    if kb is None:
        return _classification(*values)
    memo = kb.attached(_Classifications)
    key = (*values, *map(type, values))
    try:
        found = memo.get(key)
    except TypeError:  # an unhashable value: make it, do not remember
        return _classification(*values)
    if found is None:
        found = _classification(*values)
        if has_room(memo):
            memo[key] = found
    return found


_READS = ("pdl1_cps", "visceral_crisis", "prior.metastatic_lines", "subtype", "hr_status", "her2_category",
          "endocrine_resistance", "line.metastatic", "line", "line.treated_as", "er_status", "pr_status",
          "menopausal_status", "sex")  # fmt: skip
_MISSING: Any = object()
_NONES = itertools.repeat(_MISSING)


def _classification(
    cps: Any, vc: Any, lines: Any, subtype: Any, hr: Any, her2: Any, resistance: Any, line_met: Any,
    line: Any, treated_as: Any, er: Any, pr: Any, menopausal: Any, sex: Any,
) -> Classification:  # fmt: skip
    def given(v: Any, default: Any) -> Any:
        return default if v is _MISSING else v

    return Classification(
        subtype=given(subtype, "unknown"),
        hr_status=given(hr, "unknown"),
        her2_category=given(her2, "unknown"),
        endocrine_resistance=given(resistance, "unknown"),
        line=given(line_met, given(line, None)),
        treated_as=given(treated_as, None),
        er_status=given(er, "unknown"),
        pr_status=given(pr, "unknown"),
        pdl1=f"CPS {cps:g} (22C3)" if isinstance(cps, int | float) else "unknown",
        menopausal_status=given(menopausal, "male" if sex == "male" else "unknown"),
        visceral_crisis=vc if isinstance(vc, bool) else None,
        prior_metastatic_lines=lines if isinstance(lines, int) else None,
    )


_ALWAYS_SHOWN = ("relapse.", "brain.", "germline.brca")


class _Traced:
    """Fact name -> 0 when the trace leaves it out (its fact is ``traced: false`` in
    knowledge/vocab/facts.yaml), 1 when it is shown unless FALSE, 2 when it is shown even
    when FALSE (a pure function of the name and the KB, per KB). ``codes`` is a plain
    ``dict`` (the comprehension's subscript is specialised for exact dicts) of the names
    seen so far: :meth:`fill` adds those a plan brings that are not in it yet."""

    __slots__ = ("codes", "orders", "untraced")

    def __init__(self, untraced: tuple[tuple[str, str | None], ...]) -> None:
        self.untraced = untraced  # (fact id, None) or (id before "{", id after "}")
        self.codes: dict[str, int] = {}
        self.orders = ByIdentity()  # (id(template),) -> its order or None: the KB's few templates

    def order(self, template: dict[str, bool]) -> list[str] | None:
        """A flag template's names in order; None when one of its flags is shown even when
        FALSE or it is empty (its run cannot be skipped)."""
        key = (id(template),)
        found = self.orders.find(key, template)
        if found is NOT_FOUND:
            names = list(template)
            found = names if names and all(self.code(k) < 2 for k in names) else None
            self.orders.keep(key, (template,), found)
        return found  # type: ignore[no-any-return]

    def code(self, key: str) -> int:
        """The name's code (remembered in ``codes``)."""
        found = self.codes.get(key)
        if found is None:
            untraced = self.untraced
            if any(key == head if tail is None else _in_family(key, head, tail) for head, tail in untraced):
                found = 0
            elif "." not in key or key.startswith(_ALWAYS_SHOWN):
                found = 2
            else:
                found = 1
            self.codes[key] = found
        return found

    def fill(self, names: Iterable[str]) -> None:
        for name in names:
            self.code(name)


def _in_family(key: str, head: str, tail: str) -> bool:
    return len(key) > len(head) + len(tail) and key.startswith(head) and key.endswith(tail)


def _traced(kb: KnowledgeBase) -> _Traced:
    untraced = []
    for f in kb.facts:
        if not f.traced:
            head, brace, rest = f.id.partition("{")
            untraced.append((head, rest.partition("}")[2]) if brace else (f.id, None))
    return _Traced(tuple(untraced))


def shown_facts(
    facts: dict[str, Any], kb: KnowledgeBase, blocks: Sequence[FlagBlock] | None = None
) -> dict[str, Any]:
    """Facts for the trace, without the hundreds of false per-class/per-drug flags and
    without the facts the KB does not trace.

    ``blocks``: the flag templates derive wrote as runs of the facts (``DerivedFacts.blocks``):
    their values are scanned in C and only the flags not FALSE are looked at in Python (the
    same result, without walking the hundreds left FALSE)."""
    traced = kb.attached(_Traced, lambda: _traced(kb))
    try:
        if blocks:
            found = _kept_around(facts, traced, blocks)
            if found is not None:
                return found
        return _kept(facts.items(), traced.codes)
    except KeyError:  # a name not seen yet: add every new one, then keep as above
        traced.fill(facts)
        return _kept(facts.items(), traced.codes)


def _kept(items: Iterable[tuple[str, Any]], codes: dict[str, int]) -> dict[str, Any]:
    # a fact is kept when its code is above (value is FALSE): 2 always, 1 unless FALSE
    return {k: list(v) if isinstance(v, tuple) else v for k, v in items if codes[k] > (v is False)}


def _kept_around(
    facts: dict[str, Any], traced: _Traced, blocks: Sequence[FlagBlock]
) -> dict[str, Any] | None:
    """:func:`_kept` of the facts, each block's run skipped in C but for the flags whose
    value is not FALSE (read from the facts themselves, in the template's order, however
    they were set); None when a run is not where its block says or a template has a flag
    shown even when FALSE (then the facts are walked as usual)."""
    codes = traced.codes
    names = list(facts)
    values = list(facts.values())
    out: dict[str, Any] = {}
    done = 0
    for b in blocks:
        order = traced.order(b.template)
        end = b.start + len(b.template)
        if order is None or b.start < done or end > len(names):
            return None
        if names[b.start] != order[0] or names[end - 1] != order[-1]:
            return None
        out.update(_kept(zip(names[done : b.start], values[done : b.start], strict=True), codes))
        # the run's flags set to anything but FALSE (however they were set), found in C: each
        # is shown unless the KB does not trace it (code 0); order() ruled out code 2
        run = names[b.start : end]
        for k in itertools.compress(run, map(operator.is_not, values[b.start : end], _FALSES)):
            if codes[k]:
                v = facts[k]
                out[k] = list(v) if isinstance(v, tuple) else v
        done = end
    out.update(_kept(zip(names[done:], values[done:], strict=True), codes))
    return out


_FALSES = itertools.repeat(False)
