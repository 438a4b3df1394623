"""Issue 11, session 11 (notes: safety and fields): classes of misread found on set 14, each
tested with phrasings written for this file (none copied from a note).

Classes: a numbered query answered no on its reply line, a checklist answer with a long aside or
a dash, a table row with a comment column after its answer, a quoted trial criterion; a bare
"PS" of a receptor report (Allred) is no ECOG; the newest dated value wins (a past year after a
value, "pre-admission", a value "subsequently" lower, two-digit-year dates deciding the date order,
a date-headed lab table whose cells carry units, the morning after the note date); a medication
in a non-systemic form, "(not now)", "X recommended;", "Done today:", "no further doses"; a
re-read receptor result, a primary named in an aside after the current result, a synoptic field
line, a worded HER2 call with its score in brackets; a finding only conditioned on a test or only
not excluded; "de novo?" asked about; symptoms "recovered". Each withheld fact sits beside one
that must still be read (controls)."""

from __future__ import annotations

import datetime as dt

import pytest

from mbc.ingest import extract

pytestmark = pytest.mark.filterwarnings("ignore::UserWarning")
AS_OF = dt.date(2026, 11, 20)
HEAD = "Clinic letter 18 Nov 2026. Mrs K, 58, metastatic breast cancer. Anastrozole since 02/2025.\n"


def _read(text: str, head: str = HEAD) -> dict:
    return extract(head + text + "\nReview in four weeks.", kind="note", as_of=AS_OF).record


def _sites(text: str) -> list:
    return (_read(text).get("metastases") or {}).get("sites") or []


# ---------------------------------------------------------------- checklists and queries


def test_a_numbered_query_answered_no_denies_what_it_names() -> None:
    rec = _read("Q5. Brain metastases.\nA5. N - not imaged, no neuro symptoms.\nBone mets on PET.")
    assert "brain" not in _sites_of(rec)
    assert "bone" in _sites_of(rec)  # control


def test_a_query_answered_yes_keeps_what_it_names() -> None:  # control
    rec = _read("Query 2: liver metastases confirmed?\nAnswer 2: Yes, biopsy-proven liver mets.")
    assert "liver" in _sites_of(rec)


def _sites_of(rec: dict) -> list:
    return (rec.get("metastases") or {}).get("sites") or []


@pytest.mark.parametrize(
    "text",
    [
        "Pneumonitis/ILD: N (none ever; HRCT 09/2026 normal lung fields).",
        "Interstitial lung disease: no - high-resolution CT clear.",
    ],
)
def test_a_checklist_answer_with_a_long_aside_or_a_dash_denies(text: str) -> None:
    assert "interstitial_lung_disease" not in (_read(text).get("comorbidities") or [])


@pytest.mark.parametrize(
    "text",
    [
        "4  Untreated brain metastases                      N      MRI head 02/11/26 clear",
        "5  Known brain mets                                no     CT head normal",
    ],
)
def test_a_table_row_answered_no_before_a_comment_column_denies(text: str) -> None:
    assert "brain" not in _sites(text)


def test_a_quoted_trial_criterion_is_no_fact() -> None:
    rec = _read(
        'Excl 9 - "prior pneumonitis requiring steroids": not met.\nInclusion criterion 2: brain mets stable.'
    )
    assert "interstitial_lung_disease" not in (rec.get("comorbidities") or [])


# ---------------------------------------------------------------- ECOG and Allred


@pytest.mark.parametrize(
    "text",
    [
        "ECOG 0. Path 2019: ER positive, Allred PS 5, IS 3.",
        "ECOG 0. The PS 4 on the old pathology form is the proportion score, not ECOG.",
        "ECOG 0. ER 90% (PS 5 / IS 3, total 8).",
    ],
)
def test_an_allred_proportion_score_is_no_ecog(text: str) -> None:
    assert _read(text).get("ecog") == 0


def test_a_bare_ps_is_still_ecog() -> None:  # control
    assert _read("PS 2, walking with a stick.").get("ecog") == 2


# ---------------------------------------------------------------- newest value wins


def test_a_value_followed_by_a_past_year_is_older() -> None:
    rec = _read("Known cardiomyopathy (LVEF 40 % in 2020), echo 10/2026 LVEF 58 %.")
    assert rec.get("lvef_percent") == 58


def test_an_ecog_said_to_be_from_a_past_year_is_older() -> None:
    assert _read("Screening ECOG 2 is the right one; ECOG 1 was from 2025.").get("ecog") == 2


def test_a_pre_admission_value_then_today() -> None:
    assert _read("Inpatient review. ECOG 2 pre-admission, 3 today.").get("ecog") == 3


def test_a_value_subsequently_lower() -> None:
    assert _read("Ribociclib reduced (QTcF 489 ms at C1D15, subsequently 446 ms).").get("qtcf_ms") == 446


def test_two_digit_year_dates_decide_the_date_order() -> None:
    head = "Screening reply, sent 06-Nov-2026. Pt 61F, metastatic breast cancer. Letrozole from 7/19/24.\n"
    text = "C3 delayed (ANC 0.9).\nScreening labs (11/4/26): ANC 3.4 K/uL, platelets 210 K/uL."
    rec = extract(head + text, kind="note", as_of=dt.date(2026, 11, 6)).record
    assert rec["labs"]["anc_per_ul"] == 3400


def test_a_date_headed_lab_table_whose_cells_carry_units() -> None:
    text = (
        "Bloods      19/11 22:00        20/11 07:00\n"
        " Corr Ca      3.05 mmol/L        2.71 mmol/L\n"
        " Albumin      33 g/L             30 g/L\n"
    )
    rec = extract("Admission clerking 19/11/2026 23:10. 64F, MBC, bone mets.\n" + text, kind="note").record
    assert rec["labs"]["albumin_g_dl"] == 3.0
    assert round(rec["labs"]["calcium_mg_dl"], 1) == 10.9


def test_a_span_of_dates_is_no_table_header() -> None:  # control
    text = "Palbociclib + letrozole 10/21 -> 03/25 (PD).\nCorr Ca 2.45 mmol/L today."
    rec = _read(text)
    assert round(rec["labs"]["calcium_mg_dl"], 1) == 9.8


# ---------------------------------------------------------------- medications


def _meds(text: str) -> list:
    return _read(text).get("medications") or []


def test_a_shampoo_or_eye_drops_are_not_systemic() -> None:
    meds = _meds("Meds: ketoconazole shampoo twice weekly, chloramphenicol eye drops, amlodipine 5 mg od.")
    assert "ketoconazole" not in meds
    assert "amlodipine" in meds  # control


def test_a_gel_is_still_a_medication() -> None:  # control (the labels count topical gels)
    assert "diclofenac" in _meds("Meds: diclofenac gel to knees, omeprazole 20 mg.")


def test_not_now_after_a_dose_line() -> None:
    meds = _meds("DH: ondansetron 8 mg bd d1 to d3 with paclitaxel (not now), omeprazole 20 mg.")
    assert "ondansetron" not in meds
    assert "omeprazole" in meds


def test_a_drug_recommended_at_the_end_of_its_clause_is_proposed() -> None:
    meds = _meds("DEXA: osteoporosis. Denosumab recommended; oncology to decide.\nMeds: bisoprolol 2.5 mg.")
    assert "denosumab" not in meds
    assert "bisoprolol" in meds


def test_done_today_is_given_once() -> None:
    meds = _meds("Done today: steroid injection L shoulder - triamcinolone 40 mg.\nMeds: ramipril 5 mg.")
    assert "triamcinolone" not in meds
    assert "ramipril" in meds


def test_a_list_item_ending_no_further_doses() -> None:
    meds = _meds(
        "Meds:\n- Denosumab 120 mg - last given May; renal team -> no further doses\n- Apixaban 5 mg bd"
    )
    assert "denosumab" not in meds
    assert "apixaban" in meds


# ---------------------------------------------------------------- receptors


def _tumor(text: str) -> dict:
    return _read(text).get("tumor") or {}


def test_a_re_read_score_wins() -> None:
    text = "Liver core 10/2026: ER 0%, HER2 IHC 1+ (HER2-low), re-read 02/11/26\nby second pathologist: HER2 0 (no staining)."
    assert _tumor(text).get("her2_ihc") == "0"


def test_a_primary_named_in_an_aside_after_the_current_result() -> None:
    text = "Latest biopsy (lung,\nSep 2025) ER 20%, HER2 IHC 2+ (the 2015 primary was ER 90%, HER2 1+)."
    tumor = _tumor(text)
    assert tumor.get("er_percent") == 20
    assert tumor.get("her2_ihc") == "2+"


def test_a_synoptic_field_line_is_no_wrapped_sentence() -> None:
    text = (
        "Specimen: core, L2 vertebra.\nBreast primary: core 2026 reported separately (ER neg, HER2 3+)\n\n"
        "Diagnosis: metastatic carcinoma, breast primary\n"
        "ER (SP1) ............ Negative, 0 %\n"
        "HER2 IHC (4B5) ...... Equivocal (2+) on decalcified bone\n"
    )
    assert _tumor(text).get("her2_ihc") == "2+"


# ---------------------------------------------------------------- uncertain findings


def test_a_finding_conditioned_on_a_test_is_not_known() -> None:
    rec = _read("Plan: hold T-DXd. Prednisolone 1 mg/kg only if HRCT confirms pneumonitis - not started.")
    assert "interstitial_lung_disease" not in (rec.get("comorbidities") or [])


def test_unspecific_nodules_only_not_excluded_are_no_site() -> None:
    sites = _sites(
        "Metastatic disease (liver, bone, peritoneal nodules on CT 'cannot exclude' - not confirmed)."
    )
    assert "peritoneum" not in sites
    assert {"bone", "liver"} <= set(sites)  # control: the list's other items stay


@pytest.mark.parametrize(
    "text", ["Presentation: de novo? no - relapsed 2024.", "Not de novo: relapse after adjuvant AI."]
)
def test_de_novo_asked_or_denied_is_not_the_presentation(text: str) -> None:
    assert _read(text).get("presentation") != "de_novo"


# ---------------------------------------------------------------- symptoms


def test_a_recovered_symptom_is_not_current() -> None:
    rec = _read(
        "After SRS: word-finding difficulty and headache. Word-finding has fully recovered; mild headache."
    )
    symptoms = rec.get("symptoms") or []
    assert not any("word" in str(s) for s in symptoms)
    assert "headache" in symptoms  # control


def test_not_recovered_stays() -> None:  # control
    rec = _read("Numbness in the fingers - not recovered since paclitaxel.")
    assert rec.get("symptoms")


def test_a_symptom_gone_across_a_line_wrap() -> None:
    rec = _read("no nausea this cycle, the mouth ulcers\nfrom last cycle went away.")
    assert not any("mouth" in str(s) for s in rec.get("symptoms") or [])


# ---------------------------------------------------------------- newer record fields


@pytest.mark.parametrize(
    ("text", "want"),
    [
        ("PMH: deep vein thrombosis R calf 2022, anticoagulated 6 months.", "venous_thromboembolism"),
        ("Past history: segmental PE 2020.", "venous_thromboembolism"),
        ("Allergies: lamotrigine - toxic epidermal necrolysis.", "severe_cutaneous_reaction"),
        ("Hx SJS after allopurinol.", "severe_cutaneous_reaction"),
    ],
)
def test_a_plainly_stated_clot_or_severe_skin_reaction_is_a_comorbidity(text: str, want: str) -> None:
    assert want in (_read(text).get("comorbidities") or [])


@pytest.mark.parametrize(
    "text",
    ["VTE prophylaxis: enoxaparin while inpatient.", "No DVT, no PE.", "Her sister had a DVT.", "New dress."],
)
def test_a_clot_watched_for_denied_or_a_relatives_is_not(text: str) -> None:
    assert not (_read(text).get("comorbidities") or [])


@pytest.mark.parametrize(
    "text",
    [
        "She will only take tablets.",
        "Wants oral treatment only - had a bad port infection.",
        "Refuses IV infusions after the last admission.",
        "Refuses any IV treatment; tablets are fine.",
    ],
)
def test_oral_therapy_only(text: str) -> None:
    assert (_read(text).get("preferences") or {}).get("oral_therapy_only") is True


def test_a_preference_for_oral_is_not_oral_only() -> None:  # control
    assert not (_read("She prefers oral therapy but would accept IV if needed.").get("preferences") or {})


def test_a_declined_joint_injection_is_not_oral_only() -> None:  # control
    assert not (
        _read("Steroid injection to the hip offered (pt declined injections).").get("preferences") or {}
    )


def test_a_vte_plan_heading_is_no_clot() -> None:  # control
    assert not (_read("Plan:\n6. VTE: on apixaban, TEDS.").get("comorbidities") or [])


# ---------------------------------------------------------------- uncertain genomics


@pytest.mark.parametrize(
    "text",
    ["MSI-H cannot be ruled out on this sample (low tumour content).", "dMMR/MSI-high can not be excluded."],
)
def test_an_msi_result_only_not_excluded_is_no_result(text: str) -> None:
    assert _read(text).get("msi") is None


def test_a_mutation_written_as_possible_is_no_result() -> None:
    rec = _read(
        "ctDNA: ESR1 mutation possible - subclonal, below the reporting threshold. PIK3CA E545K detected."
    )
    assert rec.get("somatic") == ["PIK3CA E545K"]


def test_a_stated_msi_beside_a_hedged_site_stays() -> None:  # control
    rec = _read("MSI-high on tissue NGS; brain mets cannot be ruled out on CT.")
    assert rec.get("msi") == "MSI-H"
    assert "brain" not in _sites_of(rec)


def test_de_novo_asked_and_answered_yes_is_the_presentation() -> None:  # control
    assert _read("Q2  De novo? ................ 1 = yes").get("presentation") == "de_novo"


def test_declining_iv_chemotherapy_is_not_oral_only() -> None:  # control
    assert not (_read("Declines IV chemotherapy.").get("preferences") or {}).get("oral_therapy_only")
