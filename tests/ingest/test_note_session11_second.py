"""Issue 11, session 11 (notes: second pass): ConText cues found on sets 13/14, each tested with
phrasings written for this file (none copied from a note).

A question answered "no" and a mark ("X? no - Y") doubts only the words asked about: the "no" is
the answer, not a negation of what follows, and the other drugs of the sentence keep their
reading. A speaker's self-correction ("- no wait, ...", "- sorry no, ...") is no negation of what
follows. A drug named for a trial "screening only" / "not enrolled" is no therapy given. Each
withheld fact sits beside one that must still be read (controls)."""

from __future__ import annotations

import datetime as dt

import pytest

from mbc.ingest import extract

pytestmark = pytest.mark.filterwarnings("ignore::UserWarning")
AS_OF = dt.date(2026, 11, 20)
HEAD = "Clinic letter 18 Nov 2026. Mrs K, 58, metastatic breast cancer.\n"


def _read(text: str) -> dict:
    return extract(HEAD + text + "\nReview in four weeks.", kind="note", as_of=AS_OF).record


def _drugs(rec: dict) -> set[str]:
    return {d for line in rec.get("prior_therapies") or [] for d in line.get("drugs") or []}


def test_a_question_answered_no_does_not_negate_the_answer_given() -> None:
    rec = _read("Background: metastatic at first diagnosis? no - recurrent, bone relapse 2024.")
    assert rec.get("presentation") == "recurrence"


def test_a_question_answered_no_leaves_the_other_drugs_of_the_sentence_current() -> None:
    rec = _read("Medications: ramipril, lansoprazole -> swap to famotidine? no - stays on lansoprazole.")
    meds = rec.get("medications") or []
    assert "lansoprazole" in meds and "ramipril" in meds
    assert "famotidine" not in meds


def test_a_drug_with_an_interaction_query_answered_no_is_current() -> None:
    meds = (
        _read("Medications: simvastatin 20 mg (strong CYP3A4 issue? no - fine), ramipril 5 mg.").get(
            "medications"
        )
        or []
    )
    assert "simvastatin" in meds and "ramipril" in meds


def test_the_asked_about_word_stays_doubted() -> None:
    rec = _read("Anastrozole since 02/2025. Liver mets? no - bone only on PET.")
    sites = (rec.get("metastases") or {}).get("sites") or []
    assert "liver" not in sites


def test_a_self_correction_is_no_negation_of_what_follows() -> None:
    meds = (
        _read(
            "Medications: amlodipine 5 mg and omeprazole - no sorry - pantoprazole 40 mg daily with ramipril."
        ).get("medications")
        or []
    )
    assert "pantoprazole" in meds and "ramipril" in meds and "amlodipine" in meds


def test_a_drug_for_trial_screening_only_is_no_therapy_given() -> None:
    rec = _read(
        "Prior: paclitaxel 03/2025 - 09/2026, stopped for progression.\n"
        "Trial referral: datopotamab deruxtecan basket cohort (screening only, not enrolled)."
    )
    drugs = _drugs(rec)
    assert "paclitaxel" in drugs
    assert not any("datopotamab" in d for d in drugs)


@pytest.mark.parametrize(
    "said",
    [
        "She did not want IV chemotherapy after her mother's experience, so letrozole was started.",
        "She has declined all chemotherapy; endocrine options only.",
    ],
)
def test_a_past_or_whole_refusal_of_chemotherapy_is_read(said: str) -> None:
    assert (_read(said).get("preferences") or {}).get("declines_chemotherapy") is True


def test_a_past_refusal_she_will_now_consider_is_not_read() -> None:
    rec = _read("She did not want chemotherapy at that stage but would consider it now.")
    assert not (rec.get("preferences") or {}).get("declines_chemotherapy")


def test_a_dose_between_started_and_the_date_keeps_the_start() -> None:
    rec = _read("Oncology started exemestane 25 mg od 04/2026, continuing; bone disease stable.")
    lines = [t for t in rec.get("prior_therapies") or [] if "exemestane" in (t.get("drugs") or [])]
    assert lines and (lines[0].get("start") or "").startswith("2026-04")


def test_a_correction_heading_the_score_wins_over_the_biopsy_result_it_corrects() -> None:
    rec = _read(
        "Receptors (liver bx 02/2026): ER 0%, PR 0%, HER2 IHC 2+, ISH pending.\n"
        "    (correction 04/2026 central review: HER2 IHC 1, low.)"
    )
    assert (rec.get("tumor") or {}).get("her2_ihc") == "1+"


def test_a_metastasis_result_still_wins_over_an_unranked_unstated_one() -> None:
    rec = _read("Liver biopsy 03/2026: ER 0%, PR 0%, HER2 IHC 2+ equivocal.\nHER2 IHC 1+ noted in 2019.")
    assert (rec.get("tumor") or {}).get("her2_ihc") == "2+"
