"""The plan's summary fields made from the facts: the classification, and the facts shown
in the trace (without the hundreds of FALSE per-class / per-drug flags)."""

from __future__ import annotations

from collections.abc import Iterable
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


class _Traced(dict[str, int]):
    """Fact name -> 0 when the trace leaves it out (its fact is ``traced: false`` in
    knowledge/vocab/facts.yaml), 1 when it is shown unless FALSE, 2 when it is shown even
    when FALSE (a pure function of the name and the KB, per KB). A plain ``dict`` lookup
    (the comprehension's subscript is specialised for exact dicts): :meth:`fill` adds the
    names a plan brings that are not known yet."""

    def __init__(self, untraced: tuple[tuple[str, str | None], ...]) -> None:
        super().__init__()
        self.untraced = untraced  # (fact id, None) or (id before "{", id after "}")
        self.codes: dict[str, int] = {}

    def __missing__(self, key: str) -> int:
        if any(key == head if tail is None else _in_family(key, head, tail) for head, tail in self.untraced):
            code = 0
        elif "." not in key or key.startswith(_ALWAYS_SHOWN):
            code = 2
        else:
            code = 1
        self[key] = self.codes[key] = code
        return code

    def fill(self, names: Iterable[str]) -> None:
        for name in names:
            self[name]  # noqa: B018 - fills both maps


def _in_family(key: str, head: str, tail: str) -> bool:
    return len(key) > len(head) + len(tail) and key.startswith(head) and key.endswith(tail)


def _traced(kb: KnowledgeBase) -> _Traced:
    untraced = []
    for f in kb.facts:
        if not f.traced:
            head, brace, rest = f.id.partition("{")
            untraced.append((head, rest.partition("}")[2]) if brace else (f.id, None))
    return _Traced(tuple(untraced))


def shown_facts(facts: dict[str, Any], kb: KnowledgeBase) -> dict[str, Any]:
    """Facts for the trace, without the hundreds of false per-class/per-drug flags and
    without the facts the KB does not trace."""
    traced = kb.attached(_Traced, lambda: _traced(kb))
    try:
        return _kept(facts, traced.codes)
    except KeyError:  # a name not seen yet: add every new one, then keep as above
        traced.fill(facts)
        return _kept(facts, traced.codes)


def _kept(facts: dict[str, Any], codes: dict[str, int]) -> dict[str, Any]:
    # a fact is kept when its code is above (value is FALSE): 2 always, 1 unless FALSE
    return {k: list(v) if isinstance(v, tuple) else v for k, v in facts.items() if codes[k] > (v is False)}
