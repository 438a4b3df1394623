"""All 100 Synthea mCODE breast bundles (shared data) extract without error, and the counts
of receptors, sites and therapies read agree with the shared index.csv."""

from __future__ import annotations

import csv
import datetime as dt
import io
import tarfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from mbc.ingest import extract
from mbc.model import parse_record

from .conftest import shared_dir

AS_OF = dt.date(2026, 1, 1)
_SHARED = shared_dir()
_TARBALL = (
    _SHARED / "data" / "synthea_mcode_breast" / "synthea_mcode_breast_bundles.tar.gz" if _SHARED else None
)
pytestmark = pytest.mark.skipif(
    _TARBALL is None or not _TARBALL.is_file(),
    reason="shared Synthea bundles not found (set MBC_SHARED or place shared/ beside the repo)",
)


def _bundles() -> Iterator[tuple[str, bytes]]:
    assert _TARBALL is not None
    with tarfile.open(_TARBALL, "r:gz") as tar:
        for member in tar:
            if member.isfile() and member.name.endswith(".json"):
                fh = tar.extractfile(member)
                assert fh is not None
                yield Path(member.name).name, fh.read()


@pytest.fixture(scope="module")
def extractions() -> dict[str, object]:
    return {name: extract(raw, kind="fhir", as_of=AS_OF) for name, raw in _bundles()}


@pytest.fixture(scope="module")
def index() -> dict[str, dict[str, str]]:
    assert _SHARED is not None
    path = _SHARED / "data" / "synthea_mcode_breast" / "index.csv"
    with path.open(encoding="utf-8") as fh:
        return {row["file"]: row for row in csv.DictReader(fh)}


def test_all_bundles_extract_to_valid_records(extractions: dict[str, object]) -> None:
    """Every bundle extracts without error and yields a record the contract accepts."""
    assert len(extractions) == 100
    for name, ex in extractions.items():
        parse_record(ex.record)  # type: ignore[attr-defined]
        assert ex.record["id"], name  # type: ignore[attr-defined]


def test_receptor_counts_match_the_index(
    extractions: dict[str, object], index: dict[str, dict[str, str]]
) -> None:
    """ER, PR and HER2 statuses read agree with index.csv for every bundle that has them."""
    words = {"Positive": "positive", "Negative": "negative"}
    mismatches = []
    read = 0
    for name, ex in extractions.items():
        row = index[name]
        tumor = ex.record.get("tumor", {})  # type: ignore[attr-defined]
        for col, key in (("ER", "er_status"), ("PR", "pr_status")):
            if row[col]:
                read += 1
                if tumor.get(key) != words[row[col]]:
                    mismatches.append((name, col, row[col], tumor.get(key)))
        if row["HER2"]:
            # HER2 status is dropped in favour of the ISH result (contract: one form).
            her2 = tumor.get("her2_status") or {"amplified": "positive", "not_amplified": "negative"}.get(
                tumor.get("her2_ish", "")
            )
            read += 1
            if her2 != words[row["HER2"]]:
                mismatches.append((name, "HER2", row["HER2"], her2))
    assert read == 240
    assert mismatches == []


def test_metastatic_and_therapy_counts(
    extractions: dict[str, object], index: dict[str, dict[str, str]]
) -> None:
    """M1 bundles have a metastatic diagnosis date; bundles with antineoplastics have lines."""
    m1 = {n for n, r in index.items() if r["M"] == "M1"}
    with_date = {n for n, ex in extractions.items() if "metastatic_diagnosis_date" in ex.record}  # type: ignore[attr-defined]
    assert with_date == m1
    with_meds = {n for n, r in index.items() if r["antineoplastic_meds"]}
    with_lines = {n for n, ex in extractions.items() if ex.record.get("prior_therapies")}  # type: ignore[attr-defined]
    assert with_lines == with_meds
    n_lines = sum(
        len(ex.record.get("prior_therapies", []))  # type: ignore[attr-defined]
        for ex in extractions.values()
    )
    assert n_lines >= len(with_meds)
    # Synthea writes no secondary-cancer conditions, so no sites can be read.
    assert not any("metastases" in ex.record for ex in extractions.values())  # type: ignore[attr-defined]


def test_index_matches_tarball(index: dict[str, dict[str, str]]) -> None:
    """The index lists exactly the bundles in the tarball."""
    assert {name for name, _ in _bundles()} == set(index)


def test_bundle_reads_from_bytes_stream() -> None:
    """A bundle can be given as bytes (as the CLI reads it)."""
    name, raw = next(_bundles())
    assert extract(io.BytesIO(raw).read(), as_of=AS_OF).kind == "fhir", name
