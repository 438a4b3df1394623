"""The public entry point of :mod:`mbc.ingest`."""

from __future__ import annotations

import codecs
import contextlib
import datetime as dt
import gc
import json
import sys
from collections.abc import Iterator, Mapping
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
    return "fhir" if _looks_like_fhir(source) else "note"


def _looks_like_fhir(source: str | bytes) -> bool:
    """JSON object text naming a ``resourceType`` near its start (a byte-order mark is
    allowed). Broken JSON that looks like FHIR is still FHIR, so its error is reported
    instead of the text being read as a note; nothing is parsed here."""
    head = source[:4096]
    text = head.decode("utf-8", errors="replace") if isinstance(head, bytes) else head
    stripped = text.lstrip("\ufeff \t\r\n")
    return stripped.startswith("{") and '"resourceType"' in stripped


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


@contextlib.contextmanager
def _gc_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector while a bundle is parsed and mapped.

    A multi-megabyte bundle is a graph of ~10^5 dicts and lists; building it triggers full
    (generation 2) collections that each walk the whole graph, which made the worst bundle
    ~10x slower than its median. Nothing here creates reference cycles, so reference
    counting frees the graph when the caller drops it. The previous state is restored.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def _parse_json(source: str | bytes) -> Any:
    """Decode FHIR JSON (orjson when installed: it reads UTF-8 bytes without a copy)."""
    raw: str | bytes = source
    if isinstance(raw, bytes) and raw.startswith(codecs.BOM_UTF8):
        raw = raw[len(codecs.BOM_UTF8) :]
    try:
        import orjson
    except ImportError:  # pragma: no cover - orjson is an optional speed-up
        pass
    else:
        try:
            return orjson.loads(raw)
        except orjson.JSONDecodeError as exc:
            if isinstance(raw, bytes):
                _as_text(raw)  # undecodable input is reported as such
            raise FHIRMappingError(
                "the FHIR input is not valid JSON",
                [Problem(("json",), f"line {exc.lineno} column {exc.colno}: {exc.msg}", "json")],
            ) from None
    try:
        return json.loads(_as_text(raw))
    except json.JSONDecodeError as exc:
        raise FHIRMappingError(
            "the FHIR input is not valid JSON",
            [Problem(("json",), f"line {exc.lineno} column {exc.colno}: {exc.msg}", "json")],
        ) from None


def extract(
    source: str | bytes | Mapping[str, Any],
    *,
    kind: Kind = "auto",
    as_of: dt.date | None = None,
    kb: str | Path | None = None,
    assume: bool = False,
) -> Extraction:
    """Read a FHIR bundle, a note or a question into a contract-v1 record.

    Args:
        source: FHIR JSON (text, bytes or decoded dict), or note text.
        kind: ``"fhir"``, ``"note"`` or ``"auto"`` (JSON with ``resourceType`` is FHIR).
        as_of: The date ages and durations are computed against; for notes, a date
            written in the note header wins. Default: today.
        kb: The knowledge directory to read the vocabularies and rule packs from
            (``--kb``); default ``$MBC_KB_PATH`` or the packaged one.
        assume: Notes: also record the facts an inference only assumes (those of
            ``knowledge/nlp/inferences.yaml`` with an ``assumption``, e.g. visceral crisis
            from a bilirubin multiple); by default they are listed in ``unread`` (kind
            ``inference``) for the clinician to confirm. ``mbc ask`` assumes and states them.

    Returns:
        The extraction: ``record``, ``provenance``, ``unread``.

    Raises:
        FHIRMappingError: Malformed FHIR (names resource and element).
        NoteExtractionError: An empty note.
        IngestError: Undecodable input.
    """
    from mbc.ingest._data import using_kb

    with using_kb(kb):
        return _extract(source, kind, as_of, assume)


def _extract(
    source: str | bytes | Mapping[str, Any], kind: Kind, as_of: dt.date | None, assume: bool = False
) -> Extraction:
    resolved = detect_kind(source) if kind == "auto" else kind
    if resolved == "fhir":
        from mbc.ingest.fhir import read_bundle

        with _gc_paused():
            doc: Any = source if isinstance(source, Mapping) else _parse_json(source)
            result = read_bundle(doc, as_of=as_of or dt.date.today())
            del doc  # free the parsed graph before the collector runs again
        return result
    if isinstance(source, Mapping):
        raise NoteExtractionError(
            "a note must be text", [Problem(("note",), "got a JSON object", "type_error")]
        )
    from mbc.ingest.notes import read_note

    return read_note(_as_text(source), as_of=as_of, assume=assume)


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
