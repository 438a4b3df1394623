"""Session 11 (issue 11, notes: review fixes).

Review 11 found reading cues of this session that were too broad: they dropped a true safety fact
(a past course, a current anticoagulant or CYP3A inhibitor) or invented one (a denied ILD read as
present). Each case below is the reviewer's input (fails before the fix), paired with a guard that
the session's intended reading still holds."""

from __future__ import annotations

import pytest

from ._note_helpers import _given, _read

H = "70F, ER+ HER2-low MBC, bone and liver mets. "


def _meds(text: str) -> list:
    return _read(text).get("medications") or []


def _comorb(text: str) -> list:
    return _read(text).get("comorbidities") or []


# ------------------------------------------------- M1: "as recommended," / "as advised." is how it was taken


def test_a_past_course_taken_as_recommended_is_kept() -> None:
    rec = _read(H + "Prior: letrozole 2019-2024 as recommended, progressed.")
    assert "letrozole" in _given(rec)


def test_a_cdk46_inhibitor_taken_as_recommended_is_kept() -> None:
    rec = _read(H + "Prior: letrozole + palbociclib 2023-2026 as recommended, progressed 11/2026.")
    assert "palbociclib" in _given(rec)


@pytest.mark.parametrize("how", ["as advised.", "as directed.", "as recommended,", "as suggested;"])
def test_a_medication_taken_as_advised_is_current(how: str) -> None:
    assert "warfarin" in _meds(H + f"Meds: warfarin 5 mg daily {how} Amlodipine 5 mg od.")


def test_a_drug_recommended_at_its_clause_end_is_still_proposed() -> None:  # guard
    meds = _meds("DEXA: osteoporosis. Denosumab recommended; oncology to decide.\nMeds: bisoprolol 2.5 mg.")
    assert "denosumab" not in meds and "bisoprolol" in meds


# ------------------------------------------------- M2: "not enrolled" needs a trial word, in its clause


@pytest.mark.parametrize(
    "line",
    [
        "Prior: fulvestrant + capivasertib 2025-2026 progressed, not enrolled in trial.",
        "Prior: capecitabine 2025-2026 progressed (patient not consented for trial).",
    ],
)
def test_a_course_next_to_not_enrolled_is_kept(line: str) -> None:
    given = _given(_read(H + line))
    assert given & {"fulvestrant", "capecitabine"}


def test_a_trial_drug_screening_only_not_enrolled_is_no_course() -> None:  # guard
    rec = _read(
        "Prior: paclitaxel 03/2025 - 09/2026, stopped for progression.\n"
        "Trial referral: datopotamab deruxtecan basket cohort (screening only, not enrolled)."
    )
    assert "paclitaxel" in _given(rec)
    assert not any("datopotamab" in d for d in _given(rec))


# ------------------------------------------------- M3: "ear" / "eye" alone is no product form


@pytest.mark.parametrize(
    "line",
    ["Meds: clarithromycin for ear infection.", "Meds: itraconazole for eye infection, amlodipine 5 mg."],
)
def test_a_systemic_drug_for_an_ear_or_eye_infection_is_current(line: str) -> None:
    meds = _meds(H + line)
    assert meds and meds[0] in {"clarithromycin", "itraconazole"}


def test_eye_drops_and_a_shampoo_are_still_not_systemic() -> None:  # guard
    meds = _meds("Meds: ketoconazole shampoo twice weekly, chloramphenicol eye drops, amlodipine 5 mg od.")
    assert "ketoconazole" not in meds and "chloramphenicol" not in meds and "amlodipine" in meds


# ------------------------------------------------- M4: "Sorry, no ILD." is a denial


@pytest.mark.parametrize(
    "line", ["PMH: diabetes. Sorry, no ILD.", "No ILD, sorry no pneumonitis either.", "Correction - no ILD."]
)
def test_sorry_no_finding_is_a_denial(line: str) -> None:
    assert "interstitial_lung_disease" not in _comorb(H + line)


def test_a_self_correction_is_still_no_negation_of_what_follows() -> None:  # guard
    meds = _meds(
        "Medications: amlodipine 5 mg and omeprazole - no sorry - pantoprazole 40 mg daily with ramipril."
    )
    assert "pantoprazole" in meds and "ramipril" in meds and "amlodipine" in meds


def test_sorry_no_then_a_retraction_is_no_negation() -> None:  # guard
    meds = _meds("Medications: omeprazole - sorry, no, I mean pantoprazole 40 mg daily, ramipril 5 mg.")
    assert "pantoprazole" in meds and "ramipril" in meds


# ------------------------------------------------- S1: "(recommended by cardiology)" is who advised it


@pytest.mark.parametrize(
    "line",
    [
        "Meds: apixaban 5 mg bd (recommended by cardiology).",
        "Meds: ramipril 5 mg od, apixaban 5 mg bd - recommended by haematology.",
    ],
)
def test_a_dosed_medication_recommended_by_a_team_is_current(line: str) -> None:
    assert "apixaban" in _meds(H + line)


def test_a_proposed_or_optional_medication_is_still_not_current() -> None:  # guard
    meds = _meds(
        "On letrozole since 04/2024.\nMeds:\n- Amlodipine 5 mg od\n- Denosumab recommended; zoledronic acid also an option\n"
    )
    assert not {"denosumab", "zoledronic acid"} & set(meds) and "amlodipine" in meds


# ------------------------------------------------- S2: "X not to be restarted" ends X, not the item before


def test_not_to_be_restarted_ends_only_the_drug_it_names() -> None:
    meds = _meds(H + "Meds:\n- Amiodarone 200 mg daily; digoxin not to be restarted\n- Ramipril 5 mg od")
    assert "amiodarone" in meds and "digoxin" not in meds


def test_an_item_ending_no_further_doses_is_still_ended() -> None:  # guard
    meds = _meds(
        "Meds:\n- Denosumab 120 mg - last given May; renal team -> no further doses\n- Apixaban 5 mg bd"
    )
    assert "denosumab" not in meds and "apixaban" in meds
