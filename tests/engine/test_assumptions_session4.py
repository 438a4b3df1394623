"""Assumption policies and branches added in session 4 (issue 10): each behaviour, and the
value that is not assumed, checked on a small record."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from mbc.engine import plan as make_plan
from mbc.engine.derive import derive_facts
from mbc.knowledge import load_kb
from mbc.model import parse_record
from mbc.model.record import PatientRecord

AS_OF = "2026-11-01"


@pytest.fixture(scope="module")
def kb():
    return load_kb()


def _hrpos(**extra: Any) -> dict[str, Any]:
    base: dict[str, Any] = {
        "id": "s4",
        "as_of": AS_OF,
        "sex": "female",
        "ecog": 1,
        "tumor": {"er_percent": 90, "pr_percent": 50, "her2_ihc": "0"},
        "metastases": {"sites": ["bone"], "visceral_crisis": False},
    }
    return {**base, **extra}


def _assumed(p: Any) -> dict[str, Any]:
    return {a.field: a.assumed for a in p.assumptions}


def _preferred(p: Any) -> set[str]:
    return {o.regimen for o in p.options if o.category == "preferred"}


def test_under_45_premenopausal_is_assumed_and_names_ovarian_suppression(kb) -> None:
    p = make_plan(parse_record(_hrpos(age=39, presentation="de_novo", prior_therapies=[])), kb)
    assert _assumed(p).get("menopausal_status") == "premenopausal"
    assert any("ofs" in r.split("+") for r in _preferred(p)), _preferred(p)


@pytest.mark.parametrize("age", [45, 52])
def test_45_or_older_without_signal_is_not_assumed(kb, age: int) -> None:
    p = make_plan(parse_record(_hrpos(age=age, presentation="de_novo", prior_therapies=[])), kb)
    assert "menopausal_status" not in _assumed(p)


def test_oophorectomy_blocks_the_premenopausal_assumption(kb) -> None:
    rec = _hrpos(age=40, presentation="recurrence", metastatic_diagnosis_date="2026-10-01",
                 prior_therapies=[{"setting": "adjuvant", "drugs": ["bilateral oophorectomy"],
                                   "start": "2020-01-01", "end": "2020-01-02", "stop_reason": "completed"}])  # fmt: skip
    p = make_plan(parse_record(rec), kb)
    assert _assumed(p).get("menopausal_status") != "premenopausal"


def test_metastatic_ai_without_ofs_under_60_branches_instead_of_assuming(kb) -> None:
    rec = _hrpos(age=56, presentation="de_novo", metastatic_diagnosis_date="2024-09-30",
                 somatic=["ESR1 Y537S"],
                 prior_therapies=[{"setting": "metastatic", "drugs": ["letrozole", "ribociclib"],
                                   "start": "2024-10-15", "end": "2026-09-28", "stop_reason": "progression"}])  # fmt: skip
    p = make_plan(parse_record(rec), kb)
    assert "menopausal_status" not in _assumed(p)
    assert any("menopausal_status" in s.if_ for s in p.scenarios)
    # elacestrant holds in both branches (with ovarian suppression if premenopausal)
    assert "elacestrant" in _preferred(p)
    # the ESR1 result is already recorded: no test branch on it
    assert not any(s.test and s.if_.get("somatic.esr1") for s in p.scenarios)


def test_adjuvant_ai_alone_still_makes_her_postmenopausal(kb) -> None:
    rec = _hrpos(age=55, presentation="recurrence", metastatic_diagnosis_date="2026-10-01",
                 prior_therapies=[{"setting": "adjuvant", "drugs": ["anastrozole"],
                                   "start": "2018-01-01", "end": "2023-01-01", "stop_reason": "completed"}])  # fmt: skip
    p = make_plan(parse_record(rec), kb)
    assert _assumed(p).get("menopausal_status") == "postmenopausal"


def test_recurrence_on_undated_adjuvant_ai_is_early_relapse(kb) -> None:
    rec = _hrpos(age=62, presentation="recurrence", menopausal_status="postmenopausal",
                 prior_therapies=[{"setting": "adjuvant", "drugs": ["anastrozole"], "stop_reason": "progression"}])  # fmt: skip
    p = make_plan(parse_record(rec), kb)
    assert p.classification.line == 1
    assert p.facts.get("relapse.endocrine_12m") is True
    assert any(r.startswith("fulvestrant") for r in _preferred(p)), _preferred(p)


def test_completed_adjuvant_without_end_date_is_not_ongoing() -> None:
    kb = load_kb()
    rec = PatientRecord.model_validate(
        _hrpos(presentation="recurrence", metastatic_diagnosis_date="2026-10-01",
               prior_therapies=[{"setting": "adjuvant", "drugs": ["tamoxifen"], "stop_reason": "completed"}])  # fmt: skip
    )
    facts = derive_facts(rec, kb, dt.date(2026, 11, 1)).facts
    assert facts.get("relapse.endocrine_12m") is None  # unknown, not "during"


def test_completed_undated_adjuvant_course_is_assumed_to_end_long_before(kb) -> None:
    rec = _hrpos(age=66, presentation="recurrence", menopausal_status="postmenopausal",
                 prior_therapies=[
                     {"setting": "adjuvant", "drugs": ["anastrozole"], "stop_reason": "completed"},
                     {"setting": "metastatic", "drugs": ["letrozole", "palbociclib"], "start": "2024-02-01",
                      "end": "2026-10-01", "stop_reason": "progression"}])  # fmt: skip
    p = make_plan(parse_record(rec), kb)
    assumed = _assumed(p)
    assert assumed.get("metastatic_diagnosis_date") == "2024-02-01"
    assert "prior_therapies[0].end" in assumed
    assert p.classification.line == 2 and _preferred(p)


# session 5: an undated recurrence with no metastatic therapy is now dated to the plan date
# (tests/engine/test_assumptions_session5.py)


@pytest.mark.parametrize(
    ("symptom", "ecog", "blocks"),
    [("mild breathlessness on exertion", None, False), ("breathlessness", None, True),
     ("breathless at rest", None, True), ("breathless at rest", 1, True),
     # session 7 (assume.no-visceral-crisis v3): a recorded ECOG 0-1 says unqualified
     # breathlessness is not the severe organ dysfunction of a visceral crisis
     ("breathlessness", 1, False), ("breathlessness", 2, True)],
)
def test_breathlessness_and_the_no_crisis_assumption(kb, symptom: str, ecog: int | None, blocks: bool) -> None:
    rec = _hrpos(age=66, presentation="de_novo", prior_therapies=[], menopausal_status="postmenopausal",
                 symptoms=[symptom], metastases={"sites": ["lung", "bone"]})  # fmt: skip
    if ecog is None:
        rec.pop("ecog")
    else:
        rec["ecog"] = ecog
    p = make_plan(parse_record(rec), kb)
    assert ("metastases.visceral_crisis" in _assumed(p)) is not blocks


@pytest.mark.parametrize(
    ("text", "present"),
    [("no leg weakness", False), ("denies leg weakness", False), ("leg weakness", True),
     ("no change in leg weakness", True)],
)  # fmt: skip
def test_a_negated_symptom_is_not_present(text: str, present: bool) -> None:
    kb = load_kb()
    rec = PatientRecord.model_validate({"id": "x", "symptoms": [text]})
    facts = derive_facts(rec, kb, dt.date(2026, 11, 1)).facts
    assert facts["symptom.limb_weakness"] is present
