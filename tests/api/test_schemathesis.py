"""A bounded property-based run of the OpenAPI schema (schemathesis): no input gives a 5xx."""

from __future__ import annotations

import warnings
from typing import Any

import pytest
from hypothesis import HealthCheck, settings

from mbc.api.pytest_plugin import api_key
from mbc.api.testing import make_test_app
from mbc.knowledge import KnowledgeBase

schemathesis = pytest.importorskip("schemathesis")
from schemathesis.checks import not_a_server_error  # noqa: E402


@pytest.fixture
def api_schema(tmp_path_factory: pytest.TempPathFactory, fixture_kb: KnowledgeBase) -> Any:
    """The app's own OpenAPI schema, served in-process (ASGI, no network)."""
    app = make_test_app(tmp_path_factory.mktemp("st") / "st.db", fixture_kb)
    _TOKEN["admin"] = api_key(app, "admin")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return schemathesis.openapi.from_asgi(
            "/openapi.json", app, headers={"Authorization": f"Bearer {_TOKEN['admin']}"}
        )


schema = schemathesis.pytest.from_fixture("api_schema")
_TOKEN: dict[str, str] = {}


@pytest.mark.slow
@pytest.mark.filterwarnings("ignore")
@schema.parametrize()
@settings(max_examples=12, deadline=None, derandomize=True, suppress_health_check=list(HealthCheck))
def test_no_server_errors(case: Any) -> None:
    """Any request the schema allows (and many it does not) is answered without a 5xx."""
    case.call_and_validate(checks=[not_a_server_error], headers={"Authorization": f"Bearer {_TOKEN['admin']}"})
