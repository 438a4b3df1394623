"""Session 10, second pass (issue 11, notes: therapy and medication lists).

Mechanisms, each tested with phrasings written for these tests (none copied from a blind note):
a drug's own item says it was never taken (never / not started, authorisation or funding
denied, a coverage check "in case", a choice still to decide); the cells of a "|" table row and
the commas inside a bracket stay in the drug's item; a drug being stopped or weaned is no
current medication; a drug taken back with "no wait, ..." is not given."""

from __future__ import annotations

import pytest

from ._note_helpers import _given, _read
from ._note_helpers import _med_ids as _meds

HISTORY = "Metastatic breast cancer to bone since 2024. On letrozole + ribociclib since 03/2024, tolerating.\n"


# ------------------------------------------------------------ never taken: no course


@pytest.mark.parametrize(
    "line",
    [
        "- Alpelisib was prescribed in May but never started because of cost.\n",
        "Alpelisib scripted 06/2026, never filled (insurance).\n",
        "Alpelisib (Piqray) Rx - prior-authorization DENIED 02/10, appeal lodged.\n",
        "Alpelisib: funding was declined by the insurer; appeal pending.\n",
        "Alpelisib - team asked us to check coverage in case the PIK3CA result is positive.\n",
        "Next step: fulvestrant ongoing; alpelisib or everolimus - to be decided at MDT.\n",
        "Alpelisib, not started so far (glucose too high).\n",
    ],
)
def test_a_cancer_drug_never_taken_is_no_course(line: str) -> None:
    rec = _read(HISTORY + line)
    assert "alpelisib" not in _given(rec)
    assert "everolimus" not in _given(rec)


@pytest.mark.parametrize(
    "row",
    [
        "  amiodarone .......... suggested by cardiology, not started (QT)\n",
        "  amiodarone .......... NEVER STARTED\n",
        "  amiodarone .......... insurance denied (cardiology request)\n",
    ],
)
def test_a_listed_drug_never_started_is_no_current_medication(row: str) -> None:
    rec = _read(HISTORY + "Meds:\n  ramipril 5 mg ...... continue\n  tamsulosin 400 mcg . continue\n" + row)
    assert "amiodarone" not in _meds(rec)
    assert {"ramipril", "tamsulosin"} <= _meds(rec)


def test_a_drug_that_was_not_stopped_is_still_current() -> None:
    rec = _read(HISTORY + "Ramipril 5 mg od, not stopping it for now.\n")
    assert "ramipril" in _meds(rec)


# ------------------------------------------------------------ table cells and bracketed commas


def test_the_cells_of_a_table_row_belong_to_the_drug_of_the_row() -> None:
    text = HISTORY + (
        "Drug | dose | action\n"
        "Letrozole | 2.5 mg | continue |\n"
        "Azithromycin (ward, 2/11) | 250 mg OD | STOPPED, swapped for doxycycline | QT risk\n"
        "Granisetron | 1 mg PRN | stopped today |\n"
        "Ramipril | 5 mg | continue |\n"
    )
    rec = _read(text)
    assert not {"azithromycin", "granisetron"} & _meds(rec)
    assert {"ramipril", "doxycycline"} <= _meds(rec)


def test_a_comma_inside_a_bracket_does_not_end_the_item() -> None:
    rec = _read(HISTORY + "Home meds: sotalol 40 mg (cardiology, 2019) - discontinued today, QT; ramipril 5 mg.\n")
    assert "sotalol" not in _meds(rec)
    assert "ramipril" in _meds(rec)


# ------------------------------------------------------------ being stopped or weaned


@pytest.mark.parametrize(
    "line",
    [
        "Oxycodone 5 mg prn; stopping oxycodone, ibuprofen only.\n",
        "Oxycodone 5 mg prn - weaning off this week.\n",
        "Oxycodone 5 mg prn, coming off it now the pain has gone.\n",
    ],
)
def test_a_drug_being_stopped_is_no_current_medication(line: str) -> None:
    rec = _read(HISTORY + line + "Meds also: ramipril.\n")
    assert "oxycodone" not in _meds(rec)
    assert "ramipril" in _meds(rec)


# ------------------------------------------------------------ "no wait" corrections


@pytest.mark.parametrize(
    "line",
    [
        "In October I started fulvestrant and a tablet called Kisqali - no wait, it was the other one, Verzenio.\n",
        "Since 10/2026 fulvestrant plus Kisqali... oh wait, sorry, that is wrong: Verzenio.\n",
    ],
)
def test_a_drug_taken_back_with_no_wait_is_not_given(line: str) -> None:
    rec = _read("Metastatic breast cancer to bone since 2024. 1L letrozole 2024-09/2026, PD.\n" + line)
    assert "ribociclib" not in _given(rec)
    assert "abemaciclib" in _given(rec)


# ------------------------------------------------------------ a progression asked about


@pytest.mark.parametrize(
    "later",
    [
        "MRI: new T9 lesion. Eribulin - oncology to review whether this is PD; carry on for now.\n",
        "CT today equivocal. Eribulin: PD? to be discussed at MDT.\n",
        "Bone scan flare vs new lesions. Eribulin - query progression; restage in 6 weeks.\n",
    ],
)
def test_a_progression_asked_about_is_no_stop(later: str) -> None:
    text = (
        "Metastatic breast cancer to bone since 2023. 1L letrozole + ribociclib 2023 - 06/2025, stopped for PD.\n"
        "2L eribulin from 07/2025.\n" + later
    )
    rec = _read(text)
    line = next(t for t in rec["prior_therapies"] if "eribulin" in t["drugs"])
    assert line.get("stop_reason") != "progression"


def test_a_progression_stated_still_ends_the_line() -> None:
    text = (
        "Metastatic breast cancer to bone since 2023. 1L letrozole + ribociclib 2023 - 06/2025, stopped for PD.\n"
        "2L eribulin from 07/2025 to 10/2026, stopped for progression.\n"
    )
    line = next(t for t in _read(text)["prior_therapies"] if "eribulin" in t["drugs"])
    assert line.get("stop_reason") == "progression"


# ------------------------------------------------------------ medication names (vocabulary as data)


@pytest.mark.parametrize(
    ("written", "name"),
    [
        ("Floxapen 500 mg qds", "flucloxacillin"),
        ("cefazolin 2 g IV q8h", "cefazolin"),
        ("Fucidin cream bd", "fusidic_acid"),
        ("Dermovate ointment od", "clobetasol"),
        ("Nexplanon implant (2024)", "etonogestrel"),
        ("Pantorc 40 mg od", "pantoprazole"),
        ("Eutirox 75 mcg od", "levothyroxine"),
    ],
)
def test_a_listed_medicine_is_read_by_name_or_brand(written: str, name: str) -> None:
    rec = _read(HISTORY + "Regular medicines: ramipril 5 mg; " + written + ".\n")
    assert name in _meds(rec)


def test_a_bare_line_label_in_brackets_keeps_the_drug_with_its_date() -> None:
    rec = _read("MBC, liver. On eribulin (3L) since 02/05/2026, tolerating.\n")
    line = next(t for t in rec["prior_therapies"] if "eribulin" in t["drugs"])
    assert line.get("start", "").startswith("2026-")
    assert line.get("stop_reason") == "ongoing"


def test_a_bracket_naming_another_drug_keeps_its_breaks() -> None:
    rec = _read(HISTORY + "Meds:\n 1. mirtazapine 15 mg nocte (since 09/2026 - replaced citalopram, which was stopped for QT)\n")
    assert "mirtazapine" in _meds(rec)
    assert "citalopram" not in _meds(rec)


def test_a_line_label_and_its_date_in_brackets_keep_the_drug_with_its_date() -> None:
    rec = _read("MBC, bone. On Verzenio 150 mg bd + anastrozole (1L since 7/2025), Synthroid.\n")
    line = next(t for t in rec["prior_therapies"] if "abemaciclib" in t["drugs"])
    assert line.get("start") == "2025-07-01"


def test_in_case_in_the_background_does_not_undo_a_course() -> None:
    rec = _read(
        "Background in case the on-call team needs it: TNBC 2021, chemo before surgery (carboplatin and "
        "paclitaxel with pembrolizumab, then AC). Relapse in lungs 02/2026; on capecitabine since.\n"
    )
    assert {"carboplatin", "pembrolizumab"} <= _given(rec)


@pytest.mark.parametrize(
    "item",
    ["granisetron 1 mg (premedication only, day unit)", "granisetron 1 mg - only on the day unit", "granisetron 1 mg in the infusion suite only"],
)
def test_a_drug_given_only_on_the_unit_is_no_home_medication(item: str) -> None:
    rec = _read(HISTORY + "Home meds: ramipril 5 mg, " + item + ", sertraline 50 mg.\n")
    assert "granisetron" not in _meds(rec)
    assert {"ramipril", "sertraline"} <= _meds(rec)


@pytest.mark.parametrize(
    "item",
    ["a standby pack of doxycycline at home", "rescue supply (doxycycline) kept at home", "doxycycline - not being taken at present"],
)
def test_a_standby_pack_or_a_drug_not_being_taken_is_no_current_medication(item: str) -> None:
    rec = _read(HISTORY + "Meds: ramipril 5 mg; " + item + "; sertraline 50 mg.\n")
    assert "doxycycline" not in _meds(rec)
    assert {"ramipril", "sertraline"} <= _meds(rec)
