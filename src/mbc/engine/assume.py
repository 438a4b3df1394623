"""Stage ``assume``: plan an incomplete record under stated assumptions (issue 10).

The policies live in ``knowledge/assumptions/*.yaml``. A policy fills one field the record
leaves out with the usual value when its context holds (``when`` TRUE) and no recorded
signal argues against it (``unless`` not TRUE). The record with the assumed values is
derived again and the rules read those facts; the safety checks keep reading the facts of
the record as given (``EvalContext.safety_facts``), so an assumption can neither switch a
contraindication off nor silence a safety question. Every assumption is stated in the
plan with why and how to confirm it, and every item resting on it names it in its trace.

Pure: no I/O, no clock.
"""

from __future__ import annotations

import datetime as dt
import operator
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any

from mbc.engine._items import citations as _citations
from mbc.engine.derive import derive_facts
from mbc.engine.facts import DerivedFacts
from mbc.knowledge._schema_assumptions import AssumableField, AssumptionPolicy
from mbc.knowledge.conditions import compiled, iter_fact_tests
from mbc.knowledge.loader import KnowledgeBase
from mbc.logic import Truth
from mbc.model.plan import Assumption
from mbc.model.record import Metastases, PatientRecord, Preferences, Tumor

if TYPE_CHECKING:
    from mbc.engine.pipeline import EvalContext

__all__ = [
    "AssumptionIndex",
    "apply_values",
    "assumption_index",
    "blocked_by_text",
    "field_is_recorded",
    "resting_facts",
    "stage_assume",
]

_THERAPY_FIELDS = ("setting", "end")  # the therapy fields a ``scope: therapy`` policy may fill
# value tokens a policy may assume for a date (resolved against the record and the plan date)
_RECURRENCE_DATE = "recurrence_date"  # the start of the first therapy for metastatic disease
_BEFORE_MDX = "before_metastatic_diagnosis_months:"  # N months before the metastatic diagnosis
_PLAN_DATE = "plan_date"  # the date the plan is made for (as_of)
_NESTED: dict[str, Any] = {"metastases": Metastases, "tumor": Tumor, "preferences": Preferences}
_MAX_PASSES = 4  # recurrence date -> therapy setting -> therapy end -> menopause; nothing chains further


@dataclass
class AssumptionIndex:
    """The active policies and assumable fields of a KB (built once per KB)."""

    patient: tuple[AssumptionPolicy, ...] = ()
    therapy: tuple[AssumptionPolicy, ...] = ()
    fields: dict[str, AssumableField] = field(default_factory=dict)
    # field path -> getters of it and of the fields that record the same fact
    walks: dict[str, tuple[Callable[[Any], Any], ...]] = field(default_factory=dict)

    def walk(self, field_path: str) -> tuple[Callable[[Any], Any], ...]:
        """Getters of a (dotted) field path and of its ``recorded_by`` fields."""
        found = self.walks.get(field_path)
        if found is None:
            spec = self.fields.get(field_path)
            paths = (field_path, *(spec.recorded_by if spec is not None else ()))
            found = self.walks[field_path] = tuple(operator.attrgetter(p) for p in paths)
        return found

    def label(self, field_path: str) -> str:
        """How a clinician names a field (``prior_therapies[2].setting`` -> its family)."""
        spec = self.fields.get(_family(field_path))
        return spec.label if spec else field_path


def _family(field_path: str) -> str:
    if field_path.startswith("prior_therapies[") and "]." in field_path:
        return "prior_therapies[]." + field_path.split("].", 1)[1]
    return field_path


def assumption_index(kb: KnowledgeBase) -> AssumptionIndex:
    """The KB's policies, split by scope, and its assumable fields (cached per KB)."""

    def build() -> AssumptionIndex:
        patient: list[AssumptionPolicy] = []
        therapy: list[AssumptionPolicy] = []
        fields: dict[str, AssumableField] = {}
        for doc in kb.assumptions:
            for f in doc.fields:
                fields[f.field] = f
            for p in doc.policies:
                if p.status == "active":
                    (therapy if p.scope == "therapy" else patient).append(p)
        return AssumptionIndex(tuple(patient), tuple(therapy), fields)

    return kb.attached(AssumptionIndex, build)


def field_is_recorded(record: PatientRecord, field_path: str, index: AssumptionIndex | None = None) -> bool:
    """Whether the record gives a value for a (dotted) field path (or, with the index, for
    a field the KB says records the same fact: ``recorded_by``)."""
    walks = index.walk(field_path) if index is not None else (operator.attrgetter(field_path),)
    for get in walks:
        try:
            if get(record) is not None:
                return True
        except AttributeError:  # a part on the way is not given (None) or not a field
            continue
    return False


class _TextSignals(list[tuple[str, Any]]):
    """Per KB: (field, compiled pattern) for every ``unless_text`` of an assumable field."""


def blocked_by_text(kb: KnowledgeBase, text: str) -> frozenset[str]:
    """The assumable fields that the free text a record was read from argues against
    (``unless_text`` of ``knowledge/assumptions``); pass them to ``plan(..., no_assume=)``.

    .. versionadded:: 0.3
    """

    def build() -> _TextSignals:
        import re  # noqa: PLC0415 - only callers with free text pay for it

        out = _TextSignals()
        for doc in kb.assumptions:
            for f in doc.fields:
                out.extend((f.field, re.compile(p, re.IGNORECASE)) for p in f.unless_text)
        return out

    signals = kb.attached(_TextSignals, build)
    return frozenset(f for f, pattern in signals if pattern.search(text or ""))


def _holds(policy: AssumptionPolicy, facts: Mapping[str, Any]) -> bool:
    """``when`` TRUE (or absent) and ``unless`` not TRUE."""
    if policy.when is not None and compiled(policy.when)(facts) is not Truth.TRUE:
        return False
    return policy.unless is None or compiled(policy.unless)(facts) is not Truth.TRUE


def _therapy_facts(
    base: Mapping[str, Any], record: PatientRecord, start: dt.date | None, end: dt.date | None,
    setting: str | None = None, stop_reason: str | None = None, classes: frozenset[str] = frozenset(),
) -> dict[str, Any]:  # fmt: skip
    facts = dict(base)
    facts["therapy.setting"] = setting
    facts["therapy.stop_reason"] = stop_reason
    for c in classes:
        facts[f"therapy.class.{c}"] = True
    mdx = record.metastatic_diagnosis_date
    if mdx is not None and start is not None:
        facts["therapy.start_days_after_metastatic_diagnosis"] = (start - mdx).days
    if mdx is not None and end is not None:
        facts["therapy.end_days_after_metastatic_diagnosis"] = (end - mdx).days
    return facts


def apply_values(record: PatientRecord, values: Mapping[str, Any]) -> PatientRecord:
    """The record with fields filled in (``{field path: value}``; therapy settings as
    ``prior_therapies[i].setting``). Only the assumable field shapes are supported."""
    update: dict[str, Any] = {}
    therapies = list(record.prior_therapies) if record.prior_therapies is not None else None
    for path, value in values.items():
        if path.startswith("prior_therapies[") and therapies is not None:
            i = int(path[len("prior_therapies[") : path.index("]")])
            therapies[i] = therapies[i].model_copy(update={path.split("].", 1)[1]: value})
        elif path == "prior_therapies":
            therapies = list(value)
        elif "." in path:
            top, rest = path.split(".", 1)
            base = update.get(top) or getattr(record, top) or _NESTED[top]()
            update[top] = base.model_copy(update={rest: value})
        else:
            update[path] = value
    if therapies is not None:
        update["prior_therapies"] = tuple(therapies)
    return record.model_copy(update=update)


def _statement(
    kb: KnowledgeBase, index: AssumptionIndex, policy: AssumptionPolicy, path: str, value: Any, what: str
) -> Assumption:
    if isinstance(value, dt.date):
        value = value.isoformat()
    return Assumption(
        field=path,
        label=index.label(path),
        assumed=list(value) if isinstance(value, tuple | list) else value,
        shown=f"{what}: {policy.shown}" if what else policy.shown,
        why=policy.why.strip(),
        confirm=policy.confirm.strip(),
        policy=f"{policy.id}@{policy.version}",
        citations=_citations(kb, policy.evidence.citations),
    )


def _value(policy: AssumptionPolicy, record: PatientRecord, as_of: dt.date | None) -> Any:
    """The value a policy assumes, with a date token resolved (None: cannot be resolved)."""
    v = policy.assume
    if v == _RECURRENCE_DATE:
        starts = [t.start for t in record.prior_therapies or () if t.setting == "metastatic" and t.start]
        return min(starts, default=None)
    if v == _PLAN_DATE:
        return as_of
    if isinstance(v, str) and v.startswith(_BEFORE_MDX):
        mdx = record.metastatic_diagnosis_date
        if mdx is None:
            return None
        return mdx - dt.timedelta(days=round(float(v[len(_BEFORE_MDX) :]) * 30.4375))
    return v


def _decide(
    kb: KnowledgeBase, index: AssumptionIndex, record: PatientRecord, facts: Mapping[str, Any],
    done: dict[str, Assumption], blocked: frozenset[str] = frozenset(), as_of: dt.date | None = None,
) -> dict[str, Any]:  # fmt: skip
    """New assumptions for this pass: {field path: value}; statements go into ``done``."""
    found: dict[str, Any] = {}
    for i, t in enumerate(record.prior_therapies or ()):
        ids = [d for d in map(kb.lookup_drug, t.drugs) if d is not None]
        classes = frozenset(c for d in ids for c in kb.drug_classes_of(d))
        tf = _therapy_facts(facts, record, t.start, t.end, t.setting, t.stop_reason, classes)
        for attr in _THERAPY_FIELDS:
            family = f"prior_therapies[].{attr}"
            path = f"prior_therapies[{i}].{attr}"
            if getattr(t, attr) is not None or path in done or family in blocked:
                continue
            for p in index.therapy:
                if p.field != family or not _holds(p, tf):
                    continue
                value = _value(p, record, as_of)
                if value is None:
                    continue
                found[path] = value
                done[path] = _statement(kb, index, p, path, value, " + ".join(t.drugs))
                break
    recorded: dict[str, bool] = {}  # field path -> given in this record (several policies share one)
    for p in index.patient:
        field_path = p.field
        if field_path in done or field_path in found or field_path in blocked:
            continue
        given = recorded.get(field_path)
        if given is None:
            given = recorded[field_path] = field_is_recorded(record, field_path, index)
        if given:
            continue
        if _holds(p, facts):
            value = _value(p, record, as_of)
            if value is None:  # a date token with nothing to resolve it (undated therapies)
                continue
            found[p.field] = list(value) if isinstance(value, tuple) else value
            done[p.field] = _statement(kb, index, p, p.field, value, "")
    return found


def stage_assume(ctx: EvalContext) -> EvalContext:
    """Fill unrecorded, non-safety fields by the KB's policies and derive the facts again.

    The facts of the record as given are kept for the safety checks; the rules read the
    assumed ones. A record with nothing to assume passes through unchanged."""
    kb = ctx.kb
    index = assumption_index(kb)
    if not (index.patient or index.therapy):
        return ctx
    record = ctx.record
    done: dict[str, Assumption] = {}
    values: dict[str, Any] = {}
    facts = ctx.facts
    derived: DerivedFacts | None = None
    for _ in range(_MAX_PASSES):
        found = _decide(
            kb, index, apply_values(record, values) if values else record, facts, done,
            ctx.partial.no_assume, ctx.as_of,
        )  # fmt: skip
        if not found:
            break
        values.update(found)
        derived = derive_facts(apply_values(record, values), kb, ctx.as_of)
        derived.facts["region"] = ctx.region  # set by stage_derive on the record as given
        facts = derived.facts
    if derived is None:
        return ctx
    order = {path: n for n, path in enumerate(values)}
    statements = tuple(sorted(done.values(), key=lambda a: order.get(a.field, 0)))
    partial = replace(ctx.partial, record_derived=ctx.derived, assumptions=statements, values=dict(values))
    # a derivation note the assumptions answered (e.g. "a prior therapy has no setting") goes
    stale = set(ctx.derived.notes if ctx.derived else ()) - set(derived.notes)
    notes = tuple(n for n in ctx.notes if n not in stale) if stale else ctx.notes
    return ctx.evolve(derived=derived, partial=partial, notes=notes)


def resting_facts(ctx: EvalContext) -> dict[str, frozenset[str]]:
    """For each assumed field, the facts whose value rests on it (what an item rests on)."""
    if not ctx.assumptions or ctx.record_derived is None:
        return {}
    assumed = ctx.facts
    out: dict[str, frozenset[str]] = {}
    for path in ctx.assumed_values:
        # the facts that would change if this one assumption were dropped (leave one out:
        # settings of several therapies only count lines together)
        others = {p: v for p, v in ctx.assumed_values.items() if p != path}
        without = derive_facts(apply_values(ctx.record, others), ctx.kb, ctx.as_of).facts
        keys = assumed.keys() | without.keys()
        out[path] = frozenset(k for k in keys if assumed.get(k, _NONE) != without.get(k, _NONE))
    return out


_NONE = object()


class _RuleReads(dict[str, frozenset[str]]):
    """Rule id -> the facts its ``when`` and ``unless`` read (held by the KB)."""


def _rule_reads(kb: KnowledgeBase) -> _RuleReads:
    def build() -> _RuleReads:
        out = _RuleReads()
        for r in kb.rules:
            facts = {t.fact for c in (r.when, r.unless) if c is not None for t in iter_fact_tests(c)}
            out[r.id] = frozenset(facts)
        return out

    return kb.attached(_RuleReads, build)


def stage_rests_on(ctx: EvalContext) -> EvalContext:
    """Name, in each item's trace, the assumed fields its rule read (``Trace.assumed``)."""
    if not ctx.assumptions:
        return ctx
    rests = resting_facts(ctx)
    reads = _rule_reads(ctx.kb)

    def mark(item: Any) -> Any:
        new = []
        changed = False
        for tr in item.trace:
            read = reads.get(tr.rule, frozenset()) | frozenset(tr.facts_used)
            fields = [f for f, facts in rests.items() if facts & read]
            if fields:
                changed = True
                new.append(tr.model_copy(update={"assumed": sorted(set(tr.assumed) | set(fields))}))
            else:
                new.append(tr)
        return item.model_copy(update={"trace": new}) if changed else item

    return ctx.evolve(
        options=tuple(mark(o) for o in ctx.options),
        not_recommended=tuple(mark(n) for n in ctx.not_recommended),
        workup=tuple(mark(w) for w in ctx.workup),
        supportive=tuple(mark(s) for s in ctx.supportive),
        alerts=tuple(mark(a) for a in ctx.alerts),
    )
