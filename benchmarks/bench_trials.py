"""Time parsing criteria, loading 1,000 trials and matching one patient against them.

* cold parse: each of the 41 shared trials' eligibility texts parsed from scratch (memo
  cleared), in ms per trial;
* load: the 41 trials replicated with new NCT ids to 1,000 and loaded into an in-memory
  registry (criteria parsed once per distinct text, as ``mbc trials load`` does);
* reopen: a registry written to a SQLite file, reopened and read back (no parsing);
* match: one patient against the 1,000 loaded trials (target <= 1 s).

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

    import tempfile

    from mbc.knowledge.loader import load_kb
    from mbc.model import parse_record
    from mbc.trials import Registry, load_trial_knowledge, match_trials, parse_criteria, read_path

    src = shared_dir(args.shared) / "data" / "trials" / "registry"
    if not src.is_dir():
        print(f"skip: {src} not found", file=sys.stderr)
        return 0
    kb = load_kb()
    base = list(read_path(src))
    tk = load_trial_knowledge(kb)
    cold = []
    for _ in range(args.repeat):
        tk.memo.clear()
        t = time.perf_counter()
        for trial in base:
            parse_criteria(trial.eligibility_text, tk)
        cold.append((time.perf_counter() - t) / len(base) * 1000)
    tk.memo.clear()
    trials = [base[i % len(base)].model_copy(update={"nct_id": f"NCT9{i:07d}"}) for i in range(args.n)]
    t0 = time.perf_counter()
    reg = Registry(kb=kb)
    reg.add(trials)
    loaded = reg.trials()
    t_load = time.perf_counter() - t0
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "trials.db"
        file_reg = Registry(db, kb=kb)
        file_reg.add(trials)
        file_reg.close()
        t = time.perf_counter()
        reopened = Registry(db, kb=kb)
        n_reopened = len(reopened.trials())
        t_reopen = time.perf_counter() - t
        reopened.close()

    record = parse_record(json.loads((HERE / "trials_labels" / "patients" / "P01.json").read_text()))
    times = []
    for _ in range(args.repeat):
        t = time.perf_counter()
        matches = match_trials(record, loaded, kb=kb, as_of=dt.date(2026, 1, 15))
        times.append(time.perf_counter() - t)
    best, worst = min(times), max(times)
    print(f"cold parse: {min(cold):.1f} ms/trial (best of {args.repeat}, {len(base)} distinct texts)")
    print(f"trials: {len(loaded)}  load+parse: {t_load:.2f}s  reopen {n_reopened} from SQLite: {t_reopen:.2f}s")
    print(f"match: best {best:.3f}s, worst {worst:.3f}s")
    print(
        f"eligible: {sum(m.status == 'eligible' for m in matches)}  target: match <= 1.0 s -> {'OK' if best <= 1.0 else 'SLOW'}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
