"""Session 13: a list of dated courses written with commas ("A + B 04/2023-06/2025 (PD), C 07/2025-05/2026
(PD), D from 06/2026") is cut at each comma that closes a dated item: each item is a line of its own.

The cut is made only when the text between the item's last drug and the comma is short and holds a
date (``dated_items.item_end``), and the next item starts with a drug within a few characters and
holds a date of its own before its end (``dated_items.next_date``)."""

from __future__ import annotations

import bisect
import re
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from collections.abc import Mapping

    from mbc.ingest._note_dates import _Clause
    from mbc.ingest._note_pipeline import _Mention

__all__ = ["split_dated_items"]


def split_dated_items(
    text: str, clauses: list[_Clause], drugs: list[_Mention], cfg: Mapping[str, Any]
) -> list[_Clause]:
    """The clauses, each dated item of a comma list cut into a clause of its own."""
    spec = cfg.get("dated_items")
    if not spec or not drugs:
        return clauses
    from mbc.ingest._note_dates import _Clause

    item_end = re.compile(str(spec["item_end"]), re.IGNORECASE)
    next_date = re.compile(str(spec["next_date"]), re.IGNORECASE)
    lead = int(spec.get("lead", 12))
    early = re.compile(str(spec.get("not_after") or "(?!)"), re.IGNORECASE)
    ms = sorted(drugs, key=lambda d: d.start)
    starts = [d.start for d in ms]
    out: list[_Clause] = []
    for cl in clauses:
        inside = ms[bisect.bisect_left(starts, cl.start) : bisect.bisect_left(starts, cl.end)]
        if len(inside) < 2 or "," not in text[cl.start : cl.end] or early.search(text[cl.start : cl.end]):
            out.append(cl)
            continue
        pos, sep = cl.start, cl.sep
        for k, d in enumerate(inside[:-1]):
            nxt = inside[k + 1]
            gap = text[d.end : nxt.start]
            comma = gap.rfind(",")
            if comma < 0 or d.start < pos:
                continue
            cut = d.end + comma
            if len(gap) - comma - 1 > lead or not item_end.fullmatch(text[d.end : cut]):
                continue
            rest_end = text.find(",", nxt.end, cl.end)
            if not next_date.search(text[nxt.end : rest_end if rest_end >= 0 else cl.end]):
                continue
            out.append(_Clause(pos, cut, sep, cl.sent))
            pos, sep = cut + 1, ","
        out.append(_Clause(pos, cl.end, sep, cl.sent))
    return out
