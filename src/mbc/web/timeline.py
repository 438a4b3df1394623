"""A server-drawn SVG timeline of a patient's lines of therapy.

One bar per therapy course, from its start to its end (or to the plan date when ongoing),
coloured by setting, labelled with its drugs and why it stopped; a marker at the date of
metastatic diagnosis and at the plan date. Accessible: ``role="img"`` with a title and a
description listing every course, so a screen reader gets the same content.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any
from xml.sax.saxutils import escape

__all__ = ["timeline_svg"]

_W = 760
_LEFT = 12
_RIGHT = 12
_ROW = 34
_TOP = 30
# Colour per setting (WCAG AA contrast against white text is not needed: labels sit beside bars).
_COLOURS = {"neoadjuvant": "#6a51a3", "adjuvant": "#2171b5", "metastatic": "#cb181d", None: "#636363"}


def _date(value: Any) -> dt.date | None:
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            return None
    return None


def timeline_svg(record: Mapping[str, Any], *, as_of: dt.date) -> str:
    """Draw the therapy timeline of a record.

    Args:
        record: A contract record (dict form).
        as_of: The plan date (right edge; ongoing courses run to it).

    Returns:
        An ``<svg>`` element as a string (empty-state SVG when there is nothing dated).
    """
    courses = []
    undated = []
    for t in record.get("prior_therapies") or []:
        start, end = _date(t.get("start")), _date(t.get("end"))
        label = " + ".join(t.get("drugs") or [])
        setting = t.get("setting")
        reason = t.get("stop_reason")
        if start is None:
            undated.append(f"{label} ({setting or 'setting unknown'})")
            continue
        courses.append((start, end, label, setting, reason))
    courses.sort(key=lambda c: c[0])
    met = _date(record.get("metastatic_diagnosis_date"))
    desc_lines = [
        f"{lbl}: {s.isoformat()} to {e.isoformat() if e else 'ongoing'}, {st or 'setting unknown'}"
        + (f", stopped for {r}" if r and r != "ongoing" else "")
        for s, e, lbl, st, r in courses
    ] + [f"{u}: dates unknown" for u in undated]
    title = "Timeline of prior therapy"
    desc = "; ".join(desc_lines) if desc_lines else "No prior therapy recorded."
    height = _TOP + _ROW * max(len(courses), 1) + 40
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" role="img" aria-labelledby="tl-title tl-desc" '
        f'viewBox="0 0 {_W} {height}" width="100%" class="timeline">',
        f'<title id="tl-title">{escape(title)}</title>',
        f'<desc id="tl-desc">{escape(desc)}</desc>',
    ]
    if not courses:
        parts.append(f'<text x="{_LEFT}" y="{_TOP}" class="tl-empty">{escape(desc)}</text></svg>')
        return "".join(parts)
    lo = min(c[0] for c in courses)
    if met is not None:
        lo = min(lo, met)
    hi = max(as_of, *(c[1] for c in courses if c[1]))
    span = max((hi - lo).days, 1)

    def x(d: dt.date) -> float:
        return _LEFT + (_W - _LEFT - _RIGHT) * (d - lo).days / span

    axis_y = _TOP + _ROW * len(courses) + 6
    parts.append(f'<line x1="{_LEFT}" y1="{axis_y}" x2="{_W - _RIGHT}" y2="{axis_y}" stroke="#333"/>')
    for year in range(lo.year, hi.year + 1):
        d = dt.date(year, 1, 1)
        if lo <= d <= hi:
            xv = x(d)
            parts.append(f'<line x1="{xv:.1f}" y1="{axis_y}" x2="{xv:.1f}" y2="{axis_y + 5}" stroke="#333"/>')
            parts.append(
                f'<text x="{xv:.1f}" y="{axis_y + 18}" text-anchor="middle" class="tl-year">{year}</text>'
            )
    for i, (s, e, label, setting, reason) in enumerate(courses):
        y = _TOP + i * _ROW
        x1, x2 = x(s), x(e or as_of)
        colour = _COLOURS.get(setting, _COLOURS[None])
        dash = ' stroke-dasharray="4 2" stroke="#000"' if e is None else ""
        parts.append(
            f'<rect x="{x1:.1f}" y="{y:.1f}" width="{max(x2 - x1, 3):.1f}" height="14" rx="3" '
            f'fill="{colour}"{dash}/>'
        )
        text = f"{label} · {setting or '?'}" + (f" · {reason}" if reason else "")
        anchor, tx = ("start", x1) if x1 < _W / 2 else ("end", x2)
        parts.append(
            f'<text x="{tx:.1f}" y="{y + 26:.1f}" text-anchor="{anchor}" class="tl-label">'
            f"{escape(text)}</text>"
        )
    marks: tuple[tuple[dt.date | None, str], ...] = ((met, "metastatic diagnosis"), (as_of, "plan date"))
    for mark, name in marks:
        if mark is not None and lo <= mark <= hi:
            xv = x(mark)
            anchor = "end" if xv > _W - 80 else ("start" if xv < 80 else "middle")
            parts.append(
                f'<line x1="{xv:.1f}" y1="{_TOP - 12}" x2="{xv:.1f}" y2="{axis_y}" stroke="#000" '
                f'stroke-dasharray="2 3"/><text x="{xv:.1f}" y="{_TOP - 16}" text-anchor="{anchor}" '
                f'class="tl-mark">{escape(name)}</text>'
            )
    parts.append("</svg>")
    return "".join(parts)
