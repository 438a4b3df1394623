"""Session 10 (integrator): a relapse timed from the end of adjuvant endocrine therapy with a
subject between ("N months after she finished / completed ...") dates the course's end, so an
early relapse (within 12 months) is endocrine-resistant and gets no aromatase inhibitor. Phrasings
written for this file."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from mbc.answer import answer_question

AS_OF = dt.date(2026, 11, 1)
AI = {"letrozole", "anastrozole", "exemestane"}


def _preferred(kb: Any, q: str) -> list[set[str]]:
    a = answer_question(q, kb, as_of=AS_OF).to_json()  # type: ignore[arg-type]
    return [set(o["drugs"]) for o in a["plan"]["options"] if o["category"] == "preferred"]


EARLY = [
    "63F, liver mets found four months after she finished five years of adjuvant letrozole. ER 80%, HER2 0. 1L?",
    "66F with bone mets: relapse 9 months after she completed adjuvant anastrozole. ER 95%, HER2 1+. What first line?",
    "Lung nodules came back 5 months after the patient had stopped adjuvant exemestane. ER 70% HER2 0. Plan?",
]


@pytest.mark.parametrize("q", EARLY)
def test_an_early_relapse_after_adjuvant_ai_gets_no_ai(kb: Any, q: str) -> None:
    preferred = _preferred(kb, q)
    assert preferred and all(not (o & AI) for o in preferred)
    assert any("fulvestrant" in o for o in preferred)


def test_a_late_relapse_after_adjuvant_ai_keeps_ai_options(kb: Any) -> None:
    q = "Bone mets 3 years after she completed adjuvant anastrozole. ER 90%, HER2 0. First line?"
    assert any(o & AI for o in _preferred(kb, q))
