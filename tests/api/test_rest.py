"""REST API /v1: plans, cases, rules, limits and OpenAPI."""

from __future__ import annotations

import json
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from mbc.api.testing import sample_prefetch
from mbc.service import planning as service

FIXTURES = Path(__file__).parent / "fixtures"


def _record(name: str) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((FIXTURES / name).read_text(encoding="utf-8"))
    return data


def test_ping_and_health(client: TestClient) -> None:
    """The trivial endpoint answers and health reports the versions."""
    assert client.get("/v1/ping").json() == {"ok": True}
    health = client.get("/v1/health").json()
    assert health["ok"] is True
    assert health["kb_version"]
    assert health["engine_version"]


def test_plan_returns_contract_plan_with_audit_headers(client: TestClient) -> None:
    """POST /v1/plan returns the contract plan and names its stored plan and audit row."""
    resp = client.post("/v1/plan", json=_record("hrpos-second-line.json"))
    assert resp.status_code == 200
    plan = resp.json()
    assert plan["contract_version"] == 1
    assert plan["patient_id"] == "example-hrpos-2l"
    assert plan["classification"]["subtype"] == "HR+/HER2-"
    for key in ("options", "not_recommended", "workup", "supportive_care", "alerts", "missing_information"):
        assert isinstance(plan[key], list)
    assert resp.headers["x-mbc-audit-id"].isdigit()
    assert "x-mbc-plan-id" not in resp.headers  # stateless: only the audit row (with the plan hash)
    assert len(resp.headers["x-mbc-input-hash"]) == 64
    saved = client.post("/v1/plan?save=true", json=_record("hrpos-second-line.json"))
    assert saved.headers["x-mbc-plan-id"].isdigit()


def test_plan_first_line_options_come_from_rules(client: TestClient) -> None:
    """A first-line HER2+ record gets the fixture rule's option, with citations and trace."""
    plan = client.post("/v1/plan", json=_record("her2pos-first-line.json")).json()
    regimens = [o["regimen"] for o in plan["options"]]
    assert "trastuzumab_pertuzumab_taxane" in regimens
    opt = plan["options"][0]
    assert opt["citations"] and opt["citations"][0]["id"] == "asco-her2-2022"
    assert opt["trace"][0]["rule"] == "test.her2.first-line"


def test_plan_422_names_every_bad_field(client: TestClient) -> None:
    """An invalid record is answered 422 with every problem located, not only the first."""
    bad = {"id": "x", "age": 5, "tumor": {"her2_ihc": "4+", "er_percent": 150}, "sexx": "female"}
    resp = client.post("/v1/plan", json=bad)
    assert resp.status_code == 422
    body = resp.json()
    locs = {tuple(e["loc"]) for e in body["errors"]}
    assert {("age",), ("tumor", "her2_ihc"), ("tumor", "er_percent"), ("sexx",)} <= locs
    assert any("did you mean 'sex'" in e["msg"] for e in body["errors"])


@pytest.mark.parametrize(
    ("content", "kind"),
    [(b"", "missing"), (b"{not json", "json_invalid"), (b"[1, 2]", "type_error")],
    ids=["empty", "malformed", "array"],
)
def test_plan_rejects_non_records(client: TestClient, content: bytes, kind: str) -> None:
    """Empty, malformed and non-object bodies are 422 with a typed problem."""
    resp = client.post("/v1/plan", content=content, headers={"content-type": "application/json"})
    assert resp.status_code == 422
    assert resp.json()["errors"][0]["type"] == kind


def test_body_over_limit_is_413(make_client: Callable[..., TestClient]) -> None:
    """A body larger than MBC_MAX_BODY_BYTES is refused with 413 before it is parsed."""
    small = make_client(max_body_bytes=2000)
    resp = small.post("/v1/plan", json={"id": "x", "symptoms": ["pain"] * 1000})
    assert resp.status_code == 413
    assert resp.json()["status"] == 413


def test_streamed_body_over_limit_is_413(make_client: Callable[..., TestClient]) -> None:
    """A chunked body without Content-Length is counted as it arrives and refused at the limit."""
    small = make_client(max_body_bytes=2000)

    def chunks() -> Iterator[bytes]:
        yield b'{"id": "x", "symptoms": ['
        for _ in range(500):
            yield b'"pain", '
        yield b'"pain"]}'

    resp = small.post("/v1/plan", content=chunks(), headers={"content-type": "application/json"})
    assert resp.status_code == 413


def test_case_crud_round_trip(client: TestClient) -> None:
    """Cases can be created, read, listed, replaced and deleted; a deleted case is 404."""
    rec = _record("hrpos-second-line.json")
    created = client.post("/v1/cases", json={"record": rec, "label": "case A"})
    assert created.status_code == 201
    cid = created.json()["id"]
    assert client.get(f"/v1/cases/{cid}").json()["record"]["id"] == rec["id"]
    assert [c["id"] for c in client.get("/v1/cases").json()["cases"]] == [cid]
    rec2 = {**rec, "ecog": 2}
    updated = client.put(f"/v1/cases/{cid}", json={"record": rec2})
    assert updated.status_code == 200
    assert updated.json()["record"]["ecog"] == 2
    assert client.delete(f"/v1/cases/{cid}").status_code == 204
    assert client.get(f"/v1/cases/{cid}").status_code == 404
    assert client.delete(f"/v1/cases/{cid}").status_code == 404


def test_invalid_case_is_not_saved(client: TestClient) -> None:
    """A case whose record is invalid is refused with 422 and nothing is stored."""
    resp = client.post("/v1/cases", json={"record": {"id": "x", "ecog": 9}})
    assert resp.status_code == 422
    assert resp.json()["errors"][0]["loc"] == ["ecog"]
    assert client.get("/v1/cases").json()["cases"] == []


def test_case_plan_is_stored_and_audited(client: TestClient) -> None:
    """Reading a case's plan stores the plan once and appends one audit row per read."""
    cid = client.post("/v1/cases", json={"record": _record("her2pos-first-line.json")}).json()["id"]
    first = client.get(f"/v1/cases/{cid}/plan")
    second = client.get(f"/v1/cases/{cid}/plan")
    assert first.status_code == second.status_code == 200
    assert first.headers["x-mbc-plan-id"] == second.headers["x-mbc-plan-id"]
    assert int(second.headers["x-mbc-audit-id"]) > int(first.headers["x-mbc-audit-id"])
    store = client.app.state.services.store  # type: ignore[attr-defined]
    events = [r.event for r in store.audit_rows(case_id=cid)]
    assert events == ["case_created", "plan_shown", "plan_shown"]
    assert store.verify_audit() == []


def test_rule_with_citations(client: TestClient) -> None:
    """GET /v1/rules/{id} returns the rule with its resolved citations; unknown is 404."""
    body = client.get("/v1/rules/test.hrpos.first-line").json()
    assert body["id"] == "test.hrpos.first-line"
    assert body["version"] == 1
    assert body["citations"][0]["id"] == "asco-et-2021"
    assert body["citations"][0]["title"]
    safety = client.get("/v1/rules/test.safety.ribociclib-qtc").json()
    assert safety["kind"] == "safety"
    assert client.get("/v1/rules/no.such.rule").status_code == 404


def test_plan_from_fhir_bundle(client: TestClient) -> None:
    """A FHIR bundle is read into a record and planned."""
    prefetch = sample_prefetch(her2_ihc="3+", er_percent=0)
    entries = [{"resource": prefetch["patient"]}] + prefetch["observations"]["entry"]
    resp = client.post(
        "/v1/plan/fhir", json={"resourceType": "Bundle", "type": "collection", "entry": entries}
    )
    assert resp.status_code == 200
    body = resp.json()
    assert body["kind"] == "fhir"
    assert body["record"]["tumor"]["her2_ihc"] == "3+"
    assert body["plan"]["classification"]["her2_category"] == "positive"


@pytest.mark.filterwarnings("ignore::UserWarning")  # medspaCy warns about an empty matcher
def test_plan_from_note(client: TestClient) -> None:
    """A note (here the contract's example question) is read into a record and planned."""
    text = (FIXTURES / "tnbc-question.txt").read_text(encoding="utf-8")
    resp = client.post("/v1/plan/note", json={"text": text})
    assert resp.status_code == 200
    body = resp.json()
    assert body["kind"] == "note"
    assert body["plan"]["classification"]["subtype"] == "TNBC"


def test_ingest_unavailable_is_501(client: TestClient, monkeypatch: pytest.MonkeyPatch) -> None:
    """When the readers cannot be imported, FHIR/note planning answers 501 in the envelope."""
    monkeypatch.setitem(sys.modules, "mbc.ingest", None)
    resp = client.post("/v1/plan/fhir", json={"resourceType": "Bundle", "entry": []})
    assert resp.status_code == 501
    assert resp.json()["ok"] is False


def test_internal_error_hides_internals(
    make_client: Callable[..., TestClient], monkeypatch: pytest.MonkeyPatch
) -> None:
    """An unexpected exception is a 500 envelope without the exception's text."""

    def boom(*_a: Any, **_k: Any) -> Any:
        raise RuntimeError("secret internal detail")

    c = make_client(raise_errors=False)
    monkeypatch.setattr(service, "make_plan", boom)
    resp = c.post("/v1/plan", json={"id": "x"})
    assert resp.status_code == 500
    assert resp.json() == {"ok": False, "error": "internal error", "errors": [], "status": 500}
    assert "secret" not in resp.text


def test_openapi_published(client: TestClient) -> None:
    """The OpenAPI document lists the endpoints and the contract's record schema."""
    doc = client.get("/openapi.json").json()
    for path in ("/v1/plan", "/v1/plan/fhir", "/v1/plan/note", "/v1/cases", "/v1/cases/{case_id}",
                 "/v1/rules/{rule_id}", "/cds-services"):  # fmt: skip
        assert path in doc["paths"], path
    assert "PatientRecordIn" in doc["components"]["schemas"]
    assert doc["components"]["schemas"]["PatientRecordIn"]["properties"]["tumor"]
