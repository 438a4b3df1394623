"""Load and validate the knowledge base from YAML files.

The KB is found, in order: an explicit path, ``$MBC_KB_PATH``, or the copy shipped inside
the package (``mbc/_kb``, read through importlib.resources). Every file is validated
against its pydantic model (chosen by its ``schema:`` key); all problems from all files
are collected and raised together as one :class:`KnowledgeError`.
"""

from __future__ import annotations

import functools
import importlib.resources
import os
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

import yaml
from pydantic import BaseModel, ValidationError

from mbc.errors import KnowledgeError, Problem
from mbc.knowledge._folders import FOLDER_SCHEMAS, OWN_LOADERS
from mbc.knowledge._index import KBIndex, has_room
from mbc.knowledge._refs import bind_references, expand_regimen_groups, rule_conditions
from mbc.knowledge._schema_assumptions import AssumptionsFile
from mbc.knowledge.schema import (
    Definition,
    DeriveFile,
    Drug,
    DrugClass,
    DrugsFile,
    Fact,
    FactsFile,
    Regimen,
    RegimensFile,
    Rule,
    RulesFile,
    SafetyFile,
    SafetyRule,
    Source,
    SourcesFile,
    Term,
    TermsFile,
)

__all__ = ["KnowledgeBase", "default_kb_path", "load_kb", "read_yaml"]

_SCHEMAS: dict[str, type[BaseModel]] = {
    "mbc/sources@1": SourcesFile,
    "mbc/terms@1": TermsFile,
    "mbc/drugs@1": DrugsFile,
    "mbc/facts@1": FactsFile,
    "mbc/regimens@1": RegimensFile,
    "mbc/rules@1": RulesFile,
    "mbc/safety@1": SafetyFile,
    "mbc/derive@1": DeriveFile,
    "mbc/assumptions@1": AssumptionsFile,
}
_A = TypeVar("_A")
_DIRS = ("vocab", "sources", "rules", "safety", "assumptions")
# Validated (not assembled) here: the note / FHIR readers', patient view's and algorithm
# view's files; doses/ and trials/ are validated by their own loaders.
_OTHER_DIRS = ("nlp", "ingest", "patient", "algorithm")
_OWN = {tag for tags in OWN_LOADERS.values() for tag in tags}

try:  # the C loader is ~10x faster; fall back to pure Python.
    _Loader: Any = yaml.CSafeLoader
except AttributeError:  # pragma: no cover
    _Loader = yaml.SafeLoader


def read_yaml(path: Path) -> Any:
    """Parse one YAML file with the safe loader."""
    with path.open("rb") as fh:
        return yaml.load(fh, Loader=_Loader)


def default_kb_path() -> Path:
    """Where the knowledge base is read from when no path is given."""
    env = os.environ.get("MBC_KB_PATH")
    if env:
        return Path(env)
    return Path(str(importlib.resources.files("mbc") / "_kb"))


@dataclass(frozen=True)
class KnowledgeBase:
    """The loaded, validated knowledge base. Immutable; build with :func:`load_kb`."""

    path: Path
    version: str
    sources: Mapping[str, Source]
    drug_classes: Mapping[str, DrugClass]
    drugs: Mapping[str, Drug]
    regimens: Mapping[str, Regimen]
    facts: tuple[Fact, ...]
    terms: Mapping[str, Mapping[str, Term]]
    rules: tuple[Rule, ...]
    safety: tuple[SafetyRule, ...]
    derive: DeriveFile
    files: Mapping[str, str] = field(default_factory=dict)
    """Rule / safety / definition id -> the file (relative to the KB root) that defines it."""
    definitions: Mapping[str, Definition] = field(default_factory=dict)
    """Named conditions (``defines:``) by id; rules refer to them as ``{ref: <id>}``."""

    @functools.cached_property
    def uses(self) -> Mapping[str, tuple[str, ...]]:
        """Rule / safety id -> the definitions its conditions use, directly or through
        another definition (sorted)."""
        out: dict[str, tuple[str, ...]] = {}
        owners: tuple[Rule | SafetyRule, ...] = (*self.rules, *self.safety)
        for r in owners:
            conds = rule_conditions(r)
            out[r.id] = tuple(sorted(self._closure(ref for c in conds for ref in c.refs())))
        return out

    def users(self, definition_id: str) -> tuple[str, ...]:
        """The rules and safety checks that use a definition (directly or not), KB order."""
        return tuple(rid for rid, used in self.uses.items() if definition_id in used)

    def _closure(self, refs: Iterable[str]) -> set[str]:
        seen: set[str] = set()
        stack = list(refs)
        while stack:
            ref = stack.pop()
            if ref in seen or ref not in self.definitions:
                continue
            seen.add(ref)
            stack.extend(self.definitions[ref].when.refs())
        return seen
    assumptions: tuple[AssumptionsFile, ...] = ()
    """knowledge/assumptions/*.yaml (issue 10): assumable fields and assumption policies."""

    # ------------------------------------------------------------ derived indexes
    @functools.cached_property
    def active_rules(self) -> tuple[Rule, ...]:
        """Rules with status active, in KB order."""
        return tuple(r for r in self.rules if r.status == "active")

    @functools.cached_property
    def active_safety(self) -> tuple[SafetyRule, ...]:
        """Safety rules with status active, in KB order."""
        return tuple(
            s
            for s in self.safety
            if s.status == "active"
            and s.effect not in ("no_adjustment", "exempt")
            and s.progressed_on is None
        )

    @functools.cached_property
    def progression_rules(self) -> tuple[SafetyRule, ...]:
        """Active progression rules and their exceptions (``progressed_on``), in KB order."""
        return tuple(s for s in self.safety if s.status == "active" and s.progressed_on is not None)

    @functools.cached_property
    def index(self) -> KBIndex:
        """The compiled, patient-independent indexes of this KB (rule gates, recalls)."""
        return KBIndex(self.active_rules, self.active_safety)

    @functools.cached_property
    def _attached(self) -> dict[type, Any]:
        return {}

    def attached(self, cls: type[_A], build: Callable[[], _A] | None = None) -> _A:
        """The one ``cls`` object held by this KB, made by ``build()`` (default ``cls()``)
        on first use.

        How a higher layer (the engine) keeps its patient-independent indexes and caches
        beside the KB they index: they live and die with this object, so they can never go
        stale or be shared with another KB (no module-level caches keyed by ``id()``).
        """
        found = self._attached.get(cls)
        if found is None:
            found = self._attached[cls] = build() if build is not None else cls()
        return found

    @functools.cached_property
    def _ancestor_sets(self) -> dict[str, frozenset[str]]:
        return {c: self._ancestors(c) for c in self.drug_classes}

    def class_ancestors(self, class_id: str) -> frozenset[str]:
        """A class and all its ancestors."""
        found = self._ancestor_sets.get(class_id)
        return found if found is not None else frozenset({class_id})

    def _ancestors(self, class_id: str) -> frozenset[str]:
        seen: set[str] = set()
        stack = [class_id]
        while stack:
            c = stack.pop()
            if c in seen:
                continue
            seen.add(c)
            cls = self.drug_classes.get(c)
            if cls is not None:
                stack.extend(cls.parents)
        return frozenset(seen)

    @functools.cached_property
    def _class_sets(self) -> dict[str, frozenset[str]]:
        return {
            d.id: frozenset().union(*(self.class_ancestors(c) for c in d.classes))
            for d in self.drugs.values()
        }

    def drug_classes_of(self, drug_id: str) -> frozenset[str]:
        """Every class (with ancestors) of a drug; empty for an unknown drug."""
        return self._class_sets.get(drug_id, frozenset())

    def vocabulary(self, vocab: str) -> set[str]:
        """Term ids of a vocabulary named in a ``{vocab}`` fact family."""
        if vocab == "drug_classes":
            return set(self.drug_classes)
        if vocab == "drugs":
            return set(self.drugs)
        return set(self.terms.get(vocab, {}))

    @functools.cached_property
    def _fact_index(self) -> dict[str, Fact]:
        index: dict[str, Fact] = {}
        for spec in self.facts:
            if "{" not in spec.id:
                index[spec.id] = spec
                continue
            prefix, rest = spec.id.split("{", 1)
            vocab, suffix = rest.split("}", 1)
            for term in self.vocabulary(vocab):
                index.setdefault(f"{prefix}{term}{suffix}", spec)
        return index

    def fact_spec(self, path: str) -> Fact | None:
        """The fact specification of a fact path (``{vocab}`` families expanded over their
        vocabularies), or None for a path the vocabulary does not define."""
        return self._fact_index.get(path)

    @functools.cached_property
    def _drug_names(self) -> dict[str, str]:
        index: dict[str, str] = {}
        for d in self.drugs.values():
            for n in (d.id, d.name, d.id.replace("_", " "), *d.synonyms, *d.brands):
                index[n.strip().lower()] = d.id
        return index

    def lookup_drug(self, name: str) -> str | None:
        """Map a generic name, synonym or brand (any case) to a drug id."""
        return self._drug_names.get(name.strip().lower())

    def regimen_drugs(self, regimen_id: str) -> tuple[str, ...]:
        """Every drug id a regimen may contain (components and their alternatives).

        ``regimen_id`` may join several regimens with ``+`` (an option with add-ons).
        """
        return self._regimen_read(regimen_id)[1]

    def regimen_components(self, regimen_id: str) -> list[tuple[str, ...]]:
        """Per component, the interchangeable drug ids (``+``-joined ids allowed)."""
        return list(self._regimen_read(regimen_id)[0])

    def _regimen_read(self, regimen_id: str) -> tuple[tuple[tuple[str, ...], ...], tuple[str, ...]]:
        """(regimen_components, regimen_drugs) of a regimen id, remembered per KB."""
        found = self._regimens_read.get(regimen_id)
        if found is None:
            comps = tuple(
                tuple(d for d in (c.drug, *c.one_of) if d)
                for part in regimen_id.split("+")
                for c in self.regimens[part].components
            )
            found = (comps, tuple(dict.fromkeys(d for comp in comps for d in comp)))
            if has_room(self._regimens_read):
                self._regimens_read[regimen_id] = found
        return found

    @functools.cached_property
    def _regimens_read(self) -> dict[str, tuple[tuple[tuple[str, ...], ...], tuple[str, ...]]]:
        return {}

    def regimen_name(self, regimen_id: str, *, male: bool = False) -> str:
        """Display name, add-ons joined with 'with'; ``male``: each regimen's ``name_male`` where set."""
        regs = [self.regimens[p] for p in regimen_id.split("+")]
        parts = [(r.name_male or r.name) if male else r.name for r in regs]
        return parts[0] + "".join(f", with {p[0].lower() + p[1:]}" for p in parts[1:])

    def term(self, kind: str, term_id: str) -> Term | None:
        return self.terms.get(kind, {}).get(term_id)

    @functools.cached_property
    def _tables(self) -> dict[str, tuple[tuple[tuple[tuple[str, str], ...], str | bool], ...]]:
        return {
            name: tuple((tuple(row.when.items()), row.value) for row in table.rows)
            for name, table in self.derive.tables.items()
        }

    @functools.cached_property
    def _looked_up(self) -> dict[tuple[Any, ...], str | bool | None]:
        return {}

    def lookup(self, table: str, **inputs: str | None) -> str | bool | None:
        """The value of a derive.yaml lookup table for these inputs (first matching row;
        None when no row matches). Remembered by the inputs (a few categories each)."""
        key = (table, *inputs.items())
        try:
            return self._looked_up[key]
        except KeyError:
            pass
        except TypeError:  # an unhashable input: look it up, do not remember
            return self._lookup(table, inputs)
        found = self._lookup(table, inputs)
        if has_room(self._looked_up):
            self._looked_up[key] = found
        return found

    def _lookup(self, table: str, inputs: dict[str, Any]) -> str | bool | None:
        try:
            rows = self._tables[table]
        except KeyError:
            raise KnowledgeError(f"derive.yaml has no table {table!r}") from None
        get = inputs.get
        for when, value in rows:
            for k, v in when:
                if get(k) != v:
                    break
            else:
                return value
        return None

    @functools.cached_property
    def _parameters(self) -> Mapping[str, Any]:
        return self.derive.parameters

    def param(self, name: str) -> Any:
        """A named derivation parameter from derive.yaml."""
        try:
            return self._parameters[name]
        except KeyError:
            raise KnowledgeError(f"derive.yaml has no parameter {name!r}") from None


_KB_CACHE: dict[Path, KnowledgeBase] = {}


def _rel(path: Path, root: Path) -> str:
    try:
        return str(path.relative_to(root))
    except ValueError:  # pragma: no cover
        return str(path)


def _iter_files(root: Path) -> Iterable[Path]:
    for d in (*_DIRS, *_OTHER_DIRS):
        base = root / d
        if base.is_dir():
            yield from sorted(base.rglob("*.yaml"))
    if (root / "derive.yaml").is_file():
        yield root / "derive.yaml"


def load_kb(path: str | Path | None = None, *, use_cache: bool = True) -> KnowledgeBase:
    """Load and validate the knowledge base.

    Args:
        path: KB root directory; default :func:`default_kb_path`.
        use_cache: Reuse an already-loaded KB for the same path.

    Returns:
        The knowledge base.

    Raises:
        KnowledgeError: Listing every problem in every file, each with its file and path.
    """
    root = Path(path) if path is not None else default_kb_path()
    root = root.resolve()
    if use_cache and root in _KB_CACHE:
        return _KB_CACHE[root]
    if not root.is_dir():
        raise KnowledgeError(f"knowledge base not found at {root}")

    problems: list[Problem] = []
    parsed: list[tuple[str, BaseModel]] = []
    for file in _iter_files(root):
        rel = _rel(file, root)
        try:
            data = read_yaml(file)
        except yaml.YAMLError as exc:
            problems.append(Problem((rel,), f"YAML error: {exc}", "yaml_error"))
            continue
        if not isinstance(data, dict) or "schema" not in data:
            problems.append(
                Problem((rel,), "a knowledge file must be a mapping with a 'schema' key")
            )
            continue
        tag = str(data["schema"])
        if tag in _OWN:
            continue
        model = _SCHEMAS.get(tag) or FOLDER_SCHEMAS.get(tag)
        if model is None:
            known = sorted({*_SCHEMAS, *FOLDER_SCHEMAS, *_OWN})
            problems.append(Problem((rel, "schema"), f"unknown schema {tag!r}; known: {known}"))
            continue
        try:
            doc = model.model_validate(data)
            if tag in _SCHEMAS:
                parsed.append((rel, doc))
        except ValidationError as exc:
            for err in exc.errors(include_url=False):
                loc = tuple(p for p in err["loc"] if not (isinstance(p, str) and "[" in p))
                problems.append(Problem((rel, *loc), err["msg"], err["type"]))

    version_file = root / "KB_VERSION"
    version = version_file.read_text().strip() if version_file.is_file() else "0.0.0"

    kb = _assemble(root, version, parsed, problems)
    if problems:
        raise KnowledgeError(
            f"knowledge base at {root} is invalid ({len(problems)} problems)", problems
        )
    if use_cache:
        _KB_CACHE[root] = kb
    return kb


def _assemble(
    root: Path, version: str, parsed: list[tuple[str, BaseModel]], problems: list[Problem]
) -> KnowledgeBase:
    sources: dict[str, Source] = {}
    classes: dict[str, DrugClass] = {}
    drugs: dict[str, Drug] = {}
    regimens: dict[str, Regimen] = {}
    facts: list[Fact] = []
    terms: dict[str, dict[str, Term]] = {}
    rules: list[Rule] = []
    safety: list[SafetyRule] = []
    files: dict[str, str] = {}
    derive: DeriveFile | None = None
    definitions: dict[str, Definition] = {}
    assumptions: list[AssumptionsFile] = []

    def put(table: dict[str, Any], key: str, value: Any, rel: str, what: str) -> None:
        if key in table:
            problems.append(Problem((rel, key), f"duplicate {what} id {key!r}", "duplicate_id"))
        table[key] = value

    for rel, doc in parsed:
        if isinstance(doc, SourcesFile):
            for src in doc.sources:
                put(sources, src.id, src, rel, "source")
        elif isinstance(doc, DrugsFile):
            for c in doc.classes:
                put(classes, c.id, c, rel, "drug class")
            for d in doc.drugs:
                put(drugs, d.id, d, rel, "drug")
        elif isinstance(doc, RegimensFile):
            for r in doc.regimens:
                put(regimens, r.id, r, rel, "regimen")
        elif isinstance(doc, FactsFile):
            facts.extend(doc.facts)
        elif isinstance(doc, TermsFile):
            table = terms.setdefault(doc.kind, {})
            for t in doc.terms:
                put(table, t.id, t, rel, f"{doc.kind} term")
        elif isinstance(doc, RulesFile):
            for definition in doc.defines:
                put(definitions, definition.id, definition, rel, "definition")
                files.setdefault(definition.id, rel)
            for rule in doc.rules:
                put(files, rule.id, rel, rel, "rule")
                rules.append(rule)
        elif isinstance(doc, SafetyFile):
            for sr in doc.safety:
                put(files, sr.id, rel, rel, "rule/safety")
                safety.append(sr)
        elif isinstance(doc, DeriveFile):
            derive = doc
        elif isinstance(doc, AssumptionsFile):
            for pol in doc.policies:
                put(files, pol.id, rel, rel, "rule/safety/assumption")
            assumptions.append(doc)
    if derive is None:
        problems.append(Problem(("derive.yaml",), "missing derive.yaml"))
        derive = DeriveFile.model_validate({"schema": "mbc/derive@1", "parameters": {}, "citations": {}})
    bind_references(rules, safety, definitions, derive, files, problems)
    return KnowledgeBase(
        path=root,
        version=version,
        sources=sources,
        drug_classes=classes,
        drugs=drugs,
        regimens=regimens,
        facts=tuple(facts),
        terms=terms,
        rules=expand_regimen_groups(rules, regimens, files, problems),
        safety=tuple(safety),
        derive=derive,
        files=files,
        definitions=definitions,
        assumptions=tuple(assumptions),
    )
