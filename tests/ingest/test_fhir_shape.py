"""An element of the wrong JSON type skips its resource into ``unread``: no traceback.

Found by the property tests of session 9 (tests/property/test_robust_fhir.py): before the
shape check each of these raised TypeError, AttributeError or KeyError out of a reader.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from mbc.ingest import extract
from mbc.ingest._fhir_shape import shape_problems

AS_OF = dt.date(2026, 11, 20)
LOINC = "http://loinc.org"


def _bundle(*resources: dict[str, Any]) -> dict[str, Any]:
    patient = {"resourceType": "Patient", "id": "p", "gender": "female", "birthDate": "1960-01-01"}
    return {"resourceType": "Bundle", "type": "collection",
            "entry": [{"resource": r} for r in (patient, *resources)]}  # fmt: skip


def _er(**over: Any) -> dict[str, Any]:
    obs = {"resourceType": "Observation", "id": "er", "status": "final", "effectiveDateTime": "2026-10-01",
           "code": {"coding": [{"system": LOINC, "code": "85337-4"}]},
           "valueQuantity": {"value": 90, "unit": "%"}}  # fmt: skip
    obs.update(over)
    return obs


def _unreadable(result: Any) -> dict[str, list[str]]:
    return {u["resource"]: u["elements"] for u in result.unread if u.get("kind") == "unreadable_resource"}


@pytest.mark.parametrize(
    ("over", "element"),
    [
        ({"status": {"code": "final"}}, "status"),  # TypeError: unhashable type: 'dict'
        ({"code": 5}, "code"),  # TypeError: 'int' object is not iterable (text_of)
        ({"code": {"coding": 5}}, "code.coding"),
        ({"valueQuantity": {"value": "ninety", "unit": "%"}}, "valueQuantity.value"),
        ({"valueQuantity": {"value": 10**400, "unit": "%"}}, "valueQuantity.value"),
        ({"contained": [{"id": "x"}]}, "contained[0]"),  # KeyError: 'resourceType'
        ({"hasMember": {"reference": "Observation/x"}}, "hasMember"),
    ],
)
def test_wrong_json_type_skips_the_resource(over: dict[str, Any], element: str) -> None:
    result = extract(_bundle(_er(**over)), kind="fhir", as_of=AS_OF)
    assert _unreadable(result) == {"Observation/er": [element]}
    assert result.record.get("tumor", {}).get("er_percent") is None  # nothing it says is used


def test_a_malformed_resource_is_not_reached_by_reference() -> None:
    """A specimen whose ``code`` is a string was read through the observation that names it
    (AttributeError in said_of); now the specimen is skipped and the reference resolves to nothing."""
    specimen = {"resourceType": "Specimen", "id": "s1", "type": "liver biopsy", "collection": "today"}
    result = extract(_bundle(_er(specimen={"reference": "Specimen/s1"}), specimen), kind="fhir", as_of=AS_OF)
    assert set(_unreadable(result)) == {"Specimen/s1"}
    assert result.record["tumor"]["er_percent"] == 90


def test_well_typed_elements_pass_and_unread_elements_are_not_checked() -> None:
    ok = _er(category=[{"coding": [{"code": "laboratory"}]}], bodySite={"text": "liver"},
             interpretation=[{"text": "positive"}], whatever={"any": ["shape", 1]})  # fmt: skip
    assert shape_problems(ok) == []
    group = {"resourceType": "Group", "id": "g", "type": "person"}  # Group.type is a code: not checked
    assert _unreadable(extract(_bundle(_er(), group), kind="fhir", as_of=AS_OF)) == {}


def test_deep_contained_nesting_is_refused_not_recursed() -> None:
    inner: dict[str, Any] = {"resourceType": "Observation", "id": "leaf", "status": "final"}
    for i in range(200):
        inner = {"resourceType": "Observation", "id": f"o{i}", "contained": [inner]}
    problems = shape_problems(inner)
    assert problems and "nested" in problems[0][1]


@pytest.mark.parametrize("kind", [["Observation"], {"x": 1}, 5, None])
def test_contained_item_with_a_non_string_type_is_refused_not_crashed(kind: Any) -> None:
    """``contained: [{"resourceType": [...]}]`` raised TypeError (unhashable list) while the
    bundle's contained findings were listed; now the container is skipped into ``unread``."""
    result = extract(_bundle(_er(contained=[{"resourceType": kind, "id": "c"}])), kind="fhir", as_of=AS_OF)
    assert _unreadable(result) == {"Observation/er": ["contained[0]"]}


def test_a_component_without_a_number_names_its_resource() -> None:
    """A HER2 FISH result whose ratio component has a ``valueQuantity`` without a value raised
    KeyError ('resourceType') while the fault was being named; the resource is now skipped."""
    fish = {"resourceType": "Observation", "id": "fish", "status": "final", "effectiveDateTime": "2026-10-01",
            "code": {"coding": [{"system": LOINC, "code": "85318-4"}]},
            "component": [{"code": {"text": "HER2/CEP17 ratio"}, "valueQuantity": {"unit": "ratio"}}]}  # fmt: skip
    result = extract(_bundle(fish), kind="fhir", as_of=AS_OF)
    assert list(_unreadable(result)) == ["Observation/fish"]
