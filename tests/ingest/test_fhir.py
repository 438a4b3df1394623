"""FHIR R4 / mCODE bundles -> contract records: our own small fixtures, one behaviour each."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest

from mbc.errors import FHIRMappingError
from mbc.ingest import extract
from mbc.model import parse_record

FIXTURES = Path(__file__).parent / "fixtures"
AS_OF = dt.date(2026, 1, 1)


def _load(name: str) -> Any:
    return json.loads((FIXTURES / f"{name}.json").read_text(encoding="utf-8"))


def test_newest_valid_observation_wins() -> None:
    """The newest final observation wins; an entered-in-error one is ignored and reported."""
    ex = extract(_load("newest_wins"), as_of=AS_OF)
    assert ex.record["ecog"] == 2
    assert ex.record["lvef_percent"] == 48
    assert ex.provenance["ecog"]["resource"] == "Observation/ecog-new"
    assert any(u.get("resource") == "Observation/ecog-err" for u in ex.unread)
    assert ex.record["age"] == 65 and ex.record["sex"] == "female"


def test_metastasis_specimen_beats_primary() -> None:
    """A receptor result on a metastasis beats a newer one on the primary tumour."""
    ex = extract(_load("metastasis_beats_primary"), as_of=AS_OF)
    tumor = ex.record["tumor"]
    assert tumor["er_status"] == "negative"
    assert tumor["receptor_source"] == "metastasis"
    assert ex.provenance["tumor.er_status"]["superseded"][0]["value"] == "positive"
    assert ex.record["metastases"]["sites"] == ["liver", "bone"]
    assert ex.record["presentation"] == "recurrence"


def test_unknown_codes_are_unread_not_guessed() -> None:
    """Codes not in the mapping (and known codes with unknown units) are listed as unread."""
    ex = extract(_load("unknown_codes"), as_of=AS_OF)
    codes = {u.get("code") for u in ex.unread}
    assert {"99999-9", "83052-1", "0000000", "1234567"} <= codes
    assert "tumor" not in ex.record and "prior_therapies" not in ex.record


def test_therapy_lines_settings_and_genomics() -> None:
    """Medication records become lines with settings; mCODE variants become somatic/germline."""
    ex = extract(_load("therapy_lines"), as_of=AS_OF)
    rec = ex.record
    lines = [(sorted(t["drugs"]), t.get("setting"), t.get("stop_reason")) for t in rec["prior_therapies"]]
    assert lines == [
        # an early course whose records say completed is stopped as completed (issue 11, s3)
        (["cyclophosphamide", "doxorubicin"], "adjuvant", "completed"),
        (["tamoxifen"], "adjuvant", "completed"),
        (["letrozole", "palbociclib"], "metastatic", "progression"),
        (["fulvestrant"], "metastatic", "ongoing"),
    ]
    assert "end" not in rec["prior_therapies"][-1]
    assert rec["somatic"] == ["PIK3CA H1047R"]
    assert rec["germline"] == []
    assert rec["labs"]["bilirubin_x_uln"] == 2
    assert rec["metastatic_diagnosis_date"] == "2024-05-20"
    parse_record(rec)


def test_malformed_resource_is_skipped_and_shown() -> None:
    """A resource with a malformed element is skipped whole and listed in unread, naming the
    resource and element; the rest of the bundle is read."""
    ex = extract(_load("malformed"), as_of=AS_OF)
    bad = {u["resource"]: u for u in ex.unread if u.get("kind") == "unreadable_resource"}
    assert set(bad) == {"Observation/bad-code", "Observation/bad-date"}
    assert "code.coding" in bad["Observation/bad-code"]["reason"]
    assert "effectiveDateTime" in bad["Observation/bad-date"]["reason"]
    assert "ecog" not in ex.record  # nothing from the unreadable resource is used
    assert ex.record["sex"] == "female"


@pytest.mark.parametrize(
    "bundle",
    [
        {"resourceType": "Bundle", "entry": "x"},
        {"resourceType": "Bundle", "entry": [{"resource": {"id": "no-type"}}]},
        {"resourceType": "Bundle", "entry": [{"resource": {"resourceType": "Patient", "id": "a"}},
                                             {"resource": {"resourceType": "Patient", "id": "b"}}]},
    ],
    ids=["entry-not-list", "resource-without-type", "two-patients"],
)
def test_structural_faults_reject_the_bundle(bundle: dict[str, Any]) -> None:
    """Only structural faults reject a bundle (exit 2 / 422), naming each problem."""
    with pytest.raises(FHIRMappingError) as info:
        extract(bundle, as_of=AS_OF)
    assert info.value.problems


@pytest.mark.parametrize(
    "source",
    ["{not json", '{"resourceType": 3}', b"\xff\xfe{"],
    ids=["invalid-json", "resourcetype-not-string", "not-utf8"],
)
def test_unreadable_fhir_input_is_an_ingest_error(source: str | bytes) -> None:
    """Input that is not FHIR JSON raises an IngestError, never a crash."""
    from mbc.errors import IngestError

    with pytest.raises(IngestError):
        extract(source, kind="fhir", as_of=AS_OF)


def test_to_json_is_a_valid_contract_record() -> None:
    """The JSON form keeps provenance under one key and still parses as a record."""
    ex = extract(_load("therapy_lines"), as_of=AS_OF)
    doc = ex.to_json()
    assert set(doc["provenance"]) == {"source", "fields", "unread"}
    parse_record(doc)


def test_age_outside_contract_moves_to_unread() -> None:
    """A value the contract rejects (age under 18) is moved to unread, not a failure."""
    bundle = {"resourceType": "Patient", "id": "kid", "birthDate": "2015-01-01"}
    ex = extract(bundle, as_of=AS_OF)
    assert "age" not in ex.record
    assert any(u.get("field") == "age" for u in ex.unread)
