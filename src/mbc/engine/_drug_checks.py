"""Which safety checks concern a drug set, and what they find for one patient (part of the
safety stage): the applicability test, each check's three-valued outcome (one per rule and
patient), and the checks of a drug set remembered by the values of the facts they read.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any, NamedTuple

from mbc.engine._items import ask_of, drug_names, field_of
from mbc.knowledge._index import NOT_YET, Recall, applies, picker, plain, row_of
from mbc.knowledge.conditions import Outcome
from mbc.knowledge.loader import KnowledgeBase
from mbc.knowledge.schema import SafetyRule
from mbc.logic import Truth
from mbc.model.plan import MissingInfo

__all__ = ["Finding", "Found", "SafetyMemo", "check_drugs", "safety_applies"]


def safety_applies(kb: KnowledgeBase, s: SafetyRule, drug_ids: Sequence[str]) -> list[str]:
    """The drugs of a drug set (a regimen, or an order with the ongoing therapy) a safety
    rule is about (empty if it does not apply)."""
    for part in s.not_with:
        if any(d == part or part in kb.drug_classes_of(d) for d in drug_ids):
            return []
    combination = s.combination
    if combination:
        hit: list[str] = []
        for part in combination:  # each part names a drug class or a single drug
            members = [d for d in drug_ids if d == part or part in kb.drug_classes_of(d)]
            if not members:
                return []
            hit.extend(m for m in members if m not in hit)
        return hit
    drugs, classes, routes = s.drugs, set(s.classes), s.routes  # (model fields read once, not per drug)
    return [
        d
        for d in drug_ids
        if d in drugs
        or not classes.isdisjoint(kb.drug_classes_of(d))
        or (routes and d in kb.drugs and kb.drugs[d].route in routes)
    ]


class Finding(NamedTuple):
    """A safety rule that holds for the drugs it hits (a named tuple: made per patient)."""

    rule: SafetyRule
    hit: list[str]
    outcome: Outcome | None


@dataclass(frozen=True)
class _SafetyCheck:
    """A safety rule for the drugs of a drug set it hits (patient-independent, per KB)."""

    rule: SafetyRule
    hit: list[str]
    recall: Recall
    # its recall's key (the (value, type) of each fact its rule reads) from a patient's row
    pick: Callable[[Sequence[Any]], tuple[Any, ...]]
    # the rule's ``when`` is given; its finding blocks (contraindicated / declined), not
    # cautions (read here, not from the rule model, in the per-patient loop)
    conditional: bool = True
    blocks: bool = False
    ask_if_unknown: bool = True  # the rule's, read once
    asks: dict[str, MissingInfo] = field(default_factory=dict)  # fact -> its (static) item
    asked: dict[frozenset[str], tuple[MissingInfo, ...]] = field(default_factory=dict)

    def ask(self, kb: KnowledgeBase, fact: str) -> MissingInfo:
        """The missing-information item for one undecided fact of this check."""
        found = self.asks.get(fact)
        if found is None:
            s = self.rule
            names = ", ".join(drug_names(kb, self.hit))
            # organ-function bands of one drug (issue 9: several per label) share one reason
            why = (
                f"{s.organ} limits of {names} (label dose bands)"
                if s.organ in ("hepatic", "renal")
                else f"safety check before {names}: {s.title}"
            )
            found = self.asks[fact] = MissingInfo(
                field=field_of(kb, fact),
                why=why,
                ask=ask_of(kb, fact),
                facts=[fact],
                decides=[s.id],
            )
        return found


@dataclass
class _SafetyIndex:
    """Which safety checks concern a drug set (per KB: it does not depend on the patient)."""

    by_drugs: dict[tuple[str, ...], list[_SafetyCheck]] = field(default_factory=dict)
    checks: dict[tuple[int, tuple[str, ...]], _SafetyCheck] = field(default_factory=dict)


def _applicable(kb: KnowledgeBase, drug_ids: Sequence[str]) -> list[_SafetyCheck]:
    """Safety rules that concern this drug set, with the drugs they hit (cached per KB:
    it does not depend on the patient)."""
    index = kb.attached(_SafetyIndex)
    key = tuple(drug_ids)
    found = index.by_drugs.get(key)
    if found is None:
        found = []
        for s in kb.active_safety:
            hit = safety_applies(kb, s, drug_ids)
            if hit:
                ck = (id(s), tuple(hit))
                check = index.checks.get(ck)
                if check is None:
                    recall = kb.index.safety_recall(s)
                    position = _positions(kb)
                    pick = picker([position[f] for f in recall.reads])
                    blocks = s.effect in _BLOCKING
                    check = index.checks[ck] = _SafetyCheck(
                        s, hit, recall, pick, s.when is not None, blocks, s.ask_if_unknown
                    )
                found.append(check)
        index.by_drugs[key] = found
    return found


# Per patient: a check's finding (None when it does not apply) and the missing information
# it asks for; and each drug set's (blocks, cautions, missing information).
_Checked = tuple["Finding | None", tuple[MissingInfo, ...]]
Found = tuple[list["Finding"], list["Finding"], list[MissingInfo]]


@dataclass
class SafetyMemo:
    """What the safety checks found for one patient (so a rule concerning several options
    is evaluated and explained once)."""

    rules: dict[int, Outcome | None] = field(default_factory=dict)  # None: FALSE
    checks: dict[int, _Checked] = field(default_factory=dict)
    sets: dict[tuple[str, ...], Found] = field(default_factory=dict)
    row: tuple[tuple[Any, type], ...] | None = None  # (value, type) of every fact read
    programs: _SetIndex | None = None  # the KB's drug set -> checks (looked up once)


@dataclass
class _SetChecks:
    """The checks that concern one drug set, and what they found remembered by the values
    (and types) of every fact they read (per KB).

    Equal values of the same types give every check the same outcome, the same facts used
    with equal values and the same facts missing (see :class:`~mbc.knowledge._index.Recall`),
    so the findings of one patient serve another. Only rows whose values are plain enough
    that equal means identical in JSON are remembered (``0.0`` and ``-0.0`` are equal but
    print differently; NaN is never equal)."""

    checks: tuple[_SafetyCheck, ...]
    pick: Callable[[Sequence[Any]], tuple[Any, ...]]  # its reads' pairs from a patient's row
    found: dict[Any, Found] = field(default_factory=dict)
    # each check as the plain values the per-patient loop reads (:func:`_checked`)
    steps: tuple[_Step, ...] = ()


# A check as the per-patient loop reads it: (id of the check, id of its rule, its rule's
# ``when`` (None: unconditional), whether it blocks, its recall's picker, its recall, the
# check, and, when unconditional, its (patient-independent) result).
_Step = tuple[int, int, Any, bool, Callable[[Sequence[Any]], Any], "Recall", _SafetyCheck, "_Checked | None"]


def _step(check: _SafetyCheck) -> _Step:
    s = check.rule
    fixed = None if check.conditional else (Finding(s, check.hit, None), ())
    return (id(check), id(s), s.when, check.blocks, check.pick, check.recall, check, fixed)


class _SetIndex(dict[tuple[str, ...], _SetChecks]):
    """Drug set -> its checks (per KB)."""


def _set_checks(kb: KnowledgeBase, key: tuple[str, ...]) -> _SetChecks:
    index = kb.attached(_SetIndex)
    found = index.get(key)
    if found is None:
        checks = tuple(_applicable(kb, key))
        reads = sorted({f for c in checks if c.rule.when is not None for f in c.recall.reads})
        position = _positions(kb)
        found = index[key] = _SetChecks(
            checks, picker([position[f] for f in reads]), {}, tuple(map(_step, checks))
        )
    return found


class _Positions(dict[str, int]):
    """Every fact some active safety rule reads, sorted, -> its place in a patient's row
    (per KB); the row follows the keys' order (:func:`check_drugs`)."""


def _positions(kb: KnowledgeBase) -> _Positions:
    return kb.attached(_Positions, lambda: _build_positions(kb))


def _build_positions(kb: KnowledgeBase) -> _Positions:
    reads = {f for s in kb.active_safety if s.when is not None for f in kb.index.safety_recall(s).reads}
    return _Positions((f, n) for n, f in enumerate(sorted(reads)))


def check_drugs(
    kb: KnowledgeBase,
    facts: dict[str, Any],
    drug_ids: Sequence[str],
    memo: SafetyMemo | None = None,
) -> Found:
    """Safety rules that block / caution these drugs, and the checks that need data.

    ``memo`` (one per patient) remembers each check's result. The lists returned are not
    to be changed: they are shared by every option with the same drugs, and by patients
    with the same values of the facts the checks read."""
    if memo is None:
        memo = SafetyMemo()
    key = tuple(drug_ids)
    done = memo.sets.get(key)
    if done is not None:
        return done
    programs = memo.programs
    if programs is None:
        programs = memo.programs = kb.attached(_SetIndex)
    program = programs.get(key) or _set_checks(kb, key)
    whole = memo.row
    if whole is None:
        whole = memo.row = row_of(facts, _positions(kb))
    row: Any = program.pick(whole)
    try:
        done = program.found.get(row)
    except TypeError:  # an unhashable value: check one by one, do not remember
        row = None
    if done is None:
        done = _checked(kb, facts, program, memo, whole)
        if row is not None and kb.index.budget.left > 0 and plain(row):
            kb.index.budget.left -= 1
            program.found[row] = done
    memo.sets[key] = done
    return done


def _checked(
    kb: KnowledgeBase, facts: dict[str, Any], program: _SetChecks, memo: SafetyMemo, whole: Sequence[Any]
) -> Found:
    """Every check of a drug set, each rule evaluated once per patient (``whole``: the
    patient's row of every fact the safety rules read)."""
    blocks: list[Finding] = []
    cautions: list[Finding] = []
    missing: list[MissingInfo] = []
    rules = memo.rules
    done = memo.checks
    for check_id, rule_id, when, blocking, pick, recall, check, fixed in program.steps:
        checked = done.get(check_id)
        if checked is None:
            if fixed is not None:  # no condition: the same finding for every patient
                checked = fixed
            else:
                outcome = rules.get(rule_id, NOT_YET)
                if outcome is None:
                    continue  # its rule is already known FALSE for this patient
                if outcome is NOT_YET:
                    # the recall's key picked from the patient's row
                    outcome = rules[rule_id] = recall.recall(pick(whole), facts, applies, when, facts)
                checked = _found(kb, check, outcome)
            done[check_id] = checked
        finding, asks = checked
        if asks:
            missing.extend(asks)
        if finding is not None:
            (blocks if blocking else cautions).append(finding)
    return blocks, cautions, missing


_BLOCKING = ("contraindicated", "declined")  # safety effects that block (others caution)


def _found(kb: KnowledgeBase, check: _SafetyCheck, outcome: Outcome | None) -> _Checked:
    """A check's finding and the information it asks for, given its rule's outcome."""
    if outcome is None:  # FALSE
        return None, ()
    if outcome.truth is Truth.UNKNOWN:
        if not check.ask_if_unknown:
            return None, ()
        asks = check.asked.get(outcome.missing)
        if asks is None:
            asks = check.asked[outcome.missing] = tuple(check.ask(kb, f) for f in sorted(outcome.missing))
        return None, asks
    return Finding(check.rule, check.hit, outcome), ()
