"""Test seams for the served app (shipped, like httpx's mock transport).

* :func:`build_fixture_kb` makes a small, stable knowledge base: the shipped vocabularies
  and sources with a handful of fixture rules and safety checks (ids ``test.*``), so tests
  of the API, CDS Hooks and web page do not move when the clinical rules are edited.
* :class:`TokenSigner` signs CDS Hooks JWTs with a locally generated key and publishes its
  JWKS, for tests of the service's JWT checks.
* :func:`sample_prefetch` builds CDS Hooks prefetch (Patient, Observations,
  MedicationStatements) for a small synthetic patient.

The fixture rules are illustrative test data, not clinical advice.
"""

from __future__ import annotations

import datetime as dt
import importlib.resources
import os
import re
import shutil
import subprocess
import sys
import time
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

import jwt

from mbc.knowledge import KnowledgeBase, default_kb_path

if TYPE_CHECKING:
    import httpx
    from fastapi import FastAPI

__all__ = [
    "CHROMIUM",
    "CHROMIUM_ARGS",
    "TEST_BASE",
    "TODAY",
    "TokenSigner",
    "build_fixture_kb",
    "make_test_app",
    "provision_keys",
    "sample_prefetch",
    "start_server",
]

TODAY = dt.date(2026, 11, 1)
"""The pinned clock of test apps (records without ``as_of`` are planned for this day)."""


def _fixture(name: str) -> str:
    """A fixture KB file shipped beside this module (test data, read when a KB is built)."""
    return (importlib.resources.files("mbc.api") / "fixture_kb" / name).read_text(encoding="utf-8")


def build_fixture_kb(dest: Path, *, source: Path | None = None, version: str | None = None) -> Path:
    """Copy the KB without its rules and safety checks, and add the fixture ones.

    Args:
        dest: Directory to create (must not exist).
        source: KB to copy the vocabularies and sources from (default: the shipped KB).
        version: Write this KB_VERSION (default: keep the source's).

    Returns:
        ``dest``.
    """
    src = Path(source) if source is not None else default_kb_path()
    shutil.copytree(src.resolve(), dest, ignore=shutil.ignore_patterns("rules", "safety", "trials", "*.pyc"))
    (dest / "rules").mkdir()
    (dest / "safety").mkdir()
    (dest / "rules" / "test.yaml").write_text(_fixture("rules.yaml"), encoding="utf-8")
    (dest / "safety" / "test.yaml").write_text(_fixture("safety.yaml"), encoding="utf-8")
    if version is not None:
        (dest / "KB_VERSION").write_text(version + "\n", encoding="utf-8")
    return dest


class TokenSigner:
    """Signs CDS Hooks client JWTs (RS384) with a freshly generated RSA key.

    Args:
        issuer: The ``iss`` claim.
        kid: The key id in the JWT header and the JWKS.
    """

    def __init__(self, issuer: str = "https://ehr.example.test", kid: str = "test-key-1") -> None:
        from cryptography.hazmat.primitives.asymmetric import rsa

        self.issuer = issuer
        self.kid = kid
        self.key = rsa.generate_private_key(public_exponent=65537, key_size=2048)

    def jwks(self) -> dict[str, Any]:
        """The public JWKS of the signing key."""
        public = jwt.algorithms.RSAAlgorithm.to_jwk(self.key.public_key(), as_dict=True)
        public.update({"kid": self.kid, "alg": "RS384", "use": "sig"})
        return {"keys": [public]}

    def sign(
        self,
        audience: str,
        *,
        expires_in: float = 300,
        issuer: str | None = None,
        jku: str | None = None,
        jti: str | None = None,
        kid: str | None = None,
        key: Any = None,
        claims: dict[str, Any] | None = None,
    ) -> str:
        """A signed token for ``audience`` (override any part to make a bad one)."""
        now = int(time.time())
        payload = {
            "iss": issuer or self.issuer,
            "sub": "test-client",
            "aud": audience,
            "iat": now,
            "exp": now + int(expires_in),
            "jti": jti or uuid.uuid4().hex,
            **(claims or {}),
        }
        headers = {"kid": kid or self.kid, "typ": "JWT"}
        if jku:
            headers["jku"] = jku
        return jwt.encode(payload, key or self.key, algorithm="RS384", headers=headers)


def _obs(rid: str, code: str, value: dict[str, Any], when: str = "2026-10-20") -> dict[str, Any]:
    return {
        "resourceType": "Observation",
        "id": rid,
        "status": "final",
        "subject": {"reference": "Patient/pt-1"},
        "effectiveDateTime": when,
        "code": {"coding": [{"system": "http://loinc.org", "code": code}]},
        **value,
    }


def _pct(v: float) -> dict[str, Any]:
    return {"valueQuantity": {"value": v, "unit": "%", "system": "http://unitsofmeasure.org", "code": "%"}}


def sample_prefetch(
    *,
    her2_ihc: str = "0",
    er_percent: float = 90,
    qtcf_ms: float | None = None,
    ongoing: tuple[tuple[str, str], ...] = (),
) -> dict[str, Any]:
    """Prefetch for a synthetic patient ``pt-1`` (searchset Bundles, like an EHR sends).

    Args:
        her2_ihc: HER2 IHC score.
        er_percent: ER percentage.
        qtcf_ms: QTcF, if measured.
        ongoing: (RxNorm code, name) of ongoing medication statements.

    Returns:
        ``{"patient": ..., "observations": Bundle, "conditions": Bundle, "medications": Bundle}``.
    """
    obs = [
        _obs("er", "85329-1", _pct(er_percent)),
        _obs("pr", "85325-9", _pct(20)),
        _obs("her2", "85319-2", {"valueString": her2_ihc}),
    ]
    if qtcf_ms is not None:
        obs.append(
            _obs(
                "qtc",
                "8636-3",
                {
                    "valueQuantity": {
                        "value": qtcf_ms,
                        "unit": "ms",
                        "system": "http://unitsofmeasure.org",
                        "code": "ms",
                    }
                },
            )
        )
    meds = [
        {
            "resourceType": "MedicationStatement",
            "id": f"ms-{i}",
            "status": "active",
            "subject": {"reference": "Patient/pt-1"},
            "effectivePeriod": {"start": "2026-10-01"},
            "medicationCodeableConcept": {
                "coding": [
                    {"system": "http://www.nlm.nih.gov/research/umls/rxnorm", "code": code, "display": name}
                ]
            },
        }
        for i, (code, name) in enumerate(ongoing)
    ]

    def searchset(resources: list[dict[str, Any]]) -> dict[str, Any]:
        return {"resourceType": "Bundle", "type": "searchset", "entry": [{"resource": r} for r in resources]}

    return {
        "patient": {"resourceType": "Patient", "id": "pt-1", "gender": "female", "birthDate": "1968-03-02"},
        "observations": searchset(obs),
        "conditions": searchset([]),
        "medications": searchset(meds),
    }


TEST_BASE = "http://testserver"
"""The base URL of test apps (the TestClient's), configured as ``public_base_url``."""


def make_test_app(
    db_path: Path,
    kb: KnowledgeBase,
    *,
    http_factory: Callable[[], httpx.Client] | None = None,
    oidc_transport: httpx.AsyncBaseTransport | None = None,
    **settings: Any,
) -> FastAPI:
    """An app over a fresh SQLite file, a given KB and the pinned clock. Sign-in is ON (as in
    production); callers sign in (an API key, a fake IdP) or pass ``auth="off"``. The rate
    limit is off and cookies are allowed over http (the TestClient's). No ``.env`` file is read.

    Args:
        db_path: The SQLite file to use.
        kb: The knowledge base.
        http_factory: HTTP client factory for FHIR reads / JWKS fetches (a fake in tests).
        oidc_transport: Transport of the OIDC sign-in client (a :class:`FakeIdP`'s).
        **settings: Overrides of :class:`~mbc.api.settings.Settings` fields.

    Returns:
        The app (use it with ``fastapi.testclient.TestClient``).
    """
    from mbc.app import create_app
    from mbc.service.settings import Settings

    values: dict[str, Any] = {
        "database_url": f"sqlite:///{db_path}",
        "secret_key": "test-secret-" + "x" * 32,
        "public_base_url": TEST_BASE,
        "rate_limit_per_s": 0,
        "cookie_secure": False,
        "warm_note_reader": False,  # tests that read notes load the reader themselves
        **settings,
    }
    conf = Settings(_env_file=None, **values)
    return create_app(
        conf, kb=kb, today=lambda: TODAY, http_factory=http_factory, oidc_transport=oidc_transport
    )


_MAIN = "import sys; from mbc.cli import main; sys.exit(main(sys.argv[1:]))"
_ADDR = re.compile(r"mbc serving at (http://127\.0\.0\.1:\d+)/")


def provision_keys(
    db: Path, secret: str, roles: tuple[str, ...] = ("viewer", "clinician", "admin")
) -> dict[str, str]:
    """Create one API key per role in the SQLite store at ``db`` (before a server starts on it).

    Returns:
        role -> bearer token.
    """
    from mbc.service.keys import create_key, derive_key
    from mbc.service.store import Store

    store = Store(f"sqlite:///{db}", audit_key=derive_key(secret.encode(), "audit"))
    try:
        return {r: create_key(store, name=f"bench {r}", role=r, actor="provision")[1] for r in roles}  # type: ignore[arg-type]
    finally:
        store.close()


def start_server(
    db: Path,
    kb: Path,
    *,
    env: dict[str, str] | None = None,
    timeout: float = 30.0,
    port: int = 0,
    args: tuple[str, ...] = (),
) -> tuple[subprocess.Popen[str], str]:
    """Run ``mbc serve --port 0`` and return the process and its base URL (development mode,
    ``MBC_AUTH=off``, unless ``env`` says otherwise)."""
    proc_env = {
        **os.environ,
        "MBC_AUTH": "off",
        "MBC_CDS_AUTH": "off",
        "MBC_RATE_LIMIT_PER_S": "0",
        "MBC_SECRET_KEY": "test-secret-" + "x" * 32,
        "MBC_LOG_FORMAT": "json",
        **(env or {}),
    }
    proc = subprocess.Popen(
        [
            sys.executable,
            "-c",
            _MAIN,
            "serve",
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
            "--db",
            f"sqlite:///{db}",
            "--kb",
            str(kb),
            "--no-examples",
            *args,
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
        env=proc_env,
    )
    assert proc.stdout is not None
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        line = proc.stdout.readline()
        if not line:
            if proc.poll() is not None:
                raise RuntimeError(f"server exited with {proc.returncode}")
            continue
        m = _ADDR.search(line)
        if m:
            return proc, m.group(1)
    proc.kill()
    raise RuntimeError("server did not start in time")


CHROMIUM = "/usr/bin/chromium"
"""Debian's Chromium, which the browser tests drive (installed by .ci/run)."""
CHROMIUM_ARGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
)
"""Flags for a headless, offline Chromium in the browser tests (no update or sync traffic)."""
