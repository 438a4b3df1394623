"""Entry point for ``spark-submit`` (a cluster run of the audit).

``spark-submit [spark options] .../mbc/cohort/spark_job.py COHORT OUT [--as-of DATE] [--kb PATH]
[--no-report]``. The master and resources come from spark-submit; see docs/audit.md.
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from pathlib import Path

__all__ = ["main"]


def main(argv: list[str] | None = None) -> int:
    """Run the audit on the session spark-submit configured; return the exit status."""
    ap = argparse.ArgumentParser(prog="mbc.cohort.spark_job", description=__doc__)
    ap.add_argument("cohort")
    ap.add_argument("out")
    ap.add_argument("--as-of", type=dt.date.fromisoformat, default=None)
    ap.add_argument("--kb", default=None)
    ap.add_argument("--no-report", action="store_true", help="Skip report.html (e.g. when OUT is remote).")
    args = ap.parse_args(argv)
    from mbc.cohort.spark import run_spark  # noqa: PLC0415

    summary = run_spark(args.cohort, args.out, as_of=args.as_of or dt.date.today(), kb_path=args.kb)
    print(f"audited {summary.patients} patients, {summary.lines} lines: {summary.verdicts}", file=sys.stderr)
    if not args.no_report and "://" not in args.out:
        from mbc.cohort.report import write_report  # noqa: PLC0415

        write_report(Path(args.out), source_name=Path(args.cohort).name)
    return 0 if summary.patients else 2


if __name__ == "__main__":
    sys.exit(main())
