"""The safety checks of a drug asked about, shared by the clinician intents (appropriateness and
dose): the KB safety rules that hold for it, the label dose adjustments that say "do not give",
and the plan's contraindicated entries that refuse it."""

from __future__ import annotations

from typing import Any

from mbc.answer._classes import asked_classes
from mbc.answer._understand import Understanding
from mbc.knowledge.doses import load_doses
from mbc.knowledge.loader import KnowledgeBase
from mbc.logic import Truth
from mbc.model.plan import NotRecommended, Option, Plan

__all__ = ["dose_stops", "refusing", "safety_hits"]


def refusing(nr: list[NotRecommended], opts: list[Option], asked: set[str]) -> list[NotRecommended]:
    """The contraindicated entries that make the drugs asked about "no": a combination blocked for
    its other drug does not while an option offering them stands (session 8)."""
    return [n for n in nr if n.kind == "contraindicated" and (not opts or set(n.drugs) <= asked)]


def safety_hits(kb: KnowledgeBase, plan: Plan, u: Understanding) -> list[Any]:
    """Safety checks of the KB that hold for the drugs asked about (taken together) and
    this patient's facts; a check whose condition is unknown is not a hit."""
    drugs = set(u.drugs)
    # a non-cancer medication asked about with a cancer drug: an interaction question
    interaction = any(not kb.drugs[d].cancer_drug for d in drugs) and any(
        kb.drugs[d].cancer_drug for d in drugs
    )
    classes = asked_classes(kb, drugs, u.classes)  # an asked class is also its wider class
    present = drugs | classes
    hits = []
    for s in kb.active_safety:
        if s.combination:
            if not all(x in present for x in s.combination):
                continue
        elif not (drugs & set(s.drugs) or classes & set(s.classes)):
            continue
        if any(x in present for x in s.not_with):
            continue
        if s.when is not None and s.when.truth(plan.facts) is not Truth.TRUE:
            continue
        # session 10: a caution on a medicine the patient takes (a stated interaction) decides as one
        # asked about
        taken = s.when is not None and any(f.startswith("medication.") for f in _facts_of(s.when))
        if s.effect in ("contraindicated", "declined") or ((interaction or taken) and s.severity != "info"):
            hits.append(s)
    return hits


def _facts_of(cond: Any) -> set[str]:
    """The fact names a rule condition tests (at any depth)."""
    fact = getattr(cond, "fact", None)
    if isinstance(fact, str):
        return {fact}
    out: set[str] = set()
    for key in ("all", "any", "of", "not_"):
        sub = getattr(cond, key, None)
        for c in sub if isinstance(sub, list | tuple) else [sub] if sub is not None else []:
            out |= _facts_of(c)
    return out


def dose_stops(kb: KnowledgeBase, plan: Plan, u: Understanding) -> list[tuple[str, Any]]:
    """Label dose adjustments that say 'do not give' for an asked drug and hold here."""
    tables = load_doses(kb)
    out: list[tuple[str, Any]] = []
    for did in u.drugs:
        entry = tables.find(did, ())
        for adj in entry.adjustments if entry else ():
            if adj.effect in ("not_recommended", "hold") and adj.when.truth(plan.facts) is Truth.TRUE:
                out.append((adj.text, entry.citations if entry else ()))
                break
    return out
