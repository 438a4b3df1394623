"""``mbc trials``: match (implicit subcommand), load, and input errors."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from mbc.cli.trials import trials


def test_match_json(fixtures: Path, patient_file: Path) -> None:
    """`mbc trials PATIENT --registry DIR --all` prints a JSON list, best first, excluded
    trials included; each with its NCT link."""
    result = CliRunner().invoke(
        trials, [str(patient_file), "--registry", str(fixtures), "--limit", "2", "--all"]
    )
    assert result.exit_code == 0, result.output
    out = json.loads(result.output)
    assert [m["trial"] for m in out][:1] == ["NCT90000001"]
    assert len(out) == 2
    assert set(out[0]) >= {"trial", "status", "score", "title", "criteria", "url", "phase", "settle"}
    assert out[0]["url"] == "https://clinicaltrials.gov/study/NCT90000001"
    default = CliRunner().invoke(trials, [str(patient_file), "--registry", str(fixtures)])
    assert all(m["status"] != "excluded" for m in json.loads(default.output))
    assert set(out[0]["criteria"][0]) >= {"text", "kind", "result", "facts_used", "facts_missing"}


def test_match_text_from_stdin(fixtures: Path, patient_file: Path) -> None:
    """`-` reads the record from stdin; text output names each trial and status."""
    record = patient_file.read_text()
    result = CliRunner().invoke(trials, ["-", "--registry", str(fixtures), "--format", "text"], input=record)
    assert result.exit_code == 0, result.output
    assert "NCT90000001  ELIGIBLE" in result.output


def test_invalid_record_exits_2_naming_every_field(fixtures: Path, patient_file: Path) -> None:
    """An invalid record exits 2 and names each bad field, without a traceback."""
    bad = json.dumps({"id": "x", "age": 5, "tumor": {"her2_ihc": "4+"}, "colour": "red"})
    result = CliRunner().invoke(trials, ["-", "--registry", str(fixtures)], input=bad)
    assert result.exit_code == 2
    for field in ("age", "tumor.her2_ihc", "colour"):
        assert field in result.output
    assert "Traceback" not in result.output


def test_load_writes_a_database(tmp_path: Path, fixtures: Path, patient_file: Path) -> None:
    """`mbc trials load DIR --db PATH` stores the records; the db then serves as registry."""
    db = tmp_path / "t.db"
    runner = CliRunner()
    result = runner.invoke(trials, ["load", str(fixtures), "--db", str(db)])
    assert result.exit_code == 0, result.output
    assert "loaded 4 trials" in result.output
    result = runner.invoke(trials, [str(patient_file), "--registry", str(db)])
    assert result.exit_code == 0
    assert json.loads(result.output)[0]["trial"] == "NCT90000001"


def test_missing_registry_exits_2(tmp_path: Path, fixtures: Path, patient_file: Path) -> None:
    """A registry path that does not exist is an input error (exit 2)."""
    result = CliRunner().invoke(trials, [str(patient_file), "--registry", str(tmp_path / "none")])
    assert result.exit_code == 2
    assert "not found" in result.output
