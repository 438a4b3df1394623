"""The service layer: everything the REST routes, CDS Hooks services and web pages do.

Route handlers parse the request, call one function here and map its result; no decision
logic lives in a route or a template. Functions here call the engine
(:func:`mbc.engine.plan`), the readers (:func:`mbc.ingest.extract`, loaded lazily) and the
case store, and write the audit row in the same transaction as what it audits.

Logs carry hashed ids only (``hash_id``), never a patient's data.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
import threading
from collections import OrderedDict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any, Literal

from mbc.api.errors import ApiError, NotFoundError, UnavailableError
from mbc.api.settings import Settings
from mbc.api.store import CaseRow, PlanRow, Store, sha256_hex
from mbc.engine import ENGINE_VERSION
from mbc.engine import plan as engine_plan
from mbc.errors import Problem
from mbc.knowledge import KnowledgeBase, load_kb
from mbc.model import PatientRecord, parse_record
from mbc.model.plan import Plan

__all__ = [
    "AppServices",
    "CaseView",
    "DrugFinding",
    "PlanDiff",
    "Planned",
    "build_services",
    "check_drugs",
    "create_case",
    "delete_case",
    "diff_plans",
    "extract_source",
    "get_case",
    "get_rule",
    "hash_id",
    "list_cases",
    "make_plan",
    "plan_record",
    "plan_source",
    "record_event",
    "show_case",
    "update_case",
]

log = logging.getLogger("mbc.api")

SourceKind = Literal["form", "note", "fhir", "json", "example"]


# ---------------------------------------------------------------------------- plumbing


class _PlanCache:
    """A small thread-safe LRU of plans keyed by (input hash, as_of, KB and engine version).

    A plan is a pure function of those four, so a cached plan is the same plan.
    """

    def __init__(self, size: int) -> None:
        self.size = size
        self._data: OrderedDict[tuple[str, ...], tuple[Plan, str]] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: tuple[str, ...]) -> tuple[Plan, str] | None:
        with self._lock:
            value = self._data.get(key)
            if value is not None:
                self._data.move_to_end(key)
            return value

    def put(self, key: tuple[str, ...], value: tuple[Plan, str]) -> None:
        if self.size <= 0:
            return
        with self._lock:
            self._data[key] = value
            self._data.move_to_end(key)
            while len(self._data) > self.size:
                self._data.popitem(last=False)


@dataclass
class AppServices:
    """What every service function needs: settings, knowledge base, store, clock."""

    settings: Settings
    kb: KnowledgeBase
    store: Store
    today: Callable[[], dt.date] = dt.date.today
    cache: _PlanCache = field(default_factory=lambda: _PlanCache(0))
    trials: tuple[Any, ...] | None = None

    def close(self) -> None:
        """Release the store."""
        self.store.close()


def build_services(
    settings: Settings, *, kb: KnowledgeBase | None = None, today: Callable[[], dt.date] | None = None
) -> AppServices:
    """Load the knowledge base and open the store named by ``settings``.

    Args:
        settings: The app settings.
        kb: A knowledge base to use instead of loading ``settings.kb_path``.
        today: The clock for records without ``as_of`` (tests pin it).

    Returns:
        The services.
    """
    kbase = kb if kb is not None else load_kb(settings.kb_path)
    trials = None
    if settings.trial_registry:
        from mbc.trials import load_registry  # noqa: PLC0415 - optional, only with a registry

        trials = tuple(load_registry(settings.trial_registry, kb=kbase).trials())
    return AppServices(
        trials=trials,
        settings=settings,
        kb=kbase,
        store=Store(settings.database_url),
        today=today or dt.date.today,
        cache=_PlanCache(settings.plan_cache_size),
    )


def hash_id(svc: AppServices, value: str | None) -> str | None:
    """A salted, truncated SHA-256 of an identifier: what logs carry instead of the id."""
    if value is None:
        return None
    return hashlib.sha256(f"{svc.settings.id_salt}:{value}".encode()).hexdigest()[:16]


# ---------------------------------------------------------------------------- planning


@dataclass(frozen=True)
class Planned:
    """A plan with what it was made from."""

    plan: Plan
    record: PatientRecord
    input_hash: str
    plan_json: str  # the plan's JSON text, computed once per cached plan
    plan_id: int | None = None
    audit_id: int | None = None


def _input_hash(record: PatientRecord) -> str:
    return sha256_hex(record.model_dump(mode="json", exclude_none=True))


def make_plan(
    svc: AppServices, data: Any, *, as_of: dt.date | None = None, region: str = "US"
) -> Planned:
    """Validate a record and make its plan (cached; no store access).

    Args:
        svc: The services.
        data: The decoded record.
        as_of: Plan date; default the record's ``as_of``, else today.
        region: ``US`` or ``EU`` (the regulator whose labels the options follow).

    Returns:
        The plan.

    Raises:
        RecordError: Naming every invalid field.
    """
    record = parse_record(data)
    when = as_of or record.as_of or svc.today()
    digest = _input_hash(record)
    key = (digest, when.isoformat(), svc.kb.version, ENGINE_VERSION, region)
    cached = svc.cache.get(key)
    if cached is None:
        made = engine_plan(record, svc.kb, as_of=when, region=region)
        if svc.trials is not None:
            made = _with_trials(svc, made, record, when)
        cached = (made, made.model_dump_json())
        svc.cache.put(key, cached)
    return Planned(plan=cached[0], record=record, input_hash=digest, plan_json=cached[1])


def _with_trials(svc: AppServices, made: Plan, record: PatientRecord, when: dt.date) -> Plan:
    """The plan with its trials section filled by the shared matcher (no excluded trials)."""
    from mbc.trials import match_trials  # noqa: PLC0415 - optional, only with a registry

    matches = match_trials(record, list(svc.trials or ()), kb=svc.kb, as_of=when)
    rows = [m.to_dict() for m in matches if m.status != "excluded"][:20]
    return made.model_copy(update={"trials": rows})


def _audited(
    svc: AppServices,
    planned: Planned,
    *,
    case_id: str | None,
    event: str,
    actor: str,
    detail: Mapping[str, Any] | None = None,
) -> Planned:
    """Store the plan and append its audit row in one transaction."""
    p = planned.plan
    with svc.store.write() as conn:
        plan_id = svc.store.save_plan(
            conn,
            case_id=case_id,
            input_hash=planned.input_hash,
            kb_version=p.kb_version,
            engine_version=p.engine_version,
            as_of=p.as_of.isoformat(),
            plan_json=planned.plan_json,
        )
        audit_id = svc.store.append_audit(
            conn,
            event_name=event,
            actor=actor,
            case_id=case_id,
            plan_id=plan_id,
            input_hash=planned.input_hash,
            kb_version=p.kb_version,
            detail={"engine_version": p.engine_version, **(detail or {})},
        )
    log.info(
        "plan %s",
        event,
        extra={
            "mbc": {
                "event": event,
                "case": hash_id(svc, case_id),
                "patient": hash_id(svc, p.patient_id),
                "kb_version": p.kb_version,
                "engine_version": p.engine_version,
                "plan_id": plan_id,
                "options": len(p.options),
                "alerts": len(p.alerts),
            }
        },
    )
    return replace(planned, plan_id=plan_id, audit_id=audit_id)


def plan_record(
    svc: AppServices, data: Any, *, actor: str, as_of: dt.date | None = None, region: str = "US"
) -> Planned:
    """Plan one record and audit it as shown (``POST /v1/plan``).

    Args:
        svc: The services.
        data: The decoded record.
        actor: Who asked (``api``, ``cds:<issuer>`` ...).
        as_of: Plan date override.
        region: ``US`` or ``EU``.

    Returns:
        The plan, with its stored plan id and audit id.
    """
    planned = make_plan(svc, data, as_of=as_of, region=region)
    return _audited(svc, planned, case_id=None, event="plan_shown", actor=actor)


def extract_source(
    source: str | bytes | Mapping[str, Any],
    *,
    kind: Literal["fhir", "note", "auto"],
    as_of: dt.date | None = None,
) -> Any:
    """Read a FHIR bundle or a note into an ``Extraction`` (lazy import of :mod:`mbc.ingest`).

    Raises:
        UnavailableError: When the readers are not installed (HTTP 501).
        IngestError: When the source cannot be read (HTTP 422).
    """
    try:
        from mbc.ingest import extract
    except ImportError as exc:
        raise UnavailableError(
            "reading FHIR bundles and notes is not available in this installation",
            [Problem(("kind",), str(exc), "unavailable")],
        ) from None
    return extract(source, kind=kind, as_of=as_of)


def plan_source(
    svc: AppServices,
    source: str | Mapping[str, Any],
    *,
    kind: Literal["fhir", "note", "auto"],
    actor: str,
    as_of: dt.date | None = None,
) -> tuple[Any, Planned]:
    """Read a source, then plan and audit the record it yields.

    Returns:
        ``(extraction, planned)``.
    """
    extraction = extract_source(source, kind=kind, as_of=as_of or svc.today())
    planned = make_plan(svc, extraction.record, as_of=as_of)
    return extraction, _audited(
        svc, planned, case_id=None, event="plan_shown", actor=actor, detail={"source": extraction.kind}
    )


# ---------------------------------------------------------------------------- cases


def _label(record: PatientRecord, label: str | None) -> str:
    return (label or record.id).strip()[:200] or record.id


def create_case(
    svc: AppServices,
    data: Any,
    *,
    source_kind: SourceKind,
    actor: str,
    source_text: str | None = None,
    label: str | None = None,
    case_id: str | None = None,
) -> CaseRow:
    """Validate and save a case.

    Raises:
        RecordError: Naming every invalid field (nothing is saved).
    """
    record = parse_record(data)
    clean = record.model_dump(mode="json", exclude_none=True)
    row = svc.store.create_case(
        label=_label(record, label),
        source_kind=source_kind,
        record=clean,
        source_text=source_text,
        actor=actor,
        case_id=case_id,
    )
    log.info("case created", extra={"mbc": {"event": "case_created", "case": hash_id(svc, row.id)}})
    return row


def case_from_source(
    svc: AppServices,
    source: str | Mapping[str, Any],
    *,
    kind: Literal["fhir", "note", "auto"],
    actor: str,
    label: str | None = None,
) -> CaseRow:
    """Read a note or FHIR bundle and save the record it yields as a case."""
    extraction = extract_source(source, kind=kind, as_of=svc.today())
    text = source if isinstance(source, str) else None
    if text is None:
        import json

        text = json.dumps(source)
    return create_case(
        svc, extraction.record, source_kind=extraction.kind, actor=actor, source_text=text, label=label
    )


def get_case(svc: AppServices, case_id: str) -> CaseRow:
    """A case, or :class:`NotFoundError`."""
    row = svc.store.get_case(case_id)
    if row is None:
        raise NotFoundError(f"no case {case_id!r}", [Problem(("case_id",), "not found", "not_found")])
    return row


def list_cases(svc: AppServices, *, limit: int = 200, offset: int = 0) -> list[CaseRow]:
    """Saved cases, newest first."""
    return svc.store.list_cases(limit=limit, offset=offset)


def update_case(
    svc: AppServices, case_id: str, data: Any, *, actor: str, label: str | None = None
) -> CaseRow:
    """Replace a case's record (validated first)."""
    record = parse_record(data)
    row = svc.store.update_case(
        case_id, record=record.model_dump(mode="json", exclude_none=True), label=label, actor=actor
    )
    if row is None:
        raise NotFoundError(f"no case {case_id!r}", [Problem(("case_id",), "not found", "not_found")])
    return row


def delete_case(svc: AppServices, case_id: str, *, actor: str) -> None:
    """Delete a case (soft: its plans and audit rows are kept)."""
    if not svc.store.delete_case(case_id, actor=actor):
        raise NotFoundError(f"no case {case_id!r}", [Problem(("case_id",), "not found", "not_found")])


@dataclass(frozen=True)
class PlanDiff:
    """What changed in a case's plan between a stored plan and a fresh one."""

    old_kb_version: str
    new_kb_version: str
    old_engine_version: str
    new_engine_version: str
    added: dict[str, list[str]]
    removed: dict[str, list[str]]
    changed: dict[str, list[str]]

    @property
    def empty(self) -> bool:
        """True when nothing the clinician sees changed."""
        return (
            not any(self.added.values()) and not any(self.removed.values()) and not any(self.changed.values())
        )


def _keyed(section: str, items: Iterable[Mapping[str, Any]]) -> dict[str, tuple[str, str]]:
    """section item -> (key, label, signature) for comparison."""
    out: dict[str, tuple[str, str]] = {}
    for it in items:
        if section == "options":
            key = str(it.get("regimen") or it.get("id"))
            label = str(it.get("name") or key)
            sig = f"{it.get('category')}"
        elif section == "not_recommended":
            key = str(it.get("regimen") or "+".join(it.get("drugs", [])))
            label = str(it.get("name") or ", ".join(it.get("drugs", [])) or key)
            sig = f"{it.get('kind')}|{it.get('reason')}"
        else:  # alerts
            key = str(it.get("code"))
            label = str(it.get("message") or key)
            sig = f"{it.get('severity')}|{','.join(it.get('drugs', []))}"
        out[key] = (label, sig)
    return out


def diff_plans(old: Mapping[str, Any], new: Mapping[str, Any]) -> PlanDiff:
    """Compare two plans (JSON form) on options, not_recommended and alerts.

    Args:
        old: The stored plan.
        new: The fresh plan.

    Returns:
        Per section, the labels of items added, removed and changed (category, reason or
        severity).
    """
    added: dict[str, list[str]] = {}
    removed: dict[str, list[str]] = {}
    changed: dict[str, list[str]] = {}
    for section in ("options", "not_recommended", "alerts"):
        a = _keyed(section, old.get(section, []))
        b = _keyed(section, new.get(section, []))
        added[section] = [b[k][0] for k in b if k not in a]
        removed[section] = [a[k][0] for k in a if k not in b]
        changed[section] = [f"{b[k][0]} ({a[k][1]} → {b[k][1]})" for k in b if k in a and a[k][1] != b[k][1]]
    return PlanDiff(
        old_kb_version=str(old.get("kb_version")),
        new_kb_version=str(new.get("kb_version")),
        old_engine_version=str(old.get("engine_version")),
        new_engine_version=str(new.get("engine_version")),
        added=added,
        removed=removed,
        changed=changed,
    )


@dataclass(frozen=True)
class CaseView:
    """A case with its fresh plan and, if the KB changed since, what changed."""

    case: CaseRow
    planned: Planned
    previous: PlanRow | None
    diff: PlanDiff | None


def show_case(
    svc: AppServices,
    case_id: str,
    *,
    actor: str,
    event: Literal["plan_shown", "plan_exported"] = "plan_shown",
    detail: Mapping[str, Any] | None = None,
) -> CaseView:
    """Plan a saved case, store and audit the plan, and diff it with the last stored plan
    made under another KB or engine version.

    Args:
        svc: The services.
        case_id: The case.
        actor: Who looks.
        event: ``plan_shown`` (a page or API read) or ``plan_exported`` (print / PDF).
        detail: Extra audit detail (e.g. the view and format).

    Returns:
        The case view.
    """
    case = get_case(svc, case_id)
    planned = make_plan(svc, case.record)
    history = svc.store.plans_of(case_id)
    previous = next(
        (
            p
            for p in reversed(history)
            if (p.kb_version, p.engine_version) != (planned.plan.kb_version, planned.plan.engine_version)
        ),
        None,
    )
    diff = diff_plans(previous.plan, planned.plan.to_json()) if previous is not None else None
    audited = _audited(svc, planned, case_id=case_id, event=event, actor=actor, detail=detail)
    return CaseView(case=case, planned=audited, previous=previous, diff=diff)


def record_event(
    svc: AppServices, *, event: str, actor: str, detail: Mapping[str, Any], case_id: str | None = None
) -> int:
    """Append a free-standing audit event (e.g. CDS Hooks feedback); return its id."""
    with svc.store.write() as conn:
        return svc.store.append_audit(
            conn, event_name=event, actor=actor, case_id=case_id, kb_version=svc.kb.version, detail=detail
        )


# ---------------------------------------------------------------------------- rules


def get_rule(svc: AppServices, rule_id: str) -> dict[str, Any]:
    """A rule or safety rule with its resolved citations (``GET /v1/rules/{id}``).

    Raises:
        NotFoundError: No such rule.
    """
    kb = svc.kb
    rule: Any = next((r for r in kb.rules if r.id == rule_id), None)
    kind = "rule"
    if rule is None:
        rule = next((s for s in kb.safety if s.id == rule_id), None)
        kind = "safety"
    if rule is None:
        raise NotFoundError(f"no rule {rule_id!r}", [Problem(("rule_id",), "not found", "not_found")])
    body = rule.model_dump(mode="json", by_alias=True, exclude_none=True)
    citations = []
    for cid in rule.evidence.citations:
        s = kb.sources.get(cid)
        if s is None:
            continue
        link = (
            f"https://doi.org/{s.doi}"
            if s.doi
            else (f"https://pubmed.ncbi.nlm.nih.gov/{s.pmid}/" if s.pmid else s.url)
        )
        citations.append(
            {
                "id": s.id,
                "title": s.title,
                "short": s.short,
                "kind": s.kind,
                "year": s.year,
                "url_or_doi": link,
                "verified": s.verified,
            }
        )
    return {
        "id": rule.id,
        "version": rule.version,
        "kind": kind,
        "status": rule.status,
        "title": rule.title,
        "file": kb.files.get(rule.id),
        "kb_version": kb.version,
        "citations": citations,
        "rule": body,
    }


# ---------------------------------------------------------------------------- order safety


@dataclass(frozen=True)
class DrugFinding:
    """A safety rule that applies to drugs being ordered for this patient."""

    rule_id: str
    version: int
    title: str
    effect: str
    severity: str
    message: str
    action: str | None
    drugs: list[str]
    ordered: list[str]
    citations: list[dict[str, Any]]
    facts_used: dict[str, Any]
    needs: list[str] = field(default_factory=list)


def _ongoing_drugs(kb: KnowledgeBase, record: PatientRecord) -> list[str]:
    out: list[str] = []
    for t in record.prior_therapies or ():
        if t.end is None and t.stop_reason in (None, "ongoing"):
            for name in t.drugs:
                d = kb.lookup_drug(name)
                if d and d not in out:
                    out.append(d)
    return out


def check_drugs(
    svc: AppServices, record: PatientRecord, drug_ids: Sequence[str], *, as_of: dt.date | None = None
) -> list[DrugFinding]:
    """Evaluate the KB's active safety rules for drugs about to be ordered.

    The drug set is the ordered drugs plus the patient's ongoing therapy; a finding is
    reported only when it involves an ordered drug. The engine's own drug check
    (:func:`mbc.engine.safety.check_order`, the same applicability test and three-valued
    evaluation as its safety stage) decides; an undecidable condition is reported with the
    facts it needs.

    Args:
        svc: The services.
        record: The patient.
        drug_ids: KB drug ids being ordered.
        as_of: Date for derived facts (default: record's, else today).

    Returns:
        Findings, most severe first.
    """
    from mbc.engine import derive_facts
    from mbc.engine.safety import check_order
    from mbc.logic import Truth

    kb = svc.kb
    when = as_of or record.as_of or svc.today()
    facts = derive_facts(record, kb, when).facts
    ordered = [d for d in drug_ids if d in kb.drugs]
    out: list[DrugFinding] = []
    for found in check_order(kb, facts, ordered, _ongoing_drugs(kb, record)):
        s, applies = found.rule, found.truth is Truth.TRUE
        out.append(
            DrugFinding(
                rule_id=s.id,
                version=s.version,
                title=s.title,
                effect=s.effect if applies else "needs_data",
                severity=s.severity if applies else "info",
                message=s.message.strip(),
                action=s.action.strip() if s.action else None,
                drugs=[kb.drugs[d].name for d in found.hit],
                ordered=[kb.drugs[d].name for d in found.hit if d in ordered],
                citations=[c.model_dump(mode="json") for c in found.citations],
                facts_used=found.facts_used(),
                needs=found.needs(kb),
            )
        )
    rank = {"critical": 0, "warning": 1, "info": 2}
    effect_rank = {"contraindicated": 0, "declined": 1, "caution": 2, "needs_data": 3}
    out.sort(key=lambda f: (effect_rank.get(f.effect, 9), rank.get(f.severity, 9), f.rule_id))
    return out


def resolve_drug(svc: AppServices, *, codes: Iterable[tuple[str, str]], text: str | None) -> str | None:
    """Map an order's RxNorm code(s) or text to a KB drug id (None if unknown)."""
    kb = svc.kb
    by_rxnorm = {d.rxnorm: d.id for d in kb.drugs.values() if d.rxnorm}
    for system, code in codes:
        if "rxnorm" in system.lower() and code in by_rxnorm:
            return by_rxnorm[code]
    for candidate in (text or "",):
        d = kb.lookup_drug(candidate) if candidate else None
        if d:
            return d
        # free text such as "<Drug> 420 mg IV": try each word and word pair
        words = candidate.replace("/", " ").split()
        for n in (2, 1):
            for i in range(len(words) - n + 1):
                d = kb.lookup_drug(" ".join(words[i : i + n]))
                if d:
                    return d
    return None


def ensure(condition: bool, message: str, loc: Sequence[str | int], kind: str = "value_error") -> None:
    """Raise a 422-style :class:`ApiError` unless ``condition`` holds."""
    if not condition:
        raise ApiError(message, [Problem(tuple(loc), message, kind)], status=422)


# ---------------------------------------------------------------------------- CDS Hooks


def _bundle_from_prefetch(prefetch: Mapping[str, Any]) -> dict[str, Any]:
    """Flatten prefetch (a Patient resource and searchset Bundles) into one collection Bundle."""
    entries: list[dict[str, Any]] = []
    for value in prefetch.values():
        if not isinstance(value, Mapping):
            continue
        if value.get("resourceType") == "Bundle":
            for e in value.get("entry") or []:
                if isinstance(e, Mapping) and isinstance(e.get("resource"), Mapping):
                    entries.append({"resource": dict(e["resource"])})
        elif "resourceType" in value:
            entries.append({"resource": dict(value)})
    return {"resourceType": "Bundle", "type": "collection", "entry": entries}


def _fhir_read(
    svc: AppServices, request: Mapping[str, Any], patient_id: str, http: Callable[[], Any]
) -> dict[str, Any]:
    """Read what prefetch would have given from the hook's FHIR server (an allowed one)."""
    server = str(request.get("fhirServer") or "").rstrip("/")
    allowed = {s.rstrip("/") for s in svc.settings.fhir_servers}
    if not server or server not in allowed:
        raise ApiError(
            "prefetch is missing and no allowed FHIR server was given",
            [
                Problem(
                    ("prefetch",),
                    "give prefetch, or a fhirServer listed in MBC_FHIR_SERVERS",
                    "prefetch_missing",
                )
            ],
            status=412,
        )
    headers = {"Accept": "application/fhir+json"}
    auth = request.get("fhirAuthorization")
    if isinstance(auth, Mapping) and auth.get("access_token"):
        headers["Authorization"] = f"Bearer {auth['access_token']}"
    out: dict[str, Any] = {}
    try:
        with http() as client:
            for key, template in (
                ("patient", f"{server}/Patient/{patient_id}"),
                ("conditions", f"{server}/Condition?patient={patient_id}"),
                ("observations", f"{server}/Observation?patient={patient_id}"),
                ("medications", f"{server}/MedicationStatement?patient={patient_id}"),
            ):
                resp = client.get(template, headers=headers)
                resp.raise_for_status()
                out[key] = resp.json()
    except Exception as exc:
        raise ApiError(
            "the FHIR server could not be read",
            [Problem(("fhirServer",), type(exc).__name__, "fhir_unavailable")],
            status=502,
        ) from None
    return out


def _hook_record(
    svc: AppServices, request: Mapping[str, Any], http: Callable[[], Any]
) -> tuple[str, dict[str, Any]]:
    context = request.get("context")
    ensure(isinstance(context, Mapping), "context must be an object", ("context",))
    assert isinstance(context, Mapping)
    patient_id = context.get("patientId")
    ensure(
        isinstance(patient_id, str) and bool(patient_id),
        "context.patientId is required",
        ("context", "patientId"),
        "missing",
    )
    prefetch = request.get("prefetch")
    usable = isinstance(prefetch, Mapping) and isinstance(prefetch.get("patient"), Mapping)
    if not usable:
        prefetch = _fhir_read(svc, request, str(patient_id), http)
    assert isinstance(prefetch, Mapping)
    extraction = extract_source(_bundle_from_prefetch(prefetch), kind="fhir", as_of=svc.today())
    return str(patient_id), dict(extraction.record)


def _cds_case(
    svc: AppServices, request: Mapping[str, Any], patient_id: str, record: dict[str, Any], actor: str
) -> str:
    """Create or refresh the case that a hook's patient maps to; return its id."""
    case_id = "cds-" + sha256_hex(f"{request.get('fhirServer') or ''}|{patient_id}")[:16]
    if svc.store.get_case(case_id) is None:
        create_case(
            svc,
            record,
            source_kind="fhir",
            actor=actor,
            case_id=case_id,
            label=f"CDS patient {hash_id(svc, patient_id)}",
        )
    else:
        existing = svc.store.get_case(case_id)
        clean = parse_record(record).model_dump(mode="json", exclude_none=True)
        if existing is not None and existing.record != clean:
            update_case(svc, case_id, record, actor=actor)
    return case_id


def cds_patient_view(
    svc: AppServices, request: Mapping[str, Any], *, base_url: str, actor: str, http: Callable[[], Any]
) -> dict[str, Any]:
    """The ``patient-view`` hook: read the patient, plan, audit, and answer with cards.

    Args:
        svc: The services.
        request: The hook request (JSON).
        base_url: The app's base URL, for links.
        actor: Who called (``cds:<issuer>``).
        http: Factory of the HTTP client for FHIR reads.

    Returns:
        ``{"cards": [...]}``.
    """
    from mbc.api.cdshooks.cards import plan_cards

    patient_id, record = _hook_record(svc, request, http)
    case_id = _cds_case(svc, request, patient_id, record, actor)
    view = show_case(
        svc,
        case_id,
        actor=actor,
        detail={"hook": "patient-view", "hookInstance": str(request.get("hookInstance", ""))[:64]},
    )
    return {"cards": plan_cards(view.planned.plan, base_url=base_url, case_url=f"{base_url}/cases/{case_id}")}


def _draft_orders(request: Mapping[str, Any]) -> list[Mapping[str, Any]]:
    context = request.get("context") or {}
    bundle = context.get("draftOrders") if isinstance(context, Mapping) else None
    ensure(isinstance(bundle, Mapping), "context.draftOrders must be a Bundle", ("context", "draftOrders"))
    assert isinstance(bundle, Mapping)
    selections = context.get("selections") or []
    wanted = {str(s) for s in selections} if isinstance(selections, list) else set()
    out = []
    for e in bundle.get("entry") or []:
        res = e.get("resource") if isinstance(e, Mapping) else None
        if not isinstance(res, Mapping) or res.get("resourceType") != "MedicationRequest":
            continue
        ref = f"MedicationRequest/{res.get('id', '')}"
        if wanted and ref not in wanted:
            continue
        out.append(res)
    return out


def _order_drug(svc: AppServices, order: Mapping[str, Any]) -> tuple[str | None, str]:
    concept = order.get("medicationCodeableConcept") or {}
    codes: list[tuple[str, str]] = []
    texts: list[str] = []
    if isinstance(concept, Mapping):
        for c in concept.get("coding") or []:
            if isinstance(c, Mapping):
                codes.append((str(c.get("system", "")), str(c.get("code", ""))))
                if c.get("display"):
                    texts.append(str(c["display"]))
        if concept.get("text"):
            texts.insert(0, str(concept["text"]))
    ref = order.get("medicationReference")
    if isinstance(ref, Mapping) and ref.get("display"):
        texts.append(str(ref["display"]))
    label = texts[0] if texts else (codes[0][1] if codes else "unnamed medication")
    drug = resolve_drug(svc, codes=codes, text=None)
    for t in texts:
        if drug:
            break
        drug = resolve_drug(svc, codes=(), text=t)
    return drug, label


def cds_order_select(
    svc: AppServices, request: Mapping[str, Any], *, base_url: str, actor: str, http: Callable[[], Any]
) -> dict[str, Any]:
    """The ``order-select`` hook: check the selected draft MedicationRequests for safety.

    Returns:
        ``{"cards": [...]}``: one card per applicable safety rule (with a suggestion to
        remove a contraindicated order) and one info card for orders mbc cannot identify.
    """
    from mbc.api.cdshooks.cards import order_cards, summary

    orders = _draft_orders(request)
    patient_id, record_data = _hook_record(svc, request, http)
    record = parse_record(record_data)
    case_id = _cds_case(svc, request, patient_id, record_data, actor)
    drug_ids: list[str] = []
    refs: dict[str, str] = {}
    unknown: list[str] = []
    for o in orders:
        drug, label = _order_drug(svc, o)
        if drug is None:
            unknown.append(label)
            continue
        drug_ids.append(drug)
        refs[svc.kb.drugs[drug].name.lower()] = f"MedicationRequest/{o.get('id', '')}"
    findings = check_drugs(svc, record, drug_ids)
    case_url = f"{base_url}/cases/{case_id}"
    cards = order_cards(
        findings, kb_version=svc.kb.version, base_url=base_url, case_url=case_url, order_refs=refs
    )
    if unknown:
        cards.append(
            {
                "uuid": sha256_hex("unknown|" + "|".join(unknown))[:8] + "-0000-4000-8000-" + "0" * 12,
                "summary": summary("mbc could not identify: " + ", ".join(unknown)),
                "indicator": "info",
                "detail": "These draft orders are not in the mbc drug vocabulary, so no safety "
                "rule was checked for them.",
                "source": {"label": f"mbc KB v{svc.kb.version}", "url": f"{base_url}/"},
            }
        )
    record_event(
        svc,
        event="orders_checked",
        actor=actor,
        case_id=case_id,
        detail={
            "orders": len(orders),
            "findings": [f"{f.rule_id}@{f.version}" for f in findings],
            "unidentified": len(unknown),
        },
    )
    return {"cards": cards}


def cds_feedback(svc: AppServices, service_id: str, body: Mapping[str, Any], *, actor: str) -> int:
    """Store CDS Hooks feedback (card accepted / overridden) as audit events.

    Returns:
        The number of feedback items recorded.
    """
    items = body.get("feedback")
    ensure(isinstance(items, list), "feedback must be a list", ("feedback",))
    assert isinstance(items, list)
    problems = []
    for i, item in enumerate(items):
        if not isinstance(item, Mapping) or not isinstance(item.get("card"), str):
            problems.append(Problem(("feedback", i, "card"), "card uuid is required", "missing"))
        elif item.get("outcome") not in ("accepted", "overridden"):
            problems.append(
                Problem(("feedback", i, "outcome"), "must be 'accepted' or 'overridden'", "literal_error")
            )
    if problems:
        raise ApiError("invalid feedback", problems, status=422)
    with svc.store.write() as conn:
        for item in items:
            reason = item.get("overrideReason") or {}
            svc.store.append_audit(
                conn,
                event_name="cds_feedback",
                actor=actor,
                kb_version=svc.kb.version,
                detail={
                    "service": service_id,
                    "card": item["card"],
                    "outcome": item["outcome"],
                    "accepted": [
                        s.get("id") for s in item.get("acceptedSuggestions") or [] if isinstance(s, Mapping)
                    ],
                    "override": reason.get("reason", {}).get("code")
                    if isinstance(reason, Mapping) and isinstance(reason.get("reason"), Mapping)
                    else None,
                    "at": str(item.get("outcomeTimestamp", ""))[:40],
                },
            )
    return len(items)
