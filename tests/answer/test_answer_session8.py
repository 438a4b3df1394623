"""Session 8 (issue 12): the intent read from the sentence that asks (its form, its topic words and
the facts the question states), and the classes of misses found on blind set 7. Every question here
is worded for this file (none is copied from a blind set)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from mbc.answer._ask import ask_clauses, load_ask_kb

AS_OF = dt.date(2026, 11, 1)


# ----------------------------------------------------------------- the asking sentence
def test_the_asking_clauses_and_their_form(kb: Any) -> None:
    ak = load_ask_kb(kb)
    q = "Long story: ER+ 2.5 cm, nodes 3/12. Now new lung nodules. Treat as TNBC or give ET -- and what is the 1L?"
    clauses = ask_clauses(q, ak)
    assert [c.form for c in clauses] == ["bare", "wh"]
    assert clauses[-1].text.startswith("and what is the 1L")
    # no question mark: the clauses of the last sentence that ask (or its last clause)
    q2 = "Pt with liver mets after two lines of chemo, ECOG 1 so which drug do you favour now"
    assert [c.form for c in ask_clauses(q2, ak)] == ["wh"]
    q3 = "Please explain ER-low and how it changes first-line choices."
    assert ask_clauses(q3, ak)[0].form == "request"
    # a decimal or a number with a unit does not end the sentence
    assert len(ask_clauses("Temp 38.4 tonight on weekly chemo. Should we worry?", ak)) == 1


@pytest.mark.parametrize(
    ("q", "intent"),
    [
        # a yes / no question about a named drug, however long the case before or after it
        (
            "Would Verzenio be sensible for her after this? 58F, HR+ HER2 1+, nodes and bone, relapse 4 years "
            "after adjuvant tamoxifen, no treatment yet for the metastases.",
            "appropriate",
        ),
        (
            "ER+ HER2-neg, progressed on anastrozole and palbociclib after 19 months, ESR1 not yet tested. "
            "Is imlunestrant a sensible pick for her next?",
            "appropriate",
        ),
        (
            "Pneumonitis on T-DXd, grade 1, fully settled on repeat CT. Is restarting T-DXd reasonable?",
            "appropriate",
        ),
        # bare or wh next-treatment questions after a long case
        (
            "HER2+ MBC, THP 18 mo then T-DM1 9 mo, now liver progression, brain MRI clear. Subsequent systemic?",
            "next_treatment",
        ),
        ("HR+ HER2 0, two endocrine lines done, gBRCA negative. Preferred next?", "next_treatment"),
        (
            "She grew through letrozole + abemaciclib after 3 years and the ctDNA is negative. Which "
            "regimen would you pick now?",
            "next_treatment",
        ),
        ("Is the current regimen still fine, or which treatment should he move to?", "next_treatment"),
        # a symptom on a drug, asked about in lay words, with no drug in the asking sentence
        (
            "My mum is on abemaciclib and has had the runs since Tuesday. What should we be doing?",
            "side_effects",
        ),
        (
            "He gets sacituzumab every week and tonight he is shivery with a temperature of 38.6. Can this "
            "wait until Monday?",
            "side_effects",
        ),
        (
            "Everolimus starts on Friday. Is there something we give beforehand against mouth ulcers?",
            "side_effects",
        ),
        (
            "T-DXd cycle 5, new dry cough and ground glass on CT, grade 2. Do we pause and retry later at a "
            "lower dose?",
            "side_effects",
        ),
        (
            "I'm on capecitabine and my palms are red and peeling. Should I use the cream they gave me?",
            "side_effects",
        ),
        # definitions asked last, after a sentence about the treatment
        (
            "The team says there is no visceral crisis, so she can have tablets first. What is visceral crisis?",
            "definition",
        ),
        (
            "Could you explain the difference between primary and secondary endocrine resistance? We use it "
            "to choose the first line.",
            "definition",
        ),
        # a general question in a young relative's words
        (
            "my aunt has stage 4 breast cancer. whats the usual treatment for it? is she on chemo forever?",
            "overview",
        ),
        # a dose change, and what it means
        (
            "They cut my palbociclib from three capsules a week block to two because of my blood count. Does "
            "that mean it stopped working?",
            "dose",
        ),
        # when to restage
        ("How often should we rescan a lady doing well on first-line letrozole + ribociclib?", "response"),
    ],
)
def test_intent_from_the_asking_sentence(kb: Any, q: str, intent: str, ask_json: Any) -> None:
    assert ask_json(q)["intent"] == intent


# ----------------------------------------------------------------- facts of the blind-7 classes
def test_relapse_during_adjuvant_ai_offers_no_ai(kb: Any, ask_json: Any, preferred: Any) -> None:
    q = (
        "61F postmenopausal, 3 years into adjuvant letrozole (pT2N1 ER 90% HER2 0 in 2022, adjuvant EC-T). "
        "New liver and bone mets, biopsy ER 90% HER2 0. No PIK3CA, ESR1 or AKT1 alteration on NGS. First line?"
    )
    a = ask_json(q)
    preferred = preferred(a)
    assert preferred, a["answer"]["text"]
    assert not any({"letrozole", "anastrozole"} & p for p in preferred)  # the AI failed as adjuvant therapy
    assert any("fulvestrant" in p for p in preferred)


def test_a_line_label_with_a_colon_is_a_course_given(kb: Any, ask_json: Any, preferred: Any) -> None:
    q = (
        "Summary:\n- 57F, ER+ PR+ HER2 0, germline BRCA1 pathogenic\n- first line metastatic: letrozole + "
        "ribociclib, progression after 20 months\n- ECOG 1\nWhat next?"
    )
    a = ask_json(q)
    assert any({"olaparib"} <= p or {"talazoparib"} <= p for p in preferred(a))


def test_early_progression_on_first_line_dates_the_course(kb: Any, ask_json: Any, preferred: Any) -> None:
    q = (
        "HR+ HER2 2+ ISH negative, liver and nodes. Progressed at 4 months on 1L anastrozole + ribociclib. "
        "NGS: no ESR1, PIK3CA, AKT1 or PTEN alteration. No chemo for metastatic disease. Best option?"
    )
    a = ask_json(q)
    assert any({"trastuzumab_deruxtecan"} <= p for p in preferred(a))


def test_an_ish_result_that_came_back_is_no_recurrence(kb: Any, ask_json: Any, preferred: Any) -> None:
    q = (
        "De novo bone and liver disease, ER 70%, HER2 2+; ISH came back amplified (ratio 3.1) today. "
        "What first line now?"
    )
    a = ask_json(q)
    assert any({"trastuzumab", "pertuzumab"} <= p for p in preferred(a))


@pytest.mark.parametrize(
    ("q", "verdict"),
    [
        ("Newly metastatic TNBC, 11 weeks pregnant, no visceral crisis. Start weekly paclitaxel now?", "no"),
        ("Pregnant (10/40) with liver metastases from TNBC. Is an anthracycline OK this week?", "no"),
    ],
)
def test_first_trimester_chemotherapy_is_no(kb: Any, q: str, verdict: str, ask_json: Any) -> None:
    a = ask_json(q)
    assert a["answer"]["verdict"] == verdict
    assert "trimester" in a["answer"]["text"].lower()


def test_a_safety_topic_settled_in_words_is_not_unsettled(kb: Any, ask_json: Any) -> None:
    base = "ER+ HER2- MBC after letrozole + palbociclib, ESR1 Y537S on ctDNA. {} Is elacestrant suitable?"
    raised = ask_json(base.format("Her liver is not great."))
    settled = ask_json(base.format("LFTs are normal."))
    assert settled["answer"]["verdict"] in ("yes", "certain_circumstances")
    assert not settled["answer"]["text"].startswith("Depends on the liver")
    assert raised["answer"]["verdict"] == "depends"


def test_her2_antibodies_alone_after_the_taxane(kb: Any, ask_json: Any) -> None:
    q = (
        "HER2+ MBC, six cycles of paclitaxel with trastuzumab and pertuzumab, good response. Plan: finish the "
        "paclitaxel and continue trastuzumab + pertuzumab alone. Is that right?"
    )
    a = ask_json(q)
    assert a["answer"]["verdict"] == "yes"
    assert "continu" in a["answer"]["text"]


def test_early_bone_flare_is_no_switch(kb: Any, ask_json: Any) -> None:
    q = (
        "ER+ bone-only disease on anastrozole + ribociclib. The 10-week bone scan shows more uptake and one new "
        "spot, but the pain is better and ALP is falling. Change treatment?"
    )
    a = ask_json(q)
    assert a["answer"]["verdict"] == "no"
    assert "flare" in a["answer"]["text"]
    worse = ask_json(q.replace("but the pain is better and ALP is falling", "and the liver is worse on CT"))
    assert worse["answer"]["verdict"] != "no"


def test_parp_for_a_somatic_brca_variant_approved_vs_appropriate(kb: Any, ask_json: Any) -> None:
    approved = (
        "Somatic BRCA2 variant on tissue NGS, germline testing negative, HR+/HER2- MBC after CDK4/6. "
        "Is talazoparib licensed for her?"
    )
    appropriate = (
        "Somatic BRCA2 variant on tissue NGS, germline testing negative, HR+/HER2- MBC after CDK4/6. "
        "Is olaparib appropriate for her?"
    )
    a, b = ask_json(approved), ask_json(appropriate)
    assert a["answer"]["verdict"] == "no"
    assert "germline" in a["answer"]["text"]
    # session 9: with the germline test stated negative, "appropriate" stays certain circumstances (issue 12's own
    # example: not label-approved, certain circumstances on phase II evidence), saying the label needs germline
    assert b["answer"]["verdict"] == "certain_circumstances"
    c = ask_json("Somatic BRCA2 variant on tissue NGS, HR+/HER2- MBC after CDK4/6. Is olaparib appropriate for her?")
    assert c["answer"]["verdict"] != "no" or "germline" in c["answer"]["text"]


def test_endocrine_and_her2_therapy_without_chemo(kb: Any, ask_json: Any) -> None:
    q = (
        "79M, ER 80% HER2 3+ lung and bone mets, de novo, will not have chemotherapy. Would anastrozole with "
        "trastuzumab and pertuzumab, no taxane, be acceptable?"
    )
    a = ask_json(q)
    assert a["answer"]["verdict"] == "certain_circumstances"


def test_a_drug_asked_to_be_given_despite_a_condition_is_a_yes_no_question(kb: Any, ask_json: Any) -> None:
    q = "Could we start sacituzumab in a lady with grade 2 neuropathy from earlier paclitaxel? TNBC, 3rd line."
    assert ask_json(q)["intent"] == "appropriate"
    q2 = "Can we give T-DXd to someone with past ILD that needed steroids? HER2-low after one chemo line."
    a = ask_json(q2)
    assert a["intent"] == "appropriate"
    assert a["answer"]["verdict"] == "no"


@pytest.mark.parametrize(
    "q",
    [
        "Is pertuzumab worth adding for HER2-negative metastatic disease?",
        "Does tucatinib make sense for HER2-negative disease?",
    ],
)
def test_a_drug_only_another_subtype_takes_is_no(kb: Any, q: str, ask_json: Any) -> None:
    a = ask_json(q)  # the subtype is not given in full: the receptor stated rules the drug out
    assert a["answer"]["verdict"] == "no"
    assert "HER2-positive" in a["answer"]["text"]
    assert "HER2-negative" in a["answer"]["text"]


def test_a_later_line_drug_is_no_no_for_a_receptor_it_does_not_depend_on(kb: Any, ask_json: Any) -> None:
    # HER2 not given: HR+/HER2+ disease is still possible, so the ER stated does not rule the drug out
    # (its rules were false only on the first line assumed, which the other subtypes were not held to)
    a = ask_json("ER+ HER2 unknown MBC. Can we give tucatinib?")
    assert a["answer"]["verdict"] != "no"
    assert "ER-positive" not in a["answer"]["text"]


def test_a_combination_refused_for_its_other_drug_does_not_refuse_the_drug_asked(kb: Any, ask_json: Any) -> None:
    # the paclitaxel combination withdrawn for bevacizumab is no "no" for paclitaxel, which a
    # conditional option (on PD-L1) still offers
    a = ask_json("35F TNBC MBC, not pregnant. Can we give paclitaxel?")
    assert a["answer"]["verdict"] == "depends"
    assert "bevacizumab" not in a["answer"]["text"]
    assert ask_json("TNBC MBC. Can we give bevacizumab + paclitaxel?")["answer"]["verdict"] == "no"


def test_a_ruling_does_not_lift_a_safety_no(kb: Any, ask_json: Any) -> None:
    # the maintenance ruling ("stop the taxane, go on with the HER2 antibodies") is no "yes" in pregnancy
    q = (
        "HER2+ MBC, 6 cycles docetaxel + HP, good response. She is 12 weeks pregnant. "
        "Can we stop docetaxel and continue HP alone?"
    )
    a = ask_json(q)
    assert a["answer"]["verdict"] == "no"
    assert "Pregnancy" in a["answer"]["text"]


def test_endocrine_lines_counted_in_either_word_order(kb: Any, ask_json: Any, preferred: Any) -> None:
    q = (
        "HR+ HER2 2+ (ISH not amplified) liver and bone disease after 2 endocrine lines, one of them with a "
        "CDK4/6 inhibitor; no chemotherapy so far for metastatic disease. Best next?"
    )
    a = ask_json(q)
    assert any({"trastuzumab_deruxtecan"} <= p for p in preferred(a))


def test_a_course_named_after_after_is_a_metastatic_line_that_progressed(kb: Any, ask_json: Any) -> None:
    q = "ESR1 D538G on ctDNA, ER+ HER2 0, postmenopausal, after an aromatase inhibitor + ribociclib. Is elacestrant fine?"
    a = ask_json(q)
    course = next(t for t in a["read"]["prior_therapies"] if "ribociclib" in t["drugs"])
    assert (course["setting"], course["stop_reason"]) == ("metastatic", "progression")
    assert a["answer"]["verdict"] == "yes"
    early = ask_json(
        "ER+ HER2 0 early breast cancer, after adjuvant ribociclib with an AI. Is elacestrant fine?"
    )
    assert all(t.get("setting") != "metastatic" for t in early["read"].get("prior_therapies") or [])


def test_a_lab_called_normal_is_no_toxicity(kb: Any, ask_json: Any) -> None:
    q = (
        "ER+ HER2 0 de novo liver disease, bilirubin, ALT and albumin all normal, the team booked a chemo doublet, "
        "what do you think is the right first line"
    )
    assert ask_json(q)["intent"] == "next_treatment"
    assert ask_json("On alpelisib, fasting glucose 15 mmol/L today. Hold?")["intent"] == "side_effects"


@pytest.mark.parametrize(
    ("q", "path", "absent"),
    [
        ("ER+ HER2-neg MBC, progressed on AI + palbociclib. Does she have an ESR1 mutation? What next?",
         "somatic.esr1", "altered"),
        ("HR+ HER2- metastatic disease in the bones after letrozole and palbociclib. Is she pregnant? Next step?",
         "pregnant", True),
        ("TNBC with lung mets after paclitaxel. Any interstitial lung disease? What would you give now?",
         "comorbidity.interstitial_lung_disease", True),
    ],
)
def test_a_fact_the_question_asks_about_is_not_read_as_present(kb: Any, q: str, path: str, absent: Any, ask_json: Any) -> None:
    """Principle 7: "Does she have X?", "Is she X?", "Any X?" ask about X; they do not state it."""
    a = ask_json(q)
    assert a["plan"]["facts"].get(path) != absent


def test_a_fact_stated_beside_the_question_is_still_read(kb: Any, ask_json: Any) -> None:
    """The mask is only the asking clause: a fact stated in the case summary is read as before."""
    a = ask_json("ER+ HER2-neg MBC with an ESR1 mutation, progressed on AI + palbociclib. What next?")
    assert a["plan"]["facts"].get("somatic.esr1") == "altered"
