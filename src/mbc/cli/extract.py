"""``mbc extract`` and ``mbc ask``: read FHIR bundles, notes and questions.

``mbc extract FILE`` prints the contract-v1 record read from FILE with a top-level
``provenance`` key (where each fact came from, and what could not be read); the output can
be given straight to ``mbc plan``. ``mbc ask "question"`` reads the question the same way
and answers it with the plan, next step first.

Exit status: 0 success; 2 unreadable input (malformed FHIR names the resource and element;
an empty note says so); 1 internal error. Never a traceback.
"""

from __future__ import annotations

import datetime as dt
import json
from typing import TYPE_CHECKING, Any

import click

from mbc.cli._common import as_of_option, check_note_length, format_option, handle_errors, kb_option

if TYPE_CHECKING:
    from mbc.ingest import Extraction

__all__ = ["extract"]


def _describe_source(src: Any) -> str:
    if not isinstance(src, dict):
        return ""
    rule = src.get("rule", "")
    if src.get("source") == "note" and "span" in src:
        out = f'{rule} "{src.get("text", "")}" @{src["span"][0]}-{src["span"][1]}'
        relative = src.get("relative")
        if isinstance(relative, dict):  # dates computed from a relative phrase
            phrase, anchor = relative.get("phrase"), relative.get("counted_back_from")
            out += f' [dates from "{phrase}", counted back from {anchor}]'
        elif src.get("derived"):
            out += f" [{src['derived']}]"
        return out
    if src.get("derived"):
        return f"{rule} [{src['derived']}]"
    if "resources" in src:
        return f"{rule} {len(src['resources'])} resource(s)"
    return f"{rule} {src.get('resource', '')}.{src.get('element', '')}".strip()


_GROUPS = (
    ("conflicting", "CHECK FIRST - conflicting (the current value is used; the other is shown)"),
    ("uncertain", "CHECK - uncertain"),
    ("inferred", "inferred (derived from other facts or conventions)"),
    ("stated", "stated"),
)


def _highlight(text: str | None, src: Any, width: int = 40) -> str:
    """The note text around a fact's span, the span marked [[like this]]."""
    from mbc.ingest.review import context

    where = context(text, src, width)
    if where is None:
        return ""
    left, mark, right = where
    return f"      ...{left}[[{mark}]]{right}..."


def _fact_lines(rec: dict[str, Any], prov: dict[str, Any]) -> list[tuple[str, str, Any]]:
    """(certainty, line, source) for every fact of the record."""
    from mbc.ingest.review import flatten  # noqa: PLC0415

    out: list[tuple[str, str, Any]] = []
    for path, value in flatten(
        "", {k: v for k, v in rec.items() if k not in ("id", "contract_version", "as_of")}
    ):
        if path == "prior_therapies":
            for i, t in enumerate(value):
                src = prov.get(f"prior_therapies[{i}]")
                until = "ongoing" if t.get("stop_reason") == "ongoing" else "?"
                span = f"{t.get('start', '?')}..{t.get('end', until)}"
                line = (
                    f"  prior_therapies[{i}]: {' + '.join(t['drugs'])} "
                    f"({t.get('setting', 'setting?')}, {span}, {t.get('stop_reason', '-')})"
                    f"    <- {_describe_source(src)}"
                )
                out.append((_certainty(src), line, src))
            continue
        if isinstance(value, list):
            if not value:
                src = prov.get(path)
                out.append(
                    (_certainty(src), f"  {path}: [] (tested, none found)    <- {_describe_source(src)}", src)
                )
            for i, item in enumerate(value):
                src = prov.get(f"{path}[{i}]")
                out.append((_certainty(src), f"  {path}: {item}    <- {_describe_source(src)}", src))
            continue
        src = prov.get(path)
        out.append((_certainty(src), f"  {path}: {value}    <- {_describe_source(src)}", src))
    return out


def _certainty(src: Any) -> str:
    from mbc.ingest.review import certainty  # noqa: PLC0415

    return certainty(src)


def render_extraction_text(extraction: Extraction, source_text: str | None = None) -> str:
    """Plain-text view of an extraction for a clinician to confirm: facts grouped by
    certainty (conflicting and uncertain first), each with where it came from and, for a
    note, the source text with the span marked."""
    rec, prov = extraction.record, extraction.provenance
    lines = [f"record {rec['id']} (from {extraction.kind}, as of {rec.get('as_of')})"]
    facts = _fact_lines(rec, prov)
    not_used = [u for u in extraction.unread if u.get("kind") == "mention_not_used"]
    uncertain = [u for u in not_used if "uncertain" in str(u.get("reason", ""))]
    for key, title in _GROUPS:
        group = [(line, src) for c, line, src in facts if c == key]
        extra = uncertain if key == "uncertain" else []
        if not group and not extra:
            continue
        lines.append(f"{title}:")
        for line, src in group:
            lines.append(line)
            if key == "conflicting" and isinstance(src, dict):
                for old in src.get("superseded", [])[:3]:
                    lines.append(
                        f"      other value: {old.get('value')} "
                        f"({old.get('field', '')} {old.get('text', '')})".rstrip()
                    )
            hl = _highlight(source_text, src)
            if hl and key != "stated":
                lines.append(hl)
        for u in extra:
            lines.append(f'  not recorded (uncertain): {u.get("rule")} "{u.get("text")}"')
            hl = _highlight(source_text, u)
            if hl:
                lines.append(hl)
    other = [u for u in extraction.unread if u not in uncertain]
    if other:
        lines.append("not understood or not used:")
        for item in other:
            what = (
                item.get("value")
                or item.get("display")
                or item.get("code")
                or item.get("text")
                or item.get("reason")
            )
            extra_reason = (
                f" ({item['reason']})"
                if item.get("reason") and (item.get("value") or item.get("text"))
                else ""
            )
            count = f" x{item['count']}" if int(item.get("count", 1)) > 1 else ""
            lines.append(f"  - [{item.get('kind')}] {what}{extra_reason}{count}")
    return "\n".join(lines) + "\n"


@click.command("extract")
@click.argument("file")
@click.option("--from", "kind", type=click.Choice(["fhir", "note", "auto"]), default="auto",
              show_default=True, help="FILE kind; auto: JSON with resourceType is FHIR.")  # fmt: skip
@format_option(["json", "text"], "json")
@as_of_option("Date for ages and durations (default: note date or today).")
@kb_option("Knowledge base directory whose ingest/ and nlp/ files are read.")
def extract(file: str, kind: str, fmt: str, as_of: dt.datetime | None, kb_path: str | None) -> None:
    """Read FILE (a FHIR R4 / mCODE bundle, or a note; '-' reads stdin) into a patient record.

    Prints the contract record with its provenance; exit 2 if FILE cannot be read.
    """
    from mbc.ingest import detect_kind, read_source
    from mbc.ingest import extract as do_extract

    with handle_errors():
        raw = read_source(file)
        if kind == "note" or (kind == "auto" and detect_kind(raw) == "note"):
            check_note_length(raw, file)
        result = do_extract(raw, kind=kind, as_of=as_of.date() if as_of else None, kb=kb_path)  # type: ignore[arg-type]
    if fmt == "json":
        click.echo(json.dumps(result.to_json(), indent=2, ensure_ascii=False))
    else:
        text = raw.decode("utf-8", errors="replace") if result.kind == "note" else None
        click.echo(render_extraction_text(result, text), nl=False)
