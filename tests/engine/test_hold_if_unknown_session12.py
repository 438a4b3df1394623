"""Session 12 (review N3): a safety exclusion marked ``hold_if_unknown`` never lets an
unknown fact through - the option waits (conditional) instead of being offered outright."""

from __future__ import annotations

from typing import Any

import pytest

from mbc.engine.evaluate import holds, rule_outcome
from mbc.knowledge.schema import Rule
from mbc.logic import Truth


def _rule(**extra: Any) -> Rule:
    return Rule.model_validate(
        {
            "id": "test.option",
            "version": 1,
            "title": "t",
            "when": {"fact": "a", "op": "eq", "value": True},
            "unless": {"fact": "b", "op": "eq", "value": True},
            "then": [{"option": "olaparib", "category": "preferred"}],
            "evidence": {"level": "consensus", "citations": ["abc5"]},
            "rationale": "r",
            **extra,
        }
    )


def test_default_unknown_unless_does_not_hold_back() -> None:
    out = rule_outcome(_rule(), {"a": True})
    assert out is not None and out.truth is Truth.TRUE and "b" in out.missing


def test_hold_if_unknown_true_makes_the_rule_wait() -> None:
    out = rule_outcome(_rule(hold_if_unknown=True), {"a": True})
    assert out is not None and out.truth is Truth.UNKNOWN and "b" in out.missing


@pytest.mark.parametrize(("c", "truth"), [(True, Truth.UNKNOWN), (False, Truth.TRUE), (None, Truth.TRUE)])
def test_hold_condition_holds_only_when_the_doubt_is_on_record(c: bool | None, truth: Truth) -> None:
    r = _rule(hold_if_unknown={"fact": "c", "op": "eq", "value": True})
    facts = {"a": True, "c": c}
    out = rule_outcome(r, facts)
    assert out is not None and out.truth is truth
    assert holds(r, facts) is (c is True)


def test_decided_exclusion_is_not_changed_by_hold() -> None:
    r = _rule(hold_if_unknown=True)
    assert rule_outcome(r, {"a": True, "b": True}) is None
    out = rule_outcome(r, {"a": True, "b": False})
    assert out is not None and out.truth is Truth.TRUE
