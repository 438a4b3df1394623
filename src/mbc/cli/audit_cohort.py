"""``mbc audit cohort``: guideline concordance of a whole cohort (Parquet tables + HTML report)."""

from __future__ import annotations

import datetime as dt
import os
import sys
import time
from pathlib import Path

import click

from mbc.cli._common import as_of_option, fail_input, handle_errors, kb_option

__all__ = ["cohort"]


@click.command("cohort")
@click.argument("source")
@click.option(
    "--out",
    "out_dir",
    type=click.Path(file_okay=False),
    default="audit-out",
    show_default=True,
    help="Directory for patients/lines/findings.parquet and report.html.",
)
@click.option(
    "--engine",
    type=click.Choice(["local", "spark"]),
    default="local",
    show_default=True,
    help="local: all cores of this machine; spark: PySpark (a cluster or local[*]).",
)
@click.option("--jobs", type=int, default=None, help="Worker processes (local engine; default: all cores).")
@click.option(
    "--spark-master",
    default=None,
    help="Spark master URL (default: the session's, or local[*] when none is configured).",
)
@as_of_option("Date for records that give none (default: today).")
@kb_option(None)
@click.option(
    "--trials",
    "trials_path",
    type=click.Path(exists=True),
    default=None,
    help="Trial registry (a .db from `mbc trials load`, or records): eligible trials per patient.",
)
@click.option("--report/--no-report", default=True, show_default=True, help="Write report.html.")
@click.option(
    "--progress/--no-progress",
    default=True,
    show_default=True,
    help="Progress bar on stderr (only when stderr is a terminal).",
)
def cohort(
    source: str, out_dir: str, engine: str, jobs: int | None, spark_master: str | None,
    as_of: dt.datetime | None, kb_path: str | None, trials_path: str | None, report: bool,
    progress: bool,
) -> None:  # fmt: skip
    """Audit the guideline concordance of every patient in SOURCE.

    SOURCE is an NDJSON file or a directory of contract records or FHIR bundles, a .tar.gz
    of bundles, or a FHIR Bulk Data export directory (one NDJSON file per resource type).
    Each metastatic line given is compared with the plan made as of its start. Writes
    patients.parquet, lines.parquet, findings.parquet and report.html to --out; a summary
    goes to stderr. Exit 2 when SOURCE holds no patient.
    """
    from mbc.knowledge import load_kb  # noqa: PLC0415

    with handle_errors():
        kb = load_kb(kb_path)  # fail early, exit 2, on a broken KB
        if trials_path:
            from mbc.cohort.local import load_trials  # noqa: PLC0415

            load_trials(trials_path, kb)  # fail early on an unreadable registry
    remote = "://" in source or "://" in out_dir  # cluster storage: Spark only
    if remote and engine != "spark":
        fail_input("a storage URL (scheme://...) needs --engine spark")
    if not remote and not Path(source).exists():
        fail_input(f"no such file or directory: {source}")
    when = as_of.date() if as_of else dt.date.today()
    n_jobs = jobs if jobs and jobs > 0 else (os.cpu_count() or 1)
    out = out_dir
    t0 = time.perf_counter()
    if engine == "spark":
        from mbc.cohort.spark import run_spark  # noqa: PLC0415

        summary = run_spark(
            source, out, as_of=when, kb_path=kb_path, master=spark_master, trials_path=trials_path
        )
    else:
        from mbc.cohort.local import run_local  # noqa: PLC0415

        summary = run_local(
            source,
            Path(out),
            jobs=n_jobs,
            as_of=when,
            kb_path=kb_path,
            progress=progress,
            trials_path=trials_path,
        )
    secs = time.perf_counter() - t0
    if summary.patients == 0:
        fail_input(f"no patients found in {source}")
    verdicts = ", ".join(f"{k} {v}" for k, v in sorted(summary.verdicts.items())) or "none"
    click.echo(
        f"audited {summary.patients} patients ({summary.invalid} invalid), {summary.lines} metastatic "
        f"lines ({verdicts}) in {secs:.1f} s -> {out}",
        err=True,
    )
    if report and remote:
        click.echo("report: skipped (the output is on cluster storage)", err=True)
    elif report:
        from mbc.cohort.report import write_report  # noqa: PLC0415

        path = write_report(Path(out), source_name=Path(source).name)
        click.echo(f"report: {path}", err=True)
    sys.stdout.flush()
