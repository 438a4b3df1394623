"""``mbc algorithm``: the knowledge base rendered as a cited algorithm by group and line."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from mbc.cli import _cli
from mbc.knowledge import load_kb
from mbc.render.algorithm import build_algorithm, load_groups, render_algorithm

GROUPS = [
    "HR-positive, HER2-negative, without visceral crisis - postmenopausal",
    "HR-positive, HER2-negative, without visceral crisis - premenopausal",
    "HR-positive, HER2-positive, without visceral crisis - postmenopausal",
    "HR-positive, HER2-positive, without visceral crisis - premenopausal",
    "HR-negative, HER2-positive, without visceral crisis",
    "PD-L1-negative",
    "PD-L1-positive",
    "HR-positive or negative, HER2-negative, with visceral crisis",
    "HR-positive or negative, HER2-positive, with visceral crisis",
]


def _bullets_are_cited(text: str, shorts: set[str]) -> list[str]:
    bad = []
    for line in text.splitlines():
        if not line.startswith("- "):
            continue
        cites = re.findall(r"\[([^\[\]]+)\]\s*$", line)
        if not cites or not any(s.strip() in shorts for s in cites[-1].split(";")):
            bad.append(line)
    return bad


def test_algorithm_markdown_names_nine_groups_and_cites_every_line() -> None:
    """The Markdown algorithm names all nine groups and every list line ends with a citation."""
    result = CliRunner().invoke(_cli, ["algorithm"])
    assert result.exit_code == 0, result.output
    text = result.output
    for g in GROUPS:
        assert g in text, g
    assert len(load_groups(load_kb()).groups) == 9
    shorts = {s.short for s in load_kb().sources.values()}
    assert _bullets_are_cited(text, shorts) == []
    assert "## Sources" in text


def test_algorithm_html() -> None:
    """--format html gives a standalone page with the same groups."""
    result = CliRunner().invoke(_cli, ["algorithm", "--format", "html"])
    assert result.exit_code == 0, result.output
    assert result.output.startswith("<!doctype html>")
    for g in GROUPS:
        assert g in result.output


@pytest.fixture
def tiny_kb(tmp_path: Path) -> Path:
    """A copy of the KB whose only rules are two small fixture rules."""
    src = Path(load_kb().path)
    dst = tmp_path / "kb"
    shutil.copytree(src, dst, ignore=shutil.ignore_patterns("rules"))
    (dst / "rules" / "fixture").mkdir(parents=True)
    (dst / "rules" / "fixture" / "tiny.yaml").write_text(
        """schema: mbc/rules@1
topic: fixture
rules:
  - id: fixture.tnbc.1l
    version: 1
    title: Fixture - TNBC first line
    when:
      all:
        - {fact: subtype, op: eq, value: TNBC}
        - {fact: line, op: eq, value: 1}
    then:
      - {option: capecitabine, category: preferred}
    evidence: {level: guideline, citations: [asco-ct-2021]}
    rationale: Fixture rule.
  - id: fixture.hrpos.esr1
    version: 1
    title: Fixture - ESR1-mutated after endocrine therapy
    when:
      all:
        - {fact: subtype, op: eq, value: HR+/HER2-}
        - {fact: line, op: ge, value: 2}
        - {fact: somatic.esr1, op: eq, value: altered}
    then:
      - {option: elacestrant, category: preferred}
    evidence: {level: guideline_strong, citations: [emerald]}
    rationale: Fixture rule.
"""
    )
    return dst


def test_algorithm_from_tiny_kb(tiny_kb: Path) -> None:
    """Rules are placed by three-valued evaluation: TRUE under its group and line, UNKNOWN
    with what decides it, FALSE nowhere."""
    kb = load_kb(tiny_kb, use_cache=False)
    text = render_algorithm(kb)
    sections = re.split(r"^## ", text, flags=re.M)
    tnbc_neg = next(s for s in sections if s.startswith("6."))
    first, second = tnbc_neg.split("### Second line")
    assert "**Preferred**: Capecitabine" in first
    assert "Capecitabine" not in second
    hrpos = next(s for s in sections if s.startswith("1."))
    assert "Elacestrant - if somatic.esr1 is altered" in hrpos.split("### Second line")[1]
    assert "Elacestrant" not in hrpos.split("### Second line")[0]
    her2 = next(s for s in sections if s.startswith("5."))
    assert "Capecitabine" not in her2 and "Elacestrant" not in her2
    assert "No treatment rule in the knowledge base applies" in her2
    blocks = build_algorithm(kb)
    assert all("[" in b.text for b in blocks if b.kind == "li")
