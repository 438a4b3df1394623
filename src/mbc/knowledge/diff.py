"""What changed between two knowledge bases: rules, safety checks, definitions, sources,
vocabularies, assumption policies and test branches, and whether versions were bumped as the
KB's rules require.

Rules are immutable once active (STYLE §11): a change of content is a new ``version``. A
named definition (``defines:``) changes every rule that uses it, so a changed definition
needs a new version, and so does each rule that uses it. :func:`diff_kb` reports every
change and every missing bump (``version_problems``); the clinical effect on the golden
cases is computed by :mod:`mbc.render.kb_diff`.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from mbc.knowledge.loader import KnowledgeBase

__all__ = ["Change", "KBDiff", "diff_kb", "expand_refs"]


@dataclass(frozen=True)
class Change:
    """One id whose entry changed: ``kind`` is added / removed / changed."""

    what: str  # rule, safety, definition, source, drug, regimen, term, fact, policy, branch
    id: str
    kind: str
    old_version: int | None = None
    new_version: int | None = None
    note: str = ""

    @property
    def label(self) -> str:
        versions = ""
        if self.old_version is not None and self.new_version is not None:
            versions = (
                f" v{self.old_version} -> v{self.new_version}"
                if self.old_version != self.new_version
                else f" v{self.new_version}" + (" (not bumped)" if self.kind == "changed" else "")
            )
        elif self.new_version is not None:
            versions = f" v{self.new_version}"
        elif self.old_version is not None:
            versions = f" v{self.old_version}"
        return f"{self.what} {self.id}{versions}" + (f": {self.note}" if self.note else "")


@dataclass
class KBDiff:
    """The changes between two KBs, by kind of entry."""

    old_version: str
    new_version: str
    changes: list[Change] = field(default_factory=list)
    affected: dict[str, list[str]] = field(default_factory=dict)
    """Rule / safety id -> the changed definitions it uses (its own text is unchanged)."""
    version_problems: list[str] = field(default_factory=list)
    citing: dict[str, list[str]] = field(default_factory=dict)
    """Changed or removed source id -> the rules and safety checks (of NEW) that cite it:
    the ones to review against the source's new version."""

    def of(self, what: str) -> list[Change]:
        """The changes of one kind of entry."""
        return [c for c in self.changes if c.what == what]

    @property
    def empty(self) -> bool:
        return not self.changes


def _dumps(items: Iterable[Any]) -> dict[str, Any]:
    return {i.id: i.model_dump(mode="json", by_alias=True, exclude_none=True) for i in items}


def expand_refs(raw: Any, defs: Mapping[str, Any]) -> Any:
    """A dumped entry (YAML / JSON form) with every ``{ref: id}`` replaced by the dumped
    condition ``defs[id]``, recursively (what it means). Unknown ids are left as they are."""
    if isinstance(raw, dict):
        if set(raw) == {"ref"} and raw["ref"] in defs:
            return expand_refs(defs[raw["ref"]], defs)
        return {k: expand_refs(v, defs) for k, v in raw.items()}
    if isinstance(raw, list):
        return [expand_refs(v, defs) for v in raw]
    return raw


def _meaning(kb: KnowledgeBase, items: Iterable[Any]) -> dict[str, Any]:
    defs = {
        d.id: d.when.model_dump(mode="json", by_alias=True, exclude_none=True)
        for d in kb.definitions.values()
    }
    return {k: expand_refs(v, defs) for k, v in _dumps(items).items()}


def _compare(
    what: str,
    old: Mapping[str, Any],
    new: Mapping[str, Any],
    versioned: bool,
    meaning: tuple[Mapping[str, Any], Mapping[str, Any]] | None = None,
) -> list[Change]:
    out: list[Change] = []
    for key in sorted(set(old) | set(new)):
        a, b = old.get(key), new.get(key)
        va = a.get("version") if versioned and a else None
        vb = b.get("version") if versioned and b else None
        if a is None:
            out.append(Change(what, key, "added", None, vb))
        elif b is None:
            out.append(Change(what, key, "removed", va, None))
        elif a != b and meaning is not None and meaning[0][key] == meaning[1][key]:
            out.append(Change(what, key, "rewritten", va, vb, "same meaning (named definitions)"))
        elif a != b:
            fields = sorted(
                k for k in set(a) | set(b) if a.get(k) != b.get(k) and not (versioned and k == "version")
            )
            note = "changed " + ", ".join(fields) if fields else "version only"
            out.append(Change(what, key, "changed", va, vb, note))
    return out


def _terms(kb: KnowledgeBase) -> dict[str, Any]:
    return {
        f"{kind}/{tid}": t.model_dump(mode="json", exclude_none=True)
        for kind, table in kb.terms.items()
        for tid, t in table.items()
    }


def _versions(kb: KnowledgeBase) -> dict[str, int]:
    out = {r.id: r.version for r in kb.rules}
    out.update((s.id, s.version) for s in kb.safety)
    return out


def _assumed(kb: KnowledgeBase, attr: str) -> dict[str, Any]:
    """The assumption files' policies or test branches, dumped by id."""
    return {
        i.id: i.model_dump(mode="json", exclude_none=True) for f in kb.assumptions for i in getattr(f, attr)
    }


def diff_kb(old: KnowledgeBase, new: KnowledgeBase) -> KBDiff:
    """Compare two loaded KBs.

    Args:
        old: The KB before the change.
        new: The KB after it.

    Returns:
        Every added, removed and changed entry; the rules affected through a changed
        definition; and the version bumps that are missing.
    """
    diff = KBDiff(old.version, new.version)
    for what, a, b in (("rule", old.rules, new.rules), ("safety", old.safety, new.safety),
                       ("definition", old.definitions.values(), new.definitions.values())):  # fmt: skip
        meaning = (_meaning(old, a), _meaning(new, b))
        diff.changes += _compare(what, _dumps(a), _dumps(b), True, meaning)
    diff.changes += _compare("source", _dumps(old.sources.values()), _dumps(new.sources.values()), False)
    diff.changes += _compare("drug", _dumps(old.drugs.values()), _dumps(new.drugs.values()), False)
    diff.changes += _compare("regimen", _dumps(old.regimens.values()), _dumps(new.regimens.values()), False)
    diff.changes += _compare("term", _terms(old), _terms(new), False)
    diff.changes += _compare(
        "fact",
        {f.id: f.model_dump(mode="json") for f in old.facts},
        {f.id: f.model_dump(mode="json") for f in new.facts},
        False,
    )
    for what, attr in (("policy", "policies"), ("branch", "test_branches")):
        diff.changes += _compare(what, _assumed(old, attr), _assumed(new, attr), True)
    if old.derive != new.derive:
        diff.changes.append(Change("derive", "derive.yaml", "changed", note="derivation parameters"))
    changed_defs = {c.id for c in diff.of("definition") if c.kind == "changed"}
    changed_defs |= {
        d for d in set(old.definitions) & set(new.definitions)
        if _meaning(old, [old.definitions[d]])[d] != _meaning(new, [new.definitions[d]])[d]
    }  # fmt: skip
    for c in diff.of("definition"):
        if c.kind == "changed" and c.old_version == c.new_version:
            diff.version_problems.append(
                f"definition {c.id} changed without a new version (v{c.new_version})"
            )
    changed_rules = {c.id: c for c in (*diff.of("rule"), *diff.of("safety")) if c.kind == "changed"}
    old_versions = _versions(old)
    new_versions = _versions(new)
    for rule_id, used in new.uses.items():
        through = sorted(set(used) & changed_defs)
        if not through or rule_id not in old_versions:
            continue
        diff.affected[rule_id] = through
        new_version = new_versions[rule_id]
        if new_version == old_versions[rule_id]:
            diff.version_problems.append(
                f"{rule_id} uses changed definition(s) {', '.join(through)} but keeps v{new_version}"
            )
    for c in diff.of("source"):
        if c.kind != "added":
            diff.citing[c.id] = [r.id for r in new.rules if c.id in r.evidence.citations]
            diff.citing[c.id] += [s.id for s in new.safety if c.id in s.evidence.citations]
    for c in (*diff.of("policy"), *diff.of("branch")):
        if c.kind == "changed" and c.old_version == c.new_version:
            diff.version_problems.append(f"{c.what} {c.id} changed ({c.note}) without a new version")
    for rule_id, c in changed_rules.items():
        if c.old_version == c.new_version and c.note != "version only":
            diff.version_problems.append(f"{rule_id} changed ({c.note}) without a new version")
    return diff
