"""Joining two readings of one course (issue 11): the primitives the line passes share."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from collections.abc import Mapping

    from mbc.ingest._extraction import Source

Item = tuple[dict[str, Any], "Source"]
_EARLY = ("adjuvant", "neoadjuvant")

__all__ = ["_EARLY", "Item", "_dose_change", "_merge_into", "_union"]


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
