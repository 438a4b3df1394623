"""pytest plugin for the API, web and CDS Hooks tests: a stable fixture KB (shipped vocabularies
+ test rules) and apps over temporary SQLite files. Loaded by tests/conftest.py."""

from __future__ import annotations

import warnings
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

with warnings.catch_warnings():
    # starlette.testclient warns at import that plain httpx is deprecated in favour of
    # httpx2 (not installed); the warning is about the test client, not about mbc.
    warnings.simplefilter("ignore")
    from fastapi.testclient import TestClient

from mbc.api.testing import build_fixture_kb, make_test_app
from mbc.knowledge import KnowledgeBase, load_kb


@pytest.fixture(scope="session")
def fixture_kb_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A KB directory with the fixture rules (stable while the clinical rules change)."""
    return build_fixture_kb(tmp_path_factory.mktemp("kb") / "kb")


@pytest.fixture(scope="session")
def fixture_kb(fixture_kb_path: Path) -> KnowledgeBase:
    """The loaded fixture KB."""
    return load_kb(fixture_kb_path, use_cache=False)


@pytest.fixture
def make_client(tmp_path: Path, fixture_kb: KnowledgeBase) -> Iterator[Callable[..., TestClient]]:
    """Factory of test clients, each over its own SQLite file (or a given one)."""
    opened: list[TestClient] = []

    def make(
        *, db: Path | None = None, kb: KnowledgeBase | None = None, raise_errors: bool = True, **settings: Any
    ) -> TestClient:
        app = make_test_app(db or tmp_path / f"mbc-{len(opened)}.db", kb or fixture_kb, **settings)
        client = TestClient(app, raise_server_exceptions=raise_errors)
        client.__enter__()
        opened.append(client)
        return client

    yield make
    for c in opened:
        c.__exit__(None, None, None)


@pytest.fixture
def client(make_client: Callable[..., TestClient]) -> TestClient:
    """A client of a fresh app (CDS auth off)."""
    return make_client()
