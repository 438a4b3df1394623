"""Field precision / recall / F1 and plan checks of the FHIR reader over a folder of bundles.

Each ``NAME.json`` (a FHIR R4 bundle) may have ``NAME.expected.json``: the partial contract
record a careful reader would take from it (keys starting with ``_`` are notes for the
reader of the file, e.g. ``_unread_resources``, and are not scored). Fields are scored exactly
as ``notes_eval.py`` scores notes (the same ``facts`` code, with the blind-set conventions:
comorbidity ``other`` ignored, ER/PR ``<1%`` = negative, dates at month precision).

``NAME.plan.json`` (optional): ``{"subtype": "HR+/HER2-", "line": 2 or null,
"preferred_any": [[drug ids], ...]}``. The record read from the bundle is planned with the
knowledge base; the checks are: the subtype, the line (skipped when null), and a preferred
option whose drugs contain every drug of one of the ``preferred_any`` sets (skipped when
empty). A bundle whose subtype is known must plan at least one option (``planned``).

The report also counts the resources the reader could not read (``unread`` entries of kind
``unreadable_resource``) and all ``unread`` entries.

Label rule known to differ from the reader (a contract decision, not a miss to tune away):
the blind labels never convert a Karnofsky score to ECOG ("Karnofsky is never converted"); the
reader does (``karnofsky_to_ecog`` in ``knowledge/ingest/fhir.yaml``, certainty ``inferred``,
its source named), because without it a fit patient with a symptom signal loses the engine's
ECOG 0-1 assumption and plans no preferred option. Each such bundle scores one ``ecog`` false
positive; the scorer keeps counting it so the figure stays comparable across sessions.

Sets: ``own`` (tests/ingest/fixtures/mcode, hand-written in other producers' idioms),
``ig`` (the mCODE STU4 IG's own examples, turned from FSH into JSON by
``benchmarks/_fsh.py``; needs the shared data) or any folder (``--dir``).

Usage::

    python benchmarks/fhir_eval.py [--set own|ig] [--dir FOLDER] [--subset all|tune|holdout]
        [--as-of YYYY-MM-DD] [--verbose]
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from notes_eval import _drug, by_kind, facts, match_symptoms, prf, print_kinds, tally  # noqa: E402  (shared scoring, not copied)

ROOT = Path(__file__).resolve().parents[1]
SETS = {"own": ROOT / "tests" / "ingest" / "fixtures" / "mcode"}
AS_OF = dt.date(2026, 11, 22)


def bundles(folder: Path, subset: str = "all") -> list[Path]:
    """The bundles of a folder (``subset``: every 4th by name is the holdout)."""
    names = sorted(
        p
        for p in folder.glob("*.json")
        if not p.name.endswith((".expected.json", ".plan.json")) and not p.name.startswith("_")
    )
    return [p for i, p in enumerate(names) if subset == "all" or (subset == "holdout") == (i % 4 == 3)]


def _scored(record: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in record.items() if not k.startswith("_")}


def plan_checks(record: dict[str, Any], want: dict[str, Any], as_of: dt.date) -> dict[str, Any]:
    """Plan the record and compare it with a ``.plan.json`` expectation."""
    from mbc.engine import plan as make_plan
    from mbc.knowledge import load_kb
    from mbc.model import parse_record

    data = {**record, "as_of": record.get("as_of") or as_of.isoformat()}
    try:
        p = make_plan(parse_record(data), load_kb())
    except Exception as exc:  # noqa: BLE001 - a report, not a test
        return {"error": f"{type(exc).__name__}: {exc}"}
    got_subtype = p.classification.subtype
    got_line = p.classification.line
    preferred = [{_drug(d) for d in o.drugs} for o in p.options if o.category == "preferred"]
    wanted_sets = [{_drug(d) for d in s} for s in want.get("preferred_any") or []]
    out: dict[str, Any] = {
        "subtype": (got_subtype == want.get("subtype"), got_subtype),
        "planned": (got_subtype == "unknown" or bool(p.options), len(p.options)),
    }
    if want.get("line") is not None:
        out["line"] = (got_line == want["line"], got_line)
    if wanted_sets:
        hit = any(s <= o for s in wanted_sets for o in preferred)
        out["preferred"] = (hit, [sorted(o) for o in preferred])
    return out


def evaluate(
    folder: Path, subset: str = "all", as_of: dt.date = AS_OF, verbose: bool = False
) -> dict[str, Any]:
    """Micro-averaged field scores, plan checks and unread counts over a folder."""
    from mbc.ingest import extract

    tp = fp = fn = 0
    checks: dict[str, list[int]] = {}
    unreadable = unread = 0
    n = 0
    kinds: dict[str, list[int]] = {}
    for path in bundles(folder, subset):
        n += 1
        raw = json.loads(path.read_text(encoding="utf-8"))
        exp_path = path.with_name(path.name.removesuffix(".json") + ".expected.json")
        plan_path = path.with_name(path.name.removesuffix(".json") + ".plan.json")
        expected = json.loads(exp_path.read_text(encoding="utf-8")) if exp_path.is_file() else None
        day = dt.date.fromisoformat(expected["as_of"]) if expected and expected.get("as_of") else as_of
        try:
            ex = extract(raw, as_of=day)
        except Exception as exc:  # noqa: BLE001 - a rejected bundle is a result
            print(f"{path.name}: REJECTED {type(exc).__name__}: {exc}")
            if expected is not None:
                fn += len(facts(_scored(expected), loose=True))
            if plan_path.is_file():
                for key in ("subtype", "planned"):
                    checks.setdefault(key, [0, 0])[1] += 1
            continue
        record = ex.record
        unread += len(ex.unread)
        bad = [u for u in ex.unread if u.get("kind") == "unreadable_resource"]
        unreadable += len(bad)
        if expected is not None:
            want = facts(_scored(expected), loose=True)
            got = facts(_scored(record), loose=True)
            match_symptoms(want, got)
            counts = tally(path.name, want, got, verbose)
            by_kind(want, got, kinds)
            tp, fp, fn = tp + counts[0], fp + counts[1], fn + counts[2]
        if plan_path.is_file():
            result = plan_checks(record, json.loads(plan_path.read_text(encoding="utf-8")), day)
            if "error" in result:
                print(f"{path.name}: PLAN ERROR {result['error']}")
                result = {"subtype": (False, None), "planned": (False, 0)}
            for key, (ok, got_value) in result.items():
                c = checks.setdefault(key, [0, 0])
                c[0] += int(ok)
                c[1] += 1
                if verbose and not ok:
                    print(f"{path.name}: plan {key} wrong (got {got_value!r})")
        if verbose and bad:
            print(f"{path.name}: unread {[u.get('resource') for u in bad]}")
    precision, recall, f1 = prf(tp, fp, fn)
    return {
        "bundles": n, "facts": tp + fn, "tp": tp, "fp": fp, "fn": fn,
        "precision": precision, "recall": recall, "f1": f1,
        "checks": checks, "unreadable_resources": unreadable, "unread": unread, "kinds": kinds,
    }  # fmt: skip


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--set", dest="which", choices=["own", "ig"], default="own")
    parser.add_argument("--dir", dest="folder", type=Path, default=None, help="a folder of bundles")
    parser.add_argument("--subset", choices=["all", "tune", "holdout"], default="all")
    parser.add_argument("--as-of", type=dt.date.fromisoformat, default=AS_OF,
                        help="reference date when an expectation gives none")  # fmt: skip
    parser.add_argument("--verbose", action="store_true")
    parser.add_argument("--by-field", action="store_true", help="also print P / R / F1 per field kind")
    args = parser.parse_args(argv)
    if args.folder is not None:
        folder, name = args.folder, str(args.folder)
    elif args.which == "ig":
        from _fsh import ig_examples_folder

        folder, name = ig_examples_folder(), "ig"
    else:
        folder, name = SETS[args.which], args.which
    r = evaluate(folder, args.subset, args.as_of, args.verbose)
    checks = " ".join(f"{k}={ok}/{total}" for k, (ok, total) in sorted(r["checks"].items()))
    print(
        f"set={name} subset={args.subset} bundles={r['bundles']} facts={r['facts']} tp={r['tp']} "
        f"fp={r['fp']} fn={r['fn']}  precision={r['precision']:.3f} recall={r['recall']:.3f} "
        f"F1={r['f1']:.3f}  plan: {checks or 'none'}  unreadable_resources={r['unreadable_resources']} "
        f"unread={r['unread']}"
    )
    if args.by_field:
        print_kinds(r["kinds"])
    return 0


if __name__ == "__main__":
    sys.exit(main())
