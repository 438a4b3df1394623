"""The plan's summary fields made from the facts: the classification, and the facts shown
in the trace (without the hundreds of FALSE per-class / per-drug flags)."""

from __future__ import annotations

import itertools
import operator
from collections.abc import Iterable
from typing import Any

from mbc.engine.facts import DerivedFacts, FlagTemplate
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
NO_SKIP, SKIP, ALL_SHOWN = 0, 1, 2  # how a run of flags is traced (_Traced.kind)


class _Traced:
    """Fact name -> 0 when the trace leaves it out (its fact is ``traced: false`` in
    knowledge/vocab/facts.yaml), 1 when it is shown unless FALSE, 2 when it is shown even
    when FALSE (a pure function of the name and the KB, per KB). ``codes`` is a plain
    ``dict`` (the comprehension's subscript is specialised for exact dicts) of the names
    seen so far: :meth:`fill` adds those a plan brings that are not in it yet."""

    __slots__ = ("codes", "skips", "untraced")

    def __init__(self, untraced: tuple[tuple[str, str | None], ...]) -> None:
        self.untraced = untraced  # (fact id, None) or (id before "{", id after "}")
        self.codes: dict[str, int] = {}
        self.skips: dict[int, tuple[FlagTemplate, int]] = {}  # id(template) -> (it, kind): the KB's few

    def kind(self, template: FlagTemplate) -> int:
        """How a flag template's run is traced: ``NO_SKIP`` when it is empty or one of its
        flags is shown even when FALSE (code 2); ``ALL_SHOWN`` when every flag is shown
        unless FALSE (code 1); ``SKIP`` otherwise. Remembered in ``skips``; every name's
        code is known after."""
        hit = self.skips.get(id(template))
        if hit is not None and hit[0] is template:
            return hit[1]
        codes = {self.code(k) for k in template}
        found = NO_SKIP if not template or 2 in codes else ALL_SHOWN if codes == {1} else SKIP
        if has_room(self.skips):
            self.skips[id(template)] = (template, found)  # held: its id stays its own
        return found

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
    facts: dict[str, Any], kb: KnowledgeBase, derived: DerivedFacts | None = None
) -> dict[str, Any]:
    """Facts for the trace, without the hundreds of false per-class/per-drug flags and
    without the facts the KB does not trace.

    ``derived``: the derived facts these facts are (``derived.facts is facts``): the runs
    of flags it wrote are skipped in C, and of their flags only those it raised are looked
    at (the same result as walking every fact: derive sets a flag only through
    :meth:`DerivedFacts.raise_flag`)."""
    traced = kb.attached(_Traced, lambda: _traced(kb))
    try:
        if derived is not None and derived.runs and derived.facts is facts:
            found = _kept_around(derived, traced)
            if found is not None:
                return found
        return _kept(facts.items(), traced.codes)
    except KeyError:  # a name not seen yet: add every new one, then keep as above
        traced.fill(facts)
        return _kept(facts.items(), traced.codes)


def _kept(items: Iterable[tuple[str, Any]], codes: dict[str, int]) -> dict[str, Any]:
    # a fact is kept when its code is above (value is FALSE): 2 always, 1 unless FALSE
    return {k: list(v) if isinstance(v, tuple) else v for k, v in items if codes[k] > (v is False)}


def _kept_around(derived: DerivedFacts, traced: _Traced) -> dict[str, Any] | None:
    """:func:`_kept` of the derived facts, each run of flags skipped in C but for the flags
    raised in it (in the run's order); None when a run is not where it says or its
    template has a flag shown even when FALSE (then the facts are walked as usual). A
    raised name not in its run's template raises KeyError (the caller walks the facts)."""
    facts = derived.facts
    codes = traced.codes
    items = iter(facts.items())
    out: dict[str, Any] = {}
    done = 0
    for run in derived.runs or ():
        start = run.start
        template = run.template
        kind = traced.kind(template)
        if start < done or kind is NO_SKIP:
            return None
        if start > done:
            out.update(_kept(itertools.islice(items, start - done), codes))
        n = len(template)
        place = template.place
        # the run's first and last names where the run says; the names between skipped in
        # C (no item is held while skipping: the iterator then reuses its one result tuple)
        if place.get(next(items, _END)[0]) != 0:
            return None
        if n > 1:
            next(itertools.islice(items, n - 2, n - 2), None)
            if place.get(next(items, _END)[0]) != n - 1:
                return None
        done = start + n
        if run.raised:
            names = sorted(set(run.raised), key=place.__getitem__)
            if kind is ALL_SHOWN and all(map(operator.is_, map(facts.__getitem__, names), _TRUES)):
                out.update(dict.fromkeys(names, True))  # each TRUE and shown unless FALSE: in C
            else:
                out.update(_kept(zip(names, map(facts.__getitem__, names), strict=True), codes))
    out.update(_kept(items, codes))
    return out


_END: tuple[Any, Any] = (None, None)  # what the items give when there are no more
_TRUES = itertools.repeat(True)
