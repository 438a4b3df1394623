"""Benchmark: in-process plan time over >= 1,000 varied generated records, and the CLI's
peak memory. Not a test: run `python benchmarks/bench_plan.py [--n 2000] [--seed 7]`.

Target (issue 2): median <= 1 ms per record.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import random
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from mbc.engine import plan
from mbc.knowledge import load_kb
from mbc.model import parse_record

AS_OF = dt.date(2026, 11, 1)


def random_record(rng: random.Random, i: int, drugs: list[str]) -> dict[str, Any]:
    """A random valid record (receptors, history, labs, symptoms)."""
    r: dict[str, Any] = {"id": f"bench-{i}", "as_of": AS_OF.isoformat()}
    r["age"] = rng.randint(25, 90)
    r["sex"] = "male" if rng.random() < 0.05 else "female"
    if r["sex"] == "female":
        r["menopausal_status"] = rng.choice(["premenopausal", "perimenopausal", "postmenopausal"])
    r["ecog"] = rng.choice([0, 0, 1, 1, 2, 3])
    r["weight_kg"] = round(rng.uniform(45, 110), 1)
    r["height_cm"] = round(rng.uniform(150, 185), 1)
    r["tumor"] = {
        "er_percent": rng.choice([0, 0, 5, 50, 90, 95]),
        "pr_percent": rng.choice([0, 10, 60]),
        "her2_ihc": rng.choice(["0", "ultralow", "1+", "2+", "3+"]),
    }
    if r["tumor"]["her2_ihc"] == "2+" and rng.random() < 0.7:
        r["tumor"]["her2_ish"] = rng.choice(["amplified", "not_amplified"])
    if rng.random() < 0.5:
        r["tumor"]["pdl1_cps"] = rng.choice([0, 3, 10, 25])
    if rng.random() < 0.6:
        r["somatic"] = rng.sample(["ESR1 Y537S", "PIK3CA H1047R", "AKT1 E17K", "PTEN loss", "PIK3CA wildtype", "ESR1 wildtype"], k=rng.randint(0, 3))
    if rng.random() < 0.6:
        r["germline"] = rng.choice([[], [], ["BRCA1"], ["BRCA2"]])
    r["metastases"] = {"sites": rng.sample(["bone", "liver", "lung", "brain", "distant_lymph_nodes", "pleura"], k=rng.randint(1, 3)),
                       "visceral_crisis": rng.random() < 0.05}  # fmt: skip
    r["presentation"] = rng.choice(["de_novo", "recurrence"])
    mdx = AS_OF - dt.timedelta(days=rng.randint(10, 2000))
    r["metastatic_diagnosis_date"] = mdx.isoformat()
    therapies = []
    if r["presentation"] == "recurrence":
        start = mdx - dt.timedelta(days=rng.randint(400, 3000))
        therapies.append({"setting": "adjuvant", "drugs": rng.sample(drugs, 1), "start": start.isoformat(),
                          "end": min(mdx, start + dt.timedelta(days=rng.randint(100, 1800))).isoformat(),
                          "stop_reason": "completed"})  # fmt: skip
    cursor = mdx
    for _ in range(rng.randint(0, 3)):
        end = cursor + dt.timedelta(days=rng.randint(60, 500))
        if end >= AS_OF:
            break
        therapies.append({"setting": "metastatic", "drugs": rng.sample(drugs, rng.randint(1, 2)),
                          "start": cursor.isoformat(), "end": end.isoformat(), "stop_reason": "progression"})  # fmt: skip
        cursor = end
    r["prior_therapies"] = therapies
    r["lvef_percent"] = rng.choice([45, 55, 62])
    r["qtcf_ms"] = rng.choice([410, 430, 460])
    r["labs"] = {"creatinine_clearance_ml_min": rng.choice([25, 45, 80, 110]), "calcium_mg_dl": rng.choice([9.2, 11.5, 13.0]),
                 "albumin_g_dl": rng.choice([3.0, 4.0]), "hba1c_percent": rng.choice([5.4, 7.5])}  # fmt: skip
    r["comorbidities"] = rng.sample(["diabetes_type2", "interstitial_lung_disease", "long_qt"], k=rng.randint(0, 1))
    r["medications"] = rng.sample(["metformin", "clarithromycin", "warfarin"], k=rng.randint(0, 1))
    r["symptoms"] = rng.sample(["back pain", "headache", "cough", "leg weakness"], k=rng.randint(0, 2))
    return r


# Runs `mbc ...` and prints its own peak RSS (VmHWM, kB) to stderr at exit. ru_maxrss of a
# child is no good on Linux: it starts from the parent's RSS at fork (this process holds
# thousands of records), so it would report the benchmark's memory, not the CLI's.
_CLI = """
import atexit, runpy, sys
def _peak():
    try:
        with open("/proc/self/status") as fh:
            for line in fh:
                if line.startswith("VmHWM:"):
                    print(line.split()[1], file=sys.stderr)
    except OSError:
        pass
atexit.register(_peak)
sys.argv = ["mbc", *sys.argv[1:]]
runpy.run_module("mbc", run_name="__main__")
"""


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--n", type=int, default=2000)
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--clock", choices=("wall", "cpu"), default="wall",
                    help="wall: perf_counter (the target); cpu: this process's CPU time "
                         "(steadier on a machine shared with other jobs)")  # fmt: skip
    args = ap.parse_args()
    kb = load_kb()
    rng = random.Random(args.seed)
    drugs = sorted(d.name for d in kb.drugs.values() if d.cancer_drug)
    records = [parse_record(random_record(rng, i, drugs)) for i in range(args.n)]
    for r in records[:50]:  # warm-up
        plan(r, kb)
    clock = time.perf_counter if args.clock == "wall" else time.process_time
    times = []
    for r in records:
        t0 = clock()
        plan(r, kb)
        times.append((clock() - t0) * 1000)
    times.sort()
    p95 = times[int(0.95 * (len(times) - 1))]
    p99 = times[int(0.99 * (len(times) - 1))]
    print(f"records: {len(records)}  rules: {len(kb.active_rules)}  safety: {len(kb.active_safety)}")
    print(f"plan time ({args.clock} clock): median {statistics.median(times):.3f} ms, p95 {p95:.3f} ms, p99 {p99:.3f} ms, max {times[-1]:.3f} ms")

    with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False) as fh:
        json.dump(random_record(rng, 0, drugs), fh)
    t0 = time.perf_counter()
    child = subprocess.run([sys.executable, "-c", _CLI, "plan", fh.name, "--format", "json"], check=True,
                           stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)  # fmt: skip
    wall = time.perf_counter() - t0
    peak = child.stderr.strip().splitlines()[-1] if child.stderr.strip() else ""
    # without /proc: ru_maxrss of children (on Linux it would count this process's pages)
    peak_kb = int(peak) if peak.isdigit() else resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    print(f"CLI `mbc plan`: wall {wall * 1000:.0f} ms, peak RSS {peak_kb / 1024:.1f} MiB")
    Path(fh.name).unlink()


if __name__ == "__main__":
    main()
