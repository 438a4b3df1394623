"""How current a measured value is, and a later value written right after it (session 5).

Read from the words around the number on its line, with the patterns ``value_older_*``,
``value_newer_*`` and ``value_series_next`` of ``knowledge/nlp/lexicon.yaml``: "baseline 09/01
QTcF 438" is older, "now 48%" newer, and in "ANC 0.2 yest -> 0.4 this am" the 0.4 is a later
value of the same measure.
"""

from __future__ import annotations

import functools
import re
from typing import TYPE_CHECKING, Any

from mbc.ingest._data import kb_root, load_yaml

if TYPE_CHECKING:
    from collections.abc import Mapping
    from pathlib import Path

    from mbc.ingest._note_pipeline import _Mention

# Scalar fields (besides labs.*) ranked by how current their value is said to be.
MEASURES = frozenset({"ecog", "lvef_percent", "qtcf_ms", "weight_kg"})

_WINDOW = 40
_CLAUSE_OPEN = re.compile(r"[(;]|->|→")


@functools.cache
def _patterns_at(root: Path) -> dict[str, re.Pattern[str]]:
    del root  # the cache key
    doc = load_yaml("nlp/lexicon.yaml")
    keys = (
        "value_older_before", "value_older_after", "value_newer_before", "value_newer_after",
        "value_series_next", "value_newer_line", "result_older", "result_newer", "result_date",
        "result_clause_break", "value_superseded_after",
    )  # fmt: skip
    return {k: re.compile(str(doc[k]), re.IGNORECASE) for k in keys if doc.get(k)}


def _line_window(text: str, start: int, end: int, reach: int = _WINDOW) -> tuple[str, str]:
    line_a = text.rfind("\n", 0, start) + 1
    line_b = text.find("\n", end)
    line_b = len(text) if line_b < 0 else line_b
    return text[max(line_a, start - _WINDOW) : start], text[end : min(line_b, end + reach)]


def recency(text: str | None, start: int, end: int) -> int:
    """+1 if the value at ``text[start:end]`` is said to be current, -1 if older, else 0."""
    if text is None:
        return 0
    p = _patterns_at(kb_root())
    before, after = _line_window(text, start, end)
    own = _CLAUSE_OPEN.split(before)[-1]  # session 12: the value's own clause decides first
    if own != before:
        if "value_newer_before" in p and p["value_newer_before"].search(own):
            return 1
        if "value_older_before" in p and p["value_older_before"].search(own):
            return -1
        if "value_older_after" in p and p["value_older_after"].search(after):  # session 13: "2 today (1 at
            return -1  # last clinic)": the bracketed value's own words, not the "today" before its bracket
    if any(
        k in p and p[k].search(s) for k, s in (("value_newer_before", before), ("value_newer_after", after))
    ):
        return 1
    if any(
        k in p and p[k].search(s) for k, s in (("value_older_before", before), ("value_older_after", after))
    ):
        return -1
    head = text[text.rfind("\n", 0, start) + 1 : start]  # session 13: "Bloods today: ..., ANC 0.9"
    return 1 if "value_newer_line" in p and p["value_newer_line"].match(head) else 0


def next_value(text: str | None, end: int) -> tuple[str, int, int] | None:
    """A later value of the same measure right after the one ending at ``end``: (number as
    written, its start, its end), or None."""
    if text is None or "value_series_next" not in (p := _patterns_at(kb_root())):
        return None
    _, after = _line_window(text, end, end, 2 * _WINDOW)  # session 12: room for "(51 mmol/mol) on 2 Nov"
    m = p["value_series_next"].match(after)
    if m is None or (m.group("sep").strip() == "," and not (m.group("when") or m.groupdict().get("now"))):
        return None
    return m.group("v"), end + m.start("v"), end + m.end("v")


def _text_of(m: _Mention, name: str | None) -> str | None:
    if not name or m.match is None:
        return None
    try:
        return m.match.group(name)
    except IndexError:
        return None


def value_recency(m: _Mention, action: Mapping[str, Any]) -> int:
    """Said to be current (+1), older (-1) or neither (0), from the words around the value;
    a later value of a series ("0.2 yest -> 0.4 this am") carries ``recency`` 2."""
    if "recency" in action:
        return int(action["recency"])
    if m.match is None:
        return 0
    group = action.get("group2") if _text_of(m, action.get("group2")) else action.get("group")
    start, end = (m.match.start(group), m.match.end(group)) if _text_of(m, group) else m.match.span()
    return recency(m.match.string, start, end)


def superseded(m: _Mention, action: Mapping[str, Any]) -> bool:
    """Session 13: a value called older, then "; now" and a state in words with no value of its own
    ("ECOG 1 before admission; now bed-bound"): the value is of another time and no longer holds."""
    p = _patterns_at(kb_root())
    if m.match is None or "value_superseded_after" not in p or value_recency(m, action) >= 0:
        return False
    group = action.get("group2") if _text_of(m, action.get("group2")) else action.get("group")
    end = m.match.end(group) if _text_of(m, group) else m.match.end()
    _, after = _line_window(m.match.string, end, end, 2 * _WINDOW)
    return bool(p["value_superseded_after"].match(after))


def series(m: _Mention, a: Mapping[str, Any]) -> tuple[str, dict[str, Any]] | None:
    """The later value written right after this mention's value, and the action to record it
    with (same field, ``recency`` 2)."""
    if m.match is None:
        return None
    ends = [m.match.end(g) for g in (a.get("group2"), a.get("group")) if _text_of(m, g)]
    found = next_value(m.match.string, max(ends)) if ends else None
    return None if found is None else (found[0], {**a, "recency": 2})


def result_when(m: _Mention) -> tuple[int, int]:
    """Session 8: how current a receptor result is, from its own clause: (-1 if the words
    around it call it older - "auto-populated", "OUTDATED", "earlier pathology ... was" -, else
    0; the year * 10000 + month * 100 of the newest date written before it in its clause, 0 if
    none). ``result_*`` patterns of knowledge/nlp/lexicon.yaml."""
    text = m.match.string if m.match is not None else None
    p = _patterns_at(kb_root())
    if text is None or "result_date" not in p:
        return (0, 0)
    before = result_clause(m)
    line_b = text.find("\n", m.end)
    after = text[m.end : min(len(text) if line_b < 0 else line_b, m.end + 60)]
    stop = p["result_clause_break"].search(after) if "result_clause_break" in p else None
    after = after[: stop.start()] if stop else after  # its own clause only
    older = (
        -1
        if "result_older" in p and (p["result_older"].search(before) or p["result_older"].search(after))
        else 0
    )
    if "result_newer" in p and p["result_newer"].search(before):  # "re-read centrally as HER2 0"
        older = 1
    when = 0
    for d in p["result_date"].finditer(before):
        g = d.groupdict()
        year = int(g.get("y") or g.get("y3") or g.get("y2") or 0)
        year += 2000 if 0 < year < 100 else 0
        when = max(when, year * 10000 + int(g.get("mo") or g.get("mo2") or 0) * 100)
    return (older, when)


def result_clause(m: _Mention) -> str:
    """The words before a result in its sentence, from its last clause break (at most 200 characters)."""
    text = m.match.string if m.match is not None else None
    if text is None:
        return ""
    p = _patterns_at(kb_root())
    a = m.sent[0] if m.sent else 0
    head = text[max(0, a - 200) : a].rstrip()
    if head.endswith((",", ":")):  # a result list that goes on from the line before ("...: ER 20%,\nHER2 2+")
        a = max(0, a - 200) + head.rfind("\n") + 1
    before = text[max(a, m.start - 200) : m.start]
    cut = [b.end() for b in p["result_clause_break"].finditer(before)] if "result_clause_break" in p else []
    before = before[cut[-1] :] if cut else before
    opened = before.rfind(
        "("
    )  # inside an aside: the aside is its clause ("... bx 03/2025 (orig 2021 breast: ER 2%")
    return before[opened + 1 :] if opened > before.rfind(")") else before
