"""No knowledge pattern backtracks catastrophically (session 10, issue 11: note reading stays linear).

Every string of ``knowledge/nlp``, ``knowledge/ingest`` and ``knowledge/answer`` that reads as a
regular expression (macros expanded as the note reader expands them), and the lab-value patterns
that ``mbc.ingest._note_labs`` assembles from them, is searched over hostile inputs built from the
pattern itself: a string the pattern nearly matches (its first branches, fewest repeats) with a
run of blanks, tabs, digits, commas, letters or brackets pumped in at each position, then a
character that makes the match fail. A pattern that can split such a run in exponentially many
ways (``(?:[ \\t]{2,}|\\t)+`` did: 32 characters of " \\t" after "ALT 88" took 14 s) spends seconds
here; a linear or polynomial one spends microseconds. Each search is stopped after
``BUDGET_S`` of CPU time (SIGPROF: the machine's load does not count), so the test cannot hang.

Growth on long inputs (quadratic patterns searched over a whole note) is measured, not asserted:
``python benchmarks/bench_robust.py --only regex``.
"""

from __future__ import annotations

import re
import signal
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

try:  # Python 3.11+
    from re import _constants as C  # type: ignore[attr-defined]
    from re import _parser as P  # type: ignore[attr-defined]
except ImportError:  # pragma: no cover - Python 3.10
    import sre_constants as C  # type: ignore[no-redef]
    import sre_parse as P  # type: ignore[no-redef]

KB = Path(__file__).resolve().parents[2] / "knowledge"
FOLDERS = ("nlp", "ingest", "answer")
BUDGET_S = 0.25  # CPU seconds per search; linear searches here take microseconds
PUMPS = (" ", "\t", " \t", "\n", "1", "1,", "1 ", "a", "a ", ", ", "- ", "(")
PUMP_CHARS = 36
META = re.compile(r"\\[bsdwSDWB]|\(\?|[\[\]|*+?]")

pytestmark = pytest.mark.skipif(not hasattr(signal, "setitimer"), reason="needs SIGPROF (POSIX)")


def _strings(node: Any, where: str) -> Any:
    if isinstance(node, dict):
        for k, v in node.items():
            yield from _strings(v, f"{where}.{k}")
    elif isinstance(node, list):
        for i, v in enumerate(node):
            yield from _strings(v, f"{where}[{i}]")
    elif isinstance(node, str) and META.search(node):
        yield where, node


def _patterns() -> dict[str, re.Pattern[str]]:
    from mbc.ingest._note_labs import lab_rules
    from mbc.ingest._note_pipeline import _expand
    from mbc.ingest._note_vocab import macros as vocab_macros

    targets = yaml.safe_load((KB / "nlp" / "targets.yaml").read_text(encoding="utf-8"))
    macros = {**vocab_macros(), **targets.get("macros", {})}
    out: dict[str, re.Pattern[str]] = {}
    for folder in FOLDERS:
        for path in sorted((KB / folder).glob("*.yaml")):
            doc = yaml.safe_load(path.read_text(encoding="utf-8"))
            for where, text in _strings(doc, f"{folder}/{path.stem}"):
                try:
                    out[where] = re.compile(_expand(text, macros), re.IGNORECASE)
                except re.error:
                    continue  # prose with a "?" or "[", not a pattern
    for rule in lab_rules():
        out[rule["id"]] = re.compile(rule["pattern"], re.IGNORECASE)
    return out


_CATEGORY = {
    C.CATEGORY_DIGIT: "1", C.CATEGORY_NOT_DIGIT: "a", C.CATEGORY_SPACE: " ",
    C.CATEGORY_NOT_SPACE: "a", C.CATEGORY_WORD: "a", C.CATEGORY_NOT_WORD: " ",
}  # fmt: skip


def _one_of(items: list[tuple[Any, Any]]) -> str:
    """A character of a character class (for a negated class: one it leaves out)."""
    if items and items[0][0] is C.NEGATE:
        cls = re.compile("[^" + "".join(re.escape(_one_of([i])) for i in items[1:]) + "]")
        return next((c for c in "a1 x.-,;(" if cls.fullmatch(c)), "~")
    op, arg = items[0] if items else (C.LITERAL, ord("a"))
    if op is C.LITERAL:
        return chr(arg)
    if op is C.RANGE:
        return chr(arg[0])
    if op is C.CATEGORY:
        return _CATEGORY.get(arg, "a")
    return "a"


def _near(items: Any) -> str:
    """A string the parsed pattern nearly matches: first branches, fewest repeats (at least one)."""
    out = []
    for op, arg in items:
        if op is C.LITERAL:
            out.append(chr(arg))
        elif op is C.NOT_LITERAL:
            out.append("b" if chr(arg).lower() == "a" else "a")
        elif op is C.ANY:
            out.append("a")
        elif op is C.IN:
            out.append(_one_of(list(arg)))
        elif op is C.BRANCH:
            out.append(_near(arg[1][0]))
        elif op is C.SUBPATTERN:
            out.append(_near(arg[-1]))
        elif op in (C.MAX_REPEAT, C.MIN_REPEAT) or op is getattr(C, "POSSESSIVE_REPEAT", None):
            out.append(_near(arg[2]) * min(max(arg[0], 1), 3))
        elif op is getattr(C, "ATOMIC_GROUP", None):
            out.append(_near(arg))
    return "".join(out)


def _inputs(rx: re.Pattern[str]) -> list[str]:
    parsed = P.parse(rx.pattern, rx.flags)
    seeds = [_near(parsed)]
    if len(parsed) == 1 and parsed[0][0] is C.BRANCH:  # each top-level branch: its own seed
        seeds = [_near(alt) for alt in parsed[0][1][1][:12]]
    out = []
    for seed in seeds:
        cuts = sorted({round(i * len(seed) / 8) for i in range(9)} | set(range(min(len(seed), 16) + 1)))
        for cut in cuts:
            for pump in PUMPS:
                out.append(seed[:cut] + pump * (PUMP_CHARS // len(pump)) + "!")
    return out


class _TooSlow(Exception):
    pass


def _raise(*_: Any) -> None:
    raise _TooSlow


def _slow(rx: re.Pattern[str]) -> str | None:
    """The first hostile input that ``rx`` cannot search within BUDGET_S of CPU, else None."""
    for text in _inputs(rx):
        signal.setitimer(signal.ITIMER_PROF, BUDGET_S)
        try:
            rx.search(text)
        except _TooSlow:
            return text
        finally:
            signal.setitimer(signal.ITIMER_PROF, 0)
    return None


def test_no_pattern_backtracks_catastrophically() -> None:
    patterns = _patterns()
    assert len(patterns) > 500, "the knowledge patterns were not found"
    old = signal.signal(signal.SIGPROF, _raise)
    try:
        slow = {name: text for name, rx in patterns.items() if (text := _slow(rx)) is not None}
    finally:
        signal.signal(signal.SIGPROF, old)
    listed = "\n".join(f"  {name}: {text[:60]!r}" for name, text in sorted(slow.items()))
    assert not slow, f"catastrophic backtracking (over {BUDGET_S} s CPU on a short input):\n{listed}"


def test_the_lint_finds_an_exponential_pattern() -> None:
    """The check is not blind: the session-9 lab table gap, nested, is caught; the fix is not."""
    bad = re.compile(r"\bALT\s+(?:\d+(?:[ \t]{2,}|\t)+)*(?P<v>\d+)\s*U/L", re.IGNORECASE)
    good = re.compile(r"\bALT\s+(?:\d+(?:[ \t]{2,}|\t))*(?P<v>\d+)\s*U/L", re.IGNORECASE)
    old = signal.signal(signal.SIGPROF, _raise)
    try:
        assert _slow(bad) is not None
        assert _slow(good) is None
    finally:
        signal.signal(signal.SIGPROF, old)


if __name__ == "__main__":  # pragma: no cover
    sys.exit(pytest.main([__file__, "-q"]))
