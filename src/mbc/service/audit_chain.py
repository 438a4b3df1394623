"""The tamper-evident audit chain, and the check of audit, case and plan rows against it.

Each audit row carries ``mac = HMAC-SHA256(key, previous row's mac | canonical content)``,
where the content includes the row's own id and digest. The key lives outside the
database (derived from the app secret, :func:`mbc.service.keys.load_secret`), so a person
who can write to the database but not read the key cannot edit a row (its MAC breaks),
delete one (the next row's chain breaks; ids are consecutive), or forge one. Every case
write has an audit row with the record's SHA-256, every stored plan an audit row with the
plan's SHA-256, so edited, deleted or forged case and plan rows are found too.

Deleting the *newest* rows leaves a shorter, valid chain: record the head that ``mbc
audit verify`` prints and pass it back with ``--expect-head`` to detect that.
"""

from __future__ import annotations

import hashlib
import hmac
import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from sqlalchemy import Connection, select, text

if TYPE_CHECKING:
    from mbc.service.store import Store

__all__ = ["GENESIS", "PURGED", "ChainReport", "mac_of", "next_link", "purge_plans", "verify_chain"]

GENESIS = "0" * 64
PURGED = '{"purged":true}'
"""What a plan row holds after the retention period (the audit row keeps its hash)."""
_FIELDS = ("id", "ts", "event", "case_id", "plan_id", "input_hash", "kb_version", "actor", "detail", "digest")


def mac_of(key: bytes, prev: str, row: Mapping[str, Any]) -> str:
    """The row's MAC, chained to the previous row's."""
    from mbc.service.store import canonical_json

    body = prev + "|" + canonical_json({k: row.get(k) for k in _FIELDS})
    return hmac.new(key, body.encode("utf-8"), hashlib.sha256).hexdigest()


def next_link(conn: Connection, *, postgres: bool) -> tuple[int, str]:
    """(id, previous mac) for the next audit row; serialises writers on PostgreSQL
    (SQLite writers are serialised by ``BEGIN IMMEDIATE``)."""
    from mbc.service.store import audit

    if postgres:
        conn.execute(text("LOCK TABLE audit IN SHARE ROW EXCLUSIVE MODE"))
    last = conn.execute(select(audit.c.id, audit.c.mac).order_by(audit.c.id.desc()).limit(1)).first()
    if last is None:
        return 1, GENESIS
    return int(last[0]) + 1, str(last[1] or GENESIS)


@dataclass
class ChainReport:
    """What :func:`verify_chain` found."""

    rows: int = 0
    cases: int = 0
    plans: int = 0
    head: str = f"0:{GENESIS}"
    problems: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        """True when nothing was found."""
        return not self.problems


def _sha(s: str) -> str:
    return hashlib.sha256(s.encode("utf-8")).hexdigest()


def verify_chain(store: Store, key: bytes, *, expect_head: str | None = None) -> ChainReport:
    """Check every audit row (digest, MAC chain, consecutive ids), every case row (its
    latest audited record hash and deletion state) and every plan row (its audited hash).

    Args:
        store: The store.
        key: The audit key (derived from the app secret).
        expect_head: A head (``id:mac``) printed by an earlier run; it must still be in the chain.

    Returns:
        The report; ``problems`` names each row that does not check out.
    """
    from mbc.service.store import _audit_digest, audit, cases, plans

    rep = ChainReport()
    prev, expected_id = GENESIS, 1
    case_hash: dict[str, str] = {}
    case_deleted: dict[str, bool] = {}
    plan_hashes: dict[int, set[str]] = {}
    heads: set[str] = set()
    with store.read() as conn:
        for r in conn.execute(select(audit).order_by(audit.c.id)):
            m = dict(r._mapping)
            rep.rows += 1
            rid = int(m["id"])
            if rid != expected_id:
                rep.problems.append(f"audit rows {expected_id}..{rid - 1} are missing (deleted)")
            expected_id = rid + 1
            if _audit_digest(m) != m["digest"]:
                rep.problems.append(f"audit row {rid}: content does not match its digest (edited)")
            if m.get("mac") is None:
                rep.problems.append(f"audit row {rid}: no MAC (not written through the chain)")
            elif not hmac.compare_digest(mac_of(key, prev, m).encode(), str(m["mac"]).encode()):
                rep.problems.append(f"audit row {rid}: MAC does not verify (edited, forged or reordered)")
            prev = str(m.get("mac") or GENESIS)
            heads.add(f"{rid}:{prev}")
            rep.head = f"{rid}:{prev}"
            try:
                detail = json.loads(m["detail"])
            except ValueError:
                detail = {}
            cid = m["case_id"]
            if m["event"] in ("case_created", "case_updated") and cid and m["input_hash"]:
                case_hash[cid] = str(m["input_hash"])
                case_deleted[cid] = False
            elif m["event"] == "case_deleted" and cid:
                case_deleted[cid] = True
            if m["plan_id"] is not None and isinstance(detail, dict) and detail.get("plan_sha256"):
                plan_hashes.setdefault(int(m["plan_id"]), set()).add(str(detail["plan_sha256"]))
            if m["event"] == "plans_purged" and isinstance(detail, dict):
                for pid in detail.get("plans", []):
                    plan_hashes.setdefault(int(pid), set()).add(_sha(PURGED))
        for r in conn.execute(select(cases.c.id, cases.c.record_json, cases.c.deleted)):
            rep.cases += 1
            if r.id not in case_hash:
                rep.problems.append(f"case {r.id}: no audited creation (forged)")
                continue
            if _sha(r.record_json) != case_hash[r.id]:
                rep.problems.append(f"case {r.id}: record differs from its last audited version (edited)")
            if bool(r.deleted) != case_deleted.get(r.id, False):
                rep.problems.append(f"case {r.id}: deletion state differs from the audit log")
        for cid in set(case_hash) - {str(r[0]) for r in conn.execute(select(cases.c.id))}:
            rep.problems.append(f"case {cid}: audited but missing (deleted from the table)")
        plan_ids: set[int] = set()
        for r in conn.execute(select(plans.c.id, plans.c.plan_json)):
            rep.plans += 1
            plan_ids.add(int(r.id))
            audited = plan_hashes.get(int(r.id))
            if not audited:
                rep.problems.append(f"plan {r.id}: no audit row carries its hash (forged or legacy)")
            elif _sha(r.plan_json) not in audited:
                rep.problems.append(f"plan {r.id}: content differs from its audited hash (edited)")
        for pid in sorted(set(plan_hashes) - plan_ids):
            rep.problems.append(f"plan {pid}: audited but missing (deleted)")
    if expect_head is not None and expect_head not in heads:
        rep.problems.append(
            f"the recorded head {expect_head[:24]}... is no longer in the chain (rows removed)"
        )
    return rep


def purge_plans(store: Store, *, older_than_days: int, actor: str = "retention") -> int:
    """Empty stored case-less plans older than the retention period (their content becomes
    :data:`PURGED`; the audit rows keep each plan's hash), in one audited transaction.

    Returns:
        The number of plans purged.
    """
    import datetime as dt

    from sqlalchemy import update

    from mbc.service.store import plans

    cutoff = (dt.datetime.now(dt.UTC) - dt.timedelta(days=older_than_days)).isoformat()
    with store.write() as conn:
        ids = [
            int(r[0])
            for r in conn.execute(
                select(plans.c.id).where(
                    plans.c.case_id.is_(None), plans.c.created_at < cutoff, plans.c.plan_json != PURGED
                )
            )
        ]
        if not ids:
            return 0
        conn.execute(update(plans).where(plans.c.id.in_(ids)).values(plan_json=PURGED))
        store.append_audit(
            conn, event_name="plans_purged", actor=actor, detail={"plans": ids, "days": older_than_days}
        )
    return len(ids)
