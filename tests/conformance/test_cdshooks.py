"""CDS Hooks 2.0 conformance: discovery, cards, order-select safety, feedback and JWT checks."""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Callable
from typing import Any

import httpx
import pytest
from fastapi.testclient import TestClient

from mbc.api.cdshooks.cards import MAX_SUMMARY, plan_cards, summary
from mbc.api.testing import TokenSigner, sample_prefetch
from mbc.model.plan import Alert, Citation, Classification, Plan, Trace

BASE = "http://testserver"
PV = "/cds-services/mbc-patient-view"
OS = "/cds-services/mbc-order-select"
INDICATORS = {"info", "warning", "critical"}


def _hook(hook: str, prefetch: dict[str, Any] | None, **context: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "hook": hook,
        "hookInstance": "d1577c69-dfbe-44ad-ba6d-3e05e953b2ea",
        "context": {"userId": "Practitioner/1", "patientId": "pt-1", **context},
    }
    if prefetch is not None:
        body["prefetch"] = prefetch
    return body


def _check_card(card: dict[str, Any]) -> None:
    assert isinstance(card["summary"], str)
    assert 0 < len(card["summary"]) <= MAX_SUMMARY
    assert card["indicator"] in INDICATORS
    assert card["source"]["label"].startswith("mbc KB v")
    assert card["source"]["url"].startswith(BASE)
    assert isinstance(card.get("detail", ""), str)
    assert isinstance(card["uuid"], str)
    for link in card.get("links", []):
        assert link["type"] in {"absolute", "smart"}
        assert link["url"].startswith(BASE)
        assert link["label"]
    if "suggestions" in card:
        assert card["selectionBehavior"] in {"at-most-one", "any"}
        for s in card["suggestions"]:
            assert s["label"]
            for a in s["actions"]:
                assert a["type"] in {"create", "update", "delete"}
                assert a["description"]


# ---------------------------------------------------------------------------- discovery


def test_discovery_shape(client: TestClient) -> None:
    """Discovery lists each service with hook, id, description and prefetch templates."""
    doc = client.get("/cds-services").json()
    assert set(doc) == {"services"}
    ids = [s["id"] for s in doc["services"]]
    assert len(ids) == len(set(ids))
    hooks = {s["hook"] for s in doc["services"]}
    assert {"patient-view", "order-select"} <= hooks
    for s in doc["services"]:
        assert {"hook", "id", "description"} <= set(s)
        for template in s.get("prefetch", {}).values():
            assert "{{context.patientId}}" in template


# ---------------------------------------------------------------------------- patient-view


def test_patient_view_cards(client: TestClient) -> None:
    """patient-view with prefetch answers cards that follow the spec and link to the case."""
    resp = client.post(PV, json=_hook("patient-view", sample_prefetch(her2_ihc="3+", er_percent=0)))
    assert resp.status_code == 200
    cards = resp.json()["cards"]
    assert cards
    for c in cards:
        _check_card(c)
    assert any("/cases/cds-" in link["url"] for c in cards for link in c.get("links", []))
    options = next(c for c in cards if "treatment option" in c["summary"])
    assert "test.her2.first-line@1" in options["source"]["label"]
    assert options["source"]["url"] == f"{BASE}/rules/test.her2.first-line"
    assert "](https://doi.org/" in options["detail"]  # citations in the Markdown detail
    assert any(c["summary"].startswith("Not recommended") for c in cards)


def test_patient_view_case_link_opens(client: TestClient) -> None:
    """The case link in a card opens the case page in the web app."""
    cards = client.post(PV, json=_hook("patient-view", sample_prefetch())).json()["cards"]
    url = next(link["url"] for c in cards for link in c.get("links", []) if "/cases/" in link["url"])
    assert client.get(url.removeprefix(BASE)).status_code == 200


def test_patient_view_reads_fhir_server_when_prefetch_missing(make_client: Callable[..., TestClient]) -> None:
    """Without prefetch, the service reads an allowed FHIR server (a fake here)."""
    pre = sample_prefetch(her2_ihc="3+", er_percent=0)
    seen: list[str] = []

    def handler(req: httpx.Request) -> httpx.Response:
        seen.append(f"{req.url.path}?{req.url.query.decode()}" if req.url.query else req.url.path)
        assert req.headers["authorization"] == "Bearer abc"
        key = {
            "Patient": "patient",
            "Observation": "observations",
            "Condition": "conditions",
            "MedicationStatement": "medications",
        }[req.url.path.split("/")[2]]
        return httpx.Response(200, json=pre[key])

    c = make_client(
        fhir_servers=["https://fhir.example.test/r4"],
        http_factory=lambda: httpx.Client(transport=httpx.MockTransport(handler)),
    )
    body = _hook("patient-view", None)
    body["fhirServer"] = "https://fhir.example.test/r4"
    body["fhirAuthorization"] = {
        "access_token": "abc",
        "token_type": "Bearer",
        "expires_in": 300,
        "scope": "patient/*.read",
        "subject": "mbc",
    }
    resp = c.post(PV, json=body)
    assert resp.status_code == 200, resp.text
    assert "/r4/Patient/pt-1" in seen
    assert any(s.startswith("/r4/Observation") for s in seen)
    summaries = " ".join(card["summary"] for card in resp.json()["cards"])
    assert "Trastuzumab" in summaries


def test_patient_view_without_prefetch_or_allowed_server_is_412(client: TestClient) -> None:
    """A hook with no prefetch and no allowed FHIR server is refused, never fetched blindly."""
    body = _hook("patient-view", None)
    body["fhirServer"] = "https://evil.example.test"
    resp = client.post(PV, json=body)
    assert resp.status_code == 412
    assert resp.json()["errors"][0]["type"] == "prefetch_missing"


def _plan_with(severity: str) -> Plan:
    cite = Citation(
        id="c1", title="T", short="S 2024", kind="guideline", year=2024, url_or_doi="https://x.test"
    )
    return Plan(
        patient_id="p",
        kb_version="9.9.9",
        engine_version="0.1.0",
        as_of=dt.date(2026, 11, 1),
        classification=Classification(
            subtype="TNBC",
            hr_status="negative",
            her2_category="zero",
            endocrine_resistance="not_applicable",
            line=1,
        ),
        alerts=[
            Alert(
                severity=severity,
                code="a1",
                message="word " * 60,
                citations=[cite],  # type: ignore[arg-type]
                trace=[Trace(rule="r.one", version=3)],
            )
        ],
    )


@pytest.mark.parametrize(
    ("severity", "indicator"), [("critical", "critical"), ("warning", "warning"), ("info", "info")]
)
def test_indicator_follows_severity(severity: str, indicator: str) -> None:
    """A critical alert is a critical card, a warning a warning, anything else info."""
    card = plan_cards(_plan_with(severity), base_url=BASE, case_url=f"{BASE}/cases/x")[0]
    assert card["indicator"] == indicator
    assert len(card["summary"]) <= MAX_SUMMARY
    assert card["summary"].endswith("…")
    assert card["source"] == {
        "label": "mbc KB v9.9.9 – rule r.one@3",
        "url": f"{BASE}/rules/r.one",
        "topic": {"system": f"{BASE}/rules", "code": "r.one", "display": "r.one"},
    }
    assert "[S 2024: T](https://x.test)" in card["detail"]


def test_summary_never_exceeds_140() -> None:
    """summary() keeps short text and cuts long text on a word, under 140 characters."""
    assert summary("short") == "short"
    for n in (139, 140, 141, 500):
        assert len(summary("x" * n)) <= MAX_SUMMARY
        assert len(summary("word " * n)) <= MAX_SUMMARY


# ---------------------------------------------------------------------------- order-select


def _draft(*orders: tuple[str, str | None, str]) -> dict[str, Any]:
    entries = []
    for rid, rxnorm, text in orders:
        concept: dict[str, Any] = {"text": text}
        if rxnorm:
            concept["coding"] = [{"system": "http://www.nlm.nih.gov/research/umls/rxnorm", "code": rxnorm}]
        entries.append(
            {
                "resource": {
                    "resourceType": "MedicationRequest",
                    "id": rid,
                    "status": "draft",
                    "intent": "order",
                    "subject": {"reference": "Patient/pt-1"},
                    "medicationCodeableConcept": concept,
                }
            }
        )
    return {"resourceType": "Bundle", "type": "collection", "entry": entries}


def test_order_select_ribociclib_long_qtc(client: TestClient) -> None:
    """Ordering ribociclib for a patient with a long QTcF gives a critical card that suggests
    removing the order."""
    body = _hook(
        "order-select",
        sample_prefetch(qtcf_ms=480),
        selections=["MedicationRequest/mr-1"],
        draftOrders=_draft(("mr-1", "1873916", "Kisqali 200 mg")),
    )
    cards = client.post(OS, json=body).json()["cards"]
    card = next(c for c in cards if "test.safety.ribociclib-qtc" in c["source"]["label"])
    _check_card(card)
    assert card["indicator"] == "critical"
    action = card["suggestions"][0]["actions"][0]
    assert action == {
        "type": "delete",
        "description": "Remove MedicationRequest/mr-1",
        "resourceId": ["MedicationRequest/mr-1"],
    }


def test_order_select_undecided_check_asks_for_data(client: TestClient) -> None:
    """With a normal QTcF but long-QT history unknown, the check cannot be decided: an info
    card names the missing data instead of a contraindication (three-valued, never False)."""
    body = _hook(
        "order-select", sample_prefetch(qtcf_ms=420), draftOrders=_draft(("mr-1", "1873916", "ribociclib"))
    )
    cards = client.post(OS, json=body).json()["cards"]
    card = next(c for c in cards if "ribociclib-qtc" in c["source"]["label"])
    assert card["indicator"] == "info"
    assert card["summary"].startswith("Check before ordering")
    assert "comorbidities" in card["detail"]
    assert "suggestions" not in card


def test_order_select_anthracycline_with_ongoing_trastuzumab(client: TestClient) -> None:
    """Ordering doxorubicin (by text) while trastuzumab is ongoing triggers the combination rule."""
    pre = sample_prefetch(her2_ihc="3+", er_percent=0, ongoing=(("224905", "trastuzumab"),))
    body = _hook("order-select", pre, draftOrders=_draft(("mr-9", None, "Doxorubicin 60 mg/m2 IV")))
    cards = client.post(OS, json=body).json()["cards"]
    card = next(c for c in cards if "antiher2-anthracycline" in c["source"]["label"])
    assert card["indicator"] == "critical"
    assert card["suggestions"][0]["actions"][0]["resourceId"] == ["MedicationRequest/mr-9"]


def test_order_select_unknown_drug_is_info(client: TestClient) -> None:
    """An order mbc cannot identify yields an info card saying it was not checked."""
    body = _hook("order-select", sample_prefetch(), draftOrders=_draft(("mr-2", None, "Unobtainium 5 mg")))
    cards = client.post(OS, json=body).json()["cards"]
    assert [c["indicator"] for c in cards] == ["info"]
    assert "Unobtainium" in cards[0]["summary"]


def test_feedback_is_audited(client: TestClient) -> None:
    """Feedback on a card is recorded as an audit event."""
    fb = {
        "feedback": [
            {
                "card": "c-1",
                "outcome": "overridden",
                "outcomeTimestamp": "2026-11-01T10:00:00Z",
                "overrideReason": {"reason": {"code": "benefit-outweighs-risk"}},
            }
        ]
    }
    resp = client.post(f"{OS}/feedback", json=fb)
    assert resp.json() == {"ok": True, "recorded": 1}
    rows = client.app.state.services.store.audit_rows()  # type: ignore[attr-defined]
    fbrow = next(r for r in rows if r.event == "cds_feedback")
    assert fbrow.detail["override"] == "benefit-outweighs-risk"


# ---------------------------------------------------------------------------- JWT


@pytest.fixture
def signer() -> TokenSigner:
    """A CDS client's signing key."""
    return TokenSigner()


@pytest.fixture
def secured(make_client: Callable[..., TestClient], signer: TokenSigner) -> TestClient:
    """An app with CDS auth on, trusting the signer's issuer (JWKS given inline)."""
    return make_client(cds_auth="on", cds_jwks={signer.issuer: signer.jwks()}, sign_cds=False, role=None)


def _call(c: TestClient, token: str) -> httpx.Response:
    return c.post(
        PV, json=_hook("patient-view", sample_prefetch()), headers={"Authorization": f"Bearer {token}"}
    )


def test_jwt_valid_token_accepted(secured: TestClient, signer: TokenSigner) -> None:
    """A token signed by the trusted issuer for this service's URL is accepted."""
    assert _call(secured, signer.sign(f"{BASE}{PV}")).status_code == 200


def _reason(resp: httpx.Response) -> str:
    assert resp.status_code == 401, resp.text
    return str(resp.json()["errors"][0]["type"])


def test_jwt_bad_signature_rejected(secured: TestClient, signer: TokenSigner) -> None:
    """A token signed by another key under the trusted kid is rejected."""
    forger = TokenSigner(issuer=signer.issuer, kid=signer.kid)
    assert _reason(_call(secured, forger.sign(f"{BASE}{PV}"))) == "bad_signature"


def test_jwt_wrong_audience_rejected(secured: TestClient, signer: TokenSigner) -> None:
    """A token addressed to another service is rejected."""
    assert _reason(_call(secured, signer.sign(f"{BASE}{OS}"))) == "wrong_audience"


def test_jwt_expired_rejected(secured: TestClient, signer: TokenSigner) -> None:
    """An expired token (beyond the clock-skew leeway) is rejected."""
    assert _reason(_call(secured, signer.sign(f"{BASE}{PV}", expires_in=-600))) == "expired_token"


def test_jwt_replay_rejected(secured: TestClient, signer: TokenSigner) -> None:
    """The same jti cannot be used twice."""
    token = signer.sign(f"{BASE}{PV}", jti="once")
    assert _call(secured, token).status_code == 200
    assert _reason(_call(secured, token)) == "replayed_token"


def test_jwt_untrusted_issuer_and_missing_token(secured: TestClient) -> None:
    """Tokens from unknown issuers, and calls without a token, are rejected."""
    stranger = TokenSigner(issuer="https://other.example.test")
    assert _reason(_call(secured, stranger.sign(f"{BASE}{PV}"))) == "untrusted_issuer"
    assert _reason(secured.post(PV, json=_hook("patient-view", sample_prefetch()))) == "missing_token"


def test_jwt_missing_jti_rejected(secured: TestClient, signer: TokenSigner) -> None:
    """A token without a jti claim is rejected."""
    token = signer.sign(f"{BASE}{PV}", claims={"jti": None})
    assert _reason(_call(secured, token)) in {"missing_claim", "invalid_token"}


def test_jwt_jku_must_be_the_trusted_url(make_client: Callable[..., TestClient], signer: TokenSigner) -> None:
    """The JWKS is fetched from the issuer's trusted URL; a different jku is refused."""
    jwks_url = "https://ehr.example.test/.well-known/jwks.json"
    fetched: list[str] = []

    def handler(req: httpx.Request) -> httpx.Response:
        fetched.append(str(req.url))
        return httpx.Response(200, json=signer.jwks())

    c = make_client(
        cds_auth="on",
        role=None,
        sign_cds=False,
        cds_trusted_issuers={signer.issuer: jwks_url},
        http_factory=lambda: httpx.Client(transport=httpx.MockTransport(handler)),
    )
    assert _call(c, signer.sign(f"{BASE}{PV}", jku=jwks_url)).status_code == 200
    assert fetched == [jwks_url]
    assert _reason(_call(c, signer.sign(f"{BASE}{PV}", jku="https://evil.test/jwks"))) == "untrusted_jku"
    assert fetched == [jwks_url]  # the untrusted jku was never fetched


def test_jwt_checked_on_feedback(secured: TestClient, signer: TokenSigner) -> None:
    """The feedback endpoint requires a valid token too."""
    fb = {"feedback": [{"card": "c", "outcome": "accepted"}]}
    assert secured.post(f"{PV}/feedback", json=fb).status_code == 401
    ok = secured.post(
        f"{PV}/feedback", json=fb, headers={"Authorization": f"Bearer {signer.sign(f'{BASE}{PV}')}"}
    )
    assert ok.status_code == 200


def test_auth_off_accepts_unsigned_calls(make_client: Callable[..., TestClient]) -> None:
    """MBC_AUTH=off with MBC_CDS_AUTH=off (local development) accepts calls without a token."""
    dev = make_client(auth="off", cds_auth="off", sign_cds=False)
    assert dev.post(PV, json=_hook("patient-view", sample_prefetch())).status_code == 200


def test_cds_auth_off_is_ignored_while_sign_in_is_on(make_client: Callable[..., TestClient]) -> None:
    """MBC_CDS_AUTH=off does not open the hooks while sign-in is on (secure by default)."""
    c = make_client(cds_auth="off", sign_cds=False, role=None)
    assert c.post(PV, json=_hook("patient-view", sample_prefetch())).status_code == 401
    assert time.time() > 0


# ---------------------------------------------------------------------------- hardening (issue 13)


def test_jwt_audience_ignores_a_forged_host(secured: TestClient, signer: TokenSigner) -> None:
    """aud comes from MBC_PUBLIC_BASE_URL only: a token for another service with a Host
    header pointing at it is refused."""
    other = "https://other-service.test"
    resp = secured.post(
        PV,
        json=_hook("patient-view", sample_prefetch()),
        headers={"Authorization": f"Bearer {signer.sign(f'{other}{PV}')}", "Host": "other-service.test"},
    )
    assert resp.status_code == 401
    assert _reason(resp) == "wrong_audience"


def test_jwt_algorithm_must_fit_the_key(make_client: Callable[..., TestClient], signer: TokenSigner) -> None:
    """An RS256 token naming an EC key is a 401, not a 500."""
    from cryptography.hazmat.primitives.asymmetric import ec

    ec_key = ec.generate_private_key(ec.SECP384R1())
    import jwt as pyjwt

    ec_jwk = pyjwt.algorithms.ECAlgorithm.to_jwk(ec_key.public_key(), as_dict=True)
    ec_jwk.update({"kid": "ec-1"})
    jwks = {"keys": [*signer.jwks()["keys"], ec_jwk]}
    c = make_client(cds_jwks={signer.issuer: jwks}, sign_cds=False, role=None, raise_errors=False)
    resp = _call(c, signer.sign(f"{BASE}{PV}", kid="ec-1"))
    assert resp.status_code == 401
    assert _reason(resp) == "bad_algorithm"


def test_jwt_lifetime_is_at_most_five_minutes(secured: TestClient, signer: TokenSigner) -> None:
    resp = _call(secured, signer.sign(f"{BASE}{PV}", expires_in=3600))
    assert resp.status_code == 401
    assert _reason(resp) == "token_too_long"


def test_jwt_replay_is_refused_after_a_restart(
    make_client: Callable[..., TestClient], signer: TokenSigner, tmp_path: Any
) -> None:
    """The jti store is in the database: a second app over the same file refuses the token."""
    db = tmp_path / "replay.db"
    settings = {"cds_jwks": {signer.issuer: signer.jwks()}, "sign_cds": False, "role": None}
    token = signer.sign(f"{BASE}{PV}")
    assert _call(make_client(db=db, **settings), token).status_code == 200
    again = _call(make_client(db=db, **settings), token)
    assert again.status_code == 401 and _reason(again) == "replayed_token"


def test_no_configured_base_url_refuses_hooks(make_client: Callable[..., TestClient], signer: TokenSigner) -> None:
    c = make_client(public_base_url=None, cds_jwks={signer.issuer: signer.jwks()}, sign_cds=False, role=None)
    resp = _call(c, signer.sign(f"{BASE}{PV}"))
    assert resp.status_code == 401 and _reason(resp) == "no_audience"


def test_unreachable_jwks_is_not_refetched(make_client: Callable[..., TestClient], signer: TokenSigner) -> None:
    calls: list[str] = []

    def slow(req: httpx.Request) -> httpx.Response:
        calls.append(str(req.url))
        raise httpx.ReadTimeout("slow", request=req)

    c = make_client(
        cds_jwks={},
        cds_trusted_issuers={signer.issuer: "https://ehr.example.test/jwks"},
        http_factory=lambda: httpx.Client(transport=httpx.MockTransport(slow)),
        sign_cds=False,
        role=None,
    )
    for _ in range(4):
        resp = _call(c, signer.sign(f"{BASE}{PV}"))
        assert resp.status_code == 401 and _reason(resp) == "jwks_unavailable"
    assert len(calls) == 1
