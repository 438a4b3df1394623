"""The plan is assembled without validating its (already valid) parts again
(``engine._items.built``): it must be the very model validation would make."""

from __future__ import annotations

import datetime as dt
import random
import sys
from pathlib import Path

import pytest

from mbc.engine import plan
from mbc.engine._items import built
from mbc.knowledge import load_kb
from mbc.model import parse_record
from mbc.model.plan import Classification, MissingInfo, Plan

sys.path.insert(0, str(Path(__file__).parents[2] / "benchmarks"))
from bench_plan import random_record  # noqa: E402


def test_built_plans_are_what_validation_makes() -> None:
    """Validating each plan's own fields again gives an equal model: same values, same
    fields set, same JSON."""
    kb = load_kb()
    rng = random.Random(5)
    drugs = sorted(d.name for d in kb.drugs.values() if d.cancer_drug)
    for i in range(60):
        p = plan(parse_record(random_record(rng, i, drugs)), kb)
        given = {name: getattr(p, name) for name in p.model_fields_set}
        validated = Plan(**given)
        assert p == validated
        assert p.model_fields_set == validated.model_fields_set
        assert list(p.__dict__) == list(validated.__dict__)
        assert p.model_dump_json() == validated.model_dump_json()


def test_built_fills_defaults_and_rejects_bad_names() -> None:
    cls = Classification(
        subtype="TNBC",
        hr_status="negative",
        her2_category="zero",
        endocrine_resistance="not_applicable",
        line=1,
    )
    values = {
        "patient_id": "p",
        "kb_version": "k",
        "engine_version": "e",
        "as_of": dt.date(2026, 1, 1),
        "classification": cls,
    }
    made = built(Plan, values)
    assert made == Plan(**values)
    assert made.model_fields_set == set(values)
    assert made.trials == [] and made.trials is not built(Plan, values).trials  # a fresh list each
    with pytest.raises(TypeError, match="no field"):
        built(Plan, {**values, "bogus": 1})
    with pytest.raises(TypeError, match="required"):
        built(MissingInfo, {"why": "x"})


def test_items_built_by_the_act_stage_are_what_validation_makes() -> None:
    """The act stage builds items from once-validated parts without validating them again:
    each item validated again from its own fields is the same model (values, fields set,
    field order, JSON)."""
    kb = load_kb()
    rng = random.Random(11)
    drugs = sorted(d.name for d in kb.drugs.values() if d.cancer_drug)
    seen = 0
    for i in range(60):
        p = plan(parse_record(random_record(rng, i, drugs)), kb)
        for item in (*p.options, *p.not_recommended, *p.workup, *p.supportive_care, *p.alerts):
            given = {name: getattr(item, name) for name in item.model_fields_set}
            validated = type(item).model_validate(item.model_dump())
            again = type(item)(**given)
            assert item == validated == again
            assert item.model_fields_set == again.model_fields_set
            assert list(item.__dict__) == list(again.__dict__)
            assert item.model_dump_json() == validated.model_dump_json()
            seen += 1
    assert seen > 300
