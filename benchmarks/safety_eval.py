"""Score blind safety cases (patient.json + expected.json [+ checks.json]) against mbc.

Usage:
    PYTHONPATH=$PWD/src python benchmarks/safety_eval.py [CASES_DIR] [--verbose]

Default CASES_DIR: /work/blind/cases/safety. Each case is planned (a ``region`` key in
expected.json plans with that region) and its excerpt is checked with
``mbc.testing.check_plan``. Keys check_plan does not understand are dropped and reported.
Drug names in the excerpt are normalised to the KB's generic names (``nab_paclitaxel`` ->
``nab-paclitaxel``) so that ids and names both work. ``checks.json`` (optional, free-form
checks: alert text, sections mentioning words) is scored separately.
"""

from __future__ import annotations

import inspect
import json
import sys
from collections import Counter
from pathlib import Path
from typing import Any

from mbc.engine import plan as make_plan
from mbc.knowledge import load_kb
from mbc.model import parse_record
from mbc.testing import check_plan

UNDERSTOOD = {
    "covers", "classification", "options", "not_recommended", "alerts", "workup",
    "supportive_care", "missing_information", "region",
}  # fmt: skip


def _norm_drugs(kb: Any, names: list[str]) -> list[str]:
    out = []
    for n in names:
        d = kb.lookup_drug(n)
        out.append(kb.drugs[d].name if d else n)
    return out


def _normalise(kb: Any, exp: dict[str, Any]) -> dict[str, Any]:
    exp = json.loads(json.dumps(exp))
    opts = exp.get("options", {})
    for item in opts.get("include", []):
        item["drugs"] = _norm_drugs(kb, item["drugs"])
    if "exclude_drugs" in opts:
        opts["exclude_drugs"] = _norm_drugs(kb, opts["exclude_drugs"])
    nr = exp.get("not_recommended", {})
    if "include_drugs" in nr:
        nr["include_drugs"] = [_norm_drugs(kb, x) for x in nr["include_drugs"]]
    return exp


def _text(*parts: Any) -> str:
    return " ".join(str(p) for p in parts if p).lower().replace("_", " ")


def _checks(plan: Any, checks: dict[str, Any]) -> list[str]:
    errs: list[str] = []
    alerts = [(_text(a.code, a.message, a.action), a) for a in plan.alerts]
    for words in checks.get("alerts_include_text", []):
        if not any(all(w.lower() in t for w in words) for t, _ in alerts):
            errs.append(f"no alert mentions {words}")
    for phrase in checks.get("alerts_exclude_text", []):
        if any(phrase.lower() in t for t, _ in alerts):
            errs.append(f"an alert mentions {phrase!r}")
    want = set(checks.get("alerts_include_drugs_any", []))
    if want and not any(want & set(a.drugs) for _, a in alerts):
        errs.append(f"no alert names any of {sorted(want)}")
    sevs = checks.get("alerts_include_severity", [])
    for sev in [sevs] if isinstance(sevs, str) else sevs:
        if not any(a.severity == sev for _, a in alerts):
            errs.append(f"no {sev} alert")
    sections = [t for t, _ in alerts]
    sections += [_text(w.name, w.reason) for w in plan.workup]
    sections += [_text(s.name, s.detail) for s in plan.supportive_care]
    for words in checks.get("any_section_include_text", []):
        if not any(all(w.lower() in t for w in words) for t in sections):
            errs.append(f"no workup / supportive care / alert mentions {words}")
    return errs


def main(argv: list[str]) -> int:
    root = Path(next((a for a in argv if not a.startswith("--")), "/work/blind/cases/safety"))
    verbose = "--verbose" in argv
    kb = load_kb()
    takes_region = "region" in inspect.signature(make_plan).parameters
    cases = sorted(p.parent for p in root.glob("*/expected.json"))
    passed = checks_passed = checks_total = 0
    dropped: Counter[str] = Counter()
    region_ignored = 0
    failures: list[str] = []
    for case in cases:
        record = parse_record(json.loads((case / "patient.json").read_text()))
        exp = json.loads((case / "expected.json").read_text())
        for k in [k for k in exp if k not in UNDERSTOOD]:
            dropped[k] += 1
            exp.pop(k)
        region = exp.pop("region", None)
        if region and region != "US" and not takes_region:
            region_ignored += 1
        kwargs = {"region": region or "US"} if takes_region else {}
        p = make_plan(record, kb, **kwargs)
        errs = check_plan(p, _normalise(kb, exp))
        if errs:
            failures.append(f"{case.name}: " + "; ".join(errs))
        else:
            passed += 1
        cj = case / "checks.json"
        if cj.exists():
            checks_total += 1
            cerrs = _checks(p, json.loads(cj.read_text()))
            if cerrs:
                failures.append(f"{case.name} [checks.json]: " + "; ".join(cerrs))
            else:
                checks_passed += 1
    n = len(cases)
    print(f"blind safety cases: {passed}/{n} expected.json passed ({100 * passed / max(n, 1):.1f}%)")
    print(f"checks.json (optional): {checks_passed}/{checks_total} passed")
    if dropped:
        print(f"dropped keys check_plan does not understand: {dict(dropped)}")
    if region_ignored:
        print(f"{region_ignored} case(s) ask for a region the engine cannot plan for (planned as US)")
    if verbose:
        for f in failures:
            print("  FAIL", f)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
