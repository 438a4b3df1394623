"""Helpers the note-reading tests share."""

from __future__ import annotations

from typing import Any

ABSENT: Any = object()
"""What :func:`get_path` returns for a field the record does not give."""


def get_path(record: dict[str, Any], path: str) -> Any:
    """The value at a dotted path of a record read from text (``tumor.er_percent``), or
    :data:`ABSENT` when any part of the path is missing."""
    value: Any = record
    for key in path.split("."):
        if not isinstance(value, dict) or key not in value:
            return ABSENT
        value = value[key]
    return value
