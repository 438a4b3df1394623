"""FHIR medication records -> courses -> lines of therapy with a setting (the grouping half of
:mod:`mbc.ingest._fhir_meds`, which reads the records).

Courses: records of one drug closer than ``same_course_gap_days``, numbered as later cycles, or
on one chain of orders (``priorPrescription``, an administration's ``request``). Lines: courses
that start together and overlap; a GnRH agonist going on beside a stopped line does not keep it
open (``backbone_drugs``). Setting of a line, first that applies: the procedure-intent extension
or the setting written on the record; a start on or after the metastatic date; stage IV at
diagnosis; before / after the first breast surgery.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from mbc.ingest._data import drug_index
from mbc.ingest._fhir_base import Ctx, MedRecord, Timeline
from mbc.ingest._fhir_line_passes import (
    _GUESSED,
    _SWITCH_REASONS,
    JoinParams,
    _progression_end,
    end_superseded,
    known_regimens,
    merge_lines,
    progressing,
)

__all__ = ["emit_therapies"]

_EARLY = frozenset({"curative", "adjuvant", "neoadjuvant"})  # the intents of early-disease therapy


@dataclass
class _Course:
    drugs: list[str]
    start: dt.date
    end: dt.date
    active: bool
    stop_reason: str | None
    refs: list[str]
    intent: str | None
    done: bool = False
    joins: bool = False
    members: list[_Course] | None = None  # a line: the courses it holds
    held_only: bool = False  # only orders on hold, none given: not a therapy given
    ordered_only: bool = False  # only orders dated by when they were written
    addon: bool = False  # ovarian suppression by a procedure: joins a running line, never a line alone
    goes_on: bool = False  # a record's words say the therapy went on past it (a break is not an end)
    no_start: bool = False  # its first record gives only an end: when it began is unknown


def _same_intent(a: str | None, b: str | None) -> bool:
    """Unknown matches anything; "curative" matches an early setting it does not name."""
    return a is None or b is None or a == b or ("curative" in (a, b) and {a, b} <= _EARLY)


def _courses(records: list[MedRecord], gap_days: int, lead_days: int = 0) -> list[_Course]:
    """Merge records of one drug closer than ``gap_days``, or numbered as later cycles of the
    same course ("C1" ... "C6" ... "C14"), into courses."""
    out: list[_Course] = []
    by_drug: dict[str, list[MedRecord]] = {}
    for r in records:
        by_drug.setdefault(r.inn, []).append(r)
    gap = dt.timedelta(days=gap_days)
    for inn, recs in by_drug.items():
        recs.sort(key=lambda r: r.start)
        cur: _Course | None = None
        cur_ordered = False
        last_cycle: int | None = None
        chains: set[str] = set()
        last: MedRecord | None = None
        for r in recs:
            next_cycle = last_cycle is not None and r.cycle is not None and r.cycle > last_cycle
            chained = r.chain is not None and r.chain in chains  # a dose change or a dose given on that order
            # a record begun after the one before it stopped at progression: the drug given
            # again in the next line (an endocrine backbone kept with a new partner), a new course
            again = (
                last is not None and last.stop_reason == "progression" and not last.active
                and r.start >= last.end and not chained
            )  # fmt: skip
            last = r
            if again and r.held and cur is not None:
                cur.refs.append(r.ref)  # held after the course stopped at progression: not restarted
                continue
            if (
                cur is not None
                and not again
                and (r.start <= cur.end + gap or next_cycle or chained)
                and _same_intent(r.intent, cur.intent)
            ):
                if r.chain:
                    chains.add(r.chain)
                if r.held and not cur.active and cur.stop_reason == "progression":
                    cur.refs.append(r.ref)  # held after the course stopped at progression: not restarted
                    continue
                if cur_ordered and not r.ordered and (r.start - cur.start).days <= lead_days:
                    cur.start = r.start  # ordered on one day, given from the next: the giving counts
                cur_ordered = cur_ordered and r.ordered
                last_cycle = r.cycle if r.cycle is not None else last_cycle
                cur.end = max(cur.end, r.end)
                cur.active = r.active
                cur.stop_reason = r.stop_reason or cur.stop_reason
                cur.intent = cur.intent or r.intent
                cur.done = cur.done and r.done
                cur.held_only = cur.held_only and r.held and r.ordered
                cur.ordered_only = cur.ordered_only and r.ordered
                cur.goes_on = cur.goes_on or r.goes_on
                if r.ref not in cur.refs:
                    cur.refs.append(r.ref)
                continue
            cur = _Course([inn], r.start, r.end, r.active, r.stop_reason, [r.ref], r.intent, r.done, r.joins)
            cur.goes_on = r.goes_on
            cur.no_start = r.no_start
            cur.held_only = r.held and r.ordered
            cur.ordered_only = r.ordered
            cur.addon = r.addon
            chains = {r.chain} if r.chain else set()
            cur_ordered = r.ordered
            last_cycle = r.cycle
            out.append(cur)
    return sorted(out, key=lambda c: (c.start, c.drugs))


def _switched(line: _Course, c: _Course, switch: dt.timedelta) -> bool:
    """``c`` replaces a drug of the still-running ``line`` stopped for toxicity (not
    progression) within ``switch`` before it starts: the same line."""
    running = any(m.active for m in line.members or []) or c.start <= line.end
    return (
        running
        and any(
            m.stop_reason in _SWITCH_REASONS and not m.active and m.end <= c.start <= m.end + switch
            for m in line.members or []
        )
        and not any(m.stop_reason == "progression" and m.end <= c.start for m in line.members or [])
    )


def _suppresses(c: _Course, line: _Course, backbone: frozenset[str]) -> bool:
    """``c`` is ovarian suppression (a GnRH agonist, an ablation procedure) begun while the
    endocrine ``line`` runs: part of that line (a GnRH agonist, then a BSO, beside an AI)."""
    if not (c.addon or set(c.drugs) <= backbone) or not line.start <= c.start <= line.end:
        return False
    group = drug_index().group
    return any(group.get(d) == "endocrine" and d not in backbone for d in line.drugs)


def _added_to(
    line: _Course,
    c: _Course,
    window: dt.timedelta,
    gap: dt.timedelta,
    met: _Metastatic,
    suppression: frozenset[str] = frozenset(),
    partners: tuple[frozenset[str], int] = (frozenset(), 0),
) -> bool:
    """In metastatic disease, ``c`` belongs to ``line`` though it began later: endocrine therapy
    added while the line's other drugs went on for a while yet (maintenance after induction,
    an endocrine drug added to HP), or a drug that replaced the line's drug within ``gap``
    after its last dose early in the line (a taxane changed after two doses) - in both cases
    with no progression of the line before it."""
    since, progression = met
    if since is None or c.start < since or line.start < since - gap:
        return False
    if any(line.start < p <= c.start for p in progression):
        return False
    if any(m.stop_reason == "progression" and m.end <= c.start + gap for m in line.members or []):
        return False
    group = drug_index().group
    running = [m for m in line.members or [] if not m.addon and (m.active or m.end >= c.start + window)]
    # only endocrine therapy added to a running line of other drugs (maintenance after
    # induction): a drug of a kind the line already runs may be its replacement at an
    # unrecorded progression (a stale "active" record of the old drug), not an addition.
    # What the line "already runs" is what began before ``c``: ovarian suppression (a GnRH
    # agonist) and drugs begun with ``c`` (an AI and its GnRH agonist added together) are
    # part of the same addition, not an endocrine line running before it.
    before = [m for m in running if m.start < c.start - window and not set(m.drugs) <= suppression]
    goes_on = (
        bool(running)
        and all(group.get(d) == "endocrine" for d in c.drugs)
        and not any(group.get(d) == "endocrine" for m in before for d in m.drugs)
    )
    replaced = c.start - line.start <= window and c.start <= line.end + gap
    # a partner of endocrine therapy (a CDK4/6, mTOR or PI3K/AKT inhibitor) added within
    # `partner_added_days` to a running endocrine line that has none yet (ovarian suppression
    # aside): the same line (an AI started first, the CDK4/6 inhibitor once it could be given)
    kinds, days = partners
    partnered = (
        set(c.drugs) <= kinds
        and not any(d in kinds for d in line.drugs)
        and c.start - line.start <= dt.timedelta(days=days)
        and any(group.get(d) == "endocrine" and d not in suppression for m in running for d in m.drugs)
    )
    return goes_on or replaced or partnered


_Metastatic = tuple[
    dt.date | None, list[dt.date]
]  # (therapy from this date is metastatic, progression dates)


def _lines(
    courses: list[_Course],
    window_days: int,
    switch_days: int = 0,
    backbone: frozenset[str] = frozenset(),
    met: _Metastatic = (None, []),
    gap_days: int = 0,
    partners: tuple[frozenset[str], int] = (frozenset(), 0),
) -> list[_Course]:
    """Courses that start together (within ``window_days``) and overlap form one line; so does
    a course that replaces a drug of a running line stopped for toxicity, ovarian suppression
    begun while an endocrine line runs, and in metastatic disease a drug added to a running
    line or replacing one early in it, with no progression between (:func:`_added_to`)."""
    lines: list[_Course] = []
    gap = dt.timedelta(days=gap_days)
    window = dt.timedelta(days=window_days)
    switch = dt.timedelta(days=switch_days)
    group = drug_index().group

    def endocrine(x: _Course) -> bool:
        return all(group.get(d) == "endocrine" for d in x.drugs)

    def endocrine_regimen(x: _Course) -> bool:
        """Endocrine therapy or a partner of it (an adjuvant CDK4/6 inhibitor begun with the AI)."""
        return all(group.get(d) == "endocrine" or d in partners[0] for d in x.drugs)

    # on one day, endocrine drugs first: a partner begun with one joins the line it joins
    for c in sorted(courses, key=lambda x: (x.start, not endocrine(x), x.drugs)):
        for line in lines[-8:]:  # only recent lines can take a course: linear in records
            intents = {c.intent, line.intent} - {None}
            if intents and intents <= _EARLY and endocrine_regimen(c) != endocrine_regimen(line):
                continue  # early endocrine therapy is a course of its own beside an early regimen
            added = c.joins and line.start <= c.start <= line.end and not intents & _EARLY
            added = added or (not intents & _EARLY and _switched(line, c, switch))
            added = added or _suppresses(c, line, backbone)
            added = added or (
                not intents & _EARLY and _added_to(line, c, window, gap, met, backbone, partners)
            )
            if (c.start - line.start <= window and c.start <= line.end) or added:
                line.drugs.extend(d for d in c.drugs if d not in line.drugs)
                line.stop_reason = _last_reason(line, c)
                line.end = max(line.end, c.end)
                line.active = line.active or c.active
                line.intent = line.intent or c.intent
                line.done = line.done and c.done
                line.refs.extend(c.refs)
                line.goes_on = line.goes_on or c.goes_on
                (line.members or []).append(c)
                break
        else:
            line = _Course(
                list(c.drugs), c.start, c.end, c.active, c.stop_reason, list(c.refs), c.intent, c.done
            )
            line.members = [c]
            line.addon = c.addon
            line.no_start = c.no_start
            line.goes_on = c.goes_on
            lines.append(line)
    for line in lines:  # the drugs in the order their courses began (by name on one day), as written
        ordered = sorted(line.members or [], key=lambda m: (m.start, m.drugs))
        line.drugs = list(dict.fromkeys(d for m in ordered for d in m.drugs))
    return lines


def _last_reason(line: _Course, c: _Course) -> str | None:
    """The stop reason of a line that ``c`` joins: that of the drugs that stopped last (a
    taxane completed, then the antibodies stopped at progression: progression); on the same
    day a progression outranks the other reasons; a reason only the earlier drugs give stays."""
    if c.stop_reason is None and not c.active and line.stop_reason in _SWITCH_REASONS:
        # a drug stopped for toxicity and replaced (``c`` begun after it stopped): its reason
        # is the replaced drug's, not the line's
        gave = [m.end for m in line.members or [] if m.stop_reason == line.stop_reason]
        if gave and c.start > max(gave):
            return None
    if c.stop_reason is None or c.active:
        return line.stop_reason
    if line.stop_reason is None or c.end > line.end:
        return c.stop_reason
    if c.end == line.end and c.stop_reason == "progression":
        return c.stop_reason
    return line.stop_reason


def _backbone_goes_on(line: _Course, backbone: set[str]) -> None:
    """A line whose drugs other than a backbone (a GnRH agonist going on beside it) have all
    stopped has ended: its end and stop reason are theirs."""
    core = [m for m in line.members or [] if not set(m.drugs) <= backbone]
    if not line.active or not core or any(m.active for m in core) or len(core) == len(line.members or []):
        return
    line.active = False
    line.end = max(m.end for m in core)
    last = sorted(core, key=lambda m: m.end, reverse=True)
    line.stop_reason = next((m.stop_reason for m in last if m.stop_reason), None)
    line.done = all(m.done for m in core)


def _around(line: _Course, metastatic: dt.date, window: dt.timedelta) -> bool:
    """Begun shortly (``window``) before the metastases' date (the biopsy that dated them
    confirmed what imaging had shown) and going on well past it: first metastatic therapy."""
    began = metastatic - window <= line.start < metastatic
    return began and (line.active or line.end > metastatic + window)


def _setting(line: _Course, tl: Timeline, window: dt.timedelta = dt.timedelta(0)) -> tuple[str | None, str]:
    first_surgery = min(tl.surgeries) if tl.surgeries else None
    if line.intent == "metastatic":
        return "metastatic", "fhir.therapy.intent"
    if line.intent in ("neoadjuvant", "adjuvant"):  # written on the record
        return line.intent, "fhir.therapy.words"
    if line.intent == "curative":
        if first_surgery is None:  # no surgery recorded: adjuvant is a guess a chain may correct
            return "adjuvant", _GUESSED
        if line.start < first_surgery:
            return "neoadjuvant", "fhir.therapy.intent"
        return "adjuvant", "fhir.therapy.intent"
    if tl.metastatic is not None and line.start >= tl.metastatic:
        return "metastatic", "fhir.therapy.after_metastatic_date"
    if tl.metastatic is not None and _around(line, tl.metastatic, window):
        return "metastatic", "fhir.therapy.around_metastatic_date"
    if tl.stage_iv_at_dx and tl.metastatic is None:
        return "metastatic", "fhir.therapy.stage_iv"
    if first_surgery is not None:
        return ("neoadjuvant" if line.start < first_surgery else "adjuvant"), "fhir.therapy.surgery"
    return None, ""


def _said_settings(tl: Timeline) -> dict[str, set[str]]:
    """The settings treatment summaries in words give each drug (built once per patient)."""
    said: dict[str, set[str]] = {}
    for inn, setting, _ in tl.setting_words:
        said.setdefault(inn, set()).add(setting)
    return said


def _said_setting(line: _Course, said: dict[str, set[str]]) -> str | None:
    """The one setting a treatment summary in words gives every drug of the line, if any."""
    found = {s for d in line.drugs for s in said.get(d, {"?"})}
    return next(iter(found)) if len(found) == 1 and "?" not in found else None


def _relapsed_on(line: _Course, tl: Timeline, params: dict[str, Any], gap: dt.timedelta) -> bool:
    """A course begun long before the metastases were found (``early_course_days``) that ran up
    to them: early-disease therapy (adjuvant, the common case) on which the disease relapsed."""
    early = int(params.get("early_course_days", 0))
    if tl.metastatic is None or not early or line.active:
        return False
    began_early = line.start + dt.timedelta(days=early) <= tl.metastatic
    window = dt.timedelta(days=int(params.get("source_window_days", 0)))
    return began_early and tl.metastatic - window <= line.end <= tl.metastatic + gap


def _recent_orders(courses: list[_Course], tl: Timeline, as_of: dt.date, days: int) -> list[_Course]:
    """Courses known only by an order written in the last ``days`` before the record's date,
    in a record that gives its administrations (other drugs were recorded as given): ordered,
    not yet given."""
    if not days or not any(r.ref.startswith("MedicationAdministration/") for r in tl.meds):
        return []
    since = as_of - dt.timedelta(days=days)
    return [c for c in courses if c.ordered_only and c.active and since <= c.start <= as_of]


def _new_sites(tl: Timeline, days: int) -> list[dt.date]:
    """A metastatic site first found ``days`` or more after the metastatic diagnosis (a new
    brain lesion on the restaging scan): the disease progressed on that date. Not a site
    found before (the same site recorded again), nor one dated only by when it was recorded
    (a site entered late: review 9)."""
    if not days or tl.metastatic is None:
        return []
    first: dict[str, tuple[dt.date, bool]] = {}
    for site, day, given in tl.site_onsets:
        if site not in first or (day, not given) < (first[site][0], not first[site][1]):
            first[site] = (day, given)
    late = tl.metastatic + dt.timedelta(days=days)
    return [day for day, given in first.values() if given and day >= late]


def _supplied_until(line: _Course, tl: Timeline, starts: list[dt.date], as_of: dt.date) -> dt.date:
    """A stopped line's end moved to the last day the supply of its last dispense (or order)
    covers, when later than its records' last date: not past the start of the next line nor
    the record's date."""
    supplied = [tl.supply_ends[r] for r in line.refs if r in tl.supply_ends]
    if not supplied or max(supplied) <= line.end:
        return line.end
    limit = min([s for s in starts if s > line.start] + [as_of])
    return max(line.end, min(max(supplied), limit))


def emit_therapies(ctx: Ctx, tl: Timeline) -> None:
    params = ctx.cfg["therapy_grouping"]
    gap_days, switch_days = int(params["same_course_gap_days"]), int(params.get("toxicity_switch_days", 0))
    courses = _courses(tl.meds, gap_days, int(params.get("order_lead_days", 0)))
    recent = _recent_orders(courses, tl, ctx.builder.as_of, int(params.get("recent_order_days", 0)))
    for c in courses:
        if c in recent:
            c.held_only = True  # not given yet: dropped like a held order
            why = "ordered in the last days, no administration recorded yet"
            fresh = {"kind": "ignored", "resource": c.refs[0], "reason": why, "drugs": c.drugs}
            ctx.builder.note_unread(fresh)
        elif c.held_only:
            why = "ordered and on hold, none given"
            held = {"kind": "ignored", "resource": c.refs[0], "reason": why, "drugs": c.drugs}
            ctx.builder.note_unread(held)
    backbone = frozenset(params.get("backbone_drugs") or [])
    since = tl.metastatic if tl.metastatic is not None else (dt.date.min if tl.stage_iv_at_dx else None)
    progression = sorted(
        set(tl.progression) | set(_new_sites(tl, int(params.get("new_site_progression_days", 0))))
    )
    met = (since, progression)
    given = [c for c in courses if not c.held_only]
    window, cycle = int(params["together_window_days"]), int(params.get("switch_gap_days", 0))
    partners = (frozenset(params.get("endocrine_partners") or []), int(params.get("partner_added_days", 0)))
    lines = _lines(given, window, switch_days, backbone, met, cycle, partners)
    for line in [x for x in lines if x.addon]:  # an ablation beside no endocrine line: not a line
        why = "ovarian suppression procedure beside no endocrine line"
        ctx.builder.note_unread(
            {"kind": "ignored", "resource": line.refs[0], "reason": why, "drugs": line.drugs}
        )
    lines = [x for x in lines if not x.addon]
    gap = dt.timedelta(days=gap_days)
    source_window = dt.timedelta(days=int(params.get("source_window_days", 0)))
    said_settings = _said_settings(tl)
    placed = []
    for line in lines:
        _backbone_goes_on(line, set(backbone) | {d for m in line.members or [] if m.addon for d in m.drugs})
        setting, setting_rule = _setting(line, tl, source_window)
        said = _said_setting(line, said_settings) if setting_rule in ("", _GUESSED) else None
        if said is not None:  # a treatment summary in words gives it
            setting, setting_rule = said, "fhir.therapy.summary_words"
        if (
            setting is None
            and tl.metastatic is not None
            and not line.active
            and line.end + gap < tl.metastatic
        ):
            # ended long before the metastases were found: early disease (which of neo- or
            # adjuvant is not known; adjuvant is the common case)
            setting, setting_rule = "adjuvant", "fhir.therapy.before_metastatic"
        elif setting is None and _relapsed_on(line, tl, params, gap):
            setting, setting_rule = "adjuvant", "fhir.therapy.relapse_on_early"
            if line.stop_reason is None and not line.active and not line.done:
                # it ended at the relapse (inferred, as the setting); a course its records give
                # as completed stays completed (an AI finished a month before the relapse)
                line.stop_reason = "progression"
        placed.append((line, setting, setting_rule))
    joins = JoinParams(
        gap=gap,
        switch=dt.timedelta(days=switch_days),
        progression=tuple(progression),
        resume_subset=dt.timedelta(days=int(params.get("resume_subset_days", 0))),
        chain_excludes=frozenset(params.get("early_chain_excludes") or []),
        full_course=dt.timedelta(days=int(params.get("endocrine_full_course_days", 0))),
    )
    final = merge_lines(placed, joins)
    stopped_at = end_superseded(final, progression, dt.timedelta(days=window), backbone, known_regimens())
    starts = [line.start for line, _, _ in final]
    for (line, setting, setting_rule), superseded_at in zip(final, stopped_at, strict=True):
        therapy: dict[str, Any] = {"drugs": line.drugs}
        if not line.no_start:  # a course dated by its end only has no known start
            therapy["start"] = line.start.isoformat()
        if setting:
            therapy["setting"] = setting
        if line.active:  # going on; progressing when a progression was found on it since it began
            on_it = setting == "metastatic" and progressing(line, progression, starts, window)
            therapy["stop_reason"] = "progression" if on_it else "ongoing"
        else:
            therapy["end"] = line.end.isoformat()
            reason = line.stop_reason
            if reason is None and any(line.start <= p <= line.end + gap for p in progression):
                reason = "progression"
            if reason is None and line.done and setting in ("neoadjuvant", "adjuvant"):
                reason = "completed"  # an early course its records give as completed
            if reason != "progression" and superseded_at is None:  # taken up to its supply's end
                therapy["end"] = _supplied_until(line, tl, starts, ctx.builder.as_of).isoformat()
            if reason:
                therapy["stop_reason"] = reason
            if reason == "progression" and superseded_at is None:
                # a progression assessed (not a new site's onset: the biopsy that confirmed what
                # made the drugs stop) moves the end to its date
                assessed = sorted(set(tl.progression))
                therapy["end"] = _progression_end(line, assessed, starts, gap, backbone).isoformat()
        source = {
            "source": "fhir",
            "rule": "fhir.medication.lines",
            "resources": line.refs,
            "setting_rule": setting_rule or None,
            "certainty": "stated"
            if setting_rule in ("fhir.therapy.intent", "fhir.therapy.words")
            else "inferred",
        }
        ctx.builder.therapy(therapy, source)
