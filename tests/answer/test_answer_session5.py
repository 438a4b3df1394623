"""`mbc ask` behaviours added in session 5 (issue 12): line markers, explicit next-treatment
questions, a drug asked "alone", question overlays (de novo, rising bilirubin, brain imaging),
month-year dates, and plain words at reading grade 6."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from mbc.answer import answer_question, load_answer_kb
from mbc.knowledge import load_kb

AS_OF = dt.date(2026, 11, 1)


@pytest.fixture(scope="module")
def kb() -> Any:
    return load_kb()


def test_line_markers_before_drugs_are_the_history(kb: Any, ask_json: Any) -> None:
    a = ask_json(
        "ER+ HER2 IHC 0 MBC, ESR1/PIK3CA/AKT1/PTEN wild-type, gBRCA negative, ECOG 1. "
        "L1 letrozole + abemaciclib, L2 paclitaxel (PD at 6 mo), L3 capecitabine (PD at 5 mo). What now?",
    )
    assert a["intent"] == "next_treatment"
    assert {"letrozole", "abemaciclib", "paclitaxel", "capecitabine"} <= set(a["about"]["prior_drugs"])
    assert a["about"]["drugs"] == []
    assert a["plan"]["classification"]["line"] == 4
    assert [len(t["drugs"]) for t in a["read"]["prior_therapies"]] == [2, 1, 1]


def test_line_marker_in_a_question_sentence_is_asked(kb: Any, ask_json: Any) -> None:
    a = ask_json(
        "ER+ HER2-negative MBC, progressed on letrozole + palbociclib. Is 2L fulvestrant + abemaciclib reasonable?",
    )
    assert "fulvestrant" in a["about"]["drugs"] and "abemaciclib" in a["about"]["drugs"]
    assert a["intent"] == "appropriate"


def test_numbered_lines_so_far(kb: Any, ask_json: Any) -> None:
    a = ask_json(
        "ER+ HER2 0 MBC. Lines so far: (1) anastrozole + ribociclib 20 mo, (2) capecitabine 8 mo. "
        "What do you suggest now?",
    )
    assert {"anastrozole", "ribociclib", "capecitabine"} <= set(a["about"]["prior_drugs"])
    assert a["plan"]["classification"]["line"] == 3


def test_vertebra_l1_is_not_a_line(kb: Any, ask_json: Any) -> None:
    a = ask_json(
        "ER+ HER2-negative MBC with an L1 vertebral metastasis, no prior therapy. First-line options?"
    )
    assert not a["read"].get("prior_therapies")


@pytest.mark.parametrize(
    "tail",
    [
        "What would you give as 3rd line?",
        "Is ribociclib still OK, or what should she get?",
        "What is the preferred 3L?",
    ],
)
def test_explicit_next_treatment_question(kb: Any, tail: str, ask_json: Any) -> None:
    a = ask_json(
        f"HR+ HER2-low MBC, 1L letrozole + ribociclib (dose-reduced to 400 mg), 2L fulvestrant. {tail}"
    )
    assert a["intent"] == "next_treatment"


def test_general_question_stays_an_overview(kb: Any, ask_json: Any) -> None:
    a = ask_json("What is the recommended treatment for metastatic breast cancer?")
    assert a["intent"] == "overview"


def test_endocrine_therapy_alone_in_first_line_is_certain_circumstances(kb: Any, ask_json: Any) -> None:
    a = ask_json(
        "80-year-old, frail, ECOG 2, de novo ER+ HER2-negative bone-only MBC. Can we skip the CDK4/6 inhibitor "
        "and just give anastrozole?",
    )
    assert a["intent"] == "appropriate"
    assert a["answer"]["verdict"] == "certain_circumstances"


def test_rising_bilirubin_with_liver_metastases_is_visceral_crisis(kb: Any, ask_json: Any, preferred_names: Any) -> None:
    a = ask_json(
        "55F, newly diagnosed ER+ HER2-negative MBC with extensive liver metastases. Bilirubin 70 umol/L "
        "and rising over a week, ECOG 2, no prior systemic therapy. First-line treatment?",
    )
    assert a["read"]["metastases"]["visceral_crisis"] is True
    assert any("visceral crisis" in s for s in a["assumptions"])
    endocrine = {
        "letrozole",
        "anastrozole",
        "exemestane",
        "fulvestrant",
        "ribociclib",
        "palbociclib",
        "abemaciclib",
    }
    assert preferred_names(a) and not any(p & endocrine for p in preferred_names(a))


def test_bilirubin_named_without_a_rise_does_not_fire(kb: Any, ask_json: Any) -> None:
    a = ask_json(
        "ER+ HER2-negative MBC, liver metastases, bilirubin normal, no rise in liver tests. First-line options?",
    )
    assert a["read"].get("metastases", {}).get("visceral_crisis") is not True


def test_lesions_on_brain_imaging_are_brain_metastases(kb: Any, ask_json: Any, preferred_names: Any) -> None:
    a = ask_json(
        "HER2+ MBC, THP first line (20 mo), then T-DXd (12 mo), now progressing. Brain MRI shows 2 small lesions, no symptoms. "
        "Systemic options?",
    )
    assert "brain" in a["read"]["metastases"]["sites"]
    assert any({"tucatinib", "trastuzumab", "capecitabine"} <= p for p in preferred_names(a))


def test_de_novo_wins_over_a_stray_recurrent(kb: Any, ask_json: Any) -> None:
    a = ask_json("78F, de novo ER+ HER2-negative bone-only MBC, recurrent falls. First-line treatment?")
    assert a["read"]["presentation"] == "de_novo"


def test_month_year_dates_time_the_relapse(kb: Any, ask_json: Any, preferred_names: Any) -> None:
    a = ask_json(
        "60F postmenopausal, ER+ HER2 0. Adjuvant AC-T then letrozole; completed 5 years of AI in April 2026. "
        "Sep 2026: biopsy-proven liver relapse. ctDNA: PIK3CA wild-type, ESR1 not detected. Plan?",
    )
    assert a["read"]["metastatic_diagnosis_date"] == "2026-09-01"
    ai = [t for t in a["read"]["prior_therapies"] if "letrozole" in t["drugs"]]
    assert ai and ai[0]["end"] == "2026-04-01"
    assert a["plan"]["classification"]["endocrine_resistance"] == "secondary"
    letrozole_first = {"letrozole", "ribociclib"}
    assert not any(letrozole_first <= p for p in preferred_names(a))


def test_every_plain_text_reads_at_grade_6(kb: Any, fk_grade: Any) -> None:
    akb = load_answer_kb(kb)
    texts = [*akb.patient.intros.values(), *akb.patient.verdicts.values(), *akb.patient.ask_team]
    texts += [d.plain for d in akb.definitions.terms] + [m.plain for m in akb.monitoring.entries]
    texts += [r.plain for r in akb.rulings.rulings]
    too_hard = [(round(fk_grade(t), 1), t) for t in texts if fk_grade(t) > 6]
    assert too_hard == []


def test_patient_questions_answer_at_grade_6(kb: Any, fk_grade: Any) -> None:
    for q in (
        "Is my treatment working? How do they check?",
        "What does visceral crisis mean? My doctor said I am not in one.",
        "My cancer spread to my liver. Should I be getting brain scans just in case?",
    ):
        a = answer_question(q, kb, as_of=AS_OF, audience="patient")
        assert fk_grade(" ".join([a.answer.text, *a.answer.points])) <= 6, q


def test_two_numbered_lines_read_together_are_split(kb: Any, ask_json: Any) -> None:
    a = ask_json(
        "ER+ HER2 0 MBC progressed after 1st-line letrozole + palbociclib and 2nd-line elacestrant; "
        "ESR1 mutated, PIK3CA wild-type. 3L?",
    )
    assert a["intent"] == "next_treatment"
    assert a["plan"]["classification"]["line"] == 3
    assert any("lines of therapy as numbered" in s for s in a["assumptions"])


@pytest.mark.parametrize(
    ("q", "verdict"),
    [
        pytest.param(  # the full regimen asked is still yes
            "De novo ER+ HER2-negative bone-only MBC, postmenopausal, ECOG 0. Is anastrozole + ribociclib "
            "appropriate?",
            "yes",
            id="full_regimen_still_yes",
        ),
        pytest.param(  # a symptomatic brain metastasis needs local therapy first
            "HER2+ MBC on T-DXd. New seizures and a 4 cm frontal brain metastasis with oedema and midline shift. "
            "Can we switch to tucatinib + trastuzumab + capecitabine and skip surgery or radiation?",
            "no",
            id="symptomatic_brain_metastasis_local_first",
        ),
        pytest.param(
            "In metastatic TNBC, is combination chemotherapy appropriate instead of single agents?",
            "certain_circumstances",
            id="combination_chemotherapy",
        ),
    ],
)
def test_verdict(kb: Any, q: str, verdict: str, ask_json: Any) -> None:
    a = ask_json(q)
    assert a["answer"]["verdict"] == verdict


def test_asymptomatic_brain_metastases_are_not_ruled_local_first(kb: Any, ask_json: Any) -> None:
    a = ask_json(
        "HER2+ MBC after THP and T-DXd, now progressing; 3 small asymptomatic brain metastases, no oedema. "
        "Is tucatinib + trastuzumab + capecitabine appropriate, deferring SRS?",
    )
    assert a["answer"]["verdict"] != "no"


def test_creatinine_clearance_from_creatinine_age_weight_and_sex(kb: Any, ask_json: Any) -> None:
    a = ask_json(
        "81F, 50 kg, HR+ MBC with bone metastases, serum creatinine 190 umol/L. Is zoledronic acid appropriate?",
    )
    crcl = a["read"]["labs"]["creatinine_clearance_ml_min"]
    assert 15 < crcl < 20  # (140-81) x 50 / (72 x 2.15) x 0.85
    assert a["answer"]["verdict"] == "no"
    assert any("Cockcroft-Gault" in s for s in a["assumptions"])


def test_no_clearance_without_weight(kb: Any, ask_json: Any) -> None:
    a = ask_json(
        "81F, HR+ MBC with bone metastases, serum creatinine 190 umol/L. Is zoledronic acid appropriate?"
    )
    assert "creatinine_clearance_ml_min" not in (a["read"].get("labs") or {})


def test_cps_in_words(kb: Any, ask_json: Any) -> None:
    a = ask_json(
        "TNBC first line, de novo, PD-L1 22C3 CPS exactly 10. Is pembrolizumab + paclitaxel appropriate?"
    )
    assert a["read"]["tumor"]["pdl1_cps"] == 10
    assert a["answer"]["verdict"] == "yes"


def test_line_named_after_the_drugs(kb: Any, ask_json: Any) -> None:
    a = ask_json(
        "ER+ HER2-negative MBC. Sequence so far: letrozole + palbociclib (1st line), fulvestrant (2nd line), "
        "capecitabine (3rd line). HER2 IHC 1+. Next?",
    )
    assert a["plan"]["classification"]["line"] == 4
    b = ask_json("HER2+ ER- MBC progressed on T-DXd given in 2L after THP in 1L. What now?")
    assert [len(t["drugs"]) for t in b["read"]["prior_therapies"]] == [3, 1]


@pytest.mark.parametrize(
    "q",
    [
        "ER+ HER2-negative MBC, liver metastases, bilirubin 1.2x ULN and not rising. First-line options?",
        "ER+ HER2-negative MBC with liver metastases; brain MRI shows no lesions. First-line options?",
        "ER+ HER2-negative MBC, she lost 30 kg, creatinine 90 umol/L, 70F. First-line options?",
    ],
)
def test_overlays_do_not_read_what_is_not_said(kb: Any, q: str, ask_json: Any) -> None:
    a = ask_json(q)
    assert a["read"].get("metastases", {}).get("visceral_crisis") is not True
    assert "brain" not in a["read"].get("metastases", {}).get("sites", [])
    assert a["read"].get("weight_kg") is None


def test_asked_line_that_the_history_does_not_reach_is_named(kb: Any, ask_json: Any) -> None:
    a = ask_json("HER2+ ER- MBC, 4th line question. Had THP (PD 14 mo) then T-DXd (PD 11 mo). What now?")
    assert a["plan"]["classification"]["line"] == 3
    assert "line 4" in a["answer"]["points"][0] and "line 3" in a["answer"]["points"][0]
    b = ask_json("HER2+ ER- MBC, 3rd line q. Had THP (PD 14 mo) then T-DXd (PD 11 mo). What now?")
    assert not any("speaks of line" in p for p in b["answer"]["points"])
