#!/usr/bin/env python
"""Snapshot every plan the CLI prints, to prove a refactoring changes no output.

For every golden case (tests/golden/**/patient.json) and every example (examples/*.json,
examples/notes/*, examples/fhir/*), run ``mbc plan`` in-process (click's test runner, the
same code path as the shell) in json, text and markdown, and the patient view, and write
one file per case and format into OUT (canonical: the CLI's own bytes). A case without an
``as_of`` is planned as of 2026-11-01 so the snapshot does not depend on the clock.

    PYTHONPATH=$PWD/src python scripts/plan_snapshot.py /tmp/shape_before
    PYTHONPATH=$PWD/src python scripts/plan_snapshot.py /tmp/shape_after
    diff -r /tmp/shape_before /tmp/shape_after   # or: plan_snapshot.py --compare A B

Options: ``--kb DIR`` plans against another knowledge base; ``--json-only`` skips the text
views (faster).
"""

from __future__ import annotations

import argparse
import filecmp
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
AS_OF = "2026-11-01"
FORMATS: tuple[tuple[str, list[str]], ...] = (
    ("json", ["--format", "json"]),
    ("text", ["--format", "text"]),
    ("md", ["--format", "markdown"]),
    ("patient", ["--audience", "patient"]),
)


def cases() -> list[tuple[str, list[str]]]:
    """(name, CLI arguments) for every case, in a stable order."""
    out: list[tuple[str, list[str]]] = []
    for p in sorted((ROOT / "tests" / "golden").rglob("patient.json")):
        name = "golden__" + "__".join(p.parent.relative_to(ROOT / "tests" / "golden").parts)
        out.append((name, [str(p), *_as_of(p)]))
    for p in sorted((ROOT / "examples").glob("*.json")):
        out.append((f"example__{p.stem}", [str(p), *_as_of(p)]))
    for p in sorted((ROOT / "examples" / "notes").glob("*")):
        out.append((f"note__{p.stem}", ["--note", str(p), "--as-of", AS_OF]))
    for p in sorted((ROOT / "examples" / "fhir").glob("*.json")):
        out.append((f"fhir__{p.stem}", ["--fhir", str(p), "--as-of", AS_OF]))
    return out


def _as_of(path: Path) -> list[str]:
    try:
        data = json.loads(path.read_text())
    except ValueError:
        return ["--as-of", AS_OF]
    return [] if isinstance(data, dict) and data.get("as_of") else ["--as-of", AS_OF]


def snapshot(out: Path, *, kb: str | None, json_only: bool) -> int:
    from click.testing import CliRunner

    from mbc.cli import _cli as main

    runner = CliRunner()
    out.mkdir(parents=True, exist_ok=True)
    extra = ["--kb", kb] if kb else []
    n = 0
    for name, args in cases():
        for fmt, fargs in FORMATS[:1] if json_only else FORMATS:
            res = runner.invoke(main, ["plan", *args, *fargs, *extra])
            body = res.output if res.exit_code == 0 else f"EXIT {res.exit_code}\n{res.output}"
            if fmt == "json" and res.exit_code == 0:  # canonical JSON
                body = json.dumps(json.loads(res.output), indent=1, sort_keys=True) + "\n"
            (out / f"{name}.{fmt}").write_text(body)
            n += 1
    for fmt in ("markdown", "html"):  # the whole algorithm (render/algorithm.py)
        res = runner.invoke(main, ["algorithm", "--format", fmt, *extra])
        (out / f"algorithm.{fmt}").write_text(f"EXIT {res.exit_code}\n{res.output}")
        n += 1
    return n


def compare(a: Path, b: Path) -> int:
    """Print the files that differ or exist on one side only; 1 if any."""
    names = sorted({p.name for p in a.iterdir()} | {p.name for p in b.iterdir()})
    bad = [n for n in names if not ((a / n).exists() and (b / n).exists()
                                     and filecmp.cmp(a / n, b / n, shallow=False))]  # fmt: skip
    for n in bad:
        print(f"differs: {n}")
    print(f"{len(names) - len(bad)} identical, {len(bad)} different")
    return 1 if bad else 0


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("out", nargs="?", type=Path)
    ap.add_argument("--kb", default=None)
    ap.add_argument("--json-only", action="store_true")
    ap.add_argument("--compare", nargs=2, type=Path, metavar=("A", "B"))
    ns = ap.parse_args(argv)
    if ns.compare:
        return compare(*ns.compare)
    if ns.out is None:
        ap.error("give OUT or --compare A B")
    n = snapshot(ns.out, kb=ns.kb, json_only=ns.json_only)
    print(f"wrote {n} files to {ns.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
