"""View helpers: turn a service result into what a template needs (grouping, labels,
timeline, PDF). No clinical decisions here: everything shown comes from the Plan."""

from __future__ import annotations

import datetime as dt
import functools
import importlib.resources
import json
import re
from typing import Any

from mbc.knowledge import KnowledgeBase
from mbc.render.patient import build_patient_view
from mbc.render.view import group_options
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


_NCT = re.compile(r"NCT\d{8}")


def _trials(items: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Trials as the page shows them: NCT id and link, recruitment status, met / not met /
    unknown criteria, and "possible match" while any criterion is unresolved (a match is
    never claimed on a fact nobody has tested)."""
    out = []
    for t in items:
        title = t.get("title") or t.get("name") or t.get("brief_title") or t.get("trial") or "trial"
        tid = str(t.get("trial") or t.get("nct_id") or t.get("id") or "")
        raw_counts = t.get("counts")
        counts: dict[str, Any] = raw_counts if isinstance(raw_counts, dict) else {}
        open_items = int(counts.get("unknown", 0)) + int(counts.get("needs_review", 0))
        status = str(t.get("status") or "")
        if status in ("eligible", "possible", "likely") or not status:
            status = "possible match" if open_items or not counts else "criteria met"
        out.append(
            {
                "title": str(title),
                "id": tid if tid != title else "",
                "url": f"https://clinicaltrials.gov/study/{tid}" if _NCT.fullmatch(tid) else None,
                "recruitment": str(t.get("recruitment_status") or "").replace("_", " ").lower(),
                "status": status.replace("_", " "),
                "counts": {k: int(counts.get(k, 0)) for k in ("met", "not_met", "unknown", "needs_review")},
                "reasons": [str(r) for r in t.get("reasons") or []][:4],
                "unresolved": [
                    str(c.get("text"))[:160]
                    for c in t.get("criteria") or []
                    if isinstance(c, dict) and c.get("result") in ("unknown", "needs_review")
                ][:5],
            }
        )
    return out


def _sources(plan: Any) -> tuple[list[Any], dict[str, int]]:
    """Every citation of the plan once, numbered in order of first use."""
    seen: dict[str, int] = {}
    ordered: list[Any] = []
    groups = [plan.alerts, plan.options, plan.not_recommended, plan.workup, plan.supportive_care]
    for group in groups:
        for item in group:
            for c in getattr(item, "citations", None) or ():
                if c.id not in seen:
                    seen[c.id] = len(ordered) + 1
                    ordered.append(c)
    return ordered, seen


def field_label(path: str) -> str:
    """A human label for a record field path (the form's label when it has one)."""
    from mbc.web.form import form_spec

    spec = form_spec().by_name.get(path)
    if spec is not None:
        return str(spec.label)
    last = path.rsplit(".", 1)[-1]
    units = (("_ml_min", " (mL/min)"), ("_ms", " (ms)"), ("_percent", " (%)"), ("_per_mb", " per Mb"))
    for suffix, unit in units:
        if last.endswith(suffix):
            last = last.removesuffix(suffix) + unit
            break
    return last.replace("_", " ").strip().capitalize()


def case_timeline(record: dict[str, Any], svc: AppServices) -> str:
    """The SVG therapy timeline of a record (right edge: its plan date)."""
    as_of = record.get("as_of")
    when = dt.date.fromisoformat(as_of) if isinstance(as_of, str) else svc.today()
    return timeline_svg(record, as_of=when)


def clinician_context(view: CaseView, kb: KnowledgeBase) -> dict[str, Any]:
    """Template variables of the clinician view (``kb`` labels the option categories)."""
    plan = view.planned.plan
    grouped = [(g.category, g.label, g.options) for g in group_options(plan, kb)]
    provenance = view.case.record.get("provenance")
    as_of = plan.as_of
    sources, cite_no = _sources(plan)
    return {
        "sources": sources,
        "cite_no": cite_no,
        "label_of": field_label,
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
