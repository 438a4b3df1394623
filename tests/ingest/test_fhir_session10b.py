"""Session 10 second pass: FHIR readings, each in small bundles of our own (none copied from a
blind set)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from ._fhir_builders import SNOMED, condition, given, obs, read

AS_OF = dt.date(2026, 11, 1)
LOCAL = "https://codes.example.net/answers"


def lines(*resources: dict[str, Any]) -> list[dict[str, Any]]:
    return sorted(read(AS_OF, *resources).get("prior_therapies", []), key=lambda t: t["start"])


def liver(day: str) -> dict[str, Any]:
    return condition("m1", {"coding": [{"system": SNOMED, "code": "94381002"}]}, day)


def dose(mid: str, name: str, day: str, note: str | None = None, **more: Any) -> dict[str, Any]:
    """A dose given on ``day``, with the nurse's note when given."""
    return {**given(mid, name, day), **({"note": [{"text": note}]} if note else {}), **more}


# ---------------------------------------------------------------- HER2 IHC score as a bare answer


@pytest.mark.parametrize(
    ("answer", "score"),
    [
        ({"coding": [{"system": LOCAL, "code": "x17", "display": "0"}], "text": "0"}, "0"),
        (
            {
                "coding": [
                    {"system": LOCAL, "code": "a2", "display": "3"},
                    {"system": LOCAL, "code": "b9", "display": "3"},
                ]
            },
            "3+",
        ),
        ({"coding": [{"system": LOCAL, "code": "q", "display": "2+"}], "text": "Score 2+"}, "2+"),
        ({"coding": [{"system": LOCAL, "code": "q", "display": "IHC 1+"}], "text": "1+"}, "1+"),
    ],
)
def test_her2_ihc_score_given_in_each_of_text_and_displays(answer: dict, score: str) -> None:
    """A coded answer whose text and every display each give the score (local codes only)."""
    got = read(AS_OF, obs("h1", "85319-2", valueCodeableConcept=answer))
    assert got["tumor"]["her2_ihc"] == score


# ---------------------------------------------------------------- a drug replaced after a reaction


def test_toxicity_of_a_replaced_drug_is_not_the_line_stop_reason() -> None:
    """The first taxane stopped at its first dose for a reaction and another taxane given in
    its place, the antibodies beside: the line ended with no reason recorded, not toxicity."""
    got = lines(
        liver("2024-02-01"),
        dose(
            "a1",
            "paclitaxel",
            "2024-02-20",
            status="stopped",
            statusReason=[{"text": "severe hypersensitivity"}],
        ),
        dose("h1", "trastuzumab", "2024-02-20"),
        dose("d1", "docetaxel", "2024-03-12"),
        dose("d2", "docetaxel", "2024-04-02"),
        dose("h2", "trastuzumab", "2024-04-02"),
    )
    assert len(got) == 1
    assert got[0].get("stop_reason") != "toxicity"


def test_toxicity_of_the_last_drug_stays_the_line_stop_reason() -> None:
    """The drug that stopped last stopped for toxicity: the line's reason is toxicity."""
    got = lines(
        liver("2024-02-01"),
        dose("c1", "capecitabine", "2024-02-20"),
        dose(
            "c2",
            "capecitabine",
            "2024-03-12",
            status="stopped",
            statusReason=[{"text": "hand-foot syndrome grade 3"}],
        ),
    )
    assert got[0]["stop_reason"] == "toxicity"


# ---------------------------------------------------------------- words that say the line goes on


@pytest.mark.parametrize(
    "words",
    [
        "cycle 6, the last of the chemotherapy; antibodies continue every 3 weeks",
        "final taxane dose - trastuzumab and pertuzumab go on as maintenance",
        "taxane completed today. HER2 blockade carried on",
    ],
)
def test_a_line_whose_record_says_it_goes_on_is_one_line_across_a_long_break(words: str) -> None:
    """A taxane and two antibodies, the last taxane record saying the antibodies go on, the
    antibodies recorded again 18 months later with no progression between: one line."""
    got = lines(
        liver("2023-01-05"),
        dose("t1", "docetaxel", "2023-01-20"),
        dose("h1", "trastuzumab", "2023-01-20"),
        dose("p1", "pertuzumab", "2023-01-20"),
        dose("t6", "docetaxel", "2023-05-05", words),
        dose("h9", "trastuzumab", "2024-11-10"),
        dose("p9", "pertuzumab", "2024-11-10"),
    )
    assert [sorted(t["drugs"]) for t in got] == [["docetaxel", "pertuzumab", "trastuzumab"]]
    assert got[0]["end"] == "2024-11-10"


@pytest.mark.parametrize("words", [None, "last taxane; antibodies not continued", "discontinued"])
def test_without_words_that_it_goes_on_a_long_break_is_a_new_line(words: str | None) -> None:
    """The same shape with no such words (or words that deny it): two lines."""
    got = lines(
        liver("2023-01-05"),
        dose("t1", "docetaxel", "2023-01-20"),
        dose("h1", "trastuzumab", "2023-01-20"),
        dose("p1", "pertuzumab", "2023-01-20"),
        dose("t6", "docetaxel", "2023-05-05", words),
        dose("h9", "trastuzumab", "2024-11-10"),
        dose("p9", "pertuzumab", "2024-11-10"),
    )
    assert len(got) == 2


# ---------------------------------------------------------------- a stage IV entry from a later restage


def primary(onset: str, *summaries: str) -> dict[str, Any]:
    """A primary breast cancer with one stage entry per summary text."""
    return condition(
        "pc", {"coding": [{"system": SNOMED, "code": "254837009"}]}, onset,
        stage=[{"summary": {"text": s}} for s in summaries],
    )  # fmt: skip


@pytest.mark.parametrize(
    "summaries",
    [
        ("T2 N1 M0, stage IIB", "Stage IV"),
        ("Stage IV at relapse, 2021",),
        ("pT1b pN0 (stage IA)", "stage 4 - distant recurrence to bone"),
    ],
)
def test_a_stage_iv_entry_from_a_later_restage_is_no_de_novo_disease(summaries: tuple[str, ...]) -> None:
    """The primary staged early at diagnosis, restaged IV when the disease came back: a
    recurrence dated by the metastasis, and the adjuvant drug before it stays adjuvant."""
    got = read(
        AS_OF,
        primary("2015-03-02", *summaries),
        liver("2021-05-10"),
        dose("l1", "letrozole", "2015-06-01"),
    )
    assert got["presentation"] == "recurrence"
    assert got["metastatic_diagnosis_date"].startswith("2021-05")
    assert got["prior_therapies"][0]["setting"] != "metastatic"


@pytest.mark.parametrize(
    "summaries",
    [("Stage IV",), ("cT3 N2 M1 - stage IV de novo",), ("Stage IV at diagnosis, relapse-free interval n/a",)],
)
def test_a_stage_iv_at_diagnosis_stays_de_novo(summaries: tuple[str, ...]) -> None:
    got = read(AS_OF, primary("2021-05-01", *summaries), liver("2021-05-10"))
    assert got["presentation"] == "de_novo"


# ---------------------------------------------------------------- HER2 staining words denied


@pytest.mark.parametrize(
    ("words", "score"),
    [
        ("0; criteria for HER2-ultralow not met (no staining seen)", "0"),
        ("Score 0. Not ultralow.", "0"),
        ("IHC 0, faint incomplete staining absent", "0"),
        ("0 (faint, incomplete membrane staining in about 5% of cells)", "ultralow"),
        ("HER2-ultralow", "ultralow"),
    ],
)
def test_her2_staining_words_the_result_denies_do_not_count(words: str, score: str) -> None:
    got = read(AS_OF, obs("h1", "85319-2", valueString=words))
    assert got["tumor"]["her2_ihc"] == score


def test_a_stage_iv_on_a_primary_whose_status_is_recurrence_is_a_restage() -> None:
    """The primary's clinical status says the cancer came back: its stage IV is no de novo disease."""
    prim = {**primary("2016-09-01", "Stage IV"), "clinicalStatus": {"coding": [{"code": "recurrence"}]}}
    got = read(AS_OF, prim, liver("2025-11-03"))
    assert got["presentation"] == "recurrence"
    assert got["metastatic_diagnosis_date"].startswith("2025-11")


# ---------------------------------------------------------------- a site in a report's coded conclusion


def scan(rid: str, status: str, *codes: tuple[str, str], day: str = "2026-03-04") -> dict[str, Any]:
    """An imaging report whose conclusion is given as codes only."""
    return {"resourceType": "DiagnosticReport", "id": rid, "status": status,
            "code": {"text": "CT chest abdomen pelvis"}, "subject": {"reference": "Patient/p"},
            "effectiveDateTime": day, "conclusion": "See coded findings.",
            "conclusionCode": [{"coding": [{"system": s, "code": c}]} for s, c in codes]}  # fmt: skip


def test_a_site_coded_in_a_final_report_conclusion_is_a_metastatic_site() -> None:
    got = read(
        AS_OF,
        scan("r1", "final", (SNOMED, "94222008"), ("http://hl7.org/fhir/sid/icd-10-cm", "C78.7")),
        condition("m2", {"coding": [{"system": SNOMED, "code": "94391008"}]}, "2026-05-01"),
    )
    assert sorted(got["metastases"]["sites"]) == ["bone", "liver", "lung"]
    assert got["metastatic_diagnosis_date"].startswith("2026-03")


@pytest.mark.parametrize(
    ("status", "code"),
    [("preliminary", "94222008"), ("final", "254837009"), ("entered-in-error", "94381002")],
)
def test_no_site_from_a_report_not_final_or_coding_no_secondary_cancer(status: str, code: str) -> None:
    got = read(AS_OF, scan("r1", status, (SNOMED, code)), liver("2026-05-01"))
    assert got["metastases"]["sites"] == ["liver"]
