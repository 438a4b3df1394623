"""Case store and audit log: same-transaction audit, append-only, KB-change diff, no PHI in logs."""

from __future__ import annotations

import io
import json
import logging
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError

from mbc.api.logs import JsonFormatter
from mbc.api.service import diff_plans
from mbc.api.store import Store
from mbc.api.testing import build_fixture_kb
from mbc.knowledge import load_kb

RECORD = {
    "id": "patient-jane-doe-0042",
    "as_of": "2026-11-01",
    "age": 50,
    "sex": "female",
    "menopausal_status": "postmenopausal",
    "tumor": {"er_percent": 90, "pr_percent": 50, "her2_ihc": "0"},
    "metastases": {"sites": ["bone"], "visceral_crisis": False},
    "prior_therapies": [],
}


def test_audit_rows_are_append_only(tmp_path: Path) -> None:
    """UPDATE and DELETE on the audit table are refused by the database itself."""
    store = Store(f"sqlite:///{tmp_path / 'a.db'}")
    with store.write() as conn:
        store.append_audit(conn, event_name="plan_shown", actor="test")
    for stmt in ("UPDATE audit SET actor = 'x'", "DELETE FROM audit"):
        with pytest.raises(DBAPIError, match="append-only"), store.write() as conn:
            conn.execute(text(stmt))
    assert len(store.audit_rows()) == 1
    assert store.verify_audit() == []
    store.close()


def test_audit_written_in_same_transaction(tmp_path: Path) -> None:
    """When the audited write fails, its audit row is rolled back with it (and vice versa)."""
    store = Store(f"sqlite:///{tmp_path / 'b.db'}")
    with pytest.raises(RuntimeError), store.write() as conn:
        pid = store.save_plan(
            conn,
            case_id=None,
            input_hash="h",
            kb_version="1",
            engine_version="1",
            as_of="2026-11-01",
            plan_json="{}",
        )
        store.append_audit(conn, event_name="plan_shown", actor="t", plan_id=pid)
        raise RuntimeError("crash before commit")
    assert store.audit_rows() == []
    with store.read() as conn:
        assert conn.execute(text("SELECT count(*) FROM plans")).scalar_one() == 0
    store.close()


def test_tampered_row_is_detected(tmp_path: Path) -> None:
    """A row whose content no longer matches its digest is reported by verify_audit."""
    db = tmp_path / "c.db"
    store = Store(f"sqlite:///{db}")
    with store.write() as conn:
        store.append_audit(conn, event_name="plan_shown", actor="test", detail={"a": 1})
    with store.write() as conn:
        conn.execute(text("DROP TRIGGER audit_no_update"))
        conn.execute(text("UPDATE audit SET actor = 'mallory'"))
    assert store.verify_audit() == ["audit row 1: digest mismatch"]
    store.close()


def test_kb_change_shows_what_changed(
    tmp_path: Path, make_client: Callable[..., TestClient], fixture_kb_path: Path
) -> None:
    """After a KB release, the case page and API show what changed in the stored plan."""
    db = tmp_path / "shared.db"
    old = make_client(db=db)
    cid = old.post("/v1/cases", json={"record": RECORD}).json()["id"]
    assert old.get(f"/v1/cases/{cid}/plan").status_code == 200

    new_path = build_fixture_kb(tmp_path / "kb-new", source=fixture_kb_path, version="2099.1.0")
    rules = new_path / "rules" / "test.yaml"
    rules.write_text(rules.read_text().replace("      - {option: fulvestrant, category: other}\n", ""))
    new = make_client(db=db, kb=load_kb(new_path, use_cache=False))
    resp = new.get(f"/v1/cases/{cid}/plan")
    assert resp.headers["x-mbc-changed-since"] != "2099.1.0"
    page = new.get(f"/cases/{cid}").text
    assert "What changed since KB v" in page
    assert "removed <strong>Fulvestrant</strong>" in page
    store = new.app.state.services.store  # type: ignore[attr-defined]
    assert [p.kb_version for p in store.plans_of(cid)][-1] == "2099.1.0"


def test_diff_plans_reports_added_removed_changed() -> None:
    """The diff compares options, not_recommended and alerts by regimen/code."""
    old: dict[str, Any] = {
        "kb_version": "1",
        "engine_version": "0.1.0",
        "options": [
            {"regimen": "a", "name": "A", "category": "preferred"},
            {"regimen": "b", "name": "B", "category": "other"},
        ],
        "not_recommended": [],
        "alerts": [{"code": "x", "message": "X", "severity": "warning"}],
    }
    new: dict[str, Any] = {
        "kb_version": "2",
        "engine_version": "0.1.0",
        "options": [
            {"regimen": "b", "name": "B", "category": "preferred"},
            {"regimen": "c", "name": "C", "category": "other"},
        ],
        "not_recommended": [
            {"regimen": "a", "name": "A", "drugs": [], "reason": "r", "kind": "not_indicated"}
        ],
        "alerts": [],
    }
    d = diff_plans(old, new)
    assert d.added == {"options": ["C"], "not_recommended": ["A"], "alerts": []}
    assert d.removed == {"options": ["A"], "not_recommended": [], "alerts": ["X"]}
    assert d.changed["options"] == ["B (other → preferred)"]
    assert not d.empty


def test_logs_carry_hashed_ids_only(client: TestClient) -> None:
    """Structured logs of planning and case events never contain the record's identifiers."""
    buf = io.StringIO()
    handler = logging.StreamHandler(buf)
    handler.setFormatter(JsonFormatter())
    logger = logging.getLogger("mbc.api")
    logger.addHandler(handler)
    try:
        client.post("/v1/plan", json=RECORD)
        cid = client.post("/v1/cases", json={"record": RECORD, "label": "Jane Doe"}).json()["id"]
        client.get(f"/cases/{cid}")
    finally:
        logger.removeHandler(handler)
    lines = [json.loads(x) for x in buf.getvalue().splitlines()]
    assert lines, "expected structured log lines"
    raw = buf.getvalue()
    for secret in (RECORD["id"], "Jane Doe", cid):
        assert secret not in raw
    assert all("kb_version" in x for x in lines if x["event"] == "plan_shown")
    assert any(x.get("patient") and len(x["patient"]) == 16 for x in lines)
