"""The ingest knowledge files load, validate, and agree with the KB drug vocabulary."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

from mbc.ingest._data import kb_root, load_yaml
from mbc.ingest.notes import TargetRule

SRC = Path(__file__).parents[2] / "src" / "mbc" / "ingest"


def test_target_rules_validate_and_compile() -> None:
    """Every target rule has a unique id, known keys, and compiles after macro expansion."""
    doc = load_yaml("nlp/targets.yaml")
    ids = [TargetRule(**r).id for r in doc["rules"]]
    assert len(ids) == len(set(ids))
    from mbc.ingest.notes import _Compiled

    for r in doc["rules"]:
        _Compiled(TargetRule(**r), doc["macros"])


def test_rule_actions_are_known() -> None:
    """Every emit / if_negated action is one the reader implements."""
    from mbc.ingest.notes import _ACTIONS

    for r in load_yaml("nlp/targets.yaml")["rules"]:
        for a in [*r["emit"], *(r.get("if_negated") or [])]:
            assert a["action"] in _ACTIONS, (r["id"], a)


def test_no_duplicate_keys_in_rule_packs() -> None:
    """A YAML mapping key written twice would silently drop a rule's actions."""

    class Strict(yaml.SafeLoader):
        pass

    def construct(loader: yaml.SafeLoader, node: yaml.MappingNode) -> dict:
        keys = [loader.construct_object(k) for k, _ in node.value]
        dupes = {k for k in keys if keys.count(k) > 1}
        assert not dupes, f"duplicate keys {dupes} at line {node.start_mark.line + 1}"
        return yaml.SafeLoader.construct_mapping(loader, node)

    Strict.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, construct)
    for path in [*kb_root().joinpath("nlp").glob("*.yaml"), *kb_root().joinpath("ingest").glob("*.yaml")]:
        yaml.load(path.read_text(encoding="utf-8"), Loader=Strict)


def test_every_mapped_inn_exists_in_the_kb_vocabulary() -> None:
    """Each generic name the ingest mapping produces is a drug in knowledge/vocab/drugs.yaml."""
    vocab_path = kb_root() / "vocab" / "drugs.yaml"
    if not vocab_path.is_file():
        pytest.skip("knowledge/vocab/drugs.yaml not written yet")
    vocab = yaml.safe_load(vocab_path.read_text(encoding="utf-8"))
    names = {str(d["name"]).lower() for d in vocab["drugs"]}
    mapping = load_yaml("ingest/drugs.yaml")
    inns = {str(d["inn"]).lower() for d in mapping["drugs"]}
    inns |= {str(x).lower() for r in mapping.get("regimens", []) for x in r["drugs"]}
    assert sorted(inns - names) == []


def test_python_sources_name_no_drug() -> None:
    """No drug or brand name from the mapping appears in the ingest Python code."""
    mapping = load_yaml("ingest/drugs.yaml")
    words = {str(d["inn"]).lower() for d in mapping["drugs"]}
    for d in mapping["drugs"]:
        words |= {str(b).lower() for b in d.get("brands", [])}
    pattern = re.compile(r"\b(" + "|".join(map(re.escape, sorted(words))) + r")\b", re.I)
    for path in [*SRC.rglob("*.py"), SRC.parents[0] / "cli" / "extract.py"]:
        hits = pattern.findall(path.read_text(encoding="utf-8"))
        assert not hits, f"{path.name} names {sorted(set(hits))}"
