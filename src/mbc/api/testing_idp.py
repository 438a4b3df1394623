"""A local OpenID Connect identity provider for tests (no network).

:class:`FakeIdP` answers discovery, JWKS, and the token endpoint through an
``httpx.MockTransport`` (usable by sync and async clients), and plays the authorize
endpoint in :meth:`FakeIdP.authorize`: it checks the request (client, redirect URI, PKCE
S256 challenge, nonce, state) and returns the redirect back to the app with a one-time
code. The token endpoint checks the code, the redirect URI and the PKCE verifier, and
issues an RS256 ID token and access token for the user.
"""

from __future__ import annotations

import base64
import hashlib
import secrets
import time
from typing import Any
from urllib.parse import parse_qs, urlencode, urlsplit

import httpx
import jwt

__all__ = ["FakeIdP"]


class FakeIdP:
    """An in-process identity provider.

    Args:
        issuer: The issuer URL.
        client_id: The one registered client.
        users: username -> claims (``sub``, ``name``, ``roles`` ...).
    """

    def __init__(
        self,
        issuer: str = "https://idp.test",
        client_id: str = "mbc",
        users: dict[str, dict[str, Any]] | None = None,
    ) -> None:
        from cryptography.hazmat.primitives.asymmetric import ec, rsa

        self.issuer = issuer
        self.client_id = client_id
        self.kid = "idp-rsa"
        self.key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        self.ec_key = ec.generate_private_key(ec.SECP256R1())
        self.users = users or {
            "ada": {"sub": "u-ada", "name": "Dr Ada", "roles": ["mbc-clinician"]},
            "vic": {"sub": "u-vic", "name": "Vic Viewer", "roles": ["mbc-viewer"]},
            "root": {"sub": "u-root", "name": "Ann Admin", "roles": ["mbc-admin"]},
            "nobody": {"sub": "u-nobody", "name": "No Role", "roles": []},
        }
        self._codes: dict[str, dict[str, Any]] = {}
        self.requests: list[str] = []

    # ------------------------------------------------------------------ documents

    def metadata(self) -> dict[str, Any]:
        """The discovery document."""
        return {
            "issuer": self.issuer,
            "authorization_endpoint": f"{self.issuer}/authorize",
            "token_endpoint": f"{self.issuer}/token",
            "jwks_uri": f"{self.issuer}/jwks",
            "response_types_supported": ["code"],
            "code_challenge_methods_supported": ["S256"],
            "id_token_signing_alg_values_supported": ["RS256"],
        }

    def jwks(self) -> dict[str, Any]:
        """The public keys: the RSA signing key and an EC key (for algorithm-confusion tests)."""
        rsa_jwk = jwt.algorithms.RSAAlgorithm.to_jwk(self.key.public_key(), as_dict=True)
        rsa_jwk.update({"kid": self.kid, "use": "sig", "alg": "RS256"})
        ec_jwk = jwt.algorithms.ECAlgorithm.to_jwk(self.ec_key.public_key(), as_dict=True)
        ec_jwk.update({"kid": "idp-ec", "use": "sig", "alg": "ES256"})
        return {"keys": [rsa_jwk, ec_jwk]}

    def token_for(
        self,
        user: str,
        *,
        audience: str | None = None,
        lifetime: int = 300,
        extra: dict[str, Any] | None = None,
        headers: dict[str, Any] | None = None,
        key: Any = None,
        algorithm: str = "RS256",
    ) -> str:
        """A signed access token for ``user`` (override parts to forge a bad one)."""
        now = int(time.time())
        claims = {
            "iss": self.issuer,
            "aud": audience or self.client_id,
            "iat": now,
            "exp": now + lifetime,
            **self.users[user],
            **(extra or {}),
        }
        return jwt.encode(
            claims, key or self.key, algorithm=algorithm, headers={"kid": self.kid, **(headers or {})}
        )

    # ------------------------------------------------------------------ endpoints

    def authorize(self, location: str, user: str) -> str:
        """Play the authorize endpoint: check the app's redirect, sign ``user`` in, and return
        the URL the browser is sent back to (``redirect_uri?code=...&state=...``)."""
        q = {k: v[0] for k, v in parse_qs(urlsplit(location).query).items()}
        assert location.startswith(f"{self.issuer}/authorize"), location
        assert q.get("client_id") == self.client_id
        assert q.get("response_type") == "code"
        assert q.get("code_challenge_method") == "S256", "PKCE S256 is required"
        assert q.get("code_challenge") and q.get("nonce") and q.get("state")
        code = secrets.token_urlsafe(16)
        self._codes[code] = {**q, "user": user}
        return f"{q['redirect_uri']}?{urlencode({'code': code, 'state': q['state']})}"

    def _token(self, request: httpx.Request) -> httpx.Response:
        form = {k: v[0] for k, v in parse_qs(request.content.decode()).items()}
        grant = self._codes.pop(form.get("code", ""), None)
        if grant is None or form.get("grant_type") != "authorization_code":
            return httpx.Response(400, json={"error": "invalid_grant"})
        if form.get("redirect_uri") != grant["redirect_uri"]:
            return httpx.Response(400, json={"error": "invalid_grant", "error_description": "redirect_uri"})
        verifier = form.get("code_verifier", "")
        digest = base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest()).rstrip(b"=").decode()
        if digest != grant["code_challenge"]:
            return httpx.Response(400, json={"error": "invalid_grant", "error_description": "PKCE"})
        user = grant["user"]
        id_token = self.token_for(user, extra={"nonce": grant["nonce"]})
        return httpx.Response(
            200,
            json={
                "access_token": self.token_for(user),
                "id_token": id_token,
                "token_type": "Bearer",
                "expires_in": 300,
            },
        )

    def handle(self, request: httpx.Request) -> httpx.Response:
        """The IdP's HTTP endpoints (for ``httpx.MockTransport``)."""
        self.requests.append(f"{request.method} {request.url.path}")
        path = request.url.path
        if path == "/.well-known/openid-configuration":
            return httpx.Response(200, json=self.metadata())
        if path == "/jwks":
            return httpx.Response(200, json=self.jwks())
        if path == "/token" and request.method == "POST":
            return self._token(request)
        return httpx.Response(404, json={"error": "not_found"})

    def transport(self) -> httpx.MockTransport:
        """A transport that routes every request to this IdP."""
        return httpx.MockTransport(self.handle)
