"""``mbc plan`` reads hostile input within bounds: exit 2 with a message, never a blow-up."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from mbc.cli import _cli

BOMB = (
    'a: &a ["x","x","x","x","x","x","x","x","x"]\n'
    "b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]\n"
    "c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]\n"
    "d: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]\n"
    "e: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]\n"
    "f: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e]\n"
    "g: &g [*f,*f,*f,*f,*f,*f,*f,*f,*f]\n"
    "id: [*g,*g,*g,*g,*g,*g,*g,*g,*g]\n"
)


@pytest.mark.parametrize(
    "text",
    [BOMB, "[" * 50_000 + "]" * 50_000, '{"id": "x", "age": ' + "9" * 5000 + "}", '{"id": "\\ud800"}',
     '{"id": "x", "biomarkers": {"pdl1_cps": Infinity}}'],
)
def test_hostile_input_exits_2(tmp_path: Path, text: str) -> None:
    f = tmp_path / "in.yaml"
    f.write_text(text)
    r = CliRunner().invoke(_cli, ["plan", str(f)])
    assert r.exit_code == 2, r.output[-300:]
    assert len(r.output) < 2000
