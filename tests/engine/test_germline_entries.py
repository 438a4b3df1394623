"""Germline entries are read by their first word (the gene symbol); an entry naming no gene
leaves every gene not named positively unknown, never absent (session 9, blind8 q806)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from mbc.engine.derive import derive_facts
from mbc.knowledge.loader import KnowledgeBase
from mbc.model import parse_record

_CASE = Path(__file__).parents[1] / "golden" / "hr_pos_her2_neg" / "2l-gbrca2-after-ai-cdk46" / "patient.json"
_KEYS = ("germline.brca1", "germline.brca2", "germline.palb2", "germline.brca")


def _germline(kb: KnowledgeBase, entries: list[str]) -> tuple[dict[str, Any], list[str]]:
    data = json.loads(_CASE.read_text())
    data["germline"] = entries
    record = parse_record(data)
    derived = derive_facts(record, kb, record.as_of)
    return {k: derived.facts.get(k, "unknown") for k in _KEYS}, derived.notes


@pytest.mark.parametrize(
    "entry",
    ["BRCA2", "BRCA2 pathogenic variant", "BRCA2 c.5946delT (likely pathogenic)", "brca2: c.9097dupA", "gBRCA2"],
)
def test_a_positive_entry_names_its_gene_first(kb: KnowledgeBase, entry: str) -> None:
    facts, notes = _germline(kb, [entry])
    assert facts == {"germline.brca1": False, "germline.brca2": True, "germline.palb2": False, "germline.brca": True}
    assert notes == []


@pytest.mark.parametrize("entry", ["BRCA2 negative", "BRCA2 VUS", "BRCA2 variant of uncertain significance", "BRCA2 benign"])
def test_a_negative_or_not_pathogenic_entry_is_no_carrier(kb: KnowledgeBase, entry: str) -> None:
    facts, notes = _germline(kb, [entry])
    assert facts["germline.brca2"] is False and facts["germline.brca"] is False
    assert notes == []


@pytest.mark.parametrize("entry", ["pathogenic variant in BRCA2", "panel pending", "see scanned report", "BRCA mutation"])
def test_an_entry_naming_no_gene_leaves_the_genes_unknown(kb: KnowledgeBase, entry: str) -> None:
    facts, notes = _germline(kb, [entry])
    assert facts == dict.fromkeys(_KEYS, "unknown")
    assert len(notes) == 1 and entry in notes[0]


def test_a_gene_named_beside_an_unread_entry_is_known(kb: KnowledgeBase) -> None:
    facts, _ = _germline(kb, ["PALB2 c.3113G>A", "see scanned report"])
    assert facts["germline.palb2"] is True
    assert facts["germline.brca1"] == facts["germline.brca2"] == facts["germline.brca"] == "unknown"


def test_an_empty_list_is_a_negative_panel(kb: KnowledgeBase) -> None:
    facts, notes = _germline(kb, [])
    assert facts == dict.fromkeys(_KEYS, False) and notes == []


def test_a_gene_outside_the_list_is_read_as_another_gene(kb: KnowledgeBase) -> None:
    facts, notes = _germline(kb, ["RAD51C c.709C>T", "BARD1"])
    assert facts == dict.fromkeys(_KEYS, False) and notes == []
