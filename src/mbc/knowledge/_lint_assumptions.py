"""``kb lint`` checks of knowledge/assumptions (issue 10).

Errors: a policy that sets a field the KB does not list as assumable, or one listed in
``never_assume`` (safety facts: pregnancy, LVEF, QTc, DPYD, labs ...); a therapy-scope
policy on another field; unknown citations, evidence levels, fact paths or values.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any, Literal

from mbc.knowledge.conditions import FactTest, iter_fact_tests
from mbc.knowledge.loader import KnowledgeBase

__all__ = ["lint_assumptions"]

_THERAPY_FIELDS = ("prior_therapies[].setting", "prior_therapies[].end")


def _covers(never: str, field_path: str) -> bool:
    base = field_path.replace("[]", "")
    return base == never or base.startswith(never + ".") or base.startswith(never + "[")


def lint_assumptions(
    kb: KnowledgeBase,
    check_test: Callable[[KnowledgeBase, FactTest, str], Iterator[Any]],
    issue: Callable[[Literal["error", "warning"], str, str], Any],
) -> Iterator[Any]:
    """Every problem in the assumption files (``issue(severity, where, message)`` makes one)."""
    fields = {f.field for doc in kb.assumptions for f in doc.fields}
    never = {n for doc in kb.assumptions for n in doc.never_assume}
    levels = set(kb.terms.get("evidence_levels", {}))
    for doc in kb.assumptions:
        for p in doc.policies:
            where = f"assumption {p.id} ({kb.files.get(p.id, '?')})"
            if p.field not in fields:
                yield issue("error", where, f"field {p.field!r} is not listed as assumable")
            blocked = [n for n in never if _covers(n, p.field)]
            if blocked:
                msg = f"field {p.field!r} is a safety fact (never_assume: {blocked[0]})"
                yield issue("error", where, msg)
            if (p.scope == "therapy") != (p.field in _THERAPY_FIELDS):
                yield issue("error", where, f"scope {p.scope} does not fit field {p.field!r}")
            if p.evidence.level not in levels:
                yield issue("error", where, f"unknown evidence level {p.evidence.level!r}")
            for c in p.evidence.citations:
                if c not in kb.sources:
                    yield issue("error", where, f"unknown citation {c!r}")
            for cond in (p.when, p.unless):
                if cond is not None:
                    for t in iter_fact_tests(cond):
                        yield from check_test(kb, t, where)
