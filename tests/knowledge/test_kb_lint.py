"""The knowledge base as a whole: loads, lints clean, schemas current, errors collected."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from mbc.cli.kb import schema_documents
from mbc.errors import KnowledgeError
from mbc.knowledge import KnowledgeBase, load_kb
from mbc.knowledge.lint import lint_kb, resolve_fact

GOLDEN = Path(__file__).resolve().parents[1] / "golden"


def test_kb_has_no_lint_errors(kb: KnowledgeBase) -> None:
    """Every reference resolves, every value is in its vocabulary, every rule is reachable."""
    errors = [str(i) for i in lint_kb(kb) if i.severity == "error"]
    assert errors == []


def test_every_rule_is_cited_and_versioned(kb: KnowledgeBase) -> None:
    """Each rule cites at least one known source and has a version."""
    for rule in (*kb.rules, *kb.safety):
        assert rule.evidence.citations, rule.id
        assert all(c in kb.sources for c in rule.evidence.citations), rule.id
        assert rule.version >= 1


def test_every_active_rule_has_golden_cases(kb: KnowledgeBase) -> None:
    """Every active rule has a positive, a negative and an unknown golden case."""
    lacking = [str(i) for i in lint_kb(kb, golden_dir=GOLDEN) if "golden" in i.message]
    assert lacking == []


def test_schemas_are_current(kb: KnowledgeBase) -> None:
    """knowledge/schema/*.json equal what the models generate (run `mbc kb schema --write`)."""
    on_disk = {
        p.name: json.loads(p.read_text()) for p in (kb.path / "schema").glob("*.schema.json")
    }
    assert on_disk == schema_documents()


def test_fact_families_resolve(kb: KnowledgeBase) -> None:
    """{vocab} fact families expand over their vocabularies and nothing else."""
    assert resolve_fact(kb, "prior.class.cdk46_inhibitor") is not None
    assert resolve_fact(kb, "somatic.esr1") is not None
    assert resolve_fact(kb, "prior.class.no_such_class") is None
    assert resolve_fact(kb, "no.such.fact") is None


def test_broken_kb_reports_every_problem(tmp_path: Path, kb: KnowledgeBase) -> None:
    """A KB with several mistakes fails with all of them listed, each with its file."""
    root = tmp_path / "kb"
    shutil.copytree(kb.path, root)
    (root / "rules" / "broken").mkdir(parents=True)
    (root / "rules" / "broken" / "bad.yaml").write_text(
        "schema: mbc/rules@1\ntopic: broken\nrules:\n"
        "  - id: bad.one\n    version: 1\n    title: t\n    when: {fact: age, op: '>=', value: 1}\n"
        "    then: [{option: nsai, category: best}]\n    evidence: {level: guideline, citations: [abc5]}\n"
        "    rationale: r\n    colour: red\n"
    )
    with pytest.raises(KnowledgeError) as ei:
        load_kb(root, use_cache=False)
    msgs = [str(p) for p in ei.value.problems]
    assert len(msgs) >= 3
    assert all("rules/broken/bad.yaml" in m for m in msgs)


def test_lint_finds_dangling_references(tmp_path: Path, kb: KnowledgeBase) -> None:
    """Unknown facts, values, regimens and citations are lint errors."""
    root = tmp_path / "kb"
    shutil.copytree(kb.path, root)
    (root / "rules" / "broken").mkdir(parents=True)
    (root / "rules" / "broken" / "dangling.yaml").write_text(
        "schema: mbc/rules@1\ntopic: broken\nrules:\n"
        "  - id: bad.two\n    version: 1\n    title: t\n"
        "    when: {all: [{fact: subtype, op: eq, value: luminal}, {fact: nope, op: eq, value: 1},"
        " {fact: age, op: ge, value: 70}, {fact: age, op: lt, value: 50}]}\n"
        "    then: [{option: no_such_regimen, category: preferred}]\n"
        "    evidence: {level: guideline, citations: [no-such-source]}\n    rationale: r\n"
    )
    issues = [str(i) for i in lint_kb(load_kb(root, use_cache=False)) if i.severity == "error"]
    joined = "\n".join(issues)
    for needle in ("'luminal' is not a value of subtype", "unknown fact 'nope'", "unknown regimen",
                   "unknown citation 'no-such-source'", "unreachable"):  # fmt: skip
        assert needle in joined


def test_every_kb_folder_is_schema_checked(kb: KnowledgeBase, tmp_path: Path) -> None:
    """nlp/, ingest/, patient/ and algorithm/ files are validated at load time with their
    path: a known key of the wrong shape fails, an added key does not."""
    import yaml

    root = tmp_path / "kb"
    shutil.copytree(kb.path, root)
    lexicon = root / "nlp" / "lexicon.yaml"
    doc = yaml.safe_load(lexicon.read_text())
    doc["a_new_word_list"] = ["additive keys are fine"]
    lexicon.write_text(yaml.safe_dump(doc))
    load_kb(root, use_cache=False)
    doc["sites"] = ["not", "a", "mapping"]
    lexicon.write_text(yaml.safe_dump(doc))
    groups = root / "algorithm" / "groups.yaml"
    groups.write_text(groups.read_text().replace("title:", "titel:", 1))
    with pytest.raises(KnowledgeError) as info:
        load_kb(root, use_cache=False)
    where = {p.loc[0] for p in info.value.problems}
    assert where == {"nlp/lexicon.yaml", "algorithm/groups.yaml"}


def test_own_loader_folders_list_their_schemas(kb: KnowledgeBase) -> None:
    """Each file of a folder validated by its own loader (answer/, doses/, ...) names a schema id
    that folder lists in OWN_LOADERS."""
    from mbc.knowledge._folders import OWN_LOADERS
    from mbc.knowledge.loader import read_yaml

    unlisted = [
        (str(f.relative_to(kb.path)), read_yaml(f).get("schema"))
        for folder, tags in OWN_LOADERS.items()
        for f in sorted((kb.path / folder).rglob("*.yaml"))
        if read_yaml(f).get("schema") not in tags
    ]
    assert unlisted == []
