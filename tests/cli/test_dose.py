"""``mbc dose``: doses of one regimen from the command line."""

from __future__ import annotations

import json

from click.testing import CliRunner

from mbc.cli import _cli


def test_dose_text() -> None:
    """Text output shows the per-patient dose and the source."""
    result = CliRunner().invoke(_cli, ["dose", "trastuzumab_deruxtecan", "--weight-kg", "60"])
    assert result.exit_code == 0, result.output
    assert "324 mg" in result.output
    assert "Enhertu label" in result.output
    assert "Verify" in result.output


def test_dose_json_uses_bsa_and_crcl() -> None:
    """JSON output computes BSA (Mosteller) from weight and height and applies CrCl."""
    result = CliRunner().invoke(
        _cli,
        [
            "dose",
            "capecitabine",
            "--weight-kg",
            "64",
            "--height-cm",
            "169",
            "--crcl",
            "40",
            "--format",
            "json",
        ],
    )
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["inputs"]["bsa_m2"] == 1.73
    line = data["doses"][0]
    assert line["drug"] == "capecitabine"
    assert line["computed"].startswith("1297.5 mg")  # 75% of 1000 mg/m2 x 1.73 m2
    assert line["verify"] is True


def test_dose_unknown_regimen_exits_2() -> None:
    """An unknown regimen id is an input error (exit 2), not a traceback."""
    result = CliRunner().invoke(_cli, ["dose", "no_such_regimen"])
    assert result.exit_code == 2
    assert "unknown regimen" in result.output + (result.stderr if result.stderr_bytes else "")


def test_parenteral_body_size_doses_are_rounded_as_prepared() -> None:
    """An IV dose computed from BSA is shown rounded to the KB's step (1 mg) with the
    calculated value beside it; an oral dose keeps the calculated value (tablet strengths)."""
    import re

    result = CliRunner().invoke(
        _cli,
        ["dose", "trastuzumab_pertuzumab_taxane", "--weight-kg", "61.3", "--height-cm", "163", "--format", "json"],
    )
    assert result.exit_code == 0, result.output
    lines = {d["drug"]: d for d in json.loads(result.output)["doses"]}
    m = re.match(r"(\d+) mg \(calculated ([\d.]+) mg\)", lines["docetaxel"]["computed"])
    assert m is not None, lines["docetaxel"]["computed"]
    assert abs(int(m.group(1)) - float(m.group(2))) <= 0.5
    oral = CliRunner().invoke(_cli, ["dose", "capecitabine", "--weight-kg", "64", "--height-cm", "169", "--format", "json"])
    assert "calculated" not in json.loads(oral.output)["doses"][0]["computed"]
