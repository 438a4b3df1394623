"""API keys for REST clients (scripts, integrations), stored hashed, and the app secret.

A key reads ``mbc_<id>_<secret>``; only the SHA-256 of ``<secret>`` is stored (the secret is
256 random bits, so a fast hash is enough; comparison is constant-time). An admin creates
and revokes keys (``/v1/admin/keys`` or ``mbc keys``); each key has one role.

The app secret (session cookies, the audit HMAC chain) lives outside the database: the
``MBC_SECRET_KEY`` setting, else the file ``MBC_SECRET_KEY_FILE`` (created 0600 if missing).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import os
import secrets
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import Column, DateTime, String, Table, insert, select, update

from mbc.service.principal import ROLES, Principal, Role
from mbc.service.store import metadata

if TYPE_CHECKING:
    from mbc.service.settings import Settings
    from mbc.service.store import Store

__all__ = ["ApiKey", "create_key", "derive_key", "list_keys", "load_secret", "lookup_key", "revoke_key"]

api_keys = Table(
    "api_keys",
    metadata,
    Column("id", String(16), primary_key=True),
    Column("name", String(100), nullable=False),
    Column("role", String(16), nullable=False),
    Column("secret_sha256", String(64), nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("created_by", String(64), nullable=False),
    Column("revoked_at", DateTime(timezone=True), nullable=True),
)

_PREFIX = "mbc_"


@dataclass(frozen=True)
class ApiKey:
    """An API key's public part."""

    id: str
    name: str
    role: str
    created_at: str
    created_by: str
    revoked: bool


def _sha(secret: str) -> str:
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()


def create_key(store: Store, *, name: str, role: Role, actor: str) -> tuple[ApiKey, str]:
    """Create a key; return its public part and the token (shown once, never stored)."""
    if role not in ROLES:
        raise ValueError(f"unknown role {role!r}")
    kid = secrets.token_hex(6)
    secret = secrets.token_urlsafe(32)
    now = dt.datetime.now(dt.UTC)
    with store.write() as conn:
        conn.execute(
            insert(api_keys).values(
                id=kid,
                name=name[:100],
                role=role,
                secret_sha256=_sha(secret),
                created_at=now,
                created_by=actor[:64],
                revoked_at=None,
            )
        )
        store.append_audit(conn, event_name="key_created", actor=actor, detail={"key": kid, "role": role})
    key = ApiKey(kid, name[:100], role, now.isoformat(), actor[:64], False)
    return key, f"{_PREFIX}{kid}_{secret}"


def lookup_key(store: Store, token: str) -> Principal | None:
    """The principal of a valid, unrevoked key, else None."""
    if not token.startswith(_PREFIX):
        return None
    kid, _, secret = token[len(_PREFIX) :].partition("_")
    if not kid or not secret or len(kid) > 16:
        return None
    with store.read() as conn:
        row = conn.execute(select(api_keys).where(api_keys.c.id == kid)).first()
    if row is None:
        hmac.compare_digest(_sha(secret), "0" * 64)  # same work either way
        return None
    m = row._mapping
    if (
        not hmac.compare_digest(_sha(secret).encode(), str(m["secret_sha256"]).encode())
        or m["revoked_at"] is not None
    ):
        return None
    return Principal(subject=f"{kid}", name=str(m["name"]), role=m["role"], via="api_key")


def list_keys(store: Store) -> list[ApiKey]:
    """Every key's public part, newest first."""
    with store.read() as conn:
        rows = conn.execute(select(api_keys).order_by(api_keys.c.created_at.desc()))
        return [
            ApiKey(r.id, r.name, r.role, r.created_at.isoformat(), r.created_by, r.revoked_at is not None)
            for r in rows
        ]


def revoke_key(store: Store, kid: str, *, actor: str) -> bool:
    """Revoke a key; False if there is no such live key."""
    with store.write() as conn:
        n = conn.execute(
            update(api_keys)
            .where(api_keys.c.id == kid, api_keys.c.revoked_at.is_(None))
            .values(revoked_at=dt.datetime.now(dt.UTC))
        ).rowcount
        if n:
            store.append_audit(conn, event_name="key_revoked", actor=actor, detail={"key": kid})
    return bool(n)


def load_secret(settings: Settings) -> bytes:
    """The app secret: the setting, else the key file (created, mode 0600, when missing)."""
    if settings.secret_key:
        return settings.secret_key.encode("utf-8")
    path = Path(settings.secret_key_file)
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(secrets.token_hex(32) + "\n")
    value = path.read_text(encoding="utf-8").strip()
    if len(value) < 32:
        raise ValueError(f"the secret key in {path} is too short (at least 32 characters)")
    return value.encode("utf-8")


def derive_key(secret: bytes, purpose: str) -> bytes:
    """A sub-key for one purpose (``session``, ``audit``): HMAC-SHA256(secret, purpose)."""
    return hmac.new(secret, purpose.encode("utf-8"), hashlib.sha256).digest()
