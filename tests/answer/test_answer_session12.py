"""Session 12 (ask): lay, carer and texting-voice intents (a symptom then "should I stop it" / "what i do", a last
unmarked question after a marked one, "why not" read with the sentence before, scans every month to know it works,
a question that opens "Overview of ...", the treatment course over the years, which test is needed beside a yes / no
clause, a dose cut or "the plan with <drug>" beside a toxicity, "or is something else recommended?"), and the key
check of an offered drug named in a treatment answer. Every question is written for this file."""

from __future__ import annotations

from typing import Any

import pytest


def _text(a: dict[str, Any]) -> str:
    ans = a["answer"]
    return " ".join([ans.get("text") or "", *(ans.get("points") or [])]).lower()


@pytest.mark.parametrize(
    ("question", "intent"),
    [
        # texting: a symptom on a drug, "shud i stop it??" and an unmarked last question
        ("been on ibrance 3 wks, temp 38.4 since last nite. shud i stop it?? what do i do", "side_effects"),
        # lay: whether the medicine causes it, then "what i do"
        ("on alpelisib 10 days. sugar on my meter 290 and always thirsty. is it the tablet?? what i do", "side_effects"),
        # a count that delayed a dose and how to stop it happening again
        (
            "My mum's Enhertu was put off a week because her neutrophils were low. Is there something that can "
            "stop this happening again?",
            "side_effects",
        ),
        # a dose cut asked beside a toxicity
        (
            "Week 3 of abemaciclib with letrozole, grade 2 diarrhoea for 2 days despite loperamide. Dose reduce?",
            "side_effects",
        ),
        # "what is the plan with <drug>" after a symptom on it
        (
            "Patient on trastuzumab deruxtecan cycle 4 reports new dry cough, CT shows ground-glass change. "
            "What is the plan with the T-DXd?",
            "side_effects",
        ),
        # "why not" read with the sentence before it
        (
            "My husband wants a CT scan every month to be sure the letrozole is working and the doctor said no. Why not?",
            "response",
        ),
        # monitoring treatment response
        (
            "Could we monitor tumour response with CA 15-3 alone instead of CT in our patients on palbociclib?",
            "response",
        ),
        # a question that opens by asking for an overview, with a patient sketched after it
        (
            "Overview of supportive care for a patient with new liver and bone metastases: bone health, pain, "
            "nutrition.",
            "overview",
        ),
        # the course over the years
        (
            "I've just been told my cancer has spread to my liver. It is hormone positive. How does treatment "
            "usually go over the years?",
            "overview",
        ),
        # which test, beside a yes / no clause about a drug
        (
            "mTNBC, the lab reported PD-L1 SP263 positive. Can we start pembrolizumab on that, or which assay "
            "is required?",
            "tests",
        ),
        # an alternative asked after "is that right"
        (
            "My sister's cancer came back in her lungs after Kadcyla. Her team suggests docetaxel with Herceptin "
            "and Perjeta again. Is that right, or is something else recommended?",
            "next_treatment",
        ),
        (
            "they took me off the kisqali because of my liver tests. can i have a other tablet like it or do i "
            "need chemo?",
            "next_treatment",
        ),
    ],
    ids=[
        "texting-stop-it",
        "is-it-the-tablet",
        "stop-this-happening-again",
        "dose-reduce-beside-toxicity",
        "plan-with-drug-after-symptom",
        "why-not-refers-back",
        "monitor-tumour-response",
        "overview-of-lead",
        "over-the-years",
        "which-assay",
        "or-is-something-else-recommended",
        "a-other-tablet-like-it",
    ],
)
def test_lay_and_clinical_asking_forms(ask_json: Any, question: str, intent: str) -> None:
    assert ask_json(question)["intent"] == intent


def test_a_dose_as_scheduled_is_a_yes_no_question(ask_json: Any) -> None:
    """"Is it ok to give the first zoledronic acid dose as scheduled?" asks whether to give it, not the dose."""
    a = ask_json(
        "New bone metastases, creatinine normal, dental review done. Is it ok to give the first zoledronic acid "
        "dose as scheduled?"
    )
    assert a["intent"] == "appropriate"


def test_a_dose_question_stays_a_dose_question(ask_json: Any) -> None:
    """Guard: "what dose of denosumab ...?" still asks for the dose."""
    assert ask_json("What dose of denosumab for bone metastases and how often?")["intent"] == "dose"


def test_a_progression_question_with_stop_stays_off_side_effects(ask_json: Any) -> None:
    """Guard: a stop-or-keep question after the scan shows growth is no toxicity question."""
    a = ask_json("The scan shows the cancer has grown in my liver on letrozole and palbociclib. Should I stop it?")
    assert a["intent"] != "side_effects"


@pytest.mark.parametrize(
    ("question", "word"),
    [
        (
            "62F postmenopausal, ER+ HER2 0 MBC, progressed after 2 years of letrozole + palbociclib. Tissue NGS: "
            "AKT1 E17K, PIK3CA wild type, ESR1 wild type. HbA1c 5.9%. Next line?",
            "glucose",
        ),
        (
            "ER+ HER2 IHC 1+ MBC. 1L anastrozole + ribociclib 20 mo then PD; 2L capecitabine 8 mo then PD. "
            "What do you recommend now?",
            "interstitial",
        ),
    ],
    ids=["capivasertib-glucose", "tdxd-ild"],
)
def test_a_treatment_answer_names_the_key_check_of_its_preferred_drug(ask_json: Any, question: str, word: str) -> None:
    assert word in _text(ask_json(question, "clinician"))


def test_a_patient_answer_on_a_pi3k_inhibitor_says_glucose_in_plain_words(ask_json: Any, fk_grade: Any) -> None:
    a = ask_json("I started Piqray last week and feel very thirsty. Is this from the tablets?")
    assert a["intent"] == "side_effects"
    assert "glucose" in _text(a)


def test_lines_listed_with_arrows_are_courses_given(ask_json: Any) -> None:
    """"Lines: <A> -> <B> -> <C>" lists metastatic courses in order: the question reader keeps them as given (the drug
    names had been masked from the premise as drugs asked about, and no therapy was read)."""
    a = ask_json(
        "60F ER+ HER2 0 MBC, liver mets. Lines: anastrozole+palbociclib -> fulvestrant+everolimus -> eribulin "
        "(PD after 5 mo). ECOG 1. Next line?",
        "clinician",
    )
    given = {d for p in a["read"].get("prior_therapies", []) for d in p["drugs"]}
    assert {"anastrozole", "palbociclib", "fulvestrant", "everolimus", "eribulin"} <= given
    assert a["answer"].get("verdict") != "depends"


def test_a_dictated_question_is_read(kb: Any) -> None:
    """Speech recognition: spoken punctuation, spelled letters, number words before a unit and a drug heard as
    syllables are put back (the drug vocabulary gives the names)."""
    from mbc.answer._dictation import undictate
    from mbc.answer._schema import load_answer_kb

    d = load_answer_kb(kb).facts.dictation
    q = (
        "dictated note. seventy year old lady her two positive starting pal bo sick lib with fulvestrant. "
        "e c g today q t c f four forty milliseconds full stop is that okay question mark"
    )
    out = undictate(q, kb, d)
    assert "HER2 positive" in out
    assert "palbociclib" in out
    assert "ECG" in out and "QTCF 440 milliseconds" in out
    assert out.rstrip().endswith("okay?")


def test_no_dictation_cue_changes_nothing(kb: Any) -> None:
    """Guard: without a dictation cue the question is left as typed ("rib oh" is not joined)."""
    from mbc.answer._dictation import undictate
    from mbc.answer._schema import load_answer_kb

    q = "is rib oh sick lib ok for her, e c g normal"
    assert undictate(q, kb, load_answer_kb(kb).facts.dictation) == q


def test_a_dictated_ribociclib_question_with_a_long_qtcf_is_answered_no(ask_json: Any) -> None:
    a = ask_json(
        "voice memo: sixty eight year old woman, hormone positive her two negative metastatic, first line. "
        "baseline q t c f four seventy milliseconds. is rib oh sick lib okay question mark",
        "clinician",
    )
    assert a["intent"] == "appropriate"
    assert a["answer"]["verdict"] == "no"


def test_a_negative_ctdna_panel_does_not_end_testing(ask_json: Any) -> None:
    a = ask_json(
        "Liquid biopsy at progression on anastrozole + abemaciclib: ESR1, PIK3CA and AKT1 not detected, low "
        "tumour fraction. Is that enough, or do we need more testing?",
        "clinician",
    )
    assert a["answer"]["verdict"] == "no"
    assert "tissue" in a["answer"]["text"].lower()


def test_a_drug_judged_on_a_condition_is_a_verdict(ask_json: Any) -> None:
    """"Is <drug> ok if we monitor ECGs?" asks for a verdict on the drug (it was read as a monitoring question)."""
    a = ask_json(
        "HR+ HER2- MBC, first line, on citalopram; QTcF 505 ms today. Is ribociclib ok if we check an ECG every "
        "week?",
        "clinician",
    )
    assert a["intent"] == "appropriate"
    assert a["answer"]["verdict"] == "no"


def test_regular_brain_scans_without_symptoms_are_not_advised(ask_json: Any) -> None:
    """"Regular brain scans just in case" with the symptoms denied is screening (the denied "headaches" had
    stopped the ruling)."""
    a = ask_json(
        "My wife has triple negative cancer in her lungs. She doesn't have headaches or trouble walking. Should she "
        "get regular brain scans just in case?"
    )
    assert a["answer"]["verdict"] == "no"
    assert "symptom" in _text(a)


def test_a_brain_scan_asked_for_headaches_is_no_screening(ask_json: Any) -> None:
    """Guard: new headaches are a reason to image the brain; the screening "no" does not answer."""
    a = ask_json(
        "HER2+ MBC on T-DXd, now 2 weeks of new morning headaches and vomiting. Should we get a brain MRI, "
        "routinely or urgently?",
        "clinician",
    )
    assert a["answer"].get("verdict") != "no"
