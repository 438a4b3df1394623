"""When a question's plan offers no option: stated routine assumptions, then options that
hold whatever an unstated biomarker is (``knowledge/answer/assume.yaml``).

Nothing here decides a biomarker: a scenario field is tried with every value it can take, and
only the options the engine offers, in the same category, in every scenario are kept.
"""

from __future__ import annotations

import copy
import datetime as dt
import re
from typing import Any

from mbc.engine import plan as make_plan
from mbc.errors import InputError
from mbc.knowledge.loader import KnowledgeBase
from mbc.model import parse_record

__all__ = ["with_assumptions"]


def _absent(record: dict[str, Any], path: str) -> bool:
    node: Any = record
    for part in path.split("."):
        if not isinstance(node, dict) or part not in node:
            return True
        node = node[part]
    return node is None


def _put(record: dict[str, Any], path: str, value: Any) -> None:
    node = record
    parts = path.split(".")
    for part in parts[:-1]:
        node = node.setdefault(part, {})
    node[parts[-1]] = copy.deepcopy(value)


def _plan(kb: KnowledgeBase, record: dict[str, Any], as_of: dt.date) -> Any:
    try:
        return make_plan(parse_record(record), kb, as_of=as_of)
    except InputError:
        return None


def _robust(
    kb: KnowledgeBase, akb: Any, record: dict[str, Any], plan: Any, as_of: dt.date
) -> tuple[Any, list[str]]:
    """Options common to every value of the first unstated scenario field that yields any."""
    for sc in akb.assume.scenarios:
        if not _absent(record, sc.field):
            continue
        plans = []
        for value in sc.values:
            trial = copy.deepcopy(record)
            _put(trial, sc.field, value)
            p = _plan(kb, trial, as_of)
            if p is None or not p.options:
                break
            plans.append(p)
        else:
            first, rest = plans[0], plans[1:]
            keep = [
                o
                for o in first.options
                if all(
                    any(x.regimen == o.regimen and x.category == o.category for x in p.options) for p in rest
                )
            ]
            if keep:
                merged = first.model_copy(update={"options": keep, "classification": plan.classification})
                return merged, [sc.text]
    return plan, []


def with_assumptions(
    kb: KnowledgeBase,
    akb: Any,
    record: dict[str, Any],
    plan: Any,
    as_of: dt.date,
    question: str,
    *,
    names_drug: bool = False,
) -> tuple[Any, dict[str, Any], list[str]]:
    """Re-plan with the stated assumptions for the fields the question does not give (when the
    plan offers nothing, or nothing preferred and the assumptions yield a preferred option); if
    that still offers nothing, keep the options that hold whatever an unstated biomarker is.

    Returns:
        The plan to answer from, the record it was made from, and the assumptions to state.
    """
    trial = copy.deepcopy(record)
    applied: list[str] = []
    for a in akb.assume.assume:
        if not _absent(trial, a.field) or any(re.search(p, question, re.IGNORECASE) for p in a.unless_text):
            continue
        if a.unless_drug and names_drug:
            continue
        _put(trial, a.field, a.value)
        applied.append(a.text)
    alt = _plan(kb, trial, as_of) if applied else None
    if plan.options:  # options, none preferred: assume only if that yields a preferred one
        if alt is not None and any(o.category == "preferred" for o in alt.options):
            return alt, trial, applied
        return plan, record, []
    if alt is not None and alt.options:
        return alt, trial, applied
    base, base_record, base_applied = (alt, trial, applied) if alt is not None else (plan, record, [])
    robust, why = _robust(kb, akb, base_record, base, as_of)
    if why:
        return robust, base_record, base_applied + why
    return plan, record, []
