"""Issue 11, session 12 (readers review 16): fixes for the reader review. Phrasings written for this
file (none copied from a benchmark note).

M1: the misspelt-drug mend (``misspelt_drugs`` in knowledge/nlp/therapy.yaml) never invents a drug from
a person's name after a title, from a one-letter-off brand without a dose or treatment word near it,
or from ordinary words joined into a brand; controls: real misspellings are still mended."""

from __future__ import annotations

import datetime as dt

import pytest

from mbc.ingest import extract
from mbc.ingest._note_spelling import mend_spelling

pytestmark = pytest.mark.filterwarnings("ignore::UserWarning")
AS_OF = dt.date(2026, 11, 20)
HEAD = "Clinic note 18 Nov 2026. Mrs T, 61, metastatic breast cancer to bone.\n"


def _drugs(text: str) -> set[str]:
    rec = extract(HEAD + text + "\nReview in four weeks.", kind="note", as_of=AS_OF).record
    return {d for t in rec.get("prior_therapies") or [] for d in t.get("drugs") or []}


@pytest.mark.parametrize(
    "text",
    [
        "Seen with her husband. Referred by Dr Firestone (GP) for a second opinion.",
        "Letter copied to Mr Firestone, her surgeon.",
        "She says the gems are from her grandmother.",
        "Her dog likes to tuck is a phrase she uses.",
    ],
)
def test_a_name_or_ordinary_words_are_not_mended_into_a_drug(text: str) -> None:
    assert mend_spelling(text) == text
    assert not _drugs("On letrozole 2.5 mg + palbociclib 125 mg since 03/2025. " + text) - {
        "letrozole",
        "palbociclib",
    }


@pytest.mark.parametrize(
    ("text", "drug"),
    [
        ("Started anastrozole + Verzinio 150 mg twice a day in 2025.", "abemaciclib"),  # one letter off, dosed
        ("I'm on the Kiss-kali tablets since March 2026.", "ribociclib"),  # spelt syllable by syllable
        ("Adjuvant cad sila fourteen cycles, completed 2022.", "trastuzumab emtansine"),  # joined, therapy words
        ("First line fool vest rant from May 2025 until progression in October 2026.", "fulvestrant"),
    ],
)
def test_real_misspellings_are_still_mended(text: str, drug: str) -> None:  # controls
    assert drug in _drugs(text)


def _ild(text: str) -> bool:
    rec = extract(HEAD + text + "\nReview in four weeks.", kind="note", as_of=AS_OF).record
    return "interstitial_lung_disease" in (rec.get("comorbidities") or [])


@pytest.mark.parametrize(
    "text",
    [
        "Problems: influenza / pneumonitis (T-DXd related) 12/2025.",
        "Problems: flu, pneumonitis after trastuzumab deruxtecan 2025.",
    ],
)
def test_an_infection_before_a_list_separator_does_not_clear_the_next_pneumonitis(text: str) -> None:  # M2
    assert _ild(text)


def test_an_infective_pneumonitis_is_still_no_ild() -> None:  # control
    assert not _ild("Problems: COVID pneumonitis 01/2025, resolved.")


def _fhir_drugs(med: dict) -> set[str]:
    import json

    bundle = {"resourceType": "Bundle", "type": "collection", "entry": [
        {"resource": {"resourceType": "Patient", "id": "p1", "gender": "female", "birthDate": "1966-01-01"}},
        {"resource": {"resourceType": "Condition", "id": "c1", "subject": {"reference": "Patient/p1"},
                      "code": {"text": "Metastatic breast cancer, ER-positive HER2-negative"}, "onsetDateTime": "2025-01-10"}},
        {"resource": {"id": "m1", "subject": {"reference": "Patient/p1"}, **med}},
    ]}  # fmt: skip
    rec = extract(json.dumps(bundle).encode(), kind="fhir", as_of=dt.date(2026, 12, 7)).record
    return {d for t in rec.get("prior_therapies") or [] for d in t.get("drugs") or []}


def test_a_running_course_whose_next_cycle_is_due_is_given() -> None:  # M3
    med = {"resourceType": "MedicationStatement", "status": "active", "effectivePeriod": {"start": "2025-02-01"},
           "medicationCodeableConcept": {"text": "palbociclib 125 mg"},
           "dosage": [{"text": "125 mg daily d1-21; next cycle due 2026-12-20"}]}  # fmt: skip
    assert "palbociclib" in _fhir_drugs(med)


def test_an_order_whose_next_supply_is_not_dispensed_is_given() -> None:  # M3
    med = {"resourceType": "MedicationRequest", "status": "active", "intent": "order", "authoredOn": "2025-02-01",
           "medicationCodeableConcept": {"text": "ribociclib 200 mg"},
           "dosageInstruction": [{"text": "600 mg daily d1-21 since 02/2025; December supply not yet dispensed"}]}  # fmt: skip
    assert "ribociclib" in _fhir_drugs(med)


def test_a_first_dose_still_to_come_is_not_given() -> None:  # control
    med = {"resourceType": "MedicationRequest", "status": "active", "intent": "order", "authoredOn": "2026-12-01",
           "medicationCodeableConcept": {"text": "ribociclib 200 mg"},
           "dosageInstruction": [{"text": "600 mg daily d1-21; C1D1 scheduled 2026-12-20"}]}  # fmt: skip
    assert "ribociclib" not in _fhir_drugs(med)
