"""Judge a patient against trials: every criterion met / not met / unknown, then a status
and a score. Pure: no I/O, no clock (``as_of`` is an input).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from mbc.engine.derive import derive_facts
from mbc.logic import Truth
from mbc.trials._criteria import parse_trial
from mbc.trials._model import Criterion, CriterionResult, MatchStatus, Result, Trial, TrialMatch
from mbc.trials._patterns import TrialKnowledge, load_trial_knowledge

if TYPE_CHECKING:
    import datetime as dt
    from collections.abc import Mapping, Sequence

    from mbc.knowledge.loader import KnowledgeBase
    from mbc.model.record import PatientRecord

NOT_UNDERSTOOD = "not_understood"  # pseudo-fact of an alternative no pattern understood

__all__ = ["evaluate_criterion", "judge_trial", "match_trials", "missing_facts", "trial_facts"]


def trial_facts(record: PatientRecord, kb: KnowledgeBase, as_of: dt.date) -> dict[str, Any]:
    """The engine's derived facts plus the few facts only trial criteria need.

    ``cancer`` and ``disease.stage`` follow from mbc's scope (every record is metastatic
    breast cancer); ``breastfeeding`` and ``pregnant`` are false for a man or a
    postmenopausal woman when the record does not say.
    """
    derived = derive_facts(record, kb, as_of)
    facts = dict(derived.facts)
    facts["cancer"] = "breast"
    facts["disease.stage"] = "metastatic"
    if facts.get("sites"):
        facts["disease.evident"] = True
    if facts.get("childbearing_potential") is False:
        facts.setdefault("pregnant", False)
        facts.setdefault("breastfeeding", False)
    return facts


_INCLUSION: Mapping[Truth, Result] = {
    Truth.TRUE: "met",
    Truth.FALSE: "not_met",
    Truth.UNKNOWN: "unknown",
}
_EXCLUSION: Mapping[Truth, Result] = {
    Truth.TRUE: "not_met",
    Truth.FALSE: "met",
    Truth.UNKNOWN: "unknown",
}


def evaluate_criterion(
    criterion: Criterion, facts: Mapping[str, Any], unrecordable: frozenset[str] = frozenset()
) -> CriterionResult:
    """One criterion against the facts. An exclusion criterion is met when its
    condition is FALSE; a criterion without a condition needs review.

    An open criterion needs review (it is not ``unknown``) when it is open only on a part
    no pattern understood, or only on facts no record can hold (``unrecordable``) and it
    would be met were those facts absent; ``facts_missing`` still names them.

    .. versionchanged:: issue-16
       ``unrecordable``.
    """
    if criterion.condition is None:
        return CriterionResult(criterion=criterion, result="needs_review")
    out = criterion.condition.explain(facts)
    table = _INCLUSION if criterion.kind == "inclusion" else _EXCLUSION
    missing = tuple(sorted(m for m in out.missing if m != NOT_UNDERSTOOD))
    result = table[out.truth]
    if result == "unknown" and not any(m not in unrecordable for m in missing):
        result = "needs_review"
        if missing:  # open only on facts no record can hold: to check unless they must be present
            presumed = {**facts, **dict.fromkeys(missing, False)}
            if table[criterion.condition.truth(presumed)] == "not_met":
                result = "unknown"
    return CriterionResult(
        criterion=criterion,
        result=result,
        facts_used=dict(out.used),
        facts_missing=missing,
    )


def _status(results: Sequence[CriterionResult], tk: TrialKnowledge) -> tuple[MatchStatus, tuple[str, ...]]:
    """``excluded`` when a criterion blocks; ``possible`` while any criterion depends on a
    fact the record lacks (the missing facts are named); else ``eligible``. A sentence
    left for review never excludes and never blocks ``eligible`` (it is counted and shown)."""
    not_met = _blocking(results)
    if not_met:
        return "excluded", tuple(f"not met: {r.criterion.text}" for r in not_met)
    missing = missing_facts(results, tk)
    if missing:
        return "possible", (f"needs: {', '.join(missing)}",)
    if any(r.result == "unknown" for r in results):
        return "possible", ("a criterion could not be decided",)
    return "eligible", ()


def missing_facts(results: Sequence[CriterionResult], tk: TrialKnowledge) -> tuple[str, ...]:
    """The facts that would settle the open criteria, most decisive first: facts of the
    disease categories first, then by how many open criteria need them, then by name."""
    disease = set(tk.lexicon.matching.disease_categories)
    weight: dict[str, tuple[int, int]] = {}
    for r in results:
        if r.result != "unknown":
            continue
        is_disease = int(bool(disease & set(r.criterion.categories)))
        for m in r.facts_missing:
            d, n = weight.get(m, (0, 0))
            weight[m] = (max(d, is_disease), n + 1)
    return tuple(sorted(weight, key=lambda m: (-weight[m][0], -weight[m][1], m)))


def _cohorts(label: str) -> set[str]:
    """'cohorts a and b' -> {'a', 'b'}."""
    words = label.split()[1:]
    return {w for w in words if w not in {"and", "&", ",", "/"}} or {label}


def _blocking(results: Sequence[CriterionResult]) -> list[CriterionResult]:
    """Criteria that exclude the patient. A criterion limited to a cohort only excludes
    when every cohort the trial names has a criterion the patient does not meet."""
    general = [r for r in results if r.result == "not_met" and r.criterion.cohort is None]
    labelled = [r for r in results if r.criterion.cohort is not None]
    if not labelled:
        return general
    cohorts = set().union(*(_cohorts(r.criterion.cohort or "") for r in labelled))
    failed = {c for r in labelled if r.result == "not_met" for c in _cohorts(r.criterion.cohort or "")}
    if failed >= cohorts:
        return general + [r for r in labelled if r.result == "not_met"]
    return general


def _score(
    status: MatchStatus, results: Sequence[CriterionResult], trial: Trial, tk: TrialKnowledge
) -> float:
    w = tk.lexicon.matching.score
    disease = set(tk.lexicon.matching.disease_categories)
    total = w.status.get(status, 0.0)
    for r in results:
        is_disease = bool(disease & set(r.criterion.categories))
        if r.result == "met":
            total += w.disease_met if is_disease else w.met
        elif r.result == "unknown":
            total += w.disease_unknown if is_disease else w.unknown
        elif r.result == "not_met":
            total += w.not_met
    if trial.status in tk.lexicon.matching.recruiting_statuses:
        total += w.recruiting
    return round(total, 2)


def judge_trial(trial: Trial, facts: Mapping[str, Any], tk: TrialKnowledge, as_of: dt.date) -> TrialMatch:
    """One (parsed) trial against one fact mapping."""
    parsed = parse_trial(trial, tk)
    results = tuple(evaluate_criterion(c, facts, tk.unrecordable) for c in parsed.criteria or ())
    status, reasons = _status(results, tk)
    return TrialMatch(
        needs=missing_facts(results, tk) if status == "possible" else (),
        trial=parsed,
        status=status,
        score=_score(status, results, parsed, tk),
        criteria=results,
        staleness_days=parsed.staleness_days(as_of),
        reasons=reasons,
    )


_ORDER = {"eligible": 0, "possible": 1, "excluded": 2}


def match_trials(
    record: PatientRecord,
    trials: Sequence[Trial],
    *,
    kb: KnowledgeBase,
    as_of: dt.date,
) -> list[TrialMatch]:
    """Match one patient against trials, best fit first.

    Args:
        record: A validated contract-v1 patient record.
        trials: Trials (parsed or not; unparsed ones are parsed with the current patterns).
        kb: The knowledge base (vocabularies and ``trials/`` patterns).
        as_of: Date of the assessment (staleness and time-dependent facts).

    Returns:
        One :class:`TrialMatch` per trial: ``eligible`` first, then ``possible``, then
        ``excluded``, each by descending score, ties by NCT id.
    """
    tk = load_trial_knowledge(kb)
    facts = trial_facts(record, kb, as_of)
    matches = [judge_trial(t, facts, tk, as_of) for t in trials]
    matches.sort(key=lambda m: (_ORDER[m.status], -m.score, m.trial.nct_id))
    return matches
