"""Session 13 (notes: therapy courses). Date forms (a month word with a two-digit year, a year-less first
cycle, "last dose"), a comma list of dated courses, the note's own date against an event date in its header,
holds and stops across clauses, what is considered versus what is given, and an early course beside a
metastatic line. Notes written for these tests, not copied from a benchmark set."""

from __future__ import annotations

import datetime as dt

import pytest

from mbc.ingest.notes import read_note

from ._note_helpers import _given, _read

_HEAD = "HR-positive HER2-negative metastatic breast cancer (bone).\n"


def _courses(rec: dict) -> dict[frozenset[str], dict]:
    return {frozenset(t["drugs"]): t for t in rec.get("prior_therapies", [])}


def _one(rec: dict, *drugs: str) -> dict:
    return _courses(rec)[frozenset(drugs)]


def test_month_word_with_two_digit_years_is_a_range() -> None:
    rec = _read(_HEAD + "History: 1L anastrozole + abemaciclib (Feb 21 - Oct 23, PD); 2L everolimus + exemestane "
                "(Nov 23 - Jun 25, PD); 3L eribulin since 07/2025.")
    first = _one(rec, "anastrozole", "abemaciclib")
    assert (first["start"][:7], first["end"][:7]) == ("2021-02", "2023-10")
    second = _one(rec, "everolimus", "exemestane")
    assert (second["start"][:7], second["end"][:7]) == ("2023-11", "2025-06")


def test_a_day_range_is_not_read_as_years() -> None:
    rec = _read(_HEAD + "Fulvestrant + ribociclib since 2024. Ribociclib held Oct 14 - Nov 02 for neutropenia.")
    course = _one(rec, "fulvestrant", "ribociclib")
    assert course.get("end") is None
    assert course.get("stop_reason") in (None, "ongoing")


def test_first_cycle_day_without_a_year_starts_the_course() -> None:
    rec = _read(_HEAD.replace("HR-positive HER2-negative", "HER2-positive")
                + "First line paclitaxel + trastuzumab + pertuzumab: C1 19/08, C2 09/09/2026, C3 30/09.")
    assert _one(rec, "paclitaxel", "trastuzumab", "pertuzumab")["start"] == "2026-08-19"


def test_last_dose_is_the_end() -> None:
    rec = _read(_HEAD + "1L letrozole + ribociclib, start 3/14/25, last dose 7/30/26; stopped for progression.")
    course = _one(rec, "letrozole", "ribociclib")
    assert course["end"] == "2026-07-30"
    assert course["stop_reason"] == "progression"


def test_a_dose_before_a_bare_start_date() -> None:
    rec = _read(_HEAD + "Started exemestane 25 mg + everolimus 10 mg (od) 05/2026. Mouth ulcers G1.")
    assert _one(rec, "exemestane", "everolimus")["start"][:7] == "2026-05"


def test_a_comma_list_of_dated_courses_is_one_line_each() -> None:
    rec = _read(_HEAD + "Lines so far: anastrozole + ribociclib 01/2022-03/2024 (PD), fulvestrant + alpelisib "
                "04/2024-02/2025 (PD), capecitabine from 03/2025.")
    assert set(_courses(rec)) == {
        frozenset({"anastrozole", "ribociclib"}),
        frozenset({"fulvestrant", "alpelisib"}),
        frozenset({"capecitabine"}),
    }
    assert _one(rec, "fulvestrant", "alpelisib")["stop_reason"] == "progression"
    assert _one(rec, "capecitabine")["stop_reason"] == "ongoing"


def test_an_early_chain_with_dates_stays_one_course() -> None:
    rec = _read(_HEAD + "Primary 2019: adjuvant EC 02/2019-04/2019, docetaxel 05/2019-07/2019. Relapse 2024.")
    early = [t for t in rec["prior_therapies"] if "docetaxel" in t["drugs"]]
    assert len(early) == 1
    assert {"epirubicin", "cyclophosphamide"} <= set(early[0]["drugs"])


def test_an_event_date_in_the_header_is_not_the_notes_date() -> None:
    rec = read_note("Breast clinic, 23/11/2026\nMrs K, relapse since 3rd March 2024, on letrozole.\n").to_json()
    assert rec["as_of"] == dt.date(2026, 11, 23).isoformat()


def test_a_written_date_alone_in_the_header_is_still_the_notes_date() -> None:
    rec = read_note("Clinic letter - 4 November 2026\nOn letrozole + palbociclib since 2025.\n").to_json()
    assert rec["as_of"] == dt.date(2026, 11, 4).isoformat()


@pytest.mark.parametrize(
    "said",
    [
        "Considering his history - fulvestrant + palbociclib since 02/2025, stable on CT.",
        "Consider a dose reduction: ribociclib 400 mg + letrozole since 2025, ANC 0.9.",
    ],
)
def test_what_is_considered_is_named_first(said: str) -> None:
    rec = _read(_HEAD + said)
    assert {"fulvestrant", "palbociclib"} <= _given(rec) or {"ribociclib", "letrozole"} <= _given(rec)
    assert all(t.get("stop_reason") in (None, "ongoing") for t in rec["prior_therapies"])


@pytest.mark.parametrize(
    "said",
    [
        "Consider eribulin or capecitabine at progression.",
        "Considering her age, I would offer capecitabine next.",
        "She was asked to stop anastrozole and start fulvestrant + ribociclib after the scan.",
    ],
)
def test_a_proposed_drug_is_still_no_course(said: str) -> None:
    given = _given(_read(_HEAD + said))
    assert not given & {"eribulin", "capecitabine", "fulvestrant", "ribociclib"}


def test_a_switch_already_made_is_two_courses() -> None:
    rec = _read(_HEAD + "She was told to stop anastrozole and started fulvestrant + ribociclib two weeks ago.")
    assert frozenset({"fulvestrant", "ribociclib"}) in _courses(rec)
    assert "anastrozole" not in _one(rec, "fulvestrant", "ribociclib")["drugs"]


def test_a_hold_then_a_stop_for_progression_is_a_progression_stop() -> None:
    rec = _read(_HEAD + "1L anastrozole + ribociclib from 2024: held for ten days, then discontinued for "
                "progression in 08/2026.")
    course = _one(rec, "anastrozole", "ribociclib")
    assert course["stop_reason"] == "progression"
    assert course["end"][:7] == "2026-08"


def test_a_hold_then_restart_is_not_a_stop() -> None:
    rec = _read(_HEAD + "Letrozole + abemaciclib since 03/2025; abemaciclib stopped for 5 days due to diarrhoea, "
                "then restarted at 100 mg.")
    assert _one(rec, "letrozole", "abemaciclib")["stop_reason"] == "ongoing"


def test_an_early_course_in_a_medication_list_is_not_running_beside_a_metastatic_line() -> None:
    rec = _read(_HEAD + "Medications: tamoxifen 20 mg (adjuvant). 1L capecitabine since 06/2025.")
    tam = _one(rec, "tamoxifen")
    assert tam.get("stop_reason") != "ongoing"
    assert _one(rec, "capecitabine")["stop_reason"] == "ongoing"
