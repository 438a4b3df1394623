"""The cited overview for a question without patient facts.

The treatment part is computed, not written: for each patient group of
``knowledge/algorithm/groups.yaml`` (first line, completed by the typical facts of
``knowledge/answer/overview.yaml``) every active treatment rule is evaluated three-valued,
and the preferred options of the rules that hold are listed with their citations.
"""

from __future__ import annotations

from typing import Any

from mbc.answer._model import Citer
from mbc.answer._schema import AnswerKB
from mbc.knowledge.loader import KnowledgeBase
from mbc.knowledge.schema import OptionAction, Rule
from mbc.logic import Truth
from mbc.render.algorithm import load_groups

__all__ = ["GroupLine", "group_options", "overview_points", "subtype_points"]

GroupLine = tuple[str, list[str], list[str]]  # title, option names, citation ids


def _holds(rule: Rule, facts: dict[str, Any]) -> bool:
    if rule.when.truth(facts) is not Truth.TRUE:
        return False
    return rule.unless is None or rule.unless.truth(facts) is not Truth.TRUE


def _maybe(rule: Rule, facts: dict[str, Any]) -> bool:
    if rule.when.truth(facts) is Truth.FALSE:
        return False
    return rule.unless is None or rule.unless.truth(facts) is not Truth.TRUE


def _rank(kb: KnowledgeBase, level: str) -> int:
    term = kb.term("evidence_levels", level)
    return int(term.data.get("rank", 99)) if term else 99


def _fits(group_facts: dict[str, Any], known: dict[str, Any]) -> bool:
    keys = ("subtype", "her2_status", "hr_status")
    return all(group_facts.get(k) in (None, known[k]) for k in keys if k in known and known[k] != "unknown")


def group_options(
    kb: KnowledgeBase, akb: AnswerKB, *, known: dict[str, Any] | None = None, line_index: int = 0
) -> list[GroupLine]:
    """Per group: its title, its preferred options for one line (best evidence first), sources.

    Args:
        known: Subtype facts of the question (only the groups that fit are kept).
        line_index: 0 first line; later lines also list options that depend on prior therapy.
    """
    spec = load_groups(kb)
    line = spec.lines[min(line_index, len(spec.lines) - 1)]
    out: list[GroupLine] = []
    for g in spec.groups:
        if known and not (
            _fits(g.facts, known) or any(_fits({**g.facts, **v.facts}, known) for v in g.variants)
        ):
            continue
        variants = [v.facts for v in g.variants] or [{}]
        rows: list[tuple[int, int, str, tuple[str, ...]]] = []
        for vf in variants:
            facts: dict[str, Any] = {}
            for family in line.false_families:
                for c in kb.drug_classes:
                    facts[f"{family}.{c}"] = False
            facts.update(akb.overview.typical_facts)
            facts.update(line.facts)
            facts.update(g.facts)
            facts.update(vf)
            for order, rule in enumerate(kb.active_rules):
                if not _holds(rule, facts) and not (line_index and _maybe(rule, facts)):
                    continue
                for a in rule.then:
                    if isinstance(a, OptionAction) and a.category == "preferred":
                        name = kb.regimen_name("+".join((a.option, *a.add)))
                        rows.append((_rank(kb, rule.evidence.level), order, name, rule.evidence.citations))
        names: list[str] = []
        cites: list[str] = list(g.citations)
        for _, _, name, rc in sorted(rows, key=lambda r: (r[0], r[1])):
            if name not in names and len(names) < akb.overview.max_per_group:
                names.append(name)
                cites.extend(c for c in rc[:2] if c not in cites)
        out.append((g.title, names, cites))
    return out


def subtype_points(kb: KnowledgeBase, akb: AnswerKB, citer: Citer, known: dict[str, Any]) -> list[str]:
    """Preferred options line by line for the groups that fit a subtype named in the question."""
    spec = load_groups(kb)
    points: list[str] = []
    for i, line in enumerate(spec.lines):
        names: list[str] = []
        cites: list[str] = []
        for _title, ns, cs in group_options(kb, akb, known=known, line_index=i):
            names += [n for n in ns if n not in names]
            cites += [x for x in cs[:3] if x not in cites]
        if names:
            points.append(f"{line.title}: {'; '.join(names[:5])}{citer.ref(cites[:4])}")
    if points:
        points.insert(0, "Preferred options by line (later lines depend on what was given before):")
    return points


def overview_points(
    kb: KnowledgeBase, akb: AnswerKB, citer: Citer, known: dict[str, Any] | None = None
) -> tuple[str, list[str]]:
    """The overview as a lead sentence and cited points (headed groups of lines)."""
    ov = akb.overview
    sections = {s.id: s for s in ov.sections}
    lead = sections.get("goals")
    text = " ".join(lead.points) + citer.ref(lead.citations) if lead else ov.title
    points: list[str] = []
    for sid in ("assessment",):
        s = sections.get(sid)
        if s:
            points.append(f"{s.heading}:")
            points.extend(f"  {p}" for p in s.points[:-1])
            points.append(f"  {s.points[-1]}{citer.ref(s.citations)}")
    if known:
        points.extend(subtype_points(kb, akb, citer, known))
    else:
        points.append(f"Treatment by group - preferred first-line options, {ov.typical_note}:")
        for title, names, cites in group_options(kb, akb):
            shown = "; ".join(names) if names else "no single preferred option - depends on further facts"
            points.append(f"  {title}: {shown}{citer.ref(cites[:3])}")
    for sid in ("supportive", "response", "pitfalls"):
        s = sections.get(sid)
        if s:
            points.append(f"{s.heading}:")
            points.extend(f"  {p}" for p in s.points[:-1])
            points.append(f"  {s.points[-1]}{citer.ref(s.citations)}")
    return text, points
