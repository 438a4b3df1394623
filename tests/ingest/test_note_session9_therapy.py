"""Session 9 (issue 11, notes: therapy timeline): courses proposed, asked about or expected are not
given; a dose change is not a stop; a plan to continue until progression goes on; induction then
maintenance in a table is one line; a paragraph headed by a line and its dates is that line.
Every phrasing here was written for these tests; each case that must not be read is paired with a
course that must."""

from __future__ import annotations

import datetime as dt

import pytest

from ._note_helpers import _course, _given, _read

AS_OF = dt.date(2026, 11, 20)


HISTORY = "Metastatic breast cancer to bone. Letrozole + palbociclib 03/2023 - 09/2026, stopped for PD.\n"

# ------------------------------------------------------------- proposed, asked, expected: not given


@pytest.mark.parametrize(
    ("line", "drug"),
    [
        # proposed in its own clause or sentence
        ("Next line: eribulin recommended by the MDT (two prior chemo lines).", "eribulin"),
        ("Capecitabine is the preferred next option for her.", "capecitabine"),
        ("3. Capecitabine: the starting dose should be reduced to 75% for her kidneys.", "capecitabine"),
        ("Paclitaxel weekly proposed; she wants to think about it.", "paclitaxel"),
        # expected, or proposed by the words before it
        ("Tumour board Friday; probably eribulin afterwards.", "eribulin"),
        ("Team meeting Tuesday; likely capecitabine.", "capecitabine"),
        ("We would favour eribulin at this point.", "eribulin"),
        ("If she progresses again: sacituzumab govitecan.", "sacituzumab_govitecan"),
        # asked about
        ("For the audience: eribulin, capecitabine or a trial?", "eribulin"),
        ("Would you check a DPYD genotype before starting capecitabine?", "capecitabine"),
        # declined
        ("Eribulin was offered - she declined.", "eribulin"),
        # the next sentence says the first dose is still to come
        ("Eribulin agreed at clinic. First cycle booked for 02/12/2026.", "eribulin"),
    ],
)
def test_a_course_proposed_asked_or_expected_is_not_given(line: str, drug: str) -> None:
    rec = _read(HISTORY + line)
    assert drug not in _given(rec)
    assert {"letrozole", "palbociclib"} <= _given(rec)  # the history is still read


@pytest.mark.parametrize(
    "line",
    [
        "Capecitabine since 10/2026, tolerating it well.",
        "Started capecitabine in October 2026; first restaging CT booked for January.",
        "Now on capecitabine (2nd line).",
    ],
)
def test_a_course_given_stays(line: str) -> None:
    assert "capecitabine" in _given(_read(HISTORY + line))


# ----------------------------------------------------------------- a dose change is not a stop


@pytest.mark.parametrize(
    "text",
    [
        "Anastrozole + ribociclib 02/2024 - 10/2026. Ribociclib reduced to 400 mg in 2024 because of "
        "neutropenia; she stayed on both until the CT of 10/2026 showed new liver lesions.",
        "Anastrozole + ribociclib 02/2024 - 10/2026. Ribociclib dose cut to 200 mg due to neutropenia. "
        "Stopped when the scan showed progression in the liver.",
        "Anastrozole + ribociclib from 02/2024 to 10/2026. Dose reduced for neutropenia in mid-2024. "
        "Discontinued for PD.",
    ],
)
def test_a_dose_reduction_for_a_side_effect_is_not_the_stop_reason(text: str) -> None:
    course = _course(_read("Metastatic to liver.\n" + text), "ribociclib")
    assert course.get("stop_reason") != "toxicity"


def test_a_stop_for_a_side_effect_in_a_later_sentence_is_still_read() -> None:
    rec = _read(
        "Metastatic to liver.\nFulvestrant + alpelisib 03/2025 - 06/2025. Stopped because of hyperglycaemia."
    )
    assert _course(rec, "alpelisib")["stop_reason"] == "toxicity"


# ---------------------------------------------------------- "continue X until progression" goes on


@pytest.mark.parametrize(
    "plan",
    [
        "Plan: continue letrozole + ribociclib until progression.",
        "Plan: she will continue letrozole + ribociclib until disease progression.",
        "Keep going with letrozole + ribociclib until PD.",
    ],
)
def test_continue_until_progression_is_a_line_going_on(plan: str) -> None:
    rec = _read("Bone-only metastatic disease since 01/2026.\n" + plan)
    assert _course(rec, "ribociclib").get("stop_reason") in (None, "ongoing")


def test_continued_until_progression_in_the_past_is_a_stop() -> None:
    rec = _read("Bone metastases 2022.\nShe continued letrozole + ribociclib until progression in 05/2024.")
    assert _course(rec, "ribociclib")["stop_reason"] == "progression"


# ------------------------------------------------------ a table whose one column holds both dates


TABLE = """Summary of treatment
| Period | Setting | Treatment | Outcome |
|---|---|---|---|
| Feb-Jul 2019 | neoadjuvant | EC then paclitaxel | pCR at surgery |
| Aug 2019 - Aug 2024 | adjuvant | tamoxifen | completed 5 years |
| Mar 2025 - Aug 2025 | 1st line | paclitaxel + trastuzumab + pertuzumab x 6 | partial response |
| Sep 2025 - present | maintenance | trastuzumab + pertuzumab | stable |
"""


def test_a_table_date_column_gives_start_and_end() -> None:
    rec = _read(TABLE)
    tam = _course(rec, "tamoxifen")
    assert (tam["start"][:7], tam["end"][:7], tam["setting"]) == ("2019-08", "2024-08", "adjuvant")
    neo = _course(rec, "epirubicin")
    assert (neo["start"][:7], neo["end"][:7]) == ("2019-02", "2019-07")


def test_induction_then_maintenance_in_a_table_is_one_ongoing_line() -> None:
    rec = _read(TABLE)
    lines = [t for t in rec["prior_therapies"] if t.get("setting") == "metastatic"]
    assert len(lines) == 1
    assert lines[0]["start"][:7] == "2025-03"
    assert lines[0]["stop_reason"] == "ongoing"
    assert "pertuzumab" in lines[0]["drugs"]


def test_a_side_effect_of_a_drug_given_in_two_lines_is_no_line() -> None:
    rec = _read(TABLE + "\nResolved: the neuropathy she had with paclitaxel.")
    assert len([t for t in rec["prior_therapies"] if "paclitaxel" in t["drugs"]]) == 2
    assert all(t.get("stop_reason") != "toxicity" for t in rec["prior_therapies"])


# ------------------------------------------------- a paragraph headed by a line and its dates


HEADED = """She relapsed in the liver in 03/2023.

Line 1 (Apr 2023 - Jan 2025). Letrozole with abemaciclib. Abemaciclib came down to 100 mg bd for
diarrhoea in the summer; she stayed on it. The CT in January 2025 showed growing liver metastases.

2nd line (Feb 2025 - Sep 2025). Given fulvestrant + alpelisib. Grade 3 hyperglycaemia despite
metformin. Both drugs were stopped for it; there was no progression at the time.

Third line (Oct 2025 - present). Capecitabine, tolerating it well.
"""


def test_a_paragraph_headed_by_a_line_takes_its_dates_and_stop() -> None:
    rec = _read(HEADED)
    first = _course(rec, "abemaciclib")
    assert first["drugs"] == ["letrozole", "abemaciclib"] or set(first["drugs"]) == {
        "letrozole",
        "abemaciclib",
    }
    assert (first["start"][:7], first["end"][:7]) == ("2023-04", "2025-01")
    assert first["setting"] == "metastatic"
    assert first["stop_reason"] == "progression"
    second = _course(rec, "alpelisib")
    assert (second["start"][:7], second["end"][:7]) == ("2025-02", "2025-09")
    assert second["stop_reason"] == "toxicity"  # "no progression" denied, the side effect is the reason
    third = _course(rec, "capecitabine")
    assert third["start"][:7] == "2025-10"
    assert third.get("stop_reason") == "ongoing"
    assert len(rec["prior_therapies"]) == 3


# ------------------------------------------------------------------- dates and list structure


@pytest.mark.parametrize(
    ("text", "start", "end"),
    [
        ("Adjuvant FEC Feb-Jun 2017, then tamoxifen.", "2017-02", "2017-06"),
        ("Adjuvant FEC (Mar - Aug 2017), then tamoxifen.", "2017-03", "2017-08"),
        ("Adjuvant FEC Sept/Dec 2017, then tamoxifen.", "2017-09", "2017-12"),
    ],
)
def test_two_months_of_one_year_are_a_range(text: str, start: str, end: str) -> None:
    course = _course(_read("Relapsed 2024 in the bones.\n" + text), "epirubicin")
    assert (course["start"][:7], course["end"][:7]) == (start, end)


def test_a_day_range_in_parentheses_does_not_start_a_new_item() -> None:
    rec = _read(
        "Bone metastases. 1L since 02/2026: letrozole 2.5 mg + palbociclib 125 mg (d1-21) + goserelin 3.6 mg."
    )
    assert [set(t["drugs"]) for t in rec["prior_therapies"]] == [{"letrozole", "palbociclib", "goserelin"}]


@pytest.mark.parametrize(
    "text",
    [
        "1L desde 03/2026: letrozol 2,5 mg + palbociclibe 125 mg + gosserrelina 3,6 mg.",
        "1L desde 03/2026: letrozol + abemaciclibe. Abemaciclibe reduzido para 100 mg em 05/2026 (diarreia).",
    ],
)
def test_portuguese_drug_names_and_dose_cuts(text: str) -> None:
    rec = _read("Doença metastática óssea.\n" + text)
    lines = rec["prior_therapies"]
    assert len(lines) == 1
    assert lines[0].get("stop_reason") == "ongoing"


def test_stopped_for_this_reason_is_not_a_side_effect() -> None:
    rec = _read(
        "Bone relapse 2024. Fulvestrant + palbociclib from 03/2024. The CT in 09/2026 showed new liver "
        "lesions and fulvestrant + palbociclib was stopped for this reason."
    )
    assert all(t.get("stop_reason") != "toxicity" for t in rec["prior_therapies"])


# -------------------------------------------------- an induction that goes on is one line


@pytest.mark.parametrize(
    "text",
    [
        "Now on trastuzumab + pertuzumab + anastrozole (anastrozole added when the chemo ended). Before "
        "that 6 cycles of paclitaxel with trastuzumab + pertuzumab (Jan 2026 -> May 2026).",
        "Paclitaxel + trastuzumab + pertuzumab 01/2026 - 05/2026. Currently on trastuzumab + pertuzumab + "
        "letrozole since 06/2026.",
    ],
)
def test_chemotherapy_that_stops_while_the_antibodies_go_on_is_one_line(text: str) -> None:
    rec = _read("HER2-positive metastatic breast cancer to the liver since 12/2025.\n" + text)
    lines = [t for t in rec["prior_therapies"] if t.get("setting") != "adjuvant"]
    assert len(lines) == 1
    assert lines[0]["start"][:7] == "2026-01"
    assert lines[0]["stop_reason"] == "ongoing"
    assert {"paclitaxel", "trastuzumab", "pertuzumab"} <= set(lines[0]["drugs"])


@pytest.mark.parametrize(
    "text",
    [
        # a new drug that is not endocrine therapy is a new line
        "Letrozole + palbociclib 01/2025 - 05/2026. Currently on letrozole + everolimus since 06/2026.",
        # a stop for progression is a line change
        "Paclitaxel + trastuzumab + pertuzumab 01/2026 - 05/2026, stopped for PD. Currently on trastuzumab "
        "+ pertuzumab + letrozole since 06/2026.",
    ],
)
def test_a_switch_is_still_a_new_line(text: str) -> None:
    rec = _read("Metastatic breast cancer to the liver since 12/2024.\n" + text)
    assert len(rec["prior_therapies"]) == 2


# ------------------------------------------------------------------------ known leftovers


@pytest.mark.parametrize(
    ("text", "start"),
    [
        ("On letrozole + palbociclib since 5/20. Tylenol for pain.", "2026-05-20"),  # month-first: 20 May
        ("On letrozole + palbociclib since 05/20. Tylenol for pain.", "2020-05"),  # zero-padded: May 2020
        ("On letrozole + palbociclib since 9/13. Tylenol for pain.", "2026-09-13"),
    ],
)
def test_since_month_slash_number_in_a_month_first_note(text: str, start: str) -> None:
    course = _course(_read("Metastatic to bone.\n" + text), "palbociclib")
    assert course["start"].startswith(start)


@pytest.mark.parametrize(
    ("text", "given", "fallback"),
    [
        ("Currently on fulvestrant (or elacestrant if PD).", "fulvestrant", "elacestrant"),
        ("On letrozole + ribociclib (or capecitabine should it progress).", "ribociclib", "capecitabine"),
        (
            "Now on eribulin (or sacituzumab govitecan once she progresses).",
            "eribulin",
            "sacituzumab_govitecan",
        ),
    ],
)
def test_a_fallback_in_an_aside_leaves_the_drug_she_is_on(text: str, given: str, fallback: str) -> None:
    rec = _read("Metastatic to bone.\n" + text)
    assert fallback not in _given(rec)
    assert _course(rec, given).get("stop_reason") == "ongoing"


def test_a_line_label_after_a_comma_starts_a_new_line() -> None:
    rec = _read(
        "Relapse 2020 in the bones.\n1L letrozole + palbociclib (2020-22), 2L capecitabine (2022 - May 2026), "
        "3L eribulin since June 2026."
    )
    assert [t["drugs"] for t in rec["prior_therapies"] if t.get("setting") == "metastatic"] == [
        ["letrozole", "palbociclib"],
        ["capecitabine"],
        ["eribulin"],
    ]
    assert _course(rec, "eribulin")["stop_reason"] == "ongoing"


@pytest.mark.parametrize(
    "text",
    [
        "Bone metastases diagnosed 03/2022. Solitary liver relapse 08/2025 treated with SBRT.",
        "Metastatic relapse 08/2025 in the liver; bone metastases since 03/2022.",
        "Stage IV since 03/2022 (bone). New brain metastasis 08/2025, SRS.",
    ],
)
def test_the_first_metastatic_date_wins_over_a_later_relapse(text: str) -> None:
    assert _read(text)["metastatic_diagnosis_date"].startswith("2022-03")


@pytest.mark.parametrize(
    "text",
    [
        "1L letrozole + palbociclib 2023 - 07/2026 (PD). 2L fulvestrant + capivasertib from 02/10/2026.",
        "First line: letrozole + palbociclib, 2023 to 07/2026, progression. Second line: fulvestrant + "
        "capivasertib from October 2026.",
        "Tx: fulvestrant + capivasertib 400 mg bd (4 days on / 3 off) from 10/2026.",
    ],
)
def test_the_newest_line_started_and_not_stopped_goes_on(text: str) -> None:
    rec = _read("Metastatic to liver since 2023.\n" + text)
    assert _course(rec, "capivasertib")["stop_reason"] == "ongoing"


def test_an_older_line_started_and_not_stopped_is_not_made_ongoing() -> None:
    rec = _read(
        "Metastatic to liver since 2023.\n1L letrozole + palbociclib from 03/2023. 2L fulvestrant + "
        "capivasertib from 10/2026."
    )
    assert _course(rec, "palbociclib").get("stop_reason") is None


def test_a_side_effect_named_without_a_stop_is_not_why_a_headed_line_ended() -> None:
    rec = _read(
        "Relapse in the liver 03/2023.\n\nLine 1 (Apr 2023 - Jan 2025). Letrozole with abemaciclib. She had "
        "grade 2 diarrhoea in the summer. Scans were discussed at the MDT in January 2025.\n"
    )
    course = _course(rec, "abemaciclib")
    assert course["end"][:7] == "2025-01"
    assert course.get("stop_reason") != "toxicity"


@pytest.mark.parametrize(
    "text",
    [
        "Doença metastática óssea. Plano: iniciar palbociclibe + letrozol.",
        "Metástasis óseas. Plan: propuesto palbociclib + letrozol.",
        "Métastases osseuses. Palbociclib + létrozole prévu le mois prochain.",
    ],
)
def test_a_course_planned_in_another_language_is_not_given(text: str) -> None:
    assert "palbociclib" not in _given(_read(text))


def test_a_relapse_found_while_on_a_line_stops_it() -> None:
    rec = _read(
        "Mastectomy 2019, adjuvant tamoxifen from 2019; relapse found Mar 2024 while still on tamoxifen: "
        "bones. 1L fulvestrant + palbociclib from 04/2024."
    )
    tam = [t for t in rec["prior_therapies"] if "tamoxifen" in t["drugs"]]
    assert len(tam) == 1
    assert (tam[0]["setting"], tam[0]["stop_reason"], tam[0]["end"][:7]) == (
        "adjuvant",
        "progression",
        "2024-03",
    )


def test_a_bare_mention_of_a_drug_of_two_lines_joins_the_one_going_on() -> None:
    rec = _read(
        "Bone metastases.\n1L goserelin + letrozole + palbociclib 05/2024 - 07/2026 (PD).\n2L elacestrant "
        "from 14/08/2026 with goserelin continued.\nZoladex 10.8 mg given today."
    )
    assert len(rec["prior_therapies"]) == 2


def test_a_progressing_lesion_named_before_the_drug_is_not_why_a_headed_line_ended() -> None:
    rec = _read(
        "Relapse in the liver 03/2023.\n\nSecond line (Mar 2024 - Aug 2024). A biopsy of the progressing "
        "liver lesion showed a PIK3CA mutation. She started fulvestrant + alpelisib. Both were stopped in "
        "August 2024; there was no progression then.\n"
    )
    assert _course(rec, "alpelisib").get("stop_reason") != "progression"


def test_a_list_item_after_a_headed_line_is_a_line_of_its_own() -> None:
    rec = _read(
        "Metastatic since 2019.\nPrevious lines:\n Line 3 - capecitabine: 03/2024 - 07/2026 - stopped.\n"
        " Line 4 - exemestane + everolimus since 08/2026; everolimus reduced 10 -> 5 mg."
    )
    assert len([t for t in rec["prior_therapies"] if "capecitabine" in t["drugs"]]) == 1
    assert "capecitabine" not in _course(rec, "everolimus")["drugs"]


@pytest.mark.parametrize(
    "text",
    [
        "Tx: docetaxel + trastuzumab + pertuzumab C1 on 10/21/26. C2 delayed a week (ANC low), still on plan.",
        "Docetaxel + trastuzumab + pertuzumab, cycle 1 day 1 21/10/2026; tolerating it.",
    ],
)
def test_the_first_cycles_date_is_the_start(text: str) -> None:
    course = _course(
        _read("HER2-positive breast cancer, liver metastases since 09/2026.\n" + text), "docetaxel"
    )
    assert course["start"][:7] == "2026-10"
    assert not course.get("end")
