"""Session 10 (issue 12): intent, verdict and answer-content mechanisms, each tested with questions written
for this file (several phrasings per class; none copied from a blind set)."""

from __future__ import annotations

from typing import Any

import pytest


def _rendered(a: Any) -> str:
    from mbc.answer import render_answer_text

    return render_answer_text(a, max_lines=200).lower()


# ---------------------------------------------------------------- intent: next treatment vs a verdict


@pytest.mark.parametrize(
    "question",
    [
        "Oncology consult, ?suitable for further systemic therapy. 66F ER+ HER2- MBC, progressed on letrozole + "
        "palbociclib after 2 years, ECOG 1.",
        "GP letter: ?fit for treatment. 71F HR+ HER2-negative breast cancer with new bone and liver mets, ECOG 1.",
        "Is she a candidate for any further anticancer treatment? ER+ HER2- MBC after fulvestrant + abemaciclib, "
        "ECOG 1.",
    ],
)
def test_fit_for_treatment_at_all_asks_for_the_next_treatment(ask: Any, question: str) -> None:
    assert ask(question, "clinician").intent == "next_treatment"


@pytest.mark.parametrize(
    "question",
    [
        "ER+ HER2- de novo MBC, bone only, 58F postmenopausal. First-line plan please - and is exemestane alone "
        "reasonable?",
        "HR+ HER2-negative relapse 4 years after adjuvant tamoxifen, liver mets, 61F. Your 1L pls; also is "
        "fulvestrant an option?",
    ],
)
def test_a_request_for_the_plan_wins_over_a_yes_no_clause_beside_it(ask: Any, question: str) -> None:
    assert ask(question, "clinician").intent == "next_treatment"


@pytest.mark.parametrize(
    "question",
    [
        "Restart trastuzumab + pertuzumab + docetaxel or try something different? HER2+ MBC, relapse 5 months "
        "after adjuvant trastuzumab.",
        "Should we go back on letrozole or move on to something else? ER+ HER2- MBC, progressed on letrozole + "
        "ribociclib.",
    ],
)
def test_a_drug_or_something_else_asks_for_the_next_treatment(ask: Any, question: str) -> None:
    assert ask(question, "clinician").intent == "next_treatment"


@pytest.mark.parametrize(
    "question",
    [
        "My cancer got bigger on Kisqali and letrozole. The tests found no mutations. I hate needles. What "
        "else can I take?",
        "The scans show my breast cancer is growing on anastrozole and Ibrance. What could I have next?",
    ],
)
def test_what_could_i_take_asks_for_the_next_treatment(ask: Any, question: str) -> None:
    assert ask(question, "patient").intent == "next_treatment"


@pytest.mark.parametrize(
    "question",
    [
        "62F de novo ER+ HER2- MBC, bone and lung. Which CDK4/6 inhibitor would you pick and why?",
        "HER2-low HR+ MBC after 2 endocrine lines and capecitabine. Which ADC should we choose first?",
    ],
)
def test_which_drug_would_you_choose_asks_for_the_next_treatment(ask: Any, question: str) -> None:
    assert ask(question, "clinician").intent == "next_treatment"


@pytest.mark.parametrize(
    "question",
    [
        "Denosumab for new bone mets? 70F, eGFR 80, adjusted calcium 2.35 mmol/L, dental check done.",
        "Capecitabine in this setting? 66F HR+ HER2- MBC after two endocrine lines, CrCl 70 mL/min.",
    ],
)
def test_a_bare_clause_naming_a_drug_asks_for_a_verdict(ask: Any, question: str) -> None:
    assert ask(question, "clinician").intent == "appropriate"


@pytest.mark.parametrize(
    "question",
    [
        "Letrozole + abemaciclib or anastrozole + palbociclib? 63F de novo ER+ HER2- bone mets.",
        "T-DXd vs sacituzumab first? HR+ HER2-low MBC after 2 endocrine lines and one chemotherapy.",
    ],
)
def test_a_bare_choice_between_drugs_is_not_a_verdict(ask: Any, question: str) -> None:
    assert ask(question, "clinician").intent == "next_treatment"


# ---------------------------------------------------------------- intent: an elliptic clause reads the sentence before


@pytest.mark.parametrize(
    "question",
    [
        "De novo HER2 3+ ER-negative MBC, LVEF 62%. Plan is trastuzumab + pertuzumab + paclitaxel. Reasonable "
        "as first line?",
        "64F postmenopausal, HR+ HER2- de novo MBC, 1L. The team wants letrozole + palbociclib. Acceptable?",
    ],
)
def test_an_elliptic_judgement_is_a_verdict_on_the_drugs_of_the_sentence_before(
    ask: Any, question: str
) -> None:
    a = ask(question, "clinician")
    assert a.intent == "appropriate"
    assert a.answer.verdict in ("yes", "certain_circumstances"), a.answer.text


def test_a_planned_drug_with_a_line_marker_is_asked_not_given(ask: Any) -> None:
    a = ask(
        "Pharmacy query: DPYD test shows complete DPD deficiency (homozygous). The consultant still wants "
        "capecitabine at a reduced dose for 2L. OK?",
        "clinician",
    )
    assert a.intent == "appropriate"
    assert "capecitabine" in a.about["drugs"]
    assert a.answer.verdict == "no"


@pytest.mark.parametrize(
    "question",
    [
        "they plan a blood test for cancer DNA every 2 months to check if the treatment is working. is that usual",
        "Could we track her response with serial ctDNA rather than restaging CT? She is on fulvestrant.",
    ],
)
def test_following_the_response_with_blood_tests_is_a_response_question(ask: Any, question: str) -> None:
    a = ask(question)
    assert a.intent == "response"
    assert a.answer.verdict == "no"


# ---------------------------------------------------------------- intent: side effects and dose in lay words


@pytest.mark.parametrize(
    "question",
    [
        "my blood sugar is going way up on the alpelisib, 280 on my meter. what am i supposed to do",
        "on verzenio since 3 weeks and i have loose poo 6 times a day, what am i meant to do",
    ],
)
def test_a_lay_side_effect_with_what_to_do_is_a_side_effect_question(ask: Any, question: str) -> None:
    assert ask(question, "patient").intent == "side_effects"


def test_what_should_happen_with_the_drug_after_a_lung_finding_is_a_side_effect_question(ask: Any) -> None:
    a = ask(
        "Pt on trastuzumab deruxtecan cycle 5, a week of cough and breathlessness on exertion, new ground-glass "
        "opacities on CT. What should happen with the Enhertu?",
        "clinician",
    )
    assert a.intent == "side_effects"
    text = _rendered(a)
    assert "discontinu" in text and "steroid" in text


def test_what_dose_beside_a_yes_no_clause_is_a_dose_question(ask: Any) -> None:
    a = ask(
        "Can we use capecitabine at the same mg/m2 as last time, or what dose? CrCl 40 mL/min.", "clinician"
    )
    assert a.intent == "dose"


def test_a_judged_stated_dose_is_a_verdict(ask: Any) -> None:
    a = ask(
        "Zoledronic acid for bone mets, 80F, CrCl 25 mL/min. Renally reduced dose fine, or not?", "clinician"
    )
    assert a.intent == "appropriate"
    assert a.answer.verdict == "no"


def test_a_treatment_next_week_is_not_a_next_treatment_question(ask: Any) -> None:
    a = ask(
        "Denosumab dose: 68F, 72 kg, eGFR 60. Bone mets from ER+ MBC, first injection next week.", "clinician"
    )
    assert a.intent == "dose"


def test_the_best_treatment_when_it_spreads_in_lay_words_is_an_overview(ask: Any) -> None:
    assert (
        ask("what is the usual treatment if breast cancer has gone to the bones and liver").intent
        == "overview"
    )


# ---------------------------------------------------------------- negation and "why not"


def test_why_not_a_drug_asks_about_it(ask: Any) -> None:
    a = ask("why not Kisqali? ER+ HER2- de novo MBC, 60F, on citalopram, QTcF 430 ms.", "clinician")
    assert a.intent == "appropriate"
    assert "ribociclib" in a.about["drugs"]


def test_a_negation_does_not_reach_into_the_next_sentence(ask: Any) -> None:
    from mbc.answer._schema import load_answer_kb
    from mbc.answer._understand import mentions
    from mbc.knowledge import load_kb

    kb = load_kb()
    found = mentions("Why not olaparib? Progressed after letrozole.", kb, load_answer_kb(kb))
    assert [m.id for m in found if m.negated] == []


# ---------------------------------------------------------------- verdicts: a stated safety fact decides


@pytest.mark.parametrize(
    "question",
    [
        "ER+ HER2- MBC, 1L. She takes methadone 80 mg daily for pain; QTcF 440 ms. Is ribociclib ok?",
        "He is on amiodarone for atrial fibrillation, QTcF 445. Kisqali + letrozole reasonable for his HR+ MBC?",
    ],
)
def test_a_taken_qt_prolonging_medicine_makes_ribociclib_no(ask: Any, question: str) -> None:
    a = ask(question, "clinician")
    assert a.intent == "appropriate"
    assert a.answer.verdict == "no", a.answer.text
    assert "qt" in a.answer.text.lower()


def test_a_medicine_stopped_is_not_taken_now(ask: Any) -> None:
    a = ask(
        "She stopped amiodarone last year. QTcF 420 ms. ER+ HER2- de novo MBC. Is ribociclib ok?", "clinician"
    )
    assert "amiodarone" not in (a.read.get("medications") or [])


@pytest.mark.parametrize(
    "question",
    [
        "HER2+ MBC on maintenance trastuzumab + pertuzumab; echo today shows LVEF 35%. Carry on with trastuzumab?",
        "LVEF 36% on Phesgo, no symptoms. OK to give the next cycle of trastuzumab?",
    ],
)
def test_a_very_low_lvef_makes_trastuzumab_no(ask: Any, question: str) -> None:
    a = ask(question, "clinician")
    assert a.answer.verdict == "no", a.answer.text


@pytest.mark.parametrize(
    "question",
    [
        "On everolimus + exemestane, now grade 4 pneumonitis needing ICU. Can we restart everolimus later?",
        "Life-threatening pneumonitis on pembrolizumab, intubated. Continue pembro after recovery?",
    ],
)
def test_grade_4_pneumonitis_is_a_permanent_stop_in_general_words(ask: Any, question: str) -> None:
    a = ask(question, "clinician")
    assert a.answer.verdict == "no"
    text = a.answer.text.lower()
    assert "discontinued permanently" in text and "steroid" in text
    assert "deruxtecan" not in text  # no other drug's reason


def test_a_history_of_stevens_johnson_rules_out_alpelisib(ask: Any) -> None:
    a = ask(
        "PIK3CA H1047R after CDK4/6i. She had Stevens-Johnson syndrome from allopurinol years ago. Alpelisib ok?"
    )
    assert a.answer.verdict == "no"
    assert "stevens-johnson" in a.answer.text.lower()


def test_no_history_of_stevens_johnson_does_not_rule_out_alpelisib(ask: Any) -> None:
    a = ask(
        "PIK3CA H1047R after letrozole + palbociclib, no history of SJS, HbA1c 5.4%. Alpelisib ok?",
        "clinician",
    )
    assert "stevens-johnson" not in a.answer.text.lower()


# ---------------------------------------------------------------- rulings that answer tests questions


@pytest.mark.parametrize(
    "question",
    [
        "Does she need an echo before starting trastuzumab?",
        "do I need a heart check before my first Herceptin?",
    ],
)
def test_a_heart_scan_before_her2_therapy_is_yes(ask: Any, question: str) -> None:
    a = ask(question)
    assert a.answer.verdict == "yes"
    assert "echo" in _rendered(a)


def test_a_plan_with_a_normal_lvef_is_not_answered_with_the_heart_scan(ask: Any) -> None:
    a = ask(
        "De novo HER2 3+ MBC, LVEF 60%, no cardiac history. Plan is trastuzumab + pertuzumab + docetaxel. "
        "Appropriate as first line?",
        "clinician",
    )
    assert a.answer.verdict == "yes"
    assert not a.answer.text.lower().startswith("yes - measure lvef")
    assert "cardiac" in _rendered(a)  # the "yes" names the monitoring


def test_esr1_retest_at_a_later_progression_is_yes(ask: Any) -> None:
    a = ask(
        "ESR1 wild type on ctDNA two years ago at first progression; now progressing on fulvestrant + "
        "abemaciclib. Should we retest ESR1?",
        "clinician",
    )
    assert a.answer.verdict == "yes"
    assert "esr1" in a.answer.text.lower()


def test_pd_l1_by_another_assay_is_not_enough_for_pembrolizumab(ask: Any) -> None:
    a = ask(
        "Metastatic TNBC, first line. PD-L1 was done with SP142 (IC 1%). Is that enough for pembrolizumab or "
        "do we need another test?",
        "clinician",
    )
    # "Is that enough for <drug> ...?" reads as a verdict on the drug (depends on a 22C3 test), "Enough to start
    # <drug>, or ...?" as a tests question (no): either way the answer names the assay it needs
    assert (a.intent, a.answer.verdict) in (("tests", "no"), ("appropriate", "depends"))
    assert "22c3" in a.answer.text.lower()


# ---------------------------------------------------------------- patient answers stay plain


def test_the_patient_answer_to_keep_taking_a_working_drug_is_plain_and_names_progression(
    ask: Any, fk_grade: Any
) -> None:
    a = ask("my scan is better on letrozole and palbociclib. can i take a break from the tablets?", "patient")
    prose = " ".join([a.answer.text, *a.answer.points])
    assert "progression" in prose.lower()
    assert fk_grade(prose) <= 6


# ---------------------------------------------------------------- own paraphrase battery (written before running)


@pytest.mark.parametrize(
    ("question", "audience", "intent"),
    [
        (
            "Any contraindication to T-DXd in a patient with prior radiation pneumonitis?",
            "clinician",
            "appropriate",
        ),
        (
            "Is it risky to give capecitabine with her liver mets and bilirubin 2x ULN?",
            "clinician",
            "appropriate",
        ),
        ("how many letrozole tablets do i take each day", "patient", "dose"),
        ("how many abemaciclib pills a day should I take", "patient", "dose"),
        (
            "my mouth is full of sores since starting everolimus. is there anything i can do",
            "patient",
            "side_effects",
        ),
        ("i feel so tired on the letrozole, is that from the tablets", "patient", "side_effects"),
        ("i have hot flushes all the time with my anastrozole. does it go away?", "patient", "side_effects"),
        ("how will they know if my treatment is working?", "patient", "response"),
        (
            "pt 70F ER+/HER2- MBC, PD on fulv/palbo 2L, ECOG1, ESR1wt PIK3CAwt. next?",
            "clinician",
            "next_treatment",
        ),
        (
            "Fulvestrant monotherapy acceptable for a frail 88F, de novo HR+ MBC bone only?",
            "clinician",
            "appropriate",
        ),
    ],
)
def test_own_paraphrases_read_the_intent(ask: Any, question: str, audience: str, intent: str) -> None:
    assert ask(question, audience).intent == intent


def test_a_low_lvef_verdict_on_trastuzumab_gives_the_antibody_reason(ask: Any) -> None:
    a = ask("HER2+ MBC, maintenance trastuzumab + pertuzumab; LVEF 33% on today's echo. Give the next dose?")
    assert a.answer.verdict == "no"
    text = a.answer.text.lower()
    assert "trastuzumab" in text and "deruxtecan" not in text and "t-dxd" not in text


@pytest.mark.parametrize(
    "question",
    [
        "HER2+ MBC, LVEF 61%, on Phesgo maintenance since last year. Continue trastuzumab?",
        "On anastrozole + abemaciclib for 18 months, no new symptoms, bloods fine. Carry on?",
    ],
)
def test_continuing_a_current_treatment_with_nothing_against_it_is_yes(ask: Any, question: str) -> None:
    a = ask(question, "clinician")
    assert a.answer.verdict == "yes", a.answer.text
    assert "progression" in a.answer.text.lower()


@pytest.mark.parametrize(
    "question",
    [
        "on letrozole + palbociclib, the CT shows new lung nodules. Continue?",
        "Cycle 4 of capecitabine, grade 3 hand-foot syndrome. Continue?",
    ],
)
def test_continuing_is_not_waved_through_on_progression_or_toxicity(ask: Any, question: str) -> None:
    a = ask(question, "clinician")
    assert not (a.answer.text or "").startswith("Yes - with no progression")
