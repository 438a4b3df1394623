"""An early course the note says went on ("I stopped the B as planned but kept taking the A", "she was
still taking A", "never stopped taking A"): a drug named right after such words, when exactly one early
course holds it and has no end date, says that course did not end; in a note about metastatic disease
the relapse came on it (session 13; ``went_on`` in knowledge/nlp/therapy.yaml). A duration written for
the course ("A + B for 2 years") no longer makes it completed."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import Any

from mbc.ingest._note_merge import _EARLY

__all__ = ["went_on"]


def went_on(b: Any, text: str, drugs: Sequence[Any], cfg: Mapping[str, Any], metastatic_note: bool) -> None:
    spec = cfg.get("went_on")
    if not spec:
        return
    cue = re.compile(str(spec["pattern"]), re.IGNORECASE)
    drop = set(spec.get("not_when", ()))
    items = b.therapy_sources()
    for d in drugs:
        if d.attrs & drop or not cue.search(text, max(0, d.start - 60), d.start):
            continue
        hosts = [
            (t, src)
            for t, src in items
            if t.get("setting") in _EARLY
            and set(d.inns) <= set(t.get("drugs") or ())
            and not t.get("end")
            and t.get("stop_reason") in (None, "ongoing", "completed")
        ]
        if len(hosts) != 1:
            continue
        t, src = hosts[0]
        t["stop_reason"] = "progression" if metastatic_note else "ongoing"
        src["cue_rules"] = [*src.get("cue_rules", []), str(spec["id"])]
