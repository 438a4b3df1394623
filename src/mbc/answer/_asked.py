"""Drugs a question asks about are never courses given (session 10).

A drug the question compares, lists as choices, proposes or asks about ("Which order after <class>: A, B,
C?", "A or B?", "Should we use A after B?", "Is A an option?", "Why not A?") is not a treatment the patient
had, whatever history word stands earlier in the sentence. In each sentence that asks, from the clause that
asks (a question word, an auxiliary, a request, or a clause naming a choice) to its "?", a drug mention keeps
its "given" mark only when a history word ("after", "on", "failed", "s/p" ...) stands before it within its
own scope - back to the nearest breaker (a colon, "or", "vs", a comma that opens a choice list) - or a
history marker follows it ("(14 mo)", "failed", "2021-23"). A negation that only frames the question ("why
not A?", "any reason not to give A?") does not deny A: A is asked about. The words are data
(``knowledge/answer/facts.yaml``, ``asked``); the note reader then never sees an asked drug as a course,
since :func:`mbc.answer._understand.understand` keeps asked drugs out of the premise.
"""

from __future__ import annotations

import dataclasses
import re
from typing import Any

from mbc.answer._ask import ask_clauses

__all__ = ["settle_asked"]

_FLAGS = re.IGNORECASE


def _stretches(text: str, akb: Any) -> list[tuple[int, int]]:
    """(start, end) of each asking stretch: from the first clause of an asking sentence that asks (its form,
    or a choice it names) to that sentence's question mark."""
    spec = akb.facts.asked
    out: list[tuple[int, int]] = []
    for c in ask_clauses(text, akb.ask):
        q = text.find("?", c.start)
        if q < 0 or re.search(r"[.!\n](?=\s|$)", text[c.end : q]):
            continue  # only sentences that end in "?" (a statement asks nothing of its drugs)
        if c.form == "bare" and not re.search(spec.choice, c.text, _FLAGS):
            continue
        if out and out[-1][0] <= c.start <= out[-1][1]:
            continue  # the sentence's stretch already opened at an earlier clause
        out.append((c.start, q))
    return out


def _history(words: str, akb: Any) -> bool:
    """A history word in the words ("after", "on", "failed", "s/p" ...)."""
    if re.search(akb.facts.asked.given, words, _FLAGS):
        return True
    return any(re.search(p, words, _FLAGS) for p in akb.intents.prior_context)


def _scope_start(text: str, lo: int, hi: int, at: int, akb: Any) -> int:
    """Where the scope of a drug mention at ``at`` begins: after the nearest breaker before it in its
    stretch (a comma counts when a choice list with no history word follows it: "What next after X, A or
    B?")."""
    spec = akb.facts.asked
    start = lo
    for m in re.finditer(spec.breakers, text[lo:at], _FLAGS):
        start = max(start, lo + m.end())
    for m in re.finditer(",", text[lo:at]):
        rest = text[lo + m.end() : hi]
        if re.search(spec.choice_or, rest, _FLAGS) and not _history(rest, akb):
            start = max(start, lo + m.end())
    return start


def _given(text: str, m: Any, scope: int, akb: Any) -> bool:
    """A history word before the mention within its scope, or a history marker right after it."""
    spec = akb.facts.asked
    if _history(text[scope : m.start], akb):
        return True
    after = text[m.end : m.end + 60]
    return any(re.search(p, after, _FLAGS) for p in spec.given_after)


def _declined(text: str, m: Any, spec: Any) -> Any:
    """A drug or class the patient declines ("doesn't want chemo", "<drug> was declined"): marked negated -
    neither given nor asked, and left in the premise, where the note reader reads the refusal."""
    if m.negated or m.prior:
        return m
    before = text[max(0, m.start - 50) : m.start]
    cut = max((x.end() for x in re.finditer(r"[.;?!,]", before)), default=0)
    if re.search(spec.declined, before[cut:], _FLAGS) or re.search(
        spec.declined_after, text[m.end : m.end + 40], _FLAGS
    ):
        return dataclasses.replace(m, negated=True, line=None)
    return m


def _framed(text: str, lo: int, m: Any, spec: Any) -> bool:
    """Review of session 10: the negation that negates the drug (its ``cue``, found once by the question
    reader) is the question's own "why not" further back ("Why not A after PD on B?"): it denies nothing
    of B."""
    if m.cue < lo:
        return False
    end = m.cue + len(text[m.cue :].split(None, 1)[0])  # the cue word itself
    return re.search(spec.why_not, text[lo:end], _FLAGS) is not None


def settle_asked(text: str, found: list[Any], akb: Any) -> list[Any]:
    """The mentions with those the question asks about marked as asked: not given (``prior``), no line,
    and not negated by a negation that frames the question ("why not A?")."""
    spec = akb.facts.asked
    if spec is None:
        return found
    out = [_declined(text, m, spec) for m in found]
    for lo, hi in _stretches(text, akb):
        for i, m in enumerate(out):
            if not lo <= m.start < hi:
                continue
            if m.negated:
                if re.search(spec.why_not, text[max(lo, m.start - 60) : m.start], _FLAGS):
                    out[i] = dataclasses.replace(m, negated=False, prior=False, line=None)
                elif _framed(text, lo, m, spec):  # given if a history word is in its scope
                    given = m.prior and _given(text, m, _scope_start(text, lo, hi, m.start, akb), akb)
                    line = m.line if given else None
                    out[i] = dataclasses.replace(m, negated=False, prior=given, line=line)
                continue
            if not m.prior:
                continue
            scope = _scope_start(text, lo, hi, m.start, akb)
            if not _given(text, m, scope, akb):
                out[i] = dataclasses.replace(m, prior=False, line=None)
    return out
