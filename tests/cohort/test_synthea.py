"""The 100 Synthea mCODE bundles, audited end to end (read in place from the archive)."""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

import pytest

from mbc.cohort.local import run_local
from mbc.cohort.report import write_report
from mbc.cohort.tables import read_table

# the shared/ folder beside the repo, or $MBC_SHARED (as the other shared-data tests)
_SHARED = Path(os.environ.get("MBC_SHARED") or Path(__file__).resolve().parents[3] / "shared")
ARCHIVE = _SHARED / "data" / "synthea_mcode_breast" / "synthea_mcode_breast_bundles.tar.gz"


@pytest.mark.slow
@pytest.mark.skipif(
    not ARCHIVE.is_file(), reason=f"Synthea mCODE bundles not present at {ARCHIVE} (set MBC_SHARED)"
)
def test_synthea_cohort(tmp_path: Path) -> None:
    summary = run_local(ARCHIVE, tmp_path, jobs=2, as_of=dt.date(2026, 12, 1))
    assert summary.patients == 100 and summary.invalid == 0
    patients = read_table(tmp_path, "patients").to_pylist()
    lines = read_table(tmp_path, "lines").to_pylist()
    assert sum(p["n_lines"] for p in patients) == len(lines) > 0
    assert {p["subtype"] for p in patients} & {"HR+/HER2-", "TNBC"}
    for line in lines:  # every line has a verdict; a not-assessable one names what was missing
        assert line["verdict"]
        if line["verdict"] == "not_assessable":
            assert line["missing"]
    page = write_report(tmp_path, source_name=ARCHIVE.name).read_text()
    assert "<svg" in page
