"""Benchmark: `mbc audit` throughput, memory and output size, side by side in one run:
single process, all cores (--jobs), and Spark local[*]; at several generated cohort sizes.

Not a test. Run (from the repo root, with the audit extra installed):

    python benchmarks/bench_audit.py --sizes 10000,100000 [--jobs N] [--no-spark] [--seed 1]

Each mode runs in a fresh subprocess (`mbc audit ... --no-report`); its wall time, records/s
(patients per second, including process start and, for Spark, JVM start and staging), CPU
time per patient (the process and all its children, workers and JVM included), peak RSS (the
largest single process) and Parquet bytes per patient are reported, with the load average
before and after (the machine may be shared). On a busy machine the wall-clock speed-up of
--jobs says little; the ratio of CPU per patient (single / parallel) is the parallel
efficiency, and jobs × efficiency the speed-up to expect on idle cores.

Targets (issue 15): --jobs ≥ 0.85 × cores × the single-process rate on an idle machine;
throughput flat from 10k to 1M; memory flat; output ≤ 5 KB per patient.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

AS_OF = "2026-12-01"


def _mbc(*args: str) -> list[str]:
    return [sys.executable, "-m", "mbc", *args]


def _run(cmd: list[str]) -> dict[str, Any]:
    """Run one mode in a child process; wall time and peak RSS of the child and its children."""
    code = (
        "import json,resource,subprocess,sys,time;"
        "t=time.perf_counter();r=subprocess.run(sys.argv[1:],capture_output=True,text=True);"
        "s=time.perf_counter()-t;u=resource.getrusage(resource.RUSAGE_CHILDREN);"
        "print(json.dumps({'rc':r.returncode,'secs':s,'err':r.stderr[-400:],"
        "'rss_kb':u.ru_maxrss,'cpu':u.ru_utime+u.ru_stime}))"
    )
    out = subprocess.run([sys.executable, "-c", code, *cmd], capture_output=True, text=True, check=True)
    res = json.loads(out.stdout)
    if res["rc"] != 0:
        raise SystemExit(f"{' '.join(cmd)} failed:\n{res['err']}")
    return res


def _parquet_bytes(out: Path) -> int:
    return sum(f.stat().st_size for f in out.rglob("*.parquet") if "_staging" not in f.parts)


_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def _shift(node: Any, days: int) -> Any:
    """``node`` with every ISO date moved back by ``days``."""
    if isinstance(node, dict):
        return {k: _shift(v, days) for k, v in node.items()}
    if isinstance(node, list):
        return [_shift(v, days) for v in node]
    if isinstance(node, str) and _DATE.match(node):
        return (dt.date.fromisoformat(node) - dt.timedelta(days=days)).isoformat()
    return node


def _fill(base: Path, cohort: Path, n: int) -> None:
    """Write ``n`` records to ``cohort``: the records of ``base``, then copies of them with a
    new id and dates moved back by whole weeks, until there are ``n``."""
    lines = base.read_text().splitlines()
    with cohort.open("w") as out:
        for i in range(n):
            copy, k = divmod(i, len(lines))
            if copy == 0:
                out.write(lines[k] + "\n")
                continue
            rec = _shift(json.loads(lines[k]), 7 * copy)
            rec["id"] = f"{rec['id']}-c{copy}"
            out.write(json.dumps(rec, separators=(",", ":")) + "\n")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--sizes", default="10000", help="Comma-separated cohort sizes.")
    ap.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--no-spark", action="store_true")
    ap.add_argument(
        "--modes",
        default="single,jobs,spark",
        help="Comma-separated modes to run at every size (single, jobs, spark); e.g. `--modes jobs` for a 1M run.",
    )
    ap.add_argument(
        "--distinct",
        type=int,
        default=0,
        help="Generate at most this many distinct records per size and fill the size with copies "
        "that get new ids and all dates moved back by whole weeks (the engine keeps no "
        "per-patient cache, so a copy costs what a new record costs). 0 = all distinct.",
    )
    ap.add_argument(
        "--jobs-only-above",
        type=int,
        default=0,
        help="Above this cohort size run only the --jobs mode (a 1M single-process or Spark run takes "
        "hours on a small machine); 0 = no limit.",
    )
    ap.add_argument("--keep", action="store_true", help="Keep the generated cohorts and outputs.")
    ap.add_argument(
        "--cohort", default=None, help="Use this NDJSON cohort (e.g. from `mbc synth`) instead of generating."
    )
    args = ap.parse_args()
    spark = not args.no_spark and shutil.which("java") is not None
    work = Path(tempfile.mkdtemp(prefix="bench-audit-"))
    print(f"cores {os.cpu_count()}, --jobs {args.jobs}; load average before: {os.getloadavg()}")
    rows: list[dict[str, Any]] = []
    try:
        given = Path(args.cohort) if args.cohort else None
        sizes = [sum(1 for _ in given.open())] if given else [int(s) for s in args.sizes.split(",")]
        for n in sizes:
            cohort = given or work / f"cohort-{n}.ndjson"
            t = time.perf_counter()
            if given:
                print(f"cohort {given}: {n} records")
            else:
                distinct = min(n, args.distinct) if args.distinct else n
                base = work / f"distinct-{distinct}.ndjson"
                if not base.exists():
                    subprocess.run(_mbc("synth", "--n", str(distinct), "--seed", str(args.seed), "--out",
                                        str(base), "--jobs", "0"), check=True, capture_output=True)  # fmt: skip
                _fill(base, cohort, n)
                print(
                    f"generated {n} records ({distinct} distinct) in {time.perf_counter() - t:.0f} s "
                    f"({cohort.stat().st_size / n:.0f} B/record)"
                )
            wanted = set(args.modes.split(","))
            if args.jobs_only_above and n > args.jobs_only_above:
                wanted &= {"jobs"}
            modes = [("single process", ["--jobs", "1"])] if "single" in wanted else []
            if "jobs" in wanted:
                modes.append((f"--jobs {args.jobs}", ["--jobs", str(args.jobs)]))
            if spark and "spark" in wanted:
                modes.append(("spark local[*]", ["--engine", "spark", "--spark-master", "local[*]"]))
            for label, extra in modes:
                out = work / f"out-{n}-{len(rows)}"
                res = _run(_mbc("audit", str(cohort), "--out", str(out), "--as-of", AS_OF, "--no-report",
                                "--no-progress", *extra))  # fmt: skip
                row = {"n": n, "mode": label, "secs": res["secs"], "rate": n / res["secs"],
                       "rss_mb": res["rss_kb"] / 1024,
                    "cpu_ms": 1000 * res["cpu"] / n, "kb_per_patient": _parquet_bytes(out) / n / 1024,
                       "load": os.getloadavg()[0]}  # fmt: skip
                rows.append(row)
                print(
                    f"  {label:16s} {row['secs']:8.1f} s {row['rate']:8.0f} patients/s  peak RSS {row['rss_mb']:6.0f} MB"
                    f"  Parquet {row['kb_per_patient']:.2f} KB/patient  CPU {row['cpu_ms']:.1f} ms/patient"
                    f"  (load {row['load']:.1f})",
                    flush=True,
                )
                shutil.rmtree(out, ignore_errors=not args.keep)
    finally:
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)
    print(f"\nload average after: {os.getloadavg()}")
    print("\n| patients | mode | seconds | patients/s | CPU ms/patient | peak RSS MB | Parquet KB/patient |")
    print("|---:|---|---:|---:|---:|---:|---:|")
    for r in rows:
        print(
            f"| {r['n']} | {r['mode']} | {r['secs']:.1f} | {r['rate']:.0f} | {r['cpu_ms']:.1f} | {r['rss_mb']:.0f} "
            f"| {r['kb_per_patient']:.2f} |"
        )
    for n in sorted({r["n"] for r in rows}):
        one = next((r for r in rows if r["n"] == n and r["mode"] == "single process"), None)
        many = next((r for r in rows if r["n"] == n and r["mode"].startswith("--jobs")), None)
        if one is None or many is None:
            continue
        eff = one["cpu_ms"] / many["cpu_ms"]
        print(
            f"{n}: --jobs {args.jobs} speed-up {many['rate'] / one['rate']:.2f}x measured "
            f"(target ≥ {0.85 * args.jobs:.2f}x on an idle machine); CPU per patient single / "
            f"parallel = {eff:.2f}, so on {args.jobs} idle cores ≈ {args.jobs * eff:.2f}x"
        )


if __name__ == "__main__":
    main()
