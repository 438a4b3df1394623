"""Issue 11, session 6: assertion of what a note says — one test per modifier class, each with
varied phrasings written for these tests (not taken from any blind set), and each paired with
what must still be read (a withheld fact is never bought with a lost one).

Classes: negation (lists, templated ROS, "except"), form lines (boxes, "Item: no"), family
experiencer, hypothetical / conditional, options and differentials, uncertainty, asked about,
recommended / planned, declined, trial screening, question sentences, medications no longer
taken or given once, one status per medication, and the scope spec's schema check.
"""

from __future__ import annotations

import datetime as dt

import pytest
from pydantic import ValidationError

from mbc.ingest import extract
from mbc.ingest._data import load_yaml
from mbc.ingest._note_scope import ScopeSpec, compile_scope

pytestmark = pytest.mark.filterwarnings("ignore::UserWarning")
AS_OF = dt.date(2026, 11, 20)


def _read(text: str) -> dict:
    return extract(text, kind="note", as_of=AS_OF).record


def _given(rec: dict) -> set[str]:
    return {d for t in rec.get("prior_therapies", []) for d in t["drugs"]}


def _sites(rec: dict) -> set[str]:
    return set((rec.get("metastases") or {}).get("sites") or [])


# ---------------------------------------------------------------- negation


@pytest.mark.parametrize(
    ("text", "absent"),
    [
        ("Metastatic HR+ disease on letrozole. Denies jaundice, cough or headache.", {"jaundice", "cough", "headache"}),
        ("Metastatic HR+ disease on letrozole. She has had no nausea, no vomiting and no diarrhoea.", {"nausea", "vomiting", "diarrhea"}),
        ("Metastatic HR+ disease on letrozole.\nNegatives: fever, cough, headache", {"fever", "cough", "headache"}),
        ("Metastatic HR+ disease on letrozole.\nConstitutional: negative for fever and weight loss.", {"fever", "weight loss"}),
        ("Metastatic HR+ disease on letrozole.\nAllergies: penicillin (rash), codeine (nausea).", {"rash", "nausea"}),
    ],
)
def test_negated_symptom_lists_are_not_symptoms(text: str, absent: set[str]) -> None:
    rec = _read(text)
    assert not set(rec.get("symptoms") or []) & absent
    assert "letrozole" in _given(rec)


@pytest.mark.parametrize(
    ("text", "present"),
    [
        ("Metastatic breast cancer on letrozole. ROS: negative except fatigue and nausea.", {"fatigue", "nausea"}),
        ("Metastatic breast cancer on letrozole. Review of systems negative apart from bone pain.", {"bone pain"}),
        ("Metastatic breast cancer on letrozole. No complaints other than fatigue.", {"fatigue"}),
        ("Metastatic breast cancer on letrozole. Denies fever; reports nausea.", {"nausea"}),
        ("Metastatic breast cancer on letrozole. No fever and she reports headaches.", {"headache"}),
    ],
)
def test_templated_ros_keeps_the_exceptions(text: str, present: set[str]) -> None:
    assert present <= set(_read(text).get("symptoms") or [])


def test_negated_comorbidity_and_site_lists() -> None:
    rec = _read("Metastatic breast cancer, bone only, on letrozole. Not diabetic, no ILD, no heart failure.")
    assert not rec.get("comorbidities")
    assert _sites(rec) == {"bone"}
    rec = _read("Metastatic breast cancer on letrozole. No evidence of hepatic, pulmonary or cerebral metastases on CT.")
    assert not _sites(rec) & {"liver", "lung", "brain"}


# ---------------------------------------------------------------- form lines


@pytest.mark.parametrize(
    "text",
    [
        "Metastatic breast cancer on letrozole.\nComorbidities: [ ] Diabetes  [X] Hypertension  [ ] Heart failure  [ ] ILD",
        "Metastatic breast cancer on letrozole.\nComorbidities: \u2610 diabetes \u2610 heart failure \u2610 ILD",
        "Metastatic breast cancer on letrozole.\nDiabetes: No\nHeart failure: no\nILD: unknown",
        "Metastatic breast cancer on letrozole.\nDiabetes: none\nInterstitial lung disease: n/a",
    ],
)
def test_an_unticked_box_or_a_no_answer_is_not_a_fact(text: str) -> None:
    rec = _read(text)
    assert not rec.get("comorbidities")
    assert "letrozole" in _given(rec)


@pytest.mark.parametrize(
    "text",
    [
        "Metastatic breast cancer on letrozole.\nPMH:\n  Type 2 diabetes: [ ] Yes [x] No\n  Heart failure: [ ] Yes [X] No",
        "Metastatic breast cancer on letrozole.\nType 2 diabetes  \u2610 yes  \u2612 no\nILD  \u2610 yes  \u2612 no",
        "Metastatic breast cancer on letrozole.\nHeart failure ( ) yes ( ) no",
        "Metastatic breast cancer on letrozole.\nComorbidities (tick): type 2 diabetes [ ]  heart failure [ ]  hypertension [x]",
    ],
)
def test_option_boxes_take_the_ticked_answer(text: str) -> None:
    assert not _read(text).get("comorbidities")


def test_a_ticked_yes_or_a_box_after_its_item_is_a_fact() -> None:
    rec = _read("Metastatic breast cancer on letrozole.\nType 2 diabetes \u2612 yes \u2610 no\nILD \u2610 yes \u2612 no")
    assert rec.get("comorbidities") == ["diabetes_type2"]
    rec = _read("Metastatic breast cancer on letrozole.\nComorbidities: type 2 diabetes [x]  heart failure [ ]")
    assert rec.get("comorbidities") == ["diabetes_type2"]


def test_a_ticked_box_and_a_yes_answer_are_facts() -> None:
    rec = _read("Metastatic breast cancer on letrozole.\nSymptoms: \u2610 cough \u2612 fatigue \u2610 headache")
    assert rec.get("symptoms") == ["fatigue"]
    rec = _read("Metastatic breast cancer on letrozole.\nBrain metastases: none\nLiver metastases: yes")
    assert "liver" in _sites(rec)
    assert "brain" not in _sites(rec)
    assert "diabetes_type2" in (_read("Metastatic breast cancer on letrozole.\n[x] type 2 diabetes").get("comorbidities") or [])


# ---------------------------------------------------------------- family experiencer


@pytest.mark.parametrize(
    "text",
    [
        "Metastatic breast cancer on letrozole. Her niece carries a BRCA2 mutation; patient untested.",
        "Metastatic breast cancer on letrozole. Dad had prostate cancer with a BRCA2 variant.",
        "Metastatic breast cancer on letrozole. Her mum's sister was found to have a PALB2 variant.",
        "Metastatic breast cancer on letrozole.\nFH: BRCA1 pathogenic variant in a cousin.",
    ],
)
def test_a_relatives_variant_is_not_the_patients(text: str) -> None:
    rec = _read(text)
    assert not [g for g in rec.get("germline") or [] if g.get("gene") in ("BRCA1", "BRCA2", "PALB2")]


# ---------------------------------------------------------------- hypothetical / conditional / options


@pytest.mark.parametrize(
    ("text", "not_given"),
    [
        ("Metastatic HR+ disease on letrozole and palbociclib. If progression then fulvestrant plus capivasertib.", {"fulvestrant", "capivasertib"}),
        ("Metastatic HR+ disease on letrozole and palbociclib. Should she progress, we would move to everolimus with exemestane.", {"everolimus", "exemestane"}),
        ("Metastatic HR+ disease on letrozole and palbociclib. Everolimus would be the next step at progression.", {"everolimus"}),
        ("Metastatic HR+ disease on letrozole and palbociclib. When PD occurs, elacestrant is kept in reserve.", {"elacestrant"}),
    ],
)
def test_conditional_next_steps_are_not_given(text: str, not_given: set[str]) -> None:
    given = _given(_read(text))
    assert {"letrozole", "palbociclib"} <= given
    assert not given & not_given


@pytest.mark.parametrize(
    ("text", "not_given"),
    [
        ("Metastatic HR+ disease on fulvestrant. Next line choices: capecitabine, paclitaxel or eribulin depending on her wishes.", {"capecitabine", "paclitaxel", "eribulin"}),
        ("Metastatic HR+ disease on fulvestrant. Discussed paclitaxel (for speed of response) vs capecitabine (oral).", {"paclitaxel", "capecitabine"}),
        ("Metastatic HR+ disease on fulvestrant. Options: eribulin in view of her liver disease, or vinorelbine, or capecitabine.", {"eribulin", "vinorelbine", "capecitabine"}),
        ("Metastatic HR+ disease on fulvestrant. We might offer capecitabine because of the liver, or else paclitaxel.", {"capecitabine", "paclitaxel"}),
    ],
)
def test_every_item_of_an_options_list_is_not_given(text: str, not_given: set[str]) -> None:
    given = _given(_read(text))
    assert "fulvestrant" in given
    assert not given & not_given


def test_a_drug_the_patient_is_on_stays_given_beside_a_listed_option() -> None:
    given = _given(_read("Metastatic HR+ disease. Remains on fulvestrant, and capecitabine or eribulin were discussed."))
    assert "fulvestrant" in given
    assert not given & {"capecitabine", "eribulin"}


def test_a_differential_is_not_a_site() -> None:
    rec = _read("Metastatic HR+ disease on fulvestrant, bone only. New liver lesion: metastasis vs abscess.")
    assert "liver" not in _sites(rec)
    assert "bone" in _sites(rec)


# ---------------------------------------------------------------- uncertainty


@pytest.mark.parametrize(
    ("text", "absent"),
    [
        ("Metastatic HR+ disease on fulvestrant, bone only. CT: 6 mm lung nodule, probably benign.", "lung"),
        ("Metastatic HR+ disease on fulvestrant, bone only. Liver lesion indeterminate, for MRI.", "liver"),
        ("Metastatic HR+ disease on fulvestrant, bone only. Brain MRI: cannot rule out a small cerebellar metastasis.", "brain"),
        ("Metastatic HR+ disease on fulvestrant, bone only. ?liver mets on US - CT requested.", "liver"),
        ("Metastatic HR+ disease on fulvestrant, bone only. Differential includes a lung metastasis.", "lung"),
    ],
)
def test_an_uncertain_finding_is_not_a_site(text: str, absent: str) -> None:
    sites = _sites(_read(text))
    assert absent not in sites
    assert "bone" in sites


# ---------------------------------------------------------------- asked / recommended / declined / screened


@pytest.mark.parametrize(
    ("text", "not_given"),
    [
        ("Metastatic HR+ disease on fulvestrant. She enquired whether elacestrant would suit her.", {"elacestrant"}),
        ("Metastatic HR+ disease on fulvestrant. Her husband asked the team about olaparib.", {"olaparib"}),
        ("Metastatic HR+ disease on fulvestrant. The patient ask about everolimus.", {"everolimus"}),
        ("Metastatic HR+ disease on fulvestrant. We are still weighing capivasertib against alpelisib.", {"capivasertib", "alpelisib"}),
        ("Metastatic HR+ disease on fulvestrant. Oncologist wants to start abemaciclib next month.", {"abemaciclib"}),
        ("Metastatic HR+ disease on fulvestrant. Team recommends adding ribociclib.", {"ribociclib"}),
        ("Metastatic HR+ disease on fulvestrant. The patient refused chemotherapy with docetaxel.", {"docetaxel"}),
        ("Metastatic HR+ disease on fulvestrant. She does not want paclitaxel because of hair loss.", {"paclitaxel"}),
        ("Metastatic HR+ disease on fulvestrant. Being screened for a trial of giredestrant.", {"giredestrant"}),
        ("Metastatic HR+ disease on fulvestrant. Is olaparib an option for her?", {"olaparib"}),
        ("Metastatic HR+ disease on fulvestrant. Piano: se progressione valutare capecitabina.", {"capecitabine"}),
    ],
)
def test_asked_recommended_declined_or_screened_drugs_are_not_given(text: str, not_given: set[str]) -> None:
    given = _given(_read(text))
    assert "fulvestrant" in given
    assert not given & not_given


@pytest.mark.parametrize(
    "text",
    [
        "Metastatic HR+ disease on anastrozole and ribociclib; she takes omeprazole. Can she take clarithromycin?",
        "Metastatic HR+ disease on anastrozole and ribociclib. GP prescribed clarithromycin 500 mg bd.\nQ: safe to give clarithro?",
        "Metastatic HR+ disease on anastrozole and ribociclib. Is it OK to add clarithromycin for her chest infection?",
    ],
)
def test_a_medication_asked_about_is_not_a_current_medication(text: str) -> None:
    rec = _read(text)
    assert "clarithromycin" not in (rec.get("medications") or [])
    assert {"anastrozole", "ribociclib"} <= _given(rec)


def test_a_question_does_not_withhold_what_the_patient_is_on() -> None:
    rec = _read("Metastatic HR+ disease. She takes omeprazole and amlodipine. Interaction with ribociclib?")
    assert {"omeprazole", "amlodipine"} <= set(rec.get("medications") or [])
    rec = _read("Metastatic TNBC on sacituzumab govitecan since June. Any role for adding G-CSF?")
    assert "sacituzumab_govitecan" in {d.replace(" ", "_") for d in _given(rec)}
    rec = _read("Meds: apixaban 5 mg bd, sertraline 50 mg; flagged: on tamoxifen? No.")
    assert {"apixaban", "sertraline"} <= set(rec.get("medications") or [])


# ---------------------------------------------------------------- medications ended / given once


@pytest.mark.parametrize(
    ("text", "med"),
    [
        ("Metastatic HR+ disease on letrozole. Steroid diabetes needed metformin, which has since been stopped.", "metformin"),
        ("Metastatic HR+ disease on letrozole. Took lansoprazole until last year, not now.", "lansoprazole"),
        ("Metastatic HR+ disease on letrozole.\nPremedication: dexamethasone 8 mg IV, ondansetron 8 mg IV", "ondansetron"),
        ("Metastatic HR+ disease on letrozole. Granisetron given in unit today only (single dose).", "granisetron"),
    ],
)
def test_a_medication_stopped_or_given_once_is_not_current(text: str, med: str) -> None:
    rec = _read(text)
    assert med not in (rec.get("medications") or [])
    assert "letrozole" in _given(rec)


def test_a_cancer_drug_that_was_stopped_is_still_a_therapy_given() -> None:
    rec = _read("Metastatic HR+ disease. Letrozole with palbociclib, which was stopped in 2025 at progression; now on fulvestrant.")
    assert {"letrozole", "palbociclib", "fulvestrant"} <= _given(rec)


def test_improved_symptom_is_not_current_but_a_remaining_one_is() -> None:
    rec = _read("Metastatic HR+ disease on letrozole. Cough much improved, still breathless on stairs.")
    assert "cough" not in (rec.get("symptoms") or [])
    assert any(s.startswith("dyspnea") for s in rec.get("symptoms") or [])


# ---------------------------------------------------------------- the scope spec is data, checked


def test_the_scope_spec_of_the_shipped_kb_is_valid_and_strict() -> None:
    doc = load_yaml("nlp/context.yaml")["scope"]
    assert compile_scope(doc) is not None
    with pytest.raises(ValidationError):
        ScopeSpec.model_validate({**doc, "lists": {**doc["lists"], "unknown_key": 1}})
    with pytest.raises(ValidationError):
        ScopeSpec.model_validate({**doc, "questions": {**doc["questions"], "ends": "(unclosed"}})


# ---------------------------------------------------------------- sentence types


@pytest.mark.parametrize(
    ("text", "med", "symptom"),
    [
        ("Metastatic HR+ disease on letrozole. If she develops diarrhoea, take loperamide 2 mg.", "loperamide", "diarrhea"),
        ("Metastatic HR+ disease on letrozole. In the event of a fever, start ciprofloxacin.", "ciprofloxacin", "fever"),
        ("Metastatic HR+ disease on letrozole. Should the nausea return, ondansetron 8 mg.", "ondansetron", "nausea"),
    ],
)
def test_a_conditional_sentence_is_hypothetical_as_a_whole(text: str, med: str, symptom: str) -> None:
    rec = _read(text)
    assert med not in (rec.get("medications") or [])
    assert symptom not in (rec.get("symptoms") or [])
    assert "letrozole" in _given(rec)


@pytest.mark.parametrize(
    "text",
    [
        "Metastatic breast cancer on letrozole. Her mother's breast cancer was ER-positive and HER2-positive.",
        "Metastatic breast cancer on letrozole.\nSister - breast cancer at 38, HER2-positive, treated with trastuzumab.",
    ],
)
def test_a_sentence_about_a_relative_is_the_relatives(text: str) -> None:
    rec = _read(text)
    assert (rec.get("tumor") or {}).get("her2_status") != "positive"
    assert "trastuzumab" not in _given(rec)


def test_a_relative_writing_about_the_patient_is_not_family() -> None:
    rec = _read("My mother is 71 and has metastatic breast cancer in her liver. She is on letrozole.")
    assert "liver" in _sites(rec)
    assert "letrozole" in _given(rec)


@pytest.mark.parametrize(
    ("text", "not_given"),
    [
        ("Metastatic HR+ disease on letrozole. Never received palbociclib or abemaciclib.", {"palbociclib", "abemaciclib"}),
        ("Metastatic HR+ disease on letrozole. We talked through alpelisib, capivasertib and everolimus; no decision yet.", {"alpelisib", "capivasertib", "everolimus"}),
        ("Metastatic HR+ disease on letrozole. Her oncologist mentioned fulvestrant as a possibility down the line.", {"fulvestrant"}),
    ],
)
def test_never_given_talked_through_or_later_is_not_given(text: str, not_given: set[str]) -> None:
    given = _given(_read(text))
    assert "letrozole" in given
    assert not given & not_given


def test_a_not_taking_line_is_not_current() -> None:
    rec = _read("Metastatic HR+ disease on letrozole.\nNot taking: metformin, ramipril\nTaking: omeprazole")
    assert set(rec.get("medications") or []) == {"omeprazole"}


# ---------------------------------------------------------------- templated review of systems, lay words


@pytest.mark.parametrize(
    "text",
    [
        "Metastatic HR+ disease on letrozole.\nROS: Gen: (-) fever, (-) chills. Resp: (+) cough, (-) dyspnoea. GI: (-) nausea",
        "Metastatic HR+ disease on letrozole. ROS: fever (-), cough (+), headache (-)",
    ],
)
def test_minus_and_plus_marks_in_a_review_of_systems(text: str) -> None:
    rec = _read(text)
    assert rec.get("symptoms") == ["cough"]
    assert "letrozole" in _given(rec)


@pytest.mark.parametrize(
    ("text", "absent"),
    [
        ("Metastatic HR+ disease on letrozole. I don't have any fever or cough but my tummy hurts.", {"fever", "cough"}),
        ("Metastatic HR+ disease on letrozole. She hasn't had nausea since the last cycle.", {"nausea"}),
        ("Metastatic HR+ disease on letrozole. Pt called, worried about ILD after reading online.", set()),
    ],
)
def test_lay_negation_and_worries_are_not_facts(text: str, absent: set[str]) -> None:
    rec = _read(text)
    assert not set(rec.get("symptoms") or []) & absent
    assert not rec.get("comorbidities")


def test_maybe_later_is_not_given() -> None:
    given = _given(_read("Metastatic HR+ disease on letrozole. Doctor say maybe later we do capecitabine if letrozole stop to work."))
    assert given == {"letrozole"}


def test_an_allred_proportion_score_is_never_ecog() -> None:
    assert _read("Metastatic HR+ disease on letrozole. ECOG 1. ER Allred 7/8 (PS 4 IS 3).").get("ecog") == 1
    assert _read("Metastatic HR+ disease on letrozole. PS 0. ER positive, Allred score 8 with PS 5.").get("ecog") == 0


def test_a_negation_header_denies_the_list_below_it() -> None:
    rec = _read("Metastatic HR+ disease on letrozole, bone only.\nThere is no evidence of:\n1) brain metastases\n2) liver metastases\nPlan: review")
    assert _sites(rec) == {"bone"}
    rec = _read("Metastatic HR+ disease on letrozole.\nDenies:\n- headache\n- cough\nReports:\n- fatigue")
    assert rec.get("symptoms") == ["fatigue"]


def test_an_answer_after_a_sentence_is_read_like_a_line() -> None:
    rec = _read("Metastatic HR+ disease on letrozole, bone only. Liver metastases: absent")
    assert _sites(rec) == {"bone"}


@pytest.mark.parametrize(
    "text",
    [
        "Metastatic HR+ disease, progressed on letrozole + palbociclib.\nFor consideration: elacestrant (ESR1 mutant).",
        "Metastatic HR+ disease, progressed on letrozole + palbociclib.\nIntended regimen: fulvestrant + capivasertib.",
        "Metastatic HR+ disease, progressed on letrozole + palbociclib. Happy to proceed with elacestrant.",
        "Metastatic HR+ disease, progressed on letrozole + palbociclib. She will begin elacestrant on Monday.",
        "Metastatic HR+ disease, progressed on letrozole + palbociclib. Elacestrant to commence 01/12.",
        "Metastatic HR+ disease, progressed on letrozole + palbociclib. Consent obtained for elacestrant.",
        "Metastatic HR+ disease, progressed on letrozole + palbociclib. Elacestrant prescribed today, first dose tomorrow.",
    ],
)
def test_a_proposed_or_future_therapy_is_not_given(text: str) -> None:
    given = _given(_read(text))
    assert {"letrozole", "palbociclib"} <= given
    assert not given & {"elacestrant", "fulvestrant", "capivasertib"}


def test_a_started_therapy_is_given() -> None:
    assert "elacestrant" in _given(_read("Metastatic HR+ disease. Elacestrant started 10/11/2026, tolerating well."))
    rec = _read("Metastatic HR+ disease on letrozole. Dexamethasone 4 mg daily started 04/2026.\nPlan:\n1. Wean dexamethasone.")
    assert "dexamethasone" in (rec.get("medications") or [])


def test_foreign_if_words_do_not_fire_on_english_words() -> None:
    rec = _read("88 yo, frail (2 falls this year), on amiodarone for AF. SE: nausea. Metastatic HR+ disease on letrozole.")
    assert "amiodarone" in (rec.get("medications") or [])
    assert "nausea" in (rec.get("symptoms") or [])


@pytest.mark.parametrize(
    "text",
    [
        "Either capecitabine or eribulin next.",
        "Choice between capecitabine and eribulin.",
        "Candidates: capecitabine, eribulin.",
        "Reasonable to try capecitabine.",
        "Capecitabine is reasonable.",
        "Capecitabine (if bloods ok).",
        "Trial screening: SERENA-4 (camizestrant) - screen fail.",
        "No role for CDK4/6 rechallenge; palbociclib not to be restarted.",
    ],
)
def test_choices_screening_and_withheld_restarts_are_not_given(text: str) -> None:
    given = _given(_read("Metastatic HR+ disease, bone only, on fulvestrant.\n" + text))
    assert given == {"fulvestrant"}


# ------------------------------------------- "except" ends negation only (session 6 review)


@pytest.mark.parametrize(
    ("text", "site", "drug"),
    [
        ("Metastatic HR+ breast cancer on letrozole. Her mother, apart from liver metastases, had a stroke.", "liver", None),
        ("Metastatic HR+ breast cancer on letrozole. We would consider nothing other than everolimus next.", None, "everolimus"),
        ("Metastatic HR+ breast cancer on letrozole. We plan to start capecitabine other than palbociclib.", None, "palbociclib"),
    ],
)
def test_except_does_not_end_family_or_planned_scope(text: str, site: str | None, drug: str | None) -> None:
    rec = _read(text)
    assert site is None or site not in _sites(rec)
    assert drug is None or drug not in _given(rec)
    assert "letrozole" in _given(rec)


@pytest.mark.parametrize(
    ("text", "symptom"),
    [
        ("Metastatic breast cancer on letrozole. Review of systems negative apart from fatigue.", "fatigue"),
        ("Metastatic breast cancer on letrozole. No complaints other than nausea.", "nausea"),
    ],
)
def test_except_still_ends_a_negation(text: str, symptom: str) -> None:
    assert symptom in set(_read(text).get("symptoms") or [])


# ------------------------------- "continue" / "is on" clears "planned" only for a drug taken


@pytest.mark.parametrize(
    ("text", "drug"),
    [
        ("Metastatic HR+ breast cancer on letrozole. We will continue to consider everolimus.", "everolimus"),
        ("Metastatic HR+ breast cancer on letrozole. Continue to consider fulvestrant at progression.", "fulvestrant"),
        ("Metastatic HR+ breast cancer on letrozole. We will keep continuing to review capecitabine as an option.", "capecitabine"),
    ],
)
def test_continue_to_consider_stays_planned(text: str, drug: str) -> None:
    given = _given(_read(text))
    assert drug not in given
    assert "letrozole" in given


@pytest.mark.parametrize(
    ("text", "taken", "not_taken"),
    [
        ("Metastatic HR+ breast cancer. She continues fulvestrant.", {"fulvestrant"}, set()),
        (
            "Metastatic HR+ breast cancer. Remains on palbociclib, and everolimus or capecitabine were discussed.",
            {"palbociclib"},
            {"everolimus", "capecitabine"},
        ),
    ],
)
def test_continue_still_reads_a_drug_taken(text: str, taken: set[str], not_taken: set[str]) -> None:
    given = _given(_read(text))
    assert taken <= given
    assert not given & not_taken


# ------------------------------------ a question that asks to start a drug (session 6 review)


@pytest.mark.parametrize(
    ("text", "drug"),
    [
        ("Metastatic HR+ breast cancer on letrozole. Should she go on apixaban? Pharmacy review of apixaban dosing.", "apixaban"),
        ("Metastatic HR+ breast cancer on letrozole. Can she be put on fluconazole? Fluconazole interacts.", "fluconazole"),
        ("Metastatic HR+ breast cancer on letrozole. Is it safe to start her on apixaban? Apixaban 5 mg bd would be the dose.", "apixaban"),
    ],
)
def test_question_asking_to_start_a_drug_is_not_a_current_medication(text: str, drug: str) -> None:
    rec = _read(text)
    assert drug not in set(rec.get("medications") or [])
    assert "letrozole" in _given(rec)


@pytest.mark.parametrize(
    ("text", "drug"),
    [
        ("Metastatic HR+ breast cancer on letrozole. Should he go on capecitabine?", "capecitabine"),
        ("Metastatic HR+ breast cancer on letrozole. Can he be put on everolimus?", "everolimus"),
    ],
)
def test_question_asking_to_start_a_cancer_drug_is_not_given(text: str, drug: str) -> None:
    assert drug not in _given(_read(text))


def test_a_drug_she_is_on_before_a_question_stays_current() -> None:
    rec = _read("Metastatic HR+ breast cancer on letrozole. She is on apixaban - should we continue?")
    assert "apixaban" in set(rec.get("medications") or [])
    rec = _read("Metastatic HR+ breast cancer. She is on palbociclib - should we continue?")
    assert "palbociclib" in _given(rec)


# ---------------------------------------------------------------- requested and proposed (s6-ctx3)

_ON = "Metastatic HR+ disease on fulvestrant since 02/2026. "


@pytest.mark.parametrize(
    ("text", "not_given"),
    [
        # prior-authorisation letters
        ("Dear reviewer, our practice is requesting authorisation of olaparib 300 mg bd.", {"olaparib"}),
        ("We are seeking coverage for ribociclib in combination with letrozole.", {"ribociclib", "letrozole"}),
        ("This letter is an appeal of the denial of alpelisib.", {"alpelisib"}),
        ("Pre-authorization for eribulin is attached.", {"eribulin"}),
        ("Medication requested: tucatinib 300 mg bd\nIn combination with: trastuzumab and capecitabine\n", {"tucatinib", "trastuzumab", "capecitabine"}),
        ("Quick one - I am leaning T-DXd for her.", {"trastuzumab deruxtecan"}),
        ("In our view everolimus with exemestane is medically necessary.", {"everolimus", "exemestane"}),
        ("She is likely to benefit from sacituzumab govitecan.", {"sacituzumab govitecan"}),
        # oncologists' e-mails and chats
        ("Thanks for the case - I would go for capecitabine.", {"capecitabine"}),
        ("My vote would be eribulin, given the liver.", {"eribulin"}),
        ("Tumour board leaning towards paclitaxel with bevacizumab.", {"paclitaxel", "bevacizumab"}),
        ("Concur with olaparib as the next line.", {"olaparib"}),
        ("Elacestrant sounds sensible to me.", {"elacestrant"}),
        ("I'd favour abemaciclib over palbociclib here.", {"abemaciclib", "palbociclib"}),
        # trial screening, declined offers, conditions
        ("Investigational agent camizestrant pending screening labs.", {"camizestrant"}),
        ("Docetaxel was proposed but the patient refused.", {"docetaxel"}),
        ("Vinorelbine as a later line - only if her performance status holds.", {"vinorelbine"}),
    ],
)
def test_requested_or_proposed_drugs_are_not_given(text: str, not_given: set[str]) -> None:
    given = _given(_read(_ON + text))
    assert "fulvestrant" in given
    assert not given & not_given


@pytest.mark.parametrize(
    ("text", "drug", "stop"),
    [
        ("We are requesting coverage for olaparib. She has been on capecitabine since May.", "capecitabine", "ongoing"),
        ("I would go for eribulin next. Started capecitabine in 2025, progressed.", "capecitabine", "progression"),
        ("Agree with the plan as written. Capecitabine stopped for pneumonitis.", "capecitabine", "toxicity"),
    ],
)
def test_a_drug_given_beside_a_request_or_a_proposal_is_still_given(text: str, drug: str, stop: str) -> None:
    rec = _read("Metastatic HR+ disease, bone metastases. " + text)
    stops = {t.get("stop_reason") for t in rec.get("prior_therapies", []) if drug in t["drugs"]}
    assert stop in stops
    assert "olaparib" not in _given(rec) and "eribulin" not in _given(rec)


@pytest.mark.parametrize(
    "text",
    [
        "Capecitabine since 06/2025; dose reduced to 1000 mg bd for hand-foot syndrome.",
        "Capecitabine since 06/2025, dose-reduced after grade 3 neutropenia.",
        "Capecitabine since 06/2025: 1250 -> 1000 mg/m2 bd for hand-foot syndrome.",
        "Capecitabine since 06/2025, held for 7 days for diarrhoea then resumed.",
        "Capecitabine since 06/2025. Interrupted for one cycle with mucositis, now back on full dose.",
    ],
)
def test_a_dose_reduction_or_a_hold_is_not_a_stop_for_toxicity(text: str) -> None:
    rec = _read("Metastatic HR+ disease, bone metastases. " + text)
    courses = [t for t in rec.get("prior_therapies", []) if "capecitabine" in t["drugs"]]
    assert courses
    assert all(t.get("stop_reason") != "toxicity" for t in courses)
