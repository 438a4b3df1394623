"""Session 12 rules-review fixes (review /work/rev16/rules FINDINGS M1-M3, S1, S2, S5, S6).

Doses: when several label adjustments hold, the lowest adjusted dose is given and every one is
named (never the later one overwriting an earlier reduction); the label reductions the safety
cautions state are carried by the dose lines as data (ribociclib / palbociclib hepatic, lapatinib
hepatic and CYP3A, olaparib CYP3A, talazoparib P-gp); letrozole in severe hepatic impairment is
2.5 mg every other day, never a 1.25 mg tablet that does not exist.
Held options: an avoid's drug ids are compared with the option's drug ids (not display names),
and an option a safety avoid holds back is shown as held, with the avoid and its reason.
"""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest

from mbc.engine.doses import dose_line
from mbc.engine.resolve import _held_back
from mbc.knowledge.doses import DoseEntry, load_doses
from mbc.knowledge.loader import load_kb
from mbc.knowledge.schema import AvoidAction
from mbc.model.plan import Option

ROOT = Path(__file__).resolve().parents[2]
NO_MEDS = {
    "medication.class.strong_cyp3a_inhibitor": False,
    "medication.class.moderate_cyp3a_inhibitor": False,
    "medication.drug.ketoconazole": False,
    "qtcf_ms": 420.0,
    "crcl_ml_min": 90.0,
    "bilirubin_x_uln": 0.8,
    "comorbidity.cirrhosis": False,
}


@pytest.fixture(scope="module")
def kb() -> Any:
    return load_kb()


def _line(kb: Any, drug: str, ctx: tuple[str, ...], **facts: Any) -> Any:
    tables = load_doses(kb)
    e = tables.find(drug, ctx)
    assert e is not None
    merged = {**NO_MEDS, **{k.replace("__", "."): v for k, v in facts.items()}}
    return dose_line(kb, e, merged, tables)


def test_m1_renal_and_cyp3a_reductions_combine_to_the_lowest(kb: Any) -> None:
    d = _line(kb, "ribociclib", ("nsai_ribociclib",), crcl_ml_min=20.0,
              medication__class__strong_cyp3a_inhibitor=True)
    assert d.computed.startswith("200 mg"), d.computed
    assert "15-29" in d.adjustment and "CYP3A" in d.adjustment  # both reasons named
    assert "Several reductions apply" in d.adjustment


@pytest.mark.parametrize("order", [0, 1])
def test_combined_dose_is_the_minimum_whatever_the_order(kb: Any, order: int) -> None:
    tables = load_doses(kb)
    adjs = [
        {"when": {"fact": "x", "op": "eq", "value": True}, "effect": "factor", "factor": 0.33, "text": "a third"},
        {"when": {"fact": "y", "op": "eq", "value": True}, "effect": "dose", "amount": 400, "text": "400"},
    ]
    if order:
        adjs.reverse()
    e = DoseEntry.model_validate({"drug": "ribociclib", "amount": 600, "unit": "mg", "route": "oral",
                                  "schedule": "s", "strengths": [200], "adjustments": adjs,
                                  "citations": ["label-kisqali"]})
    d = dose_line(kb, e, {"x": True, "y": True}, tables)
    assert d.computed.startswith("200 mg")
    assert "a third" in d.adjustment and "400" in d.adjustment


@pytest.mark.parametrize(
    ("drug", "ctx", "facts", "want"),
    [
        # M2: Tykerb label, severe hepatic impairment 1500 -> 1000 mg (with letrozole / an AI)
        ("lapatinib", ("lapatinib_letrozole",), {"bilirubin_x_uln": 3.5}, "1000 mg"),
        ("lapatinib", ("lapatinib_ai",), {"bilirubin_x_uln": 3.5}, "1000 mg"),
        ("lapatinib", ("lapatinib_capecitabine",), {"bilirubin_x_uln": 3.5}, "750 mg"),
        # M3: Kisqali Child-Pugh B/C 400 mg; Ibrance Child-Pugh C 75 mg
        ("ribociclib", ("nsai_ribociclib",), {"bilirubin_x_uln": 3.5}, "400 mg"),
        ("palbociclib", ("nsai_palbociclib",), {"bilirubin_x_uln": 3.5}, "75 mg"),
        # S5: the interaction reductions the cautions state
        ("olaparib", ("olaparib",), {"medication__class__strong_cyp3a_inhibitor": True}, "100 mg"),
        ("talazoparib", ("talazoparib",), {"medication__drug__clarithromycin": True}, "0.75 mg"),
        ("lapatinib", ("lapatinib_capecitabine",), {"medication__class__strong_cyp3a_inhibitor": True}, "500 mg"),
        ("lapatinib", ("lapatinib_letrozole",), {"medication__class__strong_cyp3a_inhibitor": True}, "500 mg"),
    ],
)
def test_label_reductions_are_dose_data(kb: Any, drug: str, ctx: tuple[str, ...], facts: dict, want: str) -> None:
    d = _line(kb, drug, ctx, **facts)
    assert d.computed.startswith(want + " "), d.computed


def test_s6_letrozole_severe_hepatic_every_other_day(kb: Any) -> None:
    d = _line(kb, "letrozole", (), bilirubin_x_uln=3.5)
    assert d.computed.startswith("2.5 mg every other day"), d.computed
    assert "1.25" not in (d.computed + (d.adjustment or ""))
    cirr = _line(kb, "letrozole", (), comorbidity__cirrhosis=True)
    assert "every other day" in cirr.computed


def test_abemaciclib_severe_hepatic_once_daily(kb: Any) -> None:
    d = _line(kb, "abemaciclib", (), bilirubin_x_uln=3.5)
    assert d.computed.startswith("150 mg once daily"), d.computed


def _option(kb: Any, regimen: str, drug_ids: list[str]) -> Option:
    return Option.model_construct(
        id=f"r:{regimen}", regimen=regimen, name=regimen, drugs=[kb.drugs[d].name for d in drug_ids],
        category="preferred", trace=[],
    )


def test_s1_hold_compares_drug_ids_not_display_names(kb: Any) -> None:
    avoid = AvoidAction.model_validate({"drugs": ["trastuzumab_deruxtecan"], "reason": "Symptomatic brain metastases."})
    rule = SimpleNamespace(id="t.avoid", version=1, hold_if_unknown=True, then=[avoid])
    f = SimpleNamespace(rule=rule, outcome=SimpleNamespace(missing=["brain_mets.symptomatic"]))
    ctx = SimpleNamespace(unknown=[f], facts={}, kb=kb, conditional=())
    opts = [_option(kb, "trastuzumab_deruxtecan", ["trastuzumab_deruxtecan"]),
            _option(kb, "tucatinib_trastuzumab_capecitabine", ["tucatinib", "trastuzumab", "capecitabine"])]
    kept, held, _ = _held_back(ctx, opts)  # type: ignore[arg-type]
    assert [o.regimen for o in kept] == ["tucatinib_trastuzumab_capecitabine"]
    assert [h.regimen for h in held] == ["trastuzumab_deruxtecan"]
    assert held[0].category == "held" and held[0].held_by == "t.avoid@1"
    assert held[0].held_reason == "Symptomatic brain metastases."


def test_s2_held_option_is_never_shown_as_preferred(kb: Any) -> None:
    import json

    from mbc.engine.pipeline import plan as make_plan
    from mbc.model.record import PatientRecord
    from mbc.render.text import render_text

    record = ROOT / "tests/golden/agnostic/parp-tnbc-undated-adjuvant-olaparib/patient.json"
    p = make_plan(PatientRecord.model_validate(json.loads(record.read_text())), kb)
    parp = [c for c in p.conditional_options if c.regimen in ("olaparib", "talazoparib")]
    assert parp and all(c.category == "held" for c in parp)
    assert all(c.held_by and c.held_by.startswith("agnostic.parp.avoid") for c in parp)
    text = render_text(p)
    assert "Olaparib (preferred)" not in text and "Talazoparib (preferred)" not in text
    assert "Olaparib (held: waits for" in " ".join(text.split())


def test_lint_caution_dose_needs_a_dose_adjustment(kb: Any) -> None:
    from mbc.knowledge._dose_lint import caution_dose_issues
    from mbc.knowledge.doses import DoseWaiver

    tables = load_doses(kb)
    assert list(caution_dose_issues(kb, tables)) == []
    stripped = tuple(
        e.model_copy(update={"adjustments": ()}) if e.drug == "olaparib" else e for e in tables.entries
    )
    gap = tables.model_copy(update={"entries": stripped})
    issues = list(caution_dose_issues(kb, gap))
    assert any("olaparib (100 mg)" in i.message and "cyp3a-substrate" in i.where for i in issues)
    waived = gap.model_copy(
        update={"waivers": (DoseWaiver(safety="safety.cyp3a-substrate.strong-inhibitor", drug="olaparib", reason="r"),)}
    )
    assert not any("olaparib (100 mg)" in i.message for i in caution_dose_issues(kb, waived))


@pytest.mark.parametrize(
    "rule_id",
    [
        "hrpos.avoid.tamoxifen-after-early-relapse-on-tamoxifen",
        "hrpos.er-low.avoid.tamoxifen-after-early-relapse-on-tamoxifen",
        "hrpos.er-low.avoid.nsai-after-early-relapse-on-ai",
        "agnostic.parp.avoid.after-early-relapse-on-parp",
    ],
)
def test_s3_early_relapse_avoids_state_the_undated_assumption(kb: Any, rule_id: str) -> None:
    rule = next(r for r in kb.active_rules if r.id == rule_id)
    reasons = " ".join(a.reason for a in rule.then if isinstance(a, AvoidAction))
    assert "taken as still given" in " ".join(reasons.split())


def test_s2_answers_name_the_held_drug_and_the_fact(kb: Any) -> None:
    import json

    from mbc.answer._held import held_lines
    from mbc.engine.pipeline import plan as make_plan
    from mbc.model.record import PatientRecord

    record = ROOT / "tests/golden/agnostic/parp-tnbc-undated-adjuvant-olaparib/patient.json"
    p = make_plan(PatientRecord.model_validate(json.loads(record.read_text())), kb)
    lines = held_lines(kb, p, SimpleNamespace(drugs=["olaparib"]), {})  # type: ignore[arg-type]
    assert lines and lines[0].startswith("Held back: Olaparib - check ")
    assert "12 months" in lines[0]
