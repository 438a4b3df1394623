"""Numbers written with a decimal comma or thousands separators never crash the note reader.

A European referral writes "height 1,66 m" and "weight 61,5 kg"; before session 9 the quantity,
threshold, ratio and LVEF actions called ``float`` on the raw text and the whole note failed with a
traceback (blind set 10, a machine-translated referral).
"""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mbc.ingest.notes import read_note

AS_OF = dt.date(2026, 11, 20)


@pytest.mark.parametrize(
    ("text", "field", "value"),
    [
        ("Peso 61,5 kg, height 1,66 m. ECOG 1.", "height_cm", 166),
        ("Weight 61,5 kg; height 1,66 m.", "weight_kg", 61.5),
        ("Height 1.66 m, weight 61.5 kg.", "height_cm", 166),
    ],
)
def test_decimal_comma_quantities_are_read(text: str, field: str, value: float) -> None:
    record = read_note(text, as_of=AS_OF).record
    assert record.get(field) == pytest.approx(value)


_NUMBER = st.one_of(
    st.integers(0, 999).map(str),
    st.tuples(st.integers(0, 99), st.integers(0, 99)).map(lambda t: f"{t[0]},{t[1]}"),
    st.tuples(st.integers(0, 99), st.integers(0, 99)).map(lambda t: f"{t[0]}.{t[1]}"),
    st.tuples(st.integers(1, 9), st.integers(0, 999)).map(lambda t: f"{t[0]},{t[1]:03d}"),
    st.tuples(st.integers(1, 9), st.integers(0, 999), st.integers(0, 9)).map(
        lambda t: f"{t[0]}.{t[1]:03d},{t[2]}"
    ),
)
_TEMPLATES = [
    "Weight {n} kg, height {n} m.",
    "Ht {n} m, wt {n} lbs.",
    "LVEF {n} % (echo).",
    "EF {n}-{n}%.",
    "ER {n} %, PR {n} %, Ki-67 {n} %.",
    "RE {n} %, RP {n} %.",
    "ALT {n} U/L (ULN {n}). Bilirubin {n} umol/L (ref {n}-{n}).",
    "Creatinine {n} mg/dL, calcium {n} mmol/L, albumin {n} g/L.",
    "ANC {n} x10^9/L, platelets {n}k, Hb {n} g/dL.",
    "PD-L1 CPS {n}. TMB {n} mut/Mb. QTcF {n} ms.",
    "Allred {n}/8. H-score {n}.",
]


@settings(max_examples=150, deadline=None, derandomize=True)
@given(template=st.sampled_from(_TEMPLATES), numbers=st.lists(_NUMBER, min_size=4, max_size=4))
def test_any_number_format_reads_without_error(template: str, numbers: list[str]) -> None:
    text = template
    for n in numbers:
        text = text.replace("{n}", n, 1)
    read_note(text, as_of=AS_OF)  # must not raise
