"""Dose computation against worked examples from the labels (knowledge/doses/)."""

from __future__ import annotations

import pytest

from mbc.engine.doses import regimen_doses, supportive_doses
from mbc.knowledge import load_kb
from mbc.model.plan import DoseLine


def _line(lines: list[DoseLine], drug: str) -> DoseLine:
    return next(d for d in lines if d.drug == drug)


@pytest.mark.parametrize(
    ("crcl", "expected"),
    [
        (85.0, "4 mg"),
        (60.0, "3.5 mg (adjusted from 4 mg)"),
        (50.0, "3.5 mg (adjusted from 4 mg)"),
        (45.0, "3.3 mg (adjusted from 4 mg)"),
        (35.0, "3 mg (adjusted from 4 mg)"),
        (29.0, "do not give (see adjustment)"),
    ],
    ids=["gt60", "60", "50", "40-49", "30-39", "lt30"],
)
def test_zoledronic_acid_renal_table(crcl: float, expected: str) -> None:
    """Zoledronic acid follows the label's creatinine-clearance table; below 30 it is not given."""
    kb = load_kb()
    line = supportive_doses(kb, "bone_modifying_agent", ["zoledronic_acid"], {"crcl_ml_min": crcl})[0]
    assert line.computed == expected
    assert line.verify is True
    assert any(c.id == "label-zometa" for c in line.citations)


def test_zoledronic_acid_without_crcl_asks_for_it() -> None:
    """Without a creatinine clearance the renal table is shown as a check, not applied."""
    line = supportive_doses(load_kb(), "bone_modifying_agent", ["zoledronic_acid"], {})[0]
    assert line.computed == "4 mg"
    assert line.adjustment is not None
    assert "Check" in line.adjustment and "CrCl below 30" in line.adjustment


def test_trastuzumab_loading_then_maintenance() -> None:
    """Trastuzumab 8 mg/kg loading then 6 mg/kg every 3 weeks; pertuzumab 840 then 420 mg."""
    lines = regimen_doses(load_kb(), "trastuzumab_pertuzumab_taxane", {"weight_kg": 70.0, "bsa_m2": 1.8})
    assert _line(lines, "trastuzumab").computed == "loading 560 mg, then 420 mg"
    assert _line(lines, "pertuzumab").computed == "loading 840 mg, then 420 mg"
    # one_of taxane: one line per alternative
    assert {d.drug for d in lines} == {"trastuzumab", "pertuzumab", "docetaxel", "paclitaxel"}
    assert _line(lines, "docetaxel").computed == "135 mg"  # 75 mg/m2 x 1.8 m2


def test_tdxd_and_sacituzumab_per_kg() -> None:
    """T-DXd 5.4 mg/kg and sacituzumab govitecan 10 mg/kg."""
    kb = load_kb()
    assert regimen_doses(kb, "trastuzumab_deruxtecan", {"weight_kg": 60.0})[0].computed == "324 mg"
    sg = regimen_doses(kb, "sacituzumab_govitecan", {"weight_kg": 60.0})[0]
    assert sg.computed == "600 mg"
    assert "days 1 and 8" in sg.schedule


def test_datopotamab_cap() -> None:
    """Dato-DXd 6 mg/kg is capped at 540 mg (patients of 90 kg or more)."""
    line = regimen_doses(load_kb(), "datopotamab_deruxtecan", {"weight_kg": 100.0})[0]
    assert line.computed is not None and line.computed.startswith("540 mg")


def test_docetaxel_per_m2_and_weight_missing() -> None:
    """Docetaxel 75 mg/m2 needs BSA; without it the dose is shown but not computed."""
    kb = load_kb()
    assert regimen_doses(kb, "docetaxel", {"bsa_m2": 1.6})[0].computed == "120 mg"
    line = regimen_doses(kb, "docetaxel", {})[0]
    assert line.computed is None
    assert line.adjustment is not None and "BSA" in line.adjustment


def test_capecitabine_bid_and_renal_reduction() -> None:
    """Capecitabine 1000 mg/m2 twice daily days 1-14; CrCl 30-50 gives 75%; below 30 it is not given."""
    kb = load_kb()
    line = regimen_doses(kb, "capecitabine", {"bsa_m2": 1.7, "crcl_ml_min": 80.0})[0]
    assert line.computed == "1700 mg"
    assert "twice daily" in line.dose and "days 1-14" in line.schedule
    reduced = regimen_doses(kb, "capecitabine", {"bsa_m2": 1.7, "crcl_ml_min": 40.0})[0]
    assert reduced.computed == "1275 mg (adjusted from 1000 mg/m2)"
    stop = regimen_doses(kb, "capecitabine", {"bsa_m2": 1.7, "crcl_ml_min": 25.0})[0]
    assert stop.computed == "do not give (see adjustment)"
    neratinib = regimen_doses(kb, "neratinib_capecitabine", {"bsa_m2": 2.0, "crcl_ml_min": 90.0})
    assert _line(neratinib, "capecitabine").computed == "1500 mg"  # 750 mg/m2 with neratinib


def test_carboplatin_calvert_needs_crcl() -> None:
    """Carboplatin AUC 6 by Calvert with CrCl as GFR (capped at 125); no CrCl, no dose."""
    kb = load_kb()
    assert regimen_doses(kb, "carboplatin", {"crcl_ml_min": 75.0})[0].computed.startswith("600 mg")
    assert regimen_doses(kb, "carboplatin", {"crcl_ml_min": 200.0})[0].computed.startswith("900 mg")
    assert regimen_doses(kb, "carboplatin", {})[0].computed is None


def test_ribociclib_strong_cyp3a_inhibitor() -> None:
    """A strong CYP3A inhibitor reduces ribociclib to 400 mg."""
    kb = load_kb()
    lines = regimen_doses(kb, "nsai_ribociclib", {"medication.class.strong_cyp3a_inhibitor": True})
    assert _line(lines, "ribociclib").computed == "400 mg (adjusted from 600 mg)"
    assert {d.drug for d in lines} == {"letrozole", "anastrozole", "ribociclib"}


def test_add_on_and_missing_dose_line() -> None:
    """Add-on regimens are dosed too; a drug without a dose entry says so instead of guessing."""
    kb = load_kb()
    lines = regimen_doses(kb, "nsai_ribociclib+ofs", {})
    assert _line(lines, "goserelin").dose.startswith("3.6 mg")
    assert _line(lines, "leuprolide").dose.startswith("not in the dose tables")


def test_plan_fills_option_and_supportive_doses() -> None:
    """The dose stage runs in the pipeline: supportive items with drugs carry doses."""
    from mbc.engine import plan
    from mbc.model import parse_record

    record = parse_record(
        {
            "id": "dose-stage",
            "as_of": "2026-11-01",
            "age": 60,
            "sex": "female",
            "menopausal_status": "postmenopausal",
            "weight_kg": 70,
            "height_cm": 165,
            "metastases": {"sites": ["bone"]},
            "labs": {"creatinine_clearance_ml_min": 45},
        }
    )
    p = plan(record, load_kb())
    bma = next(s for s in p.supportive_care if s.id == "bone_modifying_agent")
    zol = _line(bma.doses, "zoledronic acid")
    assert zol.computed == "3.3 mg (adjusted from 4 mg)"
