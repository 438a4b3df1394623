"""Issue 11, session 7 (field values): EHR smart-text drop-downs and dot leaders read as text,
ticked site lists, HER2 written with a hyphen or a score in brackets, a summary status word
that agrees with a measured result, more site and age wordings (our own phrasings, not the
blind sets')."""

from __future__ import annotations

import datetime as dt

import pytest

from mbc.ingest import extract
from mbc.ingest._note_fields import flatten_dropdowns

pytestmark = pytest.mark.filterwarnings("ignore::UserWarning")
AS_OF = dt.date(2026, 11, 20)


def _read(text: str) -> dict:
    return extract(text, kind="note", as_of=AS_OF).record


def _tumor(text: str) -> dict:
    return _read(text).get("tumor", {})


def _sites(text: str) -> set[str]:
    return set(_read(text).get("metastases", {}).get("sites", []))


# ---------------------------------------------------------------- forms


def test_dropdowns_keep_the_length_and_ticks() -> None:
    text = "ER: [Positive v] [72] %   Diabetes [x] yes [ ] no"
    flat = flatten_dropdowns(text)
    assert len(flat) == len(text)
    assert "Positive" in flat and "[" not in flat.split("Diabetes")[0]
    assert "[x] yes [ ] no" in flat


@pytest.mark.parametrize(
    ("text", "field", "value"),
    [
        ("Receptors: ER [Positive v] [72] %   PR [Positive v] [12] %   HER2 IHC [1+ v]", "er_percent", 72),
        ("Receptors: ER [Positive v] [72] %   PR [Positive v] [12] %   HER2 IHC [1+ v]", "pr_percent", 12),
        ("Receptors: ER [Positive v] [72] %   PR [Positive v] [12] %   HER2 IHC [1+ v]", "her2_ihc", "1+"),
        ("Latest core: ER [Low positive v] 6%   HER2 [2+ v]  ISH [Not amplified v]", "er_percent", 6),
        ("Latest core: ER [Low positive v] 6%   HER2 [2+ v]  ISH [Not amplified v]", "her2_ish", "not_amplified"),
        ("Profile: ER [35 %]  PR [0 %]  HER2 [3+ v]", "er_percent", 35),
        ("Oestrogen receptor ........... POSITIVE, 65 % moderate", "er_percent", 65),
        ("Progesterone receptor ...... POSITIVE, 25 % weak", "pr_percent", 25),
    ],
)
def test_form_receptors(text: str, field: str, value: object) -> None:
    assert _tumor(text).get(field) == value


def test_ticked_sites_only() -> None:
    sites = _sites("Sites of disease:  [ ] Bone  [x] Liver  [x] Pleura  [ ] Brain  [x] Distant LN (neck)")
    assert sites == {"liver", "pleura", "distant_lymph_nodes"}


def test_no_site_from_an_unticked_form_or_another_header() -> None:
    assert _sites("Sites of disease:  [ ] Bone  [ ] Liver") == set()
    assert _sites("Allergies: [x] Penicillin [ ] Latex") == set()


def test_a_site_answered_yes_on_a_form() -> None:
    assert "brain" in _sites("Metastatic breast cancer. Brain mets: [x] Yes   Symptomatic: [ ] Yes")


# ---------------------------------------------------------------- HER2 and summary words


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("Metastatic HR+/HER2-0 breast cancer.", "0"),
        ("ER 70%, HER2-neg (IHC 1+), bone only.", "1+"),
        ('Told me it is "HER2-low" (2+) on the new biopsy.', "2+"),
        ("HER2 positive (IHC 3+) on the nodal core.", "3+"),
    ],
)
def test_her2_hyphen_and_bracket_scores(text: str, value: str) -> None:
    assert _tumor(text).get("her2_ihc") == value


def test_a_hyphenated_her2_word_is_not_a_negative_result() -> None:
    tumor = _tumor("ER 0%, PR 0%, HER2 IHC 3+. Prior HER2-directed therapy: two lines.")
    assert tumor.get("her2_ihc") == "3+"
    assert tumor.get("her2_status") != "negative"
    # a minus sign still reads as negative
    assert _tumor("HR+/HER2- disease, bone only.").get("her2_status") == "negative"
    assert _tumor("ER-/PR-/HER2- (triple negative).").get("er_status") == "negative"


def test_an_agreeing_summary_word_does_not_hide_the_measured_result() -> None:
    tumor = _tumor("De novo HR+/HER2-negative MBC; breast core ER 88% PR 15% HER2 1+ (no bone biopsy).")
    assert tumor.get("er_percent") == 88
    assert tumor.get("her2_ihc") == "1+"


def test_a_disagreeing_newer_summary_still_wins_over_the_old_primary() -> None:
    # the old primary was HER2 3+; the new liver biopsy is HER2-negative: the primary's score is
    # historical
    tumor = _tumor("Primary 2019: HER2 3+. Liver biopsy 2026: ER 40%, HER2 negative.")
    assert tumor.get("her2_status") == "negative"
    assert tumor.get("her2_ihc") is None


# ---------------------------------------------------------------- sites


@pytest.mark.parametrize(
    ("text", "sites"),
    [
        ("Relapsed Feb 2025 (liver x2, hilar LN) on letrozole.", {"liver", "distant_lymph_nodes"}),
        ("De novo metastatic disease diagnosed 03/2024 (bone, lung).", {"bone", "lung"}),
        ("The cancer came back (bones + liver) last spring.", {"bone", "liver"}),
        ("mTNBC (pleura + brain), second line.", {"pleura", "brain"}),
        ("MRI: T11 and L4 metastases, no cord compression.", {"bone"}),
        ("CT: lytic lesion in the left 8th rib.", {"bone"}),
        ("Recurrent HR+ breast cancer, liver since 2023.", {"liver"}),
        ("Metastatic breast cancer, HER2 3+ on liver bx 2025.", {"liver"}),
        ("Adrenal biopsy: ER 60%, PR 5%, HER2 0.", {"other"}),
        ("Two cerebellar mets treated with SRS.", {"brain"}),
    ],
)
def test_site_wordings(text: str, sites: set[str]) -> None:
    assert sites <= _sites(text)


@pytest.mark.parametrize(
    "text",
    [
        "No lytic lesions in the spine.",
        "MRI spine: no T4 or L2 metastases.",
        "Sclerotic focus in the rib, likely a bone island.",
        "Her mother relapsed in 2019 (bone, liver).",
        "Axillary node biopsy: ER 90%, HER2 0.",
    ],
)
def test_no_site_from_denied_doubtful_family_or_regional(text: str) -> None:
    got = _sites(text)
    assert not got & {"bone", "liver", "distant_lymph_nodes"}


# ---------------------------------------------------------------- age and sex


@pytest.mark.parametrize(
    ("text", "age", "sex"),
    [
        ("Pt: Mrs D.W., 79y, lives with her son (son's wife helps).", 79, "female"),
        ("Patient: Mr P.O'N., 84 y, widowed, daughter visits daily.", 84, "male"),
        ("Re: Mrs A.B.  d.o.b. 1961 (65)", 65, "female"),
        ("Age/Sex: 57/F   MRN 10-22", 57, "female"),
        ("My notes - (me), 68, man with breast cancer.", 68, "male"),
        ("Subject: 63F ER+ liver prog - next line?", 63, "female"),
    ],
)
def test_age_and_sex_wordings(text: str, age: int, sex: str) -> None:
    record = _read(text)
    assert record.get("age") == age
    assert record.get("sex") == sex


def test_a_relatives_age_is_not_the_patients() -> None:
    record = _read("Her mother, 81, woman with dementia, lives with her.")
    assert record.get("age") != 81


# ---------------------------------------------------------------- labs


def _labs(text: str) -> dict:
    return _read(text).get("labs", {})


ALIGNED = """Bloods 03/11/2026:
  Neutrophils          0.9        2.0-7.5 x10^9/L   L
  Platelets            74         150-400 x10^9/L   L
  Bilirubin            30         <20 umol/L
  ALT                  50         <40 U/L
"""


@pytest.mark.parametrize(
    ("field", "value"),
    [("anc_per_ul", 900), ("platelets_per_ul", 74000), ("bilirubin_x_uln", 1.5), ("alt_x_uln", 1.25)],
)
def test_an_aligned_row_with_a_reference_column(field: str, value: float) -> None:
    # the low end of the reference range is not a newer value; the reference gives the ULN
    assert _labs(ALIGNED).get(field) == value


@pytest.mark.parametrize(
    ("text", "field", "value"),
    [
        ("ALBUMIN   3.6   3.4 G/DL   3.5-5.0\nALT   71   88 U/L   7-40", "alt_x_uln", 2.2),
        ("ALBUMIN   3.6   3.4 G/DL   3.5-5.0\nALT   71   88 U/L   7-40", "albumin_g_dl", 3.4),
        ("Labs: ALT 66 IU/L [ref 10-40]  Bili 1.5 mg/dL [0.3-1.2]", "alt_x_uln", 1.65),
        ("Labs: ALT 66 IU/L [ref 10-40]  Bili 1.5 mg/dL [0.3-1.2]", "bilirubin_x_uln", 1.25),
        ("Today: bilirubin 60 umol/L (ref less than 20)", "bilirubin_x_uln", 3.0),
        ("Inv: ANC 3,300/cumm, Plt 2.1 lakh/cumm, FBS 128 mg/dL", "platelets_per_ul", 210000),
        ("Inv: ANC 3,300/cumm, Plt 2.1 lakh/cumm, FBS 128 mg/dL", "anc_per_ul", 3300),
        ("Inv: ANC 3,300/cumm, Plt 2.1 lakh/cumm, FBS 128 mg/dL", "fasting_glucose_mg_dl", 128),
        ("Creat clear. 58 mL/min", "creatinine_clearance_ml_min", 58),
        ("Corrected calcium today 9.1 mg/dL.", "calcium_mg_dl", 9.1),
        ("Calcium: adj 2.42 mmol/L.", "calcium_mg_dl", 9.7),
    ],
)
def test_lab_wordings(text: str, field: str, value: float) -> None:
    assert _labs(text).get(field) == value


def test_a_series_still_takes_the_newest_value() -> None:
    assert _labs("ANC 1.2 -> 1.9 today; plt 140, 95 now") == {"anc_per_ul": 1900, "platelets_per_ul": 95000}


# ---------------------------------------------------------------- germline and somatic


@pytest.mark.parametrize(
    ("text", "germline"),
    [
        ("Germline: BRCA1/BRCA2/PALB2 negative (2021). His son carries an ATM variant.", []),
        ("Germline: BRCA1, BRCA2 and PALB2 negative (2024 panel). Maternal aunt: ovarian cancer.", []),
        ("BRCA1/2 NGS (germline): no pathogenic variant. VUS in CHEK2.", []),
        ("Her own germline panel (2020) was negative. Sister is a BRCA1 carrier.", []),
        ("Germline (multi-gene panel): PALB2 pathogenic variant detected. Sister not tested.", ["PALB2"]),
        ("germline came back yesterday -- BRCA2 pathogenic (c.123del).", ["BRCA2"]),
    ],
)
def test_germline_results(text: str, germline: list[str]) -> None:
    assert _read(text).get("germline") == germline


@pytest.mark.parametrize(
    "text",
    [
        "Genomics: ctDNA ESR1 Y537S; BRCA1 germline [declined testing]",
        "BRCA2 germline testing pending.",
        "Her mother: germline BRCA1 pathogenic.",
        "Germline: BRCA2 VUS; no pathogenic variant.",
    ],
)
def test_no_germline_variant_from_declined_pending_family_or_vus(text: str) -> None:
    assert not _read(text).get("germline")


def test_somatic_not_found_is_wildtype() -> None:
    assert "PIK3CA wildtype" in _read("Liquid biopsy: ESR1 D538G. PIK3CA - not found.").get("somatic", [])


# ---------------------------------------------------------------- presentation


@pytest.mark.parametrize(
    ("text", "presentation"),
    [
        ("De novo metastatic 2021. Recurrent right pleural effusion, drained twice.", "de_novo"),
        ("De novo stage IV. Recurrent grade 2 pneumonitis on T-DXd.", "de_novo"),
        ("de novo TNBC. Germline came back yesterday: BRCA1 pathogenic.", "de_novo"),
        ("The cancer came back (bone) in 2024.", "recurrence"),
        ("Relapsed on adjuvant letrozole in 2023.", "recurrence"),
    ],
)
def test_presentation_words(text: str, presentation: str) -> None:
    assert _read(text).get("presentation") == presentation


def test_a_family_history_line_ends_at_the_next_consult_header() -> None:
    text = (
        "HPI: 52 yo woman, de novo MBC.\nFHx: mother - breast ca at 50; sister BRCA2 carrier.\n"
        "SH: never smoker.\nROS: positive for fatigue.\nExam: ECOG 1. Wt 150 lb.\n"
        "Labs (11/20): ANC 4,200/uL, ALT 50 U/L (ref 0-40).\n"
    )
    record = _read(text)
    assert record.get("ecog") == 1
    assert record.get("labs", {}).get("anc_per_ul") == 4200
    assert not record.get("germline")  # the sister's variant stays hers


# ---------------------------------------------------------------- symptoms


@pytest.mark.parametrize(
    ("text", "symptom"),
    [
        ("C/O: left shoulder ache, mild.", "shoulder pain"),
        ("Hips aching since the spring.", "hip pain"),
        ("Today: aching in the right side under the ribs.", "right upper quadrant pain"),
        ("Sternal ache at night.", "bone pain"),
        ("Belly feels bloated and swollen.", "abdominal swelling"),
        ("New urinary incontinence this week.", "urinary incontinence"),
        ("Husband noticed word-finding difficulty.", "word-finding difficulty"),
    ],
)
def test_symptom_wordings(text: str, symptom: str) -> None:
    assert symptom in _read(text).get("symptoms", [])


def test_a_denied_symptom_is_not_read() -> None:
    assert "urinary incontinence" not in _read("No urinary incontinence, no headache.").get("symptoms", [])


def test_word_finding_difficulty_makes_brain_metastases_symptomatic() -> None:
    record = _read("Metastatic breast cancer with brain mets (MRI 10/2026). New word-finding difficulty.")
    assert record.get("metastases", {}).get("brain", {}).get("symptomatic") is True


def test_an_aside_with_the_old_primarys_results_does_not_make_the_new_results_primary() -> None:
    tumor = _tumor("* lung bx Mar 2026: ER 20%, PR neg, HER2 2+, ISH not amplified  (primary 2018 was ER 90% PR 60% HER2 0)")
    assert tumor.get("er_percent") == 20
    assert tumor.get("her2_ihc") == "2+"
    assert tumor.get("receptor_source") == "metastasis"


def test_an_aside_naming_the_specimen_still_names_it() -> None:
    assert _tumor("ER 90%, PR 10%, HER2 1+ (liver biopsy 2026).").get("receptor_source") == "metastasis"


def test_a_bare_zero_in_a_receptor_list_and_an_earlier_result() -> None:
    tumor = _tumor("PLEURAL FLUID 09/26: ER 30 PERCENT, PR 0, HER2 NEGATIVE.\n2023 LIVER BIOPSY HAD SHOWN PR 50 PERCENT.")
    assert tumor.get("pr_percent") == 0
    assert _tumor("Node core: ER 0, PR 0, HER2 3+").get("er_percent") == 0
    assert _tumor("Best response: PR 0 new lesions").get("pr_percent") is None


def test_a_metastasis_biopsy_not_done_names_no_specimen() -> None:
    tumor = _tumor("De novo MBC (bone).\nCore bx R breast 04/2025: IDC. ER 90%, PR 20%, HER2 1+.\nBone bx not done (sclerotic only).")
    assert tumor.get("receptor_source") == "primary"


@pytest.mark.parametrize(
    "text",
    [
        "HER2 IHC [3+ v]  ER [10 %]  Source: [Metastasis - lung, 2024 v]",
        "Biopsy site: [Bone - sacrum v]   ER: [Positive v] [70] %",
        "Latest bx (pleural, 03/2026): ER 60%, HER2 IHC 1+.",
        "Cerebellar resection 01/2026: ER 0%, PR 0%, HER2 3+",
    ],
)
def test_metastasis_specimens_written_on_forms_and_in_brackets(text: str) -> None:
    assert _tumor(text).get("receptor_source") == "metastasis"


def test_a_repeat_ihc_score() -> None:
    assert _tumor("Node FNA: ER 0, PR 0, HER2 2+? -> repeat IHC 1+").get("her2_ihc") == "1+"


@pytest.mark.parametrize(
    ("text", "pregnant"),
    [
        ("Pregnancy test (serum hCG) negative 02/11.", False),
        ("Pregnancy test before the first cycle - negative.", False),
        ("Beta-hCG: neg. ECOG 1.", False),
        ("Pregnancy test to be done before chemo.", None),
    ],
)
def test_pregnancy_tests(text: str, pregnant: object) -> None:
    assert _read(text).get("pregnant") is pregnant
