"""The local trial registry: SQLite (stdlib ``sqlite3``) with an FTS5 full-text index.

One row per trial: the record as JSON (parsed criteria included, with the fingerprint of
the patterns that produced them), plus columns for status, phases and last update, and
an FTS5 table over title, conditions and eligibility text. A registry can live in memory
(built from a directory of records) or in a file (``mbc trials load DIR --db PATH``).
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
from pathlib import Path
from typing import TYPE_CHECKING

from pydantic import TypeAdapter

from mbc.errors import TrialSourceError
from mbc.knowledge.loader import KnowledgeBase, load_kb
from mbc.trials._criteria import parse_criteria, parse_trial, remember
from mbc.trials._model import Criterion, Trial
from mbc.trials._patterns import TrialKnowledge, load_trial_knowledge
from mbc.trials._sources import read_path

if TYPE_CHECKING:
    from collections.abc import Iterable, Iterator

__all__ = ["Registry", "load_registry"]

_SCHEMA = """
CREATE TABLE IF NOT EXISTS trials (
    nct_id TEXT PRIMARY KEY,
    status TEXT,
    phases TEXT,
    last_update TEXT,
    parsed_with TEXT,
    record TEXT NOT NULL
);
CREATE VIRTUAL TABLE IF NOT EXISTS trials_fts USING fts5(
    nct_id UNINDEXED, title, conditions, eligibility, tokenize='porter unicode61'
);
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT);
CREATE TABLE IF NOT EXISTS parsed (
    text_hash TEXT NOT NULL,
    parsed_with TEXT NOT NULL,
    criteria TEXT NOT NULL,
    PRIMARY KEY (text_hash, parsed_with)
);
"""
# `parsed` caches the criteria of each distinct eligibility text (sha256) per pattern
# fingerprint: re-loading a registry, or many records sharing a text, parse it once.

_CRITERIA: TypeAdapter[tuple[Criterion, ...]] = TypeAdapter(tuple[Criterion, ...])


def text_hash(text: str) -> str:
    """The cache key of an eligibility text."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


_SQLITE_MAGIC = b"SQLite format 3\x00"


class Registry:
    """A store of trials with full-text search.

    Use :func:`load_registry` to open one; ``Registry(":memory:")`` is an empty store.
    """

    def __init__(self, db: str | Path = ":memory:", *, kb: KnowledgeBase | None = None) -> None:
        self.path = str(db)
        self._kb = kb
        self._con = sqlite3.connect(self.path)
        self._con.executescript(_SCHEMA)
        self._stored: set[tuple[str, str]] = set()  # (text hash, fingerprint) rows of `parsed`

    # ---------------------------------------------------------------- writing
    def add(self, trials: Iterable[Trial]) -> int:
        """Insert or replace trials (criteria parsed first). Returns how many."""
        tk = load_trial_knowledge(self.kb)
        n = 0
        with self._con:
            for trial in trials:
                t = parse_trial(trial, tk, text_criteria=self._cached_criteria(trial, tk))
                self._con.execute("DELETE FROM trials_fts WHERE nct_id = ?", (t.nct_id,))
                self._con.execute(
                    "INSERT OR REPLACE INTO trials VALUES (?, ?, ?, ?, ?, ?)",
                    (
                        t.nct_id,
                        t.status,
                        ",".join(t.phases),
                        t.last_update.isoformat() if t.last_update else None,
                        t.parsed_with,
                        t.model_dump_json(by_alias=True, exclude_none=True),
                    ),
                )
                self._con.execute(
                    "INSERT INTO trials_fts VALUES (?, ?, ?, ?)",
                    (t.nct_id, t.title, " ; ".join(t.conditions), t.eligibility_text),
                )
                n += 1
        return n

    def _cached_criteria(self, trial: Trial, tk: TrialKnowledge) -> tuple[Criterion, ...] | None:
        """The parsed criteria of the trial's eligibility text: from this process's memo,
        else from the `parsed` table, else parsed now; always kept in the table. None when
        the trial is already parsed with these patterns."""
        if trial.criteria is not None and trial.parsed_with == tk.fingerprint:
            return None
        key = (text_hash(trial.eligibility_text), tk.fingerprint)
        remembered = tk.memo.get(trial.eligibility_text)
        if key in self._stored and remembered is not None:
            return tuple(remembered)
        row = self._con.execute(
            "SELECT criteria FROM parsed WHERE text_hash = ? AND parsed_with = ?", key
        ).fetchone()
        if row is not None:
            self._stored.add(key)
            if remembered is not None:
                return tuple(remembered)
            cached = _CRITERIA.validate_json(row[0])
            remember(tk, trial.eligibility_text, cached)
            return cached
        criteria = tuple(remembered) if remembered is not None else parse_criteria(trial.eligibility_text, tk)
        self._con.execute(
            "INSERT OR REPLACE INTO parsed VALUES (?, ?, ?)",
            (*key, _CRITERIA.dump_json(criteria, by_alias=True, exclude_none=True).decode()),
        )
        self._stored.add(key)
        return criteria

    def load_dir(self, path: str | Path) -> int:
        """Add every record found under a directory (or in one file)."""
        return self.add(read_path(path))

    def set_meta(self, key: str, value: str) -> None:
        """Store a bookkeeping value (e.g. the sync resume token)."""
        with self._con:
            self._con.execute("INSERT OR REPLACE INTO meta VALUES (?, ?)", (key, value))

    def get_meta(self, key: str) -> str | None:
        """A bookkeeping value, or None."""
        row = self._con.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
        return None if row is None else str(row[0])

    # ---------------------------------------------------------------- reading
    @property
    def kb(self) -> KnowledgeBase:
        """The knowledge base whose patterns parse the criteria."""
        if self._kb is None:
            self._kb = load_kb()
        return self._kb

    def __len__(self) -> int:
        return int(self._con.execute("SELECT count(*) FROM trials").fetchone()[0])

    def __iter__(self) -> Iterator[Trial]:
        return iter(self.trials())

    def trials(self) -> list[Trial]:
        """Every trial, by NCT id, with criteria parsed by the current patterns."""
        rows = self._con.execute("SELECT record FROM trials ORDER BY nct_id").fetchall()
        return self._parsed([Trial.model_validate_json(r[0]) for r in rows])

    def get(self, nct_id: str) -> Trial | None:
        """One trial by NCT id, or None."""
        row = self._con.execute("SELECT record FROM trials WHERE nct_id = ?", (nct_id,)).fetchone()
        return None if row is None else self._parsed([Trial.model_validate_json(row[0])])[0]

    def search(self, query: str, *, limit: int = 50) -> list[tuple[str, float]]:
        """Full-text search (FTS5 syntax, BM25 rank); ``[(nct_id, rank)]``, best first."""
        try:
            rows = self._con.execute(
                "SELECT nct_id, bm25(trials_fts) FROM trials_fts WHERE trials_fts MATCH ? "
                "ORDER BY bm25(trials_fts) LIMIT ?",
                (query, limit),
            ).fetchall()
        except sqlite3.OperationalError as exc:
            raise TrialSourceError(f"bad search query {query!r}: {exc}") from exc
        return [(str(r[0]), float(r[1])) for r in rows]

    def close(self) -> None:
        """Close the database."""
        self._con.close()

    def _parsed(self, trials: list[Trial]) -> list[Trial]:
        tk = load_trial_knowledge(self.kb)
        stale = [t for t in trials if t.parsed_with != tk.fingerprint]
        if stale:  # patterns changed since the store was written: re-parse and save
            self.add(stale)
        return [parse_trial(t, tk) for t in trials]


def load_registry(path: str | Path, *, kb: KnowledgeBase | None = None) -> Registry:
    """Open a registry: an existing SQLite database, or a directory / file of records
    (read into an in-memory store).

    Args:
        path: A ``.db`` file written by ``mbc trials load``, or records to read.
        kb: Knowledge base for parsing criteria (default: the shipped one).

    Raises:
        TrialSourceError: The path does not exist or a record cannot be read.
    """
    p = Path(path)
    if not p.exists():
        raise TrialSourceError(f"registry not found: {p}")
    if p.is_file():
        with p.open("rb") as fh:
            if fh.read(16) == _SQLITE_MAGIC:
                return Registry(p, kb=kb)
    reg = Registry(":memory:", kb=kb)
    reg.load_dir(p)
    return reg


def dumps_trial(trial: Trial) -> str:
    """A trial as canonical JSON (sorted keys)."""
    return json.dumps(json.loads(trial.model_dump_json(by_alias=True)), sort_keys=True)
