"""Does reading stay linear in the input's size for adversarial inputs? (session 9)

Each shape is read at growing sizes after start-up; the table gives milliseconds, ms per KB
(or per 1,000 resources) and the growth exponent between the two largest sizes (1.0 =
linear, 2.0 = quadratic). Shapes:

* notes: one repeated drug-list line, a single line with no break, a repeated negated list,
  many section headings, a pipe / tab table, a wall of numbers and dates, many short lines, one
  lab value then blanks to the note's size, a lab table with tab-and-space gaps (session 10);
* FHIR: the example bundle's resources copied (fresh ids) up to 5,000 resources;
* questions: a question padded with repeated clinical clauses up to 10 KB.

Timings are reported, never asserted in tests (principle: speed belongs in benchmarks/).

Usage::

    python benchmarks/bench_robust.py [--max-kb 100] [--only notes|fhir|ask] [--shape "one long line"]
"""

from __future__ import annotations

import argparse
import copy
import datetime as dt
import json
import math
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
AS_OF = dt.date(2026, 11, 20)

NOTE_SHAPES: dict[str, str | Callable[[int], str]] = {
    "drug list line": "Meds: letrozole 2.5 mg daily, palbociclib 125 mg d1-21 q28d, denosumab 120 mg q4w,\n",
    "one long line": "ER 90% PR 10% HER2 1+ (IHC) on letrozole + ribociclib since 06/2024 then fulvestrant, ",
    "negated list": "Denies fever, chills, night sweats, headache, nausea, vomiting, diarrhoea and rash ",
    "headings": "Plan:\nMedications: tamoxifen\nFamily history: mother BRCA1\nPathology: ER 95%\n",
    "pipe table": "| 12.03.2024 | ALT | 88 U/L | (7-40) | capecitabine 1.000 mg/m2 | PD |\n",
    "numbers and dates": "1.234,5 3/8 4/10 <0.5 10^9/L 31/02/2026 Q3 2025 5-7 1,66 m 61,5 kg ",
    "short lines": "x\n- \n1.\n:\n",
    # session 10: one value, then blanks to the note's size (a lab reference pattern was quadratic in
    # the run of blanks, 8 KB 11.6 s), and a lab table whose gaps mix tabs and spaces (exponential)
    "lab then blanks": lambda n: ("ALT 88 U/L" + " " * n)[: n - 1] + "x",
    "lab table, mixed gaps": "ALT 88 \t \t \t \t \t \t \t \t \t \t \t \t \t \t \t \t 7-40 U/L\n",
}
QUESTION_PAD = "on letrozole and palbociclib since 2024, ER 90% PR 10% HER2 0, bone and liver mets, "


def _time(fn: Callable[[], object], repeat: int = 2) -> float:
    best = math.inf
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - t0)
    return best * 1000


def _growth(sizes: list[float], times: list[float]) -> float:
    return math.log(times[-1] / max(times[-2], 1e-6)) / math.log(sizes[-1] / sizes[-2])


def _row(name: str, sizes: list[float], times: list[float], unit: str) -> str:
    cells = " | ".join(f"{t:,.0f}" for t in times)
    per = times[-1] / sizes[-1]
    return f"| {name} | {cells} | {per:,.1f} ms/{unit} | {_growth(sizes, times):.2f} |"


def notes(max_kb: int, shapes: list[str] | None = None) -> list[str]:
    from mbc.ingest.notes import read_note

    read_note("ECOG 1. Letrozole.", as_of=AS_OF)  # start-up outside the timings
    kbs = [k for k in (10, 25, 50, 100) if k <= max_kb]
    out = [f"| note shape | {' | '.join(f'{k} KB' for k in kbs)} | per KB | growth |",
           "|---|" + "---|" * len(kbs) + "---|---|"]  # fmt: skip
    for name, unit in NOTE_SHAPES.items():
        if shapes and name not in shapes:
            continue
        times = []
        for k in kbs:
            text = unit(k * 1024) if callable(unit) else (unit * (k * 1024 // len(unit) + 1))[: k * 1024]
            times.append(_time(lambda text=text: read_note(text, as_of=AS_OF), repeat=1))
        out.append(_row(name, [float(k) for k in kbs], times, "KB"))
        print(out[-1], file=sys.stderr, flush=True)
    return out


def _bundle(n: int) -> dict[str, Any]:
    seed = json.loads((REPO / "examples/fhir/hrpos-2l-bundle.json").read_text(encoding="utf-8"))
    entries = seed["entry"]
    patient = [e for e in entries if e["resource"]["resourceType"] == "Patient"]
    others = [e for e in entries if e["resource"]["resourceType"] != "Patient"]
    out = list(patient)
    i = 0
    while len(out) < n:
        e = copy.deepcopy(others[i % len(others)])
        e["resource"]["id"] = f"{e['resource'].get('id', 'r')}-{i}"
        e.pop("fullUrl", None)
        out.append(e)
        i += 1
    return {"resourceType": "Bundle", "type": "collection", "entry": out}


def fhir() -> list[str]:
    from mbc.ingest import extract

    extract(_bundle(10), kind="fhir", as_of=AS_OF)
    sizes = [500, 1000, 2500, 5000]
    times = []
    for n in sizes:
        doc = json.dumps(_bundle(n))
        times.append(_time(lambda doc=doc: extract(doc, kind="fhir", as_of=AS_OF), repeat=1))
    head = f"| bundle | {' | '.join(f'{n:,} res.' for n in sizes)} | per 1,000 | growth |"
    return [head, "|---|" + "---|" * len(sizes) + "---|---|",
            _row("example resources copied", [n / 1000 for n in sizes], times, "1,000")]  # fmt: skip


def ask() -> list[str]:
    from mbc.answer import answer_question
    from mbc.knowledge import load_kb

    kb = load_kb()
    answer_question("What is the dose of letrozole?", kb, as_of=AS_OF)
    sizes = [1, 2.5, 5, 10]
    times = []
    for k in sizes:
        q = (
            "68 yo woman "
            + (QUESTION_PAD * int(k * 1024 / len(QUESTION_PAD) + 1))[: int(k * 1024)]
            + " what next?"
        )
        times.append(_time(lambda q=q: answer_question(q, kb, as_of=AS_OF), repeat=1))
    head = f"| question | {' | '.join(f'{k} KB' for k in sizes)} | per KB | growth |"
    return [
        head,
        "|---|" + "---|" * len(sizes) + "---|---|",
        _row("padded clinical question", sizes, times, "KB"),
    ]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--max-kb", type=int, default=100)
    parser.add_argument("--only", choices=["notes", "fhir", "ask"])
    parser.add_argument(
        "--shape", action="append", choices=list(NOTE_SHAPES), help="note shapes (default all)"
    )
    args = parser.parse_args(argv)
    lines: list[str] = []
    if args.only in (None, "notes"):
        lines += [*notes(args.max_kb, args.shape), ""]
    if args.only in (None, "fhir"):
        lines += [*fhir(), ""]
    if args.only in (None, "ask"):
        lines += ask()
    print("\n".join(lines))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
