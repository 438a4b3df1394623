"""The Spark engine runs the same per-patient function and writes identical tables."""

from __future__ import annotations

import datetime as dt
import importlib.util
import shutil
from pathlib import Path

import pytest

from mbc.cohort.local import run_local
from mbc.cohort.tables import TABLES, read_table

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(
        shutil.which("java") is None, reason="Spark needs Java (apt install openjdk-17-jre-headless)"
    ),
    pytest.mark.skipif(
        importlib.util.find_spec("pyspark") is None, reason="pyspark not installed (pip install 'mbc[audit]')"
    ),
]


def test_spark_equals_local(synth_cohort: tuple[Path, Path], tmp_path: Path) -> None:
    from mbc.cohort.spark import run_spark

    cohort, _ = synth_cohort
    when = dt.date(2026, 12, 1)
    local = run_local(cohort, tmp_path / "local", jobs=2, as_of=when)
    spark = run_spark(cohort, tmp_path / "spark", as_of=when, master="local[2]")
    assert (spark.patients, spark.lines, spark.verdicts) == (local.patients, local.lines, local.verdicts)
    for t in TABLES:
        a, b = read_table(tmp_path / "local", t), read_table(tmp_path / "spark", t)
        assert a.num_rows == b.num_rows > 0
        assert a.equals(b), t
