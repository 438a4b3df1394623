"""What a clinician checks before planning: the facts of an extraction grouped by certainty.

The view model shared by ``mbc extract --format text`` and the web paste flow ("Read, then
let me check the facts"): conflicting facts first, then uncertain ones (and the mentions left
out as uncertain), then facts only assumed by an inference (listed in ``unread``, not
recorded), then inferred and stated facts. Each row carries, for a note, the source text
around the fact with the span apart (``before`` / ``mark`` / ``after``), so a view can
highlight it without re-reading the note.

.. versionadded:: 0.3
"""

from __future__ import annotations

from typing import Any

from mbc.ingest._extraction import Extraction

__all__ = ["GROUPS", "context", "fact_rows", "flatten", "review"]

GROUPS: tuple[tuple[str, str], ...] = (
    ("conflicting", "Check first - conflicting (the current value is used; the other is shown)"),
    ("uncertain", "Check - uncertain (not recorded as a fact)"),
    ("assumed", "Check - would be assumed (not recorded unless you confirm it)"),
    ("inferred", "Inferred (derived from other facts or conventions)"),
    ("stated", "Stated"),
)
_META = ("id", "contract_version", "as_of")


def flatten(prefix: str, value: Any) -> list[tuple[str, Any]]:
    """``(dotted path, value)`` for every leaf of nested dicts (lists are leaves)."""
    if isinstance(value, dict):
        out: list[tuple[str, Any]] = []
        for k, v in value.items():
            out.extend(flatten(f"{prefix}.{k}" if prefix else k, v))
        return out
    return [(prefix, value)]


def certainty(src: Any) -> str:
    """A provenance entry's certainty (``stated`` when it names none)."""
    return str(src.get("certainty", "stated")) if isinstance(src, dict) else "stated"


def context(text: str | None, src: Any, width: int = 40) -> tuple[str, str, str] | None:
    """(text before, the span, text after) of a note fact, newlines as spaces; None when
    the fact has no span in ``text``."""
    if not text or not isinstance(src, dict) or not isinstance(src.get("span"), list):
        return None
    a, b = int(src["span"][0]), int(src["span"][1])
    if not 0 <= a <= b <= len(text):
        return None
    flat = text.replace("\n", " ")
    return flat[max(0, a - width) : a], flat[a:b], flat[b : b + width]


def _therapy_text(t: dict[str, Any]) -> str:
    until = "ongoing" if t.get("stop_reason") == "ongoing" else "?"
    return (
        f"{' + '.join(t['drugs'])} ({t.get('setting', 'setting?')}, "
        f"{t.get('start', '?')}..{t.get('end', until)}, {t.get('stop_reason', '-')})"
    )


def fact_rows(rec: dict[str, Any], prov: dict[str, Any]) -> list[tuple[str, str, str, Any]]:
    """(certainty, path, value in words, provenance entry) for every fact of the record."""
    out: list[tuple[str, str, str, Any]] = []
    for path, value in flatten("", {k: v for k, v in rec.items() if k not in _META}):
        if path == "prior_therapies":
            for i, t in enumerate(value):
                src = prov.get(f"prior_therapies[{i}]")
                out.append((certainty(src), f"prior_therapies[{i}]", _therapy_text(t), src))
            if not value:
                src = prov.get(path)
                out.append((certainty(src), path, "[] (none given)", src))
            continue
        if isinstance(value, list):
            if not value:
                src = prov.get(path)
                out.append((certainty(src), path, "[] (tested, none found)", src))
            for i, item in enumerate(value):
                src = prov.get(f"{path}[{i}]")
                out.append((certainty(src), path, str(item), src))
            continue
        src = prov.get(path)
        out.append((certainty(src), path, str(value), src))
    return out


def _row(path: str, value: str, src: Any, text: str | None, key: str) -> dict[str, Any]:
    row: dict[str, Any] = {"path": path, "value": value, "certainty": key}
    if isinstance(src, dict):
        row["rule"] = src.get("rule", "")
        if src.get("assumption"):
            row["assumption"] = src["assumption"]
        if key == "conflicting":
            row["others"] = [
                f"{o.get('value')} ({o.get('field', '')} {o.get('text', '')})".strip()
                for o in src.get("superseded", [])[:3]
                if isinstance(o, dict)
            ]
        where = context(text, src)
        if where is not None:
            row["before"], row["mark"], row["after"] = where
        elif src.get("resource"):
            row["resource"] = src["resource"]
    return row


def review(extraction: Extraction, text: str | None = None) -> list[dict[str, Any]]:
    """The facts to confirm, grouped (see :data:`GROUPS`); empty groups left out.

    Args:
        extraction: What was read.
        text: The note text (None for FHIR): each row then carries its source context.

    Returns:
        ``[{"key", "title", "rows": [{"path", "value", "certainty", "rule", "before",
        "mark", "after", "others", "assumption"}]}]``.
    """
    rows: dict[str, list[dict[str, Any]]] = {k: [] for k, _ in GROUPS}
    for key, path, value, src in fact_rows(extraction.record, extraction.provenance):
        rows.setdefault(key, []).append(_row(path, value, src, text, key))
    for u in extraction.unread:
        if u.get("kind") == "mention_not_used" and "uncertain" in str(u.get("reason", "")):
            rows["uncertain"].append(
                _row(str(u.get("rule", "")), f"not recorded: {u.get('text', '')}", u, text, "uncertain")
            )
        elif u.get("kind") == "inference":
            fields = ", ".join(str(f) for f in u.get("fields", []))
            row = _row(fields, str(u.get("assumption", "")), u, text, "assumed")
            rows["assumed"].append(row)
    return [{"key": k, "title": t, "rows": rows[k]} for k, t in GROUPS if rows.get(k)]
