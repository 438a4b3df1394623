"""Which derived facts the plan's trace lists is KB data: ``traced: false`` in
knowledge/vocab/facts.yaml leaves a fact (or a fact family) out of ``Plan.facts``."""

from __future__ import annotations

import json
from pathlib import Path

from mbc.engine import plan
from mbc.engine._output import _Traced, _traced
from mbc.engine.derive import derive_facts
from mbc.knowledge.loader import KnowledgeBase
from mbc.model import parse_record

_EXAMPLES = Path(__file__).parents[2] / "examples"


def test_untraced_families_come_from_the_kb(kb: KnowledgeBase) -> None:
    untraced = {f.id for f in kb.facts if not f.traced}
    assert "progression_months.class.{drug_classes}" in untraced
    code = _traced(kb).code
    assert code("progression_months.class.cdk46_inhibitor") == 0
    assert code("relapse_months_from_end.class.aromatase_inhibitor") == 0
    assert code("prior.class.cdk46_inhibitor") == 1  # shown unless FALSE
    assert code("age") == 2 and code("relapse.early") == 2  # shown even when FALSE


def test_codes_of_plain_and_family_ids() -> None:
    traced = _Traced((("a.b", None), ("fam.", ".end")))
    code = traced.code
    assert code("a.b") == 0 and code("a.bc") == 1
    assert code("fam.x.end") == 0
    assert code("fam..end") == 1  # the family needs a term between its parts
    assert code("fam.x.other") == 1
    assert traced.codes == {"a.b": 0, "a.bc": 1, "fam.x.end": 0, "fam..end": 1, "fam.x.other": 1}


def test_plan_facts_leave_out_untraced_facts(kb: KnowledgeBase) -> None:
    record = parse_record(json.loads((_EXAMPLES / "hrpos-2l-esr1.json").read_text()))
    derived = derive_facts(record, kb, record.as_of).facts
    months = [k for k in derived if k.startswith("progression_months.class.")]
    assert months, "the example progressed on a dated metastatic course"
    shown = plan(record, kb).facts
    assert not [k for k in shown if k.startswith(("progression_months.", "relapse_months_from_"))]
    assert shown["prior.metastatic_lines"] == derived["prior.metastatic_lines"]


def test_trace_facts_skip_flag_runs_with_the_same_result(kb: KnowledgeBase) -> None:
    """The trace's facts skip the runs of FALSE flags derive wrote (``DerivedFacts.blocks``)
    and give what walking every fact gives; a block that does not match its run falls back
    to the walk."""
    import dataclasses
    import random
    import sys

    from mbc.engine._output import _kept_around, shown_facts
    from mbc.engine.context import EvalContext
    from mbc.engine.pipeline import run_stages

    sys.path.insert(0, str(Path(__file__).parents[2] / "benchmarks"))
    from bench_plan import random_record

    rng = random.Random(4)
    drugs = sorted(d.name for d in kb.drugs.values() if d.cancer_drug)
    skipped = 0
    for i in range(80):
        record = parse_record(random_record(rng, i, drugs))
        ctx = run_stages(EvalContext(record=record, kb=kb, as_of=record.as_of))
        assert ctx.derived is not None
        blocks = ctx.derived.blocks
        walked = shown_facts(ctx.facts, kb)
        fast = shown_facts(ctx.facts, kb, blocks)
        assert fast == walked and list(fast) == list(walked)
        traced = kb.attached(_Traced)  # made by shown_facts, which knows every name now
        if blocks and _kept_around(ctx.facts, traced, blocks) is not None:
            skipped += 1
        if blocks:  # a block one place off does not match its run: the walk's result
            moved = [dataclasses.replace(blocks[0], start=blocks[0].start + 1), *blocks[1:]]
            assert _kept_around(ctx.facts, traced, moved) is None
            assert shown_facts(ctx.facts, kb, moved) == walked
    assert skipped >= 60  # records with a therapy history or medications


def test_a_flag_set_in_a_run_is_shown_however_it_was_set(kb: KnowledgeBase) -> None:
    """The trace reads the runs' flags from the facts: a flag set after derive (or by any
    code path) is shown, as the walk shows it."""
    from mbc.engine._output import shown_facts
    from mbc.engine.context import EvalContext
    from mbc.engine.pipeline import run_stages

    record = parse_record(json.loads((_EXAMPLES / "hrpos-2l-esr1.json").read_text()))
    ctx = run_stages(EvalContext(record=record, kb=kb, as_of=record.as_of))
    assert ctx.derived is not None and ctx.derived.blocks
    facts = dict(ctx.facts)
    run = list(ctx.derived.blocks[-1].template)
    off = next(k for k in run[1:] if facts[k] is False)
    facts[off] = True
    facts[run[0]] = 1  # not FALSE, not TRUE either
    fast = shown_facts(facts, kb, ctx.derived.blocks)
    assert fast[off] is True and fast[run[0]] == 1
    assert fast == shown_facts(facts, kb) and list(fast) == list(shown_facts(facts, kb))
