"""Dotted field paths into a plain (JSON-shaped) record: ``tumor.er_percent``."""

from __future__ import annotations

from typing import Any

__all__ = ["get_path"]


def get_path(record: dict[str, Any], path: str, absent: Any = None) -> Any:
    """The value at ``path`` in ``record``, or ``absent`` when any part of the path is
    missing (or a part above it is not a mapping)."""
    node: Any = record
    for key in path.split("."):
        if not isinstance(node, dict) or key not in node:
            return absent
        node = node[key]
    return node
