"""Session 10 (integrator, from the set-13 FHIR review): a pregnancy result is the status now only
when it is recent. An old negative test must not rule a pregnancy out (a safety fact is never
assumed away); an old positive one is a past pregnancy. Either is set aside in ``unread``."""

from __future__ import annotations

import datetime as dt

import pytest

from ._fhir_builders import SNOMED, extraction, obs

AS_OF = dt.date(2026, 11, 15)
NEG_HCG = {"valueCodeableConcept": {"coding": [{"system": SNOMED, "code": "260385009", "display": "Negative"}],
                                    "text": "Negative"}}  # fmt: skip
PREGNANT = {"valueCodeableConcept": {"coding": [{"system": SNOMED, "code": "77386006", "display": "Pregnant"}]}}


@pytest.mark.parametrize(("day", "read"), [("2026-11-10", False), ("2026-10-20", False), ("2021-03-02", None), ("2026-06-01", None)])
def test_a_negative_pregnancy_test_counts_only_when_recent(day: str, read: bool | None) -> None:
    ex = extraction(AS_OF, obs("hcg", "2106-3", day, **NEG_HCG))
    assert ex.record.get("pregnant") is read
    if read is None:
        assert any("pregnancy result" in str(u.get("reason")) for u in ex.unread)


@pytest.mark.parametrize(("day", "read"), [("2026-09-01", True), ("2024-05-01", None)])
def test_a_positive_pregnancy_status_counts_for_a_pregnancy_s_length(day: str, read: bool | None) -> None:
    ex = extraction(AS_OF, obs("pg", "82810-3", day, **PREGNANT))
    assert ex.record.get("pregnant") is read
