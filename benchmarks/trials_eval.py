"""Evaluate trial matching on our labelled set (16 patients x 41 trials) against BM25.

Reports, per system: P@5, NDCG@10 (binary gain: labelled eligible), and for the matcher
the precision / recall of the ``eligible`` status over all patient-trial pairs.

    python benchmarks/trials_eval.py [--set original|heldout] [--shared PATH] [--details]

The trials are read from ``<shared>/data/trials/registry`` (``$MBC_SHARED`` or
``<repo>/../shared``); patients and labels from ``benchmarks/trials_labels/`` (``--set heldout``:
``benchmarks/trials_labels/heldout/``, four patients labelled before the second parser pass
and never used to tune it).
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import json
import math
import os
import sys
from collections.abc import Sequence
from pathlib import Path

HERE = Path(__file__).resolve().parent
LABELS = HERE / "trials_labels"


def shared_dir(explicit: str | None = None) -> Path:
    """Where the shared data lives."""
    if explicit:
        return Path(explicit)
    if os.environ.get("MBC_SHARED"):
        return Path(os.environ["MBC_SHARED"])
    return HERE.parent.parent / "shared"


SETS = {"original": LABELS, "heldout": LABELS / "heldout", "trec": LABELS / "trec2021"}

# Where the TREC 2021 judged trials are found in the shared data (first hit wins).
TREC_TRIAL_DIRS = (
    ("data", "trec_ct_2021_breast", "trials_sample_trec-202161"),
    ("data", "trials", "registry"),
    ("data", "ctgov_records", "trec_pm_xml_samples_bst-mug"),
)


def load_labels(root: Path = LABELS) -> dict[str, dict[str, str]]:
    """``labels.tsv``: patient, trial, label (with or without a header row)."""
    out: dict[str, dict[str, str]] = {}
    with (root / "labels.tsv").open() as fh:
        for row in csv.reader(fh, delimiter="\t"):
            if len(row) < 3 or row[:3] == ["patient", "trial", "label"]:
                continue
            out.setdefault(row[0], {})[row[1]] = row[2]
    return out


def load_soft(root: Path) -> set[tuple[str, str]]:
    """``possible.tsv`` (optional): pairs whose label rests on a fact the record lacks."""
    path = root / "possible.tsv"
    if not path.is_file():
        return set()
    with path.open() as fh:
        return {(row["patient"], row["trial"]) for row in csv.DictReader(fh, delimiter="\t")}


def patient_text(record: dict) -> str:
    """A plain-text rendering of a contract record (the BM25 query)."""
    parts = [f"{record.get('age', '')} year old {record.get('sex', '')}", "metastatic breast cancer"]
    t = record.get("tumor") or {}
    if "er_percent" in t:
        parts.append("estrogen receptor positive ER+" if t["er_percent"] >= 1 else "ER negative")
    if "her2_ihc" in t:
        ihc = t["her2_ihc"]
        parts.append(
            {"3+": "HER2 positive", "2+": "HER2 low", "1+": "HER2 low", "0": "HER2 negative IHC 0"}.get(
                ihc, ""
            )
        )
    if t.get("er_percent", 1) < 1 and t.get("her2_ihc") in {"0", "1+"}:
        parts.append("triple negative TNBC")
    parts += list(record.get("somatic") or [])
    parts += [f"germline {g} mutation" for g in record.get("germline") or []]
    sites = (record.get("metastases") or {}).get("sites") or []
    parts += [f"{s} metastases" for s in sites]
    for th in record.get("prior_therapies") or []:
        parts.append(f"prior {th.get('setting', '')} " + " ".join(th["drugs"]))
    if "ecog" in record:
        parts.append(f"ECOG {record['ecog']}")
    return " ".join(p for p in parts if p)


def ndcg(ranked: Sequence[str], relevant: set[str], k: int) -> float:
    dcg = sum(1 / math.log2(i + 2) for i, t in enumerate(ranked[:k]) if t in relevant)
    ideal = sum(1 / math.log2(i + 2) for i in range(min(k, len(relevant))))
    return dcg / ideal if ideal else 0.0


def p_at(ranked: Sequence[str], relevant: set[str], k: int) -> float:
    return sum(1 for t in ranked[:k] if t in relevant) / k


def ndcg_graded(ranked: Sequence[str], gains: dict[str, int], k: int) -> float:
    """NDCG@k with graded gains (TREC CT: 2 eligible, 1 excluded, 0 not relevant)."""
    dcg = sum(gains.get(t, 0) / math.log2(i + 2) for i, t in enumerate(ranked[:k]))
    best = sorted(gains.values(), reverse=True)
    ideal = sum(g / math.log2(i + 2) for i, g in enumerate(best[:k]))
    return dcg / ideal if ideal else 0.0


def trec_eval(shared: Path, *, split: str | None, details: bool) -> dict:
    """Score the matcher on the TREC 2021 breast topics x the judged trials found locally.

    Every topic was converted by hand to a contract record (``trec2021/README.md``);
    ``split`` limits the pairs to the ``tuning`` or ``heldout`` part (None: all).
    """
    from mbc.knowledge.loader import load_kb
    from mbc.model import parse_record
    from mbc.trials import match_trials, read_path

    root = SETS["trec"]
    labels: dict[str, dict[str, int]] = {}
    with (root / "labels.tsv").open() as fh:
        for row in csv.DictReader(fh, delimiter="\t"):
            if split is None or row["split"] == split:
                labels.setdefault(row["topic"], {})[row["trial"]] = int(row["score"])
    wanted = {t for per in labels.values() for t in per}
    found: dict[str, object] = {}
    for parts in TREC_TRIAL_DIRS:
        folder = shared.joinpath(*parts)
        if not folder.is_dir():
            continue
        for path in sorted(folder.iterdir()):
            nct = path.stem
            if nct in wanted and nct not in found:
                found.update((t.nct_id, t) for t in read_path(path) if t.nct_id == nct)
    kb = load_kb()
    tp = fp = fn = 0
    tp_any = fp_any = 0
    ndcgs: list[float] = []
    lines: list[str] = []
    scored = 0
    for path in sorted((root / "patients").glob("*.json")):
        record = parse_record(json.loads(path.read_text()))
        gold = {t: g for t, g in labels.get(record.id, {}).items() if t in found}
        if not gold:
            continue
        trials = [found[t] for t in sorted(gold)]
        matches = match_trials(record, trials, kb=kb, as_of=record.as_of or dt.date(2021, 7, 1))
        ndcgs.append(ndcg_graded([m.trial.nct_id for m in matches], gold, 10))
        for m in matches:
            g = gold[m.trial.nct_id]
            scored += 1
            pred = m.status == "eligible"
            pred_any = m.status != "excluded"
            tp += pred and g == 2
            fp += pred and g != 2
            fn += (not pred) and g == 2
            tp_any += pred_any and g == 2
            fp_any += pred_any and g != 2
            if pred != (g == 2) or details:
                why = "; ".join(m.reasons)[:200]
                lines.append(f"{record.id} {m.trial.nct_id} gold={g} got={m.status} {why}")
    elig = tp + fn
    out = {
        "set": "trec" + (f":{split}" if split else ""),
        "pairs_labelled": sum(len(v) for v in labels.values()),
        "pairs_scored": scored,
        "trials_found": len(found),
        "eligible_precision": round(tp / (tp + fp), 3) if tp + fp else None,
        "eligible_recall": round(tp / elig, 3) if elig else None,
        "not_excluded_precision": round(tp_any / (tp_any + fp_any), 3) if tp_any + fp_any else None,
        "not_excluded_recall": round(tp_any / elig, 3) if elig else None,
        "ndcg10_graded": round(sum(ndcgs) / len(ndcgs), 3) if ndcgs else None,
        "tp": tp,
        "fp": fp,
        "fn": fn,
    }
    out["disagreements"] = lines
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--shared", default=None)
    ap.add_argument("--details", action="store_true", help="List every disagreement.")
    ap.add_argument("--json", action="store_true", help="Print the figures as JSON.")
    ap.add_argument(
        "--set",
        choices=sorted(SETS),
        default="original",
        help="Labelled set: the 16 original patients, or the 4 held-out ones (never tuned on).",
    )
    ap.add_argument("--split", choices=["tuning", "heldout"], default=None, help="trec only: one part.")
    ap.add_argument(
        "--dir",
        default=None,
        help="A labelled set outside the repo (patients/, labels.tsv, optional possible.tsv); overrides --set.",
    )
    ap.add_argument("--patients", default=None, help="Comma-separated patient ids: score only these.")
    args = ap.parse_args(argv)
    if args.set == "trec":
        shared = shared_dir(args.shared)
        if not (shared / "data" / "trec_ct_2021_breast").is_dir():
            print(f"skip: TREC 2021 data not found under {shared}/data", file=sys.stderr)
            return 0
        res = trec_eval(shared, split=args.split, details=args.details)
        lines = res.pop("disagreements")
        print(json.dumps(res, indent=2))
        if args.details or not args.json:
            print("\n".join(lines))
        return 0

    registry_dir = shared_dir(args.shared) / "data" / "trials" / "registry"
    if not registry_dir.is_dir():
        print(f"skip: shared trial registry not found at {registry_dir}", file=sys.stderr)
        return 0

    import bm25s

    from mbc.knowledge.loader import load_kb
    from mbc.model import parse_record
    from mbc.trials import load_registry, match_trials

    kb = load_kb()
    trials = load_registry(registry_dir, kb=kb).trials()
    root = Path(args.dir) if args.dir else SETS[args.set]
    labels = load_labels(root)
    soft = load_soft(root)
    only = set(args.patients.split(",")) if args.patients else None
    soft_ok = soft_total = soft_eligible = 0
    docs = [" ".join((t.title, " ".join(t.conditions), t.eligibility_text)) for t in trials]
    retriever = bm25s.BM25()
    retriever.index(bm25s.tokenize(docs, stopwords="en", show_progress=False), show_progress=False)

    rows = {"matcher": {"p5": [], "ndcg10": []}, "bm25": {"p5": [], "ndcg10": []}}
    tp = fp = fn = 0
    tp_any = fp_any = 0
    disagreements: list[str] = []
    for path in sorted((root / "patients").glob("*.json")):
        raw = json.loads(path.read_text())
        record = parse_record(raw)
        if only is not None and record.id not in only:
            continue
        gold = labels[record.id]
        relevant = {t for t, lab in gold.items() if lab == "eligible"}
        matches = match_trials(record, trials, kb=kb, as_of=record.as_of or dt.date(2026, 1, 15))
        ranked = [m.trial.nct_id for m in matches]
        rows["matcher"]["p5"].append(p_at(ranked, relevant, 5))
        rows["matcher"]["ndcg10"].append(ndcg(ranked, relevant, 10))
        for m in matches:
            predicted = m.status == "eligible"
            actual = m.trial.nct_id in relevant
            tp_any += m.status != "excluded" and actual
            fp_any += m.status != "excluded" and not actual
            tp += predicted and actual
            fp += predicted and not actual
            if (record.id, m.trial.nct_id) in soft:
                soft_total += 1
                soft_ok += m.status == "possible"
                soft_eligible += m.status == "eligible"
            fn += actual and not predicted
            if predicted != actual:
                why = "; ".join(m.reasons)[:160]
                disagreements.append(
                    f"{record.id} {m.trial.nct_id} gold={gold[m.trial.nct_id]} got={m.status} {why}"
                )
        q = bm25s.tokenize([patient_text(raw)], stopwords="en", show_progress=False)
        idx, _ = retriever.retrieve(q, k=len(trials), show_progress=False)
        bm_ranked = [trials[i].nct_id for i in idx[0]]
        rows["bm25"]["p5"].append(p_at(bm_ranked, relevant, 5))
        rows["bm25"]["ndcg10"].append(ndcg(bm_ranked, relevant, 10))

    n = len(rows["matcher"]["p5"])
    figures = {system: {k: round(sum(v) / n, 3) for k, v in vals.items()} for system, vals in rows.items()}
    figures["matcher"]["eligible_precision"] = round(tp / (tp + fp), 3) if tp + fp else 0.0
    figures["matcher"]["eligible_recall"] = round(tp / (tp + fn), 3) if tp + fn else 0.0
    figures["matcher"]["not_excluded_precision"] = (
        round(tp_any / (tp_any + fp_any), 3) if tp_any + fp_any else 0.0
    )
    figures["matcher"]["not_excluded_recall"] = round(tp_any / (tp + fn), 3) if tp + fn else 0.0
    if soft:
        # Pairs labelled on an assumption about a fact the record lacks: `possible` is the
        # answer the issue asks for, `eligible` is what the label allows.
        figures["matcher"]["soft_pairs"] = soft_total
        figures["matcher"]["soft_possible"] = soft_ok
        figures["matcher"]["soft_eligible"] = soft_eligible
    figures["pairs"] = {
        "set": str(root) if args.dir else args.set,
        "patients": n,
        "trials": len(trials),
        "eligible_labels": tp + fn,
        "tp": tp,
        "fp": fp,
        "fn": fn,
    }
    if args.json:
        print(json.dumps(figures, indent=2))
    else:
        print(f"{'system':10s} {'P@5':>6s} {'NDCG@10':>8s} {'elig.prec':>10s} {'elig.rec':>9s}")
        for system in ("matcher", "bm25"):
            f = figures[system]
            prec = f.get("eligible_precision", float("nan"))
            rec = f.get("eligible_recall", float("nan"))
            print(f"{system:10s} {f['p5']:6.3f} {f['ndcg10']:8.3f} {prec:10.3f} {rec:9.3f}")
        print(f"pairs: {figures['pairs']}")
    if args.details:
        print("\n".join(disagreements))
    return 0


if __name__ == "__main__":
    sys.exit(main())
