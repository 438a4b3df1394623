"""Issue 11, session 6 (field values): the lab vocabulary (names in several languages, units,
upper limits from references), receptor source from the specimen named on the result's line,
therapy cues in other languages, the day/month order confirmed by a written date, and more
wordings of sex, menopause, ECOG, DPYD, height and weight (our own phrasings, not the blind
sets')."""

from __future__ import annotations

import datetime as dt

import pytest

from mbc.ingest import extract
from mbc.ingest._note_order import day_first

pytestmark = pytest.mark.filterwarnings("ignore::UserWarning")
AS_OF = dt.date(2026, 11, 20)


def _read(text: str) -> dict:
    return extract(text, kind="note", as_of=AS_OF).record


def _labs(text: str) -> dict:
    return _read(text).get("labs", {})


# ---------------------------------------------------------------- labs


@pytest.mark.parametrize(
    ("text", "field", "value"),
    [
        # upper limit from a reference range, a "< x" reference, "upper limit x", a written multiple
        ("LFTs: ALT 90 U/L (range 10-45).", "alt_x_uln", 2.0),
        ("Bilirubine 34 µmol/L (N < 17).", "bilirubin_x_uln", 2.0),
        ("ALAT 70 UI/L (N < 35), stable.", "alt_x_uln", 2.0),
        ("A L T 120, upper limit 40, today.", "alt_x_uln", 3.0),
        ("Bilirubin 2.4 mg/dl (Norm <1.2).", "bilirubin_x_uln", 2.0),
        ("T bil 30 umol/L (ULN 20)", "bilirubin_x_uln", 1.5),
        ("ALT 2.5x LSN at the last visit", "alt_x_uln", 2.5),
        # the newest column of a table row with its reference at the end
        ("bili      1.0      2.4    (ref 0.2-1.2 mg/dL)", "bilirubin_x_uln", 2.0),
        # counts in 10^9/L, G/L, "/mmc" with a dot grouping thousands
        ("Neutrophile 2.4 G/L, Thrombozyten 180 G/L.", "anc_per_ul", 2400),
        ("Neutrophile 2.4 G/L, Thrombozyten 180 G/L.", "platelets_per_ul", 180000),
        ("neutrofili 2.700/mmc, piastrine 210.000/mmc", "anc_per_ul", 2700),
        ("neutrofili 2.700/mmc, piastrine 210.000/mmc", "platelets_per_ul", 210000),
        ("neutrófilos 1.2 x10^9/L", "anc_per_ul", 1200),
        # creatinine clearance with the formula in brackets, or in other languages
        ("CrCl (Cockcroft-Gault) 57 mL/min", "creatinine_clearance_ml_min", 57),
        ("Kreatinin-Clearance 66 ml/min", "creatinine_clearance_ml_min", 66),
        ("aclaramiento (CrCl) 39 mL/min", "creatinine_clearance_ml_min", 39),
        # glucose in mmol/L converted, or the mg/dL the note gives beside it; a date in between
        ("fasting glucose 7.0 mmol/L", "fasting_glucose_mg_dl", 126),
        ("Fasting glucose 6.1 mmol/L (= 110 mg/dL)", "fasting_glucose_mg_dl", 110),
        ("Fasting glucose 03/11: 131 mg/dL (7.3 mmol/L)", "fasting_glucose_mg_dl", 131),
        # HbA1c in mmol/mol with the percentage beside it; a value inside a denied history
        ("HbA1c 53 mmol/mol (7.0%)", "hba1c_percent", 7.0),
        ("No known diabetes (HbA1c 5.4%).", "hba1c_percent", 5.4),
    ],
)
def test_lab_values(text: str, field: str, value: float) -> None:
    assert _labs(text).get(field) == pytest.approx(value, abs=0.01)


@pytest.mark.parametrize(
    ("text", "field"),
    [
        ("ALT 60 U/L (high), repeat next week", "alt_x_uln"),  # no upper limit written
        ("HbA1c 50 mmol/mol", "hba1c_percent"),  # not converted without the percentage
        ("random glucose 9.1 mmol/L", "fasting_glucose_mg_dl"),  # not fasting
        ("Her sister's ALT was 90 U/L (ULN 45).", "alt_x_uln"),  # a relative's value
    ],
)
def test_lab_values_not_read(text: str, field: str) -> None:
    assert field not in _labs(text)


# ---------------------------------------------------------------- receptor source


@pytest.mark.parametrize(
    ("text", "source"),
    [
        ("Iliac crest biopsy 04/2026: ER 85%, PR 10%, HER2 IHC 1+.", "metastasis"),
        ("L3 core bx: ER 90%, PR 20%, HER2 0.", "metastasis"),
        ("Biopsia hepática 03/2026: RE 80%, RP 5%, HER2 1+.", "metastasis"),
        ("Pleural fluid cell block: ER 60%, PR 0%, HER2 IHC 2+, ISH not amplified.", "metastasis"),
        ("Breast core 10/2026: ER 0%, PR 0%, HER2 IHC 0. No metastatic site biopsied.", "primary"),
    ],
)
def test_receptor_source_from_specimen_line(text: str, source: str) -> None:
    assert _read(text)["tumor"].get("receptor_source") == source


def test_receptor_source_not_from_a_metastatic_word() -> None:
    # "metastatic" on the line names no specimen
    rec = _read("HR+/HER2- metastatic breast cancer, ER 90%, PR 40%, HER2 1+.")
    assert "receptor_source" not in rec["tumor"]


def test_receptor_source_not_when_no_metastasis_was_sampled() -> None:
    rec = _read("Receptors (no metastatic biopsy since): ER 30%, PR 0%, HER2 IHC 3+.")
    assert rec["tumor"].get("receptor_source") != "metastasis"


# ---------------------------------------------------------------- therapy in other languages


def _lines(rec: dict) -> list[tuple[frozenset[str], str | None, str | None, str | None]]:
    return [
        (frozenset(t["drugs"]), t.get("setting"), t.get("start"), t.get("stop_reason"))
        for t in rec.get("prior_therapies", [])
    ]


def test_german_line_since_and_ongoing() -> None:
    rec = _read(
        "Metastasiert seit 01/2026.\nTherapielinien:\n  1. Trastuzumab-Deruxtecan seit 02/2026, laufend\n"
    )
    assert (frozenset({"trastuzumab deruxtecan"}), "metastatic", "2026-02-01", "ongoing") in _lines(rec)


def test_spanish_first_line_since_full_date() -> None:
    rec = _read("Tratamiento 1a línea desde 12/03/2026: letrozol + palbociclib.")
    ((drugs, setting, start, _),) = _lines(rec)
    assert drugs == {"letrozole", "palbociclib"} and setting == "metastatic" and start == "2026-03-12"


def test_french_then_separates_and_carries_adjuvant() -> None:
    rec = _read("Adjuvant: EC puis docétaxel, terminé 2019.")
    settings = {t.get("setting") for t in rec.get("prior_therapies", [])}
    assert settings == {"adjuvant"}


def test_italian_completed() -> None:
    rec = _read("Storia: pembrolizumab adiuvante completato 05/2024.")
    ((drugs, setting, _, stop),) = _lines(rec)
    assert drugs == {"pembrolizumab"} and setting == "adjuvant" and stop == "completed"


# ---------------------------------------------------------------- dates


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("started 03/04/2026 (3 April)", True),
        ("seen 05/06/2026 (June 5)", False),  # no day-month form after it: default order
        ("Visite du 12 octobre 2026. Début 03/04/2026.", True),  # a French month name
        ("Seen 03/04/2026.", False),
    ],
)
def test_day_first_from_written_date(text: str, expected: bool) -> None:
    assert day_first(text) is expected


# ---------------------------------------------------------------- demographics and scores


@pytest.mark.parametrize(
    ("text", "field", "value"),
    [
        ("Pt 66 F. HR+ MBC.", "sex", "female"),
        ("Pt: K.L., 71 y/o M, ER+ MBC", "sex", "male"),
        ("Sig.ra A.B., 58 anni.", "sex", "female"),
        ("Pat.: Hr. T.K., 64 J.", "sex", "male"),
        ("Paciente varón de 66 años.", "sex", "male"),
        ("Mme R., ménopausée depuis 2015.", "menopausal_status", "postmenopausal"),
        ("Frau M., prämenopausal.", "menopausal_status", "premenopausal"),
        ("Signora, 44 anni, in premenopausa.", "menopausal_status", "premenopausal"),
        ("Performance status: WHO 2", "ecog", 2),
        ("ECOG/OMS 0.", "ecog", 0),
        ("Exam: E cog one, walking well.", "ecog", 1),
        ("DPYD genotype: normal metaboliser.", "dpyd", "normal"),
        ("DPYD testing: no variant detected.", "dpyd", "normal"),
        ("Peso 71 kg.", "weight_kg", 71),
    ],
)
def test_more_wordings(text: str, field: str, value: object) -> None:
    assert _read(text).get(field) == value


def test_height_and_weight_without_their_words() -> None:
    rec = _read("Objective: ECOG 1, 5'4\", 150 lb.")
    assert rec["height_cm"] == pytest.approx(163, abs=1) and rec["weight_kg"] == pytest.approx(68.0, abs=0.1)


# ---------------------------------------------------------------- lab tables


def test_pipe_table_newest_row_with_header_reference() -> None:
    labs = _labs(
        "| date  | ALT (ULN 40) | bilirubin (ULN 20 umol/L) | alb    | ANC | plt |\n"
        "|-------|--------------|---------------------------|--------|-----|-----|\n"
        "| 02/11 | 44           | 18                        | 35 g/L | 2.0 | 150 |\n"
        "| 16/11 | 80           | 30                        | 31 g/L | 1.1 | 95  |\n"
    )
    assert labs == {
        "alt_x_uln": 2.0,
        "bilirubin_x_uln": 1.5,
        "albumin_g_dl": 3.1,
        "anc_per_ul": 1100,
        "platelets_per_ul": 95000,
    }


def test_pipe_table_without_lab_columns_reads_nothing() -> None:
    assert "labs" not in _read("| drug | dose |\n| letrozole | 2.5 mg |\n| calcium | 1 tab |\n")


# ---------------------------------------------------------------- metastatic diagnosis date


@pytest.mark.parametrize(
    ("text", "date"),
    [
        ("Hx: adjuvant AI 2015-2020 (completed). Mets (bone) dx 02/2025.", "2025-02-01"),
        ("On exemestane, in 06/2025: relapse liver + bone.", "2025-06-01"),
        ("Relapse: liver + lung, August 2024. Liver core then: ER 70%.", "2024-08-01"),
        ("Metastatic recurrence at bone and pleura on 04/2026 (5 years out).", "2026-04-01"),
        ("Diagnosis: de novo metastatic right breast cancer, January 2025. Bone only.", "2025-01-01"),
        ("In May 2026 she relapsed in the liver.", "2026-05-01"),
    ],
)
def test_metastatic_diagnosis_date_wordings(text: str, date: str) -> None:
    assert _read(text).get("metastatic_diagnosis_date") == date


def test_primary_diagnosis_date_is_not_metastatic() -> None:
    rec = _read("Diagnosed 03/2015 with early breast cancer, adjuvant letrozole completed 2020.")
    assert "metastatic_diagnosis_date" not in rec


# ---------------------------------------------------------------- therapy lines


def test_chemo_then_endocrine_at_a_comma_are_two_courses() -> None:
    rec = _read("2018: adjuvant EC then paclitaxel, radiotherapy, letrozole 2019-2024 (completed).")
    assert {frozenset(t["drugs"]) for t in rec["prior_therapies"]} == {
        frozenset({"epirubicin", "cyclophosphamide", "paclitaxel"}),
        frozenset({"letrozole"}),
    }


def test_drugs_joined_by_plus_stay_one_regimen() -> None:
    rec = _read("Metastatic 1L: letrozole + palbociclib since 03/2025, ongoing.")
    assert [set(t["drugs"]) for t in rec["prior_therapies"]] == [{"letrozole", "palbociclib"}]


def test_after_the_operation_the_next_course_is_adjuvant() -> None:
    rec = _read(
        "2021: neoadjuvant AC-T 01/2021-06/2021, lumpectomy, residual disease -> capecitabine x 6 cycles."
    )
    settings = {frozenset(t["drugs"]): t.get("setting") for t in rec["prior_therapies"]}
    assert settings[frozenset({"capecitabine"})] == "adjuvant"
    assert settings[frozenset({"doxorubicin", "cyclophosphamide", "paclitaxel"})] == "neoadjuvant"


def test_induction_then_maintenance_is_one_line() -> None:
    rec = _read(
        "Metastatic lines:\n (1) docetaxel + trastuzumab + pertuzumab x6 -> HP maintenance, 05/2023-02/2025, PD liver\n"
    )
    (line,) = rec["prior_therapies"]
    assert set(line["drugs"]) == {"docetaxel", "trastuzumab", "pertuzumab"}
    assert (line["setting"], line["start"], line["stop_reason"]) == (
        "metastatic",
        "2023-05-01",
        "progression",
    )


# ---------------------------------------------------------------- receptor wordings


@pytest.mark.parametrize(
    ("text", "field", "value"),
    [
        ("estrogen receptor 70 percent, progesterone receptor 15 percent", "er_percent", 70),
        ("estrogen receptor 70 percent, progesterone receptor 15 percent", "pr_percent", 15),
        ("ER positive in 80% of tumour nuclei.", "er_percent", 80),
        ("HER2 2+, FISH non amplifié.", "her2_ish", "not_amplified"),
        ("HER2 2+; ISH amplificato.", "her2_ish", "amplified"),
    ],
)
def test_receptor_wordings(text: str, field: str, value: object) -> None:
    assert _read(text)["tumor"][field] == value


def test_treated_as_triple_negative_keeps_the_measured_er() -> None:
    tumor = _read("Pleural biopsy: ER 6%, PR 0%, HER2 1+. ER-low, treated as triple negative.")["tumor"]
    assert tumor["er_percent"] == 6 and "er_status" not in tumor
