"""Evaluate stage: every active rule, three-valued; keep the TRUE and UNKNOWN ones.

Speed comes from the KB's compiled rule index (:attr:`KnowledgeBase.index`): rules that a
gate leaf already makes FALSE are skipped, and each rule's outcome is remembered by the
values of the facts it reads (:class:`mbc.knowledge._index.RuleIndex`, ``Recall``).
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from mbc.engine.context import EvalContext, Fired
from mbc.knowledge._index import ABSENTS
from mbc.knowledge.conditions import MaybeExplainFn, Outcome, TruthFn, explained
from mbc.knowledge.schema import Rule
from mbc.logic import Truth

__all__ = ["evaluate_rule", "stage_evaluate"]


def evaluate_rule(
    facts: dict[str, Any], rule: Rule, when: MaybeExplainFn, unless: TruthFn | None
) -> Outcome | None:
    """A rule's explained outcome; None when it does not apply (``when`` FALSE or
    ``unless`` TRUE). An exclusion that cannot be checked adds its facts."""
    outcome = when(facts)
    if outcome is None:  # FALSE
        return None
    u = unless(facts) if unless is not None else Truth.FALSE
    if u is Truth.TRUE:
        return None
    if u is Truth.UNKNOWN and rule.unless is not None:
        uo = explained(rule.unless)(facts)
        outcome = Outcome(outcome.truth, {**outcome.used, **uo.used}, outcome.missing | uo.missing)
    return outcome


def stage_evaluate(ctx: EvalContext) -> EvalContext:
    """Evaluate every active rule three-valued; keep the TRUE and UNKNOWN ones.

    Rules that a gate leaf already makes FALSE are skipped (see ``RuleIndex``)."""
    facts = ctx.facts
    fired: list[Fired] = []
    unknown: list[Fired] = []
    index = ctx.kb.index.rules
    values = tuple(map(facts.get, index.reads, ABSENTS))
    row = tuple(zip(values, map(type, values), strict=True))
    for i, rule, when, unless, recall, pick in index.candidates(facts):
        outcome = recall.recall(pick(row), facts, evaluate_rule, facts, rule, when, unless)
        if outcome is None:
            continue
        item = Fired(rule, outcome, i)
        (fired if outcome.truth is Truth.TRUE else unknown).append(item)
    return replace(ctx, fired=tuple(fired), unknown=tuple(unknown))
