"""Evaluate stage: every active rule, three-valued; keep the TRUE and UNKNOWN ones.

Speed comes from the KB's compiled rule index (:attr:`KnowledgeBase.index`): rules that a
gate leaf already makes FALSE are skipped, and each rule's outcome is remembered by the
values of the facts it reads (:class:`mbc.knowledge._index.RuleIndex`, ``Recall``).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from mbc.engine.context import EvalContext, Fired
from mbc.knowledge._index import NOT_YET
from mbc.knowledge.conditions import Outcome, compiled, explained, explained_unless_false
from mbc.knowledge.schema import Rule
from mbc.logic import Truth

if TYPE_CHECKING:
    from mbc.knowledge.conditions import MaybeExplainFn, TruthFn

__all__ = ["evaluate_rule", "holds", "rule_outcome", "stage_evaluate"]

_TRUE = Truth.TRUE
_tuple_new = tuple.__new__


def holds(rule: Rule, facts: Mapping[str, Any]) -> bool:
    """Whether an undecided rule holds its subject back (``hold_if_unknown``: true, or its
    condition TRUE for these facts)."""
    h = rule.hold_if_unknown
    if isinstance(h, bool):
        return h
    return compiled(h)(facts) is Truth.TRUE


def evaluate_rule(
    facts: Mapping[str, Any], rule: Rule, when: MaybeExplainFn, unless: TruthFn | None
) -> Outcome | None:
    """A rule's explained outcome; None when it does not apply (``when`` FALSE or
    ``unless`` TRUE). An exclusion that cannot be checked adds its facts; with the rule's
    ``hold_if_unknown`` it also makes the outcome UNKNOWN (the option waits for the facts)."""
    outcome = when(facts)
    if outcome is None:  # FALSE
        return None
    u = unless(facts) if unless is not None else Truth.FALSE
    if u is Truth.TRUE:
        return None
    if u is Truth.UNKNOWN and rule.unless is not None:
        uo = explained(rule.unless)(facts)
        # a safety exclusion that cannot be checked holds the rule back (conditional option)
        truth = Truth.UNKNOWN if holds(rule, facts) else outcome.truth
        outcome = Outcome(truth, {**outcome.used, **uo.used}, outcome.missing | uo.missing)
    return outcome


def rule_outcome(rule: Rule, facts: Mapping[str, Any]) -> Outcome | None:
    """:func:`evaluate_rule` for one rule (the rule's own compiled conditions): what the
    algorithm renderer uses, so it evaluates rules exactly as the engine does."""
    unless = compiled(rule.unless) if rule.unless is not None else None
    return evaluate_rule(facts, rule, explained_unless_false(rule.when), unless)


def stage_evaluate(ctx: EvalContext) -> EvalContext:
    """Evaluate every active rule three-valued; keep the TRUE and UNKNOWN ones.

    Rules that a gate leaf already makes FALSE are skipped (see ``RuleIndex``). A rule's
    outcome remembered for its values is read straight from its recall's memory; a rule
    whose values are new (or not plain) goes through its ``Recall``."""
    facts = ctx.facts
    fired: list[Fired] = []
    unknown: list[Fired] = []
    index = ctx.kb.index.rules
    row = index.row(facts)
    for i, rule, when, unless, recall, pick, seen in index.candidates(row):
        key = pick(row)
        try:
            outcome = seen.get(key, NOT_YET)
        except TypeError:  # an unhashable value: through the recall (it computes)
            outcome = NOT_YET
        if outcome is None:  # remembered FALSE
            continue
        if type(outcome) is not Outcome:  # not seen yet, or only its shape remembered
            outcome = recall.recall(key, facts, evaluate_rule, facts, rule, when, unless)
            if outcome is None:
                continue
        item = _tuple_new(Fired, (rule, outcome, i))  # Fired(rule, outcome, i) without its Python __new__
        (fired if outcome.truth is _TRUE else unknown).append(item)
    return ctx.evolve(fired=tuple(fired), unknown=tuple(unknown))
