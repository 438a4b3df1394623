"""With a trial registry configured, plans served by the app list matching trials."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from mbc.api.service import build_services, make_plan
from mbc.api.settings import Settings

REPO = Path(__file__).resolve().parents[2]


def test_served_plan_lists_trials(shared: Path) -> None:
    """MBC_TRIAL_REGISTRY fills plan.trials with the shared matcher; excluded trials are left out."""
    registry = shared / "data" / "trials" / "registry"
    if not registry.is_dir():
        pytest.skip(f"trial registry not found at {registry}")
    svc = build_services(
        Settings(database_url="sqlite:///:memory:", trial_registry=str(registry), secret_key="t" * 40)
    )
    try:
        planned = make_plan(svc, json.loads((REPO / "examples" / "hrpos-2l-esr1.json").read_text()))
    finally:
        svc.close()
    trials = planned.plan.trials
    assert trials
    assert all(t["status"] != "excluded" for t in trials)


def test_served_plan_streams_trials_from_the_registry(shared: Path) -> None:
    """The service opens the registry once (not every trial as objects) and matches by
    streaming, from more than one request thread; each row carries its NCT id, link and
    the fact that would settle a possible match."""
    import threading

    from mbc.trials import Registry

    registry = shared / "data" / "trials" / "registry"
    if not registry.is_dir():
        pytest.skip(f"trial registry not found at {registry}")
    svc = build_services(
        Settings(database_url="sqlite:///:memory:", trial_registry=str(registry), secret_key="t" * 40)
    )
    record = json.loads((REPO / "examples" / "hrpos-2l-esr1.json").read_text())
    out: list[list[dict]] = []
    try:
        assert isinstance(svc.trials, Registry)
        worker = threading.Thread(target=lambda: out.append(make_plan(svc, record).plan.trials))
        worker.start()
        worker.join()
    finally:
        svc.close()
    (trials,) = out
    assert 0 < len(trials) <= 20
    for t in trials:
        assert t["url"] == f"https://clinicaltrials.gov/study/{t['nct_id']}"
        assert t["status"] in {"eligible", "possible"}
        assert (t["settle"] is not None) == (t["status"] == "possible")
