"""Missing information (part of the resolve stage): the facts that would decide an UNKNOWN
rule, an exclusion that could not be checked or a safety check, grouped by record field
and ordered by what they decide."""

from __future__ import annotations

import itertools
import operator
from dataclasses import dataclass, field
from typing import Any

from mbc.engine._items import NOT_FOUND, ByIdentity, ask_of, built, field_of
from mbc.engine.context import EvalContext
from mbc.knowledge._index import has_room
from mbc.knowledge.loader import KnowledgeBase
from mbc.knowledge.schema import AvoidAction, OptionAction, Rule
from mbc.model.plan import MissingInfo
from mbc.model.record import PatientRecord

__all__ = ["missing_information"]

_TIERS = ("treatment", "safety", "workup")


def _present_fields(record: PatientRecord) -> set[str]:
    """Dotted paths of the record fields that are given (lists count when present)."""
    out: set[str] = set()
    # walked with a list, not a recursive closure (a closure naming itself is a reference
    # cycle: garbage only the cyclic collector frees)
    todo: list[tuple[str, Any]] = [("", record.model_dump(exclude_none=True))]
    while todo:
        prefix, value = todo.pop()
        if isinstance(value, dict):
            todo.extend((f"{prefix}.{k}" if prefix else k, v) for k, v in value.items())
        else:
            out.add(prefix)
    return out


def _tier(rule: Rule) -> int:
    """0 for rules that decide treatment options, 2 for workup / supportive / alerts."""
    return 0 if any(isinstance(a, OptionAction | AvoidAction) for a in rule.then) else 2


@dataclass
class _Wanted:
    """One record field's missing information while it is gathered (dicts keep the
    first-seen order and drop repeats)."""

    ask: str
    tier: int
    why: dict[tuple[int, str], None] = field(default_factory=dict)
    facts: dict[str, None] = field(default_factory=dict)
    decides: dict[str, None] = field(default_factory=dict)


_Row = tuple[str, tuple[int, str], str, str, str]
# an item with its place in the list: (tier, minus how many rules it decides, field)
_Placed = tuple[tuple[int, int, str], MissingInfo]
_FIELD, _WHY, _FACT, _RULE = (operator.itemgetter(n) for n in (0, 1, 3, 4))
_TIER = _PLACE = operator.itemgetter(0)


@dataclass
class _MissingIndex:
    """Patient-independent pieces of missing information (per KB)."""

    rules: dict[int, tuple[int, str, str]] = field(default_factory=dict)
    facts: dict[str, tuple[str, str]] = field(default_factory=dict)
    why_parts: dict[str, tuple[str, ...]] = field(default_factory=dict)
    by_rule: dict[tuple[int, frozenset[str], int], tuple[_Row, ...]] = field(default_factory=dict)
    # the finished item for everything gathered about a field (all strings: equal is
    # identical), with its place in the list (_Placed)
    items: dict[tuple[Any, ...], _Placed] = field(default_factory=dict)
    safety: ByIdentity = field(default_factory=lambda: ByIdentity())  # (id(item),) -> its rows
    groups: dict[tuple[_Row, ...], _Placed] = field(default_factory=dict)

    def rule(self, r: Rule) -> tuple[int, str, str]:
        """(tier, why when UNKNOWN, why when an exclusion could not be checked)."""
        found = self.rules.get(id(r))
        if found is None:
            found = self.rules[id(r)] = (
                _tier(r),
                (r.missing_why or r.title).strip(),
                f"would rule out: {r.title.strip()}",
            )
        return found

    def fact(self, kb: KnowledgeBase, fact: str) -> tuple[str, str]:
        """(record field, how to ask) for a fact."""
        found = self.facts.get(fact)
        if found is None:
            found = self.facts[fact] = (field_of(kb, fact), ask_of(kb, fact))
        return found

    def rows(self, kb: KnowledgeBase, r: Rule, missing: frozenset[str], which: int) -> tuple[_Row, ...]:
        """A rule's missing facts as rows (field, (tier, why), ask, fact, rule id), by fact
        name; ``which`` is 1 for an UNKNOWN rule, 2 for an exclusion not checked."""
        key = (id(r), missing, which)
        found = self.by_rule.get(key)
        if found is None:
            made: list[_Row] = []
            tier, unknown_why, unchecked_why = self.rule(r)
            why = unknown_why if which == 1 else unchecked_why
            for fact in sorted(missing):
                field_name, ask = self.fact(kb, fact)
                made.append((field_name, (tier, why), ask, fact, r.id))
            found = self.by_rule[key] = tuple(made)
        return found

    def safety_rows(self, m: MissingInfo) -> tuple[_Row, ...]:
        """A safety check's missing-information item as rows (remembered per item: the
        safety stage shares them; the item is held so its id cannot be reused)."""
        key = (id(m),)
        made = self.safety.find(key, m)
        if made is NOT_FOUND:
            rule_id = m.decides[0] if m.decides else ""
            made = tuple((m.field, (1, m.why), m.ask, fact, rule_id) for fact in m.facts)
            self.safety.keep(key, (m,), made)
        return made  # type: ignore[no-any-return]

    def item(self, field_name: str, e: _Wanted) -> _Placed:
        """(place, item) for everything gathered about a field (remembered)."""
        gathered = (field_name, e.tier, e.ask, tuple(e.why), tuple(e.facts), tuple(e.decides))
        placed = self.items.get(gathered)
        if placed is None:
            item = _missing_item(self, field_name, e)
            # ordered by what it decides (tier), then by how many decisions, then by field
            placed = ((e.tier, -len(item.decides), item.field), item)
            if has_room(self.items):
                self.items[gathered] = placed
        return placed

    def grouped(self, group: tuple[_Row, ...]) -> _Placed:
        """(place, item) for one field's rows (remembered by the rows: all strings and ints)."""
        found = self.groups.get(group)
        if found is None:
            found = self.item(group[0][0], _wanted(group))
            if has_room(self.groups):
                self.groups[group] = found
        return found

    def parts(self, why: str) -> tuple[str, ...]:
        found = self.why_parts.get(why)
        if found is None:
            found = self.why_parts[why] = tuple(p.strip() for p in why.split("; ") if p.strip())
        return found


def _missing_item(index: _MissingIndex, field_name: str, e: _Wanted) -> MissingInfo:
    whys = list(
        dict.fromkeys(part for _, w in sorted(e.why, key=lambda tw: tw[0]) for part in index.parts(w))
    )
    shown = "; ".join(whys[:4]) + (f"; and {len(whys) - 4} more" if len(whys) > 4 else "")
    # strings and fresh lists of strings (the priority one of the model's words, _TIERS):
    # built without validating them again
    return built(
        MissingInfo,
        {
            "field": field_name,
            "why": f"Decides: {shown}",
            "ask": e.ask,
            "facts": sorted(e.facts),
            "decides": list(e.decides),
            "priority": _TIERS[e.tier],
        },
    )


def missing_information(ctx: EvalContext) -> tuple[MissingInfo, ...]:
    """Missing information: facts that would decide an UNKNOWN rule, grouped by field.

    Ordered by what they decide: treatment choices first, then safety checks, then workup
    and supportive care; within a tier, by how many decisions they touch.
    """
    kb = ctx.kb
    index = kb.attached(_MissingIndex)
    rows: list[_Row] = []
    gather = rows.extend
    for f in ctx.unknown:
        gather(index.rows(kb, f.rule, f.outcome.missing, 1))
    for f in ctx.fired:  # fired, but an exclusion (`unless`) could not be checked
        if f.outcome.missing:
            gather(index.rows(kb, f.rule, f.outcome.missing, 2))
    for m in {id(m): m for m in ctx.missing}.values():  # from safety checks (each once)
        gather(index.safety_rows(m))
    # rows grouped by field (a stable sort keeps each field's rows in order), the fields in
    # first-seen order
    groups = {name: tuple(group) for name, group in itertools.groupby(sorted(rows, key=_FIELD), key=_FIELD)}
    fields = dict.fromkeys(map(_FIELD, rows))
    if not any(", " in name for name in fields):
        # the usual case: each field's item is a function of its rows, remembered by them
        out = [index.grouped(group) for group in map(groups.__getitem__, fields)]
    else:
        out = [index.item(name, e) for name, e in _merged(ctx.record, groups, fields).items()]
    out.sort(key=_PLACE)  # (a stable sort)
    return tuple(m for _, m in out)


def _wanted(group: tuple[_Row, ...]) -> _Wanted:
    """One field's rows gathered (each group's parts gathered in C)."""
    whys = dict.fromkeys(map(_WHY, group))
    return _Wanted(
        group[0][2],
        min(map(_TIER, whys)),
        whys,
        dict.fromkeys(map(_FACT, group)),
        dict.fromkeys(map(_RULE, group)),
    )


def _merged(
    record: PatientRecord, groups: dict[str, tuple[_Row, ...]], fields: dict[str, None]
) -> dict[str, _Wanted]:
    """The fields' rows gathered, a fact read from several fields missing only through the
    ones not recorded (HER2 IHC 2+ recorded -> only tumor.her2_ish is missing); a single
    field always keeps its name."""
    present = _present_fields(record)
    merged: dict[str, _Wanted] = {}
    for field_name in fields:
        e = _wanted(groups[field_name])
        parts = [f for f in field_name.split(", ") if f not in present] or [field_name]
        key = ", ".join(parts)
        prev = merged.get(key)
        if prev is None:
            merged[key] = e
        else:
            prev.tier = min(prev.tier, e.tier)
            prev.why.update(e.why)
            prev.facts.update(e.facts)
            prev.decides.update(e.decides)
    return merged
