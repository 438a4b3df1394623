"""Prior therapies read clause by clause, consolidated into lines (issue 11).

* A chemotherapy chain in the (neo)adjuvant setting ("neoadjuvant A/B then C", "D followed
  by E") is one course: one therapy object. Endocrine therapy after it ("chemo then an
  aromatase inhibitor") stays its own course (``group: endocrine`` in
  knowledge/ingest/drugs.yaml).
* Anticancer drugs in a current medication list are the ongoing line, not a new one: they
  join the ongoing line the note names, or form that line together.
* The same ongoing line named twice ("cycle 28 of A + B"; "A was held") is one line.
* An undated mention of drugs ("A-related pneumonitis; A permanently discontinued") that the
  note also gives as exactly one dated line, with nothing against it, is that line.
* An undated mention of some drugs of exactly one other line in a clause about a dose
  change, a hold or a side effect ("B reduced 600 -> 400 mg for neutropenia", "B-related
  hyperglycaemia") is that line; a dose change or hold never gives the line a stop reason.
* In a note about metastatic disease, an early course with no stop reason written is over:
  a time-limited course (not only endocrine drugs), or an endocrine course that ended well
  before the metastatic diagnosis, was ``completed``; an endocrine course that ended at the
  relapse stopped for ``progression`` (certainty ``inferred``; ``early_finished`` in
  knowledge/nlp/therapy.yaml).
"""

from __future__ import annotations

import bisect
import datetime as dt
import heapq
import re
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from collections.abc import Mapping

    from mbc.ingest._data import DrugIndex
    from mbc.ingest._extraction import RecordBuilder

from mbc.ingest._note_maintenance import (
    continued_line,
    early_not_running,
    endocrine_added,
    maintenance,
    named_maintenance,
)
from mbc.ingest._note_merge import _EARLY, Item, _dose_change, _merge_into, _split_early_mixed, _union

__all__ = ["_dose_change", "_merge_into", "consolidate", "open_latest_line"]


def consolidate(b: RecordBuilder, cfg: Mapping[str, Any], index: DrugIndex, metastatic_note: bool) -> None:
    items = b.therapy_sources()
    if not items:
        return
    items = _split_early_mixed(items, index, frozenset(cfg.get("early_with_endocrine", ())))
    items = _merge_chains(items, index)
    items = named_maintenance(items, cfg)
    items = _medication_list(items, metastatic_note)
    items = _same_ongoing_line(items, cfg)
    items = _same_start(items)
    items = _bare_mentions(items, cfg)
    items = _side_mentions(items, cfg)
    items = maintenance(items, cfg)
    items = continued_line(items, index)
    items = endocrine_added(items, index)
    items = _bare_mentions(items, cfg)  # a mention of the line just joined (session 9)
    items = _ends_line(items)
    relapse = _day(b.get("metastatic_diagnosis_date"))
    items = _relapse_on_line(items, cfg, relapse)
    if relapse is not None and cfg.get("setting_by_dates"):
        _setting_by_dates(items, cfg["setting_by_dates"], index, relapse)
    early_not_running(items)
    if metastatic_note and cfg.get("early_finished"):
        _finished_early(items, cfg["early_finished"], index, relapse)
    items = _merge_chains(items, index)  # a chain found early only by its dates (session 8)
    b.replace_therapies(items)


def _merge_chains(items: list[Item], index: DrugIndex) -> list[Item]:
    out: list[Item] = []
    for t, src in items:
        prev = out[-1] if out else None
        if (
            prev is not None
            and prev[1].get("_sent") == src.get("_sent")
            and any(w in str(src.get("_sep", "")) for w in ("then", "followed"))
            and t.get("setting") in _EARLY
            and prev[0].get("setting") in (None, t.get("setting"))  # "EC then <taxane> -> surgery"
            and prev[0].get("stop_reason") in (None, "completed")
            and not any(index.group.get(d) == "endocrine" for d in [*t["drugs"], *prev[0]["drugs"]])
        ):
            _merge_into(prev, (t, src), "nlp.therapy.merge.early_chain")
            prev[0]["setting"] = t["setting"]
            continue
        if prev is not None and _endocrine_switch(prev, (t, src), index):
            # "adjuvant drug A 2 y -> drug B to 2019", both endocrine: one early endocrine course
            # (a switch), its status the later drug's (session 10)
            status = {k: t[k] for k in ("stop_reason", "end") if t.get(k)}
            _merge_into(prev, (t, src), "nlp.therapy.merge.endocrine_switch")
            prev[0].update(status)
            prev[0]["setting"] = prev[0].get("setting") or "adjuvant"
            continue
        out.append((t, src))
    return out


_GUESSED = ("nlp.therapy.setting.progression_default", "nlp.therapy.setting.ongoing_default")


def _endocrine_switch(prev: Item, item: Item, index: DrugIndex) -> bool:
    """An early endocrine course followed in its sentence ("then", "->", "followed by") by another
    endocrine drug whose setting is not written otherwise: the switch of one adjuvant course; not
    when the first drug has dates of its own (a course of its own)."""
    (p, psrc), (t, src) = prev, item
    guessed = t.get("setting") is None or set(src.get("cue_rules", [])) & set(_GUESSED)
    return (
        psrc.get("_sent") == src.get("_sent")
        and any(w in str(src.get("_sep", "")) for w in ("then", "followed", "->", "\u2192", "switch"))
        and p.get("setting") in _EARLY
        and (t.get("setting") == p.get("setting") or bool(guessed))
        and p.get("stop_reason") in (None, "completed")
        and not (p.get("start") and p.get("end"))  # dated on its own ("A 2018-2020, then B"): its own course
        and not set(p["drugs"]) & set(t["drugs"])
        and all(index.group.get(d) == "endocrine" for d in [*t["drugs"], *p["drugs"]])
    )


def _medication_list(items: list[Item], metastatic_note: bool) -> list[Item]:
    listed = [it for it in items if it[1].get("_section") == "medications"]
    if any(it[0].get("setting") == "metastatic" for it in items):  # s13: an early course listed stays apart
        listed = [it for it in listed if it[0].get("setting") not in _EARLY]
    if not listed:
        return items
    rest = [it for it in items if not any(it is x for x in listed)]
    drugs: list[str] = []
    for t, _ in listed:
        drugs = _union(drugs, t["drugs"])
    current = [
        it
        for it in rest
        if it[0].get("stop_reason") == "ongoing"
        or (not it[0].get("end") and it[0].get("setting") != "adjuvant")
    ]
    best = max(current, key=lambda it: len(set(it[0]["drugs"]) & set(drugs)), default=None)
    if best is not None and set(best[0]["drugs"]) & set(drugs):
        for it in listed:
            _merge_into(best, it, "nlp.therapy.merge.medication_list")
        best[0]["stop_reason"] = "ongoing"
        best[0].pop("end", None)
        return rest
    head = listed[0]
    for it in listed[1:]:
        _merge_into(head, it, "nlp.therapy.merge.medication_list")
    head[0]["stop_reason"] = "ongoing"
    head[0].pop("end", None)
    if "setting" not in head[0] and metastatic_note:
        head[0]["setting"] = "metastatic"
    return [*rest, head]


def _same_ongoing_line(items: list[Item], cfg: Mapping[str, Any]) -> list[Item]:
    ongoing = [it for it in items if it[0].get("stop_reason") == "ongoing"]
    stopped = (cfg.get("later_stop") or {}).get("stop_verb", "(?!)")  # "stopped", "discontinued"
    dropped: set[int] = set()
    # The ongoing items by drug set, an index (comparing every pair was quadratic in a long note);
    # a merge here never adds a drug (the sets are equal or nested), so the sets stay as they are.
    sets = [frozenset(it[0]["drugs"]) for it in ongoing]
    by_set: dict[frozenset[str], list[int]] = {}
    for j, drugs in enumerate(sets):
        by_set.setdefault(drugs, []).append(j)
    for a in items:  # the same drugs, not dated as ended, and elsewhere said to go on
        if a[0].get("stop_reason") == "ongoing" or a[0].get("end"):
            continue
        first = by_set.get(frozenset(a[0]["drugs"]))
        same = ongoing[first[0]] if first else None
        settings = {a[0].get("setting"), same[0].get("setting") if same else None} - {None}
        if same is not None and settings <= {same[0].get("setting")}:
            _merge_into(same, a, "nlp.therapy.merge.same_line")
            said = str(a[1].get("text") or "")
            ended = a[0].get("stop_reason") and re.search(stopped, said, re.IGNORECASE)
            if ended and not _dose_change(said, cfg):
                # "we stopped A/B": the line named as going on has ended
                same[0]["stop_reason"] = a[0]["stop_reason"]
            dropped.add(id(a))
    for i, a in enumerate(ongoing):
        if id(a) in dropped:
            continue
        # the first line in note order that holds its drugs: a larger set anywhere, an equal one
        # after it (session 9, s9-safe: equal drug sets merge in note order, not by memory address)
        own = sets[i]
        runs = [js if own < s else js[bisect.bisect_right(js, i) :] for s, js in by_set.items() if own <= s]
        for j in heapq.merge(*runs):
            b = ongoing[j]
            settings = {a[0].get("setting"), b[0].get("setting")} - {None}
            if id(b) not in dropped and len(settings) <= 1:
                _merge_into(b, a, "nlp.therapy.merge.same_line")
                dropped.add(id(a))
                break
    return [it for it in items if id(it) not in dropped]


def _same_start(items: list[Item]) -> list[Item]:
    """Drugs listed one per item that started on the same date, in the same setting and with
    the same outcome, are one regimen ("- <aromatase inhibitor> ... started 14/01/2026",
    "- <CDK4/6 inhibitor> ... started 14/01/2026")."""
    dropped: set[int] = set()
    for i, a in enumerate(items):
        if id(a) in dropped or not a[0].get("start"):
            continue
        for b in items[i + 1 :]:
            if (
                id(b) in dropped
                or b[0].get("start") != a[0]["start"]
                or set(b[0]["drugs"]) & set(a[0]["drugs"])
            ):
                continue
            induction = _induction_pair(a[0], b[0])
            if not induction and any(
                {a[0].get(k), b[0].get(k)} - {None} and a[0].get(k) != b[0].get(k)
                for k in ("setting", "end", "stop_reason")
            ):
                continue
            _merge_into(a, b, "nlp.therapy.merge.same_start")
            if induction:  # the part given for a set number of cycles ended; the line goes on
                a[0]["stop_reason"] = "ongoing"
                a[0].pop("end", None)
            dropped.add(id(b))
    return [it for it in items if id(it) not in dropped]


def _induction_pair(a: Mapping[str, Any], b: Mapping[str, Any]) -> bool:
    """Two courses that started together, one completed as planned and the other going on
    ("drug A + B from 02/2026 -", "drug C 02/2026 - 06/2026 (6 cycles, completed)"): one line,
    going on (session 10); not when one stopped for progression or toxicity."""
    settings = {a.get("setting"), b.get("setting")} - {None}
    return (
        {a.get("stop_reason"), b.get("stop_reason")} == {"completed", "ongoing"}
        and len(settings) <= 1
        and not settings & set(_EARLY)
    )


def _side_mentions(items: list[Item], cfg: Mapping[str, Any]) -> list[Item]:
    """An undated mention of some drugs of exactly one other line, in a clause about a dose
    change, hold or side effect, is that line."""
    out: list[Item] = []
    for it in items:
        t, src = it
        # a dose change or hold dated by its own event ("held 2 weeks in Jan 2025", "reduced after 2
        # months") is still a mention of its line; a range (start and end) is a course of its own
        dated = t.get("start") and t.get("end") and src.get("date_precision") != "duration"
        if dated or not _dose_change(str(src.get("text") or ""), cfg):
            out.append(it)
            continue
        hosts = [
            o
            for o in items
            if o is not it
            and set(t["drugs"]) <= set(o[0]["drugs"])
            and (t.get("setting") is None or (o[0].get("setting") in _EARLY) == (t.get("setting") in _EARLY))
        ]
        if len(hosts) == 1:
            # "reduced after 2 months", "held in Jan 2025": a time into the line, not its dates
            part = {k: v for k, v in t.items() if k not in ("start", "end")}
            _merge_into(hosts[0], (part, src), "nlp.therapy.merge.side_mention", cfg)
        elif len(hosts) > 1 and not (t.get("start") or t.get("end") or t.get("setting")):
            # a side effect of a drug given in several lines (session 9): a mention, not a line
            _merge_into(hosts[-1], ({"drugs": []}, src), "nlp.therapy.merge.side_mention", cfg)
        else:
            out.append(it)
    return out


def _bare_mentions(items: list[Item], cfg: Mapping[str, Any] | None = None) -> list[Item]:
    """An undated mention of drugs that the note also gives as exactly one dated line, with
    no setting or stop reason against it, is that line; so is a bare mention (no date, setting or
    stop reason) of some of the drugs of exactly one other line ("Doses: X 300 mg bd; Y 6 mg/kg")
    (session 8)."""
    out: list[Item] = []
    holders: dict[str, list[int]] = {}  # drug -> the items naming it (a merge never changes them)
    for k, o in enumerate(items):
        for drug in set(o[0]["drugs"]):
            holders.setdefault(drug, []).append(k)
    for it in items:
        t = it[0]
        if t.get("start") or t.get("end"):
            out.append(it)
            continue
        bare = not any(t.get(k) for k in ("setting", "stop_reason"))
        pool = min((holders.get(drug, []) for drug in set(t["drugs"])), key=len, default=[])
        dated = [
            o
            for o in (items[k] for k in pool)
            if o is not it
            and (
                (set(o[0]["drugs"]) == set(t["drugs"]) and (o[0].get("start") or o[0].get("end")))
                or (bare and set(t["drugs"]) < set(o[0]["drugs"]))
            )
            and all(not t.get(k) or o[0].get(k) in (None, t[k]) for k in ("setting", "stop_reason"))
        ]
        if len(dated) > 1 and bare:  # "depot given": of the lines holding it, the one going on (s9)
            dated = [o for o in dated if o[0].get("stop_reason") == "ongoing"]
        if len(dated) == 1:
            _merge_into(dated[0], it, "nlp.therapy.merge.bare_mention", cfg)
        else:
            out.append(it)
    return out


def _day(value: Any) -> dt.date | None:
    try:
        return dt.date.fromisoformat(str(value)) if value else None
    except ValueError:
        return None


def _months(a: dt.date, b: dt.date) -> int:
    """Whole months from ``a`` to ``b``."""
    return (b.year - a.year) * 12 + b.month - a.month


def _ends_line(items: list[Item]) -> list[Item]:
    """A later sentence that ends a line named earlier ("(2) F + C started 15/09/2025. ...
    C and F were stopped on 24/10/2026"): the same drugs, an end and no start of its own,
    and exactly one line of those drugs that started and has not ended. That line ends then,
    for the reason given there (or none)."""
    out: list[Item] = []
    for it in items:
        t, src = it
        hosts = [
            o
            for o in items
            if o is not it
            and set(o[0]["drugs"]) == set(t["drugs"])
            and o[0].get("start")
            and not o[0].get("end")
            and o[0].get("stop_reason") in (None, "ongoing")
        ]
        if (
            t.get("start")
            or not t.get("end")
            or len(hosts) != 1
            or t.get("setting") not in (None, hosts[0][0].get("setting"))
        ):
            out.append(it)
            continue
        host = hosts[0]
        host[0]["end"] = t["end"]
        host[0].pop("stop_reason", None)
        if t.get("stop_reason") not in (None, "ongoing"):
            host[0]["stop_reason"] = t["stop_reason"]
        merged = {"rule": "nlp.therapy.merge.ends_line", "text": src.get("text"), "span": src.get("span")}
        host[1]["merged"] = [*host[1].get("merged", []), merged]
    return out


def _setting_by_dates(items: list[Item], spec: Mapping[str, Any], index: DrugIndex, relapse: dt.date) -> None:
    """A course with no setting written, dated against the metastatic diagnosis: started
    after it, metastatic; endocrine therapy that started well before it and ended by it, an
    early (adjuvant) course (certainty ``inferred``)."""
    margin = int(spec["months"])
    for t, src in items:
        end = _day(t.get("end"))
        start = _day(t.get("start")) or (end if t.get("stop_reason") == "completed" else None)
        guessed = t.get("setting") and set(src.get("cue_rules", [])) & set(spec.get("overrides", ()))
        if (t.get("setting") and not guessed) or start is None:
            continue
        if _months(relapse, start) >= -1:
            if guessed:
                continue
            setting, rule = "metastatic", spec["after_id"]
        elif (
            not guessed  # stopped for progression: a metastatic line, whatever its dates (review)
            and t.get("stop_reason") != "progression"
            and not any(index.group.get(d) == "endocrine" for d in t["drugs"])
            and (end is not None or t.get("stop_reason") == "completed")
            and _months(end or start, relapse) > margin
        ):
            # a course that ended well before: early (session 8)
            setting, rule = "adjuvant", spec["before_id"]
        elif (
            all(index.group.get(d) == "endocrine" for d in t["drugs"])
            and _months(start, relapse) > margin
            and (end is None or _months(end, relapse) >= -1)
            and t.get("stop_reason") != "ongoing"
        ):
            setting, rule = "adjuvant", spec["before_id"]
        else:
            continue
        t["setting"] = setting
        src["cue_rules"] = [
            *(r for r in src.get("cue_rules", []) if r not in spec.get("overrides", ())),
            str(rule),
        ]
        src["certainty"] = "inferred"


def _finished_early(
    items: list[Item], spec: Mapping[str, Any], index: DrugIndex, relapse_day: dt.date | None
) -> None:
    """Early courses with no stop reason, in a note about metastatic disease: over."""
    margin = int(spec["at_relapse"]["months"])
    for t, src in items:
        if t.get("setting") not in _EARLY or t.get("stop_reason"):
            continue
        endocrine = all(index.group.get(d) == "endocrine" for d in t["drugs"])
        end = dt.date.fromisoformat(t["end"]) if t.get("end") else None
        hit: Mapping[str, Any] | None = None
        if not endocrine:
            hit = spec
        elif end is not None and relapse_day is not None:
            months = _months(end, relapse_day)
            hit = spec if months > margin else (spec["at_relapse"] if months >= -margin else None)
        elif end is not None and t.get("start") and t["end"][:4] != t["start"][:4]:
            hit = spec  # an endocrine course dated 2015-2020: a range that ended, relapse not dated
        if hit is None:
            continue
        t["stop_reason"] = str(hit["stop_reason"])
        src["cue_rules"] = [*src.get("cue_rules", []), str(hit["id"])]
        src["certainty"] = "inferred"


def open_latest_line(b: RecordBuilder, cfg: Mapping[str, Any], metastatic_note: bool) -> None:
    """The newest metastatic line, dated as started and neither ended nor stopped, with no line
    started after it, is the line going on ("2L X from 09/09/2026."): status ``ongoing``,
    certainty ``inferred`` (session 9; ``latest_open_line`` in knowledge/nlp/therapy.yaml). In a
    note about metastatic disease a line with no setting written is taken as metastatic."""
    spec = cfg.get("latest_open_line")
    items = b.therapy_sources()
    if not spec or not items:
        return
    starts = [d for t, _ in items if t.get("setting") not in _EARLY and (d := _day(t.get("start")))]
    for t, src in items:
        start = _day(t.get("start"))
        if (
            start is None
            or t.get("end")
            or t.get("stop_reason")
            or t.get("setting") not in (spec.get("setting", "metastatic"), None)
            or (t.get("setting") is None and not metastatic_note)
            or any(d > start for d in starts)
        ):
            continue
        t["stop_reason"] = "ongoing"
        t.setdefault("setting", spec.get("setting", "metastatic"))
        src["cue_rules"] = [*src.get("cue_rules", []), str(spec["id"])]
        src["certainty"] = "inferred"


def _relapse_on_line(items: list[Item], cfg: Mapping[str, Any], relapse: dt.date | None) -> list[Item]:
    """"Relapse found <date> while still on X", "rechute ... sous X" (session 9): a mention with
    no start of the drugs of exactly one line that has not ended is that line stopped at the
    relapse: it takes the progression and the mention's end (or the metastatic diagnosis
    date), and keeps its own setting (``relapse_on`` in knowledge/nlp/therapy.yaml)."""
    cue = re.compile(str(cfg.get("relapse_on", "(?!)")), re.IGNORECASE)
    out: list[Item] = []
    for t, src in items:
        said = str(src.get("text") or "")
        if t.get("start") or t.get("stop_reason") != "progression" or not cue.search(said):
            out.append((t, src))
            continue
        hosts = [
            o
            for o in items
            if o[1] is not src
            and set(o[0]["drugs"]) == set(t["drugs"])
            and not o[0].get("end")
            and o[0].get("stop_reason") in (None, "ongoing")
        ]
        if len(hosts) != 1:
            out.append((t, src))
            continue
        host = hosts[0][0]
        end = t.get("end") or (relapse.isoformat() if relapse else None)
        part = {k: v for k, v in t.items() if k not in ("setting", "stop_reason", "end")}
        _merge_into(hosts[0], (part, src), "nlp.therapy.merge.relapse_on_line", cfg)
        host["stop_reason"] = "progression"
        if end and (not host.get("start") or str(end) >= str(host["start"])):
            host["end"] = end
    return out
