"""Question phrasings the note reader does not read yet, applied on top of its record.

Entries come from ``knowledge/answer/facts.yaml``. A phrase preceded by a negation in the
same clause is skipped (unless the entry is itself a negative finding); an inferred fact is
returned as an assumption so that the answer states it.
"""

from __future__ import annotations

import copy
import re
from typing import Any

from mbc.answer._schema import FactsFile, QuestionFact

__all__ = ["apply_question_facts"]

_FLAGS = re.IGNORECASE
_SPLIT = re.compile(r"\s*(?:,|/(?!2)|\bor\b|\band\b|\bnor\b|&)\s*", _FLAGS)


def _negated(text: str, start: int, facts: FactsFile) -> bool:
    return re.search(facts.negations, text[max(0, start - 60) : start], _FLAGS) is not None


def _put(record: dict[str, Any], path: str, value: Any, mode: str) -> bool:
    parts = path.split(".")
    node = record
    for p in parts[:-1]:
        node = node.setdefault(p, {})
        if not isinstance(node, dict):
            return False
    if mode == "if_absent" and parts[-1] in node:
        return False
    node[parts[-1]] = copy.deepcopy(value)
    return True


def _add(record: dict[str, Any], path: str, value: str) -> None:
    parts = path.split(".")
    node = record
    for p in parts[:-1]:
        node = node.setdefault(p, {})
    items = node.setdefault(parts[-1], [])
    if isinstance(items, list) and value not in items:
        items.append(value)


def _genes(f: QuestionFact, m: re.Match[str], facts: FactsFile) -> list[str]:
    if "genes" in m.re.groupindex and m.group("genes"):
        return [g.upper() for g in _SPLIT.split(m.group("genes")) if g.strip()]
    if f.gene_from_text:
        found = re.findall(facts.gene_token, m.group(0), _FLAGS)
        if found:
            return [g.upper() for g in found]
    return list(f.genes)


def _somatic(record: dict[str, Any], genes: list[str], state: str) -> None:
    word = "wildtype" if state == "wildtype" else "mutation"
    current = [s for s in record.get("somatic", []) if isinstance(s, str)]
    names = {g.replace("1/2", "") for g in genes}
    kept = [s for s in current if s.split()[0].upper() not in names]
    record["somatic"] = kept + [f"{g} {word}" for g in genes]


def _prior(rec: dict[str, Any], f: QuestionFact, matches: list[re.Match[str]]) -> bool:
    """The prior-therapy knobs: add a class-level therapy, fill unstated keys of every prior
    therapy, or split a therapy whose drugs the match lists as separate lines."""
    priors = [t for t in rec.get("prior_therapies") or [] if isinstance(t, dict)]
    changed = False
    if f.prior_add:
        named = {d.lower() for t in priors for d in t.get("drugs") or []}
        if not named & {d.lower() for d in f.prior_add.get("drugs", [])}:
            priors.append(copy.deepcopy(f.prior_add))
            changed = True
    if f.prior_split:
        said = " ".join(m.group(0).lower() for m in matches)
        out: list[dict[str, Any]] = []
        for t in priors:
            drugs = t.get("drugs") or []
            if len(drugs) > 1 and all(d.lower() in said for d in drugs):
                out += [{**t, "drugs": [d]} for d in drugs]
                changed = True
            else:
                out.append(t)
        priors = out
    for t in priors:
        for key, value in f.prior_fill.items():
            if t.get(key) is None:
                t[key] = copy.deepcopy(value)
                changed = True
    if changed:
        rec["prior_therapies"] = priors
    return changed


def _fires(f: QuestionFact, text: str, facts: FactsFile) -> list[re.Match[str]]:
    if any(not re.search(r, text, _FLAGS) for r in f.requires_also):
        return []
    if any(re.search(r, text, _FLAGS) for r in f.unless_any):
        return []
    rx = re.compile(f.pattern.replace("{gene}", facts.gene_token), _FLAGS)
    out: list[re.Match[str]] = []
    for m in rx.finditer(text):
        if not f.negated_ok and _negated(text, m.start(), facts):
            continue
        if f.min is not None:
            try:
                if float(m.group("v")) < f.min:
                    continue
            except (IndexError, TypeError, ValueError):
                continue
        out.append(m)
    return out


def apply_question_facts(
    text: str, record: dict[str, Any], facts: FactsFile
) -> tuple[dict[str, Any], list[str], list[str]]:
    """Apply every entry that fires to a copy of ``record``.

    Returns:
        The new record, the assumptions to state, and the ids of the entries applied.
    """
    rec = copy.deepcopy(record)
    assumptions: list[str] = []
    applied: list[str] = []
    for f in facts.facts:
        matches = _fires(f, text, facts)
        if not matches:
            continue
        changed = False
        for path, value in f.set.items():
            changed = _put(rec, path, value, f.mode) or changed
        for path, group in f.set_number.items():  # the first match's number, e.g. "21 weeks"
            found = matches[0].groupdict()
            number = found.get(group) or next((v for v in found.values() if v), None)
            if number is not None:
                changed = _put(rec, path, int(float(number)), f.mode) or changed
        for path, value in f.add.items():
            _add(rec, path, value)
            changed = True
        if f.prior_add or f.prior_fill or f.prior_split:
            changed = _prior(rec, f, matches) or changed
        if f.somatic:
            for m in matches:
                genes = _genes(f, m, facts)
                if genes:
                    _somatic(rec, genes, f.somatic)
                    changed = True
        if changed:
            applied.append(f.id)
            if f.assumption:
                assumptions.append(f.assumption)
    return rec, assumptions, applied
