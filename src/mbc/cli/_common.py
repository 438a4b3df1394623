"""Shared CLI plumbing: reading input files, reporting errors with exit codes."""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, NoReturn, TypeVar

import click
import yaml

from mbc.bounded import BadInput, loads_bounded, yaml_load_bounded
from mbc.errors import CDSError, InputError, KnowledgeError

__all__ = [
    "DATE",
    "EXIT_INPUT",
    "as_of_option",
    "check_note_length",
    "fail_input",
    "format_option",
    "handle_errors",
    "kb_option",
    "read_structured",
    "read_text",
]

EXIT_INPUT = 2
DATE = click.DateTime(formats=["%Y-%m-%d"])
"""The one date format the commands accept (``--as-of``)."""

_F = TypeVar("_F", bound=Callable[..., Any])
_KB_HELP = "Knowledge base directory (default: the one shipped with mbc)."


def format_option(
    choices: list[str], default: str, text: str | None = "Output format."
) -> Callable[[_F], _F]:
    """``--format`` into ``fmt``: one of ``choices`` (listed in this order in ``--help``);
    ``text`` is its help."""
    return click.option(
        "--format", "fmt", type=click.Choice(choices), default=default, show_default=True, help=text
    )


def as_of_option(text: str | None = None) -> Callable[[_F], _F]:
    """``--as-of YYYY-MM-DD`` into ``as_of`` (a datetime, or None when not given)."""
    return click.option("--as-of", "as_of", type=DATE, default=None, help=text)


def kb_option(text: str | None = _KB_HELP) -> Callable[[_F], _F]:
    """``--kb DIR`` into ``kb_path`` (None: the knowledge base shipped with mbc)."""
    return click.option("--kb", "kb_path", type=click.Path(file_okay=False), default=None, help=text)


def fail_input(message: str, problems: list[str] | None = None) -> NoReturn:
    """Print an input error to stderr and exit 2."""
    click.echo(f"error: {message}", err=True)
    for p in problems or []:
        click.echo(f"  - {p}", err=True)
    sys.exit(EXIT_INPUT)


def read_text(source: str) -> str:
    """Read a file (``-`` = stdin) as text, exiting 2 when it cannot be read."""
    if source == "-":
        return sys.stdin.read()
    path = Path(source)
    try:
        return path.read_text(encoding="utf-8")
    except FileNotFoundError:
        fail_input(f"no such file: {source}")
    except IsADirectoryError:
        fail_input(f"is a directory, not a file: {source}")
    except UnicodeDecodeError:
        fail_input(f"not UTF-8 text: {source}")
    except OSError as exc:
        fail_input(f"cannot read {source}: {exc.strerror}")


NOTE_LIMIT_ENV = "MBC_MAX_NOTE_CHARS"
"""The longest note read, in characters: the API's limit (413 above), the CLI's too (exit 2 above)."""


def check_note_length(text: str | bytes, source: str) -> None:
    """Refuse a note longer than ``$MBC_MAX_NOTE_CHARS`` (default as the API: 20,000 characters)
    before any reading, exiting 2 with the limit and how to raise it."""
    from mbc.service.settings import Settings  # noqa: PLC0415 - only its default is needed

    raw = os.environ.get(NOTE_LIMIT_ENV, "").strip()
    limit = int(Settings.model_fields["max_note_chars"].default)
    if raw:
        if not raw.isdigit() or int(raw) <= 0:
            fail_input(f"{NOTE_LIMIT_ENV} must be a positive whole number of characters, got {raw!r}")
        limit = int(raw)
    size = len(text.decode("utf-8", errors="replace")) if isinstance(text, bytes) else len(text)
    if size > limit:
        fail_input(
            f"{source}: the note is too long ({size:,} characters; the limit is {limit:,}); "
            f"set {NOTE_LIMIT_ENV} to a larger number to read it (reading takes about "
            "0.1-1 s of CPU per 1,000 characters)"
        )


MAX_INPUT_CHARS = 10_000_000
"""Largest record / bundle read by the CLI, in characters (exit 2 above)."""


def read_structured(source: str, *, text: str | None = None) -> Any:
    """Read JSON (or YAML) from a file or stdin, exiting 2 with the position of a syntax error."""
    text = read_text(source) if text is None else text
    if not text.strip():
        fail_input(f"{source}: empty input")
    if len(text) > MAX_INPUT_CHARS:
        fail_input(f"{source}: input too large ({len(text)} characters; the limit is {MAX_INPUT_CHARS})")
    try:
        return loads_bounded(text)
    except BadInput as exc:
        if exc.problem.type != "json_invalid":
            fail_input(f"{source}: {exc}")
        json_error = exc
    try:
        data = yaml_load_bounded(text)
    except BadInput as exc:
        fail_input(f"{source}: {exc}")
    except (yaml.YAMLError, RecursionError):
        data = None
    if isinstance(data, dict):
        return data
    fail_input(f"{source}: not valid JSON ({json_error})")


@contextmanager
def handle_errors() -> Iterator[None]:
    """Turn mbc errors into clean messages and exit codes; never a traceback."""
    try:
        yield
    except InputError as exc:
        fail_input(str(exc).splitlines()[0], [str(p) for p in exc.problems])
    except KnowledgeError as exc:
        click.echo(f"error: {exc}", err=True)
        sys.exit(1)
    except CDSError as exc:  # pragma: no cover - defensive
        click.echo(f"error: {exc}", err=True)
        sys.exit(1)
