"""Issue 11, session 10 (notes: safety and fields): classes of misread found on sets 10 and 12,
each tested with phrasings written for this file (none copied from a note).

Classes: a receptor value corrected in words later (the correction wins; a value the note says to
disregard is dropped); a primary tumour's result named by its year or called "original(ly)" loses
to a later metastatic result, and the specimen nearest before a value is its specimen; a result
beside an awaited test ("ISH to follow") is still a result; a site named with a non-cancer disease
("interstitial lung disease") is no metastasis; a lesion whose hedge sits on the next line is no
site; a node station written as normal ("not enlarged") is no site; a symptom answered "denied"
after its name is denied; a lab followed by its corrected value takes the corrected one. Each
withheld fact sits beside one that must still be read (controls)."""

from __future__ import annotations

import datetime as dt

import pytest

from mbc.ingest import extract

from ._note_helpers import _sites

pytestmark = pytest.mark.filterwarnings("ignore::UserWarning")
AS_OF = dt.date(2026, 11, 20)
HEAD = "Oncology review 18 Nov 2026. Mrs D, 61, metastatic breast cancer. Letrozole since 04/2025.\n"


def _read(text: str) -> dict:
    return extract(HEAD + text + "\nSee again in a month.", kind="note", as_of=AS_OF).record


def _tumor(rec: dict) -> dict:
    return rec.get("tumor") or {}


# ---------------------------------------------------------------- (1) a receptor value corrected in words


@pytest.mark.parametrize(
    "text",
    [
        "Bone biopsy 09/2026: ER 70%, HER2 1+ (subsequently re-scored as 0 at the referral centre).",
        "Liver core 10/2026: ER 60%. HER2 IHC 1+, later amended to IHC 0 after review.",
        "Liver core 10/2026: ER 60%, HER2 1+.\nAmended report: HER2 score changed to 0 (no staining).",
        "Liver core 10/2026: ER 60%. HER2 reported 1+ initially; corrected to 0 on second review.",
    ],
)
def test_a_her2_score_corrected_in_words_wins(text: str) -> None:
    rec = _read(text)
    assert _tumor(rec).get("her2_ihc") == "0"
    assert _tumor(rec).get("er_percent") == 60 or _tumor(rec).get("er_percent") == 70


@pytest.mark.parametrize(
    "text",
    [
        "Revised result: HER2 IHC 0. The 1+ given in the first report is to be ignored.",
        "Final: HER2 IHC 0. Please disregard the HER2 1+ issued on 02/11.",
        "Second opinion: HER2 0. The earlier HER2 1+ was reported in error.",
    ],
)
def test_a_result_the_note_says_to_disregard_is_dropped(text: str) -> None:
    rec = _read("Pleural cytology 10/2026: ER 80%.\n" + text)
    assert _tumor(rec).get("her2_ihc") == "0"
    assert _tumor(rec).get("er_percent") == 80


# ---------------------------------------------------------------- (2) primary by year, nearest specimen


@pytest.mark.parametrize(
    "text",
    [
        "Background: breast cancer 2017 (ER+, HER2 1+), now relapsed.\nLiver biopsy 10/2026: ER 50%, HER2 2+.",
        "Hx L breast ca in 2016 (HER2 1+), recurrence 2026.\nNew liver lesions: core ER 50%, HER2 2+.",
        "Initially ER 90% HER2 1+; most recent biopsy (lung, 2026) ER 50%, HER2 2+.",
        "Originally HER2 1+ and ER 90%; latest core (pleura 09/2026) ER 50%, HER2 2+.",
    ],
)
def test_the_primary_named_by_its_year_or_original_loses(text: str) -> None:
    rec = _read(text)
    assert _tumor(rec).get("her2_ihc") == "2+"
    assert _tumor(rec).get("er_percent") == 50


@pytest.mark.parametrize(
    "text",
    [
        "Axillary node core 11/2026: ER 85%. PR 0% (the mastectomy specimen in\n2019 had PR 60%). HER2 0.",
        "Chest wall biopsy 11/2026: ER 85%, PR 0% (primary tumour 2019:\nPR 60%, HER2 1+). HER2 0.",
    ],
)
def test_an_aside_across_a_line_keeps_its_own_specimen(text: str) -> None:
    rec = _read(text)
    assert _tumor(rec).get("pr_percent") == 0
    assert _tumor(rec).get("er_percent") == 85


@pytest.mark.parametrize(
    "text",
    [
        "Liver core 11/2026: metastatic carcinoma, in keeping with a breast primary. ER 75%, PR 10%.\n"
        "Breast core 2019: ER 95%, PR 80%.",
        "Bone biopsy 11/2026: carcinoma compatible with breast primary; ER 75%, PR 10%.\n"
        "Breast core 2019: ER 95%, PR 80%.",
    ],
)
def test_a_metastasis_said_to_come_from_a_breast_primary_is_no_primary_specimen(text: str) -> None:
    rec = _read(text)
    assert _tumor(rec).get("er_percent") == 75
    assert _tumor(rec).get("pr_percent") == 10


# ---------------------------------------------------------------- (3) an awaited test beside a result


@pytest.mark.parametrize(
    "text",
    [
        "Liver core 11/2026: ER 40%. HER2 IHC 2+ (equivocal) - FISH to follow.",
        "Liver core 11/2026: ER 40%. HER2 2+ - ISH in progress.",
        "Liver core 11/2026: ER 40%. HER2 IHC 2+ (equivocal); SISH to follow.",
    ],
)
def test_a_result_beside_an_awaited_test_is_read(text: str) -> None:
    assert _tumor(_read(text)).get("her2_ihc") == "2+"


def test_an_awaited_test_itself_is_not_read() -> None:
    rec = _read("Liver core 11/2026: ER 40%. HER2 IHC to follow.")
    assert _tumor(rec).get("her2_ihc") is None


# ---------------------------------------------------------------- (4) sites that are not metastases


@pytest.mark.parametrize(
    "text",
    [
        "Problem: drug-related interstitial lung disease, grade 2, on prednisolone.",
        "Known chronic liver disease (NASH), stable.",
        "Past history: metabolic bone disease; fatty liver disease.",
    ],
)
def test_a_named_non_cancer_disease_is_no_site(text: str) -> None:
    rec = _read(text + "\nPET: bone metastases.")
    assert _sites(rec) == {"bone"}


@pytest.mark.parametrize(
    "text",
    [
        "CT: 7 mm lesion in the liver, probably a\nsimple cyst. Bone mets stable.",
        "CT: liver lesion segment 6, 8 mm, likely\nhaemangioma. Bone mets stable.",
        "US: hepatic lesion 5 mm, most\nlikely benign. Bone mets stable.",
    ],
)
def test_a_hedge_on_the_next_line_keeps_a_lesion_off_the_sites(text: str) -> None:
    assert _sites(_read(text)) == {"bone"}


@pytest.mark.parametrize(
    "text",
    [
        "CT chest: hilar nodes not enlarged. Bone mets stable.",
        "CT: axillary and mediastinal lymph nodes are not enlarged. Bone mets stable.",
        "CT chest: mediastinal nodes normal in size. Bone mets stable.",
        "CT: no change in bone mets; retroperitoneal nodes within normal limits.",
    ],
)
def test_nodes_written_as_normal_are_no_site(text: str) -> None:
    rec = _read(text)
    assert "distant_lymph_nodes" not in _sites(rec)
    assert "bone" in _sites(rec)


def test_enlarged_nodes_are_still_a_site() -> None:
    rec = _read("CT: enlarged mediastinal nodes, new since 06/2026. Bone mets stable.")
    assert "distant_lymph_nodes" in _sites(rec)


# ---------------------------------------------------------------- (5) a symptom answered "denied"


@pytest.mark.parametrize(
    "text",
    [
        "Review: vomiting denied. Fatigue mild.",
        "Asked about headaches - denied. Has mild fatigue.",
        "Diarrhoea: denied; fatigue present.",
    ],
)
def test_a_symptom_answered_denied_is_not_recorded(text: str) -> None:
    rec = _read(text)
    syms = " ".join(rec.get("symptoms") or []).lower()
    assert "vomit" not in syms and "headache" not in syms and "diarrh" not in syms
    assert "fatigue" in syms


# ---------------------------------------------------------------- (6) a corrected lab value


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("Calcium 2.40 mmol/L, corrected 2.62.", 10.5),
        ("Ca 2.38 mmol/L (ref 2.2-2.6) -> adjusted 2.55 mmol/L.", 10.22),
        ("Serum calcium 2.30 mmol/L; albumin-corrected 2.58.", 10.34),
    ],
)
def test_a_corrected_calcium_after_the_measured_one_wins(text: str, value: float) -> None:
    rec = _read(text)
    assert (rec.get("labs") or {}).get("calcium_mg_dl") == pytest.approx(value, abs=0.02)


# ---------------------------------------------------------------- (7) a lab table whose newest column is first


@pytest.mark.parametrize(
    "table",
    [
        "LABS            15/11/2026        25/10/2026\n"
        "ANC (x10^9/L)   3.1               0.9\n"
        "Platelets       210               95\n",
        "Bloods (most recent first)   16/11/26    02/11/26    20/10/26\n"
        "Neutrophils                  3.1         1.4         0.9\n"
        "Plt                          210         150         95\n",
    ],
)
def test_the_newest_dated_column_of_a_lab_table_wins(table: str) -> None:
    labs = _read(table).get("labs") or {}
    assert labs.get("anc_per_ul") == 3100
    assert labs.get("platelets_per_ul") == 210000


def test_a_lab_table_with_its_newest_column_last_is_read_as_before() -> None:
    table = "LABS            25/10/2026        15/11/2026\nANC (x10^9/L)   0.9               3.1\n"
    assert (_read(table).get("labs") or {}).get("anc_per_ul") == 3100


# ---------------------------------------------------------------- (8) month words in capitals


@pytest.mark.parametrize(
    "text",
    [
        "ANC 3.0 on 12 NOVEMBER 2026; ANC 0.8 on 03 SEPTEMBER 2026.",
        "ANC 3.0 (12 NOV 2026); ANC 0.8 (03 SEP 2026).",
    ],
)
def test_a_month_word_in_capitals_dates_a_value(text: str) -> None:
    assert (_read(text).get("labs") or {}).get("anc_per_ul") == 3000


# ---------------------------------------------------------------- (9) watched for, advised about, none new


@pytest.mark.parametrize(
    "text",
    [
        "On T-DXd: under surveillance for pneumonitis with CT every 9 weeks.",
        "Remains on T-DXd; we will monitor closely for ILD.",
        "Keep watching for interstitial lung disease on T-DXd.",
    ],
)
def test_a_condition_watched_for_is_not_recorded(text: str) -> None:
    rec = _read(text)
    assert "interstitial_lung_disease" not in (rec.get("comorbidities") or [])


def test_a_known_condition_under_surveillance_is_kept() -> None:
    rec = _read("Known pneumonitis under surveillance, off steroids.")
    assert "interstitial_lung_disease" in (rec.get("comorbidities") or [])


@pytest.mark.parametrize(
    "text",
    [
        "Safety net: come back if a temperature, vomiting or bleeding gums. Mild fatigue today.",
        "Told to phone the unit for rigors, vomiting or new headaches. Mild fatigue today.",
        "In case of vomiting, fever or headaches, attend the ED. Mild fatigue today.",
    ],
)
def test_symptoms_in_an_advised_condition_list_are_not_recorded(text: str) -> None:
    syms = " ".join(_read(text).get("symptoms") or []).lower()
    assert "vomit" not in syms and "headache" not in syms
    assert "fatigue" in syms


def test_a_list_broken_by_a_new_clause_is_no_condition() -> None:
    syms = " ".join(_read("Continue if tolerated, she reports nausea or vomiting since C2.").get("symptoms") or [])
    assert "nausea" in syms.lower()


@pytest.mark.parametrize(
    "text",
    [
        "Known liver and bone mets. CT today: liver mets - none new; bone stable.",
        "Known liver and bone mets. Restaging: liver - nil new, bone stable.",
    ],
)
def test_none_new_keeps_known_disease(text: str) -> None:
    assert {"liver", "bone"} <= _sites(_read(text))


def test_no_new_symptom_in_a_screen_is_denied() -> None:
    syms = " ".join(_read("Chest screen: no new cough, no fever. Mild fatigue today.").get("symptoms") or [])
    assert "cough" not in syms.lower()


def test_a_benign_call_after_a_measurement_keeps_a_nodule_off_the_sites() -> None:
    rec = _read("PET: rib lesions. Small R adrenal nodule, 1.2 cm, 4 HU, in keeping with an adenoma.")
    assert "other" not in _sites(rec) and "bone" in _sites(rec)


# ---------------------------------------------------------------- (10) site lists after an anchor or a label


@pytest.mark.parametrize(
    ("text", "want"),
    [
        ("Metastatic at presentation, de novo 03/2025: liver + bone.", {"liver", "bone"}),
        ("De novo March 2025 - lung, bone.", {"lung", "bone"}),
        ("Disease course: PD liver + new bone lesions on CT.", {"liver", "bone"}),
        ("ER+ MBC. Sites: liver (segments 4 and 7), bones (pelvis).", {"liver", "bone"}),
        ("Problem list\n  metastatic sites - lung, pleura\n", {"lung", "pleura"}),
        ("[C78.7] Hepatic secondaries - active since 2025.", {"liver"}),
    ],
)
def test_a_site_list_after_an_anchor_or_label_is_read(text: str, want: set[str]) -> None:
    assert want <= _sites(_read(text))


def test_a_biopsy_site_label_in_a_sentence_is_no_list_of_sites() -> None:
    rec = _read("Port site: clean, no erythema. PET: bone mets only.")
    assert _sites(rec) == {"bone"}


@pytest.mark.parametrize(
    ("text", "want"),
    [
        ("Registry: sites at dx: lung=1 bone=1 brain=0", {"lung", "bone"}),
        ("Sites ......... liver; pleura; bone", {"liver", "pleura", "bone"}),
        ("| Sites | Liver; Bone |", {"liver", "bone"}),
        ("Diagnoses: C50.912; C79.51 secondary malignant neoplasm of bone; C78.7 liver.", {"bone", "liver"}),
        ("de novo metastatic ILC dx 05/2024 - bone, peritoneum.", {"bone", "peritoneum"}),
        ("Metastatic breast cancer, diagnosed in\nJanuary 2025 (lung and pleura).", {"lung", "pleura"}),
        ("Relapse 2023: 1ung + 1iver.", {"lung", "liver"}),
    ],
)
def test_registry_codes_and_labelled_lists_give_sites(text: str, want: set[str]) -> None:
    assert want <= _sites(_read(text))


@pytest.mark.parametrize(
    "text",
    ["Sites: liver; bone; peritoneum? (suspected only)", "sites=liver;bone;peritoneum=NO"],
)
def test_a_doubted_or_denied_item_of_a_labelled_list_is_left_out(text: str) -> None:
    sites = _sites(_read(text))
    assert {"liver", "bone"} <= sites and "peritoneum" not in sites


def test_ocr_mends_keep_units_and_ordinals() -> None:
    rec = _read("Letrozo1e 2.5 mg 1x daily, 1st line. Bone mets.")
    assert "letrozole" in {d for t in rec.get("prior_therapies", []) for d in t["drugs"]}


# ---------------------------------------------------------------- (11) the specimen of results on the next line


@pytest.mark.parametrize(
    "text",
    [
        "New lesions in 10/2026. Pleural fluid 10/2026, cytology positive, breast origin:\nER 70%, PR 5%, HER2 1+.",
        "Re-staged 10/2026. Lung core 10/2026: adenocarcinoma, GATA3 positive,\nER 70%, PR 5%, HER2 1+.",
        "Bx (R iliac crest 10/2026): IDC, ER 70%, PR 5%, HER2 1+.",
        "Tumour specimen   liver core 10/2026\nER 70%   PR 5%   HER2 1+",
    ],
)
def test_the_specimen_named_before_results_makes_them_metastatic(text: str) -> None:
    assert _tumor(_read(text)).get("receptor_source") == "metastasis"


def test_a_line_ending_a_sentence_lends_no_specimen() -> None:
    rec = _read("Liver core biopsy planned next week.\nBreast core 2019: ER 70%, PR 5%, HER2 1+.")
    assert _tumor(rec).get("receptor_source") != "metastasis"


# ---------------------------------------------------------------- (12) age and sex in header forms


@pytest.mark.parametrize(
    ("text", "sex"),
    [
        ("DAY UNIT SUMMARY\nPatient: K.L. (F)   Age: 58   Wt 60 kg\nBone mets.", "female"),
        ("SUMMARY\nPt: T.O.  M  DOB 1960  Age 66\nBone mets.", "male"),
        ("Name: J. Smith  F  Age 70\nBone mets.", "female"),
    ],
)
def test_a_sex_letter_after_the_patients_initials_is_read(text: str, sex: str) -> None:
    rec = extract(text, kind="note", as_of=AS_OF).record
    assert rec.get("sex") == sex


@pytest.mark.parametrize(
    ("text", "age"),
    [
        ("Family meeting 10/11/2026. Present: patient (R.T., 58), husband, CNS. Bone mets.", 58),
        ("Dear doctor, I write about my aunt. She's 71. Bone mets since 2025.", 71),
    ],
)
def test_an_age_beside_the_patient_is_read(text: str, age: int) -> None:
    assert extract(text, kind="note", as_of=AS_OF).record.get("age") == age


@pytest.mark.parametrize(
    "text",
    ["Review 12/11/2026. She is 3 weeks post op. Bone mets.", "Review 12/11/2026. Her sister is 50. Bone mets."],
)
def test_no_age_from_a_duration_or_a_relative(text: str) -> None:
    assert extract(text, kind="note", as_of=AS_OF).record.get("age") is None
