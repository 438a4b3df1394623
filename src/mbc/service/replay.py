"""The JWT replay store: every ``jti`` seen, kept in the database until it expires, so a
token cannot be replayed after a restart or on another worker."""

from __future__ import annotations

import time
from typing import TYPE_CHECKING

from sqlalchemy import Column, Float, String, Table, delete, insert, select
from sqlalchemy.exc import IntegrityError

from mbc.service.store import metadata

if TYPE_CHECKING:
    from mbc.service.store import Store

__all__ = ["seen_before"]

jti_seen = Table(
    "jti_seen",
    metadata,
    Column("jti", String(255), primary_key=True),
    Column("expires", Float, nullable=False),
)


def seen_before(store: Store, key: str, expires: float, *, now: float | None = None) -> bool:
    """Record ``key`` (issuer + jti) until ``expires``; True when it was already recorded."""
    now = time.time() if now is None else now
    try:
        with store.write() as conn:
            conn.execute(delete(jti_seen).where(jti_seen.c.expires < now))
            if conn.execute(select(jti_seen.c.jti).where(jti_seen.c.jti == key[:255])).first():
                return True
            conn.execute(insert(jti_seen).values(jti=key[:255], expires=expires))
    except IntegrityError:  # a concurrent writer recorded it first
        return True
    return False
