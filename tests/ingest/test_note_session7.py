"""Session 7 (issue 11, notes): request letters, proposal sentences, treatment tables, stops in
later sentences, medication items. Every phrasing here was written for these tests; each case
that must not be read is paired with one that must still be read."""

from __future__ import annotations

import datetime as dt

import pytest

from mbc.ingest import extract

AS_OF = dt.date(2026, 11, 20)


def _read(text: str) -> dict:
    return extract(text, kind="note", as_of=AS_OF).record


def _given(rec: dict) -> set[str]:
    return {d for t in rec.get("prior_therapies", []) for d in t["drugs"]}


def _lines(rec: dict) -> list[dict]:
    return list(rec.get("prior_therapies", []))


def _meds(rec: dict) -> set[str]:
    return set(rec.get("medications") or [])


# ---------------------------------------------------------------- request letters


@pytest.mark.parametrize(
    ("text", "withheld"),
    [
        (
            "Subject: olaparib 300 mg twice daily - coverage appeal\nDear plan reviewer,\n"
            "She has metastatic disease and progressed on letrozole plus abemaciclib (2024-2026).\n",
            {"olaparib"},
        ),
        (
            "PRE-AUTHORIZATION - PRIORITY\nElacestrant 345 mg once daily\nMember: A.B.\n"
            "History: anastrozole with ribociclib from 03/2024, progressed 09/2026.\n",
            {"elacestrant"},
        ),
        (
            "Letter of medical necessity\nDrug requested: eribulin 1.4 mg/m2 d1,8\n"
            "Previous metastatic lines: paclitaxel 2025 (progression).\n",
            {"eribulin"},
        ),
    ],
)
def test_drugs_on_a_request_letters_subject_or_form_line_are_not_given(text: str, withheld: set[str]) -> None:
    rec = _read(text)
    given = _given(rec)
    assert not given & withheld
    assert given - withheld  # the history in the letter is still read


def test_a_subject_line_outside_a_request_letter_is_still_read() -> None:
    rec = _read("Re: Mrs T.K., metastatic breast cancer on letrozole since 03/2025\nSeen in clinic today, well.")
    assert "letrozole" in _given(rec)


def test_the_request_heading_marks_only_what_follows_it_on_its_line() -> None:
    rec = _read("Metastatic disease on exemestane since 2025. Prior authorisation for everolimus enclosed.")
    assert "exemestane" in _given(rec) and "everolimus" not in _given(rec)


# ---------------------------------------------------------------- proposals and label quotes


@pytest.mark.parametrize(
    ("text", "withheld"),
    [
        ("Everolimus is FDA-approved for this setting after a nonsteroidal aromatase inhibitor.", {"everolimus"}),
        ("Per the label, tucatinib is indicated with trastuzumab and capecitabine.", {"tucatinib", "trastuzumab", "capecitabine"}),
        ("Between the two, we prefer vinorelbine.", {"vinorelbine"}),
        ("Gemcitabine would also be acceptable and eribulin could follow.", {"gemcitabine", "eribulin"}),
        ("Then docetaxel or vinorelbine, your call.", {"docetaxel", "vinorelbine"}),
        ("Keep olaparib for the next line.", {"olaparib"}),
        ("Capecitabine later if fit.", {"capecitabine"}),
        ("The team mentioned eribulin as a possible fourth line; she declined.", {"eribulin"}),
        ("I'd treat her with paclitaxel and bevacizumab.", {"paclitaxel", "bevacizumab"}),
        ("I'm thinking abemaciclib with fulvestrant given the nodes.", {"abemaciclib"}),
    ],
)
def test_proposed_or_label_quoted_drugs_are_not_given(text: str, withheld: set[str]) -> None:
    rec = _read("Metastatic HR+ disease, bone metastases, on letrozole since 01/2025. " + text)
    assert "letrozole" in _given(rec)
    assert not _given(rec) & withheld


def test_a_drug_said_given_in_a_label_sentence_keeps_its_reading() -> None:
    rec = _read("Metastatic disease. She progressed on fulvestrant, which is approved for ESR1-wildtype disease.")
    assert "fulvestrant" in _given(rec)


def test_a_bare_mention_of_a_proposed_drug_is_the_proposal() -> None:
    rec = _read(
        "Metastatic HER2+ disease on trastuzumab deruxtecan since 02/2025.\n"
        "I'm thinking tucatinib given the brain.\nTucatinib is fine with her apixaban.\n"
    )
    assert "tucatinib" not in _given(rec)


# ---------------------------------------------------------------- stops


def test_a_patient_choosing_to_stop_is_reason_other() -> None:
    rec = _read("Metastatic disease. 2L: eribulin 02/2025 - 08/2026 - patient chose to stop after cycle 14; scans stable.")
    stops = {t.get("stop_reason") for t in _lines(rec) if "eribulin" in t["drugs"]}
    assert stops == {"other"}


def test_a_side_effect_from_a_drug_is_not_a_line_stopped_for_toxicity() -> None:
    rec = _read(
        "Metastatic TNBC. 1L was paclitaxel + atezolizumab 01/2025-06/2026 -> PD.\n"
        "Neuropathy from paclitaxel - grade 1, stable."
    )
    assert {t.get("stop_reason") for t in _lines(rec) if "paclitaxel" in t["drugs"]} == {"progression"}


def test_a_reason_given_in_a_later_sentence_ends_a_started_line() -> None:
    rec = _read(
        "Metastatic disease. 2. CAPECITABINE FROM MARCH 2025. DOSE REDUCED FOR DIARRHOEA, CONTINUED.\n"
        "CT SHOWED NEW LUNG NODULES; LAST DOSE 10/14/2026. DISCONTINUED FOR PROGRESSION."
    )
    line = next(t for t in _lines(rec) if "capecitabine" in t["drugs"])
    assert line["stop_reason"] == "progression" and line["end"] == "2026-10-14"


def test_a_toxicity_named_in_a_later_sentence_is_the_stop_reason() -> None:
    rec = _read(
        "Metastatic disease. 2L: trastuzumab deruxtecan 01/2025 - 08/2026. It was stopped in August. "
        "Reason: grade 2 pneumonitis, now resolved."
    )
    assert {t.get("stop_reason") for t in _lines(rec) if "trastuzumab deruxtecan" in t["drugs"]} == {"toxicity"}


def test_an_interruption_in_a_later_sentence_does_not_undo_the_stop() -> None:
    rec = _read(
        "Metastatic disease.\n- Line 2: exemestane + everolimus 05/2025 - 09/2026. Everolimus interrupted 2 weeks "
        "(mucositis) and resumed at 5 mg. CT 09/2026: nodal progression -> both stopped.\n"
    )
    line = next(t for t in _lines(rec) if "everolimus" in t["drugs"])
    assert line["stop_reason"] == "progression" and line.get("end")


# ---------------------------------------------------------------- treatment tables


def test_a_pipe_table_is_read_row_by_row() -> None:
    rec = _read(
        "Relapse 04/2023 (bone).\n\n"
        "| line | regimen | start | stop | reason stopped |\n"
        "|------|---------|-------|------|----------------|\n"
        "| adj | exemestane | 05/2016 | 05/2021 | completed |\n"
        "| 1 | anastrozole + palbociclib | 05/2023 | 02/2025 | PD bone |\n"
        "| 2 | capecitabine | 03/2025 | 09/2026 | see note 1 |\n"
        "| 3 | eribulin | planned | - | - |\n\n"
        "note 1: stopped for grade 3 hand-foot syndrome and mucositis.\n"
    )
    lines = {tuple(t["drugs"]): t for t in _lines(rec)}
    assert lines[("exemestane",)]["setting"] == "adjuvant" and lines[("exemestane",)]["stop_reason"] == "completed"
    assert lines[("anastrozole", "palbociclib")]["start"] == "2023-05-01"
    assert lines[("anastrozole", "palbociclib")]["stop_reason"] == "progression"
    assert lines[("capecitabine",)]["stop_reason"] == "toxicity"
    assert "eribulin" not in _given(rec)


def test_a_tab_table_with_an_ongoing_row() -> None:
    rec = _read(
        "Summary\n"
        "line\tregimen\tstart\tstop\tresponse\treason\n"
        "1\tletrozole + ribociclib\t2024-02\t2026-01\tPR\tprogression (liver)\n"
        "2\tfulvestrant + capivasertib\t2026-02\t(ongoing)\tSD\theld 1 wk for rash\n"
        "next?\tsacituzumab govitecan - if PD\t\t\t\t\n"
    )
    lines = {tuple(t["drugs"]): t for t in _lines(rec)}
    assert lines[("fulvestrant", "capivasertib")]["stop_reason"] == "ongoing"
    assert lines[("letrozole", "ribociclib")]["end"] == "2026-01-31"
    assert "sacituzumab govitecan" not in _given(rec)


def test_a_table_row_that_only_considers_a_drug_gives_no_course() -> None:
    # review 7: the table reader withheld only negated / family rows; a row the context reader
    # marks hypothetical, planned or uncertain ("consider X", "?X") is no course either
    head = "Relapse 04/2023 (bone).\n\n| line | regimen | start | stop | reason stopped |\n|---|---|---|---|---|\n"
    given = "| 1 | anastrozole + palbociclib | 05/2023 | 02/2025 | PD bone |\n"
    for row in ("| 2 | consider eribulin | | | |\n", "| 2 | ?eribulin | | | |\n"):
        rec = _read(head + given + row)
        assert "eribulin" not in _given(rec)
        assert {"anastrozole", "palbociclib"} <= _given(rec)


def test_a_table_row_that_only_considers_a_drug_gives_no_course() -> None:
    # review 7: a regimen cell that proposes ("consider X", "?X", "X would be reasonable") is no
    # course given; the given row above it is still read
    head = "Relapse 04/2023 (bone).\n\n| line | regimen | start | stop | reason stopped |\n|---|---|---|---|---|\n"
    given = "| 1 | anastrozole + palbociclib | 05/2023 | 02/2025 | PD bone |\n"
    for cell in ("consider eribulin", "?eribulin", "eribulin would be reasonable"):
        rec = _read(head + given + f"| 2 | {cell} | | | |\n")
        assert "eribulin" not in _given(rec)
        assert {"anastrozole", "palbociclib"} <= _given(rec)


def test_a_table_row_continued_until_an_end_is_not_ongoing() -> None:
    # review 7: "continued until progression" in the reason cell made the line ongoing
    head = "Relapse 04/2023 (bone).\n\n| line | regimen | start | stop | reason stopped |\n|---|---|---|---|---|\n"
    rec = _read(head + "| 1 | anastrozole + palbociclib | 05/2023 | | continued until progression |\n")
    assert _lines(rec)[0]["stop_reason"] == "progression"
    rec = _read(head + "| 1 | anastrozole + palbociclib | 05/2023 | | continuing |\n")
    assert _lines(rec)[0]["stop_reason"] == "ongoing"


def test_a_table_reason_the_cell_denies_is_not_the_stop_reason() -> None:
    # review 7: "no toxicity, stopped for PD" was read as a stop for toxicity
    head = "Relapse 04/2023 (bone).\n\n| line | regimen | start | stop | reason stopped |\n|---|---|---|---|---|\n"
    rec = _read(head + "| 1 | capecitabine | 05/2023 | 02/2025 | no toxicity, stopped for PD |\n")
    assert _lines(rec)[0]["stop_reason"] == "progression"
    rec = _read(head + "| 1 | capecitabine | 05/2023 | 02/2025 | hand-foot toxicity |\n")
    assert _lines(rec)[0]["stop_reason"] == "toxicity"


def test_an_aligned_column_table() -> None:
    rec = _read(
        "Setting     Regimen                   Start      Stop       Reason\n"
        "neo         docetaxel + carboplatin   01/2022    06/2022    completed\n"
        "met         gemcitabine               03/2025    10/2025    thrombocytopenia\n"
    )
    lines = {tuple(t["drugs"]): t for t in _lines(rec)}
    assert lines[("docetaxel", "carboplatin")]["setting"] == "neoadjuvant"
    assert lines[("gemcitabine",)]["stop_reason"] == "toxicity"


# ---------------------------------------------------------------- medications and forms


def test_an_inline_medication_header_ends_with_its_line() -> None:
    rec = _read(
        "Metastatic HER2+ disease on trastuzumab deruxtecan since 03/2025.\n"
        "Meds: amlodipine, metformin.\nI'm thinking of capecitabine with tucatinib next.\n"
    )
    assert {"amlodipine", "metformin"} <= _meds(rec)
    assert not _given(rec) & {"capecitabine", "tucatinib"}


def test_a_medication_item_runs_on_only_over_words_about_it() -> None:
    rec = _read("Medications:\n- zoledronic acid - last dose in May, oncologist has stopped it\n- omeprazole 20 mg\n")
    assert "zoledronic acid" not in _meds(rec) and "omeprazole" in _meds(rec)
    rec = _read("Meds: ondansetron prn, cyclizine stopped yesterday, lansoprazole 30 mg")
    assert {"ondansetron", "lansoprazole"} <= _meds(rec) and "cyclizine" not in _meds(rec)


def test_a_medication_not_in_use_is_not_current() -> None:
    rec = _read("Medications:\n - gliclazide: not using (diet only now)\n - ramipril 5 mg od\n - lorazepam - deprescribed 2024\n")
    assert "ramipril" in _meds(rec) and not _meds(rec) & {"gliclazide", "lorazepam"}


def test_form_answers_with_a_tag_and_option_boxes_before_more_text() -> None:
    rec = _read("Metastatic disease.\n- hx pneumonitis/ILD: none [verified]\n")
    assert "interstitial_lung_disease" not in (rec.get("comorbidities") or [])
    rec = _read("Metastatic disease.\nILD history: [ ] Yes [x] No    Cardiac: LVEF 60%\n")
    assert "interstitial_lung_disease" not in (rec.get("comorbidities") or [])
    rec = _read("Metastatic disease.\nILD history: [x] Yes [ ] No    Cardiac: LVEF 60%\n")
    assert "interstitial_lung_disease" in (rec.get("comorbidities") or [])


def test_a_drop_down_still_listing_its_options_gives_no_value() -> None:
    # review 7: "[Positive/Negative]" was flattened to "Positive/Negative" and read as ER positive
    rec = _read("Metastatic breast cancer.\nER: [Positive/Negative]  HER2 IHC [0 / 1+ / 2+ / 3+]  PR: [Negative v]\n")
    tumor = rec.get("tumor") or {}
    assert "er_status" not in tumor and "her2_ihc" not in tumor
    assert tumor.get("pr_status") == "negative"


def test_a_declined_test_is_no_result() -> None:
    rec = _read("Metastatic disease. Genomics: PIK3CA H1047R; BRCA1 germline [declined testing].")
    assert "BRCA1" not in (rec.get("germline") or [])


def test_quoted_email_lines_are_read() -> None:
    rec = _read("Agree.\n\n> - 1L: letrozole + ribociclib 02/2024 - 08/2026, PD liver\n> - Meds: amlodipine\n")
    lines = {tuple(t["drugs"]): t for t in _lines(rec)}
    assert lines[("letrozole", "ribociclib")]["setting"] == "metastatic"


# ---------------------------------------------------------------- metastatic diagnosis date


@pytest.mark.parametrize(
    ("text", "date"),
    [
        ("Cancer: L breast IDC, de novo metastatic (liver) dx 07-Feb-2025.", "2025-02-07"),
        ("51F, de novo HR+ MBC dx'd Aug 2026, bone only.", "2026-08-01"),
        ("Mets dx: [March 2024]    Sites: [x] bone", "2024-03-01"),
        ("RECURRENCE DIAGNOSED IN APRIL OF 2023 WITH PLEURAL DISEASE.", "2023-04-01"),
    ],
)
def test_metastatic_diagnosis_dates_written_with_a_day_a_bracket_or_of(text: str, date: str) -> None:
    assert _read(text).get("metastatic_diagnosis_date") == date


def test_more_clinic_medications_are_known() -> None:
    rec = _read("Meds: ursodeoxycholic acid 300 mg bd, Micardis 40 mg, melatonin 2 mg nocte, domperidone prn.")
    assert {"ursodiol", "telmisartan", "melatonin", "domperidone"} <= _meds(rec)
