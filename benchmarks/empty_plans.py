"""Count empty plans on the repo's own inputs (issue 10). Not a test.

An *empty* plan offers no option at all; a plan *without a preferred option* offers none
in the preferred category. A plan that offers nothing but states a safety reason (an
option moved to not_recommended as contraindicated, or a critical alert) is counted
apart: "none, with a stated safety reason" is an answer, not a gap.

Sets: the note sets under tests/ingest/notes* and examples/notes (read with the note
reader), the FHIR examples (examples/fhir), the contract examples (examples/*.json) and,
when present, the Synthea mCODE breast bundles in the shared data (only the ones the
reader finds metastatic are counted there).

Usage::

    python benchmarks/empty_plans.py [--synthea] [--verbose] [--dir DIR ...]

``--dir``: also count the notes (``*.txt``) and FHIR bundles (``*.json`` holding a
``resourceType``) in DIR, one row per directory (e.g. a blind set, reported as totals).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import tarfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from mbc.engine import plan as make_plan
from mbc.ingest import extract
from mbc.knowledge import load_kb
from mbc.model import parse_record

ROOT = Path(__file__).resolve().parents[1]
AS_OF = dt.date(2026, 11, 1)
_SYNTHEA = Path("/work/shared/data/synthea_mcode_breast/synthea_mcode_breast_bundles.tar.gz")


def _notes() -> Iterator[tuple[str, str, bytes]]:
    for d in [*sorted((ROOT / "tests" / "ingest").glob("notes*")), ROOT / "examples" / "notes"]:
        if d.is_dir():
            for f in sorted(d.glob("*.txt")):
                yield str(d.relative_to(ROOT)), f.name, f.read_bytes()


def _fhir() -> Iterator[tuple[str, str, bytes]]:
    for f in sorted((ROOT / "examples" / "fhir").glob("*.json")):
        yield "examples/fhir", f.name, f.read_bytes()


def _synthea() -> Iterator[tuple[str, str, bytes]]:
    if not _SYNTHEA.is_file():
        return
    with tarfile.open(_SYNTHEA, "r:gz") as tar:
        for member in tar:
            if member.isfile() and member.name.endswith(".json"):
                fh = tar.extractfile(member)
                if fh is not None:
                    yield "synthea", Path(member.name).name, fh.read()


def _dir(d: Path) -> Iterator[tuple[str, str, bytes]]:
    for f in sorted(d.glob("*")):
        if f.suffix == ".txt" and f.name != "README.txt":
            yield str(d), f.name, f.read_bytes()
        elif f.suffix == ".json" and f.name.count(".") == 1:
            raw = f.read_bytes()
            if b'"resourceType"' in raw[:200]:
                yield str(d), f.name, raw


def classify(p: Any) -> str:
    """'preferred' | 'options_no_preferred' | 'empty_safety' | 'empty_subtype' (no option,
    subtype unknown) | 'empty'."""
    if any(o.category == "preferred" for o in p.options):
        return "preferred"
    if p.options:
        return "options_no_preferred"
    safety = any(n.kind in ("contraindicated", "declined") for n in p.not_recommended) or any(
        a.severity == "critical" for a in p.alerts
    )
    if safety:
        return "empty_safety"
    return "empty_subtype" if p.classification.subtype == "unknown" else "empty"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--synthea", action="store_true", help="also the shared Synthea bundles")
    ap.add_argument("--verbose", action="store_true")
    ap.add_argument("--dir", type=Path, action="append", default=[], help="also the notes / bundles in DIR")
    args = ap.parse_args()
    kb = load_kb()
    groups: dict[str, dict[str, int]] = {}
    sources = [*_notes(), *_fhir()]
    if args.synthea:
        sources += list(_synthea())
    for d in args.dir:
        sources += list(_dir(d))
    for group, name, raw in sources:
        try:
            ex = extract(raw, as_of=AS_OF)
            rec = ex.record
            data = rec if isinstance(rec, dict) else rec.model_dump(exclude_none=True, mode="json")
            data = {**data, "as_of": data.get("as_of") or AS_OF.isoformat()}
            record = parse_record(data)
            p = make_plan(record, kb)
        except Exception as exc:  # noqa: BLE001 - a report, not a test
            kind = f"error:{type(exc).__name__}"
        else:
            if group == "synthea" and not (record.metastases or record.metastatic_diagnosis_date):
                continue
            kind = classify(p)
        counts = groups.setdefault(group, {})
        counts[kind] = counts.get(kind, 0) + 1
        if args.verbose and kind != "preferred":
            print(f"{group}/{name}: {kind}")
    for json_file in sorted((ROOT / "examples").glob("*.json")):
        p = make_plan(parse_record(json.loads(json_file.read_text())), kb, as_of=AS_OF)
        kind = classify(p)
        counts = groups.setdefault("examples/*.json", {})
        counts[kind] = counts.get(kind, 0) + 1
        if args.verbose and kind != "preferred":
            print(f"examples/{json_file.name}: {kind}")
    print(f"{'set':26} {'n':>4} {'preferred':>10} {'other only':>10} {'none+safety':>12} "
          f"{'empty, subtype unknown':>23} {'empty, subtype known':>21}")
    for group, c in groups.items():
        n = sum(c.values())
        errs = sum(v for k, v in c.items() if k.startswith("error"))
        print(
            f"{group:26} {n:4d} {c.get('preferred', 0):10d} {c.get('options_no_preferred', 0):10d} "
            f"{c.get('empty_safety', 0):12d} {c.get('empty_subtype', 0):23d} {c.get('empty', 0):21d}"
            + (f"  errors {errs}" if errs else "")
        )


if __name__ == "__main__":
    main()
