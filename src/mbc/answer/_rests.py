"""What an answer rests on, said in its first line (session 7, principle 7).

An answer may rest on a usual assumption a clinician makes (the engine's assumption policies:
ECOG 0-1, no visceral crisis, first line when nothing was given; receptors read from the drugs
given, ``facts.yaml`` ``given_implies`` entries marked ``usual``) only if it says so in its first
line: "Yes - assuming <...>: ...". A verdict never rests on a fact the answer layer inferred that
is not a usual assumption, nor on a safety fact the stated record does not clear: when the
verdict on the inferred facts differs from the verdict on the facts as stated (with the usual
assumptions), the verdict is "depends", naming the inferred fact, and the answer gives the
verdict on the stated facts."""

from __future__ import annotations

import dataclasses
from typing import Any

from mbc.answer._clinician import Draft, matching_options
from mbc.answer._understand import Understanding
from mbc.knowledge.loader import KnowledgeBase

__all__ = ["assuming", "engine_leads", "verdict_on_stated"]

_MAX_LEADS = 4


def engine_leads(kb: KnowledgeBase, plan: Any, u: Understanding) -> list[str]:
    """The engine's assumptions the option a yes/no verdict names rests on (its trace)."""
    found = matching_options(kb, plan, u)
    if not found:
        return []
    fields = {f for t in found[0].trace for f in t.assumed}
    return [a.shown or str(a.assumed) for a in plan.assumptions if a.field in fields]


def assuming(draft: Draft, leads: list[str]) -> Draft:
    """``draft`` with "assuming <leads>" in its first line (after the verdict word)."""
    leads = list(dict.fromkeys(x for x in leads if x))[:_MAX_LEADS]
    if not leads:
        return draft
    said = "; ".join(leads)
    if draft.verdict and " - " in draft.text:
        head, rest = draft.text.split(" - ", 1)
        return dataclasses.replace(draft, text=f"{head} - assuming {said}: {rest}")
    return dataclasses.replace(draft, text=f"Assuming {said}: {draft.text}")


def verdict_on_stated(stated: Draft, inferred: Draft, labels: list[str]) -> Draft:
    """The verdict when the inferred facts would change it: "depends" on those facts."""
    if inferred.verdict == stated.verdict or inferred.verdict is None:
        return stated
    named = ", ".join(dict.fromkeys(labels)) or "a fact the question does not state"
    text = (
        f"Depends on {named} (not stated) - if it is as inferred: {inferred.verdict_text or inferred.verdict}; "
        f"on the facts as stated: {stated.text}"
    )
    return dataclasses.replace(stated, verdict="depends", verdict_text=f"Depends on {named}", text=text)
