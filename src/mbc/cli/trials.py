"""``mbc trials``: match a patient against trials, and manage the local registry.

Usage::

    mbc trials PATIENT.json --registry DIR|DB [--format json|text] [--limit N] [--as-of DATE]
    mbc trials load DIR [--db PATH]
    mbc trials sync --condition "metastatic breast cancer" [--db PATH] [--max-pages N]

``trials`` is a click group whose unknown first argument is taken as the PATIENT of the
(implicit) ``match`` subcommand, so ``mbc trials case.json`` and ``mbc trials match
case.json`` are the same. A patient file literally named ``load`` or ``sync`` must be
given as ``./load``. Exit status: 0 success; 2 invalid input (every problem on stderr).
"""

from __future__ import annotations

import datetime as dt
import json
import sys
from pathlib import Path
from typing import Any

import click

from mbc.cli._common import format_option
from mbc.errors import KnowledgeError, RecordError, TrialSourceError

__all__ = ["trials"]

_DEFAULT_DB = "trials.db"


class _TrialsGroup(click.Group):
    """A group whose unknown first argument is the PATIENT of ``match``."""

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        if args and args[0] not in self.commands and args[0] not in ctx.help_option_names:
            args = ["match", *args]
        return super().parse_args(ctx, args)


@click.group(cls=_TrialsGroup, context_settings={"help_option_names": ["-h", "--help"]})
def trials() -> None:
    """Match a patient against clinical trials (mbc trials PATIENT --registry DIR),
    or load / sync the local trial registry."""


def _fail(message: str, lines: list[str] | None = None) -> None:
    click.echo(f"error: {message}", err=True)
    for line in lines or ():
        click.echo(f"  - {line}", err=True)
    sys.exit(2)


def _read_patient(path: str) -> Any:
    from mbc.model import parse_record

    try:
        text = sys.stdin.read() if path == "-" else Path(path).read_text(encoding="utf-8")
    except OSError as exc:
        _fail(f"cannot read {path}: {exc.strerror or exc}")
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        _fail(f"{path} is not valid JSON: {exc.msg} (line {exc.lineno}, column {exc.colno})")
    try:
        return parse_record(data)
    except RecordError as exc:
        _fail(f"invalid patient record {path}: {exc.args[0]}", [str(p) for p in exc.problems])
    return None  # pragma: no cover - _fail exits


def _dicts(matches: list[Any], near: str | None) -> list[dict[str, Any]]:
    from mbc.render.trials import nearest_sites

    out = []
    for m in matches:
        d = m.to_dict()
        if near:
            d["nearest_sites"] = nearest_sites(d["locations"], near)
        out.append(d)
    return out


def _render_text(rows: list[dict[str, Any]], kb: Any) -> str:
    from mbc.render.trials import fact_label, render_trial_lines

    out: list[str] = []
    for d in rows:
        out += render_trial_lines(d, label=lambda f: fact_label(kb, f))
        out.append("")
    return "\n".join(out)


@trials.command("match")
@click.argument("patient")
@click.option(
    "--registry",
    "registry_path",
    required=True,
    help="Directory of trial records, or a registry .db file.",
)
@format_option(["json", "text"], "json", None)
@click.option("--limit", type=click.IntRange(min=1), default=None, help="Show only the N best trials.")
@click.option(
    "--as-of",
    "as_of",
    default=None,
    help="Assessment date YYYY-MM-DD (default: record's as_of, else today).",
)
@click.option("--kb", "kb_path", default=None, help="Knowledge base directory.")
@click.option(
    "--status",
    "statuses",
    multiple=True,
    help="Only trials with this recruitment status (repeatable), e.g. RECRUITING.",
)
@click.option("--query", default=None, help="Only trials a full-text (FTS5) query finds, e.g. 'PIK3CA'.")
@click.option("--all", "show_all", is_flag=True, help="Also list excluded trials (slower: no prefilter).")
@click.option(
    "--near", default=None, help="A place (city, state, country): list the trial's sites that name it."
)
def match_cmd(
    patient: str,
    registry_path: str,
    fmt: str,
    limit: int | None,
    as_of: str | None,
    kb_path: str | None,
    statuses: tuple[str, ...],
    query: str | None,
    show_all: bool,
    near: str | None,
) -> None:
    """Match PATIENT (a contract-v1 JSON record; - reads stdin) against the registry.

    Lists eligible trials, then possible ones (a criterion depends on a fact the record
    lacks; the fact that would settle it is named); excluded trials only with --all."""
    from mbc.knowledge.loader import load_kb
    from mbc.trials import load_registry, match_registry

    record = _read_patient(patient)
    if as_of is not None:
        try:
            when = dt.date.fromisoformat(as_of)
        except ValueError:
            _fail(f"--as-of must be a date YYYY-MM-DD, got {as_of!r}")
    else:
        when = record.as_of or dt.date.today()
    try:
        kb = load_kb(kb_path)
        registry = load_registry(registry_path, kb=kb)
    except (TrialSourceError, KnowledgeError) as exc:
        _fail(str(exc))
    try:
        matches = match_registry(
            registry, record, kb=kb, as_of=when, limit=limit,
            statuses=statuses or None, query=query, include_excluded=show_all,
        )  # fmt: skip
    except TrialSourceError as exc:
        _fail(str(exc))
    rows = _dicts(matches, near)
    if fmt == "json":
        click.echo(json.dumps(rows, indent=2, ensure_ascii=False))
    else:
        click.echo(_render_text(rows, kb))


@trials.command("load")
@click.argument("source", type=click.Path(exists=True))
@click.option("--db", "db_path", default=_DEFAULT_DB, show_default=True, help="SQLite registry to write.")
@click.option(
    "--jobs", type=click.IntRange(min=1), default=None, help="Parser processes (default: all cores)."
)
def load_cmd(source: str, db_path: str, jobs: int | None) -> None:
    """Read trial records from SOURCE (directory or file) into the SQLite registry.

    Re-loading is incremental: unchanged records are skipped, and each distinct
    eligibility text is parsed once."""
    from mbc.trials import Registry, read_path

    try:
        reg = Registry(db_path, jobs=jobs)
        n = reg.add(read_path(source))
    except (TrialSourceError, KnowledgeError) as exc:
        _fail(str(exc))
    click.echo(f"loaded {n} trials into {db_path} ({reg.written} new or changed; {len(reg)} in total)")


@trials.command("sync")
@click.option("--condition", required=True, help='Condition to search, e.g. "metastatic breast cancer".')
@click.option("--db", "db_path", default=_DEFAULT_DB, show_default=True, help="SQLite registry to write.")
@click.option("--page-size", type=click.IntRange(1, 1000), default=100, show_default=True)
@click.option("--max-pages", type=click.IntRange(min=1), default=None, help="Stop after N pages (resumable).")
@click.option("--restart", is_flag=True, help="Ignore a saved page token and start from the first page.")
@click.option(
    "--full", is_flag=True, help="Fetch every study, not only those updated since the last complete sync."
)
def sync_cmd(
    condition: str, db_path: str, page_size: int, max_pages: int | None, restart: bool, full: bool
) -> None:
    """Fetch trials for a condition from the ClinicalTrials.gov API v2 (needs network)."""
    from rich.progress import Progress

    from mbc.trials import Registry, sync_registry

    reg = Registry(db_path)
    with Progress(transient=True) as bar:
        task = bar.add_task(f"ClinicalTrials.gov: {condition}", total=None)

        def progress(done: int, total: int | None) -> None:
            bar.update(task, completed=done, total=total)

        try:
            report = sync_registry(
                reg,
                condition=condition,
                page_size=page_size,
                max_pages=max_pages,
                resume=not restart,
                progress=progress,
                incremental=not full,
            )
        except (TrialSourceError, KnowledgeError) as exc:
            _fail(str(exc))
    state = "complete" if report.complete else "paused (run again to resume)"
    click.echo(f"fetched {report.trials} trials in {report.pages} pages; {state}; {len(reg)} in {db_path}")
