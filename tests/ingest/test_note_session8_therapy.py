"""Session 8 (issue 11, notes: therapy timeline): the note's date order from its words, courses
named but not given, early courses after the operation, early endocrine therapy apart from the
chemotherapy chain, and the metastatic diagnosis date near a relapse word. Every phrasing here
was written for these tests; each case that must not be read is paired with one that must."""

from __future__ import annotations

import datetime as dt

import pytest

from mbc.ingest._note_order import day_first

from ._note_helpers import _course, _given, _read

AS_OF = dt.date(2026, 11, 20)


# ---------------------------------------------------------------- date order from the note's words


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Clinic 05/03/2026. Tumour board agreed; paracetamol for pain.", True),
        ("Clinic 05/03/2026. Oedema of both ankles, seen by her GP.", True),
        ("Clinic 05/03/2026. Tumor board agreed; Tylenol for pain.", False),
        ("Clinic 05/03/2026. Edema of both ankles, weight 160 lbs.", False),
        # a date with a part above 12 decides before any word does
        ("Clinic 05/03/2026, CT 03/25/2026. Tumour smaller, oedema better, paracetamol.", False),
        ("Clinic 05/03/2026, CT 25/03/2026. Tumor smaller, Tylenol.", True),
    ],
)
def test_date_order_from_the_notes_words_only_when_its_dates_leave_it_open(text: str, expected: bool) -> None:
    assert day_first(text) is expected


def test_a_spelled_twin_after_an_equals_sign_states_the_order() -> None:
    rec = _read(
        "Review 18 Nov 2026.\nOn letrozole since 09/05/2026 (= 9 May), tolerating well. Metastatic to bone."
    )
    assert _course(rec, "letrozole")["start"] == "2026-05-09"


def test_a_british_phone_note_date_reads_day_first() -> None:
    rec = _read(
        "PHONE 03/10/2026 - daughter called, mum has worse back pain, advised 999 if weak legs.", as_of=None
    )
    assert rec["as_of"] == "2026-10-03"
    rec = _read("PHONE 03/10/2026 - daughter called, mom has worse back pain; Tylenol helps.", as_of=None)
    assert rec["as_of"] == "2026-03-10"


# ---------------------------------------------------------------- courses named but not given


@pytest.mark.parametrize(
    ("text", "withheld", "kept"),
    [
        (
            "Progressed on anastrozole + ribociclib 03/2024-09/2026. We hesitate between capivasertib "
            "or alpelisib with fulvestrant and would value your view.",
            {"capivasertib", "alpelisib"},
            {"anastrozole", "ribociclib"},
        ),
        (
            "On exemestane + everolimus since 02/2026. Next line: eribulin vs capecitabine, to decide at MDT.",
            {"eribulin", "capecitabine"},
            {"exemestane", "everolimus"},
        ),
        (
            "Second line paclitaxel 01/2025-08/2025, PD. I would recommend sacituzumab govitecan, with "
            "sacituzumab govitecan started at a lower dose given her liver function.",
            {"sacituzumab govitecan"},
            {"paclitaxel"},
        ),
        (
            "Metastatic since 2024, fulvestrant ongoing since 03/2025. Talazoparib is not part of the "
            "present plan while she responds.",
            {"talazoparib"},
            {"fulvestrant"},
        ),
        (
            "Prior: letrozole + abemaciclib 05/2023-06/2026 (PD).\nORDER: eribulin 1.23 mg/m2 IV d1,8 q21d.",
            {"eribulin"},
            {"letrozole", "abemaciclib"},
        ),
        (
            "Prior: letrozole + palbociclib 05/2023-06/2026 (PD). Docetaxel approved; C1D1 booked for Monday.",
            {"docetaxel"},
            {"letrozole", "palbociclib"},
        ),
    ],
)
def test_courses_named_but_not_given(text: str, withheld: set[str], kept: set[str]) -> None:
    given = _given(_read(text))
    assert not given & withheld, given
    assert kept <= given


@pytest.mark.parametrize(
    "text",
    [
        # dated, or said to be going on at a later cycle: given
        "Capecitabine cycle 6 scheduled today, tolerating well; on it since 04/2026 for liver metastases.",
        "Paclitaxel or nab-paclitaxel? She had paclitaxel 02/2025-07/2025 for lung metastases, PD.",
    ],
)
def test_courses_given_are_still_read(text: str) -> None:
    rec = _read(text)
    assert _given(rec) & {"capecitabine", "paclitaxel"}


# ---------------------------------------------------------------- early courses


def test_a_chemotherapy_chain_after_the_breast_operation_is_one_adjuvant_course() -> None:
    rec = _read(
        "History: L breast cancer 2018 -> wide local excision, EC x4 -> docetaxel x3, radiotherapy, then "
        "anastrozole 2018-2023. Relapse in the liver 04/2026; now on capecitabine."
    )
    chain = _course(rec, "docetaxel")
    assert set(chain["drugs"]) == {"epirubicin", "cyclophosphamide", "docetaxel"}
    assert chain["setting"] == "adjuvant"
    assert _course(rec, "anastrozole")["setting"] == "adjuvant"
    assert _course(rec, "capecitabine")["setting"] == "metastatic"


def test_surgery_for_a_metastasis_does_not_make_the_next_line_adjuvant() -> None:
    rec = _read("Spinal surgery for cord compression 03/2026, then started letrozole + ribociclib, ongoing.")
    assert _course(rec, "ribociclib").get("setting") != "adjuvant"


def test_early_endocrine_therapy_joined_to_the_chemotherapy_is_its_own_course() -> None:
    rec = _read(
        "Adjuvant FEC x3 -> docetaxel x3 2017 + tamoxifen 2017-2022 (completed). "
        "Metastatic relapse (bone) 06/2025, on fulvestrant since 07/2025."
    )
    chemo = _course(rec, "docetaxel")
    assert set(chemo["drugs"]) == {"fluorouracil", "epirubicin", "cyclophosphamide", "docetaxel"}
    assert chemo["setting"] == "adjuvant"
    tam = _course(rec, "tamoxifen")
    assert tam["drugs"] == ["tamoxifen"]
    assert tam["setting"] == "adjuvant"


# ---------------------------------------------------------------- metastatic diagnosis date


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Adjuvant letrozole 2015-2020. Relapse - lung and pleura (biopsy confirmed) Aug 2023.", "2023-08"),
        ("Her disease came back in her liver and spine in March 2025, she says.", "2025-03"),
        ("Background: MBC (recurrence, bone) since 10/2022, stable.", "2022-10"),
        ("In 07/2024 she developed a cough; CT showed lung metastases.", "2024-07"),
        ("Metastases to bone dx 2 Feb 2025; later liver progression 06/2026.", "2025-02"),
    ],
)
def test_metastatic_date_near_a_relapse_word(text: str, expected: str) -> None:
    assert str(_read(text).get("metastatic_diagnosis_date", ""))[:7] == expected


@pytest.mark.parametrize(
    "text",
    [
        "Mother had metastatic breast cancer, diagnosed May 2011.",
        "MBC; primary diagnosed 03/2019 (pT2N1).",
        "Metastatic disease? CT 09/2026 indeterminate liver lesion.",
        "Metastatic to bone, on letrozole since 04/2024.",
        "No evidence of recurrence on CT 08/2026.",
        "HER2+ MBC, liver mets treated with SBRT (2 lesions) Jan 2026, on trastuzumab since 2023.",
        "Hx: R breast IDC 2019, adjuvant AC 2019, then letrozole from\nMar 2020; relapse suspected on CT 08/2026.",
    ],
)
def test_no_metastatic_date_from_another_event(text: str) -> None:
    rec = _read(text)
    got = str(rec.get("metastatic_diagnosis_date", ""))[:7]
    assert got not in {"2011-05", "2019-03", "2026-09", "2026-08", "2026-01", "2020-03"}
    if "letrozole" in text:
        assert (
            got != "2024-04"
            or rec["provenance"]["metastatic_diagnosis_date"]["rule"] != "nlp.metastatic.date_near_anchor"
        )


# ---------------------------------------------------------------- list structure and short dates


def test_lettered_items_are_separate_lines() -> None:
    rec = _read(
        "Metastatic lines:\n a) anastrozole + abemaciclib (02/2023 - 05/2024, PD)\n"
        " b) capecitabine (06/2024 - 01/2025), stopped for hand-foot syndrome\n c) eribulin from 02/2025, ongoing\n"
    )
    assert _course(rec, "abemaciclib")["stop_reason"] == "progression"
    assert set(_course(rec, "abemaciclib")["drugs"]) == {"anastrozole", "abemaciclib"}
    assert _course(rec, "capecitabine")["stop_reason"] == "toxicity"
    assert _course(rec, "eribulin")["stop_reason"] == "ongoing"


def test_an_inline_list_of_lines_cut_at_pipes_with_month_and_two_digit_year() -> None:
    rec = _read(
        "Rx hx: 1L letrozole + palbo 02/21-09/23 PD | 2L fulvestrant + alpelisib 10/23-04/25 PD | "
        "3L capecitabine since 05/25."
    )
    first = _course(rec, "palbociclib")
    assert (first["start"][:7], first["end"][:7], first["stop_reason"]) == (
        "2021-02",
        "2023-09",
        "progression",
    )
    second = _course(rec, "alpelisib")
    assert (second["start"][:7], second["end"][:7]) == ("2023-10", "2025-04")
    assert "palbociclib" not in second["drugs"]
    assert _course(rec, "capecitabine")["start"][:7] == "2025-05"


def test_a_day_and_month_without_year_is_not_read_as_a_month_and_year() -> None:
    rec = _read("Admitted 17/11 - 03/12 with pain; metastatic, on capecitabine since 2025.")
    assert "end" not in _course(rec, "capecitabine")


def test_lines_named_after_after_precede_the_named_line() -> None:
    rec = _read(
        "Metastatic to bone. Currently on eribulin 4L since 09/2026 (after letrozole + ribociclib, "
        "then fulvestrant + everolimus, then paclitaxel)."
    )
    for drug in ("ribociclib", "everolimus", "paclitaxel"):
        course = _course(rec, drug)
        assert course["setting"] == "metastatic"
        assert "stop_reason" not in course  # why each line ended is not said
    assert _course(rec, "eribulin")["stop_reason"] == "ongoing"


def test_after_in_an_early_sentence_does_not_make_metastatic_lines() -> None:
    rec = _read("Adjuvant letrozole 2016-2021 after tamoxifen 2014-2016 (completed).")
    assert _course(rec, "tamoxifen").get("setting") != "metastatic"


def test_a_later_sentence_with_growth_and_a_stop_ends_an_open_line_at_its_month() -> None:
    rec = _read(
        "Metastatic to liver. Started fulvestrant + palbociclib 03/2025. Palbociclib on hold for a week for "
        "neutropenia, then resumed. In August 2026 the scan showed enlarging liver lesions and both were discontinued."
    )
    line = _course(rec, "palbociclib")
    assert (line["stop_reason"], line["end"][:7]) == ("progression", "2026-08")
    assert len(rec["prior_therapies"]) == 1


def test_a_hold_alone_does_not_end_the_line() -> None:
    rec = _read(
        "Metastatic to bone. On letrozole + abemaciclib since 04/2026. HOLD abemaciclib until diarrhoea settles."
    )
    assert _course(rec, "abemaciclib")["stop_reason"] == "ongoing"


# ---------------------------------------------------------------- induction and maintenance


def test_induction_then_named_maintenance_is_one_line() -> None:
    rec = _read(
        "Metastatic HER2+ disease (liver) since 03/2024.\n"
        "- paclitaxel + trastuzumab + pertuzumab x 6, 04/2024 - 09/2024\n"
        "- then maintenance trastuzumab + pertuzumab + anastrozole from 10/2024, ongoing\n"
    )
    lines = [t for t in rec["prior_therapies"] if t.get("setting") == "metastatic"]
    assert len(lines) == 1
    assert set(lines[0]["drugs"]) == {"paclitaxel", "trastuzumab", "pertuzumab", "anastrozole"}
    assert (lines[0]["start"][:7], lines[0]["stop_reason"]) == ("2024-04", "ongoing")


def test_the_induction_named_after_a_maintenance_line_joins_it() -> None:
    rec = _read(
        "Metastatic to bone since 2025; on trastuzumab + pertuzumab + letrozole maintenance (1L, after 6x docetaxel)."
    )
    lines = [t for t in rec["prior_therapies"] if t.get("setting") == "metastatic"]
    assert len(lines) == 1
    assert "docetaxel" in lines[0]["drugs"]
    assert lines[0]["stop_reason"] == "ongoing"


def test_a_line_that_shares_no_drug_with_the_one_before_stays_apart() -> None:
    rec = _read(
        "Metastatic since 2023.\n- letrozole + palbociclib 01/2023 - 06/2024, PD\n- then capecitabine maintenance from 07/2024\n"
    )
    assert len([t for t in rec["prior_therapies"] if t.get("setting") == "metastatic"]) == 2


def test_a_range_to_now_is_a_start_going_on() -> None:
    rec = _read("Metastatic to lung. 2L  Mar 2026-now: fulvestrant + capivasertib.")
    line = _course(rec, "capivasertib")
    assert (line["start"][:7], line["stop_reason"]) == ("2026-03", "ongoing")


# ---------------------------------------------------------------- mentions of a line, later stops


def test_a_hold_dated_by_its_own_event_is_a_mention_of_its_line() -> None:
    rec = _read(
        "Metastatic to bone. 1L: anastrozole + ribociclib from May 2024. Ribociclib was held 10 days in Feb 2025 "
        "for neutropenia, then resumed. CT 09/2026: new liver lesions - progression; both stopped by the team on 09/14/26."
    )
    lines = rec["prior_therapies"]
    assert len(lines) == 1
    assert (lines[0]["start"][:7], lines[0]["end"], lines[0]["stop_reason"]) == (
        "2024-05",
        "2026-09-14",
        "progression",
    )


def test_a_bare_mention_of_some_drugs_of_one_line_is_that_line() -> None:
    rec = _read(
        "Metastatic HER2+ disease. Current: tucatinib + trastuzumab + capecitabine since 06/2026.\n"
        "Doses: tucatinib 300 mg bd; capecitabine 1000 mg/m2 bd d1-14.\n"
    )
    assert len(rec["prior_therapies"]) == 1


def test_a_bare_mention_shared_by_two_lines_stays_unmerged_into_either() -> None:
    rec = _read(
        "Metastatic. 1L docetaxel + trastuzumab + pertuzumab 01/2023-06/2024 (PD); 2L tucatinib + trastuzumab + "
        "capecitabine since 07/2024.\nTrastuzumab 6 mg/kg today.\n"
    )
    first = next(t for t in rec["prior_therapies"] if "docetaxel" in t["drugs"])
    second = next(t for t in rec["prior_therapies"] if "tucatinib" in t["drugs"])
    assert first["stop_reason"] == "progression"
    assert second["start"][:7] == "2024-07"


def test_a_chain_before_the_operation_is_one_neoadjuvant_course() -> None:
    rec = _read(
        "R breast cancer 2021: EC x4 then paclitaxel x12 ->\nmastectomy, ypT1 -> capecitabine x6. Relapse in bone 05/2025."
    )
    chain = _course(rec, "paclitaxel")
    assert set(chain["drugs"]) == {"epirubicin", "cyclophosphamide", "paclitaxel"}
    assert chain["setting"] == "neoadjuvant"
    assert _course(rec, "capecitabine")["setting"] == "adjuvant"


def test_an_operation_for_a_metastasis_does_not_make_the_line_before_it_neoadjuvant() -> None:
    rec = _read("Metastatic since 2024: letrozole then capecitabine, then surgery for a fracture.")
    assert _course(rec, "capecitabine").get("setting") != "neoadjuvant"


def test_stopped_when_new_disease_was_found_is_progression() -> None:
    rec = _read(
        "Metastatic to bone. Exemestane since 2023, stopped 08/2026 when new liver lesions were found."
    )
    assert _course(rec, "exemestane")["stop_reason"] == "progression"


def test_a_side_effect_of_an_early_drug_named_later_is_no_course() -> None:
    rec = _read(
        "Adjuvant AC followed by weekly paclitaxel, completed 2019. Relapse 06/2024, liver.\n"
        "Now on capecitabine since 07/2024. Neuropathy from paclitaxel has resolved."
    )
    assert [t for t in rec["prior_therapies"] if t["drugs"] == ["paclitaxel"]] == []
    assert _course(rec, "paclitaxel")["setting"] == "adjuvant"


# ---------------------------------------------------------------- note date, early courses by their dates


def test_a_diagnosis_date_in_the_header_is_not_the_notes_date() -> None:
    rec = _read(
        "Summary generated 2026-09-30 10:12\nDx 12-Feb-2024: de novo metastatic, bone.\n"
        "1) anastrozole + ribociclib 03/2024-08/2026 PD\n",
        as_of=None,
    )
    assert rec["as_of"] == "2026-09-30"
    assert _course(rec, "ribociclib")["end"][:7] == "2026-08"


def test_a_chemotherapy_chain_that_ended_years_before_the_relapse_is_one_early_course() -> None:
    rec = _read(
        "Hx: R breast IDC 2016 -> EC then docetaxel 2016-17 (done). Relapse in the liver 05/2025.\n"
        "#1 letrozole + palbociclib 06/2025 - ongoing\n"
    )
    chain = _course(rec, "docetaxel")
    assert set(chain["drugs"]) == {"epirubicin", "cyclophosphamide", "docetaxel"}
    assert chain["setting"] == "adjuvant"
    assert _course(rec, "palbociclib")["setting"] == "metastatic"
