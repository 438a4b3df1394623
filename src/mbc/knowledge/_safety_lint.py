"""Safety-completeness checks of ``mbc kb lint`` (issue 9).

- Every systemic anticancer drug has hepatic and renal entries (an explicit
  ``no_adjustment`` statement counts); a drug without a cardiac, pregnancy or interaction
  entry is a warning.
- One severity model: a caution whose message tells the reader to avoid the drug, not to
  use / give it, or calls it contraindicated is an error (it must be ``contraindicated``).
- ``no_adjustment`` statements carry no condition and no dose; ``dose_percent`` belongs to
  cautions only.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import TYPE_CHECKING

from mbc.knowledge.lint import LintIssue

if TYPE_CHECKING:
    from mbc.knowledge.loader import KnowledgeBase
    from mbc.knowledge.schema import SafetyRule

__all__ = ["organ_coverage", "safety_issues"]

# Words that say "contraindicated" (the severity model: such a finding is not a caution).
_FORBIDDING = re.compile(
    r"\b(avoid|do not (use|give|start|combine)|must not|should not be (used|given)|contraindicated)\b",
    re.IGNORECASE,
)
_REQUIRED_ORGANS = ("hepatic", "renal")
_REPORTED_ORGANS = ("cardiac", "pregnancy", "interaction")


def _hits(kb: KnowledgeBase, s: SafetyRule, drug_id: str) -> bool:
    if drug_id in s.drugs or drug_id in s.combination:
        return True
    classes = kb.drug_classes_of(drug_id)
    return bool(classes & set(s.classes)) or bool(classes & set(s.combination))


def organ_coverage(kb: KnowledgeBase) -> dict[str, set[str]]:
    """Systemic drug id -> the organs (hepatic, renal, cardiac, ...) its safety data covers."""
    out: dict[str, set[str]] = {}
    for drug in kb.drugs.values():
        if not drug.cancer_drug:
            continue
        out[drug.id] = {
            s.organ for s in kb.safety if s.organ and s.status == "active" and _hits(kb, s, drug.id)
        }
    return out


def safety_issues(kb: KnowledgeBase) -> Iterator[LintIssue]:
    """The issue-9 checks over the safety rules."""
    for drug_id, organs in sorted(organ_coverage(kb).items()):
        for organ in _REQUIRED_ORGANS:
            if organ not in organs:
                yield LintIssue(
                    "error",
                    f"drug {drug_id}",
                    f"systemic drug without a {organ} safety entry (add a limit from the label, "
                    "or an explicit effect: no_adjustment statement)",
                )
        for organ in _REPORTED_ORGANS:
            if organ not in organs:
                yield LintIssue("warning", f"drug {drug_id}", f"no {organ} safety entry")
    for s in kb.safety:
        where = f"safety {s.id} ({kb.files.get(s.id, '?')})"
        if s.effect == "caution" and _FORBIDDING.search(s.message):
            yield LintIssue(
                "error",
                where,
                "the message says the drug must not be used, but the effect is caution "
                "(make it contraindicated, or word the message as a caution)",
            )
        if s.effect == "no_adjustment" and (s.when is not None or s.dose_percent is not None):
            yield LintIssue("error", where, "a no_adjustment statement takes no condition and no dose")
        if s.dose_percent is not None and s.effect != "caution":
            yield LintIssue("error", where, "dose_percent belongs to a caution")
