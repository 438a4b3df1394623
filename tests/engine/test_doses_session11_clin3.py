"""Session 11 (clinical rules, review S6): a small oral dose is shown with the decimals it
needs (talazoparib 0.75 mg, not "0.8 mg"), and severe renal impairment gives the label's
lower band (0.5 mg at CrCl 15-29 mL/min) rather than the moderate one."""

from __future__ import annotations

import pytest

from mbc.engine.doses import regimen_doses
from mbc.knowledge import load_kb


@pytest.mark.parametrize(
    ("crcl", "expected"),
    [
        (45.0, "0.75 mg (adjusted from 1 mg)"),
        (20.0, "0.5 mg (adjusted from 1 mg)"),
    ],
)
def test_talazoparib_renal_bands_shown_to_the_capsule(crcl: float, expected: str) -> None:
    kb = load_kb()
    line = next(d for d in regimen_doses(kb, "talazoparib", {"crcl_ml_min": crcl}) if d.drug.lower() == "talazoparib")
    assert line.computed == expected


def test_talazoparib_normal_renal_function_full_dose() -> None:
    kb = load_kb()
    line = next(d for d in regimen_doses(kb, "talazoparib", {"crcl_ml_min": 90.0}) if d.drug.lower() == "talazoparib")
    assert line.computed.startswith("1 mg")
