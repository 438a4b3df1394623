"""Metastatic lines actually given, and a record as it was known when a line started."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from mbc.model.record import PatientRecord, Therapy

__all__ = ["GivenLine", "as_of_line", "given_lines"]

_DAYS_PER_YEAR = 365.25


@dataclass(frozen=True)
class GivenLine:
    """One metastatic line of therapy from the record, numbered from 1 in order of start."""

    number: int
    index: int  # position in record.prior_therapies
    therapy: Therapy


def given_lines(record: PatientRecord) -> list[GivenLine]:
    """The metastatic lines in the record, in order of start (undated lines keep their place
    after the dated ones, in record order)."""
    therapies = record.prior_therapies or ()
    met = [(i, t) for i, t in enumerate(therapies) if t.setting == "metastatic"]
    met.sort(key=lambda it: (it[1].start is None, it[1].start or dt.date.min, it[0]))
    return [GivenLine(number=n, index=i, therapy=t) for n, (i, t) in enumerate(met, 1)]


def as_of_line(record: PatientRecord, line: GivenLine) -> tuple[PatientRecord | None, str | None]:
    """The record truncated to what was known when ``line`` started.

    Only therapies that started before the line remain; an end date after the line's start
    is clamped to that start (the switch to the new line is when the earlier course is known to
    have stopped); ``as_of`` becomes the line's start and the age is moved back by the years
    between. Facts without dates (receptors, genomics, labs)
    are kept as recorded: the record does not say when they became known.

    Returns:
        ``(record, None)``, or ``(None, why)`` when the line cannot be placed in time.
    """
    start = line.therapy.start
    if start is None:
        return None, f"prior_therapies[{line.index}].start"
    if record.metastatic_diagnosis_date and record.metastatic_diagnosis_date > start:
        return None, "metastatic_diagnosis_date"
    before: list[dict[str, Any]] = []
    for t in record.prior_therapies or ():
        if t is line.therapy or t.start is None or t.start >= start:
            continue
        d = t.model_dump(exclude_none=True)
        if t.end is not None and t.end > start:
            d["end"] = start
        before.append(d)
    update: dict[str, Any] = {"as_of": start, "prior_therapies": tuple(Therapy(**d) for d in before)}
    if record.age is not None and record.as_of is not None and record.as_of > start:
        years = int((record.as_of - start).days // _DAYS_PER_YEAR)
        update["age"] = max(18, record.age - years)
    return record.model_copy(update=update), None
