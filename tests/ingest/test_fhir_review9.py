"""Review 9 (safety) of the session 9 FHIR reader: each test fails without its mend. Bundles
are our own, with phrasings invented for the review (none copied from a blind set)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from ._fhir_builders import LOINC, SNOMED, condition, med, obs, read

AS_OF = dt.date(2026, 11, 1)
POS, NEG = "LA6576-8", "LA6577-6"


def her2(oid: str, code: str, day: str, answer: str, status: str = "final") -> dict[str, Any]:
    return obs(
        oid, code, day, status=status, valueCodeableConcept={"coding": [{"system": LOINC, "code": answer}]}
    )


def test_a_corrected_result_still_makes_an_old_result_of_its_marker_historical() -> None:
    """A corrected (or amended) result carries a tie-break mark after its date; the date must
    still be read, or a years-old HER2 ISH "amplified" stays current beside this year's
    corrected HER2-negative result (and the record reads HER2-positive)."""
    old_ish = her2("old", "85318-4", "2017-03-01", POS)
    for status in ("final", "corrected", "amended"):
        got = read(AS_OF, old_ish, her2("new", "85319-2", "2026-09-01", NEG, status))
        assert got["tumor"] == {"her2_status": "negative"}, status


def imaging(conclusion: str) -> dict[str, Any]:
    return {"resourceType": "DiagnosticReport", "id": "ct", "status": "final", "code": {"text": "CT chest abdomen"},
            "subject": {"reference": "Patient/p"}, "effectiveDateTime": "2025-06-03", "conclusion": conclusion}  # fmt: skip


def stopped_at_progression(conclusion: str) -> bool:
    liver = condition("m1", {"coding": [{"system": SNOMED, "code": "94381002"}]}, "2025-01-05")
    line = med("s", "capecitabine", "2025-01-20", "2025-06-01", status="stopped")
    got = read(AS_OF, liver, line, imaging(conclusion))["prior_therapies"]
    return bool(got[0].get("stop_reason") == "progression")


def test_an_imaging_conclusion_denying_or_doubting_progression_dates_none() -> None:
    """A negation further than two words before ("no definite evidence of disease
    progression"), doubt ("concerning for", "cannot exclude", "equivocal"), a denial after it
    ("is not excluded", "versus") or progression of something not the cancer: no progression
    (the line it would stop would count as progressed on)."""
    for words in (
        "No definite evidence of disease progression.",
        "Findings concerning for progression; recommend MRI.",
        "Cannot exclude early progression.",
        "Equivocal for progression versus treatment effect.",
        "Negative for progression.",
        "Progression is not excluded.",
        "Progression of degenerative changes in the lumbar spine; stable osseous metastases.",
    ):
        assert not stopped_at_progression(words), words
    for words in (
        "No new lesions but progression of the known liver metastases.",
        "Compared to prior CT without contrast, there is progression in the liver.",
        "Definite disease progression; possible new adrenal lesion.",
        "Progression of osseous metastases.",
    ):
        assert stopped_at_progression(words), words


LIVER = {"coding": [{"system": SNOMED, "code": "94381002"}]}
BONE = {"coding": [{"system": SNOMED, "code": "94222008"}]}


def first_line_stop(*sites: dict[str, Any]) -> str | None:
    liver = condition("m1", LIVER, "2025-01-05")
    lines = (med("s", "capecitabine", "2025-01-20", "2025-06-01", status="stopped"),
             med("t", "eribulin", "2025-07-01", "2025-09-01", status="stopped"))  # fmt: skip
    got = sorted(read(AS_OF, liver, *lines, *sites)["prior_therapies"], key=lambda t: t["start"])
    return got[0].get("stop_reason")


def test_a_site_recorded_again_or_entered_late_dates_no_progression() -> None:
    """A new site months after the metastatic diagnosis dates a progression - but not the same
    site recorded again (a second liver condition), nor a site dated only by when it was
    entered (``recordedDate``, no onset): neither says the disease grew."""
    assert first_line_stop(condition("m4", BONE, "2025-05-20")) == "progression"  # a new site
    assert first_line_stop(condition("m2", LIVER, "2025-05-20")) is None
    late = condition("m3", BONE, "2025-05-20")
    del late["onsetDateTime"]
    assert first_line_stop({**late, "recordedDate": "2025-05-20"}) is None


def test_msi_in_a_genomics_report_conclusion_is_read_in_its_own_clause() -> None:
    """A bare "no" later in the MSI clause ("MSI-H, no TMB reported", "MSI high with no loss
    of MMR proteins") read an MSI-high tumour as MSS: the tumour-agnostic options were lost."""
    for words, msi in (
        ("MSI-H, no TMB reported.", "MSI-H"),
        ("Microsatellite instability high, no actionable variants.", "MSI-H"),
        ("MSI high with no loss of MMR proteins.", "MSI-H"),
        ("MSI: no.", "MSS"),
        ("Microsatellite instability: no.", "MSS"),
        ("MSI-High not detected.", "MSS"),
    ):
        conclusion = {"resourceType": "DiagnosticReport", "id": "g", "status": "final",
                      "code": {"coding": [{"system": LOINC, "code": "81247-9"}], "text": "Plasma cfDNA panel"},
                      "subject": {"reference": "Patient/p"}, "effectiveDateTime": "2026-09-01",
                      "conclusion": words}  # fmt: skip
        assert read(AS_OF, conclusion).get("msi") == msi, words
