"""Three-valued logic: full truth tables and the named operator cases."""

from __future__ import annotations

import itertools
from pathlib import Path
from typing import Any

import pytest
import yaml
from pydantic import TypeAdapter

from mbc.knowledge.conditions import OPERATORS, Condition, FactTest
from mbc.logic import Truth, all_of, any_of, not_

T, F, U = Truth.TRUE, Truth.FALSE, Truth.UNKNOWN
CASES: list[dict[str, Any]] = yaml.safe_load(
    (Path(__file__).parent / "cases" / "operators.yaml").read_text()
)
COND: TypeAdapter[Any] = TypeAdapter(Condition)

# Kleene strong three-valued logic, as in CQL.
AND = {(T, T): T, (T, F): F, (T, U): U, (F, F): F, (F, U): F, (U, U): U}
OR = {(T, T): T, (T, F): T, (T, U): T, (F, F): F, (F, U): U, (U, U): U}


@pytest.mark.parametrize(("a", "b"), list(itertools.product([T, F, U], repeat=2)))
def test_and_or_tables(a: Truth, b: Truth) -> None:
    """all_of/any_of follow Kleene's tables in either order."""
    key = (a, b) if (a, b) in AND else (b, a)
    assert all_of([a, b]) is AND[key]
    assert any_of([a, b]) is OR[key]


def test_not_table() -> None:
    """not swaps TRUE and FALSE and keeps UNKNOWN."""
    assert (not_(T), not_(F), not_(U)) == (F, T, U)


def _leaf(value: Truth, name: str) -> dict[str, Any]:
    return {"fact": name, "op": "eq", "value": True}


def _facts(assign: dict[str, Truth]) -> dict[str, bool]:
    return {k: v is T for k, v in assign.items() if v is not U}


@pytest.mark.parametrize(("a", "b"), list(itertools.product([T, F, U], repeat=2)))
def test_condition_nodes_match_logic(a: Truth, b: Truth) -> None:
    """all/any/not/at_least nodes compute the same values as the logic functions."""
    facts = _facts({"a": a, "b": b})
    la, lb = _leaf(a, "a"), _leaf(b, "b")
    assert COND.validate_python({"all": [la, lb]}).truth(facts) is all_of([a, b])
    assert COND.validate_python({"any": [la, lb]}).truth(facts) is any_of([a, b])
    assert COND.validate_python({"not": la}).truth(facts) is not_(a)
    at_least = COND.validate_python({"at_least": 2, "of": [la, lb]}).truth(facts)
    assert at_least is all_of([a, b])
    # explain() agrees with truth() and reports the missing facts of UNKNOWN results
    node = COND.validate_python({"all": [la, lb]})
    out = node.explain(facts)
    assert out.truth is node.truth(facts)
    if out.truth is U:
        assert out.missing == {k for k, v in {"a": a, "b": b}.items() if v is U}


@pytest.mark.parametrize("case", CASES, ids=[c["name"] for c in CASES])
def test_operator_cases(case: dict[str, Any]) -> None:
    """Each named operator case gives its truth value."""
    facts = {} if case["fact"] == "MISSING" else {"x": case["fact"]}
    value = case.get("value")
    test = FactTest(
        fact="x", op=case["op"], value=tuple(value) if isinstance(value, list) else value
    )
    assert test.truth(facts).name == str(case["truth"]).upper()  # YAML reads TRUE as a bool


def test_every_operator_has_a_case() -> None:
    """A new operator needs a named case."""
    assert {c["op"] for c in CASES} == set(OPERATORS)


def test_unknown_operator_and_key_rejected() -> None:
    """Operators inside strings or unknown keys fail at load time."""
    with pytest.raises(ValueError, match="op"):
        COND.validate_python({"fact": "age", "op": ">=", "value": 18})
    with pytest.raises(ValueError, match="Extra"):
        COND.validate_python({"fact": "age", "op": "ge", "value": 18, "unit": "y"})


def _ref(raw: dict[str, Any], facts: dict[str, Any]) -> tuple[Truth, dict[str, Any], set[str]]:
    """A reference evaluator over the YAML form, written from the documented semantics
    (Kleene tables above; which facts an outcome shows as used and missing)."""
    if "fact" in raw:
        name, op = raw["fact"], raw["op"]
        used = {name: facts[name]} if name in facts else {}
        if op in ("present", "absent"):
            return (T if (name in facts) is (op == "present") else F), used, set()
        if name not in facts:
            return U, {}, {name}
        return (T if OPERATORS[op].test(facts[name], raw.get("value")) else F), used, set()
    if "not" in raw:
        t, used, missing = _ref(raw["not"], facts)
        return {T: F, F: T, U: U}[t], used, missing
    kind = next(k for k in ("all", "any", "at_least") if k in raw)
    outs = [_ref(c, facts) for c in raw["of" if kind == "at_least" else kind]]
    truths = [o[0] for o in outs]
    every_used = {k: v for o in outs for k, v in o[1].items()}
    every_missing = {m for o in outs for m in o[2]}
    if kind == "at_least":
        n_true, n_unknown = truths.count(T), truths.count(U)
        t = T if n_true >= raw["at_least"] else U if n_true + n_unknown >= raw["at_least"] else F
        return t, every_used, every_missing if t is U else set()
    decisive = F if kind == "all" else T
    if decisive in truths:
        return decisive, {k: v for o in outs if o[0] is decisive for k, v in o[1].items()}, set()
    table = AND if kind == "all" else OR
    t = truths[0]
    for other in truths[1:]:
        t = table[(t, other) if (t, other) in table else (other, t)]
    return t, every_used, every_missing


@pytest.mark.parametrize(("a", "b"), list(itertools.product([T, F, U], repeat=2)))
def test_nodes_match_the_reference(a: Truth, b: Truth) -> None:
    """Every node kind gives the reference truth, for every pair of leaf values."""
    facts = _facts({"a": a, "b": b})
    la, lb = _leaf(a, "a"), _leaf(b, "b")
    for raw in (
        {"all": [la, lb]}, {"any": [la, lb]}, {"not": la}, {"at_least": 1, "of": [la, lb]},
        {"all": [{"fact": "a", "op": "present"}, {"not": {"any": [lb, {"fact": "c", "op": "absent"}]}}]},
    ):  # fmt: skip
        node = COND.validate_python(raw)
        assert node.truth(facts) is _ref(raw, facts)[0]


_THREE_LEAF_SHAPES: list[dict[str, Any]] = [
    {"all": [{"fact": "a", "op": "eq", "value": True}, {"fact": "b", "op": "eq", "value": True}]},
    {"any": [{"fact": "a", "op": "eq", "value": True}, {"fact": "b", "op": "eq", "value": True}]},
    {"not": {"fact": "a", "op": "eq", "value": True}},
    {"at_least": 2, "of": [{"fact": "a", "op": "eq", "value": True}, {"fact": "b", "op": "eq", "value": True},
                           {"fact": "c", "op": "eq", "value": True}]},
    {"all": [{"fact": "a", "op": "present"}, {"not": {"any": [{"fact": "b", "op": "eq", "value": True},
                                                              {"fact": "c", "op": "absent"}]}}]},
    {"any": [{"all": [{"fact": "a", "op": "eq", "value": True}, {"fact": "c", "op": "ne", "value": True}]},
             {"at_least": 1, "of": [{"fact": "b", "op": "eq", "value": True}, {"fact": "c", "op": "present"}]}]},
]  # fmt: skip


@pytest.mark.parametrize(("a", "b", "c"), list(itertools.product([T, F, U], repeat=3)))
def test_explained_matches_the_reference(a: Truth, b: Truth, c: Truth) -> None:
    """``explain()`` gives the reference truth, facts used and facts missing, for every
    node kind and every combination of leaf values; the short-circuit form agrees."""
    from mbc.knowledge.conditions import explained_unless_false

    facts = _facts({"a": a, "b": b, "c": c})
    for raw in _THREE_LEAF_SHAPES:
        node = COND.validate_python(raw)
        expected = node.explain(facts)
        assert (expected.truth, dict(expected.used), set(expected.missing)) == _ref(raw, facts)
        assert node.truth(facts) is expected.truth
        assert explained_unless_false(node)(facts) == (None if expected.truth is F else expected)


def test_explained_and_gates_match_on_the_kb() -> None:
    """On every rule and safety condition of the KB, over varied patients, ``explain()``
    equals the reference evaluator on the condition's YAML form, and a FALSE gate leaf
    means a FALSE condition."""
    import random
    import sys

    from mbc.engine.derive import derive_facts
    from mbc.knowledge import load_kb
    from mbc.knowledge.conditions import compiled, explained, explained_unless_false, gate_leaves
    from mbc.model import parse_record

    sys.path.insert(0, str(Path(__file__).parents[2] / "benchmarks"))
    from bench_plan import random_record

    kb = load_kb()
    rng = random.Random(3)
    drugs = sorted(d.name for d in kb.drugs.values() if d.cancer_drug)
    conds = [r.when for r in kb.active_rules] + [r.unless for r in kb.active_rules if r.unless]
    conds += [s.when for s in kb.active_safety if s.when is not None]
    for i in range(40):
        raw = random_record(rng, i, drugs)
        for key in ("labs", "prior_therapies", "metastases", "medications"):
            if rng.random() < 0.3:
                raw.pop(key, None)
        rec = parse_record(raw)
        assert rec.as_of is not None
        facts = derive_facts(rec, kb, rec.as_of).facts
        for cond in conds:
            expected = cond.explain(facts)
            raw = _expand(cond.model_dump(mode="python", by_alias=True, exclude_none=True), kb)
            assert (expected.truth, dict(expected.used), set(expected.missing)) == _ref(raw, facts)
            assert explained(cond)(facts) == expected
            assert explained_unless_false(cond)(facts) == (None if expected.truth is F else expected)
            if any(g.truth(facts) is F for g in gate_leaves(cond)):
                assert compiled(cond)(facts) is F


def _expand(raw: Any, kb: Any) -> Any:
    """The YAML form with every ``{ref: id}`` replaced by its definition's condition."""
    if isinstance(raw, dict):
        if set(raw) == {"ref"}:
            target = kb.definitions[raw["ref"]].when
            return _expand(target.model_dump(mode="python", by_alias=True, exclude_none=True), kb)
        return {k: _expand(v, kb) for k, v in raw.items()}
    if isinstance(raw, list | tuple):
        return [_expand(v, kb) for v in raw]
    return raw


def test_specialised_predicates_match_operators() -> None:
    """The compiled leaves' specialised tests agree with OPERATORS on mixed-type values
    (True is not 1, numbers only compare with numbers)."""
    from mbc.knowledge._operators import predicate as _predicate

    samples: list[Any] = [True, False, 0, 1, 1.0, 2.5, "a", "b", "", ("a", "b"), (1, True), None]
    for name, op in OPERATORS.items():
        if op.sees_missing:
            continue
        for value in samples:
            pred = _predicate(name, value)
            for observed in samples:
                try:
                    expected: Any = bool(op.test(observed, value))
                except TypeError:
                    expected = TypeError
                try:
                    got: Any = bool(pred(observed))
                except TypeError:
                    got = TypeError
                assert got == expected, (name, value, observed)
