"""Progression exclusion (issue 9): a drug on which metastatic disease progressed is not
offered again; for the cross-resistant classes the KB lists, no drug of that class is.

The rules are data (``knowledge/safety/progression.yaml``, ``progressed_on: drug | class``),
and so are their exceptions (``progressed_on: exception``, e.g. an anti-HER2 antibody continued beyond
progression). This module only finds, for one patient, which drugs those rules exclude.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from mbc.knowledge._index import has_room
from mbc.knowledge.conditions import compiled
from mbc.logic import Truth

if TYPE_CHECKING:
    from collections.abc import Iterable

    from mbc.engine.derive import TherapyView
    from mbc.knowledge.loader import KnowledgeBase
    from mbc.knowledge.schema import SafetyRule

__all__ = ["Progression", "progression_for", "unlisted"]


@dataclass
class Progression:
    """For one patient: the drugs metastatic disease progressed on and what that excludes."""

    progressed: frozenset[str]
    # (rule, drug ids it excludes) for the drug and class rules
    rules: tuple[tuple[SafetyRule, frozenset[str]], ...]
    exempt: frozenset[str]
    # exemptions that hold only together with other drugs: (drug ids, required classes/drugs)
    exempt_with: tuple[tuple[frozenset[str], tuple[str, ...]], ...] = ()
    # drug set -> findings (the object is shared by every patient with the same
    # progression; the findings of a drug set are a pure function of it and the KB)
    _memo: dict[tuple[str, ...], list[tuple[SafetyRule, list[str]]]] = field(default_factory=dict)
    # how many more drug sets the progressions of this KB may remember (shared, bounded)
    _budget: list[int] = field(default_factory=lambda: [0])
    # every drug some rule excludes and no exemption always allows (a drug set with none of
    # them has no finding)
    _excluded: frozenset[str] = field(init=False)

    def __post_init__(self) -> None:
        self._excluded = frozenset().union(*(excluded for _, excluded in self.rules)) - self.exempt

    def findings(self, kb: KnowledgeBase, drug_ids: tuple[str, ...]) -> list[tuple[SafetyRule, list[str]]]:
        """(rule, the drugs of ``drug_ids`` it excludes) for each rule that excludes some.
        The list returned is not to be changed (it is shared)."""
        if self._excluded.isdisjoint(drug_ids):
            return _NO_FINDINGS
        found = self._memo.get(drug_ids)
        if found is None:
            found = []
            taken: set[str] = set()
            exempt = set(self.exempt)
            for ids, parts in self.exempt_with:
                if all(any(x == p or p in kb.drug_classes_of(x) for x in drug_ids) for p in parts):
                    exempt |= ids
            for rule, excluded in self.rules:
                hit = [d for d in drug_ids if d in excluded and d not in exempt and d not in taken]
                if hit:
                    taken.update(hit)
                    found.append((rule, hit))
            if self._budget[0] > 0:
                self._budget[0] -= 1
                self._memo[drug_ids] = found
        return found


def unlisted(progression: Progression, named: set[str]) -> list[tuple[SafetyRule, str]]:
    """(drug rule, drug id) for each drug the disease progressed on that the plan does not yet
    name in not_recommended (so "not re-offered" is stated even when no rule offered it)."""
    always_ok = set(progression.exempt)
    for ids, _ in progression.exempt_with:
        always_ok |= ids
    out: list[tuple[SafetyRule, str]] = []
    for rule, excluded in progression.rules:
        if rule.progressed_on != "drug":
            continue
        out.extend(
            (rule, d)
            for d in sorted(progression.progressed & excluded)
            if d not in always_ok and d not in named
        )
    return out


def _concerns(kb: KnowledgeBase, s: SafetyRule, drug_id: str) -> bool:
    return drug_id in s.drugs or bool(kb.drug_classes_of(drug_id) & set(s.classes))


_NONE = Progression(frozenset(), (), frozenset())
_NO_FINDINGS: list[tuple[SafetyRule, list[str]]] = []  # shared: never changed
_MAX_SETS = 200_000  # drug sets remembered over all the progressions of a KB


@dataclass
class _Index:
    """Patient-independent parts of the progression rules (per KB)."""

    concerned: dict[int, frozenset[str]] = field(default_factory=dict)  # rule -> drugs it concerns
    by_class: dict[str, frozenset[str]] = field(default_factory=dict)  # class -> its drugs
    found: dict[tuple[frozenset[str], tuple[bool, ...]], Progression] = field(default_factory=dict)
    budget: list[int] = field(default_factory=lambda: [_MAX_SETS])  # shared by its progressions


def _index(kb: KnowledgeBase) -> _Index:
    ix = _Index()
    for s in kb.progression_rules:
        ix.concerned[id(s)] = frozenset(d for d in kb.drugs if _concerns(kb, s, d))
    classes = {c for s in kb.progression_rules for c in s.classes}
    for c in classes:
        ix.by_class[c] = frozenset(d for d in kb.drugs if c in kb.drug_classes_of(d))
    return ix


def progression_for(
    kb: KnowledgeBase, facts: dict[str, Any], therapies: Iterable[TherapyView]
) -> Progression:
    """What the progression rules exclude for a patient with these prior therapies."""
    progressed = frozenset(
        d
        for v in therapies
        if v.setting == "metastatic" and v.therapy.stop_reason == "progression"
        for d in v.drug_ids
    )
    if not progressed:
        return _NONE
    ix = kb.attached(_Index, lambda: _index(kb))
    holds = tuple(
        s.when is None or compiled(s.when)(facts) is Truth.TRUE
        for s in kb.progression_rules
        if s.progressed_on == "exception"
    )
    key = (progressed, holds)
    found = ix.found.get(key)
    if found is not None:
        return found
    rules: list[tuple[SafetyRule, frozenset[str]]] = []
    exempt: set[str] = set()
    exempt_with: list[tuple[frozenset[str], tuple[str, ...]]] = []
    held = iter(holds)
    for s in kb.progression_rules:
        concerned = ix.concerned[id(s)]
        if s.progressed_on == "exception":
            if next(held):
                if s.combination:  # only as the partner of these (e.g. a new HER2 TKI)
                    exempt_with.append((concerned, s.combination))
                else:
                    exempt |= concerned
        elif s.progressed_on == "drug":
            rules.append((s, progressed & concerned))
        else:  # class: every drug sharing a listed class with a progressed drug
            hit: set[str] = set()
            for c in s.classes:
                members = ix.by_class.get(c, frozenset())
                if members & progressed:
                    hit |= members
            rules.append((s, frozenset(hit)))
    found = Progression(progressed, tuple(rules), frozenset(exempt), tuple(exempt_with), {}, ix.budget)
    if has_room(ix.found):
        ix.found[key] = found
    return found
