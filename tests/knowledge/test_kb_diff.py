"""``mbc kb diff``: the shipped KB against a copy with one definition changed lists every
rule that uses it, the missing version bumps, and every golden case whose plan changes."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from mbc.cli import _cli as main
from mbc.engine import plan
from mbc.knowledge import KnowledgeBase, load_kb
from mbc.knowledge.diff import diff_kb
from mbc.model import parse_record
from mbc.render.kb_diff import compare_plans, golden_cases, plan_changes

GOLDEN = Path(__file__).resolve().parents[1] / "golden"
CHANGED = "    when: {all: [{fact: visceral_crisis, op: eq, value: true}, {fact: ecog, op: le, value: 2}]}\n"


@pytest.fixture(scope="module")
def changed_kb(tmp_path_factory: pytest.TempPathFactory) -> KnowledgeBase:
    """A copy of the shipped KB whose `crisis` definition also needs ECOG <= 2."""
    root = tmp_path_factory.mktemp("kb") / "knowledge"
    shutil.copytree(load_kb().path, root)
    path = root / "rules" / "definitions.yaml"
    text = path.read_text()
    old = "    when: {fact: visceral_crisis, op: eq, value: true}\n"
    start = text.index("  - id: crisis\n")
    assert text.index(old, start) < text.index("  - id:", start + 1)
    path.write_text(text[:start] + text[start:].replace(old, CHANGED, 1))
    return load_kb(root, use_cache=False)


def test_lists_every_rule_using_the_definition(kb: KnowledgeBase, changed_kb: KnowledgeBase) -> None:
    """Each rule that uses the changed definition is listed, with its missing bump."""
    diff = diff_kb(kb, changed_kb)
    assert [(c.id, c.kind) for c in diff.of("definition")] == [("crisis", "changed")]
    users = set(kb.users("crisis"))
    assert len(users) > 10
    assert set(diff.affected) == users
    assert "definition crisis changed without a new version (v1)" in diff.version_problems
    assert {p.split(" ")[0] for p in diff.version_problems[1:]} == users
    assert not diff.of("rule")  # the rules' own text did not change


def test_lists_every_golden_case_whose_plan_changes(kb: KnowledgeBase, changed_kb: KnowledgeBase) -> None:
    """The cases reported are exactly those whose plan JSON differs (beyond the KB
    version), and an option change is described as one."""
    cases = golden_cases(GOLDEN)
    reported = {c.case: c.changes for c in plan_changes(kb, changed_kb, cases, GOLDEN)}
    differ = set()
    for case in cases:
        record = parse_record(json.loads((case / "patient.json").read_text()))
        a, b = plan(record, kb).to_json(), plan(record, changed_kb).to_json()
        a.pop("kb_version"), b.pop("kb_version")
        if a != b:
            differ.add(str(case.relative_to(GOLDEN)))
    assert differ
    assert set(reported) == differ
    assert any(line.startswith("option added") for lines in reported.values() for line in lines)


def test_compare_plans_names_re_ranking_and_alerts() -> None:
    """Re-ranked options, category changes and alert changes are named."""
    opt = lambda r, c: {"regimen": r, "name": r.upper(), "category": c}  # noqa: E731
    old = {"options": [opt("a", "preferred"), opt("b", "other")],
           "alerts": [{"code": "x", "severity": "warning", "message": "m", "drugs": []}]}  # fmt: skip
    new = {"options": [opt("b", "preferred"), opt("a", "preferred")],
           "alerts": [{"code": "x", "severity": "critical", "message": "m", "drugs": []}]}  # fmt: skip
    lines = compare_plans(old, new)
    assert "option B (preferred): category other -> preferred" in lines
    assert "options re-ranked: B 2 -> 1; A 1 -> 2" in lines
    assert "alert x (critical): severity warning -> critical" in lines
    assert compare_plans(old, old) == []


def test_cli_text_and_markdown(kb: KnowledgeBase, changed_kb: KnowledgeBase) -> None:
    """The command prints the structural diff and the clinical effect; --strict fails on a
    missing bump."""
    runner = CliRunner()
    args = ["kb", "diff", str(kb.path), str(changed_kb.path), "--golden", str(GOLDEN)]
    text = runner.invoke(main, args)
    assert text.exit_code == 0, text.output
    assert "changed: definition crisis v1 (not bumped)" in text.output
    assert "golden cases change their plan" in text.output
    md = runner.invoke(main, [*args, "--format", "markdown", "--strict"])
    assert md.exit_code == 1
    assert md.output.startswith("# KB ")
    assert "### Version bumps missing" in md.output


def test_changed_source_lists_the_rules_citing_it(kb: KnowledgeBase, tmp_path: Path) -> None:
    """A new edition of a source is a change, with every rule that cites it to review."""
    root = tmp_path / "knowledge"
    shutil.copytree(kb.path, root)
    rule = next(r for r in kb.rules if r.evidence.citations)
    cid = rule.evidence.citations[0]
    src = next(p for p in (root / "sources").rglob("*.yaml") if f"id: {cid}," in p.read_text())
    src.write_text(src.read_text().replace(f"id: {cid},", f"id: {cid}, version: v99,", 1))
    diff = diff_kb(kb, load_kb(root, use_cache=False))
    assert [(c.id, c.note) for c in diff.of("source")] == [(cid, "changed version")]
    citing = {r.id for r in (*kb.rules, *kb.safety) if cid in r.evidence.citations}
    assert set(diff.citing[cid]) == citing
    assert rule.id in citing


def test_changed_assumption_policy_is_listed_with_its_versions(kb: KnowledgeBase, tmp_path: Path) -> None:
    """An assumption policy decides what a plan assumes: a change to one is a KB change to review,
    and a change without a new version is a missing bump."""
    root = tmp_path / "knowledge"
    shutil.copytree(kb.path, root)
    policy = next(p for f in kb.assumptions for p in f.policies)
    path = next(p for p in (root / "assumptions").rglob("*.yaml") if f"id: {policy.id}" in p.read_text())
    text = path.read_text()
    head = f"id: {policy.id}"
    at = text.index(head)
    bumped = text[:at] + text[at:].replace(f"version: {policy.version}", f"version: {policy.version + 1}", 1)
    path.write_text(bumped)
    diff = diff_kb(kb, load_kb(root, use_cache=False))
    assert [(c.id, c.kind, c.old_version, c.new_version) for c in diff.of("policy")] == [
        (policy.id, "changed", policy.version, policy.version + 1)
    ]
    assert not diff.version_problems
    # the same policy re-titled but left at its version: a missing bump
    path.write_text(text[:at] + text[at:].replace("title:", "title: (edited)", 1))
    diff = diff_kb(kb, load_kb(root, use_cache=False))
    assert [c.note for c in diff.of("policy")] == ["changed title"]
    assert diff.version_problems == [f"policy {policy.id} changed (changed title) without a new version"]
