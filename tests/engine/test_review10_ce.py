"""Session 10 review (clinical rules): a drug the guideline ranks below another, or one the disease
already relapsed on, is not offered as preferred."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from mbc.engine import plan
from mbc.knowledge.loader import KnowledgeBase
from mbc.model import parse_record

_GOLDEN = Path(__file__).parents[1] / "golden"


def _plan(kb: KnowledgeBase, case: str, **changes: Any) -> Any:
    data = json.loads((_GOLDEN / case / "patient.json").read_text())
    data.update(changes)
    return plan(parse_record(data), kb)


def test_tdm1_not_preferred_beside_tdxd_not_yet_given(kb: KnowledgeBase) -> None:
    # THP, then the tucatinib triplet, never T-DXd: T-DXd is the preferred third line, T-DM1 is not
    case = "her2_pos/her2-4l-after-tucatinib"
    given = json.loads((_GOLDEN / case / "patient.json").read_text())["prior_therapies"]
    courses = [given[0], {**given[2], "start": "2025-11-15"}]
    p = _plan(kb, case, prior_therapies=courses)
    preferred = [set(o.drugs) for o in p.options if o.category == "preferred"]
    assert {"trastuzumab deruxtecan"} in preferred
    assert {"trastuzumab emtansine"} not in preferred
    assert "her2pos.later.tdm1.after-tucatinib" not in p.rules_fired


@pytest.mark.parametrize("status", ["premenopausal", "postmenopausal"])
def test_no_tamoxifen_at_ecog_3_after_relapse_on_adjuvant_tamoxifen(kb: KnowledgeBase, status: str) -> None:
    case = "hr_pos_her2_neg/1l-declines-ofs-relapse-on-adjuvant-tamoxifen"
    p = _plan(kb, case, ecog=3, menopausal_status=status, preferences={"declines_chemotherapy": False})
    assert p.options, "an endocrine option remains"
    assert not any("tamoxifen" in o.drugs for o in p.options)
    assert any(n.drugs == ["tamoxifen"] and "resistant" in n.reason for n in p.not_recommended)
    # a late relapse (adjuvant tamoxifen ended years before): tamoxifen is an option again
    late = [
        {
            "setting": "adjuvant",
            "drugs": ["tamoxifen"],
            "start": "2012-03-01",
            "end": "2017-03-01",
            "stop_reason": "completed",
        }
    ]
    q = _plan(
        kb,
        case,
        ecog=3,
        menopausal_status=status,
        preferences={"declines_chemotherapy": False},
        prior_therapies=late,
    )
    assert any(o.drugs == ["tamoxifen"] for o in q.options)


def test_undated_recurrence_during_adjuvant_therapy_recorded_ongoing_is_early(kb: KnowledgeBase) -> None:
    # adjuvant tamoxifen still running when the recurrence (date and presentation unrecorded) is found:
    # relapse on it, so not
    # tamoxifen again (it was offered as preferred when the recurrence date was missing)
    case = "hr_pos_her2_neg/1l-declines-ofs-relapse-on-adjuvant-tamoxifen"
    course = [{"setting": "adjuvant", "drugs": ["tamoxifen"], "stop_reason": "ongoing"}]
    p = _plan(kb, case, metastatic_diagnosis_date=None, presentation=None, prior_therapies=course)
    assert not any("tamoxifen" in o.drugs for o in p.options)
    assert any(n.drugs == ["tamoxifen"] for n in p.not_recommended)
