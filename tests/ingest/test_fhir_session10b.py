"""Session 10 second pass: FHIR readings, each in small bundles of our own (none copied from a
blind set)."""

from __future__ import annotations

import datetime as dt

import pytest

from ._fhir_builders import LOINC, obs, read

AS_OF = dt.date(2026, 11, 1)
LOCAL = "https://codes.example.net/answers"


# ---------------------------------------------------------------- HER2 IHC score as a bare answer


@pytest.mark.parametrize(
    ("answer", "score"),
    [
        ({"coding": [{"system": LOCAL, "code": "x17", "display": "0"}], "text": "0"}, "0"),
        ({"coding": [{"system": LOCAL, "code": "a2", "display": "3"}, {"system": LOCAL, "code": "b9", "display": "3"}]}, "3+"),
        ({"coding": [{"system": LOCAL, "code": "q", "display": "2+"}], "text": "Score 2+"}, "2+"),
        ({"coding": [{"system": LOCAL, "code": "q", "display": "IHC 1+"}], "text": "1+"}, "1+"),
    ],
)
def test_her2_ihc_score_given_in_each_of_text_and_displays(answer: dict, score: str) -> None:
    """A coded answer whose text and every display each give the score (local codes only)."""
    got = read(AS_OF, obs("h1", "85319-2", valueCodeableConcept=answer))
    assert got["tumor"]["her2_ihc"] == score
