"""Settings of the served app (REST API, CDS Hooks, web page), read from the environment.

Every field is read from ``MBC_<FIELD>`` (or a ``.env`` file in the working directory) when
:class:`Settings` is instantiated, never at import time. ``create_app(Settings())`` is the
only place that happens in production; tests build ``Settings(...)`` directly.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

__all__ = ["Settings"]


class Settings(BaseSettings):
    """Configuration of ``mbc serve`` and :func:`mbc.api.create_app`.

    .. versionadded:: 0.1
    """

    # ``extra="ignore"`` rather than the house ``forbid``: the ``.env`` file and the
    # ``MBC_`` environment are shared with other mbc components (the CLI, the trial
    # matcher), whose settings this app must not reject.
    model_config = SettingsConfigDict(
        env_prefix="MBC_", env_file=".env", env_file_encoding="utf-8", extra="ignore"
    )

    database_url: str = Field(
        "sqlite:///mbc.db",
        description="SQLAlchemy URL of the case store: embedded SQLite (default, WAL mode) or "
        "postgresql+psycopg://user@host/db.",
    )
    kb_path: str | None = Field(
        None, description="Knowledge-base directory; default: the copy shipped with mbc."
    )
    public_base_url: str | None = Field(
        None,
        description="Base URL the app is reached at (for links in CDS cards and the JWT "
        "audience); default: taken from each request.",
    )
    max_body_bytes: int = Field(
        1_000_000, gt=0, description="Largest accepted request body, in bytes (413 above)."
    )
    cds_auth: Literal["on", "off"] = Field(
        "on",
        description="Verify the CDS Hooks bearer JWT (issuer, signature, aud, exp, jti). "
        "'off' only for local development.",
    )
    cds_trusted_issuers: dict[str, str] = Field(
        default_factory=dict,
        description="CDS client issuer (JWT 'iss') -> URL of its JWKS. A 'jku' header must equal this URL.",
    )
    cds_jwks: dict[str, dict[str, Any]] = Field(
        default_factory=dict,
        description="Issuer -> JWKS given inline (for offline deployments and tests); used "
        "instead of fetching the issuer's JWKS URL.",
    )
    cds_clock_skew_s: int = Field(
        60, ge=0, description="Leeway, in seconds, when checking the JWT 'exp' and 'iat'."
    )
    fhir_servers: list[str] = Field(
        default_factory=list,
        description="FHIR base URLs the CDS service may read from when prefetch is missing "
        "(the hook's fhirServer must be one of them); empty = never read.",
    )
    trial_registry: str | None = Field(
        None,
        description="Clinical-trial registry (a directory of ClinicalTrials.gov records or an "
        "SQLite db from `mbc trials load`); when set, every plan lists matching trials.",
    )
    fhir_timeout_s: float = Field(5.0, gt=0, description="Timeout of each FHIR read, seconds.")
    cors_origins: list[str] = Field(
        default_factory=list, description="Origins allowed to call the API from a browser."
    )
    log_format: Literal["json", "console"] = Field(
        "json", description="Structured log format (JSON lines or human-readable)."
    )
    id_salt: str = Field(
        "mbc",
        description="Salt of the hashed patient/case ids written to logs (never the raw id).",
    )
    load_examples: bool = Field(
        False, description="Load the bundled example cases at start-up (also when the store is empty)."
    )
    plan_cache_size: int = Field(
        512, ge=0, description="Plans kept in memory, keyed by input hash and KB version."
    )
    # ------------------------------------------------------------ sign-in and roles
    auth: Literal["on", "off"] = Field(
        "on",
        description="Sign-in and roles. 'off' is a local development mode (everyone is an "
        "admin, every page says so); it must be switched on explicitly (MBC_AUTH=off).",
    )
    oidc_issuer: str | None = Field(
        None,
        description="Issuer URL of the hospital's OpenID Connect identity provider (its "
        "/.well-known/openid-configuration is read); needed for web sign-in and access tokens.",
    )
    oidc_client_id: str | None = Field(None, description="OIDC client id of mbc at the identity provider.")
    oidc_client_secret: str | None = Field(
        None, description="OIDC client secret (empty for a public client; PKCE is always used)."
    )
    oidc_scopes: str = Field("openid profile email", description="Scopes asked for at sign-in.")
    oidc_audience: str | None = Field(
        None, description="Accepted 'aud' of bearer access tokens (default: the client id)."
    )
    oidc_roles_claim: str = Field(
        "roles",
        description="Claim holding the user's roles (a dotted path, e.g. realm_access.roles).",
    )
    oidc_role_map: dict[str, str] = Field(
        default_factory=lambda: {"mbc-admin": "admin", "mbc-clinician": "clinician", "mbc-viewer": "viewer"},
        description="Identity-provider role -> mbc role (viewer | clinician | admin); the highest wins.",
    )
    secret_key: str | None = Field(
        None,
        description="Secret for session cookies and the audit HMAC chain (kept outside the "
        "database). Default: read from secret_key_file.",
    )
    secret_key_file: str = Field(
        "mbc-secret.key",
        description="File holding the secret key (created with mode 0600 when missing).",
    )
    session_max_age_s: int = Field(8 * 3600, gt=0, description="Lifetime of a web sign-in, seconds.")
    cookie_secure: bool = Field(
        True, description="Send cookies over HTTPS only (turned off automatically when auth is off)."
    )
    # ------------------------------------------------------------ bounds
    rate_limit_per_s: float = Field(
        20.0, ge=0, description="Requests per second per client (token bucket; 0 = no limit)."
    )
    rate_limit_burst: int = Field(100, ge=1, description="Burst size of the per-client token bucket.")
    max_note_chars: int = Field(
        20_000,
        gt=0,
        description="Longest note or pasted source read, in characters (413 above); the note "
        "reader is superlinear, so this bounds the CPU one request can cost.",
    )
    max_json_depth: int = Field(64, gt=0, description="Deepest JSON nesting accepted (422 above).")
    warm_note_reader: bool = Field(
        True,
        description="Load the note reader's language pipeline at start-up, so that no request "
        "pays its one-time load (several seconds of CPU).",
    )
    plan_retention_days: int = Field(
        0,
        ge=0,
        description="Delete stored case-less plans older than this many days at start-up "
        "(0 = keep). Audit rows keep the plan hash.",
    )
    jwks_timeout_s: float = Field(3.0, gt=0, description="Timeout of a JWKS or OIDC metadata fetch.")
    jwks_negative_ttl_s: float = Field(
        60.0, ge=0, description="How long a failed JWKS fetch is remembered (no refetch), seconds."
    )
    cds_max_token_lifetime_s: int = Field(
        300, gt=0, description="Longest accepted CDS Hooks JWT lifetime (exp - iat), seconds."
    )

    @property
    def auth_on(self) -> bool:
        """Whether sign-in is required."""
        return self.auth != "off"
