"""Session 13 (ask17): an early course the writer says went on ("kept taking A", "was still taking A",
"never stopped taking A") did not end; a relapse in such a note came on it, so the drug class it came on is
not preferred again. Every question is written for this file (none copied from a benchmark set)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from mbc.answer import answer_question
from mbc.ingest import extract
from mbc.knowledge import load_kb

AS_OF = dt.date(2026, 11, 20)
_NSAI = {"letrozole", "anastrozole"}  # relapse on a non-steroidal AI: not one again


@pytest.fixture(scope="module")
def kb() -> Any:
    return load_kb()


def _ask(kb: Any, q: str, audience: str = "clinician") -> Any:
    return answer_question(q, kb, as_of=AS_OF, audience=audience)


def _preferred(a: Any) -> list[set[str]]:
    return [set(o["drugs"]) for o in a.plan["options"] if o["category"] == "preferred"]


def _note(text: str) -> dict[str, Any]:
    return dict(extract(text, kind="note", as_of=AS_OF, assume=True).record)


def test_kept_taking_the_ai_after_the_cdk_inhibitor_ended_is_a_relapse_on_it(kb: Any) -> None:
    a = _ask(
        kb,
        "My mum had a lumpectomy in 2021 and then letrozole together with Kisqali for three years. The Kisqali "
        "was finished on schedule, but she kept taking the letrozole. Now the doctors found cancer in her hip "
        "bone, still ER positive and HER2 negative, with a PIK3CA change. What should she have next?",
        "patient",
    )
    preferred = _preferred(a)
    assert preferred and all(_NSAI.isdisjoint(p) for p in preferred)
    letrozole = [t for t in a.read["prior_therapies"] if "letrozole" in t["drugs"]]
    assert letrozole and all(t.get("stop_reason") != "completed" for t in letrozole)


def test_still_taking_the_adjuvant_ai_when_relapse_found(kb: Any) -> None:
    a = _ask(
        kb,
        "62F, mastectomy 2020, adjuvant exemestane for 5 years planned. She was still taking exemestane when "
        "new lung nodules were biopsied: ER 95%, HER2 1+. ESR1 and PIK3CA not mutated. First-line choice?",
    )
    preferred = _preferred(a)
    assert preferred and all(_NSAI.isdisjoint(p) for p in preferred)


def test_never_stopped_taking_marks_the_early_course_not_completed() -> None:
    rec = _note(
        "Surgery 2022, then adjuvant anastrozole with abemaciclib for 2 years. Abemaciclib ended 2024; "
        "she never stopped taking anastrozole. Liver metastases on CT this month."
    )
    ana = [t for t in rec["prior_therapies"] if "anastrozole" in t["drugs"]]
    assert ana and all(t.get("stop_reason") != "completed" for t in ana)


def test_a_completed_course_without_went_on_words_stays_completed() -> None:
    rec = _note("Adjuvant anastrozole for 5 years, completed 2023. Kept her appointments. Bone metastases 2026.")
    ana = [t for t in rec["prior_therapies"] if "anastrozole" in t["drugs"]]
    assert ana and ana[0].get("stop_reason") == "completed"


def test_not_kept_on_is_no_went_on_cue() -> None:
    rec = _note(
        "Lumpectomy 2019, then adjuvant letrozole for 3 years. She was not kept on letrozole after that. "
        "Bone metastases 2026."
    )
    let = [t for t in rec["prior_therapies"] if "letrozole" in t["drugs"]]
    assert let and all(t.get("stop_reason") != "progression" for t in let)


def test_a_planned_drug_after_kept_is_not_read_as_taken() -> None:
    rec = _note("Adjuvant tamoxifen 2015-2020, completed. She is keen to start letrozole if it is offered.")
    assert not any("letrozole" in t["drugs"] for t in rec["prior_therapies"])


def test_is_a_negative_ctdna_enough_to_call_wild_type_is_no(kb: Any) -> None:
    a = _ask(
        kb,
        "ER+ HER2- bone-predominant MBC, progressed on anastrozole + ribociclib. Liquid biopsy: nothing detected "
        "in PIK3CA, AKT1 or PTEN, tumour fraction under 1%. Is that sufficient to consider her wild-type?",
    )
    assert a.answer.verdict == "no"
    assert "tissue" in a.answer.text.lower()


def test_a_tissue_confirmed_wild_type_is_not_sent_back_to_testing(kb: Any) -> None:
    a = _ask(
        kb,
        "ER+ HER2- MBC after letrozole + palbociclib; ctDNA negative and the liver biopsy NGS also showed no "
        "PIK3CA, AKT1 or PTEN alteration. Safe to treat her as wild-type for the next line?",
    )
    assert a.answer.verdict != "no"
