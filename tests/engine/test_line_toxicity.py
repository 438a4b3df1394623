"""Lines of therapy after a stop for toxicity (issue 10, session 6): the line goes on only when
something of the regimen can go on (a drug kept, or swapped within a class listed in
derive.yaml ``line_toxicity_switch_classes``)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from mbc.engine.derive import derive_facts
from mbc.knowledge import KnowledgeBase
from mbc.model import parse_record
from mbc.testing import PatientBuilder

AS_OF = dt.date(2026, 11, 1)


def facts(kb: KnowledgeBase, record: dict[str, Any]) -> dict[str, Any]:
    return derive_facts(parse_record(record), kb, AS_OF).facts


def _met(b: PatientBuilder, drugs: list[str], start: str, end: str | None, stop: str | None) -> None:
    b.therapy("metastatic", drugs, start, end, stop)


def test_single_agent_stopped_for_toxicity_then_another_agent_is_a_new_line(kb: KnowledgeBase) -> None:
    """Capecitabine stopped for hand-foot syndrome, eribulin started three weeks later: two lines."""
    b = PatientBuilder().hr_pos_her2_neg().set(presentation="de_novo", metastatic_diagnosis_date="2024-01-01")
    _met(b, ["capecitabine"], "2025-01-10", "2025-05-01", "toxicity")
    _met(b, ["eribulin"], "2025-05-20", "2026-09-01", "progression")
    f = facts(kb, b.build())
    assert f["prior.metastatic_lines"] == 2
    assert f["line"] == 3


def test_taxane_swapped_after_toxicity_is_the_same_line(kb: KnowledgeBase) -> None:
    """Paclitaxel stopped for a hypersensitivity reaction, nab-paclitaxel started: one line."""
    b = PatientBuilder().hr_pos_her2_neg().set(presentation="de_novo", metastatic_diagnosis_date="2024-01-01")
    _met(b, ["paclitaxel"], "2025-01-10", "2025-02-01", "toxicity")
    _met(b, ["nab-paclitaxel"], "2025-02-15", "2026-09-01", "progression")
    f = facts(kb, b.build())
    assert f["prior.metastatic_lines"] == 1
    assert f["line"] == 2


def test_recent_single_agent_toxicity_stop_plans_the_next_line(kb: KnowledgeBase) -> None:
    """T-DXd stopped for pneumonitis seven weeks ago, after THP: the plan is for line 3 (before:
    'within line 2' because the stop was recent)."""
    b = PatientBuilder().her2_pos().set(presentation="de_novo", metastatic_diagnosis_date="2023-01-10")
    _met(b, ["docetaxel", "trastuzumab", "pertuzumab"], "2023-01-20", "2025-11-01", "progression")
    _met(b, ["trastuzumab_deruxtecan"], "2025-11-15", "2026-09-14", "toxicity")
    f = facts(kb, b.build())
    assert f["prior.metastatic_lines"] == 2
    assert not f.get("line.continuing")
    assert f["line"] == 3


def test_recent_combination_toxicity_stop_stays_in_line(kb: KnowledgeBase) -> None:
    """Letrozole + palbociclib stopped for neutropenia a month ago: still first line (the
    aromatase inhibitor can go on, the CDK4/6 inhibitor can be swapped)."""
    b = PatientBuilder().hr_pos_her2_neg().set(presentation="de_novo", metastatic_diagnosis_date="2026-05-01")
    _met(b, ["letrozole", "palbociclib"], "2026-06-01", "2026-10-01", "toxicity")
    f = facts(kb, b.build())
    assert f["line.continuing"] is True
    assert f["line"] == 1


def test_ovarian_suppression_does_not_make_a_combination(kb: KnowledgeBase) -> None:
    """Capecitabine + goserelin stopped for toxicity recently: goserelin is not a line drug, so the
    single cancer drug's line is over."""
    b = PatientBuilder().hr_pos_her2_neg().set(presentation="de_novo", metastatic_diagnosis_date="2026-01-01")
    _met(b, ["capecitabine", "goserelin"], "2026-02-01", "2026-10-01", "toxicity")
    f = facts(kb, b.build())
    assert f["prior.metastatic_lines"] == 1
    assert f["line"] == 2
