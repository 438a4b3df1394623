"""Classify a therapy that was given against the plan made as of its start.

Categories (closed vocabulary, see docs/audit.md):

``preferred`` / ``other`` / ``certain_circumstances``
    the drugs given make up one of the plan's options (every component present, no drug
    outside the option);
``not_recommended``
    a drug given is in the plan's ``not_recommended`` list (a contraindication is checked
    before any option, so a contraindicated drug is never called concordant);
``not_assessable``
    the plan could not judge it: the therapy matches an option the plan holds back until a
    missing fact is known, or the plan offers no option because treatment facts are missing;
``not_in_plan``
    none of the above.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from mbc.knowledge.loader import KnowledgeBase
from mbc.model.plan import NotRecommended, Plan

__all__ = ["CATEGORIES", "CONCORDANT", "Verdict", "classify", "drug_ids"]

CONCORDANT = ("preferred", "other", "certain_circumstances")
CATEGORIES = (*CONCORDANT, "not_in_plan", "not_recommended", "not_assessable")


@dataclass(frozen=True)
class Verdict:
    """How the therapy given relates to the plan."""

    category: str
    option: str | None = None  # option id (concordant) or not_recommended id
    regimen: str | None = None
    reason: str | None = None
    missing: tuple[str, ...] = field(default_factory=tuple)


def _norm(kb: KnowledgeBase, name: str) -> str:
    return kb.lookup_drug(name) or name.strip().lower().replace(" ", "_")


def drug_ids(kb: KnowledgeBase, names: Iterable[str]) -> frozenset[str]:
    """Drug ids (KB vocabulary) for names, synonyms or brands; unknown names kept, normalised."""
    return frozenset(_norm(kb, n) for n in names)


def _covers(kb: KnowledgeBase, given: frozenset[str], components: Sequence[Sequence[str]]) -> bool:
    """Every component has a drug given and every drug given belongs to some component."""
    comps = [drug_ids(kb, c) for c in components]
    if not comps:
        return False
    return all(c & given for c in comps) and given <= frozenset().union(*comps)


def _avoided(kb: KnowledgeBase, given: frozenset[str], nr: NotRecommended) -> bool:
    """A drug-level entry: any of its drugs was given. A regimen-level entry: every component
    of the regimen was given (other drugs may be given with it)."""
    if nr.regimen:
        try:
            components = kb.regimen_components(nr.regimen)
        except KeyError:
            components = []
        if components:
            return all(drug_ids(kb, c) & given for c in components)
    return bool(drug_ids(kb, nr.drugs) & given)


def classify(kb: KnowledgeBase, given_names: Iterable[str], plan: Plan) -> Verdict:
    """The verdict for the drugs given, against ``plan`` (made as of the line's start)."""
    given = drug_ids(kb, given_names)
    for nr in plan.not_recommended:
        if nr.kind == "contraindicated" and _avoided(kb, given, nr):
            return Verdict("not_recommended", nr.id, nr.regimen, nr.reason)
    for opt in plan.options:
        if _covers(kb, given, opt.components or [[d] for d in opt.drugs]):
            return Verdict(opt.category, opt.id, opt.regimen)
    for nr in plan.not_recommended:
        if _avoided(kb, given, nr):
            return Verdict("not_recommended", nr.id, nr.regimen, nr.reason)
    for cond in plan.conditional_options:
        try:
            components: Sequence[Sequence[str]] = kb.regimen_components(cond.regimen)  # "+" add-ons too
        except KeyError:
            components = [[d] for d in cond.drugs]
        if _covers(kb, given, components):
            return Verdict(
                "not_assessable",
                cond.id,
                cond.regimen,
                "option held back until known",
                tuple(cond.needs),
            )
    if not plan.options:
        missing = tuple(m.field for m in plan.missing_information if m.priority == "treatment")
        return Verdict("not_assessable", reason="the plan offers no option", missing=missing)
    return Verdict("not_in_plan")
