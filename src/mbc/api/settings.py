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
