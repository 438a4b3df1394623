"""Time matching one patient against 1,000 trials (after loading).

The 41 shared trials are replicated with new NCT ids to 1,000, loaded into an in-memory
registry (criteria parsed once, as ``mbc trials load`` does), then matched.

    python benchmarks/bench_trials.py [--n 1000] [--repeat 5]
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from trials_eval import shared_dir  # noqa: E402 - benchmarks are scripts, not a package


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--n", type=int, default=1000)
    ap.add_argument("--repeat", type=int, default=5)
    ap.add_argument("--shared", default=None)
    args = ap.parse_args(argv)

    from mbc.knowledge.loader import load_kb
    from mbc.model import parse_record
    from mbc.trials import Registry, match_trials, read_path

    src = shared_dir(args.shared) / "data" / "trials" / "registry"
    if not src.is_dir():
        print(f"skip: {src} not found", file=sys.stderr)
        return 0
    kb = load_kb()
    base = list(read_path(src))
    trials = [base[i % len(base)].model_copy(update={"nct_id": f"NCT9{i:07d}"}) for i in range(args.n)]
    t0 = time.perf_counter()
    reg = Registry(kb=kb)
    reg.add(trials)
    loaded = reg.trials()
    t_load = time.perf_counter() - t0

    record = parse_record(json.loads((HERE / "trials_labels" / "patients" / "P01.json").read_text()))
    times = []
    for _ in range(args.repeat):
        t = time.perf_counter()
        matches = match_trials(record, loaded, kb=kb, as_of=dt.date(2026, 1, 15))
        times.append(time.perf_counter() - t)
    best, worst = min(times), max(times)
    print(f"trials: {len(loaded)}  load+parse: {t_load:.2f}s  match: best {best:.3f}s, worst {worst:.3f}s")
    print(
        f"eligible: {sum(m.status == 'eligible' for m in matches)}  target: match <= 1.0 s -> {'OK' if best <= 1.0 else 'SLOW'}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
