"""The plan pipeline: derive -> evaluate -> act -> safety -> resolve -> rank -> render.

Each stage is a small pure function ``Stage = Callable[[EvalContext], EvalContext]`` that
can be tested alone. No I/O, no clock: ``as_of`` is an input.

Speed (issue 2) comes from work that does not depend on the patient being done once per
KB (see :mod:`mbc.engine._kbcache`): a gate index that skips rules a single fact already
rules out, rule and safety outcomes remembered by the values (and types) of the facts they
read, and the static parts of items, traces and doses. Every cache is bounded, keyed by
its KB, and holds only what a pure function of its key returns, so it cannot change a
plan (tests/engine/test_caches.py).
"""

from __future__ import annotations

import datetime as dt
import itertools
import operator
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from mbc.engine._cite import citations as _citations
from mbc.engine._grouped import screen_option
from mbc.engine._kbcache import copy_with, per_kb
from mbc.engine._progression import progression_for, unlisted
from mbc.engine._region import stage_region
from mbc.engine._workup import stage_drug_workup
from mbc.engine.derive import DerivedFacts, derive_facts
from mbc.engine.doses import stage_doses
from mbc.knowledge.conditions import (
    OPERATORS,
    MaybeExplainFn,
    Outcome,
    TruthFn,
    compiled,
    explained,
    explained_unless_false,
    gate_leaves,
    iter_fact_tests,
)
from mbc.knowledge.loader import KnowledgeBase
from mbc.knowledge.schema import (
    AlertAction,
    AvoidAction,
    OptionAction,
    Rule,
    SafetyRule,
    SupportiveAction,
    WorkupAction,
)
from mbc.logic import Truth
from mbc.model.plan import (
    Alert,
    Citation,
    Classification,
    ConditionalOption,
    MissingInfo,
    NotRecommended,
    Option,
    Plan,
    SupportiveItem,
    Trace,
    WorkupItem,
)
from mbc.model.record import PatientRecord

__all__ = ["ENGINE_VERSION", "STAGES", "EvalContext", "Stage", "plan", "run_stages"]

ENGINE_VERSION = "0.1.0"

_CATEGORY_ORDER = {"preferred": 0, "other": 1, "certain_circumstances": 2}
_URGENCY_ORDER = {"emergency": 0, "soon": 1, "routine": 2}
_SEVERITY_ORDER = {"critical": 0, "warning": 1, "info": 2}


@dataclass(frozen=True)
class Fired:
    """A rule whose condition held (or might hold), with its explanation."""

    rule: Rule
    outcome: Outcome
    order: int


@dataclass(frozen=True)
class EvalContext:
    """Everything the stages pass along. Frozen; stages return a modified copy."""

    record: PatientRecord
    kb: KnowledgeBase
    as_of: dt.date
    derived: DerivedFacts | None = None
    region: str = "US"  # regulatory region (issue 9): label-based options follow its regulator
    fired: tuple[Fired, ...] = ()
    unknown: tuple[Fired, ...] = ()
    options: tuple[Option, ...] = ()
    conditional: tuple[ConditionalOption, ...] = ()
    not_recommended: tuple[NotRecommended, ...] = ()
    workup: tuple[WorkupItem, ...] = ()
    supportive: tuple[SupportiveItem, ...] = ()
    alerts: tuple[Alert, ...] = ()
    missing: tuple[MissingInfo, ...] = ()
    notes: tuple[str, ...] = ()
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def facts(self) -> dict[str, Any]:
        assert self.derived is not None, "derive stage has not run"
        return self.derived.facts


Stage = Callable[[EvalContext], EvalContext]


# ------------------------------------------------------------------ helpers


def _trace(rule_id: str, version: int, outcome: Outcome | None) -> Trace:
    if outcome is None:
        return Trace(rule=rule_id, version=version, facts_used={}, facts_missing=[])
    return Trace(
        rule=rule_id,
        version=version,
        facts_used=_jsonable_map(outcome.used),
        facts_missing=sorted(outcome.missing),
    )


@dataclass
class _TraceCache:
    """Traces (and the items carrying them) already made, by everything they show (per
    KB). Only traces whose values are plain enough that equal means identical in JSON are
    remembered: strings, bools, ints, non-zero floats and tuples of strings."""

    traces: dict[tuple[Any, ...], Trace] = field(default_factory=dict)
    items: dict[tuple[Any, ...], Any] = field(default_factory=dict)


_MAX_TRACES = 10_000


def _trace_key(rule_id: str, version: int, outcome: Outcome) -> tuple[Any, ...] | None:
    """What a trace shows, as a hashable key; None when a value is not plain (e.g. 0.0 and
    -0.0 are equal but print differently)."""
    parts: list[tuple[str, type, Any]] = []
    used = outcome.used
    for k in sorted(used):
        v = used[k]
        t = type(v)
        plain = t is str or t is bool or t is int or v is None or (t is float and v == v and v != 0.0)
        if not (plain or (t is tuple and all(type(x) is str for x in v))):
            return None
        parts.append((k, t, v))
    return (rule_id, version, outcome.missing, tuple(parts))


def _shared_trace(
    kb: KnowledgeBase, rule_id: str, version: int, outcome: Outcome | None
) -> tuple[Trace, Any]:
    """``_trace`` made once per KB for what it shows; with the key it is remembered under
    (None if it was not remembered)."""
    if outcome is None:
        return _trace(rule_id, version, outcome), None
    key = _trace_key(rule_id, version, outcome)
    if key is None:
        return _trace(rule_id, version, outcome), None
    cache = per_kb(kb, "traces", _TraceCache)
    found = cache.traces.get(key)
    if found is None:
        found = _trace(rule_id, version, outcome)
        if len(cache.traces) >= _MAX_TRACES:
            return found, None
        cache.traces[key] = found
    return found, key


def _jsonable_map(d: Mapping[str, Any]) -> dict[str, Any]:
    """``_jsonable`` of a mapping, with the common flat values handled inline."""
    out = {k: d[k] for k in sorted(d)}
    for k, v in out.items():
        if isinstance(v, _NESTED):
            out[k] = _jsonable(v)
    return out


_NESTED = (dict, tuple, list)  # a tuple of types: much faster in isinstance than a union


_SEQUENCE = (tuple, list)


def _jsonable(d: Any) -> Any:
    if isinstance(d, dict):
        return {k: _jsonable(v) for k, v in sorted(d.items())}
    if isinstance(d, _SEQUENCE):
        return [_jsonable(v) if isinstance(v, _NESTED) else v for v in d]
    return d


def _drug_names(kb: KnowledgeBase, ids: Iterable[str]) -> list[str]:
    return [kb.drugs[d].name for d in ids]


def _evidence_text(kb: KnowledgeBase, level: str, citation_ids: Sequence[str]) -> str:
    term = kb.term("evidence_levels", level)
    label = term.name if term else level
    shorts = ", ".join(kb.sources[c].short for c in citation_ids)
    return f"{label}: {shorts}"


# ------------------------------------------------------------------ stages


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
    return replace(ctx, derived=derived, notes=tuple(notes))


# Shape of an outcome: (truth, names of the facts used, facts missing).
_Shape = tuple[Truth, tuple[str, ...], frozenset[str]]
_MAX_RECALLED = 50_000  # outcomes remembered per KB, over all its conditions


@dataclass
class _Budget:
    """How many more outcomes a KB's recalls may remember (bounds their memory)."""

    left: int = field(default_factory=lambda: _MAX_RECALLED)


class _Recall:
    """Outcomes of one condition remembered by the values of the facts it reads (per KB).

    A condition reads its facts only through its leaves, whose tests compare with ``==``,
    ``<``... (and tell ``True`` from ``1`` by type), so two patients with equal values of
    the same types get the same truth, the same facts used and the same facts missing. The
    values shown as used are always taken from this patient's facts.
    """

    __slots__ = ("budget", "reads", "seen")

    def __init__(self, reads: Iterable[str], budget: _Budget) -> None:
        self.reads = tuple(sorted(set(reads)))
        self.seen: dict[tuple[Any, ...], _Shape | None] = {}
        self.budget = budget

    def outcome(
        self, facts: Mapping[str, Any], compute: Callable[..., Outcome | None], *args: Any
    ) -> Outcome | None:
        """``compute(*args)`` (an Outcome, or None) for these facts, remembered."""
        values = tuple(map(facts.get, self.reads, _ABSENTS))
        return self.recall(tuple(zip(values, map(type, values), strict=True)), facts, compute, *args)

    def recall(
        self, key: Any, facts: Mapping[str, Any], compute: Callable[..., Outcome | None], *args: Any
    ) -> Outcome | None:
        """As :meth:`outcome`, with the key (each read fact's value and type, in ``reads``
        order) already made."""
        try:
            shape = self.seen.get(key, _NOT_YET)
        except TypeError:  # an unhashable value: compute, do not remember
            return compute(*args)
        if shape is _NOT_YET:
            out = compute(*args)
            if self.budget.left > 0:
                self.budget.left -= 1
                self.seen[key] = None if out is None else (out.truth, tuple(out.used), out.missing)
            return out
        if shape is None:
            return None
        truth, used, missing = shape
        return Outcome(truth, {k: facts[k] for k in used}, missing)


def _reads(*conditions: Any) -> list[str]:
    return [t.fact for c in conditions if c is not None for t in iter_fact_tests(c)]


def _applies(cond: Any, facts: dict[str, Any]) -> Outcome | None:
    """A condition's explained outcome; None when it is FALSE."""
    return None if compiled(cond)(facts) is Truth.FALSE else explained(cond)(facts)


_NOT_YET: Any = object()
_ABSENT = object()
_ABSENTS = itertools.repeat(_ABSENT)


_Entry = tuple[int, Rule, MaybeExplainFn, TruthFn | None, _Recall, Callable[[Sequence[Any]], Any]]


@dataclass
class _RuleIndex:
    """The active rules compiled, and a gate index over them (one per KB).

    A *gate* is a leaf that makes a rule's ``when`` FALSE on its own (a fact test at the
    top of the rule or inside its top-level ``all``). For each gate fact and observed value
    we remember which rules that value rules out, as a bit mask, so most rules are skipped
    after a few dict lookups. Masks are computed from the leaves' own tests, so skipping a
    rule never changes a result: it would have evaluated FALSE.
    """

    entries: tuple[_Entry, ...]
    gates: tuple[tuple[str, tuple[tuple[int, Any, Any], ...]], ...]
    reads: tuple[str, ...] = ()  # every fact some rule reads
    masks: dict[tuple[str, type, Any], int] = field(default_factory=dict)
    chosen: dict[int, tuple[_Entry, ...]] = field(default_factory=dict)

    def mask(self, fact: str, leaves: tuple[tuple[int, Any, Any], ...], observed: Any) -> int:
        key = (fact, type(observed), observed)
        try:
            found = self.masks.get(key)
        except TypeError:  # an unhashable value: compute, do not remember
            return self._mask(leaves, observed)
        if found is None:
            found = self._mask(leaves, observed)
            if len(self.masks) < _MAX_CACHED:
                self.masks[key] = found
        return found

    @staticmethod
    def _mask(leaves: tuple[tuple[int, Any, Any], ...], observed: Any) -> int:
        out = 0
        for bit, test, value in leaves:
            if not test(observed, value):
                out |= bit
        return out

    def candidates(self, facts: dict[str, Any]) -> tuple[_Entry, ...]:
        excluded = 0
        masks = self.masks
        get = facts.get
        for fact, leaves in self.gates:
            observed = get(fact, _ABSENT)
            if observed is _ABSENT:  # a missing fact makes its leaf UNKNOWN, not FALSE
                continue
            try:
                mask = masks.get((fact, type(observed), observed))
            except TypeError:  # unhashable
                mask = None
            excluded |= self.mask(fact, leaves, observed) if mask is None else mask
        found = self.chosen.get(excluded)
        if found is None:
            found = tuple(e for e in self.entries if not (excluded >> e[0]) & 1)
            if len(self.chosen) < _MAX_CACHED:
                self.chosen[excluded] = found
        return found


_MAX_CACHED = 10_000
def _rule_index(kb: KnowledgeBase) -> _RuleIndex:
    """The compiled rules and their gate index, cached per KB."""
    return per_kb(kb, "rules", lambda: _build_rule_index(kb))


def _build_rule_index(kb: KnowledgeBase) -> _RuleIndex:
    entries: list[_Entry] = []
    by_fact: dict[str, list[tuple[int, Any, Any]]] = {}
    budget = per_kb(kb, "recall.budget", _Budget)
    recalls = [_Recall(_reads(r.when, r.unless), budget) for r in kb.active_rules]
    reads = tuple(sorted({f for rc in recalls for f in rc.reads}))
    position = {f: n for n, f in enumerate(reads)}
    for i, r in enumerate(kb.active_rules):
        unless = compiled(r.unless) if r.unless is not None else None
        at = [position[f] for f in recalls[i].reads]
        # (value, type) of each fact the rule reads, from the patient's row of all of them
        pick = operator.itemgetter(*at) if len(at) > 1 else _one(at[0])
        entries.append((i, r, explained_unless_false(r.when), unless, recalls[i], pick))
        for leaf in gate_leaves(r.when):
            by_fact.setdefault(leaf.fact, []).append((1 << i, OPERATORS[leaf.op].test, leaf.value))
    return _RuleIndex(tuple(entries), tuple((f, tuple(v)) for f, v in by_fact.items()), reads)


def _one(n: int) -> Callable[[Sequence[Any]], tuple[Any, ...]]:
    def pick(row: Sequence[Any]) -> tuple[Any, ...]:
        return (row[n],)

    return pick


def _evaluate(
    facts: dict[str, Any], rule: Rule, when: MaybeExplainFn, unless: TruthFn | None
) -> Outcome | None:
    """A rule's explained outcome; None when it does not apply (``when`` FALSE or
    ``unless`` TRUE). An exclusion that cannot be checked adds its facts."""
    outcome = when(facts)
    if outcome is None:  # FALSE
        return None
    u = unless(facts) if unless is not None else Truth.FALSE
    if u is Truth.TRUE:
        return None
    if u is Truth.UNKNOWN and rule.unless is not None:
        uo = explained(rule.unless)(facts)
        outcome = Outcome(outcome.truth, {**outcome.used, **uo.used}, outcome.missing | uo.missing)
    return outcome


def stage_evaluate(ctx: EvalContext) -> EvalContext:
    """Evaluate every active rule three-valued; keep the TRUE and UNKNOWN ones.

    Rules that a gate leaf already makes FALSE are skipped (see :class:`_RuleIndex`)."""
    facts = ctx.facts
    fired: list[Fired] = []
    unknown: list[Fired] = []
    index = _rule_index(ctx.kb)
    values = tuple(map(facts.get, index.reads, _ABSENTS))
    row = tuple(zip(values, map(type, values), strict=True))
    for i, rule, when, unless, recall, pick in index.candidates(facts):
        outcome = recall.recall(pick(row), facts, _evaluate, facts, rule, when, unless)
        if outcome is None:
            continue
        item = Fired(rule, outcome, i)
        (fired if outcome.truth is Truth.TRUE else unknown).append(item)
    return replace(ctx, fired=tuple(fired), unknown=tuple(unknown))




def _static_parts(kb: KnowledgeBase, r: Rule, idx: int, a: Any) -> dict[str, Any]:
    """The patient-independent fields of the item an action produces (cached per KB)."""
    cache: dict[tuple[str, int], dict[str, Any]] = per_kb(kb, "static", dict)
    key = (r.id, idx)
    found = cache.get(key)
    if found is not None:
        return found
    cites = _citations(kb, r.evidence.citations)
    if isinstance(a, OptionAction):
        reg_id = "+".join((a.option, *a.add))
        found = {
            "id": f"{r.id}:{reg_id}",
            "regimen": reg_id,
            "name": kb.regimen_name(reg_id),
            "drugs": _drug_names(kb, kb.regimen_drugs(reg_id)),
            "components": [_drug_names(kb, c) for c in kb.regimen_components(reg_id)],
            "category": a.category,
            "rationale": r.rationale.strip(),
            "evidence": _evidence_text(kb, r.evidence.level, r.evidence.citations),
            "evidence_level": r.evidence.level,
            "citations": cites,
            "note": a.note,
        }
    elif isinstance(a, AvoidAction):
        drug_ids = list(a.drugs) or (list(kb.regimen_drugs(a.avoid)) if a.avoid else [])
        found = {
            "id": f"{r.id}:{a.avoid or '+'.join(a.drugs)}",
            "regimen": a.avoid,
            "name": kb.regimen_name(a.avoid) if a.avoid else None,
            "drugs": _drug_names(kb, drug_ids),
            "reason": a.reason.strip(),
            "kind": "not_indicated",
            "citations": cites,
        }
    elif isinstance(a, WorkupAction):
        test = kb.term("tests", a.workup)
        found = {
            "id": a.workup,
            "name": test.name if test else a.workup,
            "reason": a.reason.strip(),
            "urgency": a.urgency,
            "citations": cites,
        }
    elif isinstance(a, SupportiveAction):
        item = kb.term("supportive", a.supportive)
        found = {
            "id": a.supportive,
            "name": item.name if item else a.supportive,
            "detail": a.detail.strip(),
            "drugs": _drug_names(kb, a.drugs),
            "citations": cites,
        }
    else:
        found = {
            "severity": a.severity,
            "code": a.alert,
            "message": a.message.strip(),
            "drugs": _drug_names(kb, a.drugs),
            "citations": cites,
        }
    cache[key] = found
    return found


# What a rule's actions produce: (bucket, item class, static fields) per action; options
# (bucket 0) also take the patient's line. Buckets: options, avoid, workup, supportive, alerts.
_Made = tuple[int, type[Any], dict[str, Any]]
_BUCKET: tuple[tuple[type[Any], type[Any]], ...] = (
    (OptionAction, Option),
    (AvoidAction, NotRecommended),
    (WorkupAction, WorkupItem),
    (SupportiveAction, SupportiveItem),
    (AlertAction, Alert),
)


@dataclass
class _ActIndex:
    """Per rule, the static part of what its actions make (per KB)."""

    made: dict[int, tuple[_Made, ...]] = field(default_factory=dict)
    conditional: dict[int, tuple[dict[str, Any], ...]] = field(default_factory=dict)

    def fired(self, kb: KnowledgeBase, r: Rule) -> tuple[_Made, ...]:
        found = self.made.get(id(r))
        if found is None:
            out: list[_Made] = []
            for idx, a in enumerate(r.then):
                for bucket, (action, cls) in enumerate(_BUCKET):
                    if isinstance(a, action):
                        out.append((bucket, cls, _static_parts(kb, r, idx, a)))
                        break
            found = self.made[id(r)] = tuple(out)
        return found

    def unknown(self, kb: KnowledgeBase, r: Rule) -> tuple[dict[str, Any], ...]:
        found = self.conditional.get(id(r))
        if found is None:
            out: list[dict[str, Any]] = []
            for a in r.then:
                if isinstance(a, OptionAction):
                    reg_id = "+".join((a.option, *a.add))
                    out.append(
                        {
                            "id": f"{r.id}:{reg_id}",
                            "regimen": reg_id,
                            "name": kb.regimen_name(reg_id),
                            "drugs": _drug_names(kb, kb.regimen_drugs(reg_id)),
                            "category": a.category,
                            "rule": f"{r.id}@{r.version}",
                        }
                    )
            found = self.conditional[id(r)] = tuple(out)
        return found


def stage_act(ctx: EvalContext) -> EvalContext:
    """Turn fired rules' actions into plan items (before safety and de-duplication)."""
    kb = ctx.kb
    index = per_kb(kb, "act", _ActIndex)
    line = ctx.facts.get("line.metastatic", ctx.facts.get("line"))
    line = line if isinstance(line, int) else None
    made: tuple[list[Any], ...] = ([], [], [], [], [])
    items = per_kb(kb, "traces", _TraceCache).items
    for f in ctx.fired:
        r = f.rule
        trace, key = _shared_trace(kb, r.id, r.version, f.outcome)
        tr = [trace]
        for n, (bucket, cls, parts) in enumerate(index.fired(kb, r)):
            # an item is a function of its rule's action, its trace and (options) the line
            item_key = (key, n, type(line), line) if key is not None else None
            item = items.get(item_key) if item_key is not None else None
            if item is None:
                item = cls(**parts, line=line, trace=tr) if bucket == 0 else cls(**parts, trace=tr)
                if item_key is not None and len(items) < _MAX_TRACES:
                    items[item_key] = item
            made[bucket].append(item)
    conditional: list[ConditionalOption] = []
    for f in ctx.unknown:
        statics = index.unknown(kb, f.rule)
        if statics:
            needs = sorted({_field_of(kb, m) for m in f.outcome.missing})
            conditional.extend(ConditionalOption(**parts, needs=needs) for parts in statics)
    options, avoid, workup, supportive, alerts = made
    return replace(
        ctx,
        options=tuple(options),
        conditional=tuple(conditional),
        not_recommended=ctx.not_recommended + tuple(avoid),
        workup=ctx.workup + tuple(workup),
        supportive=ctx.supportive + tuple(supportive),
        alerts=ctx.alerts + tuple(alerts),
    )


def _safety_applies(kb: KnowledgeBase, s: SafetyRule, drug_ids: Sequence[str]) -> list[str]:
    """The drugs of a regimen a safety rule is about (empty if it does not apply)."""
    for part in s.not_with:
        if any(d == part or part in kb.drug_classes_of(d) for d in drug_ids):
            return []
    if s.combination:
        hit: list[str] = []
        for part in s.combination:  # each part names a drug class or a single drug
            members = [d for d in drug_ids if d == part or part in kb.drug_classes_of(d)]
            if not members:
                return []
            hit.extend(m for m in members if m not in hit)
        return hit
    out = [d for d in drug_ids if d in s.drugs or (kb.drug_classes_of(d) & set(s.classes))]
    return out


@dataclass(frozen=True)
class _SafetyFinding:
    rule: SafetyRule
    hit: list[str]
    outcome: Outcome | None


@dataclass(frozen=True)
class _SafetyCheck:
    """A safety rule for the drugs of a drug set it hits (patient-independent, per KB)."""

    rule: SafetyRule
    hit: list[str]
    key: tuple[int, tuple[str, ...]]
    recall: _Recall
    asks: dict[str, MissingInfo] = field(default_factory=dict)  # fact -> its (static) item
    asked: dict[frozenset[str], tuple[MissingInfo, ...]] = field(default_factory=dict)

    def ask(self, kb: KnowledgeBase, fact: str) -> MissingInfo:
        """The missing-information item for one undecided fact of this check."""
        found = self.asks.get(fact)
        if found is None:
            s = self.rule
            found = self.asks[fact] = MissingInfo(
                field=_field_of(kb, fact),
                why=f"safety check before {', '.join(_drug_names(kb, self.hit))}: {s.title}",
                ask=_ask_of(kb, fact),
                facts=[fact],
                decides=[s.id],
            )
        return found


@dataclass
class _SafetyIndex:
    by_drugs: dict[tuple[str, ...], list[_SafetyCheck]] = field(default_factory=dict)
    checks: dict[tuple[int, tuple[str, ...]], _SafetyCheck] = field(default_factory=dict)
    recall: dict[int, _Recall] = field(default_factory=dict)  # per safety rule


def _applicable(kb: KnowledgeBase, drug_ids: Sequence[str]) -> list[_SafetyCheck]:
    """Safety rules that concern this drug set, with the drugs they hit (cached per KB:
    it does not depend on the patient)."""
    index = per_kb(kb, "safety", _SafetyIndex)
    key = tuple(drug_ids)
    found = index.by_drugs.get(key)
    if found is None:
        found = []
        for s in kb.active_safety:
            hit = _safety_applies(kb, s, drug_ids)
            if hit:
                ck = (id(s), tuple(hit))
                check = index.checks.get(ck)
                if check is None:
                    recall = index.recall.get(id(s))
                    if recall is None:
                        budget = per_kb(kb, "recall.budget", _Budget)
                        recall = index.recall[id(s)] = _Recall(_reads(s.when), budget)
                    check = index.checks[ck] = _SafetyCheck(s, hit, ck, recall)
                found.append(check)
        index.by_drugs[key] = found
    return found


# Per patient: a check's finding (None when it does not apply) and the missing information
# it asks for; and each drug set's (blocks, cautions, missing information).
_Checked = tuple["_SafetyFinding | None", tuple[MissingInfo, ...]]
_Found = tuple[list["_SafetyFinding"], list["_SafetyFinding"], list[MissingInfo]]


@dataclass
class _SafetyMemo:
    """What the safety checks found for one patient (so a rule concerning several options
    is evaluated and explained once)."""

    rules: dict[int, Outcome | None] = field(default_factory=dict)  # None: FALSE
    checks: dict[int, _Checked] = field(default_factory=dict)
    sets: dict[tuple[str, ...], _Found] = field(default_factory=dict)


def _check_drugs(
    kb: KnowledgeBase,
    facts: dict[str, Any],
    drug_ids: Sequence[str],
    memo: _SafetyMemo | None = None,
) -> _Found:
    """Safety rules that block / caution these drugs, and the checks that need data.

    ``memo`` (one per patient) remembers each check's result. The lists returned are not
    to be changed: with a memo they are shared by every option with the same drugs."""
    if memo is None:
        memo = _SafetyMemo()
    key = tuple(drug_ids)
    done = memo.sets.get(key)
    if done is not None:
        return done
    blocks: list[_SafetyFinding] = []
    cautions: list[_SafetyFinding] = []
    missing: list[MissingInfo] = []
    for check in _applicable(kb, key):
        checked = memo.checks.get(id(check))
        if checked is None:
            checked = memo.checks[id(check)] = _check_one(kb, facts, check, memo)
        finding, asks = checked
        if asks:
            missing.extend(asks)
        if finding is not None:
            (blocks if finding.rule.effect in ("contraindicated", "declined") else cautions).append(finding)
    done = memo.sets[key] = (blocks, cautions, missing)
    return done


def _check_one(
    kb: KnowledgeBase, facts: dict[str, Any], check: _SafetyCheck, memo: _SafetyMemo
) -> _Checked:
    s = check.rule
    if s.when is None:
        return _SafetyFinding(s, check.hit, None), ()
    outcome = memo.rules.get(id(s), _NOT_YET)
    if outcome is _NOT_YET:
        outcome = memo.rules[id(s)] = check.recall.outcome(facts, _applies, s.when, facts)
    if outcome is None:  # FALSE
        return None, ()
    if outcome.truth is Truth.UNKNOWN:
        if not s.ask_if_unknown:
            return None, ()
        asks = check.asked.get(outcome.missing)
        if asks is None:
            asks = check.asked[outcome.missing] = tuple(check.ask(kb, f) for f in sorted(outcome.missing))
        return None, asks
    return _SafetyFinding(s, check.hit, outcome), ()


def _reason(s: SafetyRule) -> str:
    return s.message.strip() + (f" {s.action.strip()}" if s.action else "")


def _caution_alert(kb: KnowledgeBase, f: _SafetyFinding) -> Alert:
    s = f.rule
    trace, key = _shared_trace(kb, s.id, s.version, f.outcome)
    items = per_kb(kb, "traces", _TraceCache).items
    item_key = ("alert", key, *f.hit) if key is not None else None
    found = items.get(item_key) if item_key is not None else None
    if found is None:
        found = Alert(
            severity=s.severity,
            code=s.id,
            message=s.message.strip(),
            action=s.action.strip() if s.action else None,
            drugs=_drug_names(kb, f.hit),
            citations=_citations(kb, s.evidence.citations),
            trace=[trace],
        )
        if item_key is not None and len(items) < _MAX_TRACES:
            items[item_key] = found
    return found


def stage_safety(ctx: EvalContext) -> EvalContext:
    """Check every option, and the drugs of supportive-care items, against the safety rules.

    Contraindicated / declined -> the option moves to not_recommended (a supportive item
    loses that drug); caution -> alert; a check that cannot be decided -> missing information.
    """
    kb = ctx.kb
    facts = ctx.facts
    kept: list[Option] = []
    moved: list[NotRecommended] = []
    alerts: list[Alert] = []
    missing: list[MissingInfo] = []
    memo = _SafetyMemo()
    made: dict[int, Alert] = {}  # one per finding, however many options it concerns

    def alert(f: _SafetyFinding) -> Alert:
        found = made.get(id(f))
        if found is None:
            found = made[id(f)] = _caution_alert(kb, f)
        return found

    regimen_drugs: dict[str, tuple[str, ...]] = per_kb(kb, "regimen_drugs", dict)
    # issue 9: progression exclusion, grouped options split, critical caution -> "other"
    progression = progression_for(kb, facts, ctx.derived.therapies if ctx.derived else ())

    def check(ids: tuple[str, ...]) -> _Found:
        found = _check_drugs(kb, facts, ids, memo)
        if not progression.progressed:
            return found
        extra = [_SafetyFinding(r, hit, None) for r, hit in progression.findings(kb, ids)]
        return ([*found[0], *extra], found[1], found[2]) if extra else found

    def names_of(ids: Sequence[str]) -> list[str]:
        return _drug_names(kb, ids)

    partial: list[str] = []  # not_recommended ids that remove only some alternatives
    for opt in ctx.options:
        drug_ids = regimen_drugs.get(opt.regimen)
        if drug_ids is None:
            drug_ids = regimen_drugs[opt.regimen] = kb.regimen_drugs(opt.regimen)
        screened = screen_option(kb, opt, drug_ids, check, names_of)
        missing.extend(screened.missing)
        alerts.extend(alert(f) for f in screened.cautions)
        # a patient-specific contraindication is also a safety alert (same code as the check)
        alerts.extend(
            alert(f)
            for f in screened.blocks
            if f.rule.effect == "contraindicated" and f.rule.progressed_on is None
        )
        for f in screened.blocks:
            moved.append(_moved(kb, f, opt, screened.dropped, progression.progressed))
            if screened.dropped:
                partial.append(moved[-1].id)
        if screened.option is not None:
            codes = [f.rule.id for f in screened.cautions]
            kept.append(copy_with(kb, screened.option, "cautions", codes) if codes else screened.option)
    named: set[str] = set()
    if progression.progressed:
        named = {kb.lookup_drug(d) or d for n in (*ctx.not_recommended, *moved) for d in n.drugs}
    listed: dict[tuple[str, str], NotRecommended] = per_kb(kb, "safety.progressed", dict)
    for rule, drug in unlisted(progression, named) if progression.progressed else ():
        entry = listed.get((rule.id, drug))
        if entry is None:
            name = kb.drugs[drug].name
            entry = listed[(rule.id, drug)] = NotRecommended(
                id=f"{rule.id}:{drug}",
                name=name,
                drugs=[name],
                reason=f"Progressed on {name} (metastatic setting). {_reason(rule)}",
                kind="not_indicated",
                citations=_citations(kb, rule.evidence.citations),
                trace=[_trace(rule.id, rule.version, None)],
            )
        moved.append(entry)
        partial.append(entry.id)
    supportive: list[SupportiveItem] = []
    for item in ctx.supportive:
        ids = [d for d in (kb.lookup_drug(n) for n in item.drugs) if d]
        blocks, cautions, need = _check_drugs(kb, facts, ids, memo)
        missing.extend(need)
        alerts.extend(alert(f) for f in cautions)
        removed: set[str] = set()
        for f in blocks:
            names = _drug_names(kb, f.hit)
            removed.update(names)
            moved.append(
                NotRecommended(
                    id=f"{f.rule.id}:{item.id}",
                    name=", ".join(names),
                    drugs=names,
                    reason=_reason(f.rule),
                    kind="declined" if f.rule.effect == "declined" else "contraindicated",
                    citations=_citations(kb, f.rule.evidence.citations),
                    trace=[_trace(f.rule.id, f.rule.version, f.outcome)],
                )
            )
        if removed and not [d for d in item.drugs if d not in removed]:
            continue  # every drug of the item is ruled out: not_recommended says why
        supportive.append(
            item.model_copy(update={"drugs": [d for d in item.drugs if d not in removed]})
            if removed
            else item
        )
    return replace(
        ctx,
        options=tuple(kept),
        supportive=tuple(supportive),
        not_recommended=ctx.not_recommended + tuple(moved),
        alerts=ctx.alerts + tuple(alerts),
        missing=ctx.missing + tuple(missing),
        extra={**ctx.extra, "partial_not_recommended": frozenset(partial)} if partial else ctx.extra,
    )


def _moved(
    kb: KnowledgeBase, f: _SafetyFinding, opt: Option, dropped: tuple[str, ...], progressed: frozenset[str]
) -> NotRecommended:
    """The not_recommended entry for a finding that removed an option (or, with ``dropped``,
    only those alternatives of its group). Remembered per KB when it holds no patient facts."""
    s = f.rule
    on: list[str] = []
    if s.progressed_on is not None:
        on = [d for d in f.hit if d in progressed]
        on = on or [d for d in progressed if kb.drug_classes_of(d) & set(s.classes)]
    trace, trace_key = _shared_trace(kb, s.id, s.version, f.outcome)
    shared = f.outcome is None or trace_key is not None
    key = (id(s), id(opt), tuple(f.hit), dropped, tuple(on), trace_key) if shared else None
    memo: dict[Any, tuple[Any, Any, NotRecommended]] = per_kb(kb, "safety.moved", dict)
    hit = memo.get(key) if key is not None else None
    if hit is not None and hit[0] is s and hit[1] is opt:
        return hit[2]
    reason = _reason(s)
    if on:
        reason = f"Progressed on {', '.join(_drug_names(kb, on))} (metastatic setting). {reason}"
    gone = [d for d in f.hit if d in dropped] if dropped else []
    kind = "declined" if s.effect == "declined" else "not_indicated" if s.progressed_on else "contraindicated"
    made = NotRecommended(
        id=f"{s.id}:{opt.regimen}" + (f"-{'-'.join(gone)}" if gone else ""),
        regimen=None if dropped else opt.regimen,
        name=f"{', '.join(_drug_names(kb, gone))} (in {opt.name})" if dropped else opt.name,
        drugs=_drug_names(kb, gone) if dropped else opt.drugs,
        reason=reason,
        kind=kind,
        citations=_citations(kb, s.evidence.citations),
        trace=[trace],
    )
    if key is not None and len(memo) < _MAX_TRACES:
        memo[key] = (s, opt, made)
    return made


def _merge_cites(a: list[Citation], b: list[Citation]) -> list[Citation]:
    seen = {c.id for c in a}
    return a + [c for c in b if c.id not in seen]


def stage_resolve(ctx: EvalContext) -> EvalContext:
    """De-duplicate: one option per regimen (best category wins, traces and citations
    merged); a regimen that a rule or safety check says not to use is not offered."""
    kb = ctx.kb
    avoided_regimens = {n.regimen for n in ctx.not_recommended if n.regimen}
    partial = ctx.extra.get("partial_not_recommended", frozenset())
    avoided_drugs = {d for n in ctx.not_recommended if not n.regimen and n.id not in partial for d in n.drugs}
    by_reg: dict[str, Option] = {}
    order: dict[str, int] = {}
    for i, opt in enumerate(ctx.options):
        if opt.regimen in avoided_regimens or opt.regimen.split("+")[0] in avoided_regimens:
            continue
        if avoided_drugs & set(opt.drugs):
            continue
        prev = by_reg.get(opt.regimen)
        if prev is None:
            by_reg[opt.regimen] = opt
            order[opt.regimen] = i
            continue
        best, other = (
            (opt, prev) if _CATEGORY_ORDER[opt.category] < _CATEGORY_ORDER[prev.category] else (prev, opt)
        )
        by_reg[opt.regimen] = best.model_copy(
            update={
                "citations": _merge_cites(best.citations, other.citations),
                "trace": best.trace + other.trace,
                "cautions": sorted(set(best.cautions) | set(other.cautions)),
            }
        )
    options = [by_reg[r] for r in sorted(by_reg, key=order.__getitem__)]

    offered = {o.regimen for o in options}
    conditional = [
        c for c in ctx.conditional if c.regimen not in offered and c.regimen not in avoided_regimens
    ]
    unique: dict[str, ConditionalOption] = {}
    for c in conditional:
        unique.setdefault(c.regimen, c)
    conditional = list(unique.values())

    # not_recommended: one entry per (regimen or drug set, kind)
    nr: dict[tuple[str, ...], NotRecommended] = {}
    for n in ctx.not_recommended:
        key = (n.regimen or "", *sorted(n.drugs), n.reason)
        if key not in nr:
            nr[key] = n
    workup: dict[str, WorkupItem] = {}
    for w in ctx.workup:
        prev_w = workup.get(w.id)
        if prev_w is None:
            workup[w.id] = w
        elif _URGENCY_ORDER[w.urgency] < _URGENCY_ORDER[prev_w.urgency]:
            workup[w.id] = w.model_copy(
                update={
                    "citations": _merge_cites(w.citations, prev_w.citations),
                    "trace": w.trace + prev_w.trace,
                }
            )
        else:
            workup[w.id] = prev_w.model_copy(
                update={
                    "citations": _merge_cites(prev_w.citations, w.citations),
                    "trace": prev_w.trace + w.trace,
                }
            )
    supportive: dict[str, SupportiveItem] = {}
    for s in ctx.supportive:
        prev_s = supportive.get(s.id)
        supportive[s.id] = (
            s
            if prev_s is None
            else prev_s.model_copy(
                update={
                    "citations": _merge_cites(prev_s.citations, s.citations),
                    "trace": prev_s.trace + s.trace,
                }
            )
        )
    alerts: dict[tuple[str, tuple[str, ...]], Alert] = {}
    for a in ctx.alerts:
        key_a = (a.code, tuple(a.drugs))
        if key_a not in alerts:
            alerts[key_a] = a
    # merge alerts of the same code across drugs
    merged: dict[str, Alert] = {}
    for a in alerts.values():
        prev_a = merged.get(a.code)
        merged[a.code] = (
            a
            if prev_a is None
            else prev_a.model_copy(
                update={"drugs": prev_a.drugs + [d for d in a.drugs if d not in prev_a.drugs]}
            )
        )
    return replace(
        ctx,
        options=tuple(options),
        conditional=tuple(conditional),
        not_recommended=tuple(nr.values()),
        workup=tuple(workup.values()),
        supportive=tuple(supportive.values()),
        alerts=tuple(merged.values()),
        missing=_missing(ctx, kb),
    )


def _field_of(kb: KnowledgeBase, fact: str) -> str:
    spec = _fact_spec(kb, fact)
    return spec.field if spec else fact


def _ask_of(kb: KnowledgeBase, fact: str) -> str:
    spec = _fact_spec(kb, fact)
    return spec.ask if spec else ""


def _fact_spec(kb: KnowledgeBase, fact: str) -> Any:
    return kb.fact_spec(fact)


_TIERS = ("treatment", "safety", "workup")


def _present_fields(record: PatientRecord) -> set[str]:
    """Dotted paths of the record fields that are given (lists count when present)."""
    out: set[str] = set()

    def walk(prefix: str, value: Any) -> None:
        if isinstance(value, dict):
            for k, v in value.items():
                walk(f"{prefix}.{k}" if prefix else k, v)
        else:
            out.add(prefix)

    walk("", record.model_dump(exclude_none=True))
    return out


def _tier(rule: Rule) -> int:
    """0 for rules that decide treatment options, 2 for workup / supportive / alerts."""
    return 0 if any(isinstance(a, OptionAction | AvoidAction) for a in rule.then) else 2


@dataclass
class _Wanted:
    """One record field's missing information while it is gathered (dicts keep the
    first-seen order and drop repeats)."""

    ask: str
    tier: int
    why: dict[tuple[int, str], None] = field(default_factory=dict)
    facts: dict[str, None] = field(default_factory=dict)
    decides: dict[str, None] = field(default_factory=dict)


_Row = tuple[str, tuple[int, str], str, str, str]


@dataclass
class _MissingIndex:
    """Patient-independent pieces of missing information (per KB)."""

    rules: dict[int, tuple[int, str, str]] = field(default_factory=dict)
    facts: dict[str, tuple[str, str]] = field(default_factory=dict)
    why_parts: dict[str, tuple[str, ...]] = field(default_factory=dict)
    by_rule: dict[tuple[int, frozenset[str], int], tuple[_Row, ...]] = field(default_factory=dict)
    # the finished item for everything gathered about a field (all strings: equal is identical)
    items: dict[tuple[Any, ...], MissingInfo] = field(default_factory=dict)

    def rule(self, r: Rule) -> tuple[int, str, str]:
        """(tier, why when UNKNOWN, why when an exclusion could not be checked)."""
        found = self.rules.get(id(r))
        if found is None:
            found = self.rules[id(r)] = (
                _tier(r),
                (r.missing_why or r.title).strip(),
                f"would rule out: {r.title.strip()}",
            )
        return found

    def fact(self, kb: KnowledgeBase, fact: str) -> tuple[str, str]:
        """(record field, how to ask) for a fact."""
        found = self.facts.get(fact)
        if found is None:
            found = self.facts[fact] = (_field_of(kb, fact), _ask_of(kb, fact))
        return found

    def rows(self, kb: KnowledgeBase, r: Rule, missing: frozenset[str], which: int) -> tuple[_Row, ...]:
        """A rule's missing facts as rows (field, (tier, why), ask, fact, rule id), by fact
        name; ``which`` is 1 for an UNKNOWN rule, 2 for an exclusion not checked."""
        key = (id(r), missing, which)
        found = self.by_rule.get(key)
        if found is None:
            made: list[_Row] = []
            tier, unknown_why, unchecked_why = self.rule(r)
            why = unknown_why if which == 1 else unchecked_why
            for fact in sorted(missing):
                field_name, ask = self.fact(kb, fact)
                made.append((field_name, (tier, why), ask, fact, r.id))
            found = self.by_rule[key] = tuple(made)
        return found

    def parts(self, why: str) -> tuple[str, ...]:
        found = self.why_parts.get(why)
        if found is None:
            found = self.why_parts[why] = tuple(p.strip() for p in why.split("; ") if p.strip())
        return found


def _missing_item(index: _MissingIndex, field_name: str, e: _Wanted) -> MissingInfo:
    whys = list(
        dict.fromkeys(
            part for _, w in sorted(e.why, key=lambda tw: tw[0]) for part in index.parts(w)
        )
    )
    shown = "; ".join(whys[:4]) + (f"; and {len(whys) - 4} more" if len(whys) > 4 else "")
    return MissingInfo(
        field=field_name,
        why=f"Decides: {shown}",
        ask=e.ask,
        facts=sorted(e.facts),
        decides=list(e.decides),
        priority=_TIERS[e.tier],
    )


def _missing(ctx: EvalContext, kb: KnowledgeBase) -> tuple[MissingInfo, ...]:
    """Missing information: facts that would decide an UNKNOWN rule, grouped by field.

    Ordered by what they decide: treatment choices first, then safety checks, then workup
    and supportive care; within a tier, by how many decisions they touch.
    """
    index = per_kb(kb, "missing", _MissingIndex)
    by_field: dict[str, _Wanted] = {}

    def add(rows: Iterable[_Row]) -> None:
        for field_name, tier_why, ask, fact, rule_id in rows:
            tier = tier_why[0]
            entry = by_field.get(field_name)
            if entry is None:
                entry = by_field[field_name] = _Wanted(ask, tier)
            elif tier < entry.tier:
                entry.tier = tier
            entry.why[tier_why] = None
            entry.facts[fact] = None
            entry.decides[rule_id] = None

    for f in ctx.unknown:
        add(index.rows(kb, f.rule, f.outcome.missing, 1))
    for f in ctx.fired:  # fired, but an exclusion (`unless`) could not be checked
        if f.outcome.missing:
            add(index.rows(kb, f.rule, f.outcome.missing, 2))
    for m in {id(m): m for m in ctx.missing}.values():  # from safety checks (each once)
        rule_id = m.decides[0] if m.decides else ""
        add((m.field, (1, m.why), m.ask, fact, rule_id) for fact in m.facts)
    merged = by_field
    if any(", " in name for name in by_field):
        present = _present_fields(ctx.record)
        merged = {}
        for field_name, e in by_field.items():
            # a fact read from several fields is missing only through the ones not recorded
            # (HER2 IHC 2+ recorded -> only tumor.her2_ish is missing); a single field
            # always keeps its name
            parts = [f for f in field_name.split(", ") if f not in present] or [field_name]
            key = ", ".join(parts)
            prev = merged.get(key)
            if prev is None:
                merged[key] = _Wanted(e.ask, e.tier, dict(e.why), dict(e.facts), dict(e.decides))
            else:
                prev.tier = min(prev.tier, e.tier)
                prev.why.update(e.why)
                prev.facts.update(e.facts)
                prev.decides.update(e.decides)
    out: list[tuple[int, MissingInfo]] = []
    for field_name, e in merged.items():
        gathered = (field_name, e.tier, e.ask, tuple(e.why), tuple(e.facts), tuple(e.decides))
        item = index.items.get(gathered)
        if item is None:
            item = _missing_item(index, field_name, e)
            if len(index.items) < _MAX_TRACES:
                index.items[gathered] = item
        out.append((e.tier, item))
    out.sort(key=lambda tm: (tm[0], -len(tm[1].decides), tm[1].field))
    return tuple(m for _, m in out)


def stage_rank(ctx: EvalContext) -> EvalContext:
    """Order options by category, then evidence level, then rule order in the KB."""
    kb = ctx.kb

    def ev_rank(level: str) -> int:
        t = kb.term("evidence_levels", level)
        return int(t.data.get("rank", 99)) if t else 99

    options = sorted(
        enumerate(ctx.options),
        key=lambda p: (_CATEGORY_ORDER[p[1].category], ev_rank(p[1].evidence_level), p[0]),
    )
    workup = sorted(ctx.workup, key=lambda w: _URGENCY_ORDER[w.urgency])
    alerts = sorted(ctx.alerts, key=lambda a: _SEVERITY_ORDER[a.severity])
    # options that need data: the strongest and nearest (fewest missing fields) first
    conditional = sorted(
        enumerate(ctx.conditional), key=lambda p: (_CATEGORY_ORDER[p[1].category], len(p[1].needs), p[0])
    )
    return replace(
        ctx,
        options=tuple(o for _, o in options),
        workup=tuple(workup),
        alerts=tuple(alerts),
        conditional=tuple(c for _, c in conditional),
    )


STAGES: tuple[Stage, ...] = (
    stage_derive,
    stage_evaluate,
    stage_act,
    stage_safety,
    stage_region,
    stage_doses,
    stage_resolve,
    stage_drug_workup,
    stage_rank,
)


def run_stages(ctx: EvalContext, stages: Sequence[Stage] = STAGES) -> EvalContext:
    """Run the stages in order."""
    for stage in stages:
        ctx = stage(ctx)
    return ctx


def _classification(facts: dict[str, Any]) -> Classification:
    cps = facts.get("pdl1_cps")
    vc = facts.get("visceral_crisis")
    lines = facts.get("prior.metastatic_lines")
    return Classification(
        subtype=facts.get("subtype", "unknown"),
        hr_status=facts.get("hr_status", "unknown"),
        her2_category=facts.get("her2_category", "unknown"),
        endocrine_resistance=facts.get("endocrine_resistance", "unknown"),
        line=facts.get("line.metastatic", facts.get("line")),
        treated_as=facts.get("line.treated_as"),
        er_status=facts.get("er_status", "unknown"),
        pr_status=facts.get("pr_status", "unknown"),
        pdl1=f"CPS {cps:g} (22C3)" if isinstance(cps, int | float) else "unknown",
        menopausal_status=facts.get("menopausal_status", "male" if facts.get("sex") == "male" else "unknown"),
        visceral_crisis=vc if isinstance(vc, bool) else None,
        prior_metastatic_lines=lines if isinstance(lines, int) else None,
    )


_ALWAYS_SHOWN = ("relapse.", "brain.", "germline.brca")


class _Hideable(dict[str, bool]):
    """Fact name -> whether a FALSE value is left out of the trace (filled on first use)."""

    def __missing__(self, key: str) -> bool:
        hide = self[key] = "." in key and not key.startswith(_ALWAYS_SHOWN)
        return hide


def _shown_facts(facts: dict[str, Any], kb: KnowledgeBase) -> dict[str, Any]:
    """Facts for the trace, without the hundreds of false per-class/per-drug flags."""
    hide = per_kb(kb, "hideable", _Hideable)  # a pure function of the name
    return {
        k: (list(v) if isinstance(v, tuple) else v)
        for k, v in facts.items()
        if v is not False or not hide[k]
    }


def plan(
    record: PatientRecord, kb: KnowledgeBase, *, as_of: dt.date | None = None, region: str = "US"
) -> Plan:
    """Make the plan for one patient.

    Args:
        record: A validated patient record.
        kb: The knowledge base.
        as_of: The date to plan for; default the record's ``as_of``. One of them is required
            (the engine reads no clock).
        region: ``"US"`` (default) or ``"EU"``: the regulator whose labels the options follow.

    Returns:
        The plan.
    """
    when = as_of or record.as_of
    if when is None:
        msg = "as_of is required: give it in the record or as an argument"
        raise ValueError(msg)
    if region not in ("US", "EU"):
        msg = f"region must be US or EU, not {region!r}"
        raise ValueError(msg)
    ctx = run_stages(EvalContext(record=record, kb=kb, as_of=when, region=region))
    facts = ctx.facts
    return Plan(
        patient_id=record.id,
        kb_version=kb.version,
        engine_version=ENGINE_VERSION,
        as_of=when,
        region=region,
        classification=_classification(facts),
        options=list(ctx.options),
        not_recommended=list(ctx.not_recommended),
        workup=list(ctx.workup),
        supportive_care=list(ctx.supportive),
        alerts=list(ctx.alerts),
        missing_information=list(ctx.missing),
        conditional_options=list(ctx.conditional),
        notes=list(ctx.notes),
        rules_fired=[f"{f.rule.id}@{f.rule.version}" for f in ctx.fired],
        rules_unknown=[f"{f.rule.id}@{f.rule.version}" for f in ctx.unknown],
        facts=_shown_facts(facts, kb),
    )
