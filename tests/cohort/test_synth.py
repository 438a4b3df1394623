"""`mbc synth`: valid, reproducible records with the epidemiology file's mix; injected
discordances are all found by the audit, and nothing else is flagged."""

from __future__ import annotations

import datetime as dt
import io
import json
from collections import Counter
from pathlib import Path

import pytest

from mbc.cohort._epi import load_epidemiology
from mbc.cohort.local import run_local
from mbc.cohort.synth import Synthesizer
from mbc.cohort.synth_run import read_truth, write_cohort
from mbc.cohort.tables import read_table
from mbc.knowledge.loader import KnowledgeBase
from mbc.model import parse_record


def test_epidemiology_file_checks(kb: KnowledgeBase) -> None:
    epi = load_epidemiology(kb)
    assert epi.status == "estimates"
    shares = {p.id: p.p for p in epi.profiles}
    assert shares["hr_pos_her2_neg"] == pytest.approx(0.70)


def test_records_valid_and_reproducible(kb: KnowledgeBase) -> None:
    a, b = io.StringIO(), io.StringIO()
    write_cohort(15, seed=3, out=a)
    write_cohort(15, seed=3, out=b, jobs=2, chunk_size=4)
    assert a.getvalue() == b.getvalue()
    c = io.StringIO()
    write_cohort(15, seed=4, out=c)
    assert c.getvalue() != a.getvalue()
    for line in a.getvalue().splitlines():
        r = parse_record(json.loads(line))
        assert r.as_of is not None and r.as_of <= dt.date(2026, 7, 30)
        assert any(t.setting == "metastatic" for t in r.prior_therapies or ())


def test_subtype_mix_follows_the_file(kb: KnowledgeBase) -> None:
    synth = Synthesizer(kb, load_epidemiology(kb), seed=5)
    subtypes: Counter[str] = Counter()
    for i in range(150):
        rec, _ = synth.record(i)
        t = rec["tumor"]
        her2 = t.get("her2_ihc") == "3+" or t.get("her2_ish") == "amplified"
        hr = (t.get("er_percent") or 0) > 0 or t.get("er_status") == "positive"
        subtypes[("HR+" if hr else "HR-") + ("/HER2+" if her2 else "/HER2-")] += 1
    assert 0.58 < subtypes["HR+/HER2-"] / 150 < 0.82
    assert subtypes["HR-/HER2-"] > 5 and subtypes["HR+/HER2+"] + subtypes["HR-/HER2+"] > 10


def test_injected_discordances_found(synth_cohort: tuple[Path, Path], tmp_path: Path) -> None:
    cohort, truth = synth_cohort
    run_local(cohort, tmp_path, jobs=1, as_of=dt.date(2026, 12, 1))
    lines = read_table(tmp_path, "lines").to_pylist()
    verdict = {(r["patient_id"], r["line"]): r["verdict"] for r in lines}
    rows = read_truth(truth)
    assert len(rows) == len(verdict)
    injected = {(r["patient_id"], r["line"]) for r in rows if r["injected"]}
    flagged = {k for k, v in verdict.items() if v in ("not_in_plan", "not_recommended")}
    assert len(injected) >= 5
    assert flagged == injected  # precision and recall 1.0
    for r in rows:  # every line gets the verdict the generator meant
        assert verdict[(r["patient_id"], r["line"])] == r["expected"]
