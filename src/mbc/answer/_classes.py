"""The drug classes a question asks about, closed upwards (session 8): a class asked about
("an anthracycline") also stands for every class all its drugs share ("chemotherapy"), so that a
safety check written for the wider class (no chemotherapy in the first trimester) holds for it."""

from __future__ import annotations

from collections.abc import Iterable

from mbc.knowledge.loader import KnowledgeBase

__all__ = ["asked_classes"]


def asked_classes(kb: KnowledgeBase, drugs: Iterable[str], classes: Iterable[str]) -> set[str]:
    """The classes of the drugs asked about, the classes asked about, and the classes every drug
    of an asked class belongs to."""
    out = {cl for d in drugs for cl in kb.drug_classes_of(d)}
    for cl in classes:
        out.add(cl)
        members = [set(kb.drug_classes_of(d)) for d in kb.drugs if cl in kb.drug_classes_of(d)]
        if members:
            out |= set.intersection(*members)
    return out
