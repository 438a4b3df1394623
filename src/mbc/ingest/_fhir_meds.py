"""FHIR medication records, read one by one into dated records of a drug (grouped into
courses and lines by :mod:`mbc.ingest._fhir_lines`).

MedicationStatement / MedicationRequest / MedicationAdministration, with the medication given
inline, by reference to a separate Medication (``Type/id``, a full URL or ``urn:uuid:``) or to
a *contained* one (``#id``); coded in RxNorm, NDC or only named. A request that is only a plan
or proposal, or a statement of an intended drug, is not a therapy given.
An order whose first dose is scheduled after the record's date is not given either. The
intent a record carries (procedure-intent extension; the setting written on it, its category
too) and why it stopped (coded or in words; a dose change is not a stop) go with the record.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from typing import Any

from mbc.ingest._data import drug_index
from mbc.ingest._fhir_base import (
    Ctx,
    MedRecord,
    Res,
    Timeline,
    check_date,
    codings,
    extension_values,
    parse_date,
    period,
    said_match,
    src,
    text_of,
    unread_code,
    words_match,
)
from mbc.ingest._fhir_med_words import named_drugs, note_measures, progressed_before, regimen_named, specific
from mbc.ingest._fhir_narrative import read_narrative, this_course
from mbc.ingest._fhir_not_given import not_yet_given
from mbc.ingest._fhir_spelling import respell

__all__ = ["read_medication"]


def _compound(ctx: Ctx, med: Res) -> Any:
    """A Medication's code, or the drugs it is made of when its code names no drug we know (a
    combination product or a regimen kit, by ingredient: ``itemCodeableConcept`` or a
    reference to another Medication): each ingredient's codings and words, marked so that
    every one of them is read (not only the first coded drug)."""
    concept = med.body.get("code")
    if concept is not None and (not isinstance(concept, Mapping) or _names_a_drug(ctx, concept)):
        return concept  # a malformed code is reported by the reader (codings)
    items = []
    parts = med.body.get("ingredient")
    for i in parts if isinstance(parts, list) else []:
        if not isinstance(i, Mapping):
            continue
        item = i.get("itemCodeableConcept")
        ref = i.get("itemReference")
        if (
            not isinstance(item, Mapping)
            and isinstance(ref, Mapping)
            and isinstance(ref.get("reference"), str)
        ):
            found = ctx.resolve(med, ref["reference"])
            item = found.body.get("code") if found is not None else None
        if isinstance(item, Mapping):
            items.append(item)
    if not items:
        return concept
    return {
        "coding": [c for i in items for c in i.get("coding") or []],
        "text": " + ".join(text_of(i) for i in items if text_of(i)),
        _INGREDIENTS: True,
    }


def _names_a_drug(ctx: Ctx, concept: Mapping[str, Any]) -> bool:
    drugs = drug_index()
    rx = ctx.sys("rxnorm")
    coded = any(c.get("system") == rx and str(c.get("code")) in drugs.by_rxnorm
                for c in concept.get("coding") or [] if isinstance(c, Mapping))  # fmt: skip
    return coded or bool(drugs.find(text_of(concept)))


# a concept built from a Medication's ingredients: every drug it codes is read
_INGREDIENTS = "_ingredients"


def _medication_concept(ctx: Ctx, res: Res) -> tuple[Any, Res, str]:
    if "medicationCodeableConcept" in res.body:
        return res.body["medicationCodeableConcept"], res, "medicationCodeableConcept"
    ref = res.body.get("medicationReference")
    if isinstance(ref, Mapping) and not isinstance(ref.get("reference"), str):
        # a logical reference: the Medication holding its identifier, else its display
        med = ctx.by_identifier(res, "Medication", ref.get("identifier"))
        if med is not None:
            return _compound(ctx, med), med, "code"
        if isinstance(ref.get("display"), str):
            return {"text": ref["display"]}, res, "medicationReference.display"
    if isinstance(ref, Mapping) and isinstance(ref.get("reference"), str):
        med = ctx.resolve(res, ref["reference"])
        if med is not None:
            return _compound(ctx, med), med, "code"
        if isinstance(ref.get("display"), str):
            return {"text": ref["display"]}, res, "medicationReference.display"
        ctx.fail(res, "medicationReference", f"unresolved reference {ref['reference']!r}")
        return None, res, "medicationReference"
    ctx.fail(res, "medication[x]", "no medicationCodeableConcept or medicationReference")
    return None, res, "medication[x]"


def _med_dates(ctx: Ctx, res: Res) -> tuple[dt.date | None, dt.date | None]:
    if res.type == "MedicationRequest":
        # when the drug is to be taken (the dosage's bounds), else when the order may be
        # dispensed (``validityPeriod``), else when it was written
        for dose in res.body.get("dosageInstruction") or []:
            timing = dose.get("timing") if isinstance(dose, Mapping) else None
            repeat = timing.get("repeat") if isinstance(timing, Mapping) else None
            bounds = repeat.get("boundsPeriod") if isinstance(repeat, Mapping) else None
            if isinstance(bounds, Mapping) and parse_date(bounds.get("start")):
                s = parse_date(bounds.get("start"))
                return s, parse_date(bounds.get("end")) or s
        events = _timing_events(res)  # the days a dose is to be given (Timing.event)
        if events:
            return min(events), max(events)
        disp = res.body.get("dispenseRequest")
        if isinstance(disp, Mapping) and isinstance(disp.get("validityPeriod"), Mapping):
            vp = disp["validityPeriod"]
            s, e = parse_date(vp.get("start")), parse_date(vp.get("end"))
            if s:
                return s, e or s
        d = check_date(ctx, res, "authoredOn")
        return d, d
    s, e = period(ctx, res, "effectivePeriod")
    if s or e:
        return s or e, e or (None if s is None else s)
    for element in ("effectiveDateTime", "whenHandedOver", "whenPrepared", "dateAsserted"):
        if res.body.get(element) is not None:
            d = check_date(ctx, res, element)
            return d, d
    return None, None


def _timing_events(res: Res) -> list[dt.date]:
    """The days of a request's ``dosageInstruction.timing.event`` (each dose's day)."""
    days = []
    for dose in res.body.get("dosageInstruction") or []:
        timing = dose.get("timing") if isinstance(dose, Mapping) else None
        events = timing.get("event") if isinstance(timing, Mapping) else None
        days += [d for e in (events if isinstance(events, list) else []) if (d := parse_date(e)) is not None]
    return days


def _end_only(res: Res) -> bool:
    """A record whose period gives its end and no start ("adjuvant EC then a taxane", ended
    on a day): when the course began is not known."""
    p = res.body.get("effectivePeriod")
    return isinstance(p, Mapping) and not p.get("start") and bool(p.get("end"))


def _unlisted_name(ctx: Ctx, said: str) -> str | None:
    """The generic name at the head of a drug's words ("Penicillin V Potassium 250 MG Oral
    Tablet" -> "penicillin v"), salt dropped; None when the words do not start with one."""
    rule = ctx.cfg["unlisted_medication"]
    m = re.match(rule["name"], said.split("|")[0].strip())
    if not m:
        return None
    name = re.sub(rule["salts"], "", m.group("name").strip(), flags=re.IGNORECASE).strip().lower()
    return name if len(name) >= 4 and not re.search(rule["not_a_drug"], name, re.IGNORECASE) else None


def _name_words(display: str, concept: Any) -> list[str]:
    """Where a drug's generic name may stand, in order: the first coding's display, the
    concept's text and other displays, then each bracket in them (a local brand or a name in
    another script, the generic in brackets: "<brand> 60 mg (<generic>)")."""
    texts = [display, *text_of(concept).split(" | ")] if isinstance(concept, Mapping) else [display]
    texts = [t for t in texts if t]
    return [*texts, *(m for t in texts for m in re.findall(r"[(\[]([^()\[\]]{4,60})[)\]]", t))]


def _order_dated(res: Res) -> bool:
    """A request dated only by ``authoredOn`` (when it was ordered, not when it was given):
    no validity period and no dosage bounds."""
    if res.type != "MedicationRequest" or _timing_events(res):
        return False
    disp = res.body.get("dispenseRequest")
    if isinstance(disp, Mapping) and isinstance(disp.get("validityPeriod"), Mapping):
        return False
    for dose in res.body.get("dosageInstruction") or []:
        timing = dose.get("timing") if isinstance(dose, Mapping) else None
        repeat = timing.get("repeat") if isinstance(timing, Mapping) else None
        if isinstance(repeat, Mapping) and isinstance(repeat.get("boundsPeriod"), Mapping):
            return False
    return True


def _chain(ctx: Ctx, res: Res) -> str | None:
    """The first order of the chain a record belongs to: a request's ``priorPrescription``
    followed back (a dose change written as a new order), an administration's ``request``, a
    statement's ``basedOn``, a dispense's ``authorizingPrescription``. None: no order known."""
    cur: Res | None = res
    if res.type != "MedicationRequest":
        cur = None
        for element in ("request", "basedOn", "authorizingPrescription"):
            value = res.body.get(element)
            value = value[0] if isinstance(value, list) and value else value
            ref = value.get("reference") if isinstance(value, Mapping) else None
            found = ctx.resolve(res, ref) if isinstance(ref, str) else None
            if found is not None and found.type == "MedicationRequest":
                cur = found
                break
    seen: set[str] = set()
    while cur is not None and cur.ref not in seen:
        seen.add(cur.ref)
        prior = cur.body.get("priorPrescription")
        ref = prior.get("reference") if isinstance(prior, Mapping) else None
        found = ctx.resolve(cur, ref) if isinstance(ref, str) else None
        if found is None or found.type != "MedicationRequest":
            return cur.ref
        cur = found
    return cur.ref if cur is not None else None


def _intent(ctx: Ctx, res: Res) -> str | None:
    table = ctx.cfg["treatment_intent"]
    for needle in table["extension_urls"]:
        for value in extension_values(res, needle):
            for _, code, _ in codings(ctx, res, "extension.valueCodeableConcept", value):
                if code in table["codes"]:
                    return str(table["codes"][code])
            word = words_match(table["words"], text_of(value))
            if word:
                return word
    return None


def _texts(value: Any, displays: bool = False) -> list[str]:
    """The ``text`` of a concept, annotation or dosage, or of each item of a list; with
    ``displays``, a coded concept's displays too (a coded status reason)."""
    if isinstance(value, list):
        return [t for v in value for t in _texts(v, displays)]
    out: list[str] = []
    if isinstance(value, Mapping) and isinstance(value.get("text"), str):
        out.append(value["text"])
    if displays and isinstance(value, Mapping) and not out:
        out += [str(c["display"]) for c in value.get("coding") or []
                if isinstance(c, Mapping) and isinstance(c.get("display"), str)]  # fmt: skip
    return out


def _said(res: Res) -> tuple[str, str]:
    """(why it stopped, everything written) - free text of a medication resource: status
    reason (its coded display too), notes, dosage text, reason codes and category ("neoadjuvant
    (TCHP x6)", "metastatic 1st line")."""
    body = res.body
    why = " | ".join(_texts(body.get("statusReason"), displays=True))
    rest = [*_texts(body.get("note")), *_texts(body.get("dosage")), *_texts(body.get("dosageInstruction")),
            *_texts(body.get("reasonCode")), *_texts(body.get("medicationCodeableConcept")),
            *_texts(body.get("category"))]  # fmt: skip
    return why, " | ".join([why, *rest])


def read_medication(ctx: Ctx, res: Res, tl: Timeline) -> None:  # noqa: C901 - one pass over the record
    status = str(res.body.get("status", ""))
    grouping = ctx.cfg["therapy_grouping"]
    if status in grouping["ignored_statuses"]:
        ctx.builder.note_unread({"kind": "ignored", "resource": res.ref, "reason": f"status {status}"})
        why = _said(res)[0]
        progressed = ctx.cfg["therapy_words"]["not_given_progression"]
        if status == "not-done" and why and re.search(progressed, why, re.IGNORECASE):
            when = _med_dates(ctx, res)[0]
            if when is not None:
                tl.progression.append(when)
        return
    if res.type == "MedicationAdministration" and status == "completed":  # "progression on HP"
        given, notes = _med_dates(ctx, res)[0], _texts(res.body.get("note"))
        day = progressed_before(ctx.cfg, notes, given) if given is not None else None
        if given is not None:
            note_measures(ctx, res, notes, given)  # "Echo 2 weeks ago: LVEF 58%"
        if day is not None:
            tl.progression.append(day)
    if res.body.get("doNotPerform") is True:  # a request NOT to give the drug
        ctx.builder.note_unread({"kind": "ignored", "resource": res.ref, "reason": "doNotPerform"})
        return
    planned = (
        status in grouping["planned_statuses"]
        or status in (grouping.get("planned_statuses_by_type") or {}).get(res.type, [])
        or str(res.body.get("intent", "")) in grouping["planned_intents"]
    )
    concept, owner, element = _medication_concept(ctx, res)
    if concept is None:
        return
    drugs = drug_index()
    rx = ctx.sys("rxnorm")
    inns: list[str] = []
    codes = codings(ctx, owner, element, concept)
    atc_systems, atc = set(ctx.cfg.get("atc_systems") or []), ctx.cfg.get("atc_drugs") or {}
    every = isinstance(concept, Mapping) and concept.get(_INGREDIENTS) is True  # a combination
    for system, code, _ in codes:
        got: list[str] = []
        if system == rx and code in drugs.by_rxnorm:
            got = [drugs.by_rxnorm[code]]
        elif system in atc_systems and code in atc:  # an ATC-coded drug (European / IPS producers)
            got = [str(atc[code])]
        elif system in atc_systems:  # a co-medication coded in ATC (a fixed combination: each part)
            got = list(drugs.by_atc.get(code.upper(), []))
        new = [inn for inn in got if inn not in inns]
        if new:
            inns += new
            if not every:
                break
    # The words name a more specific form of the coded drug (a protein-bound or conjugated
    # form whose name contains it): the words win, the code may be the parent ingredient's.
    # a US biologic's four-letter FDA suffix ("<name>-nxki") is not part of its name
    # (a name spelled as another language writes it is read as the name it spells)
    words = respell(ctx.cfg, re.sub(ctx.cfg["drug_name_suffix"], "", text_of(concept)))
    named = named_drugs(drugs.find(words)) if len(inns) == 1 else []
    if len(named) == 1 and named[0] != inns[0] and inns[0] in named[0]:
        inns = named
    elif regimen_named(inns, named):  # one record of a regimen, coded by one of its drugs
        # (not a drug its words give to another course: "<an AI>, switched from <another>")
        inns = specific(named_drugs(this_course(words, drugs.find(words), ctx.cfg["narrative_therapy"])))
    if not inns:
        inns = specific(named_drugs(drugs.find(words)))
    told = read_narrative(ctx, res) if not inns else None  # "<regimen> - see narrative"
    if told is not None:
        inns, element = told.drugs, "text"
    if not inns:
        s, c, d = codes[0] if codes else ("", "", text_of(concept))
        name = None
        if status in ("active", "in-progress"):  # the display, else any other words naming it
            name = next(filter(None, (_unlisted_name(ctx, w) for w in _name_words(d, concept))), None)
        if name is not None and not planned:  # a current drug no list knows: carried by its name
            source = src(res, element, "fhir.medication.current_unlisted", certainty="inferred")
            ctx.builder.add("medications", name, {**source, "derived": f"named {d or text_of(concept)!r}"})
            return
        unread_code(ctx, res, s, c, d or text_of(concept), "medication not in knowledge/ingest/drugs.yaml")
        return
    if planned:
        ctx.builder.note_unread(
            {
                "kind": "ignored",
                "resource": res.ref,
                "reason": "planned or proposed, not given",
                "drugs": inns,
            }
        )
        return
    start, end = _med_dates(ctx, res)
    if told is not None and start is None:  # dated only in its words
        start, end = told.start, (told.end if status not in ("active", "on-hold", "in-progress") else None)
    later = not_yet_given(ctx, res, start, _order_dated(res))
    if later is not None:
        why_not = f"ordered, not yet given: {later}"
        ctx.builder.note_unread({"kind": "ignored", "resource": res.ref, "reason": why_not, "drugs": inns})
        return
    active = status in ("active", "on-hold", "in-progress")
    why, said = _said(res)
    if told is not None:
        said = " | ".join([said, told.text])
    words = ctx.cfg["therapy_words"]
    went_on = bool(why and re.search(words["not_a_stop"], why, re.IGNORECASE))  # a dose change
    denied = words.get("denied_before")
    said_stop = said_match(words["stop"], why, denied) if why and not went_on else None
    reason = _termination_reason(ctx, res) or said_stop
    if reason is None and not active and said:
        reason = said_match(words["stopped_note"], said, denied)
    if reason is None and not active and told is not None:
        reason = told.reason
    intent = _intent(ctx, res)
    if intent in (None, "curative") and said:  # "adjuvant ddAC x4" written on the record
        intent = words_match(words["setting"], said) or intent
    if intent is None and _treats_metastases(ctx, res):  # given for a secondary neoplasm
        intent = "metastatic"
    for inn in inns:
        if drugs.kind.get(inn, "other") == "antineoplastic":
            if start is None:
                ctx.builder.note_unread({"kind": "medication_without_date", "resource": res.ref, "drug": inn})
                continue
            done = status == "completed"
            m = re.search(ctx.cfg["therapy_grouping"].get("cycle_number", "(?!)"), said or "", re.IGNORECASE)
            cycle = int(m.group("n")) if m else None
            joins = bool(said and re.search(words["joins_line"], said, re.IGNORECASE))
            goes_on = bool(said and said_match({words.get("goes_on", "(?!)"): "yes"}, said, denied))
            record = MedRecord(
                inn, start, end or start, active, reason, res.ref, intent, done, cycle, joins,
                ordered=_order_dated(res), chain=_chain(ctx, res), held=status == "on-hold",
                goes_on=goes_on, no_start=_end_only(res),
            )  # fmt: skip
            tl.meds.append(record)
            days = _supply_days(ctx, res)
            if days:  # a dispense (or an order) of this many days' supply: taken up to its last day
                tl.supply_ends[res.ref] = (end or start) + dt.timedelta(days=days - 1)
        elif active and status != "on-hold":  # a held drug is not being taken now
            extra: dict[str, Any] = (
                {"certainty": "inferred", "derived": "named in the narrative"} if told else {}
            )
            ctx.builder.add("medications", inn, src(res, element, "fhir.medication.current", None, **extra))
        elif _goes_on(ctx, res, said, end):  # a recent dose of a drug given at intervals, "ongoing"
            more: dict[str, Any] = {
                "certainty": "inferred",
                "derived": "a recent dose; its words say it goes on",
            }
            ctx.builder.add(
                "medications", inn, src(res, element, "fhir.medication.given_ongoing", None, **more)
            )


def _supply_days(ctx: Ctx, res: Res) -> int | None:
    """How many days a dispense's ``daysSupply`` (or an order's single supply,
    ``dispenseRequest.expectedSupplyDuration``) covers; None when not given or not in days,
    weeks or months (``supply_units``)."""
    qty = res.body.get("daysSupply")
    disp = res.body.get("dispenseRequest")
    if qty is None and isinstance(disp, Mapping):
        qty = disp.get("expectedSupplyDuration")
    if not isinstance(qty, Mapping) or not isinstance(qty.get("value"), int | float):
        return None
    units = ctx.cfg.get("supply_units") or {}
    unit = str(qty.get("code") or qty.get("unit") or "d").strip().lower()
    factor = units.get(unit, units.get(unit.strip("[]")))
    days = round(float(qty["value"]) * float(factor)) if factor else 0
    return days if 0 < days <= 366 else None


def _goes_on(ctx: Ctx, res: Res, said: str, last: dt.date | None) -> bool:
    """A completed dose or dispense of a drug, given within ``days`` before the record's date,
    whose words say it goes on ("q12 weeks, ongoing", "every 4 weeks", "continuing"): a current
    medication (``administered_current`` in fhir.yaml)."""
    rule = ctx.cfg.get("administered_current") or {}
    if res.type not in ("MedicationAdministration", "MedicationDispense"):
        return False
    if res.body.get("status") != "completed" or last is None or not rule or not said:
        return False
    if not 0 <= (ctx.builder.as_of - last).days <= int(rule["days"]):
        return False
    denied = ctx.cfg["therapy_words"].get("denied_before")
    return said_match({rule["words"]: "yes"}, said, denied) is not None


def _treats_metastases(ctx: Ctx, res: Res) -> bool:
    """The record's reason is a metastatic site: ``reasonReference`` to a secondary-neoplasm
    Condition, or a ``reasonCode`` coded as one."""
    from mbc.ingest._fhir_cond import icd_lookup

    sec = ctx.cfg["secondary_conditions"]
    concepts: list[tuple[Res, Any]] = [(res, c) for c in res.body.get("reasonCode") or []]
    for ref in res.body.get("reasonReference") or []:
        target = (
            ctx.resolve(res, ref.get("reference"))
            if isinstance(ref, Mapping) and isinstance(ref.get("reference"), str)
            else None
        )
        if target is not None and target.type == "Condition":
            concepts.append((target, target.body.get("code")))
    for owner, concept in concepts:
        for system, code, _ in codings(ctx, owner, "code", concept):
            if system == ctx.sys("snomed") and code in sec["snomed"]:
                return True
            if re.search(ctx.cfg["icd10_system_words"], system, re.IGNORECASE) and icd_lookup(
                sec["icd10cm"], code
            ):
                return True
    return False


def _termination_reason(ctx: Ctx, res: Res) -> str | None:
    table = ctx.cfg.get("termination_reasons", {})
    concepts: list[tuple[str, Any]] = [("extension", v) for v in extension_values(res, "termination-reason")]
    for element in ("statusReason", "reasonCode"):
        value = res.body.get(element)
        concepts += [(element, c) for c in (value if isinstance(value, list) else [value])]
    for element, concept in concepts:
        for _, code, _ in codings(ctx, res, element, concept):
            if code in table:
                return str(table[code])
    return None
