"""``mbc plan --kb DIR`` reads a note with that KB's reader packs, not the default KB's."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from mbc.cli import _cli
from mbc.knowledge import load_kb

NOTE = Path(__file__).resolve().parents[2] / "examples" / "notes" / "clinic-letter-hrpos.txt"


def test_kb_option_applies_to_the_note_reader(tmp_path: Path) -> None:
    """A KB whose lexicon maps 'bone' to another site gives that site; the default KB does not."""
    pytest.importorskip("medspacy", reason="the note reader needs the [nlp] extra")
    root = tmp_path / "kb"
    shutil.copytree(load_kb().path, root)
    lexicon = root / "nlp" / "lexicon.yaml"
    lexicon.write_text(lexicon.read_text().replace("  bone: bone\n", "  bone: liver\n", 1))
    args = ["plan", "--note", str(NOTE), "--as-of", "2026-11-01"]
    runner = CliRunner()
    default = json.loads(runner.invoke(_cli, args).output)
    other = json.loads(runner.invoke(_cli, [*args, "--kb", str(root)]).output)
    assert "bone" in default["facts"]["sites"]
    assert "bone" not in other["facts"]["sites"]
    again = json.loads(runner.invoke(_cli, args).output)  # the default KB is read again
    assert again["facts"]["sites"] == default["facts"]["sites"]
