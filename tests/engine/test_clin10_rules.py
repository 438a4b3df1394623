"""Session 10 (clinical rules): label safety from the patient's history and medications, the
reason of each HER2 LVEF block names the drugs it concerns, T-DM1 after the tucatinib triplet,
and no tamoxifen after an early relapse on adjuvant tamoxifen (both declines-OFS rules)."""

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


def _preferred(p: Any) -> list[set[str]]:
    return [set(o.drugs) for o in p.options if o.category == "preferred"]


def _blocked(p: Any, drug: str) -> list[Any]:
    return [n for n in p.not_recommended if drug in n.drugs]


def test_lvef_below_40_reason_names_the_drug_it_blocks(kb: KnowledgeBase) -> None:
    p = _plan(kb, "safety/her2-1l-lvef-35")
    thp = [n for n in p.not_recommended if "trastuzumab" in n.drugs and "trastuzumab deruxtecan" not in n.drugs]
    assert thp, "THP should be blocked at LVEF 35%"
    for n in thp:  # the antibody reason: trastuzumab's label, not the ADC labels
        assert "trastuzumab label" in n.reason
        assert "T-DXd" not in n.reason and "T-DM1" not in n.reason
    # an ADC given alone: the ADC labels' reason
    q = _plan(kb, "her2_pos/her2-2l-after-first-line-thp", lvef_percent=35)
    adc = [n for n in _blocked(q, "trastuzumab deruxtecan") if n.drugs == ["trastuzumab deruxtecan"]]
    assert adc and all("T-DXd" in n.reason and "trastuzumab label" not in n.reason for n in adc)


@pytest.mark.parametrize("medication", ["methadone", "ondansetron", "amiodarone", "citalopram"])
def test_ribociclib_not_offered_with_a_qt_prolonging_drug_even_under_450(kb: KnowledgeBase, medication: str) -> None:
    p = _plan(kb, "hr_pos_her2_neg/1l-post-de-novo-visceral", medications=[medication], qtcf_ms=448)
    assert not any("ribociclib" in o.drugs for o in p.options)
    blocked = [n for n in _blocked(p, "ribociclib") if n.id.startswith("safety.ribociclib.qt-prolonging-drugs")]
    assert blocked and all("QT" in n.reason for n in blocked)
    assert any({"palbociclib"} <= s or {"abemaciclib"} <= s for s in _preferred(p))


def test_ribociclib_stays_without_a_qt_drug(kb: KnowledgeBase) -> None:
    p = _plan(kb, "hr_pos_her2_neg/1l-post-de-novo-visceral", medications=["metformin"], qtcf_ms=430)
    assert any("ribociclib" in o.drugs for o in p.options)


def test_sjs_history_blocks_alpelisib_and_caps_the_class(kb: KnowledgeBase) -> None:
    p = _plan(kb, "safety/hrpos-2l-pik3ca-sjs-history")
    assert _blocked(p, "alpelisib")
    assert not any("alpelisib" in o.drugs for o in p.options)
    capi = [o for o in p.options if "capivasertib" in o.drugs]
    assert capi and all(o.category != "preferred" for o in capi)
    q = _plan(kb, "safety/hrpos-2l-pik3ca-sjs-history", comorbidities=[])
    assert any({"capivasertib", "fulvestrant"} <= s for s in _preferred(q))


def test_vte_history_keeps_tamoxifen_with_a_critical_alert(kb: KnowledgeBase) -> None:
    p = _plan(kb, "safety/hrpos-1l-declines-ofs-vte-history")
    tam = [o for o in p.options if o.drugs == ["tamoxifen"]]
    assert tam and tam[0].category == "other"  # not silently preferred
    (alert,) = [a for a in p.alerts if a.code == "safety.tamoxifen.venous-thromboembolism"]
    assert alert.severity == "critical" and "risk reduction" in alert.message


def test_tdm1_preferred_after_the_tucatinib_triplet_only_if_not_given(kb: KnowledgeBase) -> None:
    p = _plan(kb, "her2_pos/her2-4l-after-tucatinib")
    assert {"trastuzumab emtansine"} in _preferred(p)
    data = json.loads((_GOLDEN / "her2_pos/her2-4l-after-tucatinib/patient.json").read_text())
    given = [*data["prior_therapies"], {**data["prior_therapies"][-1], "drugs": ["trastuzumab_emtansine"]}]
    q = _plan(kb, "her2_pos/her2-4l-after-tucatinib", prior_therapies=given)
    assert not any("trastuzumab emtansine" in o.drugs for o in q.options)


def test_no_tamoxifen_after_early_relapse_on_adjuvant_tamoxifen(kb: KnowledgeBase) -> None:
    p = _plan(kb, "hr_pos_her2_neg/1l-declines-ofs-relapse-on-adjuvant-tamoxifen")
    assert not any("tamoxifen" in o.drugs for o in p.options)
    assert not any("tamoxifen" in c.drugs for c in getattr(p, "conditional_options", []) or [])
    (n,) = [n for n in _blocked(p, "tamoxifen") if n.id.startswith("hrpos.avoid.tamoxifen-after-early-relapse")]
    assert "resistant" in n.reason
