"""FHIR values against a reference range: an upper limit of normal taken from the range for the
patient's sex (``appliesTo`` or words such as "M: 10-40; F: 7-35"); with the sex unknown, no limit."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from mbc.ingest._fhir_base import Ctx, Res, Unreadable, text_of
from mbc.ingest._fhir_values import Read, scaled

__all__ = ["xuln_value"]


def xuln_value(ctx: Ctx, res: Res, spec: Mapping[str, Any]) -> Read:
    value = scaled(ctx, res, None)
    high = None
    ranges = [r for r in res.body.get("referenceRange") or [] if isinstance(r, Mapping)]
    highs = [r for r in ranges if isinstance(r.get("high"), Mapping)]
    said_for = [_sex_said(ctx, _applies_to(r)) for r in highs]
    if any(said_for):  # one range per sex (``appliesTo``): the patient's, else none
        highs = [r for r, sex in zip(highs, said_for, strict=True) if sex and sex == _patient_sex(ctx)]
    for r in highs:
        high = r["high"].get("value")
        break
    if not isinstance(high, int | float):  # a range in words: "7-40 U/L", "< 40"
        for r in res.body.get("referenceRange") or []:
            said = _range_for_sex(ctx, r.get("text") if isinstance(r, Mapping) else None)
            m = re.search(r"(?:-|\u2013|<=?|\u2264|up to|to)\s*(\d+(?:\.\d+)?)", said or "")
            if m:
                high = float(m.group(1))
                break
    if not isinstance(high, int | float) or high <= 0:
        raise Unreadable("no referenceRange.high to express the value as x ULN")
    return spec["field"], round(value / float(high), 3), {"derived": f"value / ULN {high:g}"}


def _patient_sex(ctx: Ctx) -> str | None:
    sexes = {r.body.get("gender") for r in ctx.by_ref.values() if r.type == "Patient"}
    return str(sexes.pop()) if len(sexes) == 1 else None


def _sex_said(ctx: Ctx, text: str) -> str | None:
    """The one sex some words name ("F:", "female", "men"), else None."""
    said = [sex for sex, pattern in ctx.cfg["range_sex_words"].items() if re.search(pattern, text)]
    return said[0] if len(said) == 1 else None


def _applies_to(r: Mapping[str, Any]) -> str:
    concepts = [a for a in r.get("appliesTo") or [] if isinstance(a, Mapping)]
    codes = [
        str(c.get("code", "")) for a in concepts for c in a.get("coding") or [] if isinstance(c, Mapping)
    ]
    return " ".join([*(text_of(a) for a in concepts), *codes])


def _range_for_sex(ctx: Ctx, text: str | None) -> str | None:
    """The part of a reference range in words for the patient's sex ("M: 10-40; F: 7-35"):
    the whole text when no part names a sex; None when parts do and the sex is not known."""
    if not text:
        return text
    parts = [(p, _sex_said(ctx, p)) for p in re.split(r"[;,|\n]", text) if p.strip()]
    if not any(sex for _, sex in parts):
        return text
    mine = [p for p, sex in parts if sex and sex == _patient_sex(ctx)]
    return mine[0] if len(mine) == 1 else None
