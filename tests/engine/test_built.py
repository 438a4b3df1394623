"""The plan is assembled without validating its (already valid) parts again
(``engine._items.built``): it must be the very model validation would make."""

from __future__ import annotations

import datetime as dt
import random
import sys
from pathlib import Path

import pytest
from pydantic import BaseModel

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


def _models(value: object) -> list[BaseModel]:
    """Every model inside a value (models, lists, dicts), depth first."""
    if isinstance(value, BaseModel):
        return [value, *(m for name in type(value).model_fields for m in _models(getattr(value, name)))]
    if isinstance(value, list | tuple):
        return [m for v in value for m in _models(v)]
    if isinstance(value, dict):
        return [m for v in value.values() for m in _models(v)]
    return []


def test_models_built_by_the_engine_are_what_validation_makes() -> None:
    """The engine builds items, traces, dose lines and missing information from valid
    values without validating them again (``built``): every model inside 60 plans,
    validated again from its own fields, is the same model (values, fields set, field
    order, JSON)."""
    kb = load_kb()
    rng = random.Random(11)
    drugs = sorted(d.name for d in kb.drugs.values() if d.cancer_drug)
    kinds: set[str] = set()
    for i in range(60):
        p = plan(parse_record(random_record(rng, i, drugs)), kb)
        for m in _models(p)[1:]:
            cls = type(m)
            if any(f.alias for f in cls.model_fields.values()):
                continue  # (Scenario: validated by its alias, never built)
            again = cls(**{name: getattr(m, name) for name in m.model_fields_set})
            assert m == again
            assert m.model_fields_set == again.model_fields_set
            assert list(m.__dict__) == list(again.__dict__)
            assert m.model_dump_json() == cls.model_validate(m.model_dump()).model_dump_json()
            kinds.add(cls.__name__)
    assert {"Option", "NotRecommended", "Trace", "DoseLine", "MissingInfo", "Alert", "WorkupItem"} <= kinds


def test_golden_runner_fails_a_plan_validation_would_reject() -> None:
    """Each golden case also checks that its plan is what validating it again makes: a value
    the engine built without validation and validation rejects fails the case loudly."""
    from mbc.testing import _revalidated

    kb = load_kb()
    drugs = sorted(d.name for d in kb.drugs.values() if d.cancer_drug)
    p = plan(parse_record(random_record(random.Random(3), 0, drugs)), kb)
    assert _revalidated(p) == []
    bad = p.model_copy(update={"region": "elsewhere"})
    assert _revalidated(bad)[0].startswith("the plan is not valid")
