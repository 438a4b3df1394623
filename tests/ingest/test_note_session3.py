"""Issue 11, session 3: the question facts read by the note reader, dose changes and side
effects that are not therapies of their own (our own phrasings, not the blind set's)."""

from __future__ import annotations

import datetime as dt

import pytest

from mbc.ingest import extract, inferred_assumptions

pytestmark = pytest.mark.filterwarnings("ignore::UserWarning")
AS_OF = dt.date(2026, 11, 1)


def _read(text: str, **kw: object) -> dict:
    return extract(text, kind="note", as_of=AS_OF, **kw).record  # type: ignore[arg-type]


def test_an_assumed_fact_is_listed_to_confirm_not_recorded() -> None:
    """Visceral crisis from a bilirubin multiple is an assumption: `mbc extract` lists it for
    the clinician; `mbc ask` (assume=True) records it and states why."""
    text = "Liver metastases, bilirubin 2.4 x ULN and rising."
    plain = extract(text, kind="note", as_of=AS_OF)
    assert "visceral_crisis" not in plain.record.get("metastases", {})
    suggested = [u for u in plain.unread if u.get("kind") == "inference"]
    assert suggested and "metastases.visceral_crisis" in suggested[0]["fields"]
    assumed = extract(text, kind="note", as_of=AS_OF, assume=True)
    assert assumed.record["metastases"]["visceral_crisis"] is True
    assert any("visceral crisis" in a for a in inferred_assumptions(assumed))
    assert assumed.provenance["metastases.visceral_crisis"]["certainty"] == "inferred"


def test_a_stated_shorthand_is_read_by_extract_too() -> None:
    """Readings that are not assumptions ("triple negative") are the same in both."""
    rec = _read("Triple negative MBC, lung metastases.")
    assert rec["tumor"]["er_status"] == "negative" and rec["tumor"]["her2_status"] == "negative"


def test_receptor_shorthand_does_not_add_a_second_form() -> None:
    """ER 90% already read: "HR+" adds no er_status beside it."""
    rec = _read("HR+ MBC. ER 90%, PR 20%, HER2 0.")
    assert rec["tumor"]["er_percent"] == 90 and "er_status" not in rec["tumor"]


def test_somatic_brca_not_detected_is_wildtype_never_a_mutation() -> None:
    assert _read("Somatic BRCA2 not detected.")["somatic"] == ["BRCA2 wildtype"]
    assert _read("Tumour BRCA2 pathogenic variant on NGS.")["somatic"] == ["BRCA2 mutation"]


def test_negative_brca_panel_is_not_a_somatic_result() -> None:
    """A germline-style negative ("negative for BRCA1/BRCA2") gives no somatic wildtype."""
    assert "somatic" not in _read("Genetics: negative for BRCA1/BRCA2.")


def test_class_level_lines_are_split_only_when_listed_apart() -> None:
    """`prior_split` keeps "letrozole/palbociclib" one line in a list of lines."""
    rec = extract(
        "MBC after 3 lines (letrozole/palbociclib, capecitabine, eribulin). Next?",
        kind="note", as_of=AS_OF, assume=True,
    ).record  # fmt: skip
    drugs = sorted(sorted(t["drugs"]) for t in rec["prior_therapies"])
    assert ["letrozole", "palbociclib"] in drugs


def test_dose_reduction_sentence_is_not_a_line_of_its_own() -> None:
    text = (
        "(1) letrozole + ribociclib 06/2024 - 09/2026. Ribociclib reduced 600 -> 400 mg for G3\n"
        "neutropenia 11/2024, then continued. PD on CT 09/2026."
    )
    lines = _read(text)["prior_therapies"]
    assert len(lines) == 1 and sorted(lines[0]["drugs"]) == ["letrozole", "ribociclib"]
    assert lines[0].get("stop_reason") != "toxicity"


def test_side_effect_of_a_drug_is_not_a_therapy() -> None:
    text = (
        "(1) fulvestrant + capivasertib 01/2025 - 03/2026, progression. Developed\n"
        "capivasertib-related hyperglycaemia needing metformin."
    )
    lines = _read(text)["prior_therapies"]
    assert len(lines) == 1 and lines[0]["stop_reason"] == "progression"


def test_hold_then_resume_does_not_stop_the_line() -> None:
    text = "Tx: (1) pembrolizumab + nab-paclitaxel from 09/09/2026. C2 pembro held for colitis, resumed C3."
    lines = _read(text)["prior_therapies"]
    assert len(lines) == 1 and lines[0].get("stop_reason") != "toxicity"


def test_labelled_germline_result_and_not_a_vus() -> None:
    assert _read("Germline: BRCA1 c.68_69delAG PATHOGENIC (own result).")["germline"] == ["BRCA1"]
    assert "germline" not in _read("Germline: BRCA2 VUS (variant of uncertain significance).")


def test_planned_additions_are_not_therapies_given() -> None:
    text = (
        "Outcome: continue trastuzumab + pertuzumab since 06/2026; ADD letrozole from next cycle "
        "(recommended). Denosumab to start once dental check done."
    )
    rec = _read(text)
    drugs = {d for t in rec.get("prior_therapies", []) for d in t["drugs"]}
    assert "letrozole" not in drugs and "denosumab" not in rec.get("medications", [])


def test_symptom_said_resolved_later_is_not_current() -> None:
    rec = _read("Grade 2 rash in cycle 1, drug held 7 days then restarted. Rash resolved.")
    assert "rash" not in rec.get("symptoms", [])


def test_receptor_below_one_percent_is_negative() -> None:
    assert _read("Cell block: ER 60%, PR <1%, HER2 1+.")["tumor"]["pr_status"] == "negative"


def test_ecog_at_discharge_is_the_current_grade() -> None:
    assert _read("ECOG 2 on admission, 1 at discharge.")["ecog"] == 1


def test_sites_after_a_relapse_with_a_written_month() -> None:
    rec = _read("Relapse May 2026: lung (multiple nodules) + bone. Lung bx: ER 85%.")
    assert set(rec["metastases"]["sites"]) >= {"lung", "bone"}


def test_a_relative_who_reports_a_symptom_is_not_its_experiencer() -> None:
    """"Daughter reports jaundice": the patient's symptom (session-2 known miss); a relative's
    own condition is still family history."""
    assert "jaundice" in _read("Daughter reports jaundice and itching since Monday.")["symptoms"]
    assert "symptoms" not in _read("Daughter had breast cancer and jaundice.")
