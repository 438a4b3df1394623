"""Issue 11, session 10 second pass (notes: safety): classes of misread found on set 13, each
tested with phrasings written for this file (none copied from a note).

Classes: a HER2 score followed by an arrow to a reviewer's score (the reviewed score wins); a HER2
category named only to be denied ("not ultralow", "rather than HER2-ultralow") is not that
category; a HER2 score written in words ("one plus") is a score, and it outranks a bare
"HER2-low" status; a diagnosis weighed against another ("pneumonitis vs infection") is uncertain,
not a comorbidity or a symptom; a symptom the note later says is over in other words ("no more
cough", "the vomiting has stopped") is not current. Each withheld fact sits beside one that must
still be read (controls)."""

from __future__ import annotations

import datetime as dt

import pytest

from mbc.ingest import extract

pytestmark = pytest.mark.filterwarnings("ignore::UserWarning")
AS_OF = dt.date(2026, 11, 20)
HEAD = "Clinic letter 18 Nov 2026. Mrs K, 58, metastatic breast cancer. Anastrozole since 02/2025.\n"


def _tumor(text: str) -> dict:
    return extract(HEAD + text + "\nReview in four weeks.", kind="note", as_of=AS_OF).record.get("tumor") or {}


@pytest.mark.parametrize(
    ("text", "want"),
    [
        ("Liver core 10/2026: HER2 IHC 1+ (local) -> central review: 0.", "0"),
        ("Bone bx: HER2 2+ outside => our review 3+, ISH amplified.", "3+"),
        ("Pleural block: HER2 IHC 0 at the referring lab --> on re-read 1+ (incomplete, faint).", "1+"),
        ("Node core 09/2026 - HER2 2+ → expert opinion: IHC 3+.", "3+"),
    ],
)
def test_a_score_arrowed_to_a_review_takes_the_reviewed_score(text: str, want: str) -> None:
    assert _tumor(text).get("her2_ihc") == want


def test_an_arrow_to_a_drug_is_no_rescore() -> None:  # control
    assert _tumor("Liver core 10/2026: HER2 1+ -> T-DXd discussed at MDT.").get("her2_ihc") == "1+"


@pytest.mark.parametrize(
    "text",
    [
        "Liver core 10/2026: HER2 IHC 0, not ultralow (no faint staining seen).",
        "Liver core 10/2026: HER2-null rather than HER2-ultralow.",
        "Liver core 10/2026: HER2 score 0 (not HER2-ultralow).",
        "Liver core 10/2026: HER2 0 - no longer ultralow on the repeat stain.",
    ],
)
def test_a_her2_category_named_only_to_be_denied_is_not_recorded(text: str) -> None:
    assert _tumor(text).get("her2_ihc") == "0"


@pytest.mark.parametrize(
    "text",
    [
        "Liver core 10/2026: HER2-ultralow (faint staining in 5% of cells).",
        "Liver core 10/2026: ER negative, HER2 ultralow.",
    ],
)
def test_an_ultralow_result_still_reads(text: str) -> None:  # controls
    assert _tumor(text).get("her2_ihc") == "ultralow"


@pytest.mark.parametrize(
    ("text", "want"),
    [
        ("The doctor said the liver biopsy was HER2 low, two plus.", "2+"),
        ("Liver biopsy 10/2026: ER 80%, HER2 one-plus.", "1+"),
        ("Lung biopsy: HER2 score of zero.", "0"),
        ("Bone biopsy showed HER2 positive, three plus.", "3+"),
    ],
)
def test_a_her2_score_in_words_is_a_score(text: str, want: str) -> None:
    tumor = _tumor(text)
    assert tumor.get("her2_ihc") == want
    assert "her2_status" not in tumor  # the score, not a bare status


def test_a_number_word_elsewhere_is_no_score() -> None:  # control
    assert "her2_ihc" not in _tumor("HER2 testing: one sample sent, two more to follow.")


def _rec(text: str) -> dict:
    return extract(HEAD + text + "\nReview in four weeks.", kind="note", as_of=AS_OF).record


@pytest.mark.parametrize(
    "text",
    [
        "CT chest: new ground glass, drug pneumonitis vs atypical infection; repeat in 4 weeks.",
        "Breathless. Impression: pneumonitis versus chest infection - sputum sent.",
        "Echo pending; cardiomyopathy vs deconditioning, to be seen by cardiology.",
    ],
)
def test_a_diagnosis_weighed_against_another_is_no_comorbidity(text: str) -> None:
    assert not _rec(text).get("comorbidities")


def test_a_symptom_whose_cause_is_weighed_stays() -> None:  # control: the causes are the differential
    rec = _rec("Numb fingertips - capecitabine HFS vs low calcium; calcium sent.")
    assert "peripheral neuropathy" in (rec.get("symptoms") or [])


def test_a_stated_comorbidity_and_a_drug_choice_stay() -> None:  # controls
    rec = _rec("Known ILD since 2023, stable. Next line: capecitabine vs eribulin to be decided.")
    assert rec.get("comorbidities") == ["interstitial_lung_disease"]


@pytest.mark.parametrize(
    ("text", "gone", "kept"),
    [
        ("Since June: cough and fatigue. Now: no more cough, still tired.", "cough", "fatigue"),
        ("Vomiting after cycle 1. The vomiting has stopped since the dose change. Fatigue ongoing.",
         "vomiting", "fatigue"),
        ("Rash on C1; no longer any rash. Nausea most mornings.", "rash", "nausea"),
    ],
)
def test_a_symptom_said_to_be_over_in_other_words_is_not_current(text: str, gone: str, kept: str) -> None:
    symptoms = _rec(text).get("symptoms") or []
    assert gone not in symptoms
    assert kept in symptoms


def test_no_more_than_a_symptom_keeps_it() -> None:  # control
    assert "nausea" in (_rec("Nausea since C1; no more than mild nausea now.").get("symptoms") or [])


@pytest.mark.parametrize(
    ("text", "want"),
    [
        ("Liver core 10/2026: HER2 IHC 0. Query from the MDT: does she count as HER2-0/ultralow for the trial?", "0"),
        ("Trial needs HER2-low/ultralow disease; her liver core was HER2 1+.", "1+"),
        ("Liver core 10/2026: HER2 1+. Is she better grouped with null/ultralow tumours?", "1+"),
    ],
)
def test_a_her2_group_joined_by_a_slash_is_no_result(text: str, want: str) -> None:
    assert _tumor(text).get("her2_ihc") == want
