"""CDS Hooks 2.0 authorization: verify the bearer JWT a CDS client sends.

The spec requires the service to check that the token is signed by a key of a trusted
issuer (``iss``), found by ``kid`` in the issuer's JWKS (``jku``, when present, must be that
issuer's allowed JWKS URL), that ``aud`` is the service's own URL, that it is not expired
(``exp``), and that ``jti`` is not replayed. Trusted issuers and their JWKS come from
:class:`~mbc.api.settings.Settings`; ``MBC_CDS_AUTH=off`` turns the check off for local
development, and only while sign-in is off too (``MBC_AUTH=off``).

Hardening: the audience is built from the configured ``MBC_PUBLIC_BASE_URL`` only (never
the request's Host header); the algorithm must belong to the key's type; the token may
live at most ``cds_max_token_lifetime_s`` (``exp - iat``); ``jti`` values are kept in the
database until they expire (replays are refused across restarts and workers); JWKS
fetches have a timeout and failures are remembered (:class:`~mbc.api.auth.jwks.JsonCache`);
any other verification problem is a 401, never a 500.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any

import httpx
import jwt

from mbc.api.auth.jwks import FetchError, JsonCache, alg_matches_key
from mbc.api.errors import ApiError, UnauthorizedError
from mbc.errors import Problem
from mbc.service.replay import seen_before
from mbc.service.settings import Settings

if TYPE_CHECKING:
    from mbc.service.store import Store

__all__ = ["ALGORITHMS", "JWTVerifier"]

# CDS Hooks 2.0: services SHALL support ES384 and RS384; RS256/ES256 are widely used too.
ALGORITHMS = ("RS384", "ES384", "RS256", "ES256", "RS512", "ES512")


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
        cache: JsonCache | None = None,
        store: Store | None = None,
    ) -> None:
        self.settings = settings
        self._http = http or (lambda: httpx.Client(timeout=settings.fhir_timeout_s))
        self._clock = clock
        self._cache = cache or JsonCache(
            self._http, timeout_s=settings.jwks_timeout_s, negative_ttl_s=settings.jwks_negative_ttl_s
        )
        self._store = store
        self._seen: dict[str, float] = {}

    @property
    def enabled(self) -> bool:
        """Whether tokens are checked (always while sign-in is on)."""
        return self.settings.cds_auth == "on" or self.settings.auth_on

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
        try:
            doc = self._cache.get(url)
        except FetchError:
            raise _deny("the issuer's JWKS could not be fetched", "jwks_unavailable") from None
        if not isinstance(doc.get("keys"), list):
            raise _deny("the issuer's JWKS is malformed", "jwks_unavailable")
        return doc

    def verify(self, authorization: str | None, *, audience: str | list[str]) -> dict[str, Any]:
        """Verify an ``Authorization: Bearer <jwt>`` header (blocking: may fetch a JWKS).

        Any failure is an :class:`UnauthorizedError` (401), never another error.
        """
        try:
            return self._verify(authorization, audience=audience)
        except ApiError:
            raise
        except Exception as exc:  # fail closed: whatever went wrong, the token is refused
            raise _deny(f"the token could not be verified ({type(exc).__name__})") from None

    def _verify(self, authorization: str | None, *, audience: str | list[str]) -> dict[str, Any]:
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
        alg = header.get("alg")
        if alg not in ALGORITHMS:
            raise _deny("the token's signing algorithm is not accepted", "bad_algorithm")
        jwks = self._jwks_for(issuer, header.get("jku"))
        key = self._pick_key(jwks, header.get("kid"), str(alg))
        try:
            claims: dict[str, Any] = jwt.decode(
                token,
                key=key,
                algorithms=[str(alg)],
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
        try:
            lifetime = float(claims["exp"]) - float(claims["iat"])
        except (TypeError, ValueError):
            raise _deny("the token's exp / iat are not numbers", "missing_claim") from None
        if lifetime > self.settings.cds_max_token_lifetime_s:
            raise _deny(
                f"the token lives longer than {self.settings.cds_max_token_lifetime_s} s", "token_too_long"
            )
        self._check_replay(f"{issuer}|{claims['jti']}", float(claims["exp"]))
        return claims

    def _pick_key(self, jwks: Mapping[str, Any], kid: str | None, alg: str) -> Any:
        keys = [k for k in jwks.get("keys", []) if isinstance(k, dict)]
        if kid is not None:
            keys = [k for k in keys if k.get("kid") == kid]
        if not keys:
            raise _deny("no key of the issuer matches the token's kid", "unknown_kid")
        if len(keys) > 1 and kid is None:
            raise _deny("the token has no kid and the issuer has several keys", "unknown_kid")
        if not alg_matches_key(alg, keys[0]):
            raise _deny("the token's algorithm does not fit the key's type", "bad_algorithm")
        try:
            return jwt.PyJWK(keys[0], algorithm=alg).key
        except Exception:
            raise _deny("the issuer's key cannot be read", "jwks_unavailable") from None

    def _check_replay(self, key: str, exp: float) -> None:
        keep_until = exp + self.settings.cds_clock_skew_s
        if self._store is not None:
            replayed = seen_before(self._store, key, keep_until, now=self._clock())
        else:  # no store (a verifier used alone): remember in memory
            now = self._clock()
            for old in [j for j, e in self._seen.items() if e < now]:
                del self._seen[old]
            replayed = key in self._seen
            self._seen[key] = keep_until
        if replayed:
            raise _deny("the token has already been used (jti replay)", "replayed_token")
