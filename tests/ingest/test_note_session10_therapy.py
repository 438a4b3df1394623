"""Session 10 (issue 11, notes: therapy timeline and medication lists).

Mechanisms, each tested with phrasings written for these tests (none copied from a blind note):
a label naming the patient's medicines opens the medication list (ending a plan before it); a
drug's own list item decides whether it is taken now (not yet started, a finished course, a stop
written on the next line or after a semicolon); a drug named inside an aside of another item is
no item of the list; orders not yet carried out are not given."""

from __future__ import annotations

import pytest

from ._note_helpers import _course, _given, _read
from ._note_helpers import _med_ids as _meds

HISTORY = "Metastatic breast cancer to bone since 2024. On letrozole + ribociclib since 03/2024, tolerating.\n"


# ------------------------------------------------------------ a label naming the medicines


@pytest.mark.parametrize(
    "label",
    [
        "Other meds:",
        "Regular medicines:",
        "Drugs she takes at home:",
        "Usual meds (per GP record):",
        "Home therapy:",
    ],
)
def test_a_medication_label_after_a_plan_line_is_the_medication_list(label: str) -> None:
    rec = _read(HISTORY + "Plan: bloods in 2 weeks, scan in 3 months.\n" + label + " bisoprolol 2.5 mg, sertraline 50 mg od.\n")
    assert {"bisoprolol", "sertraline"} <= _meds(rec)


@pytest.mark.parametrize(
    "label",
    ["Drugs stopped:", "Previous medications:", "Drug allergies:", "Meds to avoid:"],
)
def test_a_label_of_stopped_or_avoided_drugs_is_no_medication_list(label: str) -> None:
    rec = _read(HISTORY + label + " amiodarone, clarithromycin.\n")
    assert not {"amiodarone", "clarithromycin"} & _meds(rec)


def test_a_drug_inside_an_aside_of_a_list_item_is_no_current_line() -> None:
    text = (
        "Metastatic breast cancer. 2L fulvestrant + alpelisib 01/2024 - 12/2025, PD.\n"
        "Now on eribulin since 01/2026.\n"
        "Current medicines: eribulin as per cycle; metformin 500 mg bd (started for high sugars on alpelisib); "
        "ramipril 5 mg.\n"
    )
    rec = _read(text)
    current = [t for t in rec["prior_therapies"] if t.get("stop_reason") == "ongoing"]
    assert [t["drugs"] for t in current] == [["eribulin"]]
    assert {"metformin", "ramipril"} <= _meds(rec)


# ------------------------------------------------------------ not yet started


@pytest.mark.parametrize(
    "line",
    [
        "Meds: omeprazole 20 mg, zoledronic acid (after the dental check), ramipril 5 mg.",
        "Meds: omeprazole 20 mg; Prolia to be started once her dental work is finished; ramipril 5 mg.",
        "Medication list:\n omeprazole 20 mg\n ramipril 5 mg\n denosumab 120 mg - prescribed, not yet given",
        "Medication list:\n omeprazole 20 mg\n ramipril 5 mg\n zoledronic acid 4 mg - awaiting dental clearance",
    ],
)
def test_a_bone_agent_still_waiting_for_its_start_is_no_current_medication(line: str) -> None:
    rec = _read(HISTORY + line + "\n")
    meds = _meds(rec)
    assert {"omeprazole", "ramipril"} <= meds
    assert not {"denosumab", "zoledronic_acid"} & meds


@pytest.mark.parametrize(
    ("line", "drug"),
    [
        ("CURRENT MEDS\n anastrozole 1 mg od ........ since 06/2026\n abemaciclib 150 mg bd ...... ORDERED, not yet dispensed", "abemaciclib"),
        ("Medications:\n anastrozole 1 mg od\n palbociclib 125 mg - prescribed but not yet collected from pharmacy", "palbociclib"),
        ("Medications:\n anastrozole 1 mg od\n ribociclib 600 mg (awaiting funding approval)", "ribociclib"),
    ],
)
def test_a_cancer_drug_ordered_but_not_taken_is_no_course(line: str, drug: str) -> None:
    rec = _read("Metastatic breast cancer to bone, diagnosed 05/2026.\n" + line + "\n")
    assert drug not in _given(rec)
    assert "anastrozole" in _given(rec)


def test_orders_not_yet_carried_out_are_not_given() -> None:
    text = (
        "Metastatic breast cancer to bone, diagnosed 05/2026.\n"
        "Medications:\n letrozole 2.5 mg od, since 06/2026\n"
        "Open orders: ECG on day 14 of kisqali; echo in 3 months\n"
    )
    rec = _read(text)
    assert "ribociclib" not in _given(rec)
    assert "letrozole" in _given(rec)


# ------------------------------------------------------------ courses finished, stops on the next line


@pytest.mark.parametrize(
    ("line", "drug"),
    [
        ("Radiation pneumonitis in May, treated with a 7-day prednisolone course, now resolved.", "prednisolone"),
        ("Steroids: dexamethasone tapered off in early October.", "dexamethasone"),
        ("She had a short course of doxycycline for cellulitis in August.", "doxycycline"),
        ("Gout flare (managed with colchicine, settled within a week).", "colchicine"),
        ("She had zoledronic acid from 2023; it was stopped in June because of jaw pain.", "zoledronic_acid"),
    ],
)
def test_a_finished_course_is_no_current_medication(line: str, drug: str) -> None:
    rec = _read(HISTORY + line + "\nMeds: amlodipine 5 mg od.\n")
    assert drug not in _meds(rec)
    assert "amlodipine" in _meds(rec)


@pytest.mark.parametrize(
    "block",
    [
        "Medications:\n amlodipine 5 mg | furosemide 40 mg | temazepam 10 mg\n (STOPPED this week - drowsy) | omeprazole 20 mg",
        "Medications:\n amlodipine 5 mg, furosemide 40 mg, temazepam 10 mg nocte\n (discontinued at this visit), omeprazole 20 mg",
    ],
)
def test_a_stop_written_on_the_next_line_is_its_items(block: str) -> None:
    rec = _read(HISTORY + block + "\n")
    meds = _meds(rec)
    assert "temazepam" not in meds
    assert {"amlodipine", "furosemide"} <= meds


def test_a_hard_wrapped_sentence_keeps_its_stop_with_its_drug() -> None:
    text = (
        HISTORY + "Her bone health was reviewed in detail today at the clinic. She had denosumab\n"
        "from 2023, but it was stopped in May 2026 after a dental abscess.\n"
        "Meds: amlodipine 5 mg od.\n"
    )
    rec = _read(text)
    assert "denosumab" not in _meds(rec)
    assert "amlodipine" in _meds(rec)


# ------------------------------------------------------------ lines: tables, rows, corrections


def test_a_treatment_table_with_date_columns_gives_each_row_its_dates_and_outcome() -> None:
    text = (
        "Metastatic breast cancer to bone, diagnosed 05/2022.\n"
        "SYSTEMIC THERAPY (regimen / start / stop / reason)\n"
        " 1  anastrozole + ribociclib        06/2022   01/2024   progression\n"
        " 2  fulvestrant + everolimus        02/2024   07/2024   toxicity (stomatitis G3)\n"
        "    - everolimus paused 1 wk 04/2024, resumed at 5 mg\n"
        " 3  eribulin 1.23 mg/m2             08/2024   --        ongoing\n"
    )
    rec = _read(text)
    lines = {tuple(sorted(t["drugs"])): t for t in rec["prior_therapies"]}
    first = lines[("anastrozole", "ribociclib")]
    assert (first["start"][:7], first["end"][:7], first["stop_reason"]) == ("2022-06", "2024-01", "progression")
    second = lines[("everolimus", "fulvestrant")]
    assert (second["start"][:7], second["end"][:7], second["stop_reason"]) == ("2024-02", "2024-07", "toxicity")
    third = lines[("eribulin",)]
    assert (third["start"][:7], third["stop_reason"]) == ("2024-08", "ongoing")
    assert len(rec["prior_therapies"]) == 3


@pytest.mark.parametrize(
    "block",
    [
        "ACTIVE MEDS\n trastuzumab + pertuzumab q3w ........ 03/2026 -\n paclitaxel weekly ........ 03/2026 - 06/2026 (12 doses, completed as planned)\n",
        "Medication list\n Phesgo every 3 weeks        since 03/2026\n docetaxel 75 mg/m2          03/2026 - 06/2026, 6 cycles completed\n",
    ],
)
def test_chemotherapy_completed_beside_antibodies_that_go_on_is_one_ongoing_line(block: str) -> None:
    rec = _read("HER2-positive metastatic breast cancer, de novo 03/2026, liver.\n" + block)
    assert not any(t.get("stop_reason") == "completed" for t in rec["prior_therapies"])
    line = _course(rec, "trastuzumab")
    assert line["stop_reason"] == "ongoing" and line["start"][:7] == "2026-03"
    assert {"pertuzumab"} <= set(line["drugs"])


def test_endocrine_therapy_added_to_a_line_going_on_joins_it() -> None:
    text = (
        "HR+ HER2+ metastatic breast cancer, de novo 01/2026.\n"
        "Current treatment:\n trastuzumab + pertuzumab ........ 01/2026 -\n"
        " letrozole 2.5 mg + goserelin 3.6 mg ........ 06/2026 -\n"
    )
    rec = _read(text)
    assert len(rec["prior_therapies"]) == 1
    assert {"trastuzumab", "pertuzumab", "letrozole", "goserelin"} <= set(rec["prior_therapies"][0]["drugs"])
    assert rec["prior_therapies"][0]["start"][:7] == "2026-01"


@pytest.mark.parametrize(
    ("line", "gone", "kept"),
    [
        ("1L paclitaxel + bevacizumab... no, paclitaxel + atezolizumab 2023-2024, PD.", "bevacizumab", "atezolizumab"),
        ("1L: letrozole - sorry, anastrozole - with palbociclib 2022-2024, progressed.", "letrozole", "anastrozole"),
        ("First line capecitabine (I mean eribulin) 02/2023 - 11/2023, stopped for progression.", "capecitabine", "eribulin"),
    ],
)
def test_a_drug_taken_back_at_once_is_not_given(line: str, gone: str, kept: str) -> None:
    rec = _read("Metastatic breast cancer to liver since 2023.\n" + line + "\n")
    assert gone not in _given(rec)
    assert kept in _given(rec)


@pytest.mark.parametrize(
    "line",
    [
        "2L exemestane + everolimus from 03/10/2026 - goserelin stopped by the team (not needed now).",
        "2L: tamoxifen since 04/2026 – leuprorelin discontinued at that visit.",
    ],
)
def test_a_drug_said_stopped_after_a_dash_does_not_join_the_new_line(line: str) -> None:
    text = "Metastatic breast cancer to bone, relapse 2023.\n1L: letrozole + goserelin + palbociclib 2023-08/2025, PD.\n" + line + "\n"
    rec = _read(text)
    ongoing = [t for t in rec["prior_therapies"] if t.get("stop_reason") == "ongoing"]
    assert len(ongoing) == 1
    assert not {"goserelin", "leuprolide"} & set(ongoing[0]["drugs"])


@pytest.mark.parametrize(
    "sentence",
    [
        "Each earlier line stopped on progression.",
        "All previous regimens were stopped for PD.",
        "Every prior line ended due to disease progression.",
    ],
)
def test_a_sentence_saying_how_every_earlier_line_ended(sentence: str) -> None:
    text = (
        "Metastatic TNBC. Lines: (1) nab-paclitaxel + pembrolizumab 2022-23; (2) sacituzumab govitecan 2023-24; "
        "(3) capecitabine since 03/2025.\n" + sentence + "\n"
    )
    rec = _read(text)
    assert _course(rec, "pembrolizumab").get("stop_reason") == "progression"
    assert _course(rec, "sacituzumab govitecan").get("stop_reason") == "progression"
    assert _course(rec, "capecitabine").get("stop_reason") == "ongoing"


# ------------------------------------------------------------ the metastatic diagnosis date


@pytest.mark.parametrize(
    ("text", "month"),
    [
        ("TNBC (ER 0%, PR 0% on the 2025 pleural cytology), recurrent since Feb 2025 (pleura, lung).", "2025-02"),
        ("HR+ breast cancer, metastatic (bone, liver; a 'tiny indeterminate' lung nodule, no effusion) since March 2024.", "2024-03"),
        ("ER positive, HER2-low, metastatic to the liver and\nbones since October 2023 (de novo).", "2023-10"),
        ("Metastatic relapse confirmed 17.06.2024 on a bone biopsy.", "2024-06"),
        ("Relapse: lung and pleura, 09.2025.", "2025-09"),
        ("first_met_dx_date=2024/11/03; presentation=recurrence", "2024-11"),
        ("RELAPSE IN BONE DIAGNOSED JANUARY 2026.", "2026-01"),
    ],
)
def test_the_metastatic_diagnosis_date_in_more_ways(text: str, month: str) -> None:
    rec = _read(text + "\n")
    assert str(rec.get("metastatic_diagnosis_date", ""))[:7] == month


@pytest.mark.parametrize(
    "text",
    [
        "ER+ MBC (biopsy IHC 0, no staining; bone bx 06/2026).",  # a biopsy date deep in an aside
        "Recurrent (primary 2014; disease-free 9 years).",  # the primary's year, and "pri-mary"
        "HR+ MBC, de novo 2024 (bone).",  # a year alone, and "de novo" is no month
        "Her sister (aged 50, lives in Leeds) had metastatic disease since 03/2019.",
    ],
)
def test_no_metastatic_diagnosis_date_from_the_wrong_words(text: str) -> None:
    rec = _read(text + "\n")
    assert rec.get("metastatic_diagnosis_date") is None


# ------------------------------------------------------------ early endocrine switch, line labels, asides


@pytest.mark.parametrize(
    "line",
    [
        "Early disease 2015: lumpectomy, adjuvant EC then exemestane 3 y -> tamoxifen to 2020 (completed).",
        "Operated 2016, then 5 years of tablets (letrozole then tamoxifen), finished 2021.",
    ],
)
def test_an_adjuvant_endocrine_switch_is_one_course(line: str) -> None:
    rec = _read(line + "\nMetastatic relapse in bone 03/2024; on fulvestrant + ribociclib since 04/2024.\n")
    early = [t for t in rec["prior_therapies"] if t.get("setting") == "adjuvant" and {"tamoxifen"} & set(t["drugs"])]
    assert len(early) == 1
    assert len({"exemestane", "letrozole"} & set(early[0]["drugs"])) == 1
    assert early[0].get("stop_reason") == "completed"


def test_line_labels_after_slashes_are_separate_lines() -> None:
    text = "HER2+ MBC since 2020. Tx: 1L THP (2020-22, PD) / 2L T-DXd (2022-24, PD) / 3L T-DM1 since 03/2025.\n"
    rec = _read(text)
    assert len(rec["prior_therapies"]) == 3
    assert _course(rec, "trastuzumab emtansine")["stop_reason"] == "ongoing"


@pytest.mark.parametrize(
    "text",
    [
        "Tingling neuropathy of both hands, graded 1 at the last visit, is attributed to docetaxel.",
        "Alopecia, still patchy two years on, blamed on the old docetaxel.",
    ],
)
def test_a_side_effect_blamed_on_a_drug_further_along_is_no_course(text: str) -> None:
    history = "HER2+ MBC. 1L docetaxel + trastuzumab + pertuzumab 2022-2024, PD. 2L T-DXd since 02/2025.\n"
    rec = _read(history + text + "\n")
    assert len(rec["prior_therapies"]) == 2
    assert not any(t.get("stop_reason") == "toxicity" for t in rec["prior_therapies"])


def test_an_organ_only_disease_is_no_maintenance_word() -> None:
    text = "72F, HR+ MBC (liver-only), on fulvestrant/capivasertib since 05/2026 (2L, after anastrozole + ribociclib 2023-2025, PD).\n"
    rec = _read(text)
    assert len(rec["prior_therapies"]) == 2
    assert _course(rec, "capivasertib")["stop_reason"] == "ongoing"
    assert "anastrozole" not in _course(rec, "capivasertib")["drugs"]


def test_an_endocrine_drug_with_its_own_dates_stays_its_own_course() -> None:
    text = (
        "Early disease 2015: mastectomy, adjuvant exemestane 2016-2018, then tamoxifen until 06/2021 (completed).\n"
        "Metastatic relapse in bone 03/2024; on fulvestrant + ribociclib since 04/2024.\n"
    )
    rec = _read(text)
    assert "tamoxifen" not in _course(rec, "exemestane")["drugs"]
