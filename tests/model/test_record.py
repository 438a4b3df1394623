"""The patient record follows contract v1: strict, frozen, every problem at once."""

from __future__ import annotations

import json

import pytest

from mbc.errors import RecordError
from mbc.model import parse_record
from mbc.testing import PatientBuilder


def test_minimal_record_needs_only_id() -> None:
    """A record with only an id is valid; every other fact is unknown."""
    r = parse_record({"id": "p1"})
    assert r.id == "p1"
    assert r.tumor is None and r.prior_therapies is None


def test_contract_examples_parse(shared) -> None:  # type: ignore[no-untyped-def]
    """The contract's JSON examples are valid records."""
    for f in sorted((shared / "contract" / "examples").glob("*.json")):
        assert parse_record(json.loads(f.read_text())).id


def test_every_problem_is_reported_at_once() -> None:
    """Several bad fields give one error listing all of them with their paths."""
    bad = {
        "id": "x",
        "agee": 50,
        "ecog": 7,
        "as_of": "2024/01/01",
        "tumor": {"er_percnt": 5, "her2_ihc": "4+"},
        "prior_therapies": [{"drugs": ["letrozole"], "start": "2020-05-01", "end": "2019-01-01"}],
    }
    with pytest.raises(RecordError) as ei:
        parse_record(bad)
    paths = {p.path for p in ei.value.problems}
    assert paths == {
        "agee",
        "ecog",
        "as_of",
        "tumor.er_percnt",
        "tumor.her2_ihc",
        "prior_therapies[0]",
    }


@pytest.mark.parametrize(
    ("data", "expect"),
    [
        ({"id": "x", "agee": 50}, "did you mean 'age'"),
        ({"id": "x", "tumor": {"her2_ish": "amplified", "pdl1": 3}}, "did you mean 'pdl1_cps'"),
        ({"id": "x", "labs": {"calcium": 9}}, "did you mean 'calcium_mg_dl'"),
    ],
    ids=["top-level", "tumor", "labs"],
)
def test_unknown_key_suggests_nearest(data: dict[str, object], expect: str) -> None:
    """An unknown key names the closest known key."""
    with pytest.raises(RecordError) as ei:
        parse_record(data)
    assert expect in str(ei.value)


@pytest.mark.parametrize(
    "value",
    ["2024/01/01", "01-02-2024", "2024-02-30", "2024-1-5", 20240101, "2024-01-01T00:00:00"],
    ids=["slashes", "dmy", "no-such-day", "unpadded", "number", "datetime"],
)
def test_dates_are_strict(value: object) -> None:
    """Only real YYYY-MM-DD dates are accepted."""
    with pytest.raises(RecordError):
        parse_record({"id": "x", "as_of": value})


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("age", 17),
        ("age", 121),
        ("ecog", 5),
        ("ecog", -1),
        ("lvef_percent", 101),
        ("age", "63"),
        ("pregnant", "yes"),
    ],
    ids=["age-low", "age-high", "ecog-high", "ecog-neg", "lvef", "age-string", "bool-string"],
)
def test_ranges_and_types(field: str, value: object) -> None:
    """Out-of-range or mistyped values are rejected."""
    with pytest.raises(RecordError) as ei:
        parse_record({"id": "x", field: value})
    assert ei.value.problems[0].loc == (field,)


def test_qualitative_status_must_agree_with_percentage() -> None:
    """er_status that contradicts er_percent is an error."""
    with pytest.raises(RecordError, match="disagrees"):
        parse_record({"id": "x", "tumor": {"er_percent": 0, "er_status": "positive"}})


def test_her2_ihc_integers_are_normalised() -> None:
    """Integer IHC scores from exports map to the contract strings."""
    r = parse_record({"id": "x", "tumor": {"her2_ihc": 3}})
    assert r.tumor is not None and r.tumor.her2_ihc == "3+"


def test_record_is_frozen() -> None:
    """Records cannot be mutated after validation."""
    r = parse_record(PatientBuilder().hr_pos_her2_neg().build())
    with pytest.raises(Exception):  # noqa: B017 - pydantic raises ValidationError
        r.age = 40  # type: ignore[misc]


def test_not_an_object() -> None:
    """A JSON array is not a record."""
    with pytest.raises(RecordError, match="object"):
        parse_record([1, 2])


def test_pregnancy_weeks_is_validated() -> None:
    """Gestational age (additive field, session 3): 0-45 whole weeks, only for a pregnant patient."""
    import pydantic

    from mbc.model.record import PatientRecord

    assert PatientRecord(id="p", pregnant=True, pregnancy_weeks=21).pregnancy_weeks == 21
    for bad in (
        {"pregnancy_weeks": 46},
        {"pregnancy_weeks": -1},
        {"pregnancy_weeks": "21"},
        {"pregnant": False, "pregnancy_weeks": 20},
        {"sex": "male", "pregnancy_weeks": 20},
    ):
        with pytest.raises(pydantic.ValidationError):
            PatientRecord(id="p", **bad)
