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
from typing import Any, NamedTuple

from mbc.engine._history import therapy_history as _therapy_history
from mbc.engine.context import EvalContext
from mbc.engine.facts import DerivedFacts, TherapyView
from mbc.engine.facts import family_keys as _family_keys
from mbc.engine.facts import months as _months
from mbc.engine.facts import put as _put
from mbc.knowledge._index import has_room
from mbc.knowledge.loader import KnowledgeBase
from mbc.logic import Truth
from mbc.model.record import PatientRecord

__all__ = ["DerivedFacts", "TherapyView", "derive_facts", "stage_derive"]


def stage_derive(ctx: EvalContext) -> EvalContext:
    """Record -> facts."""
    derived = derive_facts(ctx.record, ctx.kb, ctx.as_of)
    derived.facts["region"] = ctx.region
    notes = list(ctx.notes)
    if derived.unknown_drugs:
        notes.append(
            "Not in the drug vocabulary (their class is not counted): "
            + ", ".join(sorted(set(derived.unknown_drugs)))
        )
    if derived.unknown_medications:
        notes.append(
            "Current medications not checked for interactions (not in the vocabulary): "
            + ", ".join(sorted(set(derived.unknown_medications)))
        )
    if derived.unread_somatic:
        notes.append("Somatic findings not read: " + ", ".join(derived.unread_somatic))
    if derived.unmatched_symptoms:
        notes.append("Symptoms not matched to a known symptom: " + ", ".join(derived.unmatched_symptoms))
    notes.extend(derived.notes)
    return ctx.evolve(derived=derived, notes=tuple(notes))


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
        _put(f, "oral_therapy_only", record.preferences.oral_therapy_only)
    _line(kb, f)
    return out


# ------------------------------------------------------------------ demographics


def _demographics(r: PatientRecord, kb: KnowledgeBase, f: dict[str, Any]) -> None:
    _put(f, "age", r.age)
    _put(f, "sex", r.sex)
    _put(f, "ecog", r.ecog)
    _put(f, "pregnant", r.pregnant)
    if r.pregnancy_weeks is not None:  # a gestational age says she is pregnant
        _put(f, "pregnancy_weeks", r.pregnancy_weeks)
        f.setdefault("pregnant", True)
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
        f["bsa_m2"] = round(math.sqrt(r.height_cm * r.weight_kg / float(kb.param("mosteller_divisor"))), 2)


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

    # HR status, HER2 category and status, and the subtype label: knowledge/derive.yaml tables
    hr = kb.lookup("hr_status", er=er, pr=pr)
    _put(f, "hr_status", hr)
    cat = kb.lookup("her2_category", ihc=t.her2_ihc, ish=t.her2_ish, status=t.her2_status)
    _put(f, "her2_category", cat)
    her2 = kb.lookup("her2_status", category=cat)  # type: ignore[arg-type]
    _put(f, "her2_status", her2)
    _put(f, "her2_low_or_ultralow", kb.lookup("her2_low_or_ultralow", category=cat))  # type: ignore[arg-type]
    if her2 and hr:
        f["subtype"] = kb.lookup("subtype", her2_status=her2, hr_status=hr)  # type: ignore[arg-type]
    _put(f, "pdl1_cps", t.pdl1_cps)
    _put(f, "pdl1_ic_percent", t.pdl1_ic_percent)
    _put(f, "receptor_source", t.receptor_source)
    _put(f, "histology", t.histology)


# ------------------------------------------------------------------ genomics

_TOKEN = re.compile(r"[\s:]+")


class _Genes(NamedTuple):
    by_symbol: dict[str, list[Any]] | None
    negatives: list[re.Pattern[str]]


def _gene_index(kb: KnowledgeBase) -> _Genes:
    """Gene terms by symbol (in vocabulary order; None if a term's symbols are not a list of
    names), and the negative words as whole-word patterns (per KB)."""
    words = [w.lower() for w in kb.param("negative_somatic_words")]
    negatives = [re.compile(rf"\b{re.escape(w)}\b") for w in words]
    by_symbol: dict[str, list[Any]] = {}
    for term in kb.terms.get("genes", {}).values():
        symbols = term.data.get("symbols", ())
        if not isinstance(symbols, list | tuple) or not all(isinstance(x, str) for x in symbols):
            return _Genes(None, negatives)
        for symbol in dict.fromkeys(symbols):
            by_symbol.setdefault(symbol, []).append(term)
    return _Genes(by_symbol, negatives)


def _genomics(r: PatientRecord, kb: KnowledgeBase, out: DerivedFacts) -> None:
    f = out.facts
    if r.somatic is not None:
        f["somatic.tested"] = len(r.somatic) > 0
        by_symbol, negatives = kb.attached(_Genes, lambda: _gene_index(kb))
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
        _germline_facts(r.germline, kb, out)
    _put(f, "msi", r.msi)
    _put(f, "tmb_per_mb", r.tmb_per_mb)


_GENE_SYMBOL = re.compile(r"[A-Z][A-Z0-9]{1,9}")  # as written: "RAD51C", not "see" or "Panel"
_FINDINGS = re.compile(r"[;,]")  # the findings of one germline entry
_HGVS = re.compile(r"(?<![\w.])[cgp]\.\S+")  # a variant in c./p./g. notation: "c.5946delT"
_WORD = re.compile(r"[a-z][a-z/]*")


def _germline_facts(entries: tuple[str, ...], kb: KnowledgeBase, out: DerivedFacts) -> None:
    """A gene is TRUE when an entry names it (its first word, e.g. "BRCA2" or "BRCA2 c.5946delT
    pathogenic") without a negative or not-pathogenic word after it; FALSE when the entries were
    all read and none names it positively (a gene outside the KB's list, "RAD51C", is read and
    counts for none of them). An entry whose first word is no gene symbol is not read (session 9:
    "BRCA2 pathogenic variant" made BRCA2 FALSE): it is noted, and every gene not named positively
    stays unknown, since the unread entry may be that gene."""
    f = out.facts
    _, negatives = kb.attached(_Genes, lambda: _gene_index(kb))
    not_pathogenic, affirming = kb.attached(_GermlineWords, lambda: _germline_words(kb))
    known = kb.attached(_Germline, lambda: _germline(kb))
    positive: set[str] = set()
    unread: list[str] = []
    # review 9: each finding of an entry on its own ("BRCA1 negative, BRCA2 pathogenic")
    for entry in (x.strip() for e in entries for x in _FINDINGS.split(e) if x.strip()):
        parts = _TOKEN.split(entry, maxsplit=1)
        symbol = parts[0].upper()
        rest = parts[1].lower() if len(parts) > 1 else ""
        if symbol[:1] == "G" and any(symbol[1:] in symbols for _, symbols in known):
            symbol = symbol[1:]  # "gBRCA2": the g says germline
        if not any(symbol in symbols for _, symbols in known):
            # a gene outside the KB's list (RAD51C, BARD1) is read; "BRCA" (which one?) is not
            vague = any(x.startswith(symbol) for _, symbols in known for x in symbols)
            if vague or not _GENE_SYMBOL.fullmatch(parts[0]):
                unread.append(entry)
        elif any(p.search(rest) for p in negatives) or any(w in rest for w in not_pathogenic):
            if affirming is not None and "pathogenic" in _WORD.findall(rest):
                unread.append(entry)  # both: "BRCA2 pathogenic (reclassified from VUS)"
            # else read: not altered
        elif affirming is not None and not set(_WORD.findall(_HGVS.sub(" ", rest))) <= affirming:
            unread.append(entry)  # "BRCA2 (mother)", "BRCA2 suspected", "BRCA2 test pending"
        else:
            positive.add(symbol)
    for key, symbols in known:
        if not positive.isdisjoint(symbols):
            f[key] = True
        elif not unread:
            f[key] = False
    brca = [f.get("germline.brca1"), f.get("germline.brca2")]
    if True in brca or brca == [False, False]:
        f["germline.brca"] = True in brca
    if unread:
        out.notes.append(
            "Germline findings not read (write each as its gene symbol, e.g. BRCA2; "
            "genes not named stay unknown): "
            + ", ".join(unread)
        )


class _GermlineWords(NamedTuple):
    not_pathogenic: tuple[str, ...]
    affirming: frozenset[str] | None  # the words that may follow a gene counted altered (None: any)


def _germline_words(kb: KnowledgeBase) -> _GermlineWords:
    """The germline reading words, lower-cased once per KB (``.get``: a KB older than session 9
    has no such words - `mbc kb diff` plans old KBs too)."""
    params = kb.derive.parameters
    affirming = params.get("germline_positive_words")
    return _GermlineWords(
        tuple(w.lower() for w in params.get("germline_not_pathogenic_words", ())),
        None if affirming is None else frozenset(affirming),
    )


class _Germline(tuple[tuple[str, frozenset[str]], ...]):
    """(fact name, gene symbols) of each germline gene term in vocabulary order (per KB)."""


def _germline(kb: KnowledgeBase) -> _Germline:
    return _Germline(
        (f"germline.{t.id}", frozenset(t.data.get("symbols", ())))
        for t in kb.terms.get("germline_genes", {}).values()
    )


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
        f["months_since_metastatic_diagnosis"] = round(_months(r.metastatic_diagnosis_date, as_of, kb), 1)


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
        f["corrected_calcium_mg_dl"] = round(labs.calcium_mg_dl + factor * (ref - labs.albumin_g_dl), 2)


def _medications(r: PatientRecord, kb: KnowledgeBase, out: DerivedFacts) -> None:
    if r.medications is None:
        return
    ids: set[str] = set()
    for name in r.medications:
        d = kb.lookup_drug(name)
        if d is None:
            out.unknown_medications.append(name)
        else:
            ids.add(d)
    keys = _family_keys(kb)
    out.flags(keys.medications)  # every flag FALSE (in vocabulary order), then the TRUE ones
    named = keys.classes["medication.class."]
    for d in ids:
        out.raise_flags(filter(None, map(named.get, kb.drug_classes_of(d))))
    drug_flags = keys.drugs["medication.drug."]
    out.raise_flags([drug_flags[d] for d in ids])


class _SymptomPatterns(list[tuple[str, re.Pattern[str], re.Pattern[str] | None]]):
    """Per symptom term (per KB): its whole-word alternation, and the same right after a
    negation word (``symptom_negation_words`` in derive.yaml); the fact name of each term,
    and, remembered per (lower-case) symptom text, the terms it matched and whether a
    negated mention was read."""

    def __init__(self) -> None:
        super().__init__()
        self.keys: list[tuple[str, str]] = []
        self.seen: dict[str, tuple[tuple[str, ...], bool]] = {}


def _symptom_patterns(kb: KnowledgeBase) -> _SymptomPatterns:
    """The symptom patterns of this KB (built once, held by the KB)."""
    return kb.attached(_SymptomPatterns, lambda: _build_symptom_patterns(kb))


def _build_symptom_patterns(kb: KnowledgeBase) -> _SymptomPatterns:
    found = _SymptomPatterns()
    cues = sorted((w.lower() for w in kb.param("symptom_negation_words") or ()), key=len, reverse=True)
    negation = r"\b(?:" + "|".join(map(re.escape, cues)) + r")\s+" if cues else None
    for term in kb.terms.get("symptoms", {}).values():
        words = sorted({w.lower() for w in (term.name, *term.synonyms)}, key=len, reverse=True)
        alternation = r"(?:" + "|".join(map(re.escape, words)) + r")\b"
        # a mention right after a negation word ("no leg weakness") is not the symptom:
        # the negative lookbehind cannot take variable-length cues, so the negated form is
        # matched first and removed before the plain form is searched
        neg = re.compile(negation + alternation) if negation else None
        found.append((term.id, re.compile(r"\b" + alternation), neg))
        found.keys.append((term.id, f"symptom.{term.id}"))
    return found


def _symptoms(r: PatientRecord, kb: KnowledgeBase, out: DerivedFacts) -> None:
    if r.symptoms is None:
        return
    f = out.facts
    f["symptoms.recorded"] = True
    patterns = _symptom_patterns(kb)
    hits: set[str] = set()
    for s in r.symptoms:
        text = s.lower()
        seen = patterns.seen.get(text)
        if seen is None:
            matched = tuple(
                tid for tid, pat, neg in patterns if pat.search(neg.sub(" ", text) if neg else text)
            )
            negated = not matched and any(neg and neg.search(text) for _, _, neg in patterns)
            seen = (matched, negated)
            if has_room(patterns.seen):
                patterns.seen[text] = seen
        matched, negated = seen
        hits.update(matched)
        if not matched and not negated:
            out.unmatched_symptoms.append(s)  # (a symptom said to be absent was read)
    for tid, key in patterns.keys:
        f[key] = tid in hits


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
