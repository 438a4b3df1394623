"""The trial knowledge files, and the shared real-world records as fixtures."""

from __future__ import annotations

import csv
import datetime as dt
import json
import re
from pathlib import Path

import pytest

from mbc.knowledge import KnowledgeBase
from mbc.model import parse_record
from mbc.trials import TrialKnowledge, load_registry, match_trials, read_path


def test_every_fact_in_patterns_is_known(tk: TrialKnowledge) -> None:
    """Every literal fact a pattern names is in the vocabulary or the trial-only list."""
    for cp in tk.patterns:
        text = json.dumps([cp.spec.condition, cp.spec.class_, cp.spec.drug])
        for fact in re.findall(r'"fact": "([^"{}]+)"', text):
            assert fact in tk.facts, f"{cp.spec.id}: unknown fact {fact}"


def test_pattern_ids_unique(tk: TrialKnowledge) -> None:
    """Pattern ids are stable and unique."""
    ids = [cp.spec.id for cp in tk.patterns]
    assert len(ids) == len(set(ids))


SHAPES = [
    ("trials/records", 41, {"agent", "ctgov_v2", "trialgpt", "ctgov_xml"}),
    ("trials/registry", 41, {"ctgov_v2"}),
    ("ctgov_records", 19, {"ctgov_v2", "ctgov_xml"}),
    ("trec_ct_2021_breast/trials_sample_trec-202161", 9, {"trialgpt"}),
]


@pytest.mark.parametrize(("sub", "count", "shapes"), SHAPES, ids=[s[0] for s in SHAPES])
def test_shared_records_parse(
    shared: Path, tk: TrialKnowledge, sub: str, count: int, shapes: set[str]
) -> None:
    """Every shared record reads and every sentence becomes a criterion (none dropped)."""
    from mbc.trials import parse_trial

    d = shared / "data" / sub
    if not d.is_dir():
        pytest.skip(f"{d} absent")
    trials = list(read_path(d))
    assert len(trials) == count
    assert {t.source_format for t in trials} == shapes
    for t in trials:
        parsed = parse_trial(t, tk)
        assert parsed.criteria is not None
        assert all(c.text for c in parsed.criteria)


def test_same_trial_same_criteria_across_shapes(shared: Path, tk: TrialKnowledge) -> None:
    """The agent export and its API v2 conversion give the same parsed sentences."""
    from mbc.trials import parse_trial

    rec = {t.nct_id: t for t in read_path(shared / "data" / "trials" / "records")}
    reg = {t.nct_id: t for t in read_path(shared / "data" / "trials" / "registry")}
    for nct in ("NCT06016738", "NCT05696626"):
        a = [c.text for c in parse_trial(rec[nct], tk).criteria or ()]
        b = [c.text for c in parse_trial(reg[nct], tk).criteria or ()]
        assert a == b


def test_trec_topic_metastatic_her2(shared: Path, kb: KnowledgeBase) -> None:
    """TREC 2021 topic 202161 (metastatic HER2+, ER/PR-) written as a record: the
    judged-eligible metastatic HER2+ trial is not excluded on HER2 or stage grounds."""
    d = shared / "data" / "trec_ct_2021_breast"
    if not d.is_dir():
        pytest.skip(f"{d} absent")
    with (d / "qrels_breast_trec2021.tsv").open() as fh:
        qrels = {(r["query-id"], r["corpus-id"]): int(r["score"]) for r in csv.DictReader(fh, delimiter="\t")}
    assert qrels[("trec-202161", "NCT03101748")] == 2
    record = parse_record({
        "id": "trec-202161", "age": 45, "sex": "female", "menopausal_status": "postmenopausal",
        "tumor": {"er_percent": 0, "pr_percent": 0, "her2_status": "positive"},
        "metastases": {"sites": ["lung"]}, "prior_therapies": [],
    })  # fmt: skip
    trials = load_registry(d / "trials_sample_trec-202161", kb=kb).trials()
    (m,) = [
        x
        for x in match_trials(record, trials, kb=kb, as_of=dt.date(2021, 6, 1))
        if x.trial.nct_id == "NCT03101748"
    ]
    blocking = [
        c for c in m.criteria if c.result == "not_met" and {"subtype", "stage"} & set(c.criterion.categories)
    ]
    assert not [c for c in blocking if c.criterion.cohort is None]
