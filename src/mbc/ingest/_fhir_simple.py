"""The FHIR readers of single-valued fields: numbers with units, percentages (fractions and
HbA1c in mmol/mol), ECOG and Karnofsky, worded answers, pregnancy, a germline panel in words,
and a known result with no field (split from :mod:`mbc.ingest._fhir_values`, which reads the
receptors and HER2)."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from mbc.ingest._fhir_base import Ctx, Res, Unreadable, codings, effective, parse_date, text_of, words_match
from mbc.ingest._fhir_values import (
    Read,
    answer_word,
    no_answer,
    read_number,
    said_of,
    scaled,
    unit_key,
    value_codes,
    value_words,
)

__all__ = [
    "ecog_value",
    "germline_text_value",
    "karnofsky_value",
    "last_period_value",
    "no_field_value",
    "number_value",
    "percent_value",
    "pregnancy_value",
    "words_value",
]


def number_value(ctx: Ctx, res: Res, spec: Mapping[str, Any]) -> Read:
    if spec.get("not_when") and re.search(spec["not_when"], said_of(res), re.IGNORECASE):
        raise Unreadable(f"not {spec['field']}: {spec.get('not_when_why', 'another method')}")
    value = round(scaled(ctx, res, spec.get("units")), int(spec.get("digits", 3)))  # weight: 0.1 kg
    low, high = (ctx.cfg.get("plausible") or {}).get(spec["field"], (None, None))
    if (low is not None and value < low) or (high is not None and value > high):
        raise Unreadable(f"{value:g} is not a plausible {spec['field']} (unit written wrongly?)")
    if spec.get("whole"):  # a count of completed units (gestational age 22+3 weeks -> 22)
        return spec["field"], int(value), {"derived": f"completed units of {value:g}"}
    return spec["field"], value, {}


def percent_value(ctx: Ctx, res: Res, spec: Mapping[str, Any]) -> Read:
    got = read_number(ctx, res)
    fraction = ctx.cfg["fraction_units"]
    if got is not None and got[1] in fraction and 0 < got[0] <= fraction[got[1]]:
        return spec["field"], round(got[0] * 100, 3), {"derived": f"fraction {got[0]:g}"}
    if got is not None and got[1] in fraction and got[0] == 1:  # 1 % or a whole (100 %)?
        raise Unreadable(f"value 1 with unit {got[1]!r}: a fraction (100 %) or a percent (1 %) is not said")
    q = res.body.get("valueQuantity")
    written = str(q.get("unit") or "") if isinstance(q, Mapping) else ""
    for unit, (slope, offset) in (spec.get("affine") or {}).items():  # HbA1c in mmol/mol (IFCC) -> %
        if got is not None and unit_key(ctx, unit) in (unit_key(ctx, got[1]), unit_key(ctx, written)):
            value = round(float(slope) * got[0] + float(offset), 1)
            return spec["field"], value, {"certainty": "inferred", "derived": f"{got[0]:g} {unit} converted"}
    return spec["field"], scaled(ctx, res, {"%": 1.0, "": 1.0, "{percent}": 1.0}), {}


def ecog_value(ctx: Ctx, res: Res, spec: Mapping[str, Any]) -> Read:
    body = res.body
    if isinstance(body.get("valueInteger"), int) and not isinstance(body["valueInteger"], bool):
        return "ecog", int(body["valueInteger"]), {}
    answers = ctx.cfg["ecog_answers"]
    for element in ("valueCodeableConcept", "interpretation"):
        for _, code, _ in codings(ctx, res, element, body.get(element)):
            if code in answers:
                return "ecog", int(answers[code]), {}
    if "valueCodeableConcept" not in body:  # valueQuantity 1, valueString "ECOG 1"
        got = read_number(ctx, res)
        if got is not None and not got[2] and got[0] in (0, 1, 2, 3, 4, 5):
            return "ecog", int(got[0]), {}
    said = text_of(body.get("valueCodeableConcept"))  # "ECOG performance status - grade 1"
    m = re.search(ctx.cfg["ecog_words"], said, re.IGNORECASE) if said else None
    if m and m.group("to") is not None:  # "ECOG 0-1": a range, not a value; never the better one
        worse = max(int(m.group("n")), int(m.group("to")))
        why = f"range {m.group(0).strip()}: the worse value"
        return "ecog", worse, {"certainty": "uncertain", "derived": why}
    if m:
        return "ecog", int(m.group("n")), {}
    raise Unreadable("no valueInteger or known ECOG answer")


def karnofsky_value(ctx: Ctx, res: Res, spec: Mapping[str, Any]) -> Read:
    body = res.body
    kps: int | None = None
    if isinstance(body.get("valueInteger"), int) and not isinstance(body["valueInteger"], bool):
        kps = int(body["valueInteger"])
    else:
        answers = ctx.cfg["karnofsky_answers"]
        for element in ("valueCodeableConcept", "interpretation"):
            for _, code, _ in codings(ctx, res, element, body.get(element)):
                if code in answers:
                    kps = int(answers[code])
        got = read_number(ctx, res) if kps is None and "valueQuantity" in body else None
        kps = int(got[0]) if got else kps
        said = value_words(res).strip(" |") if kps is None and ctx.cfg.get("karnofsky_words") else ""
        m = re.match(ctx.cfg["karnofsky_words"], said, re.IGNORECASE) if said else None
        kps = int(m.group("n")) if m else kps
    if kps is None:
        raise Unreadable("no Karnofsky score")
    for row in ctx.cfg["karnofsky_to_ecog"]:
        if kps >= int(row["at_least"]) and row.get("convert") is False:
            why = f"Karnofsky {kps} (ECOG {row['ecog']} by the conventional table): not converted"
            raise Unreadable(why)
        if kps >= int(row["at_least"]):
            return "ecog", int(row["ecog"]), {
                "certainty": "inferred", "derived": f"Karnofsky {kps}", "converted_from": f"Karnofsky {kps}",
                "conversion": "knowledge/ingest/fhir.yaml karnofsky_to_ecog",
            }  # fmt: skip
    raise Unreadable(f"Karnofsky {kps} out of range")


def words_value(ctx: Ctx, res: Res, spec: Mapping[str, Any]) -> Read:
    """A coded or worded answer mapped by ``spec.table`` (codes) and ``spec.words`` (regexes)."""
    table = ctx.cfg[spec["table"]]
    for _, code, _ in value_codes(ctx, res):
        if code in table.get("codes", {}):
            return spec["field"], table["codes"][code], {}
    text = value_words(res)
    word = words_match(table.get("words", {}), text) if text.strip(" |") else None
    if word is None:
        raise no_answer(ctx, res)
    return spec["field"], word, {}


def pregnancy_value(ctx: Ctx, res: Res, spec: Mapping[str, Any]) -> Read:
    answers = ctx.cfg["pregnancy_answers"]
    for _, code, _ in value_codes(ctx, res):
        if code in answers and answers[code] is not None:
            return "pregnant", bool(answers[code]), {}
    text = " | ".join([text_of(res.body.get("valueCodeableConcept")), str(res.body.get("valueString") or "")])
    word = answer_word(ctx, res, ("negative", "positive"))
    if re.search(ctx.cfg["not_pregnancy_words"], text) and not re.search(r"(?i)\bpositive\b", text):
        return "pregnant", False, {}
    if re.search(ctx.cfg["pregnancy_words"], text) or word == "positive":
        return "pregnant", True, {}
    if word == "negative":
        return "pregnant", False, {}
    table = ctx.cfg["interpretation_answers"]  # a quantitative test flagged NEG / POS
    flagged = codings(ctx, res, "interpretation", res.body.get("interpretation"))
    flags = {str(table.get(c)) for _, c, _ in flagged}
    if flags & {"negative", "positive"} and len(flags & {"negative", "positive"}) == 1:
        return "pregnant", "positive" in flags, {"derived": "the test's interpretation flag"}
    return _hcg_level(ctx, res)


def _hcg_level(ctx: Ctx, res: Res) -> Read:
    """A quantitative hCG: below ``negative_below`` IU/L (a "<" comparator at or under it too)
    not pregnant, from ``positive_from`` pregnant, between them unknown (``pregnancy_hcg``)."""
    cut = ctx.cfg.get("pregnancy_hcg") or {}
    qty = res.body.get("valueQuantity")
    if not cut or not isinstance(qty, Mapping) or not isinstance(qty.get("value"), (int, float)):
        raise Unreadable("pregnancy answer not in the mapping")
    unit = str(qty.get("code") or qty.get("unit") or "")
    factor = (cut.get("units") or {}).get(unit)
    if factor is None:
        raise Unreadable(f"hCG unit {unit!r} not in pregnancy_hcg.units")
    level, below = float(qty["value"]) * float(factor), qty.get("comparator") in ("<", "<=")
    why = {"certainty": "inferred", "derived": f"hCG {qty.get('comparator') or ''}{qty['value']} {unit}"}
    if level < float(cut["negative_below"]) or (below and level <= float(cut["negative_below"])):
        return "pregnant", False, why
    if level >= float(cut["positive_from"]) and not below:
        return "pregnant", True, why
    raise Unreadable(f"hCG {level:g} IU/L: between the cut-offs, pregnancy not decided")


def germline_text_value(ctx: Ctx, res: Res, spec: Mapping[str, Any]) -> Read:
    """A hereditary panel report given as text: "no pathogenic variant identified" = tested,
    none found (``germline: []``); "Pathogenic variant identified: BRCA2 c.5946delT" = the
    genes with a pathogenic change (inferred)."""
    words = ctx.cfg["genomics"]
    text = value_words(res)
    said = text + " | " + text_of(res.body.get("code"))  # the report's name may say hereditary
    somatic = words.get("somatic_report_words")
    hereditary = re.search(words["germline_report_words"], said, re.IGNORECASE) is not None and not (
        somatic and re.search(somatic, said, re.IGNORECASE)
    )
    coded = {c for _, c, _ in codings(ctx, res, "valueCodeableConcept", res.body.get("valueCodeableConcept"))}
    negative = bool(coded & set(words.get("negative_answers") or []))
    if hereditary and (negative or re.search(words["negative_report_words"], text, re.IGNORECASE)):
        from mbc.ingest._fhir_genomics import pathogenic_genes

        if not pathogenic_genes(text, words):  # "negative" with a pathogenic variant named: read below
            return "germline", [], {}
    if hereditary:
        from mbc.ingest._fhir_genomics import pathogenic_genes

        genes = pathogenic_genes(text, words)
        if genes:
            named = {"certainty": "inferred", "derived": "pathogenic variant named in words"}
            return "germline", genes, named
    raise Unreadable("not a germline panel result in words")


def last_period_value(ctx: Ctx, res: Res, spec: Mapping[str, Any]) -> Read:
    """A last menstrual period no more than ``spec["days"]`` before the observation (or the
    record's date): premenopausal (inferred; a menstruating woman is not postmenopausal)."""
    body = res.body
    lmp = parse_date(body.get("valueDateTime") or body.get("valueString") or body.get("valueDate"))
    seen = effective(ctx, res) or ctx.builder.as_of
    if lmp is None:
        raise Unreadable("last menstrual period without a date")
    if lmp > seen or (seen - lmp).days > int(spec["days"]):
        raise Unreadable(f"last menstrual period {lmp.isoformat()}: not recent, status not said")
    why = {"certainty": "inferred", "derived": f"last menstrual period {lmp.isoformat()}"}
    return "menopausal_status", str(spec["value"]), why


def no_field_value(ctx: Ctx, res: Res, spec: Mapping[str, Any]) -> Read:
    raise Unreadable(str(spec["why"]))
