"""Hypothesis properties of the engine over random valid records."""

from __future__ import annotations

import datetime as dt
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mbc.engine import plan
from mbc.knowledge import KnowledgeBase, load_kb
from mbc.model import parse_record

KB: KnowledgeBase = load_kb()
CANCER_DRUGS = sorted(d.name for d in KB.drugs.values() if d.cancer_drug)
SITES = [
    "bone",
    "liver",
    "lung",
    "pleura",
    "brain",
    "distant_lymph_nodes",
    "skin",
    "peritoneum",
    "soft_tissue",
]
GENES = ["ESR1 Y537S", "ESR1 wildtype", "PIK3CA H1047R", "PIK3CA wildtype", "AKT1 E17K", "PTEN loss",
         "NTRK1 fusion", "BRCA2 somatic"]  # fmt: skip
AS_OF = dt.date(2026, 11, 1)


def maybe(strategy: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    return st.one_of(st.none(), strategy)


@st.composite
def therapies(draw: st.DrawFn) -> list[dict[str, Any]]:
    out = []
    for _ in range(draw(st.integers(0, 4))):
        start = draw(st.dates(dt.date(2012, 1, 1), dt.date(2026, 6, 1)))
        end = draw(maybe(st.dates(start, dt.date(2026, 10, 31))))
        t: dict[str, Any] = {
            "setting": draw(st.sampled_from(["neoadjuvant", "adjuvant", "metastatic"])),
            "drugs": draw(st.lists(st.sampled_from(CANCER_DRUGS), min_size=1, max_size=3, unique=True)),
            "start": start.isoformat(),
        }
        if end:
            t["end"] = end.isoformat()
            t["stop_reason"] = draw(st.sampled_from(["completed", "progression", "toxicity", "other"]))
        out.append(t)
    return out


@st.composite
def records(draw: st.DrawFn) -> dict[str, Any]:
    r: dict[str, Any] = {"id": "prop", "as_of": AS_OF.isoformat()}
    optional = {
        "age": st.integers(18, 95),
        "sex": st.sampled_from(["female", "male"]),
        "menopausal_status": st.sampled_from(["premenopausal", "perimenopausal", "postmenopausal"]),
        "ecog": st.integers(0, 4),
        "weight_kg": st.floats(35, 150),
        "height_cm": st.floats(140, 200),
        "pregnant": st.booleans(),
        "tumor": st.fixed_dictionaries(
            {},
            optional={
                "er_percent": st.sampled_from([0, 0.5, 5, 10, 50, 95]),
                "pr_percent": st.sampled_from([0, 5, 60]),
                "her2_ihc": st.sampled_from(["0", "ultralow", "1+", "2+", "3+"]),
                "her2_ish": st.sampled_from(["amplified", "not_amplified"]),
                "pdl1_cps": st.sampled_from([0, 1, 5, 10, 30]),
                "receptor_source": st.sampled_from(["metastasis", "primary"]),
            },
        ),
        "somatic": st.lists(st.sampled_from(GENES), max_size=3, unique=True),
        "germline": st.lists(st.sampled_from(["BRCA1", "BRCA2", "PALB2"]), max_size=1),
        "msi": st.sampled_from(["MSI-H", "MSS"]),
        "tmb_per_mb": st.sampled_from([2, 12]),
        "metastases": st.fixed_dictionaries(
            {},
            optional={
                "sites": st.lists(st.sampled_from(SITES), min_size=1, max_size=3, unique=True),
                "visceral_crisis": st.booleans(),
            },
        ),
        "presentation": st.sampled_from(["de_novo", "recurrence"]),
        "metastatic_diagnosis_date": st.dates(dt.date(2015, 1, 1), AS_OF).map(dt.date.isoformat),
        "prior_therapies": therapies(),
        "lvef_percent": st.sampled_from([35, 48, 55, 65]),
        "qtcf_ms": st.sampled_from([410, 455, 480]),
        "labs": st.fixed_dictionaries(
            {},
            optional={
                "creatinine_clearance_ml_min": st.sampled_from([20, 45, 90]),
                "bilirubin_x_uln": st.sampled_from([0.5, 2.0]),
                "calcium_mg_dl": st.sampled_from([9.0, 12.5, 14.5]),
                "albumin_g_dl": st.sampled_from([2.5, 4.0]),
                "hba1c_percent": st.sampled_from([5.2, 8.5]),
            },
        ),
        "comorbidities": st.lists(
            st.sampled_from(
                [
                    "diabetes_type1",
                    "diabetes_type2",
                    "interstitial_lung_disease",
                    "heart_failure",
                    "long_qt",
                ]
            ),
            max_size=2,
            unique=True,
        ),  # fmt: skip
        "medications": st.lists(
            st.sampled_from(["clarithromycin", "metformin", "warfarin", "citalopram"]),
            max_size=2,
            unique=True,
        ),
        "dpyd": st.sampled_from(["normal", "intermediate", "poor"]),
        "symptoms": st.lists(
            st.sampled_from(["back pain", "leg weakness", "headache", "cough", "jaundice"]),
            max_size=2,
        ),
        "preferences": st.fixed_dictionaries({}, optional={"declines_chemotherapy": st.booleans()}),
    }
    for key, strat in optional.items():
        if draw(st.booleans()):
            r[key] = draw(strat)
    if r.get("sex") == "male":
        r.pop("menopausal_status", None)
        r.pop("pregnant", None)
    mdx = r.get("metastatic_diagnosis_date")
    if mdx and mdx > AS_OF.isoformat():
        r.pop("metastatic_diagnosis_date")
    return r


SETTINGS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@SETTINGS
@given(records())
def test_any_valid_record_plans(data: dict[str, Any]) -> None:
    """Any valid record gives a plan whose every item is cited."""
    p = plan(parse_record(data), KB)
    for section in (p.options, p.not_recommended, p.workup, p.supportive_care, p.alerts):
        for item in section:
            assert item.citations, item
            assert all(c.id in KB.sources for c in item.citations)


@SETTINGS
@given(records())
def test_no_offered_drug_is_contraindicated(data: dict[str, Any]) -> None:
    """No option contains a drug that the same plan marks contraindicated."""
    p = plan(parse_record(data), KB)
    blocked = {d for n in p.not_recommended if n.kind == "contraindicated" for d in n.drugs}
    blocked_regimens = {n.regimen for n in p.not_recommended if n.kind == "contraindicated"}
    for o in p.options:
        assert o.regimen not in blocked_regimens
        # a drug may be contraindicated only within a combination (e.g. with an anthracycline);
        # then the identical regimen must not be offered
        if set(o.drugs) <= blocked:
            assert o.regimen not in blocked_regimens


@SETTINGS
@given(records(), st.sampled_from(["id", "weight", "unmatched_symptom"]))
def test_unrelated_fact_never_removes_an_option(data: dict[str, Any], change: str) -> None:
    """Changing a fact no treatment rule reads never removes an option."""
    before = {o.regimen for o in plan(parse_record(data), KB).options}
    changed = dict(data)
    if change == "id":
        changed["id"] = "another-id"
    elif change == "weight":
        changed["weight_kg"] = 77.0
        changed["height_cm"] = 171.0
    else:
        changed["symptoms"] = [*data.get("symptoms", []), "itchy left ear"] if "symptoms" in data else None
        if changed["symptoms"] is None:
            changed.pop("symptoms")
    after = {o.regimen for o in plan(parse_record(changed), KB).options}
    assert before <= after


@SETTINGS
@given(records(), st.data())
def test_removing_a_fact_never_turns_false_into_true(data: dict[str, Any], pick: st.DataObject) -> None:
    """Dropping a derived fact can turn a rule's condition UNKNOWN, never FALSE into TRUE
    (rules that read absence on purpose, with the `absent` operator, are exempt)."""
    from mbc.engine.derive import derive_facts
    from mbc.logic import Truth

    facts = derive_facts(parse_record(data), KB, AS_OF).facts
    if not facts:
        return
    key = pick.draw(st.sampled_from(sorted(facts)))
    fewer = {k: v for k, v in facts.items() if k != key}
    for rule in KB.active_rules:
        if "'absent'" in repr(rule.when) or "'present'" in repr(rule.when):
            continue
        if rule.when.truth(facts) is Truth.FALSE:
            assert rule.when.truth(fewer) is not Truth.TRUE, rule.id
