"""knowledge/assumptions (issue 10): schema-checked, linted, and never about a safety fact."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from mbc.knowledge import load_kb
from mbc.knowledge.lint import lint_kb

KB_ROOT = Path(__file__).parents[2] / "knowledge"

_BAD = """schema: mbc/assumptions@1
fields:
  - field: pregnant
    label: Pregnancy status
policies:
  - id: assume.not-pregnant
    version: 1
    title: Not pregnant (must be rejected)
    field: pregnant
    assume: false
    shown: not pregnant
    why: test
    confirm: test
    evidence: {level: consensus, citations: [abc5]}
  - id: assume.bad-scope
    version: 1
    title: Therapy scope on a patient field (must be rejected)
    field: ecog
    scope: therapy
    assume: 1
    shown: ECOG 1
    when: {fact: no_such_fact, op: eq, value: true}
    why: test
    confirm: test
    evidence: {level: consensus, citations: [no-such-source]}
"""


def test_shipped_policies_lint_clean() -> None:
    """The shipped policies pass kb lint and none sets a never_assume (safety) field."""
    kb = load_kb(KB_ROOT, use_cache=False)
    assert kb.assumptions, "no assumption policies loaded"
    errors = [str(i) for i in lint_kb(kb) if i.severity == "error" and "assumption" in i.where]
    assert errors == []
    never = {n for doc in kb.assumptions for n in doc.never_assume}
    assert {"pregnant", "lvef_percent", "qtcf_ms", "dpyd"} <= never
    for doc in kb.assumptions:
        for p in doc.policies:
            assert p.field.replace("[]", "").split(".")[0] not in never


def test_a_policy_on_a_safety_fact_is_an_error(tmp_path: Path) -> None:
    """A policy that would assume pregnancy status (a safety fact) is rejected by kb lint,
    as are a wrong scope, an unknown fact and an unknown citation."""
    root = tmp_path / "kb"
    shutil.copytree(KB_ROOT, root, ignore=shutil.ignore_patterns("schema"))
    (root / "assumptions" / "bad.yaml").write_text(_BAD)
    kb = load_kb(root, use_cache=False)
    msgs = [i.message for i in lint_kb(kb) if i.severity == "error"]
    assert any("safety fact" in m and "pregnant" in m for m in msgs), msgs
    assert any("scope therapy does not fit" in m for m in msgs), msgs
    assert any("unknown fact 'no_such_fact'" in m for m in msgs), msgs
    assert any("unknown citation 'no-such-source'" in m for m in msgs), msgs


@pytest.mark.parametrize("field", ["pregnant", "lvef_percent", "qtcf_ms", "dpyd"])
def test_safety_facts_are_never_assumed(field: str) -> None:
    """A record missing a safety fact gets no assumption about it (it stays a question)."""
    from mbc.engine import plan
    from mbc.model import parse_record
    from mbc.testing import PatientBuilder

    rec = PatientBuilder().her2_pos(hr=False).set(age=38, sex="female").sites("liver").build()
    p = plan(parse_record(rec), load_kb())
    assert field not in {a.field for a in p.assumptions}
