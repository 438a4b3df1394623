"""Issue 11, second pass: stop reasons, settings and gene results written in prose.

Phrasings our own (not copied from the blind notes); each row checks what is read, and the
safety rows check that nothing is read where the text does not state it.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from mbc.ingest import extract

AS_OF = dt.date(2026, 11, 22)


def _rec(text: str) -> dict[str, Any]:
    return extract(text, kind="note", as_of=AS_OF).record


def _therapy(text: str, drug: str) -> dict[str, Any]:
    return next(t for t in _rec(text).get("prior_therapies", []) if drug in t["drugs"])


@pytest.mark.parametrize(
    ("text", "drug", "stop"),
    [
        ("Metastatic breast cancer to bone, 2 months after\nstarting anastrozole and abemaciclib.", "abemaciclib", "ongoing"),
        ("Liver metastases. The weekly paclitaxel is working, scans better.", "paclitaxel", "ongoing"),
        ("Bone metastases since 2025. Since 03/2025 he takes letrozole + palbociclib.", "palbociclib", "ongoing"),
        ("Relapse under tamoxifen in 2024 with lung metastases.", "tamoxifen", "progression"),
        ("Capecitabine was stopped for hand-foot syndrome in 2025.", "capecitabine", "toxicity"),
        ("Capecitabine was stopped for progression in 2025.", "capecitabine", "progression"),
    ],
)
def test_stop_reason_in_prose(text: str, drug: str, stop: str) -> None:
    assert _therapy(text, drug).get("stop_reason") == stop


def test_line_list_heading_gives_each_item_its_stop_and_setting() -> None:
    text = (
        "Bone and liver metastases. 2 previous metastatic lines, both stopped for progression:\n"
        "anastrozole + ribociclib;\nfulvestrant + everolimus."
    )
    got = _rec(text)["prior_therapies"]
    assert [t["drugs"] for t in got] == [["anastrozole", "ribociclib"], ["fulvestrant", "everolimus"]]
    assert all(t.get("setting") == "metastatic" and t.get("stop_reason") == "progression" for t in got)


def test_negated_gene_results_are_wild_type() -> None:
    got = _rec("ctDNA: ESR1 is not mutated. No alteration of PIK3CA, AKT1 or PTEN detected.")
    assert set(got.get("somatic", [])) == {"ESR1 wildtype", "PIK3CA wildtype", "AKT1 wildtype", "PTEN wildtype"}


def test_gene_list_detected_without_negation_records_nothing() -> None:
    got = _rec("Panel covered PIK3CA, AKT1 or PTEN; results pending, nothing detected yet is reported.")
    assert not any(s.endswith("wildtype") for s in got.get("somatic", []))


@pytest.mark.parametrize(
    "text",
    [
        "Metastatic breast cancer, new headache. ?brain metastases",
        "Metastatic breast cancer, new headache, ?brain metastases.",
    ],
)
def test_query_mark_before_a_finding_makes_it_uncertain(text: str) -> None:
    got = _rec(text)
    assert "brain" not in (got.get("metastases") or {}).get("sites", [])
    assert got.get("symptoms") == ["headache"]  # the sentence before is still stated


def test_query_mark_after_a_sentence_does_not_void_the_one_before() -> None:
    got = _rec("Indication: metastatic breast cancer, new back pain and leg weakness for 2 days. ?cord compression.")
    assert set(got.get("symptoms", [])) == {"back pain", "leg weakness"}


@pytest.mark.parametrize(
    ("text", "symptom"),
    [
        ("Her husband says her eyes are yellow since Sunday.", "jaundice"),
        ("Metastatic breast cancer. Appetite is poor this week.", "poor appetite"),
        ("She vomited twice overnight.", "vomiting"),
        ("I have lost 4 kg since the summer.", "weight loss"),
        ("Loose stools since Monday with cramps.", "abdominal cramps"),
        ("Two new lumps have come up on my skin near the scar.", "skin lumps"),
    ],
)
def test_lay_symptom_words(text: str, symptom: str) -> None:
    assert symptom in _rec(text).get("symptoms", [])


@pytest.mark.parametrize(
    "text",
    [
        "No yellow eyes, appetite fine.",
        "Does not have cramps in her legs; never vomited.",
        "If you notice yellow skin or lost weight, call us.",
        "Cramps and spasms with cramps in my legs at night.",
    ],
)
def test_lay_symptoms_not_invented(text: str) -> None:
    got = set(_rec(text).get("symptoms", []))
    assert not got & {"jaundice", "vomiting", "weight loss", "abdominal cramps"}, got


def test_drug_named_before_related_is_that_drug_and_one_line() -> None:
    text = (
        "Diagnosis: sacituzumab govitecan-related neutropenia. Trodelvy permanently discontinued.\n"
        "Lines: (1) paclitaxel 2024, progression; (2) sacituzumab govitecan 01/2025 - 06/2025, stopped for neutropenia."
    )
    got = _rec(text)["prior_therapies"]
    assert [t["drugs"] for t in got] == [["paclitaxel"], ["sacituzumab govitecan"]]
    assert got[1]["stop_reason"] == "toxicity"


def test_line_broken_after_an_article_is_one_sentence() -> None:
    got = _rec("Bone metastases. I take letrozole every day and the other one, the\nKisqali, 3 weeks on 1 off.")
    assert [t["drugs"] for t in got["prior_therapies"]] == [["letrozole", "ribociclib"]]


def test_menopausal_status_gives_sex_but_not_from_family() -> None:
    assert _rec("58 yo, postmenopausal, metastatic breast cancer.").get("sex") == "female"
    assert "sex" not in _rec("Patient 61. His mother was postmenopausal at diagnosis of breast cancer.")


def test_blurred_vision_recorded_as_written() -> None:
    assert "blurred vision" in _rec("Brain metastases. New blurred vision since Monday.").get("symptoms", [])
