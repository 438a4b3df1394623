"""Render the whole knowledge base as a readable, cited treatment algorithm.

Nothing here is written by hand: the patient groups and lines come from
``knowledge/algorithm/groups.yaml``; for every group x line the renderer builds the
representative fact assignment (group facts + line facts), evaluates every active rule's
``when`` (and ``unless``) three-valued, and lists the rules that are TRUE ("options") or
UNKNOWN ("depends on", with the conditions still to be decided). Workup, red-flag,
supportive-care and follow-up rules, and the safety checks, are listed once for all groups
with their conditions in words. Every listed item carries its citations.
"""

from __future__ import annotations

import html
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal, NamedTuple

from mbc.engine.evaluate import rule_outcome
from mbc.engine.rank import category_order
from mbc.errors import KnowledgeError
from mbc.knowledge._folders import AlgorithmFile, AlgorithmVariant
from mbc.knowledge._folders import AlgorithmLine as Line
from mbc.knowledge.conditions import value_words
from mbc.knowledge.loader import KnowledgeBase, read_yaml
from mbc.knowledge.schema import AlertAction, AvoidAction, OptionAction, Rule, SupportiveAction, WorkupAction
from mbc.logic import Truth

__all__ = ["AlgorithmFile", "Block", "build_algorithm", "load_groups", "render_algorithm"]


@dataclass(frozen=True)
class Block:
    """One rendered element: a heading (level 1-3), a paragraph or a list item."""

    kind: Literal["h1", "h2", "h3", "p", "li"]
    text: str


@dataclass
class _Doc:
    blocks: list[Block] = field(default_factory=list)
    cited: dict[str, None] = field(default_factory=dict)

    def add(self, kind: Literal["h1", "h2", "h3", "p", "li"], text: str) -> None:
        self.blocks.append(Block(kind, text))


def load_groups(kb: KnowledgeBase) -> AlgorithmFile:
    """Read and validate the group definitions of a KB."""
    path = Path(kb.path) / "algorithm" / "groups.yaml"
    if not path.is_file():
        raise KnowledgeError(f"no algorithm group definitions at {path}")
    doc = AlgorithmFile.model_validate(read_yaml(path))
    for g in doc.groups:
        for c in g.citations:
            if c not in kb.sources:
                raise KnowledgeError(f"algorithm group {g.id}: unknown citation {c!r}")
    return doc


# ------------------------------------------------------------------ conditions in words


def condition_text(node: Any) -> str:
    """A condition tree in words, e.g. 'subtype is TNBC and line >= 2'."""
    return str(node.describe())


# ------------------------------------------------------------------ evaluation


def _facts_for(kb: KnowledgeBase, group: Mapping[str, Any], line: Line) -> dict[str, Any]:
    facts: dict[str, Any] = {}
    for family in line.false_families:
        for c in kb.drug_classes:
            facts[f"{family}.{c}"] = False
    facts.update(line.facts)
    facts.update(group)
    return facts


def _state(rule: Rule, facts: Mapping[str, Any]) -> Truth:
    """The rule's truth for these facts, by the engine's own rule evaluation."""
    outcome = rule_outcome(rule, facts)
    return Truth.FALSE if outcome is None else outcome.truth


def _category_label(kb: KnowledgeBase, category: str) -> str:
    return _term_name(kb, "categories", category)


def _ev_rank(kb: KnowledgeBase, level: str) -> int:
    term = kb.term("evidence_levels", level)
    return int(term.data.get("rank", 99)) if term else 99


def _cites(kb: KnowledgeBase, ids: Iterable[str], doc: _Doc) -> str:
    ids = list(dict.fromkeys(ids))
    for i in ids:
        doc.cited[i] = None
    return "[" + "; ".join(kb.sources[i].short for i in ids) + "]"


def _term_name(kb: KnowledgeBase, kind: str, term_id: str) -> str:
    t = kb.term(kind, term_id)
    return t.name if t else term_id


class _Kind(NamedTuple):
    """How the algorithm shows one kind of action: its kind, whether it makes a rule a
    treatment rule (listed per group and line), and its words in the list of the other
    rules (None: not listed there)."""

    kind: str
    treats: Callable[[KnowledgeBase, Any], bool]
    words: Callable[[KnowledgeBase, Any], str | None]


def _never(kb: KnowledgeBase, a: Any) -> bool:
    return False


def _unlisted(kb: KnowledgeBase, a: Any) -> str | None:
    return None


# The one table of action types.
_KINDS: dict[type[Any], _Kind] = {
    OptionAction: _Kind("option", lambda kb, a: True, _unlisted),
    # advises against a regimen or an anticancer drug
    AvoidAction: _Kind(
        "avoid",
        lambda kb, a: bool(a.avoid or any(kb.drugs[d].cancer_drug for d in a.drugs if d in kb.drugs)),
        _unlisted,
    ),
    WorkupAction: _Kind(
        "workup", _never, lambda kb, a: f"test: {_term_name(kb, 'tests', a.workup)} ({a.urgency})"
    ),
    SupportiveAction: _Kind(
        "supportive", _never, lambda kb, a: f"supportive care: {_term_name(kb, 'supportive', a.supportive)}"
    ),
    AlertAction: _Kind("alert", _never, lambda kb, a: f"{a.severity} alert: {a.alert}"),
}


def _actions(rule: Rule, kind: str) -> list[Any]:
    """The actions of one kind of a rule."""
    return [a for a in rule.then if _KINDS[type(a)].kind == kind]


def _is_treatment(kb: KnowledgeBase, rule: Rule) -> bool:
    """Offers a regimen, or advises against a regimen / anticancer drug."""
    return any(_KINDS[type(a)].treats(kb, a) for a in rule.then)


def _option_items(
    kb: KnowledgeBase, rules: list[tuple[int, Rule, str, list[str]]], doc: _Doc, *, unknown: bool
) -> None:
    rows: list[tuple[tuple[int, int, int], str]] = []
    for order, rule, label, pending in rules:
        for a in _actions(rule, "option"):
            reg = "+".join((a.option, *a.add))
            name = kb.regimen_name(reg)
            level = kb.term("evidence_levels", rule.evidence.level)
            ev = level.name if level else rule.evidence.level
            text = f"**{_category_label(kb, a.category)}**: {name}"
            if label:
                text += f" ({label})"
            if unknown:
                text += f" - if {'; '.join(dict.fromkeys(pending))}"
            cites = _cites(kb, rule.evidence.citations, doc)
            text += f" - {rule.title} ({ev}; rule {rule.id}@{rule.version}) {cites}"
            key = (category_order(kb)[a.category], _ev_rank(kb, rule.evidence.level), order)
            rows.append((key, text))
    seen: set[str] = set()
    for _, text in sorted(rows, key=lambda r: r[0]):
        if text not in seen:
            seen.add(text)
            doc.add("li", text)


def _avoid_items(kb: KnowledgeBase, rules: list[tuple[int, Rule, str, list[str]]], doc: _Doc) -> None:
    for _, rule, label, pending in rules:
        for a in _actions(rule, "avoid"):
            what = kb.regimen_name(a.avoid) if a.avoid else ", ".join(kb.drugs[d].name for d in a.drugs)
            suffix = f" ({label})" if label else ""
            if pending:
                suffix += f" - if {'; '.join(dict.fromkeys(pending))}"
            doc.add("li", f"**Not recommended**: {what}{suffix} - {a.reason.strip()} "
                          f"{_cites(kb, rule.evidence.citations, doc)}")  # fmt: skip


def build_algorithm(kb: KnowledgeBase) -> list[Block]:
    """The algorithm as a list of blocks (headings, paragraphs, cited list items)."""
    spec = load_groups(kb)
    doc = _Doc()
    rules = list(kb.active_rules)
    doc.add("h1", spec.title)
    doc.add(
        "p",
        f"Generated from knowledge base version {kb.version} ({len(rules)} active rules, "
        f"{len(kb.active_safety)} safety checks). Patient groups after {_cites(kb, spec.citations, doc)}. "
        "For each group and line, every rule is evaluated against the facts that define the group: "
        "options whose conditions hold are listed first; options that depend on facts not fixed by "
        "the group (biomarkers, prior therapy, ...) follow with what decides them. Decision support "
        "only - not a substitute for clinical judgement; verify against current guidelines and labels.",
    )
    for n, g in enumerate(spec.groups, 1):
        doc.add("h2", f"{n}. {g.title}")
        defining = ", ".join(f"{k} = {value_words(v)}" for k, v in g.facts.items())
        doc.add("p", f"Defined by: {defining}. {_cites(kb, g.citations, doc)}")
        variants = g.variants or (AlgorithmVariant(label="", facts={}),)
        for line in spec.lines:
            doc.add("h3", line.title)
            true_rules: list[tuple[int, Rule, str, list[str]]] = []
            unknown_rules: list[tuple[int, Rule, str, list[str]]] = []
            for i, rule in enumerate(rules):
                if not _is_treatment(kb, rule):
                    continue
                for v in variants:
                    facts = _facts_for(kb, {**g.facts, **v.facts}, line)
                    state = _state(rule, facts)
                    label = v.label if g.variants else ""
                    if state is Truth.TRUE:
                        true_rules.append((i, rule, label, []))
                    elif state is Truth.UNKNOWN:
                        unknown_rules.append((i, rule, label, rule.when.undecided(facts)))
            if not true_rules and not unknown_rules:
                doc.add("p", "_No treatment rule in the knowledge base applies to this line yet._")
                continue
            _option_items(kb, true_rules, doc, unknown=False)
            _avoid_items(kb, true_rules, doc)
            if unknown_rules:
                doc.add("p", "Depending on further information:")
                _option_items(kb, unknown_rules, doc, unknown=True)
                _avoid_items(kb, unknown_rules, doc)
    _other_rules(kb, rules, doc)
    _safety(kb, doc)
    doc.add("h2", "Sources")
    for cid in doc.cited:
        s = kb.sources[cid]
        link = f"https://doi.org/{s.doi}" if s.doi else (s.url or "")
        flag = "" if s.verified else " (not verified against a stored copy)"
        doc.add("p", f"{s.short}: {s.title}. {s.org or ''} {s.year}. {link}{flag}".replace("  ", " "))
    return doc.blocks


def _actions_text(kb: KnowledgeBase, rule: Rule) -> str:
    return "; ".join(w for a in rule.then if (w := _KINDS[type(a)].words(kb, a)) is not None)


def _other_rules(kb: KnowledgeBase, rules: list[Rule], doc: _Doc) -> None:
    doc.add("h2", "Workup, red flags, supportive care and follow-up (all groups)")
    by_dir: dict[str, list[Rule]] = {}
    for r in rules:
        if _is_treatment(kb, r):
            continue
        folder = kb.files.get(r.id, "rules/other").split("/")[1]
        by_dir.setdefault(folder, []).append(r)
    for folder, rs in by_dir.items():
        doc.add("h3", folder.replace("_", " ").capitalize())
        for r in rs:
            unless = f", unless {condition_text(r.unless)}" if r.unless is not None else ""
            cites = _cites(kb, r.evidence.citations, doc)
            when = condition_text(r.when)
            doc.add("li", f"**{r.title}** - when {when}{unless} -> {_actions_text(kb, r)} {cites}")


def _safety(kb: KnowledgeBase, doc: _Doc) -> None:
    checks = kb.active_safety
    if not checks:
        return
    doc.add("h2", "Safety checks applied to every option")
    for s in checks:
        targets = ", ".join([*s.drugs, *s.classes, *(f"{c} (combined)" for c in s.combination)])
        cond = f" when {condition_text(s.when)}" if s.when is not None else ""
        doc.add("li", f"**{s.title}** ({s.effect}: {targets}){cond} {_cites(kb, s.evidence.citations, doc)}")


# ------------------------------------------------------------------ output formats


def render_algorithm(kb: KnowledgeBase, fmt: Literal["markdown", "html"] = "markdown") -> str:
    """The algorithm as Markdown or a standalone HTML page."""
    blocks = build_algorithm(kb)
    return _markdown(blocks) if fmt == "markdown" else _html(blocks)


def _markdown(blocks: list[Block]) -> str:
    out: list[str] = []
    prev = ""
    for b in blocks:
        if b.kind == "li":
            if prev != "li":
                out.append("")
            out.append(f"- {b.text}")
        else:
            out.append("")
            prefix = {"h1": "# ", "h2": "## ", "h3": "### ", "p": ""}[b.kind]
            out.append(prefix + b.text)
        prev = b.kind
    return "\n".join(out).lstrip("\n") + "\n"


def _inline(text: str) -> str:
    escaped = html.escape(text)
    parts = escaped.split("**")
    return "".join(f"<strong>{p}</strong>" if i % 2 else p for i, p in enumerate(parts))


def _html(blocks: list[Block]) -> str:
    title = next((b.text for b in blocks if b.kind == "h1"), "Algorithm")
    out = [
        "<!doctype html>",
        '<html lang="en"><head><meta charset="utf-8">',
        f"<title>{html.escape(title)}</title>",
        "<style>body{font-family:system-ui,sans-serif;max-width:60rem;margin:2rem auto;line-height:1.4}"
        "li{margin:.3rem 0}h2{border-bottom:1px solid #ccc}</style>",
        "</head><body>",
    ]
    in_list = False
    for b in blocks:
        if b.kind == "li":
            if not in_list:
                out.append("<ul>")
                in_list = True
            out.append(f"<li>{_inline(b.text)}</li>")
            continue
        if in_list:
            out.append("</ul>")
            in_list = False
        tag = "p" if b.kind == "p" else b.kind
        out.append(f"<{tag}>{_inline(b.text)}</{tag}>")
    if in_list:
        out.append("</ul>")
    out.append("</body></html>")
    return "\n".join(out) + "\n"
