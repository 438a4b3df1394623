"""`mbc ask` behaviours added in session 6 (issue 12), each a class of question rather than one
question: what the question sentence asks decides the intent over words of the case summary;
metastatic courses and their durations read from the question; lay menstruation; what is
asked to be tested is not a result; a yes/no question without a full subtype; receptors read
from the drugs given; new management rulings (DPYD testing, serial ctDNA)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from mbc.knowledge import load_kb

AS_OF = dt.date(2026, 11, 1)


@pytest.fixture(scope="module")
def kb() -> Any:
    return load_kb()


# --------------------------------------------------------------------------- intent
def test_trials_asked_in_the_question_sentence_win_over_symptom_words(kb: Any, ask_json: Any) -> None:
    a = ask_json(
        "TNBC with lung mets, progressed on paclitaxel and sacituzumab. New nausea and what should we watch for? "
        "Is there a clinical trial she could enter?",
    )
    assert a["intent"] == "trials"
    assert ask_json("Is there a study I could join?")["intent"] == "trials"
    # a trial named in the case summary only does not make a trials question
    b = ask_json(
        "ER+ HER2- MBC, was in the MONARCH trial years ago, now progressed on letrozole + abemaciclib. What next?",
    )
    assert b["intent"] == "next_treatment"


def test_a_symptom_on_a_drug_just_started_is_a_side_effect_question(kb: Any, ask_json: Any) -> None:
    for q in (
        "I started Kisqali two weeks ago and my mouth is sore. Is this normal?",
        "I've been on Ibrance for 2 months and my white count is low. Should I be worried?",
        "Will I lose my hair on Enhertu?",
    ):
        assert ask_json(q)["intent"] == "side_effects", q
    # growth on a scan is not a side effect
    a = ask_json("I started letrozole a year ago and the scan shows the cancer has grown. What should I do?")
    assert a["intent"] != "side_effects"


def test_rechallenge_at_a_reduced_dose_is_a_yes_no_question(kb: Any, ask_json: Any) -> None:
    a = ask_json(
        "On T-DXd for HER2-low MBC; grade 2 pneumonitis in May, treated with steroids, resolved. "
        "Could we restart T-DXd at a lower dose?",
    )
    assert a["intent"] == "appropriate"
    assert a["answer"]["verdict"] == "no"


def test_a_test_to_do_before_a_drug_is_a_tests_question_with_a_verdict(kb: Any, ask_json: Any) -> None:
    a = ask_json("Starting capecitabine next week. Do we need to do DPYD testing before the first dose?")
    assert a["intent"] == "tests"
    assert a["answer"]["verdict"] == "yes"
    assert "DPYD" in a["answer"]["text"]
    # a result already given: no "test first" ruling
    b = ask_json("DPYD*2A heterozygous. What capecitabine dose should she start at?")
    assert b["answer"]["verdict"] != "yes"


def test_serial_ctdna_to_monitor_response_is_no(kb: Any, ask_json: Any) -> None:
    a = ask_json(
        "Can we follow serial ctDNA every month to monitor response on letrozole + ribociclib instead of CT?",
    )
    assert a["intent"] == "response"
    assert a["answer"]["verdict"] == "no"
    # ctDNA to find a mutation is not monitoring
    b = ask_json("Should we send ctDNA for ESR1 at progression on AI + CDK4/6i?")
    assert b["answer"]["verdict"] != "no"


def test_germline_ruling_skips_a_result_given_for_a_list_of_genes(kb: Any, ask_json: Any) -> None:
    a = ask_json(
        "TNBC relapsed in the lungs 3 years after adjuvant AC-T, PD-L1 CPS 2, germline BRCA1/2 and PALB2 negative. "
        "First-line approach?",
    )
    assert a["answer"]["verdict"] is None  # a next-treatment answer, not "yes - test germline"
    assert a["intent"] == "next_treatment"


def test_best_line_shorthand_is_a_next_treatment_question(kb: Any, ask_json: Any, preferred_names: Any) -> None:
    a = ask_json("HR+/HER2- MBC, relapse while on adjuvant anastrozole (year 3). Best 1L?")
    assert a["intent"] == "next_treatment"
    assert any({"fulvestrant"} <= p for p in preferred_names(a))


# --------------------------------------------------------------------------- courses
def test_for_a_line_is_not_a_duration(kb: Any, ask_json: Any) -> None:
    a = ask_json(
        "HR+/HER2- MBC, germline BRCA2 pathogenic variant. 1L letrozole + ribociclib, PD after 14 mo. "
        "Is talazoparib reasonable for 2L?",
    )
    assert "talazoparib" in a["about"]["drugs"]
    assert "talazoparib" not in a["about"]["prior_drugs"]
    assert a["answer"]["verdict"] == "yes"


def test_a_course_duration_dates_the_course_and_shows_primary_resistance(kb: Any, ask_json: Any, preferred_names: Any) -> None:
    a = ask_json(
        "60F postmenopausal, ER 90%, HER2 IHC 1+. Liver mets. 1L was anastrozole + palbociclib -> PD at 4 months. "
        "ESR1, PIK3CA, AKT1 and PTEN negative on ctDNA, gBRCA negative, no chemo so far. What next?",
    )
    course = next(t for t in a["read"]["prior_therapies"] if "palbociclib" in t["drugs"])
    assert course["start"] == "2026-07-01" and course["end"] == "2026-11-01"
    assert any("4 months" in x for x in a["assumptions"])
    assert a["plan"]["facts"]["endocrine_resistance"] == "primary"
    assert {"trastuzumab deruxtecan"} in preferred_names(a)


def test_courses_named_with_lines_after_the_drugs_are_the_history(kb: Any, ask_json: Any, preferred_names: Any) -> None:
    a = ask_json(
        "HER2-positive MBC. Hx: THP 1L (PFS ~3 yrs) -> T-DXd 2L (11 mo). Small brain mets, treated with SRS, stable. "
        "Extracranial progression now. Preferred systemic option?",
    )
    assert a["plan"]["classification"]["line"] == 3
    assert any({"tucatinib", "trastuzumab", "capecitabine"} <= p for p in preferred_names(a))
    assert not any("pertuzumab" in p for p in preferred_names(a))


def test_a_listed_history_with_a_duration_per_course_is_split_into_lines(kb: Any, ask_json: Any, preferred_names: Any) -> None:
    a = ask_json(
        "ER+ HER2 IHC 0 MBC. Prior lines: letrozole+abemaciclib (30 months), exemestane+everolimus (6 months), "
        "capecitabine (8 months). What now?",
    )
    met = [t for t in a["read"]["prior_therapies"] if t.get("setting") == "metastatic"]
    assert [len(t["drugs"]) for t in met] == [2, 2, 1]
    assert all(t["stop_reason"] == "progression" for t in met)
    assert a["plan"]["classification"]["line"] == 4
    assert not any("capecitabine" in p for p in preferred_names(a))


def test_a_duration_just_before_the_drugs_marks_them_given(kb: Any, ask_json: Any, preferred_names: Any) -> None:
    a = ask_json(
        "Woman 68, HR positive HER2 negative, bone mets. She make 22 month letrozole with ribociclib, now is progression. "
        "NGS show PIK3CA H1047R mutation. ESR1 not detected. Which treatment for second line?",
    )
    assert {"letrozole", "ribociclib"} <= set(a["about"]["prior_drugs"])
    assert a["plan"]["classification"]["line"] == 2
    assert any("capivasertib" in p or "alpelisib" in p for p in preferred_names(a))


def test_a_course_named_with_the_surgery_is_adjuvant(kb: Any, ask_json: Any) -> None:
    a = ask_json(
        "Patient 47, premenopausal. Operated 2018 for ER+ HER2- cancer, she took tamoxifen 5 years and stopped 2023. "
        "Now bone metastasis. Best first treatment?",
    )
    tam = next(t for t in a["read"]["prior_therapies"] if "tamoxifen" in t["drugs"])
    assert tam["setting"] == "adjuvant"


# --------------------------------------------------------------------------- facts of the question
@pytest.mark.parametrize(
    ("phrase", "status"),
    [
        ("she has still menstruation regular", "premenopausal"),
        ("she still has periods", "premenopausal"),
        ("her periods are regular", "premenopausal"),
        ("no periods since chemotherapy", None),
        ("after 4 cycles of chemo", None),
    ],
)
def test_menstruation_in_lay_words(kb: Any, phrase: str, status: str | None, ask_json: Any) -> None:
    a = ask_json(f"Patient 42, {phrase}. ER+ HER2- with bone mets at diagnosis. First line?")
    assert a["read"].get("menopausal_status") == status


def test_what_is_asked_to_be_tested_is_not_a_result(kb: Any, ask_json: Any) -> None:
    a = ask_json(
        "HR+ HER2- MBC progressing on letrozole + palbociclib. Should we test for ESR1 mutation before 2L?",
    )
    assert not any("ESR1" in s and "wild" not in s for s in a["read"].get("somatic", []))
    b = ask_json("HR+ HER2- MBC progressing on letrozole + palbociclib; ctDNA shows an ESR1 mutation. Next?")
    assert any("ESR1" in s for s in b["read"].get("somatic", []))


def test_qtc_in_words_stops_ribociclib(kb: Any, ask_json: Any) -> None:
    a = ask_json("HR+ HER2- MBC, first line. Should I still give ribociclib if the QTcF is 475?")
    assert a["read"]["qtcf_ms"] == 475
    assert a["answer"]["verdict"] == "no"


def test_a_yes_no_question_without_a_full_subtype(kb: Any, ask_json: Any, preferred_names: Any) -> None:
    # the drug's place is the same in every subtype the facts allow: answered, and said so
    a = ask_json("Is trastuzumab together with an anthracycline OK?")
    assert a["answer"]["verdict"] == "no"
    # the plan shown is the one read: nothing offered as preferred for a subtype not given
    assert a["plan"]["classification"]["subtype"] == "unknown"
    assert not preferred_names(a)
    # a verdict the plan already holds is not re-answered by subtype
    b = ask_json("Is letrozole appropriate for a premenopausal woman?")
    assert b["answer"]["verdict"] == "certain_circumstances"


def test_receptors_read_from_the_drugs_given_are_stated(kb: Any, ask_json: Any) -> None:
    a = ask_json(
        "The tablets I was on (anastrozole and Kisqali) stopped working after 3 years. What comes next for me?",
    )
    assert a["read"]["tumor"] == {"er_status": "positive", "her2_status": "negative"}
    assert any("assumed from the treatment given" in x for x in a["assumptions"])
    # a receptor the question gives is never overwritten
    b = ask_json("HER2-positive ER-negative MBC, progressed on trastuzumab + pertuzumab + docetaxel. Next?")
    assert b["read"]["tumor"]["er_status"] == "negative"


def test_an_urgent_sign_leads_a_patient_answer(kb: Any, ask_json: Any) -> None:
    a = ask_json(
        "My legs are weak and numb and my back hurts a lot. The cancer is in my spine. What should I do?"
    )
    assert a["audience"] == "patient"
    assert "right away" in a["answer"]["text"]


def test_dose_answers_read_height_and_state_the_hepatic_step(kb: Any, ask_json: Any) -> None:
    a = ask_json("Pt 70 kg, 170 cm, starting weekly paclitaxel. Dose in mg?")
    assert a["read"]["height_cm"] == 170 and a["read"]["weight_kg"] == 70
    assert "for this patient" in a["answer"]["text"]
    b = ask_json("Abemaciclib dose in severe hepatic impairment?")
    assert "once daily" in " ".join([b["answer"]["text"], *b["answer"]["points"]])


def test_how_to_manage_a_toxicity_of_a_named_drug_is_side_effects(kb: Any, ask_json: Any) -> None:
    assert ask_json("How should we manage rash on alpelisib?")["intent"] == "side_effects"
    assert ask_json("How do you treat HER2-positive metastatic breast cancer?")["intent"] == "overview"


def test_alternatives_are_judged_one_by_one(kb: Any, ask_json: Any) -> None:
    a = ask_json(
        "gBRCA1 HR+ HER2- MBC progressing after letrozole + ribociclib, no chemo. Olaparib or talazoparib?",
    )
    assert a["answer"]["verdict"] == "yes"
    assert a["answer"]["text"].startswith("Of olaparib or talazoparib")
    # drugs joined by anything but "or" / "vs" stay one regimen
    b = ask_json("Can trastuzumab be given concurrently with epirubicin in HER2+ MBC?")
    assert b["answer"]["verdict"] == "no"


def test_what_line_shorthand_is_a_next_treatment_question(kb: Any, ask_json: Any, preferred_names: Any) -> None:
    a = ask_json("ER+ HER2- relapse 18 months into adjuvant anastrozole, lung mets. What 1L?")
    assert a["intent"] == "next_treatment"
    assert any({"fulvestrant"} <= p for p in preferred_names(a))


def test_endocrine_lines_counted_without_drugs_get_stated_stand_ins(kb: Any, ask_json: Any, preferred_names: Any) -> None:
    a = ask_json(
        "HR+/HER2-ultralow MBC after 2 lines of endocrine therapy, ctDNA: no ESR1, PIK3CA, AKT1 or PTEN "
        "alteration. No chemo yet. Next?",
    )
    met = [t for t in a["read"]["prior_therapies"] if t.get("setting") == "metastatic"]
    assert len(met) == 2
    assert any("stand-ins" in x for x in a["assumptions"])
    assert {"trastuzumab deruxtecan"} in preferred_names(a)
    assert not any("capivasertib" in p for p in preferred_names(a))


@pytest.mark.parametrize(
    "q",
    [
        "Day 15 of cycle 1 palbociclib, ANC 0.7, no fever. Continue?",
        "AST 6x ULN on ribociclib, bilirubin normal. Hold or continue?",
        "Patient on capivasertib, fasting glucose 280 mg/dL. What should we do?",
        "New cough and breathlessness on T-DXd, CT shows ground glass. Next steps?",
    ],
)
def test_a_lab_or_toxicity_on_a_drug_then_continue_is_toxicity_management(kb: Any, q: str, ask_json: Any) -> None:
    assert ask_json(q)["intent"] == "side_effects"
