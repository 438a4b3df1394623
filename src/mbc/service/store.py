"""The case store: saved cases, every plan produced, and an append-only audit log.

SQLAlchemy 2 Core over embedded SQLite (WAL mode) by default, or PostgreSQL when the
database URL says so. Three tables:

``cases``   the record (contract JSON) and where it came from (form, note, FHIR, JSON).
``plans``   every distinct plan produced, with ``kb_version``, ``engine_version``, ``as_of``
            and the SHA-256 of the canonical input record.
``audit``   one row per event (a plan shown, exported, a case created ...), written in the
            same transaction as what it audits. Each row carries a SHA-256 ``digest`` of its
            own content, so a torn or altered row is detectable, and an HMAC chain links the rows
            (:mod:`mbc.service.audit_chain`); triggers refuse UPDATE and DELETE.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import uuid
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from typing import Any

from sqlalchemy import (
    Boolean,
    Column,
    Connection,
    Engine,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    create_engine,
    event,
    func,
    insert,
    inspect,
    select,
    text,
    update,
)
from sqlalchemy.pool import StaticPool

from mbc.service.rows import AuditRow, CaseRow, PlanRow, _audit_row, _case_row, _plan_row

__all__ = ["AuditRow", "CaseRow", "PlanRow", "Store", "canonical_json", "sha256_hex"]

metadata = MetaData()

cases = Table(
    "cases",
    metadata,
    Column("id", String(64), primary_key=True),
    Column("label", String(200), nullable=False),
    Column("source_kind", String(16), nullable=False),
    Column("source_text", Text, nullable=True),
    Column("record_json", Text, nullable=False),
    Column("created_at", String(32), nullable=False),
    Column("updated_at", String(32), nullable=False),
    Column("deleted", Boolean, nullable=False, default=False),
)

plans = Table(
    "plans",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("case_id", String(64), ForeignKey("cases.id"), nullable=True),
    Column("input_hash", String(64), nullable=False),
    Column("kb_version", String(32), nullable=False),
    Column("engine_version", String(32), nullable=False),
    Column("as_of", String(10), nullable=False),
    Column("plan_json", Text, nullable=False),
    Column("created_at", String(32), nullable=False),
    Index("ix_plans_case", "case_id", "id"),
    Index("ix_plans_input", "input_hash"),
)

audit = Table(
    "audit",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("ts", String(32), nullable=False),
    Column("event", String(32), nullable=False),
    Column("case_id", String(64), nullable=True),
    Column("plan_id", Integer, ForeignKey("plans.id"), nullable=True),
    Column("input_hash", String(64), nullable=True),
    Column("kb_version", String(32), nullable=True),
    Column("actor", String(64), nullable=False),
    Column("detail", Text, nullable=False),
    Column("digest", String(64), nullable=False),
    Column("mac", String(64), nullable=True),  # HMAC chain (mbc.service.audit_chain); NULL = legacy row
)

_SQLITE_TRIGGERS = (
    "CREATE TRIGGER IF NOT EXISTS audit_no_update BEFORE UPDATE ON audit "
    "BEGIN SELECT RAISE(ABORT, 'audit log is append-only'); END",
    "CREATE TRIGGER IF NOT EXISTS audit_no_delete BEFORE DELETE ON audit "
    "BEGIN SELECT RAISE(ABORT, 'audit log is append-only'); END",
)
_PG_TRIGGERS = (
    "CREATE OR REPLACE FUNCTION mbc_audit_append_only() RETURNS trigger AS $$ "
    "BEGIN RAISE EXCEPTION 'audit log is append-only'; END; $$ LANGUAGE plpgsql",
    "DROP TRIGGER IF EXISTS audit_append_only ON audit",
    "CREATE TRIGGER audit_append_only BEFORE UPDATE OR DELETE ON audit "
    "FOR EACH ROW EXECUTE FUNCTION mbc_audit_append_only()",
)


def canonical_json(value: Any) -> str:
    """JSON with sorted keys and no spaces: the form every hash is taken over."""
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=str)


def sha256_hex(value: Any) -> str:
    """SHA-256 of the canonical JSON of ``value`` (or of a str as UTF-8)."""
    data = value if isinstance(value, str) else canonical_json(value)
    return hashlib.sha256(data.encode("utf-8")).hexdigest()


def _now() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="microseconds")


def _audit_digest(row: Mapping[str, Any]) -> str:
    keys = ("ts", "event", "case_id", "plan_id", "input_hash", "kb_version", "actor", "detail")
    return sha256_hex({k: row.get(k) for k in keys})


class Store:
    """Access to the case store. Thread-safe; one per app.

    Args:
        url: SQLAlchemy database URL.
    """

    def __init__(self, url: str, *, audit_key: bytes = b"") -> None:
        self.url = url
        self.audit_key = audit_key
        self.is_sqlite = url.startswith("sqlite")
        self.engine: Engine = self._make_engine(url)
        self._create()

    # ---------------------------------------------------------------- setup

    def _make_engine(self, url: str) -> Engine:
        if not self.is_sqlite:
            return create_engine(url, pool_pre_ping=True, future=True)
        in_memory = url in ("sqlite://", "sqlite:///:memory:")
        engine = create_engine(
            url,
            connect_args={"check_same_thread": False, "timeout": 30},
            poolclass=StaticPool if in_memory else None,
        )

        @event.listens_for(engine, "connect")
        def _on_connect(dbapi_conn: Any, _record: Any) -> None:
            # Take over transaction control from pysqlite so writers can BEGIN IMMEDIATE
            # (SQLAlchemy recipe "pysqlite serializable"): a deferred transaction that
            # upgrades to a write lock fails at once instead of waiting.
            dbapi_conn.isolation_level = None
            cur = dbapi_conn.cursor()
            if not in_memory:
                cur.execute("PRAGMA journal_mode=WAL")
            # NORMAL in WAL mode survives a process crash (SIGKILL); only an OS crash or
            # power loss may lose the last commits.
            cur.execute("PRAGMA synchronous=NORMAL")
            cur.execute("PRAGMA foreign_keys=ON")
            cur.execute("PRAGMA busy_timeout=30000")
            cur.close()

        @event.listens_for(engine, "begin")
        def _on_begin(conn: Connection) -> None:
            mode = "IMMEDIATE" if conn.get_execution_options().get("mbc_write") else "DEFERRED"
            conn.exec_driver_sql(f"BEGIN {mode}")

        return engine

    def _create(self) -> None:
        # Tables declared beside their users (API keys, the JWT replay store).
        import mbc.service.keys  # noqa: F401
        import mbc.service.replay  # noqa: F401

        with self.write() as conn:
            metadata.create_all(conn)
            cols = {c["name"] for c in inspect(conn).get_columns("audit")}
            if "mac" not in cols:  # a store made before the chain: add the column
                conn.execute(text("ALTER TABLE audit ADD COLUMN mac VARCHAR(64)"))
            for stmt in _SQLITE_TRIGGERS if self.is_sqlite else _PG_TRIGGERS:
                conn.execute(text(stmt))

    def close(self) -> None:
        """Release the connection pool."""
        self.engine.dispose()

    @contextmanager
    def write(self) -> Iterator[Connection]:
        """One write transaction (committed on success, rolled back on error)."""
        with self.engine.connect() as raw:
            conn = raw.execution_options(mbc_write=True)
            with conn.begin():
                yield conn

    @contextmanager
    def read(self) -> Iterator[Connection]:
        """One read-only transaction."""
        with self.engine.connect() as conn, conn.begin():
            yield conn

    # ---------------------------------------------------------------- audit

    def append_audit(
        self,
        conn: Connection,
        *,
        event_name: str,
        actor: str,
        case_id: str | None = None,
        plan_id: int | None = None,
        input_hash: str | None = None,
        kb_version: str | None = None,
        detail: Mapping[str, Any] | None = None,
    ) -> int:
        """Append one audit row, chained (HMAC), inside the caller's transaction; return its id."""
        from mbc.service.audit_chain import mac_of, next_link

        rid, prev = next_link(conn, postgres=not self.is_sqlite)
        row: dict[str, Any] = {
            "id": rid,
            "ts": _now(),
            "event": event_name,
            "case_id": case_id,
            "plan_id": plan_id,
            "input_hash": input_hash,
            "kb_version": kb_version,
            "actor": actor[:64],
            "detail": canonical_json(dict(detail or {})),
        }
        row["digest"] = _audit_digest(row)
        row["mac"] = mac_of(self.audit_key, prev, row)
        conn.execute(insert(audit).values(**row))
        return rid

    def _audit_record(
        self,
        conn: Connection,
        event_name: str,
        actor: str,
        case_id: str,
        record: Mapping[str, Any],
        detail: Mapping[str, Any] | None = None,
    ) -> int:
        """The audit row of a case's record saved (its hash, never the record)."""
        return self.append_audit(
            conn,
            event_name=event_name,
            actor=actor,
            case_id=case_id,
            input_hash=sha256_hex(dict(record)),
            detail=detail,
        )

    def audit_rows(self, *, case_id: str | None = None, limit: int = 1000) -> list[AuditRow]:
        """Audit rows, oldest first (optionally of one case)."""
        stmt = select(audit).order_by(audit.c.id).limit(limit)
        if case_id is not None:
            stmt = stmt.where(audit.c.case_id == case_id)
        with self.read() as conn:
            return [_audit_row(dict(r._mapping)) for r in conn.execute(stmt)]

    def verify_audit(self) -> list[str]:
        """Check every audit row: digest matches, plan reference resolves. Returns problems."""
        problems: list[str] = []
        with self.read() as conn:
            plan_ids = {r[0] for r in conn.execute(select(plans.c.id))}
            for r in conn.execute(select(audit).order_by(audit.c.id)):
                m = dict(dict(r._mapping))
                if _audit_digest(m) != m["digest"]:
                    problems.append(f"audit row {m['id']}: digest mismatch")
                if m["plan_id"] is not None and m["plan_id"] not in plan_ids:
                    problems.append(f"audit row {m['id']}: plan {m['plan_id']} missing")
                try:
                    json.loads(m["detail"])
                except ValueError:
                    problems.append(f"audit row {m['id']}: detail is not JSON")
        return problems

    # ---------------------------------------------------------------- plans

    @staticmethod
    def save_plan(
        conn: Connection,
        *,
        case_id: str | None,
        input_hash: str,
        kb_version: str,
        engine_version: str,
        as_of: str,
        plan_json: str,
    ) -> int:
        """Store a plan unless the same plan is already stored; return the plan id.

        For a case, "the same" is the case's latest plan with the same input hash, KB,
        engine version and date; without a case, any case-less plan with those four.
        ``plan_json`` is the plan's JSON text.
        """
        key = (input_hash, kb_version, engine_version, as_of)
        cols = (plans.c.id, plans.c.input_hash, plans.c.kb_version, plans.c.engine_version, plans.c.as_of)
        if case_id is not None:
            stmt = select(*cols).where(plans.c.case_id == case_id).order_by(plans.c.id.desc()).limit(1)
        else:
            stmt = (
                select(*cols)
                .where(plans.c.case_id.is_(None), plans.c.input_hash == input_hash)
                .where(plans.c.kb_version == kb_version, plans.c.engine_version == engine_version)
                .where(plans.c.as_of == as_of)
                .limit(1)
            )
        last = conn.execute(stmt).first()
        if last is not None and tuple(last[1:]) == key:
            return int(last[0])
        result = conn.execute(
            insert(plans).values(
                case_id=case_id,
                input_hash=input_hash,
                kb_version=kb_version,
                engine_version=engine_version,
                as_of=as_of,
                plan_json=plan_json,
                created_at=_now(),
            )
        )
        pk = result.inserted_primary_key
        assert pk is not None
        return int(pk[0])

    def plans_of(self, case_id: str) -> list[PlanRow]:
        """Every stored plan of a case, oldest first."""
        with self.read() as conn:
            rows = conn.execute(select(plans).where(plans.c.case_id == case_id).order_by(plans.c.id))
            return [_plan_row(dict(r._mapping)) for r in rows]

    # ---------------------------------------------------------------- cases

    def create_case(
        self,
        *,
        label: str,
        source_kind: str,
        record: Mapping[str, Any],
        source_text: str | None,
        actor: str,
        case_id: str | None = None,
    ) -> CaseRow:
        """Save a new case (and its audit row) in one transaction."""
        now = _now()
        cid = case_id or uuid.uuid4().hex[:12]
        values = {
            "id": cid,
            "label": label[:200],
            "source_kind": source_kind,
            "source_text": source_text,
            "record_json": canonical_json(dict(record)),
            "created_at": now,
            "updated_at": now,
            "deleted": False,
        }
        with self.write() as conn:
            conn.execute(insert(cases).values(**values))
            self._audit_record(conn, "case_created", actor, cid, record, {"source_kind": source_kind})
        return _case_row(values)

    def get_case(self, case_id: str) -> CaseRow | None:
        """A live case, or None."""
        with self.read() as conn:
            r = conn.execute(select(cases).where(cases.c.id == case_id, cases.c.deleted.is_(False))).first()
        return None if r is None else _case_row(dict(r._mapping))

    def case_exists(self, case_id: str) -> bool:
        """Whether a case row with this id exists (live or deleted)."""
        with self.read() as conn:
            return conn.execute(select(cases.c.id).where(cases.c.id == case_id)).first() is not None

    def list_cases(self, *, limit: int = 200, offset: int = 0) -> list[CaseRow]:
        """Live cases, newest first."""
        with self.read() as conn:
            rows = conn.execute(
                select(cases)
                .where(cases.c.deleted.is_(False))
                .order_by(cases.c.updated_at.desc(), cases.c.id)
                .limit(limit)
                .offset(offset)
            )
            return [_case_row(dict(r._mapping)) for r in rows]

    def count_cases(self) -> int:
        """Number of live cases."""
        with self.read() as conn:
            n = conn.execute(
                select(func.count()).select_from(cases).where(cases.c.deleted.is_(False))
            ).scalar_one()
        return int(n)

    def update_case(
        self, case_id: str, *, record: Mapping[str, Any], label: str | None, actor: str
    ) -> CaseRow | None:
        """Replace a case's record; None if there is no such case."""
        now = _now()
        with self.write() as conn:
            values: dict[str, Any] = {"record_json": canonical_json(dict(record)), "updated_at": now}
            if label is not None:
                values["label"] = label[:200]
            n = conn.execute(
                update(cases).where(cases.c.id == case_id, cases.c.deleted.is_(False)).values(**values)
            ).rowcount
            if not n:
                return None
            self._audit_record(conn, "case_updated", actor, case_id, record)
            r = conn.execute(select(cases).where(cases.c.id == case_id)).first()
        assert r is not None
        return _case_row(dict(r._mapping))

    def delete_case(self, case_id: str, *, actor: str) -> bool:
        """Soft-delete a case (its plans and audit rows stay); False if not found."""
        with self.write() as conn:
            n = conn.execute(
                update(cases)
                .where(cases.c.id == case_id, cases.c.deleted.is_(False))
                .values(deleted=True, updated_at=_now())
            ).rowcount
            if n:
                self.append_audit(conn, event_name="case_deleted", actor=actor, case_id=case_id)
        return bool(n)
