"""Session 12 (clinical audit of 0.11.0, /work/audit16 FINDINGS): fixes by mechanism, each
checked on a whole plan. Sources are cited per test; the KB entries carry the citations."""

from __future__ import annotations

import copy
from typing import Any

import pytest

from mbc import parse_record, plan
from mbc.engine.doses import regimen_doses
from mbc.knowledge import load_kb
from mbc.model.plan import Plan

KB = load_kb()

BASE: dict[str, Any] = {
    "id": "audit16",
    "as_of": "2026-12-01",
    "age": 64,
    "sex": "female",
    "menopausal_status": "postmenopausal",
    "ecog": 1,
    "weight_kg": 68,
    "height_cm": 164,
    "labs": {
        "creatinine_clearance_ml_min": 80,
        "bilirubin_x_uln": 0.7,
        "alt_x_uln": 0.9,
        "calcium_mg_dl": 9.4,
        "albumin_g_dl": 4.0,
        "anc_per_ul": 3800,
        "platelets_per_ul": 240000,
        "hba1c_percent": 5.4,
        "fasting_glucose_mg_dl": 92,
    },
    "lvef_percent": 62,
    "qtcf_ms": 420,
    "comorbidities": [],
    "medications": [],
    "dpyd": "normal",
    "germline": [],
    "symptoms": [],
    "presentation": "de_novo",
    "metastatic_diagnosis_date": "2025-06-01",
    "metastases": {"sites": ["bone", "liver"], "visceral_crisis": False},
    "prior_therapies": [],
    "tumor": {"er_percent": 90, "pr_percent": 50, "her2_ihc": "0", "receptor_source": "metastasis", "histology": "ductal"},
}

TNBC = {"er_percent": 0, "pr_percent": 0, "her2_ihc": "0", "receptor_source": "metastasis", "histology": "ductal", "pdl1_cps": 0}


def _plan(**changes: Any) -> Plan:
    r = copy.deepcopy(BASE)
    for key, value in changes.items():
        if key.startswith("labs_"):
            r["labs"][key[5:]] = value
        else:
            r[key] = value
    return plan(parse_record(r), KB)


def _with(p: Plan, drug: str) -> list[str]:
    return [o.category for o in p.options if drug in o.drugs]


# --------------------------------------------------------------- finding 1: low counts
def test_severe_neutropenia_moves_chemotherapy_to_not_recommended() -> None:
    """ANC 800/uL, platelets 40000/uL: no cytotoxic stays preferred at full dose behind a warning
    (Halaven label: not given with ANC <1000/uL or platelets <75000/uL; nab-paclitaxel and
    docetaxel boxed warnings: not with a baseline ANC <1500/uL)."""
    p = _plan(
        tumor=TNBC,
        labs_anc_per_ul=800,
        labs_platelets_per_ul=40000,
        prior_therapies=[{"setting": "metastatic", "drugs": ["paclitaxel"], "start": "2025-06-10", "end": "2026-11-01", "stop_reason": "progression"}],
    )
    assert not [o for o in p.options if o.category == "preferred"]
    blocked = {d for n in p.not_recommended for d in n.drugs}
    assert {"eribulin", "gemcitabine", "capecitabine", "carboplatin"} <= blocked
    assert any(a.code == "safety.myelosuppressive.severe-low-counts" and a.severity == "critical" for a in p.alerts)


def test_severe_neutropenia_keeps_endocrine_therapy_preferred() -> None:
    """HR+ first line with ANC 800/uL: CDK4/6 inhibitors wait for recovery (Kisqali / Ibrance labels
    interrupt for grade 3 neutropenia); endocrine therapy alone is offered now (ESMO 2021 / ABC5)."""
    p = _plan(labs_anc_per_ul=800)
    assert "preferred" in _with(p, "fulvestrant")
    assert "preferred" in _with(p, "letrozole")
    assert not _with(p, "palbociclib") and not _with(p, "ribociclib")


def test_moderate_low_counts_stay_a_caution() -> None:
    p = _plan(labs_anc_per_ul=1200)
    assert "preferred" in _with(p, "ribociclib")
    codes = {a.code for a in p.alerts}
    assert "safety.myelosuppressive.low-counts" in codes
    assert "safety.myelosuppressive.severe-low-counts" not in codes


# --------------------------------------------------------------- finding 2: dose rounding
@pytest.mark.parametrize(("height", "weight"), [(164, 68), (170, 80), (158, 55), (180, 95)])
def test_computed_dose_rounding_stays_within_five_percent(height: int, weight: int) -> None:
    """Eribulin 1.4 mg/m2 (Halaven label) is about 2-3 mg: whole-mg rounding erred by up to 20%;
    the step now keeps the shown dose within 5% of the computed one (HOPA rounding statement)."""
    bsa = round((height * weight / 3600) ** 0.5, 2)  # Mosteller
    line = next(d for d in regimen_doses(KB, "eribulin", {"bsa_m2": bsa}) if d.drug.lower() == "eribulin")
    shown = float(line.computed.split(" mg")[0])
    assert abs(shown - 1.4 * bsa) / (1.4 * bsa) <= 0.05


def test_large_computed_doses_keep_the_whole_mg_step() -> None:
    line = next(d for d in regimen_doses(KB, "gemcitabine", {"bsa_m2": 1.76}) if d.drug.lower() == "gemcitabine")
    assert line.computed.startswith("1760 mg")
