"""`mbc plan --region` and `mbc batch --region` (issue 9): the plan states its region and
label-based options follow that region's regulator."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from mbc.cli import _cli

GOLDEN = Path(__file__).resolve().parents[1] / "golden" / "issue9"


def _plan(*args: str) -> dict:  # type: ignore[type-arg]
    r = CliRunner().invoke(_cli, ["plan", *args, "--format", "json"])
    assert r.exit_code == 0, r.stderr
    out: dict = json.loads(r.stdout)  # type: ignore[type-arg]
    return out


def test_region_defaults_to_us_and_eu_follows_the_ema() -> None:
    """Atezolizumab + nab-paclitaxel (EMA only) is offered with --region EU, not by default."""
    patient = str(GOLDEN / "tnbc-1l-sp142-ic2-EU" / "patient.json")
    us = _plan(patient)
    eu = _plan(patient, "--region", "EU")
    assert us["region"] == "US"
    assert eu["region"] == "EU"
    assert not any("atezolizumab" in o["drugs"] for o in us["options"])
    (atezo,) = [o for o in eu["options"] if "atezolizumab" in o["drugs"]]
    assert "smpc-tecentriq" in {c["id"] for c in atezo["citations"]}


def test_unknown_region_exits_2() -> None:
    """A region other than US or EU is a usage error (exit 2), not a traceback."""
    r = CliRunner().invoke(
        _cli, ["plan", str(GOLDEN / "tnbc-1l-sp142-ic2-EU" / "patient.json"), "--region", "XX"]
    )
    assert r.exit_code == 2
    assert "Traceback" not in r.output


def test_batch_takes_a_region(tmp_path: Path) -> None:
    """`mbc batch --region EU` plans every record for the EU."""
    src = tmp_path / "in"
    src.mkdir()
    (src / "a.json").write_text((GOLDEN / "tnbc-1l-sp142-ic2-EU" / "patient.json").read_text())
    r = CliRunner().invoke(_cli, ["batch", str(src), "--region", "EU"])
    assert r.exit_code == 0, r.stderr
    row = json.loads(r.stdout.splitlines()[0])
    assert row["region"] == "EU"
