"""Shared fixtures for the ingest tests: paths to our fixtures and to the shared data."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

HERE = Path(__file__).parent
REPO = HERE.parents[1]


def shared_dir() -> Path | None:
    """``$MBC_SHARED`` or ``<repo>/../shared``; None if absent."""
    env = os.environ.get("MBC_SHARED")
    path = Path(env) if env else REPO.parent / "shared"
    return path if (path / "data").is_dir() else None


@pytest.fixture(scope="session")
def shared() -> Path:
    path = shared_dir()
    if path is None:
        pytest.skip("shared data not found (set MBC_SHARED or place shared/ beside the repo)")
    return path
