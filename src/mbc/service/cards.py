"""Plan -> CDS Hooks 2.0 cards. Pure functions: no I/O, no clock.

Every card has a ``summary`` of at most 140 characters, an ``indicator`` taken from the
severity (critical alert -> ``critical``, warning -> ``warning``, else ``info``), a
``source`` whose label names the KB version and the rule (``mbc KB v2026.11.0 – rule
id@version``) and whose URL opens the rule page, a Markdown ``detail`` with the rationale,
citations and what data is missing, and ``links`` that open the case in the web page.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping, Sequence
from typing import Any

from mbc.model.plan import Citation, Plan, Trace
from mbc.render.summary import render_summary

__all__ = ["MAX_SUMMARY", "order_cards", "plan_cards", "summary"]

MAX_SUMMARY = 140
_NS = uuid.UUID("6f1c1e4e-3c0b-4f55-9a43-7d0f5e1a0b6d")
_INDICATOR = {"critical": "critical", "warning": "warning"}


def summary(text: str) -> str:
    """One line, at most 140 characters (cut on a word, with an ellipsis)."""
    line = " ".join(text.split())
    if len(line) <= MAX_SUMMARY:
        return line
    cut = line[: MAX_SUMMARY - 1].rsplit(" ", 1)[0].rstrip(",;:.–-")
    return cut + "…"


def _uuid(*parts: str) -> str:
    return str(uuid.uuid5(_NS, "|".join(parts)))


def _cite_md(citations: Sequence[Citation | Mapping[str, Any]]) -> str:
    items = []
    for c in citations:
        d = c.model_dump() if isinstance(c, Citation) else dict(c)
        label = f"{d.get('short') or d.get('id')}: {d.get('title')}"
        url = d.get("url_or_doi")
        items.append(f"- [{label}]({url})" if url else f"- {label}")
    return "**Citations**\n\n" + "\n".join(items) if items else ""


def _source(kb_version: str, traces: Sequence[Trace], base_url: str) -> dict[str, Any]:
    if traces:
        t = traces[0]
        return {
            "label": f"mbc KB v{kb_version} – rule {t.rule}@{t.version}",
            "url": f"{base_url}/rules/{t.rule}",
            "topic": {"system": f"{base_url}/rules", "code": t.rule, "display": t.rule},
        }
    return {"label": f"mbc KB v{kb_version}", "url": f"{base_url}/"}


def _links(case_url: str | None, rule_url: str | None = None) -> list[dict[str, Any]]:
    out = []
    if case_url:
        out.append({"label": "Open the plan in mbc", "url": case_url, "type": "absolute"})
        out.append(
            {"label": "Patient view (plain language)", "url": f"{case_url}/patient", "type": "absolute"}
        )
    if rule_url:
        out.append({"label": "The rule and its sources", "url": rule_url, "type": "absolute"})
    return out


def plan_cards(plan: Plan, *, base_url: str, case_url: str | None) -> list[dict[str, Any]]:
    """The cards of a patient-view hook for one plan: alerts first, then the options, the
    drugs not to use, and the data that would change the plan.

    Args:
        plan: The plan.
        base_url: The app's base URL (no trailing slash).
        case_url: URL of the case page, or None.

    Returns:
        CDS Hooks 2.0 card objects.
    """
    cards: list[dict[str, Any]] = []
    kbv = plan.kb_version
    if plan.summary is not None:  # issue 10: the bottom line first (render/summary.py)
        critical = bool(plan.summary.critical_alerts)
        cards.append(
            {
                "uuid": _uuid(plan.patient_id, "bottom-line"),
                "summary": summary(plan.summary.headline),
                "indicator": "critical" if critical else "info",
                "detail": render_summary(plan, "markdown"),
                "source": {"label": f"mbc KB v{kbv} - bottom line", "url": f"{base_url}/"},
                "links": _links(case_url),
            }
        )
    for a in plan.alerts:
        detail = "\n\n".join(
            x for x in (a.message, f"**Action:** {a.action}" if a.action else "", _cite_md(a.citations)) if x
        )
        src = _source(kbv, a.trace, base_url)
        cards.append(
            {
                "uuid": _uuid(plan.patient_id, "alert", a.code),
                "summary": summary(a.message),
                "indicator": _INDICATOR.get(a.severity, "info"),
                "detail": detail,
                "source": src,
                "links": _links(case_url, src["url"]),
            }
        )
    if plan.options:
        preferred = [o.name for o in plan.options if o.category == "preferred"]
        head = f"{len(plan.options)} treatment option{'s' * (len(plan.options) != 1)}"
        head += f"; preferred: {', '.join(preferred)}" if preferred else ""
        lines = []
        for o in plan.options:
            cites = ", ".join(
                f"[{c.short}]({c.url_or_doi})" if c.url_or_doi else c.short for c in o.citations
            )
            rule = f" — rule `{o.trace[0].rule}@{o.trace[0].version}`" if o.trace else ""
            lines.append(
                f"- **{o.name}** ({o.category.replace('_', ' ')}): {o.rationale} "
                f"_{o.evidence}_. {cites}{rule}"
            )
        first = plan.options[0]
        cards.append(
            {
                "uuid": _uuid(plan.patient_id, "options"),
                "summary": summary(head),
                "indicator": "info",
                "detail": "**Options** (line "
                + str(plan.classification.line or "?")
                + ", "
                + plan.classification.subtype
                + ")\n\n"
                + "\n".join(lines),
                "source": _source(kbv, first.trace, base_url),
                "links": _links(case_url),
            }
        )
    if plan.not_recommended:
        names = [n.name or ", ".join(n.drugs) for n in plan.not_recommended]
        lines = [f"- **{n.name or ', '.join(n.drugs)}**: {n.reason}" for n in plan.not_recommended]
        nr_cites = [c for n in plan.not_recommended for c in n.citations]
        cards.append(
            {
                "uuid": _uuid(plan.patient_id, "not_recommended"),
                "summary": summary("Not recommended: " + ", ".join(names)),
                "indicator": "warning"
                if any(n.kind == "contraindicated" for n in plan.not_recommended)
                else "info",
                "detail": "\n".join(lines) + "\n\n" + _cite_md(nr_cites),
                "source": _source(kbv, plan.not_recommended[0].trace, base_url),
                "links": _links(case_url),
            }
        )
    if plan.missing_information:
        fields = [m.label or m.field for m in plan.missing_information]
        lines = [
            f"- [ ] **{m.label or m.field}**: {m.why}" + (f" ({m.ask})" if m.ask else "")
            for m in plan.missing_information
        ]
        cards.append(
            {
                "uuid": _uuid(plan.patient_id, "missing"),
                "summary": summary("Needs data: " + ", ".join(fields)),
                "indicator": "info",
                "detail": "**Missing information that would change the plan**\n\n" + "\n".join(lines),
                "source": {"label": f"mbc KB v{kbv}", "url": f"{base_url}/"},
                "links": _links(case_url),
            }
        )
    return cards


def order_cards(
    findings: Sequence[Any],
    *,
    kb_version: str,
    base_url: str,
    case_url: str | None,
    order_refs: Mapping[str, str],
) -> list[dict[str, Any]]:
    """Safety cards for draft orders (order-select hook).

    Args:
        findings: :class:`mbc.service.drugs.DrugFinding` items.
        kb_version: KB version for the source label.
        base_url: The app's base URL.
        case_url: URL of the case page, or None.
        order_refs: Drug name (lower case) -> ``MedicationRequest/<id>`` of the draft order.

    Returns:
        CDS Hooks 2.0 cards; a contraindication carries a suggestion to delete the order.
    """
    cards: list[dict[str, Any]] = []
    for f in findings:
        if f.effect in ("contraindicated", "declined"):
            indicator = "critical" if f.severity != "info" else "warning"
        elif f.effect == "needs_data":
            indicator = "info"
        else:
            indicator = _INDICATOR.get(f.severity, "info")
        head = f.title if f.effect != "needs_data" else f"Check before ordering: {f.title}"
        parts = [f.message]
        if f.action:
            parts.append(f"**Action:** {f.action}")
        if f.needs:
            parts.append("**Needs data:** " + ", ".join(f.needs))
        parts.append(f"Drugs: {', '.join(f.drugs)}")
        parts.append(_cite_md(f.citations))
        rule_url = f"{base_url}/rules/{f.rule_id}"
        card: dict[str, Any] = {
            "uuid": _uuid("order", f.rule_id, *f.ordered),
            "summary": summary(head),
            "indicator": indicator,
            "detail": "\n\n".join(p for p in parts if p),
            "source": {
                "label": f"mbc KB v{kb_version} – rule {f.rule_id}@{f.version}",
                "url": rule_url,
                "topic": {"system": f"{base_url}/rules", "code": f.rule_id, "display": f.rule_id},
            },
            "links": _links(case_url, rule_url),
        }
        refs = [order_refs[d.lower()] for d in f.ordered if d.lower() in order_refs]
        if f.effect in ("contraindicated", "declined") and refs:
            card["suggestions"] = [
                {
                    "label": summary(f"Remove the draft order for {', '.join(f.ordered)}"),
                    "uuid": _uuid("suggest", f.rule_id, *refs),
                    "isRecommended": True,
                    "actions": [
                        {"type": "delete", "description": f"Remove {ref}", "resourceId": [ref]}
                        for ref in refs
                    ],
                }
            ]
            card["selectionBehavior"] = "at-most-one"
            card["overrideReasons"] = [
                {
                    "code": "benefit-outweighs-risk",
                    "system": f"{base_url}/override-reasons",
                    "display": "Benefit outweighs the risk for this patient",
                },
                {
                    "code": "data-out-of-date",
                    "system": f"{base_url}/override-reasons",
                    "display": "The patient data shown is out of date",
                },
            ]
        cards.append(card)
    return cards
