"""Session 12: the key check of a drug offered (``knowledge/answer/monitoring.yaml`` ``key``), named in
treatment answers and in depends / certain-circumstances verdicts (hyperglycaemia on a PI3K / AKT
inhibitor, ILD on a deruxtecan ADC, LVEF on HER2 antibodies ...)."""

from __future__ import annotations

from mbc.answer._model import Citer
from mbc.answer._schema import AnswerKB
from mbc.knowledge import KnowledgeBase

__all__ = ["key_checks"]


def key_checks(kb: KnowledgeBase, akb: AnswerKB, drugs: list[str], c: Citer, limit: int = 2) -> list[str]:
    """The key check of each drug named (names or ids), at most ``limit`` lines ("Check with alpelisib:
    fasting glucose and HbA1c ...")."""
    out: list[str] = []
    seen: set[str] = set()
    for drug in dict.fromkeys(drugs):
        did = kb.lookup_drug(drug) or drug
        classes = kb.drug_classes_of(did) if did in kb.drugs else set()
        for m in akb.monitoring.entries:
            if m.key and m.id not in seen and (did in m.drugs or classes & set(m.classes)):
                seen.add(m.id)
                name = kb.drugs[did].name if did in kb.drugs else did
                out.append(f"Check with {name}: {m.key}{c.ref(m.citations[:1])}")
                break
    return out[:limit]
