"""Safety screening of one option (issue 9).

- Grouped options split: when a contraindication (or a progression exclusion) hits only
  interchangeable alternatives of a ``one_of`` component, those alternatives leave the group
  (and are listed under not_recommended); the option survives with the rest. Only when no
  alternative is left, or a fixed component is hit, does the whole option move.
- One severity model: an option that stays with a *critical* caution alert about its own
  drugs is never ranked above "other" - unless the alert hits only interchangeable
  alternatives of a group (another alternative avoids it): then the option keeps its rank
  and its note names the alternatives to avoid.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any, NamedTuple

from mbc.engine._items import replaced

if TYPE_CHECKING:
    from mbc.knowledge.loader import KnowledgeBase
    from mbc.model.plan import MissingInfo, Option

__all__ = ["Screened", "avoidable", "screen_option"]

# (blocks, cautions, missing) for a drug set; blocks/cautions are findings with .rule and .hit
Check = Callable[[tuple[str, ...]], tuple[Sequence[Any], Sequence[Any], Sequence["MissingInfo"]]]


class Screened(NamedTuple):
    """What the safety checks leave of one option."""

    option: Option | None  # None: the whole option moves to not_recommended
    blocks: tuple[Any, ...]  # findings that removed the option or some of its alternatives
    dropped: tuple[str, ...]  # drug ids taken out of their group (empty: whole option)
    cautions: tuple[Any, ...]
    missing: tuple[MissingInfo, ...]


def _droppable(kb: KnowledgeBase, regimen: str, hit: set[str]) -> set[str] | None:
    """Alternatives to take out so that no hit drug is left, or None when impossible."""
    drop: set[str] = set()
    fixed = set()
    for comp in kb.regimen_components(regimen):
        bad = [d for d in comp if d in hit]
        if not bad:
            continue
        if len(bad) == len(comp):
            fixed.update(bad)
        else:
            drop.update(bad)
    return None if fixed or not drop else drop


def avoidable(kb: KnowledgeBase, regimen: str, drug_ids: Sequence[str], hit: set[str]) -> set[str] | None:
    """The hit drugs when each is an interchangeable alternative with another alternative of its
    group still in the option (``drug_ids``) and not hit; None otherwise."""
    present = set(drug_ids)
    found: set[str] = set()
    for comp in kb.regimen_components(regimen):
        alive = [d for d in comp if d in present]
        bad = [d for d in alive if d in hit]
        if not bad:
            continue
        if len(bad) == len(alive):
            return None
        found.update(bad)
    return found if found and found >= (hit & present) else None


def screen_option(
    kb: KnowledgeBase,
    opt: Option,
    drug_ids: tuple[str, ...],
    check: Check,
    names: Callable[[Sequence[str]], list[str]],
) -> Screened:
    """Screen one option: keep, split or remove it; cap it at "other" under a critical caution."""
    blocks, cautions, missing = check(drug_ids)
    dropped: tuple[str, ...] = ()
    kept = drug_ids
    if blocks:
        hit = {d for f in blocks for d in f.hit}
        drop = _droppable(kb, opt.regimen, hit)
        if drop is None:
            return Screened(None, tuple(blocks), (), tuple(cautions), tuple(missing))
        reduced = tuple(d for d in drug_ids if d not in drop)
        blocks2, cautions, missing2 = check(reduced)
        if blocks2:
            return Screened(None, tuple(blocks) + tuple(blocks2), (), tuple(cautions), tuple(missing))
        missing = [*missing, *missing2]
        dropped = tuple(d for d in drug_ids if d in drop)
        kept = reduced
        gone = names(dropped)
        opt = replaced(
            opt,
            {
                "drugs": names(reduced),
                "components": [[n for n in comp if n not in gone] for comp in opt.components],
                "name": f"{opt.name} - not {', '.join(gone)}",
                "note": _noted(opt.note, f"Without {', '.join(gone)} (see not recommended)."),
            },
        )
    critical = {d for f in cautions if f.rule.severity == "critical" for d in f.hit}
    avoid = avoidable(kb, opt.regimen, kept, critical) if critical and opt.category == "preferred" else None
    if avoid:
        # the alert hits only interchangeable alternatives: another one avoids it, so the
        # option keeps its rank and says which alternative to avoid
        gone = names(tuple(d for d in kept if d in avoid))
        opt = replaced(
            opt,
            {
                "note": _noted(
                    opt.note,
                    f"Use an alternative to {', '.join(gone)} unless its critical alert is resolved.",
                ),
            },
        )
    elif critical and opt.category == "preferred":
        opt = replaced(
            opt,
            {
                "category": "other",
                "note": _noted(opt.note, "Ranked no higher than 'other' because of a critical safety alert."),
            },
        )
    return Screened(opt, tuple(blocks), dropped, tuple(cautions), tuple(missing))


def _noted(note: str | None, more: str) -> str:
    """An option's note with a sentence added (the note may be empty)."""
    return " ".join(p for p in (note, more) if p)
