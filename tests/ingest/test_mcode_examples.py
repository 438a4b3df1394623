"""The mCODE STU4 IG examples (FSH, shared data) as code-list sources.

The FSH examples are not FHIR JSON (turning FSH into JSON needs SUSHI, a Node tool not in
this environment), so they are used as code lists: every LOINC code that an example
TumorMarkerTest / ECOG / GenomicVariant instance uses for ER, PR, HER2 or performance status,
and every secondary-cancer SNOMED code in the examples, must be mapped in
knowledge/ingest/fhir.yaml. Skip list (with reasons): Karnofsky (89243-0) has no contract
field; staging codes are known and ignored.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from mbc.ingest._data import load_yaml

from .conftest import shared_dir

_SHARED = shared_dir()
FSH = _SHARED / "data" / "mcode_stu4" / "input" / "fsh" if _SHARED else None
pytestmark = pytest.mark.skipif(
    FSH is None or not FSH.is_dir(), reason="shared mCODE STU4 FSH sources not found"
)
SKIP = {"89243-0": "Karnofsky performance status has no contract field"}
_INSTANCE = re.compile(r"^Instance:\s*(\S+)\s*\nInstanceOf:\s*(\S+)(.*?)(?=^Instance:|\Z)", re.M | re.S)


def _instances(kinds: set[str]) -> list[tuple[str, str, str]]:
    assert FSH is not None
    out = []
    for path in sorted(Path(FSH).glob("EX_*.fsh")):
        for m in _INSTANCE.finditer(path.read_text(encoding="utf-8")):
            if m.group(2) in kinds:
                out.append((f"{path.name}:{m.group(1)}", m.group(2), m.group(3)))
    return out


def test_tumor_marker_and_ecog_codes_are_mapped() -> None:
    """Each receptor / ECOG LOINC code used by an mCODE example is mapped or skip-listed."""
    cfg = load_yaml("ingest/fhir.yaml")
    mapped = {str(o["code"]) for o in cfg["observations"]}
    wanted = re.compile(r"estrogen|progesterone|her2|erbb2|ecog|89247", re.I)
    checked = 0
    for name, _, body in _instances({"TumorMarkerTest", "ECOGPerformanceStatus"}):
        for code, display in re.findall(r'^\* code = LNC#(\S+)(?:\s+"([^"]*)")?', body, re.M):
            if not wanted.search(display + code) or code in SKIP:
                continue
            checked += 1
            assert code in mapped, f"{name}: LOINC {code} {display!r} is not mapped"
    assert checked >= 3


def test_secondary_cancer_examples_map_to_sites() -> None:
    """Secondary-cancer condition codes in the examples map to a contract site."""
    cfg = load_yaml("ingest/fhir.yaml")
    table = cfg["secondary_conditions"]["snomed"]
    found = 0
    for name, _, body in _instances({"SecondaryCancerCondition"}):
        for code in re.findall(r"^\* code = SCT#(\d+)", body, re.M):
            found += 1
            assert code in table, f"{name}: SNOMED {code} is not mapped"
    assert found >= 1


def test_genomic_component_codes_are_known() -> None:
    """Gene-studied and genomic-source-class codes used by the examples are in the mapping."""
    g = load_yaml("ingest/fhir.yaml")["genomics"]
    text = "".join(body for _, _, body in _instances({"GenomicVariant"}))
    for answer in re.findall(r"genomic-source-class\]\.valueCodeableConcept = LNC#(\S+)", text):
        assert answer in g["somatic_answers"] + g["germline_answers"], answer
