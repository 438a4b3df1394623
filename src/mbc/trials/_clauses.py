"""One sentence -> one criterion: the patterns, plus what a single sentence can hold
beyond them - a subgroup condition ("for cohort B: ..."), alternatives inside the
sentence ("either (1) ... or (2) ..."), definitions that set nothing.

Unparsed alternatives are kept as the pseudo-fact ``not_understood`` so an ``any`` never
turns FALSE on a part nothing understood.
"""

from __future__ import annotations

import itertools
import re
from typing import TYPE_CHECKING, Any

from mbc.knowledge.conditions import FactTest, iter_fact_tests
from mbc.trials._model import Criterion, Kind
from mbc.trials._sentence import (
    _CONDITION,
    _joined,
    _plain,
)

if TYPE_CHECKING:
    from collections.abc import Sequence

    from mbc.trials._patterns import TrialKnowledge

__all__ = ["parse_sentence"]


_NOT_UNDERSTOOD = FactTest(fact="not_understood", op="eq", value=True)


def _or_nu(c: Criterion) -> Any:
    return c.condition if c.condition is not None else _NOT_UNDERSTOOD


def _merged(
    text: str,
    kind: Kind,
    parts: Sequence[Criterion],
    join: str,
    *,
    guard: Criterion | None = None,
    note: str | None = None,
) -> Criterion:
    """One criterion from several parts (alternatives or items of a group), optionally
    limited to a subgroup. A part nothing understood counts as UNKNOWN (never met); a
    group nothing understood stays needs review."""
    understood = [p for p in parts if p.condition is not None]
    body = _joined(join, [_or_nu(p) for p in parts]) if understood else None
    condition = body
    if guard is not None and guard.condition is not None:
        inner = body if body is not None else _NOT_UNDERSTOOD
        if kind == "inclusion":
            condition = _CONDITION.validate_python({"any": [{"not": guard.condition}, inner]})
        else:
            condition = _CONDITION.validate_python({"all": [guard.condition, inner]})
    patterns = [*(guard.patterns if guard else ()), *(x for p in understood for x in p.patterns)]
    # the subgroup only scopes the requirement: its categories do not make it a disease criterion
    categories = [x for p in understood for x in p.categories]
    if condition is None:
        note = note or "no pattern matched"
    return Criterion(
        text=text,
        kind=kind,
        condition=condition,
        patterns=tuple(dict.fromkeys(patterns)),
        categories=tuple(dict.fromkeys(categories)),
        note=note if condition is None else None,
    )


def _conditional(text: str, kind: Kind, tk: TrialKnowledge) -> Criterion | None:
    """'ER+ patients must have progressed on ...' -> any[not ER+, progressed ...]."""
    for rx in tk.structure.conditional:
        m = rx.search(text)
        if m is None:
            continue
        body_text = m.group("body")
        if (tk.negation_after is not None and tk.negation_after.search(body_text)) or (
            tk.permissive is not None and tk.permissive.search(body_text)
        ):
            return None  # "patients with X are excluded / may enrol": X itself is the criterion
        guard = _plain(m.group("guard"), "inclusion", tk)
        if guard.condition is None or "not_understood" in _facts_of(guard.condition):
            continue
        body = parse_sentence(body_text, kind, tk)
        return _merged(text, kind, [body], "all", guard=guard)
    return None


def _facts_of(cond: Any) -> set[str]:
    return {leaf.fact for leaf in iter_fact_tests(cond)}


_SUCCESSOR = {"1": "2", "2": "3", "3": "4", "4": "5", "5": "6", "a": "b", "b": "c", "c": "d",
              "d": "e", "i": "ii", "ii": "iii", "iii": "iv"}  # fmt: skip


def _in_sentence_alternatives(text: str, kind: Kind, tk: TrialKnowledge) -> Criterion | None:
    """'has 1) X or 2) Y' and 'either X or Y' -> all[<lead>, any[X, Y]]."""
    parts = _numbered_parts(text, tk) or _either_parts(text, tk) or _clause_or_parts(text, tk)
    if parts is None:
        return None
    lead, alternatives = parts
    alt = [parse_sentence(a, kind, tk) for a in alternatives]
    if all(a.condition is None for a in alt):
        return None
    either = _merged(text, kind, alt, "any")
    lead_c = _plain(lead, kind, tk) if lead.strip() else None
    if lead_c is None or lead_c.condition is None:
        return either
    return _merged(text, kind, [lead_c, either], "all")


def _numbered_parts(text: str, tk: TrialKnowledge) -> tuple[str, list[str]] | None:
    rx = tk.structure.numbered
    if rx is None:
        return None
    marks = list(rx.finditer(text))
    if len(marks) < 2:
        return None
    for a, b in itertools.pairwise(marks):
        if _SUCCESSOR.get(a.group("n").lower()) != b.group("n").lower():
            return None
        between = text[a.end() : b.start()]
        if tk.structure.or_end is None or tk.structure.or_end.search(between) is None:
            return None  # "1) A and 2) B" or a plain list: read as usual
    pieces = [text[a.end() : b.start()] for a, b in itertools.pairwise(marks)] + [text[marks[-1].end() :]]
    pieces = [re.sub(r"[\s,;]*\b(?:or|OR)\s*[:;,]?\s*$", "", p).strip() for p in pieces]
    return text[: marks[0].start()], pieces


def _either_parts(text: str, tk: TrialKnowledge) -> tuple[str, list[str]] | None:
    rx = tk.structure.either
    m = rx.search(text) if rx is not None else None
    if m is None:
        return None
    rest = text[m.end() :]
    pieces = [p.strip(" ,;") for p in re.split(r"(?<!and/)\bor\b(?!/)", rest)]
    if len(pieces) != 2 or not all(pieces):  # "either A or B": exactly two alternatives
        return None
    return text[: m.start()], pieces


def _clause_or_parts(text: str, tk: TrialKnowledge) -> tuple[str, list[str]] | None:
    rx = tk.structure.clause_or
    if rx is None or rx.search(text) is None:
        return None
    pieces = [p.strip(" ,;") for p in rx.split(text)]
    return ("", pieces) if all(pieces) else None


def parse_sentence(text: str, kind: Kind, tk: TrialKnowledge) -> Criterion:
    """Parse one eligibility sentence into a criterion (needs review if not understood).

    Structure first: a sentence binding a subgroup ("ER+ patients must have progressed
    on ...") becomes ``any[not <subgroup>, <requirement>]``; numbered or "either ... or"
    alternatives become ``any``; a definition ("HR+ status defined as ...") sets nothing.
    Then the patterns of ``knowledge/trials/patterns.yaml``.

    Args:
        text: The sentence.
        kind: The section it came from.
        tk: The compiled trial knowledge.

    Returns:
        The criterion; ``condition`` is None when no pattern produced a requirement.

    .. versionchanged:: issue-5b
       Subgroup conditions, in-sentence alternatives and definitions.
    """
    crit = _conditional(text, kind, tk) or _in_sentence_alternatives(text, kind, tk) or _plain(text, kind, tk)
    cohort = tk.cohort.match(text) if tk.cohort is not None else None
    if cohort is None:
        return crit
    return crit.model_copy(update={"cohort": re.sub(r"\s+", " ", cohort.group("cohort").strip().lower())})
