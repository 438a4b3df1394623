"""FHIR Observations: tumour markers, biomarkers, performance status, labs, staging, variants.

Which code goes to which reader: ``knowledge/ingest/fhir.yaml`` (``observations``; by name,
``display_fallbacks``, certainty ``inferred``); the value readers are in
:mod:`mbc.ingest._fhir_values`.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import re
from collections.abc import Mapping
from typing import Any

from mbc.ingest._fhir_base import (
    DEAD_STATUS,
    VALID_OBS_STATUS,
    Ctx,
    Res,
    Timeline,
    Unreadable,
    codings,
    drop_comparisons,
    effective,
    progression_said,
    report_parents,
    required_code,
    src,
    text_of,
    unread_code,
    unread_first,
    words_match,
)
from mbc.ingest._fhir_readers import READERS
from mbc.ingest._fhir_registry import registry_item, treatment_summary
from mbc.ingest._fhir_stage import read_m_category, read_stage_group, staging_by_name
from mbc.ingest._fhir_text import histology_result, named_result_words, narrative_value
from mbc.ingest._fhir_values import scaled, value_codes

__all__ = ["emit_result", "read_observation", "specimen_rank"]


def _with_report_specimen(ctx: Ctx, res: Res) -> Res:
    """A result that names no specimen takes the one of the report or panel listing it."""
    if res.body.get("specimen") is not None:
        return res
    parent = report_parents(ctx).get(res.ref)
    spec = parent.body.get("specimen") if parent is not None else None
    spec = spec[0] if isinstance(spec, list) and spec else spec
    if not isinstance(spec, Mapping):
        return res
    if isinstance(spec.get("reference"), str) and spec["reference"].startswith("#") and parent is not None:
        found = ctx.resolve(parent, spec["reference"])  # contained in the report
        if found is not None:
            return Res({**res.body, "specimen": {"display": " | ".join(_spec_words(found))}}, res.index)
    return Res({**res.body, "specimen": spec}, res.index)


def _spec_words(spec: Res) -> list[str]:
    coll = spec.body.get("collection")
    parts = [text_of(spec.body.get("type"))]
    if isinstance(coll, Mapping):
        parts.append(text_of(coll.get("bodySite")))
    return [p for p in parts if p]


def specimen_rank(ctx: Ctx, res: Res) -> tuple[int, str | None]:
    """2 for a metastasis specimen, 1 for primary/unknown; and the receptor_source word."""
    res = _with_report_specimen(ctx, res)
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
    table = ctx.cfg.get("specimen_words", {})
    own, notes = _specimen_text(ctx, res)
    word = words_match(table, own) or words_match(
        table, drop_comparisons(notes, ctx.cfg.get("comparison_words"))
    )
    if word == "metastasis" or (word is None and _site_in_names(ctx, res)):
        return 2, "metastasis"
    return 1, word


def _site_in_names(ctx: Ctx, res: Res) -> bool:
    """A metastatic site named where no specimen is: the result's own name ("ER % (pleural
    fluid cell block)"), the name of the panel or report listing it ("Breast prognostic markers
    (lung bx)"), or the head of that report's conclusion ("Liver, core: ..."). Only a
    metastatic site counts there: "breast" in such a name names the cancer, not the tissue."""
    code = res.body.get("code") or {}
    own = code.get("text")
    texts = [str(own)] if isinstance(own, str) else []
    # a local display naming the tissue ("ER % (liver core)"); a standard one names none
    coded = [c for c in code.get("coding") or [] if isinstance(c, Mapping)]
    texts += [str(c["display"]) for c in coded if c.get("display")]
    parents = report_parents(ctx)
    node = res
    for _ in range(2):
        node = parents.get(node.ref)
        if node is None:
            break
        texts.append(text_of(node.body.get("code")))
        head = str(node.body.get("conclusion") or "").split(":", 1)
        if len(head) == 2:
            texts.append(head[0])
    said = " | ".join(texts)
    table = ctx.cfg.get("specimen_words", {})
    return any(v == "metastasis" and re.search(p, said, re.IGNORECASE) for p, v in table.items())


def _specimen_text(ctx: Ctx, res: Res) -> tuple[str, str]:
    """The tested tissue's words: the specimen's own (body site; specimen display, type,
    site) and, apart, the notes (the result's and the specimen's), which say less surely."""

    def texts(value: Any) -> list[str]:
        if isinstance(value, list):
            return [t for v in value for t in texts(v)]
        if isinstance(value, Mapping):
            out = [value["text"]] if isinstance(value.get("text"), str) else []
            out += [
                str(c.get("display"))
                for c in value.get("coding") or []
                if isinstance(c, Mapping) and c.get("display")
            ]
            return out
        return []

    parts = texts(res.body.get("bodySite"))
    notes = texts(res.body.get("note"))
    spec_ref = res.body.get("specimen")
    if isinstance(spec_ref, Mapping) and isinstance(spec_ref.get("display"), str):
        parts.append(spec_ref["display"])  # a reference given by its display only
    if isinstance(spec_ref, Mapping) and isinstance(spec_ref.get("reference"), str):
        spec = ctx.resolve(res, spec_ref["reference"])
        if spec is not None:
            coll = spec.body.get("collection")
            parts += texts(spec.body.get("type"))
            notes += texts(spec.body.get("note"))
            if isinstance(coll, Mapping):
                parts += texts(coll.get("bodySite"))
    return " | ".join(parts), " | ".join(notes)


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


# Observation statuses of a result changed after it was final (corrected, amended): on the same
# day (and specimen) such a result beats the original it revises.
_REVISED = frozenset({"corrected", "amended"})


def emit_result(
    ctx: Ctx,
    res: Res,
    spec: Mapping[str, Any],
    when: dt.date | None,
    rule: str,
    element: str | None = None,
    **extra: Any,
) -> None:
    """Read one result with the reader ``spec`` names and offer its value (ranked by specimen
    and date); raises :class:`Unreadable` when the value cannot be read."""
    path, value, more = READERS[spec["reader"]](ctx, res, spec)
    rank: tuple[Any, ...] = ((when or dt.date.min).isoformat(),)
    element = element or _value_element(res)
    source = src(res, element, rule, when, **{**extra, **more})  # the reader's word wins
    if path == "ecog":  # a stated ECOG beats one converted from Karnofsky on the same day
        rank = (*rank, 0 if more.get("converted_from") else 1)
    if res.body.get("status") in _REVISED:  # a corrected result beats the original of its day
        rank = (*rank, 1)
    if path == "pregnant" and not _pregnancy_current(ctx, res, value, when):
        return
    if path == "germline" and value == []:
        ctx.builder.ensure_list("germline", source)
        return
    if path == "germline":  # genes with a pathogenic germline variant
        for gene in value:
            ctx.builder.add("germline", gene, source)
        return
    if path.startswith("tumor."):
        spec_rank, receptor_source = specimen_rank(ctx, res)
        rank = (spec_rank, *rank)
        if receptor_source:
            source["specimen"] = receptor_source
        elif when is not None and ctx.timeline is not None:
            ctx.timeline.unstated.append((path, value, source, when))
    ctx.builder.set(path, value, source, rank=rank)


def _pregnancy_current(ctx: Ctx, res: Res, pregnant: Any, when: dt.date | None) -> bool:
    """A pregnancy result says something about now only when it is recent
    (``pregnancy_result_days``: a negative test for days, a positive one for a pregnancy's
    length); an older or undated one is set aside (``unread``) and pregnancy stays unknown, so
    the plan asks for it: an old negative test must not rule a pregnancy out today."""
    days = (ctx.cfg.get("pregnancy_result_days") or {}).get("positive" if pregnant else "negative")
    if days is None:
        return True
    if when is not None and (ctx.builder.as_of - when).days <= int(days):
        return True
    dated = f"dated {when.isoformat()}" if when is not None else "undated"
    said = "positive" if pregnant else "negative"
    why = f"pregnancy result ({said}) {dated}: older than {days} days, not taken as the status now"
    ctx.builder.note_unread({"kind": "ignored", "resource": res.ref, "reason": why})
    return False


def read_observation(ctx: Ctx, res: Res, tl: Timeline) -> None:
    status = res.body.get("status")
    if status in DEAD_STATUS or (status is not None and status not in VALID_OBS_STATUS):
        ctx.builder.note_unread({"kind": "ignored", "resource": res.ref, "reason": f"status {status}"})
        return
    codes = required_code(ctx, res)
    if codes is None:
        return
    res = narrative_value(res)
    when = effective(ctx, res)
    cfg = ctx.cfg
    index = _index(cfg)
    loinc, snomed = ctx.sys("loinc"), ctx.sys("snomed")
    if treatment_summary(ctx, res, codes, tl):
        return
    item = registry_item(ctx, res, codes)
    if item is not None:  # a registry item: its value is an SSDI code, not a percent or a score
        try:
            emit_result(ctx, res, item, when, "fhir.observation.registry")
        except Unreadable as why:
            unread_first(ctx, res, codes, str(why), text_of(res.body.get("code")))
        return
    known = any((system, code) in index for system, code, _ in codes)
    if not known and histology_result(ctx, res, when, tl):  # a tumour type named in words
        return
    for system, code, display in codes:
        spec = index.get((system, code))
        if spec is not None:
            try:
                emit_result(ctx, res, spec, when, f"fhir.observation.{spec['reader']}")
            except Unreadable as why:
                unread_code(ctx, res, system, code, display, str(why))
            said = res.body.get("valueString")
            ish = cfg["text_receptors"]["ish_words"]
            if spec["reader"] == "her2" and isinstance(said, str) and re.search(ish, said):
                named_result_words(ctx, res, "HER2", when)  # "IHC 2+; reflex FISH negative": the ISH too
            _read_components(ctx, res, when, index, by_name=True, parts=False)  # HER2 IHC with its ISH beside
            return
        if _symptom(ctx, res, system, code, when):
            return
        if system == loinc and code in cfg.get("pain_score_codes", []):
            _pain_score(ctx, res, when)
            return
        if system in (loinc, snomed) and code in cfg["distant_metastasis"]["observation_codes"]:
            read_m_category(ctx, res, when, tl)
            return
        if system in (loinc, snomed) and code in cfg["stage_group"]["observation_codes"]:
            read_stage_group(ctx, res, when, tl)
            return
        if system == loinc and code == cfg["disease_status_code"]:
            _disease_status(ctx, res, when, tl)
            return
        if system == snomed and code in cfg["genomics"].get("test_codes", []) and _germline_named(ctx, res):
            emit_result(ctx, res, {"reader": "germline_text"}, when, "fhir.observation.germline_text")
            return
        if (system == loinc and code in cfg["genomics"]["variant_codes"]) or (
            system == snomed and code in cfg["genomics"].get("test_codes", [])
        ):
            from mbc.ingest._fhir_genomics import read_variant

            read_variant(ctx, res, when)
            return
        if system == loinc and code in cfg["genomics"]["region_codes"]:
            from mbc.ingest._fhir_genomics import read_region

            read_region(ctx, res, when)
            return
        if system == loinc and code in cfg["genomics"]["part_codes"] and res.body.get("derivedFrom"):
            return  # read with the variant it is derived from
        if code in cfg["ignore"]["observations"] and not _named_otherwise(cfg, res):
            return
    if _variant_shaped(ctx, res):  # a local code, components of a genomic variant
        from mbc.ingest._fhir_genomics import read_variant

        read_variant(ctx, res, when)
        return
    name = text_of(res.body.get("code"))
    if name and re.search(cfg["symptom_observation_names"], name):  # "Symptôme", "Síntoma"
        symptom_words(ctx, res, when)
        return
    if name and re.search(cfg["disease_status_names"], name):  # "Disease status", "Tumour response (RECIST)"
        _disease_status(ctx, res, when, tl)
        return
    if name and staging_by_name(ctx, res, name, when, tl):  # a local code named "M category", "Stage group"
        return
    for fb in _by_name(ctx, res, cfg["display_fallbacks"], name):
        if fb.get("reader") is None:  # known by name, not read by its code: its words may say
            named_result_words(ctx, res, name, when)
            return
        if fb["reader"] == "variant":  # a sequencing result under a local code
            from mbc.ingest._fhir_genomics import read_variant

            read_variant(ctx, res, when)
            return
        try:
            emit_result(
                ctx, res, fb, when, "fhir.observation.by_name", certainty="inferred", matched_name=name
            )
        except Unreadable as why:
            words = fb["reader"] in ("receptor", "her2") and named_result_words(ctx, res, name, when)
            if not words:
                unread_first(ctx, res, codes, str(why), name)
        if fb["reader"] in ("receptor", "her2"):
            _read_components(ctx, res, when, index, by_name=True, parts=False)
        return
    if _read_components(ctx, res, when, index, by_name=True):  # a panel of mapped / named components
        return
    receptor_named = bool(name) and re.search(cfg["text_receptors"]["report_mention"], name) is not None
    if receptor_named and named_result_words(ctx, res, name, when):
        return
    if codes:
        unread_first(ctx, res, codes, "observation code not in knowledge/ingest/fhir.yaml")


def _by_name(ctx: Ctx, res: Res, fallbacks: list[Mapping[str, Any]], name: str) -> list[Mapping[str, Any]]:
    """The fallback a result's name calls for (a one-item list, or none): the first whose name
    pattern matches, unless its units do not take the value's unit and a later matching one's
    do ("Creatinine clearance (Cockcroft-Gault, actual body weight)" in mL/min is a clearance,
    not a body weight; session 13)."""
    hits = [fb for fb in fallbacks if name and re.search(fb["pattern"], name, re.IGNORECASE)]
    if len(hits) < 2 or not isinstance(res.body.get("valueQuantity"), Mapping):
        return hits[:1]
    for fb in hits:
        if not fb.get("units"):
            return [fb]
        try:
            scaled(ctx, res, fb["units"])
        except Unreadable:
            continue
        return [fb]
    return hits[:1]


def _disease_status(ctx: Ctx, res: Res, when: dt.date | None, tl: Timeline) -> None:
    """A disease status or response assessment saying the disease progressed (coded, or in
    words not denied): progression on its date (it ends the line running then)."""
    cfg = ctx.cfg
    values = {c for _, c, _ in value_codes(ctx, res)}
    said = text_of(res.body.get("valueCodeableConcept")) or str(res.body.get("valueString") or "")
    worded = bool(said) and progression_said(cfg, said)
    if when and (values & set(cfg["progression_answers"]) or worded):
        tl.progression.append(when)


def _named_otherwise(cfg: Mapping[str, Any], res: Res) -> bool:
    """A code we do not read whose own name says it is a result we read by name (a producer's
    illustrative or wrong code beside a display that carries the meaning: "<a survey code> |
    Are you postmenopausal?"): read by its name, not dropped."""
    name = text_of(res.body.get("code"))
    return bool(name) and any(
        fb.get("reader") and re.search(fb["pattern"], name, re.IGNORECASE) for fb in cfg["display_fallbacks"]
    )


def _germline_named(ctx: Ctx, res: Res) -> bool:
    """A result whose name or words say it is of the germline ("Keimbahn BRCA1/2 ...")."""
    from mbc.ingest._fhir_values import value_words

    said = " | ".join([text_of(res.body.get("code")), value_words(res)])
    return re.search(ctx.cfg["genomics"]["germline_origin_words"], said) is not None


def _variant_shaped(ctx: Ctx, res: Res) -> bool:
    genes = set(ctx.cfg["genomics"]["gene_studied"])
    for i, comp in enumerate(res.body.get("component") or []):
        if not isinstance(comp, Mapping):
            continue
        if any(c in genes for _, c, _ in codings(ctx, res, f"component[{i}].code", comp.get("code"))):
            return True
    return False


def _read_components(
    ctx: Ctx,
    res: Res,
    when: dt.date | None,
    index: Mapping[Any, Any],
    by_name: bool = False,
    parts: bool = True,
) -> int:
    """Components whose own code is mapped (an ER status observation with the percent of
    stained nuclei as a component; a receptor panel written as components): read as
    observations of their own, same specimen. ``by_name`` (a panel under an unmapped code):
    tumour-marker components known only by their names too. ``parts=False`` (the result is
    itself a HER2 result): its ISH ratio / copy-number components are its own parts, read
    with it, not as results of their own. Returns how many were read."""
    n = 0
    ish = ctx.cfg["her2_ish"]
    for i, comp in enumerate(res.body.get("component") or []):
        if not isinstance(comp, Mapping):
            continue
        coded = codings(ctx, res, f"component[{i}].code", comp.get("code"))
        found = [(index.get((s, c)), "component") for s, c, _ in coded]
        name = text_of(comp.get("code"))
        if not parts and re.search(f"{ish['ratio_words']}|{ish['copies_words']}", name, re.IGNORECASE):
            continue
        if by_name and name and not any(spec for spec, _ in found):
            fallbacks = ctx.cfg["display_fallbacks"]
            fb = next((f for f in fallbacks if re.search(f["pattern"], name, re.IGNORECASE)), None)
            found = [(fb, "component_by_name")] if fb and fb.get("reader") in ("receptor", "her2") else []
        for spec, how in found:
            if spec is None or spec.get("reader") not in ("receptor", "her2", "percent", "number"):
                continue
            body = {k: v for k, v in res.body.items() if not k.startswith("value") and k != "component"}
            body.update({k: v for k, v in comp.items() if k.startswith("value")})
            extra = {"certainty": "inferred", "matched_name": name} if how == "component_by_name" else {}
            with contextlib.suppress(Unreadable):
                rule = f"fhir.observation.{how}.{spec['reader']}"
                emit_result(ctx, Res(body, res.index), spec, when, rule, **extra)
                n += 1
            break
    return n


def _symptom(ctx: Ctx, res: Res, system: str, code: str, when: dt.date | None) -> bool:
    """A symptom finding (its code, or the value of a LOINC "Symptom" observation); a
    finding recorded as absent (valueBoolean false) is not a symptom."""
    table = ctx.cfg.get("symptom_codes", {})
    snomed = ctx.sys("snomed")
    word = table.get(code) if system == snomed else None
    if word is None and system == ctx.sys("loinc") and code in ctx.cfg.get("symptom_observation_codes", []):
        word = next((table[c] for s, c, _ in value_codes(ctx, res) if s == snomed and c in table), None)
        if word is None:
            return symptom_words(ctx, res, when)
    if word is None:
        return False
    if res.body.get("valueBoolean") is not False:
        ctx.builder.add("symptoms", word, src(res, "code", "fhir.observation.symptom", when))
    return True


def symptom_words(ctx: Ctx, res: Res, when: dt.date | None) -> bool:
    """A symptom observation (LOINC "Symptom", or named so in any language) given in words:
    brain metastases said asymptomatic, and the symptom its words say is there now ("dyspnée
    d'effort (NYHA II), pas de douleur thoracique": exertional dyspnoea; certainty inferred)."""
    from mbc.ingest._fhir_words import brain_symptoms, symptoms_by_words

    value = res.body.get("valueString") or ""
    said = " | ".join([text_of(res.body.get("valueCodeableConcept")), str(value)])
    brain = brain_symptoms(ctx, res, said, when)
    words = symptoms_by_words(ctx.cfg, said)  # each one its words name ("dry cough, dyspnoea")
    for word in words if res.body.get("valueBoolean") is not False else []:
        source = src(res, "value", "fhir.observation.symptom_words", when, certainty="inferred")
        ctx.builder.add("symptoms", word, source)
    return brain or bool(words)


def _pain_score(ctx: Ctx, res: Res, when: dt.date | None) -> None:
    """A pain score above 0 whose words name the pain ("L chest wall (rib) pain"): that
    symptom (certainty inferred). A score alone names no symptom."""
    from mbc.ingest._fhir_words import symptom_by_words

    got = res.body.get("valueInteger", (res.body.get("valueQuantity") or {}).get("value"))
    if not isinstance(got, int | float) or isinstance(got, bool) or got <= 0:
        return
    notes = [str(n.get("text")) for n in res.body.get("note") or [] if isinstance(n, Mapping)]
    word = symptom_by_words(ctx.cfg, " | ".join([*notes, str(res.body.get("valueString") or "")]))
    if word is not None:
        source = src(res, "note", "fhir.observation.pain_score", when, certainty="inferred")
        ctx.builder.add("symptoms", word, source)

