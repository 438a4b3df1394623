"""The output tables have the documented schema (docs/audit.md is made from the same lists)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pyarrow.parquet as pq

from mbc.cohort.local import run_local
from mbc.cohort.tables import TABLES, arrow_schema, markdown_reference

REPO = Path(__file__).resolve().parents[2]


def test_docs_reference_is_current() -> None:
    """docs/audit.md holds the generated column reference (regenerate with
    `python -c "from mbc.cohort.tables import markdown_reference; print(markdown_reference())"`)."""
    assert markdown_reference() in (REPO / "docs" / "audit.md").read_text()


def test_written_files_have_the_schema(tmp_path: Path) -> None:
    run_local(REPO / "examples", tmp_path, jobs=1, as_of=dt.date(2026, 12, 1))
    for t in TABLES:
        schema = pq.read_schema(tmp_path / f"{t}.parquet")
        expected = arrow_schema(t)
        assert schema.names == expected.names
        assert [f.type for f in schema] == [f.type for f in expected]
        assert schema.metadata[b"mbc.table"] == t.encode()
