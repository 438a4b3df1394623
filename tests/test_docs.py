"""Docs stay true: every operator and every CLI command is documented."""

from __future__ import annotations

from pathlib import Path

import pytest

from mbc.cli import _COMMANDS
from mbc.knowledge.conditions import OPERATORS

REPO = Path(__file__).resolve().parents[1]


@pytest.mark.parametrize("op", sorted(OPERATORS))
def test_operator_documented(op: str) -> None:
    """Each condition operator has a row in docs/knowledge.md."""
    assert f"| `{op}` |" in (REPO / "docs" / "knowledge.md").read_text()


@pytest.mark.parametrize("command", sorted(_COMMANDS))
def test_cli_command_documented(command: str) -> None:
    """Each CLI command appears in the README or the docs."""
    texts = [(REPO / "README.md").read_text(), *(p.read_text() for p in sorted((REPO / "docs").glob("*.md")))]
    assert any(f"mbc {command}" in t for t in texts)
