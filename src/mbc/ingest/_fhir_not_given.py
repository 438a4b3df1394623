"""An order (or a statement of a current drug) that is not yet a therapy given: its words say
so ("Not yet administered.", "New start pending prior authorisation", "noch nicht verabreicht"),
or they name a first dose due after the record's date ("C1D1 scheduled 2026-10-26",
"C1D1 scheduled 11/04/2026"). Split from :mod:`mbc.ingest._fhir_meds` (issue 11, session 12).

A day written with slashes or dots may be month-first or day-first: a reading before the day
the order was written is impossible for its first dose and is dropped; the dose is still to
come only when every reading left falls after the record's date.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from typing import Any

from mbc.ingest._fhir_base import Ctx, Res, parse_date

__all__ = ["not_yet_given"]

_DAY = re.compile(r"(\d{1,2})[/.](\d{1,2})[/.](\d{4})$")


def _texts(value: Any) -> list[str]:
    if isinstance(value, list):
        return [t for v in value for t in _texts(v)]
    if isinstance(value, Mapping) and isinstance(value.get("text"), str):
        return [value["text"]]
    return []


def _readings(written: str) -> list[dt.date]:
    """The days a written date may be: one for ISO, one or two for d/m/y or m/d/y."""
    iso = parse_date(written)
    if iso is not None and "-" in written:
        return [iso]
    m = _DAY.match(written)
    if m is None:
        return []
    a, b, year = int(m.group(1)), int(m.group(2)), int(m.group(3))
    out = []
    for month, day in ((a, b), (b, a)):
        try:
            out.append(dt.date(year, month, day))
        except ValueError:
            continue
    return sorted(set(out))


def not_yet_given(ctx: Ctx, res: Res, start: dt.date | None, order_dated: bool) -> str | None:
    """Why this record is not yet a therapy given, or None. Only an active (or held) request or
    an active statement; a record whose words number a later cycle ("C3 not yet given") is a
    course going on, not one still to begin."""
    status = res.body.get("status")
    if not (
        (res.type == "MedicationRequest" and status in ("active", "on-hold"))
        or (res.type == "MedicationStatement" and status == "active")
    ):
        return None
    as_of = ctx.builder.as_of
    if res.type == "MedicationRequest" and start is not None and start > as_of and not order_dated:
        return f"starts {start.isoformat()}, after {as_of.isoformat()}"
    words = ctx.cfg["therapy_words"]
    said = " | ".join(_texts(res.body.get("dosageInstruction")) + _texts(res.body.get("dosage"))
                      + _texts(res.body.get("note")))  # fmt: skip
    cycle = re.search(ctx.cfg["therapy_grouping"].get("cycle_number", "(?!)"), said, re.IGNORECASE)
    later_cycle = cycle is not None and int(cycle.group("n")) > 1
    # review 16 (M3): a course already running (its words name a next cycle / supply, or a statement's
    # effective start lies before the record's date) is given, whatever its next dose's words say
    running = words.get("running")
    if running and re.search(running, said, re.IGNORECASE):
        later_cycle = True
    period = res.body.get("effectivePeriod") if res.type == "MedicationStatement" else None
    begun = parse_date(period.get("start")) if isinstance(period, Mapping) else None
    if res.type == "MedicationStatement" and begun is None:
        begun = parse_date(res.body.get("effectiveDateTime"))
    if begun is not None and begun < as_of:
        later_cycle = True
    pending = words.get("not_yet_given")
    if pending and not later_cycle:
        m = re.search(pending, said, re.IGNORECASE)
        if m is not None:
            return f"its words say not given yet: {m.group(0)!r}"
    written = parse_date(res.body.get("authoredOn"))
    for m in re.finditer(words["scheduled"], said, re.IGNORECASE):
        days = [d for d in _readings(m.group("date")) if written is None or d >= written]
        if days and all(d > as_of for d in days) and not later_cycle:
            return f"first dose scheduled {days[0].isoformat()}, after {as_of.isoformat()}"
    return None
