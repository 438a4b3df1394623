"""Order safety: which safety rules apply to drugs about to be ordered, and drug lookup."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from mbc.knowledge import KnowledgeBase
from mbc.model import PatientRecord
from mbc.service.core import AppServices

__all__ = ["DrugFinding", "check_drugs", "resolve_drug"]


@dataclass(frozen=True)
class DrugFinding:
    """A safety rule that applies to drugs being ordered for this patient."""

    rule_id: str
    version: int
    title: str
    effect: str
    severity: str
    message: str
    action: str | None
    drugs: list[str]
    ordered: list[str]
    citations: list[dict[str, Any]]
    facts_used: dict[str, Any]
    needs: list[str] = field(default_factory=list)


def _ongoing_drugs(kb: KnowledgeBase, record: PatientRecord) -> list[str]:
    out: list[str] = []
    for t in record.prior_therapies or ():
        if t.end is None and t.stop_reason in (None, "ongoing"):
            for name in t.drugs:
                d = kb.lookup_drug(name)
                if d and d not in out:
                    out.append(d)
    return out


def check_drugs(
    svc: AppServices, record: PatientRecord, drug_ids: Sequence[str], *, as_of: dt.date | None = None
) -> list[DrugFinding]:
    """Evaluate the KB's active safety rules for drugs about to be ordered.

    The drug set is the ordered drugs plus the patient's ongoing therapy; a finding is
    reported only when it involves an ordered drug. The engine's own drug check
    (:func:`mbc.engine.safety.check_order`, the same applicability test and three-valued
    evaluation as its safety stage) decides; an undecidable condition is reported with the
    facts it needs.

    Args:
        svc: The services.
        record: The patient.
        drug_ids: KB drug ids being ordered.
        as_of: Date for derived facts (default: record's, else today).

    Returns:
        Findings, most severe first.
    """
    from mbc.engine import derive_facts
    from mbc.engine.safety import check_order
    from mbc.logic import Truth

    kb = svc.kb
    when = as_of or record.as_of or svc.today()
    facts = derive_facts(record, kb, when).facts
    ordered = [d for d in drug_ids if d in kb.drugs]
    out: list[DrugFinding] = []
    for found in check_order(kb, facts, ordered, _ongoing_drugs(kb, record)):
        s, applies = found.rule, found.truth is Truth.TRUE
        out.append(
            DrugFinding(
                rule_id=s.id,
                version=s.version,
                title=s.title,
                effect=s.effect if applies else "needs_data",
                severity=s.severity if applies else "info",
                message=s.message.strip(),
                action=s.action.strip() if s.action else None,
                drugs=[kb.drugs[d].name for d in found.hit],
                ordered=[kb.drugs[d].name for d in found.hit if d in ordered],
                citations=[c.model_dump(mode="json") for c in found.citations],
                facts_used=found.facts_used(),
                needs=found.needs(kb),
            )
        )
    rank = {"critical": 0, "warning": 1, "info": 2}
    effect_rank = {"contraindicated": 0, "declined": 1, "caution": 2, "needs_data": 3}
    out.sort(key=lambda f: (effect_rank.get(f.effect, 9), rank.get(f.severity, 9), f.rule_id))
    return out


def resolve_drug(svc: AppServices, *, codes: Iterable[tuple[str, str]], text: str | None) -> str | None:
    """Map an order's RxNorm code(s) or text to a KB drug id (None if unknown)."""
    kb = svc.kb
    by_rxnorm = {d.rxnorm: d.id for d in kb.drugs.values() if d.rxnorm}
    for system, code in codes:
        if "rxnorm" in system.lower() and code in by_rxnorm:
            return by_rxnorm[code]
    for candidate in (text or "",):
        d = kb.lookup_drug(candidate) if candidate else None
        if d:
            return d
        # free text such as "<Drug> 420 mg IV": try each word and word pair
        words = candidate.replace("/", " ").split()
        for n in (2, 1):
            for i in range(len(words) - n + 1):
                d = kb.lookup_drug(" ".join(words[i : i + n]))
                if d:
                    return d
    return None
