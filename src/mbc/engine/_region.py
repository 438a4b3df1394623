"""Regional labels (issue 9, ``--region US|EU``): label-based options cite the regulator of
the plan's region, and an option whose rule rests only on an indication the other regulator
alone granted (``exclusive``) is shown in "certain circumstances" with that fact stated.

The mapping is data: ``knowledge/labels/indications.yaml``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from mbc.engine._items import citations as _citations
from mbc.engine._items import replaced
from mbc.knowledge.indications import Indication, load_indications

if TYPE_CHECKING:
    from mbc.engine.context import EvalContext
    from mbc.knowledge.loader import KnowledgeBase
    from mbc.model.plan import Option

__all__ = ["stage_region"]


@dataclass
class _Rows:
    by_rule: dict[str, list[Indication]] = field(default_factory=dict)
    label_cites: dict[str, set[str]] = field(default_factory=dict)  # region -> its rows' citations


def _rows(kb: KnowledgeBase) -> _Rows:
    out = _Rows()
    for row in load_indications(kb):
        if row.status != "approved":
            continue
        for r in row.rules:
            out.by_rule.setdefault(r, []).append(row)
        out.label_cites.setdefault(row.region, set()).update(row.citations)
    return out


def _regional(kb: KnowledgeBase, rows: _Rows, opt: Option, region: str) -> Option:
    drug_ids = set(kb.regimen_drugs(opt.regimen))
    mine = [row for t in opt.trace for row in rows.by_rule.get(t.rule, ()) if set(row.drugs) <= drug_ids]
    if not mine:
        return opt  # not label-based: guideline options are the same in both regions
    here = [r for r in mine if r.region == region]
    update: dict[str, object] = {}
    if here:
        ids = list(dict.fromkeys(c for r in here for c in r.citations))
        other = rows.label_cites.get("EU" if region == "US" else "US", set()) - rows.label_cites.get(
            region, set()
        )
        kept = [c for c in opt.citations if c.id not in other and c.id not in ids]
        update["citations"] = _citations(kb, ids) + kept
    elif all(r.exclusive for r in mine):
        regulator = mine[0].regulator
        elsewhere = "EMA" if regulator == "FDA" else "FDA"
        fact = f"Approved by the {regulator} only; not an {elsewhere} indication for this use."
        update["category"] = "certain_circumstances"
        update["note"] = " ".join(p for p in (opt.note, fact) if p)
    return replaced(opt, update) if update else opt


_MAX = 20_000


class _RegionalOptions(dict[tuple[int, str], tuple["Option", "Option"]]):
    """(option object id, region) -> (option, its regional form), per KB."""


def stage_region(ctx: EvalContext) -> EvalContext:
    """Make label-based options follow the plan's region (see module docstring)."""
    kb = ctx.kb
    rows = kb.attached(_Rows, lambda: _rows(kb))
    if not rows.by_rule:
        return ctx
    region = ctx.region
    # an option object recurs across patients (shared per KB): remember its regional form,
    # holding the object so that its id cannot be reused while remembered
    memo = kb.attached(_RegionalOptions)
    out = []
    for o in ctx.options:
        hit = memo.get((id(o), region))
        if hit is not None and hit[0] is o:
            out.append(hit[1])
            continue
        made = _regional(kb, rows, o, region)
        if len(memo) < _MAX:
            memo[(id(o), region)] = (o, made)
        out.append(made)
    return ctx.evolve(options=tuple(out))
