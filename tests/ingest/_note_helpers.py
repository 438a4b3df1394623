"""Small readers shared by the note-reader test modules (one copy, not one per session file)."""

from __future__ import annotations

import datetime as dt

from mbc.ingest import extract

AS_OF = dt.date(2026, 11, 20)


def _read(text: str, as_of: dt.date | None = AS_OF) -> dict:
    return extract(text, kind="note", as_of=as_of).record


def _given(rec: dict) -> set[str]:
    return {d for t in rec.get("prior_therapies", []) for d in t["drugs"]}


def _course(rec: dict, drug: str) -> dict:
    return next(t for t in rec.get("prior_therapies", []) if drug in t["drugs"])


def _sites(rec: dict) -> set[str]:
    return set((rec.get("metastases") or {}).get("sites") or [])


def _med_ids(rec: dict) -> set[str]:
    """Current medications, written as ids (spaces as underscores)."""
    return {m.replace(" ", "_") for m in rec.get("medications") or []}
