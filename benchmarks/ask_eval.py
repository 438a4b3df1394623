"""Score `mbc ask` on the blind question set (tests/answer/questions_blind.jsonl).

Written by another helper from the guidelines only (see questions_blind.README.md). Metrics:
intent accuracy; verdict accuracy (items with a verdict); guideline answer = the expected drug
set is contained in an option marked preferred, or the verdict is right (clinician items with
either); forbidden drugs in a preferred option; must-mention substrings found in the rendered
answer; Flesch-Kincaid grade of patient answers. Items whose number is a multiple of 5 are the
held-out set (chosen by id before the questions were read) and are reported apart.

    PYTHONPATH=src python benchmarks/ask_eval.py [--only all|tuned|held-out] [--show-fail]
        [--questions FILE.jsonl] [--holdout-every N]

``--questions`` scores another set in the same format (e.g. a fresh blind set);
``--holdout-every N`` holds out every N-th item of the file (in file order) instead of the
multiples of 5 (session 3: N=4 for /work/blind2/questions).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import statistics
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
QUESTIONS = ROOT / "tests" / "answer" / "questions_blind.jsonl"
AS_OF = dt.date(2026, 11, 1)
INTENT = {"is_appropriate": "appropriate"}


def held_out(qid: str) -> bool:
    return int("".join(ch for ch in qid if ch.isdigit())) % 5 == 0


def load(path: Path = QUESTIONS) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def score(rows: list[dict[str, Any]], *, show_fail: bool = False) -> dict[str, Any]:
    import textstat
    import textstat.backend.counts._count_syllables as syllables

    syllables.get_cmudict = lambda _lang: None  # no download: pyphen syllables (as tests/web)
    from mbc.answer import answer_question, render_answer_text
    from mbc.knowledge import load_kb

    kb = load_kb()

    def ids(names: list[str]) -> set[str]:
        return {kb.lookup_drug(n) or kb.lookup_drug(n.replace("_", " ")) or n for n in names}

    res: dict[str, list[Any]] = {
        "intent": [],
        "verdict": [],
        "guideline": [],
        "forbidden": [],
        "mention": [],
        "grade": [],
    }
    fails: list[str] = []
    for r in rows:
        a = answer_question(r["question"], kb, as_of=AS_OF, audience=r["audience"])
        rendered = render_answer_text(a, max_lines=200)
        want_intent = INTENT.get(r["intent"], r["intent"])
        res["intent"].append(a.intent == want_intent)
        preferred = [
            ids(o["drugs"]) for o in (a.plan or {}).get("options", []) if o["category"] == "preferred"
        ]
        verdict_ok = None
        if r.get("verdict"):
            verdict_ok = a.answer.verdict == r["verdict"]
            res["verdict"].append(verdict_ok)
        pref_ok = any(ids(s) <= p for s in r.get("expected_preferred") or [] for p in preferred)
        if r["audience"] == "clinician" and (r.get("expected_preferred") or r.get("verdict")):
            res["guideline"].append(bool(pref_ok or verdict_ok))
            if not (pref_ok or verdict_ok):
                fails.append(
                    f"{r['id']} guideline: want {r.get('expected_preferred') or r.get('verdict')} got "
                    f"{a.answer.verdict} / {[sorted(p) for p in preferred][:4]} :: {r['question'][:90]}"
                )
        bad = ids(r.get("forbidden") or []) & set().union(*preferred) if preferred else set()
        res["forbidden"].append(len(bad))
        if bad:
            fails.append(f"{r['id']} forbidden preferred: {sorted(bad)} :: {r['question'][:90]}")
        for m in r.get("must_mention") or []:
            ok = m.lower() in rendered.lower()
            res["mention"].append(ok)
            if not ok:
                fails.append(f"{r['id']} must mention {m!r} :: {r['question'][:70]}")
        if a.intent != want_intent:
            fails.append(f"{r['id']} intent {a.intent} != {want_intent} :: {r['question'][:90]}")
        if r["audience"] == "patient":
            prose = " ".join([a.answer.text, *a.answer.points])
            res["grade"].append(textstat.flesch_kincaid_grade(prose))
    pct = lambda xs: round(100 * sum(xs) / len(xs), 1) if xs else None  # noqa: E731
    out = {
        "n": len(rows),
        "intent_accuracy_pct": pct(res["intent"]),
        "verdict_accuracy_pct": pct(res["verdict"]),
        "verdict_n": len(res["verdict"]),
        "guideline_answer_pct": pct(res["guideline"]),
        "guideline_n": len(res["guideline"]),
        "forbidden_preferred": sum(res["forbidden"]),
        "must_mention_pct": pct(res["mention"]),
        "patient_grade_median": round(statistics.median(res["grade"]), 1) if res["grade"] else None,
        "patient_grade_max": round(max(res["grade"]), 1) if res["grade"] else None,
    }
    if show_fail:
        for f in fails:
            print("FAIL", f, file=sys.stderr)
    return out


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--only", choices=["all", "tuned", "held-out"], default="all")
    p.add_argument("--show-fail", action="store_true")
    p.add_argument("--questions", type=Path, default=QUESTIONS, help="a questions.jsonl to score")
    p.add_argument("--holdout-every", type=int, default=0, help="hold out every N-th item (file order)")
    args = p.parse_args()
    rows = load(args.questions)
    if args.holdout_every:
        out = {id(r) for n, r in enumerate(rows, 1) if n % args.holdout_every == 0}
        groups = {
            "tuned": [r for r in rows if id(r) not in out],
            "held-out": [r for r in rows if id(r) in out],
        }
    else:
        groups = {
            "tuned": [r for r in rows if not held_out(r["id"])],
            "held-out": [r for r in rows if held_out(r["id"])],
        }
    if args.only != "all":
        groups = {args.only: groups[args.only]}
    for name, rs in groups.items():
        print(name, json.dumps(score(rs, show_fail=args.show_fail)))


if __name__ == "__main__":
    main()
