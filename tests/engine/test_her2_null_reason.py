"""Session 7: T-DXd not offered for HER2 IHC 0 says how to tell a bare "HER2 0" from HER2-ultralow
(hrpos.avoid.tdxd.her2-null v2)."""

from __future__ import annotations

import json
from pathlib import Path

from mbc.engine import plan as make_plan
from mbc.knowledge import load_kb
from mbc.model import parse_record

CASE = Path(__file__).parents[1] / "golden" / "hr_pos_her2_neg" / "2l-no-actionable-alteration-after-ai-cdk46"


def test_her2_zero_reason_names_ultralow_re_review() -> None:
    rec = json.loads((CASE / "patient.json").read_text())
    assert rec["tumor"]["her2_ihc"] == "0"
    p = make_plan(parse_record(rec), load_kb())
    reasons = [n.reason for n in p.not_recommended if "trastuzumab deruxtecan" in n.drugs]
    assert reasons, "T-DXd must be listed as not recommended for HER2 IHC 0"
    assert any("ultralow" in r for r in reasons)
    assert not [o for o in p.options if "trastuzumab deruxtecan" in o.drugs]
