"""Session 8 (s8-clin): a combination moved to not_recommended for its OTHER drug does not make
the asked drug "no" while an option offering that drug stands. Since session 8 a conditional
option contraindicated by a recorded pregnancy (pembrolizumab + paclitaxel waiting for PD-L1) is
listed as not recommended, and the asked-about paclitaxel must not inherit that verdict."""

from __future__ import annotations

from typing import Any


def test_pregnancy_combination_blocked_for_its_other_drug_leaves_paclitaxel_open(ask: Any) -> None:
    a = ask(
        "She is 24 weeks pregnant with newly found metastatic triple-negative disease in the liver; "
        "bilirubin and liver enzymes are normal. Can she have weekly paclitaxel?"
    ).to_json()
    blocked = [n["drugs"] for n in a["plan"]["not_recommended"] if "pembrolizumab" in n["drugs"]]
    assert blocked, "the immunotherapy combinations are not recommended in pregnancy"
    assert a["answer"]["verdict"] != "no", a["answer"]["text"]
    assert "immune checkpoint" not in a["answer"]["text"]


def test_asked_regimen_itself_contraindicated_stays_no(ask: Any) -> None:
    a = ask(
        "She is 24 weeks pregnant with newly found metastatic triple-negative disease, PD-L1 CPS 30. "
        "Is pembrolizumab with paclitaxel appropriate?"
    ).to_json()
    assert a["answer"]["verdict"] == "no", a["answer"]["text"]


def test_dose_of_drug_whose_combination_is_blocked_for_its_other_drug_is_given(ask: Any) -> None:
    """The dose intent reads the same contraindications as the appropriateness intent (review of
    s8-clin): the asked drug is offered in pregnancy, only its immunotherapy combination is not."""
    a = ask(
        "She is 24 weeks pregnant with newly found metastatic triple-negative disease in the liver; "
        "bilirubin and liver enzymes are normal. What dose of weekly paclitaxel?"
    ).to_json()
    assert a["answer"]["verdict"] != "no", a["answer"]["text"]
    assert "immune checkpoint" not in a["answer"]["text"]


def test_dose_of_drug_contraindicated_in_pregnancy_stays_no(ask: Any) -> None:
    a = ask(
        "She is 24 weeks pregnant with newly found metastatic triple-negative disease in the liver. "
        "What dose of pembrolizumab?"
    ).to_json()
    assert a["answer"]["verdict"] == "no", a["answer"]["text"]
