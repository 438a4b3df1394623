"""Read a FHIR R4 bundle (mCODE STU4 or plain US Core / Synthea) into a contract-v1 record.

Resources are read as plain dicts (``fhir.resources`` models are an order of magnitude too
slow for the 100 ms budget on a Synthea bundle); the structure of every element we read is
checked here, and a malformed one raises :class:`~mbc.errors.FHIRMappingError` naming the
resource and element. Which code means what lives in ``knowledge/ingest/fhir.yaml``.

Rules (each fact's provenance names its rule id):

* ``fhir.patient.age`` / ``fhir.patient.sex``: Patient.birthDate vs ``as_of``; Patient.gender.
* ``fhir.observation.<reader>``: Observation by LOINC; newest valid observation wins, an
  ``entered-in-error`` (or cancelled) one is ignored, and for tumour markers a specimen from
  a metastasis beats one from the primary.
* ``fhir.condition.secondary``: secondary-cancer conditions -> ``metastases.sites``.
* ``fhir.medication.lines``: medication records -> courses -> lines of therapy.
* ``fhir.genomics.variant``: mCODE GenomicVariant -> ``somatic`` / ``germline``.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

from mbc.errors import FHIRMappingError, Problem
from mbc.ingest._data import drug_index, load_yaml
from mbc.ingest._extraction import Extraction, RecordBuilder, Source

__all__ = ["read_bundle"]

_VALID_OBS_STATUS = frozenset({"final", "amended", "corrected", "preliminary"})
_DEAD_STATUS = frozenset({"entered-in-error", "cancelled"})
_DATE_RE = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?")


class _Unreadable(Exception):
    """A value of a known code that cannot be converted (unit, shape)."""


# ---------------------------------------------------------------- structure helpers


@dataclass
class _Res:
    """One resource with its reference key and entry index (for error locations)."""

    body: Mapping[str, Any]
    index: int | None

    @property
    def type(self) -> str:
        return str(self.body["resourceType"])

    @property
    def id(self) -> str:
        return str(self.body.get("id") or "")

    @property
    def ref(self) -> str:
        return f"{self.type}/{self.id}" if self.id else self.type


@dataclass
class _Ctx:
    """Everything a reader needs: config, indexes, the builder and collected problems."""

    cfg: Mapping[str, Any]
    builder: RecordBuilder
    by_ref: dict[str, _Res]
    problems: list[Problem] = field(default_factory=list)
    systems: dict[str, str] = field(default_factory=dict)

    def fail(self, res: _Res, element: str, msg: str) -> None:
        loc: tuple[str | int, ...] = (
            ("entry", res.index, "resource", element) if res.index is not None else (element,)
        )
        self.problems.append(Problem(loc=loc, msg=f"in {res.ref}: {msg}", type="fhir"))


def _walk_entries(bundle: Mapping[str, Any], problems: list[Problem]) -> Iterator[_Res]:
    entries = bundle.get("entry", [])
    if not isinstance(entries, list):
        problems.append(Problem(("entry",), "Bundle.entry must be a list", "fhir"))
        return
    for i, entry in enumerate(entries):
        if not isinstance(entry, Mapping):
            problems.append(Problem(("entry", i), "Bundle.entry item must be an object", "fhir"))
            continue
        res = entry.get("resource")
        if res is None:
            continue  # a bundle entry may carry only a request/response
        if not isinstance(res, Mapping) or not isinstance(res.get("resourceType"), str):
            problems.append(Problem(("entry", i, "resource"), "entry.resource has no resourceType", "fhir"))
            continue
        if res["resourceType"] == "Bundle":
            yield from _walk_entries(res, problems)
            continue
        yield _Res(res, i)


def _codings(ctx: _Ctx, res: _Res, element: str, concept: Any) -> list[tuple[str, str, str]]:
    """(system, code, display) of a CodeableConcept, checking its shape."""
    if concept is None:
        return []
    if isinstance(concept, list):  # 0..* elements (Condition.bodySite, Observation.category)
        return [c for i, item in enumerate(concept) for c in _codings(ctx, res, f"{element}[{i}]", item)]
    if not isinstance(concept, Mapping):
        ctx.fail(res, element, "expected a CodeableConcept object")
        return []
    codings = concept.get("coding", [])
    if not isinstance(codings, list):
        ctx.fail(res, element + ".coding", "expected a list")
        return []
    out = []
    for j, c in enumerate(codings):
        if not isinstance(c, Mapping):
            ctx.fail(res, f"{element}.coding[{j}]", "expected a Coding object")
            continue
        code = c.get("code")
        if code is None:
            continue
        if not isinstance(code, str | int):
            ctx.fail(res, f"{element}.coding[{j}].code", "expected a string")
            continue
        out.append((str(c.get("system", "")), str(code), str(c.get("display", ""))))
    return out


def _text(concept: Any) -> str:
    if isinstance(concept, Mapping):
        if isinstance(concept.get("text"), str):
            return str(concept["text"])
        for c in concept.get("coding", []) or []:
            if isinstance(c, Mapping) and isinstance(c.get("display"), str):
                return str(c["display"])
    return ""


def _date(value: Any) -> dt.date | None:
    if not isinstance(value, str):
        return None
    m = _DATE_RE.match(value)
    if not m:
        return None
    try:
        return dt.date(int(m.group(1)), int(m.group(2) or 1), int(m.group(3) or 1))
    except ValueError:
        return None


def _check_date(ctx: _Ctx, res: _Res, element: str) -> dt.date | None:
    value = res.body.get(element)
    if value is None:
        return None
    d = _date(value)
    if d is None:
        ctx.fail(res, element, f"not a FHIR date/dateTime: {value!r}")
    return d


def _period(ctx: _Ctx, res: _Res, element: str) -> tuple[dt.date | None, dt.date | None]:
    value = res.body.get(element)
    if value is None:
        return None, None
    if not isinstance(value, Mapping):
        ctx.fail(res, element, "expected a Period object")
        return None, None
    start, end = _date(value.get("start")), _date(value.get("end"))
    for key in ("start", "end"):
        if value.get(key) is not None and _date(value.get(key)) is None:
            ctx.fail(res, f"{element}.{key}", f"not a FHIR dateTime: {value.get(key)!r}")
    return start, end


def _effective(ctx: _Ctx, res: _Res) -> dt.date | None:
    for element in ("effectiveDateTime", "occurrenceDateTime", "issued"):
        if res.body.get(element) is not None:
            return _check_date(ctx, res, element)
    start, end = _period(ctx, res, "effectivePeriod")
    return start or end


def _sys(ctx: _Ctx, name: str) -> str:
    return ctx.systems[name]


def _src(res: _Res, element: str, rule: str, observed: dt.date | None = None) -> Source:
    src: Source = {"source": "fhir", "resource": res.ref, "element": element, "rule": rule}
    if observed is not None:
        src["observed_on"] = observed.isoformat()
    return src


def _unread(ctx: _Ctx, res: _Res, system: str, code: str, display: str, reason: str) -> None:
    ctx.builder.note_unread(
        {
            "key": f"{res.type}|{system}|{code}",
            "kind": "code",
            "resource_type": res.type,
            "first_resource": res.ref,
            "system": system,
            "code": code,
            "display": display,
            "reason": reason,
        }
    )


# ---------------------------------------------------------------- patient


def _read_patient(ctx: _Ctx, res: _Res) -> None:
    birth = _check_date(ctx, res, "birthDate")
    as_of = ctx.builder.as_of
    if birth is not None:
        age = as_of.year - birth.year - ((as_of.month, as_of.day) < (birth.month, birth.day))
        ctx.builder.set("age", age, _src(res, "birthDate", "fhir.patient.age"))
    gender = res.body.get("gender")
    if gender in ("female", "male"):
        ctx.builder.set("sex", gender, _src(res, "gender", "fhir.patient.sex"))
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


# ---------------------------------------------------------------- observations


def _value_codes(ctx: _Ctx, res: _Res) -> list[tuple[str, str, str]]:
    return _codings(ctx, res, "valueCodeableConcept", res.body.get("valueCodeableConcept"))


def _answer_word(ctx: _Ctx, res: _Res, words: tuple[str, ...]) -> str:
    answers = ctx.cfg["answers"]
    codes = _value_codes(ctx, res)
    for word in words:
        for a in answers.get(word, []):
            system = _sys(ctx, a["system"])
            if any(s == system and c == str(a["code"]) for s, c, _ in codes):
                return word
    if codes:
        raise _Unreadable(f"answer {codes[0][1]} ({codes[0][2]}) not in the mapping")
    raise _Unreadable("no valueCodeableConcept")


def _quantity(ctx: _Ctx, res: _Res, units: Mapping[str, float] | None) -> float:
    q = res.body.get("valueQuantity")
    if q is None:
        if isinstance(res.body.get("valueInteger"), int) and units and "" in units:
            return float(res.body["valueInteger"])
        raise _Unreadable("no valueQuantity")
    if not isinstance(q, Mapping) or not isinstance(q.get("value"), int | float):
        ctx.fail(res, "valueQuantity.value", "expected a number")
        raise _Unreadable("malformed valueQuantity")
    unit = str(q.get("code") or q.get("unit") or "")
    if units is None:
        return float(q["value"])
    if unit not in units:
        raise _Unreadable(f"unit {unit!r} not in the mapping")
    return float(q["value"]) * float(units[unit])


def _r_status(ctx: _Ctx, res: _Res, spec: Mapping[str, Any]) -> Any:
    field_name = spec["field"]
    words: tuple[str, ...] = ("positive", "negative")
    if field_name == "tumor.er_status":
        words = ("low", "positive", "negative")
    return _answer_word(ctx, res, words)


def _r_percent(ctx: _Ctx, res: _Res, spec: Mapping[str, Any]) -> Any:
    return _quantity(ctx, res, {"%": 1.0, "": 1.0, "{percent}": 1.0})


def _r_number(ctx: _Ctx, res: _Res, spec: Mapping[str, Any]) -> Any:
    return round(_quantity(ctx, res, spec.get("units")), 3)


def _r_xuln(ctx: _Ctx, res: _Res, spec: Mapping[str, Any]) -> Any:
    value = _quantity(ctx, res, None)
    ranges = res.body.get("referenceRange") or []
    high = None
    if isinstance(ranges, list):
        for r in ranges:
            if isinstance(r, Mapping) and isinstance(r.get("high"), Mapping):
                high = r["high"].get("value")
                break
    if not isinstance(high, int | float) or high <= 0:
        raise _Unreadable("no referenceRange.high to express the value as x ULN")
    return round(value / float(high), 3)


def _r_ihc(ctx: _Ctx, res: _Res, spec: Mapping[str, Any]) -> Any:
    table = ctx.cfg["her2_ihc_answers"]
    body = res.body
    raw: Any = None
    if "valueInteger" in body:
        raw = str(body["valueInteger"])
    elif isinstance(body.get("valueString"), str):
        raw = body["valueString"].strip()
    else:
        for _, code, _ in _value_codes(ctx, res):
            if code in table:
                raw = code
        if raw is None:
            # mCODE examples code HER2 IHC presence as Positive/Negative: that is a status.
            word = _answer_word(ctx, res, ("positive", "negative"))
            return ("tumor.her2_status", word)
    if raw not in table:
        raise _Unreadable(f"HER2 IHC value {raw!r} not in the mapping")
    return table[raw]


def _r_ish(ctx: _Ctx, res: _Res, spec: Mapping[str, Any]) -> Any:
    return _answer_word(ctx, res, ("amplified", "not_amplified"))


def _r_ecog(ctx: _Ctx, res: _Res, spec: Mapping[str, Any]) -> Any:
    body = res.body
    if isinstance(body.get("valueInteger"), int) and not isinstance(body["valueInteger"], bool):
        return int(body["valueInteger"])
    answers = ctx.cfg["ecog_answers"]
    for element in ("valueCodeableConcept", "interpretation"):
        concept = body.get(element)
        concepts = concept if isinstance(concept, list) else [concept]
        for c in concepts:
            for _, code, _ in _codings(ctx, res, element, c):
                if code in answers:
                    return int(answers[code])
    raise _Unreadable("no valueInteger or known ECOG answer")


def _r_pregnancy(ctx: _Ctx, res: _Res, spec: Mapping[str, Any]) -> Any:
    answers = ctx.cfg["pregnancy_answers"]
    for _, code, _ in _value_codes(ctx, res):
        if code in answers and answers[code] is not None:
            return bool(answers[code])
    raise _Unreadable("pregnancy answer not in the mapping")


_READERS = {
    "status": _r_status,
    "percent": _r_percent,
    "number": _r_number,
    "xuln": _r_xuln,
    "ihc": _r_ihc,
    "ish": _r_ish,
    "ecog": _r_ecog,
    "pregnancy": _r_pregnancy,
}


def _specimen_rank(ctx: _Ctx, res: _Res) -> tuple[int, str | None]:
    """2 for a metastasis specimen, 1 for primary/unknown; and the receptor_source word."""
    codes: list[str] = [c for _, c, _ in _codings(ctx, res, "bodySite", res.body.get("bodySite"))]
    spec_ref = res.body.get("specimen")
    if isinstance(spec_ref, Mapping) and isinstance(spec_ref.get("reference"), str):
        spec = ctx.by_ref.get(spec_ref["reference"])
        if spec is not None:
            coll = spec.body.get("collection")
            if isinstance(coll, Mapping):
                codes += [c for _, c, _ in _codings(ctx, spec, "collection.bodySite", coll.get("bodySite"))]
    sites = ctx.cfg["secondary_conditions"]["body_sites"]
    if any(c in sites for c in codes):
        return 2, "metastasis"
    if any(c in ctx.cfg["primary_sites"] for c in codes):
        return 1, "primary"
    return 1, None


@dataclass
class _MedRecord:
    inn: str
    start: dt.date
    end: dt.date
    active: bool
    stop_reason: str | None
    ref: str


@dataclass
class _Timeline:
    """Dates the therapy grouping needs."""

    primary_dx: dt.date | None = None
    metastatic: dt.date | None = None
    metastatic_ref: Source | None = None
    stage_iv_at_dx: bool = False
    surgeries: list[dt.date] = field(default_factory=list)
    progression: list[dt.date] = field(default_factory=list)
    meds: list[_MedRecord] = field(default_factory=list)


def _read_observation(ctx: _Ctx, res: _Res, tl: _Timeline) -> None:
    status = res.body.get("status")
    if status in _DEAD_STATUS or (status is not None and status not in _VALID_OBS_STATUS):
        ctx.builder.note_unread({"kind": "ignored", "resource": res.ref, "reason": f"status {status}"})
        return
    codes = _codings(ctx, res, "code", res.body.get("code"))
    if "code" not in res.body:
        ctx.fail(res, "code", "Observation.code is required")
        return
    when = _effective(ctx, res)
    loinc = _sys(ctx, "loinc")
    by_code = _obs_index(ctx.cfg)
    cfg = ctx.cfg
    for system, code, display in codes:
        if system == loinc and code in by_code:
            spec = by_code[code]
            try:
                value = _READERS[spec["reader"]](ctx, res, spec)
            except _Unreadable as why:
                _unread(ctx, res, system, code, display, str(why))
                return
            path = spec["field"]
            if isinstance(value, tuple):
                path, value = value
            rank: tuple[Any, ...] = ((when or dt.date.min).isoformat(),)
            src = _src(res, _value_element(res), f"fhir.observation.{spec['reader']}", when)
            if path.startswith("tumor."):
                spec_rank, receptor_source = _specimen_rank(ctx, res)
                rank = (spec_rank, *rank)
                if receptor_source:
                    src["specimen"] = receptor_source
            ctx.builder.set(path, value, src, rank=rank)
            return
        if system == loinc and code in cfg["distant_metastasis"]["observation_codes"]:
            _read_m_category(ctx, res, when, tl)
            return
        if system == loinc and code == cfg["disease_status_code"]:
            values = {c for _, c, _ in _value_codes(ctx, res)}
            if when and values & set(cfg["progression_answers"]):
                tl.progression.append(when)
            return
        if system == loinc and code == "21908-9":
            values = {c for _, c, _ in _value_codes(ctx, res)}
            if values & set(cfg["distant_metastasis"]["stage_iv_values"]):
                tl.stage_iv_at_dx = True
            return
        if system == loinc and code in cfg["genomics"]["variant_codes"]:
            _read_variant(ctx, res, when)
            return
        if system == loinc and code in cfg["genomics"]["region_codes"]:
            return
        if system == loinc and code in cfg["ignore"]["observations"]:
            return
    if codes:
        s, c, d = codes[0]
        _unread(ctx, res, s, c, d, "observation code not in knowledge/ingest/fhir.yaml")


def _value_element(res: _Res) -> str:
    for key in res.body:
        if key.startswith("value"):
            return key
    return "value"


_OBS_INDEX: dict[int, dict[str, Any]] = {}


def _obs_index(cfg: Mapping[str, Any]) -> dict[str, Any]:
    key = id(cfg)
    if key not in _OBS_INDEX:
        _OBS_INDEX[key] = {str(o["code"]): o for o in cfg["observations"]}
    return _OBS_INDEX[key]


def _read_m_category(ctx: _Ctx, res: _Res, when: dt.date | None, tl: _Timeline) -> None:
    values = {c for _, c, _ in _value_codes(ctx, res)}
    m1 = values & set(ctx.cfg["distant_metastasis"]["m1_values"])
    if m1 and when is not None and (tl.metastatic is None or when < tl.metastatic):
        tl.metastatic = when
        tl.metastatic_ref = _src(res, "valueCodeableConcept", "fhir.observation.m1", when)


def _components(ctx: _Ctx, res: _Res) -> Iterator[tuple[str, Mapping[str, Any]]]:
    comps = res.body.get("component", [])
    if not isinstance(comps, list):
        ctx.fail(res, "component", "expected a list")
        return
    for i, comp in enumerate(comps):
        if not isinstance(comp, Mapping):
            ctx.fail(res, f"component[{i}]", "expected an object")
            continue
        for _, code, _ in _codings(ctx, res, f"component[{i}].code", comp.get("code")):
            yield code, comp


def _protein_short(hgvs: str, aa: Mapping[str, str]) -> str | None:
    m = re.search(r"p\.\(?([A-Z][a-z]{2})(\d+)([A-Z][a-z]{2}|=|\*)\)?", hgvs)
    if m and m.group(1) in aa and (m.group(3) in aa or m.group(3) in ("=", "*")):
        return f"{aa[m.group(1)]}{m.group(2)}{aa.get(m.group(3), m.group(3))}"
    m = re.search(r"p\.([A-Z]\d+[A-Z*])", hgvs)
    return m.group(1) if m else None


def _read_variant(ctx: _Ctx, res: _Res, when: dt.date | None) -> None:
    g = ctx.cfg["genomics"]
    genes: list[str] = []
    protein: str | None = None
    origin: str | None = None
    for code, comp in _components(ctx, res):
        concept = comp.get("valueCodeableConcept")
        if code in g["gene_studied"]:
            for _, gcode, disp in _codings(ctx, res, "component.valueCodeableConcept", concept):
                genes.append(disp or gcode)
        elif code in g["protein_change"]:
            raw = _text(concept) or str(comp.get("valueString", ""))
            protein = _protein_short(raw, ctx.cfg["amino_acids"]) or protein
        elif code in g["source_class"]:
            codes = {c for _, c, _ in _codings(ctx, res, "component.valueCodeableConcept", concept)}
            if codes & set(g["somatic_answers"]):
                origin = "somatic"
            elif codes & set(g["germline_answers"]):
                origin = "germline"
        elif code in g["dna_change"] or code in g["genomic_hgvs"]:
            protein = protein or _protein_short(_text(concept), ctx.cfg["amino_acids"])
    absent = bool({c for _, c, _ in _value_codes(ctx, res)} & set(g["absent_answers"]))
    if not genes or origin is None:
        ctx.builder.note_unread(
            {
                "kind": "genomic_variant",
                "resource": res.ref,
                "reason": "no gene studied" if not genes else "no genomic source class",
            }
        )
        return
    src = _src(res, "component", "fhir.genomics.variant", when)
    for gene in genes:
        if origin == "germline":
            if absent:
                ctx.builder.ensure_list("germline", src)
            else:
                ctx.builder.add("germline", gene, src)
        elif absent:
            ctx.builder.add("somatic", f"{gene} wildtype", src)
        else:
            ctx.builder.add("somatic", f"{gene} {protein}" if protein else f"{gene} mutation", src)


# ---------------------------------------------------------------- conditions, procedures


def _condition_alive(ctx: _Ctx, res: _Res) -> bool:
    ver = {c for _, c, _ in _codings(ctx, res, "verificationStatus", res.body.get("verificationStatus"))}
    return not (ver & {"entered-in-error", "refuted"})


def _condition_active(ctx: _Ctx, res: _Res) -> bool:
    clin = {c for _, c, _ in _codings(ctx, res, "clinicalStatus", res.body.get("clinicalStatus"))}
    if clin and not clin & {"active", "recurrence", "relapse"}:
        return False
    return "abatementDateTime" not in res.body and "abatementPeriod" not in res.body


def _read_condition(ctx: _Ctx, res: _Res, tl: _Timeline) -> None:
    if not _condition_alive(ctx, res):
        ctx.builder.note_unread(
            {
                "kind": "ignored",
                "resource": res.ref,
                "reason": "verificationStatus entered-in-error/refuted",
            }
        )
        return
    if "code" not in res.body:
        ctx.fail(res, "code", "Condition.code is required")
        return
    codes = _codings(ctx, res, "code", res.body.get("code"))
    onset = _check_date(ctx, res, "onsetDateTime") or _check_date(ctx, res, "recordedDate")
    cfg = ctx.cfg
    snomed, icd = _sys(ctx, "snomed"), _sys(ctx, "icd10cm")
    sec = cfg["secondary_conditions"]
    for system, code, display in codes:
        site: str | None = None
        if system == snomed and code in sec["snomed"]:
            site = sec["snomed"][code]
        elif system == icd and code in sec["icd10cm"]:
            site = sec["icd10cm"][code]
        if site == "by_body_site":
            site = None
            for _, bcode, _ in _codings(ctx, res, "bodySite", res.body.get("bodySite")):
                site = sec["body_sites"].get(bcode, site)
            if site is None:
                _unread(ctx, res, system, code, display, "secondary cancer, bodySite unknown")
                return
        if site is not None:
            src = _src(res, "code", "fhir.condition.secondary", onset)
            ctx.builder.add("metastases.sites", site, src)
            if onset and (tl.metastatic is None or onset < tl.metastatic):
                tl.metastatic, tl.metastatic_ref = onset, src
            return
        bc = cfg["breast_cancer_conditions"]
        if (system == snomed and code in bc["snomed"]) or (
            system == icd and any(code.startswith(p) for p in bc["icd10cm_prefixes"])
        ):
            if onset and (tl.primary_dx is None or onset < tl.primary_dx):
                tl.primary_dx = onset
            _read_stage(ctx, res, tl)
            return
        if system == snomed and code in cfg.get("comorbidity_conditions", {}):
            if _condition_active(ctx, res):
                ctx.builder.add(
                    "comorbidities",
                    cfg["comorbidity_conditions"][code],
                    _src(res, "code", "fhir.condition.comorbidity", onset),
                )
            return
        if system == snomed and code in cfg.get("pregnancy_conditions", []):
            if _condition_active(ctx, res):
                ctx.builder.set(
                    "pregnant",
                    True,
                    _src(res, "code", "fhir.condition.pregnancy", onset),
                    rank=(str(onset),),
                )
            return
        if system == snomed and code in cfg["menopause"]["conditions"]:
            ctx.builder.set(
                "menopausal_status",
                cfg["menopause"]["conditions"][code],
                _src(res, "code", "fhir.condition.menopause", onset),
                rank=(str(onset),),
            )
            return
        if system == snomed and code in cfg.get("ignore", {}).get("conditions", []):
            return
    if codes:
        s, c, d = codes[0]
        _unread(ctx, res, s, c, d, "condition code not in knowledge/ingest/fhir.yaml")


def _read_stage(ctx: _Ctx, res: _Res, tl: _Timeline) -> None:
    stages = res.body.get("stage", [])
    if not isinstance(stages, list):
        ctx.fail(res, "stage", "expected a list")
        return
    iv = set(ctx.cfg["distant_metastasis"]["stage_iv_values"])
    for i, st in enumerate(stages):
        if isinstance(st, Mapping):
            codes = {c for _, c, _ in _codings(ctx, res, f"stage[{i}].summary", st.get("summary"))}
            if codes & iv:
                tl.stage_iv_at_dx = True


def _read_procedure(ctx: _Ctx, res: _Res, tl: _Timeline) -> None:
    if res.body.get("status") in _DEAD_STATUS | {"not-done"}:
        return
    codes = _codings(ctx, res, "code", res.body.get("code"))
    when = _check_date(ctx, res, "performedDateTime")
    if when is None:
        when = _period(ctx, res, "performedPeriod")[0]
    for system, code, _display in codes:
        if system == _sys(ctx, "snomed") and code in ctx.cfg["breast_surgery_procedures"]:
            if when:
                tl.surgeries.append(when)
            return
        if system == _sys(ctx, "snomed") and code in ctx.cfg.get("ignore", {}).get("procedures", []):
            return
    if codes:
        s, c, d = codes[0]
        _unread(ctx, res, s, c, d, "procedure code not in knowledge/ingest/fhir.yaml")


# ---------------------------------------------------------------- medications


def _medication_concept(ctx: _Ctx, res: _Res) -> tuple[Any, _Res, str]:
    if "medicationCodeableConcept" in res.body:
        return res.body["medicationCodeableConcept"], res, "medicationCodeableConcept"
    ref = res.body.get("medicationReference")
    if isinstance(ref, Mapping) and isinstance(ref.get("reference"), str):
        med = ctx.by_ref.get(ref["reference"])
        if med is not None:
            return med.body.get("code"), med, "code"
        ctx.fail(res, "medicationReference", f"unresolved reference {ref['reference']!r}")
        return None, res, "medicationReference"
    ctx.fail(res, "medication[x]", "no medicationCodeableConcept or medicationReference")
    return None, res, "medication[x]"


def _med_dates(ctx: _Ctx, res: _Res) -> tuple[dt.date | None, dt.date | None]:
    t = res.type
    if t == "MedicationRequest":
        disp = res.body.get("dispenseRequest")
        if isinstance(disp, Mapping) and isinstance(disp.get("validityPeriod"), Mapping):
            vp = disp["validityPeriod"]
            s, e = _date(vp.get("start")), _date(vp.get("end"))
            if s:
                return s, e or s
        d = _check_date(ctx, res, "authoredOn")
        return d, d
    for element in ("effectiveDateTime", "dateAsserted"):
        if res.body.get(element) is not None:
            d = _check_date(ctx, res, element)
            return d, d
    s, e = _period(ctx, res, "effectivePeriod")
    return s, e or (None if s is None else s)


def _read_medication(ctx: _Ctx, res: _Res, tl: _Timeline) -> None:
    out = tl.meds
    status = str(res.body.get("status", ""))
    if status in ctx.cfg["therapy_grouping"]["ignored_statuses"]:
        ctx.builder.note_unread({"kind": "ignored", "resource": res.ref, "reason": f"status {status}"})
        return
    concept, owner, element = _medication_concept(ctx, res)
    if concept is None:
        return
    drugs = drug_index()
    rx = _sys(ctx, "rxnorm")
    inns: list[str] = []
    codes = _codings(ctx, owner, element, concept)
    for system, code, _ in codes:
        if system == rx and code in drugs.by_rxnorm:
            inns = [drugs.by_rxnorm[code]]
            break
    if not inns:
        for _, _, _, found in drugs.find(_text(concept)):
            inns.extend(i for i in found if i not in inns)
    if not inns:
        s, c, d = codes[0] if codes else ("", "", _text(concept))
        why = "medication not in knowledge/ingest/drugs.yaml"
        _unread(ctx, res, s, c, d or _text(concept), why)
        return
    start, end = _med_dates(ctx, res)
    active = status in ("active", "on-hold", "intended", "in-progress")
    reason = _termination_reason(ctx, res)
    for inn in inns:
        kind = drugs.kind.get(inn, "other")
        if kind == "antineoplastic":
            if start is None:
                ctx.builder.note_unread({"kind": "medication_without_date", "resource": res.ref, "drug": inn})
                continue
            out.append(_MedRecord(inn, start, end or start, active, reason, res.ref))
        elif active:
            ctx.builder.add("medications", inn, _src(res, element, "fhir.medication.current"))


def _termination_reason(ctx: _Ctx, res: _Res) -> str | None:
    table = ctx.cfg.get("termination_reasons", {})
    for element in ("statusReason", "reasonCode"):
        value = res.body.get(element)
        for concept in value if isinstance(value, list) else [value]:
            for _, code, _ in _codings(ctx, res, element, concept):
                if code in table:
                    return str(table[code])
    return None


@dataclass
class _Course:
    drugs: list[str]
    start: dt.date
    end: dt.date
    active: bool
    stop_reason: str | None
    refs: list[str]


def _courses(records: list[_MedRecord], gap_days: int) -> list[_Course]:
    """Merge records of one drug closer than ``gap_days`` into courses."""
    out: list[_Course] = []
    by_drug: dict[str, list[_MedRecord]] = {}
    for r in records:
        by_drug.setdefault(r.inn, []).append(r)
    gap = dt.timedelta(days=gap_days)
    for inn, recs in by_drug.items():
        recs.sort(key=lambda r: r.start)
        cur: _Course | None = None
        for r in recs:
            if cur is not None and r.start <= cur.end + gap:
                cur.end = max(cur.end, r.end)
                cur.active = r.active
                cur.stop_reason = r.stop_reason or cur.stop_reason
                cur.refs.append(r.ref)
                continue
            cur = _Course([inn], r.start, r.end, r.active, r.stop_reason, [r.ref])
            out.append(cur)
    return sorted(out, key=lambda c: (c.start, c.drugs))


def _lines(courses: list[_Course], window_days: int) -> list[_Course]:
    """Courses that start together (within ``window_days``) and overlap form one line."""
    lines: list[_Course] = []
    window = dt.timedelta(days=window_days)
    for c in courses:
        for line in lines:
            if c.start - line.start <= window and c.start <= line.end:
                line.drugs.extend(d for d in c.drugs if d not in line.drugs)
                line.end = max(line.end, c.end)
                line.active = line.active or c.active
                line.stop_reason = line.stop_reason or c.stop_reason
                line.refs.extend(c.refs)
                break
        else:
            lines.append(_Course(list(c.drugs), c.start, c.end, c.active, c.stop_reason, list(c.refs)))
    return lines


def _setting(line: _Course, tl: _Timeline) -> str | None:
    if tl.metastatic is not None and line.start >= tl.metastatic:
        return "metastatic"
    if tl.surgeries:
        first = min(tl.surgeries)
        return "neoadjuvant" if line.start < first else "adjuvant"
    return None


def _emit_therapies(ctx: _Ctx, records: list[_MedRecord], tl: _Timeline) -> None:
    params = ctx.cfg["therapy_grouping"]
    lines = _lines(
        _courses(records, int(params["same_course_gap_days"])), int(params["together_window_days"])
    )
    gap = dt.timedelta(days=int(params["same_course_gap_days"]))
    for line in lines:
        therapy: dict[str, Any] = {"drugs": line.drugs, "start": line.start.isoformat()}
        setting = _setting(line, tl)
        if setting:
            therapy["setting"] = setting
        if line.active:
            therapy["stop_reason"] = "ongoing"
        else:
            therapy["end"] = line.end.isoformat()
            reason = line.stop_reason
            if reason is None and any(line.start <= p <= line.end + gap for p in tl.progression):
                reason = "progression"
            if reason:
                therapy["stop_reason"] = reason
        ctx.builder.therapy(
            therapy,
            {
                "source": "fhir",
                "rule": "fhir.medication.lines",
                "resources": line.refs,
                "setting_rule": "fhir.therapy.setting" if setting else None,
            },
        )


# ---------------------------------------------------------------- entry point


def read_bundle(bundle: Mapping[str, Any], *, as_of: dt.date) -> Extraction:
    """Read a FHIR R4 Bundle (any type) or a single resource into an extraction.

    Args:
        bundle: The decoded JSON.
        as_of: The date ages and intervals are computed against.

    Returns:
        The extraction.

    Raises:
        FHIRMappingError: If the JSON is not FHIR, or an element we read is malformed
            (every problem is named with its resource and element).
    """
    problems: list[Problem] = []
    if not isinstance(bundle, Mapping) or not isinstance(bundle.get("resourceType"), str):
        raise FHIRMappingError(
            "not a FHIR resource",
            [Problem(("resourceType",), "a FHIR resource needs a string resourceType", "fhir")],
        )
    cfg = load_yaml("ingest/fhir.yaml")
    if bundle["resourceType"] == "Bundle":
        resources = list(_walk_entries(bundle, problems))
    else:
        resources = [_Res(bundle, None)]
    patients = [r for r in resources if r.type == "Patient"]
    record_id = patients[0].id if patients and patients[0].id else str(bundle.get("id") or "fhir")
    ctx = _Ctx(
        cfg=cfg,
        builder=RecordBuilder(record_id, as_of, "fhir"),
        by_ref={},
        problems=problems,
        systems=dict(cfg["systems"]),
    )
    for r in resources:
        if r.id:
            ctx.by_ref[r.ref] = r
    if bundle["resourceType"] == "Bundle":
        for i, entry in enumerate(bundle.get("entry") or []):
            if isinstance(entry, Mapping) and isinstance(entry.get("fullUrl"), str):
                res = entry.get("resource")
                if isinstance(res, Mapping) and isinstance(res.get("resourceType"), str):
                    ctx.by_ref[entry["fullUrl"]] = _Res(res, i)
    if len({p.id for p in patients}) > 1:
        ctx.problems.append(Problem(("entry",), "bundle holds more than one Patient", "fhir"))
    tl = _Timeline()
    for r in resources:
        reader = _DISPATCH.get(r.type)
        if reader is not None:
            reader(ctx, r, tl)
    if ctx.problems:
        raise FHIRMappingError(
            f"malformed FHIR ({len(ctx.problems)} problem{'s' if len(ctx.problems) > 1 else ''})",
            ctx.problems,
        )
    _finish(ctx, tl)
    return ctx.builder.build()


def _finish(ctx: _Ctx, tl: _Timeline) -> None:
    b = ctx.builder
    if tl.metastatic is not None and tl.metastatic_ref is not None:
        b.set("metastatic_diagnosis_date", tl.metastatic.isoformat(), tl.metastatic_ref)
        window = dt.timedelta(days=int(ctx.cfg["therapy_grouping"]["de_novo_window_days"]))
        if tl.primary_dx is not None:
            de_novo = tl.stage_iv_at_dx or tl.metastatic - tl.primary_dx <= window
            b.set(
                "presentation",
                "de_novo" if de_novo else "recurrence",
                {**tl.metastatic_ref, "rule": "fhir.presentation"},
            )
    _emit_therapies(ctx, tl.meds, tl)
    # Receptor source: the specimen of the winning receptor result.
    for path in (
        "tumor.er_status",
        "tumor.er_percent",
        "tumor.pr_status",
        "tumor.pr_percent",
        "tumor.her2_ihc",
        "tumor.her2_ish",
        "tumor.her2_status",
    ):
        src = b.source_of(path)
        if src and src.get("specimen"):
            b.set("tumor.receptor_source", src["specimen"], {**src, "rule": "fhir.specimen"})
            break
    b.harmonise_receptors()


def _read_patient_entry(ctx: _Ctx, res: _Res, tl: _Timeline) -> None:
    _read_patient(ctx, res)


_DISPATCH: dict[str, Callable[[_Ctx, _Res, _Timeline], None]] = {
    "Patient": _read_patient_entry,
    "Observation": _read_observation,
    "Condition": _read_condition,
    "Procedure": _read_procedure,
    "MedicationRequest": _read_medication,
    "MedicationStatement": _read_medication,
    "MedicationAdministration": _read_medication,
}
