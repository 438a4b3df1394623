"""Helpers the stages share to make plan items: traces, JSON-ready fact values, drug
names, citations, record field names, and the per-KB caches of finished items.

The caches are held by the knowledge base (:meth:`KnowledgeBase.attached`), never by this
module: they live and die with their KB. Each holds only what a pure function of its key
returns, so it cannot change a plan (tests/engine/test_caches.py).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, TypeVar

from pydantic import BaseModel

from mbc.knowledge._index import has_room
from mbc.knowledge.conditions import Outcome
from mbc.knowledge.loader import KnowledgeBase
from mbc.model.plan import Citation, Trace

__all__ = [
    "NOT_FOUND",
    "ByIdentity",
    "ItemCache",
    "ask_of",
    "built",
    "citation",
    "citations",
    "copy_with",
    "drug_names",
    "evidence_text",
    "field_of",
    "jsonable",
    "jsonable_map",
    "known_drugs",
    "replaced",
    "shared_trace",
    "trace",
]

_M = TypeVar("_M", bound=BaseModel)


NOT_FOUND: Any = object()


class ByIdentity(dict[tuple[Any, ...], tuple[tuple[Any, ...], Any]]):
    """A per-KB memory of what a pure function made of some objects, keyed by the objects'
    identities (``id``; strings and numbers may stand in the key as they are).

    Each entry holds the objects it is keyed by, so no other live object can have their ids
    while it is remembered: a key found names the very same objects (the key's first object
    is checked as well). Bounded by :func:`~mbc.knowledge._index.has_room`.
    """

    def find(self, key: tuple[Any, ...], first: object) -> Any:
        """What is remembered under ``key`` (``NOT_FOUND`` when nothing); ``first`` is the
        object whose id leads the key."""
        hit = self.get(key)
        if hit is None or hit[0][0] is not first:
            return NOT_FOUND
        return hit[1]

    def keep(self, key: tuple[Any, ...], held: tuple[Any, ...], value: Any) -> None:
        """Remember ``value`` under ``key``, holding the objects ``held`` (those whose ids
        the key uses, the first one first), while there is room."""
        if has_room(self):
            self[key] = (held, value)


def trace(rule_id: str, version: int, outcome: Outcome | None) -> Trace:
    """The trace of a rule's outcome (facts used and missing)."""
    # a string, an int, a fresh dict of JSON-ready values and a sorted list of names: built
    # without validating them again (as every trace is, it is made on each new outcome)
    if outcome is None:
        return built(Trace, {"rule": rule_id, "version": version, "facts_used": {}, "facts_missing": []})
    return built(
        Trace,
        {
            "rule": rule_id,
            "version": version,
            "facts_used": jsonable_map(outcome.used),
            "facts_missing": sorted(outcome.missing),
        },
    )


@dataclass
class ItemCache:
    """Traces (and the items carrying them) already made, by everything they show (per
    KB). Only traces whose values are plain enough that equal means identical in JSON are
    remembered: strings, bools, ints, non-zero floats and tuples of strings."""

    traces: dict[tuple[Any, ...], Trace] = field(default_factory=dict)
    items: dict[tuple[Any, ...], Any] = field(default_factory=dict)
    # (id(outcome), rule id, version) -> (trace, its key in ``traces``)
    outcomes: ByIdentity = field(default_factory=lambda: ByIdentity())


def _trace_key(rule_id: str, version: int, outcome: Outcome) -> tuple[Any, ...] | None:
    """What a trace shows, as a hashable key; None when a value is not plain (e.g. 0.0 and
    -0.0 are equal but print differently)."""
    parts: list[tuple[str, type, Any]] = []
    used = outcome.used
    for k in sorted(used):
        v = used[k]
        t = type(v)
        plain = t is str or t is bool or t is int or v is None or (t is float and v == v and v != 0.0)
        if not (plain or (t is tuple and all(type(x) is str for x in v))):
            return None
        parts.append((k, t, v))
    return (rule_id, version, outcome.missing, tuple(parts))


def shared_trace(kb: KnowledgeBase, rule_id: str, version: int, outcome: Outcome | None) -> tuple[Trace, Any]:
    """``trace`` made once per KB for what it shows; with the key it is remembered under
    (None if it was not remembered)."""
    if outcome is None:
        return trace(rule_id, version, outcome), None
    cache = kb.attached(ItemCache)
    # outcomes are shared by patients (Recall): the same object gives the same trace
    outcome_key = (id(outcome), rule_id, version)
    seen = cache.outcomes.find(outcome_key, outcome)
    if seen is not NOT_FOUND:
        return seen  # type: ignore[no-any-return]
    key = _trace_key(rule_id, version, outcome)
    if key is None:
        return trace(rule_id, version, outcome), None
    found = cache.traces.get(key)
    if found is None:
        found = trace(rule_id, version, outcome)
        if not has_room(cache.traces):
            return found, None
        cache.traces[key] = found
    cache.outcomes.keep(outcome_key, (outcome,), (found, key))
    return found, key


def jsonable_map(d: Mapping[str, Any]) -> dict[str, Any]:
    """``jsonable`` of a mapping, with the common flat values handled inline."""
    out = {k: d[k] for k in sorted(d)}
    for k, v in out.items():
        if isinstance(v, _NESTED):
            out[k] = jsonable(v)
    return out


_NESTED = (dict, tuple, list)  # a tuple of types: much faster in isinstance than a union
_SEQUENCE = (tuple, list)


def jsonable(d: Any) -> Any:
    """A fact value as JSON shows it (sorted mappings, lists for tuples)."""
    if isinstance(d, dict):
        return {k: jsonable(v) for k, v in sorted(d.items())}
    if isinstance(d, _SEQUENCE):
        return [jsonable(v) if isinstance(v, _NESTED) else v for v in d]
    return d


def drug_names(kb: KnowledgeBase, ids: Iterable[str]) -> list[str]:
    """Display names of drug ids."""
    return [kb.drugs[d].name for d in ids]


class _DrugIds(dict[tuple[str, ...], tuple[str, ...]]):
    """Drug names as an item lists them -> the ids the vocabulary knows, in order (per KB)."""


def known_drugs(kb: KnowledgeBase, names: Sequence[str]) -> tuple[str, ...]:
    """The ids of the named drugs the vocabulary knows, in order (remembered per KB: the
    items that list them recur across patients)."""
    key = tuple(names)
    memo = kb.attached(_DrugIds)
    found = memo.get(key)
    if found is None:
        found = tuple(d for d in map(kb.lookup_drug, key) if d)
        if has_room(memo):
            memo[key] = found
    return found


def evidence_text(kb: KnowledgeBase, level: str, citation_ids: Sequence[str]) -> str:
    """``<evidence level label>: <short citations>``."""
    term = kb.term("evidence_levels", level)
    label = term.name if term else level
    shorts = ", ".join(kb.sources[c].short for c in citation_ids)
    return f"{label}: {shorts}"


def field_of(kb: KnowledgeBase, fact: str) -> str:
    """The record field(s) a fact is read from (the fact itself when not in the vocabulary)."""
    spec = kb.fact_spec(fact)
    return spec.field if spec else fact


def ask_of(kb: KnowledgeBase, fact: str) -> str:
    """How to ask for a fact ('' when not in the vocabulary)."""
    spec = kb.fact_spec(fact)
    return spec.ask if spec else ""


class _Citations(dict[str, Citation]):
    """Resolved citations of one KB, by source id (frozen, so shared)."""


def citation(kb: KnowledgeBase, cid: str) -> Citation:
    """The resolved citation for a source id (frozen, so cached and shared per KB)."""
    cache = kb.attached(_Citations)
    found = cache.get(cid)
    if found is None:
        s = kb.sources[cid]
        link = (
            f"https://doi.org/{s.doi}"
            if s.doi
            else (f"https://pubmed.ncbi.nlm.nih.gov/{s.pmid}/" if s.pmid else s.url)
        )
        found = cache[cid] = Citation(
            id=s.id, title=s.title, short=s.short, kind=s.kind, year=s.year,
            url_or_doi=link, verified=s.verified,
        )  # fmt: skip
    return found


def citations(kb: KnowledgeBase, ids: Iterable[str]) -> list[Citation]:
    """Resolved citations, each once, in order."""
    out: list[Citation] = []
    seen: set[str] = set()
    for cid in ids:
        if cid not in seen:
            seen.add(cid)
            out.append(citation(kb, cid))
    return out


_new = object.__new__
_set = object.__setattr__


def replaced(model: _M, update: Mapping[str, Any]) -> _M:
    """``model.model_copy(update=update)`` (a shallow copy with some fields replaced, not
    validated), made without the ``copy`` module: the same state, about three times
    cheaper. Models that allow extra fields or hold private attributes take pydantic's own
    path."""
    cls = type(model)
    private = getattr(model, "__pydantic_private__", None)
    if private is not None or cls.model_config.get("extra") == "allow":
        return model.model_copy(update=update)
    state = model.__dict__.copy()
    state.update(update)
    fields_set = model.__pydantic_fields_set__.copy()
    fields_set.update(update.keys())
    extra = model.__pydantic_extra__
    new = _new(cls)
    _set(new, "__dict__", state)
    _set(new, "__pydantic_extra__", None if extra is None else dict(extra))
    _set(new, "__pydantic_fields_set__", fields_set)
    _set(new, "__pydantic_private__", None)
    return new


def built(cls: type[_M], values: dict[str, Any]) -> _M:
    """``cls(**values)`` for values the engine already made valid (validated items, built
    strings and lists), without validating them again: the same state (fields in their
    order, defaults for those not given, the given ones as set), about five times cheaper.

    Raises:
        TypeError: A required field is not given, or an unknown one is.
    """
    if not values.keys() <= cls.__pydantic_fields__.keys():
        msg = f"{cls.__name__} has no field {sorted(values.keys() - cls.__pydantic_fields__.keys())}"
        raise TypeError(msg)
    state: dict[str, Any] = {}
    for name, info in cls.__pydantic_fields__.items():
        if name in values:
            state[name] = values[name]
        elif info.default_factory is not None:
            state[name] = info.default_factory()  # type: ignore[call-arg]
        elif info.is_required():
            msg = f"{cls.__name__}: {name} is required"
            raise TypeError(msg)
        else:
            state[name] = info.default
    new = _new(cls)
    _set(new, "__dict__", state)
    _set(new, "__pydantic_extra__", None)
    _set(new, "__pydantic_fields_set__", set(values))
    _set(new, "__pydantic_private__", None)
    return new


class _Copies(ByIdentity):
    """Model copies with one field replaced, made once per KB (see :func:`copy_with`)."""


def copy_with(kb: KnowledgeBase, model: _M, name: str, values: list[Any]) -> _M:
    """``model.model_copy(update={name: values})``, made once per KB for the same model
    object and the same values (strings by value, other items by identity)."""
    cache = kb.attached(_Copies)
    key = (id(model), name, *(v if type(v) is str else id(v) for v in values))
    found = cache.find(key, model)
    if found is NOT_FOUND:
        found = replaced(model, {name: values})
        cache.keep(key, (model, values), found)
    return found  # type: ignore[no-any-return]
