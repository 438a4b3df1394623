"""Named definitions (``defines:`` + ``{ref: id}``): references resolve and bind, cycles and
unknown ids fail at load time, unused definitions are reported, and the anchor converter
(scripts/anchors_to_defines.py) keeps conditions identical and is idempotent."""

from __future__ import annotations

import importlib.util
import shutil
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

from mbc.errors import KnowledgeError
from mbc.knowledge import KnowledgeBase, load_kb
from mbc.knowledge.lint import lint_kb

ROOT = Path(__file__).resolve().parents[2]


def _converter() -> Any:
    spec = importlib.util.spec_from_file_location(
        "anchors_to_defines", ROOT / "scripts" / "anchors_to_defines.py"
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["anchors_to_defines"] = module
    spec.loader.exec_module(module)
    return module


def _copy(kb: KnowledgeBase, tmp_path: Path) -> Path:
    root = tmp_path / "kb"
    shutil.copytree(kb.path, root)
    return root


def _expand(raw: Any, defs: dict[str, Any]) -> Any:
    if isinstance(raw, dict):
        if set(raw) == {"ref"}:
            return _expand(defs[raw["ref"]], defs)
        return {k: _expand(v, defs) for k, v in raw.items()}
    if isinstance(raw, list | tuple):
        return [_expand(v, defs) for v in raw]
    return raw


def _dump(cond: Any) -> Any:
    return cond.model_dump(mode="json", by_alias=True, exclude_none=True)


def test_shipped_rules_use_definitions_not_anchors(kb: KnowledgeBase) -> None:
    """No rule file uses YAML anchors; shared conditions are definitions that rules use."""
    for path in sorted((kb.path / "rules").rglob("*.yaml")):
        events = yaml.parse(path.read_text(), Loader=yaml.SafeLoader)
        assert not any(isinstance(e, yaml.AliasEvent) for e in events), path
    assert kb.definitions
    assert kb.users("crisis")  # used by several rules
    assert all(kb.users(d) for d in kb.definitions)


def test_references_evaluate_as_their_definition(kb: KnowledgeBase) -> None:
    """A rule's condition with references evaluates like the same condition written out."""
    from pydantic import TypeAdapter

    from mbc.knowledge.conditions import Condition

    defs = {d.id: _dump(d.when) for d in kb.definitions.values()}
    rule = next(r for r in kb.active_rules if kb.uses[r.id])
    written_out = TypeAdapter(Condition).validate_python(_expand(_dump(rule.when), defs))
    for facts in ({}, {"hr_status": "positive", "her2_status": "negative", "line": 2},
                  {"hr_status": "negative"}, {"visceral_crisis": True, "line": 1}):  # fmt: skip
        assert rule.when.explain(facts) == written_out.explain(facts)


def _add_definitions(root: Path, text: str) -> None:
    path = root / "rules" / "definitions.yaml"
    path.write_text(path.read_text() + text)


def test_unknown_reference_and_cycle_fail_at_load(kb: KnowledgeBase, tmp_path: Path) -> None:
    """An unknown id and a definition that refers to itself are load errors, named."""
    root = _copy(kb, tmp_path)
    _add_definitions(root, "  - id: loop_a\n    version: 1\n    when: {any: [{ref: loop_b}, {fact: age, op: ge, value: 3}]}\n"
                           "  - id: loop_b\n    version: 1\n    when: {not: {ref: loop_a}}\n"
                           "  - id: dangling\n    version: 1\n    when: {ref: nowhere}\n")  # fmt: skip
    with pytest.raises(KnowledgeError) as info:
        load_kb(root, use_cache=False)
    messages = [p.msg for p in info.value.problems]
    assert any("loop_a" in m and "refers to itself" in m for m in messages)
    assert any("unknown definition 'nowhere'" in m for m in messages)


def test_unused_definition_is_reported(kb: KnowledgeBase, tmp_path: Path) -> None:
    """A definition no rule uses is a lint warning."""
    root = _copy(kb, tmp_path)
    _add_definitions(root, "  - id: lonely\n    version: 1\n    when: {fact: age, op: ge, value: 70}\n")
    issues = lint_kb(load_kb(root, use_cache=False))
    assert [i.severity for i in issues if "lonely" in i.where] == ["warning"]


_ANCHORED = """\
schema: mbc/rules@1
topic: test
rules:
  - id: test.anchor.one
    version: 1
    title: One
    when:
      all:
        - &tnbc_line2
          all:
            - {fact: subtype, op: eq, value: TNBC}
            - &two {fact: line, op: ge, value: 2}
        - &older {fact: age, op: ge, value: 70}
    unless: &crisis {fact: visceral_crisis, op: eq, value: true}
    then: [{workup: response_assessment_bone, reason: test}]
    evidence: {level: guideline_strong, citations: [abc5]}
    rationale: &why "A shared sentence."
  - id: test.anchor.two
    version: 1
    title: Two
    when: {any: [*tnbc_line2, {all: [*two, *older]}]}
    unless: *crisis
    then: [{workup: response_assessment_bone, reason: test}]
    evidence: {level: guideline_strong, citations: [abc5]}
    rationale: *why
"""


def test_converter_keeps_conditions_and_is_idempotent(kb: KnowledgeBase, tmp_path: Path) -> None:
    """Anchors become definitions + references; every rule reads the same condition as
    before (references written out); a second run changes nothing; the KB lints clean."""
    root = _copy(kb, tmp_path)
    path = root / "rules" / "zz_anchored.yaml"
    path.write_text(_ANCHORED)
    before = {r["id"]: r for r in yaml.safe_load(_ANCHORED)["rules"]}
    convert = _converter().convert
    assert convert(root)
    assert "&" not in path.read_text() and "*" not in path.read_text()
    assert convert(root) == []  # idempotent
    loaded = load_kb(root, use_cache=False)
    defs = {d.id: _dump(d.when) for d in loaded.definitions.values()}
    assert defs["crisis"] == {"fact": "visceral_crisis", "op": "eq", "value": True}  # reused
    for rule in loaded.rules:
        if rule.id in before:
            assert _expand(_dump(rule.when), defs) == before[rule.id]["when"]
            assert _expand(_dump(rule.unless), defs) == before[rule.id]["unless"]
            assert rule.rationale == "A shared sentence."
    assert set(loaded.uses["test.anchor.two"]) >= {"tnbc_line2", "two", "older", "crisis"}
    assert [i for i in lint_kb(loaded) if i.severity == "error"] == []


def test_every_rule_has_an_honest_review_record(kb: KnowledgeBase) -> None:
    """Each rule says who reviewed it, when and against which source editions; the shipped
    records are internal reviews (not clinician sign-offs) naming only cited sources."""
    for rule in kb.rules:
        assert rule.reviewed is not None, rule.id
        assert rule.reviewed.kind == "internal", rule.id
        assert set(rule.reviewed.source_version) == set(rule.evidence.citations), rule.id


def test_stale_review_is_flagged(kb: KnowledgeBase, tmp_path: Path) -> None:
    """A source edition newer than the one a rule was reviewed against is a lint warning."""
    root = _copy(kb, tmp_path)
    rule = next(r for r in kb.rules if r.reviewed and r.reviewed.source_version)
    cid = next(iter(rule.reviewed.source_version))
    src = next(p for p in (root / "sources").rglob("*.yaml") if f"id: {cid}," in p.read_text())
    src.write_text(src.read_text().replace(f"id: {cid},", f"id: {cid}, version: v99,", 1))
    issues = [
        i
        for i in lint_kb(load_kb(root, use_cache=False))
        if rule.id in i.where and "review again" in i.message
    ]
    assert [i.severity for i in issues] == ["warning"]


def test_kb_show_names_a_definitions_users(kb: KnowledgeBase) -> None:
    """`mbc kb show ID` shows a definition with the rules that use it, and a rule with the
    definitions it uses and its review."""
    from click.testing import CliRunner

    from mbc.cli import _cli

    users = kb.users("crisis")
    out = CliRunner().invoke(_cli, ["kb", "show", "crisis"]).output
    assert out.startswith("# definition crisis@1")
    assert all(u in out for u in users)
    rule_out = CliRunner().invoke(_cli, ["kb", "show", users[0]]).output
    assert "crisis@1" in rule_out
    assert "not a clinician sign-off" in rule_out
