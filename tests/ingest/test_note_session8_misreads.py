"""Issue 11, session 8 (safety misreads): one test per class of misread, each with phrasings
written for this file (none copied from a blind note), each failing on the reader before the
session-8 misreads pass (02d0639). Classes: negated / screened-clear / uncertain comorbidities,
trial-form rows answered N, holds and dose cuts that are not stops, drugs not given (not used,
not applicable, not recommended, an option, "down the track", requested, investigational, a
fallback plan, the patient's own questions), results not performed / not evaluated / below the
limit, older values (dated long before the note, "at last clinic", auto-populated, an older
biopsy), single doses, "X - none" lines, prophylaxis, "call for any X", brain metastases the note
calls neurologically asymptomatic, "not ruling chemo out". Each withheld fact sits beside one
that must still be read."""

from __future__ import annotations

import datetime as dt

import pytest

from mbc.ingest import extract

pytestmark = pytest.mark.filterwarnings("ignore::UserWarning")
AS_OF = dt.date(2026, 11, 20)
HEAD = "Clinic letter 18 Nov 2026. Mrs Q, 64, metastatic breast cancer. Anastrozole since 03/2025, ongoing.\n"


def _read(text: str) -> dict:
    return extract(HEAD + text + "\nReview in four weeks.", kind="note", as_of=AS_OF).record


def _drugs(rec: dict) -> set[str]:
    return {d for t in rec.get("prior_therapies", []) or [] for d in t.get("drugs", [])}


# ---------------------------------------------------------------- comorbidities not present


@pytest.mark.parametrize(
    "text",
    [
        "Plan: keep going with letrozole (checked with Dr B; no\nILD). Type 2 diabetes on metformin.",
        "On T-DXd q3w, given through the RT course (pneumonitis screen clear). Type 2 diabetes on metformin.",
        "Chest: clear. Pneumonitis: none, SpO2 97%. Type 2 diabetes on metformin.",
        "HRCT: patchy ground glass - ? drug pneumonitis vs infection. Type 2 diabetes on metformin.",
        "CT: cannot rule out early drug-\nrelated ILD vs atelectasis. Type 2 diabetes on metformin.",
        "Study exclusions:\n[N] Prior pneumonitis needing steroids\n[Y] Measurable disease\nType 2 diabetes on metformin.",
    ],
)
def test_comorbidity_not_present(text: str) -> None:
    rec = _read(text)
    assert "interstitial_lung_disease" not in (rec.get("comorbidities") or [])
    assert "diabetes_type2" in (rec.get("comorbidities") or [])


def test_trial_table_row_answered_no() -> None:
    rec = _read(
        "Eligibility check:\n 4. Visceral crisis at screening            N\n 5. Untreated CNS disease"
        "                  N  (never imaged, none suspected)\nBone and liver metastases."
    )
    assert rec.get("metastases", {}).get("visceral_crisis") is not True
    assert "brain" not in rec.get("metastases", {}).get("sites", [])
    assert "liver" in rec.get("metastases", {}).get("sites", [])


# ---------------------------------------------------------------- holds and dose cuts


@pytest.mark.parametrize(
    "later",
    [
        "Ribociclib was cut to 400 mg in August for neutropenia.",
        "Ribociclib was dropped to 400 mg in June for grade 3 neutropenia, and she had one week off in August for the same.",
    ],
)
def test_dose_cut_or_break_is_not_a_stop(later: str) -> None:
    rec = extract(
        "Clinic letter 18 Nov 2026. Mrs Q, 64, metastatic breast cancer.\n"
        f"1L letrozole + ribociclib since 02/2026. {later}\nReview in four weeks.",
        kind="note",
        as_of=AS_OF,
    ).record
    lines = [t for t in rec.get("prior_therapies", []) if "ribociclib" in t["drugs"]]
    assert lines
    assert all(t.get("stop_reason") in (None, "ongoing") for t in lines)


# ---------------------------------------------------------------- drugs not given


@pytest.mark.parametrize(
    ("text", "absent"),
    [
        ("Olaparib not used here (not funded in this region).", "olaparib"),
        ("Trastuzumab deruxtecan not applicable as HER2 is 0.", "trastuzumab deruxtecan"),
        ("Comment: ESR1 Y537S found; everolimus is not\nrecommended outside a trial.", "everolimus"),
        ("TMB-high: pembrolizumab is a site-agnostic later-line option. Continue current.", "pembrolizumab"),
        ("Her oncologist had mentioned Kisqali \"further down the track\".", "ribociclib"),
        ("Her short chemo-free interval argues against eribulin at this point.", "eribulin"),
        (
            "Options the profile supports include capivasertib + fulvestrant,\nalpelisib + fulvestrant (her"
            " diabetes is on metformin), or\nelacestrant (ESR1).",
            "elacestrant",
        ),
        # (two controls that passed before this pass too: a list of options, a fallback plan)
        ("Fallback plan if she fails screening: carboplatin + gemcitabine (to be confirmed at MDT).", "carboplatin"),
        ("Screening log - investigational \"ZQ-101\" + pembrolizumab, first-line.", "pembrolizumab"),
    ],
)
def test_drug_not_given(text: str, absent: str) -> None:
    drugs = _drugs(_read(text))
    assert absent not in drugs
    assert "anastrozole" in drugs


def test_request_letter_form_line() -> None:  # a control: passed before this pass too
    rec = extract(
        "PRIOR AUTHORIZATION REQUEST\nDate: 18 Nov 2026\n\nRequested: capivasertib 400 mg bd + fulvestrant 500 mg"
        " IM\nNot yet started.\n\nHistory: letrozole + palbociclib 2024-2026, progression.\n",
        kind="note",
        as_of=AS_OF,
    ).record
    assert _drugs(rec) == {"letrozole", "palbociclib"}


def test_patients_question_section() -> None:  # a control: passed before this pass too
    rec = _read(
        "Current medications:\n  Anastrozole 1 mg daily\n  Ramipril 2.5 mg daily\n\nHis questions: (1) travel"
        " insurance; (2) he read about \"tucatinib\" online and wondered if it would suit him."
    )
    assert "tucatinib" not in _drugs(rec)
    assert "ramipril" in (rec.get("medications") or [])


def test_support_drug_awaiting_authorisation_is_not_current() -> None:
    rec = _read("Sertraline 50 mg daily.\nNext cycle on 02/12 at a reduced dose with G-CSF (pegfilgrastim) support - prior auth requested.")
    assert "pegfilgrastim" not in (rec.get("medications") or [])
    assert "sertraline" in (rec.get("medications") or [])


# ---------------------------------------------------------------- results not obtained


def test_results_not_performed_or_below_limit() -> None:
    rec = _read(
        "NGS: ERBB2 L755S, VAF 12%; PIK3CA - negative; AKT1 E17K - equivocal call (VAF 0.8%, below validated LOD,"
        " not reported). PTEN loss by IHC not performed."
    )
    somatic = rec.get("somatic") or []
    assert not any(s.startswith("AKT1") for s in somatic)
    assert not any(s.startswith("PTEN") for s in somatic)
    assert "ERBB2 L755S" in somatic
    rec = _read("ctDNA NOT DETECTED: PIK3CA, AKT1, PTEN (sequence variants).\nNot evaluated: PTEN copy loss.")
    somatic = rec.get("somatic") or []
    assert not any(s.startswith("PTEN") for s in somatic)
    assert "PIK3CA wildtype" in somatic


# ---------------------------------------------------------------- older values


def test_value_dated_long_before_the_note_is_older() -> None:
    labs = _read("Bloods today: HbA1c 8.4%, fasting glucose 131.\n(Last year's report 04/2026: HbA1c 6.9%, fasting glucose 240.)").get("labs") or {}
    assert labs.get("hba1c_percent") == 8.4
    assert labs.get("fasting_glucose_mg_dl") == 131
    # a decimal is not a date ("neut 2.8" is not 2 August); a dotted day.month still is
    labs = _read("FBC today 17/11: Hb 101, neut 2.8, plt 170, bili 15 umol/L (range 0-21).\nLFTs 02/11: bili 30 umol/L (0-21).").get("labs") or {}
    assert labs.get("bilirubin_x_uln") == pytest.approx(15 / 21, abs=0.01)
    labs = _read("Labs 16.11: ALT 2.0 x ULN.\n(Labs 03.09: ALT 4.0 x ULN - improving.)").get("labs") or {}
    assert labs.get("alt_x_uln") == 2.0


def test_table_row_glucose_fasting() -> None:
    labs = _read("Chemistry:\n  Glucose, fasting       104 mg/dL (70-99)\n  HbA1c                  5.9 %").get("labs") or {}
    assert labs.get("fasting_glucose_mg_dl") == 104


@pytest.mark.parametrize(
    ("text", "want"),
    [("ECOG 1 at her last clinic; today 2.", 2), ("ECOG 2 at the previous visit, ECOG 1 today.", 1)],
)
def test_ecog_last_clinic_then_today(text: str, want: int) -> None:
    assert _read(text).get("ecog") == want


def test_receptors_older_biopsy_or_auto_populated_lose() -> None:
    tumor = _read(
        "Receptors: 2020 nodal recurrence bx ER 60% PR 0 HER2 0; repeat bx liver 08/2026: ER 10%, PR 0%,\n"
        "HER2 2+, ISH not amplified."
    ).get("tumor") or {}
    assert tumor.get("her2_ihc") == "2+"
    assert tumor.get("er_percent") == 10
    tumor = _read(
        "Liver bx 02 May 2025: ER 0%, PR 0%, HER2 IHC 3+ (discordant with primary).\n"
        "  Receptors (auto-populated from 2020 path): ER 40% / PR 5% / HER2 3+  <- OUTDATED."
    ).get("tumor") or {}
    assert tumor.get("er_percent") == 0


# ---------------------------------------------------------------- medications and symptoms


def test_single_doses_and_none_lines_are_not_current_medications() -> None:
    meds = _read("ED: given ondansetron 8 mg IV x1 and oxycodone 5 mg PO x2. Home: sertraline 50 mg.").get("medications") or []
    assert "ondansetron" not in meds and "oxycodone" not in meds
    assert "sertraline" in meds
    meds = _read("Current meds: apixaban - none. Sertraline 50 mg.").get("medications") or []
    assert "apixaban" not in meds and "sertraline" in meds


def test_prophylaxis_and_call_for_any_are_not_symptoms() -> None:
    syms = _read("Levetiracetam 500 mg BD (seizure prophylaxis). Ring the hotline for any fever or diarrhoea. Has a cough.").get("symptoms") or []
    assert "seizure" not in syms and "fever" not in syms and "diarrhea" not in syms
    assert "cough" in syms


def test_brain_mets_asymptomatic_neurologically() -> None:
    rec = _read("Brain mets x2 after SRS, stable. Levetiracetam 500 bd (since a 2024 seizure). Asymptomatic neurologically.")
    assert rec.get("metastases", {}).get("brain", {}).get("symptomatic") is not True
    rec = _read("Brain mets x2. New seizure last week.")
    assert rec.get("metastases", {}).get("brain", {}).get("symptomatic") is True


@pytest.mark.parametrize(
    ("text", "declines"),
    [
        ("She does not want chemo again if it can be\navoided, but is not ruling it out.", None),
        ("He declines chemotherapy outright.", True),
    ],
)
def test_not_ruling_chemo_out(text: str, declines: bool | None) -> None:
    assert (_read(text).get("preferences") or {}).get("declines_chemotherapy") is declines


def test_scan_reason_is_not_a_current_symptom() -> None:
    syms = _read("Head CT (for dizziness, August) -> clear. Today: nausea after cycle 2.").get("symptoms") or []
    assert "dizziness" not in syms and "nausea" in syms


def test_ultralow_asked_then_reread_as_zero() -> None:
    tumor = _read("Liver bx: ER 0, PR 0, HER2 0 (ultralow? - central re-read: HER2 0, no membrane staining).").get("tumor") or {}
    assert tumor.get("her2_ihc") == "0"
    tumor = _read("Liver bx: ER 0, PR 0, HER2-ultralow (faint incomplete staining in 5%).").get("tumor") or {}
    assert tumor.get("her2_ihc") == "ultralow"
