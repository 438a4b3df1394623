"""Dose lint of ``mbc kb lint`` (session 12, review S5): a safety caution that names a reduced
dose of a drug ("olaparib 100 mg twice daily", "Ribociclib 400 mg for moderate ...") must be
matched by an adjustment of that drug's dose entry (its own, or a ``dose_percent`` of a safety
rule merged into it) giving that amount, or by an explicit waiver in the dose files
(``waivers``: safety id, drug, reason). So the computed dose can never silently contradict
the caution shown beside it.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

from mbc.knowledge.conditions import iter_fact_tests
from mbc.knowledge.lint import LintIssue

if TYPE_CHECKING:
    from mbc.knowledge.doses import DoseEntry, DoseTables
    from mbc.knowledge.loader import KnowledgeBase

__all__ = ["caution_dose_issues"]

_TOLERANCE = 0.02  # a factor written to two decimals (0.33 for a third) still matches


def _facts(cond: Any) -> set[str]:
    return {t.fact for t in iter_fact_tests(cond)}


def _amounts(e: DoseEntry, tables: DoseTables, facts: set[str]) -> set[float]:
    """Every amount the entry's adjustments on one of ``facts`` can give (a factor also as
    whole units): the adjustment must answer the same condition as the caution."""
    from mbc.knowledge.doses import whole_units  # noqa: PLC0415 - lint only

    out: set[float] = set()
    for a in e.adjustments:
        if not _facts(a.when) & facts:
            continue
        if a.effect == "dose" and a.amount is not None:
            out.add(a.amount)
        elif a.effect == "factor" and a.factor is not None:
            raw = e.amount * a.factor
            out.add(raw)
            if e.strengths:
                units = whole_units(
                    raw,
                    e.strengths,
                    most=int(tables.param("oral_dose_units_max")),
                    over=tables.param("oral_dose_round_up_fraction"),
                )
                if units is not None:
                    out.add(units)
    return out


def _named_doses(text: str, name: str) -> list[float]:
    """The mg amounts the text gives right after the drug's name ("olaparib 100 mg",
    "ribociclib at 200 mg"); mg/m2 and mg/kg are not flat doses and are left out."""
    rx = re.compile(rf"\b{re.escape(name)}\s+(?:at\s+)?(\d+(?:\.\d+)?)\s*mg\b(?!\s*/)", re.IGNORECASE)
    return [float(m.group(1)) for m in rx.finditer(text)]


def caution_dose_issues(kb: KnowledgeBase, tables: DoseTables) -> Iterator[LintIssue]:
    waived = {(w.safety, w.drug) for w in tables.waivers}
    for s in kb.active_safety:
        if s.when is None or s.effect != "caution":
            continue
        text = f"{s.message} {s.action or ''}"
        drugs = set(s.drugs) | {d for d in kb.drugs if kb.drug_classes_of(d) & set(s.classes)}
        for d in sorted(drugs):
            entries = [e for e in tables.entries if e.drug == d]
            if not entries or (s.id, d) in waived:
                continue
            flat = [e.amount for e in entries if e.unit == "mg"]
            if not flat:
                continue
            usual = max(flat)
            for x in _named_doses(text, kb.drugs[d].name):
                if x >= usual:
                    continue  # not a reduction (or a schedule change at the same amount)
                given = {a for e in entries if e.unit == "mg" for a in _amounts(e, tables, _facts(s.when))}
                if not any(abs(a - x) <= x * _TOLERANCE for a in given):
                    yield LintIssue(
                        "error",
                        f"safety {s.id}",
                        f"names a reduced dose of {d} ({x:g} mg) that no dose adjustment gives "
                        "(add it to knowledge/doses, or a waiver with the reason)",
                    )
