"""Sign-in and roles with auth ON, against a local identity provider (no network).

The attacker's view: no route but /v1/ping, the CDS discovery document, static assets and
the sign-in routes answers an anonymous request; each role is held to its rights; forged,
expired, mis-addressed and algorithm-confused tokens are refused with 401 (never 500);
session posts need the CSRF token and a same-site Origin.
"""

from __future__ import annotations

import json
import re
import warnings
from collections.abc import Callable
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import jwt
import pytest

with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    from fastapi.testclient import TestClient

from mbc.api.pytest_plugin import api_key
from mbc.api.testing import TEST_BASE, make_test_app
from mbc.api.testing_idp import FakeIdP
from mbc.knowledge import KnowledgeBase

FIXTURES = Path(__file__).parent / "fixtures"
RECORD = json.loads((FIXTURES / "her2pos-first-line.json").read_text())


@pytest.fixture
def idp() -> FakeIdP:
    return FakeIdP()


@pytest.fixture
def app(tmp_path: Path, fixture_kb: KnowledgeBase, idp: FakeIdP) -> Any:
    import httpx

    return make_test_app(
        tmp_path / "auth.db",
        fixture_kb,
        oidc_issuer=idp.issuer,
        oidc_client_id=idp.client_id,
        oidc_transport=idp.transport(),
        http_factory=lambda: httpx.Client(transport=idp.transport()),
    )


def _client(app: Any) -> TestClient:
    c = TestClient(app, base_url=TEST_BASE, raise_server_exceptions=False)
    c.__enter__()
    return c


def sign_in(app: Any, idp: FakeIdP, user: str) -> TestClient:
    """The whole browser flow: /auth/login -> IdP authorize (PKCE) -> /auth/callback."""
    c = _client(app)
    start = c.get("/auth/login?next=/", follow_redirects=False)
    assert start.status_code == 302, start.text
    back = idp.authorize(start.headers["location"], user)
    done = c.get(back.removeprefix(TEST_BASE), follow_redirects=False)
    assert done.status_code in (303, 403), done.text
    return c


def _csrf(page: str) -> str:
    m = re.search(r'name="_csrf" value="([^"]+)"', page)
    assert m, "the form carries a CSRF token"
    return m.group(1)


# ---------------------------------------------------------------------------- anonymous


def all_routes(app: Any) -> list[tuple[str, set[str]]]:
    """(path, methods) of every route, included routers expanded."""
    out: list[tuple[str, set[str]]] = []
    for route in app.routes:
        inner = getattr(route, "original_router", None)
        if inner is not None:
            out += [(inner.prefix + r.path, set(r.methods or ())) for r in inner.routes]
        elif getattr(route, "methods", None):
            out.append((route.path, set(route.methods)))
    return out


def test_anonymous_reaches_only_public_routes(app: Any) -> None:
    """Every route of the app, called without credentials: only the public ones answer."""
    c = _client(app)
    public = {"/v1/ping", "/cds-services", "/auth/login", "/auth/callback"}
    seen = 0
    for path, methods in all_routes(app):
        concrete = re.sub(r"\{[^}]+\}", "mbc-patient-view" if path.startswith("/cds") else "x", path)
        for method in methods - {"HEAD"}:
            if path.startswith("/static") or concrete in public:
                continue
            resp = c.request(method, concrete, headers={"accept": "application/json"})
            assert resp.status_code == 401, (method, path, resp.status_code)
            assert resp.json()["ok"] is False
            seen += 1
    assert seen >= 20
    assert c.get("/v1/ping").status_code == 200
    assert c.get("/cds-services").status_code == 200
    assert c.get("/static/style.css").status_code == 200


def test_anonymous_page_request_is_sent_to_sign_in(app: Any) -> None:
    c = _client(app)
    resp = c.get("/cases/abc", headers={"accept": "text/html"}, follow_redirects=False)
    assert resp.status_code == 303
    assert resp.headers["location"] == "/auth/login?next=%2Fcases%2Fabc"


# ---------------------------------------------------------------------------- OIDC web sign-in


def test_oidc_code_flow_with_pkce_signs_in_and_audits_the_person(app: Any, idp: FakeIdP) -> None:
    c = sign_in(app, idp, "ada")
    assert "POST /token" in idp.requests  # the code was exchanged (with the PKCE verifier)
    me = c.get("/auth/me").json()
    assert me == {"subject": "u-ada", "name": "Dr Ada", "role": "clinician", "via": "session"}
    page = c.get("/cases/new")
    assert page.status_code == 200
    assert "Dr Ada (clinician)" in page.text
    token = _csrf(page.text)
    form = {"_csrf": token, "id": "web-1", "er": "positive", "her2": "negative"}
    saved = c.post("/cases", data=form, headers={"origin": TEST_BASE}, follow_redirects=False)
    assert saved.status_code == 303, saved.text
    case_id = saved.headers["location"].rsplit("/", 1)[1]
    assert c.get(f"/cases/{case_id}").status_code == 200
    actors = {r.actor for r in app.state.services.store.audit_rows(case_id=case_id)}
    assert actors == {"session:u-ada"}
    events = [r.event for r in app.state.services.store.audit_rows()]
    assert "signed_in" in events and "cases_listed" not in events


def test_callback_with_forged_state_is_refused(app: Any, idp: FakeIdP) -> None:
    c = _client(app)
    start = c.get("/auth/login", follow_redirects=False)
    back = idp.authorize(start.headers["location"], "ada").replace("state=", "state=forged")
    assert c.get(back.removeprefix(TEST_BASE), follow_redirects=False).status_code == 401
    assert c.get("/auth/me").status_code == 401


def test_user_without_role_gets_no_session(app: Any, idp: FakeIdP) -> None:
    c = sign_in(app, idp, "nobody")
    assert c.get("/auth/me").status_code == 401


def test_pkce_is_sent(app: Any) -> None:
    c = _client(app)
    q = parse_qs(urlsplit(c.get("/auth/login", follow_redirects=False).headers["location"]).query)
    assert q["code_challenge_method"] == ["S256"] and len(q["code_challenge"][0]) >= 43


# ---------------------------------------------------------------------------- CSRF


def test_session_posts_need_csrf_token_and_same_origin(app: Any, idp: FakeIdP) -> None:
    c = sign_in(app, idp, "ada")
    token = _csrf(c.get("/cases/new").text)
    form = {"id": "x-1", "er": "positive"}
    assert c.post("/cases", data=form, follow_redirects=False).status_code == 403  # no token
    for guess in ("guess", "é" * 10, "\x00"):
        bad = c.post("/cases", data={**form, "_csrf": guess}, follow_redirects=False)
        assert bad.status_code == 403
    assert (
        c.post(
            "/cases", data=form, headers={"x-csrf-token": "ü".encode("latin-1")}, follow_redirects=False
        ).status_code
        == 403
    )
    evil = c.post(
        "/cases",
        data={**form, "_csrf": token},
        headers={"origin": "https://evil.test"},
        follow_redirects=False,
    )
    assert evil.status_code == 403
    ok = c.post("/cases", data={**form, "_csrf": token}, follow_redirects=False)
    assert ok.status_code == 303
    # a JSON API route cannot be driven by a cross-site form (text/plain body)
    plain = c.post("/v1/cases", content=b'{"record": {}}', headers={"content-type": "text/plain"})
    assert plain.status_code == 403


def test_session_cookie_is_samesite_and_httponly(
    tmp_path: Path, fixture_kb: KnowledgeBase, idp: FakeIdP
) -> None:
    import httpx

    app = make_test_app(
        tmp_path / "c.db",
        fixture_kb,
        oidc_issuer=idp.issuer,
        oidc_client_id=idp.client_id,
        oidc_transport=idp.transport(),
        http_factory=lambda: httpx.Client(transport=idp.transport()),
        cookie_secure=True,
    )
    c = _client(app)
    cookie = c.get("/auth/login", follow_redirects=False).headers["set-cookie"].lower()
    assert "samesite=lax" in cookie and "httponly" in cookie and "secure" in cookie


# ---------------------------------------------------------------------------- roles


def test_roles(app: Any) -> None:
    keys = {r: api_key(app, r) for r in ("viewer", "clinician", "admin")}
    c = _client(app)

    def call(role: str, method: str, url: str, **kw: Any) -> int:
        return c.request(method, url, headers={"Authorization": f"Bearer {keys[role]}"}, **kw).status_code

    assert call("clinician", "POST", "/v1/cases", json={"record": RECORD}) == 201
    cid = c.get("/v1/cases", headers={"Authorization": f"Bearer {keys['viewer']}"}).json()["cases"][0]["id"]
    assert call("viewer", "GET", f"/v1/cases/{cid}") == 200
    assert call("viewer", "GET", f"/v1/cases/{cid}/plan") == 200
    assert call("viewer", "POST", "/v1/cases", json={"record": RECORD}) == 403
    assert call("viewer", "POST", "/v1/plan", json=RECORD) == 403
    assert call("viewer", "PUT", f"/v1/cases/{cid}", json={"record": RECORD}) == 403
    assert call("clinician", "DELETE", f"/v1/cases/{cid}") == 403
    assert call("clinician", "GET", "/v1/admin/audit") == 403
    assert call("clinician", "POST", "/v1/admin/keys", json={"name": "x", "role": "admin"}) == 403
    assert call("admin", "GET", "/v1/admin/audit") == 200
    assert call("admin", "DELETE", f"/v1/cases/{cid}") == 204
    actors = {r.actor for r in app.state.services.store.audit_rows(case_id=cid)}
    assert all(a.startswith("api_key:") for a in actors) and len(actors) == 3


def test_api_keys_are_stored_hashed_and_revocable(app: Any) -> None:
    admin = api_key(app, "admin")
    c = _client(app)
    c.headers["Authorization"] = f"Bearer {admin}"
    made = c.post("/v1/admin/keys", json={"name": "lab script", "role": "viewer"}).json()
    token = made["token"]
    from sqlalchemy import text

    with app.state.services.store.read() as conn:
        stored = " ".join(str(v) for row in conn.execute(text("SELECT * FROM api_keys")) for v in row)
    assert token.split("_", 2)[2] not in stored
    viewer = {"Authorization": f"Bearer {token}"}
    assert c.get("/v1/cases", headers=viewer).status_code == 200
    assert c.delete(f"/v1/admin/keys/{made['id']}").status_code == 204
    assert c.get("/v1/cases", headers=viewer).status_code == 401
    assert c.get("/v1/cases", headers={"Authorization": f"Bearer {token[:-2]}xx"}).status_code == 401


# ---------------------------------------------------------------------------- bearer access tokens


def test_oidc_access_tokens(app: Any, idp: FakeIdP) -> None:
    c = _client(app)

    def status(token: str) -> int:
        return c.get("/v1/cases", headers={"Authorization": f"Bearer {token}"}).status_code

    assert status(idp.token_for("vic")) == 200
    assert status(idp.token_for("ada", audience="another-service")) == 401
    assert status(idp.token_for("ada", lifetime=-120)) == 401
    assert status(idp.token_for("ada", extra={"iss": "https://evil.test"})) == 401
    assert status(idp.token_for("nobody")) == 403
    forger = FakeIdP()
    assert status(forger.token_for("ada")) == 401  # same kid, another key
    # algorithm confusion: RS256 naming the EC key; HS256 keyed with the public key
    assert status(idp.token_for("ada", headers={"kid": "idp-ec"})) == 401
    pem = idp.key.public_key().public_bytes(
        encoding=__import__(
            "cryptography.hazmat.primitives.serialization", fromlist=["Encoding"]
        ).Encoding.PEM,
        format=__import__(
            "cryptography.hazmat.primitives.serialization", fromlist=["x"]
        ).PublicFormat.SubjectPublicKeyInfo,
    )
    claims = jwt.decode(idp.token_for("ada"), options={"verify_signature": False})
    hs = _hs256(claims, pem, idp.kid)
    assert status(hs) == 401
    assert status("not.a.jwt") == 401
    assert status("") == 401


def _hs256(claims: dict[str, Any], secret: bytes, kid: str) -> str:
    import base64
    import hashlib
    import hmac
    import json

    def b64(b: bytes) -> str:
        return base64.urlsafe_b64encode(b).rstrip(b"=").decode()

    head = b64(json.dumps({"alg": "HS256", "kid": kid, "typ": "JWT"}).encode())
    body = b64(json.dumps(claims).encode())
    sig = hmac.new(secret, f"{head}.{body}".encode(), hashlib.sha256).digest()
    return f"{head}.{body}.{b64(sig)}"


def test_unreachable_jwks_is_a_401_and_cached_negatively(tmp_path: Path, fixture_kb: KnowledgeBase) -> None:
    import httpx

    calls: list[str] = []

    def dead(req: httpx.Request) -> httpx.Response:
        calls.append(str(req.url))
        raise httpx.ConnectTimeout("slow", request=req)

    idp = FakeIdP()
    app = make_test_app(
        tmp_path / "d.db",
        fixture_kb,
        oidc_issuer=idp.issuer,
        oidc_client_id=idp.client_id,
        http_factory=lambda: httpx.Client(transport=httpx.MockTransport(dead)),
    )
    c = _client(app)
    for _ in range(5):
        r = c.get("/v1/cases", headers={"Authorization": f"Bearer {idp.token_for('ada')}"})
        assert r.status_code == 401
    assert len(calls) == 1  # failures are remembered, not refetched per request


# ---------------------------------------------------------------------------- headers, dev mode


def test_security_headers_and_no_store(client: TestClient) -> None:
    for url in ("/", "/v1/cases", "/v1/ping"):
        h = client.get(url).headers
        assert "frame-ancestors 'none'" in h["content-security-policy"]
        assert "script-src 'self'" in h["content-security-policy"]
        assert h["x-frame-options"] == "DENY"
        assert h["x-content-type-options"] == "nosniff"
        assert h["referrer-policy"] == "same-origin"
        assert h["cache-control"] == "no-store"
    assert client.get("/static/style.css").headers.get("cache-control") != "no-store"


def test_dev_mode_says_so_on_every_page(make_client: Callable[..., TestClient]) -> None:
    dev = make_client(auth="off", role=None)
    for url in ("/", "/cases/new", "/cases/paste"):
        assert "Development mode: sign-in is off" in dev.get(url).text
    signed = make_client()
    assert "Development mode" not in signed.get("/").text


def test_docs_are_served_without_a_cdn(client: TestClient) -> None:
    page = client.get("/docs").text
    assert "cdn" not in page.lower() and "http" not in page.split("<body>")[1]
    assert client.get("/static/swagger/swagger-ui-bundle.js").status_code == 200
    assert client.get("/redoc").status_code == 404
