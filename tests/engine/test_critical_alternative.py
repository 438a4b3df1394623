"""A critical caution that hits only one interchangeable alternative of an option (issue 10,
session 5): the option keeps its rank and names the alternative to avoid; when every
alternative is hit, or a fixed drug is, the option is still capped at "other"."""

from __future__ import annotations

from typing import Any

import pytest

from mbc.engine import plan as make_plan
from mbc.engine._grouped import avoidable
from mbc.knowledge import load_kb
from mbc.model import parse_record

THP = "trastuzumab_pertuzumab_taxane"


@pytest.fixture(scope="module")
def kb():
    return load_kb()


def _her2pos(**labs: float) -> dict[str, Any]:
    return {
        "id": "crit-alt",
        "as_of": "2026-11-01",
        "age": 58,
        "sex": "female",
        "menopausal_status": "postmenopausal",
        "ecog": 1,
        "weight_kg": 70,
        "height_cm": 165,
        "pregnant": False,
        "tumor": {"er_percent": 0, "pr_percent": 0, "her2_ihc": "3+"},
        "germline": [],
        "metastases": {"sites": ["liver"], "visceral_crisis": False},
        "presentation": "de_novo",
        "metastatic_diagnosis_date": "2026-10-01",
        "prior_therapies": [],
        "lvef_percent": 60,
        "labs": {"creatinine_clearance_ml_min": 90, **labs},
    }


def _option(p: Any, regimen: str) -> Any:
    return next(o for o in p.options if o.regimen == regimen)


def test_alert_on_one_taxane_keeps_thp_preferred_and_names_it(kb) -> None:
    p = make_plan(parse_record(_her2pos(alt_x_uln=1.7, bilirubin_x_uln=0.8)), kb)
    thp = _option(p, THP)
    assert thp.category == "preferred"
    assert "docetaxel" in thp.note and "critical alert" in thp.note
    assert any(a.severity == "critical" and "docetaxel" in a.drugs for a in p.alerts)


def test_without_the_alert_the_note_says_nothing_of_it(kb) -> None:
    p = make_plan(parse_record(_her2pos(alt_x_uln=1.0, bilirubin_x_uln=0.8)), kb)
    thp = _option(p, THP)
    assert thp.category == "preferred"
    assert "critical alert" not in (thp.note or "")


def test_contraindicated_docetaxel_still_leaves_the_group(kb) -> None:
    # bilirubin above ULN: docetaxel is contraindicated (not a caution) and leaves the taxane group
    p = make_plan(parse_record(_her2pos(alt_x_uln=1.7, bilirubin_x_uln=1.2)), kb)
    offered = {d for o in p.options for d in o.drugs}
    assert "docetaxel" not in offered


def test_avoidable_needs_another_unhit_alternative(kb) -> None:
    comps = kb.regimen_components(THP)
    taxanes = next(c for c in comps if len(c) > 1)
    every = tuple(d for c in comps for d in c)
    one = taxanes[0]
    assert avoidable(kb, THP, every, {one}) == {one}
    # every alternative of the group hit: not avoidable
    assert avoidable(kb, THP, every, set(taxanes)) is None
    # a fixed component hit: not avoidable
    fixed = next(c[0] for c in comps if len(c) == 1)
    assert avoidable(kb, THP, every, {fixed, one}) is None
    # the only alternative left in the option (others already dropped) is hit: not avoidable
    left = tuple(d for d in every if d not in taxanes[1:])
    assert avoidable(kb, THP, left, {one}) is None
