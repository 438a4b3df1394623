"""Dose stage: compute each option's (and supportive item's) doses for this patient.

Doses come from ``knowledge/doses/`` (:mod:`mbc.knowledge.doses`). Units: ``mg/kg`` uses
``weight_kg``; ``mg/m2`` uses ``bsa_m2`` (Mosteller, derived); ``AUC`` uses the Calvert
formula with creatinine clearance as the GFR estimate (parameters in the dose files); flat
units are shown as written. Adjustments are conditions over the patient's facts, evaluated
three-valued: TRUE applies, UNKNOWN is shown as "check", FALSE is skipped. Pure: no I/O
beyond the cached dose tables, no clock. Every line is marked for verification.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from mbc.engine._items import built, copy_with, known_drugs
from mbc.engine._items import citations as _cite
from mbc.engine.context import EvalContext
from mbc.knowledge._index import has_room
from mbc.knowledge.conditions import TruthFn, compiled
from mbc.knowledge.doses import DoseAdjustment, DoseEntry, DoseTables, load_doses, whole_units
from mbc.knowledge.loader import KnowledgeBase
from mbc.logic import Truth
from mbc.model.plan import DoseLine, Option

__all__ = ["dose_line", "option_doses", "regimen_doses", "stage_doses", "supportive_doses"]

_ROUTE = {"oral": "orally", "iv": "IV", "sc": "SC", "im": "IM", "mouthwash": "as mouthwash",
          "topical": "topically", "other": ""}  # fmt: skip


_PREPARED = frozenset({"iv", "sc", "im"})
"""Routes whose body-size doses the pharmacy prepares (and rounds); oral doses follow tablet
strengths, which the dose tables state in their notes."""


def _fmt(x: float) -> str:
    """An amount with the decimals it needs, up to two (0.75 mg, 0.5 mg, 1.5 mg, 150 mg)."""
    return f"{x:.2f}".rstrip("0").rstrip(".") if abs(x - round(x)) > 1e-9 else f"{round(x)}"


def _per_patient(
    amount: float, e: DoseEntry, facts: Mapping[str, Any], tables: DoseTables
) -> tuple[float | None, str | None]:
    """(mg for this patient, or None; why it could not be computed)."""
    if e.unit == "mg":
        return amount, None
    if e.unit == "mg/kg":
        w = facts.get("weight_kg")
        return (amount * float(w), None) if isinstance(w, int | float) else (None, "needs weight")
    if e.unit == "mg/m2":
        bsa = facts.get("bsa_m2")
        return (
            (amount * float(bsa), None)
            if isinstance(bsa, int | float)
            else (None, "needs weight and height (BSA)")
        )
    if e.unit == "AUC":
        crcl = facts.get("crcl_ml_min")
        if not isinstance(crcl, int | float):
            return None, "needs GFR / creatinine clearance for the Calvert formula"
        gfr = min(float(crcl), tables.param("calvert_gfr_cap_ml_min"))
        return amount * (gfr + tables.param("calvert_gfr_offset")), None
    return None, None  # ml, mcg, IU, g: shown as written


def _computed(
    amount: float, e: DoseEntry, facts: Mapping[str, Any], tables: DoseTables
) -> tuple[str | None, str | None]:
    mg, why = _per_patient(amount, e, facts, tables)
    if mg is None:
        return None, why
    text = f"{_fmt(mg)} mg"
    if e.unit != "mg" and e.route in _PREPARED:  # body-size dose, prepared by the pharmacy
        step = _step(mg, tables)
        rounded = round(round(mg / step) * step, 6)
        if abs(rounded - mg) > 1e-9:
            text = f"{_fmt(rounded)} mg (calculated {_fmt(mg)} mg)"
    if e.max_mg is not None and mg > e.max_mg:
        text = f"{_fmt(e.max_mg)} mg (capped at the {_fmt(e.max_mg)} mg maximum)"
    if e.unit == "AUC":
        crcl = float(facts["crcl_ml_min"])
        text += (
            f" (Calvert: AUC {_fmt(amount)} x (GFR {_fmt(min(crcl, tables.param('calvert_gfr_cap_ml_min')))}"
            f" + {_fmt(tables.param('calvert_gfr_offset'))}); creatinine clearance used as GFR)"
        )
    return text, None


def _step(mg: float, tables: DoseTables) -> float:
    """The rounding step of a computed dose: ``computed_dose_step_mg``, or a tenth / hundredth
    ... of it while half a step would exceed ``computed_dose_max_rounding_fraction`` of it."""
    step = float(tables.param("computed_dose_step_mg"))
    most = float(tables.param("computed_dose_max_rounding_fraction")) * mg
    while step / 2 > most and step > 1e-4:
        step /= 10
    return step


def _unit_text(amount: float, e: DoseEntry) -> str:
    unit = "mL" if e.unit == "ml" else e.unit
    return f"AUC {_fmt(amount)}" if e.unit == "AUC" else f"{_fmt(amount)} {unit}"


def _adjusted(e: DoseEntry, adjustments: list[DoseAdjustment]) -> tuple[float, str | None]:
    """The dose when several TRUE adjustments apply: each is applied to the label dose and the
    lowest result is taken (two reductions never overwrite each other; an adjustment that also
    changes how often it is given wins a tie), with its new frequency if it sets one."""
    best, per = e.amount, None
    for adj in adjustments:
        if adj.effect == "dose" and adj.amount is not None:
            amount = adj.amount
        elif adj.effect == "factor" and adj.factor is not None:
            amount = e.amount * adj.factor
        elif adj.effect == "note" and adj.per is not None:
            amount = e.amount
        else:
            continue
        if amount < best - 1e-9 or (abs(amount - best) <= 1e-9 and adj.per is not None and per is None):
            best, per = amount, adj.per
    return best, per


def dose_line(kb: KnowledgeBase, e: DoseEntry, facts: Mapping[str, Any], tables: DoseTables) -> DoseLine:
    """One drug's dose for the patient described by ``facts``. When several adjustments hold,
    the lowest adjusted dose is given and every one of them is named (session 12, review M1)."""
    notes: list[str] = []
    checks: list[str] = []
    applied: list[DoseAdjustment] = []
    stop = False
    for adj in e.adjustments:
        t = adj.when.truth(facts)
        if t is Truth.FALSE:
            continue
        if t is Truth.UNKNOWN:
            checks.append(adj.text)
            continue
        notes.append(adj.text)
        if adj.effect in ("not_recommended", "hold"):
            stop = True
            break
        applied.append(adj)
    amount, per_adjusted = _adjusted(e, applied)
    if sum(1 for a in applied if a.effect in ("dose", "factor")) > 1:
        notes.append(
            "Several reductions apply: the lowest is shown - check the label for the combination."
        )
    if amount != e.amount and e.strengths:
        units = whole_units(
            amount,
            e.strengths,
            most=int(tables.param("oral_dose_units_max")),
            over=tables.param("oral_dose_round_up_fraction"),
        )
        if units is None:
            unit = "mL" if e.unit == "ml" else e.unit
            notes.append(
                f"No whole-tablet dose at or below the computed {_fmt(amount)} {unit} "
                f"(the smallest is {_fmt(min(e.strengths))} {unit}): check the label before giving it."
            )
        else:
            amount = units
    route = _ROUTE[e.route]
    per = f" {e.per}" if e.per else ""
    dose = f"{_unit_text(e.amount, e)} {route}{per}".replace("  ", " ").strip()
    computed: str | None = None
    if e.loading is not None:
        dose = f"{_unit_text(e.loading.amount, e)} {route} loading ({e.loading.schedule}), then {dose}"
    if not stop:
        main, why = _computed(amount, e, facts, tables)
        if e.loading is not None and main is not None:
            load, _ = _computed(e.loading.amount, e, facts, tables)
            computed = f"loading {load}, then {main}"
        else:
            computed = main
        if why:
            checks.append(f"Cannot compute for this patient: {why}.")
        if per_adjusted is not None and computed is not None:
            computed += f" {per_adjusted}"
        if (amount != e.amount or per_adjusted is not None) and computed is not None:
            was = f" {e.per}" if per_adjusted is not None and e.per else ""
            computed += f" (adjusted from {_unit_text(e.amount, e)}{was})"
    else:
        computed = "do not give (see adjustment)"
    parts = []
    if notes:
        parts.append(" ".join(notes))
    if checks:
        parts.append("Check (data not recorded): " + " ".join(checks))
    if not e.verified:
        parts.append("Dose from a secondary source - verify against the label.")
    if e.note:
        parts.append(e.note)
    # strings, None and resolved citations: built without validating them again
    return built(
        DoseLine,
        {
            "drug": kb.drugs[e.drug].name,
            "dose": dose,
            "computed": computed,
            "schedule": e.schedule,
            "adjustment": " ".join(parts) or None,
            "citations": _cite(kb, e.citations),
            "verify": True,
        },
    )


class _MissingLines(dict[str, DoseLine]):
    """Drug id -> its 'not in the dose tables' line (per KB)."""


def _missing_line(kb: KnowledgeBase, drug_id: str) -> DoseLine:
    lines = kb.attached(_MissingLines)
    found = lines.get(drug_id)
    if found is None:
        found = lines[drug_id] = _no_dose(kb, drug_id)
    return found


def _no_dose(kb: KnowledgeBase, drug_id: str) -> DoseLine:
    return DoseLine(
        drug=kb.drugs[drug_id].name,
        dose="not in the dose tables - use the current label",
        computed=None,
        schedule="see label",
        adjustment=None,
        citations=[],
        verify=True,
    )


@dataclass
class _DoseIndex:
    """Patient-independent dose lookups for one KB."""

    tables: DoseTables
    regimens: dict[str, list[tuple[str, DoseEntry | None]]] = field(default_factory=dict)
    items: dict[tuple[str, str], DoseEntry | None] = field(default_factory=dict)
    lines: dict[tuple[Any, ...], DoseLine] = field(default_factory=dict)
    # entry -> its adjustments' compiled conditions and the fact its unit reads (or None)
    reads: dict[int, tuple[tuple[TruthFn, ...], str | None]] = field(default_factory=dict)

    def regimen(self, kb: KnowledgeBase, regimen_id: str) -> list[tuple[str, DoseEntry | None]]:
        """(drug, its entry) for every drug of a regimen, one per ``one_of`` alternative."""
        found = self.regimens.get(regimen_id)
        if found is None:
            found = []
            seen: set[str] = set()
            for part in regimen_id.split("+"):
                for comp in kb.regimens[part].components:
                    for drug in (comp.drug, *comp.one_of):
                        if not drug or drug in seen:
                            continue
                        seen.add(drug)
                        found.append((drug, self.tables.find(drug, (part, regimen_id))))
            self.regimens[regimen_id] = found
        return found

    def item(self, item_id: str, drug: str) -> DoseEntry | None:
        key = (item_id, drug)
        if key not in self.items:
            self.items[key] = self.tables.find(drug, (item_id,))
        return self.items[key]

    def line(self, kb: KnowledgeBase, e: DoseEntry, facts: Mapping[str, Any]) -> DoseLine:
        """``dose_line`` remembered by everything it reads: the entry, the truth of each
        adjustment, and the one patient number its unit uses."""
        read = self.reads.get(id(e))
        if read is None:
            fns = tuple(compiled(adj.when) for adj in e.adjustments)
            read = self.reads[id(e)] = (fns, _UNIT_FACT.get(e.unit))
        fns, unit_fact = read
        number = facts.get(unit_fact) if unit_fact is not None else None
        key: tuple[Any, ...] = (id(e), type(number), number)
        if fns:
            # each adjustment's truth by its identity (the three Truth members live as long
            # as the process): hashing an Enum member runs Python code
            key = (*key, *[id(fn(facts)) for fn in fns])
        try:
            found = self.lines.get(key)
        except TypeError:  # an unhashable number: compute, do not remember
            return dose_line(kb, e, facts, self.tables)
        if found is None:
            found = dose_line(kb, e, facts, self.tables)
            if has_room(self.lines):
                self.lines[key] = found
        return found


# The one fact each patient-dependent unit reads (see _per_patient).
_UNIT_FACT = {"mg/kg": "weight_kg", "mg/m2": "bsa_m2", "AUC": "crcl_ml_min"}


def _index(kb: KnowledgeBase) -> _DoseIndex:
    return kb.attached(_DoseIndex, lambda: _DoseIndex(load_doses(kb)))


def regimen_doses(kb: KnowledgeBase, regimen_id: str, facts: Mapping[str, Any]) -> list[DoseLine]:
    """Doses of every drug of a regimen (``+``-joined add-ons allowed); one line per
    alternative of a ``one_of`` component.

    Raises:
        KeyError: For an unknown regimen id.
    """
    return _regimen_lines(_index(kb), kb, regimen_id, facts)


def _regimen_lines(
    index: _DoseIndex, kb: KnowledgeBase, regimen_id: str, facts: Mapping[str, Any]
) -> list[DoseLine]:
    return [
        index.line(kb, e, facts) if e else _missing_line(kb, drug)
        for drug, e in index.regimen(kb, regimen_id)
    ]


def supportive_doses(
    kb: KnowledgeBase, item_id: str, drug_ids: Iterable[str], facts: Mapping[str, Any]
) -> list[DoseLine]:
    """Doses of the drugs of a supportive-care item (its id is the dose context)."""
    index = _index(kb)
    out: list[DoseLine] = []
    for drug in drug_ids:
        e = index.item(item_id, drug)
        out.append(index.line(kb, e, facts) if e else _missing_line(kb, drug))
    return out


def _offered(lines: list[DoseLine], drugs: list[str]) -> list[DoseLine]:
    """Dose lines of the drugs the option still offers (a safety check may have taken an
    alternative out of its group)."""
    if all(d.drug in drugs for d in lines):
        return lines
    return [d for d in lines if d.drug in drugs]


def option_doses(kb: KnowledgeBase, option: Option, facts: Mapping[str, Any]) -> Option:
    """The option with its doses for the patient (what :func:`stage_doses` does to each)."""
    return _dosed(_index(kb), kb, option, facts)


def _dosed(index: _DoseIndex, kb: KnowledgeBase, o: Option, facts: Mapping[str, Any]) -> Option:
    return copy_with(kb, o, "doses", _offered(_regimen_lines(index, kb, o.regimen, facts), o.drugs))


def stage_doses(ctx: EvalContext) -> EvalContext:
    """Fill ``Option.doses`` and ``SupportiveItem.doses`` for the patient."""
    kb = ctx.kb
    facts = ctx.facts
    index = _index(kb)
    options = tuple(_dosed(index, kb, o, facts) for o in ctx.options)
    supportive = []
    for s in ctx.supportive:
        ids = known_drugs(kb, s.drugs)
        supportive.append(copy_with(kb, s, "doses", supportive_doses(kb, s.id, ids, facts)) if ids else s)
    return ctx.evolve(options=options, supportive=tuple(supportive))
