"""``mbc extract``: output shape and exit codes (never a traceback)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from mbc.cli.extract import extract
from mbc.model import parse_record

HERE = Path(__file__).parent
QUESTION = (HERE / "notes" / "tnbc_question.txt").read_text(encoding="utf-8")


def test_extract_fhir_prints_a_record_with_provenance() -> None:
    """The JSON output is a contract record with a top-level provenance key."""
    result = CliRunner().invoke(
        extract, [str(HERE / "fixtures" / "therapy_lines.json"), "--as-of", "2026-01-01"]
    )
    assert result.exit_code == 0, result.output
    doc = json.loads(result.output)
    assert doc["provenance"]["source"] == "fhir"
    parse_record(doc)


def test_extract_note_from_stdin_as_text() -> None:
    """'-' reads stdin; auto detects a note; text format names each fact's rule."""
    result = CliRunner().invoke(extract, ["-", "--format", "text"], input="ECOG 2. ER 90%.")
    assert result.exit_code == 0, result.output
    assert "ecog: 2" in result.output and "nlp.ecog" in result.output


@pytest.mark.parametrize(
    ("args", "stdin", "needle"),
    [
        (["-", "--from", "fhir"], '{"resourceType": "Bundle", "entry": "x"}', "entry"),
        (["-", "--from", "fhir"], '{"resourceType": "Bundle", "entry": [{"resource": {}}]}', "resourceType"),
        (["-", "--from", "note"], "   ", "empty"),
        (["/no/such/file.json"], None, "cannot read"),
    ],
    ids=["bad-bundle", "entry-without-type", "empty-note", "missing-file"],
)
def test_bad_input_exits_2_with_a_clear_message(args: list[str], stdin: str | None, needle: str) -> None:
    """Malformed FHIR, empty notes and unreadable files exit 2 and say why."""
    result = CliRunner().invoke(extract, args, input=stdin)
    assert result.exit_code == 2
    assert needle in result.output
    assert "Traceback" not in result.output


def test_ask_extraction_part() -> None:
    """The question is read into the record the plan is made from."""
    from mbc.ingest import extract as do_extract

    rec = do_extract(QUESTION, kind="note").record
    assert rec["metastases"]["sites"] == ["lung", "liver"]
    assert rec["germline"] == []


def test_text_view_shows_uncertain_and_conflicting_first() -> None:
    """The confirmation view lists uncertain and conflicting facts first, source highlighted."""
    note = (
        "Primary 2019: HER2 1+. Liver biopsy 2025: HER2 2+, ER 90%.\n"
        "CT: 4 mm lung nodule, likely benign. Bone metastases.\n"
    )
    result = CliRunner().invoke(extract, ["-", "--format", "text", "--as-of", "2026-01-01"], input=note)
    assert result.exit_code == 0, result.output
    out = result.output
    assert out.index("CHECK FIRST - conflicting") < out.index("CHECK - uncertain") < out.index("stated:")
    assert "[[lung nodule]]" in out
    assert "tumor.her2_ihc: 2+" in out and "other value: 1+" in out
