"""The REST API and the CDS Hooks services answer hostile input with a 2xx or a clear 4xx:
never a 500 (the test client re-raises any server exception, so a crash fails loudly).

The same inputs as the reader tests: damaged records, bundles (also as CDS prefetch), notes
and questions.
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from typing import Any

import pytest
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mbc.api.testing import sample_prefetch

from ._inputs import examples, mutated_bundle, mutated_json, mutated_note, question, seed_records

PV = "/cds-services/mbc-patient-view"
OS = "/cds-services/mbc-order-select"
_SETTINGS = settings(max_examples=examples(15), deadline=None, derandomize=True, database=None,
                     suppress_health_check=list(HealthCheck))  # fmt: skip
_PREFETCH = sample_prefetch(her2_ihc="3+", er_percent=0, qtcf_ms=470, ongoing=(("224905", "trastuzumab"),))
_ORDER = {"resourceType": "Bundle", "type": "collection", "entry": [{"resource": {
    "resourceType": "MedicationRequest", "id": "mr-1", "status": "draft", "intent": "order",
    "subject": {"reference": "Patient/pt-1"},
    "medicationCodeableConcept": {"text": "Kisqali 200 mg",
        "coding": [{"system": "http://www.nlm.nih.gov/research/umls/rxnorm", "code": "1873916"}]}}}]}  # fmt: skip


def _hook(hook: str, prefetch: Any, **context: Any) -> dict[str, Any]:
    return {"hook": hook, "hookInstance": "d1577c69-dfbe-44ad-ba6d-3e05e953b2ea",
            "context": {"userId": "Practitioner/1", "patientId": "pt-1", **context}, "prefetch": prefetch}  # fmt: skip


@pytest.fixture
def api(make_client: Callable[..., TestClient]) -> TestClient:
    return make_client()


def _ok(resp: Any) -> None:
    assert resp.status_code < 500, resp.text[:500]
    if resp.status_code >= 400:
        body = resp.json()
        assert body.get("error"), body  # the error envelope names what is wrong


@_SETTINGS
@given(record=mutated_json(seed_records()))
def test_plan_of_a_damaged_record(api: TestClient, record: Any) -> None:
    _ok(api.post("/v1/plan", json=record))


@_SETTINGS
@given(bundle=mutated_bundle())
def test_plan_of_a_damaged_bundle(api: TestClient, bundle: Any) -> None:
    _ok(api.post("/v1/plan/fhir", json=bundle))


@_SETTINGS
@given(text=mutated_note())
def test_plan_of_a_rewritten_note(api: TestClient, text: str) -> None:
    _ok(api.post("/v1/plan/note", json={"text": text}))


@_SETTINGS
@given(text=question(), audience=st.sampled_from([None, "clinician", "patient"]))
def test_ask(api: TestClient, text: str, audience: str | None) -> None:
    _ok(api.post("/v1/ask", json={"question": text, "audience": audience, "include_plan": True}))


@_SETTINGS
@given(prefetch=mutated_json((_PREFETCH,), at_most=3), order=mutated_json((_ORDER,), at_most=2))
def test_cds_hooks_with_damaged_prefetch(api: TestClient, prefetch: Any, order: Any) -> None:
    _ok(api.post(PV, json=_hook("patient-view", prefetch)))
    _ok(api.post(OS, json=_hook("order-select", copy.deepcopy(prefetch), draftOrders=order,
                                selections=["MedicationRequest/mr-1"])))  # fmt: skip
