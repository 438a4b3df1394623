"""Session 13 (notes: corrections and values of another time). A fact the writer takes back is not
present (a dictation cue, "sorry, I meant B not A", "A was a dictation error", a chat message that
opens with an apology); a value of another time (a cycle-day label, a value before an arrow, "the
summer one") gives way to the current one; a dose step written with a down arrow is no stop.
Each mechanism has a guard that ordinary text keeps its reading. Notes written for these tests."""

from __future__ import annotations

import pytest

from ._note_helpers import _course, _given, _read, _sites

H = "Clinic 18/11/2026. 63F, ER+ HER2-negative MBC since 2024. "


def _labs(rec: dict) -> dict:
    return rec.get("labs") or {}


# 1. a claim taken back in the same breath is not read


@pytest.mark.parametrize(
    ("said", "gone", "kept"),
    [
        ("Metastatic sites: bone and adrenal, scratch that, bone and liver.", "adrenal", {"bone", "liver"}),
        ("Metastases: pleura - strike that - liver and bone.", "pleura", {"liver", "bone"}),
    ],
)
def test_a_site_taken_back_by_a_dictation_cue_is_not_read(said: str, gone: str, kept: set[str]) -> None:
    sites = _sites(_read(H + said))
    assert gone not in sites
    assert kept <= sites


@pytest.mark.parametrize(
    "said",
    [
        "On letrozole + abemaciclib since 02/2025.\n"
        "10:14 KT: apologies, I meant ribociclib (Kisqali) not abemaciclib.",
        "Taking letrozole and abema since 02/2025. Correction: ribociclib, not abema.",
        "Letrozole + abemaciclib from 02/2025. Abemaciclib was a dictation error.",
    ],
)
def test_a_drug_the_correction_names_as_wrong_is_not_given(said: str) -> None:
    assert "abemaciclib" not in _given(_read(H + said))


def test_an_apology_that_names_no_wrong_term_keeps_the_drugs() -> None:
    rec = _read(H + "On letrozole + abemaciclib since 02/2025. Sorry, not sure of the start day.")
    assert {"letrozole", "abemaciclib"} <= _given(rec)


def test_a_plain_not_without_a_correction_cue_takes_nothing_back() -> None:
    rec = _read(H + "1L anastrozole + ribociclib since 03/2025, not palbociclib as the referral said.")
    assert "ribociclib" in _given(rec)


# 2. a chat message opening with an apology corrects the value before it; chat initials are no FH


def test_a_chat_apology_corrects_the_earlier_receptor_value() -> None:
    chat = (
        "Ward chat 18/11/2026\n"
        "09:12 KT: Mrs B, 58, ER+ HER2 3+ MBC, liver mets, on T-DXd\n"
        "09:13 KT: sorry - HER2 1+, not amplified on the liver biopsy\n"
    )
    assert (_read(chat).get("tumor") or {}).get("her2_ihc") == "1+"


def test_chat_initials_fh_are_a_speaker_not_family_history() -> None:
    chat = "Chat 18/11/2026\n10:02 FH: Mrs D 66, ER+ MBC\n10:03 FH: on letrozole + palbociclib from 03/2025\n"
    assert {"letrozole", "palbociclib"} <= _given(_read(chat))


def test_a_family_history_label_still_reads_as_family() -> None:
    rec = _read(H + "On letrozole.\nFH: mother had breast cancer, BRCA2 mutation.")
    assert "BRCA2" not in str(rec.get("germline") or "")


# 3. a value of another time gives way to the current one


@pytest.mark.parametrize(
    ("said", "field", "value"),
    [
        ("Labs today: Hb 101 g/L, plt 180, ANC 1.4 x10^9/L. (C2D1 labs 04/11: ANC 3.0.)", "anc_per_ul", 1400),
        ("HbA1c 5.8% (40 mmol/mol) 01/2026 -> 6.9% (52 mmol/mol) 12/11/2026.", "hba1c_percent", 6.9),
    ],
)
def test_a_lab_of_an_earlier_visit_gives_way(said: str, field: str, value: float) -> None:
    assert _labs(_read(H + said)).get(field) == value


def test_an_only_value_with_a_cycle_day_label_is_kept() -> None:
    assert _labs(_read(H + "C3D1 bloods 11/11: ANC 2.2 x10^9/L.")).get("anc_per_ul") == 2200


@pytest.mark.parametrize(
    ("said", "field", "value"),
    [
        ("Echo in the spring said EF 58%, the latest one showed 51%.", "lvef_percent", 51),
        ("ECOG 2 at baseline, today 1.", "ecog", 1),
    ],
)
def test_a_measure_given_twice_keeps_the_later_value(said: str, field: str, value: float) -> None:
    assert _read(H + said).get(field) == value


# 4. a dose step written with a down arrow is a reduction, not a stop


def test_a_down_arrow_dose_step_is_not_a_toxicity_stop() -> None:
    rec = _read(H + "Fulvestrant + abemaciclib from 04/2025. Abemaciclib ↓ 100 mg bd for G2 diarrhoea.")
    assert _course(rec, "abemaciclib").get("stop_reason") != "toxicity"


def test_ocr_double_o_in_a_dose_is_mended() -> None:
    rec = _read(H + "Fulvestrant 5OO mg + abemaciclib from 04/2025. Abemaciclib ↓ 1OO mg bd for diarrhoea.")
    assert _course(rec, "abemaciclib").get("stop_reason") != "toxicity"


# 5. a comma after a course closed by its bracketed stop reason opens the next course


def test_courses_in_one_comma_list_stay_apart() -> None:
    rec = _read(
        H + "Lines: anastrozole + palbociclib 01/2024-03/2025 (PD), paclitaxel 04/2025-02/2026 (PD), "
        "eribulin from 03/2026\n"
    )
    assert _course(rec, "paclitaxel")["drugs"] == ["paclitaxel"]
    assert _course(rec, "eribulin")["drugs"] == ["eribulin"]


# 6. a later sentence about a hold gives the line no stop reason; a real stop still does


def test_a_later_sentence_about_a_hold_and_restart_is_no_stop() -> None:
    rec = _read(H + "Fulvestrant + abemaciclib from 04/2025. Abemaciclib off for 9 days with neutropenia, restarted.")
    assert _course(rec, "abemaciclib").get("stop_reason") != "toxicity"


def test_a_later_sentence_with_a_real_stop_still_ends_the_line() -> None:
    rec = _read(H + "Fulvestrant + abemaciclib from 04/2025. Abemaciclib was stopped in June due to neutropenia.")
    assert _course(rec, "abemaciclib").get("stop_reason") == "toxicity"
