"""Regulator indications table (``knowledge/labels/indications.yaml``, ``mbc/indications@1``).

Each row is one FDA or EMA indication in metastatic breast cancer with the rules that offer
it. The engine uses it to make label-based options follow the plan's region
(:mod:`mbc.engine._region`); ``tests/knowledge/test_indications.py`` checks every row maps to
an active rule in its region.

.. versionadded:: 0.2.0
"""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import Field, ValidationError

from mbc.errors import KnowledgeError, Problem
from mbc.knowledge.loader import KnowledgeBase, read_yaml
from mbc.knowledge.schema import StrictModel

__all__ = ["REGION_OF", "Indication", "IndicationsFile", "load_indications"]


#: The plan region each regulator's labels apply to.
REGION_OF = {"FDA": "US", "EMA": "EU"}


class Indication(StrictModel):
    """One regulator's indication and the rules that offer it."""

    id: str
    regulator: Literal["FDA", "EMA"]
    status: Literal["approved", "withdrawn"] = "approved"
    exclusive: bool = Field(
        False,
        description="The other regulator has no such indication "
        "(the option is shown there as certain circumstances).",
    )
    drugs: tuple[str, ...] = Field(min_length=1, description="Drug ids the indication names.")
    indication: str = Field(description="Paraphrased summary of the labelled indication.")
    citations: tuple[str, ...] = Field(min_length=1)
    rules: tuple[str, ...] = Field(min_length=1, description="Rule ids that offer (or, withdrawn, avoid) it.")

    @property
    def region(self) -> str:
        """``US`` or ``EU``."""
        return REGION_OF[self.regulator]


class IndicationsFile(StrictModel):
    schema_: Literal["mbc/indications@1"] = Field(alias="schema")
    indications: tuple[Indication, ...]


_CACHE: dict[tuple[Path, bool], tuple[Indication, ...]] = {}


def load_indications(kb: KnowledgeBase, *, strict: bool = False) -> tuple[Indication, ...]:
    """Load ``kb.path / "labels" / "indications.yaml"`` (empty when absent; cached per path).

    Args:
        kb: The knowledge base.
        strict: Also fail on a row naming a drug, rule or citation the KB lacks (``kb lint``
            and the tests); otherwise such rows are left out (a KB assembled from parts, e.g.
            a test fixture, still plans).

    Raises:
        KnowledgeError: For an invalid file, or (strict) an unknown drug, rule or citation.
    """
    path = Path(kb.path) / "labels" / "indications.yaml"
    cached = _CACHE.get((path, strict))
    if cached is not None:
        return cached
    if not path.is_file():
        return ()
    try:
        doc = IndicationsFile.model_validate(read_yaml(path))
    except ValidationError as exc:
        problems = [
            Problem(("labels/indications.yaml", *map(str, e["loc"])), e["msg"], e["type"])
            for e in exc.errors(include_url=False)
        ]
        raise KnowledgeError(f"{path} is invalid", problems) from None
    rules = {r.id for r in kb.rules}
    problems = []
    kept = []
    for i, row in enumerate(doc.indications):
        where = ("labels/indications.yaml", "indications", str(i))
        before = len(problems)
        problems += [
            Problem(where, f"unknown drug {d!r}", "unresolved") for d in row.drugs if d not in kb.drugs
        ]
        problems += [Problem(where, f"unknown rule {r!r}", "unresolved") for r in row.rules if r not in rules]
        problems += [
            Problem(where, f"unknown citation {c!r}", "unresolved")
            for c in row.citations
            if c not in kb.sources
        ]
        if len(problems) == before:
            kept.append(row)
    if problems and strict:
        raise KnowledgeError(f"{path} has unresolved references", problems)
    found = tuple(kept)
    _CACHE[(path, strict)] = found
    return found
