"""Kill the server (SIGKILL) in the middle of audited writes: nothing acknowledged is lost,
and no row is torn."""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import threading
import time
from pathlib import Path

import httpx
import pytest

from mbc.api.store import Store
from mbc.api.testing import start_server

RECORD = json.loads((Path(__file__).parent / "fixtures" / "hrpos-second-line.json").read_text())


@pytest.mark.slow
def test_sigkill_mid_write_loses_no_acknowledged_row(tmp_path: Path, fixture_kb_path: Path) -> None:
    """Every audit id the server acknowledged is on disk after SIGKILL, and every row verifies."""
    db = tmp_path / "kill.db"
    proc, base = start_server(db, fixture_kb_path)
    acked: list[int] = []
    lock = threading.Lock()
    stop = threading.Event()

    def writer(n: int) -> None:
        with httpx.Client(base_url=base, timeout=5) as c:
            i = 0
            while not stop.is_set():
                i += 1
                try:
                    if i % 3 == 0:
                        r = c.post("/v1/cases", json={"record": {**RECORD, "id": f"w{n}-{i}"}})
                        if r.status_code == 201:
                            r = c.get(f"/v1/cases/{r.json()['id']}/plan")
                    else:
                        r = c.post("/v1/plan", json={**RECORD, "id": f"w{n}-{i}", "ecog": i % 3})
                except httpx.HTTPError:
                    return  # the server is gone
                if r.status_code == 200 and "x-mbc-audit-id" in r.headers:
                    with lock:
                        acked.append(int(r.headers["x-mbc-audit-id"]))

    threads = [threading.Thread(target=writer, args=(n,)) for n in range(6)]
    for t in threads:
        t.start()
    try:
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline and len(acked) < 150:
            time.sleep(0.05)
        os.kill(proc.pid, signal.SIGKILL)  # mid-write: the writers are still sending
        proc.wait(timeout=10)
    finally:
        stop.set()
        for t in threads:
            t.join(timeout=10)
        if proc.poll() is None:
            proc.kill()
    assert len(acked) >= 20, "the server should have acknowledged writes before the kill"

    con = sqlite3.connect(db)
    try:
        assert con.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        ids = {r[0] for r in con.execute("SELECT id FROM audit")}
        orphans = con.execute(
            "SELECT count(*) FROM audit a LEFT JOIN plans p ON a.plan_id = p.id "
            "WHERE a.plan_id IS NOT NULL AND p.id IS NULL"
        ).fetchone()[0]
    finally:
        con.close()
    assert set(acked) <= ids, f"lost acknowledged audit rows: {sorted(set(acked) - ids)[:10]}"
    assert orphans == 0
    store = Store(f"sqlite:///{db}")
    try:
        assert store.verify_audit() == []
    finally:
        store.close()
