"""Eligibility text -> structured criteria in the shared condition language.

Three small steps, each a pure function:

1. :func:`split_sentences` and 2. :func:`parse_sentence` (in :mod:`._sentence`): sections,
   bullets and sentences, each read by the patterns of ``knowledge/trials/patterns.yaml``.
3. Here: lead-ins and their items, alternatives across sentences (:func:`parse_criteria`),
   and :func:`parse_trial` - the sentences plus the structured registry fields (sex, ages,
   conditions studied) as criteria.

A sentence no pattern understands is kept with ``condition=None`` (needs review).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from mbc.knowledge.conditions import FactTest
from mbc.trials._clauses import _merged, parse_sentence
from mbc.trials._model import Criterion, Trial
from mbc.trials._sentence import (
    Sentence,
    _blank_definitions,
    _build,
    _joined,
    _NoMatch,
    _plain,
    _values,
    split_sentences,
)

if TYPE_CHECKING:
    from collections.abc import Sequence

    from mbc.trials._patterns import TrialKnowledge

__all__ = ["Sentence", "parse_criteria", "parse_sentence", "parse_trial", "remember", "split_sentences"]


def parse_criteria(text: str, tk: TrialKnowledge) -> tuple[Criterion, ...]:
    """Every sentence of an eligibility text as a criterion, in order.

    Items indented under a lead-in ending in ':' are read with it: a definition's items
    set nothing, a subgroup's items bind that subgroup only, "one of the following" items
    are alternatives. Consecutive sentences linked by a trailing / leading "or" are one
    ``any`` criterion. Nothing is dropped: a group keeps all its sentences' text.

    Results are remembered per compiled knowledge (the same text is parsed once).
    """
    hit = tk.memo.get(text)
    if hit is not None:
        return tuple(hit)
    parsed = tuple(_run(split_sentences(text, tk), tk))
    remember(tk, text, parsed)
    return parsed


def remember(tk: TrialKnowledge, text: str, criteria: tuple[Criterion, ...]) -> None:
    """Keep the criteria of one eligibility text in the knowledge's bounded memo."""
    if len(tk.memo) >= _MEMO_SIZE:
        tk.memo.clear()
    tk.memo[text] = criteria


_MEMO_SIZE = 4096


# ---------------------------------------------------------------------- structure

_NOTE = "explanatory note: explains the item above, sets no requirement by itself"


def _run(sentences: Sequence[Sentence], tk: TrialKnowledge) -> list[Criterion]:
    """Criteria for a run of sentences: lead-ins take the items indented below them."""
    out: list[Criterion] = []
    i = 0
    while i < len(sentences):
        s = sentences[i]
        j = i + 1
        if s.text.rstrip().endswith(":"):
            while j < len(sentences) and sentences[j].indent > s.indent and sentences[j].kind == s.kind:
                j += 1
        if j > i + 1:
            out.extend(_group(s, sentences[i + 1 : j], tk))
        elif s.note or s.inner_note:
            c = parse_sentence(s.text, s.kind, tk)
            narrowed = _narrowed(out[-1], c, tk) if out else None
            if narrowed is not None:
                out[-1] = narrowed
            elif s.note:
                void = {"condition": None, "patterns": (), "categories": (), "note": _NOTE}
                out.append(c.model_copy(update=void))
            else:
                out.append(c)
        else:
            out.append(parse_sentence(s.text, s.kind, tk))
        i = j
    return _join_or(out, tk)


def _narrowed(prev: Criterion, note: Criterion, tk: TrialKnowledge) -> Criterion | None:
    """An exclusion and the note after it that makes an exception ("Patients with brain
    metastases." + "Note: patients with stable brain metastases are allowed if ..."): when
    the note reads only as an exception (``exception`` patterns) and the exclusion is a
    plain test of a fact the exception ``narrows``, the two are one criterion: the
    exception's condition. None otherwise."""
    if (
        prev.kind != "exclusion"
        or note.kind != "exclusion"
        or note.condition is None
        or prev.condition is None
    ):
        return None
    used = [tk.specs[p] for p in note.patterns if p in tk.specs]
    if not used or not all(sp.exception for sp in used):
        return None
    narrows = {f for sp in used for f in sp.narrows}
    if prev.condition.leaf_fact not in narrows:
        return None
    return note.model_copy(update={"text": f"{prev.text} {note.text}", "cohort": prev.cohort})


def _group(lead: Sentence, items: Sequence[Sentence], tk: TrialKnowledge) -> list[Criterion]:
    st = tk.structure
    parts = _run(items, tk)
    text = " ".join([lead.text, *(p.text for p in parts)])
    lead_c = parse_sentence(lead.text, lead.kind, tk)
    if st.definition is not None and _blank_definitions(lead.text, tk) != lead.text:
        note = "definition: explains a term, sets no requirement"
        void = {"condition": None, "patterns": (), "categories": (), "note": note}
        return [lead_c, *(p.model_copy(update=void) for p in parts)]
    for rx in st.conditional_leadin:
        m = rx.search(lead.text)
        if m is None:
            continue
        guard = _plain(m.group("guard"), "inclusion", tk)
        if guard.condition is not None:
            merged = _merged(text, lead.kind, parts, "all", guard=guard)
            return [merged.model_copy(update={"cohort": lead_c.cohort})]
    if (
        lead.kind == "inclusion"
        and st.alternatives_leadin is not None
        and st.alternatives_leadin.search(lead.text)
        and any(p.condition is not None for p in parts)
    ):
        alt = _merged(text, lead.kind, parts, "any")
        if lead_c.condition is not None:
            alt = _merged(text, lead.kind, [lead_c, alt], "all")
        return [alt.model_copy(update={"cohort": lead_c.cohort})]
    return [lead_c, *parts]


def _join_or(criteria: list[Criterion], tk: TrialKnowledge) -> list[Criterion]:
    """'A or' + 'B' (or 'A' + 'or B') -> one criterion any[A, B]."""
    st = tk.structure
    if st.or_end is None and st.or_start is None:
        return criteria
    out: list[Criterion] = []
    chain: list[Criterion] = []

    def linked(a: Criterion, b: Criterion) -> bool:
        if a.kind != b.kind or a.cohort != b.cohort:
            return False
        return bool(
            (st.or_end is not None and st.or_end.search(a.text))
            or (st.or_start is not None and st.or_start.match(b.text))
        )

    def flush() -> None:
        if len(chain) == 1:
            out.append(chain[0])
        elif chain:
            merged = _merged(" ".join(c.text for c in chain), chain[0].kind, chain, "any")
            out.append(merged.model_copy(update={"cohort": chain[0].cohort}))
        chain.clear()

    for c in criteria:
        if chain and not linked(chain[-1], c):
            flush()
        chain.append(c)
    flush()
    return out


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
    for title in dict.fromkeys(t for t in (trial.title, trial.official_title) if t):
        crit = _title_criterion(title, tk)
        if crit is not None:
            out.append(crit)
            break
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


def _title_criterion(title: str, tk: TrialKnowledge) -> Criterion | None:
    """The title, read by the patterns marked ``title: true`` only ("hormone refractory")."""
    conditions = []
    used = []
    for cp in tk.patterns:
        if not cp.spec.title:
            continue
        m = cp.regex.search(title)
        if m is None:
            continue
        try:
            cond = _build(cp, _values(cp, m, tk), tk.facts)
        except _NoMatch:
            continue
        if cond is not None:
            conditions.append(cond)
            used.append(cp.spec)
    if not conditions:
        return None
    return Criterion(
        text=f"Title: {title}",
        kind="inclusion",
        condition=_joined("all", conditions),
        patterns=tuple(dict.fromkeys(p.id for p in used)),
        categories=tuple(dict.fromkeys(p.category for p in used)),
        source="registry",
    )


def parse_trial(
    trial: Trial, tk: TrialKnowledge, *, text_criteria: Sequence[Criterion] | None = None
) -> Trial:
    """The trial with its criteria parsed (registry fields first, then the text).

    Args:
        trial: The trial.
        tk: The compiled trial knowledge.
        text_criteria: The criteria of its eligibility text when already known (a cache
            keyed by the text's hash, as the SQLite registry keeps); parsed otherwise.

    .. versionchanged:: issue-5b
       ``text_criteria``.
    """
    if trial.criteria is not None and trial.parsed_with == tk.fingerprint:
        return trial
    if text_criteria is None:
        text_criteria = parse_criteria(trial.eligibility_text, tk)
    criteria = (*_registry_criteria(trial, tk), *text_criteria)
    return trial.model_copy(update={"criteria": criteria, "parsed_with": tk.fingerprint})
