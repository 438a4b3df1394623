"""Review 9 (safety) of the session 9 FHIR reader: each test fails without its mend. Bundles
are our own, with phrasings invented for the review (none copied from a blind set)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from ._fhir_builders import LOINC, obs, read

AS_OF = dt.date(2026, 11, 1)
POS, NEG = "LA6576-8", "LA6577-6"


def her2(oid: str, code: str, day: str, answer: str, status: str = "final") -> dict[str, Any]:
    return obs(oid, code, day, status=status, valueCodeableConcept={"coding": [{"system": LOINC, "code": answer}]})


def test_a_corrected_result_still_makes_an_old_result_of_its_marker_historical() -> None:
    """A corrected (or amended) result carries a tie-break mark after its date; the date must
    still be read, or a years-old HER2 ISH "amplified" stays current beside this year's
    corrected HER2-negative result (and the record reads HER2-positive)."""
    old_ish = her2("old", "85318-4", "2017-03-01", POS)
    for status in ("final", "corrected", "amended"):
        got = read(AS_OF, old_ish, her2("new", "85319-2", "2026-09-01", NEG, status))
        assert got["tumor"] == {"her2_status": "negative"}, status
