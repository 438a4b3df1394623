"""Session 11 (clinical rules, second pass; audit F7): an oral dose reduced by a percentage of
the label dose is given as an amount whole tablets / capsules make up (the label's own reduced
dose), not the raw percentage."""

from __future__ import annotations

import pytest

from mbc.engine.doses import regimen_doses, whole_units
from mbc.knowledge import load_kb


@pytest.mark.parametrize(
    ("regimen", "drug", "facts", "expected"),
    [
        ("nsai_ribociclib", "ribociclib", {"crcl_ml_min": 25.0}, "200 mg (adjusted from 600 mg)"),
        ("olaparib", "olaparib", {"crcl_ml_min": 40.0}, "200 mg (adjusted from 300 mg)"),
        ("elacestrant", "elacestrant", {"bilirubin_x_uln": 2.0}, "258 mg (adjusted from 345 mg)"),
        ("inavolisib_palbociclib_fulvestrant", "inavolisib", {"crcl_ml_min": 45.0}, "6 mg (adjusted from 9 mg)"),
    ],
)
def test_percentage_reduction_gives_a_dose_the_tablets_make(
    regimen: str, drug: str, facts: dict[str, float], expected: str
) -> None:
    kb = load_kb()
    line = next(d for d in regimen_doses(kb, regimen, facts) if d.drug.lower() == drug)
    assert line.computed == expected


def test_whole_units_nearest_and_lower_on_a_tie() -> None:
    # session 12 (review N4): never above the computed dose beyond the KB's small fraction
    assert whole_units(198.0, (200.0,), most=4, over=0.02) == 200.0
    assert whole_units(258.75, (345.0, 86.0), most=4, over=0.02) == 258.0
    assert whole_units(300.0, (200.0,), most=4, over=0.02) == 200.0  # 200 and 400 equally near: the lower
    assert whole_units(5.0, (), most=4, over=0.02) == 5.0


def test_whole_units_never_rounds_up_beyond_the_computed_dose() -> None:
    """Session 12 (review N4): 132 mg of a 200 mg tablet is not made 200 mg (+50%); 9 mg x 25% is
    not 3 mg; the largest amount at or below the computed dose is taken."""
    assert whole_units(132.0, (200.0,), most=4, over=0.02) is None
    assert whole_units(2.25, (9.0, 3.0), most=4, over=0.02) is None
    assert whole_units(7.0, (9.0, 3.0), most=4, over=0.02) == 6.0
    assert whole_units(390.0, (200.0,), most=4, over=0.02) == 200.0
