"""The Spark engine: the same per-patient function on a Spark cluster (or ``local[*]``).

The cohort is a DataFrame of ``(name string, payload binary)`` rows, one per patient, read
from Parquet. A Parquet cohort with those two columns (on any storage Spark reads: HDFS,
S3, …) is read directly; any other cohort (NDJSON, directories, archives, Bulk Data
exports) is first staged to Parquet by the same reader the local engine uses. Each Arrow
batch goes through :func:`mbc.cohort.local.audit_chunk` in ``mapInArrow`` (the knowledge
base is loaded once per Python worker); the three tables are written as Parquet
directories with the same columns and types as the local engine's files.
"""

from __future__ import annotations

import datetime as dt
import os
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

from mbc.cohort.local import AuditSummary, chunks
from mbc.cohort.sources import iter_cohort
from mbc.cohort.tables import TABLES, arrow_schema

if TYPE_CHECKING:
    import pyarrow as pa

__all__ = ["INPUT_COLUMNS", "run_spark", "stage"]

INPUT_COLUMNS = ("name", "payload")
_BATCH_ROWS = 256


def _input_schema() -> pa.Schema:
    import pyarrow as pa  # noqa: PLC0415

    return pa.schema([("name", pa.string()), ("payload", pa.binary())])


def _result_schema() -> pa.Schema:
    import pyarrow as pa  # noqa: PLC0415

    return pa.schema([(t, pa.list_(pa.struct(list(arrow_schema(t))))) for t in TABLES])


def stage(source: str | Path, path: Path, *, chunk_size: int = 1000) -> Path:
    """Write a cohort as Parquet ``(name, payload)`` rows, streaming."""
    import pyarrow as pa  # noqa: PLC0415
    import pyarrow.parquet as pq  # noqa: PLC0415

    path.parent.mkdir(parents=True, exist_ok=True)
    schema = _input_schema()
    with pq.ParquetWriter(path, schema) as w:
        for items in chunks(iter_cohort(source), chunk_size):
            names, payloads = zip(*items, strict=True)
            w.write_table(pa.table([list(names), list(payloads)], schema=schema))
    return path


def _is_staged(source: str) -> bool:
    if "://" in source:
        return True  # remote storage: a staged Parquet cohort
    p = Path(source)
    if p.suffix != ".parquet" and not (p.is_dir() and any(p.glob("*.parquet"))):
        return False
    import pyarrow.parquet as pq  # noqa: PLC0415

    first = p if p.is_file() else sorted(p.glob("*.parquet"))[0]
    return set(INPUT_COLUMNS) <= set(pq.read_schema(first).names)


_WORKER: dict[str | None, Any] = {}


def _audit_batches(
    batches: Iterator[Any], kb_path: str | None, as_of: dt.date, trials_path: str | None = None
) -> Iterator[Any]:
    """mapInArrow: input batches of (name, payload) -> one row of three row lists each."""
    import pyarrow as pa  # noqa: PLC0415

    from mbc.cohort.local import audit_chunk, load_trials  # noqa: PLC0415
    from mbc.knowledge.loader import load_kb  # noqa: PLC0415

    kb = load_kb(kb_path)  # cached per Python worker process
    if trials_path not in _WORKER:
        _WORKER[trials_path] = load_trials(trials_path, kb)
    trials = _WORKER[trials_path]
    schema = _result_schema()
    for batch in batches:
        cols = batch.to_pydict()
        rows = audit_chunk(list(zip(cols["name"], cols["payload"], strict=True)), kb, as_of, trials)
        yield pa.RecordBatch.from_pylist([rows], schema=schema)


def _session(master: str | None) -> Any:
    os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    os.environ.setdefault("PYSPARK_DRIVER_PYTHON", sys.executable)
    from pyspark.sql import SparkSession  # noqa: PLC0415

    builder = SparkSession.builder.appName("mbc-audit")
    if master:
        builder = builder.master(master)
    elif not os.environ.get("SPARK_HOME") and "spark.master" not in os.environ.get("PYSPARK_SUBMIT_ARGS", ""):
        builder = builder.master("local[*]")
    return (builder.config("spark.ui.enabled", "false")
            .config("spark.sql.execution.arrow.maxRecordsPerBatch", str(_BATCH_ROWS))
            .config("spark.sql.shuffle.partitions", "8")
            .config("spark.ui.showConsoleProgress", "true" if sys.stderr.isatty() else "false")
            .getOrCreate())  # fmt: skip


def run_spark(
    source: str | Path, out_dir: str | Path, *, as_of: dt.date, kb_path: str | None = None,
    master: str | None = None, spark: Any = None, trials_path: str | None = None,
) -> AuditSummary:  # fmt: skip
    """Audit a cohort with PySpark and write the three tables (Parquet directories) to ``out_dir``."""
    from pyspark.sql import functions as F  # noqa: N812, PLC0415
    from pyspark.sql.pandas.types import from_arrow_schema  # noqa: PLC0415

    out = str(out_dir)
    src = str(source)
    if not _is_staged(src):
        if "://" in out:
            msg = "a cohort for cluster storage must be staged Parquet (name, payload): see stage()"
            raise ValueError(msg)
        src = str(stage(source, Path(out) / "_staging" / "cohort.parquet"))
    session = spark or _session(master)
    session.sparkContext.setLogLevel("ERROR")
    kb_abs = str(Path(kb_path).resolve()) if kb_path else None
    trials_abs = str(Path(trials_path).resolve()) if trials_path else None
    df = session.read.parquet(src).select(*INPUT_COLUMNS)
    if df.rdd.getNumPartitions() < session.sparkContext.defaultParallelism:
        df = df.repartition(session.sparkContext.defaultParallelism)
    result = df.mapInArrow(
        lambda it: _audit_batches(it, kb_abs, as_of, trials_abs), from_arrow_schema(_result_schema())
    ).persist()
    summary = AuditSummary()
    try:
        for t in TABLES:
            table = result.select(F.explode(t).alias("r")).select("r.*")
            table.write.mode("overwrite").parquet(f"{out}/{t}.parquet")
        counts = result.select(
            F.sum(F.size("patients")).alias("patients"), F.sum(F.size("lines")).alias("lines"),
            F.sum(F.size("findings")).alias("findings"),
            F.sum(F.size(F.filter("patients", lambda p: ~p["valid"]))).alias("invalid"),
        ).first()  # fmt: skip
        summary.patients, summary.lines = int(counts["patients"] or 0), int(counts["lines"] or 0)
        summary.findings, summary.invalid = int(counts["findings"] or 0), int(counts["invalid"] or 0)
        verdicts = result.select(F.explode("lines.verdict").alias("v")).groupBy("v").count().collect()
        summary.verdicts = {r["v"]: r["count"] for r in verdicts}
    finally:
        result.unpersist()
    return summary
