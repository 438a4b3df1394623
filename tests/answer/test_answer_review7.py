"""Session 7 review mends of ``mbc ask`` (issue 12): a stated count of earlier lines beside recorded
courses, a verdict that rests on a usual assumption names it, the biopsy ruling kept to its intent,
and the "depends on" wording."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from mbc.answer._courses import count_lines
from mbc.answer._schema import load_answer_kb

AS_OF = dt.date(2026, 11, 1)


# ------------------------------------------------- 1. a stated count of earlier lines is never dropped
def test_stated_endocrine_lines_count_beside_a_recorded_chemotherapy(kb: Any) -> None:
    rec = {"prior_therapies": [{"drugs": ["capecitabine"], "setting": "metastatic", "stop_reason": "progression"}]}
    out, said = count_lines("ER+ MBC after 2 lines ET and capecitabine.", rec, kb, load_answer_kb(kb))
    courses = [c["drugs"] for c in out["prior_therapies"]]
    assert len(courses) == 3 and courses[-1] == ["capecitabine"]  # stand-ins placed before the recorded one
    assert said


def test_a_recorded_endocrine_course_is_one_of_the_stated_lines(kb: Any) -> None:
    rec = {"prior_therapies": [{"drugs": ["fulvestrant"], "setting": "metastatic", "stop_reason": "progression"}]}
    out, _ = count_lines("progressed after 2 lines of endocrine therapy, the last fulvestrant", rec, kb, load_answer_kb(kb))
    assert len(out["prior_therapies"]) == 2  # one stand-in, not two


@pytest.mark.parametrize(
    "q",
    [
        "HER2-low ER+ MBC after 2 lines ET and capecitabine. Is T-DXd appropriate?",
        "ER-positive HER2 IHC 1+ metastatic disease, progressed after two lines of endocrine therapy and then "
        "paclitaxel. Would trastuzumab deruxtecan be appropriate now?",
    ],
)
def test_tdxd_after_stated_endocrine_lines_and_a_chemotherapy_is_not_a_no(kb: Any, q: str, ask_json: Any) -> None:
    a = ask_json(q, "clinician")
    assert a["answer"]["verdict"] in {"yes", "depends"}, a["answer"]["text"]
    first = a["answer"]["text"].splitlines()[0]
    assert "not among the guideline options" not in first


# ------------------------------------- 2. a verdict on an assumed receptor names it / depends on it
def test_an_anti_her2_drug_on_her2_assumed_from_a_cdk46_inhibitor_depends_on_her2(kb: Any, ask_json: Any) -> None:
    a = ask_json("Bone mets, she had anastrozole + ribociclib and it stopped working. Would trastuzumab + pertuzumab be right?", "clinician")
    first = a["answer"]["text"].splitlines()[0]
    assert a["answer"]["verdict"] == "depends", first
    assert first.startswith("Depends on HER2 status")
    stated = ask_json("ER+ HER2-negative, progressed on anastrozole + ribociclib. Would trastuzumab + pertuzumab be right?", "clinician")
    assert stated["answer"]["verdict"] == "no"  # HER2 stated: no depends


def test_a_no_on_an_assumed_receptor_names_it_first(kb: Any, ask_json: Any) -> None:
    a = ask_json("Progressed on anastrozole + abemaciclib. Is abemaciclib + fulvestrant appropriate?", "clinician")
    first = a["answer"]["text"].splitlines()[0]
    assert a["answer"]["verdict"] == "no"
    assert "assuming HR-positive, HER2-negative" in first.split(":")[0]


# ------------------------------------------------ 3. the biopsy ruling answers "do we biopsy?" only
@pytest.mark.parametrize(
    "q",
    [
        "New liver lesions 6 years after ER+ HER2- early breast cancer; biopsy planned next week. What treatment after that?",
        "First relapse in bone and new lung nodules, treated for ER+ HER2- disease in 2018. Liver biopsy booked. "
        "Is letrozole + palbociclib appropriate afterwards?",
    ],
)
def test_a_planned_biopsy_does_not_take_over_the_treatment_question(kb: Any, q: str, ask_json: Any) -> None:
    a = ask_json(q, "clinician")
    assert not a["answer"]["text"].startswith("Yes, biopsy it"), a["answer"]["text"][:200]


# ------------------------------------------------------ 4. "Depends on HER2 status", not "hER2"
def test_depends_keeps_the_capital_of_an_acronym(kb: Any, ask_json: Any) -> None:
    a = ask_json("ER-negative metastatic breast cancer, HER2 result pending. Is trastuzumab + pertuzumab + docetaxel appropriate?", "clinician")
    assert a["answer"]["verdict"] == "depends"
    assert a["answer"]["text"].startswith("Depends on HER2 status"), a["answer"]["text"][:80]
    b = ask_json("TNBC, no BRCA test yet. Is olaparib appropriate?", "clinician")
    assert b["answer"]["text"].startswith("Depends on germline")  # a plain word is still lower case
