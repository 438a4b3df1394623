"""End to end: every Synthea mCODE bundle is read and planned, with every item cited."""

from __future__ import annotations

import datetime as dt
import tarfile
from pathlib import Path

import pytest

from mbc.engine import plan
from mbc.ingest import extract
from mbc.knowledge import KnowledgeBase
from mbc.model import parse_record

AS_OF = dt.date(2026, 11, 1)


def test_synthea_bundles_plan(shared: Path, kb: KnowledgeBase) -> None:
    """All 100 bundles go FHIR -> record -> plan without error; every plan item cites a source."""
    tarball = shared / "data" / "synthea_mcode_breast" / "synthea_mcode_breast_bundles.tar.gz"
    if not tarball.is_file():
        pytest.skip(f"Synthea bundles not found at {tarball}")
    n = 0
    with tarfile.open(tarball) as tar:
        for member in tar:
            if not member.name.endswith(".json"):
                continue
            fh = tar.extractfile(member)
            assert fh is not None
            record = parse_record(extract(fh.read(), kind="fhir", as_of=AS_OF).record)
            p = plan(record, kb, as_of=AS_OF)
            for section in (p.options, p.not_recommended, p.workup, p.supportive_care, p.alerts):
                assert all(item.citations for item in section), member.name
            n += 1
    assert n == 100
