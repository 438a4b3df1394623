"""Review 9 (note reader, safety): facts the session-9 first pass dropped although the note gives
them as current. Phrasings written for this file."""

from __future__ import annotations

import datetime as dt

import pytest

from mbc.ingest import extract

pytestmark = pytest.mark.filterwarnings("ignore::UserWarning")
AS_OF = dt.date(2026, 11, 20)
HEAD = "Oncology review 18 Nov 2026. Mrs D, 61, metastatic breast cancer (bone). Letrozole since 04/2025.\n"


def _read(text: str) -> dict:
    return extract(HEAD + text + "\nSee again in a month.", kind="note", as_of=AS_OF).record


@pytest.mark.parametrize(
    "text",
    [
        "Prior SRS in 2024 to a cerebellar lesion. MRI today: 3 new brain mets, SRS to be booked.",
        "Brain mets treated with WBRT 2023. MRI 09/2026: 2 new brain metastases, SRS planned.",
    ],
)
def test_new_brain_mets_with_local_therapy_only_planned_still_progress(text: str) -> None:
    assert _read(text)["metastases"]["brain"].get("progressing") is True


@pytest.mark.parametrize(
    ("text", "site"),
    [
        ("CT today: Liver mets none new, stable.", "liver"),
        ("Restaging CT: lung mets nil new; liver mets stable.", "lung"),
        ("Brain MRI: brain mets none further, SRS done 2025.", "brain"),
    ],
)
def test_none_new_keeps_the_site_named_before(text: str, site: str) -> None:
    assert site in _read(text)["metastases"]["sites"]


def test_item_answered_none_is_still_denied() -> None:
    assert "liver" not in _read("Liver mets none. Bone pain in the left hip.")["metastases"]["sites"]


@pytest.mark.parametrize(
    "text",
    [
        "Known pneumonitis under surveillance with the respiratory team.",
        "Grade 1 ILD under monitoring, CT every 6 weeks.",
    ],
)
def test_condition_under_surveillance_is_present(text: str) -> None:
    assert "interstitial_lung_disease" in (_read(text).get("comorbidities") or [])


def test_brain_metastases_under_surveillance_are_a_site() -> None:
    assert "brain" in _read("Brain metastases under surveillance, MRI every 3 months.")["metastases"]["sites"]


def test_monitoring_for_a_condition_is_not_the_condition() -> None:
    rec = _read("Under monitoring for pneumonitis while on the ADC. Type 2 diabetes on metformin.")
    assert "interstitial_lung_disease" not in (rec.get("comorbidities") or [])
    assert "diabetes_type2" in (rec.get("comorbidities") or [])


def test_a_named_risk_label_is_no_list_of_risks_explained() -> None:
    rec = _read("Bleeding risk:\nPlatelets 42 today.\n\nVTE risk: high, on apixaban.\nFall risk: confusion at night.")
    assert (rec.get("labs") or {}).get("platelets_per_ul") == 42000
    assert "apixaban" in (rec.get("medications") or [])
    assert "confusion" in (rec.get("symptoms") or [])


def test_risks_explained_still_withheld() -> None:
    rec = _read("Risk of neutropenic sepsis explained: fever, rigors.\nToday she has bone pain.")
    assert "fever" not in (rec.get("symptoms") or [])
    assert "bone pain" in (rec.get("symptoms") or [])


@pytest.mark.parametrize(
    "text",
    [
        "History provided by her husband: new headaches and bone pain for a week.",
        "Information provided to the team by the patient: headaches, bone pain in the hip.",
    ],
)
def test_history_provided_by_someone_is_no_condition(text: str) -> None:
    symptoms = _read(text).get("symptoms") or []
    assert "headache" in symptoms and "bone pain" in symptoms
