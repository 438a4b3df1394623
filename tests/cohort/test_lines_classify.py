"""A line is judged against the plan made as of its start; the verdict follows the plan."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from mbc.cohort._classify import classify
from mbc.cohort._lines import as_of_line, given_lines
from mbc.engine import plan
from mbc.knowledge.loader import KnowledgeBase
from mbc.model import parse_record

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"


def _record(**over: object):
    data = json.loads((EXAMPLES / "hrpos-2l-esr1.json").read_text())
    data.update(over)
    return parse_record(data)


def test_lines_in_order_of_start() -> None:
    r = _record(prior_therapies=[
        {"setting": "metastatic", "drugs": ["fulvestrant"], "start": "2025-01-01"},
        {"setting": "adjuvant", "drugs": ["tamoxifen"], "start": "2015-01-01", "end": "2020-01-01"},
        {"setting": "metastatic", "drugs": ["letrozole", "ribociclib"], "start": "2024-06-01", "end": "2025-01-01"},
    ])  # fmt: skip
    assert [(g.number, g.therapy.drugs) for g in given_lines(r)] == [
        (1, ("letrozole", "ribociclib")), (2, ("fulvestrant",))]  # fmt: skip


def test_truncation_keeps_only_what_was_known() -> None:
    r = _record(prior_therapies=[
        {"setting": "adjuvant", "drugs": ["anastrozole"], "start": "2017-03-01", "end": "2022-03-01"},
        {"setting": "metastatic", "drugs": ["letrozole", "ribociclib"], "start": "2024-06-01",
         "end": "2025-02-01", "stop_reason": "progression"},
        {"setting": "metastatic", "drugs": ["fulvestrant"], "start": "2025-01-20"},
    ])  # fmt: skip
    second = given_lines(r)[1]
    t, why = as_of_line(r, second)
    assert why is None and t is not None
    assert t.as_of == dt.date(2025, 1, 20)
    assert [p.drugs for p in t.prior_therapies] == [("anastrozole",), ("letrozole", "ribociclib")]
    assert t.prior_therapies[1].end == dt.date(2025, 1, 20)  # clamped: the later end was not known yet
    assert t.age == 62  # 63 on 2026-11-01, one year earlier


def test_undated_line_cannot_be_placed() -> None:
    r = _record(prior_therapies=[{"setting": "metastatic", "drugs": ["fulvestrant"]}])
    t, why = as_of_line(r, given_lines(r)[0])
    assert t is None and why == "prior_therapies[0].start"


@pytest.fixture(scope="module")
def second_line_plan(kb: KnowledgeBase, example):
    r = parse_record(example("hrpos-2l-esr1.json"))
    return plan(r, kb)


@pytest.mark.parametrize(
    ("given", "verdict"),
    [
        (["elacestrant"], "preferred"),
        (["Exemestane", "everolimus"], "other"),  # case and order do not matter
        (["fulvestrant"], "certain_circumstances"),
        (["capivasertib", "fulvestrant"], "not_recommended"),  # no pathway alteration detected
        (["fulvestrant", "elacestrant"], "not_in_plan"),  # not a regimen the plan offers
        (["eribulin"], "not_in_plan"),
    ],
)
def test_verdicts(kb: KnowledgeBase, second_line_plan, given: list[str], verdict: str) -> None:
    v = classify(kb, given, second_line_plan)
    assert v.category == verdict
    if verdict == "not_recommended":
        assert v.reason and "PIK3CA" in v.reason


def test_contraindicated_drug_given(kb: KnowledgeBase, example) -> None:
    """ECOG 3-4: chemotherapy is contraindicated (safety); a chemotherapy given is
    'not_recommended' with the reason, while the PARP inhibitor stays concordant."""
    data = example("tnbc-gbrca-2l.json")
    data["ecog"] = 3
    p = plan(parse_record(data), kb)
    v = classify(kb, ["capecitabine"], p)
    assert v.category == "not_recommended" and v.option and v.option.startswith("safety.")
    assert classify(kb, ["olaparib"], p).category == "preferred"


def test_not_assessable_names_the_missing_facts(kb: KnowledgeBase) -> None:
    p = plan(parse_record({"id": "x", "as_of": "2026-01-01", "metastatic_diagnosis_date": "2025-12-01"}), kb)
    v = classify(kb, ["letrozole", "ribociclib"], p)
    assert v.category == "not_assessable"
    assert v.missing  # which facts would decide it
