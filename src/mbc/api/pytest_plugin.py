"""pytest plugin for the API, web and CDS Hooks tests: a stable fixture KB (shipped vocabularies
+ test rules) and apps over temporary SQLite files. Loaded by tests/conftest.py.

Apps run with sign-in ON. ``make_client(role=...)`` signs the client in with an API key of
that role (``role=None``: anonymous), and signs each CDS Hooks call with a fresh JWT of a
trusted test issuer (``sign_cds=False`` to send them as given).
"""

from __future__ import annotations

import warnings
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

with warnings.catch_warnings():
    # starlette.testclient warns at import that plain httpx is deprecated in favour of
    # httpx2 (not installed); the warning is about the test client, not about mbc.
    warnings.simplefilter("ignore")
    from fastapi.testclient import TestClient

from mbc.api.testing import TEST_BASE, TokenSigner, build_fixture_kb, make_test_app
from mbc.knowledge import KnowledgeBase, load_kb


@pytest.fixture(scope="session")
def fixture_kb_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A KB directory with the fixture rules (stable while the clinical rules change)."""
    return build_fixture_kb(tmp_path_factory.mktemp("kb") / "kb")


@pytest.fixture(scope="session")
def fixture_kb(fixture_kb_path: Path) -> KnowledgeBase:
    """The loaded fixture KB."""
    return load_kb(fixture_kb_path, use_cache=False)


@pytest.fixture(scope="session")
def cds_signer() -> TokenSigner:
    """The trusted CDS client of test apps."""
    return TokenSigner(issuer="https://ehr.fixture.test", kid="fixture-key")


def api_key(app: Any, role: str) -> str:
    """Create an API key of ``role`` in the app's store; return the token."""
    from mbc.service.keys import create_key

    _, token = create_key(app.state.services.store, name=f"test {role}", role=role, actor="test")  # type: ignore[arg-type]
    return token


@pytest.fixture
def make_client(
    tmp_path: Path, fixture_kb: KnowledgeBase, cds_signer: TokenSigner
) -> Iterator[Callable[..., TestClient]]:
    """Factory of test clients, each over its own SQLite file (or a given one)."""
    opened: list[TestClient] = []

    def make(
        *,
        db: Path | None = None,
        kb: KnowledgeBase | None = None,
        raise_errors: bool = True,
        role: str | None = "admin",
        sign_cds: bool = True,
        **settings: Any,
    ) -> TestClient:
        if sign_cds and "cds_jwks" not in settings:
            settings["cds_jwks"] = {cds_signer.issuer: cds_signer.jwks()}
        app = make_test_app(db or tmp_path / f"mbc-{len(opened)}.db", kb or fixture_kb, **settings)
        client = TestClient(app, raise_server_exceptions=raise_errors, base_url=TEST_BASE)
        client.__enter__()
        if role is not None and app.state.services.settings.auth_on:
            client.headers["Authorization"] = f"Bearer {api_key(app, role)}"
        if sign_cds:
            default = client.headers.get("Authorization")

            def sign(request: httpx.Request) -> None:
                path = request.url.path
                if path.startswith("/cds-services/") and request.headers.get("Authorization") == default:
                    aud = TEST_BASE + path.removesuffix("/feedback")
                    request.headers["Authorization"] = f"Bearer {cds_signer.sign(aud)}"

            client.event_hooks["request"].append(sign)
        opened.append(client)
        return client

    yield make
    for c in opened:
        c.__exit__(None, None, None)


@pytest.fixture
def client(make_client: Callable[..., TestClient]) -> TestClient:
    """A client of a fresh app, signed in as an admin (API key); CDS calls signed."""
    return make_client()
