"""FHIR Procedure resources: breast surgery (its date places early therapy), local brain
therapy, a drug-therapy procedure naming its drugs, and ovarian ablation (part of the endocrine
line running then). Split from :mod:`mbc.ingest._fhir_cond`."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from typing import Any

from mbc.ingest._data import drug_index
from mbc.ingest._fhir_base import (
    DEAD_STATUS,
    Ctx,
    MedRecord,
    Res,
    Timeline,
    check_date,
    codings,
    period,
    src,
    text_of,
    unread_first,
    words_match,
)

__all__ = ["read_procedure", "read_service_request"]

# A request still open or being drafted: ordered or planned, not done.
_ORDERED = frozenset({"draft", "active", "on-hold"})


def read_procedure(ctx: Ctx, res: Res, tl: Timeline) -> None:
    if res.body.get("status") in DEAD_STATUS | {"not-done"}:
        return
    if res.body.get("status") == "unknown":  # not known to have been done: never a therapy given
        ctx.builder.note_unread({"kind": "ignored", "resource": res.ref, "reason": "status unknown"})
        return
    if res.body.get("status") in ctx.cfg["therapy_grouping"]["planned_statuses"]:  # being prepared
        ctx.builder.note_unread({"kind": "ignored", "resource": res.ref, "reason": "planned, not done yet"})
        shown = [d for _, _, d in codings(ctx, res, "code", res.body.get("code")) if d]
        said = " | ".join([text_of(res.body.get("code")), *shown])
        if words_match({ctx.cfg["brain_local_therapy_words"]: "yes"}, said):  # as an order of it: not yet
            source = src(res, "code", "fhir.procedure.brain_local_planned", None, certainty="inferred")
            ctx.builder.set("metastases.brain.locally_treated", False, source, rank=(0,))
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
    if _ovarian_ablation(ctx, res, codes, when, tl):
        return
    used = res.body.get("usedCode")
    drug_therapy = words_match(cfg["drug_procedure_words"], text_of(res.body.get("code")))
    if isinstance(used, list) and used and drug_therapy:
        _procedure_drugs(ctx, res, used, tl)  # "Chemotherapy" with the drugs given as usedCode
        return
    name = text_of(res.body.get("code"))
    said = " | ".join([name, *(d for _, _, d in codes if d)])
    if drug_therapy and drug_index().find(said):  # "Chemotherapy - <drugs> x4": the drugs in its name
        _procedure_drugs(ctx, res, [{"text": said}], tl)
        return
    if words_match({cfg["brain_local_therapy_words"]: "yes"}, said):
        source = src(res, "code", "fhir.procedure.brain_local", when)
        ctx.builder.set("metastases.brain.locally_treated", True, source, rank=(1,))
        return
    if name and words_match({cfg["breast_surgery_words"]: "yes"}, name):
        if when:
            tl.surgeries.append(when)
        return
    if codes:
        unread_first(ctx, res, codes, "procedure code not in knowledge/ingest/fhir.yaml")


def read_service_request(ctx: Ctx, res: Res, tl: Timeline) -> None:
    """A ServiceRequest is an order, never a record that it was done: local brain therapy only
    ordered or planned (radiosurgery booked) says the brain metastases are not yet locally
    treated (inferred; a Procedure recording it done wins; dropped when no brain site). The
    symptom an open order gives as its reason ("MRI brain - new headaches") is current."""
    del tl
    if res.body.get("status") not in _ORDERED or res.body.get("doNotPerform") is True:
        return
    _order_reason_symptom(ctx, res)
    codes = codings(ctx, res, "code", res.body.get("code"))
    said = " | ".join([text_of(res.body.get("code")), *(d for _, _, d in codes if d)])
    if words_match({ctx.cfg["brain_local_therapy_words"]: "yes"}, said):
        when = check_date(ctx, res, "authoredOn")
        source = src(res, "code", "fhir.service_request.brain_local_ordered", when, certainty="inferred")
        ctx.builder.set("metastases.brain.locally_treated", False, source, rank=(0,))


def _order_reason_symptom(ctx: Ctx, res: Res) -> None:
    """The symptom an open order written within ``symptom_current_days`` gives as its reason,
    in words the note reader's symptom vocabulary knows (negated or resolved words are not)."""
    from mbc.ingest._fhir_words import symptom_by_words

    when = check_date(ctx, res, "authoredOn")
    days = ctx.cfg.get("symptom_current_days")
    if when is None or (days and (ctx.builder.as_of - when).days > int(days)):
        return
    reasons = res.body.get("reasonCode")
    said = " | ".join(text_of(c) for c in (reasons if isinstance(reasons, list) else []))
    word = symptom_by_words(ctx.cfg, said)
    if word is not None:
        source = src(res, "reasonCode", "fhir.service_request.reason_symptom", when, certainty="inferred")
        ctx.builder.add("symptoms", word, source)


def _ovarian_ablation(
    ctx: Ctx, res: Res, codes: list[tuple[str, str, str]], when: dt.date | None, tl: Timeline
) -> bool:
    """An ovarian ablation (bilateral oophorectomy, ovarian irradiation): a record of the
    ablation "drug" on its date that joins the endocrine line running then. True when read."""
    table = ctx.cfg.get("ovarian_ablation")
    if not table or res.body.get("status") not in (None, "completed"):
        return False
    said = " | ".join([text_of(res.body.get("code")), *(d for _, _, d in codes if d)])
    coded = any(s == ctx.sys("snomed") and c in table["snomed"] for s, c, _ in codes)
    if not coded and not re.search(table["words"], said):
        return False
    if when is not None:
        tl.meds.append(MedRecord(str(table["drug"]), when, when, False, None, res.ref, done=True, addon=True))
    return True


def _procedure_drugs(ctx: Ctx, res: Res, used: list[Any], tl: Timeline) -> None:
    """A drug-therapy procedure naming its drugs (``usedCode``): read as the record of each
    drug given, over the procedure's period, with its status, reasons and extensions."""
    from mbc.ingest._fhir_meds import read_medication

    status = {"completed": "completed", "in-progress": "active", "on-hold": "on-hold", "stopped": "stopped",
              "preparation": "intended"}  # fmt: skip
    body = {k: v for k, v in res.body.items() if k in ("extension", "statusReason", "note", "reasonCode")}
    body["status"] = status.get(str(res.body.get("status")), "completed")
    if isinstance(res.body.get("performedPeriod"), Mapping):
        body["effectivePeriod"] = res.body["performedPeriod"]
    elif res.body.get("performedDateTime") is not None:
        body["effectiveDateTime"] = res.body["performedDateTime"]
    for i, concept in enumerate(used):
        item = {"resourceType": "MedicationStatement", "id": f"{res.id}#used{i}", **body,
                "medicationCodeableConcept": concept}  # fmt: skip
        read_medication(ctx, Res(item, res.index), tl)
