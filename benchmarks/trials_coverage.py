"""How much of real eligibility text the criteria grammar reads.

For every trial record found under the given folders (default: the unlabelled
ClinicalTrials.gov records, the TREC 2021 judged trials and the shared registry), each
eligibility sentence is parsed with ``knowledge/trials/patterns.yaml``. Reported per
folder: sentences, the share that get a condition (a requirement a patient fact can
decide), and the share of sentences that *mention a condition-like topic* (a receptor,
stage, line, biomarker, organ value, brain metastases, pregnancy...) yet get none - the
grammar's visible gaps. ``--show N`` lists N of those gaps (read them only on folders
you tune on).

    python benchmarks/trials_coverage.py [--shared PATH] [--dir PATH ...] [--show N]
"""

from __future__ import annotations

import argparse
import json
import os
import re
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent

FOLDERS = (
    ("ctgov_records", ("data", "ctgov_records")),
    ("trec2021", ("data", "trec_ct_2021_breast", "trials_sample_trec-202161")),
    ("registry", ("data", "trials", "registry")),
)
# A sentence that names one of these topics is one a patient record could decide.
TOPIC = re.compile(
    r"\b(?:her-?2|er[+-]|hr[+-]|hormone[- ]receptor|estrogen[- ]receptor|triple[- ]negative|tnbc|stage"
    r"|metasta\w*|advanced|lines?\s+of|chemotherap\w*|endocrine|cdk|parp|brca|pik3ca|esr1|akt|pten"
    r"|ecog|karnofsky|performance status|bilirubin|creatinine|neutrophil|platelet|ejection|lvef|qtc"
    r"|brain|cns|leptomening|pregnan|breast[- ]?feeding|lactat|age\b|years of age|postmenopausal"
    r"|premenopausal|menopaus|measurable|diabet|heart failure|pneumonitis|interstitial|hepatic"
    r"|dpd|dihydropyrimidine)",
    re.IGNORECASE,
)


def shared_dir(explicit: str | None) -> Path:
    if explicit:
        return Path(explicit)
    return Path(os.environ.get("MBC_SHARED") or HERE.parent.parent / "shared")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--shared", default=None)
    ap.add_argument("--dir", action="append", default=None, help="A folder of trial records (repeatable).")
    ap.add_argument("--show", type=int, default=0, help="List this many topic sentences left unread.")
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args(argv)

    from mbc.knowledge.loader import load_kb
    from mbc.trials import load_trial_knowledge, parse_trial, read_path

    tk = load_trial_knowledge(load_kb())
    shared = shared_dir(args.shared)
    folders = (
        [(Path(d).name, Path(d)) for d in args.dir]
        if args.dir
        else [(name, shared.joinpath(*parts)) for name, parts in FOLDERS]
    )
    out: dict[str, dict[str, float | int]] = {}
    gaps: list[str] = []
    for name, folder in folders:
        if not folder.is_dir():
            print(f"skip: {folder} not found", file=sys.stderr)
            continue
        seen: set[str] = set()
        total = read = topic = topic_read = trials = 0
        for path in sorted(
            p for p in folder.rglob("*") if p.is_file() and p.suffix in {".json", ".xml", ".ndjson", ".txt"}
        ):
            try:
                records = list(read_path(path))
            except Exception:  # noqa: BLE001 - a folder may hold files that are not records
                continue
            for trial in records:
                if trial.nct_id in seen:
                    continue
                seen.add(trial.nct_id)
                trials += 1
                for c in parse_trial(trial, tk).criteria or ():
                    if c.source != "text":
                        continue
                    total += 1
                    ok = c.condition is not None
                    read += ok
                    if TOPIC.search(c.text):
                        topic += 1
                        topic_read += ok
                        if not ok and (c.note or "") == "no pattern matched":
                            gaps.append(f"{name} {trial.nct_id} [{c.kind[:3]}] {c.text[:200]}")
        out[name] = {
            "trials": trials,
            "sentences": total,
            "with_condition": round(read / total, 3) if total else 0.0,
            "topic_sentences": topic,
            "topic_with_condition": round(topic_read / topic, 3) if topic else 0.0,
        }
    if args.json:
        print(json.dumps(out, indent=2))
    else:
        for name, f in out.items():
            print(
                f"{name:14s} trials {f['trials']:4d}  sentences {f['sentences']:5d}  with a condition "
                f"{f['with_condition']:.1%}  topic sentences {f['topic_sentences']:5d} read {f['topic_with_condition']:.1%}"
            )
    for line in gaps[: args.show]:
        print(line)
    return 0


if __name__ == "__main__":
    sys.exit(main())
