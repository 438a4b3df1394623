"""`mbc batch` plans a cohort and reports invalid records without stopping."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from mbc.cli import _cli

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"


def test_batch_over_directory() -> None:
    """Every example in the directory gives one plan line."""
    r = CliRunner().invoke(_cli, ["batch", str(EXAMPLES)])
    assert r.exit_code == 0, r.stderr
    lines = [json.loads(x) for x in r.stdout.splitlines()]
    assert len(lines) == len(list(EXAMPLES.glob("*.json")))
    assert all(x["contract_version"] == 1 for x in lines)


def test_batch_ndjson_with_invalid_rows(tmp_path: Path) -> None:
    """Invalid rows are reported in place and make the exit status 2."""
    f = tmp_path / "cohort.ndjson"
    f.write_text('{"id": "a", "age": 50}\n{"id": "b", "age": 5}\nnot json\n')
    r = CliRunner().invoke(_cli, ["batch", str(f), "--as-of", "2026-11-01"])
    assert r.exit_code == 2
    rows = [json.loads(x) for x in r.stdout.splitlines()]
    assert rows[0]["patient_id"] == "a"
    assert rows[1]["ok"] is False and rows[1]["errors"][0]["loc"] == ["age"]
    assert rows[2]["ok"] is False
