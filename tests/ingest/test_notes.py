"""Notes and questions -> contract records, over our labelled set in tests/ingest/notes."""

from __future__ import annotations

import datetime as dt
import importlib.util
from pathlib import Path
from types import ModuleType

import pytest

from mbc.errors import NoteExtractionError
from mbc.ingest import extract
from mbc.model import parse_record

HERE = Path(__file__).parent
AS_OF = dt.date(2026, 11, 22)


def _evaluator() -> ModuleType:
    path = HERE.parents[1] / "benchmarks" / "notes_eval.py"
    spec = importlib.util.spec_from_file_location("notes_eval", path)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


EVAL = _evaluator()
CASES = EVAL.cases(HERE / "notes")


def test_the_labelled_set_is_large_enough() -> None:
    """The labelled set holds at least 40 notes and questions."""
    assert len(CASES) >= 40


@pytest.mark.parametrize(("name", "text", "expected"), CASES, ids=[c[0] for c in CASES])
def test_note_extracts_exactly_the_labelled_facts(name: str, text: str, expected: dict) -> None:
    """Each labelled note yields exactly its expected facts, and a valid record."""
    want, got = EVAL.score(name, text, expected)
    assert got == want, f"missing {sorted(want - got, key=str)}; extra {sorted(got - want, key=str)}"
    parse_record(extract(text, as_of=AS_OF).record)


def test_field_level_f1_meets_target() -> None:
    """Micro-averaged field-level F1 over the set is at least 0.95."""
    assert EVAL.evaluate()["f1"] >= 0.95


def test_family_history_never_becomes_germline() -> None:
    """'Mother had BRCA1' is about the mother, not the patient."""
    rec = extract("Her mother had BRCA1. ER+ HER2-.", as_of=AS_OF).record
    assert "germline" not in rec


@pytest.mark.parametrize(
    ("text", "absent"),
    [
        ("No brain mets.", "metastases"),
        ("If PIK3CA mutated, consider alpelisib.", "somatic"),
        ("Consider fulvestrant next.", "prior_therapies"),
    ],
    ids=["negated-site", "hypothetical-mutation", "hypothetical-drug"],
)
def test_negated_or_hypothetical_findings_are_not_facts(text: str, absent: str) -> None:
    """Negated and hypothetical mentions never become facts."""
    assert absent not in extract(text, as_of=AS_OF).record


def test_provenance_gives_span_text_and_rule() -> None:
    """Every note fact records the character span, its text and the rule that read it."""
    text = "ECOG 1. ER 95%."
    ex = extract(text, as_of=AS_OF)
    src = ex.provenance["ecog"]
    start, end = src["span"]
    assert text[start:end] == src["text"] == "ECOG 1"
    assert src["rule"] == "nlp.ecog"


def test_age_alone_is_not_menopausal_status() -> None:
    """'58-year-old woman' gives age and sex but no menopausal status."""
    rec = extract("58-year-old woman with breast cancer.", as_of=AS_OF).record
    assert rec["age"] == 58 and rec["sex"] == "female"
    assert "menopausal_status" not in rec


@pytest.mark.parametrize("text", ["", "   \n\t"], ids=["empty", "whitespace"])
def test_empty_note_is_an_error(text: str) -> None:
    """An empty note raises NoteExtractionError naming the reason."""
    with pytest.raises(NoteExtractionError, match="empty"):
        extract(text, kind="note", as_of=AS_OF)


def test_note_header_date_anchors_durations() -> None:
    """'after 18 months' counts back from the note's own date."""
    text = "Date: 2025-06-30\nProgressed on letrozole + palbociclib after 18 months."
    therapy = extract(text, as_of=AS_OF).record["prior_therapies"][0]
    assert therapy["end"] == "2025-06-30" and therapy["start"] == "2023-12-30"


def test_auto_detects_note_versus_fhir() -> None:
    """auto: JSON with resourceType is FHIR, anything else a note."""
    from mbc.ingest import detect_kind

    assert detect_kind('{"resourceType": "Bundle"}') == "fhir"
    assert detect_kind("ER 95%") == "note"
    assert detect_kind('{"a": 1}') == "note"


@pytest.mark.parametrize("which", ["heldout", "fresh"])
def test_unseen_sets_stay_above_target(which: str) -> None:
    """The held-out and fresh sets stay at field-level F1 >= 0.95 (a regression guard)."""
    assert EVAL.evaluate(folders=EVAL.SETS[which])["f1"] >= 0.95


def test_course_must_not_is_checked_course_by_course() -> None:
    """A note-wide must-not on a course field counts only courses the label reads otherwise."""
    expected = {
        "prior_therapies": [
            {"drugs": ["trastuzumab_deruxtecan"], "stop_reason": "toxicity"},
            {"drugs": ["eribulin"], "stop_reason": "ongoing"},
        ]
    }
    must_not = [{"field": "prior_therapies.stop_reason", "value": "toxicity", "why": "eribulin reduced"}]
    right = {"prior_therapies": [{"drugs": ["trastuzumab_deruxtecan"], "stop_reason": "toxicity"}]}
    wrong = {"prior_therapies": [{"drugs": ["eribulin"], "stop_reason": "toxicity"}]}
    assert EVAL.safety_misreads("", expected, must_not, record=right) == []
    assert len(EVAL.safety_misreads("", expected, must_not, record=wrong)) == 1


def test_drug_must_not_is_checked_course_by_course() -> None:
    """A drug the label gives in another course is a misread only when read into the wrong course."""
    expected = {
        "prior_therapies": [
            {"setting": "adjuvant", "drugs": ["anastrozole"]},
            {"setting": "metastatic", "drugs": ["palbociclib", "fulvestrant"]},
        ]
    }
    must_not = [{"field": "prior_therapies.drugs", "value": "anastrozole", "why": "not part of 1L"}]
    right = {"prior_therapies": [{"drugs": ["anastrozole"]}, {"drugs": ["palbociclib", "fulvestrant"]}]}
    wrong = {"prior_therapies": [{"drugs": ["anastrozole", "palbociclib", "fulvestrant"]}]}
    assert EVAL.safety_misreads("", expected, must_not, record=right) == []
    assert len(EVAL.safety_misreads("", expected, must_not, record=wrong)) == 1
