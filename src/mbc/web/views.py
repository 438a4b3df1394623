"""View helpers: turn a service result into what a template needs (grouping, labels,
timeline, PDF). No clinical decisions here: everything shown comes from the Plan."""

from __future__ import annotations

import datetime as dt
import functools
import importlib.resources
import json
from typing import Any

from mbc.knowledge import KnowledgeBase
from mbc.render.patient import build_patient_view
from mbc.service import AppServices, CaseView
from mbc.web.timeline import timeline_svg

__all__ = [
    "case_timeline",
    "clinician_context",
    "example_labels",
    "html_to_pdf",
    "load_example",
    "load_examples",
    "patient_context",
    "stylesheet",
]

_CATEGORIES = (
    ("preferred", "Preferred"),
    ("other", "Other recommended"),
    ("certain_circumstances", "Useful in certain circumstances"),
)


@functools.cache
def load_examples() -> dict[str, dict[str, Any]]:
    """The bundled example records, by file stem."""
    root = importlib.resources.files("mbc.web") / "examples"
    out: dict[str, dict[str, Any]] = {}
    for entry in sorted(root.iterdir(), key=lambda e: e.name):
        if entry.name.endswith(".json"):
            out[entry.name.removesuffix(".json")] = json.loads(entry.read_text(encoding="utf-8"))
    return out


def example_labels() -> list[tuple[str, str]]:
    """(name, label) of every bundled example."""
    return [(k, k.replace("-", " ")) for k in load_examples()]


def load_example(name: str) -> dict[str, Any] | None:
    """One bundled example record (a copy), or None."""
    ex = load_examples().get(name)
    return json.loads(json.dumps(ex)) if ex is not None else None


def _trials(items: list[dict[str, Any]]) -> list[dict[str, str]]:
    """Trials in a shape the template can show, whatever keys the matcher uses."""
    out = []
    for t in items:
        title = t.get("title") or t.get("name") or t.get("brief_title") or t.get("id") or "trial"
        tid = t.get("nct_id") or t.get("id") or ""
        detail = t.get("reason") or t.get("status") or t.get("summary") or ""
        out.append({"title": str(title), "id": str(tid) if tid != title else "", "detail": str(detail)})
    return out


def case_timeline(record: dict[str, Any], svc: AppServices) -> str:
    """The SVG therapy timeline of a record (right edge: its plan date)."""
    as_of = record.get("as_of")
    when = dt.date.fromisoformat(as_of) if isinstance(as_of, str) else svc.today()
    return timeline_svg(record, as_of=when)


def clinician_context(view: CaseView) -> dict[str, Any]:
    """Template variables of the clinician view."""
    plan = view.planned.plan
    grouped = [(cat, title, [o for o in plan.options if o.category == cat]) for cat, title in _CATEGORIES]
    provenance = view.case.record.get("provenance")
    as_of = plan.as_of
    return {
        "case": view.case,
        "plan": plan,
        "plan_id": view.planned.plan_id,
        "diff": view.diff,
        "options_by_category": grouped,
        "trials": _trials(plan.trials),
        "timeline": timeline_svg(view.case.record, as_of=as_of),
        "provenance": json.dumps(provenance, indent=2) if provenance else None,
    }


def patient_context(view: CaseView, kb: KnowledgeBase) -> dict[str, Any]:
    """Template variables of the patient view."""
    from mbc.render.patient import _load

    text, _ = _load(kb)
    return {
        "case": view.case,
        "view": build_patient_view(view.planned.plan, kb),
        "drug_names_label": text.get("drug_names_label", "Drug names"),
    }


@functools.cache
def stylesheet() -> str:
    """The site stylesheet (inlined into print and PDF pages)."""
    return (importlib.resources.files("mbc.web") / "static" / "style.css").read_text(encoding="utf-8")


def html_to_pdf(html: str) -> bytes:
    """Render an HTML page to PDF with WeasyPrint (no network: the CSS is inline)."""
    from weasyprint import HTML  # type: ignore[import-untyped]

    data: bytes = HTML(string=html, url_fetcher=_no_fetch).write_pdf()
    return data


def _no_fetch(url: str, *args: Any, **kwargs: Any) -> dict[str, Any]:
    # Print pages are self-contained; never let the PDF renderer reach the network.
    raise ValueError(f"external resource not allowed in PDF export: {url}")
