"""Receptor results a bundle gives only in words: a pathology report's conclusion or plain-text
attachment ("ER positive (90%), PR negative (<1%), HER2 1+"), or a result under a local name
whose value is a sentence ("Breast cancer receptor status": "ER+ / PR- / HER2-", "IHC 2+;
reflex FISH negative (ratio 1.3)").

The words are read by the note reader (:func:`mbc.ingest.notes.read_note`, the same receptor
vocabulary, negation and phrasings as a clinical note); only the tumour receptor fields it
finds are kept, as results of the resource that carries the words (its date and specimen,
certainty ``inferred``), ranked like any other result. Which words call for it and which fields
are kept: ``knowledge/ingest/fhir.yaml`` (``text_receptors``).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from typing import Any

from mbc.ingest._fhir_base import Ctx, Res, Timeline, Unreadable, narrative, src, text_of, words_match
from mbc.ingest._fhir_values import value_words

__all__ = [
    "emit_receptor_words",
    "histology_result",
    "named_result_words",
    "narrative_value",
    "receptor_words",
]


def receptor_words(ctx: Ctx, text: str) -> list[tuple[str, Any]]:
    """(field path, value) of the tumour receptor results the note reader finds in ``text``."""
    cfg = ctx.cfg["text_receptors"]
    if not text.strip() or len(text) > int(cfg["max_chars"]) or not re.search(cfg["mention"], text):
        return []
    from mbc.ingest.notes import read_note

    ex = read_note(text, as_of=ctx.builder.as_of)
    tumor = ex.record.get("tumor") or {}
    out: list[tuple[str, Any]] = []
    for name in cfg["fields"]:
        prov = ex.provenance.get(f"tumor.{name}") or {}
        if name in tumor and prov.get("certainty") not in ("uncertain",):
            out.append((f"tumor.{name}", tumor[name]))
    return out


def emit_receptor_words(
    ctx: Ctx, res: Res, text: str, when: dt.date | None, rule: str, element: str, specimen: Any = None
) -> list[str]:
    """Offer each receptor result ``text`` gives as a result of ``res``; the fields offered."""
    from mbc.ingest._fhir_obs import emit_result

    found = receptor_words(ctx, text)
    if not found:
        return []
    body: dict[str, Any] = {"resourceType": res.type, "id": res.id}
    body["code"] = {"text": "receptor results in words"}
    spec = specimen if specimen is not None else res.body.get("specimen")
    if isinstance(spec, Mapping | list):
        body["specimen"] = spec
    if res.body.get("bodySite") is not None:
        body["bodySite"] = res.body["bodySite"]
    if when is not None:
        body["effectiveDateTime"] = when.isoformat()
    words = Res(body, res.index)  # one resource for all the results its words give
    said = f"read from the words: {text[:120]!r}"
    offered: list[str] = []
    for path, value in found:
        given = {"reader": "given", "path": path, "value": value}
        try:
            emit_result(ctx, words, given, when, rule, element, certainty="inferred", derived=said)
        except Unreadable:
            continue
        offered.append(path)
    return offered


def named_result_words(ctx: Ctx, res: Res, name: str, when: dt.date | None) -> int:
    """A result under a local name whose value (or note) is a sentence about receptors: read
    from "<name>: <words>" ("Breast cancer receptor status: ER+ / PR- / HER2-")."""
    from mbc.ingest._fhir_values import percent_range

    body = res.body
    if percent_range(res) is not None:  # a range the receptor reader declined ("5-20 %"): not a number
        return 0
    parts: list[str] = []
    if isinstance(body.get("valueString"), str):
        parts.append(body["valueString"])
    concept = body.get("valueCodeableConcept")
    if isinstance(concept, Mapping) and isinstance(concept.get("text"), str):
        parts.append(concept["text"])
    notes = body.get("note") or []
    parts += [str(n["text"]) for n in notes if isinstance(n, Mapping) and isinstance(n.get("text"), str)]
    if not parts:
        return 0
    words = f"{name}: {'; '.join(parts)}"
    return len(emit_receptor_words(ctx, res, words, when, "fhir.observation.words", "value"))


def narrative_value(res: Res) -> Res:
    """A result whose value is written only in its narrative (``text.div``; no value[x], no
    component or member, no reason for an absent value), or only as a primitive's original
    text: those words read as its value."""
    body = res.body
    if any(k.startswith("value") for k in body) or {"component", "hasMember", "dataAbsentReason"} & set(body):
        return res
    said = _original_text(body) or narrative(res)  # a primitive value with only its original text
    return Res({**body, "valueString": said}, res.index) if said else res


def _original_text(body: Mapping[str, Any]) -> str:
    """The original text a value's primitive extension carries when the value itself is absent
    (``"_valueInteger": {"extension": [{"url": ".../originalText", "valueString": "ECOG 1"}]}``)."""
    for key, ext in body.items():
        if not key.startswith("_value") or not isinstance(ext, Mapping):
            continue
        for e in ext.get("extension") or []:
            url = str(e.get("url", "")) if isinstance(e, Mapping) else ""
            if url.endswith("/originalText") and isinstance(e.get("valueString"), str):
                return str(e["valueString"])
    return ""


def histology_result(ctx: Ctx, res: Res, when: Any, tl: Timeline) -> bool:
    """A result named as the tumour's type ("Histological type", "Final diagnosis") whose words
    name one ("Invasive carcinoma of no special type (ductal)"): kept as a pathology report's
    histology is (used when no condition gives one; certainty inferred)."""
    cfg = ctx.cfg["histology"]
    if not re.search(cfg.get("result_names") or "(?!)", text_of(res.body.get("code"))):
        return False
    word = words_match(cfg["words"], value_words(res))
    if word is None or word == "other":
        return False
    tl.histology.append((word, src(res, "value", "fhir.observation.histology", when, certainty="inferred")))
    return True
