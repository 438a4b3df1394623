"""Session 11 (ask): a clause-aware negation scope, DPYD star-allele pairs, and facts read from more question
forms (a pathology result that "came back", "no prior <class>" beside "de novo", pasted HL7 OBX lines, a HER2-low
score beside a "TNBC" word, a relative's result beside a testing question, a gene result in lay words). Every
question is written for this file."""

from __future__ import annotations

from typing import Any

import pytest


# ----------------------------------------------------------------- negation scope (one window, clause-aware)
@pytest.mark.parametrize(
    ("question", "given"),
    [
        (
            "She declined palbociclib but took letrozole for 2 years, now PD in the liver. What next?",
            "letrozole",
        ),
        (
            "No progression while on palbociclib and letrozole for 3 years until now. Next step?",
            "palbociclib",
        ),
        ("She refused chemo then took anastrozole for 18 months, now progressing. Options?", "anastrozole"),
    ],
    ids=["but", "while", "then"],
)
def test_a_negation_does_not_reach_past_a_clause_break(ask_json: Any, question: str, given: str) -> None:
    """A drug after "but" / "while" / "however" is not denied by a negation word before the break."""
    assert given in ask_json(question)["about"]["prior_drugs"]


def test_a_negation_still_covers_its_own_list(ask_json: Any) -> None:
    """Guard: "never had chemo or tamoxifen" denies both (no break between them)."""
    a = ask_json("ER+ HER2- MBC in bone. She never had chemo or tamoxifen. What first?")
    assert not {"tamoxifen"} & set(a["about"]["prior_drugs"])


def test_why_not_keeps_the_courses_after_it(ask_json: Any) -> None:
    """Guard: the question's own "why not" (found once, as the mention's cue) denies nothing given after it."""
    a = ask_json("HR+ MBC, PIK3CA mutated. Why not alpelisib after PD on anastrozole and ribociclib?")
    assert {"anastrozole", "ribociclib"} <= set(a["about"]["prior_drugs"])
    assert "alpelisib" in a["about"]["drugs"]


# ----------------------------------------------------------------- DPYD genotype as a star-allele pair
def test_homozygous_star_alleles_mean_no_fluoropyrimidine(ask_json: Any) -> None:
    """*2A/*2A (no normal allele), told far from the gene name: complete deficiency - "no", no regimen add-on."""
    a = ask_json(
        "Pharmacogenomics panel came back for our HR+ lady due to start Xeloda next week in 2nd line: DPYD result "
        "*2A/*2A. Could we go ahead with capecitabine at a quarter of the dose?"
    )
    assert a["answer"]["verdict"] == "no"
    assert not any(p.startswith("Add: ") for p in a["answer"]["points"])


def test_one_normal_star_allele_means_a_reduced_dose(ask_json: Any) -> None:
    a = ask_json("DPYD genotype *1/*13 in a pt about to start capecitabine. Is capecitabine OK for her?")
    assert a["answer"]["verdict"] == "certain_circumstances"


def test_a_ruling_answer_lists_no_regimen_partner(ask_json: Any) -> None:
    """A ruling (test DPYD first) replaces the drug verdict: its "Add: <partner>" point goes with it."""
    a = ask_json(
        "DPYD genotype sent before starting Xeloda for a 3rd-line pt. Team asks whether capecitabine at full dose "
        "is acceptable."
    )
    assert a["answer"]["verdict"] == "yes"
    assert not any(p.startswith("Add: ") for p in a["answer"]["points"])


# ----------------------------------------------------------------- facts read from more question forms
def test_a_pathology_result_that_came_back_is_no_recurrence(ask_json: Any, preferred: Any) -> None:
    a = ask_json(
        "Biopsy path came back on the axillary node: ER 0, PR 0, HER2 IHC 0. De novo with liver mets, 47F, "
        "ECOG 0. PD-L1 22C3 CPS 15. What first line?"
    )
    assert a["read"]["presentation"] == "de_novo"
    assert any("pembrolizumab" in s for s in preferred(a))


def test_no_prior_class_beside_de_novo_is_no_prior_therapy(ask_json: Any, preferred: Any) -> None:
    a = ask_json(
        "Fit 61-year-old, de novo HER2 3+ ER-negative MBC in liver and nodes, with no prior chemotherapy or "
        "HER2-directed treatment at any point. LVEF 60%. What do we start?"
    )
    assert a["read"]["prior_therapies"] == []
    assert {"trastuzumab", "pertuzumab"} <= set().union(*preferred(a))


def test_hl7_obx_lines_are_read(ask_json: Any, preferred: Any) -> None:
    a = ask_json(
        "Results pasted from the EHR feed, first line please:\n"
        "OBX|1|ST|ER IHC||Negative (0%)\nOBX|2|ST|PR IHC||Negative (0%)\nOBX|3|ST|HER2 IHC||0\n"
        "OBX|4|NM|PD-L1 22C3 CPS||18\nDe novo lung mets, 58F, ECOG 0."
    )
    assert a["read"]["tumor"].get("er_percent") == 0
    assert any("pembrolizumab" in s for s in preferred(a))


def test_her2_low_score_beside_a_triple_negative_word(ask_json: Any, preferred: Any) -> None:
    a = ask_json(
        "Metastatic TNBC, progressed on first-line nab-paclitaxel after 5 months. Second opinion on the primary: "
        "HER2 2+ by IHC, ISH negative (ratio 1.4). What now?"
    )
    assert a["read"]["tumor"].get("her2_ihc") == "2+"
    assert {"trastuzumab_deruxtecan"} in preferred(a)


def test_a_relatives_result_is_not_the_patients_germline_result(ask_json: Any) -> None:
    a = ask_json(
        "Should a 74-year-old with new HR+/HER2- metastatic disease be offered germline BRCA testing? Her "
        "daughter carries a BRCA1 mutation."
    )
    assert a["intent"] == "tests"
    assert a["answer"]["verdict"] == "yes"


def test_a_gene_result_in_lay_words(ask_json: Any, preferred: Any) -> None:
    a = ask_json(
        "my cancer grew on letrozole and Ibrance after 3 years. the blood test picked up a change called ESR1, "
        "nothing else. what comes next?",
        audience="patient",
    )
    assert "ESR1 mutation" in a["read"].get("somatic", [])
    assert {"elacestrant"} in preferred(a)


# ----------------------------------------------------------------- a framing negation denies nothing after it
@pytest.mark.parametrize(
    "question",
    [
        "HR+ HER2- MBC, PD on anastrozole + ribociclib. Why not alpelisib for her PIK3CA mutation?",
        "HR+ HER2- MBC, PD on anastrozole + ribociclib. Shouldn't we give alpelisib for her PIK3CA mutation?",
    ],
    ids=["why-not", "shouldnt-we"],
)
def test_a_gene_result_after_a_why_not_is_read(ask_json: Any, question: str) -> None:
    """The mutation after "why not <drug> for her ..." is stated, not denied (it was read as wildtype or lost)."""
    assert "PIK3CA mutation" in ask_json(question)["read"].get("somatic", [])


def test_a_stated_absence_before_a_why_not_stays(ask_json: Any) -> None:
    """Guard: "no PIK3CA mutation. Why not alpelisib?" keeps the absence."""
    a = ask_json("HR+ HER2- MBC, PD on anastrozole + ribociclib, no PIK3CA mutation. Why not alpelisib?")
    assert "PIK3CA wildtype" in a["read"].get("somatic", [])


# ----------------------------------------------------------------- "which trial supports <drug>?"
def test_which_trial_names_the_cited_trial(ask_json: Any) -> None:
    """The trials answer names the trial the knowledge base cites for the drug, the closest title first."""
    a = ask_json(
        "For teaching: which trial supports abemaciclib plus fulvestrant after progression on a CDK4/6 inhibitor?"
    )
    assert a["intent"] == "trials"
    assert a["answer"]["text"].split(":")[1].strip().startswith("postMONARCH")


def test_which_study_led_to_an_approval(ask_json: Any) -> None:
    a = ask_json(
        "What study led to the approval of pertuzumab with trastuzumab and docetaxel for first-line HER2+ MBC?"
    )
    assert a["intent"] == "trials"
    assert "CLEOPATRA" in a["answer"]["text"]


def test_a_trials_question_without_a_drug_keeps_the_usual_answer(ask_json: Any) -> None:
    """Guard: "any trials for her?" names no drug: the trial-matching answer stands."""
    a = ask_json("HR+ HER2- MBC after two endocrine lines. Any clinical trials for her?")
    assert a["intent"] == "trials"
    assert "The evidence for" not in a["answer"]["text"]


# ----------------------------------------------------------------- a first line named before the word "failed"
@pytest.mark.parametrize(
    "question",
    [
        "1L AI + CDK4/6i just failed in a 61-yo with HR+ HER2-low MBC. Which tests now?",
        "First-line ET + CDK4/6 inhibitor has stopped working after 2 years in a 64-yo with ER+ HER2- MBC. What next?",
    ],
    ids=["1L-failed", "first-line-stopped-working"],
)
def test_a_failed_first_line_is_a_course_given(ask_json: Any, question: str) -> None:
    """ "1L <class> just failed" is a line progressed on, not a first-line question with no therapy before."""
    a = ask_json(question)
    courses = a["read"].get("prior_therapies")
    assert courses and courses[0]["stop_reason"] == "progression"
    assert not any("without earlier therapy named" in x for x in a["assumptions"])


def test_one_line_told_as_a_count_is_a_metastatic_line(ask_json: Any) -> None:
    """ "One prior line only: <course> ..., now progression" is a metastatic line that ended at progression."""
    a = ask_json(
        "Never had chemo. One prior line only: anastrozole + ribociclib for 30 mo, now slow progression in bone. "
        "ER 90%, HER2 0. What now?"
    )
    courses = a["read"].get("prior_therapies")
    assert courses and courses[0]["setting"] == "metastatic" and courses[0]["stop_reason"] == "progression"


def test_a_time_into_a_first_line_dates_the_course(ask_json: Any, preferred: Any) -> None:
    """ "progression 4 months into 1L <course>" is a course of 4 months (rapid progression on a first line)."""
    a = ask_json(
        "Progression in the liver only 4 months into 1L anastrozole + abemaciclib. HER2 IHC 0 with faint, incomplete "
        "membrane staining in some cells (ultralow). ctDNA: no ESR1 or PIK3CA alteration. What next?"
    )
    course = a["read"]["prior_therapies"][0]
    assert course.get("start") == "2026-07-01" and course.get("end") == "2026-11-01"
    assert {"trastuzumab_deruxtecan"} in preferred(a)
