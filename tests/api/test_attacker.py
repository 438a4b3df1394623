"""A scripted attacker, bounded (the 10,000-request run is benchmarks/bench_attack.py).

Each case of issue 13's findings is sent once; the answer must be a 4xx in the error
envelope (or a normal answer), never a 5xx. A Hypothesis run then throws bounded random
JSON (deep nesting, huge numbers, lone surrogates, non-finite floats, wrong types) at the
record and hook endpoints.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pytest
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mbc.api.testing import sample_prefetch

PV = "/cds-services/mbc-patient-view"
OS = "/cds-services/mbc-order-select"
JSON_H = {"content-type": "application/json"}


def _nest(value: Any, depth: int) -> Any:
    for _ in range(depth):
        value = [value]
    return value


def _ok4xx(resp: Any, *allowed: int) -> None:
    assert resp.status_code < 500, resp.text[:300]
    if allowed:
        assert resp.status_code in allowed, (resp.status_code, resp.text[:300])
    if resp.status_code >= 400 and resp.headers.get("content-type", "").startswith("application/json"):
        body = resp.json()
        assert body["ok"] is False and body["status"] == resp.status_code


@pytest.fixture
def c(make_client: Callable[..., TestClient]) -> TestClient:
    return make_client(raise_errors=False)


def _hook(prefetch: Any, **context: Any) -> dict[str, Any]:
    return {
        "hook": "patient-view",
        "hookInstance": "d1577c69-dfbe-44ad-ba6d-3e05e953b2ea",
        "context": {"userId": "Practitioner/1", "patientId": "pt-1", **context},
        "prefetch": prefetch,
    }


@pytest.mark.parametrize(
    ("body", "kind"),
    [
        (b"[" * 100_000 + b"]" * 100_000, "too_deep"),
        (json.dumps({"id": "x", "tumor": {"a": _nest(1, 80)}}).encode(), "too_deep"),
        (b'{"id": "x", "age": ' + b"9" * 5000 + b"}", "number_too_large"),
        (b'{"id": "\\ud800"}', "unicode_error"),
        (b'{"id": "x", "biomarkers": {"pdl1_cps": NaN}}', "json_invalid"),
        (b'{"id": "x", "biomarkers": {"pdl1_cps": Infinity}}', "json_invalid"),
        (b'{"id": "x", "biomarkers": {"tmb_per_mb": 1e400}}', "number_too_large"),
    ],
)
def test_hostile_json_is_a_422(c: TestClient, body: bytes, kind: str) -> None:
    for url in ("/v1/plan", "/v1/cases", "/v1/plan/fhir", PV):
        r = c.post(url, content=body, headers=JSON_H)
        _ok4xx(r, 422)
        assert kind in {e["type"] for e in r.json()["errors"]}, r.text


def test_non_finite_numbers_are_refused_by_the_model() -> None:
    from mbc.errors import InputError
    from mbc.model import parse_record

    for field in ("pdl1_cps", "tmb_per_mb"):
        with pytest.raises(InputError):
            parse_record({"id": "x", "biomarkers": {field: float("inf")}})


def test_form_indices_are_bounded(c: TestClient) -> None:
    for key in ("prior_therapies.1000000.drugs", "prior_therapies.abc.drugs", "prior_therapies.1.2.3"):
        r = c.post("/web/validate", data={key: "x"})
        _ok4xx(r, 422)
    r = c.post("/web/validate", data={"prior_therapies.39.drugs": "x"})
    assert r.status_code == 200


def test_too_long_note_is_a_413(c: TestClient, make_client: Callable[..., TestClient]) -> None:
    small = make_client(max_note_chars=1000)
    _ok4xx(small.post("/v1/plan/note", json={"text": "x " * 1000}), 413)
    page = small.post("/cases/paste", data={"source": "y " * 1000}, headers={"accept": "text/html"})
    assert page.status_code == 413
    assert page.headers["content-type"].startswith("text/html")
    assert "too long" in page.text and '{"ok"' not in page.text


@pytest.mark.parametrize(
    "prefetch",
    [
        {**sample_prefetch(), "conditions": {"resourceType": "Bundle", "entry": 5}},
        {
            "patient": {"resourceType": "Patient", "id": "pt-1"},
            "x": {"resourceType": "Bundle", "entry": [5, "a", None]},
        },
        5,
        [],
        {"patient": 5},
    ],
)
def test_hook_bodies_of_wrong_types(c: TestClient, prefetch: Any) -> None:
    _ok4xx(c.post(PV, json=_hook(prefetch)))


def test_order_and_feedback_bodies_of_wrong_types(c: TestClient) -> None:
    body = {
        "hook": "order-select",
        "hookInstance": "x",
        "context": {
            "patientId": "pt-1",
            "selections": 5,
            "draftOrders": {
                "resourceType": "Bundle",
                "entry": [
                    {
                        "resource": {
                            "resourceType": "MedicationRequest",
                            "id": "m1",
                            "medicationCodeableConcept": {"coding": 5, "text": 7},
                        }
                    }
                ],
            },
        },
        "prefetch": sample_prefetch(),
    }
    _ok4xx(c.post(OS, json=body))
    body["context"]["draftOrders"] = {"resourceType": "Bundle", "entry": 5}
    _ok4xx(c.post(OS, json=body))
    fb = {"feedback": [{"card": "c", "outcome": "accepted", "acceptedSuggestions": 5, "overrideReason": 5}]}
    _ok4xx(c.post(f"{PV}/feedback", json=fb), 200)
    _ok4xx(c.post(f"{PV}/feedback", json={"feedback": 5}), 422)


def test_patient_id_cannot_reach_another_path(make_client: Callable[..., TestClient]) -> None:
    import httpx

    seen: list[str] = []

    def ehr(req: httpx.Request) -> httpx.Response:
        seen.append(str(req.url))
        return httpx.Response(200, json={"resourceType": "Bundle", "entry": []})

    c = make_client(
        fhir_servers=["https://ehr.test/fhir"],
        http_factory=lambda: httpx.Client(transport=httpx.MockTransport(ehr)),
        raise_errors=False,
    )
    evil = {**_hook(None, patientId="../../admin/secret?x="), "fhirServer": "https://ehr.test/fhir"}
    evil.pop("prefetch")
    _ok4xx(c.post(PV, json=evil), 422)
    assert seen == []


def test_rate_limit(make_client: Callable[..., TestClient]) -> None:
    c = make_client(rate_limit_per_s=0.01, rate_limit_burst=3)
    codes = [c.get("/v1/ping").status_code for _ in range(5)]
    assert codes[:3] == [200, 200, 200] and codes[3:] == [429, 429]
    r = c.get("/v1/ping")
    assert int(r.headers["retry-after"]) >= 1 and r.json()["status"] == 429


def test_stateless_plan_is_not_stored(c: TestClient) -> None:
    from sqlalchemy import text

    record = json.loads(
        (__import__("pathlib").Path(__file__).parent / "fixtures" / "her2pos-first-line.json").read_text()
    )
    for i in range(3):
        assert c.post("/v1/plan", json={**record, "id": f"p-{i}"}).status_code == 200
    store = c.app.state.services.store  # type: ignore[attr-defined]
    with store.read() as conn:
        assert conn.execute(text("SELECT count(*) FROM plans")).scalar_one() == 0
        details = [
            json.loads(r[0]) for r in conn.execute(text("SELECT detail FROM audit WHERE event='plan_shown'"))
        ]
    assert len(details) == 3 and all(len(d["plan_sha256"]) == 64 for d in details)


# ---------------------------------------------------------------------------- Hypothesis

_leaf = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(10**40), max_value=10**40),
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(alphabet=st.characters(codec="utf-16", exclude_categories=()), max_size=8),
    st.sampled_from(["\ud800", "\udfff", "x" * 300, "2026-13-45", "positive", "Bundle", "Patient"]),
)
_json = st.recursive(
    _leaf,
    lambda kids: st.one_of(
        st.lists(kids, max_size=4), st.dictionaries(st.text(max_size=12), kids, max_size=4)
    ),
    max_leaves=30,
)
_keys = st.sampled_from(
    [
        "id",
        "as_of",
        "age",
        "tumor",
        "biomarkers",
        "prior_therapies",
        "labs",
        "context",
        "prefetch",
        "hook",
        "entry",
        "coding",
        "feedback",
        "patientId",
        "resourceType",
    ]
)
_doc = st.dictionaries(_keys, _json, max_size=6)


@settings(max_examples=60, deadline=None, derandomize=True, suppress_health_check=list(HealthCheck))
@given(
    doc=_doc,
    depth=st.sampled_from([0, 0, 0, 70, 2000]),
    url=st.sampled_from(["/v1/plan", "/v1/cases", "/v1/plan/fhir", PV, OS, f"{PV}/feedback"]),
)
def test_random_json_never_5xx(
    make_client: Callable[..., TestClient], doc: dict[str, Any], depth: int, url: str
) -> None:
    c = _CLIENT.get("c") or _CLIENT.setdefault("c", make_client(raise_errors=False))
    if depth:
        doc = {**doc, "tumor": _nest(doc.get("tumor"), depth)}
    try:
        raw = json.dumps(doc, allow_nan=True).encode("utf-8", "surrogatepass")
    except (RecursionError, ValueError):
        return
    _ok4xx(c.post(url, content=raw, headers=JSON_H))


_CLIENT: dict[str, TestClient] = {}


@pytest.fixture(autouse=True)
def _fresh_client() -> Any:
    _CLIENT.clear()
    yield
    _CLIENT.clear()
