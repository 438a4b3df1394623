"""``mbc synth``: write a realistic synthetic cohort of valid contract records."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import click

from mbc.cli._common import fail_input, handle_errors, kb_option

__all__ = ["synth"]


@click.command("synth")
@click.option("--n", "n", type=click.IntRange(min=1), required=True, help="Number of records.")
@click.option("--seed", type=int, default=0, show_default=True, help="Same seed, same cohort.")
@click.option("--out", type=click.Path(dir_okay=False), default="-", help="NDJSON output ('-' = stdout).")
@click.option(
    "--inject-discordance",
    "discordance",
    type=click.FloatRange(0, 1),
    default=0.0,
    show_default=True,
    help="Probability that a metastatic line gets a regimen its plan did not offer.",
)
@click.option(
    "--truth",
    type=click.Path(dir_okay=False),
    default=None,
    help="Ground-truth NDJSON (one row per line given); default <out>.truth.ndjson when --out is a file.",
)
@click.option("--jobs", type=int, default=1, show_default=True, help="Worker processes (0 = all cores).")
@kb_option(None)
def synth(n: int, seed: int, out: str, discordance: float, truth: str | None, jobs: int,
          kb_path: str | None) -> None:  # fmt: skip
    """Write N synthetic metastatic breast cancer records (NDJSON, contract v1).

    The subtype, biomarker, line and missing-data mix follows knowledge/synth/epidemiology.yaml
    (published epidemiology, marked as estimates); each line's therapy is taken from the plan
    made as of its start. --inject-discordance RATE gives some lines a regimen their plan did
    not offer, listed in the ground-truth file, so `mbc audit` can be scored on them.
    """
    from mbc.cohort._epi import load_epidemiology  # noqa: PLC0415
    from mbc.cohort.synth_run import write_cohort  # noqa: PLC0415
    from mbc.knowledge import load_kb  # noqa: PLC0415

    with handle_errors():
        load_epidemiology(load_kb(kb_path))
    if truth is None and out != "-":
        truth = str(Path(out).with_suffix("")) + ".truth.ndjson"
    if out == "-" and truth == "-":
        fail_input("--truth cannot also be stdout")
    n_jobs = jobs if jobs > 0 else (os.cpu_count() or 1)
    sink = sys.stdout if out == "-" else Path(out).open("w", encoding="utf-8")  # noqa: SIM115
    truth_sink = None if truth is None else Path(truth).open("w", encoding="utf-8")  # noqa: SIM115
    try:
        injected = write_cohort(n, seed=seed, out=sink, truth=truth_sink, discordance=discordance,
                                jobs=n_jobs, kb_path=kb_path)  # fmt: skip
    finally:
        if sink is not sys.stdout:
            sink.close()
        if truth_sink is not None:
            truth_sink.close()
    msg = f"wrote {n} records (seed {seed})"
    if truth:
        msg += f"; {injected} injected discordances; ground truth: {truth}"
    click.echo(msg, err=True)
