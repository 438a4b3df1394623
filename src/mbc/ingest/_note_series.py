"""How current a measured value is, and a later value written right after it (session 5).

Read from the words around the number on its line, with the patterns ``value_older_*``,
``value_newer_*`` and ``value_series_next`` of ``knowledge/nlp/lexicon.yaml``: "baseline 09/01
QTcF 438" is older, "now 48%" newer, and in "ANC 0.2 yest -> 0.4 this am" the 0.4 is a later
value of the same measure.
"""

from __future__ import annotations

import functools
import re
from typing import TYPE_CHECKING

from mbc.ingest._data import kb_root, load_yaml

if TYPE_CHECKING:
    from pathlib import Path

_WINDOW = 40


@functools.cache
def _patterns_at(root: Path) -> dict[str, re.Pattern[str]]:
    del root  # the cache key
    doc = load_yaml("nlp/lexicon.yaml")
    keys = ("value_older_before", "value_older_after", "value_newer_before", "value_newer_after", "value_series_next")
    return {k: re.compile(str(doc[k]), re.IGNORECASE) for k in keys if doc.get(k)}


def _line_window(text: str, start: int, end: int) -> tuple[str, str]:
    line_a = text.rfind("\n", 0, start) + 1
    line_b = text.find("\n", end)
    line_b = len(text) if line_b < 0 else line_b
    return text[max(line_a, start - _WINDOW) : start], text[end : min(line_b, end + _WINDOW)]


def recency(text: str | None, start: int, end: int) -> int:
    """+1 if the value at ``text[start:end]`` is said to be current, -1 if older, else 0."""
    if text is None:
        return 0
    p = _patterns_at(kb_root())
    before, after = _line_window(text, start, end)
    if any(k in p and p[k].search(s) for k, s in (("value_newer_before", before), ("value_newer_after", after))):
        return 1
    if any(k in p and p[k].search(s) for k, s in (("value_older_before", before), ("value_older_after", after))):
        return -1
    return 0


def next_value(text: str | None, end: int) -> tuple[str, int, int] | None:
    """A later value of the same measure right after the one ending at ``end``: (number as
    written, its start, its end), or None."""
    if text is None or "value_series_next" not in (p := _patterns_at(kb_root())):
        return None
    _, after = _line_window(text, end, end)
    m = p["value_series_next"].match(after)
    if m is None or (m.group("sep").strip() == "," and not m.group("when")):
        return None
    return m.group("v"), end + m.start("v"), end + m.end("v")
