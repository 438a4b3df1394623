"""A ``history`` bundle's current resources (FHIR R4 http.html#history).

A history bundle lists every version of each resource, newest first ("sorted with oldest
versions last"), and a deletion as an entry with ``request.method`` DELETE and no resource.
Only the newest entry of each resource says what is true now: older versions are not read,
and a resource whose newest entry deletes it is not read at all. Each entry left out is
returned with why, for the extraction's ``unread`` list.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

__all__ = ["current_entries"]

_HISTORY = re.compile(r"/_history(?:/[^/?#]*)?$")


def _key(entry: Mapping[str, Any]) -> str | None:
    """``Type/id`` of an entry: its resource's, else its request URL's or full URL's."""
    res = entry.get("resource")
    if isinstance(res, Mapping) and isinstance(res.get("resourceType"), str) and res.get("id"):
        return f"{res['resourceType']}/{res['id']}"
    request = entry.get("request")
    for url in (request.get("url") if isinstance(request, Mapping) else None, entry.get("fullUrl")):
        if isinstance(url, str):
            parts = _HISTORY.sub("", url.split("?", 1)[0]).rstrip("/").split("/")
            if len(parts) >= 2 and parts[-2][:1].isupper() and parts[-1]:
                return f"{parts[-2]}/{parts[-1]}"
    return None


def _deletes(entry: Mapping[str, Any]) -> bool:
    request = entry.get("request")
    return isinstance(request, Mapping) and str(request.get("method") or "").upper() == "DELETE"


def current_entries(entries: list[Any]) -> tuple[list[Any], list[dict[str, Any]]]:
    """The entries of a history bundle that give a resource's current version, and a note
    for each entry left out (an older version; a resource deleted since)."""
    newest: dict[str, Mapping[str, Any]] = {}
    kept: list[Any] = []
    dropped: list[dict[str, Any]] = []
    for entry in entries:
        key = _key(entry) if isinstance(entry, Mapping) else None
        if key is None:
            kept.append(entry)  # nothing names it: read as it is
            continue
        first = newest.setdefault(key, entry)
        if first is not entry:
            if entry.get("resource") is not None:
                why = "deleted later in the history" if _deletes(first) else "an older version in the history"
                dropped.append({"kind": "superseded_version", "resource": key, "reason": why})
            continue
        if not _deletes(entry):
            kept.append(entry)
    return kept, dropped
