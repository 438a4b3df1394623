"""Session 13 (ask-rules): patient facts read from clinician questions, and the ranking when every preferred
option is contraindicated. Every question is written for this file (none copied from a benchmark set)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from mbc.answer import answer_question
from mbc.ingest import extract
from mbc.knowledge import load_kb

AS_OF = dt.date(2026, 11, 20)


@pytest.fixture(scope="module")
def kb() -> Any:
    return load_kb()


def _ask(kb: Any, q: str) -> Any:
    return answer_question(q, kb, as_of=AS_OF, audience="clinician")


def _preferred(a: Any) -> list[set[str]]:
    return [set(o["drugs"]) for o in a.plan["options"] if o["category"] == "preferred"]


def _note(text: str) -> dict[str, Any]:
    return dict(extract(text, kind="note", as_of=AS_OF, assume=True).record)


def test_finished_course_dated_after_the_drug_ends_there_and_counts_as_early(kb: Any) -> None:
    """"Completed 5 yrs <AI> 03-Mar-2026; lung mets 6 months later": relapse within 12 months of the end of
    adjuvant AI - no aromatase inhibitor is preferred."""
    a = _ask(
        kb,
        "61F ER+ PR+ HER2 0. Completed 5 yrs anastrozole 03-Mar-2026; 6 months later lung and bone mets. "
        "Nothing given for the mets yet. What first line?",
    )
    course = a.read["prior_therapies"][0]
    assert course["drugs"] == ["anastrozole"] and course["end"] == "2026-03-03"
    assert course["setting"] == "adjuvant"
    preferred = _preferred(a)
    assert preferred and all({"letrozole", "anastrozole", "exemestane"}.isdisjoint(p) for p in preferred)
    assert any("fulvestrant" in p for p in preferred)


def test_date_written_with_hyphens_is_read_as_a_day() -> None:
    rec = _note("Stopped exemestane 7-Jun-2025. Bone mets Jan 2026.")
    assert rec["prior_therapies"][0].get("end") == "2025-06-07"


def test_a_start_word_keeps_the_date_after_the_drug_a_start() -> None:
    rec = _note("Started letrozole 02/2021, completed. Liver mets Sep 2026.")
    assert rec["prior_therapies"][0].get("start") == "2021-02-01"


def test_progression_in_brackets_after_a_slash_list_marks_every_drug_given(kb: Any) -> None:
    a = _ask(
        kb,
        "HER2 3+ ER- MBC. Lines so far: THP; T-DXd (PD 14 mo); tucatinib/trastuzumab/capecitabine (PD 5 mo). "
        "No CNS disease, LVEF 60%. Options now?",
    )
    assert not any("tucatinib" in p for p in _preferred(a))


def test_last_dose_date_ends_the_adjuvant_course(kb: Any) -> None:
    """Relapse 6 months after the last dose of post-neoadjuvant T-DM1: second-line HER2 rules."""
    a = _ask(
        kb,
        "HER2+ HR- ca. Neoadj TCHP, residual disease so adjuvant T-DM1, last dose 05-Apr-2026. "
        "Oct 2026 liver mets, HER2 3+ on biopsy. LVEF 61%. What now?",
    )
    tdm1 = [t for t in a.read["prior_therapies"] if "trastuzumab emtansine" in t["drugs"]]
    assert tdm1 and tdm1[0].get("end") == "2026-04-05"
    assert {"trastuzumab deruxtecan"} in _preferred(a)


def test_germline_label_is_not_denied_by_the_next_sentence() -> None:
    rec = _note("Germline: BRCA1 pathogenic (c.68_69delAG). ESR1 not detected on ctDNA.")
    assert rec.get("germline") == ["BRCA1"]


def test_germline_vus_is_still_no_carrier() -> None:
    rec = _note("Germline: PALB2 VUS. Tumour NGS: PIK3CA E545K.")
    assert "PALB2" not in (rec.get("germline") or [])


def test_relapse_while_still_on_adjuvant_parp_and_ai(kb: Any) -> None:
    """Relapse during adjuvant olaparib + letrozole: endocrine-resistant, PARP-refractory."""
    a = _ask(
        kb,
        "58F HR+ HER2 0, gBRCA1 carrier. Neoadj chemo 2024, then adjuvant olaparib + letrozole from Feb 2026. "
        "Recurrence Oct 2026 (month 8 of 12) while still on both: bone and lung mets. Tissue PIK3CA wt. 1L?",
    )
    course = [t for t in a.read["prior_therapies"] if "olaparib" in t["drugs"]][0]
    assert set(course["drugs"]) == {"olaparib", "letrozole"} and course["stop_reason"] == "progression"
    preferred = _preferred(a)
    assert preferred
    for p in preferred:
        assert {"letrozole", "anastrozole", "olaparib", "talazoparib"}.isdisjoint(p)


def test_every_preferred_option_contraindicated_the_next_stand_in(kb: Any) -> None:
    """Insulin-treated diabetes rules out the PI3K/AKT inhibitors: everolimus + ET is the answer, shown
    preferred, with the reason in its note."""
    a = _ask(
        kb,
        "Postmenopausal HR+ HER2 0 MBC progressing after anastrozole + ribociclib (2 yrs). Liquid biopsy PIK3CA "
        "H1047R, ESR1 not detected. Type 2 diabetes on basal insulin, HbA1c 8.4%. Next line?",
    )
    preferred = _preferred(a)
    assert {"everolimus", "exemestane"} in preferred
    assert not any(p & {"capivasertib", "alpelisib", "inavolisib"} for p in preferred)
    notes = [o.get("note") or "" for o in a.plan["options"] if o["category"] == "preferred"]
    assert any("contraindicated" in n for n in notes)


def test_no_stand_in_when_a_preferred_option_remains(kb: Any) -> None:
    a = _ask(
        kb,
        "Postmenopausal HR+ HER2 0 MBC progressing after anastrozole + ribociclib (2 yrs). Liquid biopsy PIK3CA "
        "H1047R, ESR1 not detected. HbA1c 5.5%, no diabetes. Next line?",
    )
    preferred = _preferred(a)
    assert any("capivasertib" in p for p in preferred)
    assert {"everolimus", "exemestane"} not in preferred


def test_ctdna_negative_asking_to_send_tissue_is_yes(kb: Any) -> None:
    a = _ask(
        kb,
        "Liquid biopsy at progression: nothing detected, tumour fraction very low. Should we request NGS on the "
        "2024 archival block?",
    )
    assert a.answer.verdict == "yes"


def test_relapse_years_after_i_finished_chemo_makes_the_courses_early(kb: Any) -> None:
    a = _ask(
        kb,
        "my triple negative cancer is back in my lungs, 3 years after I finished chemo (EC then docetaxel). "
        "my PD-L1 score was 2 (CPS). what treatment now?",
    )
    settings = {t.get("setting") for t in a.read["prior_therapies"]}
    assert settings == {"adjuvant"}
    assert a.read["tumor"]["pdl1_cps"] == 2.0


def test_cps_named_after_the_number() -> None:
    rec = _note("TNBC, lung mets. PD-L1 result 15 (CPS, 22C3).")
    assert rec["tumor"]["pdl1_cps"] == 15.0


def test_an_early_immunotherapy_relapse_is_not_offered_immunotherapy_again(kb: Any) -> None:
    """A KEYNOTE-522-style course whose last pembrolizumab dose was five months before the relapse: pembrolizumab
    is not a preferred option again (integration of session 13: marking each step of the early course completed
    without its date made the engine assume a late relapse and offer it; that change was taken back)."""
    a = _ask(
        kb,
        "TNBC after the KEYNOTE-522 schedule (neoadj pembro + carbo/paclitaxel -> EC, surgery, adjuvant pembro), "
        "last pembro 05/2026. Liver mets 10/2026, biopsy TNBC, CPS 20. Give pembro again with chemo?",
    )
    preferred = _preferred(a)
    assert preferred and all("pembrolizumab" not in drugs for drugs in preferred)
