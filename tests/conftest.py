"""Shared fixtures. Paths come from this file's location, never the CWD."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from mbc.knowledge import KnowledgeBase, load_kb

REPO = Path(__file__).resolve().parents[1]

# Fixtures of the API, web and CDS Hooks tests (one copy, shared by the three folders).
pytest_plugins = ["mbc.api.pytest_plugin"]


def shared_dir() -> Path:
    """The shared/ folder beside the repo (or $MBC_SHARED)."""
    env = os.environ.get("MBC_SHARED")
    return Path(env) if env else REPO.parent / "shared"


@pytest.fixture(scope="session")
def kb() -> KnowledgeBase:
    """The shipped knowledge base."""
    return load_kb()


@pytest.fixture(scope="session")
def shared() -> Path:
    """shared/ (skips the test when it is absent)."""
    d = shared_dir()
    if not d.is_dir():
        pytest.skip(f"shared data not found at {d} (set MBC_SHARED)")
    return d
