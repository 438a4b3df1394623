"""``mbc plan``: the plan for one patient record (contract §2)."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import click

from mbc.cli._common import (
    as_of_option,
    check_note_length,
    fail_input,
    format_option,
    handle_errors,
    kb_option,
    read_structured,
    read_text,
)

__all__ = ["plan"]


def _record_from(
    source: str | None, fhir: str | None, note: str | None, as_of: dt.date | None, kb_path: str | None = None
) -> Any:
    given = [x for x in (source, fhir, note) if x]
    if len(given) != 1:
        fail_input("give exactly one of FILE, --fhir FILE or --note FILE")
    if source:
        text = read_text(source)
        if _looks_like_note(source, text):
            check_note_length(text, source)
            return _extract(text, "note", as_of, kb_path)
        data = read_structured(source, text=text)
        if isinstance(data, dict) and "resourceType" in data:  # a FHIR resource / bundle
            return _extract(data, "fhir", as_of, kb_path)
        return data
    if fhir:
        return _extract(read_structured(fhir), "fhir", as_of, kb_path)
    text = read_text(note or "-")
    check_note_length(text, note or "-")
    return _extract(text, "note", as_of, kb_path)


def _looks_like_note(source: str, text: str) -> bool:
    """Free text (a note or a question) rather than a JSON/YAML record."""
    stripped = text.lstrip()
    if source.lower().endswith((".txt", ".md", ".note")):
        return True
    return bool(stripped) and stripped[0] not in "{[" and ":" not in stripped.split("\n", 1)[0]


def _extract(source: Any, kind: str, as_of: dt.date | None, kb_path: str | None = None) -> Any:
    from mbc.ingest import extract  # noqa: PLC0415 - optional extra, loaded on demand

    # --kb applies to reading the note / bundle too
    return extract(source, kind=kind, as_of=as_of, kb=kb_path).record  # type: ignore[arg-type]


@click.command("plan")
@click.argument("file", required=False)
@format_option(["json", "text", "markdown"], "json")
@click.option("--audience", type=click.Choice(["clinician", "patient"]), default="clinician",
              show_default=True, help="'patient' prints the plan in plain words.")  # fmt: skip
@as_of_option("Plan date (default: the record's as_of, else today).")
@click.option("--fhir", type=str, default=None, help="Read a FHIR R4 / mCODE bundle instead.")
@click.option("--note", type=str, default=None, help="Read a free-text note instead.")
@kb_option()
@click.option("--region", type=click.Choice(["US", "EU"]), default="US", show_default=True,
              help="Regulatory region: label-based options follow the FDA (US) or EMA (EU).")  # fmt: skip
@click.option("--trials", "registry", type=click.Path(), default=None,
              help="Also match clinical trials from this registry (directory or SQLite db).")  # fmt: skip
def plan(
    file: str | None,
    fmt: str,
    audience: str,
    as_of: dt.datetime | None,
    fhir: str | None,
    note: str | None,
    kb_path: str | None,
    region: str,
    registry: str | None,
) -> None:
    """Make the plan for one patient record FILE (JSON or YAML; '-' reads stdin).

    Exit status 0 on success, 2 on invalid input (every bad field is named).
    """
    from mbc.engine import plan as make_plan
    from mbc.knowledge import load_kb
    from mbc.model import parse_record

    with handle_errors():
        when = as_of.date() if as_of else None
        data = _record_from(file, fhir, note, when, kb_path)
        record = parse_record(data)
        kb = load_kb(kb_path)
        when = when or record.as_of or dt.date.today()  # the CLI is the only place with a clock
        result = make_plan(record, kb, as_of=when, region=region)
        if registry:
            result = _with_trials(result, record, kb, registry, when)
    if audience == "patient":
        from mbc.render.patient import render_patient_text

        click.echo(render_patient_text(result, kb))
        return
    if fmt == "json":
        click.echo(json.dumps(result.to_json(), indent=2, ensure_ascii=False))
    elif fmt == "markdown":
        from mbc.render.text import render_markdown

        click.echo(render_markdown(result, kb), nl=False)
    else:
        from mbc.render.text import render_text

        click.echo(render_text(result, kb), nl=False)


def _with_trials(result: Any, record: Any, kb: Any, registry: str, when: dt.date) -> Any:
    from mbc.trials import load_registry, match_registry  # noqa: PLC0415

    reg = load_registry(registry, kb=kb)
    matches = match_registry(reg, record, kb=kb, as_of=when, limit=20)  # streams; no excluded
    return result.model_copy(update={"trials": [m.to_dict() for m in matches]})
