"""Fixtures for the trial-matching tests (paths from this file, never the CWD)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from mbc.knowledge import KnowledgeBase
from mbc.model import PatientRecord, parse_record
from mbc.trials import TrialKnowledge, load_trial_knowledge

FIXTURES = Path(__file__).resolve().parent / "fixtures"


@pytest.fixture(scope="session")
def tk(kb: KnowledgeBase) -> TrialKnowledge:
    """The compiled trial patterns."""
    return load_trial_knowledge(kb)


@pytest.fixture(scope="session")
def fixtures() -> Path:
    """tests/trials/fixtures/registry: our own trial records, one of each shape."""
    return FIXTURES / "registry"


@pytest.fixture(scope="session")
def patient_file() -> Path:
    """A contract-v1 record file (ER+/HER2-low, ESR1-mutated, after AI + CDK4/6i)."""
    return FIXTURES / "patient_hrpos_esr1.json"


@pytest.fixture()
def hrpos_patient() -> PatientRecord:
    """An ER+/HER2-low, ESR1-mutated patient after AI + CDK4/6 inhibitor."""
    return parse_record(json.loads((FIXTURES / "patient_hrpos_esr1.json").read_text()))
