"""Which derived facts the plan's trace lists is KB data: ``traced: false`` in
knowledge/vocab/facts.yaml leaves a fact (or a fact family) out of ``Plan.facts``."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path
from typing import Any

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


def test_plan_facts_are_the_walk_of_every_fact(kb: KnowledgeBase) -> None:
    """The plan's trace facts skip derive's runs of flags but for the flags it raised
    (``DerivedFacts.runs`` / ``raised``) and are what walking every fact gives, in the
    same order."""
    import random
    import sys

    from mbc.engine._output import shown_facts
    from mbc.engine.context import EvalContext
    from mbc.engine.pipeline import run_stages

    sys.path.insert(0, str(Path(__file__).parents[2] / "benchmarks"))
    from bench_plan import random_record

    rng = random.Random(4)
    drugs = sorted(d.name for d in kb.drugs.values() if d.cancer_drug)
    with_runs = 0
    for i in range(80):
        record = parse_record(random_record(rng, i, drugs))
        ctx = run_stages(EvalContext(record=record, kb=kb, as_of=record.as_of))
        assert ctx.derived is not None
        walked = shown_facts(ctx.facts, kb)
        shown = plan(record, kb).facts
        assert shown == walked and list(shown) == list(walked)
        if ctx.derived.runs:
            with_runs += 1
    assert with_runs >= 60  # records with a therapy history or medications


def test_raised_flags_are_shown_by_their_value_and_place(kb: KnowledgeBase) -> None:
    """Of a run, the trace shows the flags raised in it whose value is not FALSE, in the
    run's order; a run not where it says falls back to walking every fact."""
    from mbc.engine._output import shown_facts

    record = parse_record(json.loads((_EXAMPLES / "hrpos-2l-esr1.json").read_text()))
    derived = derive_facts(record, kb, record.as_of)
    facts = derived.facts
    assert derived.runs and any(run.raised for run in derived.runs)

    def same() -> dict[str, Any]:
        fast = shown_facts(facts, kb, derived)
        walked = shown_facts(facts, kb)
        assert fast == walked and list(fast) == list(walked)
        return fast

    last = derived.runs[-1]
    off = [k for k in last.template if facts[k] is False]
    derived.raise_flag(off[-1])  # raised after the others, shown in the run's order
    derived.raise_flag(off[0])
    shown = same()
    assert shown[off[0]] is True and shown[off[-1]] is True
    assert list(shown).index(off[0]) < list(shown).index(off[-1])
    facts[off[0]] = 1  # raised, then set to another value that is not FALSE
    assert same()[off[0]] == 1
    facts[off[-1]] = False  # raised, then set FALSE again: not shown
    assert off[-1] not in same()
    # a flag of an earlier run raised now: recorded with its own run (session 9; it went to
    # the last run, and the trace fell back to walking every fact), shown as the walk shows it
    first = derived.runs[0]
    assert first is not last
    earlier = next(k for k in first.template if facts[k] is False)
    derived.raise_flag(earlier)
    assert earlier in first.raised and earlier not in last.raised
    from mbc.engine._output import _kept_around

    traced = kb.attached(_Traced, lambda: _traced(kb))
    assert _kept_around(derived, traced) == shown_facts(facts, kb)  # no KeyError fallback
    assert same()[earlier] is True
    derived.runs[-1] = dataclasses.replace(last, start=last.start + 1)  # not where it says: the walk
    assert shown_facts(facts, kb, derived) == shown_facts(facts, kb)
    # a name of no run's template: the trace walks every fact
    derived.runs = [dataclasses.replace(last)]
    derived.raise_flag("not.a.flag.of.any.run")
    assert derived.runs is None
    assert shown_facts(facts, kb, derived) == shown_facts(facts, kb)
