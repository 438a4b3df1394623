"""Review 9 (safety) of the session 9 clinical rules: each test fails without its mend."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

from mbc.engine import plan
from mbc.knowledge.loader import KnowledgeBase
from mbc.model import parse_record

_CASE = Path(__file__).parents[1] / "golden" / "qa_hr" / "07-premenopausal-declines-ofs" / "patient.json"


def _tamoxifen(kb: KnowledgeBase, adjuvant_end: str, stop_reason: str) -> Any:
    """The tamoxifen option, or (session 10) its not-recommended entry when it is not offered."""
    data = json.loads(_CASE.read_text())
    course = {"drugs": ["tamoxifen"], "setting": "adjuvant", "start": "2020-01-01", "end": adjuvant_end,
              "stop_reason": stop_reason}  # fmt: skip
    data.update(presentation="recurrence", prior_therapies=[course])
    p = plan(parse_record(data), kb)
    found = next((o for o in p.options if "tamoxifen" in o.drugs), None)
    return found or next(n for n in p.not_recommended if n.drugs == ["tamoxifen"])


def test_tamoxifen_not_preferred_after_a_recurrence_on_or_soon_after_adjuvant_tamoxifen(
    kb: KnowledgeBase,
) -> None:
    """A recorded refusal of ovarian suppression makes tamoxifen the preferred option - but
    not when the cancer came back on (or within 12 months of) adjuvant tamoxifen: it is then
    the drug the disease is resistant to. Session 10: it is then not offered at all (it was an
    "other" option from hrpos.1l.tamoxifen.declines-ofs v1) and the plan says why."""
    for end, reason in (("2026-10-20", "progression"), ("2026-04-20", "completed")):  # on it / within 12 months
        entry = _tamoxifen(kb, end, reason)
        assert not hasattr(entry, "category"), entry
        assert "resistant" in entry.reason
    assert _tamoxifen(kb, "2021-01-01", "completed").category == "preferred"  # years before


def _germline(kb: KnowledgeBase, entries: list[str]) -> dict[str, Any]:
    from mbc.engine.derive import derive_facts

    data = json.loads(_CASE.read_text())
    data["germline"] = entries
    facts = derive_facts(parse_record(data), kb, dt.date(2026, 11, 15)).facts
    return {k: facts.get(k) for k in ("germline.brca1", "germline.brca2", "germline.palb2", "germline.brca")}


def test_germline_findings_of_one_entry_are_read_each_and_a_family_or_unsure_one_is_not_altered(
    kb: KnowledgeBase,
) -> None:
    """Session 9 reads a germline entry by its first word: "BRCA1 negative, BRCA2 pathogenic"
    made BRCA2 a known FALSE (a real finding dropped), and "BRCA2 (mother)", "BRCA2 suspected"
    or "BRCA2 test pending" made it TRUE (a relative's, unsure or planned finding as hers)."""
    assert _germline(kb, ["BRCA1 negative, BRCA2 pathogenic"])["germline.brca2"] is True
    assert _germline(kb, ["BRCA1 not detected; PALB2 pathogenic"])["germline.palb2"] is True
    for entry in (
        "BRCA2 (mother)",
        "BRCA2 suspected",
        "BRCA2 test pending",
        "BRCA2 pathogenic (reclassified from VUS)",
    ):
        got = _germline(kb, [entry])
        assert got["germline.brca2"] is None and got["germline.brca"] is None, entry
    assert _germline(kb, ["BRCA2 c.68_69delAG p.Glu23fs pathogenic"])["germline.brca2"] is True
