"""Field-level precision / recall / F1 of the note reader over tests/ingest/notes.

Each ``NAME.txt`` has a ``NAME.expected.json`` with the contract fields a careful reader
would record (plus ``_unread``: phrases that must be reported as not understood). Every
scalar field, every list item and every therapy attribute is one fact; a fact extracted
but not expected is a false positive, one expected but not extracted a false negative.

Sets: ``tuned`` (tests/ingest/notes, the set the rules were written against) and
``heldout`` (tests/ingest/notes_heldout, written and scored before the second rule revision,
whose misses then guided it) and ``fresh`` (tests/ingest/notes_fresh, written after that
revision and scored once: the honest estimate for unseen text) and ``questions``
(tests/ingest/notes_questions: 20 short clinician questions and 5 patient messages with
relative times, lines and emergencies, written and labelled before the reader was run on them).

Usage::

    python benchmarks/notes_eval.py [--set tuned|heldout|fresh|questions|all] [--verbose]
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
from collections.abc import Iterable
from pathlib import Path
from typing import Any

NOTES = Path(__file__).resolve().parents[1] / "tests" / "ingest" / "notes"
SETS = {
    "tuned": (NOTES,),
    "heldout": (NOTES.parent / "notes_heldout",),
    "fresh": (NOTES.parent / "notes_fresh",),
    "questions": (NOTES.parent / "notes_questions",),
}
SETS["all"] = SETS["tuned"] + SETS["heldout"] + SETS["fresh"] + SETS["questions"]
_SKIP = {"id", "contract_version", "as_of", "provenance", "_unread"}
_UNREAD_KINDS = {"therapy_without_drugs", "phrase"}

Fact = tuple[Any, ...]


def _norm(value: Any) -> Any:
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


def facts(record: dict[str, Any], unread: Iterable[Any] = ()) -> set[Fact]:
    """The comparable facts of a (partial) record and its unread phrases."""
    out: set[Fact] = set()

    def walk(prefix: str, value: Any) -> None:
        if isinstance(value, dict):
            for k, v in value.items():
                if not prefix and k in _SKIP:
                    continue
                walk(f"{prefix}.{k}" if prefix else k, v)
        elif isinstance(value, list) and prefix == "prior_therapies":
            for t in value:
                drugs = tuple(sorted(t["drugs"]))
                out.add(("therapy", drugs))
                for key in ("setting", "stop_reason", "start", "end"):
                    if key in t:
                        out.add((f"therapy.{key}", drugs, t[key]))
        elif isinstance(value, list):
            if not value:
                out.add((prefix, "[]"))
            for item in value:
                out.add((prefix, _norm(item)))
        else:
            out.add((prefix, _norm(value)))

    walk("", record)
    for item in unread:
        value = (
            item
            if isinstance(item, str)
            else (item.get("value") if item.get("kind") in _UNREAD_KINDS else None)
        )
        if value:
            out.add(("unread", value))
    return out


def cases(folder: Path = NOTES) -> list[tuple[str, str, dict[str, Any]]]:
    """(name, text, expected) for every labelled note."""
    out = []
    for txt in sorted(folder.glob("*.txt")):
        expected = json.loads(txt.with_suffix(".expected.json").read_text(encoding="utf-8"))
        out.append((txt.stem, txt.read_text(encoding="utf-8"), expected))
    return out


def score(name: str, text: str, expected: dict[str, Any]) -> tuple[set[Fact], set[Fact]]:
    """(expected facts, extracted facts) for one note."""
    from mbc.ingest import extract

    as_of = dt.date.fromisoformat(expected.get("as_of", "2026-11-22"))
    got = extract(text, kind="note", as_of=as_of)
    return facts(expected, expected.get("_unread", [])), facts(got.record, got.unread)


def evaluate(verbose: bool = False, folders: Iterable[Path] = (NOTES,)) -> dict[str, float]:
    """Precision, recall and F1 over the whole set (micro-averaged)."""
    tp = fp = fn = 0
    every = [c for folder in folders for c in cases(folder)]
    for name, text, expected in every:
        want, got = score(name, text, expected)
        tp += len(want & got)
        fp += len(got - want)
        fn += len(want - got)
        if verbose and want != got:
            print(
                f"{name}:\n  missing {sorted(want - got, key=str)}\n  extra   {sorted(got - want, key=str)}"
            )
    precision = tp / (tp + fp) if tp + fp else 1.0
    recall = tp / (tp + fn) if tp + fn else 1.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {
        "notes": len(every),
        "facts": tp + fn,
        "tp": tp,
        "fp": fp,
        "fn": fn,
        "precision": precision,
        "recall": recall,
        "f1": f1,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--verbose", action="store_true", help="show each note's differences")
    parser.add_argument("--set", dest="which", choices=sorted(SETS), default="tuned",
                        help="which labelled set to score (default: tuned)")  # fmt: skip
    args = parser.parse_args(argv)
    result = evaluate(verbose=args.verbose, folders=SETS[args.which])
    print(
        f"set={args.which} notes={result['notes']} facts={result['facts']} tp={result['tp']} fp={result['fp']} "
        f"fn={result['fn']}  precision={result['precision']:.3f} recall={result['recall']:.3f} "
        f"F1={result['f1']:.3f}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
