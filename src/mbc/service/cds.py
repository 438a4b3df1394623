"""CDS Hooks: read the hook request (prefetch or an allowed FHIR server), plan or check
orders, and answer with cards; store feedback. Framework-free: the routes call these."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any
from urllib.parse import quote

from mbc.errors import Problem
from mbc.model import parse_record
from mbc.service.cases import create_case, record_event, show_case, update_case
from mbc.service.core import FHIR_ID, AppServices, _list, ensure, hash_id
from mbc.service.drugs import check_drugs, resolve_drug
from mbc.service.errors import ApiError
from mbc.service.planning import extract_source
from mbc.service.store import sha256_hex

__all__ = ["cds_feedback", "cds_order_select", "cds_patient_view"]


def _bundle_from_prefetch(prefetch: Mapping[str, Any]) -> dict[str, Any]:
    """Flatten prefetch (a Patient resource and searchset Bundles) into one collection Bundle."""
    entries: list[dict[str, Any]] = []
    for value in prefetch.values():
        if not isinstance(value, Mapping):
            continue
        if value.get("resourceType") == "Bundle":
            for e in _list(value.get("entry")):
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
    if isinstance(auth, Mapping) and isinstance(auth.get("access_token"), str) and auth["access_token"]:
        headers["Authorization"] = f"Bearer {auth['access_token']}"
    out: dict[str, Any] = {}
    try:
        with http() as client:
            for key, url, params in (
                ("patient", f"{server}/Patient/{quote(patient_id, safe='')}", None),
                ("conditions", f"{server}/Condition", {"patient": patient_id}),
                ("observations", f"{server}/Observation", {"patient": patient_id}),
                ("medications", f"{server}/MedicationStatement", {"patient": patient_id}),
            ):
                resp = client.get(url, params=params, headers=headers)
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
    ensure(
        isinstance(patient_id, str) and FHIR_ID.fullmatch(patient_id) is not None,
        "context.patientId is not a FHIR id (1-64 of A-Z a-z 0-9 - .)",
        ("context", "patientId"),
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
    from mbc.service.cards import plan_cards

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
    selections = _list(context.get("selections"))
    wanted = {str(s) for s in selections} if isinstance(selections, list) else set()
    out = []
    for e in _list(bundle.get("entry")):
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
        for c in _list(concept.get("coding")):
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
    from mbc.service.cards import order_cards, summary

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
                        s.get("id") for s in _list(item.get("acceptedSuggestions")) if isinstance(s, Mapping)
                    ],
                    "override": reason.get("reason", {}).get("code")
                    if isinstance(reason, Mapping) and isinstance(reason.get("reason"), Mapping)
                    else None,
                    "at": str(item.get("outcomeTimestamp", ""))[:40],
                },
            )
    return len(items)
