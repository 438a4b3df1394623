"""The local trial registry: SQLite (stdlib ``sqlite3``) with an FTS5 full-text index.

One row per trial: the record as JSON, columns for what the SQL prefilter reads (status,
sex, ages, last update, text hash) and the compact criteria (see :mod:`._load`). The FTS5
index is an *external-content* table over the title, conditions and eligibility columns,
kept in step by triggers, so replacing a trial touches the index by row id (constant
time, whatever the registry size). Criteria are parsed once per distinct eligibility text
and pattern fingerprint, in parallel. A registry lives in memory (built from a directory)
or in a file (``mbc trials load DIR --db PATH``).
"""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path
from typing import TYPE_CHECKING, Any

from mbc.errors import TrialSourceError
from mbc.knowledge.loader import KnowledgeBase, load_kb
from mbc.trials._criteria import _registry_criteria, parse_trial, remember
from mbc.trials._load import CRITERIA, Parser, compact, text_hash
from mbc.trials._model import Trial
from mbc.trials._patterns import TrialKnowledge, load_trial_knowledge
from mbc.trials._sources import read_path

if TYPE_CHECKING:
    from collections.abc import Iterable, Iterator

__all__ = ["Registry", "load_registry", "text_hash"]

_SCHEMA_VERSION = "2"
_SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT);
CREATE TABLE IF NOT EXISTS trials (
    rowid INTEGER PRIMARY KEY,
    nct_id TEXT NOT NULL UNIQUE,
    status TEXT,
    phases TEXT,
    last_update TEXT,
    sex TEXT,
    min_age REAL,
    max_age REAL,
    text_hash TEXT,
    parsed_with TEXT,
    title TEXT,
    conditions TEXT,
    eligibility TEXT,
    record TEXT NOT NULL,
    crit TEXT
);
CREATE INDEX IF NOT EXISTS trials_status ON trials(status);
CREATE INDEX IF NOT EXISTS trials_parsed_with ON trials(parsed_with);
CREATE VIRTUAL TABLE IF NOT EXISTS trials_fts USING fts5(
    title, conditions, eligibility, content='trials', content_rowid='rowid',
    tokenize='porter unicode61'
);
CREATE TRIGGER IF NOT EXISTS trials_ai AFTER INSERT ON trials BEGIN
    INSERT INTO trials_fts(rowid, title, conditions, eligibility)
    VALUES (new.rowid, new.title, new.conditions, new.eligibility);
END;
CREATE TRIGGER IF NOT EXISTS trials_ad AFTER DELETE ON trials BEGIN
    INSERT INTO trials_fts(trials_fts, rowid, title, conditions, eligibility)
    VALUES ('delete', old.rowid, old.title, old.conditions, old.eligibility);
END;
CREATE TRIGGER IF NOT EXISTS trials_au AFTER UPDATE OF title, conditions, eligibility ON trials BEGIN
    INSERT INTO trials_fts(trials_fts, rowid, title, conditions, eligibility)
    VALUES ('delete', old.rowid, old.title, old.conditions, old.eligibility);
    INSERT INTO trials_fts(rowid, title, conditions, eligibility)
    VALUES (new.rowid, new.title, new.conditions, new.eligibility);
END;
CREATE TABLE IF NOT EXISTS conds (id INTEGER PRIMARY KEY, cond TEXT NOT NULL UNIQUE);
CREATE TABLE IF NOT EXISTS trial_conds (
    trial INTEGER NOT NULL, cond INTEGER NOT NULL, kind INTEGER NOT NULL, general INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS trial_conds_trial ON trial_conds(trial);
CREATE TABLE IF NOT EXISTS parsed (
    text_hash TEXT NOT NULL,
    parsed_with TEXT NOT NULL,
    criteria TEXT NOT NULL,
    compact TEXT NOT NULL,
    PRIMARY KEY (text_hash, parsed_with)
);
"""
# trial_conds: one row per (trial, criterion with a condition), `general` = not limited to
# a cohort; the matcher's SQL prefilter drops the trials with a general row whose
# condition blocks the patient.

_BATCH = 512
_LOAD_CACHE_KIB = -65536  # page cache while loading: 64 MiB (negative = KiB, SQLite's convention)
_SQLITE_MAGIC = b"SQLite format 3\x00"


class Registry:
    """A store of trials with full-text search.

    Use :func:`load_registry` to open one; ``Registry(":memory:")`` is an empty store.
    """

    def __init__(
        self, db: str | Path = ":memory:", *, kb: KnowledgeBase | None = None, jobs: int | None = None
    ) -> None:
        self.path = str(db)
        self._kb = kb
        self.jobs = jobs
        try:
            # a service shares one registry across request threads (under its own lock)
            self._con = sqlite3.connect(self.path, check_same_thread=False)
            self._migrate()
        except sqlite3.DatabaseError as exc:
            raise TrialSourceError(f"cannot open trial registry {self.path}: {exc}") from exc
        self._cond_ids: dict[str, int] = {}
        self.nodes: dict[int, Any] = {}  # condition id -> compiled node (filled by matching)
        self.written = 0  # trials inserted or replaced by the last add()

    def _migrate(self) -> None:
        has_meta = self._con.execute(
            "SELECT 1 FROM sqlite_master WHERE type='table' AND name='meta'"
        ).fetchone()
        version = None
        if has_meta:
            row = self._con.execute("SELECT value FROM meta WHERE key='schema'").fetchone()
            version = row[0] if row else None
        tables = self._con.execute("SELECT count(*) FROM sqlite_master WHERE type='table'").fetchone()[0]
        if tables and version == _SCHEMA_VERSION:
            return  # current: nothing to write (the file may be read-only)
        if self.path != ":memory:":
            self._con.execute("PRAGMA journal_mode=WAL")
        if tables:  # written by an older mbc: rebuild
            names = [r[0] for r in self._con.execute(
                "SELECT name FROM sqlite_master WHERE type='table' AND name NOT LIKE 'sqlite_%' "
                "AND name NOT LIKE 'trials_fts_%'"
            )]  # fmt: skip
            with self._con:
                for name in names:
                    self._con.execute(f'DROP TABLE IF EXISTS "{name}"')
        self._con.executescript(_SCHEMA)
        with self._con:
            self._con.execute("INSERT OR REPLACE INTO meta VALUES ('schema', ?)", (_SCHEMA_VERSION,))

    # ---------------------------------------------------------------- writing
    def add(self, trials: Iterable[Trial], *, jobs: int | None = None) -> int:
        """Insert or replace trials (criteria parsed first, in parallel; a trial whose
        record and parse are unchanged is skipped). Returns how many were read."""
        tk = load_trial_knowledge(self.kb)
        self._con.execute("PRAGMA synchronous=NORMAL")
        # a bulk load touches random pages of the parse-cache key index and the FTS
        # segments: a larger page cache while loading keeps that per-trial cost flat as the
        # registry grows (restored after, so matching keeps its small footprint)
        cache = self._con.execute("PRAGMA cache_size").fetchone()[0]
        self._con.execute(f"PRAGMA cache_size={_LOAD_CACHE_KIB}")
        parser = Parser(self.kb, tk, jobs=jobs if jobs is not None else self.jobs)
        n = 0
        self.written = 0
        batch: list[Trial] = []
        try:
            for trial in trials:
                batch.append(trial)
                n += 1
                if len(batch) >= _BATCH:
                    self._add_batch(batch, tk, parser)
                    batch = []
            if batch:
                self._add_batch(batch, tk, parser)
        finally:
            parser.close()
            self._con.execute(f"PRAGMA cache_size={int(cache)}")
        return n

    def _add_batch(self, batch: list[Trial], tk: TrialKnowledge, parser: Parser) -> None:
        fp = tk.fingerprint
        latest = {t.nct_id: t for t in batch}  # a later record of the same trial wins
        rows = {t.nct_id: (_record_json(t), text_hash(t.eligibility_text)) for t in latest.values()}
        marks = ",".join("?" * len(rows))
        stored = {
            r[0]: (r[1], r[2], r[3])
            for r in self._con.execute(
                f"SELECT nct_id, record, text_hash, parsed_with FROM trials WHERE nct_id IN ({marks})",
                list(rows),
            )
        }
        todo = [t for t in latest.values() if stored.get(t.nct_id) != (*rows[t.nct_id], fp)]
        if not todo:
            return
        hashes = sorted({rows[t.nct_id][1] for t in todo})
        marks = ",".join("?" * len(hashes))
        known = {
            r[0]: json.loads(r[1])
            for r in self._con.execute(
                f"SELECT text_hash, compact FROM parsed WHERE parsed_with = ? AND text_hash IN ({marks})",
                [fp, *hashes],
            )
        }
        texts: dict[str, str] = {}
        for t in todo:
            h = rows[t.nct_id][1]
            if h not in known:
                texts.setdefault(h, t.eligibility_text)
        with self._con:
            if texts:
                for h, (crit_json, items) in zip(texts, parser.parse(list(texts.values())), strict=True):
                    ids = self._intern(items)
                    known[h] = ids
                    self._con.execute(
                        "INSERT OR REPLACE INTO parsed VALUES (?, ?, ?, ?)",
                        (h, fp, crit_json, json.dumps(ids, separators=(",", ":"))),
                    )
            self.written += len(todo)
            for t in todo:
                record, h = rows[t.nct_id]
                items = self._intern(compact(_registry_criteria(t, tk), tk)) + known[h]
                self._upsert(t, record, h, fp, items)

    def _intern(self, items: list[list[Any]]) -> list[list[Any]]:
        """Compact items with each condition JSON replaced by its id (0 = none)."""
        out = []
        for kind, cond, disease, cohort in items:
            if isinstance(cond, int) or cond is None:
                out.append([kind, cond or 0, disease, cohort])
                continue
            cid = self._cond_ids.get(cond)
            if cid is None:
                row = self._con.execute("SELECT id FROM conds WHERE cond = ?", (cond,)).fetchone()
                if row is None:
                    cid = int(self._con.execute("INSERT INTO conds(cond) VALUES (?)", (cond,)).lastrowid or 0)
                else:
                    cid = int(row[0])
                self._cond_ids[cond] = cid
            out.append([kind, cid, disease, cohort])
        return out

    def _upsert(self, t: Trial, record: str, h: str, fp: str, items: list[list[Any]]) -> None:
        values = (
            t.nct_id,
            t.status,
            ",".join(t.phases),
            t.last_update.isoformat() if t.last_update else None,
            t.sex,
            t.minimum_age_years,
            t.maximum_age_years,
            h,
            fp,
            t.title,
            " ; ".join(t.conditions),
            t.eligibility_text,
            record,
            json.dumps(items, separators=(",", ":")),
        )
        rowid = self._con.execute(
            "INSERT INTO trials(nct_id, status, phases, last_update, sex, min_age, max_age, text_hash,"
            " parsed_with, title, conditions, eligibility, record, crit)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
            " ON CONFLICT(nct_id) DO UPDATE SET status=excluded.status, phases=excluded.phases,"
            " last_update=excluded.last_update, sex=excluded.sex, min_age=excluded.min_age,"
            " max_age=excluded.max_age, text_hash=excluded.text_hash,"
            " parsed_with=excluded.parsed_with, title=excluded.title,"
            " conditions=excluded.conditions, eligibility=excluded.eligibility,"
            " record=excluded.record, crit=excluded.crit RETURNING rowid",
            values,
        ).fetchone()[0]
        self._con.execute("DELETE FROM trial_conds WHERE trial = ?", (rowid,))
        self._con.executemany(
            "INSERT INTO trial_conds VALUES (?, ?, ?, ?)",
            [(rowid, c, k, 1 if cohort is None else 0) for k, c, _, cohort in items if c],
        )

    def refresh(self) -> int:
        """Re-parse the trials stored with other patterns than the current ones."""
        tk = load_trial_knowledge(self.kb)
        stale = self._con.execute(
            "SELECT count(*) FROM trials WHERE parsed_with IS NOT ?", (tk.fingerprint,)
        ).fetchone()[0]
        if not stale:
            return 0

        def rows() -> Iterator[Trial]:
            last = 0
            while True:
                got = self._con.execute(
                    "SELECT rowid, record, eligibility FROM trials WHERE parsed_with IS NOT ? AND rowid > ?"
                    " ORDER BY rowid LIMIT ?",
                    (tk.fingerprint, last, _BATCH),
                ).fetchall()
                if not got:
                    return
                last = got[-1][0]
                yield from (_trial(r[1], r[2]) for r in got)

        return self.add(rows())  # streamed in batches: memory stays flat in registry size

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

    def last_update(self) -> str | None:
        """The latest last-update date stored (ISO), or None."""
        row = self._con.execute("SELECT max(last_update) FROM trials").fetchone()
        return None if row is None or row[0] is None else str(row[0])

    # ---------------------------------------------------------------- reading
    @property
    def kb(self) -> KnowledgeBase:
        """The knowledge base whose patterns parse the criteria."""
        if self._kb is None:
            self._kb = load_kb()
        return self._kb

    @property
    def connection(self) -> sqlite3.Connection:
        """The SQLite connection (for the streaming matcher)."""
        return self._con

    def __len__(self) -> int:
        return int(self._con.execute("SELECT count(*) FROM trials").fetchone()[0])

    def __iter__(self) -> Iterator[Trial]:
        """Every trial, by NCT id, parsed, one at a time (memory stays flat)."""
        self.refresh()
        last = ""
        while True:
            got = self._con.execute(
                "SELECT nct_id FROM trials WHERE nct_id > ? ORDER BY nct_id LIMIT ?", (last, _BATCH)
            ).fetchall()
            if not got:
                return
            last = got[-1][0]
            for (nct,) in got:
                trial = self.get(nct)
                if trial is not None:
                    yield trial

    def trials(self) -> list[Trial]:
        """Every trial, by NCT id, with criteria parsed by the current patterns.

        Loads them all; prefer iterating the registry or :func:`mbc.trials.match_registry`."""
        return list(self)

    def get(self, nct_id: str) -> Trial | None:
        """One trial by NCT id, or None."""
        row = self._con.execute("SELECT rowid FROM trials WHERE nct_id = ?", (nct_id,)).fetchone()
        return None if row is None else self.by_rowid(int(row[0]))

    def by_rowid(self, rowid: int) -> Trial | None:
        """One trial by row id with its parsed criteria (from the parse cache)."""
        tk = load_trial_knowledge(self.kb)
        row = self._con.execute(
            "SELECT record, eligibility, text_hash FROM trials WHERE rowid = ?", (rowid,)
        ).fetchone()
        if row is None:
            return None
        trial = _trial(row[0], row[1])
        cached = tk.memo.get(trial.eligibility_text)
        if cached is None:
            got = self._con.execute(
                "SELECT criteria FROM parsed WHERE text_hash = ? AND parsed_with = ?",
                (row[2], tk.fingerprint),
            ).fetchone()
            if got is not None:
                cached = CRITERIA.validate_json(got[0])
                remember(tk, trial.eligibility_text, cached)
        return parse_trial(trial, tk, text_criteria=cached)

    def search(self, query: str, *, limit: int = 50) -> list[tuple[str, float]]:
        """Full-text search (FTS5 syntax, BM25 rank); ``[(nct_id, rank)]``, best first."""
        try:
            rows = self._con.execute(
                "SELECT t.nct_id, bm25(trials_fts) FROM trials_fts"
                " JOIN trials t ON t.rowid = trials_fts.rowid"
                " WHERE trials_fts MATCH ? ORDER BY bm25(trials_fts) LIMIT ?",
                (query, limit),
            ).fetchall()
        except sqlite3.OperationalError as exc:
            raise TrialSourceError(f"bad search query {query!r}: {exc}") from exc
        return [(str(r[0]), float(r[1])) for r in rows]

    def close(self) -> None:
        """Close the database."""
        self._con.close()


def _record_json(t: Trial) -> str:
    return t.model_dump_json(
        by_alias=True, exclude_none=True, exclude={"criteria", "parsed_with", "eligibility_text"}
    )


def _trial(record: str, eligibility: str | None) -> Trial:
    return Trial.model_validate_json(record).model_copy(update={"eligibility_text": eligibility or ""})


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
