"""Hand-written mCODE / US Core bundles in other producers' idioms (fixtures/mcode).

Each ``NAME.json`` is our own bundle; ``NAME.expected.json`` holds the record excerpt it must
give (every field listed must match exactly) and the resources that must be reported as
unreadable. Idioms covered: HER2 IHC as a qualitative answer, FISH ratio as text, histology
and procedure-intent extensions, Karnofsky, MSI / TMB, a variant whose gene is an HGNC id
only, contained / separate / full-URL medication references, NDC codes, message bundles,
a planned request, duplicate ids, ICD-10-CM codes, a male patient, a stage group observation,
re-tested receptors and a malformed resource.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from mbc.ingest import extract
from mbc.model import parse_record

HERE = Path(__file__).parent / "fixtures" / "mcode"
NAMES = sorted(p.name.removesuffix(".expected.json") for p in HERE.glob("*.expected.json"))


def _subset(expected: object, got: object, path: str = "") -> list[str]:
    if isinstance(expected, dict):
        if not isinstance(got, dict):
            return [f"{path}: expected an object, got {got!r}"]
        return [m for k, v in expected.items() for m in _subset(v, got.get(k), f"{path}.{k}".lstrip("."))]
    if isinstance(expected, list) and expected and isinstance(expected[0], dict):
        if not isinstance(got, list) or len(got) != len(expected):
            return [f"{path}: expected {expected!r}, got {got!r}"]
        return [
            m
            for i, (e, g) in enumerate(zip(expected, got, strict=True))
            for m in _subset(e, g, f"{path}[{i}]")
        ]
    if isinstance(expected, list) and isinstance(got, list):
        return (
            []
            if sorted(map(str, expected)) == sorted(map(str, got))
            else [f"{path}: {expected!r} != {got!r}"]
        )
    return [] if expected == got else [f"{path}: expected {expected!r}, got {got!r}"]


@pytest.mark.parametrize("name", NAMES)
def test_bundle_reads_as_expected(name: str) -> None:
    """Every expected field matches; unreadable resources are listed, nothing else is."""
    expected = json.loads((HERE / f"{name}.expected.json").read_text(encoding="utf-8"))
    unreadable = expected.pop("_unread_resources")
    ex = extract(json.loads((HERE / f"{name}.json").read_text(encoding="utf-8")), as_of=dt.date(2026, 1, 1))
    problems = _subset(expected, ex.record)
    assert not problems, "\n".join(problems)
    got_bad = sorted(u["resource"] for u in ex.unread if u.get("kind") == "unreadable_resource")
    assert got_bad == sorted(unreadable)
    parse_record(ex.record)


def test_every_fact_has_a_certainty() -> None:
    """Each fact's provenance says stated / inferred / uncertain / conflicting."""
    for name in NAMES:
        ex = extract(
            json.loads((HERE / f"{name}.json").read_text(encoding="utf-8")), as_of=dt.date(2026, 1, 1)
        )
        for path, src in ex.provenance.items():
            if isinstance(src, dict) and "rule" in src:
                assert src.get("certainty") in {"stated", "inferred", "uncertain", "conflicting"}, (
                    name,
                    path,
                )
