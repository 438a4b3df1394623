"""Session 10: courses of the note reader's record put right by what the question names.

1. A stand-in beside a named course: "progressed on <AI> + <CDK4/6 inhibitor> ... after CDK4/6i, what next?"
   - the reader adds stand-in drugs for the class named ("after CDK4/6i") even though the question names a
   course of that class; two endocrine lines are then counted and chemotherapy joins the preferred options. A
   course none of whose drugs the question names, whose drug classes a course the question does name covers,
   is that course named again: dropped (stated).
2. A partner stopped for toxicity: "<CDK4/6 inhibitor> stopped after 2 months for neutropenia, <AI> continued,
   PD after 14 months" - the reader records two courses (one ended for toxicity, one at progression), which
   counts as two lines. Drugs that one regimen of the knowledge base gives together, one stopped early for
   toxicity while the other went on, are one line: one course of both drugs, ended as the continued one ended
   (stated; the early stop is in the assumptions).
Each step restates only what the question says; nothing is added that it does not name."""

from __future__ import annotations

import copy
import re
from typing import Any

from mbc.knowledge.loader import KnowledgeBase

__all__ = ["drop_stand_ins", "finish_courses", "one_regimen"]

_FLAGS = re.IGNORECASE
_SENTENCE = re.compile(r"[.;?!](?=\s|$)|\n")


def _ids(t: dict[str, Any], kb: KnowledgeBase) -> set[str]:
    return {kb.lookup_drug(n) or str(n).lower().replace(" ", "_") for n in t.get("drugs") or []}


def _classes(ids: set[str], kb: KnowledgeBase) -> set[str]:
    out: set[str] = set()
    for d in ids:
        if d in kb.drugs and kb.drugs[d].cancer_drug:
            out |= set(kb.drug_classes_of(d))
    return out


def one_regimen(kb: KnowledgeBase, ids: set[str]) -> bool:
    """The drugs make up (part of) one regimen of the knowledge base, each filling another part of it; a
    single drug, a regimen of its own (single agent)."""
    if not ids:
        return False
    for r in kb.regimens.values():
        parts = [{c.drug} if c.drug else set(c.one_of) for c in r.components]
        if len(ids) == 1 and len(parts) != 1:
            continue
        if all(any(d in p for p in parts) for d in ids) and all(len(ids & p) <= 1 for p in parts):
            return True
    return False


def _drop_stand_ins(
    record: dict[str, Any], named: set[str], kb: KnowledgeBase
) -> tuple[dict[str, Any], list[str]]:
    therapies = record.get("prior_therapies") or []
    keep: list[dict[str, Any]] = []
    said: list[str] = []
    for t in therapies:
        ids = _ids(t, kb)
        mine = _classes(ids, kb)
        if ids and not (ids & named) and mine:
            twin = next(
                (
                    o for o in therapies
                    if o is not t and _ids(o, kb) & named and t.get("setting") in (None, o.get("setting"))
                    and mine <= _classes(_ids(o, kb), kb)
                ),
                None,
            )  # fmt: skip
            if twin is not None:
                said.append(
                    f"{' + '.join(t.get('drugs') or [])} (a stand-in for a class named) left out: the "
                    f"question names that course ({' + '.join(twin.get('drugs') or [])})"
                )
                continue
        keep.append(t)
    return ({**record, "prior_therapies": keep}, said) if said else (record, [])


def _merge_partners(record: dict[str, Any], kb: KnowledgeBase) -> tuple[dict[str, Any], list[str]]:
    therapies = copy.deepcopy(record.get("prior_therapies") or [])
    said: list[str] = []
    k = 0
    while k < len(therapies):
        t = therapies[k]
        if t.get("stop_reason") != "toxicity":
            k += 1
            continue
        ids = _ids(t, kb)
        partner = next(
            (
                j for j, o in enumerate(therapies)
                if j != k and o.get("stop_reason") != "toxicity"
                and (None in (o.get("setting"), t.get("setting")) or o.get("setting") == t.get("setting"))
                and not (ids & _ids(o, kb)) and one_regimen(kb, ids | _ids(o, kb))
                and not (t.get("start") and o.get("start") and str(t["start"]) > str(o["start"]))
            ),
            None,
        )  # fmt: skip
        if partner is None:
            k += 1
            continue
        o = therapies[partner]
        # the line's dates and end are the continued drug's (the early stop is said, not dated)
        merged = {**o, "drugs": [*(o.get("drugs") or []), *(t.get("drugs") or [])]}
        if merged.get("setting") is None and t.get("setting"):
            merged["setting"] = t["setting"]
        therapies[partner] = merged
        said.append(
            f"{' + '.join(t.get('drugs') or [])} stopped early for toxicity while "
            f"{' + '.join(o.get('drugs') or [])} went on: read as one line of {' + '.join(merged['drugs'])}"
        )
        del therapies[k]
    return ({**record, "prior_therapies": therapies}, said) if said else (record, [])


def drop_stand_ins(
    record: dict[str, Any], found: list[Any], kb: KnowledgeBase
) -> tuple[dict[str, Any], list[str]]:
    """The reader's courses with a stand-in for a course the question names left out (see the module text);
    run first, before any course is dated or split."""
    if not record.get("prior_therapies"):
        return record, []
    named = {m.id for m in found if m.kind == "drug" and not m.negated}
    return _drop_stand_ins(record, named, kb)


def finish_courses(
    text: str, record: dict[str, Any], found: list[Any], kb: KnowledgeBase, akb: Any
) -> tuple[dict[str, Any], list[str]]:
    """Run last, once every course is split and dated: a partner stopped early for toxicity joined to the line
    it belonged to (the line keeps the continued drug's dates and end), and a metastatic course read as
    "completed" whose own words say it ended at progression ("<drugs> for 3 years then PD")."""
    if not record.get("prior_therapies"):
        return record, []
    record, merged = _merge_partners(record, kb)
    record, progressed = _progressed_after(text, record, found, kb, akb)
    return record, merged + progressed


def _progressed_after(
    text: str, record: dict[str, Any], found: list[Any], kb: KnowledgeBase, akb: Any
) -> tuple[dict[str, Any], list[str]]:
    spec = akb.facts.courses
    if spec is None:
        return record, []
    drugs = sorted(
        (m for m in found if m.kind == "drug" and m.prior and not m.negated), key=lambda m: m.start
    )
    out = copy.deepcopy(record)
    said: list[str] = []
    for t in out.get("prior_therapies") or []:
        if t.get("setting") != "metastatic" or t.get("stop_reason") != "completed":
            continue
        ids = _ids(t, kb)
        own = [m for m in drugs if m.id in ids]
        if not own:
            continue
        last = own[-1]
        nxt = next((m.start for m in drugs if m.start > last.end and m.id not in ids), len(text))
        stop = _SENTENCE.search(text, last.end)
        stretch = text[last.end : min(nxt, stop.start() if stop else len(text))]
        if re.search(spec.progression, stretch, _FLAGS) and not re.search(
            spec.not_progressed, stretch, _FLAGS
        ):
            t["stop_reason"] = "progression"
            said.append(f"{' + '.join(t.get('drugs') or [])}: ended at progression (as the question says)")
    return (out, said) if said else (record, [])
