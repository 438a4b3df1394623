"""Issue-9 lint checks: one severity model and organ-function completeness."""

from __future__ import annotations

import shutil
from pathlib import Path

from mbc.knowledge import KnowledgeBase, load_kb
from mbc.knowledge._safety_lint import organ_coverage
from mbc.knowledge.lint import lint_kb


def _errors(root: Path) -> str:
    return "\n".join(str(i) for i in lint_kb(load_kb(root, use_cache=False)) if i.severity == "error")


def test_caution_that_says_avoid_is_an_error(tmp_path: Path, kb: KnowledgeBase) -> None:
    """A caution whose message tells the reader to avoid the drug fails lint."""
    root = tmp_path / "kb"
    shutil.copytree(kb.path, root)
    (root / "safety" / "bad.yaml").write_text(
        "schema: mbc/safety@1\nsafety:\n"
        "  - id: safety.test.avoid-caution\n    version: 1\n    title: t\n    drugs: [capecitabine]\n"
        "    when: {fact: age, op: ge, value: 90}\n    effect: caution\n    severity: critical\n"
        "    message: Avoid capecitabine in this situation.\n"
        "    evidence: {level: guideline, citations: [abc5]}\n"
    )
    assert "safety.test.avoid-caution" in _errors(root)
    assert "effect is caution" in _errors(root)


def test_systemic_drug_without_organ_entries_is_an_error(tmp_path: Path, kb: KnowledgeBase) -> None:
    """A new systemic drug with no hepatic and renal entries fails lint until they are added."""
    root = tmp_path / "kb"
    shutil.copytree(kb.path, root)
    drugs = root / "vocab" / "drugs.yaml"
    drugs.write_text(
        drugs.read_text() + "  - {id: testumab, name: testumab, classes: [targeted], route: iv}\n"
    )
    errors = _errors(root)
    assert "drug testumab: systemic drug without a hepatic safety entry" in errors
    assert "drug testumab: systemic drug without a renal safety entry" in errors


def test_every_systemic_drug_has_hepatic_renal_and_cardiac_data(kb: KnowledgeBase) -> None:
    """The shipped KB covers hepatic, renal and cardiac limits for every systemic drug."""
    cov = organ_coverage(kb)
    assert cov
    lacking = {
        d: sorted({"hepatic", "renal", "cardiac"} - o)
        for d, o in cov.items()
        if not {"hepatic", "renal", "cardiac"} <= o
    }
    assert not lacking
