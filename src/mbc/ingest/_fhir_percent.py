"""A receptor's percentage of stained nuclei written beside its answer (split from
:mod:`mbc.ingest._fhir_values`): in the answer's text, as a component in %, or in a note
("POS" with "NTE|1||95% of tumor nuclei staining": ``receptor_note_percent`` in fhir.yaml)."""

from __future__ import annotations

import re
from collections.abc import Mapping

from mbc.ingest._fhir_base import Ctx, Res, text_of

__all__ = ["agrees", "note_percent", "percent_beside"]


def percent_beside(ctx: Ctx, res: Res) -> tuple[float, str, str] | None:
    """A percentage written beside a coded receptor answer: in the answer's text ("Positive,
    95% of nuclei") or as a component quantity in % ("percentage of stained nuclei")."""
    said = text_of(res.body.get("valueCodeableConcept"))
    m = re.search(r"(?P<cmp><=?|>=?)?\s*(?P<n>\d{1,3}(?:\.\d+)?)\s*%", said)
    if m and not re.search(ctx.cfg["receptor_score_words"], said, re.IGNORECASE):
        return float(m.group("n")), "%", m.group("cmp") or ""
    for comp in res.body.get("component") or []:
        q = comp.get("valueQuantity") if isinstance(comp, Mapping) else None
        unit = str(q.get("code") or q.get("unit") or "") if isinstance(q, Mapping) else ""
        if isinstance(q, Mapping) and isinstance(q.get("value"), int | float) and "%" in unit:
            return float(q["value"]), "%", str(q.get("comparator") or "")
    return None


def agrees(got: tuple[float, str, str], answer: str | None) -> bool:
    """A percentage of stained nuclei that says what the coded answer says (negative: below 1%)."""
    value, _, cmp = got
    below_one = value < 1 or (cmp.startswith("<") and value <= 1)
    return answer is None or below_one == (answer == "negative")


def note_percent(ctx: Ctx, res: Res) -> tuple[float, str, str] | None:
    """The percentage of stained nuclei a result's note gives ("95% of tumor nuclei staining",
    "nuclei staining: 30%"), when the note names what the percentage is of; or None."""
    pattern = ctx.cfg.get("receptor_note_percent")
    notes = [n.get("text") for n in res.body.get("note") or [] if isinstance(n, Mapping)]
    for note in (n for n in notes if isinstance(n, str)):
        m = re.search(pattern, note, re.IGNORECASE) if pattern else None
        if m is None:
            continue
        n, cmp = (m.group("n"), m.group("cmp")) if m.group("n") else (m.group("n2"), m.group("cmp2"))
        if 0 <= float(n) <= 100:
            return float(n), "%", cmp or ""
    return None
