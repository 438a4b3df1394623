"""Stage ``summary``: the bottom line of a plan, and missing information ranked by value.

Missing information is labelled the way a clinician names the field ("Menopausal status")
and ranked by how many preferred options it would change (options that wait for it, or
differ between the branches on it), most first. The summary gives the top options, the
critical alerts and the one unknown fact that would most change the plan. Pure.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from mbc.engine._items import NOT_FOUND, ByIdentity, replaced
from mbc.engine.assume import assumption_index
from mbc.engine.context import Partial
from mbc.knowledge._index import has_room
from mbc.knowledge.loader import KnowledgeBase
from mbc.model.plan import MissingInfo, Summary

if TYPE_CHECKING:
    from mbc.engine.pipeline import EvalContext

__all__ = ["field_label", "stage_summary"]

_TOP = 3


def field_label(kb: KnowledgeBase, field_path: str) -> str:
    """How a clinician names a record field (several fields joined with ' / ')."""
    labels = kb.attached(_Labels)
    found = labels.get(field_path)
    if found is None:
        index = assumption_index(kb)
        names = []
        for part in (p.strip() for p in field_path.split(",")):
            term = kb.term("record_fields", part)
            if term is not None:
                names.append(term.name)
            elif index.fields.get(part) is not None:
                names.append(index.label(part))
            else:
                names.append(part.rsplit(".", 1)[-1].replace("_", " ").capitalize())
        found = " / ".join(dict.fromkeys(names))
        if has_room(labels):
            labels[field_path] = found
    return found


class _Labels(dict[str, str]):
    """Record field path -> its label (held by the KB)."""


@dataclass
class _Relabelled:
    items: ByIdentity = field(default_factory=lambda: ByIdentity())  # (id(item), changes) -> labelled
    # whole lists when nothing waits (most complete records): the ids of the items made by
    # the missing stage (shared, cached objects) -> (those items, the labelled ones)
    lists: dict[tuple[int, ...], tuple[tuple[MissingInfo, ...], tuple[MissingInfo, ...]]] = field(
        default_factory=dict
    )


def _ranked(ctx: EvalContext) -> tuple[MissingInfo, ...]:
    kb = ctx.kb
    waiting: dict[str, int] = {}
    for c in ctx.conditional:
        if c.category in ("preferred", "held"):  # a held option waits on a safety fact (session 12)
            for n in {p.strip() for need in c.needs for p in need.split(",")}:
                waiting[n] = waiting.get(n, 0) + 1
    for s in ctx.scenarios:
        if s.test:  # a test branch: its missing-information item already counts it
            continue
        for f in s.if_:
            waiting[f] = max(waiting.get(f, 0), len(s.options))
    relabelled = kb.attached(_Relabelled)
    if not waiting:
        ids = tuple(map(id, ctx.missing))
        found = relabelled.lists.get(ids)
        if found is not None and all(a is b for a, b in zip(found[0], ctx.missing, strict=True)):
            return found[1]
    cache = relabelled.items
    out: list[MissingInfo] = []
    for m in ctx.missing:
        changes = max((waiting.get(p.strip(), 0) for p in m.field.split(",")), default=0) if waiting else 0
        key = (id(m), changes)
        new = cache.find(key, m)
        if new is NOT_FOUND:
            new = replaced(m, {"label": field_label(kb, m.field), "changes": changes})
            cache.keep(key, (m,), new)
        out.append(new)
    if waiting:
        out.sort(key=lambda m: -m.changes)  # stable: the tiers' order within equal value
    elif has_room(relabelled.lists):
        relabelled.lists[ids] = (ctx.missing, tuple(out))  # holding them keeps their ids
    return tuple(out)


def _headline(ctx: EvalContext, decisive: str | None) -> str:
    kb = ctx.kb
    facts = ctx.facts
    subtype = facts.get("subtype", "subtype unknown")
    # session 11: the line shown is the metastatic line now chosen (as plan.classification.line);
    # when the rules treat it as a later line (early relapse on adjuvant therapy), say so
    rules_line = facts.get("line")
    line = facts.get("line.metastatic", rules_line)
    head = f"{subtype}, line {line}" if isinstance(line, int) else f"{subtype}, line unknown"
    treated = facts.get("line.treated_as")
    if isinstance(treated, str) and isinstance(line, int) and rules_line != line:
        head += f" ({treated})"
    parts: list[str] = []
    critical = [a for a in ctx.alerts if a.severity == "critical"]
    if critical:
        parts.append(f"{len(critical)} critical alert{'s' if len(critical) > 1 else ''} first")
    preferred = [o for o in ctx.options if o.category == "preferred"]
    if preferred:
        names = [o.name for o in preferred[:2]]
        more = f" (+{len(preferred) - 2} more)" if len(preferred) > 2 else ""
        qualifier = f", {preferred[0].qualifier}" if preferred[0].qualifier else ""
        parts.append("preferred: " + "; ".join(names) + more + qualifier)
    elif ctx.options:
        parts.append("no preferred option; consider: " + ctx.options[0].name)
    elif any(n.kind in ("contraindicated", "declined") for n in ctx.not_recommended):
        parts.append("no option can be offered safely (see not recommended)")
    else:
        parts.append("no option yet")
    if ctx.assumptions:
        parts.append("assumed: " + ", ".join(a.shown for a in ctx.assumptions[:3]))
    if decisive:
        parts.append("would change it most: " + field_label(kb, decisive))
    return head + " - " + "; ".join(parts)


def stage_summary(ctx: EvalContext) -> EvalContext:
    """Rank missing information by value and write the bottom line."""
    missing = _ranked(ctx)
    decisive: str | None = None
    field_branches = [s for s in ctx.scenarios if not s.test]
    if field_branches:
        decisive = next(iter(field_branches[0].if_))
    elif missing and missing[0].changes > 0:
        decisive = missing[0].field
    preferred = [o.id for o in ctx.options if o.category == "preferred"]
    top = (preferred or [o.id for o in ctx.options])[:_TOP]
    summary = Summary.model_construct(  # every field built here is already valid
        headline=_headline(ctx, decisive),
        top_options=top,
        critical_alerts=[a.code for a in ctx.alerts if a.severity == "critical"],
        decisive_unknown=decisive,
    )
    was = ctx.partial
    partial = Partial(was.record_derived, was.assumptions, was.values, was.scenarios, summary, was.no_assume)
    return ctx.evolve(missing=missing, partial=partial)
