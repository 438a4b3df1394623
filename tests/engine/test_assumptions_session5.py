"""Assumption policies added in session 5 (issue 10): an undated recurrence with no therapy for
it recorded is dated to the plan date (``assume.recurrence-date.untreated-current``); each
behaviour and the cases where it must not apply, on a small record."""

from __future__ import annotations

from typing import Any

import pytest

from mbc.engine import plan as make_plan
from mbc.knowledge import load_kb
from mbc.model import parse_record

AS_OF = "2026-11-01"
POLICY = "assume.recurrence-date.untreated-current"


@pytest.fixture(scope="module")
def kb():
    return load_kb()


def _recurrence(end: str | None, *, stop: str = "completed", **extra: Any) -> dict[str, Any]:
    therapy: dict[str, Any] = {"setting": "adjuvant", "drugs": ["anastrozole"], "start": "2018-01-01",
                               "stop_reason": stop}  # fmt: skip
    if end:
        therapy["end"] = end
    base: dict[str, Any] = {
        "id": "s5",
        "as_of": AS_OF,
        "age": 66,
        "sex": "female",
        "menopausal_status": "postmenopausal",
        "ecog": 1,
        "tumor": {"er_percent": 90, "pr_percent": 50, "her2_ihc": "0"},
        "metastases": {"sites": ["bone"], "visceral_crisis": False},
        "presentation": "recurrence",
        "prior_therapies": [therapy],
    }
    return {**base, **extra}


def _assumption(p: Any, field: str) -> Any:
    return next((a for a in p.assumptions if a.field == field), None)


def _preferred(p: Any) -> set[str]:
    return {o.regimen for o in p.options if o.category == "preferred"}


def test_untreated_undated_recurrence_is_dated_to_the_plan_date(kb) -> None:
    p = make_plan(parse_record(_recurrence("2024-01-01")), kb)
    a = _assumption(p, "metastatic_diagnosis_date")
    assert a is not None and a.assumed == AS_OF and a.policy.startswith(POLICY)
    assert "12 months" in a.confirm
    # read from today the AI ended 34 months before: late relapse, AI + CDK4/6 inhibitor
    assert p.facts.get("relapse.endocrine_12m") is False
    assert any(r.startswith("nsai_") for r in _preferred(p)), _preferred(p)
    # the options that rest on it say so
    top = next(o for o in p.options if o.category == "preferred")
    assert any("metastatic_diagnosis_date" in t.assumed for t in top.trace)


def test_adjuvant_ai_ended_within_12_months_of_today_is_early_relapse_either_way(kb) -> None:
    # any recurrence date between the end of the AI and today lies within 12 months of it
    p = make_plan(parse_record(_recurrence("2026-03-01")), kb)
    assert _assumption(p, "metastatic_diagnosis_date") is not None
    assert p.facts.get("relapse.endocrine_12m") is True
    assert any(r.startswith("fulvestrant") for r in _preferred(p)), _preferred(p)


def test_recorded_recurrence_date_is_not_assumed(kb) -> None:
    p = make_plan(parse_record(_recurrence("2024-01-01", metastatic_diagnosis_date="2024-06-01")), kb)
    assert _assumption(p, "metastatic_diagnosis_date") is None
    assert p.facts.get("relapse.endocrine_12m") is True  # 5 months after the AI ended


def test_a_cancer_drug_in_the_current_medications_blocks_it(kb) -> None:
    # a metastatic line may be running unrecorded
    p = make_plan(parse_record(_recurrence("2024-01-01", medications=["letrozole"])), kb)
    assert _assumption(p, "metastatic_diagnosis_date") is None


def test_de_novo_disease_is_not_dated_by_it(kb) -> None:
    rec = _recurrence("2024-01-01", presentation="de_novo", prior_therapies=[])
    p = make_plan(parse_record(rec), kb)
    assert _assumption(p, "metastatic_diagnosis_date") is None


def test_with_a_metastatic_line_the_first_therapy_dates_it_instead(kb) -> None:
    rec = _recurrence("2023-01-01")
    rec["prior_therapies"].append({"setting": "metastatic", "drugs": ["letrozole", "palbociclib"],
                                   "start": "2024-05-01", "end": "2026-10-01", "stop_reason": "progression"})  # fmt: skip
    p = make_plan(parse_record(rec), kb)
    a = _assumption(p, "metastatic_diagnosis_date")
    assert a is not None and a.assumed == "2024-05-01" and not a.policy.startswith(POLICY)


def test_recording_the_assumed_date_changes_only_the_assumptions(kb) -> None:
    partial = make_plan(parse_record(_recurrence("2024-01-01")), kb)
    full = make_plan(parse_record(_recurrence("2024-01-01", metastatic_diagnosis_date=AS_OF)), kb)
    assert [(o.id, o.category) for o in partial.options] == [(o.id, o.category) for o in full.options]
    assert sorted(a.code for a in partial.alerts) == sorted(a.code for a in full.alerts)


def test_an_unresolvable_date_is_not_stated_as_an_assumption(kb) -> None:
    # the first metastatic therapy has no start date: nothing to date the recurrence by
    rec = _recurrence(None)
    rec["prior_therapies"].append({"setting": "metastatic", "drugs": ["letrozole", "palbociclib"],
                                   "stop_reason": "progression"})  # fmt: skip
    p = make_plan(parse_record(rec), kb)
    assert all(a.assumed is not None for a in p.assumptions), [(a.field, a.assumed) for a in p.assumptions]
    assert _assumption(p, "metastatic_diagnosis_date") is None
