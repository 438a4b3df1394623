"""Parsing eligibility texts for the registry, in parallel, into a compact stored form.

The registry keeps each trial's criteria twice: in full (the :class:`Criterion` list as
JSON, keyed by the hash of the eligibility text, read back only for the trials shown) and
compactly, one small tuple per criterion, ``[kind, condition id, disease, cohort]``, where
the condition id points at one row per *distinct* condition. Matching evaluates every
distinct condition once per patient and then only combines those small tuples, so its cost
and memory follow the number of distinct conditions, not the number of trials.

Workers: a process pool (``fork`` where available) whose workers load the knowledge base
and compile the trial patterns once, then parse texts and return JSON strings.
"""

from __future__ import annotations

import hashlib
import json
import multiprocessing
import os
from concurrent.futures import Executor, ProcessPoolExecutor
from typing import TYPE_CHECKING, Any

from pydantic import TypeAdapter

from mbc.trials._criteria import parse_criteria
from mbc.trials._model import Criterion

if TYPE_CHECKING:
    from collections.abc import Iterable, Sequence

    from mbc.knowledge.loader import KnowledgeBase
    from mbc.trials._patterns import TrialKnowledge

__all__ = [
    "CRITERIA",
    "ParsedText",
    "compact",
    "condition_json",
    "default_jobs",
    "parse_texts",
    "text_hash",
]

CRITERIA: TypeAdapter[tuple[Criterion, ...]] = TypeAdapter(tuple[Criterion, ...])

# A parsed text: (criteria as JSON, compact items with the condition as JSON or None).
ParsedText = tuple[str, list[list[Any]]]

_WORKER: dict[str, Any] = {}  # the worker's TrialKnowledge (set once per process)
_MIN_PARALLEL = 64  # below this many texts the pool is not worth starting


def text_hash(text: str) -> str:
    """The cache key of an eligibility text."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def default_jobs() -> int:
    """Worker processes: every core the process may use."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # pragma: no cover - not on Linux
        return max(1, os.cpu_count() or 1)


def condition_json(criterion: Criterion) -> str | None:
    """The criterion's condition as canonical JSON (the key of the condition table)."""
    if criterion.condition is None:
        return None
    data = criterion.condition.model_dump(mode="json", by_alias=True, exclude_none=True)
    return json.dumps(data, sort_keys=True, separators=(",", ":"))


def compact(criteria: Iterable[Criterion], tk: TrialKnowledge) -> list[list[Any]]:
    """``[kind (0 inclusion, 1 exclusion), condition JSON or None, disease (0/1), cohort]``."""
    disease = set(tk.lexicon.matching.disease_categories)
    return [
        [
            0 if c.kind == "inclusion" else 1,
            condition_json(c),
            1 if disease & set(c.categories) else 0,
            c.cohort,
        ]
        for c in criteria
    ]


def _parse_one(text: str, tk: TrialKnowledge) -> ParsedText:
    criteria = parse_criteria(text, tk)
    return CRITERIA.dump_json(criteria, by_alias=True, exclude_none=True).decode(), compact(criteria, tk)


def _init_worker(kb_path: str) -> None:
    from mbc.knowledge.loader import load_kb  # noqa: PLC0415 - once per worker process
    from mbc.trials._patterns import load_trial_knowledge  # noqa: PLC0415

    _WORKER["tk"] = load_trial_knowledge(load_kb(kb_path))


def _work(text: str) -> ParsedText:
    return _parse_one(text, _WORKER["tk"])


class Parser:
    """Parses batches of texts, on a process pool once a batch is large enough."""

    def __init__(self, kb: KnowledgeBase, tk: TrialKnowledge, *, jobs: int | None = None) -> None:
        self.kb = kb
        self.tk = tk
        self.jobs = default_jobs() if jobs is None else max(1, jobs)
        self._pool: Executor | None = None

    def parse(self, texts: Sequence[str]) -> list[ParsedText]:
        """Each text's criteria (JSON) and compact items, in the order given."""
        if self.jobs == 1 or len(texts) < _MIN_PARALLEL:
            return [_parse_one(t, self.tk) for t in texts]
        if self._pool is None:
            methods = multiprocessing.get_all_start_methods()
            ctx = multiprocessing.get_context("fork" if "fork" in methods else "spawn")
            self._pool = ProcessPoolExecutor(
                max_workers=self.jobs,
                mp_context=ctx,
                initializer=_init_worker,
                initargs=(str(self.kb.path),),
            )
        chunk = max(1, len(texts) // (self.jobs * 4))
        return list(self._pool.map(_work, texts, chunksize=chunk))

    def close(self) -> None:
        """Stop the workers."""
        if self._pool is not None:
            self._pool.shutdown()
            self._pool = None


def parse_texts(
    texts: Sequence[str], kb: KnowledgeBase, tk: TrialKnowledge, *, jobs: int | None = None
) -> list[ParsedText]:
    """Parse texts once (helper for callers without a registry)."""
    parser = Parser(kb, tk, jobs=jobs)
    try:
        return parser.parse(texts)
    finally:
        parser.close()
