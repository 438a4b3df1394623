"""Therapies dated from relative phrases ("relapsed 8 months after finishing X"; moved out of
``_note_dates`` in session 11, one bisect per drug for its sentence and a bounded prefix, so a
long note stays linear)."""

from __future__ import annotations

import bisect
import re
from typing import TYPE_CHECKING, Any

from mbc.ingest._note_actions import _count_span, _shift, _State
from mbc.ingest._note_dates import _is_relapse_date, _iso

if TYPE_CHECKING:
    from collections.abc import Mapping

    from mbc.ingest._extraction import Source
    from mbc.ingest._note_pipeline import _Mention

__all__ = ["_relative_dates"]

_RELATIVE_REACH = 300  # characters before a drug that a relative phrase may take


def _relative_dates(  # noqa: PLR0913 - the assembler's working set
    st: _State,
    text: str,
    sents: list[tuple[int, int]],
    drugs: list[_Mention],
    cfg: Mapping[str, Any],
    made: list[tuple[dict[str, Any], Source, tuple[int, int] | None]],
) -> None:
    """Date early therapies from relative phrases ("relapsed 8 months after finishing X").

    The count is taken back from the relapse: the metastatic diagnosis date if the note gives
    one, else the note date (``as_of``) when no metastatic therapy is named. Provenance keeps
    the phrase and the anchor (``relative``).
    """
    rules = cfg.get("relative") or []
    if not rules or not made:
        return
    explicit = _iso(st.builder.get("metastatic_diagnosis_date"))
    metastatic = [t for t, _, _ in made if t.get("setting") == "metastatic"]
    if explicit is not None:
        anchor, anchor_kind = explicit, "metastatic diagnosis date"
    elif metastatic:
        return  # the relapse came before a metastatic line whose dates we do not know
    else:
        anchor, anchor_kind = st.ref_date, st.ref_kind
    by_mention = {
        (d[0], d[1]): (therapy, src) for therapy, src, _ in made for d in src.get("drug_mentions", [])
    }
    done: set[int] = set()
    sent_starts = [a for a, _ in sents]
    cued: dict[int, bool] = {}  # sentence start -> it speaks of relapse (searched once)
    for d in drugs:
        hit = by_mention.get((d.start, d.end))
        if hit is None or id(hit[0]) in done:
            continue
        therapy, src = hit
        if (therapy.get("start") or therapy.get("end")) and not _is_relapse_date(therapy, explicit):
            continue  # dates written for the therapy win
        k = bisect.bisect_right(sent_starts, d.start) - 1
        s_start, s_end = sents[k] if k >= 0 and d.start < sents[k][1] else (0, len(text))
        if s_start not in cued:
            cued[s_start] = re.search(cfg["relative_cue"], text[s_start:s_end], re.IGNORECASE) is not None
        if not cued[s_start]:
            continue
        # the phrases end right before the drug (patterns anchored with "$"): a bounded prefix
        prefix = text[max(s_start, d.start - _RELATIVE_REACH) : d.start]
        for rule in rules:
            m = re.search(rule["pattern"], prefix, re.IGNORECASE)
            span = _count_span(m.group("n"), m.group("unit"), cfg) if m else None
            if m is None or span is None:
                continue
            back = _shift(anchor, *span, -1)
            if rule.get("end") == "ago":
                end, start = back, None
                length = _count_span(m.group("len_n") or "", m.group("len_unit") or "", cfg)
                if length is not None:
                    start = _shift(end, *length, -1)
            else:
                start, end = back, anchor
            if start is not None:
                therapy["start"] = start.isoformat()
            therapy["end"] = end.isoformat()
            if therapy.get("stop_reason") in (None, "ongoing"):
                therapy["stop_reason"] = rule["stop_reason"]
            src["date_precision"] = "relative"
            src["relative"] = {
                "rule": rule["id"],
                "phrase": (prefix[m.start() :] + d.text).strip(),
                "counted_back_from": f"{anchor_kind} ({anchor.isoformat()})",
            }
            st.flags.setdefault("relative_relapse", {**src, "rule": rule["id"]})
            done.add(id(therapy))
            break
