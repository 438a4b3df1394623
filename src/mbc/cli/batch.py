"""``mbc batch``: plan a cohort (a directory of records, or an NDJSON file) in one run,
on one or all cores."""

from __future__ import annotations

import datetime as dt
import json
import os
import sys
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import click

from mbc.cli._common import as_of_option, fail_input, handle_errors, kb_option

__all__ = ["batch"]

_STATE: dict[str, Any] = {}
_CHUNK = 100


def _records(source: Path) -> Iterator[tuple[str, str | bytes]]:
    """(name, raw JSON text) for each record in the cohort, in order."""
    if source.is_dir():
        for f in sorted(source.glob("*.json")):
            try:
                yield f.name, f.read_bytes()
            except OSError as exc:
                yield f.name, f"\0not readable: {exc}"
        return
    with source.open("rb") as fh:
        for n, line in enumerate(fh, 1):
            if line.strip():
                yield f"line {n}", line


def _init(kb_path: str | None, as_of: dt.date | None, compact: bool, region: str = "US") -> None:
    from mbc.knowledge import load_kb  # noqa: PLC0415

    _STATE.update(kb=load_kb(kb_path), as_of=as_of, compact=compact, region=region)


def _compact(p: Any, name: str) -> str:
    options: dict[str, list[str]] = {"preferred": [], "other": [], "certain_circumstances": []}
    for o in p.options:
        options[o.category].append(o.id)
    row = {
        "record": name, "patient_id": p.patient_id, "subtype": p.classification.subtype,
        "line": p.classification.line, "options": options,
        "not_recommended": [n.id for n in p.not_recommended],
        "alerts": sorted({a.code for a in p.alerts}),
        "missing": [m.field for m in p.missing_information],
    }  # fmt: skip
    return json.dumps(row, ensure_ascii=False, separators=(",", ":"))


def _plan_one(name: str, raw: str | bytes) -> tuple[str, str | None]:
    """(output line, subtype or None when the record is invalid)."""
    from mbc.engine import plan as make_plan  # noqa: PLC0415
    from mbc.errors import RecordError  # noqa: PLC0415
    from mbc.model import parse_record  # noqa: PLC0415

    def bad(errors: list[dict[str, Any]]) -> tuple[str, None]:
        return json.dumps({"ok": False, "record": name, "errors": errors}, ensure_ascii=False), None

    if isinstance(raw, str) and raw.startswith("\0"):
        return bad([{"loc": [], "msg": raw[1:]}])
    try:
        data = json.loads(raw)
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        return bad([{"loc": [], "msg": f"not valid JSON: {getattr(exc, 'msg', exc)}"}])
    try:
        record = parse_record(data)
    except RecordError as exc:
        return bad([p.as_dict() for p in exc.problems])
    as_of: dt.date | None = _STATE["as_of"]
    when = as_of or record.as_of or dt.date.today()
    p = make_plan(record, _STATE["kb"], as_of=when, region=_STATE["region"])
    text = _compact(p, name) if _STATE["compact"] else p.model_dump_json()
    return text, p.classification.subtype


def _plan_chunk(items: list[tuple[str, str | bytes]]) -> list[tuple[str, str | None]]:
    return [_plan_one(name, raw) for name, raw in items]


@click.command("batch")
@click.argument("source", type=click.Path(exists=True))
@click.option("--out", type=click.Path(dir_okay=False), default="-", help="NDJSON output ('-' = stdout).")
@as_of_option()
@kb_option(None)
@click.option(
    "--jobs",
    type=int,
    default=1,
    show_default=True,
    help="Worker processes (0 = all cores); output order does not depend on it.",
)
@click.option("--compact", is_flag=True,
              help="One small JSON line per patient: ids, subtype, line, option ids by category, "
                   "not-recommended ids, alert codes, missing fields.")  # fmt: skip
@click.option("--region", type=click.Choice(["US", "EU"]), default="US", show_default=True,
              help="Regulatory region: label-based options follow the FDA (US) or EMA (EU).")  # fmt: skip
def batch(source: str, out: str, as_of: dt.datetime | None, kb_path: str | None, jobs: int,
          compact: bool, region: str) -> None:  # fmt: skip
    """Plan every record in SOURCE (a directory of *.json or an NDJSON file).

    Writes one JSON line per record: the plan (or its --compact summary), or
    {"ok": false, "record": name, "errors": [...]} for a record that is invalid (the run goes
    on). A summary goes to stderr; the exit status is 2 when any record was invalid.
    """
    from mbc.cohort.local import chunks, run_pool  # noqa: PLC0415
    from mbc.knowledge import load_kb  # noqa: PLC0415

    with handle_errors():
        load_kb(kb_path)
    n_jobs = jobs if jobs > 0 else (os.cpu_count() or 1)
    sink = sys.stdout if out == "-" else Path(out).open("w", encoding="utf-8")  # noqa: SIM115
    subtypes: Counter[str] = Counter()
    n_ok = n_bad = 0
    when = as_of.date() if as_of else None
    try:
        for results in run_pool(_plan_chunk, chunks(_records(Path(source)), _CHUNK), jobs=n_jobs,
                                initializer=_init, initargs=(kb_path, when, compact, region)):  # fmt: skip
            for text, subtype in results:
                sink.write(text + "\n")
                if subtype is None:
                    n_bad += 1
                else:
                    subtypes[subtype] += 1
                    n_ok += 1
    finally:
        if sink is not sys.stdout:
            sink.close()
    summary = ", ".join(f"{k} {v}" for k, v in sorted(subtypes.items()))
    click.echo(f"planned {n_ok} records ({summary}); {n_bad} invalid", err=True)
    if n_bad:
        sys.exit(2)
    if n_ok == 0:
        fail_input("no records found")
