"""Sections of a note (``knowledge/nlp/sections.yaml``): listed headers, and (session 9) the
role of any other header read from its words.

A listed header ("Plan:", "Family history:") runs to the next listed header, or ends with its
own line when its items are written on it ("Meds: A, B"). A header that is not listed but whose
words name a role ("Risks explained:", "What is booked:", "Resolved:") gives its lines that role:
written on the header's line it ends with that line, else it runs to the next blank line or the
next line that opens with a label ("Alternatives discussed: ...", "Social: ..."). The roles and
their words are data (``role_headers``).
"""

from __future__ import annotations

import bisect
import functools
import re
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from mbc.ingest._data import kb_root, load_yaml

if TYPE_CHECKING:
    from mbc.ingest._note_pipeline import _Mention, _Pipeline


@dataclass(frozen=True)
class _Roles:
    label: re.Pattern[str]  # a label that opens a line ("Risks explained (leaflet given):")
    roles: tuple[tuple[re.Pattern[str], str, tuple[str, ...]], ...]  # (words, category, implies)


@functools.cache
def _roles_at(root: Path) -> _Roles | None:
    spec = load_yaml("nlp/sections.yaml").get("role_headers")
    if not spec:
        return None
    roles = tuple(
        (re.compile(r["words"], re.IGNORECASE), str(r["category"]), tuple(r.get("implies", [])))
        for r in spec["roles"]
    )
    return _Roles(re.compile(spec["label"], re.MULTILINE), roles)


def role_implies() -> dict[str, tuple[str, ...]]:
    """The attributes each role category implies (added to the listed sections' own)."""
    roles = _roles_at(kb_root())
    return {} if roles is None else {cat: implies for _, cat, implies in roles.roles}


def _role_sections(text: str, listed: set[int]) -> list[tuple[int, str, int | None]]:
    """(offset, category, end) of each role header that is not a listed one."""
    roles = _roles_at(kb_root())
    if roles is None:
        return []
    out: list[tuple[int, str, int | None]] = []
    labels = list(roles.label.finditer(text))
    for i, m in enumerate(labels):
        if m.start() in listed:
            continue
        head = m.group("h")
        category = next((cat for words, cat, _ in roles.roles if words.search(head)), None)
        if category is None:
            continue
        line_end = text.find("\n", m.end())
        line_end = len(text) if line_end == -1 else line_end
        if text[m.end() : line_end].strip():  # items on the header's own line
            end = line_end
        else:  # to the next blank line or the next labelled line
            blank = re.compile(r"\n[ \t]*\n").search(text, line_end)
            nxt = labels[i + 1].start() if i + 1 < len(labels) else len(text)
            end = min(blank.start() if blank else len(text), nxt)
        out.append((m.start(), category, end))
    return out


_BLANK = re.compile(r"\n[ \t]*\n")


def sections_of(pipe: _Pipeline, text: str) -> list[tuple[int, str]]:
    """(offset, category) of every section header, in order (a section runs to the next; an
    entry with category "" ends the section before it)."""
    if pipe.header_re is None:
        return []
    heads: list[tuple[int, str, int | None]] = []  # (start, category, own end or None)
    for m in pipe.header_re.finditer(text):
        category = pipe.by_header[m.group("h").lower()]
        end = text.find("\n", m.end())
        inline = end != -1 and bool(text[m.end() : end].strip(" \t:"))
        if not inline:
            heads.append((m.start(), category, None))  # the section runs to the next header
        elif category in pipe.line_sections:
            # "Meds: A, B, C" written on the header's line: the section ends with that line (and
            # the lines it runs on to: "A, B,\n C")
            line = m.end()
            while pipe.continued is not None and pipe.continued.search(text, line, end):
                nxt = text.find("\n", end + 1)
                if nxt == -1 or pipe.header_re.match(text, end + 1):
                    break
                line, end = end + 1, nxt
            heads.append((m.start(), category, end))
        else:
            # session 9: "Plan: continue; CT in 12 weeks." written on the header's line ends at
            # the paragraph's end (a blank line): a letter's next paragraph is not the plan
            blank = _BLANK.search(text, end)
            heads.append((m.start(), category, blank.start() if blank else None))
    listed = {text.rfind("\n", 0, start) + 1 for start, _, _ in heads}
    heads += _role_sections(text, listed)
    heads.sort(key=lambda h: h[0])
    out: list[tuple[int, str]] = []
    for i, (start, category, end) in enumerate(heads):
        out.append((start, category))
        nxt = heads[i + 1][0] if i + 1 < len(heads) else len(text) + 1
        if end is not None and end < nxt:
            out.append((end, ""))
    return out


def apply_sections(pipe: _Pipeline, text: str, mentions: list[_Mention]) -> None:
    """Each mention's section, and the attributes the section implies."""
    heads = sections_of(pipe, text)
    if not heads:
        return
    implied = {**role_implies(), **pipe.sections}
    offsets = [h for h, _ in heads]
    for m in mentions:
        k = bisect.bisect_right(offsets, m.start) - 1
        if k >= 0:
            m.section = heads[k][1] or None
            m.attrs.update(implied.get(heads[k][1], ()))


__all__ = ["apply_sections", "role_implies", "sections_of"]
