"""Session 10 (issue 11, notes: therapy timeline and medication lists).

Mechanisms, each tested with phrasings written for these tests (none copied from a blind note):
a label naming the patient's medicines opens the medication list (ending a plan before it); a
drug's own list item decides whether it is taken now (not yet started, a finished course, a stop
written on the next line or after a semicolon); a drug named inside an aside of another item is
no item of the list; orders not yet carried out are not given."""

from __future__ import annotations

import pytest

from ._note_helpers import _given, _read

HISTORY = "Metastatic breast cancer to bone since 2024. On letrozole + ribociclib since 03/2024, tolerating.\n"


def _meds(rec: dict) -> set[str]:
    return {m.replace(" ", "_") for m in rec.get("medications") or []}


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
