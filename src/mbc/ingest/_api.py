"""The public entry point of :mod:`mbc.ingest`."""

from __future__ import annotations

import datetime as dt
import json
import sys
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from mbc.errors import FHIRMappingError, IngestError, NoteExtractionError, Problem

if TYPE_CHECKING:
    from mbc.ingest._extraction import Extraction

__all__ = ["detect_kind", "extract", "read_source"]

Kind = Literal["fhir", "note", "auto"]


def detect_kind(source: str | bytes | Mapping[str, Any]) -> Literal["fhir", "note"]:
    """Guess the kind of a source: JSON with a ``resourceType`` is FHIR, anything else a note.

    Args:
        source: The source text, bytes or decoded JSON.

    Returns:
        ``"fhir"`` or ``"note"``.
    """
    if isinstance(source, Mapping):
        return "fhir"
    text = source.decode("utf-8", errors="replace") if isinstance(source, bytes) else source
    stripped = text.lstrip()
    if stripped.startswith("{"):
        try:
            doc = json.loads(stripped)
        except json.JSONDecodeError:
            return "note"
        if isinstance(doc, Mapping) and "resourceType" in doc:
            return "fhir"
    return "note"


def _as_text(source: str | bytes) -> str:
    if isinstance(source, bytes):
        try:
            return source.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise IngestError(
                "the input is not UTF-8 text",
                [Problem(("input",), f"undecodable byte at offset {exc.start}", "decode_error")],
            ) from None
    return source


def extract(
    source: str | bytes | Mapping[str, Any],
    *,
    kind: Kind = "auto",
    as_of: dt.date | None = None,
) -> Extraction:
    """Read a FHIR bundle, a note or a question into a contract-v1 record.

    Args:
        source: FHIR JSON (text, bytes or decoded dict), or note text.
        kind: ``"fhir"``, ``"note"`` or ``"auto"`` (JSON with ``resourceType`` is FHIR).
        as_of: The date ages and durations are computed against; for notes, a date
            written in the note header wins. Default: today.

    Returns:
        The extraction: ``record``, ``provenance``, ``unread``.

    Raises:
        FHIRMappingError: Malformed FHIR (names resource and element).
        NoteExtractionError: An empty note.
        IngestError: Undecodable input.
    """
    resolved = detect_kind(source) if kind == "auto" else kind
    if resolved == "fhir":
        from mbc.ingest.fhir import read_bundle

        if isinstance(source, Mapping):
            doc: Any = source
        else:
            text = _as_text(source)
            try:
                doc = json.loads(text)
            except json.JSONDecodeError as exc:
                raise FHIRMappingError(
                    "the FHIR input is not valid JSON",
                    [Problem(("json",), f"line {exc.lineno} column {exc.colno}: {exc.msg}", "json")],
                ) from None
        return read_bundle(doc, as_of=as_of or dt.date.today())
    if isinstance(source, Mapping):
        raise NoteExtractionError(
            "a note must be text", [Problem(("note",), "got a JSON object", "type_error")]
        )
    from mbc.ingest.notes import read_note

    return read_note(_as_text(source), as_of=as_of)


def read_source(path: str) -> bytes:
    """Read a file (``-`` = stdin) for :func:`extract`.

    Args:
        path: A file path or ``-``.

    Returns:
        The raw bytes.

    Raises:
        IngestError: If the file cannot be read.
    """
    if path == "-":
        return sys.stdin.buffer.read()
    try:
        return Path(path).read_bytes()
    except OSError as exc:
        raise IngestError(
            f"cannot read {path}", [Problem(("file",), exc.strerror or str(exc), "io_error")]
        ) from None
