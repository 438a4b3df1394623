"""Session 10 (issue 12, s10-askp): what the question says about the patient. Drugs asked about,
compared, listed as choices or proposed are never courses given; relapse timing, lines and other premises.
Every question here is worded for this file (none is copied from a blind set)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from mbc.answer._schema import load_answer_kb
from mbc.answer._understand import mentions

AS_OF = dt.date(2026, 11, 1)
CHEMO = {"capecitabine", "paclitaxel", "docetaxel", "nab_paclitaxel", "eribulin", "doxorubicin", "epirubicin"}


def _given(kb: Any, a: dict[str, Any]) -> set[str]:
    """Every drug id of a course the answer read as given."""
    return {kb.lookup_drug(d) or d for t in a["read"].get("prior_therapies") or [] for d in t["drugs"]}


def _marks(kb: Any, q: str) -> dict[str, bool]:
    """drug id -> given (``prior``) for each drug mention, as the question reader marks it."""
    return {m.id: m.prior for m in mentions(q, kb, load_answer_kb(kb)) if m.kind == "drug"}


# ------------------------------------------------ drugs asked about are never courses given
@pytest.mark.parametrize(
    ("q", "asked", "given"),
    [
        # a colon after a history word opens the list of choices
        (
            "ER+ HER2- MBC, PD on anastrozole + abemaciclib at 30 months. Best sequence after the CDK4/6 "
            "inhibitor: exemestane + everolimus, fulvestrant, capecitabine?",
            {"exemestane", "everolimus", "fulvestrant", "capecitabine"},
            {"anastrozole", "abemaciclib"},
        ),
        (
            "Postmenopausal, HR+ HER2-, bone and liver mets, progressed on letrozole/palbociclib (2 yrs). "
            "In what order after that: fulvestrant, elacestrant or exemestane/everolimus?",
            {"fulvestrant", "elacestrant", "everolimus", "exemestane"},
            {"letrozole", "palbociclib"},
        ),
        # a comma that opens a choice list ends the scope of "after"
        (
            "HR+ HER2- metastatic disease. What is next after letrozole + ribociclib, capivasertib or alpelisib?",
            {"capivasertib", "alpelisib"},
            {"letrozole", "ribociclib"},
        ),
        # "should we use A after B": A asked, B given
        (
            "HR+/HER2- MBC. Should we use eribulin after capecitabine failed?",
            {"eribulin"},
            {"capecitabine"},
        ),
        # a choice framed by "vs" in a bare clause
        (
            "TNBC, lung mets, 1L paclitaxel + pembrolizumab with PD at 7 months. Sacituzumab vs eribulin now?",
            {"sacituzumab_govitecan", "eribulin"},
            {"paclitaxel", "pembrolizumab"},
        ),
        # a yes / no question with the history after the drug asked
        (
            "Is fulvestrant reasonable after PD on anastrozole + palbociclib? ER 90%, HER2 0.",
            {"fulvestrant"},
            {"anastrozole", "palbociclib"},
        ),
    ],
)
def test_drugs_asked_about_are_not_given(kb: Any, q: str, asked: set[str], given: set[str], ask_json: Any) -> None:
    marks = _marks(kb, q)
    assert all(marks[d] is False for d in asked), marks
    assert all(marks[d] is True for d in given), marks
    a = ask_json(q)
    assert not (_given(kb, a) & asked), a["read"].get("prior_therapies")


@pytest.mark.parametrize(
    "q",
    [
        "Why not capecitabine? She progressed on letrozole + palbociclib, ER+ HER2-negative metastatic.",
        "HR+ HER2- MBC after anastrozole + ribociclib, PIK3CA H1047R. Any reason not to give capivasertib?",
        "ER+ HER2- MBC, PD on letrozole and abemaciclib. Shouldn't we give everolimus with exemestane?",
    ],
)
def test_a_negation_that_frames_the_question_asks_about_the_drug(kb: Any, q: str, ask_json: Any) -> None:
    a = ask_json(q)
    assert a["intent"] == "appropriate", a["intent"]
    assert a["about"]["drugs"], a["about"]
    assert not (_given(kb, a) & set(a["about"]["drugs"])), a["read"].get("prior_therapies")


def test_a_real_negation_in_a_question_stays_a_negation(kb: Any) -> None:
    # "no chemo so far" denies chemotherapy; "not paclitaxel" after a choice excludes it
    marks = {m.id: m.negated for m in mentions(
        "HR+ HER2- MBC, never had capecitabine. What next after letrozole + palbociclib?", kb, load_answer_kb(kb)
    ) if m.kind == "drug"}  # fmt: skip
    assert marks["capecitabine"] is True


@pytest.mark.parametrize(
    ("q", "given"),
    [
        # history written inside the asking sentence stays history
        ("HR+ HER2- MBC. What should we give after letrozole + palbociclib?", {"letrozole", "palbociclib"}),
        (
            "ER-positive HER2-negative MBC, what do we do now that she has progressed on anastrozole + ribociclib?",
            {"anastrozole", "ribociclib"},
        ),
        (
            "Progressed on fulvestrant + abemaciclib after 3 years, what now? HR+ HER2-.",
            {"fulvestrant", "abemaciclib"},
        ),
        ("HR+ HER2- MBC, is exemestane + everolimus OK after letrozole (14 mo)?", {"letrozole"}),
    ],
)
def test_history_in_an_asking_sentence_stays_given(kb: Any, q: str, given: set[str]) -> None:
    marks = _marks(kb, q)
    assert all(marks[d] is True for d in given), marks


def test_the_choice_of_the_next_line_is_not_read_as_lines_progressed_on(kb: Any, ask_json: Any, preferred: Any) -> None:
    """The safety case: three drugs asked about as an order, read as three lines progressed on, made
    chemotherapy preferred; asked about, the next line after an AI + CDK4/6 inhibitor is endocrine-based."""
    q = (
        "70F, ER+ HER2- MBC, PIK3CA H1047R on ctDNA, ESR1 not detected. Progressed on anastrozole + "
        "palbociclib after 28 months. Which order after the CDK4/6 inhibitor: elacestrant, capivasertib, "
        "everolimus? No diabetes."
    )
    a = ask_json(q)
    assert _given(kb, a) == {"anastrozole", "palbociclib"}, a["read"].get("prior_therapies")
    pref = preferred(a)
    assert pref and not any(p & CHEMO for p in pref), pref
    assert any({"capivasertib", "fulvestrant"} <= p for p in pref), pref


# ------------------------------------------------ lines written as a list
def _courses(a: dict[str, Any]) -> list[tuple[frozenset[str], str | None]]:
    return [(frozenset(t["drugs"]), t.get("setting")) for t in a["read"].get("prior_therapies") or []]


@pytest.mark.parametrize(
    "q",
    [
        "HER2+ MBC. THP 2019-21, T-DXd 2021-24, then tucatinib + trastuzumab + capecitabine 2024-Sep 2026 with PD "
        "in the liver. What next?",
        "HER2-positive metastatic: s/p THP, T-DXd and tucatinib/trastuzumab/capecitabine; new lung lesions. Next?",
        "HER2+ MBC treated with THP (2020-2022), T-DXd (2022-2025), then the HER2CLIMB regimen until progression "
        "this autumn. Options?",
    ],
)
def test_each_listed_line_is_its_own_course(kb: Any, q: str, ask_json: Any) -> None:
    a = ask_json(q)
    got = {frozenset(kb.lookup_drug(d) or d for d in c) for c, _ in _courses(a)}
    assert frozenset({"trastuzumab_deruxtecan"}) in got, got
    assert frozenset({"tucatinib", "trastuzumab", "capecitabine"}) in got, got
    assert any({"trastuzumab", "pertuzumab"} <= c for c in got), got


def test_a_year_range_after_each_item_dates_that_item(kb: Any, ask_json: Any) -> None:
    a = ask_json("HER2+ MBC. THP 2018-20, T-DXd 2020-23, then tucatinib/trastuzumab/capecitabine. Next?")
    dated = {
        frozenset(kb.lookup_drug(d) or d for d in t["drugs"]): (t.get("start"), t.get("end"))
        for t in a["read"]["prior_therapies"]
    }
    assert dated[frozenset({"trastuzumab_deruxtecan"})] == ("2020-01-01", "2023-12-31"), dated


def test_a_known_combination_joined_by_and_stays_one_course(kb: Any, ask_json: Any) -> None:
    a = ask_json(
        "HR+ HER2- MBC: had letrozole/palbociclib, fulvestrant, exemestane and everolimus. What now?"
    )
    got = {frozenset(kb.lookup_drug(d) or d for d in c) for c, _ in _courses(a)}
    assert frozenset({"exemestane", "everolimus"}) in got, got


@pytest.mark.parametrize(
    "q",
    [
        # an early cancer is named, so a course with no setting is not metastatic by default
        "ER+ HER2-low breast cancer, adjuvant AC-T and tamoxifen 2014-2019. Relapse 2021: letrozole + palbociclib "
        "(1L, 30 mo), fulvestrant (5 mo), capecitabine (9 mo), then T-DXd - PD now in liver. No ESR1/PIK3CA/AKT1/PTEN. "
        "What next?",
        "Lumpectomy and adjuvant letrozole 2012-17 for ER+ cancer; bone and liver relapse 2020, HER2 IHC 1+. Since "
        "then anastrozole + abemaciclib (1L, 2 yrs), fulvestrant (6 months), eribulin (7 months), then Enhertu, "
        "progressing now; ESR1, PIK3CA, AKT1, PTEN all wild type. Next line?",
    ],
)
def test_a_course_listed_after_a_metastatic_line_is_metastatic(kb: Any, q: str, ask_json: Any, preferred: Any) -> None:
    a = ask_json(q)
    settings = {c: s for c, s in _courses(a)}
    assert settings.get(frozenset({"fulvestrant"})) == "metastatic", settings
    assert any({"sacituzumab_govitecan"} <= p for p in preferred(a)), preferred(a)


# ------------------------------------------------ a test that "came back" is no recurrence
@pytest.mark.parametrize(
    "q",
    [
        "De novo ER 90% HER2 0 MBC, bone only, 67F. Her baseline ECG came back with a QTcF of 431 ms. First line?",
        "Newly diagnosed de novo metastatic ER+ HER2-negative breast cancer in a 72 year old; the staging CT has come "
        "back with bone disease only. Which first-line treatment?",
    ],
)
def test_a_test_that_came_back_does_not_block_first_line(kb: Any, q: str, ask_json: Any, preferred: Any) -> None:
    a = ask_json(q)
    pref = preferred(a)
    assert any(
        p & {"letrozole", "anastrozole"} and p & {"ribociclib", "abemaciclib", "palbociclib"} for p in pref
    ), a["answer"]["text"]


# ------------------------------------------------ a rise in bilirubin told by its earlier value
@pytest.mark.parametrize(
    "q",
    [
        "ER+ HER2- MBC with extensive liver mets, untreated so far. Bilirubin 58 umol/L up from 15 ten days ago, "
        "ALT 5x ULN. What do we start?",
        "HR+ HER2-negative, liver metastases, no prior therapy for MBC. Bili went from 1.1 to 3.4 mg/dL over two "
        "weeks, liver enzymes climbing. Treatment?",
    ],
)
def test_a_bilirubin_rise_told_by_its_earlier_value_is_visceral_crisis(kb: Any, q: str, ask_json: Any, preferred: Any) -> None:
    a = ask_json(q)
    assert a["plan"]["classification"]["visceral_crisis"] is True, a["assumptions"]
    pref = preferred(a)
    assert pref and not any(p & {"letrozole", "anastrozole", "fulvestrant"} for p in pref), pref


# ------------------------------------------------ a stand-in for a class beside the course named
@pytest.mark.parametrize(
    "q",
    [
        "ER+ HER2- MBC, 62F. Progressed on anastrozole + Kisqali after 3 years. After CDK4/6i, what is next? PIK3CA "
        "and ESR1 not detected.",
        "HR+ HER2- metastatic, PD on letrozole + abemaciclib (2 yrs). Options after ET + CDK4/6 inhibitor with no "
        "actionable mutation?",
    ],
)
def test_a_class_stand_in_is_not_added_beside_the_named_course(kb: Any, q: str, ask_json: Any, preferred: Any) -> None:
    a = ask_json(q)
    assert len(a["read"]["prior_therapies"]) == 1, a["read"]["prior_therapies"]
    pref = preferred(a)
    assert pref and not any(p & CHEMO for p in pref), pref


def test_a_class_named_alone_still_gets_its_stand_in(kb: Any, ask_json: Any) -> None:
    a = ask_json("HR+ HER2- MBC after AI + CDK4/6i, PD now, ESR1 Y537S. What next?")
    assert a["read"]["prior_therapies"], a["read"]


# ------------------------------------------------ a partner stopped for toxicity belongs to its line
@pytest.mark.parametrize(
    "q",
    [
        "ER+ HER2- MBC, postmenopausal. Palbociclib stopped after 2 months for grade 4 neutropenia, letrozole "
        "continued alone, now PD after 14 months. What should come next?",
        "ER+ HER2- MBC. Stopped abemaciclib for diarrhoea (intolerance), disease stable on letrozole alone. Now slow "
        "progression in bone. Next step?",
    ],
)
def test_a_partner_stopped_for_toxicity_is_one_line_with_the_drug_continued(kb: Any, q: str, ask_json: Any, preferred: Any) -> None:
    a = ask_json(q)
    courses = a["read"]["prior_therapies"]
    assert len(courses) == 1 and len(courses[0]["drugs"]) == 2, courses
    assert courses[0]["stop_reason"] == "progression", courses
    pref = preferred(a)
    assert pref and not any(p & CHEMO for p in pref), pref


# ------------------------------------------------ "and" between two regimens parts two lines
def test_and_between_two_regimens_parts_two_lines(kb: Any, ask_json: Any) -> None:
    a = ask_json("ER+ HER2- MBC, PD after anastrozole + palbociclib and fulvestrant. Next?")
    got = {frozenset(kb.lookup_drug(d) or d for d in c) for c, _ in _courses(a)}
    assert frozenset({"anastrozole", "palbociclib"}) in got and frozenset({"fulvestrant"}) in got, got


def test_a_comma_inside_one_regimen_parts_nothing(kb: Any, ask_json: Any) -> None:
    a = ask_json("HER2+ MBC, s/p docetaxel, trastuzumab and pertuzumab, then T-DXd, now PD. Next?")
    got = {frozenset(kb.lookup_drug(d) or d for d in c) for c, _ in _courses(a)}
    assert frozenset({"docetaxel", "trastuzumab", "pertuzumab"}) in got, got


# ------------------------------------------------ relapse told as a time after a course ended
@pytest.mark.parametrize(
    "q",
    [
        "HER2+ breast cancer, brain and liver mets 4 months after her last adjuvant trastuzumab dose. What now?",
        "HER2-positive disease: lung metastases three months after completing adjuvant trastuzumab. Treatment?",
    ],
)
def test_relapse_months_after_the_last_adjuvant_dose_dates_that_course(kb: Any, q: str, ask_json: Any, preferred: Any) -> None:
    a = ask_json(q)
    ended = [t.get("end") for t in a["read"]["prior_therapies"] if "trastuzumab" in t["drugs"]]
    assert ended and ended[0] and ended[0] >= "2026-06", a["read"]["prior_therapies"]
    assert any("trastuzumab_deruxtecan" in p for p in preferred(a)), preferred(a)


def test_relapse_years_after_finishing_the_ai_is_a_late_relapse(kb: Any, ask_json: Any) -> None:
    a = ask_json(
        "ER+ HER2- breast cancer, recurred in the lungs 3 years after completing adjuvant anastrozole. 70F. 1L?",
    )
    ended = [t.get("end") for t in a["read"]["prior_therapies"] if "anastrozole" in t["drugs"]]
    assert ended and ended[0] and ended[0] <= "2024-01-01", a["read"]["prior_therapies"]


def test_a_course_for_some_years_then_pd_ended_at_progression(kb: Any, ask_json: Any) -> None:
    a = ask_json("ER+ HER2- MBC, 1L AI + palbo for 3 years then PD; ESR1 D538G found on liquid biopsy. Next?")
    stops = {t.get("stop_reason") for t in a["read"]["prior_therapies"]}
    assert stops == {"progression"}, a["read"]["prior_therapies"]


# ------------------------------------------------ "A, or <verb> B?" names two alternatives
@pytest.mark.parametrize(
    ("q", "best"),
    [
        (
            "ER+ HER2- MBC on letrozole + palbociclib, now PD in the liver. Should we go to capecitabine, or try "
            "everolimus + exemestane? No ESR1 or PIK3CA mutation.",
            "everolimus",
        ),
        (
            "Postmenopausal, ER+ HER2-, progression after 2 years of anastrozole + palbociclib, ESR1 Y537S. Would "
            "fulvestrant alone do, or is elacestrant better?",
            "elacestrant",
        ),
    ],
)
def test_an_or_followed_by_a_verb_parts_two_alternatives(kb: Any, q: str, best: str, ask_json: Any) -> None:
    a = ask_json(q)
    assert a["intent"] == "appropriate", a["intent"]
    assert a["answer"]["verdict"] == "yes", a["answer"]["text"]
    assert a["answer"]["text"].lower().split(":")[1].find(best) >= 0, a["answer"]["text"]


# ------------------------------------------------ declined: neither given nor asked, and read as a refusal
@pytest.mark.parametrize(
    "q",
    [
        "ER+ HER2- MBC, progressed on letrozole + palbociclib, then on fulvestrant. She doesn't want chemo. ESR1 "
        "and PIK3CA wild type, HER2 0. Options?",
        "ER+ HER2- MBC after letrozole + ribociclib and then fulvestrant. She refuses any more chemotherapy. No "
        "ESR1 or PIK3CA mutation, HER2 0. What can we offer?",
        "HR+ HER2- metastatic, PD on anastrozole + abemaciclib. Wants to avoid chemotherapy. PIK3CA H1047R. Next?",
    ],
)
def test_chemotherapy_declined_in_words_is_a_refusal_not_a_question(kb: Any, q: str, ask_json: Any, preferred: Any) -> None:
    a = ask_json(q)
    assert a["read"].get("preferences", {}).get("declines_chemotherapy") is True, a["read"]
    assert not a["about"]["classes"] and not a["about"]["drugs"], a["about"]
    assert not any(p & CHEMO for p in preferred(a)), preferred(a)


def test_a_drug_that_was_declined_is_no_course(kb: Any, ask_json: Any) -> None:
    a = ask_json(
        "TNBC lung mets, PD after paclitaxel + pembrolizumab and then sacituzumab. Eribulin was declined. Next?",
    )
    assert "eribulin" not in _given(kb, a), a["read"]["prior_therapies"]
    assert "eribulin" not in a["about"]["drugs"], a["about"]


def test_chemotherapy_not_refused_is_no_refusal(kb: Any, ask_json: Any) -> None:
    a = ask_json(
        "ER+ HER2- MBC after letrozole + ribociclib. She is not refusing chemo but prefers tablets. Next?"
    )
    assert not a["read"].get("preferences", {}).get("declines_chemotherapy"), a["read"]


# ------------------------------------------------ genes reported without an alteration, in shorthand
@pytest.mark.parametrize(
    ("q", "genes"),
    [
        ("ER+ HER2- MBC after anastrozole + ribociclib. ESR1-, PIK3CA-. What next?", {"ESR1", "PIK3CA"}),
        (
            "ER+ HER2- MBC post letrozole + abemaciclib; AKT1/PTEN/PIK3CA: none found. Next line?",
            {"AKT1", "PTEN", "PIK3CA"},
        ),
        (
            "ER+ HER2- MBC after letrozole + palbociclib. Both PIK3CA and ESR1 came back negative. Next?",
            {"ESR1", "PIK3CA"},
        ),
    ],
)
def test_genes_reported_without_an_alteration_in_shorthand(kb: Any, q: str, genes: set[str], ask_json: Any) -> None:
    a = ask_json(q)
    wild = {s.split()[0] for s in a["read"].get("somatic") or [] if s.endswith("wildtype")}
    assert genes <= wild, a["read"].get("somatic")


def test_genes_only_asked_about_are_not_read_as_negative(kb: Any, ask_json: Any) -> None:
    a = ask_json(
        "ER+ HER2- MBC after letrozole + palbociclib. Should we check whether ESR1 and PIK3CA are negative?",
    )
    assert not a["read"].get("somatic"), a["read"].get("somatic")


@pytest.mark.parametrize(
    ("q", "ihc"),
    [
        (
            "HR+ MBC after letrozole + palbociclib and capecitabine; HER2 IHC score of 2, ISH negative. Next?",
            "2+",
        ),
        ("ER+ MBC, PD on anastrozole + ribociclib then paclitaxel. HER2 scored 1 on IHC. What now?", "1+"),
    ],
)
def test_a_her2_score_written_as_a_score(kb: Any, q: str, ihc: str, ask_json: Any) -> None:
    a = ask_json(q)
    assert a["read"]["tumor"].get("her2_ihc") == ihc, a["read"]["tumor"]
