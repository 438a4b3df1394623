"""Every cohort shape is read as one item per patient, lazily and in a stable order."""

from __future__ import annotations

import json
import tarfile
from pathlib import Path

from mbc.cohort.sources import is_bulk_export, iter_cohort

REPO = Path(__file__).resolve().parents[2]
BUNDLE = REPO / "examples" / "fhir" / "hrpos-2l-bundle.json"


def test_ndjson_and_directory(tmp_path: Path) -> None:
    f = tmp_path / "c.ndjson"
    f.write_text('{"id": "a"}\n\n{"id": "b"}\n')
    assert [n for n, _ in iter_cohort(f)] == ["line 1", "line 3"]
    d = tmp_path / "d"
    d.mkdir()
    (d / "b.json").write_text('{"id": "b"}')
    (d / "a.json").write_text('{"id": "a"}')
    (d / "notes.txt").write_text("ignored")
    assert [n for n, _ in iter_cohort(d)] == ["a.json", "b.json"]


def test_tar_archive_read_in_place(tmp_path: Path) -> None:
    arc = tmp_path / "bundles.tar.gz"
    with tarfile.open(arc, "w:gz") as tf:
        tf.add(BUNDLE, arcname="set/one.json")
    items = list(iter_cohort(arc))
    assert [n for n, _ in items] == ["one.json"]
    assert json.loads(items[0][1])["resourceType"] == "Bundle"


def test_bulk_export_grouped_by_patient(tmp_path: Path) -> None:
    """A $export directory (one NDJSON per resource type) becomes one bundle per patient."""
    bundle = json.loads(BUNDLE.read_text())
    resources = [e["resource"] for e in bundle["entry"]]
    pid = next(r["id"] for r in resources if r["resourceType"] == "Patient")
    other = {"resourceType": "Patient", "id": "p2", "gender": "female"}
    by_type: dict[str, list[dict]] = {}
    for r in [*resources, other]:
        if r["resourceType"] != "Patient":
            for key in ("subject", "patient"):
                if key in r:
                    r[key] = {"reference": f"Patient/{pid}"}
        by_type.setdefault(r["resourceType"], []).append(r)
    for rt, rs in by_type.items():
        (tmp_path / f"{rt}.ndjson").write_text("".join(json.dumps(r) + "\n" for r in rs))
    assert is_bulk_export(tmp_path)
    items = dict(iter_cohort(tmp_path))
    assert set(items) == {f"Patient/{pid}", "Patient/p2"}
    one = json.loads(items[f"Patient/{pid}"])
    assert one["resourceType"] == "Bundle"
    assert len(one["entry"]) == sum(
        1 for r in resources if r["resourceType"] == "Patient" or "subject" in r or "patient" in r
    )
    assert one["entry"][0]["resource"]["resourceType"] == "Patient"


def test_bulk_export_brings_referenced_shared_resources(tmp_path: Path) -> None:
    """A Medication (no patient of its own) goes into each bundle whose resources cite it."""
    (tmp_path / "Patient.ndjson").write_text(
        '{"resourceType": "Patient", "id": "p1"}\n{"resourceType": "Patient", "id": "p2"}\n'
    )
    (tmp_path / "Medication.ndjson").write_text('{"resourceType": "Medication", "id": "m1"}\n')
    (tmp_path / "MedicationRequest.ndjson").write_text(
        '{"resourceType": "MedicationRequest", "id": "r1", "subject": {"reference": "Patient/p1"},'
        ' "medicationReference": {"reference": "Medication/m1"}}\n'
    )
    items = {k: json.loads(v) for k, v in iter_cohort(tmp_path)}
    types = {k: [e["resource"]["resourceType"] for e in b["entry"]] for k, b in items.items()}
    assert types == {"Patient/p1": ["Patient", "MedicationRequest", "Medication"], "Patient/p2": ["Patient"]}
