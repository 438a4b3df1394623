"""The plan pipeline: derive -> evaluate -> act -> safety -> doses -> resolve -> rank.

Each stage is a small pure function ``Stage = Callable[[EvalContext], EvalContext]`` in
its own module and can be tested alone. No I/O, no clock: ``as_of`` is an input. The
patient-independent work (compiled rules, gate index, static items) is held by the
knowledge base (:attr:`KnowledgeBase.index`, :meth:`KnowledgeBase.attached`).
"""

from __future__ import annotations

import datetime as dt
import operator
from collections.abc import Collection, Sequence
from dataclasses import replace

from mbc.engine._items import built
from mbc.engine._output import classification, shown_facts
from mbc.engine._region import stage_region
from mbc.engine._sex_words import stage_sex_words
from mbc.engine._workup import stage_drug_workup
from mbc.engine.act import stage_act
from mbc.engine.assume import stage_assume, stage_rests_on
from mbc.engine.context import EvalContext, Fired, Partial, Stage
from mbc.engine.derive import stage_derive
from mbc.engine.doses import stage_doses
from mbc.engine.evaluate import stage_evaluate
from mbc.engine.rank import stage_rank
from mbc.engine.resolve import stage_resolve
from mbc.engine.safety import stage_safety
from mbc.engine.scenarios import stage_scenarios
from mbc.engine.summary import stage_summary
from mbc.knowledge.loader import KnowledgeBase
from mbc.model.plan import Plan
from mbc.model.record import PatientRecord

__all__ = ["ENGINE_VERSION", "STAGES", "EvalContext", "Fired", "Stage", "plan", "run_stages"]

ENGINE_VERSION = "0.12.0"
_ORDER = operator.itemgetter(2)  # Fired.order, read in C

STAGES: tuple[Stage, ...] = (
    stage_derive,
    stage_assume,  # issue 10: engine/assume.py, scenarios.py, summary.py
    stage_evaluate,
    stage_act,
    stage_safety,
    stage_region,
    stage_doses,
    stage_resolve,
    stage_drug_workup,
    stage_rank,
    stage_sex_words,  # session 11: a man's option names (regimens.yaml name_male)
    stage_scenarios,
    stage_rests_on,
    stage_summary,
)


def run_stages(ctx: EvalContext, stages: Sequence[Stage] = STAGES) -> EvalContext:
    """Run the stages in order."""
    for stage in stages:
        ctx = stage(ctx)
    return ctx


def plan(
    record: PatientRecord,
    kb: KnowledgeBase,
    *,
    as_of: dt.date | None = None,
    region: str = "US",
    no_assume: Collection[str] = (),
) -> Plan:
    """Make the plan for one patient.

    Args:
        record: A validated patient record.
        kb: The knowledge base.
        as_of: The date to plan for; default the record's ``as_of``. One of them is required
            (the engine reads no clock).
        region: ``"US"`` (default) or ``"EU"``: the regulator whose labels the options follow.
        no_assume: Assumable fields no policy may fill for this record, e.g. what the free
            text it was read from argues against (:func:`mbc.engine.assume.blocked_by_text`).
            .. versionadded:: 0.3

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
    start = EvalContext(record=record, kb=kb, as_of=when, region=region)
    if no_assume:
        start = replace(start, partial=Partial(no_assume=frozenset(no_assume)))
    ctx = run_stages(start)
    facts = ctx.facts
    refs = kb.index.rules.refs  # "id@version" of each rule, by its place (Fired.order)
    # every value is already valid (validated items, built strings and lists): the plan is
    # made without validating them again (engine._items.built)
    return built(
        Plan,
        {
            "patient_id": record.id,
            "kb_version": kb.version,
            "engine_version": ENGINE_VERSION,
            "as_of": when,
            "region": region,
            "classification": classification(facts, kb),
            "options": list(ctx.options),
            "not_recommended": list(ctx.not_recommended),
            "workup": list(ctx.workup),
            "supportive_care": list(ctx.supportive),
            "alerts": list(ctx.alerts),
            "missing_information": list(ctx.missing),
            "conditional_options": list(ctx.conditional),
            "notes": list(ctx.notes),
            "rules_fired": list(map(refs.__getitem__, map(_ORDER, ctx.fired))),
            "rules_unknown": list(map(refs.__getitem__, map(_ORDER, ctx.unknown))),
            # derive's runs of flags skipped in C but for the flags it raised (session 8)
            "facts": shown_facts(facts, kb, ctx.derived),
            "assumptions": list(ctx.assumptions),
            "scenarios": list(ctx.scenarios),
            "summary": ctx.summary,
        },
    )
