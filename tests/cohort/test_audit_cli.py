"""`mbc audit` writes the three tables and a self-contained report; `mbc synth` and
`mbc batch --jobs/--compact` from the command line."""

from __future__ import annotations

import json
import re
from pathlib import Path

from click.testing import CliRunner

from mbc.cli import _cli
from mbc.cohort.tables import TABLES, read_table

REPO = Path(__file__).resolve().parents[2]
EXAMPLES = REPO / "examples"


def test_audit_writes_tables_and_report(synth_cohort: tuple[Path, Path], tmp_path: Path) -> None:
    cohort, _ = synth_cohort
    out = tmp_path / "out"
    r = CliRunner().invoke(
        _cli, ["audit", str(cohort), "--out", str(out), "--jobs", "2", "--as-of", "2026-12-01"]
    )
    assert r.exit_code == 0, r.output
    assert "audited 40 patients" in r.stderr
    for t in TABLES:
        assert (out / f"{t}.parquet").is_file()
    page = (out / "report.html").read_text()
    assert "<svg" in page and "Concordance by subtype" in page and "Missing facts" in page
    assert not re.search(r"<script|https?://[^\"' ]*\.js|<link[^>]+stylesheet", page)  # self-contained
    # the same run on one process gives the same tables, and the subcommand form is the same
    out1 = tmp_path / "out1"
    r1 = CliRunner().invoke(_cli, ["audit", "cohort", str(cohort), "--out", str(out1), "--jobs", "1",
                                   "--as-of", "2026-12-01", "--no-report"])  # fmt: skip
    assert r1.exit_code == 0, r1.output
    for t in TABLES:
        assert read_table(out, t).equals(read_table(out1, t))


def test_audit_empty_cohort_exits_2(tmp_path: Path) -> None:
    (tmp_path / "empty").mkdir()
    r = CliRunner().invoke(_cli, ["audit", str(tmp_path / "empty"), "--out", str(tmp_path / "o")])
    assert r.exit_code == 2
    assert "no patients" in r.stderr


def test_synth_cli_writes_truth(tmp_path: Path) -> None:
    out = tmp_path / "c.ndjson"
    r = CliRunner().invoke(_cli, ["synth", "--n", "12", "--seed", "1", "--inject-discordance", "0.5",
                                  "--out", str(out)])  # fmt: skip
    assert r.exit_code == 0, r.output
    assert len(out.read_text().splitlines()) == 12
    truth = [json.loads(x) for x in (tmp_path / "c.truth.ndjson").read_text().splitlines()]
    assert any(t["injected"] for t in truth)


def test_batch_jobs_and_compact(tmp_path: Path) -> None:
    one = CliRunner().invoke(_cli, ["batch", str(EXAMPLES), "--jobs", "1", "--compact"])
    two = CliRunner().invoke(_cli, ["batch", str(EXAMPLES), "--jobs", "2", "--compact"])
    assert one.exit_code == two.exit_code == 0
    assert one.stdout == two.stdout  # order and content do not depend on the job count
    rows = [json.loads(x) for x in one.stdout.splitlines()]
    assert len(rows) == len(list(EXAMPLES.glob("*.json")))
    row = next(r for r in rows if r["patient_id"] == "ex-hrpos-2l-esr1")
    assert set(row) == {
        "record",
        "patient_id",
        "subtype",
        "line",
        "options",
        "not_recommended",
        "alerts",
        "missing",
    }
    assert row["options"]["preferred"] and row["line"] == 2
    full = CliRunner().invoke(_cli, ["batch", str(EXAMPLES), "--jobs", "2"])
    assert max(len(x) for x in one.stdout.splitlines()) * 5 < max(len(x) for x in full.stdout.splitlines())
