"""FHIR Observations: tumour markers, biomarkers, performance status, labs, staging, variants.

Which code goes to which reader: ``knowledge/ingest/fhir.yaml`` (``observations``; by name,
``display_fallbacks``, certainty ``inferred``). Every reader looks at the value it is given
(quantity, ratio, integer, string or coded answer) rather than assuming one shape.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import re
from collections.abc import Callable, Mapping
from typing import Any

from mbc.ingest._fhir_base import (
    DEAD_STATUS,
    VALID_OBS_STATUS,
    Ctx,
    Res,
    Timeline,
    Unreadable,
    codings,
    effective,
    ratio_value,
    required_code,
    src,
    text_of,
    unread_code,
    words_match,
)

__all__ = ["read_observation"]

_NUMBER = re.compile(
    r"(?:(?P<cmp><=?|>=?|less than|greater than|under|over)\s*)?"
    r"(?<![A-Za-z0-9/.])(?P<n>\d+(?:\.\d+)?)(?![A-Za-z0-9])",
    re.I,
)


def _value_codes(ctx: Ctx, res: Res) -> list[tuple[str, str, str]]:
    return codings(ctx, res, "valueCodeableConcept", res.body.get("valueCodeableConcept"))


def _answer(ctx: Ctx, res: Res, words: tuple[str, ...]) -> str | None:
    """The first of ``words`` whose answer code, or answer wording, the value carries."""
    answers = ctx.cfg["answers"]
    codes = _value_codes(ctx, res)
    for word in words:
        for a in answers.get(word, []):
            system = ctx.sys(a["system"])
            if any(s == system and c == str(a["code"]) for s, c, _ in codes):
                return word
    text = text_of(res.body.get("valueCodeableConcept"))
    if isinstance(res.body.get("valueString"), str):
        text += " | " + res.body["valueString"]
    if isinstance(res.body.get("valueBoolean"), bool):
        text += " | " + ("positive" if res.body["valueBoolean"] else "negative")
    if text.strip(" |"):
        for pattern, word in ctx.cfg["answer_words"].items():
            if word in words and re.search(pattern, text, re.IGNORECASE):
                return word
    return None


def _no_answer(ctx: Ctx, res: Res) -> Unreadable:
    codes = _value_codes(ctx, res)
    if codes:
        return Unreadable(f"answer {codes[0][1]} ({codes[0][2]}) not in the mapping")
    return Unreadable("no value the mapping can read")


def _number(ctx: Ctx, res: Res) -> tuple[float, str, str] | None:
    """(value, unit, comparator) from valueQuantity, valueInteger or a numeric valueString."""
    body = res.body
    q = body.get("valueQuantity")
    if q is not None:
        if not isinstance(q, Mapping) or not isinstance(q.get("value"), int | float):
            ctx.fail(res, "valueQuantity.value", "expected a number")
            raise Unreadable("malformed valueQuantity")
        unit = str(q.get("code") or q.get("unit") or "")
        return float(q["value"]), unit, str(q.get("comparator") or "")
    if isinstance(body.get("valueInteger"), int) and not isinstance(body["valueInteger"], bool):
        return float(body["valueInteger"]), "", ""
    if isinstance(body.get("valueString"), str):
        m = _NUMBER.search(body["valueString"])
        if m:
            cmp = (m.group("cmp") or "").lower()
            cmp = {"less than": "<", "under": "<", "greater than": ">", "over": ">"}.get(cmp, cmp)
            unit = "%" if "%" in body["valueString"] else ""
            return float(m.group("n")), unit, cmp
    ratio = ratio_value(body)  # "HER2/CEP17 2.4 : 1"
    return None if ratio is None else (ratio, "ratio", "")


def _scaled(ctx: Ctx, res: Res, units: Mapping[str, float] | None) -> float:
    got = _number(ctx, res)
    if got is None:
        raise Unreadable("no numeric value")
    value, unit, _ = got
    if units is None:
        return value
    if unit not in units:
        raise Unreadable(f"unit {unit!r} not in the mapping")
    return value * float(units[unit])


# ------------------------------------------------- readers: (field, value, extra) or Unreadable

Read = tuple[str, Any, dict[str, Any]]


def _r_receptor(ctx: Ctx, res: Res, spec: Mapping[str, Any]) -> Read:
    marker = spec["marker"]
    got = None
    if res.body.get("valueCodeableConcept") is None:
        got = _number(ctx, res)
    if got is not None:
        value, _, cmp = got
        if cmp.startswith("<") and value <= 1:
            return (
                f"tumor.{marker}_percent",
                0,
                {"certainty": "inferred", "derived": f"reported as {cmp}{value:g}%"},
            )
        if 0 <= value <= 100:
            return f"tumor.{marker}_percent", value, {}
        raise Unreadable(f"{value} is not a percentage")
    words = ("low", "positive", "negative") if marker == "er" else ("positive", "negative")
    word = _answer(ctx, res, words)
    if word is None:
        raise _no_answer(ctx, res)
    return f"tumor.{marker}_status", word, {}


def _ihc_score(ctx: Ctx, res: Res) -> str | None:
    table = ctx.cfg["her2_ihc_answers"]
    body = res.body
    if isinstance(body.get("valueInteger"), int) and str(body["valueInteger"]) in table:
        return str(table[str(body["valueInteger"])])
    for _, code, _ in _value_codes(ctx, res):
        if code in table:
            return str(table[code])
    text = text_of(body.get("valueCodeableConcept"))
    if isinstance(body.get("valueString"), str):
        text = body["valueString"] + " | " + text
    key = text.strip(" |").strip()
    if key in table:
        return str(table[key])
    return words_match(ctx.cfg["her2_ihc_words"], text) if text.strip(" |") else None


def _r_her2(ctx: Ctx, res: Res, spec: Mapping[str, Any]) -> Read:
    """HER2 by IHC, ISH or interpretation: the value's shape decides the field."""
    method = spec.get("method", "any")
    body = res.body
    if method != "ish":
        score = _ihc_score(ctx, res)
        if score is not None:
            return "tumor.her2_ihc", score, {}
    got = _number(ctx, res) if method != "ihc" else None
    if got is not None and not isinstance(body.get("valueInteger"), int):
        value, _, cmp = got
        cut = float(ctx.cfg["her2_ratio_amplified_at"])
        if cmp.startswith("<") and value <= cut:
            word = "not_amplified"
        elif cmp.startswith(">") and value >= cut:
            word = "amplified"
        elif not cmp:
            word = "amplified" if value >= cut else "not_amplified"
        else:
            raise Unreadable(f"ratio {cmp}{value:g} does not decide amplification")
        return (
            "tumor.her2_ish",
            word,
            {"certainty": "inferred", "derived": f"HER2/CEP17 ratio {cmp}{value:g}"},
        )
    amp = _answer(ctx, res, ("not_amplified_word", "amplified_word"))
    if amp is not None and method != "ihc":
        return "tumor.her2_ish", amp.removesuffix("_word"), {}
    word = _answer(ctx, res, ("equivocal", "positive", "negative"))
    if word is None:
        raise _no_answer(ctx, res)
    if method == "ish":
        if word == "equivocal":
            raise Unreadable("equivocal ISH result")
        return "tumor.her2_ish", "amplified" if word == "positive" else "not_amplified", {}
    if method == "ihc" and word in ("equivocal", "positive"):
        score = ctx.cfg["her2_ihc_qualitative"][word]
        return "tumor.her2_ihc", score, {"certainty": "inferred", "derived": f"IHC reported as {word}"}
    if word == "equivocal":
        raise Unreadable("HER2 equivocal with no IHC score or ISH result")
    return "tumor.her2_status", word, {}


def _r_number(ctx: Ctx, res: Res, spec: Mapping[str, Any]) -> Read:
    return spec["field"], round(_scaled(ctx, res, spec.get("units")), 3), {}


def _r_percent(ctx: Ctx, res: Res, spec: Mapping[str, Any]) -> Read:
    return spec["field"], _scaled(ctx, res, {"%": 1.0, "": 1.0, "{percent}": 1.0}), {}


def _r_xuln(ctx: Ctx, res: Res, spec: Mapping[str, Any]) -> Read:
    value = _scaled(ctx, res, None)
    high = None
    for r in res.body.get("referenceRange") or []:
        if isinstance(r, Mapping) and isinstance(r.get("high"), Mapping):
            high = r["high"].get("value")
            break
    if not isinstance(high, int | float) or high <= 0:
        raise Unreadable("no referenceRange.high to express the value as x ULN")
    return spec["field"], round(value / float(high), 3), {"derived": f"value / ULN {high:g}"}


def _r_ecog(ctx: Ctx, res: Res, spec: Mapping[str, Any]) -> Read:
    body = res.body
    if isinstance(body.get("valueInteger"), int) and not isinstance(body["valueInteger"], bool):
        return "ecog", int(body["valueInteger"]), {}
    answers = ctx.cfg["ecog_answers"]
    for element in ("valueCodeableConcept", "interpretation"):
        for _, code, _ in codings(ctx, res, element, body.get(element)):
            if code in answers:
                return "ecog", int(answers[code]), {}
    raise Unreadable("no valueInteger or known ECOG answer")


def _r_karnofsky(ctx: Ctx, res: Res, spec: Mapping[str, Any]) -> Read:
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
        got = _number(ctx, res) if kps is None and "valueQuantity" in body else None
        kps = int(got[0]) if got else kps
    if kps is None:
        raise Unreadable("no Karnofsky score")
    for row in ctx.cfg["karnofsky_to_ecog"]:
        if kps >= int(row["at_least"]):
            return "ecog", int(row["ecog"]), {"certainty": "inferred", "derived": f"Karnofsky {kps}"}
    raise Unreadable(f"Karnofsky {kps} out of range")


def _r_words(ctx: Ctx, res: Res, spec: Mapping[str, Any]) -> Read:
    """A coded or worded answer mapped by ``spec.table`` (codes) and ``spec.words`` (regexes)."""
    table = ctx.cfg[spec["table"]]
    for _, code, _ in _value_codes(ctx, res):
        if code in table.get("codes", {}):
            return spec["field"], table["codes"][code], {}
    text = text_of(res.body.get("valueCodeableConcept"))
    if isinstance(res.body.get("valueString"), str):
        text += " | " + res.body["valueString"]
    word = words_match(table.get("words", {}), text) if text.strip(" |") else None
    if word is None:
        raise _no_answer(ctx, res)
    return spec["field"], word, {}


def _r_pregnancy(ctx: Ctx, res: Res, spec: Mapping[str, Any]) -> Read:
    answers = ctx.cfg["pregnancy_answers"]
    for _, code, _ in _value_codes(ctx, res):
        if code in answers and answers[code] is not None:
            return "pregnant", bool(answers[code]), {}
    raise Unreadable("pregnancy answer not in the mapping")


def _r_germline_text(ctx: Ctx, res: Res, spec: Mapping[str, Any]) -> Read:
    """A hereditary panel report given as text: "no pathogenic variant identified" = tested,
    none found (``germline: []``); a variant named in words is left to the variant readers."""
    words = ctx.cfg["genomics"]
    text = text_of(res.body.get("valueCodeableConcept"))
    if isinstance(res.body.get("valueString"), str):
        text += " | " + res.body["valueString"]
    if re.search(words["germline_report_words"], text, re.IGNORECASE) and re.search(
        words["negative_report_words"], text, re.IGNORECASE
    ):
        return "germline", [], {}
    raise Unreadable("not a negative germline panel in words")


def _r_no_field(ctx: Ctx, res: Res, spec: Mapping[str, Any]) -> Read:
    raise Unreadable(str(spec["why"]))


READERS: dict[str, Callable[[Ctx, Res, Mapping[str, Any]], Read]] = {
    "receptor": _r_receptor,
    "her2": _r_her2,
    "number": _r_number,
    "percent": _r_percent,
    "xuln": _r_xuln,
    "ecog": _r_ecog,
    "karnofsky": _r_karnofsky,
    "words": _r_words,
    "pregnancy": _r_pregnancy,
    "no_field": _r_no_field,
    "germline_text": _r_germline_text,
}


def specimen_rank(ctx: Ctx, res: Res) -> tuple[int, str | None]:
    """2 for a metastasis specimen, 1 for primary/unknown; and the receptor_source word."""
    codes: list[str] = [c for _, c, _ in codings(ctx, res, "bodySite", res.body.get("bodySite"))]
    spec_ref = res.body.get("specimen")
    if isinstance(spec_ref, Mapping) and isinstance(spec_ref.get("reference"), str):
        spec = ctx.resolve(res, spec_ref["reference"])
        if spec is not None:
            coll = spec.body.get("collection")
            if isinstance(coll, Mapping):
                codes += [c for _, c, _ in codings(ctx, spec, "collection.bodySite", coll.get("bodySite"))]
    if any(c in ctx.cfg["secondary_conditions"]["body_sites"] for c in codes):
        return 2, "metastasis"
    if any(c in ctx.cfg["primary_sites"] for c in codes):
        return 1, "primary"
    word = words_match(ctx.cfg.get("specimen_words", {}), _specimen_text(ctx, res))
    if word == "metastasis":
        return 2, "metastasis"
    return 1, word


def _specimen_text(ctx: Ctx, res: Res) -> str:
    """The tested tissue's words: note, body site, specimen (display, type, site, note)."""
    def texts(value: Any) -> list[str]:
        if isinstance(value, list):
            return [t for v in value for t in texts(v)]
        if isinstance(value, Mapping):
            out = [value["text"]] if isinstance(value.get("text"), str) else []
            out += [str(c.get("display")) for c in value.get("coding") or [] if isinstance(c, Mapping) and c.get("display")]
            return out
        return []

    parts = texts(res.body.get("note")) + texts(res.body.get("bodySite"))
    spec_ref = res.body.get("specimen")
    if isinstance(spec_ref, Mapping) and isinstance(spec_ref.get("display"), str):
        parts.append(spec_ref["display"])  # a reference given by its display only
    if isinstance(spec_ref, Mapping) and isinstance(spec_ref.get("reference"), str):
        spec = ctx.resolve(res, spec_ref["reference"])
        if spec is not None:
            coll = spec.body.get("collection")
            parts += texts(spec.body.get("type")) + texts(spec.body.get("note"))
            if isinstance(coll, Mapping):
                parts += texts(coll.get("bodySite"))
    return " | ".join(parts)


# ---------------------------------------------------------------- dispatch


def _index(cfg: Mapping[str, Any]) -> dict[tuple[str, str], Mapping[str, Any]]:
    key = id(cfg)
    if key not in _INDEX:
        systems = cfg["systems"]
        _INDEX.clear()
        _INDEX[key] = {(systems[o.get("system", "loinc")], str(o["code"])): o for o in cfg["observations"]}
    return _INDEX[key]


_INDEX: dict[int, dict[tuple[str, str], Mapping[str, Any]]] = {}


def _value_element(res: Res) -> str:
    return next((k for k in res.body if k.startswith("value")), "value")


def _emit(ctx: Ctx, res: Res, spec: Mapping[str, Any], when: dt.date | None, rule: str, **extra: Any) -> None:
    path, value, more = READERS[spec["reader"]](ctx, res, spec)
    rank: tuple[Any, ...] = ((when or dt.date.min).isoformat(),)
    source = src(res, _value_element(res), rule, when, **{**extra, **more})  # the reader's word wins
    if path == "germline" and value == []:
        ctx.builder.ensure_list("germline", source)
        return
    if path.startswith("tumor."):
        spec_rank, receptor_source = specimen_rank(ctx, res)
        rank = (spec_rank, *rank)
        if receptor_source:
            source["specimen"] = receptor_source
    ctx.builder.set(path, value, source, rank=rank)


def read_observation(ctx: Ctx, res: Res, tl: Timeline) -> None:
    status = res.body.get("status")
    if status in DEAD_STATUS or (status is not None and status not in VALID_OBS_STATUS):
        ctx.builder.note_unread({"kind": "ignored", "resource": res.ref, "reason": f"status {status}"})
        return
    codes = required_code(ctx, res)
    if codes is None:
        return
    when = effective(ctx, res)
    cfg = ctx.cfg
    index = _index(cfg)
    loinc, snomed = ctx.sys("loinc"), ctx.sys("snomed")
    for system, code, display in codes:
        spec = index.get((system, code))
        if spec is not None:
            try:
                _emit(ctx, res, spec, when, f"fhir.observation.{spec['reader']}")
            except Unreadable as why:
                unread_code(ctx, res, system, code, display, str(why))
            _read_components(ctx, res, when, index)
            return
        if _symptom(ctx, res, system, code, when):
            return
        if system in (loinc, snomed) and code in cfg["distant_metastasis"]["observation_codes"]:
            _read_m_category(ctx, res, when, tl)
            return
        if system in (loinc, snomed) and code in cfg["stage_group"]["observation_codes"]:
            _read_stage_group(ctx, res, when, tl)
            return
        if system == loinc and code == cfg["disease_status_code"]:
            values = {c for _, c, _ in _value_codes(ctx, res)}
            if when and values & set(cfg["progression_answers"]):
                tl.progression.append(when)
            return
        if system == loinc and code in cfg["genomics"]["variant_codes"]:
            from mbc.ingest._fhir_genomics import read_variant

            read_variant(ctx, res, when)
            return
        if system == loinc and code in cfg["genomics"]["region_codes"]:
            return
        if code in cfg["ignore"]["observations"]:
            return
    name = text_of(res.body.get("code"))
    for fb in cfg["display_fallbacks"]:
        if name and re.search(fb["pattern"], name, re.IGNORECASE):
            if fb.get("reader") is None:
                return  # known by name and deliberately not read
            try:
                _emit(ctx, res, fb, when, "fhir.observation.by_name", certainty="inferred", matched_name=name)
            except Unreadable as why:
                s, c, d = codes[0] if codes else ("", "", name)
                unread_code(ctx, res, s, c, d, str(why))
            return
    if codes:
        s, c, d = codes[0]
        unread_code(ctx, res, s, c, d, "observation code not in knowledge/ingest/fhir.yaml")


def _read_components(ctx: Ctx, res: Res, when: dt.date | None, index: Mapping[Any, Any]) -> None:
    """Components whose own code is mapped (an ER status observation with the percent of
    stained nuclei as a component): read as observations of their own, same specimen."""
    for i, comp in enumerate(res.body.get("component") or []):
        if not isinstance(comp, Mapping):
            continue
        for system, code, _ in codings(ctx, res, f"component[{i}].code", comp.get("code")):
            spec = index.get((system, code))
            if spec is None or spec.get("reader") not in ("receptor", "her2", "percent", "number"):
                continue
            body = {k: v for k, v in res.body.items() if not k.startswith("value") and k != "component"}
            body.update({k: v for k, v in comp.items() if k.startswith("value")})
            with contextlib.suppress(Unreadable):
                _emit(ctx, Res(body, res.index), spec, when, f"fhir.observation.component.{spec['reader']}")
            break


def _symptom(ctx: Ctx, res: Res, system: str, code: str, when: dt.date | None) -> bool:
    """A symptom finding (its code, or the value of a LOINC "Symptom" observation); a
    finding recorded as absent (valueBoolean false) is not a symptom."""
    table = ctx.cfg.get("symptom_codes", {})
    snomed = ctx.sys("snomed")
    word = table.get(code) if system == snomed else None
    if word is None and system == ctx.sys("loinc") and code in ctx.cfg.get("symptom_observation_codes", []):
        word = next((table[c] for s, c, _ in _value_codes(ctx, res) if s == snomed and c in table), None)
        if word is None:
            return False
    if word is None:
        return False
    if res.body.get("valueBoolean") is not False:
        ctx.builder.add("symptoms", word, src(res, "code", "fhir.observation.symptom", when))
    return True


def _read_m_category(ctx: Ctx, res: Res, when: dt.date | None, tl: Timeline) -> None:
    values = {c for _, c, _ in _value_codes(ctx, res)}
    text = text_of(res.body.get("valueCodeableConcept"))
    m1 = values & set(ctx.cfg["distant_metastasis"]["m1_values"]) or re.search(r"\bc?p?M1[abc]?\b", text)
    if m1 and when is not None and (tl.metastatic is None or when < tl.metastatic):
        tl.metastatic = when
        tl.metastatic_ref = src(res, "valueCodeableConcept", "fhir.observation.m1", when)


def is_stage_iv(ctx: Ctx, codes: list[tuple[str, str, str]], text: str) -> bool:
    sg = ctx.cfg["stage_group"]
    if {c for _, c, _ in codes} & set(sg["stage_iv_values"]):
        return True
    return bool(text and re.search(sg["stage_iv_words"], text))


def _read_stage_group(ctx: Ctx, res: Res, when: dt.date | None, tl: Timeline) -> None:
    concept = res.body.get("valueCodeableConcept")
    if is_stage_iv(ctx, _value_codes(ctx, res), text_of(concept)):
        tl.stage_iv_at_dx = True
        if when is not None and (tl.metastatic is None or when < tl.metastatic):
            tl.metastatic = when
            tl.metastatic_ref = src(res, "valueCodeableConcept", "fhir.observation.stage_iv", when)
