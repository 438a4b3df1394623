"""Binding of named definitions (``{ref: id}``) to the rules, safety checks and derivations
that use them, with the load-time problems they can have (unknown id, reference cycle).

.. versionadded:: 0.2
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from mbc.errors import Problem
from mbc.knowledge.schema import AvoidAction, Definition, DeriveFile, Regimen, Rule, SafetyRule

__all__ = ["bind_references", "expand_regimen_groups", "hold_condition", "rule_conditions"]


def hold_condition(rule: Rule | SafetyRule) -> Any:
    """A rule's ``hold_if_unknown`` when it is a condition (None for true / false, and for a
    safety rule, which has none)."""
    h = getattr(rule, "hold_if_unknown", False)
    return None if isinstance(h, bool) else h


def rule_conditions(rule: Rule | SafetyRule) -> list[Any]:
    """The conditions a rule or safety check reads (``when``, ``unless``, a hold condition)."""
    parts = (rule.when, getattr(rule, "unless", None), hold_condition(rule))
    return [c for c in parts if c is not None]


def bind_references(
    rules: list[Rule],
    safety: list[SafetyRule],
    definitions: Mapping[str, Definition],
    derive: DeriveFile,
    files: Mapping[str, str],
    problems: list[Problem],
) -> None:
    """Bind every ``{ref: id}`` to its definition; an unknown id or a definition that
    refers to itself (directly or through others) is a problem."""
    graph = {d.id: sorted(set(d.when.refs())) for d in definitions.values()}
    for start in sorted(graph):
        path = _cycle(graph, start)
        if path is not None:
            problems.append(
                Problem((files.get(start, "rules"), "defines", start),
                        f"definition {start!r} refers to itself: {' -> '.join(path)}", "reference_cycle")
            )  # fmt: skip
    conditions = {d.id: d.when for d in definitions.values()}
    owners: list[tuple[str, str, Any]] = [(d.id, "when", d.when) for d in definitions.values()]
    for r in rules:
        owners += [(r.id, "when", r.when), (r.id, "unless", r.unless)]
        owners.append((r.id, "hold_if_unknown", hold_condition(r)))
    owners += [(s.id, "when", s.when) for s in safety]
    owners += [("derive.yaml", "line_adjustments", a.when) for a in derive.line_adjustments]
    for owner, where, cond in owners:
        if cond is None:
            continue
        for ref in cond.bind_refs(conditions):
            problems.append(
                Problem((files.get(owner, owner), owner, where),
                        f"reference to an unknown definition {ref!r}", "unknown_reference")
            )  # fmt: skip


def _cycle(graph: Mapping[str, list[str]], start: str) -> list[str] | None:
    """A path from ``start`` back to itself through the reference graph, or None."""
    stack: list[tuple[str, list[str]]] = [(start, [start])]
    seen: set[str] = set()
    while stack:
        node, path = stack.pop()
        for nxt in graph.get(node, ()):
            if nxt == start:
                return [*path, nxt]
            if nxt not in seen:
                seen.add(nxt)
                stack.append((nxt, [*path, nxt]))
    return None


def expand_regimen_groups(
    rules: list[Rule], regimens: Mapping[str, Regimen], files: Mapping[str, str], problems: list[Problem]
) -> tuple[Rule, ...]:
    """The rules with each ``avoid`` of a regimen ``group`` written out as one avoid per regimen
    of the group (vocab/regimens.yaml ``groups``, KB order), so a regimen added to the group is
    covered by data (session 12). A group no regimen has is a problem."""
    out: list[Rule] = []
    for r in rules:
        if not any(isinstance(a, AvoidAction) and a.group for a in r.then):
            out.append(r)
            continue
        then: list[Any] = []
        for a in r.then:
            if not (isinstance(a, AvoidAction) and a.group):
                then.append(a)
                continue
            members = [g.id for g in regimens.values() if a.group in g.groups]
            if not members:
                where = (files.get(r.id, "rules"), r.id)
                problems.append(Problem(where, f"no regimen is in group {a.group!r}"))
            then += [AvoidAction(avoid=m, group=a.group, reason=a.reason) for m in members]
        out.append(r.model_copy(update={"then": tuple(then)}))
    return tuple(out)
