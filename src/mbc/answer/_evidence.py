"""Session 11: "which trial supports <drug>?" - the trials behind an option, named from its citations.

A trials question that asks for the evidence behind a drug ("Which trial supports <drug> after <class>?",
"what study led to the approval of <drug>?") is answered from the knowledge base's own citations: the
options of the plan (else every active rule) that give every drug asked about, and among their cited
sources those of kind ``trial``. Nothing is named that the knowledge base does not cite; with no drug
asked, or none cited, the usual trials answer stands. The wording that asks is data
(``knowledge/answer/ask.yaml``, topic ``which_trial``).
"""

from __future__ import annotations

import re
from typing import Any

from mbc.answer._model import Citer
from mbc.knowledge.loader import KnowledgeBase

__all__ = ["trial_evidence"]


def _trials(kb: KnowledgeBase, cited: Any) -> list[Any]:
    """The cited source ids of kind ``trial``, in citation order."""
    return [c for c in cited if c in kb.sources and kb.sources[c].kind == "trial"]


def _cited(kb: KnowledgeBase, plan: Any, drugs: set[str]) -> list[tuple[str, list[str]]]:
    """(option name, its trial citations) for each plan option giving every drug asked about; else from the
    active rules."""
    out: list[tuple[str, list[str]]] = []
    for o in plan.options:
        ids = {kb.lookup_drug(n) or n for n in o.drugs}
        trials = _trials(kb, o.citations)
        if drugs <= ids and trials:
            out.append((o.name, trials))
    if out:
        return out
    for r in kb.active_rules:
        for act in r.then:
            regimen = getattr(act, "option", None)
            if not regimen or not drugs <= set(kb.regimen_drugs(regimen)):
                continue
            trials = _trials(kb, r.evidence.citations)
            if trials and (kb.regimen_name(regimen), trials) not in out:
                out.append((kb.regimen_name(regimen), trials))
    return out


def trial_evidence(kb: KnowledgeBase, akb: Any, plan: Any, u: Any, c: Citer) -> tuple[str, list[str]] | None:
    """The answer (text, points) naming the trials the knowledge base cites for the drug a "which trial
    supports ...?" question names, or None."""
    pattern = akb.ask.topics.get("which_trial")
    if not pattern or not u.drugs or not re.search(pattern, u.question, re.IGNORECASE):
        return None
    found = _cited(kb, plan, set(u.drugs))
    if not found:
        return None
    # the trials whose titles share most words with the question first ("after progression on a CDK4/6
    # inhibitor": postMONARCH before the first-line trials of the same drugs)
    words = {w for w in re.findall(r"[a-z0-9/]{4,}", u.question.lower())}

    def overlap(t: str) -> int:
        return -len(words & set(re.findall(r"[a-z0-9/]{4,}", kb.sources[t].title.lower())))

    found = sorted(((n, sorted(ts, key=overlap)) for n, ts in found), key=lambda f: overlap(f[1][0]))
    names = list(dict.fromkeys(kb.sources[t].short for _, ts in found for t in ts))
    what = ", ".join(kb.drugs[d].name for d in u.drugs if d in kb.drugs)
    cited = [t for _, ts in found for t in ts]
    text = f"The evidence for {what} here: {'; '.join(names[:3])}" + c.ref(cited[:3])
    points = [
        f"{name}: " + "; ".join(f"{kb.sources[t].short} - {kb.sources[t].title}" for t in ts) + c.ref(ts)
        for name, ts in found[:4]
    ]
    return text, points
