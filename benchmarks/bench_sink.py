"""Benchmark: memory of the cohort audit's parent process as it writes N patients' rows.

The parent of `mbc audit --jobs` only receives each chunk's Arrow tables from the workers and
appends them to Parquet. This replays the tables of a real audit (a small generated cohort,
audited once) through :class:`mbc.cohort.local.ParquetSink` until N patients' rows are written,
in chunks of 200 patients as the pool hands them back, and reports the peak RSS at each size,
once with one row group per chunk (``--row-group 1``: how the sink wrote before 0.4.0) and once
with the default row groups. Each size runs in a fresh process, so the peaks do not mix.

    python benchmarks/bench_sink.py --sizes 10000,100000,1000000
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

CHUNK = 200


def _child(base: str, n: int, row_group: int) -> None:
    import resource

    import pyarrow.compute as pc

    from mbc.cohort.local import ParquetSink
    from mbc.cohort.tables import TABLES, read_table

    src = {t: read_table(Path(base), t) for t in TABLES}
    ids = src["patients"].column("patient_id")
    # each table cut into the rows of consecutive 200-patient chunks of the base audit
    chunks = []
    for k in range(0, len(ids), CHUNK):
        keep = ids.slice(k, CHUNK)
        chunks.append({t: src[t].filter(pc.is_in(src[t].column("patient_id"), value_set=keep)) for t in TABLES})
    t0 = time.perf_counter()
    with tempfile.TemporaryDirectory() as out:
        sink = ParquetSink(Path(out), row_group=row_group)
        written = 0
        while written < n:
            for part in chunks:
                sink.write_tables(part)
                written += min(CHUNK, n - written)
                if written >= n:
                    break
        sink.close()
        size = sum(f.stat().st_size for f in Path(out).glob("*.parquet"))
    print(json.dumps({"n": n, "row_group": row_group, "secs": time.perf_counter() - t0,
                      "rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
                      "kb_per_patient": size / n / 1024}))  # fmt: skip


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--sizes", default="10000,100000,1000000")
    ap.add_argument("--base", type=int, default=2000, help="Patients generated and audited once.")
    ap.add_argument("--row-groups", default="1,65536", help="Row-group sizes to compare (1 = one per chunk).")
    ap.add_argument("--child", nargs=3, help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.child:
        _child(args.child[0], int(args.child[1]), int(args.child[2]))
        return
    with tempfile.TemporaryDirectory() as work:
        cohort, base = Path(work) / "cohort.ndjson", Path(work) / "audit"
        mbc = [sys.executable, "-m", "mbc"]
        subprocess.run([*mbc, "synth", "--n", str(args.base), "--seed", "3", "--out", str(cohort)], check=True,
                       capture_output=True)  # fmt: skip
        subprocess.run([*mbc, "audit", str(cohort), "--out", str(base), "--as-of", dt.date(2026, 12, 1).isoformat(),
                        "--no-report", "--no-progress", "--jobs", "1"], check=True, capture_output=True)  # fmt: skip
        print("| patients written | row group | seconds | parent peak RSS MB | Parquet KB/patient |")
        print("|---:|---|---:|---:|---:|")
        for rg in args.row_groups.split(","):
            for n in args.sizes.split(","):
                out = subprocess.run([sys.executable, __file__, "--child", str(base), n, rg], check=True,
                                     capture_output=True, text=True)  # fmt: skip
                r = json.loads(out.stdout)
                label = "one per 200-patient chunk" if r["row_group"] == 1 else f"{r['row_group']} rows"
                print(f"| {r['n']} | {label} | {r['secs']:.1f} | {r['rss_mb']:.0f} | {r['kb_per_patient']:.2f} |",
                      flush=True)  # fmt: skip


if __name__ == "__main__":
    main()
