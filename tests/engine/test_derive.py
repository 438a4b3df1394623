"""Derived facts: receptor categories, resistance, line, intervals, labs (derive.py)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from mbc.engine.derive import derive_facts
from mbc.knowledge import KnowledgeBase
from mbc.model import parse_record
from mbc.testing import PatientBuilder

AS_OF = dt.date(2026, 11, 1)


def facts(kb: KnowledgeBase, record: dict[str, Any]) -> dict[str, Any]:
    return derive_facts(parse_record(record), kb, AS_OF).facts


@pytest.mark.parametrize(
    ("tumor", "hr", "her2", "subtype"),
    [
        ({"er_percent": 90, "pr_percent": 10, "her2_ihc": "0"}, "positive", "zero", "HR+/HER2-"),
        ({"er_percent": 5, "pr_percent": 0, "her2_ihc": "1+"}, "low", "low", "TNBC"),
        ({"er_percent": 5, "pr_percent": 20, "her2_ihc": "1+"}, "positive", "low", "HR+/HER2-"),
        ({"er_percent": 0, "pr_percent": 0, "her2_ihc": "3+"}, "negative", "positive", "HR-/HER2+"),
        (
            {"er_percent": 60, "her2_ihc": "2+", "her2_ish": "amplified"},
            "positive",
            "positive",
            "HR+/HER2+",
        ),
        (
            {"er_percent": 60, "her2_ihc": "2+", "her2_ish": "not_amplified"},
            "positive",
            "low",
            "HR+/HER2-",
        ),
        ({"er_percent": 60, "her2_ihc": "2+"}, "positive", "equivocal", None),
        (
            {"er_percent": 0, "pr_percent": 0, "her2_ihc": "ultralow"},
            "negative",
            "ultralow",
            "TNBC",
        ),
        ({"er_status": "positive", "her2_status": "negative"}, "positive", "negative", "HR+/HER2-"),
        (
            {"er_status": "negative", "pr_status": "negative", "her2_status": "negative"},
            "negative",
            "negative",
            "TNBC",
        ),
        ({"er_percent": 0.5, "pr_percent": 0, "her2_ihc": "0"}, "negative", "zero", "TNBC"),
        ({"er_percent": 10, "pr_percent": 0, "her2_ihc": "0"}, "low", "zero", "TNBC"),
        ({"er_percent": 11, "pr_percent": 0, "her2_ihc": "0"}, "positive", "zero", "HR+/HER2-"),
        ({"her2_ihc": "3+"}, None, "positive", None),
    ],
    ids=[
        "luminal",
        "er-low",
        "er-low-pr-pos",
        "her2-enriched",
        "triple-pos-ish",
        "her2-low-ish-neg",
        "equivocal",
        "ultralow",
        "qualitative-hr-pos",
        "qualitative-tnbc",
        "er-below-1",
        "er-10-is-low",
        "er-11-is-pos",
        "hr-unknown",
    ],  # fmt: skip
)
def test_receptor_categories(
    kb: KnowledgeBase, tumor: dict[str, Any], hr: str | None, her2: str, subtype: str | None
) -> None:
    """ASCO-CAP categories: ER-low 1-10%, HER2 low/ultralow/zero/equivocal."""
    f = facts(kb, {"id": "x", "tumor": tumor})
    assert f.get("hr_status") == hr
    assert f.get("her2_category") == her2
    assert f.get("subtype") == subtype


def test_her2_low_unknown_when_only_negative(kb: KnowledgeBase) -> None:
    """'HER2-negative' without an IHC score leaves HER2-low status unknown."""
    f = facts(kb, {"id": "x", "tumor": {"her2_status": "negative"}})
    assert "her2_low_or_ultralow" not in f


RESIST = [
    # (therapies, presentation, metastatic dx, expected resistance, expected line)
    ([], "de_novo", "2026-10-01", "none", 1),
    (
        [("adjuvant", ["anastrozole"], "2017-03-01", "2022-03-01", "completed")],
        "recurrence",
        "2024-05-10",
        "none",
        1,
    ),
    (
        [("adjuvant", ["anastrozole"], "2017-03-01", "2022-03-01", "completed")],
        "recurrence",
        "2022-12-01",
        "secondary",
        2,
    ),
    (
        [("adjuvant", ["tamoxifen"], "2023-01-01", None, None)],
        "recurrence",
        "2024-06-01",
        "primary",
        2,
    ),
    (
        [("adjuvant", ["letrozole"], "2019-01-01", None, None)],
        "recurrence",
        "2024-06-01",
        "secondary",
        2,
    ),
    (
        [("metastatic", ["letrozole", "palbociclib"], "2025-01-01", "2025-05-01", "progression")],
        "de_novo",
        "2024-12-20",
        "primary",
        2,
    ),
    (
        [("metastatic", ["letrozole", "palbociclib"], "2024-01-01", "2026-01-01", "progression")],
        "de_novo",
        "2023-12-20",
        "secondary",
        2,
    ),
    (
        [
            ("metastatic", ["letrozole", "ribociclib"], "2024-01-01", "2026-01-01", "progression"),
            ("metastatic", ["fulvestrant"], "2026-02-01", "2026-09-01", "progression"),
        ],
        "de_novo",
        "2023-12-20",
        "secondary",
        3,
    ),
]


@pytest.mark.parametrize(("therapies", "presentation", "mdx", "resistance", "line"), RESIST,
                         ids=["de-novo", "late-relapse", "relapse-within-12m", "relapse-on-early-adjuvant",
                              "relapse-on-late-adjuvant", "pd-within-6m", "pd-after-6m", "two-lines"])  # fmt: skip
def test_endocrine_resistance_and_line(kb: KnowledgeBase, therapies: list[tuple[Any, ...]], presentation: str,
                                       mdx: str, resistance: str, line: int) -> None:  # fmt: skip
    """ABC definitions of endocrine resistance; metastatic line with the early-relapse rule."""
    b = (
        PatientBuilder()
        .hr_pos_her2_neg()
        .set(presentation=presentation, metastatic_diagnosis_date=mdx)
    )
    for setting, drugs, start, end, stop in therapies:
        b.therapy(setting, drugs, start, end, stop)
    b.set(prior_therapies=b.build().get("prior_therapies", []))
    f = facts(kb, b.build())
    assert f["endocrine_resistance"] == resistance
    assert f["line"] == line


def test_her2_early_relapse_counts_as_second_line(kb: KnowledgeBase) -> None:
    """HER2+ recurrence within 12 months of adjuvant trastuzumab is treated as line 2."""
    r = (PatientBuilder().her2_pos().set(presentation="recurrence", metastatic_diagnosis_date="2026-06-01")
         .therapy("adjuvant", ["trastuzumab", "pertuzumab", "docetaxel"], "2025-01-01", "2025-12-01", "completed").build())  # fmt: skip
    f = facts(kb, r)
    assert f["relapse.anti_her2_12m"] is True
    assert f["line"] == 2


def test_unknown_history_leaves_line_unknown(kb: KnowledgeBase) -> None:
    """Without prior_therapies, line and prior exposure are unknown, not zero."""
    f = facts(kb, PatientBuilder().hr_pos_her2_neg().build())
    assert "line" not in f
    assert "prior.class.cdk46_inhibitor" not in f


def test_prior_class_exposure_from_vocabulary(kb: KnowledgeBase) -> None:
    """Brand names resolve to drugs, and drugs to every ancestor class."""
    r = (
        PatientBuilder()
        .therapy("metastatic", ["Kisqali", "Femara"], "2024-01-01", "2025-01-01", "progression")
        .build()
    )
    f = facts(kb, r)
    assert f["prior.class.cdk46_inhibitor"] is True
    assert f["prior.class.aromatase_inhibitor"] is True
    assert f["prior.class.endocrine"] is True
    assert f["progressed_on.class.cdk46_inhibitor"] is True
    assert f["prior.class.taxane"] is False


def test_unknown_drug_is_reported(kb: KnowledgeBase) -> None:
    """A drug outside the vocabulary is listed, not guessed."""
    r = PatientBuilder().therapy("metastatic", ["wondermab"], "2024-01-01").build()
    d = derive_facts(parse_record(r), kb, AS_OF)
    assert d.unknown_drugs == ["wondermab"]


def test_labs_and_body_size(kb: KnowledgeBase) -> None:
    """Corrected calcium and Mosteller BSA."""
    f = facts(
        kb,
        {
            "id": "x",
            "weight_kg": 64,
            "height_cm": 169,
            "labs": {"calcium_mg_dl": 11.0, "albumin_g_dl": 2.5},
        },
    )
    assert f["corrected_calcium_mg_dl"] == pytest.approx(12.2)
    assert f["bsa_m2"] == pytest.approx(1.73, abs=0.01)


def test_somatic_strings(kb: KnowledgeBase) -> None:
    """Gene findings: altered, wild-type, fusions; unknown genes stay unknown."""
    f = facts(
        kb, {"id": "x", "somatic": ["PIK3CA H1047R", "ESR1 wildtype", "NTRK1 fusion", "PTEN loss"]}
    )
    assert f["somatic.pik3ca"] == "altered"
    assert f["somatic.esr1"] == "not_detected"
    assert f["somatic.ntrk_fusion"] == "altered"
    assert f["somatic.pten"] == "altered"
    assert "somatic.akt1" not in f


def test_germline_empty_means_tested_negative(kb: KnowledgeBase) -> None:
    """germline [] is a negative test; absent is unknown."""
    assert facts(kb, {"id": "x", "germline": []})["germline.brca"] is False
    assert facts(kb, {"id": "x", "germline": ["BRCA2"]})["germline.brca"] is True
    assert "germline.brca" not in facts(kb, {"id": "x"})


def test_symptoms_match_synonyms(kb: KnowledgeBase) -> None:
    """Free-text symptoms map to vocabulary terms by whole words."""
    f = facts(kb, {"id": "x", "symptoms": ["new left back pain", "weakness in legs"]})
    assert f["symptom.back_pain"] is True
    assert f["symptom.limb_weakness"] is True
    assert f["symptom.headache"] is False


def _met(b: PatientBuilder, drugs: list[str], start: str, end: str | None, stop: str | None) -> PatientBuilder:
    return b.therapy("metastatic", drugs, start, end, stop)


def test_maintenance_after_completed_induction_is_the_same_line(kb: KnowledgeBase) -> None:
    """THP completed, then HP maintenance within weeks: still first line."""
    b = PatientBuilder().her2_pos().set(presentation="de_novo", metastatic_diagnosis_date="2025-10-01")
    _met(b, ["trastuzumab", "pertuzumab", "docetaxel"], "2025-10-15", "2026-03-01", "completed")
    _met(b, ["trastuzumab", "pertuzumab"], "2026-03-22", None, None)
    f = facts(kb, b.build())
    assert f["prior.metastatic_lines"] == 1
    assert f["line"] == 2  # the ongoing maintenance is a line given; the next decision is line 2


def test_plan_right_after_completed_induction_stays_in_line(kb: KnowledgeBase) -> None:
    """Chemotherapy phase completed a few weeks ago, no progression: the line being chosen is 1."""
    b = PatientBuilder().her2_pos().set(presentation="de_novo", metastatic_diagnosis_date="2026-01-10")
    _met(b, ["trastuzumab", "pertuzumab", "paclitaxel"], "2026-02-01", "2026-09-20", "completed")
    f = facts(kb, b.build())
    assert f["line.continuing"] is True
    assert f["line"] == 1


def test_switch_for_toxicity_is_the_same_line(kb: KnowledgeBase) -> None:
    """Palbociclib stopped for toxicity, abemaciclib started: one line; after progression, line 2."""
    b = PatientBuilder().hr_pos_her2_neg().set(presentation="de_novo", metastatic_diagnosis_date="2025-01-01")
    _met(b, ["letrozole", "palbociclib"], "2025-01-15", "2025-04-01", "toxicity")
    _met(b, ["letrozole", "abemaciclib"], "2025-04-20", "2026-10-01", "progression")
    f = facts(kb, b.build())
    assert f["prior.metastatic_lines"] == 1
    assert f["line"] == 2


def test_progression_always_starts_a_new_line(kb: KnowledgeBase) -> None:
    """A therapy after progression is a new line even when it follows at once."""
    b = PatientBuilder().hr_pos_her2_neg().set(presentation="de_novo", metastatic_diagnosis_date="2024-01-01")
    _met(b, ["letrozole", "ribociclib"], "2024-01-15", "2025-06-01", "progression")
    _met(b, ["fulvestrant", "everolimus"], "2025-06-10", "2026-09-01", "progression")
    assert facts(kb, b.build())["line"] == 3


def test_progression_months_per_class(kb: KnowledgeBase) -> None:
    """Time to progression per drug class: the shortest progressed metastatic course; a
    completed course or an early-setting one does not count; an undated progressed course
    leaves its classes unknown."""
    b = PatientBuilder().hr_pos_her2_neg().set(presentation="recurrence", metastatic_diagnosis_date="2023-01-01")
    b.therapy("adjuvant", ["tamoxifen"], "2015-01-01", "2020-01-01", "progression")
    _met(b, ["letrozole", "palbociclib"], "2023-01-15", "2024-07-15", "progression")
    _met(b, ["fulvestrant", "abemaciclib"], "2024-08-01", "2025-02-01", "progression")
    _met(b, ["capecitabine"], "2025-02-15", "2025-06-15", "completed")
    _met(b, ["paclitaxel"], "2025-07-01", None, "progression")
    f = facts(kb, b.build())
    per_month = float(kb.param("days_per_month"))
    assert f["progression_months.class.cdk46_inhibitor"] == round(184 / per_month, 2)  # the shorter course
    assert f["progression_months.class.aromatase_inhibitor"] == round(547 / per_month, 2)
    assert "progression_months.class.serm" not in f  # adjuvant: not a metastatic course
    assert "progression_months.class.fluoropyrimidine" not in f  # completed, not progressed
    assert "progression_months.class.taxane" not in f  # progressed, but no end date
    assert "progression_months.class.chemotherapy" not in f  # an undated progressed course of the class


def test_relapse_months_from_early_therapy(kb: KnowledgeBase) -> None:
    """Months from the start of the first / the end of the last (neo)adjuvant course of a
    class to the recurrence; 0 from the end when it recurred during the course."""
    b = PatientBuilder().hr_pos_her2_neg().set(presentation="recurrence", metastatic_diagnosis_date="2023-01-01")
    b.therapy("adjuvant", ["anastrozole"], "2017-01-01", "2020-01-01", "toxicity")
    b.therapy("adjuvant", ["letrozole"], "2020-02-01", "2022-01-01", "completed")
    b.therapy("adjuvant", ["abemaciclib"], "2020-02-01", None, None)
    f = facts(kb, b.build())
    per_month = float(kb.param("days_per_month"))
    assert f["relapse_months_from_start.class.aromatase_inhibitor"] == round(2191 / per_month, 2)
    assert f["relapse_months_from_end.class.aromatase_inhibitor"] == round(365 / per_month, 2)
    assert f["relapse_months_from_end.class.cdk46_inhibitor"] == 0.0  # still on it at recurrence
    assert "relapse_months_from_start.class.taxane" not in f
    de_novo = PatientBuilder().hr_pos_her2_neg().set(presentation="de_novo", metastatic_diagnosis_date="2023-01-01")
    de_novo.therapy("metastatic", ["letrozole"], "2023-01-15", None, None)
    assert not any(k.startswith("relapse_months_from_") for k in facts(kb, de_novo.build()))


def test_relapse_months_unknown_when_course_ended_without_date(kb: KnowledgeBase) -> None:
    """A (neo)adjuvant course recorded as completed with no end date ended at an unknown time:
    no months from its end (not 0, which would say the disease recurred during it)."""
    b = PatientBuilder().hr_pos_her2_neg().set(presentation="recurrence", metastatic_diagnosis_date="2023-01-01")
    b.therapy("adjuvant", ["letrozole"], "2017-01-01", None, "completed")
    f = facts(kb, b.build())
    assert "relapse_months_from_start.class.aromatase_inhibitor" in f
    assert "relapse_months_from_end.class.aromatase_inhibitor" not in f


def test_first_metastatic_therapy_stands_in_for_missing_diagnosis_date(kb: KnowledgeBase) -> None:
    """Without metastatic_diagnosis_date, relapse timing uses the first metastatic therapy's start."""
    b = PatientBuilder().hr_pos_her2_neg().set(presentation="recurrence")
    b.therapy("adjuvant", ["letrozole"], "2016-01-01", "2021-01-01", "completed")
    _met(b, ["letrozole", "ribociclib"], "2024-06-01", "2026-09-30", "progression")
    d = derive_facts(parse_record(b.build()), kb, AS_OF)
    assert d.facts["relapse.endocrine_12m"] is False
    assert d.facts["line"] == 2
    assert any("metastatic diagnosis date not recorded" in n for n in d.notes)


def test_cdk46_inhibitor_line_counts_as_endocrine(kb: KnowledgeBase) -> None:
    """'AI + palbo' recorded as palbociclib alone is still an endocrine-based line."""
    b = PatientBuilder().hr_pos_her2_neg().set(presentation="de_novo", metastatic_diagnosis_date="2024-01-01")
    _met(b, ["palbociclib"], "2024-01-15", "2025-09-01", "progression")
    f = facts(kb, b.build())
    assert f["prior.metastatic_endocrine_lines"] == 1
    assert f["endocrine_resistance"] == "secondary"


@pytest.mark.parametrize(
    ("age", "gnrh", "expected"),
    [(65, False, False), (59, False, None), (64, True, None)],
    ids=["60-plus", "under-60", "on-gnrh-agonist"],
)
def test_postmenopausal_by_age(kb: KnowledgeBase, age: int, gnrh: bool, expected: bool | None) -> None:
    """NCCN: a woman aged 60 or more without recorded status is postmenopausal, unless on a GnRH agonist."""
    b = PatientBuilder().hr_pos_her2_neg().set(sex="female", age=age)
    if gnrh:
        b.therapy("metastatic", ["goserelin", "letrozole"], "2026-01-01")
    f = facts(kb, b.build())
    assert f.get("ovarian_function") is expected
