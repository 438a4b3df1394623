"""Tumour-registry items (NAACCR site-specific data items, SSDI) as registry producers write
them into FHIR: the item number as the code (in a NAACCR code system) or the item's name, and
the SSDI code as the value ("Estrogen Receptor Summary" = "1" means ER positive, not 1 %).

Which item means what, and what each of its codes says: ``knowledge/ingest/fhir.yaml``
(``naaccr``; apps.naaccr.org/ssdi). A code the table does not give (7 test ordered, 8 not
applicable, 9 unknown) is unread, never a value.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from mbc.ingest._fhir_base import Ctx, Res, Timeline, Unreadable, codings, said_match, text_of
from mbc.ingest._fhir_values import Read

__all__ = ["naaccr_value", "registry_item", "treatment_summary"]


def registry_item(ctx: Ctx, res: Res, codes: list[tuple[str, str, str]]) -> Mapping[str, Any] | None:
    """The NAACCR item an observation reports: its code in a NAACCR code system, else its name."""
    table = ctx.cfg["naaccr"]
    items: Mapping[str, Mapping[str, Any]] = table["items"]
    for system, code, _ in codes:
        if re.search(table["system_words"], system, re.IGNORECASE) and code in items:
            return {"reader": "naaccr", "item": code, **items[code]}
    name = text_of(res.body.get("code"))
    for number, item in items.items():
        if name and re.search(item["name"], name, re.IGNORECASE):
            return {"reader": "naaccr", "item": number, **item}
    return None


def _value_code(ctx: Ctx, res: Res) -> str | None:
    body = res.body
    for _, code, _ in codings(ctx, res, "valueCodeableConcept", body.get("valueCodeableConcept")):
        if code:
            return code.strip()
    for key in ("valueString", "valueInteger"):
        value = body.get(key)
        if isinstance(value, str | int) and not isinstance(value, bool):
            return str(value).strip()
    q = body.get("valueQuantity")
    if isinstance(q, Mapping) and isinstance(q.get("value"), int | float):
        return f"{q['value']:g}"
    return None


def naaccr_value(ctx: Ctx, res: Res, spec: Mapping[str, Any]) -> Read:
    code = _value_code(ctx, res)
    if code is None:
        raise Unreadable(f"NAACCR item {spec['item']} without a value")
    why = {"derived": f"NAACCR item {spec['item']} code {code}"}
    if code in (spec.get("codes") or {}):
        field, value = spec.get("code_fields", {}).get(code, spec["field"]), spec["codes"][code]
        return field, value, why
    if code in (spec.get("unsure_codes") or {}):
        raise Unreadable(f"NAACCR item {spec['item']} code {code!r}: {spec['unsure_codes'][code]}")
    kind = spec.get("kind")
    if kind == "percent" and re.fullmatch(r"\d{1,3}", code) and int(code) <= 100:
        return spec["field"], float(int(code)), why
    if kind == "ratio" and re.fullmatch(r"\d{1,2}(?:\.\d+)?", code):
        ratio, cut = float(code), float(ctx.cfg["her2_ratio_amplified_at"])
        word = "amplified" if ratio >= cut else "not_amplified"
        said = f"HER2/CEP17 ratio {ratio:g} (NAACCR 3852)"
        return spec["field"], word, {**why, "certainty": "inferred", "derived": said}
    no_result = "no result (test ordered, not applicable or unknown)"
    raise Unreadable(f"NAACCR item {spec['item']} code {code!r}: {no_result}")


def treatment_summary(ctx: Ctx, res: Res, codes: list[tuple[str, str, str]], tl: Timeline) -> bool:
    """A registry first-course treatment summary (NAACCR RX Summ items): its words give the
    setting of each drug they name, clause by clause (kept for courses whose own records do
    not say). True when the observation is such an item."""
    from mbc.ingest._data import drug_index

    table = ctx.cfg["naaccr"]
    items: Mapping[str, str] = table.get("treatment_items") or {}
    name = text_of(res.body.get("code"))
    coded = any(
        re.search(table["system_words"], s, re.IGNORECASE) or not s for s, c, _ in codes if c in items
    )
    if not coded and not any(name and re.search(p, name, re.IGNORECASE) for p in items.values()):
        return False
    notes = [str(n.get("text")) for n in res.body.get("note") or [] if isinstance(n, Mapping)]
    words = ctx.cfg["therapy_words"]
    for clause in re.split(r"[;\n|]", " | ".join([text_of(res.body.get("valueCodeableConcept")), *notes])):
        setting = said_match(words["setting"], clause, words.get("denied_before"))
        if setting is None:
            continue
        for _, _, _, inns in drug_index().find(clause):
            tl.setting_words += [(inn, setting, res.ref) for inn in inns]
    ctx.builder.note_unread(
        {"kind": "ignored", "resource": res.ref, "reason": "registry treatment summary: read for settings"}
    )
    return True
