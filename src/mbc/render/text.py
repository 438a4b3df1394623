"""Terminal and markdown layouts of a plan: the bottom line first (render/summary.py), then
alerts, options by category, why-not, missing info. Both are one walk over the plan view
model (:mod:`mbc.render.view`): each format is a table of section writers."""

from __future__ import annotations

import textwrap

from mbc.knowledge.loader import KnowledgeBase
from mbc.model.plan import Citation, NotRecommended, Plan
from mbc.render.summary import assumed_note, render_summary
from mbc.render.view import PlanView, Writer, plan_view, write

__all__ = ["render_markdown", "render_text"]


def _cites(cs: list[Citation]) -> str:
    return "; ".join(c.short + ("" if c.verified else " (unverified)") for c in cs)


def _named(n: NotRecommended) -> str:
    return n.name or ", ".join(n.drugs)


def _wrap(text: str, indent: str = "      ", width: int = 96) -> str:
    return textwrap.fill(text, width=width, initial_indent=indent, subsequent_indent=indent)


def render_text(plan: Plan, kb: KnowledgeBase | None = None) -> str:
    """Plain-text plan for a terminal (``kb``: the KB whose vocabulary labels the option
    categories; default the shipped one)."""
    return write(plan_view(plan, kb), _TEXT)


def render_markdown(plan: Plan, kb: KnowledgeBase | None = None) -> str:
    """Markdown plan (for notes, tickets and the CDS card detail)."""
    return write(plan_view(plan, kb), _MARKDOWN)


# ------------------------------------------------------------------ text


def _text_header(v: PlanView) -> list[str]:
    plan, c = v.plan, v.plan.classification
    line = f"line {c.line}" if c.line is not None else "line unknown"
    line += f" ({c.treated_as})" if c.treated_as else ""
    return [
        f"mbc plan for {plan.patient_id}  (as of {plan.as_of}; "
        f"KB {plan.kb_version}, engine {plan.engine_version}; region {plan.region})",
        f"Subtype {c.subtype} | HR {c.hr_status} | HER2 {c.her2_category} | PD-L1 {c.pdl1} | "
        f"endocrine resistance {c.endocrine_resistance} | {line}",
        "",
    ]


def _text_alerts(v: PlanView) -> list[str]:
    out = ["ALERTS"]
    for a in v.plan.alerts:
        drugs = f" [{', '.join(a.drugs)}]" if a.drugs else ""
        out.append(f"  ! {a.severity.upper()}: {a.message}{drugs}")
        if a.action:
            out.append(_wrap(f"Action: {a.action}"))
        out.append(_wrap(f"Source: {_cites(a.citations)}"))
    return [*out, ""]


def _text_options(v: PlanView) -> list[str]:
    out = ["TREATMENT OPTIONS"]
    if not v.plan.options:
        out.append("  (none could be offered from the facts given; see missing information)")
    for g in v.groups:
        out.append(f"  {g.label}:")
        for o in g.options:
            out.append(f"    * {o.name}" + (f" ({o.qualifier})" if o.qualifier else ""))
            note = assumed_note(v.plan, o)
            if note:
                out.append(_wrap(note))
            out.append(_wrap(o.rationale))
            if o.note:
                out.append(_wrap(f"Note: {o.note}"))
            for d in o.doses:
                adjustment = f" ({d.adjustment})" if d.adjustment else ""
                out.append(_wrap(f"Dose: {d.drug} {d.computed or d.dose}, {d.schedule}{adjustment}"))
            out.append(_wrap(f"Evidence: {o.evidence}"))
    return [*out, ""]


def _text_missing(v: PlanView) -> list[str]:
    b = v.bottom
    out = ["MISSING INFORMATION (what would change the plan most first)"]
    for m in b.missing:
        out.append(f"  ? {m.label or m.field}: {m.ask}")
        out.append(_wrap(m.why))
    if b.missing_folded:
        out.append(_wrap(f"and {len(b.missing_folded)} more: " + ", ".join(b.missing_folded), "    "))
    return [*out, ""]


def _text_waiting(v: PlanView) -> list[str]:
    out = ["OPTIONS THAT WAIT FOR A FACT"]
    for label, names in v.bottom.waiting:
        out.append(f"  ~ if {label} were known:")
        out.append(_wrap(", ".join(names)))
    return [*out, ""]


_TEXT: dict[str, Writer] = {
    "header": _text_header,
    "summary": lambda v: [render_summary(v.plan, "text")],
    "alerts": _text_alerts,
    "options": _text_options,
    "not_recommended": lambda v: [
        "NOT RECOMMENDED",
        *(
            line
            for n in v.plan.not_recommended
            for line in (f"  x {_named(n)}: {n.reason}", _wrap(f"Source: {_cites(n.citations)}"))
        ),
        "",
    ],
    "workup": lambda v: ["WORKUP", *(f"  - [{w.urgency}] {w.name}: {w.reason}" for w in v.plan.workup), ""],
    "supportive_care": lambda v: [
        "SUPPORTIVE CARE",
        *(f"  - {s.name}: {s.detail}" for s in v.plan.supportive_care),
        "",
    ],
    "missing_information": _text_missing,
    "waiting": _text_waiting,
    "trials": lambda v: [
        "CLINICAL TRIALS",
        *(f"  - {t.get('trial')} [{t.get('status')}] {t.get('title', '')}" for t in v.plan.trials[:10]),
        "",
    ],
    "notes": lambda v: [f"Note: {note}" for note in v.plan.notes],
}


# ------------------------------------------------------------------ markdown


def _md_header(v: PlanView) -> list[str]:
    plan, c = v.plan, v.plan.classification
    return [
        f"# Plan for {plan.patient_id}",
        "",
        f"**Subtype** {c.subtype} · **HR** {c.hr_status} · **HER2** {c.her2_category} · "
        f"**PD-L1** {c.pdl1} · **Endocrine resistance** {c.endocrine_resistance} · "
        f"**Line** {c.line if c.line is not None else 'unknown'}"
        + (f" ({c.treated_as})" if c.treated_as else ""),
        f"\n_As of {plan.as_of}; knowledge base {plan.kb_version}, engine {plan.engine_version}._\n",
    ]


def _md_options(v: PlanView) -> list[str]:
    out = ["## Treatment options\n"]
    for g in v.groups:
        out.append(f"### {g.label}\n")
        for o in g.options:
            note = assumed_note(v.plan, o)
            extra = "".join(f" _({x})_" for x in (o.qualifier, note) if x)
            out.append(f"- **{o.name}**{extra} — {o.rationale} _({o.evidence})_")
            out.extend(f"  - {d.drug}: {d.computed or d.dose}, {d.schedule}" for d in o.doses)
        out.append("")
    return out


def _md_missing(v: PlanView) -> list[str]:
    b = v.bottom
    out = ["## Missing information\n"]
    out.extend(f"- [ ] **{m.label or m.field}** — {m.ask} {m.why}" for m in b.missing)
    if b.missing_folded:
        out.append(f"- and {len(b.missing_folded)} more: " + ", ".join(b.missing_folded))
    return [*out, ""]


_MARKDOWN: dict[str, Writer] = {
    "header": _md_header,
    "summary": lambda v: [render_summary(v.plan, "markdown")],
    "alerts": lambda v: [
        "## Alerts\n",
        *(
            f"- **{a.severity.upper()}** {a.message}"
            + (f" — {a.action}" if a.action else "")
            + f" ({_cites(a.citations)})"
            for a in v.plan.alerts
        ),
        "",
    ],
    "options": _md_options,
    "not_recommended": lambda v: [
        "## Not recommended\n",
        *(f"- **{_named(n)}**: {n.reason} ({_cites(n.citations)})" for n in v.plan.not_recommended),
        "",
    ],
    "workup": lambda v: [
        "## Workup\n",
        *(f"- [{w.urgency}] **{w.name}** — {w.reason} ({_cites(w.citations)})" for w in v.plan.workup),
        "",
    ],
    "supportive_care": lambda v: [
        "## Supportive care\n",
        *(f"- **{s.name}** — {s.detail} ({_cites(s.citations)})" for s in v.plan.supportive_care),
        "",
    ],
    "missing_information": _md_missing,
    "waiting": lambda v: [
        "## Options that wait for a fact\n",
        *(f"- **{label}**: {', '.join(names)}" for label, names in v.bottom.waiting),
        "",
    ],
    "notes": lambda v: ["## Notes\n", *(f"- {n}" for n in v.plan.notes)],
}
