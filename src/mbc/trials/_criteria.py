"""Eligibility text -> structured criteria in the shared condition language.

Three small steps, each a pure function:

1. :func:`split_sentences` - sections (inclusion / exclusion headers), bullets and
   sentences; every sentence is kept, with its section.
2. :func:`parse_sentence` - the patterns of ``knowledge/trials/patterns.yaml`` are
   applied in order; each match is cast, rendered into a condition, negated when an
   inclusion sentence negates it ("No prior CDK4/6 inhibitor"), and blanked so later
   patterns cannot reuse its words. Matches joined only by "or" become ``any``; the rest
   are joined by ``all``.
3. :func:`parse_trial` - the sentences plus the structured registry fields (sex, ages,
   conditions studied) as criteria.

A sentence no pattern understands is kept with ``condition=None`` (needs review).
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from pydantic import TypeAdapter, ValidationError

from mbc.knowledge.conditions import Condition, FactTest, iter_fact_tests
from mbc.trials._model import Criterion, Kind, Trial

if TYPE_CHECKING:
    from collections.abc import Callable, Iterator, Mapping, Sequence

    from mbc.trials._patterns import CompiledPattern, GroupSpec, TrialKnowledge

__all__ = ["Sentence", "parse_criteria", "parse_sentence", "parse_trial", "split_sentences"]

_CONDITION: TypeAdapter[Any] = TypeAdapter(Condition)

_BULLET = re.compile(r"^\s*(?:[*•·\-–]+|\(?\d{1,2}[.)]|\(?[a-z][.)]|\(?[ivx]{1,4}[.)])\s+", re.IGNORECASE)
_INLINE_NUMBER = re.compile(r"(?<=[.;:])\s+(?=\d{1,2}\)\s+[A-Z])")
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-Z(\[])|;\s+")
_CLAUSE_CUT = re.compile(r",|\band\b|\bbut\b|\(|\)|:", re.IGNORECASE)
_OR_GAP = re.compile(r"^(?:[\s,/()]|\b(?:or|and/or|either|a|an|the|any)\b)*$", re.IGNORECASE)
# In an exclusion list every item excludes on its own: "A, B, and C" means any of them.
_LIST_GAP = re.compile(r"^(?:[\s,/()]|\b(?:or|and/or|and|either|a|an|the|any)\b)*$", re.IGNORECASE)
_OR_WORD = re.compile(r"\bor\b|and/or|/", re.IGNORECASE)
_ROMAN = ("0", "i", "ii", "iii", "iv")


@dataclass(frozen=True, slots=True)
class Sentence:
    """One sentence of eligibility text and its section."""

    text: str
    kind: Kind


# ---------------------------------------------------------------------- splitting


def _header_kind(line: str, tk: TrialKnowledge) -> Kind | None:
    s = line.strip()
    if len(s) > 100:
        return None
    if any(r.search(s) for r in tk.exclusion_headers):
        return "exclusion"
    if any(r.search(s) for r in tk.inclusion_headers):
        return "inclusion"
    return None


def _items(text: str, tk: TrialKnowledge) -> Iterator[tuple[str, Kind]]:
    kind: Kind = "inclusion"
    current: list[str] = []
    blank_before = True

    def flush() -> Iterator[tuple[str, Kind]]:
        if current:
            yield " ".join(current), kind
            current.clear()

    for raw in text.splitlines():
        line = raw.strip()
        if not line:
            blank_before = True
            continue
        header = _header_kind(line, tk)
        if header is not None:
            yield from flush()
            kind = header
            blank_before = True
            continue
        if _BULLET.match(raw) or blank_before:
            yield from flush()
        current.append(line)
        blank_before = False
    yield from flush()


def _sentences(item: str, abbreviations: frozenset[str]) -> Iterator[str]:
    for part in _INLINE_NUMBER.split(item):
        start = 0
        for m in _SENTENCE_END.finditer(part):
            before = part[start : m.start()]
            last_word = re.findall(r"([A-Za-z]+)\.$", before.strip())
            if last_word and last_word[0].lower() in abbreviations:
                continue
            yield part[start : m.start()]
            start = m.end()
        yield part[start:]


def _clean(sentence: str) -> str:
    s = _BULLET.sub("", sentence.strip())
    s = re.sub(r"^\d{1,2}\)\s*", "", s)
    return re.sub(r"\s+", " ", s).strip(" -*•")


def split_sentences(text: str, tk: TrialKnowledge) -> list[Sentence]:
    """Cut eligibility text into sentences, each tagged inclusion or exclusion.

    Text before any header counts as inclusion.
    """
    abbreviations = frozenset(a.lower() for a in tk.lexicon.abbreviations)
    out: list[Sentence] = []
    for item, kind in _items(text, tk):
        for s in _sentences(item, abbreviations):
            cleaned = _clean(s)
            if len(cleaned) >= 3 and re.search(r"[A-Za-z]", cleaned):
                out.append(Sentence(cleaned, kind))
    return out


# ---------------------------------------------------------------------- casting


class _NoMatch(Exception):
    """A group could not be cast: the match is dropped."""


def _count(text: str, tk: TrialKnowledge) -> int:
    t = text.strip().lower()
    if t.isdigit():
        return int(t)
    if t in tk.lexicon.numbers:
        return tk.lexicon.numbers[t]
    raise _NoMatch(text)


def _num(text: str) -> int | float:
    t = text.replace(",", "")
    value = float(t)
    return int(value) if value.is_integer() else value


def _stages(text: str, tk: TrialKnowledge) -> tuple[str, ...]:
    found: list[str] = []
    words = tk.lexicon.stages.words
    for m in tk.stage_words.finditer(text):
        key = re.sub(r"[\s-]+", " ", m.group(0).lower())
        key = key if key in words else m.group(0).lower()
        found.extend(words.get(key, ()))
    if not found:
        tokens = re.findall(r"(iv|i{1,3}|0)[abc]?|(-|–|to)", text, re.IGNORECASE)
        romans: list[str] = []
        pending_range = False
        for roman, dash in tokens:
            if dash:
                pending_range = True
                continue
            r = roman.lower()
            if pending_range and romans:
                lo, hi = _ROMAN.index(romans[-1]), _ROMAN.index(r)
                romans.extend(_ROMAN[lo + 1 : hi + 1])
            else:
                romans.append(r)
            pending_range = False
        for r in romans:
            found.extend(tk.lexicon.stages.roman.get(r, ()))
    if not found:
        raise _NoMatch(text)
    return tuple(sorted(set(found)))


def _terms(text: str, tk: TrialKnowledge) -> tuple[tuple[str, str], ...]:
    out: list[tuple[str, str]] = []
    for m in tk.terms.finditer(text):
        if m.group("drug"):
            drug = tk.kb.lookup_drug(m.group("drug"))
            if drug is not None:
                out.append(("drug", drug))
            continue
        phrase = m.group("cls")
        for cls, rx in tk.class_regexes:
            if rx.fullmatch(phrase):
                out.append(("class", cls))
                break
    return tuple(dict.fromkeys(out))


def _cast(spec: GroupSpec, text: str | None, tk: TrialKnowledge) -> Any:
    if text is None:
        if spec.default is None and spec.type != "map":
            raise _NoMatch("missing group")
        return spec.default
    kind = spec.type
    if kind == "map":
        for rx, value in (spec.map or {}).items():
            if re.search(rx, text, re.IGNORECASE):
                return tuple(value) if isinstance(value, list) else value
        if spec.default is None:
            raise _NoMatch(text)
        return spec.default
    casts: dict[str, Callable[[str], Any]] = {
        "int": lambda t: int(_num(t)),
        "num": _num,
        "count": lambda t: _count(t, tk),
        "cmp": lambda t: tk.comparators.get(re.sub(r"\s+", " ", t.strip().lower())),
        "max_digit": lambda t: max(int(d) for d in re.findall(r"\d", t)),
        "stages": lambda t: _stages(t, tk),
        "gene": lambda t: tk.genes.get(t.upper()),
        "terms": lambda t: _terms(t, tk),
    }
    value = casts[kind](text)
    if value is None:
        raise _NoMatch(text)
    return value


def _values(cp: CompiledPattern, m: re.Match[str], tk: TrialKnowledge) -> dict[str, Any]:
    out: dict[str, Any] = {}
    names = set(cp.regex.groupindex)
    for name, spec in cp.groups.items():
        source = spec.source or name
        text = m.group(source) if source in names else None
        if text is None and source in names and spec.default is None and spec.type not in {"map"}:
            # optional alternatives (n|n2|n3) may each be absent
            out[name] = None
            continue
        out[name] = _cast(spec, text, tk)
    return out


# ---------------------------------------------------------------------- templates

_FULL = re.compile(r"^\{([a-z0-9_|]+)\}$")


def _render(template: Any, values: Mapping[str, Any]) -> Any:
    if isinstance(template, dict):
        return {k: _render(v, values) for k, v in template.items()}
    if isinstance(template, list | tuple):
        return [_render(v, values) for v in template]
    if isinstance(template, str):
        full = _FULL.match(template)
        if full:
            for name in full.group(1).split("|"):
                if values.get(name) is not None:
                    v = values[name]
                    return list(v) if isinstance(v, tuple) else v
            raise _NoMatch(template)
        return re.sub(r"\{([a-z0-9_]+)\}", lambda m: str(values[m.group(1)]), template)
    return template


def _build(cp: CompiledPattern, values: Mapping[str, Any], facts: frozenset[str]) -> Any:
    spec = cp.spec
    if spec.each is None:
        if spec.condition is None:
            return None
        return _condition(_render(spec.condition, values), facts)
    parts = []
    for kind, term_id in values[spec.each]:
        template = spec.class_ if kind == "class" else spec.drug
        if template is None:
            continue
        try:
            parts.append(_condition(_render(template, {**values, "id": term_id}), facts))
        except _NoMatch:
            continue
    if not parts:
        raise _NoMatch("no term")
    return parts[0] if len(parts) == 1 else _CONDITION.validate_python({spec.join: parts})


def _condition(data: Any, facts: frozenset[str]) -> Any:
    try:
        cond = _CONDITION.validate_python(data)
    except ValidationError as exc:
        raise _NoMatch(str(exc)) from exc
    for leaf in iter_fact_tests(cond):
        if leaf.fact not in facts:
            raise _NoMatch(f"unknown fact {leaf.fact}")
    return cond


# ---------------------------------------------------------------------- one sentence


@dataclass(frozen=True, slots=True)
class _Hit:
    start: int
    end: int
    pattern: CompiledPattern
    condition: Any  # Condition | None (consumed only)


def _negated(text: str, start: int, end: int, tk: TrialKnowledge) -> bool:
    before = text[max(0, start - 80) : start]
    cuts = list(_CLAUSE_CUT.finditer(before))
    if cuts:
        before = before[cuts[-1].end() :]
    # after-cues are read from the match start: a match may swallow "... is not permitted"
    after = text[start:]
    if tk.pseudo is not None:
        before = tk.pseudo.sub(" ", before)
        after = tk.pseudo.sub(" ", after)
    neg_before = tk.negation_before is not None and tk.negation_before.search(before) is not None
    neg_after = tk.negation_after is not None and tk.negation_after.search(after) is not None
    return neg_before != neg_after


def _hits(text: str, kind: Kind, tk: TrialKnowledge) -> tuple[list[_Hit], bool]:
    work = text
    hits: list[_Hit] = []
    main_clause = re.sub(r"\([^)]*\)", " ", text)  # "(nodal metastases are allowed)" is an aside
    permissive = tk.permissive is not None and tk.permissive.search(main_clause) is not None
    negated_permission = tk.negation_after is not None and tk.negation_after.search(text) is not None
    window = tk.window is not None and tk.window.search(text) is not None
    skipped = False
    if kind == "exclusion" and permissive and not negated_permission:
        # an exception inside an exclusion list ("... are allowed") excludes no one
        return [], True
    for cp in tk.patterns:
        spec = cp.spec
        if kind not in spec.sections or any(u.search(text) for u in cp.unless):
            continue
        if spec.skip_if_permissive and permissive and not negated_permission:
            skipped = skipped or cp.regex.search(work) is not None
            continue
        if spec.skip_if_window and window:
            continue
        for m in cp.regex.finditer(work):
            try:
                cond = _build(cp, _values(cp, m, tk), tk.facts)
            except _NoMatch:
                continue
            if (
                cond is not None
                and spec.negatable
                and kind == "inclusion"
                and _negated(work, m.start(), m.end(), tk)
            ):
                cond = _CONDITION.validate_python({"not": cond})
            hits.append(_Hit(m.start(), m.end(), cp, cond))
            work = work[: m.start()] + " " * (m.end() - m.start()) + work[m.end() :]
    hits.sort(key=lambda h: h.start)
    return hits, skipped


def _joined(key: str, conditions: Sequence[Any]) -> Any:
    unique = list({c.model_dump_json(by_alias=True): c for c in conditions}.values())
    return unique[0] if len(unique) == 1 else _CONDITION.validate_python({key: unique})


def _same_fact(a: Any, b: Any) -> bool:
    return isinstance(a, FactTest) and isinstance(b, FactTest) and a.fact == b.fact


def _alternatives(gap: str, kind: Kind, prev: Any, cur: Any) -> bool:
    """Two matches are alternatives when only "or"-words separate them, or when they
    test the same fact and an "or" lies between ("locally advanced disease not amenable
    to resection or metastatic disease")."""
    if kind == "exclusion" and _LIST_GAP.match(gap) is not None:
        return True
    if _OR_WORD.search(gap) is None:
        return False
    return _OR_GAP.match(gap) is not None or _same_fact(prev, cur)


def _combine(text: str, kind: Kind, hits: Sequence[_Hit]) -> Any:
    """Chain matches joined only by "or"-like words (in an exclusion list, also commas
    and "and") into ``any``; join the chains with ``all``."""
    real: list[_Hit] = []
    for h in hits:  # the same requirement restated ("IHC 1+ or 2+/ISH- (HER2-low)") counts once
        if h.condition is not None and not (real and real[-1].condition == h.condition):
            real.append(h)
    if not real:
        return None
    groups: list[list[_Hit]] = [[real[0]]]
    for prev, cur in itertools.pairwise(real):
        if _alternatives(text[prev.end : cur.start], kind, prev.condition, cur.condition):
            groups[-1].append(cur)
        else:
            groups.append([cur])
    return _joined("all", [_joined("any", [h.condition for h in g]) for g in groups])


def parse_sentence(text: str, kind: Kind, tk: TrialKnowledge) -> Criterion:
    """Parse one eligibility sentence into a criterion (needs review if not understood).

    Args:
        text: The sentence.
        kind: The section it came from.
        tk: The compiled trial knowledge.

    Returns:
        The criterion; ``condition`` is None when no pattern produced a requirement.
    """
    hits, skipped = _hits(text, kind, tk)
    condition = _combine(text, kind, hits)
    note = None
    if condition is None:
        if skipped:
            note = "permissive sentence: widens eligibility, sets no requirement by itself"
        elif hits:
            note = "recognised, but sets no requirement a patient fact can decide"
        else:
            note = "no pattern matched"
    used = [h for h in hits if h.condition is not None]
    cohort = tk.cohort.match(text) if tk.cohort is not None else None
    return Criterion(
        text=text,
        kind=kind,
        cohort=re.sub(r"\s+", " ", cohort.group("cohort").strip().lower()) if cohort else None,
        condition=condition,
        patterns=tuple(dict.fromkeys(h.pattern.spec.id for h in used)),
        categories=tuple(dict.fromkeys(h.pattern.spec.category for h in used)),
        note=note,
    )


def parse_criteria(text: str, tk: TrialKnowledge) -> tuple[Criterion, ...]:
    """Every sentence of an eligibility text as a criterion, in order."""
    return tuple(parse_sentence(s.text, s.kind, tk) for s in split_sentences(text, tk))


# ---------------------------------------------------------------------- registry fields


def _registry_criteria(trial: Trial, tk: TrialKnowledge) -> list[Criterion]:
    out: list[Criterion] = []
    haystack = " ".join((*trial.conditions, trial.title, trial.official_title or ""))
    cancers = [name for name, rx in tk.cancers if rx.search(haystack)]
    value = ["breast"] if cancers else ["unspecified"]
    out.append(
        Criterion(
            text="Conditions studied: " + ("; ".join(trial.conditions) or trial.title),
            kind="inclusion",
            condition=FactTest(fact="cancer", op="in", value=tuple(value)),
            patterns=("registry.conditions",),
            categories=("cancer",),
            source="registry",
        )
    )
    if trial.sex in {"female", "male"}:
        out.append(
            Criterion(
                text=f"Sex: {trial.sex} (registry field)",
                kind="inclusion",
                condition=FactTest(fact="sex", op="eq", value=trial.sex),
                patterns=("registry.sex",),
                categories=("demographics",),
                source="registry",
            )
        )
    for op, years, label in (
        ("ge", trial.minimum_age_years, "Minimum age"),
        ("le", trial.maximum_age_years, "Maximum age"),
    ):
        if years is not None and years > 0:
            out.append(
                Criterion(
                    text=f"{label}: {years:g} years (registry field)",
                    kind="inclusion",
                    condition=FactTest(fact="age", op=op, value=years),
                    patterns=("registry.age",),
                    categories=("demographics",),
                    source="registry",
                )
            )
    return out


def parse_trial(trial: Trial, tk: TrialKnowledge) -> Trial:
    """The trial with its criteria parsed (registry fields first, then the text)."""
    if trial.criteria is not None and trial.parsed_with == tk.fingerprint:
        return trial
    criteria = (*_registry_criteria(trial, tk), *parse_criteria(trial.eligibility_text, tk))
    return trial.model_copy(update={"criteria": criteria, "parsed_with": tk.fingerprint})
