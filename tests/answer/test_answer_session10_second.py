"""Session 10, second pass (issue 12, s10-q2): mechanisms found missing on set 13, each tested on
phrasings worded for this file (none copied from a blind set)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from mbc.answer import answer_question

AS_OF = dt.date(2026, 11, 1)
ANTI_HER2 = {"trastuzumab", "pertuzumab", "trastuzumab_deruxtecan", "trastuzumab_emtansine", "tucatinib", "lapatinib"}


def _ask(kb: Any, q: str, audience: str | None = None) -> dict[str, Any]:
    return answer_question(q, kb, as_of=AS_OF, audience=audience).to_json()  # type: ignore[arg-type]


def _preferred(kb: Any, a: dict[str, Any]) -> list[set[str]]:
    return [
        {kb.lookup_drug(d) or d for d in o["drugs"]}
        for o in a["plan"]["options"]
        if o["category"] == "preferred"
    ]


# --- pregnancy: obstetric notations, and a delivery still to come is no ended pregnancy -------------------
PREGNANT = [
    "34-year-old, 24/40 pregnant, HER2 3+, ER 5%, new liver metastases. What systemic therapy now?",
    "Woman of 29, G3P2 at 20 weeks, HER2-positive metastatic breast cancer to bone and liver. What can we give?",
    "HER2+ MBC with lung mets in a 33 year old, 26 wks gestation. Which treatment would you start?",
    "She is pregnant (2nd trimester), HER2 amplified, ER negative, liver metastases. What do we offer?",
    "HER2 3+ metastatic disease, 21 weeks pregnant, delivery planned at 37 weeks. Treatment until the birth?",
    "27F, 23/40 pregnant, HER2-positive, liver mets. MDT wants to know what can be given before delivery.",
]


@pytest.mark.parametrize("q", PREGNANT)
def test_pregnancy_read_no_anti_her2_preferred(kb: Any, q: str) -> None:
    a = _ask(kb, q)
    assert a["read"].get("pregnant") is True, a["read"]
    assert a["intent"] == "next_treatment"
    for opt in _preferred(kb, a):
        assert not (opt & ANTI_HER2), opt


@pytest.mark.parametrize(
    ("q", "weeks"),
    [
        ("31F, 19/40 pregnant, HER2-positive, liver mets. What now?", 19),
        ("G2P1 at 25 weeks, HER2+ metastatic breast cancer. Next step?", 25),
    ],
)
def test_gestational_age_notation(kb: Any, q: str, weeks: int) -> None:
    assert _ask(kb, q)["read"].get("pregnancy_weeks") == weeks


@pytest.mark.parametrize(
    "q",
    [
        "Pathology: 12/40 nodes positive, HER2+, liver mets, not pregnant (hCG negative). What first line?",
        "HER2+ MBC, 8/40 lymph nodes involved at surgery. What first line?",
    ],
)
def test_node_count_is_no_gestational_age(kb: Any, q: str) -> None:
    read = _ask(kb, q)["read"]
    assert read.get("pregnancy_weeks") is None
    assert read.get("pregnant") is not True


@pytest.mark.parametrize(
    "q",
    [
        "She delivered a healthy baby 4 months ago; now HER2+ liver mets. Pregnant no longer. What now?",
        "Gave birth in March after a pregnancy with no problems; HER2+ MBC now. First line?",
    ],
)
def test_a_past_delivery_still_ends_the_pregnancy(kb: Any, q: str) -> None:
    assert _ask(kb, q)["read"].get("pregnant") is not True
