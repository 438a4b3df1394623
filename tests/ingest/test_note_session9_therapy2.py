"""Session 9, second pass (issue 11, notes: therapy timeline): a course only awaited (to be
decided, would be considered, requested from an insurer, awaiting authorisation, the plan or a
pick in a team's chat) is not given; a drug stopped because of a pregnancy is no progression; a
stop said not to be progression ("..., not PD") is not read as progression.
Every phrasing here was written for these tests; each case that must not be read is paired with a
course that must."""

from __future__ import annotations

import datetime as dt

import pytest

from ._note_helpers import _course, _given, _read

AS_OF = dt.date(2026, 11, 20)


HISTORY = "Metastatic breast cancer to bone. Letrozole + palbociclib 03/2023 - 09/2026, stopped for PD.\n"


@pytest.mark.parametrize(
    ("line", "drug"),
    [
        # still to be decided
        ("Line 3: eribulin or a trial - to be decided.", "eribulin"),
        ("Third line: capecitabine (TBD after the scan).", "capecitabine"),
        # asked of an insurer, awaiting authorisation
        ("Eribulin submitted to the health plan; awaiting authorisation.", "eribulin"),
        ("Elacestrant: prior authorization requested, reimbursement still pending.", "elacestrant"),
        # the plan or a pick, in a team's chat
        ("09:14 Dr A: ok, eribulin is the plan, I'll consent her Friday.", "eribulin"),
        ("09:20 Dr B: weekly paclitaxel is my pick, will review tomorrow.", "paclitaxel"),
        ("09:22 Dr C: planning eribulin + zoledronic acid.", "eribulin"),
    ],
)
def test_a_course_awaited_decided_later_or_requested_is_not_given(line: str, drug: str) -> None:
    rec = _read(HISTORY + line)
    assert drug not in _given(rec)
    assert {"letrozole", "palbociclib"} <= _given(rec)  # the history is still read


@pytest.mark.parametrize(
    "line",
    [
        "Eribulin started 02/10/2026, cycle 3 given today; the plan is to continue.",
        "She is on eribulin since 10/2026; insurer approved it last month.",
    ],
)
def test_a_course_given_stays_given_near_plan_words(line: str) -> None:
    rec = _read(HISTORY + line)
    assert "eribulin" in _given(rec)


@pytest.mark.parametrize(
    "line",
    [
        "Tamoxifen 2024-2026, stopped in 08/2026 because of a pregnancy (scans stable).",
        "Letrozole started 01/2025; discontinued 06/2026 due to pregnancy, no progression.",
        "Anastrozole from 02/2025, held 07/2026 as she became pregnant.",
    ],
)
def test_a_drug_stopped_for_a_pregnancy_is_no_progression(line: str) -> None:
    rec = _read("Metastatic breast cancer, bone only.\n" + line)
    courses = [t for t in rec.get("prior_therapies", []) if t.get("stop_reason")]
    assert courses
    assert all(t["stop_reason"] != "progression" for t in courses)


@pytest.mark.parametrize(
    ("line", "drug"),
    [
        (
            "Fulvestrant + everolimus from 03/2025, everolimus stopped 09/2025 for stomatitis, not PD.",
            "everolimus",
        ),
        (
            "Alpelisib 04/2025 - 08/2025: stopped for hyperglycaemia (glucose 25), not progression.",
            "alpelisib",
        ),
    ],
)
def test_a_stop_said_not_to_be_progression_is_not_progression(line: str, drug: str) -> None:
    rec = _read("Metastatic breast cancer to liver.\n" + line)
    assert _course(rec, drug).get("stop_reason") != "progression"


def test_progression_still_read_when_stated() -> None:
    rec = _read("Metastatic breast cancer to liver.\nCapecitabine 03/2025 - 09/2025, stopped for PD.")
    assert _course(rec, "capecitabine")["stop_reason"] == "progression"


@pytest.mark.parametrize(
    ("text", "drug"),
    [
        # a hard-wrapped line: the proposal word sits on the next line of the same sentence
        ("Everolimus + exemestane\nto be decided after the next scan.", "everolimus"),
        ("Eribulin weekly might\n  be considered at the next visit.", "eribulin"),
        # proposed in one place, named again with no date and no word saying it was given
        ("Would use capecitabine next.\n2. Diarrhoea: loperamide on capecitabine.", "capecitabine"),
        ("We would favour eribulin.\nNeutrophils to be checked weekly on eribulin.", "eribulin"),
    ],
)
def test_a_proposal_across_a_wrapped_line_or_named_again_is_not_given(text: str, drug: str) -> None:
    rec = _read(HISTORY + text)
    assert drug not in _given(rec)
    assert {"letrozole", "palbociclib"} <= _given(rec)


def test_a_proposal_later_said_started_is_given() -> None:
    rec = _read(HISTORY + "Eribulin recommended in October.\nEribulin started 05/11/2026, cycle 1 given.")
    assert "eribulin" in _given(rec)


def test_a_line_ending_with_a_full_stop_is_its_own_sentence() -> None:
    rec = _read(HISTORY + "Now on eribulin, tolerating well.\nconsider capecitabine later")
    assert "eribulin" in _given(rec)
    assert "capecitabine" not in _given(rec)


# ------------------------------------------------- a drug dropped while the rest of its regimen goes on

META = "Metastatic HER2-positive breast cancer to liver, 2025.\n"


@pytest.mark.parametrize(
    "line",
    [
        "Since 04/2025: paclitaxel + trastuzumab + pertuzumab, paclitaxel stopped after 12 weeks for neuropathy, HP maintained.",
        "In 2025 weekly paclitaxel + trastuzumab + pertuzumab, paclitaxel dropped after 9 doses because of nail toxicity, HP kept.",
        "From 02/2025 docetaxel + trastuzumab + pertuzumab; docetaxel discontinued in 07/2025 because of oedema, antibodies kept going on.",
        "Docetaxel + trastuzumab + pertuzumab from 01/2025.\nDocetaxel completed after 6 cycles; HP maintenance since then.",
    ],
)
def test_a_drug_dropped_from_a_running_regimen_does_not_end_the_line(line: str) -> None:
    rec = _read(META + line)
    hp = [t for t in rec.get("prior_therapies", []) if "trastuzumab" in t["drugs"]]
    assert hp
    assert all(t.get("stop_reason") not in ("toxicity", "completed") for t in hp)
    # the dropped drug makes no course of its own that ended
    alone = [t for t in rec.get("prior_therapies", []) if "trastuzumab" not in t["drugs"]]
    assert all(t.get("stop_reason") not in ("toxicity", "completed") for t in alone)


def test_a_whole_regimen_stopped_for_toxicity_still_reads_toxicity() -> None:
    rec = _read(
        META + "Paclitaxel + trastuzumab + pertuzumab 03/2025 - 08/2025, all stopped for pneumonitis."
    )
    assert _course(rec, "trastuzumab")["stop_reason"] == "toxicity"


def test_a_dropped_drug_then_progression_ends_the_line_for_progression() -> None:
    rec = _read(
        META
        + "Liver mets 2025: docetaxel + trastuzumab + pertuzumab, docetaxel dropped after 6 cycles for oedema,"
        " HP maintained; progression Oct 2026 (new liver lesions)."
    )
    line = _course(rec, "trastuzumab")
    assert line["stop_reason"] == "progression"
    assert "docetaxel" in line["drugs"]


# ------------------------------------------------------------------- month.year dates with a dot


@pytest.mark.parametrize(
    ("line", "start", "end"),
    [
        (
            "1st line: anastrozole + abemaciclib from 03.2024 until 07.2026, stopped for progression.",
            "2024-03",
            "2026-07",
        ),
        ("Eribulin 11.2025 - 5.2026 (PD).", "2025-11", "2026-05"),
    ],
)
def test_a_month_and_year_written_with_a_dot_dates_the_line(line: str, start: str, end: str) -> None:
    rec = _read("Metastatic breast cancer to liver.\n" + line)
    course = rec["prior_therapies"][0]
    assert course["start"].startswith(start)
    assert course["end"].startswith(end)


def test_a_decimal_is_not_a_month_and_year() -> None:
    rec = _read("Metastatic breast cancer to liver.\nCapecitabine since 02/2026, creatinine 1.2019 mg/dL.")
    assert _course(rec, "capecitabine")["start"].startswith("2026-02")


def test_a_dropped_drug_in_an_aside_keeps_the_line_dates_and_progression() -> None:
    rec = _read(META + "1L: THP (paclitaxel stopped after 12 weeks, HP went on) Mar 2025 - Jan 2026, PD.")
    line = _course(rec, "trastuzumab")
    assert line["stop_reason"] == "progression"
    assert line["end"].startswith("2026-01")


def test_maintenance_named_after_its_induction_is_no_drop() -> None:
    rec = _read(META + "Hx: THP 02/2024 -> HP maintenance until 06/2025 (PD liver); eribulin since 07/2025.")
    assert _course(rec, "pertuzumab")["stop_reason"] == "progression"


@pytest.mark.parametrize(
    "line",
    [
        "On letrozole + ribociclib for 2 years, no progression, still responding.",
        "Anastrozole + abemaciclib for 3 years now - not PD, still working.",
    ],
)
def test_a_line_with_its_duration_and_no_progression_still_goes_on(line: str) -> None:
    rec = _read("Metastatic breast cancer to bone.\n" + line)
    assert all(t.get("stop_reason") == "ongoing" for t in rec["prior_therapies"])
