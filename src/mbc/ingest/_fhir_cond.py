"""FHIR Patient, Condition and Procedure resources: demographics, sites, stage, history."""

from __future__ import annotations

import datetime as dt
from typing import Any

from mbc.ingest._fhir_base import (
    DEAD_STATUS,
    Ctx,
    Res,
    Timeline,
    check_date,
    codings,
    extension_values,
    period,
    src,
    text_of,
    unread_code,
    words_match,
)
from mbc.ingest._fhir_obs import is_stage_iv

__all__ = ["read_condition", "read_patient", "read_procedure"]


def read_patient(ctx: Ctx, res: Res, tl: Timeline) -> None:
    birth = check_date(ctx, res, "birthDate")
    as_of = ctx.builder.as_of
    if birth is not None:
        age = as_of.year - birth.year - ((as_of.month, as_of.day) < (birth.month, birth.day))
        ctx.builder.set("age", age, src(res, "birthDate", "fhir.patient.age"))
    gender = res.body.get("gender")
    if gender in ("female", "male"):
        ctx.builder.set("sex", gender, src(res, "gender", "fhir.patient.sex"))
    elif gender is not None:
        ctx.builder.note_unread(
            {
                "kind": "value",
                "resource": res.ref,
                "element": "gender",
                "value": gender,
                "reason": "contract sex is female|male",
            }
        )


def _alive(ctx: Ctx, res: Res) -> bool:
    ver = {c for _, c, _ in codings(ctx, res, "verificationStatus", res.body.get("verificationStatus"))}
    return not (ver & {"entered-in-error", "refuted"})


def _active(ctx: Ctx, res: Res) -> bool:
    clin = {c for _, c, _ in codings(ctx, res, "clinicalStatus", res.body.get("clinicalStatus"))}
    if clin and not clin & {"active", "recurrence", "relapse"}:
        return False
    return "abatementDateTime" not in res.body and "abatementPeriod" not in res.body


def _icd_lookup(table: dict[str, str], code: str) -> str | None:
    """Longest listed prefix of an ICD-10-CM code ("C79.51" -> "C79.5" -> ...)."""
    code = code.upper()
    if "." not in code and len(code) > 3:
        code = code[:3] + "." + code[3:]
    for n in range(len(code), 2, -1):
        if code[:n] in table:
            return table[code[:n]]
    return None


def _onset(ctx: Ctx, res: Res) -> dt.date | None:
    onset = check_date(ctx, res, "onsetDateTime")
    if onset is None and "onsetPeriod" in res.body:
        onset = period(ctx, res, "onsetPeriod")[0]
    return onset or check_date(ctx, res, "recordedDate")


def read_condition(ctx: Ctx, res: Res, tl: Timeline) -> None:  # noqa: C901, PLR0911, PLR0912
    if not _alive(ctx, res):
        ctx.builder.note_unread(
            {"kind": "ignored", "resource": res.ref, "reason": "verificationStatus entered-in-error/refuted"}
        )
        return
    if "code" not in res.body:
        ctx.fail(res, "code", "Condition.code is required")
        return
    codes = codings(ctx, res, "code", res.body.get("code"))
    onset = _onset(ctx, res)
    cfg = ctx.cfg
    snomed = ctx.sys("snomed")
    icd = {ctx.sys("icd10cm"), *cfg.get("icd10_systems", [])}
    sec = cfg["secondary_conditions"]
    for system, code, display in codes:
        site: str | None = None
        if system == snomed and code in sec["snomed"]:
            site = sec["snomed"][code]
        elif system in icd:
            site = _icd_lookup(sec["icd10cm"], code)
        if site == "by_body_site":
            site = None
            for _, bcode, _ in codings(ctx, res, "bodySite", res.body.get("bodySite")):
                site = sec["body_sites"].get(bcode, site)
            if site is None:
                site = words_match(sec.get("body_site_words", {}), text_of(res.body.get("bodySite")))
            if site is None:
                unread_code(ctx, res, system, code, display, "secondary cancer, bodySite unknown")
                return
        if site is not None:
            source = src(res, "code", "fhir.condition.secondary", onset)
            ctx.builder.add("metastases.sites", site, source)
            if onset and (tl.metastatic is None or onset < tl.metastatic):
                tl.metastatic, tl.metastatic_ref = onset, source
            return
        bc = cfg["breast_cancer_conditions"]
        if (system == snomed and code in bc["snomed"]) or (
            system in icd and any(code.upper().startswith(p) for p in bc["icd10cm_prefixes"])
        ):
            _read_primary(ctx, res, tl, onset)
            return
        if system == snomed and code in cfg.get("comorbidity_conditions", {}):
            if _active(ctx, res):
                ctx.builder.add(
                    "comorbidities",
                    cfg["comorbidity_conditions"][code],
                    src(res, "code", "fhir.condition.comorbidity", onset),
                )
            return
        if system == snomed and code in cfg.get("pregnancy_conditions", []):
            if _active(ctx, res):
                source = src(res, "code", "fhir.condition.pregnancy", onset)
                ctx.builder.set("pregnant", True, source, rank=(str(onset),))
            return
        if system == snomed and code in cfg["menopause"]["codes"]:
            source = src(res, "code", "fhir.condition.menopause", onset)
            ctx.builder.set("menopausal_status", cfg["menopause"]["codes"][code], source, rank=(str(onset),))
            return
        if system == snomed and code in cfg.get("ignore", {}).get("conditions", []):
            return
    name = text_of(res.body.get("code"))
    if name and words_match({cfg["breast_cancer_conditions"]["words"]: "yes"}, name):
        _read_primary(ctx, res, tl, onset, certainty="inferred")
        return
    if codes:
        s, c, d = codes[0]
        unread_code(ctx, res, s, c, d, "condition code not in knowledge/ingest/fhir.yaml")


def _read_primary(ctx: Ctx, res: Res, tl: Timeline, onset: dt.date | None, **extra: Any) -> None:
    """The primary breast cancer: diagnosis date, stage group, histology."""
    if onset and (tl.primary_dx is None or onset < tl.primary_dx):
        tl.primary_dx = onset
    stages = res.body.get("stage", [])
    if not isinstance(stages, list):
        ctx.fail(res, "stage", "expected a list")
        return
    for i, st in enumerate(stages):
        if isinstance(st, dict) or hasattr(st, "get"):
            concept = st.get("summary")
            if is_stage_iv(ctx, codings(ctx, res, f"stage[{i}].summary", concept), text_of(concept)):
                tl.stage_iv_at_dx = True
                if onset is not None and (tl.metastatic is None or onset < tl.metastatic):
                    tl.metastatic = onset
                    tl.metastatic_ref = src(res, f"stage[{i}].summary", "fhir.condition.stage_iv", onset)
    histology = ctx.cfg["histology"]
    for value in extension_values(res, "histology-morphology-behavior"):
        word = None
        for _, code, _ in codings(ctx, res, "extension.valueCodeableConcept", value):
            word = word or histology["codes"].get(code)
        word = word or words_match(histology["words"], text_of(value))
        if word:
            source = src(
                res, "extension[histologyMorphologyBehavior]", "fhir.condition.histology", onset, **extra
            )
            ctx.builder.set("tumor.histology", word, source)


def read_procedure(ctx: Ctx, res: Res, tl: Timeline) -> None:
    if res.body.get("status") in DEAD_STATUS | {"not-done"}:
        return
    codes = codings(ctx, res, "code", res.body.get("code"))
    when = check_date(ctx, res, "performedDateTime")
    if when is None:
        when = period(ctx, res, "performedPeriod")[0]
    cfg = ctx.cfg
    for system, code, _display in codes:
        if system == ctx.sys("snomed") and code in cfg["breast_surgery_procedures"]:
            if when:
                tl.surgeries.append(when)
            return
        if code in cfg.get("ignore", {}).get("procedures", []):
            return
    name = text_of(res.body.get("code"))
    if name and words_match({cfg["breast_surgery_words"]: "yes"}, name):
        if when:
            tl.surgeries.append(when)
        return
    if codes:
        s, c, d = codes[0]
        unread_code(ctx, res, s, c, d, "procedure code not in knowledge/ingest/fhir.yaml")
