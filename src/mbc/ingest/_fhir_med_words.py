"""The drugs a medication record's words name (split from :mod:`mbc.ingest._fhir_meds`): a
regimen abbreviation with its alternative written out, a more specific form of a drug, and a
record coded by one drug whose words name its whole regimen."""

from __future__ import annotations

import contextlib
import datetime as dt
import re
from collections.abc import Mapping
from typing import Any

from mbc.ingest._data import drug_index

__all__ = ["named_drugs", "note_measures", "progressed_before", "regimen_named", "specific"]


def progressed_before(cfg: Mapping[str, Any], notes: list[str], given: dt.date) -> dt.date | None:
    """The day the disease progressed on the treatment before a dose given on ``given``, when
    the dose's notes say so (``therapy_words.given_after_progression``, not denied): the latest
    date the note writes up to that day, else the day of the dose. None: not said."""
    from mbc.ingest._fhir_base import said_match
    from mbc.ingest._fhir_narrative import narrative_dates

    words = cfg["therapy_words"]
    pattern = words.get("given_after_progression")
    for note in notes if pattern else []:
        if said_match({pattern: "yes"}, note, cfg.get("progression_denied_before")) is None:
            continue
        days = [d for _, d in narrative_dates(note, cfg["narrative_therapy"]["months"]) if d <= given]
        return max(days) if days else given
    return None


def named_drugs(found: list[tuple[int, int, str, list[str]]]) -> list[str]:
    """The drugs a text names; a regimen abbreviation with alternatives ("THP") takes the
    alternative written out beside it ("THP (<the taxane>, ...)")."""
    either = drug_index().either
    singles = {i for _, _, _, inns in found if len(inns) == 1 for i in inns}
    out: list[str] = []
    for _, _, word, inns in found:
        alts = either.get(word.lower())
        if alts and singles & alts:
            inns = [i for i in inns if i not in alts or i in singles]
        out.extend(i for i in inns if i not in out)
    return out


def regimen_named(coded: list[str], named: list[str]) -> bool:
    """A record coded by one drug whose words name that drug and other cancer drugs beside it
    ("AC -> a taxane" coded as the anthracycline, two HER2 antibodies
    coded as the first): the record is of the regimen, every drug named."""
    kind = drug_index().kind
    return (
        len(coded) == 1
        and len(named) > 1
        and any(coded[0] in n for n in named)
        and all(kind.get(n) == "antineoplastic" for n in named)
    )


def specific(inns: list[str]) -> list[str]:
    """One record's drugs without a parent drug whose more specific form it names too (the
    albumin-bound form of a taxane in the text, the taxane in the code's display): one drug,
    the specific form."""
    return [
        a for a in inns
        if not any(b != a and re.search(rf"(?<![a-z]){re.escape(a)}(?![a-z])", b) for b in inns)
    ]  # fmt: skip


def note_measures(ctx: Any, res: Any, notes: list[str], given: dt.date) -> None:
    """Measures a dose's notes give ("Echo last week: LVEF 57%"), read by the note reader and
    offered as results dated by the dose (certainty inferred); which measures:
    ``therapy_words.note_measures`` (session 13: an infusion record holds the echo the dose
    was checked against)."""
    from mbc.ingest._fhir_base import Res, Unreadable
    from mbc.ingest._fhir_obs import emit_result
    from mbc.ingest.notes import read_note

    fields = ctx.cfg["therapy_words"].get("note_measures") or []
    for i, note in enumerate(notes if fields else []):
        ex = read_note(note, as_of=ctx.builder.as_of)
        body = {"resourceType": res.type, "id": res.id, "code": {"text": "measure in a dose's note"},
                "effectiveDateTime": given.isoformat()}  # fmt: skip
        for path in fields:
            if path not in ex.record or (ex.provenance.get(path) or {}).get("certainty") == "uncertain":
                continue
            spec = {"reader": "given", "path": path, "value": ex.record[path]}
            said = f"read from the words: {note[:120]!r}"
            with contextlib.suppress(Unreadable):
                emit_result(ctx, Res(body, res.index), spec, given, "fhir.medication.note_measure",
                            f"note[{i}]", certainty="inferred", derived=said)  # fmt: skip
