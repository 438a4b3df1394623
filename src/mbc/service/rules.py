"""A rule (or safety rule) with its resolved citations."""

from __future__ import annotations

from typing import Any

from mbc.errors import Problem
from mbc.service.core import AppServices
from mbc.service.errors import NotFoundError

__all__ = ["get_rule"]


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
