"""Properties of plans on incomplete records (issue 10).

Records with a known subtype leave out the commonly missing facts (visceral crisis, ECOG,
menopausal status, therapy history of recent de novo disease) in random combinations:

* filling an assumed fact with the assumed value changes nothing but the assumption list
  (options, not-recommended, alerts, classification stay the same);
* filling it with another value never offers a drug that plan itself finds contraindicated;
* the plan is never empty unless a safety stop or a critical alert says why;
* an assumption never switches a contraindication off: every option offered passes the
  safety checks run on the record as given.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import replace
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mbc.engine import plan
from mbc.engine.assume import apply_values
from mbc.engine.derive import stage_derive
from mbc.engine.pipeline import EvalContext, run_stages
from mbc.engine.safety import stage_safety
from mbc.knowledge import KnowledgeBase, load_kb
from mbc.model import parse_record
from mbc.model.plan import Plan

KB: KnowledgeBase = load_kb()
AS_OF = dt.date(2026, 11, 1)
BLIND = Path(__file__).parents[1] / "golden" / "blind_partial"

RECEPTORS = {
    "HR+/HER2-": {"er_percent": 90, "pr_percent": 40, "her2_ihc": "1+"},
    "HR+/HER2+": {"er_percent": 80, "pr_percent": 20, "her2_ihc": "3+"},
    "HR-/HER2+": {"er_percent": 0, "pr_percent": 0, "her2_ihc": "3+"},
    "TNBC": {"er_percent": 0, "pr_percent": 0, "her2_ihc": "0", "pdl1_cps": 12},
}
OTHER_VALUES: dict[str, list[Any]] = {
    "metastases.visceral_crisis": [True],
    "ecog": [0, 2, 3],
    "menopausal_status": ["premenopausal", "perimenopausal"],
}


@st.composite
def partial_records(draw: st.DrawFn) -> dict[str, Any]:
    """A fit-looking patient with a known subtype; some commonly missing facts left out."""
    subtype = draw(st.sampled_from(sorted(RECEPTORS)))
    age = draw(st.integers(30, 85))
    r: dict[str, Any] = {
        "id": "prop",
        "as_of": AS_OF.isoformat(),
        "age": age,
        "sex": "female",
        "tumor": dict(RECEPTORS[subtype]),
        "metastases": {
            "sites": draw(
                st.lists(
                    st.sampled_from(["bone", "liver", "lung", "distant_lymph_nodes"]),
                    min_size=1,
                    max_size=3,
                    unique=True,
                )
            )
        },  # fmt: skip
        "presentation": "de_novo",
        "metastatic_diagnosis_date": (AS_OF - dt.timedelta(days=draw(st.integers(5, 150)))).isoformat(),
        "lvef_percent": 60,
        "qtcf_ms": 420,
        "pregnant": False,
        "dpyd": "normal",
        "labs": {
            "bilirubin_x_uln": 0.6,
            "alt_x_uln": 0.8,
            "creatinine_clearance_ml_min": 90,
            "anc_per_ul": 4000,
            "platelets_per_ul": 250000,
        },  # fmt: skip
    }
    if draw(st.booleans()):
        r["metastases"]["visceral_crisis"] = False
    if draw(st.booleans()):
        r["ecog"] = draw(st.sampled_from([0, 1]))
    if draw(st.booleans()):
        r["menopausal_status"] = "postmenopausal" if age >= 52 else "premenopausal"
    if draw(st.booleans()):
        r["prior_therapies"] = []
    return r


def _core(p: Plan) -> dict[str, Any]:
    return {
        "options": [(o.id, o.category, o.qualifier) for o in p.options],
        "not_recommended": sorted((n.id, n.kind) for n in p.not_recommended),
        "alerts": sorted(a.code for a in p.alerts),
        "classification": p.classification.model_dump(),
    }


def _offers_contraindicated(p: Plan) -> list[str]:
    blocked = [n for n in p.not_recommended if n.kind == "contraindicated"]
    regimens = {n.regimen for n in blocked if n.regimen}
    drugs = {d for n in blocked if not n.regimen for d in n.drugs}
    return [o.id for o in p.options if o.regimen in regimens or drugs & set(o.drugs)]


SETTINGS = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@SETTINGS
@given(partial_records())
def test_filling_the_assumed_value_changes_only_the_assumptions(data: dict[str, Any]) -> None:
    """Recording exactly what was assumed gives the same plan, minus those assumptions."""
    record = parse_record(data)
    partial = plan(record, KB)
    if not partial.assumptions:
        return
    filled = apply_values(record, {a.field: a.assumed for a in partial.assumptions})
    full = plan(filled, KB)
    assert _core(full) == _core(partial)
    assert not {a.field for a in full.assumptions} & {a.field for a in partial.assumptions}


@SETTINGS
@given(partial_records(), st.data())
def test_filling_another_value_never_offers_a_contraindicated_drug(
    data: dict[str, Any], draw: st.DataObject
) -> None:
    """Whatever the assumed fact turns out to be, that plan offers nothing it contraindicates."""
    record = parse_record(data)
    partial = plan(record, KB)
    assert _offers_contraindicated(partial) == []
    for a in partial.assumptions:
        for other in OTHER_VALUES.get(a.field, []):
            p = plan(apply_values(record, {a.field: other}), KB)
            assert _offers_contraindicated(p) == [], (a.field, other)


@SETTINGS
@given(partial_records())
def test_known_subtype_plan_is_never_empty_without_a_safety_reason(data: dict[str, Any]) -> None:
    """A known subtype with commonly missing facts still gets a preferred option, or says why not."""
    p = plan(parse_record(data), KB)
    assert p.classification.subtype != "unknown"
    stopped = any(n.kind in ("contraindicated", "declined") for n in p.not_recommended) or any(
        a.severity == "critical" for a in p.alerts
    )
    assert stopped or any(o.category == "preferred" for o in p.options), p.summary


@SETTINGS
@given(partial_records(), st.data())
def test_an_assumption_never_switches_a_contraindication_off(
    data: dict[str, Any], draw: st.DataObject
) -> None:
    """Every option offered under assumptions passes the safety checks run on the record as
    given, and on the record with any assumed fact set to another value."""
    record = parse_record(data)
    partial = plan(record, KB)
    values: dict[str, Any] = {}
    for a in partial.assumptions:
        others = OTHER_VALUES.get(a.field)
        if others:
            values[a.field] = draw.draw(st.sampled_from(others))
    for rec in (record, apply_values(record, values)):
        ctx = run_stages(EvalContext(record=rec, kb=KB, as_of=AS_OF), (stage_derive,))
        checked = stage_safety(replace(ctx, options=tuple(partial.options)))
        moved = [n.regimen for n in checked.not_recommended if n.kind == "contraindicated"]
        if rec is record:
            assert moved == [], moved
        else:  # the other value may contraindicate: then the plan for it does not offer it
            other_plan = plan(rec, KB)
            assert not set(moved) & {o.regimen for o in other_plan.options}


def _blind_cases() -> list[Path]:
    return sorted(p.parent for p in BLIND.glob("*/complete.json"))


def _preferred(p: Plan) -> set[str]:
    return {o.regimen for o in p.options if o.category == "preferred"}


def test_blind_partial_records_prefer_what_the_complete_record_prefers() -> None:
    """Each blind partial record gets the complete record's preferred options; where it branches
    on a deciding unknown, the complete record's choice is one of its branches and the shared
    regimen is offered outright (e.g. AI + CDK4/6 inhibitor, with ovarian suppression if
    premenopausal)."""
    cases = _blind_cases()
    assert cases, "no blind partial cases"
    for case in cases:
        partial = plan(parse_record(json.loads((case / "patient.json").read_text())), KB)
        full = plan(parse_record(json.loads((case / "complete.json").read_text())), KB)
        if _preferred(partial) == _preferred(full):
            continue
        assert partial.scenarios, case.name
        branch_regimens = [{o.split(":", 1)[1] for o in s.options} for s in partial.scenarios]
        assert _preferred(full) in branch_regimens, case.name
        base = {r.split("+", 1)[0] for r in _preferred(full)}
        assert base == {r.split("+", 1)[0] for r in _preferred(partial)}, case.name
        assert all(o.qualifier for o in partial.options if o.category == "preferred"), case.name


@st.composite
def undated_recurrences(draw: st.DrawFn) -> dict[str, Any]:
    """Session 5: a recurrence after (neo)adjuvant therapy ended on a random date, with no
    recurrence date and no metastatic therapy recorded (``assume.recurrence-date.untreated-current``)."""
    r = draw(partial_records())
    r.pop("metastatic_diagnosis_date")
    r.pop("prior_therapies", None)
    subtype_her2 = r["tumor"].get("her2_ihc") == "3+"
    drugs = draw(st.sampled_from([["anastrozole"], ["tamoxifen"], ["letrozole"]]))
    if subtype_her2:
        drugs = ["trastuzumab", *drugs] if r["tumor"]["er_percent"] else ["trastuzumab"]
    elif not r["tumor"]["er_percent"]:
        drugs = ["doxorubicin", "cyclophosphamide", "paclitaxel"]
    end = AS_OF - dt.timedelta(days=draw(st.integers(30, 3000)))
    r["presentation"] = "recurrence"
    r["prior_therapies"] = [{"setting": "adjuvant", "drugs": drugs, "start": (end - dt.timedelta(days=365)).isoformat(),
                             "end": end.isoformat(), "stop_reason": "completed"}]  # fmt: skip
    return r


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(undated_recurrences())
def test_undated_recurrence_date_properties(data: dict[str, Any]) -> None:
    """The assumed recurrence date: recording it changes nothing but the assumptions, the plan
    offers nothing it contraindicates, and it is never empty without a safety reason."""
    record = parse_record(data)
    partial = plan(record, KB)
    assert "metastatic_diagnosis_date" in {a.field for a in partial.assumptions}
    assert _offers_contraindicated(partial) == []
    stopped = any(n.kind in ("contraindicated", "declined") for n in partial.not_recommended) or any(
        a.severity == "critical" for a in partial.alerts
    )
    assert stopped or any(o.category == "preferred" for o in partial.options), partial.summary
    assert _core(plan(parse_record(_filled(data, partial)), KB)) == _core(partial)


def _filled(data: dict[str, Any], p: Plan) -> dict[str, Any]:
    """The record as JSON with every assumed value recorded (dates stay ISO strings)."""
    out = json.loads(json.dumps(data))
    for a in p.assumptions:
        if a.field.startswith("prior_therapies["):
            i = int(a.field[len("prior_therapies[") : a.field.index("]")])
            out["prior_therapies"][i][a.field.split("].", 1)[1]] = a.assumed
        elif "." in a.field:
            top, rest = a.field.split(".", 1)
            out.setdefault(top, {})[rest] = a.assumed
        else:
            out[a.field] = a.assumed
    return out
