"""Session 13: recall of metastatic sites, germline results, symptoms and labs.

Wordings are our own (not copied from a blind set). Each positive row has a safety twin: a
denied, doubtful, planned, family or pending wording reads nothing.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from mbc.ingest import extract

AS_OF = dt.date(2026, 11, 22)


def _rec(text: str) -> dict[str, Any]:
    return extract(text, kind="note", as_of=AS_OF).record


def _sites(text: str) -> set[str]:
    return set((_rec(text).get("metastases") or {}).get("sites") or [])


@pytest.mark.parametrize(
    ("text", "sites"),
    [
        # a bare list that ends its line or a bracket; relapse / de novo anchors
        ("Mrs K, 61, MBC ER 90% PR 5% HER2 1+, liver + lung\nSeen today.", {"liver", "lung"}),
        ("Primary 2018 (adj. letrozole, relapse on letrozole in May 2024, lung + bone).", {"lung", "bone"}),
        ("de novo HER2+ Jan 2026, liver + hilar nodes\nreview", {"liver", "distant_lymph_nodes"}),
        # a subtype or the therapy between the anchor and the colon, "=" as the separator
        ("Recurrence Oct 2025 under anastrozole: pleura + bone.", {"pleura", "bone"}),
        ("de novo TNBC Aug 2026 - skin + lung nodules.", {"skin", "lung"}),
        ("mets = bone + liver", {"bone", "liver"}),
        # a qualified node word, a longer qualifier before the bracket
        (
            "ER-positive, HER2-low metastatic lobular breast carcinoma (peritoneum, nodes - para-aortic)",
            {"peritoneum", "distant_lymph_nodes"},
        ),
        # the breast primary leading the list; named bones
        ("De novo 03/2026 - R breast, lung, femur.", {"lung", "bone"}),
        ("Metastatic breast cancer, de novo, pelvis + humerus, dx July 2026.", {"bone"}),
        # lay wordings
        ("The scan in March 2025 found it in the lungs and liver.", {"lung", "liver"}),
        ("It has spread to your liver, I am sorry.", {"liver"}),
        # a brain MRI with a count of lesions
        ("MRI brain 02/11 (contrast): 4 enhancing lesions, largest 8 mm.", {"brain"}),
        # a cytology-positive effusion written with a colon
        ("Relapse 2025: R pleural effusion (drained, cytology: metastatic carcinoma).", {"pleura"}),
    ],
)
def test_site_lists_read(text: str, sites: set[str]) -> None:
    assert sites <= _sites(text)


@pytest.mark.parametrize(
    "text",
    [
        "MRI brain 02/11: 2 small lesions, likely small-vessel change.",
        "MRI brain 02/11: 1 lesion, indeterminate, repeat in 3 months.",
        "MRI brain: no lesions.",
        "Her sister's cancer was found in the liver and bones.",
        "Metastatic breast cancer, no liver or lung involvement.",
        "Pleural effusion tapped, cytology: negative for malignant cells.",
        "Plan: MRI brain to exclude metastases.",
        "Relapse 2025 on letrozole: lung nodule indeterminate.",
    ],
)
def test_site_traps_read_nothing_new(text: str) -> None:
    assert not (_sites(text) & {"brain", "liver", "lung", "bone", "pleura"})


@pytest.mark.parametrize(
    ("text", "germline"),
    [
        ("Germline PALB2 pathogenic (her aunt carries the same change).", ["PALB2"]),
        ("Germline panel 09/2025: BRCA1 c.181T>G PATHOGENIC.", ["BRCA1"]),
        ("Germline test 2024: pathogenic BRCA2 variant.", ["BRCA2"]),
        ("Germline testing 2023 negative (father had prostate cancer, never tested).", []),
        ("His brother carries a BRCA2 variant; patient tested 2025: BRCA2 variant not detected.", []),
        ("Her cousin has CHEK2; Maria's own test was negative.", []),
    ],
)
def test_germline_own_result(text: str, germline: list[str]) -> None:
    assert _rec(text).get("germline") == germline


@pytest.mark.parametrize(
    "text",
    [
        "Germline BRCA2 pathogenic (found in her sister; patient not yet tested).",
        "Germline panel 2024: BRCA1 VUS only.",
        "Germline panel (sent 10/2026): BRCA2 result pending.",
        "Her sister tested negative for the familial variant.",
        "Sister's own test was negative.",
        "Tumour NGS 2025: BRCA2 pathogenic variant (somatic).",
    ],
)
def test_germline_traps(text: str) -> None:
    assert _rec(text).get("germline") is None


@pytest.mark.parametrize(
    ("text", "symptom"),
    [
        ("On capecitabine; red, peeling palms since cycle 2.", "hand-foot syndrome"),
        ("Says her feet feel like walking on cotton wool.", "peripheral neuropathy"),
        ("Dull RUQ ache after meals.", "right upper quadrant pain"),
        ("Reports palpitations at night.", "palpitations"),
        ("Polyuria and thirst since starting alpelisib.", "polyuria"),
        ("Dry mouth with the new painkiller.", "dry mouth"),
        ("Sore knees in the mornings.", "knee pain"),
        ("Unsteady when walking since Tuesday.", "gait ataxia"),
    ],
)
def test_symptom_words(text: str, symptom: str) -> None:
    assert symptom in (_rec(text).get("symptoms") or [])


@pytest.mark.parametrize(
    "text",
    [
        "Denies palpitations, polyuria or dry mouth.",
        "She is anxious about the scan results.",
        "Her mother had knee pain for years.",
    ],
)
def test_symptom_traps(text: str) -> None:
    new_terms = {"palpitations", "polyuria", "dry mouth", "anxiety", "knee pain"}
    assert not (set(_rec(text).get("symptoms") or []) & new_terms)


@pytest.mark.parametrize(
    ("text", "field", "value"),
    [
        ("T2DM, HbA1c 64 mmol/mol = 8.0 %.", "hba1c_percent", 8.0),
        ("FPG 8.3 mmol/L = 150 mg/dL.", "fasting_glucose_mg_dl", 150),
        ("Fasting glucose this morning 7.2 mmol/L (130 mg/dL).", "fasting_glucose_mg_dl", 130),
    ],
)
def test_lab_conversions_written_beside(text: str, field: str, value: float) -> None:
    assert (_rec(text).get("labs") or {}).get(field) == value
