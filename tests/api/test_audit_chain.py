"""The audit chain: ``mbc audit verify`` finds edited, deleted and forged audit, case and
plan rows (by someone who can write to the database but does not hold the key)."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from fastapi.testclient import TestClient

from mbc.cli import _cli

SECRET = "test-secret-" + "x" * 32
FIXTURES = Path(__file__).parent / "fixtures"


@pytest.fixture
def db(make_client: Callable[..., TestClient], tmp_path: Path) -> Path:
    path = tmp_path / "chain.db"
    c = make_client(db=path)
    record = json.loads((FIXTURES / "her2pos-first-line.json").read_text())
    cid = c.post("/v1/cases", json={"record": record}).json()["id"]
    assert c.get(f"/v1/cases/{cid}/plan").status_code == 200
    c.post("/v1/plan?save=true", json={**record, "id": "other"})
    c.put(f"/v1/cases/{cid}", json={"record": {**record, "age": 50}})
    return path


def verify(db: Path, *extra: str) -> tuple[int, str]:
    r = CliRunner().invoke(
        _cli, ["audit", "verify", "--db", f"sqlite:///{db}", *extra], env={"MBC_SECRET_KEY": SECRET}
    )
    return r.exit_code, r.output


def sql(db: Path, *stmts: str) -> None:
    con = sqlite3.connect(db)
    con.execute("DROP TRIGGER IF EXISTS audit_no_update")
    con.execute("DROP TRIGGER IF EXISTS audit_no_delete")
    for s in stmts:
        con.execute(s)
    con.commit()
    con.close()


def _digest(row: dict[str, Any]) -> str:
    from mbc.api.store import _audit_digest

    return _audit_digest(row)


def test_clean_store_verifies(db: Path) -> None:
    code, out = verify(db)
    assert code == 0, out
    assert "ok: the chain verifies" in out


def test_wrong_key_fails(db: Path) -> None:
    r = CliRunner().invoke(
        _cli, ["audit", "verify", "--db", f"sqlite:///{db}"], env={"MBC_SECRET_KEY": "y" * 40}
    )
    assert r.exit_code == 1 and "MAC does not verify" in r.output


def test_edited_audit_row_with_recomputed_digest(db: Path) -> None:
    con = sqlite3.connect(db)
    con.row_factory = sqlite3.Row
    row = dict(con.execute("SELECT * FROM audit WHERE id = 2").fetchone())
    con.close()
    row["actor"] = "someone-else"
    sql(db, f"UPDATE audit SET actor = 'someone-else', digest = '{_digest(row)}' WHERE id = 2")
    code, out = verify(db)
    assert code == 1 and "audit row 2: MAC does not verify" in out


def test_deleted_audit_row(db: Path) -> None:
    sql(db, "DELETE FROM audit WHERE id = 3")
    code, out = verify(db)
    assert code == 1 and "audit rows 3..3 are missing" in out


def test_forged_audit_row(db: Path) -> None:
    sql(
        db,
        "INSERT INTO audit (id, ts, event, actor, detail, digest, mac) "
        "VALUES (999, '2026', 'case_read', 'x', '{}', 'd', '" + "a" * 64 + "')",
    )
    code, out = verify(db)
    assert code == 1 and "audit row 999" in out


def test_edited_case_and_plan_rows(db: Path) -> None:
    sql(
        db,
        "UPDATE cases SET record_json = replace(record_json, '\"age\":50', '\"age\":51')",
        "UPDATE plans SET plan_json = replace(plan_json, 'preferred', 'other')",
    )
    code, out = verify(db)
    assert code == 1
    assert "record differs from its last audited version" in out
    assert "content differs from its audited hash" in out


def test_forged_and_deleted_cases_and_plans(db: Path) -> None:
    sql(
        db,
        "INSERT INTO cases (id, label, source_kind, record_json, created_at, updated_at, deleted) "
        "VALUES ('forged', 'f', 'json', '{}', 'x', 'x', 0)",
        "INSERT INTO plans (case_id, input_hash, kb_version, engine_version, as_of, plan_json, created_at) "
        "VALUES (NULL, 'h', 'k', 'e', '2026-01-01', '{}', 'x')",
        "UPDATE cases SET deleted = 1 WHERE id != 'forged'",
    )
    code, out = verify(db)
    assert code == 1
    assert "case forged: no audited creation" in out
    assert "no audit row carries its hash" in out
    assert "deletion state differs" in out


def test_truncated_tail_needs_the_recorded_head(db: Path) -> None:
    _, out = verify(db)
    head = next(line.split(": ", 1)[1] for line in out.splitlines() if line.startswith("head: "))
    last = int(head.split(":")[0])
    sql(db, f"DELETE FROM audit WHERE id = {last}")
    assert verify(db, "--expect-head", head)[0] == 1


def test_missing_database_is_exit_2(tmp_path: Path) -> None:
    assert verify(tmp_path / "nope.db")[0] == 2


def test_audit_group_routes_a_bare_argument_to_cohort(monkeypatch: pytest.MonkeyPatch) -> None:
    """``mbc audit DIR`` runs ``cohort DIR`` once a cohort subcommand is registered."""
    import click

    from mbc.cli.audit import audit

    seen: list[str] = []

    @click.command("cohort")
    @click.argument("directory")
    def cohort(directory: str) -> None:
        seen.append(directory)

    audit.add_command(cohort)
    try:
        r = CliRunner().invoke(_cli, ["audit", "some/dir"])
        assert r.exit_code == 0, r.output
        assert seen == ["some/dir"]
        assert "verify" in CliRunner().invoke(_cli, ["audit", "--help"]).output
    finally:
        audit.commands.pop("cohort")


def test_serve_create_key_bootstraps_an_admin(tmp_path: Path) -> None:
    """`mbc serve --create-key admin:ops` prints a working key once and audits its creation."""
    from mbc.service.keys import lookup_key
    from mbc.service.store import Store

    db = tmp_path / "k.db"
    env = {"MBC_SECRET_KEY": SECRET}
    r = CliRunner().invoke(_cli, ["serve", "--db", f"sqlite:///{db}", "--create-key", "admin:ops"], env=env)
    assert r.exit_code == 0, r.output
    token = r.output.strip().splitlines()[-1]
    store = Store(f"sqlite:///{db}")
    principal = lookup_key(store, token)
    assert principal is not None and principal.role == "admin"
    assert [a.event for a in store.audit_rows()] == ["key_created"]
    assert verify(db)[0] == 0
    bad = CliRunner().invoke(_cli, ["serve", "--db", f"sqlite:///{db}", "--create-key", "boss:x"], env=env)
    assert bad.exit_code == 2
