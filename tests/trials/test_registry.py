"""Record readers (four shapes), the SQLite/FTS5 registry and the API v2 sync."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import pytest

from mbc.errors import TrialSourceError
from mbc.knowledge import KnowledgeBase
from mbc.trials import Registry, load_registry, read_path, sync_registry, trials_from_text


def test_reads_every_fixture_shape(fixtures: Path) -> None:
    """API v2 JSON, legacy XML, agent export and TrialGPT shapes all become trials."""
    trials = {t.nct_id: t for t in read_path(fixtures)}
    assert set(trials) == {"NCT90000001", "NCT90000002", "NCT90000003", "NCT90000004"}
    v2, xml = trials["NCT90000001"], trials["NCT90000002"]
    assert (v2.source_format, v2.status, v2.phases) == ("ctgov_v2", "RECRUITING", ("PHASE3",))
    assert v2.last_update == dt.date(2025, 6, 1)
    assert v2.locations == ("Example Cancer Centre, Leeds, United Kingdom",)
    assert (xml.source_format, xml.sex, xml.maximum_age_years) == ("ctgov_xml", "female", 70.0)
    assert xml.last_update == dt.date(2020, 3, 9)
    assert "Stage I-III" in xml.eligibility_text
    assert trials["NCT90000003"].source_format == "agent"
    assert trials["NCT90000004"].conditions == ("Non-small Cell Lung Cancer",)


def test_staleness_is_days_since_last_update(fixtures: Path) -> None:
    """Staleness counts days from the registry's last update to as_of."""
    t = next(t for t in read_path(fixtures) if t.nct_id == "NCT90000001")
    assert t.staleness_days(dt.date(2025, 6, 11)) == 10


def test_unknown_shape_is_an_error() -> None:
    """A JSON object of an unknown shape raises TrialSourceError, never a silent skip."""
    with pytest.raises(TrialSourceError, match="unrecognised"):
        list(trials_from_text('{"foo": 1}'))


def test_markdown_and_html_escapes_are_undone() -> None:
    """Registry escapes (\\>, &amp;amp;lt;) are decoded before parsing."""
    rec = {"nct_id": "NCT1", "title": "t", "eligibility": {"raw_text": "ANC \\>= 1500; ER&amp;amp;lt; 10%"}}
    (t,) = trials_from_text(json.dumps(rec))
    assert t.eligibility_text == "ANC >= 1500; ER< 10%"


def test_registry_roundtrip_and_search(tmp_path: Path, fixtures: Path, kb: KnowledgeBase) -> None:
    """A registry written to disk reopens with parsed criteria and answers FTS5 queries."""
    db = tmp_path / "trials.db"
    reg = Registry(db, kb=kb)
    assert reg.load_dir(fixtures) == 4
    reg.close()
    again = load_registry(db, kb=kb)
    assert len(again) == 4
    t = again.get("NCT90000001")
    assert t is not None and t.criteria
    assert all(c.kind in {"inclusion", "exclusion"} for c in t.criteria)
    assert [hit for hit, _ in again.search("ESR1")] == ["NCT90000001"]
    with pytest.raises(TrialSourceError):
        again.search('"unbalanced')


def test_missing_registry_path_is_an_error(tmp_path: Path) -> None:
    """Opening a registry that does not exist names the path."""
    with pytest.raises(TrialSourceError, match="not found"):
        load_registry(tmp_path / "nope")


class FakeTransport:
    """Serves two pages of API v2 studies; optionally fails on the second request."""

    def __init__(self, fixtures: Path, *, fail_second: bool = False) -> None:
        study = json.loads((fixtures / "NCT90000001.json").read_text())
        other = json.loads(json.dumps(study).replace("NCT90000001", "NCT90000009"))
        self.pages = {None: {"studies": [study], "nextPageToken": "p2", "totalCount": 2},
                      "p2": {"studies": [other], "totalCount": 2}}  # fmt: skip
        self.calls: list[Mapping[str, str]] = []
        self.fail_second = fail_second

    def __call__(self, url: str, params: Mapping[str, str]) -> Mapping[str, Any]:
        self.calls.append(dict(params))
        if self.fail_second and len(self.calls) == 2:
            raise TrialSourceError("network down")
        return self.pages[params.get("pageToken")]


def test_sync_pages_through_the_api(fixtures: Path, kb: KnowledgeBase) -> None:
    """Sync follows nextPageToken until the listing ends and stores every study."""
    reg = Registry(kb=kb)
    seen: list[tuple[int, int | None]] = []
    fake = FakeTransport(fixtures)
    report = sync_registry(reg, condition="metastatic breast cancer", transport=fake,
                           progress=lambda n, total: seen.append((n, total)))  # fmt: skip
    assert (report.pages, report.trials, report.total, report.complete) == (2, 2, 2, True)
    assert len(reg) == 2
    assert fake.calls[0]["query.cond"] == "metastatic breast cancer"
    assert seen == [(1, 2), (2, 2)]


def test_sync_resumes_after_an_interruption(fixtures: Path, kb: KnowledgeBase) -> None:
    """After a failed page, the next sync starts from the saved page token."""
    reg = Registry(kb=kb)
    with pytest.raises(TrialSourceError):
        sync_registry(reg, condition="mbc", transport=FakeTransport(fixtures, fail_second=True))
    fake = FakeTransport(fixtures)
    report = sync_registry(reg, condition="mbc", transport=fake)
    assert fake.calls[0].get("pageToken") == "p2"
    assert report.complete
    assert len(reg) == 2


def test_parsed_criteria_are_cached_by_text_hash(tmp_path: Path, fixtures: Path, kb: KnowledgeBase) -> None:
    """Each distinct eligibility text is parsed once per pattern set and kept in the
    registry's `parsed` table; another trial with the same text reuses it."""
    from mbc.trials import load_trial_knowledge, parse_trial

    tk = load_trial_knowledge(kb)
    db = tmp_path / "trials.db"
    reg = Registry(db, kb=kb)
    base = next(t for t in read_path(fixtures) if t.nct_id == "NCT90000001")
    twin = base.model_copy(update={"nct_id": "NCT90000099"})
    reg.add([base, twin])
    rows = reg._con.execute("SELECT parsed_with FROM parsed").fetchall()
    assert rows == [(tk.fingerprint,)]
    reg.close()
    tk.memo.clear()  # a fresh process: only the SQLite cache remains
    again = Registry(db, kb=kb)
    again.add([base.model_copy(update={"nct_id": "NCT90000098"})])
    got = again.get("NCT90000098")
    assert got is not None
    assert got.criteria == parse_trial(base, tk).criteria
    assert got.parsed_with == tk.fingerprint


def test_streaming_match_agrees_with_the_list_matcher(fixtures: Path, kb: KnowledgeBase) -> None:
    """match_registry (SQL prefilter + compact criteria) orders and judges every trial as
    match_trials does; without --all it drops exactly the excluded ones."""
    import datetime as dt
    import json

    from mbc.model import parse_record
    from mbc.trials import match_registry, match_trials

    reg = load_registry(fixtures, kb=kb)
    record = parse_record(json.loads((fixtures.parent / "patient_hrpos_esr1.json").read_text()))
    when = dt.date(2026, 1, 15)
    full = [
        (m.trial.nct_id, m.status, m.score) for m in match_trials(record, reg.trials(), kb=kb, as_of=when)
    ]
    every = match_registry(reg, record, kb=kb, as_of=when, include_excluded=True)
    assert [(m.trial.nct_id, m.status, m.score) for m in every] == full
    kept = match_registry(reg, record, kb=kb, as_of=when)
    assert [(m.trial.nct_id, m.status, m.score) for m in kept] == [f for f in full if f[1] != "excluded"]


def test_replacing_a_trial_updates_the_text_index(tmp_path: Path, kb: KnowledgeBase) -> None:
    """Re-adding a trial with new text replaces its FTS entry (no stale hit, no duplicate);
    re-adding it unchanged writes nothing."""
    from mbc.trials import Trial

    reg = Registry(tmp_path / "r.db", kb=kb)
    old = Trial(
        nct_id="NCT90000099",
        title="A",
        conditions=("Breast Cancer",),
        eligibility_text="Inclusion Criteria:\n* zebrafinch",
    )
    reg.add([old])
    reg.add([old.model_copy(update={"eligibility_text": "Inclusion Criteria:\n* hummingbird"})])
    assert reg.search("zebrafinch") == []
    assert [n for n, _ in reg.search("hummingbird")] == ["NCT90000099"]
    assert len(reg) == 1
    reg.add([old.model_copy(update={"eligibility_text": "Inclusion Criteria:\n* hummingbird"})])
    assert reg.written == 0


def test_registry_of_an_older_schema_is_rebuilt(tmp_path: Path, kb: KnowledgeBase) -> None:
    """A database written by 0.1.0 (no schema mark) is rebuilt empty, not misread."""
    import sqlite3

    db = tmp_path / "old.db"
    con = sqlite3.connect(db)
    con.executescript(
        "CREATE TABLE trials (nct_id TEXT PRIMARY KEY, status TEXT, phases TEXT, last_update TEXT,"
        " parsed_with TEXT, record TEXT NOT NULL); INSERT INTO trials VALUES ('NCT1', '', '', '', '', '{}');"
        "CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT);"
    )
    con.commit()
    con.close()
    reg = Registry(db, kb=kb)
    assert len(reg) == 0
    assert reg.get_meta("schema") == "2"


def test_a_file_that_is_not_a_database_is_a_clear_error(tmp_path: Path, kb: KnowledgeBase) -> None:
    from mbc.errors import TrialSourceError

    bad = tmp_path / "bad.db"
    bad.write_bytes(b"SQLite format 3\x00" + b"\xff" * 200)
    with pytest.raises(TrialSourceError, match="cannot open trial registry"):
        Registry(bad, kb=kb)


def test_opening_and_matching_write_nothing(tmp_path: Path, fixtures: Path, kb: KnowledgeBase) -> None:
    """Opening a current registry and matching against it leave the file unchanged (so a
    read-only copy can serve)."""
    import datetime as dt
    import hashlib
    import json

    from mbc.model import parse_record
    from mbc.trials import match_registry

    db = tmp_path / "r.db"
    reg = Registry(db, kb=kb)
    reg.load_dir(fixtures)
    reg.close()
    before = hashlib.sha256(db.read_bytes()).hexdigest()
    record = parse_record(json.loads((fixtures.parent / "patient_hrpos_esr1.json").read_text()))
    again = Registry(db, kb=kb)
    assert match_registry(again, record, kb=kb, as_of=dt.date(2026, 1, 15), limit=1)
    again.close()
    assert hashlib.sha256(db.read_bytes()).hexdigest() == before


def test_sync_is_incremental_after_a_complete_sync(fixtures: Path, kb: KnowledgeBase) -> None:
    """After a complete sync, the next one asks only for studies updated since the day the
    complete one started, and rewrites no unchanged trial; --full (incremental=False) asks
    for everything."""
    import datetime as dt

    reg = Registry(kb=kb)
    first = FakeTransport(fixtures)
    sync_registry(reg, condition="mbc", transport=first, today=dt.date(2026, 3, 1))
    assert "filter.advanced" not in first.calls[0]
    second = FakeTransport(fixtures)
    sync_registry(reg, condition="mbc", transport=second, today=dt.date(2026, 3, 8))
    assert second.calls[0]["filter.advanced"] == "AREA[LastUpdatePostDate]RANGE[2026-03-01,MAX]"
    assert reg.written == 0  # the fake serves the same records: nothing rewritten
    full = FakeTransport(fixtures)
    sync_registry(reg, condition="mbc", transport=full, incremental=False)
    assert "filter.advanced" not in full.calls[0]


def test_streaming_agrees_on_real_trials_and_blind_patients(shared: Path, kb: KnowledgeBase) -> None:
    """On the 41 real registry trials and the blind set's patients (a premenopausal woman
    with untreated brain metastases, a man), the streaming matcher judges every trial as
    the list matcher does - including criteria open only on facts no record can hold."""
    import json

    from mbc.model import parse_record
    from mbc.trials import match_registry, match_trials

    folder = shared / "data" / "trials" / "registry"
    if not folder.is_dir():
        pytest.skip(f"shared trial registry not found at {folder}")
    reg = load_registry(folder, kb=kb)
    trials = reg.trials()
    labels = Path(__file__).resolve().parents[2] / "benchmarks" / "trials_labels"
    for pid in ("B03", "B04", "B06", "C02", "C04"):  # C02: treated brain metastases; C04: on goserelin
        pdir = labels / ("blind3" if pid.startswith("B") else "blind4") / "patients"
        record = parse_record(json.loads((pdir / f"{pid}.json").read_text()))
        assert record.as_of is not None
        full = [
            (m.trial.nct_id, m.status, m.score)
            for m in match_trials(record, trials, kb=kb, as_of=record.as_of)
        ]
        every = match_registry(reg, record, kb=kb, as_of=record.as_of, include_excluded=True)
        assert [(m.trial.nct_id, m.status, m.score) for m in every] == full, pid
