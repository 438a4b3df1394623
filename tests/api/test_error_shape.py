"""Every error, from every layer, leaves in the one envelope (datasette's test_error_shape)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from fastapi.testclient import TestClient

ENVELOPE_KEYS = {"ok", "error", "errors", "status"}

# (method, path, request kwargs, expected status)
CASES: list[tuple[str, str, dict[str, Any], int]] = [
    ("POST", "/v1/plan", {"json": {"id": "x", "age": 3, "ecog": 7}}, 422),
    ("POST", "/v1/plan", {"json": {"idd": "x"}}, 422),
    ("POST", "/v1/plan", {"content": b"{", "headers": {"content-type": "application/json"}}, 422),
    ("POST", "/v1/plan", {"json": [1]}, 422),
    ("POST", "/v1/plan?as_of=yesterday", {"json": {"id": "x"}}, 422),
    ("POST", "/v1/plan/note", {"json": {"text": ""}}, 422),
    ("POST", "/v1/plan/note", {"json": {}}, 422),
    ("POST", "/v1/plan/fhir", {"json": {"resourceType": "Bundle", "entry": "nope"}}, 422),
    ("POST", "/v1/cases", {"json": {"record": {"id": "x", "sex": "f"}}}, 422),
    ("POST", "/v1/cases", {"json": {"label": "no record"}}, 422),
    ("GET", "/v1/cases/nope", {}, 404),
    ("PUT", "/v1/cases/nope", {"json": {"record": {"id": "x"}}}, 404),
    ("DELETE", "/v1/cases/nope", {}, 404),
    ("GET", "/v1/cases/nope/plan", {}, 404),
    ("GET", "/v1/cases?limit=0", {}, 422),
    ("GET", "/v1/rules/nope", {}, 404),
    ("GET", "/v1/no-such-endpoint", {}, 404),
    ("DELETE", "/v1/plan", {}, 405),
    ("POST", "/cds-services/nope", {"json": {}}, 404),
    ("POST", "/cds-services/mbc-patient-view", {"json": {"hook": "order-select"}}, 422),
    ("POST", "/cds-services/mbc-patient-view", {"json": {"hook": "patient-view", "context": {}}}, 422),
    ("POST", "/cds-services/mbc-patient-view/feedback", {"json": {"feedback": [{"card": 1}]}}, 422),
]


def _check(resp: Any, status: int) -> None:
    assert resp.status_code == status, resp.text
    body = resp.json()
    assert set(body) == ENVELOPE_KEYS
    assert body["ok"] is False
    assert body["status"] == status
    assert isinstance(body["error"], str)
    assert body["error"]
    assert isinstance(body["errors"], list)
    for e in body["errors"]:
        assert set(e) == {"loc", "msg", "type"}
        assert isinstance(e["loc"], list)
        assert all(isinstance(p, str | int) for p in e["loc"])
        assert isinstance(e["msg"], str)
        assert isinstance(e["type"], str)


@pytest.mark.parametrize(
    ("method", "path", "kwargs", "status"), CASES, ids=[f"{m} {p} {s}" for m, p, _, s in CASES]
)
def test_error_envelope(
    client: TestClient, method: str, path: str, kwargs: dict[str, Any], status: int
) -> None:
    """The error response has exactly the envelope's keys and types."""
    _check(client.request(method, path, **kwargs), status)


def test_422_lists_every_problem(client: TestClient) -> None:
    """A 422 carries one entry per bad field, all at once."""
    body = client.post("/v1/plan", json={"id": "x", "age": 3, "ecog": 7, "sex": "f"}).json()
    assert sorted(tuple(e["loc"]) for e in body["errors"]) == [("age",), ("ecog",), ("sex",)]


def test_413_envelope(make_client: Callable[..., TestClient]) -> None:
    """An oversized body gets the envelope too."""
    _check(make_client(max_body_bytes=100).post("/v1/plan", json={"id": "x" * 200}), 413)


def test_401_envelope(make_client: Callable[..., TestClient]) -> None:
    """A CDS call without a token, with auth on, gets the envelope and a Bearer challenge."""
    resp = make_client(sign_cds=False).post("/cds-services/mbc-patient-view", json={"hook": "patient-view"})
    _check(resp, 401)
    assert resp.headers["www-authenticate"] == "Bearer"


def test_500_envelope(make_client: Callable[..., TestClient], monkeypatch: pytest.MonkeyPatch) -> None:
    """An internal error is the envelope with no internals."""
    from mbc.api import service

    monkeypatch.setattr(service, "get_rule", lambda *_a, **_k: 1 / 0)
    _check(make_client(raise_errors=False).get("/v1/rules/x"), 500)
