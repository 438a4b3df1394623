"""Write a synthetic cohort (NDJSON) and its ground truth, on all cores, streaming."""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import asdict
from pathlib import Path
from typing import IO, Any

from mbc.cohort._epi import load_epidemiology
from mbc.cohort.local import chunks, run_pool
from mbc.cohort.synth import Synthesizer
from mbc.knowledge.loader import load_kb

__all__ = ["write_cohort"]

_STATE: dict[str, Synthesizer] = {}


def _init(kb_path: str | None, seed: int, discordance: float) -> None:
    kb = load_kb(kb_path)
    _STATE["synth"] = Synthesizer(kb, load_epidemiology(kb), seed=seed, discordance=discordance)


def _work(indexes: list[int]) -> tuple[list[str], list[str]]:
    synth = _STATE["synth"]
    records: list[str] = []
    truth: list[str] = []
    for i in indexes:
        rec, rows = synth.record(i)
        records.append(json.dumps(rec, separators=(",", ":")))
        truth += [json.dumps(asdict(r), separators=(",", ":")) for r in rows]
    return records, truth


def write_cohort(
    n: int, *, seed: int, out: IO[str], truth: IO[str] | None = None, discordance: float = 0.0,
    jobs: int = 1, kb_path: str | None = None, chunk_size: int = 200,
) -> int:  # fmt: skip
    """Write ``n`` records (NDJSON) to ``out`` and, when given, the ground truth to ``truth``.

    Returns:
        The number of metastatic lines with an injected discordance.
    """
    injected = 0
    batches: Iterator[list[int]] = chunks(range(n), chunk_size)
    for records, rows in run_pool(_work, batches, jobs=jobs, initializer=_init,
                                  initargs=(kb_path, seed, discordance)):  # fmt: skip
        out.write("\n".join(records) + "\n")
        if truth is not None and rows:
            truth.write("\n".join(rows) + "\n")
        injected += sum('"injected":true' in r for r in rows)
    return injected


def read_truth(path: str | Path) -> list[dict[str, Any]]:
    """The ground-truth rows of a synthetic cohort."""
    with Path(path).open(encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]
