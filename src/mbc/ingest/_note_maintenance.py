"""Induction then maintenance is one metastatic line (issue 11, sessions 8 and 9).

A metastatic line changes at progression or at a switch for toxicity, not when the chemotherapy
of an induction stops and the rest of the regimen goes on: "D + HP x6, then HP + AI
maintenance" is one line. Three passes, each over the courses in order: a course called
maintenance (``named_maintenance``), an undated mention of the drugs of the line just named or
a regimen in its sentence sharing them (``maintenance``), and a line going on that keeps drugs
of a course that ended, with no stop reason, when it began (``continued_line``).
"""

from __future__ import annotations

import bisect
import datetime as dt
import re
from typing import TYPE_CHECKING, Any

from mbc.ingest._note_merge import _EARLY, Item, _dose_change, _merge_into

if TYPE_CHECKING:
    from collections.abc import Mapping

    from mbc.ingest._data import DrugIndex
    from mbc.ingest._extraction import RecordBuilder

__all__ = [
    "all_lines_stopped",
    "continued_line",
    "early_not_running",
    "endocrine_added",
    "maintenance",
    "named_maintenance",
]


def named_maintenance(items: list[Item], cfg: Mapping[str, Any]) -> list[Item]:
    """Induction then maintenance is one line (session 8): a course the note calls maintenance
    ("then maintenance HP q3w + <aromatase inhibitor> from 01/2025 - ongoing") that shares a drug with the
    metastatic line just before it (one of the last three courses), or the induction named after a
    maintenance line ("HP + AI maintenance (1L, after 6x <taxane>)"), joins that line: the drugs
    of both, the earlier start, the later course's end and status (``maintenance_word`` in
    knowledge/nlp/therapy.yaml)."""
    word = re.compile(str(cfg.get("maintenance_word", "(?!)")), re.IGNORECASE)
    out: list[Item] = []
    for t, src in items:
        host = out[-1] if out else None
        if host is None or host[0].get("setting") in _EARLY or t.get("setting") in _EARLY:
            out.append((t, src))
            continue
        if src.get("_induction"):
            _merge_into(
                host,
                ({k: v for k, v in t.items() if k not in ("end", "stop_reason")}, src),
                "nlp.therapy.merge.induction",
            )
            continue
        shared = next(  # the nearest of the last three courses that shares a drug
            (
                o
                for o in reversed(out[-3:])
                if set(t["drugs"]) & set(o[0]["drugs"]) and o[0].get("setting") not in _EARLY
            ),
            None,
        )
        named = word.search(str(src.get("text") or "")) is not None
        if named and shared is not None:
            host = shared
        if (
            named
            and set(t["drugs"]) & set(host[0]["drugs"])
            and host[0].get("stop_reason") != "progression"
            and len({t.get("setting"), host[0].get("setting")} - {None}) <= 1
        ):
            part = {k: v for k, v in t.items() if k not in ("stop_reason", "end")}
            _merge_into(host, (part, src), "nlp.therapy.merge.named_maintenance")
            host[0].pop("end", None)
            host[0].pop("stop_reason", None)
            for k in ("end", "stop_reason"):
                if t.get(k):
                    host[0][k] = t[k]
            continue
        out.append((t, src))
    return out


def maintenance(items: list[Item], cfg: Mapping[str, Any]) -> list[Item]:
    """Induction then maintenance is one line: "1L: D + HP from 06/2026; 6 cycles D done, now
    HP alone", "D + HP 02/2023 -> AI + HP ... 04/2026 PD". An undated mention of some
    of the drugs of the line named just before (same or next sentence), or a regimen in the
    same sentence sharing its drugs, with no other setting, is that line going on: its
    ongoing, progression or toxicity status and its end are the line's (a dropped drug's end
    is not)."""
    out: list[Item] = []
    for it in items:
        t, src = it
        host = out[-1] if out else None
        if (
            host is None
            or host[0].get("setting") in _EARLY
            or (
                t.get("setting") not in (None, host[0].get("setting"))
                and host[0].get("setting") is not None  # an unset host takes its setting
            )
        ):
            out.append(it)
            continue
        near = isinstance(src.get("_sent"), int) and isinstance(host[1].get("_sent"), int)
        gap = src["_sent"] - host[1]["_sent"] if near else -1
        subset = (
            set(t["drugs"]) < set(host[0]["drugs"])
            and (not t.get("start") or not host[0].get("start"))  # "D+H+P x6 -> HP, 04/2023-01/2025"
            and 0 <= gap <= 1
        )
        shared = (
            gap == 0
            and bool(set(t["drugs"]) & set(host[0]["drugs"]))
            and not set(t["drugs"]) <= set(host[0]["drugs"])
            and host[0].get("stop_reason") not in ("progression", "toxicity", "completed")
        )
        if not (subset or shared):
            out.append(it)
            continue
        status, end = t.get("stop_reason"), t.get("end")
        part = {k: v for k, v in t.items() if k not in ("stop_reason", "end")}
        if host[0].get("setting") is None and part.get("setting") is not None:
            host[0]["setting"] = part["setting"]
        _merge_into(host, (part, src), "nlp.therapy.merge.maintenance")
        if _dose_change(
            str(src.get("text") or ""), cfg
        ):  # "B interrupted ..., resumed": not the line's status
            continue
        if status in ("ongoing", "progression", "toxicity"):
            host[0]["stop_reason"] = status
            host[0].pop("end", None)
            if end and status != "ongoing":
                host[0]["end"] = end
    return out


def _date(value: Any) -> dt.date | None:
    try:
        return dt.date.fromisoformat(str(value)) if value else None
    except ValueError:
        return None


def continued_line(items: list[Item], index: DrugIndex) -> list[Item]:
    """A line going on that keeps some drugs of a course that ended with no stop reason (or
    "completed") right when it began, dropping others and adding at most endocrine drugs, is
    that course going on (session 9): "6 rounds of D with HP (Oct 2025 -> Mar 2026)" and "now
    on HP + an AI (the AI added when the chemo stopped)". One line: the drugs of both, the
    earlier start, the later status and end. A switch that adds any other drug ("A + B, then
    A + C") or follows a stop for progression or toxicity is a new line."""
    out = list(items)
    for t, src in list(out):
        if t.get("setting") in _EARLY or t.get("stop_reason") not in (
            "ongoing",
            "progression",
            "toxicity",
            None,
        ):
            continue
        start = _date(t.get("start"))
        for host in out:
            h = host[0]
            if (
                host[1] is src
                or h.get("setting") in _EARLY
                or h.get("stop_reason") not in (None, "completed")
            ):
                continue
            end, h_start = _date(h.get("end")), _date(h.get("start"))
            if end is None or h_start is None:
                continue
            kept, dropped = set(t["drugs"]) & set(h["drugs"]), set(h["drugs"]) - set(t["drugs"])
            added = set(t["drugs"]) - set(h["drugs"])
            if not kept or not dropped or any(index.group.get(d) != "endocrine" for d in added):
                continue
            if start is None:
                if t.get("stop_reason") != "ongoing":
                    continue
            elif not (h_start < start and abs((start - end).days) <= 62):
                continue
            status = {k: t[k] for k in ("stop_reason", "end") if t.get(k)}
            _merge_into(
                host,
                ({k: v for k, v in t.items() if k not in ("stop_reason", "end")}, src),
                "nlp.therapy.merge.continued_line",
            )
            for k in ("stop_reason", "end"):
                h.pop(k, None)
            h.update(status)
            if h.get("setting") is None and t.get("setting"):
                h["setting"] = t["setting"]
            out = [it for it in out if it[1] is not src]
            break
    return out


def endocrine_added(items: list[Item], index: DrugIndex) -> list[Item]:
    """Endocrine therapy started while a metastatic line of other drugs goes on, itself going on
    ("drug A + B from 02/2026 -", "drug C + D 07/2026 -", C and D endocrine) is added to that
    line, not a new line (session 10): one line, the earlier start. Only when exactly one such
    line goes on and it started before (or the endocrine drug is an undated item of the
    medication list: "Meds: ..., drug C 10.8 mg 12-weekly (with drug B)")."""
    out = list(items)
    for t, src in list(out):
        start = _date(t.get("start"))
        listed = src.get("_section") == "medications"  # an undated item of the medication list
        if (
            t.get("stop_reason") != "ongoing"
            or t.get("setting") in _EARLY
            or (start is None and not listed)
            or not t["drugs"]
            or any(index.group.get(d) != "endocrine" for d in t["drugs"])
        ):
            continue
        hosts = [
            o
            for o in out
            if o[1] is not src
            and o[0].get("stop_reason") == "ongoing"
            and o[0].get("setting") not in _EARLY
            and any(index.group.get(d) != "endocrine" for d in o[0]["drugs"])
        ]
        if len(hosts) != 1:
            continue
        h_start = _date(hosts[0][0].get("start"))
        if start is not None and (h_start is None or not h_start < start):
            continue
        part = {k: v for k, v in t.items() if k != "start"}
        _merge_into(hosts[0], (part, src), "nlp.therapy.merge.endocrine_added")
        out = [it for it in out if it[1] is not src]
    return out


def all_lines_stopped(
    b: RecordBuilder,
    text: str,
    sents: list[tuple[int, int]],
    drugs: list[Any],
    spec: Mapping[str, Any] | None,
) -> None:
    """A sentence naming no drug that says how every earlier line ended ("Each earlier line
    stopped on progression"): the metastatic lines (or undated-setting courses that ended) with
    no stop reason of their own, not the one going on, stopped for progression (session 10). Run
    after the newest open line is marked going on. One pass over the sentences."""
    if not spec:
        return
    pattern = re.compile(spec["pattern"], re.IGNORECASE)
    starts = sorted(d.start for d in drugs)
    said = False
    for lo, hi in sents:
        k = bisect.bisect_left(starts, lo)
        if pattern.search(text, lo, hi) and not (k < len(starts) and starts[k] < hi):
            said = True
            break
    if not said:
        return
    items = b.therapy_sources()
    for t, src in items:
        ended = t.get("setting") == "metastatic" or (t.get("setting") is None and t.get("end"))
        if t.get("stop_reason") or not ended:
            continue  # the line going on, one with its own reason, an early course
        t["stop_reason"] = "progression"
        t.setdefault("setting", "metastatic")
        src["cue_rules"] = [*src.get("cue_rules", []), str(spec["id"])]
    b.replace_therapies(items)


def early_not_running(items: list[Item]) -> None:
    """Session 13: an early (adjuvant / neoadjuvant) course read as going on, with no end date, in a note
    that also gives a metastatic line ("Adjuvant: <endocrine drug> (med list). 1L <chemotherapy> since
    2025"), is not still running: its status is left unknown (``_finished_early`` may still close a
    chemotherapy)."""
    if not any(t.get("setting") == "metastatic" for t, _ in items):
        return
    for t, src in items:
        if t.get("setting") in _EARLY and t.get("stop_reason") == "ongoing" and not t.get("end"):
            del t["stop_reason"]
            src["cue_rules"] = [*src.get("cue_rules", []), "nlp.therapy.stop.early_not_running"]
