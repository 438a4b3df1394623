"""FHIR Patient: age and sex (``gender``, else the US Core sex extensions, inferred)."""

from __future__ import annotations

from collections.abc import Mapping

from mbc.ingest._fhir_base import Ctx, Res, Timeline, check_date, src

__all__ = ["read_patient"]


def read_patient(ctx: Ctx, res: Res, tl: Timeline) -> None:
    birth = check_date(ctx, res, "birthDate")
    as_of = ctx.builder.as_of
    if birth is not None:
        age = as_of.year - birth.year - ((as_of.month, as_of.day) < (birth.month, birth.day))
        ctx.builder.set("age", age, src(res, "birthDate", "fhir.patient.age"))
    gender = res.body.get("gender")
    if gender in ("female", "male"):
        ctx.builder.set("sex", gender, src(res, "gender", "fhir.patient.sex"))
        return
    sex = _sex_extension(ctx, res)
    if sex is not None:  # no usable gender: US Core birth sex / sex extension (inferred)
        ctx.builder.set("sex", sex, src(res, "extension", "fhir.patient.sex_extension", certainty="inferred"))
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


def _sex_extension(ctx: Ctx, res: Res) -> str | None:
    """female / male from the patient's sex extensions (``patient_sex_extensions``)."""
    table = ctx.cfg["patient_sex_extensions"]
    for ext in res.body.get("extension") or []:
        url = str(ext.get("url") or "") if isinstance(ext, Mapping) else ""
        if not any(url.endswith(name) for name in table["urls"]):
            continue
        coding = ext.get("valueCoding") if isinstance(ext.get("valueCoding"), Mapping) else {}
        concept = ext.get("valueCodeableConcept")
        concept = concept if isinstance(concept, Mapping) else {}
        coded = [c.get("code") for c in concept.get("coding") or [] if isinstance(c, Mapping)]
        codes = [ext.get("valueCode"), coding.get("code"), *coded]
        for code in codes:
            if str(code) in table["values"]:
                return str(table["values"][str(code)])
    return None
