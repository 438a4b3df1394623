"""Review 9 (safety) of the session 9 clinical rules: each test fails without its mend."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from mbc.engine import plan
from mbc.knowledge.loader import KnowledgeBase
from mbc.model import parse_record

_CASE = Path(__file__).parents[1] / "golden" / "qa_hr" / "07-premenopausal-declines-ofs" / "patient.json"


def _tamoxifen(kb: KnowledgeBase, adjuvant_end: str, stop_reason: str) -> Any:
    data = json.loads(_CASE.read_text())
    course = {"drugs": ["tamoxifen"], "setting": "adjuvant", "start": "2020-01-01", "end": adjuvant_end,
              "stop_reason": stop_reason}  # fmt: skip
    data.update(presentation="recurrence", prior_therapies=[course])
    return next(o for o in plan(parse_record(data), kb).options if "tamoxifen" in o.drugs)


def test_tamoxifen_not_preferred_after_a_recurrence_on_or_soon_after_adjuvant_tamoxifen(
    kb: KnowledgeBase,
) -> None:
    """A recorded refusal of ovarian suppression makes tamoxifen the preferred option - but
    not when the cancer came back on (or within 12 months of) adjuvant tamoxifen: it is then
    the drug the disease is resistant to (it stays an "other" option, as before session 9)."""
    assert _tamoxifen(kb, "2026-10-20", "progression").category == "other"  # recurrence on it
    assert _tamoxifen(kb, "2026-04-20", "completed").category == "other"  # within 12 months
    assert _tamoxifen(kb, "2021-01-01", "completed").category == "preferred"  # years before
