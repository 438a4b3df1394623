"""The local engine: every core of one machine, streaming.

The cohort is read lazily in chunks; at most ``2 × jobs`` chunks are in flight, so memory
stays flat whatever the cohort's size. Each worker process loads the knowledge base once (a
pool initializer) and runs :func:`mbc.cohort.audit.audit_patient` on its chunk; the parent
appends the rows to three Parquet files as the results come back, in input order (so the
output does not depend on ``jobs``).
"""

from __future__ import annotations

import datetime as dt
import multiprocessing as mp
import sys
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

from mbc.cohort.audit import Rows, audit_patient
from mbc.cohort.sources import iter_cohort
from mbc.cohort.tables import TABLES, arrow_schema
from mbc.knowledge.loader import KnowledgeBase, load_kb

__all__ = ["AuditSummary", "ParquetSink", "audit_chunk", "chunks", "load_trials", "run_local", "run_pool"]

T = TypeVar("T")
R = TypeVar("R")

_STATE: dict[str, Any] = {}


@dataclass
class AuditSummary:
    """Counts of one run."""

    patients: int = 0
    invalid: int = 0
    lines: int = 0
    findings: int = 0
    verdicts: dict[str, int] = field(default_factory=dict)

    def merge(self, other: AuditSummary) -> None:
        self.patients += other.patients
        self.invalid += other.invalid
        self.lines += other.lines
        self.findings += other.findings
        for k, v in other.verdicts.items():
            self.verdicts[k] = self.verdicts.get(k, 0) + v

    def add(self, rows: Rows) -> None:
        self.patients += len(rows["patients"])
        self.invalid += sum(not p["valid"] for p in rows["patients"])
        self.lines += len(rows["lines"])
        self.findings += len(rows["findings"])
        for line in rows["lines"]:
            self.verdicts[line["verdict"]] = self.verdicts.get(line["verdict"], 0) + 1


def chunks(items: Iterable[T], size: int) -> Iterator[list[T]]:
    """Lists of up to ``size`` consecutive items."""
    buf: list[T] = []
    for it in items:
        buf.append(it)
        if len(buf) >= size:
            yield buf
            buf = []
    if buf:
        yield buf


def audit_chunk(
    items: list[tuple[str, bytes]], kb: KnowledgeBase, as_of: dt.date, trials: Any = None
) -> Rows:
    """The rows of a chunk of patients, concatenated per table."""
    out: Rows = {t: [] for t in TABLES}
    for name, payload in items:
        rows = audit_patient(name, payload, kb, as_of=as_of, trials=trials)
        for t in TABLES:
            out[t].extend(rows[t])
    return out


def load_trials(path: str | None, kb: KnowledgeBase) -> Any:
    """The trials of a registry (``None`` when no path is given)."""
    if path is None:
        return None
    from mbc.trials import load_registry  # noqa: PLC0415

    return load_registry(path, kb=kb).trials()


def _init_worker(kb_path: str | None, as_of: dt.date, trials_path: str | None = None) -> None:
    _STATE["kb"] = load_kb(kb_path)
    _STATE["as_of"] = as_of
    _STATE["trials"] = load_trials(trials_path, _STATE["kb"])


def _work(items: list[tuple[str, bytes]]) -> tuple[dict[str, Any], AuditSummary]:
    """A chunk's rows as Arrow tables (built in the worker, so the parent only writes them;
    Arrow tables pickle as buffers, far cheaper than lists of dicts) and its counts."""
    rows = audit_chunk(items, _STATE["kb"], _STATE["as_of"], _STATE["trials"])
    counts = AuditSummary()
    counts.add(rows)
    return to_arrow(rows), counts


def to_arrow(rows: Rows) -> dict[str, Any]:
    """Each table's rows as an Arrow table with the documented schema."""
    import pyarrow as pa  # noqa: PLC0415

    return {t: pa.Table.from_pylist(rows[t], schema=arrow_schema(t)) for t in TABLES}


def run_pool(
    work: Callable[[T], R],
    batches: Iterable[T],
    *,
    jobs: int,
    initializer: Callable[..., None],
    initargs: tuple[Any, ...],
) -> Iterator[R]:
    """``work(batch)`` for each batch, in order, on ``jobs`` processes (in-process for 1),
    with at most ``2 × jobs`` batches in flight."""
    if jobs <= 1:
        initializer(*initargs)
        for b in batches:
            yield work(b)
        return
    ctx = mp.get_context("fork" if sys.platform.startswith("linux") else "spawn")
    with ctx.Pool(jobs, initializer=initializer, initargs=initargs) as pool:
        pending: deque[Any] = deque()
        for b in batches:
            pending.append(pool.apply_async(work, (b,)))
            if len(pending) >= 2 * jobs:
                yield pending.popleft().get()
        while pending:
            yield pending.popleft().get()


class ParquetSink:
    """Appends rows to ``<dir>/<table>.parquet`` for each output table.

    Chunks are gathered per table and written as one row group once ``row_group`` rows are
    buffered (and at close): a row group per 200-patient chunk would make a million-patient
    file hold thousands of row groups whose footer metadata the writer keeps in memory until
    it closes, so the parent's memory would grow with the cohort."""

    def __init__(self, out_dir: Path, row_group: int = 65_536) -> None:
        import pyarrow.parquet as pq  # noqa: PLC0415

        out_dir.mkdir(parents=True, exist_ok=True)
        self.paths = {t: out_dir / f"{t}.parquet" for t in TABLES}
        self._writers = {
            t: pq.ParquetWriter(p, arrow_schema(t), compression="zstd") for t, p in self.paths.items()
        }
        self._row_group = row_group
        self._buffers: dict[str, list[Any]] = {t: [] for t in TABLES}

    def write_tables(self, tables: dict[str, Any]) -> None:
        for t in self._writers:
            if tables[t].num_rows:
                self._buffers[t].append(tables[t])
                if sum(b.num_rows for b in self._buffers[t]) >= self._row_group:
                    self._flush(t)

    def _flush(self, table: str) -> None:
        import pyarrow as pa  # noqa: PLC0415

        if self._buffers[table]:
            self._writers[table].write_table(pa.concat_tables(self._buffers[table]))
        self._buffers[table] = []

    def close(self) -> None:
        for t, w in self._writers.items():
            self._flush(t)
            w.close()


def run_local(
    source: str | Path,
    out_dir: str | Path,
    *,
    jobs: int,
    as_of: dt.date,
    kb_path: str | None = None,
    chunk_size: int = 200,
    progress: bool = False,
    trials_path: str | None = None,
) -> AuditSummary:
    """Audit a cohort on ``jobs`` processes and write the three tables to ``out_dir``."""
    summary = AuditSummary()
    sink = ParquetSink(Path(out_dir))
    bar = _progress(progress)
    try:
        results = run_pool(
            _work, chunks(iter_cohort(source), chunk_size), jobs=jobs,
            initializer=_init_worker, initargs=(kb_path, as_of, trials_path),
        )  # fmt: skip
        for tables, counts in results:
            sink.write_tables(tables)
            summary.merge(counts)
            if bar is not None:
                bar.update(counts.patients)
    finally:
        sink.close()
        if bar is not None:
            bar.close()
    return summary


def _progress(enabled: bool) -> Any:
    """A tqdm bar on stderr, only when asked and stderr is a terminal."""
    if not enabled or not sys.stderr.isatty():
        return None
    try:
        from tqdm import tqdm  # noqa: PLC0415
    except ImportError:  # pragma: no cover - tqdm is in the audit extra
        return None
    return tqdm(unit=" patients", file=sys.stderr, dynamic_ncols=True)
