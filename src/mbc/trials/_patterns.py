"""Load and compile the trial-criteria knowledge (``knowledge/trials/*.yaml``).

The YAML holds every regex, cue, comparator, class phrase and score weight; this module
validates it (pydantic, unknown keys rejected) and compiles it once per knowledge base.
"""

from __future__ import annotations

import functools
import hashlib
import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Literal

from pydantic import BaseModel, Field, ValidationError

from mbc.errors import KnowledgeError, Problem
from mbc.knowledge.loader import KnowledgeBase, read_yaml
from mbc.knowledge.schema import StrictModel

if TYPE_CHECKING:
    from collections.abc import Mapping
    from pathlib import Path

__all__ = [
    "CompiledPattern",
    "Lexicon",
    "PatternSpec",
    "Structure",
    "TrialKnowledge",
    "known_facts",
    "load_trial_knowledge",
]

_FLAGS = re.IGNORECASE


class _Sections(StrictModel):
    inclusion: tuple[str, ...]
    exclusion: tuple[str, ...]


class _Cues(StrictModel):
    pseudo: tuple[str, ...] = ()
    negation_before: tuple[str, ...] = ()
    negation_after: tuple[str, ...] = ()
    permissive: tuple[str, ...] = ()
    window: tuple[str, ...] = ()


class _Structure(StrictModel):
    """Cues for how sentences relate: definitions, alternatives, subgroup conditions."""

    definition: tuple[str, ...] = ()
    definition_subject_words: int = Field(
        6, description="A definition with at most this many words before it defines the sentence's subject."
    )
    alternatives_leadin: tuple[str, ...] = ()
    conditional: tuple[str, ...] = Field(
        (), description="Regexes with (?P<guard>) and (?P<body>): a sentence binding a subgroup."
    )
    conditional_leadin: tuple[str, ...] = Field(
        (), description="Regexes with (?P<guard>): a lead-in whose items bind a subgroup."
    )
    numbered: str | None = None
    either: str | None = None
    clause_or: str | None = None
    or_end: str | None = None
    or_start: str | None = None
    note: str | None = Field(None, description="An item starting with this explains the one above.")


class _Stages(StrictModel):
    words: dict[str, tuple[str, ...]]
    roman: dict[str, tuple[str, ...]]


class _Score(StrictModel):
    status: dict[str, float]
    met: float
    disease_met: float
    unknown: float
    disease_unknown: float
    not_met: float
    recruiting: float


class _Matching(StrictModel):
    disease_categories: tuple[str, ...]
    recruiting_statuses: tuple[str, ...]
    score: _Score


class _TrialFact(StrictModel):
    id: str
    description: str
    recordable: bool = Field(
        True,
        description="False: the contract has no field for it, so a record can never state it. A "
        "criterion open only on such facts, and met if they are absent, is left for a clinician "
        "to check (named), not a `possible` match.",
    )


class Lexicon(StrictModel):
    """``knowledge/trials/lexicon.yaml``."""

    schema_: Literal["mbc/trial-lexicon@1"] = Field(alias="schema")
    version: int
    sections: _Sections
    cues: _Cues
    structure: _Structure = Field(default_factory=_Structure)
    abbreviations: tuple[str, ...] = ()
    cohort: str | None = Field(
        None, description="Regex with a (?P<cohort>) group: a sentence limited to one cohort."
    )
    alternations: dict[str, str]
    comparators: dict[Literal["ge", "gt", "le", "lt"], tuple[str, ...]]
    numbers: dict[str, int]
    stages: _Stages
    classes: dict[str, tuple[str, ...]]
    cancers: dict[str, tuple[str, ...]]
    trial_facts: tuple[_TrialFact, ...]
    matching: _Matching


class GroupSpec(StrictModel):
    """How one named regex group is cast."""

    type: Literal["int", "num", "count", "cmp", "max_digit", "stages", "gene", "terms", "map"] = "map"
    default: Any = None
    map: dict[str, Any] | None = None
    source: str | None = Field(None, description="Read another group's text (map only).")
    scale: float | None = Field(
        None, description="Multiply a num / int value (units: 1.5 x 10^9/L -> 1500 per µL)."
    )


class PatternSpec(StrictModel):
    """One sentence pattern and the condition template it produces."""

    id: str
    category: str
    regex: str
    condition: Any = None
    groups: dict[str, str | GroupSpec] = Field(default_factory=dict)
    each: str | None = None
    join: Literal["any", "all"] = "any"
    class_: Any = Field(None, alias="class")
    drug: Any = None
    negatable: bool = True
    skip_if_permissive: bool = False
    skip_if_window: bool = False
    unless: tuple[str, ...] = ()
    title: bool = Field(False, description="Also read in the trial title (it defines the population).")
    keywords: tuple[str, ...] = Field(
        (),
        description="Cheap pre-filter: run only on sentences containing one of these (lower case).",
    )
    sections: tuple[Literal["inclusion", "exclusion"], ...] = ("inclusion", "exclusion")
    exception: bool = Field(
        False,
        description="Reads the exception of an exclusion ('... stable ones are allowed'): the only "
        "patterns run on a permissive exclusion sentence.",
    )
    narrows: tuple[str, ...] = Field(
        (),
        description="Facts an exception narrows: a note reading this exception replaces the plain "
        "test of one of them in the exclusion sentence it qualifies.",
    )


class _PatternsFile(StrictModel):
    schema_: Literal["mbc/trial-patterns@1"] = Field(alias="schema")
    version: int
    patterns: tuple[PatternSpec, ...]


@dataclass(frozen=True, slots=True)
class CompiledPattern:
    """A pattern with its regexes compiled and group casts normalised."""

    spec: PatternSpec
    regex: re.Pattern[str]
    unless: tuple[re.Pattern[str], ...]
    groups: Mapping[str, GroupSpec]
    keywords: tuple[str, ...] = ()

    def may_match(self, lowered: str) -> bool:
        """False when no keyword occurs in the (lower-cased) sentence: the regex cannot match."""
        return not self.keywords or any(k in lowered for k in self.keywords)


@dataclass(frozen=True)
class Structure:
    """The compiled ``structure`` cues of the lexicon."""

    definition: re.Pattern[str] | None
    definition_subject_words: int
    alternatives_leadin: re.Pattern[str] | None
    conditional: tuple[re.Pattern[str], ...]
    conditional_leadin: tuple[re.Pattern[str], ...]
    numbered: re.Pattern[str] | None
    either: re.Pattern[str] | None
    clause_or: re.Pattern[str] | None
    or_end: re.Pattern[str] | None
    or_start: re.Pattern[str] | None
    note: re.Pattern[str] | None


@dataclass(frozen=True)
class TrialKnowledge:
    """Everything the parser and matcher read from ``knowledge/trials``, compiled."""

    lexicon: Lexicon
    patterns: tuple[CompiledPattern, ...]
    fingerprint: str
    inclusion_headers: tuple[re.Pattern[str], ...]
    exclusion_headers: tuple[re.Pattern[str], ...]
    pseudo: re.Pattern[str] | None
    negation_before: re.Pattern[str] | None
    negation_after: re.Pattern[str] | None
    permissive: re.Pattern[str] | None
    window: re.Pattern[str] | None
    cohort: re.Pattern[str] | None
    structure: Structure
    comparators: Mapping[str, str]
    terms: re.Pattern[str]
    class_regexes: tuple[tuple[str, re.Pattern[str]], ...]
    stage_words: re.Pattern[str]
    genes: Mapping[str, str]
    cancers: tuple[tuple[str, re.Pattern[str]], ...]
    facts: frozenset[str]
    kb: KnowledgeBase
    unrecordable: frozenset[str] = frozenset()
    """Trial facts no contract-v1 record can hold (``recordable: false`` in the lexicon)."""
    memo: dict[str, Any] = field(default_factory=dict, compare=False, repr=False)
    """Parsed eligibility texts of this knowledge (text -> criteria), bounded; see
    :func:`mbc.trials.parse_criteria`."""

    @functools.cached_property
    def specs(self) -> dict[str, PatternSpec]:
        """The pattern specs by id (built once per knowledge)."""
        return {cp.spec.id: cp.spec for cp in self.patterns}


def _alt(items: list[str] | tuple[str, ...]) -> re.Pattern[str] | None:
    return re.compile("|".join(f"(?:{x})" for x in items), _FLAGS) if items else None


def _one(rx: str | None) -> re.Pattern[str] | None:
    return re.compile(rx, _FLAGS) if rx else None


def _structure(st: _Structure) -> Structure:
    return Structure(
        definition=_alt(st.definition),
        definition_subject_words=st.definition_subject_words,
        alternatives_leadin=_alt(st.alternatives_leadin),
        conditional=tuple(re.compile(x, _FLAGS) for x in st.conditional),
        conditional_leadin=tuple(re.compile(x, _FLAGS) for x in st.conditional_leadin),
        numbered=_one(st.numbered),
        either=_one(st.either),
        clause_or=_one(st.clause_or),
        note=_one(st.note),
        or_end=re.compile(st.or_end) if st.or_end else None,  # case matters: "OR" at the end
        or_start=_one(st.or_start),
    )


def _drug_names(kb: KnowledgeBase) -> list[str]:
    names: set[str] = set()
    for d in kb.drugs.values():
        for n in (d.name, d.id.replace("_", " "), *d.synonyms, *d.brands):
            if len(n) > 2:
                names.add(n.lower())
    return sorted(names, key=len, reverse=True)


def known_facts(kb: KnowledgeBase, extra: tuple[str, ...] = ()) -> frozenset[str]:
    """Every fact id of the vocabulary, with ``{vocab}`` families expanded."""
    vocab: dict[str, list[str]] = {
        "drug_classes": list(kb.drug_classes),
        "drugs": list(kb.drugs),
        **{k: list(v) for k, v in kb.terms.items()},
    }
    out: set[str] = set()
    for fid in (*extra, *(f.id for f in kb.facts)):
        m = re.search(r"\{([a-z_]+)\}", fid)
        if m is None:
            out.add(fid)
            continue
        for term in vocab.get(m.group(1), ()):
            out.add(fid.replace(m.group(0), term))
    return frozenset(out)


def _expand(regex: str, alternations: Mapping[str, str]) -> str:
    def sub(m: re.Match[str]) -> str:
        name = m.group(1)
        if name not in alternations:
            raise KeyError(name)
        return f"(?:{alternations[name]})"

    return re.sub(r"<<([A-Z]+)>>", sub, regex)


def _read(path: Path, model: type[BaseModel], problems: list[Problem]) -> Any:
    try:
        return model.model_validate(read_yaml(path))
    except ValidationError as exc:
        for err in exc.errors(include_url=False):
            problems.append(Problem((path.name, *err["loc"]), err["msg"], err["type"]))
    except OSError as exc:
        problems.append(Problem((path.name,), f"cannot read: {exc}", "os_error"))
    return None


def load_trial_knowledge(kb: KnowledgeBase) -> TrialKnowledge:
    """Load and compile ``<kb>/trials/{lexicon,patterns}.yaml`` (cached per KB).

    Raises:
        KnowledgeError: Every problem found (schema, regex, unknown placeholder), located.
    """
    return kb.attached(TrialKnowledge, lambda: _load(kb))


def _load(kb: KnowledgeBase) -> TrialKnowledge:
    root = kb.path / "trials"
    problems: list[Problem] = []
    lex: Lexicon | None = _read(root / "lexicon.yaml", Lexicon, problems)
    pats: _PatternsFile | None = _read(root / "patterns.yaml", _PatternsFile, problems)
    if lex is None or pats is None:
        raise KnowledgeError("knowledge/trials is invalid", problems)

    alternations = dict(lex.alternations)
    alternations["DRUG"] = "|".join(re.escape(n) for n in _drug_names(kb))
    compiled: list[CompiledPattern] = []
    for i, p in enumerate(pats.patterns):
        try:
            rx = re.compile(_expand(p.regex, alternations), _FLAGS)
            unless = tuple(re.compile(_expand(u, alternations), _FLAGS) for u in p.unless)
        except (re.error, KeyError) as exc:
            problems.append(
                Problem(("patterns.yaml", "patterns", i, "regex"), f"{p.id}: {exc}", "regex_error")
            )
            continue
        groups = {k: (GroupSpec(type=v) if isinstance(v, str) else v) for k, v in p.groups.items()}
        compiled.append(CompiledPattern(p, rx, unless, groups, tuple(k.lower() for k in p.keywords)))

    class_regexes: list[tuple[str, re.Pattern[str]]] = []
    for cls, phrases in lex.classes.items():
        if cls not in kb.drug_classes:
            problems.append(Problem(("lexicon.yaml", "classes", cls), "unknown drug class", "unresolved"))
            continue
        class_regexes.append((cls, re.compile("|".join(f"(?:{x})" for x in phrases), _FLAGS)))
    all_phrases = sorted([x for ph in lex.classes.values() for x in ph], key=len, reverse=True)
    terms = re.compile(
        r"(?P<drug>\b(?:"
        + alternations["DRUG"]
        + r")\b)|(?P<cls>"
        + "|".join(f"(?:{x})" for x in all_phrases)
        + ")",
        _FLAGS,
    )
    words = sorted(lex.stages.words, key=len, reverse=True)
    stage_words = re.compile(
        r"\b(?:" + "|".join(re.escape(w).replace(r"\ ", r"[\s-]+") for w in words) + r")\b", _FLAGS
    )
    genes = {
        sym.upper(): t.id for t in kb.terms.get("genes", {}).values() for sym in t.data.get("symbols", ())
    }
    facts = known_facts(kb, tuple(f.id for f in lex.trial_facts))
    if problems:
        raise KnowledgeError("knowledge/trials is invalid", problems)
    cues = lex.cues
    fp = hashlib.sha256(
        (root / "lexicon.yaml").read_bytes() + (root / "patterns.yaml").read_bytes() + kb.version.encode()
    ).hexdigest()[:16]
    return TrialKnowledge(
        lexicon=lex,
        patterns=tuple(compiled),
        fingerprint=fp,
        inclusion_headers=tuple(re.compile(x, _FLAGS) for x in lex.sections.inclusion),
        exclusion_headers=tuple(re.compile(x, _FLAGS) for x in lex.sections.exclusion),
        pseudo=_alt(cues.pseudo),
        negation_before=_alt(cues.negation_before),
        negation_after=_alt(cues.negation_after),
        permissive=_alt(cues.permissive),
        window=_alt(cues.window),
        cohort=re.compile(lex.cohort, _FLAGS) if lex.cohort else None,
        structure=_structure(lex.structure),
        comparators={p.lower(): op for op, phrases in lex.comparators.items() for p in phrases},
        terms=terms,
        class_regexes=tuple(class_regexes),
        stage_words=stage_words,
        genes=genes,
        cancers=tuple((k, re.compile("|".join(v), _FLAGS)) for k, v in lex.cancers.items()),
        facts=facts,
        kb=kb,
        unrecordable=frozenset(f.id for f in lex.trial_facts if not f.recordable),
    )
