"""Session 7 (issue 12): verdicts on inferred facts, the usual assumptions said first, safety facts
never assumed away, and the general causes found in the misses of blind sets 5 and 6 (each test
uses wording of its own, not a blind question)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from mbc.answer import answer_question
from mbc.answer._clinician import Draft
from mbc.answer._rests import assuming, depends_on_safety, reader_leads, verdict_on_stated

AS_OF = dt.date(2026, 11, 1)


def _ask(kb: Any, q: str, audience: str = "clinician") -> dict[str, Any]:
    return answer_question(q, kb, as_of=AS_OF, audience=audience).to_json()  # type: ignore[arg-type]


def _preferred(a: dict[str, Any]) -> list[frozenset[str]]:
    return [frozenset(o["drugs"]) for o in a["plan"]["options"] if o["category"] == "preferred"]


def _drugs(a: dict[str, Any]) -> set[str]:
    return set().union(*_preferred(a)) if _preferred(a) else set()


# ----------------------------------------------------------------- what a verdict rests on
def test_verdict_on_stated_depends_when_an_inferred_fact_changes_it() -> None:
    stated = Draft(text="No - X is not among the options.", verdict="no", verdict_text="No")
    inferred = Draft(text="Yes - X is a preferred option here.", verdict="yes", verdict_text="Yes")
    out = verdict_on_stated(stated, inferred, ["Therapy history"])
    assert out.verdict == "depends"
    assert out.text.startswith("Depends on Therapy history (not stated)")
    assert "on the facts as stated: No - X" in out.text
    assert verdict_on_stated(stated, stated, ["Therapy history"]) is stated  # the same verdict: unchanged


def test_assuming_goes_after_the_verdict_word_and_before_a_plain_answer() -> None:
    d = Draft(text="Yes - X is a preferred option here.", verdict="yes", verdict_text="Yes")
    assert assuming(d, ["ECOG 0-1", "ECOG 0-1", ""]).text == "Yes - assuming ECOG 0-1: X is a preferred option here."
    p = Draft(text="Preferred: X [1]")
    assert assuming(p, ["no visceral crisis"]).text == "Assuming no visceral crisis: Preferred: X [1]"
    assert assuming(p, []) is p


def test_reader_leads_keep_what_is_assumed() -> None:
    assert reader_leads(["no systemic therapy given before (read from the question)"]) == [
        "no systemic therapy given before"
    ]


def test_depends_on_safety_only_for_a_yes() -> None:
    yes = Draft(text="Yes - X.", verdict="yes", verdict_text="Yes")
    no = Draft(text="No - X.", verdict="no", verdict_text="No")
    assert depends_on_safety(yes, ["the lung history"]).verdict == "depends"
    assert depends_on_safety(no, ["the lung history"]) is no
    assert depends_on_safety(yes, []) is yes


def test_a_yes_names_the_usual_assumptions_in_its_first_line(kb: Any) -> None:
    a = _ask(kb, "Newly diagnosed ER+ HER2- MBC, bone only, 66 years old. Is letrozole + ribociclib appropriate?")
    assert a["answer"]["verdict"] == "yes"
    first = a["answer"]["text"].split(":")[0]
    assert "assuming" in first and "no systemic therapy given before" in first, first
    assert "ECOG 0-1" in a["answer"]["text"].split(" is a ")[0]


def test_a_next_treatment_names_receptors_read_from_drugs_given_first(kb: Any) -> None:
    a = _ask(kb, "She progressed after 20 months of anastrozole + ribociclib. PTEN loss on NGS. What now?")
    assert frozenset({"capivasertib", "fulvestrant"}) in _preferred(a)
    assert a["answer"]["text"].startswith("Assuming HR-positive"), a["answer"]["text"][:100]


def test_a_safety_fact_raised_but_not_settled_makes_the_verdict_depend(kb: Any) -> None:
    q = "ER+ HER2- MBC, progressed on letrozole + palbociclib, PIK3CA H1047R. {}. Is capivasertib + fulvestrant ok?"
    raised = _ask(kb, q.format("She has diabetes"))
    assert raised["answer"]["verdict"] == "depends"
    assert "diabetes" in raised["answer"]["text"].split(" - ")[0]
    settled = _ask(kb, q.format("Type 2 diabetes on metformin, HbA1c 6.4%"))
    assert settled["answer"]["verdict"] == "yes"
    negated = _ask(kb, q.format("No diabetes"))
    assert negated["answer"]["verdict"] == "yes"
    unsaid = _ask(kb, q.format("Bone only"))
    assert unsaid["answer"]["verdict"] == "yes"  # not raised: the check is asked, not assumed (points)


def test_kidneys_raised_but_not_settled(kb: Any) -> None:
    a = _ask(kb, "TNBC, second line after paclitaxel; her kidneys are not great. Is capecitabine appropriate?")
    assert a["answer"]["verdict"] == "depends"
    assert "kidney" in a["answer"]["text"].split(" - ")[0]
    b = _ask(kb, "TNBC, second line after paclitaxel; CrCl 75 mL/min. Is capecitabine appropriate?")
    assert b["answer"]["verdict"] == "yes"


# ----------------------------------------------------------------- courses and dates
def test_a_course_still_given_ends_at_progression_said_now(kb: Any) -> None:
    q = (
        "52F ER+ HER2+ MBC. First line THP 2024-2025, then trastuzumab + pertuzumab + anastrozole as "
        "maintenance. Now new liver lesions on CT. {}"
    )
    a = _ask(kb, q.format("Next?"))
    assert any("ended at progression (the question says" in x for x in a["assumptions"])
    assert "pertuzumab" not in _drugs(a)
    assert frozenset({"trastuzumab deruxtecan"}) in _preferred(a)
    b = _ask(kb, q.replace("Now new liver lesions on CT.", "Now responding, no new lesions.").format("Next?"))
    assert not any("ended at progression (the question says" in x for x in b["assumptions"])


def test_last_dose_of_adjuvant_her2_therapy_dates_an_early_relapse(kb: Any) -> None:
    q = (
        "HER2 3+ ER-negative. Neoadjuvant TCHP, surgery, then adjuvant trastuzumab + pertuzumab, last dose "
        "{} 2026. New lung mets Nov 2026. Next?"
    )
    early = _ask(kb, q.format("Jul"))
    assert frozenset({"trastuzumab deruxtecan"}) in _preferred(early)
    assert "pertuzumab" not in _drugs(early)
    assert early["intent"] == "next_treatment"  # "last dose" asks no dose
    late = _ask(kb, q.format("Jul").replace("2026. New", "2023. New"))
    assert "pertuzumab" in _drugs(late)


def test_a_variant_named_by_its_protein_change_is_read(kb: Any) -> None:
    a = _ask(kb, "ER+ HER2 0 MBC, progressed after anastrozole + ribociclib. Tissue NGS: AKT1 E17K. ESR1 not detected. Next?")
    assert any("AKT1 E17K" in x for x in a["assumptions"]) or "AKT1 E17K" in (a["read"].get("somatic") or [])
    assert frozenset({"capivasertib", "fulvestrant"}) in _preferred(a)
    b = _ask(kb, "ER+ HER2 0 MBC, progressed after anastrozole + ribociclib. AKT1 E17K not detected. Next?")
    assert not any("AKT1 E17K read as" in x for x in b["assumptions"])


@pytest.mark.parametrize(
    "q",
    [
        "ER+ HER2 0 MBC, progressed after anastrozole + ribociclib. If she has AKT1 E17K, is capivasertib + fulvestrant right?",
        "ER+ HER2 0 MBC, progressed after anastrozole + ribociclib. Is capivasertib + fulvestrant right if tissue we are testing for AKT1 E17K turns it up?",
    ],
)
def test_a_variant_supposed_or_looked_for_is_not_read(kb: Any, q: str) -> None:
    # review of session 7: a variant the question supposes or looks for is no result (it said "Yes")
    a = _ask(kb, q)
    assert not any("AKT1 E17K read as" in x for x in a["assumptions"])
    assert "AKT1 E17K" not in (a["read"].get("somatic") or [])
    assert a["answer"]["verdict"] != "yes"


def test_drugs_given_that_disagree_on_a_receptor_imply_none(kb: Any) -> None:
    # review of session 7: a CDK4/6 inhibitor given with anti-HER2 drugs read as HER2-negative (the
    # first entry of given_implies won) and the anti-HER2 drug asked about got "No"
    a = _ask(kb, "MBC, progressed on anastrozole + ribociclib + trastuzumab + pertuzumab. Is T-DM1 reasonable now?")
    assert not any("HER2-negative disease assumed" in x for x in a["assumptions"])
    assert a["answer"]["verdict"] != "no"


def test_a_verb_between_her2_and_its_score(kb: Any) -> None:
    a = _ask(kb, "Triple negative MBC, the HER2 was IHC 1+ on the liver biopsy. First line paclitaxel, progressed after 6 months. Next?")
    assert a["read"]["tumor"].get("her2_ihc") == "1+"
    assert frozenset({"trastuzumab deruxtecan"}) in _preferred(a)


def test_a_query_header_is_no_hedge(kb: Any) -> None:
    a = _ask(kb, "oncology query - germline BRCA1 carrier, TNBC, progressed on first-line paclitaxel for MBC. Next?")
    assert "BRCA1" in (a["read"].get("germline") or [])


# ----------------------------------------------------------------- intents and rulings
@pytest.mark.parametrize(
    ("q", "intent"),
    [
        ("ER+ HER2- MBC, progressed on letrozole + palbociclib and then fulvestrant. Best next option?", "next_treatment"),
        ("ER+ MBC in the liver, jaundiced. What treatment should we start?", "next_treatment"),
        ("My letrozole and Kisqali stopped working. What treatment usually comes next?", "next_treatment"),
        ("Man, 70, ER+ HER2- MBC de novo in bone. First-line systemic therapy?", "next_treatment"),
        ("On T-DXd for HER2+ MBC, grade 2 pneumonitis on prednisolone 1 mg/kg. What to do about her cancer treatment?", "next_treatment"),
        ("HER2+ MBC, trastuzumab 6 mg/kg every 3 weeks, 3 weeks late. Do we give 6 mg/kg today?", "dose"),
        ("Day 8 of eribulin, neutrophils 0.7, afebrile. Give today's dose?", "side_effects"),
        ("I'm on Verzenio and have had loose stools all day. Should I take the loperamide now?", "side_effects"),
        ("On Piqray since May, now very thirsty. Is this from the tablets?", "side_effects"),
        ("Should a 58 year old with new ER+ MBC be offered germline BRCA testing?", "tests"),
        ("New lung nodule 8 years after ER+ breast cancer. Can we treat it as a relapse, or do we need to biopsy?", "tests"),
        ("The scan shows my bone spots are brighter. Does this mean the treatment failed?", "response"),
        ("What do doctors usually recommend for breast cancer that has spread?", "overview"),
        ("What's the std of care for MBC?", "overview"),
        ("AKT1 E17K, ER+ MBC after a CDK4/6 inhibitor. Capivasertib + fulvestrant - yes or no?", "appropriate"),
    ],
)
def test_intent_wordings(kb: Any, q: str, intent: str) -> None:
    assert _ask(kb, q)["intent"] == intent


def test_biopsy_at_first_metastasis(kb: Any) -> None:
    a = _ask(kb, "New 2 cm liver lesion in a woman treated for ER+ HER2- breast cancer 9 years ago. Do we need to biopsy, or treat from the old pathology?")
    assert a["answer"]["verdict"] == "yes"
    assert "re-test ER, PR and HER2" in a["answer"]["text"]
    b = _ask(kb, "Liver biopsy showed ER+ HER2 0 metastasis 9 years after early breast cancer. Which tests before starting treatment?")
    assert not b["answer"]["text"].startswith("Yes, biopsy it")


def test_alternatives_with_words_around_or(kb: Any) -> None:
    a = _ask(kb, "Relapse in bone 7 years after finishing adjuvant letrozole. Starting ribociclib. Is anastrozole fine as the partner or should it be fulvestrant?")
    assert a["answer"]["verdict"] == "yes"
    assert a["answer"]["text"].startswith("Of ")


def test_chemotherapy_instead_of_endocrine_first_without_crisis(kb: Any) -> None:
    q = "50F premenopausal, ER+ HER2- de novo MBC, many liver mets, {}. Is paclitaxel first appropriate rather than OFS + AI + CDK4/6i?"
    a = _ask(kb, q.format("bilirubin normal, no symptoms"))
    assert a["answer"]["verdict"] == "no"
    assert "visceral crisis" in a["answer"]["text"]
    b = _ask(kb, q.format("bilirubin rising fast, jaundiced"))
    assert not b["answer"]["text"].startswith("No - without visceral crisis")


def test_chemotherapy_instead_of_endocrine_ruling_is_for_the_first_line_only(kb: Any) -> None:
    # review of session 7: the first-line ruling ("endocrine therapy first") said "No" to chemotherapy
    # after two endocrine lines; a ruling whose `when` the plan's facts rule out is not used
    a = _ask(kb, "ER+ HER2- MBC after 2 lines of endocrine therapy, liver mets. Should we give capecitabine instead of endocrine therapy?")
    assert not a["answer"]["text"].startswith("No - without visceral crisis")
    assert a["answer"]["verdict"] != "no"


def test_her2_zero_without_the_staining_pattern_does_not_settle_tdxd(kb: Any) -> None:
    q = "ER+ MBC, progressed on 2 lines of endocrine therapy, no chemo yet. HER2 {}. Is T-DXd an option?"
    assert _ask(kb, q.format("0"))["answer"]["verdict"] == "depends"
    assert _ask(kb, q.format("IHC 0, no membrane staining at all"))["answer"]["verdict"] == "no"
    assert _ask(kb, q.format("IHC 1+"))["answer"]["verdict"] != "depends"


# ----------------------------------------------------------------- class-only courses (stand-ins)
def test_chemo_lines_named_without_drugs_in_tnbc(kb: Any) -> None:
    a = _ask(kb, "TNBC, HER2 IHC 1+, after one line of chemotherapy for metastatic disease. Next?")
    assert any("chemotherapy lines named without their drugs" in x for x in a["assumptions"])
    assert frozenset({"trastuzumab deruxtecan"}) in _preferred(a)
    # HR+ disease: the endocrine history is not guessed - the answer depends on it
    b = _ask(kb, "HR+ HER2-low (IHC 1+) MBC after one line of chemotherapy. Next?")
    assert not any("chemotherapy lines named without their drugs" in x for x in b["assumptions"])
    assert b["answer"]["verdict"] == "depends"


def test_early_chemo_named_by_class_counts_for_sacituzumab(kb: Any) -> None:
    q = "Triple negative MBC, HER2 0, {} relapse with lung mets; first-line paclitaxel for metastatic disease, progressed. Next?"
    a = _ask(kb, q.format("neoadjuvant chemo and surgery 2023,"))
    assert any("(neo)adjuvant chemotherapy named without its drugs" in x for x in a["assumptions"])
    assert frozenset({"sacituzumab govitecan"}) in _preferred(a)
    b = _ask(kb, q.format("no neoadjuvant chemo,"))
    assert not any("(neo)adjuvant chemotherapy named without its drugs" in x for x in b["assumptions"])


def test_a_numbered_line_is_metastatic_whatever_else_the_sentence_says(kb: Any) -> None:
    a = _ask(kb, "TNBC, progressed on first-line pembrolizumab + nab-paclitaxel, also had neoadjuvant chemo in 2022. Next?")
    pem = [t for t in a["read"]["prior_therapies"] if "pembrolizumab" in t["drugs"]]
    assert pem and pem[0]["setting"] == "metastatic"


@pytest.mark.parametrize(
    ("q", "intent"),
    [
        ("HER2+ MBC progressed on THP and then T-DXd. Options at this stage?", "next_treatment"),
        ("Could you suggest a treatment for ER+ HER2 1+ MBC after letrozole + ribociclib and fulvestrant?", "next_treatment"),
        ("HER2-positive MBC, two new brain mets after T-DXd, body disease stable. How to proceed?", "next_treatment"),
        ("Progressed on first-line pembrolizumab + paclitaxel for TNBC. What is the second-line treatment?", "next_treatment"),
        ("My mum's cancer spread to her liver after years on tamoxifen. What treatment will she get?", "next_treatment"),
        ("Does she need a brain MRI if she has no symptoms?", "tests"),
        ("Should we retest HER2 on the liver biopsy?", "tests"),
        ("Is there a study my husband could join?", "trials"),
    ],
)
def test_intent_wordings_battery(kb: Any, q: str, intent: str) -> None:
    assert _ask(kb, q)["intent"] == intent


def test_within_n_months_after_a_course_dates_it(kb: Any) -> None:
    a = _ask(kb, "Progressed on letrozole + ribociclib within 4 months, HR+ HER2 1+. Next?")
    assert any("4 months for metastatic disease" in x for x in a["assumptions"])
    assert frozenset({"trastuzumab deruxtecan"}) in _preferred(a)


def test_a_no_verdict_names_no_assumption_it_does_not_rest_on(kb: Any) -> None:
    a = _ask(kb, "Progressed on letrozole + palbociclib. QTcF 510 ms. Is ribociclib ok?")
    assert a["answer"]["verdict"] == "no"
    assert "assuming" not in a["answer"]["text"].split(":")[0].lower()


def test_how_many_tablets_is_a_dose_question(kb: Any) -> None:
    assert _ask(kb, "How many tablets of Verzenio do I take each day?", "patient")["intent"] == "dose"


def test_a_course_listed_with_then_is_given(kb: Any) -> None:
    q = (
        "Postmenopausal, ER+ HER2-, metastatic since 2025: letrozole + ribociclib first line, then fulvestrant + "
        "alpelisib for a PIK3CA mutation; now progressing, ESR1 negative. Next line?"
    )
    a = _ask(kb, q)
    given = [set(t["drugs"]) for t in a["read"]["prior_therapies"]]
    assert {"fulvestrant", "alpelisib"} in given
    assert "alpelisib" not in _drugs(a) and "fulvestrant" not in _drugs(a)
    b = _ask(kb, "ER+ HER2- MBC progressing on letrozole + ribociclib. Then start fulvestrant + capivasertib?")
    assert not any({"fulvestrant", "capivasertib"} <= set(t["drugs"]) for t in b["read"].get("prior_therapies") or [])


def test_her2_low_named_without_a_score(kb: Any) -> None:
    a = _ask(kb, "HER2-low TNBC after one chemo line for metastatic disease. Next?")
    assert a["read"]["tumor"].get("her2_ihc") == "1+"
    assert frozenset({"trastuzumab deruxtecan"}) in _preferred(a)
    assert _ask(kb, "What is HER2-low?")["read"].get("tumor", {}).get("her2_ihc") is None


def test_an_other_recommended_option_reads_with_an(kb: Any) -> None:
    a = _ask(kb, "ER+ HER2- MBC, PIK3CA mutated, progressed on letrozole + palbociclib, postmenopausal, no diabetes. Is alpelisib + fulvestrant appropriate?")
    assert " a other " not in a["answer"]["text"]


def test_an_infectious_pneumonitis_is_no_ild_but_raises_the_lung_history(kb: Any) -> None:
    q = "HR+ HER2-low MBC, progressed on letrozole + palbociclib and then capecitabine. {} Is T-DXd appropriate?"
    covid = _ask(kb, q.format("COVID pneumonitis in 2021, resolved, CT clear."))
    assert "interstitial_lung_disease" not in (covid["read"].get("comorbidities") or [])
    assert covid["answer"]["verdict"] == "depends"
    assert "lung history" in covid["answer"]["text"].split(" - ")[0]
    ild = _ask(kb, q.format("Prior ILD needing steroids in 2021."))
    assert ild["answer"]["verdict"] == "no"
    plain = _ask(kb, q.format(""))
    assert plain["answer"]["verdict"] == "yes"
