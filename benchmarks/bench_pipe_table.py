"""Timing of the note reader on a generated pipe-table treatment history (session 11).

A note that is one long "|" table (an EMR print-out: drug | dose | start | stop | reason) has
one course per row. Reading it should take time about proportional to its rows: the run
prints the milliseconds per row at 25, 50, 100 and 200 rows, and the ratio of the largest to
the smallest (near 1 is linear; the pairwise row comparisons it guards against gave about 8x
at 200 rows). Timings are reported, never asserted in tests.

Usage::

    python benchmarks/bench_pipe_table.py [--rows 50 100 200 400] [--shapes dated list] [--repeat 3]
"""

from __future__ import annotations

import argparse
import datetime as dt
import statistics
import time

AS_OF = dt.date(2026, 11, 20)
# generic drug names from the knowledge base's drug list; rows cycle through them
_DRUGS = (
    "letrozole", "anastrozole", "exemestane", "fulvestrant", "tamoxifen", "capecitabine",
    "paclitaxel", "docetaxel", "eribulin", "gemcitabine", "carboplatin", "vinorelbine",
)
_REASONS = ("progression", "toxicity", "completed", "patient choice")


def pipe_table(rows: int, shape: str = "dated") -> str:
    """A note holding a "|" table of ``rows`` rows: ``dated`` (drug | dose | start | stop |
    reason, one course a row) or ``list`` (drug | dose | frequency: an undated medication list,
    read as one clause of many items)."""
    if shape == "list":
        head = ["Medications (EMR export):", "Drug | Dose | Frequency"]
        body = [f"{_DRUGS[i % len(_DRUGS)]} | {50 + i} mg | daily" for i in range(rows)]
        return "\n".join(head + body) + "\n"
    lines = ["TREATMENT HISTORY (EMR export)", "Drug | Dose | Start | Stop | Reason", "---|---|---|---|---"]
    for i in range(rows):
        year, month = 1990 + i // 12, i % 12 + 1
        end = month + 1 if month < 12 else 12
        lines.append(
            f"{_DRUGS[i % len(_DRUGS)]} | {50 + i % 7 * 25} mg | {month:02d}/{year} | {end:02d}/{year} | "
            f"{_REASONS[i % len(_REASONS)]}"
        )
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, nargs="+", default=[50, 100, 200, 400])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--shapes", nargs="+", choices=["dated", "list"], default=["dated", "list"])
    args = parser.parse_args(argv)
    from mbc.ingest import extract

    extract(pipe_table(5), kind="note", as_of=AS_OF)  # warm-up: knowledge loaded and compiled
    for shape in args.shapes:
        per_row = []
        for n in args.rows:
            text = pipe_table(n, shape)
            times = []
            for _ in range(args.repeat):
                t0 = time.perf_counter()
                got = extract(text, kind="note", as_of=AS_OF)
                times.append((time.perf_counter() - t0) * 1000)
            ms = statistics.median(times)
            per_row.append(ms / n)
            lines = len(got.record.get("prior_therapies") or [])
            print(f"{shape:5s} rows={n:4d} chars={len(text):6d} median={ms:8.1f} ms per_row={ms / n:6.2f} ms courses={lines}")
        print(f"{shape:5s} per-row ratio largest/smallest: {per_row[-1] / per_row[0]:.2f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
