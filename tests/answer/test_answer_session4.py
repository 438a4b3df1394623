"""`mbc ask` behaviours added in session 4 (issue 12)."""

from __future__ import annotations

import datetime as dt

import pytest

from mbc.answer import answer_question
from mbc.knowledge import load_kb

AS_OF = dt.date(2026, 11, 1)


@pytest.fixture(scope="module")
def kb():
    return load_kb()


def _ask(kb, q: str):
    return answer_question(q, kb, as_of=AS_OF).to_json()


def test_dose_of_a_drug_this_patient_must_not_have_is_no(kb) -> None:
    a = _ask(kb, "DPYD genotype homozygous *2A/*2A, i.e. complete DPD deficiency. Could we give capecitabine at 50% of the dose?")
    assert a["audience"] == "clinician"
    assert a["answer"]["verdict"] == "no"


def test_dose_without_a_stop_has_no_verdict(kb) -> None:
    a = _ask(kb, "What is the dose of capecitabine for metastatic breast cancer, DPYD normal?")
    assert a["answer"]["verdict"] is None


@pytest.mark.parametrize(("drug", "verdict"), [("talazoparib", "no"), ("olaparib", "certain_circumstances")])
def test_parp_inhibitor_for_a_germline_palb2_variant(kb, drug: str, verdict: str) -> None:
    a = _ask(kb, f"Germline PALB2 pathogenic variant, HR+/HER2- MBC, progressed after 1L letrozole + ribociclib. Can we use {drug}?")
    assert a["answer"]["verdict"] == verdict


def test_no_ild_does_not_trigger_the_ild_ruling(kb) -> None:
    a = _ask(kb, "HER2+ ER- MBC. Had THP then T-DXd (PD 11 mo, no ILD). Asymptomatic. What systemic therapy next?")
    assert "ILD" not in a["answer"]["text"]
