"""Shared fixtures of the cohort-audit tests: the KB and a small synthetic cohort."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from mbc.knowledge import load_kb
from mbc.knowledge.loader import KnowledgeBase

REPO = Path(__file__).resolve().parents[2]
EXAMPLES = REPO / "examples"


@pytest.fixture(scope="session")
def kb() -> KnowledgeBase:
    return load_kb()


@pytest.fixture(scope="session")
def synth_cohort(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """40 synthetic records with injected discordances: (cohort NDJSON, ground truth NDJSON)."""
    from mbc.cohort.synth_run import write_cohort

    d = tmp_path_factory.mktemp("synth")
    cohort, truth = d / "cohort.ndjson", d / "truth.ndjson"
    with cohort.open("w") as out, truth.open("w") as t:
        write_cohort(40, seed=11, out=out, truth=t, discordance=0.3)
    return cohort, truth


def load_example(name: str) -> dict:
    return json.loads((EXAMPLES / name).read_text())


@pytest.fixture(scope="session")
def example():
    """A function: example file name -> decoded record."""
    return load_example
