"""Session 13 (ask: intent and verdict classes): a definition asked with "what exactly is", the standard order of
treatment lines as an overview, an emergency "what imaging?" as a tests question, imaging asked more often than every
2-4 months (no), a response result judged ("stable - is that good? keep going or stop?": yes, continue), an elliptic
go-ahead on the drug named before, a negative ctDNA panel with tissue testing asked (yes), a result still awaited
(depends on it), and alpelisib with metabolic risk (certain circumstances). Every question is written for this file."""

from __future__ import annotations

from typing import Any


def _text(a: dict[str, Any]) -> str:
    ans = a["answer"]
    return " ".join([ans.get("text") or "", *(ans.get("points") or [])]).lower()


def test_what_exactly_is_a_term_is_a_definition(ask_json: Any) -> None:
    a = ask_json("Nursing student here: what exactly is 'visceral crisis'? Does lung spread count as one?", "clinician")
    assert a["intent"] == "definition"
    assert "organ" in _text(a)


def test_the_standard_sequence_of_lines_is_an_overview(ask_json: Any) -> None:
    a = ask_json("For the MDT slide: usual treatment sequence in HR+/HER2- metastatic disease, first line onwards.",
                 "clinician")  # fmt: skip
    assert a["intent"] == "overview"


def test_what_imaging_in_an_emergency_is_a_tests_question(ask_json: Any) -> None:
    a = ask_json(
        "Acute medicine: 70F, breast cancer with vertebral mets, new leg weakness and back pain since yesterday. "
        "Which imaging should we do, and what do we start now?",
        "clinician",
    )
    assert a["intent"] == "tests"


def test_scans_more_often_than_every_two_months_is_no(ask_json: Any, fk_grade: Any) -> None:
    a = ask_json("Can I have a CT scan every 4 weeks instead? I worry they will miss something.", "patient")
    assert a["intent"] == "response"
    assert a["answer"]["verdict"] == "no"
    assert "month" in _text(a)
    assert fk_grade(" ".join([a["answer"]["text"], *a["answer"]["points"]])) <= 6


def test_brain_scans_keep_their_own_answer(ask_json: Any) -> None:
    a = ask_json("Should she have a brain MRI every 3 months even without symptoms? HER2+ MBC on THP.", "clinician")
    assert a["answer"]["verdict"] == "no"
    assert "brain" in _text(a)


def test_a_stable_scan_judged_is_a_response_yes(ask_json: Any, fk_grade: Any) -> None:
    a = ask_json("my CT says no new lesions and things look smaller. on Kisqali 8 months. is that good? "
                 "carry on or stop?", "patient")  # fmt: skip
    assert a["intent"] == "response"
    assert a["answer"]["verdict"] == "yes"
    assert "continu" in _text(a)
    assert fk_grade(" ".join([a["answer"]["text"], *a["answer"]["points"]])) <= 6


def test_an_elliptic_go_ahead_is_a_verdict_on_the_drug_named(ask_json: Any) -> None:
    a = ask_json(
        "Clinic check before first cycle of capecitabine 1250 mg/m2 BID: DPYD *2A homozygous, complete DPD "
        "deficiency. Go ahead at half dose?",
        "clinician",
    )
    assert a["intent"] == "appropriate"
    assert a["answer"]["verdict"] == "no"


def test_a_negative_ctdna_panel_with_tissue_testing_asked_is_yes(ask_json: Any) -> None:
    a = ask_json(
        "Liquid biopsy at progression came back negative - no mutations found, tumour fraction very low. Is it "
        "worth testing the old biopsy tissue by NGS too?",
        "clinician",
    )
    assert a["answer"]["verdict"] == "yes"
    assert "tissue" in _text(a)


def test_a_parp_inhibitor_while_the_own_germline_result_is_awaited_depends(ask_json: Any) -> None:
    a = ask_json(
        "My sister carries a BRCA2 change. My cancer is in my liver, hormone positive, HER2 negative. My own "
        "genetic test result is still pending. Could I start talazoparib now?",
        "patient",
    )
    assert a["answer"]["verdict"] == "depends"
    assert "gene" in _text(a)


def test_an_adc_while_tumour_genomics_are_pending_depends(ask_json: Any) -> None:
    a = ask_json(
        "ER+ HER2-low MBC, progression after 2 years of letrozole + palbociclib. Guardant panel for ESR1 and "
        "PIK3CA still pending. Is sacituzumab govitecan appropriate now?",
        "clinician",
    )
    assert a["answer"]["verdict"] == "depends"
    assert "esr1" in _text(a)


def test_alpelisib_with_metabolic_risk_is_certain_circumstances(ask_json: Any) -> None:
    a = ask_json(
        "HR+/HER2- MBC with PIK3CA E542K after AI + palbociclib, postmenopausal. Obese (BMI 35) with prediabetes, "
        "HbA1c 6.2%. Is alpelisib with fulvestrant appropriate?",
        "clinician",
    )
    assert a["answer"]["verdict"] == "certain_circumstances"
    assert "gluc" in _text(a)


def test_keep_going_with_just_the_her2_antibodies_is_yes(ask_json: Any) -> None:
    a = ask_json(
        "After 6 cycles of paclitaxel with trastuzumab and pertuzumab my scans look much better. Can I stop the "
        "paclitaxel and keep going with just the trastuzumab and pertuzumab?",
        "patient",
    )
    assert a["answer"]["verdict"] == "yes"


def test_a_fever_on_chemotherapy_asked_whether_to_wait_is_no(ask_json: Any, fk_grade: Any) -> None:
    a = ask_json("my dad is on docetaxel, had it 6 days ago. tonight his temperature is 38.4 and he is shaking. "
                 "can we wait until his clinic on thursday?", "patient")  # fmt: skip
    assert a["answer"]["verdict"] == "no"
    text = _text(a)
    assert "neutrop" in text and "now" in text
    assert fk_grade(" ".join([a["answer"]["text"], *a["answer"]["points"]])) <= 6


def test_no_fever_is_no_emergency(ask_json: Any) -> None:
    a = ask_json("On paclitaxel weekly, no fever, just tired. Should I wait for my next appointment to mention it?",
                 "patient")  # fmt: skip
    assert "emergency" not in _text(a)


def test_a_drug_or_a_drug_class_first_judges_each(ask_json: Any) -> None:
    a = ask_json(
        "HR+ HER2-low (IHC 1+) MBC, postmenopausal, progressed within 4 months on anastrozole + abemaciclib, then "
        "on fulvestrant. No chemo so far. Can she have trastuzumab deruxtecan, or does she need chemo first?",
        "clinician",
    )
    assert a["answer"]["verdict"] == "yes"
    assert "+ cytotoxic" not in a["answer"]["text"].lower()


def test_a_class_named_as_what_is_replaced_is_no_alternative(ask_json: Any) -> None:
    a = ask_json("Perimenopausal woman asks for palbociclib with tamoxifen rather than an aromatase inhibitor. OK?",
                 "clinician")  # fmt: skip
    assert not a["answer"]["text"].startswith("Of ")
