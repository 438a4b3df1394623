"""A later correction wins: a value stated in a correction outranks the one it corrects.

Notes correct themselves in several shapes: a pathology ADDENDUM or "revised" / "amended" result,
an attending's attestation ("seen and examined; agree except ..."), a chat message that says the
earlier one was a typo. Ranking by specimen and by position does not see them: an attestation
that says the brain lesions were treated since loses to the fellow's "untreated" ranked by rule,
and an addendum that re-quotes the old value ("the HER2 1+ reported on 18/11 should be
disregarded") makes that old value the last one written.

:func:`correction_regions` finds each correction (its opening words are data: ``corrections``
in ``knowledge/nlp/context.yaml`` ``scope``) and its reach (to the end of its paragraph, at most
``reach`` characters). :func:`prefer_corrections` then makes, for every scalar field, the last
value offered inside a correction win over a value from before it. Lab values and dates keep
their own newest-dated rule; a receptor result of the primary tumour is not promoted.

A block the note marks as copied forward from an earlier visit ("[copied from 03/2025 visit]"
... "[end copied text]", "carried forward from note of ...") is no current evidence:
:func:`copied_regions` finds it (to its end marker, else the next header calling a section
current, else its paragraph's end) and :func:`prefer_fresh` lets a value from outside it win,
drops the fields that go stale (ECOG, age) when only the copy gives them, and takes out the
medications named only inside it.

A claim the note puts as a question and answers "no" at once ("de novo? no - recurrent",
"stopped - neuropathy? no: stopped for progression", "A + B given with line 2? - no, both were
planned") is taken back: :func:`retracted_claims` finds each (its shape is data:
``retracted_claim`` in ``knowledge/nlp/therapy.yaml``), :func:`blanked` hides it from the cue
readers (the answer after it is read instead) and :func:`inside` tells whether a mention lies in
one (a drug named there was not given; session 11).

A claim the writer takes back in the same breath is no fact (session 13): :func:`taken_back`
finds the claim before a dictation cue ("liver and lung, scratch that, liver and bone", "A, sorry,
I mean B"; ``takes_back``) and the wrong term a correction names ("sorry, I meant B (brand) not
A", "A was a transcription error"; ``rejects``) with each earlier mention of that term within
``reject_reach`` characters (a drug by its INN, another term by its word). Both shapes are data
in the ``corrections`` scope of ``knowledge/nlp/context.yaml``; the note is read with these
regions blanked (same length, offsets kept), so the corrected value is the one read.
"""

from __future__ import annotations

import bisect
import re
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from collections.abc import Mapping, Sequence

    from mbc.ingest._extraction import RecordBuilder

__all__ = [
    "blanked",
    "copied_regions",
    "correction_regions",
    "inside",
    "prefer_corrections",
    "prefer_fresh",
    "retracted_claims",
    "taken_back",
    "without_retracted",
]

_PARAGRAPH_END = re.compile(r"\n[ \t]*\n")
_KEEP_OWN_RULE = ("labs.", "metastatic_diagnosis_date", "as_of", "tumor.receptor_source")
_TOP = (float("inf"),)
_NOT_TAKEN = frozenset({"negated", "hypothetical", "family", "historical", "ended", "planned", "uncertain"})


def correction_regions(text: str, opens: re.Pattern[str], reach: int) -> list[tuple[int, int]]:
    """(start, end) of each correction: from its opening words to its paragraph's end."""
    out: list[tuple[int, int]] = []
    for m in opens.finditer(text):
        if out and m.start() < out[-1][1]:
            continue
        para = _PARAGRAPH_END.search(text, m.end())
        end = min(para.start() if para else len(text), m.end() + reach)
        out.append((m.start(), end))
    return out


def prefer_corrections(builder: RecordBuilder, regions: list[tuple[int, int]]) -> None:
    """Promote, per scalar field, the last value offered in a correction after the winner."""
    if not regions:
        return
    for path, cand in builder.scalar_candidates():
        if path.startswith(_KEEP_OWN_RULE):
            continue
        won_at = _start(cand.source)
        best: dict[str, Any] | None = None
        for old in builder.superseded_of(path):
            at = _start(old)
            if at is None or "dropped" in old or old.get("historical") or old.get("specimen") == "primary":
                continue
            region = next((r for r in regions if r[0] <= at < r[1]), None)
            if region is None or (won_at is not None and won_at >= region[0]):
                continue  # not in a correction, or the winner is itself in (or after) it
            if old.get("value") == cand.value:
                continue
            if best is None or at > (_start(best) or -1):
                best = old
        if best is not None:
            src = {k: v for k, v in best.items() if k != "value"}
            src["corrects"] = {"value": cand.value, "span": cand.source.get("span")}
            builder.set(path, best["value"], src, rank=_TOP)


def _start(source: dict[str, Any]) -> int | None:
    span = source.get("span")
    return int(span[0]) if isinstance(span, (list, tuple)) and span else None


def taken_back(
    text: str,
    takes_back: re.Pattern[str],
    rejects: re.Pattern[str],
    reach: int,
    drugs: Sequence[tuple[int, int, Sequence[str]]] = (),
) -> list[tuple[int, int]]:
    """Sorted, merged (start, end) of what the note takes back: each ``claim`` of ``takes_back``
    with its cue (what follows reads as the list's first item), and each ``wrong`` term (any
    group named ``wrong...``) of ``rejects`` with its earlier mentions within ``reach``
    characters. ``drugs``: the note's drug mentions as (start, end, INNs), so a short name
    takes back the drug's full name."""
    out = [(m.start("claim"), m.end()) for m in takes_back.finditer(text) if m.group("claim").strip()]
    for m in rejects.finditer(text):
        g = next((k for k, v in m.groupdict().items() if k.startswith("wrong") and v), None)
        if g is None:
            continue
        a, b = m.span(g)
        lo = max(0, m.start() - reach)
        inns = {i for s, e, names in drugs if s < b and e > a for i in names}
        if inns:
            out += [(s, e) for s, e, names in drugs if lo <= s < b and inns & set(names)]
        else:
            word = re.compile(rf"\b{re.escape(m.group(g))}\b", re.IGNORECASE)
            out += [w.span() for w in word.finditer(text, lo, b)]
        out.append((a, b))
    merged: list[tuple[int, int]] = []
    for a, b in sorted(out):
        if merged and a <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(b, merged[-1][1]))
        else:
            merged.append((a, b))
    return merged


def copied_regions(
    text: str, opens: re.Pattern[str], ends: re.Pattern[str], fresh: re.Pattern[str]
) -> list[tuple[int, int]]:
    """(start, end) of each block marked as copied from an earlier note."""
    out: list[tuple[int, int]] = []
    for m in opens.finditer(text):
        if out and m.start() < out[-1][1]:
            continue
        stops = [x.start() for x in (ends.search(text, m.end()), fresh.search(text, m.end())) if x]
        if not stops:
            para = _PARAGRAPH_END.search(text, m.end())
            stops = [para.start() if para else len(text)]
        out.append((m.start(), min(stops)))
    return out


def prefer_fresh(
    builder: RecordBuilder, drugs: Sequence[Any], regions: list[tuple[int, int]], stale: tuple[str, ...]
) -> None:
    """A value from outside a copied block wins; stale fields only the copy gives are dropped."""
    if not regions:
        return

    def copied(src: dict[str, Any] | None) -> bool:
        at = _start(src or {})
        return at is not None and any(s <= at < e for s, e in regions)

    for path, cand in builder.scalar_candidates():
        if not copied(cand.source) or path.startswith(_KEEP_OWN_RULE):
            continue
        fresh = [
            o
            for o in builder.superseded_of(path)
            if _start(o) is not None and not copied(o) and "dropped" not in o and not o.get("historical")
        ]
        if fresh:
            best = max(fresh, key=lambda o: _start(o) or 0)
            src = {k: v for k, v in best.items() if k != "value"}
            builder.set(path, best["value"], src, rank=_TOP)
        elif path in stale:
            builder.drop(path, "copied forward from an earlier note")
    named_outside = {
        inn
        for d in drugs
        if not copied({"span": [d.start, d.end]}) and not (d.attrs & _NOT_TAKEN)
        for inn in d.inns
    }
    gone = {
        value
        for value, src in builder.list_items("medications")
        if copied(src) and value not in named_outside
    }
    if gone:
        builder.discard("medications", gone)


def retracted_claims(text: str, pattern: re.Pattern[str] | None) -> list[tuple[int, int]]:
    """(start, end) of each claim taken back by its own answer, from the claim's first word to
    the end of the answer ("no:"), in text order; one pass of ``pattern`` (group ``claim``)."""
    if pattern is None:
        return []
    return [(m.start("claim"), m.end()) for m in pattern.finditer(text)]


def blanked(text: str, regions: Sequence[tuple[int, int]]) -> str:
    """``text`` with each region blanked out (same length, so offsets hold)."""
    if not regions:
        return text
    parts, pos = [], 0
    for a, b in regions:
        parts += [text[pos:a], " " * (b - a)]
        pos = b
    parts.append(text[pos:])
    return "".join(parts)


def inside(regions: Sequence[tuple[int, int]], at: int) -> bool:
    """Whether offset ``at`` lies in one of ``regions`` (sorted, not overlapping)."""
    k = bisect.bisect_right(regions, (at, float("inf"))) - 1
    return k >= 0 and regions[k][0] <= at < regions[k][1]


def without_retracted(text: str, therapy_cfg: Mapping[str, Any]) -> str:
    """``text`` with the claims it takes back blanked (``retracted_claim`` of the therapy pack):
    what the inferences read, so "de novo? no - recurrent" infers no de novo presentation."""
    spec = therapy_cfg.get("retracted_claim")
    return blanked(text, retracted_claims(text, re.compile(spec, re.IGNORECASE))) if spec else text
