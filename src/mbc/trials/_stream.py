"""Match one patient against a whole SQLite registry without loading it.

1. Every *distinct* condition of the registry is evaluated once against the patient's
   facts (three-valued, through the condition node API).
2. SQL drops the trials a general criterion blocks (inclusion FALSE / exclusion TRUE),
   plus sex, age and recruitment status from their columns, and optionally those a
   full-text query does not find.
3. The survivors are streamed from a cursor; each is judged from its compact criteria
   (small integers, see :mod:`._load`) into a status and a score.
4. Full result objects (criteria, sentences, missing facts) are built only for the
   trials returned (``limit``), with the same judge as :func:`match_trials`.
"""

from __future__ import annotations

import heapq
import json
from typing import TYPE_CHECKING, Any

from pydantic import TypeAdapter

from mbc.knowledge.conditions import Condition
from mbc.logic import Truth
from mbc.trials._match import NOT_UNDERSTOOD, judge_trial, trial_facts
from mbc.trials._patterns import load_trial_knowledge

if TYPE_CHECKING:
    import datetime as dt
    from collections.abc import Iterator, Mapping, Sequence

    from mbc.knowledge.loader import KnowledgeBase
    from mbc.model.record import PatientRecord
    from mbc.trials._model import TrialMatch
    from mbc.trials._patterns import TrialKnowledge
    from mbc.trials._store import Registry

__all__ = ["match_registry"]

_CONDITION: TypeAdapter[Any] = TypeAdapter(Condition)
_ORDER = {"eligible": 0, "possible": 1, "excluded": 2}
# result per (kind, truth): kind 0 inclusion, 1 exclusion
_RESULT = {
    (0, Truth.TRUE): "met",
    (0, Truth.FALSE): "not_met",
    (0, Truth.UNKNOWN): "unknown",
    (1, Truth.TRUE): "not_met",
    (1, Truth.FALSE): "met",
    (1, Truth.UNKNOWN): "unknown",
}


_Truths = dict[int, tuple[Truth, bool, Truth]]


def _evaluate_conditions(reg: Registry, facts: Mapping[str, Any], unrecordable: frozenset[str]) -> _Truths:
    """Condition id -> (truth, open on a fact a record can hold, truth were the facts no
    record can hold absent) for every distinct condition."""
    nodes = reg.nodes
    out: _Truths = {}
    for cid, text in reg.connection.execute("SELECT id, cond FROM conds"):
        node = nodes.get(cid)
        if node is None:
            node = nodes[cid] = _CONDITION.validate_json(text)
        truth = node.truth(facts)
        real = False
        presumed = truth
        if truth is Truth.UNKNOWN:
            missing = {m for m in node.explain(facts).missing if m != NOT_UNDERSTOOD}
            real = bool(missing - unrecordable)
            if missing and not real:
                presumed = node.truth({**facts, **dict.fromkeys(missing, False)})
        out[cid] = (truth, real, presumed)
    return out


def _cohorts(label: str) -> set[str]:
    words = label.split()[1:]
    return {w for w in words if w not in {"and", "&", ",", "/"}} or {label}


def _judge(
    items: Sequence[Sequence[Any]],
    truths: _Truths,
    recruiting: bool,
    tk: TrialKnowledge,
) -> tuple[str, float]:
    """Status and score from compact criteria (mirrors :func:`judge_trial`)."""
    w = tk.lexicon.matching.score
    results: list[tuple[str, int, str | None]] = []
    for kind, cid, disease, cohort in items:
        if not cid:
            results.append(("needs_review", disease, cohort))
            continue
        truth, real, presumed = truths[cid]
        result = _RESULT[(kind, truth)]
        if result == "unknown" and not real:
            result = "unknown" if _RESULT[(kind, presumed)] == "not_met" else "needs_review"
        results.append((result, disease, cohort))
    blocked = any(r == "not_met" and h is None for r, _, h in results)
    labelled = [(r, h) for r, _, h in results if h is not None]
    if not blocked and labelled:
        cohorts = set().union(*(_cohorts(h) for _, h in labelled))
        failed = {c for r, h in labelled if r == "not_met" for c in _cohorts(h)}
        blocked = failed >= cohorts
    if blocked:
        status = "excluded"
    elif any(r == "unknown" for r, _, _ in results):
        status = "possible"
    else:
        status = "eligible"
    total = w.status.get(status, 0.0)
    for r, disease, _ in results:
        if r == "met":
            total += w.disease_met if disease else w.met
        elif r == "unknown":
            total += w.disease_unknown if disease else w.unknown
        elif r == "not_met":
            total += w.not_met
    if recruiting:
        total += w.recruiting
    return status, round(total, 2)


def _candidates(
    reg: Registry,
    facts: Mapping[str, Any],
    truths: _Truths,
    *,
    statuses: Sequence[str] | None,
    query: str | None,
    include_excluded: bool,
) -> Iterator[tuple[int, str, str | None, str]]:
    con = reg.connection
    where: list[str] = []
    params: list[Any] = []
    if not include_excluded:
        con.execute(
            "CREATE TEMP TABLE IF NOT EXISTS blocked (cond INTEGER, kind INTEGER, PRIMARY KEY (cond, kind))"
        )
        con.execute("DELETE FROM blocked")
        con.executemany(
            "INSERT INTO blocked VALUES (?, ?)",
            [(cid, 0) for cid, (t, _, _) in truths.items() if t is Truth.FALSE]
            + [(cid, 1) for cid, (t, _, _) in truths.items() if t is Truth.TRUE],
        )
        where.append(
            "NOT EXISTS (SELECT 1 FROM trial_conds tc JOIN blocked b ON b.cond = tc.cond AND b.kind = tc.kind"
            " WHERE tc.trial = t.rowid AND tc.general = 1)"
        )
        sex = facts.get("sex")
        if isinstance(sex, str):
            where.append("(t.sex IS NULL OR t.sex NOT IN ('female', 'male') OR t.sex = ?)")
            params.append(sex)
        age = facts.get("age")
        if isinstance(age, int | float) and not isinstance(age, bool):
            where.append("(t.min_age IS NULL OR t.min_age <= ?) AND (t.max_age IS NULL OR t.max_age >= ?)")
            params += [age, age]
    if statuses:
        where.append(f"t.status IN ({','.join('?' * len(statuses))})")
        params += [s.upper() for s in statuses]
    if query:
        where.append("t.rowid IN (SELECT rowid FROM trials_fts WHERE trials_fts MATCH ?)")
        params.append(query)
    sql = "SELECT t.rowid, t.nct_id, t.status, t.crit FROM trials t"
    if where:
        sql += " WHERE " + " AND ".join(where)
    yield from con.execute(sql, params)


def match_registry(
    registry: Registry,
    record: PatientRecord,
    *,
    kb: KnowledgeBase,
    as_of: dt.date,
    limit: int | None = None,
    statuses: Sequence[str] | None = None,
    query: str | None = None,
    include_excluded: bool = False,
) -> list[TrialMatch]:
    """Match one patient against every trial of a registry, best fit first.

    Args:
        registry: The registry (trials parsed with other patterns are re-parsed first).
        record: A validated contract-v1 patient record.
        kb: The knowledge base.
        as_of: Date of the assessment.
        limit: Build and return only the N best matches (None: all).
        statuses: Keep only trials with these recruitment statuses (e.g. ``RECRUITING``).
        query: Keep only trials an FTS5 query finds (title, conditions, eligibility).
        include_excluded: Also return excluded trials (no SQL prefilter on criteria).

    Returns:
        :class:`TrialMatch` objects ordered as :func:`match_trials` orders them.

    Raises:
        TrialSourceError: The full-text query is not valid FTS5 syntax.
    """
    import sqlite3  # noqa: PLC0415 - only for the error type

    from mbc.errors import TrialSourceError  # noqa: PLC0415

    registry.refresh()
    tk = load_trial_knowledge(kb)
    facts = trial_facts(record, kb, as_of)
    truths = _evaluate_conditions(registry, facts, tk.unrecordable)
    recruiting = set(tk.lexicon.matching.recruiting_statuses)
    keyed: Iterator[tuple[tuple[int, float, str], int]] = (
        ((_ORDER[status], -score, nct), rowid)
        for rowid, nct, rstatus, crit in _candidates(
            registry, facts, truths, statuses=statuses, query=query, include_excluded=include_excluded
        )
        for status, score in [_judge(json.loads(crit), truths, rstatus in recruiting, tk)]
        if include_excluded or status != "excluded"
    )
    try:
        best = heapq.nsmallest(limit, keyed) if limit is not None else sorted(keyed)
    except sqlite3.OperationalError as exc:
        raise TrialSourceError(f"bad search query {query!r}: {exc}") from exc
    out = []
    for _, rowid in best:
        trial = registry.by_rowid(rowid)
        if trial is not None:
            out.append(judge_trial(trial, facts, tk, as_of))
    return out
