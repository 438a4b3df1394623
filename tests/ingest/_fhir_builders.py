"""Builders the FHIR reading tests share: small resources of ``Patient/p`` (our own shapes,
written from the FHIR R4 / mCODE / Genomics Reporting rules, none copied from a blind set)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from mbc.ingest import extract

from ._helpers import fhir_bundle

LOINC = "http://loinc.org"
SNOMED = "http://snomed.info/sct"
RXNORM = "http://www.nlm.nih.gov/research/umls/rxnorm"
ICD = "http://hl7.org/fhir/sid/icd-10-cm"
HGNC = "http://www.genenames.org/geneId"
ATC = "http://www.whocc.no/atc"

__all__ = [
    "ATC", "HGNC", "ICD", "LOINC", "RXNORM", "SNOMED", "SOMATIC", "comp", "condition", "extraction",
    "fhir_bundle", "gene", "obs", "read", "request", "statement",
]  # fmt: skip


def obs(oid: str, code: str, day: str = "2026-09-01", system: str = LOINC, **more: Any) -> dict[str, Any]:
    """A final Observation with one coding (no display), dated ``day``."""
    return {
        "resourceType": "Observation",
        "id": oid,
        "status": "final",
        "code": {"coding": [{"system": system, "code": code}]},
        "subject": {"reference": "Patient/p"},
        "effectiveDateTime": day,
        **more,
    }


def comp(code: str, **value: Any) -> dict[str, Any]:
    """A component coded in LOINC with its value[x]."""
    return {"code": {"coding": [{"system": LOINC, "code": code}]}, **value}


def gene(symbol: str, hgnc: str) -> dict[str, Any]:
    """A gene-studied (48018-6) component."""
    return comp(
        "48018-6", valueCodeableConcept={"coding": [{"system": HGNC, "code": hgnc, "display": symbol}]}
    )


SOMATIC = comp("48002-0", valueCodeableConcept={"coding": [{"system": LOINC, "code": "LA6684-0"}]})
"""A genomic-source-class component saying somatic."""


def condition(cid: str, code: dict[str, Any], onset: str, **more: Any) -> dict[str, Any]:
    """A confirmed, active Condition with the given CodeableConcept."""
    return {
        "resourceType": "Condition",
        "id": cid,
        "clinicalStatus": {"coding": [{"code": "active"}]},
        "verificationStatus": {"coding": [{"code": "confirmed"}]},
        "code": code,
        "subject": {"reference": "Patient/p"},
        "onsetDateTime": onset,
        **more,
    }


def statement(
    sid: str, rxcui: str, start: str, end: str | None, status: str = "completed", **more: Any
) -> dict[str, Any]:
    """A MedicationStatement of one RxNorm-coded drug over a period."""
    period = {"start": start, **({"end": end} if end else {})}
    return {
        "resourceType": "MedicationStatement",
        "id": sid,
        "status": status,
        "medicationCodeableConcept": {"coding": [{"system": RXNORM, "code": rxcui}]},
        "subject": {"reference": "Patient/p"},
        "effectivePeriod": period,
        **more,
    }


def med(mid: str, name: str, start: str, end: str | None, status: str = "completed", **more: Any) -> dict[str, Any]:
    """A MedicationStatement of a drug known by its words only, over a period."""
    period = {"start": start, **({"end": end} if end else {})}
    return {"resourceType": "MedicationStatement", "id": mid, "status": status,
            "medicationCodeableConcept": {"text": name}, "subject": {"reference": "Patient/p"},
            "effectivePeriod": period, **more}  # fmt: skip


def given(mid: str, name: str, day: str) -> dict[str, Any]:
    """A completed MedicationAdministration of one dose of a drug known by its words only."""
    return {"resourceType": "MedicationAdministration", "id": mid, "status": "completed",
            "medicationCodeableConcept": {"text": name}, "subject": {"reference": "Patient/p"},
            "effectiveDateTime": day}  # fmt: skip


def request(rid: str, rxcui: str, authored: str, status: str = "active", **more: Any) -> dict[str, Any]:
    """A MedicationRequest (order) of one RxNorm-coded drug, dated by ``authoredOn``."""
    return {
        "resourceType": "MedicationRequest",
        "id": rid,
        "status": status,
        "intent": "order",
        "medicationCodeableConcept": {"coding": [{"system": RXNORM, "code": rxcui}]},
        "subject": {"reference": "Patient/p"},
        "authoredOn": authored,
        **more,
    }


def extraction(as_of: dt.date, *resources: dict[str, Any]) -> Any:
    """The extraction of a collection bundle of ``Patient/p`` and ``resources``."""
    return extract(fhir_bundle(*resources), as_of=as_of)


def read(as_of: dt.date, *resources: dict[str, Any]) -> dict[str, Any]:
    """The record read from a collection bundle of ``Patient/p`` and ``resources``."""
    return extraction(as_of, *resources).record
