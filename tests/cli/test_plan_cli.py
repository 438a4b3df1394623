"""`mbc plan` command line: formats, exit codes, errors without tracebacks."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from mbc.cli import _cli

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"


def run(*args: str, input: str | None = None) -> tuple[int, str, str]:
    r = CliRunner().invoke(_cli, list(args), input=input)
    return r.exit_code, r.stdout, r.stderr


@pytest.mark.parametrize("example", sorted(EXAMPLES.glob("*.json")), ids=lambda p: p.stem)
def test_bundled_examples_plan(example: Path) -> None:
    """Every bundled example gives a cited contract-v1 plan."""
    code, out, _ = run("plan", str(example), "--format", "json")
    assert code == 0
    plan = json.loads(out)
    assert plan["contract_version"] == 1
    assert plan["patient_id"] == json.loads(example.read_text())["id"]
    for section in ("options", "not_recommended", "workup", "supportive_care", "alerts"):
        for item in plan[section]:
            assert item["citations"], (section, item)


@pytest.mark.parametrize("fmt", ["text", "markdown"])
def test_text_formats(fmt: str) -> None:
    """Text and markdown render the same plan."""
    example = next(iter(sorted(EXAMPLES.glob("*.json"))))
    code, out, _ = run("plan", str(example), "--format", fmt)
    assert code == 0
    assert "TREATMENT OPTIONS" in out or "## Treatment options" in out


def test_invalid_record_names_every_field() -> None:
    """Bad input: exit 2, every offending field named on stderr, no traceback."""
    bad = json.dumps(
        {"id": "x", "agee": 4, "ecog": 9, "tumor": {"her2_ihc": "4+"}, "as_of": "1/2/2024"}
    )
    code, out, err = run("plan", "-", input=bad)
    assert code == 2
    assert out == ""
    for field in ("agee", "ecog", "tumor.her2_ihc", "as_of"):
        assert field in err
    assert "Traceback" not in err


@pytest.mark.parametrize(
    ("args", "stdin", "message"),
    [
        (["plan", "/no/such/file.json"], None, "no such file"),
        (["plan", "-"], "{not json", "not valid JSON"),
        (["plan", "-"], "", "empty input"),
        (["plan", "-"], "[1, 2]", "must be a JSON object"),
        (["plan"], None, "give exactly one of"),
    ],
    ids=["missing-file", "syntax", "empty", "array", "no-input"],
)
def test_unreadable_input_exits_2(args: list[str], stdin: str | None, message: str) -> None:
    """Unreadable input gives exit 2 and a one-line reason."""
    code, _, err = run(*args, input=stdin)
    assert code == 2
    assert message in err


def test_real_process_has_no_traceback(tmp_path: Path) -> None:
    """Through a real process: exit status 2 and a clean message."""
    f = tmp_path / "bad.json"
    f.write_text('{"id": "x", "sex": "f"}')
    r = subprocess.run(
        [sys.executable, "-m", "mbc", "plan", str(f)], capture_output=True, text=True, check=False
    )
    assert r.returncode == 2
    assert "sex" in r.stderr and "Traceback" not in r.stderr


def test_plan_with_trials(shared: Path) -> None:
    """--trials adds explained trial matches (no excluded trial) to the plan."""
    registry = shared / "data" / "trials" / "registry"
    if not registry.is_dir():
        pytest.skip(f"trial registry not found at {registry}")
    code, out, err = run("plan", str(EXAMPLES / "hrpos-2l-esr1.json"), "--trials", str(registry))
    assert code == 0, err
    trials = json.loads(out)["trials"]
    assert trials
    assert all(t["status"] in {"eligible", "possible"} for t in trials)
    assert all(t["trial"].startswith("NCT") for t in trials)


def test_patient_audience_is_plain_text() -> None:
    """--audience patient prints the plain-language view of the same plan."""
    code, out, err = run("plan", str(EXAMPLES / "her2pos-1l.json"), "--audience", "patient")
    assert code == 0, err
    assert "trastuzumab" in out
    assert "{" not in out  # not JSON


def test_plan_reads_a_note_or_a_fhir_bundle_directly(tmp_path: Path) -> None:
    """A free-text file is read as a note, a JSON object with resourceType as FHIR."""
    note = tmp_path / "q.txt"
    note.write_text("62-year-old postmenopausal woman, ER 90% PR 20% HER2 0, new bone metastases. ECOG 1.")
    code, out, err = run("plan", str(note))
    assert code == 0, err
    assert json.loads(out)["classification"]["subtype"] == "HR+/HER2-"
    bundle = tmp_path / "b.json"
    bundle.write_text(json.dumps({"resourceType": "Bundle", "type": "collection", "entry": [
        {"resource": {"resourceType": "Patient", "id": "p1", "gender": "female", "birthDate": "1960-01-01"}}]}))
    code, out, err = run("plan", str(bundle), "--as-of", "2026-11-01")
    assert code == 0, err
    assert json.loads(out)["contract_version"] == 1


@pytest.mark.parametrize(
    "example", sorted([*EXAMPLES.glob("notes/*.txt"), *EXAMPLES.glob("fhir/*.json")]), ids=lambda p: p.name
)
def test_bundled_note_and_fhir_examples_plan(example: Path) -> None:
    """The example notes and FHIR bundles plan through `mbc plan FILE` with every item cited."""
    code, out, err = run("plan", str(example), "--as-of", "2026-11-01")
    assert code == 0, err
    plan = json.loads(out)
    assert plan["classification"]["subtype"] != "unknown"
    for section in ("options", "not_recommended", "workup", "supportive_care", "alerts"):
        assert all(item["citations"] for item in plan[section])
