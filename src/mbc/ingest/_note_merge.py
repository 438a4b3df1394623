"""Joining two readings of one course (issue 11): the primitives the line passes share."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from collections.abc import Mapping

    from mbc.ingest._data import DrugIndex
    from mbc.ingest._extraction import Source

Item = tuple[dict[str, Any], "Source"]
_EARLY = ("adjuvant", "neoadjuvant")

__all__ = [
    "_EARLY",
    "Item",
    "_dose_change",
    "_merge_into",
    "_split_early_mixed",
    "_union",
    "partial_drop",
    "repeated_drop",
]


def _union(a: list[str], b: list[str]) -> list[str]:
    return [*a, *(d for d in b if d not in a)]


def _dose_change(clause: str, cfg: Mapping[str, Any] | None) -> bool:
    """The clause is about a dose change, hold or side effect, not a stop."""
    if cfg is None or not clause:
        return False
    held = cfg["not_stopped"]
    if re.search(held["pattern"], clause, re.IGNORECASE) and not re.search(
        held["unless"], clause, re.IGNORECASE
    ):
        return True
    if re.search(held["pattern"], clause, re.IGNORECASE) and re.search(cfg["resumed"], clause, re.IGNORECASE):
        return True
    return re.search(cfg["side_effect_mention"], clause, re.IGNORECASE) is not None


def _merge_into(keep: Item, other: Item, rule: str, cfg: Mapping[str, Any] | None = None) -> None:
    t, src = keep
    o, osrc = other
    if _dose_change(str(osrc.get("text") or ""), cfg):  # its stop reason is not the line's
        o = {k: v for k, v in o.items() if k not in ("stop_reason", "end")}
    t["drugs"] = _union(t["drugs"], o["drugs"])
    if o.get("start") and (not t.get("start") or o["start"] < t["start"]):
        t["start"] = o["start"]
    if o.get("end") and t.get("stop_reason") != "ongoing" and (not t.get("end") or o["end"] > t["end"]):
        t["end"] = o["end"]
    if "stop_reason" not in t and o.get("stop_reason"):
        t["stop_reason"] = o["stop_reason"]
    if "setting" not in t and o.get("setting"):
        t["setting"] = o["setting"]
    src["merged"] = [
        *src.get("merged", []),
        {"rule": rule, "text": osrc.get("text"), "span": osrc.get("span")},
    ]


def partial_drop(
    b: Any,
    text: str,
    bounds: tuple[int, int, int, int],
    inns: list[str],
    made: list[Any],
    cfg: Mapping[str, Any],
) -> bool:
    """A clause that stops or completes some drugs of a course named before it and not ended
    ("completed 6 x A (last 09/2026); now B + C maintenance"), when the rest of its sentence says the
    others go on (``partial_drop.rest`` in knowledge/nlp/therapy.yaml; session 9, second pass): no
    course, listed in ``unread``. ``bounds``: the clause's start and end, the end of its last drug,
    the end of its sentence."""
    rest = (cfg.get("partial_drop") or {}).get("rest")
    c_start, c_end, after, sent_end = bounds
    host = next(
        (
            t
            for t, *_ in reversed(made)
            if set(inns) < set(t["drugs"]) and not t.get("end") and t.get("stop_reason") in (None, "ongoing")
        ),
        None,
    )
    if not rest or not inns or host is None:
        return False
    # the rest of its sentence, past a semicolon ("completed 6 x A; now B + C maintenance")
    stop = re.compile(r"[.!?](?=\s|$)|\n").search(text, after + 1)
    end = max(sent_end, stop.start() if stop else len(text))
    if re.search(str(rest), text[after:end], re.IGNORECASE) is None:
        return False
    b.note_unread(
        {
            "kind": "mention_not_used",
            "reason": "a drug dropped while the rest of its regimen goes on",
            "span": [c_start, c_end],
            "text": text[c_start:c_end].strip(),
        }
    )
    return True


def repeated_drop(
    text: str, c_start: int, c_end: int, mentions: list[Any], cfg: Mapping[str, Any]
) -> tuple[int, int] | None:
    """The part of a clause that names again some drugs of the regimen it named first and says they
    stopped, when the rest of the clause says the others go on ("A + B + C, A dropped after 6 cycles
    for neuropathy, B + C maintained", "ABC (A stopped after 6 cycles, B + C continued) 2024 - 2025,
    PD"): the stop said there is that drug's alone (session 9, second pass)."""
    spec = cfg.get("partial_drop") or {}
    rest, stopped = spec.get("rest"), spec.get("stopped")
    if not rest or not stopped or len(mentions) < 2:
        return None
    seen: set[str] = set()
    for d in sorted(mentions, key=lambda d: d.start):
        inns = set(d.inns)
        if len(seen) >= 2 and inns and inns < seen and d.start > c_start:
            go_on = re.search(str(rest), text[d.end : c_end], re.IGNORECASE)
            if go_on and re.search(str(stopped), text[d.end : d.end + go_on.start()], re.IGNORECASE):
                return int(d.start), d.end + go_on.end()
        seen |= inns
    return None


def _split_early_mixed(
    items: list[Item], index: DrugIndex, together: frozenset[str] = frozenset()
) -> list[Item]:
    """An early course that joins endocrine drugs with others ("adjuvant EC then <taxane> and
    <aromatase inhibitor>", "<taxane> 2019 + <endocrine drug> 2019-2023") is two courses: endocrine therapy is
    given after (neo)adjuvant chemotherapy, not with it (session 8). The other drugs keep the
    start and go on into the chain before them; the endocrine drugs keep the dates and the
    stop reason. Drugs given with adjuvant endocrine therapy (``together``: ``early_with_endocrine`` in
    knowledge/nlp/therapy.yaml - session 13) keep the course whole."""
    out: list[Item] = []
    for t, src in items:
        endocrine = [d for d in t["drugs"] if index.group.get(d) == "endocrine"]
        others = [d for d in t["drugs"] if d not in endocrine]
        if t.get("setting") not in _EARLY or not endocrine or not others or set(others) <= together:
            out.append((t, src))
            continue
        first = {k: v for k, v in t.items() if k not in ("end", "stop_reason")}
        first["drugs"] = others
        rule = "nlp.therapy.split.early_endocrine"
        out.append((first, {**src, "cue_rules": [*src.get("cue_rules", []), rule]}))
        t["drugs"] = endocrine
        out.append((t, {**src, "_sep": "then", "cue_rules": [*src.get("cue_rules", []), rule]}))
    return out
