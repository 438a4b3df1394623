"""Plan each FHIR case's LABELLED record and compare it with its plan label. Not a test.

The FHIR sets (``benchmarks/blind*/fhir``) hold, per bundle, ``NAME.expected.json`` (the partial
contract record a careful reader takes from the bundle) and ``NAME.plan.json`` (the plan the
guideline gives: ``subtype``, ``line``, ``preferred_any`` and, in later sets,
``must_not_be_preferred``). ``fhir_eval.py`` plans the record the READER produced; this script
plans the labelled record itself, so a miss here is a rule (engine / knowledge) fault and not a
reading fault.

Per case: subtype, line, preferred (a preferred option holds every drug of one ``preferred_any``
set) and forbidden (a preferred option holds a ``must_not_be_preferred`` drug).

Usage::

    python benchmarks/rules_oracle.py [DIR ...] [--verbose]

Default DIR: every ``benchmarks/blind*/fhir`` folder. Keys of an expected record starting with
``_`` are notes and are dropped; ``as_of`` defaults to fhir_eval's reference date.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from fhir_eval import AS_OF  # noqa: E402  (same reference date as the FHIR scorer)
from notes_eval import _drug  # noqa: E402  (same drug-name normalisation)

ROOT = Path(__file__).resolve().parents[1]


def check_case(record: dict[str, Any], want: dict[str, Any], kb: Any) -> dict[str, Any]:
    """Plan ``record`` and compare it with the plan label ``want``."""
    from mbc.engine import plan as make_plan
    from mbc.model import parse_record

    data = {k: v for k, v in record.items() if not k.startswith("_")}
    data.setdefault("id", "oracle")
    data.setdefault("as_of", AS_OF.isoformat())
    p = make_plan(parse_record(data), kb)
    preferred = [{_drug(d) for d in o.drugs} for o in p.options if o.category == "preferred"]
    out: dict[str, Any] = {"subtype": (p.classification.subtype == want.get("subtype"), p.classification.subtype)}
    if want.get("line") is not None:
        out["line"] = (p.classification.line == want["line"], p.classification.line)
    wanted = [{_drug(d) for d in s} for s in want.get("preferred_any") or []]
    if wanted:
        out["preferred"] = (any(s <= o for s in wanted for o in preferred), [sorted(o) for o in preferred])
    banned = {_drug(d) for d in want.get("must_not_be_preferred") or []}
    if banned:
        hits = sorted({d for o in preferred for d in o & banned})
        out["no_forbidden"] = (not hits, hits)
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("dirs", nargs="*", type=Path)
    parser.add_argument("--verbose", action="store_true", help="print every case, not only misses")
    args = parser.parse_args(argv)
    from mbc.knowledge import load_kb

    kb = load_kb()
    dirs = args.dirs or sorted((ROOT / "benchmarks").glob("blind*/fhir"))
    totals: dict[str, list[int]] = {}
    for folder in dirs:
        for plan_path in sorted(folder.glob("*.plan.json")):
            exp_path = plan_path.with_name(plan_path.name.removesuffix(".plan.json") + ".expected.json")
            if not exp_path.is_file():
                continue
            want = json.loads(plan_path.read_text(encoding="utf-8"))
            try:
                result = check_case(json.loads(exp_path.read_text(encoding="utf-8")), want, kb)
            except Exception as exc:  # noqa: BLE001 - a report, not a test
                print(f"{folder.parent.name}/{plan_path.name}: ERROR {type(exc).__name__}: {exc}")
                continue
            bad = {k: v for k, (ok, v) in result.items() if not ok}
            for key, (ok, _) in result.items():
                c = totals.setdefault(key, [0, 0])
                c[0] += int(ok)
                c[1] += 1
            if bad or args.verbose:
                name = f"{folder.parent.name}/{plan_path.name.removesuffix('.plan.json')}"
                print(f"{'MISS' if bad else 'ok  '} {name}: " + "; ".join(f"{k}={v!r}" for k, v in (bad or result).items()))
    print("rules oracle: " + " ".join(f"{k}={ok}/{n}" for k, (ok, n) in sorted(totals.items())))
    return 0


if __name__ == "__main__":
    sys.exit(main())
