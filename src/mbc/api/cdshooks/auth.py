"""CDS Hooks 2.0 authorization: verify the bearer JWT a CDS client sends.

The spec requires the service to check that the token is signed by a key of a trusted
issuer (``iss``), found by ``kid`` in the issuer's JWKS (``jku``, when present, must be that
issuer's allowed JWKS URL), that ``aud`` is the service's own URL, that it is not expired
(``exp``), and that ``jti`` is not replayed. Trusted issuers and their JWKS come from
:class:`~mbc.api.settings.Settings`; ``MBC_CDS_AUTH=off`` turns the check off for local
development.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Mapping
from typing import Any

import httpx
import jwt

from mbc.api.errors import UnauthorizedError
from mbc.api.settings import Settings
from mbc.errors import Problem

__all__ = ["ALGORITHMS", "JWTVerifier"]

# CDS Hooks 2.0: services SHALL support ES384 and RS384; RS256/ES256 are widely used too.
ALGORITHMS = ("RS384", "ES384", "RS256", "ES256", "RS512", "ES512")
_JWKS_TTL_S = 300.0


def _deny(msg: str, kind: str = "invalid_token") -> UnauthorizedError:
    return UnauthorizedError(
        f"CDS Hooks authorization failed: {msg}", [Problem(("authorization",), msg, kind)]
    )


class JWTVerifier:
    """Checks CDS client JWTs against the trusted issuers in the settings.

    Args:
        settings: App settings (``cds_trusted_issuers``, ``cds_jwks``, ``cds_clock_skew_s``).
        http: Factory of the HTTP client used to fetch a JWKS (tests inject a fake).
        clock: Seconds since the epoch (tests pin it).
    """

    def __init__(
        self,
        settings: Settings,
        *,
        http: Callable[[], httpx.Client] | None = None,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.settings = settings
        self._http = http or (lambda: httpx.Client(timeout=settings.fhir_timeout_s))
        self._clock = clock
        self._jwks: dict[str, tuple[float, dict[str, Any]]] = {}
        self._seen: dict[str, float] = {}
        self._lock = threading.Lock()

    @property
    def enabled(self) -> bool:
        """Whether tokens are checked."""
        return self.settings.cds_auth == "on"

    def _jwks_for(self, issuer: str, jku: str | None) -> Mapping[str, Any]:
        inline = self.settings.cds_jwks.get(issuer)
        allowed = self.settings.cds_trusted_issuers.get(issuer)
        if jku is not None and jku != allowed:
            raise _deny("the token's jku is not the trusted JWKS URL of its issuer", "untrusted_jku")
        if inline is not None and jku is None:
            return inline
        url = jku or allowed
        if url is None:
            if inline is not None:
                return inline
            raise _deny("no JWKS is configured for the issuer", "untrusted_issuer")
        now = self._clock()
        cached = self._jwks.get(url)
        if cached is not None and now - cached[0] < _JWKS_TTL_S:
            return cached[1]
        try:
            with self._http() as client:
                resp = client.get(url)
                resp.raise_for_status()
                doc = resp.json()
        except (httpx.HTTPError, ValueError):
            raise _deny("the issuer's JWKS could not be fetched", "jwks_unavailable") from None
        if not isinstance(doc, dict) or not isinstance(doc.get("keys"), list):
            raise _deny("the issuer's JWKS is malformed", "jwks_unavailable")
        self._jwks[url] = (now, doc)
        return doc

    def verify(self, authorization: str | None, *, audience: str | list[str]) -> dict[str, Any]:
        """Verify an ``Authorization: Bearer <jwt>`` header.

        Args:
            authorization: The header value (None when absent).
            audience: The URL(s) of the service being called (the accepted ``aud``).

        Returns:
            The verified claims (empty when auth is off).

        Raises:
            UnauthorizedError: For a missing, malformed, untrusted, expired, replayed or
                wrongly-addressed token.
        """
        if not self.enabled:
            return {}
        if not authorization or not authorization.lower().startswith("bearer "):
            raise _deny("a bearer token is required", "missing_token")
        token = authorization.split(" ", 1)[1].strip()
        try:
            header = jwt.get_unverified_header(token)
            unverified = jwt.decode(token, options={"verify_signature": False})
        except jwt.PyJWTError:
            raise _deny("the token is not a well-formed JWT") from None
        issuer = unverified.get("iss")
        if not isinstance(issuer, str) or (
            issuer not in self.settings.cds_trusted_issuers and issuer not in self.settings.cds_jwks
        ):
            raise _deny("the token's issuer is not trusted", "untrusted_issuer")
        if header.get("alg") not in ALGORITHMS:
            raise _deny("the token's signing algorithm is not accepted", "bad_algorithm")
        jwks = self._jwks_for(issuer, header.get("jku"))
        key = self._pick_key(jwks, header.get("kid"))
        try:
            claims: dict[str, Any] = jwt.decode(
                token,
                key=key,
                algorithms=list(ALGORITHMS),
                audience=audience,
                issuer=issuer,
                leeway=self.settings.cds_clock_skew_s,
                options={"require": ["iss", "aud", "exp", "iat", "jti"]},
            )
        except jwt.ExpiredSignatureError:
            raise _deny("the token has expired", "expired_token") from None
        except jwt.InvalidAudienceError:
            raise _deny("the token's audience is not this service", "wrong_audience") from None
        except jwt.InvalidSignatureError:
            raise _deny("the token's signature is invalid", "bad_signature") from None
        except jwt.MissingRequiredClaimError as exc:
            raise _deny(f"the token lacks the {exc.claim!r} claim", "missing_claim") from None
        except jwt.PyJWTError as exc:
            raise _deny(f"the token is invalid ({type(exc).__name__})") from None
        self._check_replay(str(claims["jti"]), float(claims["exp"]))
        return claims

    def _pick_key(self, jwks: Mapping[str, Any], kid: str | None) -> Any:
        keys = [k for k in jwks.get("keys", []) if isinstance(k, dict)]
        if kid is not None:
            keys = [k for k in keys if k.get("kid") == kid]
        if not keys:
            raise _deny("no key of the issuer matches the token's kid", "unknown_kid")
        if len(keys) > 1 and kid is None:
            raise _deny("the token has no kid and the issuer has several keys", "unknown_kid")
        try:
            return jwt.PyJWK(keys[0]).key
        except jwt.PyJWTError:
            raise _deny("the issuer's key cannot be read", "jwks_unavailable") from None

    def _check_replay(self, jti: str, exp: float) -> None:
        now = self._clock()
        with self._lock:
            for old in [j for j, e in self._seen.items() if e + self.settings.cds_clock_skew_s < now]:
                del self._seen[old]
            if jti in self._seen:
                raise _deny("the token has already been used (jti replay)", "replayed_token")
            self._seen[jti] = exp
