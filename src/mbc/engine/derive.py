"""Derive the fact mapping the rules test from a patient record.

This is the one place where record fields become facts. Every threshold comes from
``knowledge/derive.yaml`` (``kb.param(name)``); every drug class from the drug vocabulary.
A fact that cannot be derived is simply absent from the mapping, which rules read as
UNKNOWN. Pure: no I/O, no clock (``as_of`` is an input).
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from mbc.engine._kbcache import per_kb
from mbc.knowledge.loader import KnowledgeBase
from mbc.logic import Truth
from mbc.model.record import PatientRecord, Therapy

__all__ = ["DerivedFacts", "TherapyView", "derive_facts"]

_EARLY = ("adjuvant", "neoadjuvant")


@dataclass(frozen=True, slots=True)
class TherapyView:
    """A prior therapy with its drugs resolved against the vocabulary."""

    therapy: Therapy
    index: int
    drug_ids: tuple[str, ...]
    unknown_drugs: tuple[str, ...]
    classes: frozenset[str]
    setting: str | None
    start: dt.date | None
    end: dt.date | None  # None = ongoing


@dataclass
class DerivedFacts:
    """The fact mapping plus notes on what could not be read."""

    facts: dict[str, Any]
    therapies: list[TherapyView] = field(default_factory=list)
    unknown_drugs: list[str] = field(default_factory=list)
    unknown_medications: list[str] = field(default_factory=list)
    unmatched_symptoms: list[str] = field(default_factory=list)
    unread_somatic: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


def _months(a: dt.date, b: dt.date, kb: KnowledgeBase) -> float:
    """Months from a to b (negative if b is before a)."""
    return (b - a).days / float(kb.param("days_per_month"))


def derive_facts(record: PatientRecord, kb: KnowledgeBase, as_of: dt.date) -> DerivedFacts:
    """Compute every derivable fact.

    Args:
        record: A validated patient record.
        kb: The knowledge base (vocabularies and derive.yaml parameters).
        as_of: The date the plan is made for.

    Returns:
        The facts and notes on unread input.
    """
    out = DerivedFacts(facts={})
    f = out.facts
    _demographics(record, kb, f)
    _receptors(record, kb, f)
    _genomics(record, kb, out)
    _disease(record, kb, as_of, f)
    _therapy_history(record, kb, as_of, out)
    _menopause_by_age(record, kb, out)
    _organ_function(record, kb, f)
    _medications(record, kb, out)
    _symptoms(record, kb, out)
    if record.preferences is not None:
        _put(f, "declines_chemotherapy", record.preferences.declines_chemotherapy)
        _put(f, "declines_ovarian_suppression", record.preferences.declines_ovarian_suppression)
    _line(kb, f)
    return out


def _put(f: dict[str, Any], key: str, value: Any) -> None:
    if value is not None:
        f[key] = value


@dataclass(frozen=True)
class _FamilyKeys:
    """The names of the per-class and per-drug flags, and all-FALSE templates of them in
    the order they are written (per KB: they depend on the vocabulary only)."""

    classes: dict[str, dict[str, str]]  # prefix -> class id -> fact name
    drugs: dict[str, dict[str, str]]  # prefix -> drug id -> fact name
    history: dict[str, bool]
    history_undetermined: dict[str, bool]
    prior_drugs: dict[str, bool]
    medications: dict[str, bool]


_CLASS_PREFIXES = ("prior.class.", "current.class.", "prior.metastatic.class.", "prior.early.class.",
                   "progressed_on.class.", "medication.class.")  # fmt: skip


def _build_family_keys(kb: KnowledgeBase) -> _FamilyKeys:
    classes = {p: {c: f"{p}{c}" for c in kb.drug_classes} for p in _CLASS_PREFIXES}
    drugs = {p: {d: f"{p}{d}" for d in kb.drugs} for p in ("prior.drug.", "medication.drug.")}
    history: dict[str, bool] = {}
    undetermined: dict[str, bool] = {}
    for c in kb.drug_classes:
        for p in _CLASS_PREFIXES[:5]:
            history[classes[p][c]] = False
        for p in _CLASS_PREFIXES[:2]:
            undetermined[classes[p][c]] = False
    medications = dict.fromkeys(classes["medication.class."].values(), False)
    medications.update(dict.fromkeys(drugs["medication.drug."].values(), False))
    return _FamilyKeys(
        classes, drugs, history, undetermined,
        dict.fromkeys(drugs["prior.drug."].values(), False), medications,
    )  # fmt: skip


def _family_keys(kb: KnowledgeBase) -> _FamilyKeys:
    return per_kb(kb, "derive.families", lambda: _build_family_keys(kb))


# ------------------------------------------------------------------ demographics


def _demographics(r: PatientRecord, kb: KnowledgeBase, f: dict[str, Any]) -> None:
    _put(f, "age", r.age)
    _put(f, "sex", r.sex)
    _put(f, "ecog", r.ecog)
    _put(f, "pregnant", r.pregnant)
    _put(f, "weight_kg", r.weight_kg)
    if r.sex == "male":
        f["pregnant"] = False
    status = r.menopausal_status
    if r.sex == "male":
        f["ovarian_function"] = False
        f["childbearing_potential"] = False
    elif status is not None:
        _put(f, "menopausal_status", status)
        f["ovarian_function"] = status != "postmenopausal"
        f["childbearing_potential"] = status != "postmenopausal"
    if r.weight_kg and r.height_cm:
        # Mosteller 1987: BSA (m2) = sqrt(height cm x weight kg / 3600)
        f["bsa_m2"] = round(
            math.sqrt(r.height_cm * r.weight_kg / float(kb.param("mosteller_divisor"))), 2
        )


def _menopause_by_age(r: PatientRecord, kb: KnowledgeBase, out: DerivedFacts) -> None:
    """NCCN definition of menopause: a woman aged 60 or more is postmenopausal. Not applied
    while she receives a GnRH agonist (status cannot be assigned then) or when status is given."""
    f = out.facts
    if r.menopausal_status is not None or r.sex != "female" or r.age is None:
        return
    if r.age < int(kb.param("postmenopausal_by_age_years")):
        return
    if f.get("current.class.gnrh_agonist") is True:
        return  # on ovarian suppression: status cannot be assigned
    f["menopausal_status"] = "postmenopausal"
    f["ovarian_function"] = False
    f["childbearing_potential"] = False
    out.notes.append(
        f"menopausal status not recorded: postmenopausal by age ({r.age}; NCCN definition, age 60 or more)"
    )


# ------------------------------------------------------------------ receptors


def _receptors(r: PatientRecord, kb: KnowledgeBase, f: dict[str, Any]) -> None:
    t = r.tumor
    if t is None:
        return
    pos_min = float(kb.param("er_positive_min_percent"))
    low_max = float(kb.param("er_low_max_percent"))
    pr_min = float(kb.param("pr_positive_min_percent"))

    er: str | None = t.er_status
    if t.er_percent is not None:
        if t.er_percent < pos_min:
            er = "negative"
        elif t.er_percent <= low_max:
            er = "low"
        else:
            er = "positive"
    pr: str | None = t.pr_status
    if t.pr_percent is not None:
        pr = "positive" if t.pr_percent >= pr_min else "negative"
    _put(f, "er_status", er)
    _put(f, "pr_status", pr)

    # HR status (ASCO-CAP 2020): ER >10% or PR-positive is HR-positive; ER 1-10% with PR
    # negative is ER-low; ER and PR both negative is HR-negative. With PR unknown, ER decides.
    hr: str | None = None
    if er == "positive" or pr == "positive":
        hr = "positive"
    elif er == "low":
        hr = "low"
    elif er == "negative":
        hr = "negative"
    _put(f, "hr_status", hr)

    cat = _her2_category(t.her2_ihc, t.her2_ish, t.her2_status)
    _put(f, "her2_category", cat)
    her2 = {"positive": "positive", "low": "negative", "ultralow": "negative",
            "zero": "negative", "negative": "negative"}.get(cat or "")  # fmt: skip
    _put(f, "her2_status", her2)
    if cat in {"low", "ultralow"}:
        f["her2_low_or_ultralow"] = True
    elif cat in {"zero", "positive"}:
        f["her2_low_or_ultralow"] = False

    if her2 and hr:
        if her2 == "positive":
            f["subtype"] = "HR+/HER2+" if hr == "positive" else "HR-/HER2+"
        else:
            f["subtype"] = "HR+/HER2-" if hr == "positive" else "TNBC"
    _put(f, "pdl1_cps", t.pdl1_cps)
    _put(f, "pdl1_ic_percent", t.pdl1_ic_percent)
    _put(f, "receptor_source", t.receptor_source)
    _put(f, "histology", t.histology)


def _her2_category(ihc: str | None, ish: str | None, status: str | None) -> str | None:
    """ASCO-CAP 2023 HER2 categories (with HER2-low / ultralow from DESTINY-Breast04/06)."""
    if ihc == "3+" or ish == "amplified":
        return "positive"
    if ihc == "2+":
        return "low" if ish == "not_amplified" else "equivocal"
    if ihc == "1+":
        return "low"
    if ihc == "ultralow":
        return "ultralow"
    if ihc == "0":
        return "zero"
    if ish == "not_amplified" or status == "negative":
        return "negative"
    if status == "positive":
        return "positive"
    return None


# ------------------------------------------------------------------ genomics

_TOKEN = re.compile(r"[\s:]+")


def _gene_index(kb: KnowledgeBase) -> tuple[dict[str, list[Any]] | None, list[re.Pattern[str]]]:
    """Gene terms by symbol (in vocabulary order; None if a term's symbols are not a list of
    names), and the negative words as whole-word patterns (per KB)."""
    words = [w.lower() for w in kb.param("negative_somatic_words")]
    negatives = [re.compile(rf"\b{re.escape(w)}\b") for w in words]
    by_symbol: dict[str, list[Any]] = {}
    for term in kb.terms.get("genes", {}).values():
        symbols = term.data.get("symbols", ())
        if not isinstance(symbols, list | tuple) or not all(isinstance(x, str) for x in symbols):
            return None, negatives
        for symbol in dict.fromkeys(symbols):
            by_symbol.setdefault(symbol, []).append(term)
    return by_symbol, negatives


def _genomics(r: PatientRecord, kb: KnowledgeBase, out: DerivedFacts) -> None:
    f = out.facts
    if r.somatic is not None:
        f["somatic.tested"] = len(r.somatic) > 0
        by_symbol, negatives = per_kb(kb, "derive.genes", lambda: _gene_index(kb))
        found: dict[str, str] = {}
        for entry in r.somatic:
            text = entry.strip()
            parts = _TOKEN.split(text, maxsplit=1)
            symbol = parts[0].upper()
            rest = parts[1].lower() if len(parts) > 1 else ""
            matched = False
            terms = (
                by_symbol.get(symbol, ())
                if by_symbol is not None
                else [t for t in kb.terms.get("genes", {}).values() if symbol in t.data.get("symbols", ())]
            )
            for term in terms:
                negative = any(p.search(rest) for p in negatives)
                requires = term.data.get("requires", ())
                if not negative and requires and not any(w in rest for w in requires):
                    continue
                matched = True
                state = "not_detected" if negative else "altered"
                # a positive finding beats a negative one for the same gene
                if found.get(term.id) != "altered":
                    found[term.id] = state
            if not matched:
                out.unread_somatic.append(entry)
        for gene_id, state in found.items():
            f[f"somatic.{gene_id}"] = state
    if r.germline is not None:
        f["germline.tested"] = True
        listed = {g.strip().upper() for g in r.germline}
        for term in kb.terms.get("germline_genes", {}).values():
            f[f"germline.{term.id}"] = bool(listed & set(term.data.get("symbols", ())))
        f["germline.brca"] = bool(f.get("germline.brca1") or f.get("germline.brca2"))
    _put(f, "msi", r.msi)
    _put(f, "tmb_per_mb", r.tmb_per_mb)


# ------------------------------------------------------------------ disease


def _disease(r: PatientRecord, kb: KnowledgeBase, as_of: dt.date, f: dict[str, Any]) -> None:
    m = r.metastases
    sites = m.sites if m is not None else None
    if sites is not None:
        f["sites"] = tuple(sites)
        for s in kb.terms.get("sites", {}):
            f[f"site.{s}"] = s in sites
        visceral = set(kb.param("visceral_sites"))
        f["visceral"] = bool(visceral & set(sites))
        f["bone_only"] = set(sites) == {"bone"}
        brain_sites = set(kb.param("brain_sites"))
        f["brain.present"] = bool(brain_sites & set(sites))
    if m is not None:
        _put(f, "visceral_crisis", m.visceral_crisis)
        _put(f, "measurable_disease", m.measurable)
        if m.brain is not None:
            f["brain.present"] = True
            _put(f, "brain.symptomatic", m.brain.symptomatic)
            _put(f, "brain.progressing", m.brain.progressing)
            _put(f, "brain.locally_treated", m.brain.locally_treated)
            b = m.brain
            if b.symptomatic or b.progressing or b.locally_treated is False:
                f["brain.active"] = True
            elif b.symptomatic is False and b.progressing is False and b.locally_treated:
                f["brain.active"] = False
        elif f.get("brain.present") is False:
            f["brain.active"] = False
    _put(f, "presentation", r.presentation)
    if r.metastatic_diagnosis_date:
        f["months_since_metastatic_diagnosis"] = round(
            _months(r.metastatic_diagnosis_date, as_of, kb), 1
        )


# ------------------------------------------------------------------ therapy history


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
        setting = t.setting
        if setting is None and t.start and r.metastatic_diagnosis_date:
            setting = "metastatic" if t.start >= r.metastatic_diagnosis_date else "adjuvant"
        end = t.end
        views.append(
            TherapyView(t, i, tuple(ids), tuple(unknown), frozenset(classes), setting, t.start, end)
        )
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


def _therapy_history(
    r: PatientRecord, kb: KnowledgeBase, as_of: dt.date, out: DerivedFacts
) -> None:
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
    f.update(keys.history_undetermined if undetermined else keys.history)
    current = [v for v in views if v.end is None and v.therapy.stop_reason in (None, "ongoing")]
    families = [("prior.class.", union(views)), ("current.class.", union(current))]
    if not undetermined:
        progressed = [v for v in met if v.therapy.stop_reason == "progression"]
        families += [("prior.metastatic.class.", union(met)), ("prior.early.class.", union(early)),
                     ("progressed_on.class.", union(progressed))]  # fmt: skip
    for prefix, classes in families:
        named = keys.classes[prefix]
        for c in classes:
            flag = named.get(c)
            if flag is not None:
                f[flag] = True
    f.update(keys.prior_drugs)
    for v in views:
        for d in v.drug_ids:
            f[keys.drugs["prior.drug."][d]] = True

    if undetermined:
        out.notes.append("a prior therapy has no setting, so metastatic lines cannot be counted")
        return

    # Lines: metastatic therapies that contain a cancer drug, grouped into lines.
    groups, same_line_now = _line_groups([v for v in met if _counts_as_line(v, kb)], kb, as_of)
    f["prior.metastatic_lines"] = len(groups)
    if same_line_now:
        f["line.continuing"] = True
    chemo_classes = set(kb.param("line_chemo_classes"))
    f["prior.metastatic_chemo_lines"] = sum(1 for g in groups if _classes(g) & chemo_classes)
    f["prior.metastatic_endocrine_lines"] = sum(1 for g in groups if any(_is_endocrine_line(v) for v in g))
    f["prior.metastatic_anti_her2_lines"] = sum(1 for g in groups if "anti_her2" in _classes(g))

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
    _relapse_windows(r, kb, early, mdx, f)
    _disease_free_interval(r, early, mdx, kb, f)
    _endocrine_resistance(r, kb, early, met, mdx, as_of, f)


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
    ordered = sorted(views, key=lambda v: (v.start or dt.date.max, v.index))
    groups: list[list[TherapyView]] = []
    for v in ordered:
        if groups:
            last = groups[-1][-1]
            same_day = v.start is not None and v.start == groups[-1][0].start
            if same_day or _continues(last, v.start, gap):
                groups[-1].append(v)
                continue
        groups.append([v])
    same_line_now = bool(groups) and _continues(groups[-1][-1], as_of, gap)
    return groups, same_line_now


def _continues(prev: TherapyView, next_start: dt.date | None, gap_days: float) -> bool:
    """Whether something starting at ``next_start`` continues the line ``prev`` belongs to."""
    if prev.therapy.stop_reason not in ("completed", "toxicity"):
        return False
    if prev.end is None or next_start is None:
        return False
    return 0 <= (next_start - prev.end).days <= gap_days


def _is_endocrine_line(v: TherapyView) -> bool:
    """Contains endocrine therapy other than ovarian suppression alone. A CDK4/6 inhibitor
    counts too: it is only given with endocrine therapy (labels), so "AI + CDK4/6 inhibitor"
    recorded as the CDK4/6 inhibitor alone is still an endocrine-based line."""
    if "cdk46_inhibitor" in v.classes:
        return True
    return bool(v.classes & {"endocrine"}) and bool(
        v.classes - {"endocrine", "gnrh_agonist"} - _NON_ENDOCRINE_OK
    )


_NON_ENDOCRINE_OK: frozenset[str] = frozenset()


def _latest_end(views: Iterable[TherapyView]) -> tuple[bool, dt.date | None]:
    """(ongoing, latest end) over views; ongoing if any has no end date."""
    ends = [v.end for v in views]
    if any(e is None for e in ends):
        return True, None
    return False, max(e for e in ends if e is not None)


def _relapse_windows(
    r: PatientRecord,
    kb: KnowledgeBase,
    early: list[TherapyView],
    mdx: dt.date | None,
    f: dict[str, Any],
) -> None:
    for w in kb.terms.get("relapse_windows", {}).values():
        classes = set(w.data.get("classes", ()))
        months = float(w.data.get("months", 0))
        relevant = [v for v in early if v.classes & classes]
        key = f"relapse.{w.id}"
        if not relevant:
            f[key] = False
            continue
        if r.presentation == "de_novo":
            f[key] = False
            continue
        if mdx is None:
            continue
        ongoing, last_end = _latest_end(relevant)
        if ongoing or (last_end is not None and mdx <= last_end):
            f[key] = True  # recurrence during the therapy
        elif last_end is not None:
            f[key] = _months(last_end, mdx, kb) <= months if months > 0 else False


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
    adj_et = [v for v in early if _is_endocrine_line(v)]
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
    met_et = sorted((v for v in met if _is_endocrine_line(v)), key=lambda v: v.start or as_of)
    if met_et:
        first = met_et[0]
        progressed = [v for v in met_et if v.therapy.stop_reason == "progression"]
        if first.therapy.stop_reason == "progression" and first.start is not None:
            end = first.end or as_of
            dur = _months(first.start, end, kb)
            met_res = (
                "primary"
                if dur < float(kb.param("primary_resistance_metastatic_months"))
                else "secondary"
            )
            result = met_res if result is None else max(result, met_res, key=_RANK.__getitem__)
        elif progressed and result is not None:
            result = max(result, "secondary", key=_RANK.__getitem__)
        elif first.therapy.stop_reason == "progression":
            result = None if result in (None, "none") else result
    if result is not None:
        f["endocrine_resistance"] = result
        f["endocrine_sensitive"] = result == "none"


# ------------------------------------------------------------------ organ function


def _organ_function(r: PatientRecord, kb: KnowledgeBase, f: dict[str, Any]) -> None:
    _put(f, "lvef_percent", r.lvef_percent)
    _put(f, "qtcf_ms", r.qtcf_ms)
    if r.comorbidities is not None:
        for c in kb.terms.get("comorbidities", {}):
            f[f"comorbidity.{c}"] = c in r.comorbidities
        f["diabetes"] = bool({"diabetes_type1", "diabetes_type2"} & set(r.comorbidities))
    _put(f, "dpyd", r.dpyd)
    labs = r.labs
    if labs is None:
        return
    _put(f, "crcl_ml_min", labs.creatinine_clearance_ml_min)
    _put(f, "bilirubin_x_uln", labs.bilirubin_x_uln)
    _put(f, "alt_x_uln", labs.alt_x_uln)
    _put(f, "calcium_mg_dl", labs.calcium_mg_dl)
    _put(f, "anc_per_ul", labs.anc_per_ul)
    _put(f, "platelets_per_ul", labs.platelets_per_ul)
    _put(f, "hba1c_percent", labs.hba1c_percent)
    _put(f, "fasting_glucose_mg_dl", labs.fasting_glucose_mg_dl)
    if labs.calcium_mg_dl is not None and labs.albumin_g_dl is not None:
        # Corrected Ca = Ca + factor x (reference albumin - albumin) (Endocrine Society 2023)
        ref = float(kb.param("calcium_albumin_reference_g_dl"))
        factor = float(kb.param("calcium_albumin_factor"))
        f["corrected_calcium_mg_dl"] = round(
            labs.calcium_mg_dl + factor * (ref - labs.albumin_g_dl), 2
        )


def _medications(r: PatientRecord, kb: KnowledgeBase, out: DerivedFacts) -> None:
    if r.medications is None:
        return
    f = out.facts
    ids: set[str] = set()
    for name in r.medications:
        d = kb.lookup_drug(name)
        if d is None:
            out.unknown_medications.append(name)
        else:
            ids.add(d)
    keys = _family_keys(kb)
    f.update(keys.medications)  # every flag FALSE (in vocabulary order), then the TRUE ones
    named = keys.classes["medication.class."]
    for d in ids:
        for c in kb.drug_classes_of(d):
            flag = named.get(c)
            if flag is not None:
                f[flag] = True
    for d in ids:
        f[keys.drugs["medication.drug."][d]] = True


_SYMPTOM_PATTERNS: dict[int, list[tuple[str, re.Pattern[str]]]] = {}


def _symptom_patterns(kb: KnowledgeBase) -> list[tuple[str, re.Pattern[str]]]:
    """One compiled whole-word alternation per symptom term, cached per KB."""
    cached = _SYMPTOM_PATTERNS.get(id(kb))
    if cached is None:
        cached = []
        for term in kb.terms.get("symptoms", {}).values():
            words = sorted({w.lower() for w in (term.name, *term.synonyms)}, key=len, reverse=True)
            cached.append((term.id, re.compile(r"\b(?:" + "|".join(map(re.escape, words)) + r")\b")))
        _SYMPTOM_PATTERNS[id(kb)] = cached
    return cached


def _symptoms(r: PatientRecord, kb: KnowledgeBase, out: DerivedFacts) -> None:
    if r.symptoms is None:
        return
    f = out.facts
    f["symptoms.recorded"] = True
    patterns = _symptom_patterns(kb)
    hits: set[str] = set()
    for s in r.symptoms:
        text = s.lower()
        matched = [tid for tid, pat in patterns if pat.search(text)]
        hits.update(matched)
        if not matched:
            out.unmatched_symptoms.append(s)
    for tid, _ in patterns:
        f[f"symptom.{tid}"] = tid in hits


# ------------------------------------------------------------------ line of therapy


def _line(kb: KnowledgeBase, f: dict[str, Any]) -> None:
    base = f.get("prior.metastatic_lines")
    if base is None:
        return
    # the line being chosen: the next one, unless the plan is made within the last line
    # (maintenance after a completed induction, or a switch for toxicity)
    line = int(base) + (0 if f.get("line.continuing") and int(base) > 0 else 1)
    metastatic = line
    treated_as: list[str] = []
    for adj in kb.derive.line_adjustments:
        truth = adj.when.truth(f)
        if truth is Truth.UNKNOWN:
            return  # an early-relapse rule may apply: the line is not known
        if truth is Truth.TRUE:
            line += adj.add
            if adj.treated_as:
                treated_as.append(adj.treated_as)
    # `line` decides which rules apply (an early relapse is treated as a later line);
    # `line.metastatic` is the metastatic line being chosen (contract 3.1: relapse during or
    # within 12 months of adjuvant therapy is choosing line 1).
    f["line"] = line
    f["line.metastatic"] = metastatic
    if treated_as:
        f["line.treated_as"] = "; ".join(treated_as)
