"""Rulings (``knowledge/answer/rulings.yaml``): a management situation no treatment rule decides."""

from __future__ import annotations

import re
from typing import Any

from mbc.answer._clinician import Draft
from mbc.answer._model import Citer
from mbc.logic import Truth

__all__ = ["find_ruling", "ruled"]

# the clinician draft's point naming the rest of a regimen it said "yes" to (``_clinician``)
_REGIMEN_PART = "Add: "


def find_ruling(akb: Any, intent: str, text: str, facts: Any) -> Any:
    """The first ruling of ``knowledge/answer/rulings.yaml`` that matches the question and whose
    ``when`` the plan's facts do not rule out (an unknown fact does not). Its ``unless`` is tested on the
    question without the clauses about a relative (``relative_clause``)."""
    rel = akb.rulings.relative_clause
    own = re.sub(rel, " ", text, flags=re.IGNORECASE) if rel else text  # session 11: no relative's facts
    for r in akb.rulings.rulings:
        if intent not in r.intents or (r.when is not None and r.when.truth(facts) is Truth.FALSE):
            continue
        if all(re.search(p, text, re.IGNORECASE) for p in r.all) and not any(
            re.search(p, own, re.IGNORECASE) for p in r.unless
        ):
            return r
    return None


def ruled(clin: Draft, ruling: Any, citer: Citer) -> Draft:
    """The clinician answer a ruling gives. Session 11: the ruling replaces the verdict, so a point that
    completes the regimen of the replaced "yes" ("Add: <partner> (part of this regimen)") goes with it - it
    answered a question the ruling no longer answers (a DPYD-testing "yes" listed a partner of a regimen)."""
    kept = [p for p in clin.points if not p.startswith(_REGIMEN_PART)]
    return Draft(text=ruling.text + citer.ref(ruling.citations), points=kept[:4], verdict=ruling.verdict,
                 verdict_text=ruling.text.split(" - ")[0], follow_up=clin.follow_up)  # fmt: skip
