"""Therapy history facts: prior classes and drugs, lines of therapy, time to progression
per drug class, relapse windows, disease-free interval and endocrine resistance (part of
the derive stage)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from mbc.engine.facts import EARLY as _EARLY
from mbc.engine.facts import DerivedFacts, TherapyView
from mbc.engine.facts import family_keys as _family_keys
from mbc.engine.facts import months as _months
from mbc.knowledge.loader import KnowledgeBase
from mbc.model.record import PatientRecord

__all__ = ["therapy_history"]


def _views(r: PatientRecord, kb: KnowledgeBase, out: DerivedFacts) -> list[TherapyView]:
    views: list[TherapyView] = []
    for i, t in enumerate(r.prior_therapies or ()):
        ids: list[str] = []
        unknown: list[str] = []
        classes: set[str] = set()
        for name in t.drugs:
            drug_id = kb.lookup_drug(name)
            if drug_id is None:
                unknown.append(name)
                continue
            ids.append(drug_id)
            classes |= kb.drug_classes_of(drug_id)
        # a therapy without a setting stays undetermined here: the assumption policies
        # (knowledge/assumptions, engine/assume.py) fill it from the dates and say so
        setting = t.setting
        end = t.end
        views.append(TherapyView(t, i, tuple(ids), tuple(unknown), frozenset(classes), setting, t.start, end))
        out.unknown_drugs.extend(unknown)
    return views


def _counts_as_line(v: TherapyView, kb: KnowledgeBase) -> bool:
    non_line = set(kb.param("non_line_classes"))
    for d in v.drug_ids:
        if not kb.drugs[d].cancer_drug:
            continue
        if not (kb.drug_classes_of(d) & non_line):
            return True
    return bool(v.unknown_drugs)


def _therapy_history(r: PatientRecord, kb: KnowledgeBase, as_of: dt.date, out: DerivedFacts) -> None:
    f = out.facts
    if r.prior_therapies is None:
        return
    views = _views(r, kb, out)
    out.therapies = views
    met = [v for v in views if v.setting == "metastatic"]
    early = [v for v in views if v.setting in _EARLY]
    undetermined = any(v.setting is None for v in views)

    def union(views_: Iterable[TherapyView]) -> set[str]:
        acc: set[str] = set()
        for v in views_:
            acc |= v.classes
        return acc

    keys = _family_keys(kb)
    # every per-class / per-drug flag FALSE (in vocabulary order), then the TRUE ones
    out.flags(keys.history_undetermined if undetermined else keys.history)
    current = [v for v in views if v.end is None and v.therapy.stop_reason in (None, "ongoing")]
    families = [("prior.class.", union(views)), ("current.class.", union(current))]
    if not undetermined:
        progressed = [v for v in met if v.therapy.stop_reason == "progression"]
        families += [("prior.metastatic.class.", union(met)), ("prior.early.class.", union(early)),
                     ("progressed_on.class.", union(progressed))]  # fmt: skip
    for prefix, classes in families:
        out.raise_flags(filter(None, map(keys.classes[prefix].get, classes)))
    if not undetermined:
        _progression_months(met, kb, f)
    out.flags(keys.prior_drugs)
    named = keys.drugs["prior.drug."]
    out.raise_flags([named[d] for v in views for d in v.drug_ids])

    if undetermined:
        out.notes.append("a prior therapy has no setting, so metastatic lines cannot be counted")
        return
    # an ongoing metastatic therapy with no progression recorded: it is still the current line
    f["current.metastatic_no_progression"] = any(v.setting == "metastatic" for v in current)

    # Lines: metastatic therapies that contain a cancer drug, grouped into lines.
    groups, same_line_now = _line_groups([v for v in met if _counts_as_line(v, kb)], kb, as_of)
    f["prior.metastatic_lines"] = len(groups)
    if same_line_now:
        f["line.continuing"] = True
    chemo_classes = set(kb.param("line_chemo_classes"))
    f["prior.metastatic_chemo_lines"] = sum(1 for g in groups if _classes(g) & chemo_classes)
    f["prior.metastatic_endocrine_lines"] = sum(
        1 for g in groups if any(_is_endocrine_line(v, kb) for v in g)
    )
    anti_her2 = set(kb.param("anti_her2_line_classes"))
    f["prior.metastatic_anti_her2_lines"] = sum(1 for g in groups if _classes(g) & anti_her2)

    mdx = r.metastatic_diagnosis_date
    if mdx is None and r.presentation != "de_novo":
        starts = [v.start for v in met if v.start is not None]
        if starts:
            # No recorded date of metastatic diagnosis: the first metastatic therapy's start
            # stands in for it (it can only be later), so relapse windows can be judged.
            mdx = min(starts)
            out.notes.append(
                "metastatic diagnosis date not recorded: the start of the first metastatic therapy "
                f"({mdx.isoformat()}) is used for relapse timing"
            )
    _relapse(r, kb, early, mdx, f)
    _disease_free_interval(r, early, mdx, kb, f)
    _endocrine_resistance(r, kb, early, met, mdx, as_of, f)


def _progression_months(met: list[TherapyView], kb: KnowledgeBase, f: dict[str, Any]) -> None:
    """``progression_months.class.<c>``: months from the start of a metastatic course with a
    drug of class c to its end for progression (the shortest such course). Left unset
    (unknown) for a class when one of its progressed courses lacks a date, and for a class
    nothing progressed on."""
    best: dict[str, float] = {}
    undated: set[str] = set()
    for v in met:
        if v.therapy.stop_reason != "progression":
            continue
        if v.start is None or v.end is None:
            undated |= v.classes
            continue
        m = _months(v.start, v.end, kb)
        for c in v.classes:
            best[c] = min(m, best.get(c, m))
    for c, m in best.items():
        if c not in undated:
            f[f"progression_months.class.{c}"] = round(m, 2)


def _classes(group: list[TherapyView]) -> frozenset[str]:
    out: frozenset[str] = frozenset()
    for v in group:
        out |= v.classes
    return out


def _line_groups(
    views: list[TherapyView], kb: KnowledgeBase, as_of: dt.date
) -> tuple[list[list[TherapyView]], bool]:
    """Group metastatic therapies into lines of therapy.

    Therapies starting on the same day are one line. A therapy that follows one stopped as
    completed (e.g. the chemotherapy phase of THP, then maintenance) or for toxicity (a
    switch within the line) within ``line_continuation_max_gap_days`` continues that line;
    anything else (progression, other or unknown stop reason) starts a new line.

    Returns:
        The groups, and whether the plan is being made within the last line (it stopped
        as completed / for toxicity, recently) rather than for the next one.
    """
    gap = float(kb.param("line_continuation_max_gap_days"))
    switch = frozenset(kb.param("line_toxicity_switch_classes"))
    ordered = sorted(views, key=lambda v: (v.start or dt.date.max, v.index))
    groups: list[list[TherapyView]] = []
    for v in ordered:
        if groups:
            last = groups[-1][-1]
            same_day = v.start is not None and v.start == groups[-1][0].start
            if same_day or (_continues(last, v.start, gap) and _keeps(groups[-1], v, switch, kb)):
                groups[-1].append(v)
                continue
        groups.append([v])
    same_line_now = (
        bool(groups) and _continues(groups[-1][-1], as_of, gap) and _keeps(groups[-1], None, switch, kb)
    )
    return groups, same_line_now


def _keeps(
    group: list[TherapyView], nxt: TherapyView | None, switch: frozenset[str], kb: KnowledgeBase
) -> bool:
    """After a stop for toxicity, whether the line goes on (derive.yaml
    ``line_toxicity_switch_classes``): the next therapy keeps a drug of the line or swaps one
    within a switch class; with no next therapy yet, the stopped regimen was a combination or
    holds a switch class. A completed stop (induction, then maintenance) always goes on."""
    last = group[-1]
    if last.therapy.stop_reason != "toxicity":
        return True
    if nxt is not None:
        drugs = {d for v in group for d in v.drug_ids}
        return bool(drugs & set(nxt.drug_ids)) or bool(_classes(group) & nxt.classes & switch)
    non_line = set(kb.param("non_line_classes"))
    line_drugs = [
        d for d in last.drug_ids if kb.drugs[d].cancer_drug and not kb.drug_classes_of(d) & non_line
    ]
    return len(line_drugs) + len(last.unknown_drugs) > 1 or bool(last.classes & switch)


def _continues(prev: TherapyView, next_start: dt.date | None, gap_days: float) -> bool:
    """Whether something starting at ``next_start`` continues the line ``prev`` belongs to."""
    if prev.therapy.stop_reason not in ("completed", "toxicity"):
        return False
    if prev.end is None or next_start is None:
        return False
    return 0 <= (next_start - prev.end).days <= gap_days


def _is_endocrine_line(v: TherapyView, kb: KnowledgeBase) -> bool:
    """Contains endocrine therapy other than ovarian suppression alone, or a drug of a class
    only given with endocrine therapy (derive.yaml ``endocrine_line_classes``: a CDK4/6
    inhibitor recorded without its partner is still an endocrine-based line)."""
    always, endocrine, suppression_only = kb.attached(_LineClasses, lambda: _line_classes(kb))
    if v.classes & always:
        return True
    return bool(v.classes & endocrine) and bool(v.classes - suppression_only)


class _LineClasses(tuple[frozenset[str], frozenset[str], frozenset[str]]):
    """The derive.yaml classes that make a line endocrine-based (per KB)."""


def _line_classes(kb: KnowledgeBase) -> _LineClasses:
    names = ("endocrine_line_classes", "endocrine_classes", "ovarian_suppression_only_classes")
    return _LineClasses(frozenset(kb.param(n)) for n in names)


_ENDED = frozenset({"completed", "toxicity", "other"})


def _latest_end(views: Iterable[TherapyView]) -> tuple[bool, dt.date | None]:
    """(ongoing, latest end) over views; ongoing if any has no end date and was not
    recorded as stopped (completed, toxicity, other); (False, None) when one ended at an
    unrecorded date (how long before the recurrence is then unknown)."""
    views = list(views)
    if any(v.end is None and v.therapy.stop_reason not in _ENDED for v in views):
        return True, None
    if any(v.end is None for v in views):
        return False, None
    return False, max(v.end for v in views if v.end is not None)


def _relapse(
    r: PatientRecord,
    kb: KnowledgeBase,
    early: list[TherapyView],
    mdx: dt.date | None,
    f: dict[str, Any],
) -> None:
    """The relapse windows (``relapse.<window>``), then the relapse months per class."""
    for key, classes, months, longest in kb.attached(_Windows, lambda: _windows(kb)):
        relevant = [v for v in early if v.classes & classes]
        if not relevant:
            f[key] = False
            continue
        if r.presentation == "de_novo":
            f[key] = False
            continue
        if mdx is None:
            # undated recurrence: an early therapy stopped for progression was the one the
            # disease recurred on (recurrence during it), whatever the dates; so was one recorded
            # as still ongoing with no end (review of session 10)
            if any(
                v.therapy.stop_reason == "progression"
                or (v.end is None and v.therapy.stop_reason == "ongoing")
                for v in relevant
            ):
                f[key] = True
            continue
        ongoing, last_end = _latest_end(relevant)
        if ongoing or (last_end is not None and mdx <= last_end):
            f[key] = True  # recurrence during the therapy
        elif last_end is not None:
            f[key] = _months(last_end, mdx, kb) <= months if months > 0 else False
        elif longest is not None and _ended_long_before(relevant, mdx, months, longest, kb):
            f[key] = False  # session 9: undated end, but no course of the class lasts that long
    # ``relapse_months_from_start.class.<c>`` / ``relapse_months_from_end.class.<c>``: months
    # from the start of the first (neo)adjuvant course with a drug of class c, and from the
    # end of the last one (0 when the relapse came during it), to the metastatic diagnosis.
    # Unset for a de novo presentation, without a date, or for a class not given early.
    if r.presentation == "de_novo" or mdx is None or not early:
        return
    by_class: dict[str, list[TherapyView]] = {}
    for v in early:
        for c in v.classes:
            by_class.setdefault(c, []).append(v)
    for c, views in by_class.items():
        starts = [v.start for v in views if v.start is not None]
        if len(starts) == len(views):
            f[f"relapse_months_from_start.class.{c}"] = round(_months(min(starts), mdx, kb), 2)
        ongoing, end = _latest_end(views)  # (False, None): a course ended at an unrecorded date
        if ongoing or (end is not None and mdx <= end):
            f[f"relapse_months_from_end.class.{c}"] = 0.0
        elif end is not None:
            f[f"relapse_months_from_end.class.{c}"] = round(_months(end, mdx, kb), 2)


def _ended_long_before(
    views: list[TherapyView], mdx: dt.date, months: float, longest: float, kb: KnowledgeBase
) -> bool:
    """Every course ended more than ``months`` before the recurrence: its recorded end, or for
    a course stopped at an unrecorded date its start plus the longest such a course lasts (a
    bound, so this can only tell that the relapse came late, never that it came early)."""
    for v in views:
        if v.end is None and v.start is None:
            return False
        end = v.end or v.start + dt.timedelta(days=longest * float(kb.param("days_per_month")))
        if _months(end, mdx, kb) <= months:
            return False
    return True


class _Windows(tuple[tuple[str, frozenset[str], float, float | None], ...]):
    """(fact name, classes, months, longest course in months or None) of each relapse window
    in vocabulary order (per KB)."""


def _windows(kb: KnowledgeBase) -> _Windows:
    return _Windows(
        (
            f"relapse.{w.id}",
            frozenset(w.data.get("classes", ())),
            float(w.data.get("months", 0)),
            float(w.data["longest_course_months"]) if "longest_course_months" in w.data else None,
        )
        for w in kb.terms.get("relapse_windows", {}).values()
    )


def _disease_free_interval(
    r: PatientRecord,
    early: list[TherapyView],
    mdx: dt.date | None,
    kb: KnowledgeBase,
    f: dict[str, Any],
) -> None:
    if r.presentation == "de_novo" or not early or mdx is None:
        return
    ongoing, last_end = _latest_end(early)
    if ongoing:
        f["disease_free_interval_months"] = 0.0
    elif last_end is not None:
        f["disease_free_interval_months"] = round(max(0.0, _months(last_end, mdx, kb)), 1)


_RANK = {"none": 0, "secondary": 1, "primary": 2}


def _endocrine_resistance(
    r: PatientRecord,
    kb: KnowledgeBase,
    early: list[TherapyView],
    met: list[TherapyView],
    mdx: dt.date | None,
    as_of: dt.date,
    f: dict[str, Any],
) -> None:
    """ABC4/ABC5 definitions of primary and secondary endocrine resistance."""
    if f.get("hr_status") == "negative":
        f["endocrine_resistance"] = "not_applicable"
        f["endocrine_sensitive"] = False
        return
    result: str | None = "none"
    adj_et = [v for v in early if _is_endocrine_line(v, kb)]
    if adj_et and r.presentation != "de_novo":
        if mdx is None:
            result = None
        else:
            ongoing, last_end = _latest_end(adj_et)
            first_start = min((v.start for v in adj_et if v.start), default=None)
            if ongoing or (last_end is not None and mdx <= last_end):
                if first_start is None:
                    result = None  # relapse on adjuvant ET, but primary vs secondary unknown
                else:
                    on_months = _months(first_start, mdx, kb)
                    result = (
                        "primary"
                        if on_months < float(kb.param("primary_resistance_adjuvant_months"))
                        else "secondary"
                    )
            elif last_end is not None:
                after = _months(last_end, mdx, kb)
                result = (
                    "secondary"
                    if after <= float(kb.param("secondary_resistance_after_adjuvant_months"))
                    else "none"
                )
            else:
                result = None  # it ended at an unrecorded date: how long before is unknown
    met_et = sorted((v for v in met if _is_endocrine_line(v, kb)), key=lambda v: v.start or as_of)
    if met_et:
        first = met_et[0]
        progressed = [v for v in met_et if v.therapy.stop_reason == "progression"]
        if first.therapy.stop_reason == "progression" and first.start is not None:
            end = first.end or as_of
            dur = _months(first.start, end, kb)
            met_res = (
                "primary" if dur < float(kb.param("primary_resistance_metastatic_months")) else "secondary"
            )
            result = met_res if result is None else max(result, met_res, key=_RANK.__getitem__)
        elif first.therapy.stop_reason == "progression":
            # session 8: an undated first endocrine line that progressed may have been primary
            # (< 6 months) or secondary resistance; unknown unless the adjuvant history already
            # says resistant (this branch used to come after the next, so "secondary" was
            # taken as known)
            # session 9: also after a secondary resistance from the adjuvant setting - a first
            # line shorter than 6 months would make it primary, as the dated branch above does
            result = result if result == "primary" else None
        elif progressed and result is not None:
            result = max(result, "secondary", key=_RANK.__getitem__)
    if result is not None:
        f["endocrine_resistance"] = result
        f["endocrine_sensitive"] = result == "none"


therapy_history = _therapy_history
