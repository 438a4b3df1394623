"""Review of the 0.7.0 FHIR reader (session 7): safety faults found by the reviewer."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from mbc.ingest import extract

from ._helpers import fhir_bundle

pytestmark = pytest.mark.filterwarnings("ignore::UserWarning")
AS_OF = dt.date(2026, 11, 1)


def _obs(name: str, **value: Any) -> dict[str, Any]:
    return {
        "resourceType": "Observation",
        "id": "o1",
        "status": "final",
        "code": {"text": name},
        "subject": {"reference": "Patient/p"},
        "effectiveDateTime": "2026-09-01",
        **value,
    }


def _tumor(*resources: dict[str, Any]) -> dict[str, Any]:
    return dict(extract(fhir_bundle(*resources), as_of=AS_OF).record.get("tumor") or {})


@pytest.mark.parametrize(
    "said", ["HER2 copy number 4.5", "mean HER2 copies per cell: 4.5", "4.5 signals/cell"]
)
def test_a_copy_number_said_in_the_value_is_not_read_as_a_ratio(said: str) -> None:
    # 4-6 copies alone decide nothing (ASCO-CAP: needs the IHC); read as a ratio 4.5 it was "amplified"
    assert "her2_ish" not in _tumor(_obs("HER2 FISH", valueString=said))


@pytest.mark.parametrize(
    ("said", "word"), [("ratio 2.3", "amplified"), ("HER2/CEP17 ratio 1.4", "not_amplified")]
)
def test_a_ratio_said_in_the_value_is_still_a_ratio(said: str, word: str) -> None:
    assert _tumor(_obs("HER2 FISH", valueString=said)).get("her2_ish") == word


def test_a_copy_number_with_a_ratio_in_the_value_reads_as_before() -> None:
    tumor = _tumor(_obs("HER2 FISH", valueString="HER2/CEP17 ratio 2.3; 6.1 HER2 copies per cell"))
    assert tumor.get("her2_ish") == "amplified"
