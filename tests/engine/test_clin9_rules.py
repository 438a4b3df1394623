"""Session 9 (clinical rules): which source ranks the third-line HER2 regimens is said in the
plan; first-line sacituzumab govitecan keeps its label-level evidence (ASCENT-03/04, FDA June
2026, re-checked); tamoxifen is preferred only for a RECORDED refusal of ovarian suppression."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from mbc.engine import plan
from mbc.knowledge.loader import KnowledgeBase
from mbc.model import parse_record

_GOLDEN = Path(__file__).parents[1] / "golden"


def _plan(kb: KnowledgeBase, case: str, **changes: Any) -> Any:
    data = json.loads((_GOLDEN / case / "patient.json").read_text())
    data.update(changes)
    return plan(parse_record(data), kb)


def _option(p: Any, drug: str) -> Any:
    return next(o for o in p.options if drug in o.drugs)


def test_third_line_her2_notes_say_whose_ranking(kb: KnowledgeBase) -> None:
    p = _plan(kb, "her2_pos/her2-3l-after-tdxd-progression")
    tucatinib = _option(p, "tucatinib")
    assert tucatinib.category == "preferred"
    assert "NCCN" in tucatinib.note and "ASCO 2022" in tucatinib.note and "without ranking" in tucatinib.note
    tdm1 = next((o for o in p.options if "trastuzumab emtansine" in o.drugs), None)
    if tdm1 is not None:  # not given before in this case
        assert tdm1.category == "other"
        assert "NCCN" in tdm1.note and "no ranking" in tdm1.note


def test_first_line_sacituzumab_is_label_level_evidence(kb: KnowledgeBase) -> None:
    for rule_id in ("tnbc.1l.sacituzumab-govitecan", "tnbc.1l.sacituzumab-pembrolizumab"):
        rule = next(r for r in kb.rules if r.id == rule_id)
        assert rule.evidence.level == "label_phase3"
        assert "fda-trodelvy-1l-tnbc-2026" in rule.evidence.citations


def test_tamoxifen_preferred_only_for_a_recorded_refusal(kb: KnowledgeBase) -> None:
    declined = _plan(kb, "qa_hr/07-premenopausal-declines-ofs")
    assert _option(declined, "tamoxifen").category == "preferred"
    unrecorded = _plan(kb, "qa_hr/07-premenopausal-declines-ofs", preferences={})
    assert all("tamoxifen" not in o.drugs or o.category != "preferred" for o in unrecorded.options)
    conditional = [o for o in unrecorded.conditional_options if "tamoxifen" in o.drugs]
    assert conditional and all(o.category == "other" for o in conditional)
