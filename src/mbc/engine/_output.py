"""The plan's summary fields made from the facts: the classification, and the facts shown
in the trace (without the hundreds of FALSE per-class / per-drug flags)."""

from __future__ import annotations

import itertools
import operator
from typing import Any

from mbc.knowledge.loader import KnowledgeBase
from mbc.model.plan import Classification

__all__ = ["classification", "shown_facts"]


def classification(facts: dict[str, Any]) -> Classification:
    cps = facts.get("pdl1_cps")
    vc = facts.get("visceral_crisis")
    lines = facts.get("prior.metastatic_lines")
    return Classification(
        subtype=facts.get("subtype", "unknown"),
        hr_status=facts.get("hr_status", "unknown"),
        her2_category=facts.get("her2_category", "unknown"),
        endocrine_resistance=facts.get("endocrine_resistance", "unknown"),
        line=facts.get("line.metastatic", facts.get("line")),
        treated_as=facts.get("line.treated_as"),
        er_status=facts.get("er_status", "unknown"),
        pr_status=facts.get("pr_status", "unknown"),
        pdl1=f"CPS {cps:g} (22C3)" if isinstance(cps, int | float) else "unknown",
        menopausal_status=facts.get("menopausal_status", "male" if facts.get("sex") == "male" else "unknown"),
        visceral_crisis=vc if isinstance(vc, bool) else None,
        prior_metastatic_lines=lines if isinstance(lines, int) else None,
    )


_ALWAYS_SHOWN = ("relapse.", "brain.", "germline.brca")


class _Shown(dict[str, bool]):
    """Fact name -> whether it is shown even when FALSE (filled on first use: a pure
    function of the name)."""

    def __missing__(self, key: str) -> bool:
        shown = self[key] = "." not in key or key.startswith(_ALWAYS_SHOWN)
        return shown


def shown_facts(facts: dict[str, Any], kb: KnowledgeBase) -> dict[str, Any]:
    """Facts for the trace, without the hundreds of false per-class/per-drug flags."""
    shown = kb.attached(_Shown)
    hidden = kb.attached(_Hidden)
    # kept: not FALSE, or shown even when FALSE, and not hidden (the loops run in C: hundreds of flags)
    keep = map(
        operator.and_,
        map(operator.or_, map(operator.is_not, facts.values(), _FALSES), map(shown.__getitem__, facts)),
        map(operator.not_, map(hidden.__getitem__, facts)),
    )
    out = dict(itertools.compress(facts.items(), keep))
    for k, v in out.items():
        if isinstance(v, tuple):
            out[k] = list(v)
    return out


_FALSES = itertools.repeat(False)

# Facts the trace leaves out: derived for trial criteria (which show them in their own
# facts used) and for rules that test them (shown in that rule's facts used).
_NOT_TRACED = ("progression_months.", "relapse_months_from_")


class _Hidden(dict[str, bool]):
    """Fact name -> whether the trace leaves it out (filled on first use)."""

    def __missing__(self, key: str) -> bool:
        hidden = self[key] = key.startswith(_NOT_TRACED)
        return hidden
