"""The service layer: everything the REST API, CDS Hooks services and web pages do, below
any web framework (no FastAPI or Starlette here).

``mbc.api`` (REST, CDS Hooks) and ``mbc.web`` (pages) are siblings above it; each route
parses the request, calls one function here and maps the result. Modules:

=============== ==============================================================
``core``        settings, knowledge base, store, clock, plan cache (AppServices)
``planning``    validate, plan (cached), store and audit a plan
``cases``       saved cases (reads audited), a case's plan and what changed
``rules``       a rule with its citations
``drugs``       order safety for drugs about to be ordered
``cds``         CDS Hooks request reading, cards, feedback
``cards``       CDS Hooks card building
``store``       the SQL store (cases, plans, audit)
``audit_chain`` the HMAC chain over audit rows and its check
``keys``        API keys (hashed) and the app secret
``principal``   who is asking, and the roles
``settings``    MBC_* settings
=============== ==============================================================
"""

from __future__ import annotations

from mbc.service.cases import (
    CaseView,
    PlanDiff,
    case_from_source,
    create_case,
    delete_case,
    diff_plans,
    get_case,
    list_cases,
    record_event,
    show_case,
    update_case,
)
from mbc.service.cds import cds_feedback, cds_order_select, cds_patient_view
from mbc.service.core import AppServices, build_services, ensure, hash_id
from mbc.service.drugs import DrugFinding, check_drugs, resolve_drug
from mbc.service.planning import (
    Planned,
    check_note_size,
    extract_source,
    make_plan,
    plan_record,
    plan_source,
)
from mbc.service.rules import get_rule

__all__ = [
    "AppServices",
    "CaseView",
    "DrugFinding",
    "PlanDiff",
    "Planned",
    "build_services",
    "case_from_source",
    "cds_feedback",
    "cds_order_select",
    "cds_patient_view",
    "check_drugs",
    "check_note_size",
    "create_case",
    "delete_case",
    "diff_plans",
    "ensure",
    "extract_source",
    "get_case",
    "get_rule",
    "hash_id",
    "list_cases",
    "make_plan",
    "plan_record",
    "plan_source",
    "record_event",
    "resolve_drug",
    "show_case",
    "update_case",
]
