"""Score partial-record cases (issue 10). Not a test.

Each case directory holds ``partial.json`` (a record with commonly missing facts left
out), ``expected.json`` (an excerpt, see :mod:`mbc.testing`) and, when given,
``complete.json`` (the same patient with everything recorded). For each case:

* **pass**: the plan of partial.json satisfies expected.json. Field paths in
  ``assumptions`` / ``scenarios`` match after removing list indices
  (``prior_therapies[0].setting`` matches ``prior_therapies.setting``), as the blind set's
  README suggests; every other key is checked by :func:`mbc.testing.check_plan`.
* **same preferred**: the preferred options (regimens) of partial.json equal those of
  complete.json.
* **forbidden**: an option contains a drug the excerpt excludes.
* **same preferred, branch read** (session 5): as *same preferred*, but where the partial plan
  branches (``scenarios``) on a field the complete record gives, the preferred options are read
  from the branch whose condition the complete record meets (``if premenopausal: AI + CDK4/6
  inhibitor + ovarian suppression`` for a complete record that says premenopausal). The plain
  count compares the outright options only, so a correct branch counts as a difference there.

* **complete pass** (``--complete``): the plan of complete.json satisfies expected.json
  without its ``assumptions`` / ``scenarios`` / ``missing_information`` keys (the complete cases must not get worse).

Usage::

    python benchmarks/partial_eval.py [DIR ...] [--verbose] [--complete] [--part all|tune|holdout]

Expected drugs written as vocabulary ids are read as the drugs' generic names
(``--raw-ids`` turns this off: the session-start scoring).
``--part``: cases sorted by name, every 4th is the holdout (session 3 rule); ``tune`` is the rest.

Default DIR: /work/blind/cases/partial when present, and tests/golden/blind_partial.
"""

from __future__ import annotations

import argparse
import json
import re
from pathlib import Path
from typing import Any

from mbc.engine import plan as make_plan
from mbc.knowledge import load_kb
from mbc.model import parse_record
from mbc.model.paths import get_path
from mbc.model.plan import Plan
from mbc.testing import check_plan

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_DIRS = (Path("/work/blind/cases/partial"), ROOT / "tests" / "golden" / "blind_partial")
_INDEX = re.compile(r"\[\d*\]")


def _norm(path: str) -> str:
    return _INDEX.sub("", path)


def _matches(plan_paths: set[str], want: str) -> bool:
    w = _norm(want)
    return any(_norm(p) == w or _norm(p).startswith(w + ".") for p in plan_paths)


def check(plan: Plan, expected: dict[str, Any]) -> list[str]:
    """check_plan, with index-free path matching for assumptions and scenarios."""
    rest = {k: v for k, v in expected.items() if k not in ("assumptions", "scenarios")}
    errs = check_plan(plan, rest)
    assumed = {a.field for a in plan.assumptions}
    for f in expected.get("assumptions", {}).get("include_fields", []):
        if not _matches(assumed, f):
            errs.append(f"assumptions should name {f}; got {sorted(assumed)}")
    for f in expected.get("assumptions", {}).get("exclude_fields", []):
        if _matches(assumed, f):
            errs.append(f"assumptions must not name {f}")
    branched = {f for s in plan.scenarios for f in s.if_}
    for f in expected.get("scenarios", {}).get("include_fields", []):
        if not _matches(branched, f):
            errs.append(f"scenarios should branch on {f}; got {sorted(branched)}")
    return errs


def named(expected: dict[str, Any], kb: Any) -> dict[str, Any]:
    """Expected drugs given by vocabulary id (``trastuzumab_deruxtecan``) read as the generic
    names plans show (CONTRACT section 3), so a label's spelling is not scored as a miss."""

    def name(d: str) -> str:
        drug = kb.drugs.get(d)
        return drug.name.lower() if drug is not None else d

    out = json.loads(json.dumps(expected))
    opts = out.get("options", {})
    for item in opts.get("include", []):
        item["drugs"] = [name(d) for d in item.get("drugs", [])]
    if "exclude_drugs" in opts:
        opts["exclude_drugs"] = [name(d) for d in opts["exclude_drugs"]]
    nr = out.get("not_recommended", {})
    if "include_drugs" in nr:
        nr["include_drugs"] = [[name(d) for d in ds] for ds in nr["include_drugs"]]
    return out


def preferred(plan: Plan) -> set[str]:
    return {o.regimen for o in plan.options if o.category == "preferred"}


def branch_preferred(plan: Plan, complete: dict[str, Any]) -> set[str] | None:
    """The preferred regimens of the scenario(s) whose condition the complete record meets;
    None when the plan has no such record-field branch."""

    def meets(s: Any, f: str, v: Any) -> bool:
        # the value itself, or a value the branch's own words name ("if pre- or perimenopausal")
        got = get_path(complete, f)
        return got is not None and (got == v or (isinstance(got, str) and re.search(rf"\b{got}\b", s.label)))

    hit = [s for s in plan.scenarios if s.if_ and all(meets(s, f, v) for f, v in s.if_.items())]
    if not hit:
        return None
    return {o.split(":", 1)[-1] for s in hit for o in s.options}


def _record(path: Path) -> Any:
    return parse_record(json.loads(path.read_text()))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("dirs", nargs="*", type=Path)
    ap.add_argument("--verbose", action="store_true")
    ap.add_argument("--complete", action="store_true", help="also score complete.json against expected")
    ap.add_argument("--raw-ids", action="store_true", help="compare drug ids as written (no id -> name)")
    ap.add_argument("--part", choices=["all", "tune", "holdout"], default="all")
    args = ap.parse_args()
    kb = load_kb()
    for root in args.dirs or [d for d in DEFAULT_DIRS if d.is_dir()]:
        cases = sorted(p.parent for p in root.glob("*/expected.json"))
        if args.part != "all":
            cases = [c for k, c in enumerate(cases, 1) if (k % 4 == 0) == (args.part == "holdout")]
        n = passed = same = same_branch = compared = forbidden = 0
        c_n = c_pass = c_forbidden = 0
        for case in cases:
            partial = case / "partial.json" if (case / "partial.json").is_file() else case / "patient.json"
            expected = json.loads((case / "expected.json").read_text())
            if not args.raw_ids:
                expected = named(expected, kb)
            p = make_plan(_record(partial), kb)
            errs = check(p, expected)
            n += 1
            passed += not errs
            bad = [e for e in errs if "must not be offered" in e]
            forbidden += bool(bad)
            line = f"{case.name}: {'pass' if not errs else 'FAIL'}"
            if (case / "complete.json").is_file():
                full = make_plan(_record(case / "complete.json"), kb)
                compared += 1
                if args.complete:
                    # what the partial record leaves out is not asked of the complete one
                    skip = ("assumptions", "scenarios", "missing_information")
                    rest = {k: v for k, v in expected.items() if k not in skip}
                    c_errs = check_plan(full, rest)
                    c_n += 1
                    c_pass += not c_errs
                    c_forbidden += any("must not be offered" in e for e in c_errs)
                    if c_errs and args.verbose:
                        print(f"{case.name} [complete]: FAIL")
                        for e in c_errs:
                            print("   ", e)
                ok = preferred(full) == preferred(p)
                same += ok
                branch = None if ok else branch_preferred(p, json.loads((case / "complete.json").read_text()))
                same_branch += ok or branch == preferred(full)
                if not ok:
                    line += f" | preferred differ: complete {sorted(preferred(full))} partial {sorted(preferred(p))}"
                    line += f" (branch read: {sorted(branch) if branch is not None else 'no branch'})"
            if args.verbose and (errs or "differ" in line):
                print(line)
                for e in errs:
                    print("   ", e)
        print(
            f"{root}: {passed}/{n} pass; same preferred as complete {same}/{compared} "
            f"(branch read {same_branch}/{compared}); "
            f"cases offering a forbidden drug {forbidden}"
            + (f"; complete records pass {c_pass}/{c_n}, forbidden {c_forbidden}" if args.complete else "")
        )


if __name__ == "__main__":
    main()
