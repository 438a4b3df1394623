"""Session 12 (notes: safety misreads). Facts a note records as present or current that are not:
a value of another time kept over today's, a drug only proposed / planned / reserved read as
given, a medicine stopped or switched kept as current, an in-hospital insulin regimen kept as a
home medicine, and a lung infection read as interstitial lung disease. Each mechanism has a guard
that the real fact is still read. Notes written for these tests (several styles), not copied."""

from __future__ import annotations

import pytest

from ._note_helpers import _given, _med_ids, _read

H = "61F, ER+ HER2-low MBC (bone, liver) since 2024. "


def _labs(rec: dict) -> dict:
    return rec.get("labs") or {}


# 1. the newest value of a measure is the value; one of another time never is


@pytest.mark.parametrize(
    ("said", "field", "value"),
    [
        ("Corrected Ca 3.10 mmol/L on adm -> 2.58 today.", "calcium_mg_dl", 10.34),
        ("Bloods: adj calcium 2.95 mmol/L on admission -> 2.49 this morning.", "calcium_mg_dl", 9.98),
        ("Neutrophils 1.1 x10^9/L (18/11); repeat 19/11: 1.8.", "anc_per_ul", 1800),
        ("ANC 0.9 x10^9/L on 17/11, rechecked 19/11: 1.6.", "anc_per_ul", 1600),
        ("HbA1c 5.9% (41 mmol/mol) pre-treatment Jul; 7.2% (55 mmol/mol) on 4 Nov.", "hba1c_percent", 7.2),
    ],
)
def test_a_lab_of_another_time_gives_way_to_the_newer_one(said: str, field: str, value: float) -> None:
    assert _labs(_read(H + said)).get(field) == value


@pytest.mark.parametrize(
    ("said", "kg"),
    [
        ("Weight 59 kg today (admission weight 64 kg).", 59.0),
        ("Wt 130 lb today (admission wt 138 lb 11/12; usual ~150 lb).", 59.0),
    ],
)
def test_the_admission_weight_is_not_todays(said: str, kg: float) -> None:
    assert _read(H + said).get("weight_kg") == kg


def test_guard_a_single_dated_value_is_still_read() -> None:
    assert _labs(_read(H + "HbA1c 7.4% on 2 Nov.")).get("hba1c_percent") == 7.4
    assert _labs(_read(H + "ANC today 1.2 x10^9/L (baseline 2.0).")).get("anc_per_ul") == 1200


# 2. a drug only proposed, planned, reserved or judged not possible is not given


@pytest.mark.parametrize(
    ("said", "drug"),
    [
        ("Our proposal (MDT 04/11/2026): weekly paclitaxel as second-line chemotherapy.", "paclitaxel"),
        ("Proposal: eribulin in 3rd line once she has recovered.", "eribulin"),
        ("Respuesta: ahora no; PIK3CA reservado para 2a linea (alpelisib + fulvestrant).", "alpelisib"),
        ("Capivasertib is reserved for second line.", "capivasertib"),
        ('Onc view: T-DXd "not possible with this bilirubin".', "trastuzumab deruxtecan"),
    ],
)
def test_a_proposed_or_reserved_drug_is_not_given(said: str, drug: str) -> None:
    assert drug not in _given(_read(H + said))


@pytest.mark.parametrize(
    ("said", "drug"),
    [
        ("Onc plans zoledronic acid 4 mg q12w. Meds: omeprazole 20 mg.", "zoledronic_acid"),
        ("Antiemetics (ondansetron + dexamethasone) will be prescribed with cycle 1.", "dexamethasone"),
        ("Loperamide will be dispensed with the first supply of abemaciclib.", "loperamide"),
    ],
)
def test_a_planned_medicine_is_not_current(said: str, drug: str) -> None:
    assert drug not in _med_ids(_read(H + said))


def test_guard_a_drug_given_in_the_same_note_is_still_given() -> None:
    rec = _read(H + "On fulvestrant since 03/2025. Proposal: add capivasertib at progression.")
    assert "fulvestrant" in _given(rec)
    assert "capivasertib" not in _given(rec)


# 3. a medicine stopped, switched or finished is not current


@pytest.mark.parametrize(
    ("said", "drug", "kept"),
    [
        ("Meds: apixaban 5 mg bd (warfarin switched 07/2026 - interaction), bisoprolol 2.5 mg.", "warfarin", "apixaban"),
        ("Current: dalteparin 10000 u daily, naproxen OTC - told to stop.", "naproxen", "dalteparin"),
        ("Advised to stop ibuprofen; continue paracetamol 1 g qds.", "ibuprofen", "acetaminophen"),
        ("Pneumonitis 2025 treated with prednisolone, taper finished Feb 2026. Meds: ramipril 5 mg.", "prednisolone", "ramipril"),
    ],
)
def test_a_stopped_or_switched_medicine_is_not_current(said: str, drug: str, kept: str) -> None:
    meds = _med_ids(_read(H + said))
    assert drug not in meds
    assert kept in meds


def test_guard_switched_to_keeps_the_new_drug() -> None:
    meds = _med_ids(_read(H + "Meds: metoprolol switched to bisoprolol 2.5 mg in May."))
    assert "bisoprolol" in meds
    assert "metoprolol" not in meds


# 4. an in-hospital insulin infusion is not a home medicine (a sliding scale may be)


def test_a_variable_rate_insulin_infusion_is_not_a_home_medicine() -> None:
    meds = _med_ids(_read(H + "ED: IV fluids, insulin infusion (variable rate). Home meds: metformin 500 mg bd."))
    assert "insulin" not in meds
    assert "metformin" in meds


def test_guard_a_home_sliding_scale_is_kept() -> None:
    meds = _med_ids(_read(H + "Meds: insulin glargine 20 u nocte, insulin aspart sliding scale, amlodipine 5 mg."))
    assert {"insulin", "amlodipine"} <= meds


# 5. a lung infection is not ILD; a drug pneumonitis stays ILD (a safety fact)


@pytest.mark.parametrize(
    "said",
    [
        "Chest: ground-glass change in 2021 was COVID pneumonitis, fully resolved.",
        "PMH: viral pneumonitis 2019 (admitted), no sequelae.",
    ],
)
def test_an_infective_pneumonitis_is_not_ild(said: str) -> None:
    assert "interstitial_lung_disease" not in (_read(H + said).get("comorbidities") or [])


@pytest.mark.parametrize(
    "said",
    [
        "History: grade 2 T-DXd pneumonitis in 2024, resolved with steroids.",
        "Past: radiation pneumonitis 2023.",
        "Drug-induced pneumonitis on everolimus 2022, resolved.",
    ],
)
def test_guard_a_drug_or_radiation_pneumonitis_stays_ild(said: str) -> None:
    assert "interstitial_lung_disease" in (_read(H + said).get("comorbidities") or [])


# the units a dose is written in are knowledge (nlp/lexicon.yaml `dose_units`), schema-checked


def test_dose_units_are_a_checked_lexicon_entry() -> None:
    from pydantic import ValidationError

    from mbc.ingest._data import load_yaml
    from mbc.knowledge._folders import NlpLexiconFile

    lexicon = load_yaml("nlp/lexicon.yaml")
    assert {"mg", "mcg", "units", "puffs", "%"} <= set(lexicon["dose_units"])
    with pytest.raises(ValidationError):
        NlpLexiconFile.model_validate({k: v for k, v in lexicon.items() if k != "dose_units"})
    with pytest.raises(ValidationError):
        NlpLexiconFile.model_validate({**lexicon, "dose_units": []})


# a brain radiosurgery only referred for is not a local treatment given

BRAIN = "55F HER2+ MBC, 2 new brain metastases on MRI 10/11/2026. "


@pytest.mark.parametrize("said", ["Disposition: admit; neuro-onc MDT for SRS.", "Referral for SRS sent today."])
def test_radiosurgery_only_referred_for_is_not_local_treatment(said: str) -> None:
    assert not ((_read(BRAIN + said).get("metastases") or {}).get("brain") or {}).get("locally_treated")


def test_guard_radiosurgery_done_is_local_treatment() -> None:
    brain = (_read(BRAIN + "SRS to both lesions completed 12/11/2026.").get("metastases") or {}).get("brain")
    assert brain.get("locally_treated") is True


def test_who_suggested_a_medicine_is_no_proposal() -> None:
    """Both directions: a medicine the patient takes, noted as suggested by the GP, stays current."""
    assert "sertraline" in _med_ids(_read(H + "Meds: sertraline 50 mg (suggested by GP), amlodipine 5 mg."))


def test_a_choice_offered_with_consider_is_not_given() -> None:
    rec = _read(H + "Advice: not fit for a taxane; consider trastuzumab + pertuzumab with anastrozole, or T-DM1 if unwell.")
    assert not {"trastuzumab emtansine", "anastrozole"} & _given(rec)


def test_guard_a_drug_she_is_on_stays_given_beside_a_choice() -> None:
    rec = _read(H + "On letrozole since 2024; consider adding palbociclib or ribociclib.")
    assert "letrozole" in _given(rec)
    assert not {"palbociclib", "ribociclib"} & _given(rec)


def test_a_drug_named_in_a_class_statement_is_not_current() -> None:
    meds = _med_ids(_read(H + "Opinion: any bisphosphonate, including zoledronic acid, carries a jaw risk."))
    assert "zoledronic_acid" not in meds


def test_guard_a_medicine_only_suggested_by_the_gp_is_not_current() -> None:
    rec = _read(H + "Plan: counselling (agreed). Mirtazapine suggested by GP - she prefers to wait.")
    assert "mirtazapine" not in _med_ids(rec)
