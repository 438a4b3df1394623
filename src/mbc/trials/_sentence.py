"""Eligibility text -> sentences -> one criterion per sentence (steps 1 and 2).

1. :func:`split_sentences` - sections (inclusion / exclusion headers), bullets and
   sentences; every sentence is kept, with its section.
2. :func:`parse_sentence` - the patterns of ``knowledge/trials/patterns.yaml`` are
   applied in order; each match is cast, rendered into a condition, negated when an
   inclusion sentence negates it ("No prior CDK4/6 inhibitor"), and blanked so later
   patterns cannot reuse its words. Matches joined only by "or" become ``any``; the rest
   are joined by ``all``.

A sentence no pattern understands is kept with ``condition=None`` (needs review).
:mod:`._criteria` reads lead-ins, groups and alternatives across sentences.
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from pydantic import TypeAdapter, ValidationError

from mbc.knowledge.conditions import Condition, iter_fact_tests
from mbc.trials._model import Criterion, Kind

if TYPE_CHECKING:
    from collections.abc import Callable, Iterator, Mapping, Sequence

    from mbc.trials._patterns import CompiledPattern, GroupSpec, TrialKnowledge

__all__ = ["Sentence", "split_sentences"]

_CONDITION: TypeAdapter[Any] = TypeAdapter(Condition)

_BULLET = re.compile(r"^\s*(?:[*•·\-–]+|\(?\d{1,2}[.)]|\(?[a-z][.)]|\(?[ivx]{1,4}[.)])\s+", re.IGNORECASE)
_INLINE_NUMBER = re.compile(r"(?<=[.;:])\s+(?=\d{1,2}\)\s+[A-Z])")
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-Z(\[])|;\s+")
_CLAUSE_CUT = re.compile(r",|\band\b|\bbut\b|\(|\)|:", re.IGNORECASE)
_OR_GAP = re.compile(r"^(?:[\s,/()]|\b(?:or|and/or|either|a|an|the|any)\b)*$", re.IGNORECASE)
# In an exclusion list every item excludes on its own: "A, B, and C" means any of them.
_LIST_GAP = re.compile(r"^(?:[\s,/()]|\b(?:or|and/or|and|either|a|an|the|any)\b)*$", re.IGNORECASE)
_OR_WORD = re.compile(r"\bor\b|and/or|/", re.IGNORECASE)
_OR_LAST = re.compile(r"(?:,\s*|\s)(?:or|and/or)\s*$", re.IGNORECASE)  # the gap ends in "or"
_WORD = re.compile(r"[\w'-]+")
_SHORT_OR_GAP_WORDS = 4  # an exclusion's "A <few words> or <few words> B" lists alternatives
_ROMAN = ("0", "i", "ii", "iii", "iv")
_COPULA = re.compile(r"\s*(?:is|are|was|were|be|being|status)\b", re.IGNORECASE)
_ABBREVIATION = re.compile(r"\s*\((?:[A-Za-z][A-Za-z0-9/+-]{1,11})\)(?!\s*/)")


@dataclass(frozen=True, slots=True)
class Sentence:
    """One sentence of eligibility text, its section and the indentation of its bullet
    (items indented under a lead-in ending in ':' belong to that lead-in)."""

    text: str
    kind: Kind
    indent: int = 0
    note: bool = False  # the item is a note ("Note: ..."): it explains the item above
    inner_note: bool = False  # a "Note: ..." sentence inside an item: it qualifies the sentence before


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


def _items(text: str, tk: TrialKnowledge) -> Iterator[tuple[str, Kind, int]]:
    kind: Kind = "inclusion"
    current: list[str] = []
    indent = 0
    blank_before = True

    def flush() -> Iterator[tuple[str, Kind, int]]:
        if current:
            yield " ".join(current), kind, indent
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
            indent = len(raw) - len(raw.lstrip())
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
    note_rx = tk.structure.note
    for item, kind, indent in _items(text, tk):
        is_note = note_rx is not None and note_rx.match(_clean(item)) is not None
        first = len(out)
        for s in _sentences(item, abbreviations):
            cleaned = _clean(s)
            if len(cleaned) >= 3 and re.search(r"[A-Za-z]", cleaned):
                # "Patients with brain metastases. Note: stable ones are allowed if ...": a
                # note inside an item qualifies the sentence before it
                inner = len(out) > first and not is_note and note_rx is not None and note_rx.match(cleaned)
                out.append(Sentence(cleaned, kind, indent, is_note, inner_note=bool(inner)))
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
    if spec.scale is not None and kind in {"num", "int"}:
        value = round(value * spec.scale, 6)
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
    work = _blank_definitions(text, tk)
    hits: list[_Hit] = []
    main_clause = re.sub(r"\([^)]*\)", " ", text)  # "(nodal metastases are allowed)" is an aside
    permissive = tk.permissive is not None and tk.permissive.search(main_clause) is not None
    negated_permission = tk.negation_after is not None and tk.negation_after.search(text) is not None
    window = tk.window is not None and tk.window.search(text) is not None
    skipped = False
    # an exception inside an exclusion list ("... are allowed") excludes no one, unless a
    # pattern reads the exception itself (`exception: true`: "brain metastases; stable
    # ones are allowed" excludes the unstable ones)
    exception = kind == "exclusion" and permissive and not negated_permission
    lowered = text.lower()
    for cp in tk.patterns:
        spec = cp.spec
        if exception and not spec.exception:
            continue
        if kind not in spec.sections or not cp.may_match(lowered) or any(u.search(text) for u in cp.unless):
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
            end = m.end()
            abbrev = _ABBREVIATION.match(work, end)  # "leptomeningeal disease (LMD)": one mention
            if abbrev is not None:
                end = abbrev.end()
            hits.append(_Hit(m.start(), end, cp, cond))
            work = work[: m.start()] + " " * (end - m.start()) + work[end:]
    hits.sort(key=lambda h: h.start)
    return hits, skipped or (exception and not hits)


def _joined(key: str, conditions: Sequence[Any]) -> Any:
    unique = list({c.model_dump_json(by_alias=True): c for c in conditions}.values())
    return unique[0] if len(unique) == 1 else _CONDITION.validate_python({key: unique})


def _same_fact(a: Any, b: Any) -> bool:
    return a.leaf_fact is not None and a.leaf_fact == b.leaf_fact


def _alternatives(gap: str, kind: Kind, prev: Any, cur: Any) -> bool:
    """Two matches are alternatives when only "or"-words separate them, or when they
    test the same fact and an "or" lies between ("locally advanced disease not amenable
    to resection or metastatic disease")."""
    if kind == "exclusion" and _LIST_GAP.match(gap) is not None:
        return True
    if _OR_WORD.search(gap) is None:
        return False
    if kind == "exclusion" and len(_WORD.findall(gap)) <= _SHORT_OR_GAP_WORDS:
        return True  # "pregnant patients or currently breast-feeding": either excludes
    if _OR_LAST.search(gap) is not None:
        return True  # "... for metastatic disease or relapsed within 6 months of ...": "or" opens the match
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
        # a match inside another's span qualifies it ("therapy for metastatic HER2-positive
        # breast cancer"): both hold, never either
        if cur.start >= prev.end and _alternatives(
            text[prev.end : cur.start], kind, prev.condition, cur.condition
        ):
            groups[-1].append(cur)
        else:
            groups.append([cur])
    return _joined("all", [_joined("any", [h.condition for h in g]) for g in groups])


def _plain(text: str, kind: Kind, tk: TrialKnowledge) -> Criterion:
    """One sentence read by the patterns alone (no structure)."""
    hits, skipped = _hits(text, kind, tk)
    condition = _combine(text, kind, hits)
    note = None
    if condition is None:
        if skipped:
            note = "permissive sentence: widens eligibility, sets no requirement by itself"
        elif hits:
            note = "recognised, but sets no requirement a patient fact can decide"
        elif _blank_definitions(text, tk) != text:
            note = "definition: explains a term, sets no requirement"
        else:
            note = "no pattern matched"
    used = [h for h in hits if h.condition is not None]
    return Criterion(
        text=text,
        kind=kind,
        condition=condition,
        patterns=tuple(dict.fromkeys(h.pattern.spec.id for h in used)),
        categories=tuple(dict.fromkeys(h.pattern.spec.category for h in used)),
        note=note,
    )


def _blank(text: str, start: int, end: int) -> str:
    return text[:start] + " " * (end - start) + text[end:]


def _blank_definitions(text: str, tk: TrialKnowledge) -> str:
    """Blank the definitions of a sentence (to the end of their parenthesis, else of the
    sentence).

    A definition whose subject is short ("HR+ status defined as ...", "Considered HR- if
    ...") is the whole point of the sentence: all of it is blanked. One attached to a
    requirement ("TNBC, defined as ER < 5% ...") is blanked only when the requirement
    itself is understood; otherwise ("PI3K pathway alteration, defined as a PIK3CA mutation
    or ...") the definition is what can be tested, and it is kept.
    """
    st = tk.structure
    if st.definition is None:
        return text
    out = text
    for m in st.definition.finditer(text):
        depth = text.count("(", 0, m.start()) - text.count(")", 0, m.start())
        end = len(text)
        if depth > 0:
            close = text.find(")", m.end())
            end = close if close != -1 else end
        before = text[: m.start()]
        attached = re.search(r"[,(]\s*(?:which\s+(?:is|are)\s+|i\.?e\.?,?\s*)?$", before) is not None
        # "X is defined as" / "X status defined as" defines a term; "Inflammatory breast
        # cancer defined as ..." (an item of a list) names a requirement and explains it
        copula = "defined" not in m.group(0).lower() or _COPULA.match(m.group(0)) is not None
        short = len(re.findall(r"[\w+/-]+", before)) <= st.definition_subject_words
        if depth == 0 and not attached and copula and short:
            out = _blank(out, 0, end)
        elif _combine(before, "inclusion", _hits(before, "inclusion", tk)[0]) is not None:
            out = _blank(out, m.start(), end)
    return out
