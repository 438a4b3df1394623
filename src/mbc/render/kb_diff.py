"""The clinical effect of a KB change, for release notes: plan every golden case with the
old and the new KB and say, per case, what a clinician would see change (option added,
removed, re-ranked or re-categorised; not-recommended, alert, workup, supportive-care and
missing-information changes), with the structural diff of :mod:`mbc.knowledge.diff`.
Rendered as text or markdown (``mbc kb diff OLD NEW``).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from mbc.engine import plan as make_plan
from mbc.knowledge.diff import KBDiff
from mbc.knowledge.loader import KnowledgeBase
from mbc.model import parse_record

__all__ = ["CaseChange", "compare_plans", "golden_cases", "plan_changes", "render_kb_diff"]


@dataclass(frozen=True)
class CaseChange:
    """One golden case whose plan changes, and how (one line per change)."""

    case: str
    changes: tuple[str, ...]


def golden_cases(root: Path) -> list[Path]:
    """Every golden case directory (holding a patient.json) under ``root``, sorted."""
    return sorted(p.parent for p in root.rglob("patient.json"))


def _keyed(items: Iterable[Mapping[str, Any]], key: Callable[[Mapping[str, Any]], str]) -> dict[str, Any]:
    return {key(i): i for i in items}


def _set_changes(
    what: str,
    old: Mapping[str, Any],
    new: Mapping[str, Any],
    label: Callable[[Mapping[str, Any]], str],
    shown: tuple[str, ...] = (),
) -> list[str]:
    """Added / removed items of a section, and the ``shown`` fields that changed."""
    out = [f"{what} added: {label(new[k])}" for k in new if k not in old]
    out += [f"{what} removed: {label(old[k])}" for k in old if k not in new]
    for k in new:
        if k in old:
            for f in shown:
                if old[k].get(f) != new[k].get(f):
                    out.append(f"{what} {label(new[k])}: {f} {old[k].get(f)} -> {new[k].get(f)}")
    return out


def _options(old: list[dict[str, Any]], new: list[dict[str, Any]]) -> list[str]:
    a = _keyed(old, lambda o: o["regimen"])
    b = _keyed(new, lambda o: o["regimen"])
    out = _set_changes("option", a, b, lambda o: f"{o['name']} ({o['category']})", ("category",))
    common_old = [r for r in a if r in b]
    common_new = [r for r in b if r in a]
    if common_old != common_new:
        moves = [
            f"{b[r]['name']} {common_old.index(r) + 1} -> {common_new.index(r) + 1}"
            for r in common_new
            if common_old.index(r) != common_new.index(r)
        ]
        out.append("options re-ranked: " + "; ".join(moves))
    return out


_Item = Mapping[str, Any]
_Section = tuple[str, str, Callable[[_Item], str], Callable[[_Item], str], tuple[str, ...]]

# The plan's other sections: (what they hold, JSON key, an item's key, its label, the
# fields whose change is shown)
_PLAN_SECTIONS: tuple[_Section, ...] = (
    ("option needing data", "conditional_options", lambda c: c["regimen"],
     lambda c: f"{c['name']} (needs {', '.join(c.get('needs', [])) or 'data'})", ()),
    ("not recommended", "not_recommended",
     lambda n: f"{n.get('regimen') or '+'.join(n['drugs'])}|{n['kind']}",
     lambda n: f"{n.get('name') or ', '.join(n['drugs'])} ({n['kind']})", ("reason",)),
    ("alert", "alerts", lambda a: a["code"], lambda a: f"{a['code']} ({a['severity']})",
     ("severity", "message", "drugs")),
    ("workup", "workup", lambda w: w["id"], lambda w: f"{w['name']} ({w['urgency']})", ("urgency",)),
    ("supportive care", "supportive_care", lambda s: s["id"], lambda s: str(s["name"]), ()),
    ("missing information", "missing_information", lambda m: m["field"], lambda m: str(m["field"]), ()),
)  # fmt: skip


def compare_plans(old: Mapping[str, Any], new: Mapping[str, Any]) -> list[str]:
    """What a clinician sees change between two plans (JSON form); empty when the plans
    are the same apart from the KB version."""
    out = _options(old.get("options", []), new.get("options", []))
    for what, section, key, label, shown in _PLAN_SECTIONS:
        before, after = _keyed(old.get(section, []), key), _keyed(new.get(section, []), key)
        out += _set_changes(what, before, after, label, shown)
    if not out and _without_version(old) != _without_version(new):
        out.append("details changed (rationale, traces, citations or notes)")
    return out


def _without_version(plan: Mapping[str, Any]) -> str:
    return json.dumps({k: v for k, v in plan.items() if k != "kb_version"}, sort_keys=True)


def plan_changes(
    old: KnowledgeBase, new: KnowledgeBase, cases: Iterable[Path], root: Path
) -> list[CaseChange]:
    """Plan each case (a directory with patient.json) with both KBs; the cases whose plan
    changes, named relative to ``root``."""
    out: list[CaseChange] = []
    for case in cases:
        record = parse_record(json.loads((case / "patient.json").read_text()))
        before = make_plan(record, old).to_json()
        after = make_plan(record, new).to_json()
        changes = compare_plans(before, after)
        if changes:
            out.append(CaseChange(str(case.relative_to(root)), tuple(changes)))
    return out


_SECTIONS = (
    ("rule", "Rules"), ("safety", "Safety checks"), ("definition", "Definitions"), ("source", "Sources"),
    ("drug", "Drugs"), ("regimen", "Regimens"), ("term", "Vocabulary terms"), ("fact", "Facts"),
    ("policy", "Assumption policies"), ("branch", "Test branches"), ("derive", "Derivation"),
)  # fmt: skip


def render_kb_diff(
    diff: KBDiff,
    cases: list[CaseChange] | None,
    fmt: Literal["text", "markdown"] = "text",
    *,
    n_cases: int = 0,
) -> str:
    """The diff as text or markdown (for release notes)."""
    md = fmt == "markdown"
    lines: list[str] = []

    def head(text: str, level: int = 2) -> None:
        lines.append(("#" * level + " " + text) if md else (text if level < 3 else f"{text}:"))

    def item(text: str, depth: int = 0) -> None:
        lines.append(("  " * depth) + ("- " if md else "  ") + text)

    head(f"KB {diff.old_version} -> {diff.new_version}", 1 if md else 2)
    if diff.empty:
        lines.append("No change in rules, definitions, sources or vocabularies.")
    for what, title in _SECTIONS:
        found = diff.of(what)
        if found:
            head(f"{title} ({len(found)})", 3)
            for c in found:
                item(f"{c.kind}: {c.label}")
    if diff.affected:
        head(f"Rules affected through a changed definition ({len(diff.affected)})", 3)
        for rule_id, defs in diff.affected.items():
            item(f"{rule_id} (uses {', '.join(defs)})")
    cited = {sid: rules for sid, rules in diff.citing.items() if rules}
    if cited:
        head(f"Rules citing a changed source (review them against it) ({len(cited)})", 3)
        for sid, rules in cited.items():
            item(f"{sid}: {', '.join(rules)}")
    if diff.version_problems:
        head(f"Version bumps missing ({len(diff.version_problems)})", 3)
        for p in diff.version_problems:
            item(p)
    if cases is not None:
        head(f"Clinical effect: {len(cases)} of {n_cases} golden cases change their plan", 3)
        for case in cases:
            item(f"`{case.case}`" if md else case.case)
            for change in case.changes:
                item(change, 1)
    return "\n".join(lines) + "\n"
