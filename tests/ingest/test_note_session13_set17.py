"""Session 13 (notes: safety misreads of set 17, by class). A medicine suspended, whose course ended,
given once as a load, for one night, none this cycle, or off since a date is not current; a medicine
still to be decided, only talked about, never got, kept as a fallback or only mentioned by a doctor is
not taken; a value in a bracket after today's value, or one called older and then overtaken by a
state in words, is not today's; a hold or a side effect named as a diagnosis is no toxicity stop; a
form row answered NO / UNK after a pipe denies its item; "concern for" is a worry; a spot "too small
to call" is no site. Each class has a guard that the real fact is still read. Notes written for these
tests, not copied from a benchmark set (the reference date is 20 Nov 2026)."""

from __future__ import annotations

import pytest

from ._note_helpers import _course, _med_ids, _read, _sites

H = "61F, ER+ HER2-negative MBC (bone, liver) since 2025, on anastrozole + abemaciclib. "
T = "47F, HER2+ MBC (liver) since 2024, on trastuzumab + pertuzumab maintenance. "

# A. a medicine that is not current


@pytest.mark.parametrize(
    ("said", "drug"),
    [
        ("Meds: sertraline 50 mg. Her bisoprolol was suspended last month (bradycardia).", "bisoprolol"),
        ("Meds: sertraline 50 mg od; levofloxacin 500 mg od - course ended 02/11.", "levofloxacin"),
        ("Meds: sertraline 50 mg. Levetiracetam was given as a single IV load in resus - not continued.",
         "levetiracetam"),
        ("Meds: sertraline 50 mg. Glucose 16 overnight -> sliding-scale insulin for tonight only.", "insulin"),
        ("Meds: sertraline 50 mg, ondansetron prn.\n  Dexamethasone (premed) - none this cycle.", "dexamethasone"),
        ("Meds: sertraline 50 mg. SRS done 10/2026, off dexamethasone since 05/11.", "dexamethasone"),
    ],
)
def test_a_medicine_not_taken_now(said: str, drug: str) -> None:
    meds = _med_ids(_read(H + said))
    assert drug not in meds
    assert "sertraline" in meds  # guard: the other medicine is still read


def test_a_guard_a_medicine_going_on_is_kept() -> None:
    meds = _med_ids(_read(H + "Meds: bisoprolol 2.5 mg od (continue), sertraline 50 mg od since 2024."))
    assert {"bisoprolol", "sertraline"} <= meds


# B. a medicine only considered, talked about, or kept in reserve


@pytest.mark.parametrize(
    ("said", "drug"),
    [
        ("Meds: sertraline 50 mg. Pregabalin for the burning feet - we'll decide once the scan is back.",
         "pregabalin"),
        ("Meds: sertraline 50 mg. The fluconazole was only talked about at the GP, I never got it.",
         "fluconazole"),
        ("Meds: sertraline 50 mg. Please avoid the fluconazole your GP mentioned - it interacts.",
         "fluconazole"),
    ],
)
def test_b_medicine_only_considered(said: str, drug: str) -> None:
    meds = _med_ids(_read(H + said))
    assert drug not in meds
    assert "sertraline" in meds


def test_b_a_cancer_drug_kept_as_a_fallback_is_not_given() -> None:
    rec = _read(T + "Eribulin mentioned by the team as a fallback if the current treatment fails.")
    assert all("eribulin" not in t["drugs"] for t in rec.get("prior_therapies", []))


# C. values of another time


def test_c_bracketed_older_value_after_todays() -> None:
    assert _read(H + "Performance status: ECOG 2 today (ECOG 0 at the last visit in August).")["ecog"] == 2


def test_c_older_value_overtaken_by_a_state_in_words() -> None:
    assert _read(H + "ECOG 0 before this admission; now needs help to walk to the toilet.").get("ecog") != 0


def test_c_guard_a_later_number_still_wins() -> None:
    assert _read(H + "ECOG 1 before admission; now ECOG 3.")["ecog"] == 3
    assert _read(H + "ECOG 1 on review today.")["ecog"] == 1


# D. a hold or a side effect named is not a stop


def test_d_withhold_is_a_hold() -> None:
    rec = _read(T + "LVEF 46% on echo -> withhold pertuzumab and trastuzumab for 3 weeks, then repeat echo.")
    assert all(t.get("stop_reason") != "toxicity" for t in rec.get("prior_therapies", []))


def test_d_side_effect_named_as_diagnosis_is_not_a_stop() -> None:
    rec = _read(H + "This looks like abemaciclib diarrhoea, grade 1, settling with loperamide prn.")
    assert all(t.get("stop_reason") != "toxicity" for t in rec.get("prior_therapies", []))


def test_d_guard_a_real_toxicity_stop_is_read() -> None:
    rec = _read("58F, TNBC MBC (lung) since 2025. Paclitaxel stopped 09/2026 because of grade 3 neuropathy.")
    assert _course(rec, "paclitaxel").get("stop_reason") == "toxicity"


# E. a form row answered after a pipe


def test_e_pipe_row_answered_no_or_unknown() -> None:
    rec = _read(
        H + "\nScreening\nHistory of pneumonitis / ILD      | NO    | viral pneumonia 2019, cleared\n"
        "CNS metastases                    | UNK   | never imaged\nECOG                              | 1     |\n"
    )
    assert "interstitial_lung_disease" not in (rec.get("comorbidities") or [])
    assert "brain" not in _sites(rec)


def test_e_guard_pipe_row_answered_yes_keeps_the_item() -> None:
    rec = _read(H + "\nScreening\nCNS metastases                    | YES   | 2 lesions, SRS 09/2026\n")
    assert "brain" in _sites(rec)


# F. a worry and a spot too small to call


def test_f_concern_for_visceral_crisis_is_not_a_finding() -> None:
    rec = _read(H + "Bilirubin rising. Concern for evolving visceral crisis - discuss at MDT.")
    assert (rec.get("metastases") or {}).get("visceral_crisis") is not True


def test_f_guard_visceral_crisis_stated() -> None:
    rec = _read(H + "Impression: visceral crisis from liver failure (bilirubin 4x ULN).")
    assert (rec.get("metastases") or {}).get("visceral_crisis") is True


def test_f_spot_too_small_to_call_is_no_site() -> None:
    rec = _read("55F, TNBC MBC since 2026 (liver biopsy). CT: a lung spot, still too small to tell.")
    assert "lung" not in _sites(rec)
    assert "liver" in _sites(rec)
