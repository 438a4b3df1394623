"""The patient view: the plan in plain language (reading grade 6 or below).

:func:`build_patient_view` turns a :class:`~mbc.model.plan.Plan` into a small structure of
headed sections that the web page renders as HTML and :func:`render_patient_text` as plain
text. All words come from ``knowledge/patient/`` (``text.yaml`` and ``classes.yaml``); this
module only chooses which entries apply (by subtype, drug class and metastatic site).

.. versionadded:: 0.1
"""

from __future__ import annotations

import importlib.resources
import textwrap
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from mbc.knowledge.classes import nearest_class
from mbc.knowledge.loader import KnowledgeBase
from mbc.model.plan import Plan

__all__ = [
    "PatientOption",
    "PatientSection",
    "PatientTrial",
    "PatientView",
    "build_patient_view",
    "render_patient_text",
]


class _PatientText(tuple[dict[str, Any], dict[str, Any]]):
    """The patient view's sentences and class words of one KB (held by it)."""


def _patient_dir(kb: KnowledgeBase) -> Path:
    own = Path(kb.path) / "patient"
    if own.is_dir():
        return own
    return Path(str(importlib.resources.files("mbc") / "_kb" / "patient"))


def _load(kb: KnowledgeBase) -> tuple[dict[str, Any], dict[str, Any]]:
    return kb.attached(_PatientText, lambda: _read(kb))


def _read(kb: KnowledgeBase) -> _PatientText:
    root = _patient_dir(kb)
    text = yaml.safe_load((root / "text.yaml").read_text(encoding="utf-8"))
    classes = yaml.safe_load((root / "classes.yaml").read_text(encoding="utf-8"))["classes"]
    return _PatientText((text, classes))


@dataclass(frozen=True)
class PatientOption:
    """One treatment choice in plain words."""

    title: str
    category: str
    what: list[str]
    drug_names: list[str]


@dataclass(frozen=True)
class PatientTrial:
    """One trial in plain words: its NCT number and link, and one line about it."""

    nct_id: str
    url: str
    line: str


@dataclass(frozen=True)
class PatientSection:
    """A headed section: paragraphs and/or a bulleted list."""

    heading: str
    paragraphs: list[str] = field(default_factory=list)
    items: list[str] = field(default_factory=list)
    options: list[PatientOption] = field(default_factory=list)
    urgent: bool = False
    trials: list[PatientTrial] = field(default_factory=list)


@dataclass(frozen=True)
class PatientView:
    """The whole patient view."""

    title: str
    intro: list[str]
    sections: list[PatientSection]
    footer: str


def _class_entry(
    kb: KnowledgeBase, classes: dict[str, Any], drug_name: str
) -> tuple[str, dict[str, Any]] | None:
    """The patient entry of the most specific class of a drug that has one."""
    drug_id = kb.lookup_drug(drug_name)
    if drug_id is None:
        return None
    c = nearest_class(kb, drug_id, classes)
    return (c, classes[c]) if c is not None else None


def _join_words(words: list[str]) -> str:
    if len(words) <= 1:
        return "".join(words)
    return ", ".join(words[:-1]) + " and " + words[-1]


def _option(
    kb: KnowledgeBase, text: dict[str, Any], classes: dict[str, Any], opt: Any, n: int
) -> PatientOption:
    components = opt.components or [[d] for d in opt.drugs]
    plains: list[str] = []
    whats: list[str] = []
    seen: set[str] = set()
    for comp in components:
        entry = _class_entry(kb, classes, comp[0]) if comp else None
        if entry is None or entry[0] in seen:
            continue
        seen.add(entry[0])
        if entry[1]["plain"] not in plains:
            plains.append(entry[1]["plain"])
        whats.append(entry[1]["what"])
    title = _join_words(plains) if plains else opt.name
    title = text["choice_word"].format(n=n) + ": " + title[:1].upper() + title[1:]
    return PatientOption(
        title=title,
        category=text["category_words"].get(opt.category, opt.category),
        what=whats,
        drug_names=list(opt.drugs),
    )


def _trial_lines(text: dict[str, Any], rows: list[dict[str, Any]]) -> list[PatientTrial]:
    """Plain lines for the plan's trials (``TrialMatch.to_dict()`` rows), best first:
    NCT number with link, whether it takes new people, and for a possible match the one
    fact that would settle it. Issue 16."""
    words = text.get("trial_lines")
    if not words:
        return []
    recruiting = text.get("trial_recruiting") or {}
    facts = text.get("trial_facts") or {}
    out = []
    for row in rows[: int(words.get("max", 5))]:
        nct = str(row.get("nct_id") or row.get("trial") or "")
        if not nct:
            continue
        status = str(row.get("recruitment_status") or "unknown")
        settle = row.get("settle")
        template = words["possible"] if row.get("status") == "possible" else words["eligible"]
        line = template.format(
            recruiting=recruiting.get(status, recruiting.get("unknown", status)),
            fact=facts.get(settle, facts.get("default", "")) if settle else facts.get("default", ""),
        )
        url = str(row.get("url") or f"https://clinicaltrials.gov/study/{nct}")
        out.append(PatientTrial(nct_id=nct, url=url, line=line[:1].upper() + line[1:]))
    return out


def build_patient_view(plan: Plan, kb: KnowledgeBase) -> PatientView:
    """Choose the plain-language sections that apply to this plan.

    Args:
        plan: The plan.
        kb: The knowledge base (drug classes; location of ``patient/`` texts).

    Returns:
        The patient view.
    """
    text, classes = _load(kb)
    sections: list[PatientSection] = []
    if any(a.severity == "critical" for a in plan.alerts):
        sections.append(PatientSection(text["urgent_heading"], [text["urgent_text"]], urgent=True))
    subtype = plan.classification.subtype
    sections.append(
        PatientSection(
            text["subtype_heading"], list(text["subtypes"].get(subtype, text["subtypes"]["unknown"]))
        )
    )
    options = [_option(kb, text, classes, o, i + 1) for i, o in enumerate(plan.options)]
    if "short_heading" in text:  # issue 10: the bottom line first
        short = [text["short_first"].format(choice=options[0].title.split(": ", 1)[-1]) if options
                 else text["short_none"]]  # fmt: skip
        if plan.assumptions:
            short.append(text["short_assumed"])
        decisive = plan.summary.decisive_unknown if plan.summary else None
        if decisive:
            m = next((m for m in plan.missing_information if m.field == decisive), None)
            short.append(text["short_decisive"].format(what=(m.label if m and m.label else decisive).lower()))
        sections.insert(sum(1 for x in sections if x.urgent), PatientSection(text["short_heading"], short))
    sections.append(
        PatientSection(
            text["options_heading"],
            [text["options_intro"] if options else text["no_options"]],
            options=options,
        )
    )
    # A drug offered in any option is not listed as "not a good fit" (an entry about a
    # combination names every drug of it; the patient should not read "avoid <drug>" when
    # that drug is part of their first choice).
    offered = {d for o in plan.options for d in o.drugs}
    avoid = sorted({d for n in plan.not_recommended for d in n.drugs} - offered)
    if avoid:
        sections.append(PatientSection(text["avoid_heading"], [text["avoid_intro"]], items=avoid))
    tests = [w.name for w in plan.workup]
    if tests or plan.missing_information:
        paras = [text["tests_intro"]] + ([text["missing_text"]] if plan.missing_information else [])
        sections.append(PatientSection(text["tests_heading"], paras, items=tests))
    symptoms = list(text["symptoms_general"])
    sites = plan.facts.get("sites") or []
    for site in sites if isinstance(sites, list) else []:
        for s in text["symptoms_by_site"].get(site, []):
            if s not in symptoms:
                symptoms.append(s)
    sections.append(PatientSection(text["symptoms_heading"], items=symptoms))
    trials = list(text["trials_text"])
    if plan.trials:
        trials.append(text["trials_found"].format(n=len(plan.trials)))
    lines = _trial_lines(text, plan.trials)
    if lines and len(plan.trials) > len(lines):
        trials.append(text["trial_lines"]["more"].format(n=len(plan.trials) - len(lines)))
    sections.append(PatientSection(text["trials_heading"], trials, trials=lines))
    sections.append(PatientSection(text["questions_heading"], items=list(text["questions"])))
    return PatientView(
        title=text["title"], intro=list(text["intro"]), sections=sections, footer=text["footer"]
    )


def render_patient_text(plan: Plan, kb: KnowledgeBase) -> str:
    """The patient view as plain text (for ``mbc plan --audience patient``).

    Args:
        plan: The plan.
        kb: The knowledge base.

    Returns:
        Plain text, wrapped at 78 columns, ending with a newline.
    """
    view = build_patient_view(plan, kb)
    drug_label = _load(kb)[0].get("drug_names_label", "Drug names")
    out: list[str] = [view.title, "=" * len(view.title), ""]

    def para(s: str, indent: str = "") -> None:
        out.extend(textwrap.wrap(s, 78, initial_indent=indent, subsequent_indent=" " * len(indent)))

    for p in view.intro:
        para(p)
        out.append("")
    for sec in view.sections:
        out += [sec.heading, "-" * len(sec.heading)]
        for p in sec.paragraphs:
            para(p)
        for opt in sec.options:
            out.append("")
            para(f"{opt.title} ({opt.category})", "* ")
            for w in opt.what:
                para(w, "  ")
            para(f"{drug_label}: {', '.join(opt.drug_names)}.", "  ")
        for it in sec.items:
            para(it, "- ")
        for t in sec.trials:
            para(f"{t.nct_id} ({t.url}): {t.line}", "- ")
        out.append("")
    para(view.footer)
    return "\n".join(out).rstrip() + "\n"
