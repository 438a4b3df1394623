"""The plan view model: what every text view of a plan shows, in the order it shows it.

:func:`plan_view` walks a :class:`~mbc.model.plan.Plan` once into a :class:`PlanView`:
the options grouped by category with the category's label from the KB vocabulary
(``knowledge/vocab/categories.yaml``, so "Other recommended" is written in one place),
and the bottom line (:func:`mbc.render.summary.bottom_line`). :data:`SECTIONS` is the one
order of the sections; a format (text, markdown: :mod:`mbc.render.text`) is a table of
section writers, and :func:`write` runs them over the sections that have something to
show. Nothing here decides anything: it only arranges the plan.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass

from mbc.knowledge.loader import KnowledgeBase, load_kb
from mbc.model.plan import Option, Plan
from mbc.render.summary import BottomLine, bottom_line

__all__ = [
    "SECTIONS",
    "OptionGroup",
    "PlanView",
    "Writer",
    "category_labels",
    "group_options",
    "plan_view",
    "write",
]


@dataclass(frozen=True)
class OptionGroup:
    """The options of one category, with the category's label."""

    category: str
    label: str
    options: list[Option]


@dataclass(frozen=True)
class PlanView:
    """A plan arranged for display."""

    plan: Plan
    groups: list[OptionGroup]  # every category that has an option, in rank order
    bottom: BottomLine


class _Labels(list[tuple[str, str]]):
    """(category id, label) in rank order (per KB)."""


def category_labels(kb: KnowledgeBase) -> list[tuple[str, str]]:
    """(category id, label) of every option category, in rank order (the KB vocabulary)."""

    def build() -> _Labels:
        terms = sorted(kb.terms.get("categories", {}).values(), key=lambda t: int(t.data["rank"]))
        return _Labels((t.id, t.name) for t in terms)

    return kb.attached(_Labels, build)


def group_options(plan: Plan, kb: KnowledgeBase) -> list[OptionGroup]:
    """Every category with its options (empty categories included), in rank order."""
    return [
        OptionGroup(cat, label, [o for o in plan.options if o.category == cat])
        for cat, label in category_labels(kb)
    ]


def plan_view(plan: Plan, kb: KnowledgeBase | None = None) -> PlanView:
    """The view model of a plan (``kb``: the KB whose vocabulary labels the categories;
    default the shipped one)."""
    groups = [g for g in group_options(plan, kb or load_kb()) if g.options]
    return PlanView(plan, groups, bottom_line(plan))


Writer = Callable[[PlanView], list[str]]

# The one order of the sections, each with what makes it worth showing.
SECTIONS: tuple[tuple[str, Callable[[PlanView], object]], ...] = (
    ("header", lambda v: True),
    ("summary", lambda v: True),
    ("alerts", lambda v: v.plan.alerts),
    ("options", lambda v: True),  # shown even when empty: it says why
    ("not_recommended", lambda v: v.plan.not_recommended),
    ("workup", lambda v: v.plan.workup),
    ("supportive_care", lambda v: v.plan.supportive_care),
    ("missing_information", lambda v: v.bottom.missing),
    ("waiting", lambda v: v.bottom.waiting),
    ("trials", lambda v: v.plan.trials),
    ("notes", lambda v: v.plan.notes),
)


def write(view: PlanView, writers: Mapping[str, Writer]) -> str:
    """The sections of a view, each by its writer (a format leaves out what it has no
    writer for), joined into one document."""
    out: list[str] = []
    for name, shown in SECTIONS:
        writer = writers.get(name)
        if writer is not None and shown(view):
            out.extend(writer(view))
    return "\n".join(out).rstrip() + "\n"
