"""Plan each FHIR case's LABELLED record and compare it with its plan label. Not a test.

The FHIR sets (``benchmarks/blind*/fhir``) hold, per bundle, ``NAME.expected.json`` (the partial
contract record a careful reader takes from the bundle) and ``NAME.plan.json`` (the plan the
guideline gives: ``subtype``, ``line``, ``preferred_any`` and, in later sets,
``must_not_be_preferred``). ``fhir_eval.py`` plans the record the READER produced; this script
plans the labelled record itself, so a miss here is a rule (engine / knowledge) fault and not a
reading fault.

Per case: subtype, line, preferred (a preferred option holds every drug of one ``preferred_any``
set) and forbidden (a preferred option holds a ``must_not_be_preferred`` drug).

``--records DIR`` (session 8): plan every ``*.expected.json`` of a folder that has no plan label
(e.g. the labelled blind notes) and list the records whose subtype is known but whose plan has
an unknown line or no option at all - an engine gap on a clear case (blind7 note v57's record
planned nothing before session 8).

Usage::

    python benchmarks/rules_oracle.py [DIR ...] [--verbose]
    python benchmarks/rules_oracle.py --records benchmarks/blind7/notes
    python benchmarks/rules_oracle.py --questions /work/blind8/questions/questions.jsonl   # hand-built records

``--questions FILE`` (session 9): plan the hand-built records of the questions whose facts can be
written as a record (``benchmarks/rules_oracle_records/<set>/<id>.json``) against the question
labels.

Default DIR: every ``benchmarks/blind*/fhir`` folder. Keys of an expected record starting with
``_`` are notes and are dropped; ``as_of`` defaults to fhir_eval's reference date.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from fhir_eval import AS_OF, _scored  # noqa: E402  (same reference date and note keys as the FHIR scorer)
from notes_eval import _drug, _nested  # noqa: E402  (same drug-name normalisation and dotted labels)

ROOT = Path(__file__).resolve().parents[1]


def check_case(record: dict[str, Any], want: dict[str, Any], kb: Any) -> dict[str, Any]:
    """Plan ``record`` and compare it with the plan label ``want``."""
    p = _plan(_scored(record), kb)
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


_MONTH = re.compile(r"^\d{4}-\d{2}$")


def _full_dates(data: dict[str, Any]) -> dict[str, Any]:
    """A labelled record may give a month only ("2021-07", blind9 h12): the contract takes
    full dates, so the oracle plans with the 15th of that month (session 9)."""
    def day(v: Any) -> Any:
        return f"{v}-15" if isinstance(v, str) and _MONTH.match(v) else v

    for key in ("metastatic_diagnosis_date", "as_of"):
        if key in data:
            data[key] = day(data[key])
    for t in data.get("prior_therapies") or []:
        if isinstance(t, dict):
            for key in ("start", "end"):
                if key in t:
                    t[key] = day(t[key])
    return data


def _plan(data: dict[str, Any], kb: Any) -> Any:
    """Plan a labelled record (notes already dropped) with the oracle's default id and date."""
    from mbc.engine import plan as make_plan
    from mbc.model import parse_record

    data = _full_dates(data)
    data.setdefault("id", "oracle")
    data.setdefault("as_of", AS_OF.isoformat())
    return make_plan(parse_record(data), kb)


def record_gaps(folder: Path, kb: Any) -> tuple[int, list[str]]:
    """Labelled records of ``folder`` with a known subtype whose plan has no line or no option."""
    n, gaps = 0, []
    for path in sorted(folder.glob("*.expected.json")):
        data = _nested(_scored(json.loads(path.read_text(encoding="utf-8"))))
        n += 1
        try:
            p = _plan(data, kb)
        except Exception as exc:  # noqa: BLE001 - a report, not a test
            gaps.append(f"{path.name}: ERROR {type(exc).__name__}: {str(exc).splitlines()[0]}")
            continue
        c = p.classification
        if c.subtype != "unknown" and (c.line is None or not p.options):
            gaps.append(f"{path.name}: {c.subtype} line={c.line} options={len(p.options)}")
    return n, gaps


def question_cases(questions: Path, folder: Path, kb: Any) -> list[tuple[str, dict[str, Any]]]:
    """Session 9: plan the hand-built record of a question (``folder/<id>.json``, written from
    the question text with every fact it states and nothing more) against the question's
    labels (``expected_preferred`` as ``preferred_any``, ``forbidden`` as
    ``must_not_be_preferred``); a miss is then a rule fault, not a reading one."""
    out = []
    for line in questions.read_text(encoding="utf-8").splitlines():
        q = json.loads(line) if line.strip() else None
        path = folder / f"{q['id']}.json" if q else None
        if path is None or not path.is_file():
            continue
        want = {"preferred_any": q.get("expected_preferred") or [], "must_not_be_preferred": q.get("forbidden") or []}
        record = {k: v for k, v in json.loads(path.read_text(encoding="utf-8")).items() if not k.startswith("_")}
        try:
            result = check_case(record, want, kb)
            result.pop("subtype", None)  # questions carry no subtype label
        except Exception as exc:  # noqa: BLE001 - a report, not a test
            result = {"error": (False, f"{type(exc).__name__}: {exc}")}
        out.append((q["id"], result))
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("dirs", nargs="*", type=Path)
    parser.add_argument("--verbose", action="store_true", help="print every case, not only misses")
    parser.add_argument("--records", type=Path, action="append", default=[],
                        help="a folder of labelled records without plan labels (repeatable)")  # fmt: skip
    parser.add_argument("--questions", type=Path, help="a questions.jsonl whose records were built by hand")
    parser.add_argument("--question-records", type=Path, help="folder of <question id>.json records (with --questions)")
    args = parser.parse_args(argv)
    from mbc.knowledge import load_kb

    kb = load_kb()
    if args.questions:
        folder = args.question_records or ROOT / "benchmarks" / "rules_oracle_records" / args.questions.parent.parent.name
        cases = question_cases(args.questions, folder, kb)
        counts: dict[str, list[int]] = {}
        for qid, result in cases:
            bad = {k: v for k, (ok, v) in result.items() if not ok}
            for key, (ok, _) in result.items():
                c = counts.setdefault(key, [0, 0])
                c[0] += int(ok)
                c[1] += 1
            if bad or args.verbose:
                print(f"{'MISS' if bad else 'ok  '} {qid}: " + "; ".join(f"{k}={v!r}" for k, v in (bad or result).items()))
        print(f"question records {folder}: {len(cases)} planned; " + " ".join(f"{k}={ok}/{n}" for k, (ok, n) in sorted(counts.items())))
        if not args.dirs:
            return 0
    if args.records:
        for folder in args.records:
            n, gaps = record_gaps(folder, kb)
            for g in gaps:
                print(f"GAP  {folder.parent.name}/{g}")
            print(f"records {folder}: {n} planned, {len(gaps)} with a known subtype but no line or no option")
        if not args.dirs:
            return 0
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
