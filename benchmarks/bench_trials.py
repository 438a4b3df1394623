"""Registry-scale trial benchmark: load, re-sync and match at 1k, 5k, 25k (and 100k) trials.

Every trial has a DISTINCT generated eligibility text (no parse-cache reuse): a generator
composes inclusion / exclusion sentences from templates that exercise the patterns of
``knowledge/trials/patterns.yaml`` (receptors, stage, lines, biomarkers, ECOG, labs, organ
function, brain metastases, pregnancy...) with varied thresholds and wording, plus
sentences no pattern reads (left for review) and one unique sentence per trial.

For each size, in fresh processes (so peaks are not shared):

* load: ``Registry(db).add(trials)`` into a new SQLite file (parallel parsing, all cores);
  seconds, ms per trial (wall, and CPU of the loader plus its parse workers - the figure
  to compare across sizes on a shared machine), peak RSS of the loader (workers apart),
  and that CPU divided by the CPU of parsing 100 fixed texts in the same process just
  before and after (``load_cpu_per_calib``: the cores' speed under the machine's load
  changes, the work per trial does not);
* re-sync: the same records again (nothing changed), then with 1 % of them changed;
* match: one patient (``trials_labels/patients/P01.json``) against the registry,
  ``limit=20``, cold (first call in the process) and warm; peak RSS of that process.

    python benchmarks/bench_trials.py [--sizes 1000,5000,25000] [--jobs N] [--keep DIR] [--store-only]

``--store-only`` replaces parsing by a lookup (each text still distinct, so every row,
index entry and FTS entry is written) to show that the store's cost per trial is flat;
parsing itself is a fixed cost per distinct text, spread over all cores.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent

_HR = [
    "HR-positive",
    "ER-positive",
    "hormone receptor positive",
    "ER+",
    "HR-negative",
    "estrogen receptor-negative",
]
_HER2 = ["HER2-negative", "HER2-positive", "HER2-low", "HER2 0", "HER2-", "HER2+"]
_GENES = ["ESR1", "PIK3CA", "AKT1", "PTEN", "BRCA1", "BRCA2"]
_CLASSES = [
    "CDK4/6 inhibitor",
    "endocrine therapy",
    "aromatase inhibitor",
    "chemotherapy",
    "anti-HER2 therapy",
    "PARP inhibitor",
]
_INCLUSION = [
    lambda r: f"Histologically confirmed {r.choice(_HR)}, {r.choice(_HER2)} breast cancer.",
    lambda r: (
        f"{r.choice(['Metastatic', 'Stage IV', 'Locally advanced or metastatic', 'Unresectable or metastatic'])} breast cancer."
    ),
    lambda r: "Triple negative breast cancer.",
    lambda r: f"ECOG performance status of 0 to {r.choice([1, 2])}.",
    lambda r: f"ECOG performance status <= {r.choice([1, 2])}.",
    lambda r: f"No more than {r.choice([1, 2, 3, 4])} prior lines of chemotherapy for metastatic disease.",
    lambda r: (
        f"{r.choice(['Up to', 'At most'])} {r.choice([1, 2, 3])} prior lines of therapy in the metastatic setting."
    ),
    lambda r: f"Progression on prior {r.choice(_CLASSES)}.",
    lambda r: f"Documented {r.choice(_GENES)} mutation.",
    lambda r: "Measurable disease per RECIST 1.1.",
    lambda r: f"Absolute neutrophil count >= {r.choice([1000, 1500, 2000])}/mm3.",
    lambda r: f"Platelets >= {r.choice([75, 90, 100])},000/mm3.",
    lambda r: f"Creatinine clearance >= {r.choice([30, 40, 45, 50, 60])} mL/min.",
    lambda r: f"Left ventricular ejection fraction >= {r.choice([45, 50, 55])}%.",
    lambda r: f"Total bilirubin <= {r.choice([1, 1.5, 2])} x ULN.",
    lambda r: f"Age >= {r.choice([18, 20, 21])} years.",
]
_EXCLUSION = [
    lambda r: "Active or untreated brain metastases.",
    lambda r: "History of interstitial lung disease or pneumonitis.",
    lambda r: f"QTcF > {r.choice([450, 470, 480])} ms.",
    lambda r: "Pregnant or breastfeeding women.",
    lambda r: "Visceral crisis.",
    lambda r: f"Prior treatment with a {r.choice(_CLASSES)}.",
    lambda r: "Uncontrolled type 1 diabetes.",
    lambda r: "Symptomatic congestive heart failure.",
    lambda r: "Leptomeningeal disease.",
]
_FILLER = [
    "Able to swallow oral medication.", "Signed written informed consent.",
    "Willing to comply with study visits and procedures.", "Life expectancy of at least 12 weeks.",
    "Known hypersensitivity to any excipient of the study drug.", "Major surgery within 4 weeks before enrolment.",
    "Active infection requiring systemic therapy.", "Participation in another interventional study.",
    "Adequate bone marrow and organ function.", "Availability of archival tumour tissue.",
]  # fmt: skip
_WORDS = ["alpha", "beta", "gamma", "delta", "sigma", "omega", "kappa", "theta", "lambda", "zeta"]
_STATUSES = ["RECRUITING"] * 5 + ["NOT_YET_RECRUITING", "ACTIVE_NOT_RECRUITING", "COMPLETED", "TERMINATED"]


def trial_text(i: int, seed: int = 0) -> str:
    """A distinct eligibility text for trial i."""
    r = random.Random(i * 7919 + seed)
    inc = [f(r) for f in r.sample(_INCLUSION, r.randint(4, 9))] + r.sample(_FILLER, r.randint(1, 3))
    exc = [f(r) for f in r.sample(_EXCLUSION, r.randint(2, 6))] + r.sample(_FILLER, r.randint(1, 3))
    inc.append(f"Site requirement {r.choice(_WORDS)}-{i}-{seed} documented by the investigator.")
    return (
        "Inclusion Criteria:\n\n"
        + "\n".join(f"* {s}" for s in inc)
        + "\n\nExclusion Criteria:\n\n"
        + "\n".join(f"* {s}" for s in exc)
    )


def generate(n: int, *, changed: float = 0.0, seed: int = 0):  # noqa: ANN201 - iterator of Trial
    """n generated trials (a fraction ``changed`` with a different text and update date)."""
    import datetime as dt

    from mbc.trials import Trial

    for i in range(n):
        r = random.Random(i)
        new = changed and (i % int(1 / changed) == 0)
        yield Trial(
            nct_id=f"NCT9{i:07d}",
            title=f"Generated study {i} in advanced breast cancer",
            conditions=("Breast Cancer", "Metastatic Breast Cancer"),
            status=r.choice(_STATUSES),
            phases=(r.choice(["PHASE1", "PHASE2", "PHASE3"]),),
            sex=r.choice(["female", "all", "all"]),
            minimum_age_years=18.0,
            maximum_age_years=r.choice([None, 75.0, 80.0]),
            eligibility_text=trial_text(i, seed + (1 if new else 0)),
            last_update=dt.date(2025, 1, 1) + dt.timedelta(days=(i % 300) + (400 if new else 0)),
        )


def _peak_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _cpu_s() -> float:
    """CPU seconds of this process and its reaped children (the parse workers): unlike
    wall time, nearly independent of what else the shared machine runs."""
    own = resource.getrusage(resource.RUSAGE_SELF)
    kids = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + kids.ru_utime + kids.ru_stime


def _calibration(kb) -> float:  # noqa: ANN001
    """CPU ms to parse one of 100 fixed texts (same work at every size, in this process):
    how slow the shared machine's cores are right now. ``load_cpu_per_calib`` divides the
    load's CPU per trial by it, so sizes measured under different load compare."""
    from mbc.trials import _load, load_trial_knowledge

    tk = load_trial_knowledge(kb)
    texts = [trial_text(10_000_000 + i) for i in range(100)]
    tk.memo.clear()
    t = time.process_time()
    for text in texts:
        _load._parse_one(text, tk)
    tk.memo.clear()
    return (time.process_time() - t) / len(texts) * 1000


def child(args: argparse.Namespace) -> dict:
    """One measurement, in this (fresh) process."""
    from mbc.knowledge.loader import load_kb
    from mbc.trials import Registry

    kb = load_kb()
    out: dict = {"n": args.n}
    if args.store_only:  # isolate the store: every text "parses" to one of 50 real parses
        from mbc.trials import _load, load_trial_knowledge

        tk = load_trial_knowledge(kb)
        pool = [_load._parse_one(trial_text(i), tk) for i in range(50)]
        tk.memo.clear()  # the shown trials must be read back from the store, as stored
        _load.Parser.parse = lambda self, texts: [pool[hash(t) % 50] for t in texts]  # type: ignore[method-assign]
    if args.child == "load":
        reg = Registry(args.db, kb=kb, jobs=args.jobs)
        before = _calibration(kb)
        t, c = time.perf_counter(), _cpu_s()
        reg.add(generate(args.n))
        out["load_s"] = round(time.perf_counter() - t, 2)
        out["load_ms_per_trial"] = round(out["load_s"] / args.n * 1000, 3)
        out["load_cpu_ms_per_trial"] = round((_cpu_s() - c) / args.n * 1000, 3)
        out["written"] = reg.written
        calib = (before + _calibration(kb)) / 2
        out["calib_parse_cpu_ms"] = round(calib, 3)
        out["load_cpu_per_calib"] = round(out["load_cpu_ms_per_trial"] / calib, 3)
    elif args.child == "resync":
        reg = Registry(args.db, kb=kb, jobs=args.jobs)
        t = time.perf_counter()
        reg.add(generate(args.n))
        out["resync_unchanged_s"] = round(time.perf_counter() - t, 2)
        out["resync_unchanged_written"] = reg.written
        t = time.perf_counter()
        reg.add(generate(args.n, changed=0.01))
        out["resync_1pct_changed_s"] = round(time.perf_counter() - t, 2)
        out["resync_1pct_written"] = reg.written
    else:
        import datetime as dt

        from mbc.model import parse_record
        from mbc.trials import match_registry

        record = parse_record(json.loads((HERE / "trials_labels" / "patients" / "P01.json").read_text()))
        before = _peak_mib()
        reg = Registry(args.db, kb=kb)
        times = []
        for _ in range(3):
            t = time.perf_counter()
            matches = match_registry(reg, record, kb=kb, as_of=dt.date(2026, 1, 15), limit=20)
            times.append(time.perf_counter() - t)
        out["match_cold_s"] = round(times[0], 3)
        out["match_warm_s"] = round(min(times[1:]), 3)
        out["shown"] = len(matches)
        out["statuses"] = sorted({m.status for m in matches})
        out["rss_before_match_mib"] = round(before, 1)
    out["peak_rss_mib"] = round(_peak_mib(), 1)
    out[f"{args.child}_loadavg_1min_end"] = round(os.getloadavg()[0], 2)
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", default="1000,5000,25000")
    ap.add_argument("--jobs", type=int, default=None)
    ap.add_argument("--keep", default=None, help="Keep the databases in this directory.")
    ap.add_argument(
        "--store-only",
        action="store_true",
        help="Measure the store alone: texts stay distinct but are not parsed (one of 50 real parses).",
    )
    ap.add_argument("--child", choices=["load", "resync", "match"], default=None, help=argparse.SUPPRESS)
    ap.add_argument("--n", type=int, default=0, help=argparse.SUPPRESS)
    ap.add_argument("--db", default=None, help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    if args.child:
        print(json.dumps(child(args)))
        return 0
    root = Path(args.keep) if args.keep else Path(tempfile.mkdtemp(prefix="mbc-bench-trials-"))
    root.mkdir(parents=True, exist_ok=True)
    rows = []
    for n in (int(s) for s in args.sizes.split(",")):
        db = root / f"trials-{n}.db"
        db.unlink(missing_ok=True)
        row: dict = {"n": n}
        for step in ("load", "resync", "match"):
            cmd = [sys.executable, __file__, "--child", step, "--n", str(n), "--db", str(db)]
            if args.jobs:
                cmd += ["--jobs", str(args.jobs)]
            if args.store_only:
                cmd.append("--store-only")
            res = json.loads(subprocess.run(cmd, check=True, capture_output=True, text=True).stdout)
            peak = res.pop("peak_rss_mib")
            row.update({k: v for k, v in res.items() if k != "n"})
            row[f"{step}_peak_rss_mib"] = peak
        row["db_mib"] = round(db.stat().st_size / 2**20, 1)
        rows.append(row)
        print(json.dumps(row), flush=True)
    if len(rows) > 1:
        for key in ("load_ms_per_trial", "load_cpu_ms_per_trial", "load_cpu_per_calib"):
            per = [r[key] for r in rows]
            print(
                f"{key} from {rows[0]['n']} to {rows[-1]['n']}: {per} (spread {max(per) / min(per) - 1:+.0%})"
            )
    return 0


if __name__ == "__main__":
    sys.exit(main())
