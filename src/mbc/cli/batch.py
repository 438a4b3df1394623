"""``mbc batch``: plan a cohort (a directory of records, or an NDJSON file) in one run."""

from __future__ import annotations

import datetime as dt
import json
import sys
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import click

from mbc.cli._common import fail_input, handle_errors

__all__ = ["batch"]


def _records(source: Path) -> Iterator[tuple[str, Any]]:
    """(name, decoded object or an error string) for each record in the cohort."""
    if source.is_dir():
        for f in sorted(source.glob("*.json")):
            try:
                yield f.name, json.loads(f.read_text(encoding="utf-8"))
            except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
                yield f.name, f"not readable JSON: {exc}"
        return
    with source.open(encoding="utf-8") as fh:
        for n, line in enumerate(fh, 1):
            if not line.strip():
                continue
            try:
                yield f"line {n}", json.loads(line)
            except json.JSONDecodeError as exc:
                yield f"line {n}", f"not valid JSON: {exc.msg}"


@click.command("batch")
@click.argument("source", type=click.Path(exists=True))
@click.option("--out", type=click.Path(dir_okay=False), default="-", help="NDJSON output ('-' = stdout).")
@click.option("--as-of", "as_of", type=click.DateTime(formats=["%Y-%m-%d"]), default=None)
@click.option("--kb", "kb_path", type=click.Path(file_okay=False), default=None)
@click.option("--region", type=click.Choice(["US", "EU"]), default="US", show_default=True,
              help="Regulatory region: label-based options follow the FDA (US) or EMA (EU).")  # fmt: skip
def batch(source: str, out: str, as_of: dt.datetime | None, kb_path: str | None, region: str) -> None:
    """Plan every record in SOURCE (a directory of *.json or an NDJSON file).

    Writes one JSON line per record: the plan, or {"ok": false, "record": name, "errors": [...]}
    for a record that is invalid (the run goes on). A summary goes to stderr; the exit
    status is 2 when any record was invalid.
    """
    from mbc.engine import plan as make_plan  # noqa: PLC0415
    from mbc.errors import RecordError  # noqa: PLC0415
    from mbc.knowledge import load_kb  # noqa: PLC0415
    from mbc.model import parse_record  # noqa: PLC0415

    with handle_errors():
        kb = load_kb(kb_path)
    sink = sys.stdout if out == "-" else Path(out).open("w", encoding="utf-8")  # noqa: SIM115
    subtypes: Counter[str] = Counter()
    n_ok = n_bad = 0
    try:
        for name, data in _records(Path(source)):
            if isinstance(data, str):
                row: dict[str, Any] = {"ok": False, "record": name, "errors": [{"loc": [], "msg": data}]}
                n_bad += 1
            else:
                try:
                    record = parse_record(data)
                except RecordError as exc:
                    row = {"ok": False, "record": name, "errors": [p.as_dict() for p in exc.problems]}
                    n_bad += 1
                else:
                    when = as_of.date() if as_of else record.as_of or dt.date.today()
                    p = make_plan(record, kb, as_of=when, region=region)
                    row = p.to_json()
                    subtypes[p.classification.subtype] += 1
                    n_ok += 1
            sink.write(json.dumps(row, ensure_ascii=False) + "\n")
    finally:
        if sink is not sys.stdout:
            sink.close()
    summary = ", ".join(f"{k} {v}" for k, v in sorted(subtypes.items()))
    click.echo(f"planned {n_ok} records ({summary}); {n_bad} invalid", err=True)
    if n_bad:
        sys.exit(2)
    if n_ok == 0:
        fail_input("no records found")
