"""Session 12: an avoid may name a regimen group (vocab/regimens.yaml ``groups``); the KB writes
it out as one avoid per member, so a regimen added to the group is covered by data."""

from __future__ import annotations

from mbc.errors import Problem
from mbc.knowledge import load_kb
from mbc.knowledge._refs import expand_regimen_groups
from mbc.knowledge.schema import AvoidAction, Regimen, Rule

_RULE = {
    "id": "test.group",
    "version": 1,
    "title": "t",
    "when": {"fact": "a", "op": "eq", "value": True},
    "then": [{"avoid": None, "group": "test_group", "reason": "not now"}],
    "evidence": {"level": "consensus", "citations": ["abc5"]},
    "rationale": "r",
}


def _regimen(rid: str, groups: tuple[str, ...]) -> Regimen:
    return Regimen.model_validate(
        {"id": rid, "name": rid, "kind": "anti_her2", "components": [{"drug": "trastuzumab"}], "groups": groups}
    )


def test_a_group_is_written_out_per_member() -> None:
    regs = {r.id: r for r in (_regimen("regimen_x", ("test_group",)), _regimen("regimen_y", ()), _regimen("new_her2", ("test_group",)))}
    problems: list[Problem] = []
    (rule,) = expand_regimen_groups([Rule.model_validate(_RULE)], regs, {}, problems)
    assert [a.avoid for a in rule.then if isinstance(a, AvoidAction)] == ["regimen_x", "new_her2"]
    assert not problems


def test_an_empty_group_is_a_problem() -> None:
    problems: list[Problem] = []
    expand_regimen_groups([Rule.model_validate(_RULE)], {"regimen_y": _regimen("regimen_y", ())}, {}, problems)
    assert problems and "group 'test_group'" in problems[0].msg


def test_the_her2_brain_hold_covers_every_switch_regimen() -> None:
    kb = load_kb()
    (rule,) = [r for r in kb.rules if r.id == "her2pos.brain.symptomatic-on-current-her2-therapy"]
    held = {a.avoid for a in rule.then if isinstance(a, AvoidAction)}
    switch = {r.id for r in kb.regimens.values() if "her2_switch" in r.groups}
    assert held == switch
    assert {"tucatinib_trastuzumab_capecitabine", "trastuzumab_emtansine", "trastuzumab_chemotherapy"} <= held
