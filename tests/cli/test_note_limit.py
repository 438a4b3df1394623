"""The CLI refuses a note over MBC_MAX_NOTE_CHARS as the API does: exit 2 naming the limit and
how to raise it, before any reading (session 10, issue 11)."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from mbc.cli import _cli

NOTE = "68F, ER 90% PR 10% HER2 0, bone metastases, on letrozole since 2024. ECOG 1.\n"


def _run(args: list[str], env: dict[str, str]) -> object:
    return CliRunner().invoke(_cli, args, env=env)


@pytest.mark.parametrize(
    "command", [["plan"], ["plan", "--note"], ["extract"], ["extract", "--from", "note"]]
)
def test_a_note_over_the_limit_exits_2_naming_it(tmp_path: Path, command: list[str]) -> None:
    f = tmp_path / "long.txt"
    f.write_text(NOTE * 20)
    r = _run([*command, str(f)], {"MBC_MAX_NOTE_CHARS": "1000"})
    assert r.exit_code == 2, r.output[-400:]
    assert f"{len(NOTE * 20):,} characters" in r.output and "the limit is 1,000" in r.output
    assert "set MBC_MAX_NOTE_CHARS" in r.output and "Traceback" not in r.output


def test_the_default_limit_is_the_apis(tmp_path: Path) -> None:
    from mbc.service.settings import Settings

    limit = Settings.model_fields["max_note_chars"].default
    f = tmp_path / "long.txt"
    f.write_text((NOTE * (limit // len(NOTE) + 2))[: limit + 1])
    r = _run(["extract", str(f)], {"MBC_MAX_NOTE_CHARS": ""})
    assert r.exit_code == 2, r.output[-400:]
    assert f"{limit + 1:,} characters" in r.output


def test_a_raised_limit_reads_the_note(tmp_path: Path) -> None:
    f = tmp_path / "long.txt"
    f.write_text(NOTE * 20)
    r = _run(["extract", "--format", "text", str(f)], {"MBC_MAX_NOTE_CHARS": "2000"})
    assert r.exit_code == 0, r.output[-400:]


def test_a_bundle_is_not_held_to_the_note_limit(tmp_path: Path) -> None:
    bundle = Path(__file__).resolve().parents[2] / "examples" / "fhir" / "hrpos-2l-bundle.json"
    r = _run(["extract", str(bundle)], {"MBC_MAX_NOTE_CHARS": "100"})
    assert r.exit_code == 0, r.output[-400:]


@pytest.mark.parametrize("bad", ["many", "0", "-5", "1e6"])
def test_a_bad_limit_is_named(tmp_path: Path, bad: str) -> None:
    f = tmp_path / "n.txt"
    f.write_text(NOTE)
    r = _run(["extract", str(f)], {"MBC_MAX_NOTE_CHARS": bad})
    assert r.exit_code == 2
    assert "MBC_MAX_NOTE_CHARS" in r.output and "positive whole number" in r.output
