"""The CDS services this app offers. Discovery (``GET /cds-services``) is generated from
:data:`REGISTRY`; adding a service is one entry here plus one service function."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

__all__ = ["PREFETCH", "REGISTRY", "CDSService", "discovery", "find_service"]

# Prefetch templates (CDS Hooks 2.0 §prefetch): the patient, their conditions, observations
# and medication statements are everything mbc.ingest's FHIR reader needs.
PREFETCH: dict[str, str] = {
    "patient": "Patient/{{context.patientId}}",
    "conditions": "Condition?patient={{context.patientId}}",
    "observations": "Observation?patient={{context.patientId}}",
    "medications": "MedicationStatement?patient={{context.patientId}}",
}


@dataclass(frozen=True)
class CDSService:
    """One CDS service as announced by discovery."""

    id: str
    hook: str
    title: str
    description: str
    prefetch: dict[str, str] = field(default_factory=dict)
    usage_requirements: str | None = None

    def to_json(self) -> dict[str, Any]:
        """The discovery entry."""
        out: dict[str, Any] = {
            "hook": self.hook,
            "id": self.id,
            "title": self.title,
            "description": self.description,
        }
        if self.prefetch:
            out["prefetch"] = dict(self.prefetch)
        if self.usage_requirements:
            out["usageRequirements"] = self.usage_requirements
        return out


REGISTRY: tuple[CDSService, ...] = (
    CDSService(
        id="mbc-patient-view",
        hook="patient-view",
        title="mbc: metastatic breast cancer treatment plan",
        description="Cited treatment options, drugs to avoid, alerts and missing data for a "
        "patient with metastatic breast cancer, from the mbc knowledge base.",
        prefetch=PREFETCH,
        usage_requirements="Needs read access to Patient, Condition, Observation and "
        "MedicationStatement (prefetch or FHIR server).",
    ),
    CDSService(
        id="mbc-order-select",
        hook="order-select",
        title="mbc: safety check of draft cancer drug orders",
        description="Checks draft MedicationRequests against the patient with the mbc "
        "knowledge base's safety rules (contraindications, cautions, combinations).",
        prefetch=PREFETCH,
    ),
)


def discovery() -> dict[str, Any]:
    """The discovery document."""
    return {"services": [s.to_json() for s in REGISTRY]}


def find_service(service_id: str) -> CDSService | None:
    """A registered service by id."""
    return next((s for s in REGISTRY if s.id == service_id), None)
