"""A yes/no question that names alternatives ("<drug A> or <drug B>?", "<drug A> +
<drug B> vs <drug C> + <drug D>?"): each alternative is judged on its own, and the
answer leads with the best-placed one (session 6). Drugs joined by "+", "with" or "/" stay one
regimen; only "or", "vs" and "versus" separate alternatives."""

from __future__ import annotations

import dataclasses
import re
from typing import Any

from mbc.answer._clinician import Draft, appropriate
from mbc.answer._model import Citer
from mbc.answer._schema import AnswerKB
from mbc.answer._understand import Understanding
from mbc.knowledge.loader import KnowledgeBase

__all__ = ["answer_alternatives"]

_OR = re.compile(r"\s*,?\s*(?:or|vs\.?|versus)\s+(?:(?:a|an|the|with)\s+)?", re.IGNORECASE)
# session 7: "is <drug A> fine as the partner or must it be <drug B>?": a few words around the
# "or" (no drug joined to either side by "+", "with", "and" or "/")
# session 10: also a verb after the "or" ("..., or try <drug B>?", "..., or is <drug B> better?", "or should
# we go to <drug B>?")
# session 11: and a deferral before that verb ("..., or should we hold it and give <drug B> first?"): its
# "and" joins two verbs, not two drugs
_DEFER_WORDS = (
    r"\b(?:hold|wait|pause|defer|save)(?:\s+(?:it|off|on it|that|back|for now))*\s+(?:and(?:\s+then)?|then)\b"
)
_OR_WORDS = re.compile(
    r"[^+/.;?]{0,40}?\b(?:or|vs\.?|versus|rather than|instead of)\b"
    r"(?:\s+(?:must|should|would|could|does|do|is|can|shall|will)"
    r"(?:\s+(?:it|she|he|we|they|that|this|you|I))?)?"
    rf"(?:\s+{_DEFER_WORDS})?"
    r"(?:\s+(?:be|have|get|need|use|take|try|give|start|go (?:to|with|for|on)|switch to|move to|consider|add|"
    r"offer|pick|choose|prefer|just|to|do))*"
    r"\s+(?:(?:a|an|the|with)\s+)?",
    re.IGNORECASE,
)
_DEFER = re.compile(_DEFER_WORDS, re.IGNORECASE)
_RANK = {"yes": 0, "certain_circumstances": 1, "depends": 2, "no": 3, None: 4}


def _segments(u: Understanding) -> list[list[str]]:
    asked = [m for m in u.mentions if m.kind == "drug" and m.id in u.drugs and not m.prior and not m.negated]
    out: list[list[Any]] = []
    for m in sorted(asked, key=lambda x: x.start):
        between = u.question[out[-1][-1].end : m.start] if out else ""
        if (
            not out
            or _OR.fullmatch(between) is not None
            or (
                _OR_WORDS.fullmatch(between) is not None
                and not re.search(r"\b(?:and|with|plus)\b", _DEFER.sub(" ", between), re.IGNORECASE)
            )
        ):
            out.append([m])
        else:  # anything but "or" / "vs" between two drugs asked keeps them one regimen
            out[-1].append(m)
    return [list(dict.fromkeys(m.id for m in seg)) for seg in out]


def _or_classes(u: Understanding) -> list[str]:
    """Session 13: a drug class asked as the alternative to a drug named before it ("can I get <drug> or do
    I have to do chemo first?"): the class is another choice, not a partner of the drug."""
    drugs = [m for m in u.mentions if m.kind == "drug" and m.id in u.drugs and not m.prior and not m.negated]
    out = []
    for m in u.mentions:
        if m.kind != "class" or m.id not in u.classes or m.prior or m.negated:
            continue
        before = [d for d in drugs if d.end <= m.start]
        between = u.question[before[-1].end : m.start] if before else ""
        # "or" / "vs" offers the class as a choice; "instead of <class>" names the comparator only
        if before and _OR_WORDS.fullmatch(between) and re.search(r"\b(?:or|vs\.?|versus)\b", between, re.I):
            out.append(m.id)
    return list(dict.fromkeys(out))


def answer_alternatives(
    kb: KnowledgeBase, akb: AnswerKB, plan: Any, u: Understanding, c: Citer
) -> Draft | None:
    """The answer to "X or Y?" when the question names two or more alternatives, else None."""
    alt = _or_classes(u) if u.drugs else []
    if len(u.drugs) < 2 and not alt:
        return None
    segments: list[tuple[list[str], list[str]]]
    if alt:  # the drugs asked (with any class not offered as the alternative), then each class alternative
        segments = [(list(u.drugs), [x for x in u.classes if x not in alt]), *(([], [x]) for x in alt)]
    else:
        segments = [(seg, []) for seg in _segments(u)]
        if len(segments) < 2 or sum(len(s) for s, _ in segments) != len(u.drugs):
            return None

    def name(seg: list[str], cls: list[str]) -> str:
        return " + ".join([*(kb.drugs[d].name for d in seg), *(kb.drug_classes[x].name for x in cls)])

    judged = []
    for seg, cls in segments:
        draft = appropriate(kb, akb, plan, dataclasses.replace(u, drugs=seg, classes=cls), c)
        judged.append((_RANK.get(draft.verdict, 4), (seg, cls), draft))
    judged.sort(key=lambda j: j[0])
    best = judged[0][2]
    names = [name(*sc) for _, sc, _ in judged]
    others = [f"{name(*sc)}: {d.verdict_text}" for _, sc, d in judged[1:]]
    return dataclasses.replace(
        best,
        text=f"Of {' or '.join(names)}: {best.text}",
        points=[*others, *best.points],
    )
