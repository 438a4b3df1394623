"""The synthetic-cohort parameters (``knowledge/synth/epidemiology.yaml``), validated."""

from __future__ import annotations

import random
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from mbc.errors import KnowledgeError, Problem
from mbc.knowledge.loader import KnowledgeBase, read_yaml

__all__ = ["Choice", "Epidemiology", "apply_choice", "load_epidemiology", "pick"]

_CFG = ConfigDict(frozen=True, extra="forbid")


class Choice(BaseModel):
    model_config = _CFG
    p: float = Field(ge=0)
    set: dict[str, Any] = Field(default_factory=dict)
    add: dict[str, str] = Field(default_factory=dict)


class Profile(BaseModel):
    model_config = _CFG
    id: str
    p: float = Field(ge=0)
    sources: list[str]
    facets: list[list[Choice]]


class WeightedN(BaseModel):
    model_config = _CFG
    p: float = Field(ge=0)
    n: int = Field(ge=1)


class Lines(BaseModel):
    model_config = _CFG
    count: list[WeightedN]
    median_months: list[float]
    last_line_ongoing: float = Field(ge=0, le=1)
    choice: dict[Literal["preferred", "other", "certain_circumstances"], float]
    diagnosis_window: tuple[str, str]
    latest_date: str


class Adjuvant(BaseModel):
    model_config = _CFG
    p: float = Field(ge=0)
    regimens: list[str]


class Source(BaseModel):
    model_config = ConfigDict(frozen=True, extra="allow")
    id: str
    cite: str


class Epidemiology(BaseModel):
    model_config = _CFG
    schema_: Literal["mbc/synth-epidemiology@1"] = Field(alias="schema")
    status: Literal["estimates"]
    sources: list[Source]
    profiles: list[Profile]
    common: list[list[Choice]]
    missing: dict[str, float]
    lines: Lines
    adjuvant: dict[str, list[Adjuvant]]


def load_epidemiology(kb: KnowledgeBase) -> Epidemiology:
    """Read and check ``synth/epidemiology.yaml`` of the knowledge base.

    Raises:
        KnowledgeError: Invalid file, unknown source id, or unknown regimen id.
    """
    path = Path(kb.path) / "synth" / "epidemiology.yaml"
    try:
        epi = Epidemiology.model_validate(read_yaml(path))
    except (OSError, ValidationError) as exc:
        raise KnowledgeError(f"{path}: {exc}") from None
    problems: list[Problem] = []
    ids = {s.id for s in epi.sources}
    for prof in epi.profiles:
        problems += [
            Problem(("profiles", prof.id), f"unknown source {s!r}") for s in prof.sources if s not in ids
        ]
    for sub, options in epi.adjuvant.items():
        for opt in options:
            problems += [Problem(("adjuvant", sub), f"unknown regimen {r!r}") for r in opt.regimens
                         if r not in kb.regimens]  # fmt: skip
    if problems:
        raise KnowledgeError(f"{path} is invalid", problems)
    return epi


def pick(rng: random.Random, items: list[Any]) -> Any:
    """One item, drawn with probability proportional to its ``p``."""
    return rng.choices(items, weights=[it.p for it in items], k=1)[0]


def _value(rng: random.Random, v: Any) -> Any:
    if isinstance(v, dict) and set(v) == {"range"}:
        lo, hi = v["range"]
        if isinstance(lo, int) and isinstance(hi, int):
            return rng.randint(lo, hi)
        return round(rng.uniform(lo, hi), 2)
    return list(v) if isinstance(v, list) else v


def apply_choice(rng: random.Random, record: dict[str, Any], choice: Choice) -> None:
    """Write a choice's ``set`` and ``add`` into a record (dotted paths)."""
    for path, v in choice.set.items():
        *parents, leaf = path.split(".")
        node = record
        for p in parents:
            node = node.setdefault(p, {})
        node[leaf] = _value(rng, v)
    for path, v in choice.add.items():
        record.setdefault(path, []).append(v)
