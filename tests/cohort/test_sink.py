"""The Parquet sink gathers chunks into large row groups, so the writer's footer metadata (kept
in memory until close) grows with the number of row groups, not with the number of chunks."""

from __future__ import annotations

import datetime as dt
import math
from pathlib import Path

import pyarrow.parquet as pq

from mbc.cohort.local import ParquetSink, run_local
from mbc.cohort.tables import TABLES, read_table


def test_chunks_become_few_row_groups_in_order(synth_cohort: tuple[Path, Path], tmp_path: Path) -> None:
    cohort, _ = synth_cohort
    run_local(cohort, tmp_path / "audit", jobs=1, as_of=dt.date(2026, 12, 1))
    full = {t: read_table(tmp_path / "audit", t) for t in TABLES}
    assert full["findings"].num_rows > 100

    sink = ParquetSink(tmp_path / "again", row_group=50)
    n = max(t.num_rows for t in full.values())
    for start in range(0, n, 7):  # many small chunks, as the pool hands them back
        sink.write_tables({t: full[t].slice(start, 7) for t in TABLES})
    sink.close()

    for t in TABLES:
        meta = pq.ParquetFile(sink.paths[t]).metadata
        rows = full[t].num_rows
        assert meta.num_rows == rows
        # a group is flushed once >= 50 rows are buffered, so groups are few and never tiny chunks
        assert meta.num_row_groups <= math.ceil(rows / 50) + 1 < math.ceil(rows / 7)
        assert read_table(tmp_path / "again", t).equals(full[t]), t
