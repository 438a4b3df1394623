"""Leave commonly missing facts out of complete records and compare the plans (issue 10).

For every golden case record (tests/golden/**/patient.json, the blind partial set's
complete.json files included) and the examples, each of these facts that is recorded is
left out, one at a time: ``metastases.visceral_crisis`` (when false), ``ecog`` (when 0-1),
``menopausal_status`` (ages 45-59) and ``prior_therapies`` (de novo disease with no
therapy yet); since session 5 also ``metastatic_diagnosis_date`` of a recurrence diagnosed
within 3 months with only (neo)adjuvant therapy recorded (own line, outside the total). A variant passes when its preferred options (regimens) equal the complete
record's, the left-out fact is named in ``assumptions`` and no option contains a drug the
complete plan contraindicates. Menopausal status at 45-59 is not assumed by design (the
plan branches on it), so those variants are reported on their own line: there a pass
means the complete record's preferred regimens are one of the branches and the shared
regimens are offered outright.

Usage::

    python benchmarks/drop_facts_eval.py [--verbose]
"""

from __future__ import annotations

import argparse
import copy
import datetime as dt
import json
from collections import Counter
from pathlib import Path
from typing import Any

from mbc.engine import plan as make_plan
from mbc.errors import CDSError
from mbc.knowledge import load_kb
from mbc.model import parse_record
from mbc.model.plan import Plan

ROOT = Path(__file__).resolve().parents[1]


def _records() -> list[tuple[str, dict[str, Any]]]:
    out = []
    for f in sorted((ROOT / "tests" / "golden").rglob("*.json")):
        if (f.name in ("patient.json", "complete.json") and "blind_partial" not in f.parts[-3:-1]) or f.name == "complete.json":
            out.append((str(f.relative_to(ROOT)), json.loads(f.read_text())))
    for f in sorted((ROOT / "examples").glob("*.json")):
        out.append((str(f.relative_to(ROOT)), json.loads(f.read_text())))
    return out


def _variants(rec: dict[str, Any]) -> list[tuple[str, dict[str, Any]]]:
    out = []
    m = rec.get("metastases") or {}
    if m.get("visceral_crisis") is False:
        v = copy.deepcopy(rec)
        del v["metastases"]["visceral_crisis"]
        out.append(("metastases.visceral_crisis", v))
    if rec.get("ecog") in (0, 1):
        v = copy.deepcopy(rec)
        del v["ecog"]
        out.append(("ecog", v))
    if rec.get("menopausal_status") and 45 <= (rec.get("age") or 0) <= 59:
        v = copy.deepcopy(rec)
        del v["menopausal_status"]
        out.append(("menopausal_status", v))
    if rec.get("presentation") == "de_novo" and rec.get("prior_therapies") == []:
        v = copy.deepcopy(rec)
        del v["prior_therapies"]
        out.append(("prior_therapies", v))
    if _recent_untreated_recurrence(rec):
        v = copy.deepcopy(rec)
        del v["metastatic_diagnosis_date"]
        out.append(("metastatic_diagnosis_date", v))
    return out


def _recent_untreated_recurrence(rec: dict[str, Any]) -> bool:
    """Session 5: a recurrence diagnosed within 3 months of as_of with only (neo)adjuvant
    therapy recorded (the usual case of ``assume.recurrence-date.untreated-current``)."""
    mdx, as_of = rec.get("metastatic_diagnosis_date"), rec.get("as_of")
    therapies = rec.get("prior_therapies")
    if rec.get("presentation") != "recurrence" or not mdx or not as_of or therapies is None:
        return False
    if any(t.get("setting") not in ("adjuvant", "neoadjuvant") for t in therapies):
        return False
    return 0 <= (dt.date.fromisoformat(as_of) - dt.date.fromisoformat(mdx)).days <= 92


def _preferred(p: Plan) -> set[str]:
    return {o.regimen for o in p.options if o.category == "preferred"}


def _offered_contraindicated(p: Plan, full: Plan) -> set[str]:
    """Options of ``p`` the complete plan contraindicates (by regimen, or by drug for an
    entry about drugs rather than a regimen)."""
    blocked = [n for n in full.not_recommended if n.kind == "contraindicated"]
    regimens = {n.regimen for n in blocked if n.regimen}
    drugs = {d for n in blocked if not n.regimen for d in n.drugs}
    return {o.name for o in p.options if o.regimen in regimens or drugs & set(o.drugs)}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--verbose", action="store_true")
    args = ap.parse_args()
    kb = load_kb()
    total: Counter[str] = Counter()
    passed: Counter[str] = Counter()
    forbidden = 0
    for name, rec in _records():
        try:
            full = make_plan(parse_record(rec), kb)
        except (CDSError, ValueError):
            continue
        for fld, variant in _variants(rec):
            p = make_plan(parse_record(variant), kb)
            total[fld] += 1
            bad = _offered_contraindicated(p, full)
            forbidden += bool(bad)
            if fld == "menopausal_status":
                branches = [{o.split(":", 1)[1] for o in s.options} for s in p.scenarios]
                ok = _preferred(p) == _preferred(full) or (
                    _preferred(full) in branches
                    and {r.split("+")[0] for r in _preferred(p)} == {r.split("+")[0] for r in _preferred(full)}
                )
            else:
                ok = _preferred(p) == _preferred(full) and fld in {a.field for a in p.assumptions}
            ok = ok and not bad
            passed[fld] += ok
            if args.verbose and not ok:
                print(f"{name} without {fld}: complete {sorted(_preferred(full))} partial {sorted(_preferred(p))} "
                      f"assumed {[a.field for a in p.assumptions]} forbidden {sorted(bad)}")  # fmt: skip
    # the recurrence date (session 5) is reported on its own line, not in the total below
    strict = [f for f in total if f not in ("menopausal_status", "metastatic_diagnosis_date")]
    n = sum(total[f] for f in strict)
    k = sum(passed[f] for f in strict)
    for f in sorted(total):
        print(f"  without {f:28} {passed[f]:4d}/{total[f]:4d}")
    print(f"assumable facts left out: {k}/{n} same preferred + assumption named ({100 * k / max(n, 1):.1f}%); "
          f"variants offering a drug the complete plan contraindicates: {forbidden}")  # fmt: skip


if __name__ == "__main__":
    main()
