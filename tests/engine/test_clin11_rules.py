"""Session 11 clinical rules (set 14 questions): each test fails on c32aba6a."""

from __future__ import annotations

import json
from pathlib import Path

import yaml

from mbc.engine import plan
from mbc.knowledge import load_kb
from mbc.model import parse_record

ROOT = Path(__file__).resolve().parents[2]
RECORDS = ROOT / "benchmarks" / "rules_oracle_records" / "blind14"
KB = load_kb()


def _plan(name: str, **change: object):
    data = {k: v for k, v in json.loads((RECORDS / name).read_text()).items() if not k.startswith("_")}
    data.update(change)
    return plan(parse_record(data), KB)


def _preferred_drugs(p) -> set[str]:
    return {d for o in p.options if o.category == "preferred" for d in o.drugs}


def test_no_parp_inhibitor_preferred_after_adjuvant_olaparib_at_second_line() -> None:
    """q1404 at second line: fulvestrant + ribociclib given; olaparib was adjuvant (OlympiA)."""
    therapies = [
        {"setting": "adjuvant", "drugs": ["olaparib"], "start": "2022-08-15", "end": "2023-08-15", "stop_reason": "completed"},
        {"setting": "adjuvant", "drugs": ["anastrozole"], "start": "2022-08-15", "end": "2025-06-15", "stop_reason": "progression"},
        {"setting": "metastatic", "drugs": ["fulvestrant", "ribociclib"], "start": "2025-07-01", "end": "2026-10-01", "stop_reason": "progression"},
    ]
    p = _plan("q1404.json", prior_therapies=therapies)
    assert not _preferred_drugs(p) & {"olaparib", "talazoparib"}
    assert {o.category for o in p.options if "olaparib" in o.drugs} == {"certain_circumstances"}


def test_parp_inhibitor_not_recommended_after_recurrence_within_12_months_of_it() -> None:
    therapies = [
        {"setting": "adjuvant", "drugs": ["olaparib"], "start": "2024-06-01", "end": "2025-06-01", "stop_reason": "completed"},
        {"setting": "adjuvant", "drugs": ["anastrozole"], "start": "2024-06-01", "end": "2025-09-01", "stop_reason": "progression"},
        {"setting": "metastatic", "drugs": ["fulvestrant", "ribociclib"], "start": "2025-09-10", "end": "2026-10-01", "stop_reason": "progression"},
    ]
    p = _plan("q1404.json", prior_therapies=therapies, metastatic_diagnosis_date="2025-09-01")
    assert not any({"olaparib", "talazoparib"} & set(o.drugs) for o in p.options)
    assert any("olaparib" in n.drugs for n in p.not_recommended)


def test_sacituzumab_not_offered_in_hr_positive_after_a_single_chemotherapy_line() -> None:
    """q1431: letrozole + palbociclib, fulvestrant, capecitabine - two endocrine lines are not
    the two further systemic therapies of the label (TROPiCS-02: 2-4 chemotherapy lines)."""
    p = _plan("q1431.json")
    assert not any("sacituzumab govitecan" in o.drugs for o in p.options)
    assert any("sacituzumab govitecan" in n.drugs for n in p.not_recommended)


def test_symptomatic_brain_metastasis_on_ongoing_tdxd_holds_the_switch_back() -> None:
    """q1414: local therapy first; tucatinib is not preferred while T-DXd still works."""
    p = _plan("q1414.json")
    assert not _preferred_drugs(p) & {"tucatinib", "lapatinib", "neratinib", "trastuzumab emtansine"}
    assert "her2-symptomatic-brain-local-therapy-first" in {a.code for a in p.alerts}


def test_web_case_form_offers_the_tablets_only_wish() -> None:
    form = yaml.safe_load((ROOT / "src" / "mbc" / "web" / "form.yaml").read_text())
    fields = {f for g in form["groups"] for f in g.get("fields", [])}
    assert "preferences.oral_therapy_only" in fields
    assert "preferences.oral_therapy_only" in form["labels"]


def test_er_low_tamoxifen_not_offered_after_relapse_on_adjuvant_tamoxifen() -> None:
    data = {
        "id": "er-low",
        "as_of": "2026-11-01",
        "age": 38,
        "sex": "female",
        "menopausal_status": "premenopausal",
        "tumor": {"er_percent": 8, "pr_percent": 0, "her2_ihc": "1+"},
        "presentation": "recurrence",
        "metastatic_diagnosis_date": "2026-10-05",
        "metastases": {"sites": ["lung"], "visceral_crisis": False},
        "prior_therapies": [
            {"setting": "adjuvant", "drugs": ["tamoxifen"], "start": "2023-03-01", "end": "2026-09-20", "stop_reason": "progression"}
        ],
    }
    p = plan(parse_record(data), KB)
    assert not any("tamoxifen" in o.drugs for o in p.options)
    assert any("tamoxifen" in n.drugs for n in p.not_recommended)
