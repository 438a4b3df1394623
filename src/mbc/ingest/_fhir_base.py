"""Structure helpers shared by the FHIR readers: resources, references, codings, dates.

A reader checks the shape of each element it reads; a malformed element is recorded with
:meth:`_Ctx.fail` (resource and element named). Whether that rejects the bundle or only
skips the resource is decided by :func:`mbc.ingest.fhir.read_bundle`.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

from mbc.errors import Problem
from mbc.ingest._extraction import Source
from mbc.ingest._fhir_history import current_entries

__all__: list[str] = []

VALID_OBS_STATUS = frozenset({"final", "amended", "corrected", "preliminary", "registered"})
DEAD_STATUS = frozenset({"entered-in-error", "cancelled"})
_DATE_RE = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?")


class Unreadable(Exception):
    """A value of a known code that cannot be converted (unit, shape)."""


@dataclass
class Res:
    """One resource with its entry index (for error locations)."""

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
class MedRecord:
    inn: str
    start: dt.date
    end: dt.date
    active: bool
    stop_reason: str | None
    ref: str
    intent: str | None = None
    done: bool = False  # the resource says the course was completed (status completed)
    cycle: int | None = None  # the cycle number written on the record ("C6", "cycle 14")
    joins: bool = False  # the record says it was added to a running line ("maintenance with HP")
    ordered: bool = False  # dated only by when it was ordered (a request's authoredOn)
    chain: str | None = None  # the first order of its chain (priorPrescription; an administration's request)
    held: bool = False  # status on-hold: paused, not being given now
    addon: bool = False  # ovarian suppression by a procedure: part of a running line, never a line alone
    goes_on: bool = False  # its words say the therapy goes on past it ("antibodies continue")
    no_start: bool = False  # dated by its end only (a period with no start): when it began is unknown


@dataclass
class Timeline:
    """Dates and records the therapy grouping needs (one per resource, merged after)."""

    primary_dx: dt.date | None = None
    metastatic: dt.date | None = None
    metastatic_ref: Source | None = None
    stage_iv_at_dx: bool = False
    sites: dt.date | None = None  # the earliest onset of a secondary cancer condition
    sites_ref: Source | None = None
    surgeries: list[dt.date] = field(default_factory=list)
    progression: list[dt.date] = field(default_factory=list)
    # every metastatic site found: (site, date, whether the date is the condition's own onset)
    site_onsets: list[tuple[str, dt.date, bool]] = field(default_factory=list)
    meds: list[MedRecord] = field(default_factory=list)
    # tumour-marker results that name no specimen: (field, value, source, date)
    unstated: list[tuple[str, Any, Source, dt.date]] = field(default_factory=list)
    # histology a pathology report's conclusion names: used when no condition gives one
    histology: list[tuple[str, Source]] = field(default_factory=list)
    # the setting a treatment summary in words gives a drug ("Neoadjuvant AC then a taxane;
    # adjuvant <drug> for residual disease"): (drug, setting, resource)
    setting_words: list[tuple[str, str, str]] = field(default_factory=list)
    # the last day a dispense's or an order's supply covers (daysSupply): record -> date
    supply_ends: dict[str, dt.date] = field(default_factory=dict)

    def merge(self, other: Timeline) -> None:
        """Fold the timeline of one resource into this one."""
        if other.primary_dx and (self.primary_dx is None or other.primary_dx < self.primary_dx):
            self.primary_dx = other.primary_dx
        if other.metastatic and (self.metastatic is None or other.metastatic < self.metastatic):
            self.metastatic, self.metastatic_ref = other.metastatic, other.metastatic_ref
        elif self.metastatic_ref is None and other.metastatic_ref is not None:
            self.metastatic_ref = other.metastatic_ref
        self.stage_iv_at_dx = self.stage_iv_at_dx or other.stage_iv_at_dx
        if other.sites and (self.sites is None or other.sites < self.sites):
            self.sites, self.sites_ref = other.sites, other.sites_ref
        self.surgeries += other.surgeries
        self.progression += other.progression
        self.site_onsets += other.site_onsets
        self.meds += other.meds
        self.unstated += other.unstated
        self.histology += other.histology
        self.setting_words += other.setting_words
        self.supply_ends.update(other.supply_ends)


class Pending:
    """The builder calls of one resource, replayed only if the resource was read cleanly."""

    def __init__(self, as_of: dt.date) -> None:
        self.as_of = as_of
        self.calls: list[tuple[str, tuple[Any, ...], dict[str, Any]]] = []

    def __getattr__(self, name: str) -> Any:
        if name in ("set", "add", "ensure_list", "note_unread"):

            def record(*args: Any, **kwargs: Any) -> None:
                self.calls.append((name, args, kwargs))

            return record
        raise AttributeError(name)

    def replay(self, builder: Any) -> None:
        for name, args, kwargs in self.calls:
            getattr(builder, name)(*args, **kwargs)


def _identifiers(res: Res) -> dict[str, list[Any]]:
    """A resource's identifier systems by value, in the order written."""
    out: dict[str, list[Any]] = {}
    for ident in res.body.get("identifier") or []:
        if isinstance(ident, Mapping):
            out.setdefault(str(ident.get("value")), []).append(ident.get("system"))
    return out


@dataclass
class Ctx:
    """Everything a reader needs: config, indexes, the builder and collected problems."""

    cfg: Mapping[str, Any]
    builder: Any
    by_ref: dict[str, Res]
    problems: list[Problem] = field(default_factory=list)
    systems: dict[str, str] = field(default_factory=dict)
    timeline: Timeline | None = None  # the resource's own timeline, when the reader has one
    # what is worked out once per bundle and shared by the Ctx of each of its resources
    # (``report_parents``); ``read_bundle`` hands every one the same dict
    memo: dict[str, dict[str, Any]] = field(default_factory=dict)

    def fail(self, res: Res, element: str, msg: str) -> None:
        loc: tuple[str | int, ...] = (
            ("entry", res.index, "resource", element) if res.index is not None else (element,)
        )
        self.problems.append(Problem(loc=loc, msg=f"in {res.ref}: {msg}", type="fhir"))

    def sys(self, name: str) -> str:
        return self.systems[name]

    def by_identifier(self, res: Res, rtype: str, identifier: Any) -> Res | None:
        """A logical reference (``{"identifier": {system, value}}``, no literal reference): the
        resource of that type in the bundle (or contained in ``res``) holding the identifier."""
        if not isinstance(identifier, Mapping) or not identifier.get("value"):
            return None
        want = (identifier.get("system"), str(identifier["value"]))
        contained = [Res(c, res.index) for c in res.body.get("contained") or [] if isinstance(c, Mapping)]
        for cand in contained:
            if cand.body.get("resourceType") == rtype:
                for system in _identifiers(cand).get(want[1], ()):
                    if want[0] is None or system in (None, want[0]):
                        return cand
        index = self.memo.get("identifiers")
        if index is None:  # the bundle's resources by type and identifier value, once per bundle
            index = {}
            for cand in {id(r): r for r in self.by_ref.values()}.values():
                for value, systems in _identifiers(cand).items():
                    key = f"{cand.body.get('resourceType')}|{value}"
                    index.setdefault(key, []).extend((system, cand) for system in systems)
            self.memo["identifiers"] = index
        for system, cand in index.get(f"{rtype}|{want[1]}", ()):
            if want[0] is None or system in (None, want[0]):
                return cand
        return None

    def resolve(self, res: Res, reference: str) -> Res | None:
        """A reference: contained (``#id``), ``Type/id``, a full URL, or ``urn:uuid:``."""
        if reference.startswith("#"):
            for item in res.body.get("contained") or []:
                if isinstance(item, Mapping) and item.get("id") == reference[1:]:
                    return Res(item, res.index)
            return None
        found = self.by_ref.get(reference)
        if found is None and "/_history/" in reference:  # a versioned reference: the resource
            reference = reference.split("/_history/", 1)[0]
            found = self.by_ref.get(reference)
        if found is None and "/" in reference:
            tail = "/".join(reference.rstrip("/").split("/")[-2:])
            found = self.by_ref.get(tail)
            if found is None:
                found = self.by_ref.get("urn:uuid:" + reference.rsplit("/", 1)[-1])
        return found


def walk_entries(
    bundle: Mapping[str, Any], problems: list[Problem], urls: dict[str, Res], dropped: list[dict[str, Any]]
) -> Iterator[Res]:
    """Every resource of a bundle, descending into bundles inside it (message bundles); of a
    history bundle, each resource's newest version only (the others noted in ``dropped``)."""
    entries = bundle.get("entry", [])
    if not isinstance(entries, list):
        problems.append(Problem(("entry",), "Bundle.entry must be a list", "fhir"))
        return
    if bundle.get("type") == "history":
        entries, left = current_entries(entries)
        dropped.extend(left)
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
            yield from walk_entries(res, problems, urls, dropped)
            continue
        item = Res(res, i)
        if isinstance(entry.get("fullUrl"), str):
            urls[entry["fullUrl"]] = item
        yield item
        yield from _contained_findings(res, i, dropped)


_FINDINGS = frozenset(
    {"Observation", "Condition", "Procedure", "MedicationStatement", "MedicationAdministration"}
)


def _contained_findings(res: Mapping[str, Any], index: int, dropped: list[dict[str, Any]]) -> Iterator[Res]:
    """Clinical resources *contained* in another (a DiagnosticReport holding its results as
    ``#er``): read as resources of their own, named ``<container id>#<id>``; none of a
    container entered in error or cancelled (they are part of it)."""
    for item in res.get("contained") or [] if isinstance(res.get("contained"), list) else []:
        kind = item.get("resourceType") if isinstance(item, Mapping) else None
        if isinstance(kind, str) and kind in _FINDINGS:
            own = f"{res.get('id') or res['resourceType']}#{item.get('id') or ''}"
            found = Res({**item, "id": own}, index)
            if res.get("status") in DEAD_STATUS:
                why = f"contained in a {res['resourceType']} whose status is {res['status']}"
                dropped.append({"kind": "ignored", "resource": found.ref, "reason": why})
                continue
            yield found


def required_code(ctx: Ctx, res: Res) -> list[tuple[str, str, str]] | None:
    """The codings of a resource's required ``code``; ``None`` (a problem recorded) without one."""
    if "code" not in res.body:
        ctx.fail(res, "code", f"{res.body.get('resourceType', 'resource')}.code is required")
        return None
    return codings(ctx, res, "code", res.body.get("code"))


def codings(ctx: Ctx, res: Res, element: str, concept: Any) -> list[tuple[str, str, str]]:
    """(system, code, display) of a CodeableConcept, checking its shape."""
    if concept is None:
        return []
    if isinstance(concept, list):  # 0..* elements (Condition.bodySite, Observation.category)
        return [c for i, item in enumerate(concept) for c in codings(ctx, res, f"{element}[{i}]", item)]
    if not isinstance(concept, Mapping):
        ctx.fail(res, element, "expected a CodeableConcept object")
        return []
    items = concept.get("coding", [])
    if not isinstance(items, list):
        ctx.fail(res, element + ".coding", "expected a list")
        return []
    out = []
    for j, c in enumerate(items):
        if not isinstance(c, Mapping):
            ctx.fail(res, f"{element}.coding[{j}]", "expected a Coding object")
            continue
        code = c.get("code")
        if code is None:
            continue
        if not isinstance(code, str | int):
            ctx.fail(res, f"{element}.coding[{j}].code", "expected a string")
            continue
        out.append((str(c.get("system", "")), str(code).strip(), str(c.get("display", ""))))
    return out


def text_of(concept: Any) -> str:
    """The text and every display of a CodeableConcept, joined (for word look-ups)."""
    if not isinstance(concept, Mapping):
        return ""
    parts = [str(concept["text"])] if isinstance(concept.get("text"), str) else []
    for c in concept.get("coding", []) or []:
        if isinstance(c, Mapping) and isinstance(c.get("display"), str):
            parts.append(str(c["display"]))
    return " | ".join(parts)


def narrative(res: Res) -> str:
    """The words of a resource's narrative (``text.div``, its XHTML tags dropped)."""
    text = res.body.get("text")
    div = text.get("div") if isinstance(text, Mapping) else None
    if not isinstance(div, str):
        return ""
    return re.sub(r"\s+", " ", re.sub(r"<[^>]*>", " ", div)).strip()


def words_match(table: Mapping[str, str], text: str) -> str | None:
    """The value of the first ``pattern: value`` entry whose regex matches ``text``."""
    for pattern, value in table.items():
        if re.search(pattern, text, re.IGNORECASE):
            return value
    return None


def drop_comparisons(text: str, pattern: str | None) -> str:
    """The words without what they say of another result ("1+ - discordant with 2019 primary
    (3+)": "1+ - "): from a comparison word to the end of its clause."""
    if not pattern or not text:
        return text
    return re.sub(f"(?:{pattern})[^|;\n]*", " ", text, flags=re.IGNORECASE)


def said_match(
    table: Mapping[str, str], text: str, denied: str | None, denied_after: str | None = None
) -> str | None:
    """As :func:`words_match`, but a match the words deny ("no progression", "without
    recurrence": ``denied`` matches the words just before it, in its clause; ``denied_after``
    the words just after it, "progression is not excluded") does not count."""
    for pattern, value in table.items():
        for m in re.finditer(pattern, text, re.IGNORECASE):
            before = re.split(r"[;|.()\n]", text[: m.start()])[-1]
            if denied and re.search(denied, before, re.IGNORECASE):
                continue
            if denied_after and re.search(denied_after, text[m.end() :], re.IGNORECASE):
                continue
            return value
    return None


def progression_said(cfg: Mapping[str, Any], text: str) -> bool:
    """Words that say the disease progressed, not denied, doubted or given to something else
    (``progression_words`` / ``progression_denied_before`` / ``_after``): a disease status or
    an imaging conclusion."""
    table = {cfg["progression_words"]: "yes"}
    after = cfg.get("progression_denied_after")
    return said_match(table, text, cfg["progression_denied_before"], after) is not None


def parse_date(value: Any) -> dt.date | None:
    if not isinstance(value, str):
        return None
    m = _DATE_RE.match(value)
    if not m:
        return None
    try:
        return dt.date(int(m.group(1)), int(m.group(2) or 1), int(m.group(3) or 1))
    except ValueError:
        return None


def check_date(ctx: Ctx, res: Res, element: str) -> dt.date | None:
    value = res.body.get(element)
    if value is None:
        return None
    d = parse_date(value)
    if d is None:
        ctx.fail(res, element, f"not a FHIR date/dateTime: {value!r}")
    return d


def period(ctx: Ctx, res: Res, element: str) -> tuple[dt.date | None, dt.date | None]:
    value = res.body.get(element)
    if value is None:
        return None, None
    if not isinstance(value, Mapping):
        ctx.fail(res, element, "expected a Period object")
        return None, None
    start, end = parse_date(value.get("start")), parse_date(value.get("end"))
    for key in ("start", "end"):
        if value.get(key) is not None and parse_date(value.get(key)) is None:
            ctx.fail(res, f"{element}.{key}", f"not a FHIR dateTime: {value.get(key)!r}")
    return start, end


def effective(ctx: Ctx, res: Res, _depth: int = 0) -> dt.date | None:
    """When a result was observed: its own date, else (a result written without one) the date
    of the report or panel that lists it, else its specimen's collection date."""
    for element in ("effectiveDateTime", "effectiveInstant", "occurrenceDateTime"):
        if res.body.get(element) is not None:
            return check_date(ctx, res, element)
    start, end = period(ctx, res, "effectivePeriod")
    if start or end:
        return start or end
    if res.body.get("issued") is not None:
        return check_date(ctx, res, "issued")
    parent = report_parents(ctx).get(res.ref) if _depth < 3 else None
    if parent is not None:
        return effective(ctx, parent, _depth + 1)
    spec = res.body.get("specimen")
    target = spec.get("reference") if isinstance(spec, Mapping) else None
    found = ctx.resolve(res, target) if isinstance(target, str) else None
    coll = found.body.get("collection") if found is not None else None
    if isinstance(coll, Mapping):
        day = parse_date(coll.get("collectedDateTime"))
        per = coll.get("collectedPeriod")
        return day or (parse_date(per.get("start")) if isinstance(per, Mapping) else None)
    return None


def report_parents(ctx: Ctx) -> dict[str, Res]:
    """Result -> the DiagnosticReport (``result``) or panel Observation (``hasMember``) that
    lists it, by the result's reference; built once per bundle (kept in ``ctx.memo``)."""
    known = ctx.memo.get("report_parents")
    if known is not None:
        return known
    index: dict[str, Res] = {}
    for parent in {id(r): r for r in ctx.by_ref.values()}.values():
        element = {"DiagnosticReport": "result", "Observation": "hasMember"}.get(parent.type)
        items = parent.body.get(element) if element else None
        for item in items if isinstance(items, list) else []:
            ref = item.get("reference") if isinstance(item, Mapping) else None
            if not isinstance(ref, str):
                continue
            if ref.startswith("#"):
                index.setdefault(f"Observation/{parent.id}{ref}", parent)
            elif (child := ctx.resolve(parent, ref)) is not None:
                index.setdefault(child.ref, parent)
    ctx.memo["report_parents"] = index
    return index


def extension_values(res: Res | Mapping[str, Any], needle: str) -> list[Any]:
    """The ``value[x]`` of every extension whose URL contains ``needle``."""
    body = res.body if isinstance(res, Res) else res
    out = []
    for ext in body.get("extension") or []:
        if isinstance(ext, Mapping) and needle in str(ext.get("url", "")):
            for key, value in ext.items():
                if key.startswith("value"):
                    out.append(value)
    return out


def src(res: Res, element: str, rule: str, observed: dt.date | None = None, **extra: Any) -> Source:
    out: Source = {"source": "fhir", "resource": res.ref, "element": element, "rule": rule}
    if observed is not None:
        out["observed_on"] = observed.isoformat()
    out.update(extra)
    return out


def unread_code(ctx: Ctx, res: Res, system: str, code: str, display: str, reason: str) -> None:
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


def ratio_value(body: Mapping[str, Any]) -> float | None:
    """A ``valueRatio`` as one number: numerator / denominator (no denominator: 1)."""
    ratio = body.get("valueRatio")
    if not isinstance(ratio, Mapping):
        return None
    num = (ratio.get("numerator") or {}).get("value")
    den = (ratio.get("denominator") or {}).get("value", 1)
    ok = all(isinstance(v, int | float) and not isinstance(v, bool) for v in (num, den))
    return float(num) / float(den) if ok and den else None


def unread_first(ctx: Ctx, res: Res, codes: list[tuple[str, str, str]], reason: str, name: str = "") -> None:
    """List a resource not read under its first code (or, with no code, under ``name``)."""
    s, c, d = codes[0] if codes else ("", "", name)
    unread_code(ctx, res, s, c, d or name, reason)
