"""Session 13 (notes: the status of a fact). A fact named in a note that is not so now: a medication
cancelled before its first dose, given on the ward only, a sliding scale covering a steroid course,
a course that ended (a closed date range, a dated course of set length), a medicine stopped across
a line break; a type 2 diabetes that resolved; a symptom whose measure is normal again; a "none
new" answer in a form row; brain lesions called new and untreated beside an older treated one; a
drug the patient has only read about; a course going on after a dose reduction shown by an arrow.
Each class has a guard that the real fact is still read. Notes written for these tests (several
styles), not copied from a benchmark set (the reference date is 20 Nov 2026)."""

from __future__ import annotations

import pytest

from ._note_helpers import _course, _given, _med_ids, _read

H = "58F, ER+ HER2-negative MBC (bone, liver) since 2025, on letrozole + palbociclib. "
B = "64F, HER2+ MBC with brain metastases since 2024, on trastuzumab deruxtecan. "


def _brain(rec: dict) -> dict:
    return (rec.get("metastases") or {}).get("brain") or {}


# A. a medication that is not current


@pytest.mark.parametrize(
    ("said", "drug"),
    [
        ("Med rec: levofloxacin 500 mg od - order cancelled before the first dose (QT). Sertraline 50 mg od.",
         "levofloxacin"),
        ("Meds: bisoprolol 2.5 mg, enoxaparin 40 mg sc (ward only), sertraline 50 mg.", "enoxaparin"),
        ("Dexamethasone 8 mg bd for cord compression; sliding scale insulin whilst on dexamethasone. "
         "Sertraline 50 mg.", "insulin"),
        ("Other medicines: amitriptyline 10 mg nocte March 2024 to June 2025, sertraline 50 mg od.",
         "amitriptyline"),
        ("Problems: PE 02/2025 - apixaban for 6 months. Sertraline 50 mg od.", "apixaban"),
        ("Her son writes: she stopped the\nlactulose last month (cramps). Sertraline 50 mg od.", "lactulose"),
    ],
)
def test_a_medication_that_is_not_taken_now_is_not_current(said: str, drug: str) -> None:
    meds = _med_ids(_read(H + said))
    assert drug not in meds
    assert "sertraline" in meds


@pytest.mark.parametrize(
    ("said", "drug"),
    [
        ("Meds: insulin glargine 18 u nocte, insulin aspart sliding scale with meals, sertraline 50 mg.",
         "insulin"),  # a sliding scale at home is a medication
        ("Other medicines: amitriptyline 10 mg nocte since March 2024, sertraline 50 mg od.", "amitriptyline"),
        ("Apixaban 5 mg bd since PE 09/2026, planned for 6 months. Sertraline 50 mg od.", "apixaban"),
        ("Metformin 500 mg bd 2015-2019 and again since 2024. Sertraline 50 mg od.", "metformin"),
        ("Lactulose 15 ml bd (clinic appointment cancelled last week). Sertraline 50 mg od.", "lactulose"),
        ("Meds: amlodipine 5 mg od; she takes the\ncetirizine 10 mg daily for hay fever; sertraline 50 mg.", "cetirizine"),
    ],
)
def test_guard_a_current_medication_stays(said: str, drug: str) -> None:
    assert drug in _med_ids(_read(H + said))


# B. a comorbidity that resolved, a symptom that is over or denied


@pytest.mark.parametrize(
    "said",
    [
        "PMH: type 2 diabetes 2012-2021, in remission since bariatric surgery.",
        "Background: T2DM, resolved after 18 kg weight loss, no diabetic medication since 2023.",
    ],
)
def test_a_resolved_type_2_diabetes_is_not_a_comorbidity(said: str) -> None:
    assert "diabetes_type2" not in (_read(H + said).get("comorbidities") or [])


@pytest.mark.parametrize(
    ("said", "kept"),
    [
        ("PMH: T2DM on metformin; hypertension.", "diabetes_type2"),
        ("PMH: T2DM diet-controlled, off tablets since 2023.", "diabetes_type2"),
        ("PMH: T2DM not resolved despite weight loss.", "diabetes_type2"),
        ("History: grade 2 everolimus pneumonitis 2024, resolved with prednisolone.", "interstitial_lung_disease"),
        ("History: anthracycline cardiomyopathy 2019, resolved, LVEF now 58%.", "heart_failure"),
    ],
)
def test_guard_a_comorbidity_that_stays(said: str, kept: str) -> None:
    assert kept in (_read(H + said).get("comorbidities") or [])


def test_a_fever_whose_temperature_is_normal_again_is_over() -> None:
    rec = _read(H + "Diary: 3/11 fever 38.6, took paracetamol. 5/11 temperature back to normal. 8/11 tired.")
    assert "fever" not in (rec.get("symptoms") or [])


def test_guard_a_fever_after_a_normal_temperature_stays() -> None:
    rec = _read(H + "Diary: 3/11 temperature normal. 5/11 fever 38.7 with rigors, seen in ED.")
    assert "fever" in (rec.get("symptoms") or [])


def test_a_none_new_answer_in_a_form_row_denies_the_symptom() -> None:
    rec = _read(H + "Review:\n Fatigue              G1\n Cough / breathless   none new; CXR clear\n")
    assert "cough" not in (rec.get("symptoms") or [])
    assert "fatigue" in (rec.get("symptoms") or [])


def test_guard_a_grade_in_another_column_is_not_the_answer() -> None:
    rec = _read(H + "Toxicity       today      last visit\n - rash          G2 rash    G0\n")
    assert "rash" in (rec.get("symptoms") or [])


# C. brain metastases: new lesions untreated beside an older treated one


@pytest.mark.parametrize(
    "said",
    [
        "Gamma knife to a right frontal met 01/2025. MRI 10/2026: three new lesions, not yet treated.",
        "SRS 2025 to one occipital lesion; now 2 further small lesions (left temporal), untreated.",
        "Craniotomy 2024. The new cerebellar metastases have not been irradiated; SRS referral sent.",
    ],
)
def test_new_untreated_brain_lesions_are_not_locally_treated(said: str) -> None:
    assert _brain(_read(B + said)).get("locally_treated") is False


@pytest.mark.parametrize(
    "said",
    [
        "2 new brain lesions 08/2026, untreated at the time -> SRS to both 09/2026.",
        "SRS to 3 brain metastases 06/2026; no new lesions on MRI 10/2026.",
    ],
)
def test_guard_treated_brain_lesions_are_not_made_untreated(said: str) -> None:
    assert _brain(_read(B + said)).get("locally_treated") is not False


def test_guard_new_lesions_of_another_site_say_nothing_of_the_brain() -> None:
    rec = _read(B + "SRS to a parietal met 2025. CT 10/2026: 2 new liver lesions, not yet treated.")
    assert _brain(rec).get("locally_treated") is not False


# D. asked about, not given; a dose reduction is no stop


def test_a_drug_the_patient_has_read_about_is_not_given() -> None:
    rec = _read(
        "52F, TNBC MBC (lung) since 2026, on carboplatin + gemcitabine (1L). Germline BRCA2. "
        "The patient has heard that talazoparib is used in BRCA2 carriers."
    )
    assert "talazoparib" not in _given(rec)
    assert "carboplatin" in _given(rec)


def test_a_dose_reduction_by_an_arrow_is_no_stop_for_toxicity() -> None:
    rec = _read(
        "49F, ER+ MBC (bone) since 04/2026. Current: abemaciclib + fulvestrant from 05/2026.\n"
        "Abemaciclib \u2193 100 mg bd from C4 for G3 diarrhoea. Continues.\n"
    )
    assert {t.get("stop_reason") for t in rec.get("prior_therapies", []) if "abemaciclib" in t["drugs"]} != {
        "toxicity"
    }


def test_guard_a_stop_for_toxicity_is_still_read() -> None:
    rec = _read(
        "49F, ER+ MBC (bone) since 2025. 1L abemaciclib + fulvestrant 05/2025-02/2026, stopped for G3 diarrhoea."
    )
    assert _course(rec, "abemaciclib").get("stop_reason") == "toxicity"
