"""``mbc kb lint``: check the knowledge base as a whole and report every problem at once.

Errors: dangling ids (regimen, drug, class, term, citation, evidence level), unknown fact
paths, values outside a fact's vocabulary, operators that do not fit a fact's type,
rules that can never fire (contradictory constraints), uncited rules.
Warnings: sources cited nowhere, rules without positive / negative / unknown golden cases.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal, get_args

from mbc.errors import KnowledgeError
from mbc.knowledge._refs import hold_condition
from mbc.knowledge.conditions import FactTest, iter_fact_tests
from mbc.knowledge.loader import KnowledgeBase
from mbc.knowledge.schema import (
    AlertAction,
    AvoidAction,
    Category,
    Fact,
    OptionAction,
    SupportiveAction,
    WorkupAction,
)

__all__ = ["LintIssue", "golden_coverage", "lint_kb", "resolve_fact"]

_NUMERIC_OPS = {"lt", "le", "gt", "ge"}
_LIST_OPS = {"contains", "contains_any"}


@dataclass(frozen=True)
class LintIssue:
    """One finding."""

    severity: Literal["error", "warning"]
    where: str
    message: str

    def __str__(self) -> str:
        return f"{self.severity}: {self.where}: {self.message}"


def resolve_fact(kb: KnowledgeBase, path: str) -> Fact | None:
    """The fact specification of a fact path, expanding ``{vocab}`` families."""
    return kb.fact_spec(path)


def _check_test(kb: KnowledgeBase, t: FactTest, where: str) -> Iterator[LintIssue]:
    spec = resolve_fact(kb, t.fact)
    if spec is None:
        yield LintIssue("error", where, f"unknown fact {t.fact!r}")
        return
    takes_value = t.op not in {"present", "absent"}
    if not takes_value:
        if t.value is not None:
            yield LintIssue("error", where, f"{t.op} takes no value")
        return
    if t.value is None:
        yield LintIssue("error", where, f"{t.fact} {t.op}: a value is required")
        return
    values = t.value if isinstance(t.value, tuple) else (t.value,)
    if t.op in _NUMERIC_OPS and spec.type not in {"number", "int"}:
        yield LintIssue("error", where, f"{t.op} needs a numeric fact; {t.fact} is {spec.type}")
    if t.op in _LIST_OPS and spec.type != "enum_list":
        yield LintIssue("error", where, f"{t.op} needs a list fact; {t.fact} is {spec.type}")
    if t.op in {"in", "not_in", "contains_any"} and not isinstance(t.value, tuple):
        yield LintIssue("error", where, f"{t.op} needs a list value")
    for v in values:
        if spec.type == "bool" and not isinstance(v, bool):
            yield LintIssue("error", where, f"{t.fact} is true/false; got {v!r}")
        elif spec.type in {"enum", "enum_list"} and v not in spec.values:
            yield LintIssue(
                "error", where, f"{v!r} is not a value of {t.fact} ({', '.join(spec.values)})"
            )
        elif spec.type in {"number", "int"} and (
            isinstance(v, bool) or not isinstance(v, int | float)
        ):
            yield LintIssue("error", where, f"{t.fact} is a number; got {v!r}")


def _satisfiable(cond: Any) -> str | None:
    """A reason the leaves that must all hold (the condition's gates: its top-level
    ``all``, recursively) can never be TRUE together, or None."""
    allowed: dict[str, set[Any]] = {}
    lo: dict[str, float] = {}
    hi: dict[str, float] = {}
    for c in cond.gates():
        if c.op in {"eq", "in"}:
            vals = set(c.value) if isinstance(c.value, tuple) else {c.value}
            allowed[c.fact] = allowed[c.fact] & vals if c.fact in allowed else vals
            if not allowed[c.fact]:
                return f"{c.fact} cannot take every required value at once"
        elif c.op in {"ge", "gt"} and isinstance(c.value, int | float):
            lo[c.fact] = max(lo.get(c.fact, float("-inf")), float(c.value))
        elif c.op in {"le", "lt"} and isinstance(c.value, int | float):
            hi[c.fact] = min(hi.get(c.fact, float("inf")), float(c.value))
        if c.fact in lo and c.fact in hi and lo[c.fact] > hi[c.fact]:
            return f"{c.fact} has no value between {lo[c.fact]:g} and {hi[c.fact]:g}"
    return None


def lint_kb(kb: KnowledgeBase, *, golden_dir: Path | None = None) -> list[LintIssue]:
    """Check the whole KB.

    Args:
        kb: A loaded knowledge base (schema-valid; this checks cross-references).
        golden_dir: Golden cases root; when given, rules lacking a positive, negative or
            unknown case are reported as warnings.

    Returns:
        Every issue found, errors first.
    """
    issues: list[LintIssue] = []
    cited: set[str] = set()

    def cite(ids: Iterable[str], where: str) -> None:
        for c in ids:
            cited.add(c)
            if c not in kb.sources:
                issues.append(LintIssue("error", where, f"unknown citation {c!r}"))

    def need(table: Iterable[str], key: str | None, what: str, where: str) -> None:
        if key is not None and key not in set(table):
            issues.append(LintIssue("error", where, f"unknown {what} {key!r}"))

    for drug in kb.drugs.values():
        for cid in drug.classes:
            need(kb.drug_classes, cid, "drug class", f"drug {drug.id}")
    for cls in kb.drug_classes.values():
        for parent in cls.parents:
            need(kb.drug_classes, parent, "parent class", f"class {cls.id}")
    for reg in kb.regimens.values():
        for comp in reg.components:
            if comp.drug is None and not comp.one_of:
                issues.append(LintIssue("error", f"regimen {reg.id}", "a component needs drug or one_of"))
            for name in (comp.drug, *comp.one_of):
                need(kb.drugs, name, "drug", f"regimen {reg.id}")
    for term in kb.terms.get("relapse_windows", {}).values():
        for cid in term.data.get("classes", ()):
            need(kb.drug_classes, cid, "drug class", f"relapse window {term.id}")
        cite(term.data.get("citations", ()), f"relapse window {term.id}")
    for name, ids in kb.derive.citations.items():
        cite(ids, f"derive.yaml {name}")
    for adj in kb.derive.line_adjustments:
        cite(adj.citations, f"line adjustment {adj.id}")
        for t in iter_fact_tests(adj.when):
            issues.extend(_check_test(kb, t, f"line adjustment {adj.id}"))

    levels = set(kb.terms.get("evidence_levels", {}))
    for rule in kb.rules:
        where = f"rule {rule.id} ({kb.files.get(rule.id, '?')})"
        need(levels, rule.evidence.level, "evidence level", where)
        cite(rule.evidence.citations, where)
        for cond in (rule.when, rule.unless, hold_condition(rule)):
            if cond is None:
                continue
            for t in iter_fact_tests(cond):
                issues.extend(_check_test(kb, t, where))
        reason = _satisfiable(rule.when)
        if reason:
            issues.append(LintIssue("error", where, f"unreachable: {reason}"))
        if rule.status == "retired" and rule.replaced_by:
            need([r.id for r in kb.rules], rule.replaced_by, "replacement rule", where)
        for a in rule.then:
            if isinstance(a, OptionAction):
                need(kb.regimens, a.option, "regimen", where)
                for add in a.add:
                    need(kb.regimens, add, "regimen", where)
                for c in a.citations:  # an option cites some of its rule's evidence
                    if c not in rule.evidence.citations:
                        issues.append(LintIssue("error", where, f"option {a.option} cites {c!r}, not in the "
                                                "rule's evidence"))  # fmt: skip
            elif isinstance(a, AvoidAction):
                need(kb.regimens, a.avoid, "regimen", where)
                for dn in a.drugs:
                    need(kb.drugs, dn, "drug", where)
                if a.avoid is None and not a.drugs:
                    issues.append(LintIssue("error", where, "avoid needs a regimen or drugs"))
            elif isinstance(a, WorkupAction):
                need(kb.terms.get("tests", {}), a.workup, "test", where)
                for part in a.for_drugs:
                    need([*kb.drug_classes, *kb.drugs], part, "drug class or drug", where)
            elif isinstance(a, SupportiveAction):
                need(kb.terms.get("supportive", {}), a.supportive, "supportive-care item", where)
                for dn in a.drugs:
                    need(kb.drugs, dn, "drug", where)
            elif isinstance(a, AlertAction):
                for dn in a.drugs:
                    need(kb.drugs, dn, "drug", where)
    for s in kb.safety:
        where = f"safety {s.id} ({kb.files.get(s.id, '?')})"
        need(levels, s.evidence.level, "evidence level", where)
        cite(s.evidence.citations, where)
        for dn in s.drugs:
            need(kb.drugs, dn, "drug", where)
        for cid in s.classes:
            need(kb.drug_classes, cid, "drug class", where)
        for part in (*s.combination, *s.not_with):
            need([*kb.drug_classes, *kb.drugs], part, "drug class or drug", where)
        if not (s.drugs or s.classes or s.combination or s.routes):
            issues.append(LintIssue("error", where, "names no drug, class, route or combination"))
        if s.when is not None:
            for t in iter_fact_tests(s.when):
                issues.extend(_check_test(kb, t, where))
    from mbc.knowledge._lint_assumptions import lint_assumptions  # noqa: PLC0415 - issue 10

    issues.extend(lint_assumptions(kb, _check_test, LintIssue))
    for doc in kb.assumptions:
        for pol in doc.policies:
            cited.update(pol.evidence.citations)
    from mbc.knowledge._safety_lint import safety_issues  # noqa: PLC0415 - imports LintIssue from here

    issues.extend(safety_issues(kb))
    from mbc.knowledge.indications import load_indications  # noqa: PLC0415 - issue-9 table

    try:
        rows = load_indications(kb, strict=True)
    except KnowledgeError as exc:
        rows = ()
        issues.extend(LintIssue("error", p.path, p.msg) for p in exc.problems)
    for row in rows:  # regulator indications table: its citations count as cited
        cited.update(row.citations)
    if (kb.path / "doses").is_dir():  # dose tables cite sources too (checked by their loader)
        from mbc.knowledge.doses import load_doses  # noqa: PLC0415 - only when the KB has doses

        tables = load_doses(kb)
        for entry in tables.entries:
            cited.update(entry.citations)
        for param in tables.parameters.values():
            cited.update(param.citations)
        from mbc.knowledge._dose_lint import caution_dose_issues  # noqa: PLC0415 - session 12

        issues.extend(caution_dose_issues(kb, tables))
    cited.update(_cited_in_own_folders(kb))
    for sid in sorted(set(kb.sources) - cited):
        issues.append(LintIssue("warning", f"source {sid}", "cited by no rule"))

    for cat in get_args(Category):  # every option category has a label and a rank
        cat_term = kb.term("categories", cat)
        if cat_term is None or not isinstance(cat_term.data.get("rank"), int):
            issues.append(LintIssue("error", "vocab categories", f"category {cat!r} needs a term and a rank"))
    issues.extend(_lint_definitions(kb))
    issues.extend(_lint_reviews(kb))
    if golden_dir is not None and golden_dir.is_dir():
        cover = golden_coverage(golden_dir)
        for rule in kb.active_rules:
            lacking = [k for k in ("positive", "negative", "unknown") if rule.id not in cover[k]]
            if lacking:
                issues.append(
                    LintIssue(
                        "warning", f"rule {rule.id}", f"no golden case for: {', '.join(lacking)}"
                    )
                )
    issues.sort(key=lambda i: (i.severity != "error", i.where))
    return issues


def _lint_definitions(kb: KnowledgeBase) -> Iterator[LintIssue]:
    """Named definitions: their facts resolve, and each is used by some rule or safety
    check (unknown references and cycles already fail at load time)."""
    used = {d for refs in kb.uses.values() for d in refs}
    for d in kb.definitions.values():
        where = f"definition {d.id} ({kb.files.get(d.id, '?')})"
        for t in iter_fact_tests(d.when):
            yield from _check_test(kb, t, where)
        if d.id not in used:
            yield LintIssue("warning", where, "used by no rule or safety check")


def _lint_reviews(kb: KnowledgeBase) -> Iterator[LintIssue]:
    """A rule's ``reviewed`` block names only sources the rule cites, and a review against
    an older edition of a source than the KB now holds is flagged for re-review."""
    for rule in kb.rules:
        if rule.reviewed is None:
            continue
        where = f"rule {rule.id} ({kb.files.get(rule.id, '?')})"
        for cid, edition in rule.reviewed.source_version.items():
            if cid not in rule.evidence.citations:
                yield LintIssue("error", where, f"reviewed against {cid!r}, which the rule does not cite")
            elif cid in kb.sources and kb.sources[cid].edition != edition:
                yield LintIssue("warning", where, f"reviewed against {cid} {edition}; the KB now has "
                                f"{kb.sources[cid].edition}: review again")  # fmt: skip


def golden_coverage(golden_dir: Path) -> dict[str, set[str]]:
    """Rule ids each golden case declares it covers, by kind (positive/negative/unknown)."""
    out: dict[str, set[str]] = defaultdict(set)
    for exp in golden_dir.rglob("expected.json"):
        try:
            data = json.loads(exp.read_text())
        except (OSError, json.JSONDecodeError):
            continue
        covers = data.get("covers", {})
        for kind in ("positive", "negative", "unknown"):
            out[kind].update(covers.get(kind, []))
    return out


def _cited_in_own_folders(kb: KnowledgeBase) -> set[str]:
    """Citation ids named (under a ``citations`` key) in the folders that other packages
    validate with their own models (answer/, synth/, ...): they count as cited."""
    from mbc.knowledge._folders import OWN_LOADERS  # noqa: PLC0415
    from mbc.knowledge.loader import read_yaml  # noqa: PLC0415

    found: set[str] = set()

    def walk(node: object) -> None:
        if isinstance(node, dict):
            for key, value in node.items():
                if key == "citations" and isinstance(value, list):
                    found.update(v for v in value if isinstance(v, str))
                else:
                    walk(value)
        elif isinstance(node, list):
            for item in node:
                walk(item)

    for folder in OWN_LOADERS:
        base = kb.path / folder
        if base.is_dir():
            for f in sorted(base.rglob("*.yaml")):
                walk(read_yaml(f))
    return found
