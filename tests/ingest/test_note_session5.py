"""Issue 11, session 5: the symptom vocabulary (clinical and lay words), option / choice cues,
how current a measured value is, lab tables, benign findings beside a site, metastatic words
in other languages, one regimen from items started together, and header words alone on a
line (our own phrasings, not the blind sets')."""

from __future__ import annotations

import datetime as dt

import pytest

from mbc.ingest import extract
from mbc.ingest._note_vocab import term_of, words_of

pytestmark = pytest.mark.filterwarnings("ignore::UserWarning")
AS_OF = dt.date(2026, 11, 20)


def _read(text: str) -> dict:
    return extract(text, kind="note", as_of=AS_OF).record


def _drugs(rec: dict) -> list[set[str]]:
    return [set(t["drugs"]) for t in rec.get("prior_therapies", [])]


# ---------------------------------------------------------------- symptoms


@pytest.mark.parametrize(
    ("text", "term"),
    [
        ("I just can't catch my breath on the stairs", "dyspnea"),
        ("her eyes have gone yellow since Monday", "jaundice"),
        ("numbness in her fingertips since cycle 4", "peripheral neuropathy"),
        ("loose stools four times a day", "diarrhea"),
        ("hot flashes at night", "hot flushes"),
        ("swollen ankles by the evening", "ankle swelling"),
        ("my hair is falling out", "alopecia"),
        ("RUQ discomfort after meals", "right upper quadrant pain"),
        ("Übelkeit seit gestern", "nausea"),
        ("toux sèche depuis 2 semaines", "dry cough"),
    ],
)
def test_symptoms_in_lay_clinical_and_other_language_words(text: str, term: str) -> None:
    assert term in (_read(f"Metastatic breast cancer. {text}.").get("symptoms") or [])


def test_a_vocabulary_term_is_named_by_its_words_and_lists_them() -> None:
    assert term_of("symptoms", "short of breath") == "dyspnea"
    assert term_of("symptoms", "not a symptom at all") is None
    assert "breathless(?:ness)?" in words_of("symptoms", "dyspnea")


def test_denied_counselled_and_resolved_symptoms_are_not_current() -> None:
    rec = _read(
        "Seen on alpelisib. Counselled about rash and high sugars. She denies fever, cough or "
        "headache. Mild nausea last week and vomiting, both settled with ondansetron. "
        "Tired most afternoons."
    )
    assert rec.get("symptoms") == ["fatigue"]


def test_a_toxicity_a_therapy_was_stopped_for_is_not_a_symptom_now() -> None:
    rec = _read("Metastatic HR+ disease. Everolimus 03/2025, stopped 07/2025 due to mouth ulcers. Now on capecitabine.")
    assert "mouth sores" not in (rec.get("symptoms") or [])


def test_a_hold_since_a_date_keeps_its_toxicity_current() -> None:
    rec = _read("Metastatic HR+ disease on fulvestrant + everolimus. Everolimus held since 02/11 for stomatitis.")
    assert "mouth sores" in (rec.get("symptoms") or [])


def test_a_fever_written_as_a_temperature_and_not_afebrile() -> None:
    assert "fever" in (_read("Metastatic TNBC. Seen today: T 38.6, rigors.").get("symptoms") or [])
    assert "fever" not in (_read("Metastatic TNBC admitted with febrile neutropenia, now afebrile.").get("symptoms") or [])


# ---------------------------------------------------------------- options and medications


@pytest.mark.parametrize(
    "text",
    [
        "Metastatic HR+ disease, on fulvestrant. Oncology talking about switching to eribulin vs capecitabine.",
        "Metastatic HR+ disease, on fulvestrant. Alternatives: eribulin, or capecitabine later.",
        "Metastatic HR+ disease, on fulvestrant. Eribulin is a reasonable next option, capecitabine an alternative.",
        "Metastatic HR+ disease, on fulvestrant. Options we went through: eribulin for the visceral disease (ECOG 1, CPS >=10), or capecitabine.",
        # a reason clause inside the list does not end the options scope (session 6)
        "Metastatic HR+ disease, on fulvestrant. Options we went through: eribulin given the visceral disease, or capecitabine.",
    ],
)
def test_drugs_named_as_choices_are_not_given(text: str) -> None:
    rec = _read(text)
    given = set().union(*_drugs(rec)) if _drugs(rec) else set()
    assert "fulvestrant" in given
    assert not given & {"eribulin", "capecitabine"}


def test_medications_completed_switched_from_listed_in_error_or_given_once_are_not_current() -> None:
    rec = _read(
        "Metastatic breast cancer on letrozole.\n"
        "Medications:\n"
        "- rivaroxaban 20 mg od (switched from warfarin 2023)\n"
        "- prednisolone course (completed)\n"
        "- gliclazide - listed in error\n"
        "- ondansetron 8 mg x1 today\n"
        "- omeprazole 20 mg od\n"
    )
    assert set(rec.get("medications") or []) == {"rivaroxaban", "omeprazole"}


# ---------------------------------------------------------------- measured values


def test_the_current_value_wins_over_a_baseline_or_yesterdays() -> None:
    rec = _read(
        "Metastatic TNBC. ECOG 0 at baseline, 1 today. LVEF was 60% in May, now 51% on echo.\n"
        "ANC 0.3 yesterday -> 0.9 this morning. QTcF 470 ms today; baseline 02/09 QTcF 420 ms."
    )
    assert rec["ecog"] == 1
    assert rec["lvef_percent"] == 51
    assert rec["labs"]["anc_per_ul"] == 900
    assert rec["qtcf_ms"] == 470


def test_a_lab_table_is_read_from_its_newest_column() -> None:
    rec = _read(
        "Metastatic breast cancer.\n"
        "Labs        03/11     06/11\n"
        " Neut       3.1       1.4 x10^9/L\n"
        " Plt        240       150 x10^9/L\n"
        " ALT        2x ULN    3x ULN\n"
    )
    assert rec["labs"]["anc_per_ul"] == 1400
    assert rec["labs"]["platelets_per_ul"] == 150000
    assert rec["labs"]["alt_x_uln"] == 3


def test_a_count_with_a_thousands_comma() -> None:
    assert _read("Metastatic disease. ANC 2,400/uL, platelets 187,000/uL.")["labs"] == {
        "anc_per_ul": 2400,
        "platelets_per_ul": 187000,
    }


# ---------------------------------------------------------------- sites, dates, receptors


def test_a_finding_explained_as_benign_in_its_clause_is_not_a_site() -> None:
    rec = _read(
        "Metastatic breast cancer to bone. An 11 mm left adrenal nodule is in keeping with an "
        "adenoma. Two tiny lung nodules are too small to characterise."
    )
    assert rec["metastases"]["sites"] == ["bone"]


def test_a_finding_denied_after_it_is_not_a_site() -> None:
    rec = _read("Brain metastases x2 on MRI. Leptomeningeal disease not identified.")
    assert "leptomeninges" not in rec["metastases"]["sites"]


@pytest.mark.parametrize(
    ("text", "date", "sites"),
    [
        ("Mets dx 4/2024 - bone + liver.", "2024-04-01", {"bone", "liver"}),
        ("Relapse 2022, lung + bone.", None, {"lung", "bone"}),
        ("Metastasen: Leber, Knochen. Metastasiert seit 05/2023.", "2023-05-01", {"liver", "bone"}),
        ("Metástasis: óseas y hepáticas.", None, {"bone", "liver"}),
        ("Rechute métastatique 02/2025 (osseuse).", "2025-02-01", {"bone"}),
    ],
)
def test_metastatic_dates_and_sites_after_any_metastatic_word(text: str, date: str | None, sites: set[str]) -> None:
    rec = _read(f"Breast cancer, ER positive. {text}")
    assert set(rec["metastases"]["sites"]) == sites
    if date is not None:
        assert rec["metastatic_diagnosis_date"] == date


def test_a_re_biopsy_status_replaces_an_older_percentage() -> None:
    rec = _read(
        "Bone metastases since 2021. Vertebral biopsy 2021: ER 90%, PR 40%, HER2 1+.\n"
        "Re-biopsy of a rib lesion 05/2026: ER 70%, PR <1%, HER2 IHC 1+."
    )
    assert rec["tumor"]["er_percent"] == 70
    assert "pr_percent" not in rec["tumor"]
    assert rec["tumor"]["pr_status"] == "negative"


def test_an_mri_saying_treated_brain_lesions_are_stable_wins_over_older_progression() -> None:
    rec = _read(
        "HER2+ MBC. 1L THP 2023 -> 2024, PD (2 new brain mets), SRS 03/2024. "
        "MRI brain 10/2026: treated lesions stable."
    )
    assert rec["metastases"]["brain"]["progressing"] is False


# ---------------------------------------------------------------- regimens and sections


def test_drugs_listed_one_per_item_and_started_together_are_one_regimen() -> None:
    rec = _read(
        "Metastatic HR+ breast cancer (bone).\n"
        "Cancer medicines:\n"
        "- anastrozole 1 mg daily - started 14/02/2026\n"
        "- palbociclib 125 mg d1-21 - started 14/02/2026\n"
    )
    assert {"anastrozole", "palbociclib"} in _drugs(rec)


def test_numbered_line_labels_on_their_own_lines_are_separate_lines() -> None:
    rec = _read(
        "Metastatic HR+ breast cancer.\n"
        "Previous treatment:\n"
        "  1st line: anastrozole + ribociclib, 01/2023 - 02/2024 (progression)\n"
        "  2nd line: fulvestrant, 03/2024 - 09/2025 (progression)\n"
    )
    assert _drugs(rec) == [{"anastrozole", "ribociclib"}, {"fulvestrant"}]


def test_a_header_word_alone_on_its_line_ends_the_question_section() -> None:
    rec = _read(
        "Question: is T-DXd right for her now?\n\n"
        "Background\n"
        "- Metastatic HR+ disease, 1L letrozole + palbociclib 01/2024 -> 08/2026, progression.\n"
    )
    drugs = _drugs(rec)
    assert {"letrozole", "palbociclib"} in drugs
    assert all("trastuzumab_deruxtecan" not in d and "trastuzumab deruxtecan" not in d for d in drugs)


def test_drug_names_in_other_languages() -> None:
    rec = _read("Cancer du sein métastatique. 1ère ligne: carboplatine + gemcitabina 01/2025 - 06/2026 -> progression.")
    assert {"carboplatin", "gemcitabine"} in _drugs(rec)


def test_calcium_without_a_unit_below_the_mg_dl_range_is_millimolar() -> None:
    assert _read("Metastatic to bone. Ca 2.55 today.")["labs"]["calcium_mg_dl"] == 10.22
    assert _read("Metastatic to bone. Calcium 9.9.")["labs"]["calcium_mg_dl"] == 9.9
    rec = _read("Metastatic to bone.\nLabs        02/11     05/11\n adj Ca     2.95      2.50 mmol/L\n Alb        33        29 g/L\n")
    assert rec["labs"] == {"calcium_mg_dl": 10.02, "albumin_g_dl": 2.9}
