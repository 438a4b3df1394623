"""HER2 IHC score from a result's value (split from :mod:`mbc.ingest._fhir_values`): an
integer or ``{score}`` quantity, an answer code, the answer's words (each of its text and
displays on its own), or the interpretation's words; a staining wording the words around it deny
does not count."""

from __future__ import annotations

from collections.abc import Mapping

from mbc.ingest._fhir_base import Ctx, Res, drop_comparisons, said_match, text_of
from mbc.ingest._fhir_values import value_codes

__all__ = ["ihc_score"]


def ihc_score(ctx: Ctx, res: Res, ihc: bool = False) -> str | None:
    table = ctx.cfg["her2_ihc_answers"]
    body = res.body
    if isinstance(body.get("valueInteger"), int) and str(body["valueInteger"]) in table:
        return str(table[str(body["valueInteger"])])
    q = body.get("valueQuantity")  # {"value": 2, "unit": "{score}"}
    if isinstance(q, Mapping) and q.get("value") in (0, 1, 2, 3) and not q.get("comparator"):
        unit = str(q.get("code") or q.get("unit") or "").strip()
        if unit in ("{score}", "score") or (ihc and unit in ("", "1")):
            return str(table[str(int(q["value"]))])
    for _, code, _ in value_codes(ctx, res):
        if code in table:
            return str(table[code])
    text = text_of(body.get("valueCodeableConcept"))
    if isinstance(body.get("valueString"), str):
        text = body["valueString"] + " | " + text
    text = drop_comparisons(text, ctx.cfg.get("comparison_words"))  # "... discordant with 2019 primary (3+)"
    key = text.strip(" |").strip()
    if key in table:
        return str(table[key])
    # each of the answer's text / displays on its own ("0" as both the text and a display)
    parts = [p.strip() for p in text.split("|") if p.strip()]
    for part in parts:
        if part in table:
            return str(table[part])
    got = _ihc_words(ctx, text) if text.strip(" |") else None
    for part in parts if got is None and len(parts) > 1 else ():
        got = _ihc_words(ctx, part)
        if got is not None:
            break
    if got is None:  # "Equivocal" with the score in the interpretation's words ("IHC score 2+")
        said = " | ".join(text_of(i) for i in body.get("interpretation") or [] if isinstance(i, Mapping))
        got = _ihc_words(ctx, said) if said.strip(" |") else None
    return got


def _ihc_words(ctx: Ctx, text: str) -> str | None:
    """The HER2 IHC score in words; a wording the words around it deny ("ultralow criteria not
    met", "no faint staining") does not count (``her2_ihc_denied``)."""
    denied = ctx.cfg.get("her2_ihc_denied") or {}
    return said_match(ctx.cfg["her2_ihc_words"], text, denied.get("before"), denied.get("after"))
