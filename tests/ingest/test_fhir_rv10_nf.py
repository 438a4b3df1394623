"""Review rv10-nf (safety): a medication record known only by its narrative does not take as its
own a drug the narrative names as given before, planned or replaced. Phrasings written here."""

from __future__ import annotations

import datetime as dt

import pytest

from ._fhir_builders import read
from .test_fhir_session10 import liver, told

AS_OF = dt.date(2026, 1, 1)


@pytest.mark.parametrize(
    ("words", "drugs"),
    [
        (
            "Fulvestrant 500 mg monthly from 01-Mar-2025. Previously letrozole 2022-2024, stopped.",
            ["fulvestrant"],
        ),
        (
            "Fulvestrant 500 mg monthly from 01-Mar-2025. Plan to add palbociclib if counts allow.",
            ["fulvestrant"],
        ),
        ("Capecitabine started 01-Mar-2025 instead of paclitaxel (neuropathy).", ["capecitabine"]),
        (
            "Fulvestrant with palbociclib from 01-Mar-2025; previously anastrozole.",
            ["fulvestrant", "palbociclib"],
        ),
    ],
)
def test_a_narrative_drug_of_another_course_is_not_this_records(words: str, drugs: list[str]) -> None:
    got = read(AS_OF, liver(), told("n1", "active", words))
    [line] = got["prior_therapies"]
    assert sorted(line["drugs"]) == drugs
    assert line["stop_reason"] == "ongoing"


@pytest.mark.parametrize(
    ("words", "value"),
    [
        ("MSI-high: no", "MSS"),
        ("MSI-H was not confirmed on repeat testing", "MSS"),
        ("MSI-H: yes", "MSI-H"),  # control
        ("MSI-H (confirmed by PCR)", "MSI-H"),  # control
    ],
)
def test_an_msi_high_answered_no_or_not_confirmed_is_not_msi_high(words: str, value: str) -> None:
    from mbc.ingest._data import load_yaml
    from mbc.ingest._fhir_msi import msi_in_words

    got = msi_in_words(load_yaml("ingest/fhir.yaml"), words)
    assert got is not None and got[0] == value
