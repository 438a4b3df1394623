"""Session 9 (issue 12): question classes as mechanisms, each tested with questions written for this
file (several phrasings per class; none copied from a blind set)."""

from __future__ import annotations

from typing import Any

import pytest


def _preferred(a: Any) -> list[set[str]]:
    return [set(o["drugs"]) for o in a.plan["options"] if o["category"] == "preferred"]


def _courses(a: Any) -> list[tuple[tuple[str, ...], Any, Any]]:
    return [
        (tuple(t.get("drugs") or []), t.get("setting"), t.get("stop_reason"))
        for t in a.read.get("prior_therapies") or []
    ]


# ---------------------------------------------------------------- intent: the asking clause


@pytest.mark.parametrize(
    "question",
    [
        "The registrar is asking whether letrozole + abemaciclib is reasonable for a 60F with ER+ HER2- de novo bone mets?",
        "Pharmacy wants to know if anastrozole is appropriate for a man with HR+ HER2- MBC?",
        "Our fellow wonders whether fulvestrant is acceptable here: ER+ HER2- MBC, progressed on letrozole + ribociclib?",
    ],
)
def test_a_reported_yes_no_question_is_a_verdict_and_keeps_its_facts(ask: Any, question: str) -> None:
    a = ask(question, "clinician")
    assert a.intent == "appropriate"
    # the words after "whether / if" are the question, not a supposition: the subtype is read
    assert (a.read.get("tumor") or {}).get("er_status") == "positive", a.read


@pytest.mark.parametrize(
    "question",
    [
        "ER+ HER2- MBC, progressed on anastrozole + ribociclib after 3 years, ESR1 and PIK3CA wild type. "
        "Is there anything more effective than exemestane + everolimus?",
        "HER2-low MBC after two endocrine lines. Any alternative to capecitabine for her?",
    ],
)
def test_something_better_than_a_named_drug_asks_for_the_next_treatment(ask: Any, question: str) -> None:
    assert ask(question, "clinician").intent == "next_treatment"


@pytest.mark.parametrize(
    "question",
    [
        "my ribociclib was cut from 600 to 400 because of low blood counts. do i have to stop it now?",
        "they reduced my abemaciclib dose. should we stop it?",
    ],
)
def test_stop_after_a_dose_reduction_is_a_verdict_to_continue(ask: Any, question: str) -> None:
    a = ask(question, "patient")
    assert a.intent == "appropriate"
    assert a.answer.verdict == "yes"
    assert "continu" in a.answer.text.lower() or "keep" in a.answer.text.lower()


@pytest.mark.parametrize(
    "question",
    [
        "I get zoledronic acid every 12 weeks for my bones. I need a dental implant next month - is that safe?",
        "on xgeva for bone mets. my dentist wants to take out a molar. ok to go ahead?",
    ],
)
def test_a_procedure_while_on_a_drug_is_about_its_risks(ask: Any, question: str) -> None:
    a = ask(question, "patient")
    assert a.intent == "side_effects"
    assert "jaw" in " ".join([a.answer.text, *a.answer.points]).lower()


@pytest.mark.parametrize(
    ("question", "audience"),
    [
        ("What qualifies as a visceral crisis in breast cancer?", "clinician"),
        ("Quick one: what is considered HER2-low?", "clinician"),
        ("wat dose HER2 low mean. my report says it", "patient"),
    ],
)
def test_what_counts_as_and_lay_spellings_are_definitions(ask: Any, question: str, audience: str) -> None:
    assert ask(question, audience).intent == "definition"


def test_a_lay_spelt_general_question_is_the_overview(ask: Any) -> None:
    assert ask("wat is the usual treetment for stage 4 brest cancer", "patient").intent == "overview"


# ---------------------------------------------------------------- asked, supposed, past: never present


@pytest.mark.parametrize(
    "question",
    [
        "HR+ HER2- MBC 1L, 34F. Is pregnancy a problem with ribociclib?",
        "HR+ HER2- MBC 1L, 30F. Would pregnancy be a problem for palbociclib?",
        "HR+ HER2- MBC, 1L, 32F premenopausal. What if she is pregnant - can we use letrozole + ribociclib?",
        "ER+ HER2- MBC, bone only, 36F. She was pregnant in 2022 (healthy delivery). Is letrozole + ribociclib OK?",
    ],
)
def test_pregnancy_asked_supposed_or_past_is_not_read_and_the_verdict_depends_on_it(
    ask: Any, question: str
) -> None:
    a = ask(question, "clinician")
    assert a.read.get("pregnant") is None and a.read.get("pregnancy_weeks") is None, a.read
    assert a.answer.verdict == "depends"
    assert "pregnan" in a.answer.text.lower()


def test_a_past_pregnancy_with_not_pregnant_now_is_not_pregnant(ask: Any) -> None:
    a = ask(
        "HR+ HER2- MBC, bone only. She was 12 weeks pregnant last year (miscarried), not pregnant now. "
        "Is ribociclib with letrozole OK?",
        "clinician",
    )
    assert a.read.get("pregnant") is False and "pregnancy_weeks" not in a.read
    assert a.answer.verdict == "yes"


@pytest.mark.parametrize(
    "question",
    [
        "ER+ HER2- MBC, 33F, currently 22 weeks pregnant. Is letrozole + ribociclib OK?",
        "ER+ HER2- MBC, 31F, 20 weeks pregnant now. Can we give palbociclib with letrozole?",
    ],
)
def test_a_pregnancy_now_is_still_read(ask: Any, question: str) -> None:
    a = ask(question, "clinician")
    assert a.read.get("pregnant") is True
    assert a.answer.verdict == "no"


def test_a_lung_history_asked_about_is_not_recorded(ask: Any) -> None:
    a = ask(
        "HER2-low HR+ MBC after 2 endocrine lines and 1 chemo. Is a history of ILD a problem with Enhertu?",
        "clinician",
    )
    assert not (a.read.get("comorbidities") or {}).get("interstitial_lung_disease")


@pytest.mark.parametrize(
    "question",
    [
        "ER+ HER2- MBC on letrozole + palbociclib 3 years, never progressed on it, still responding. Should we continue?",
        "ER+ HER2- MBC on fulvestrant + abemaciclib for 2 years, no progression, still responding. Should we continue?",
    ],
)
def test_a_course_that_has_not_progressed_is_still_given(ask: Any, question: str) -> None:
    a = ask(question, "clinician")
    assert [c[2] for c in _courses(a)] == ["ongoing"], _courses(a)
    assert a.answer.verdict == "yes"


# ---------------------------------------------------------------- facts in the question's own shorthand


def test_receptor_percentages_without_a_per_cent_sign(ask: Any) -> None:
    a = ask(
        "pt 66 postmenopausal, de novo bone-only MBC, ER ~80 PR 5 HER2 0, ECOG 0, no visceral disease. 1L?",
        "clinician",
    )
    assert a.read["tumor"].get("er_percent") == 80 and a.read["tumor"].get("pr_percent") == 5
    assert any({"ribociclib"} <= p for p in _preferred(a)), _preferred(a)


def test_a_variant_after_a_result_frame(ask: Any) -> None:
    a = ask(
        "ER+ HER2- MBC, PD on letrozole + palbociclib after 20 months. ESR1 testing showed Y537S. Next line?",
        "clinician",
    )
    assert "ESR1 Y537S" in (a.read.get("somatic") or [])
    assert any("elacestrant" in p for p in _preferred(a)), _preferred(a)


def test_a_relatives_aside_does_not_hide_the_patients_own_germline_result(ask: Any) -> None:
    a = ask(
        "ER+ HER2-0 MBC, progressed on 1L anastrozole/ribociclib at 16 mo, postmenopausal. gBRCA1 pathogenic "
        "variant (her sister carries one too). Next?",
        "clinician",
    )
    assert "BRCA1" in (a.read.get("germline") or [])
    assert any("olaparib" in p for p in _preferred(a)), _preferred(a)


def test_the_last_item_of_a_list_of_treatments_given_is_given_with_the_primary(ask: Any) -> None:
    a = ask(
        "2016 primary ER+ HER2- treated with lumpectomy, radiotherapy and anastrozole. Now bone and liver relapse "
        "in 2026, postmenopausal, ECOG 1, no crisis. 1L?",
        "clinician",
    )
    assert (("anastrozole",), "adjuvant") in [c[:2] for c in _courses(a)], _courses(a)


def test_a_course_completed_before_the_metastases_were_found_is_early_therapy(ask: Any) -> None:
    a = ask(
        "Completed 5 yrs of anastrozole in Jan 2026; bone and lung relapse Sept 2026, ER 90% HER2 1+, "
        "postmenopausal, PIK3CA E545K on ctDNA, HbA1c 5.4%. What first line?",
        "clinician",
    )
    assert _courses(a)[0][1] == "adjuvant", _courses(a)
    assert any({"inavolisib", "palbociclib", "fulvestrant"} <= p for p in _preferred(a)), _preferred(a)


# ---------------------------------------------------------------- verdicts


@pytest.mark.parametrize(
    ("question", "verdict"),
    [
        ("Bone mets from breast cancer. Corrected calcium 1.9 mmol/L. Can we start denosumab today?", "no"),
        (
            "Bone mets from breast cancer, about to start denosumab. Serum calcium 7.9 mg/dL. OK to proceed?",
            "no",
        ),
        (
            "Bone mets from breast cancer, about to start denosumab. Corrected calcium 2.35 mmol/L, eGFR 75. OK to proceed?",
            "yes",
        ),
    ],
)
def test_denosumab_waits_for_a_low_calcium_to_be_corrected(ask: Any, question: str, verdict: str) -> None:
    a = ask(question, "clinician")
    assert a.answer.verdict == verdict
    if verdict == "no":
        assert "calcium" in a.answer.text.lower()


def test_a_somatic_brca_variant_with_a_negative_germline_test_is_certain_circumstances_for_a_parp_inhibitor(
    ask: Any,
) -> None:
    """Issue 12's own example: not label-approved (the label needs a germline variant), certain circumstances."""
    a = ask(
        "HR+ HER2- MBC after AI + CDK4/6i. Somatic BRCA1 variant on tumour NGS, germline testing negative. "
        "Is talazoparib appropriate?",
        "clinician",
    )
    assert a.answer.verdict == "certain_circumstances"
    assert "germline" in a.answer.text.lower()
    assert "label" in a.answer.text.lower()


@pytest.mark.parametrize(
    "question",
    [
        "Relapse in the lung 6 years after surgery; her original tumour was ER 80% HER2 1+. Which tests first?",
        "Bone and liver recurrence, primary in 2017 was ER+ PR+ HER2-. What work-up do we need before treating?",
    ],
)
def test_receptors_given_for_the_primary_ask_for_a_biopsy_of_a_metastasis(ask: Any, question: str) -> None:
    a = ask(question, "clinician")
    assert a.read["tumor"].get("receptor_source") == "primary", a.read
    assert "biops" in " ".join([a.answer.text, *a.answer.points]).lower()


def test_a_new_biopsy_of_the_metastasis_is_not_overwritten_by_the_primary(ask: Any) -> None:
    a = ask(
        "2019 primary ER 90% HER2 1+. Now a liver biopsy shows ER 0%, PR 0%, HER2 0, PD-L1 CPS 12. 1L?",
        "clinician",
    )
    assert a.read["tumor"].get("receptor_source") != "primary"


@pytest.mark.parametrize(
    "question",
    [
        "Progressed on letrozole + palbociclib after 2 years; ctDNA AKT1 E17K, ESR1 and PIK3CA wild type, "
        "ER+ HER2 0, postmenopausal. What next and at what dose?",
        "ER+ HER2- MBC, PD on anastrozole + ribociclib at 20 months, ESR1 Y537S on ctDNA. Next line, and dosing?",
    ],
)
def test_what_next_and_what_dose_gives_both(ask: Any, question: str) -> None:
    a = ask(question, "clinician")
    assert a.intent == "next_treatment"
    assert any(p.startswith("Dose: ") and " mg" in p for p in a.answer.points), a.answer.points


def test_an_endocrine_partner_is_no_taxane_stopped_for_the_maintenance_ruling(ask: Any) -> None:
    a = ask(
        "HER2+ HR+ MBC on endocrine therapy with trastuzumab and pertuzumab (no chemo given). "
        "Can we continue trastuzumab + pertuzumab alone?",
        "clinician",
    )
    assert "4-6 months of taxane" not in a.answer.text
    b = ask(
        "HER2+ MBC, 6 cycles of docetaxel with trastuzumab and pertuzumab, partial response. "
        "Can we stop the docetaxel and continue HP alone?",
        "clinician",
    )
    assert b.answer.verdict == "yes" and "taxane" in b.answer.text


@pytest.mark.parametrize(
    "question",
    [
        "HER2+ MBC after THP, T-DXd and T-DM1. She declines any further infusions and wants tablets only. What now?",
        "HER2-positive MBC, third line after THP then T-DXd. No more IV for her - which oral option?",
    ],
)
def test_tablets_only_names_the_all_oral_options_first(ask: Any, question: str) -> None:
    a = ask(question, "clinician")
    first = a.answer.points[0]
    assert first.startswith("By mouth only") and "capecitabine (" in first, a.answer.points[:2]
    assert "trastuzumab" not in first.lower()
