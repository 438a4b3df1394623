"""The per-patient audit: rows of the three tables, invalid input reported, FHIR read."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

from mbc.cohort.audit import audit_patient
from mbc.cohort.tables import TABLES
from mbc.knowledge.loader import KnowledgeBase

REPO = Path(__file__).resolve().parents[2]
AS_OF = dt.date(2026, 12, 1)


def _check_columns(rows: dict) -> None:
    for t, cols in TABLES.items():
        for row in rows[t]:
            assert set(row) == {c.name for c in cols}, t


def test_record_with_two_lines(kb: KnowledgeBase, example) -> None:
    rows = audit_patient("x.json", json.dumps(example("her2pos-3l-brain.json")), kb, as_of=AS_OF)
    _check_columns(rows)
    (p,) = rows["patients"]
    assert p["valid"] and p["n_lines"] == 2 and p["n_concordant"] == 2
    assert [(r["line"], r["planned_line"], r["verdict"]) for r in rows["lines"]] == [
        (1, 1, "preferred"), (2, 2, "preferred")]  # fmt: skip
    assert rows["lines"][1]["previous"] == "+".join(rows["lines"][0]["drugs"])
    assert {f["kind"] for f in rows["findings"]} <= {"missing_fact", "alert"}


def test_discordant_line(kb: KnowledgeBase, example) -> None:
    data = example("hrpos-2l-esr1.json")
    data["prior_therapies"][1]["drugs"] = ["capecitabine"]  # chemotherapy first, no visceral crisis
    rows = audit_patient("x", json.dumps(data), kb, as_of=AS_OF)
    (line,) = rows["lines"]
    assert line["verdict"] == "not_in_plan" and line["concordant"] is False
    assert rows["patients"][0]["n_not_in_plan"] == 1


def test_invalid_record_reported(kb: KnowledgeBase) -> None:
    rows = audit_patient("line 7", b'{"id": "z", "age": 5, "ecog": 9}', kb, as_of=AS_OF)
    _check_columns(rows)
    (p,) = rows["patients"]
    assert p["patient_id"] == "z" and p["valid"] is False
    assert sorted(e.split(":")[0] for e in p["errors"]) == ["age", "ecog"]
    assert {f["kind"] for f in rows["findings"]} == {"invalid_record"}
    bad = audit_patient("line 8", b"{not json", kb, as_of=AS_OF)
    assert bad["patients"][0]["valid"] is False and bad["patients"][0]["patient_id"] == "line 8"


def test_fhir_bundle(kb: KnowledgeBase) -> None:
    raw = (REPO / "examples" / "fhir" / "hrpos-2l-bundle.json").read_bytes()
    rows = audit_patient("bundle.json", raw, kb, as_of=AS_OF)
    (p,) = rows["patients"]
    assert p["valid"] and p["subtype"] == "HR+/HER2-"
    assert p["n_lines"] == len(rows["lines"]) >= 1


def test_trial_matches_when_a_registry_is_given(kb: KnowledgeBase, example) -> None:
    import os

    import pytest

    shared = Path(os.environ.get("MBC_SHARED") or REPO.parent / "shared")
    records = shared / "data" / "trials" / "records"
    if not records.is_dir():
        pytest.skip(f"trial records not present at {records} (set MBC_SHARED)")
    from mbc.cohort.local import load_trials

    trials = load_trials(str(records), kb)
    rows = audit_patient("x", json.dumps(example("hrpos-2l-esr1.json")), kb, as_of=AS_OF, trials=trials)
    _check_columns(rows)
    matches = [f for f in rows["findings"] if f["kind"] == "trial_match"]
    assert rows["patients"][0]["n_trials_eligible"] >= len(matches) > 0
    assert all(f["code"].startswith("NCT") and f["severity"] == "eligible" for f in matches)
    assert (
        audit_patient("x", json.dumps(example("hrpos-2l-esr1.json")), kb, as_of=AS_OF)["patients"][0][
            "n_trials_eligible"
        ]
        is None
    )
