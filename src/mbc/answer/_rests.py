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
import re
from typing import Any

from mbc.answer._classes import asked_classes
from mbc.answer._clinician import Draft, matching_options
from mbc.answer._schema import AnswerKB
from mbc.answer._understand import Understanding, negated
from mbc.engine.assume import assumption_index
from mbc.knowledge.loader import KnowledgeBase
from mbc.logic import Truth

__all__ = [
    "assuming",
    "depends_on_receptor",
    "depends_on_safety",
    "engine_leads",
    "reader_leads",
    "receptor_decides",
    "unsettled_safety",
    "verdict_on_stated",
]

_MAX_LEADS = 4


def engine_leads(kb: KnowledgeBase, plan: Any, u: Understanding) -> list[str]:
    """The engine's assumptions the option a yes/no verdict names rests on (its trace)."""
    found = matching_options(kb, plan, u)
    if not found:
        return []
    fields = {f for t in found[0].trace for f in t.assumed}
    return [a.shown or str(a.assumed) for a in plan.assumptions if a.field in fields]


def reader_leads(assumed: list[str]) -> list[str]:
    """The note reader's inferences from the question's words ("no systemic therapy given before
    (read from the question)"), shortened to what they assume."""
    return [re.split(r" \(| - |; ", a, maxsplit=1)[0].strip() for a in assumed]


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
        f"Depends on {named} (not stated) - if it is as inferred: "
        f"{inferred.verdict_text or inferred.verdict}; "
        f"on the facts as stated: {stated.text}"
    )
    return dataclasses.replace(stated, verdict="depends", verdict_text=f"Depends on {named}", text=text)


def unsettled_safety(kb: KnowledgeBase, akb: AnswerKB, plan: Any, u: Understanding, text: str) -> list[str]:
    """Safety facts the question raises (``facts.yaml`` ``safety_topics``) that a contraindication
    check of a drug asked about needs and finds unknown: a verdict cannot assume them away."""
    drugs = set(u.drugs)
    classes = asked_classes(kb, drugs, u.classes)
    missing: set[str] = set()
    for s in kb.active_safety:
        if s.effect != "contraindicated" or s.combination or s.when is None:
            continue
        if not (drugs & set(s.drugs) or classes & set(s.classes)):
            continue
        outcome = s.when.explain(plan.facts)
        if outcome.truth is Truth.UNKNOWN:
            missing |= set(outcome.missing)
    out: list[str] = []
    facts = plan.facts
    for t in akb.facts.safety_topics:
        if not missing & set(t.facts) or any(_known(facts, f) for f in t.facts):
            continue  # no check needs it, or the question settles part of it (the reader read it)
        raised = [m for m in re.finditer(t.words, text, re.IGNORECASE) if not negated(text, m.start(), akb)]
        if raised and not (t.settled and all(_settled(text, m, t.settled) for m in raised)):
            out.append(t.label)
    return out


def _settled(text: str, m: re.Match[str], pattern: str) -> bool:
    """The question says, next to where it raises a safety fact, that it is no bar ("LFTs fine")."""
    near = text[max(0, m.start() - 30) : m.end() + 30]
    return re.search(pattern, near, re.IGNORECASE) is not None


def _known(facts: dict[str, Any], name: str) -> bool:
    value = facts.get(name)  # the plan's facts: a dict (an absent fact is unknown)
    return value is not None and getattr(value, "name", "") != "UNKNOWN"


def depends_on_safety(draft: Draft, labels: list[str]) -> Draft:
    """A yes / certain-circumstances verdict that would assume a safety fact away: "depends"; a "depends"
    on other facts names the safety fact first (session 9: pregnancy is never left unsaid)."""
    if not labels or draft.verdict not in ("yes", "certain_circumstances", "depends"):
        return draft
    named = " and ".join(labels)
    if draft.verdict == "depends":
        rest = (
            draft.verdict_text[len("Depends on ") :] if draft.verdict_text.startswith("Depends on ") else ""
        )
        text = f"Depends on {named} - the question raises it but does not settle it; and on: {draft.text}"
        vt = f"Depends on {named}" + (f"; {rest}" if rest else "")
        return dataclasses.replace(draft, text=text, verdict_text=vt)
    text = f"Depends on {named} - the question raises it but does not settle it; if it is no bar: "
    text += draft.text
    return dataclasses.replace(draft, verdict="depends", verdict_text=f"Depends on {named}", text=text)


def receptor_decides(kb: KnowledgeBase, akb: AnswerKB, u: Understanding, said: list[str]) -> list[str]:
    """The receptor fields assumed from the drugs given (``given_implies``, ``said``) that decide
    the drug asked about: those another entry reads from that drug's own class (an anti-HER2
    drug asked about on HER2 assumed from a CDK4/6 inhibitor given). Their labels."""
    applied = [g for g in akb.facts.given_implies if g.said in said]
    classes = {cl for d in u.drugs for cl in kb.drug_classes_of(d)} | set(u.classes)
    asked = {(p, v) for g in akb.facts.given_implies if classes & set(g.classes) for p, v in g.set.items()}
    # only where the drug asked about needs another value than the one assumed
    fields = [p for g in applied for p, v in g.set.items() if any(q == p and w != v for q, w in asked)]
    index = assumption_index(kb)
    return [index.label(f) or f for f in dict.fromkeys(fields)]


def depends_on_receptor(draft: Draft, labels: list[str]) -> Draft:
    """A verdict on a drug the assumed receptor decides: "depends on <receptor>", with the answer
    on the assumption after it."""
    if not labels or draft.verdict in (None, "depends"):
        return draft
    named = " and ".join(labels)
    text = f"Depends on {named} (not stated; assumed from the treatment given) - if it is as assumed: "
    text += draft.text
    return dataclasses.replace(draft, verdict="depends", verdict_text=f"Depends on {named}", text=text)
