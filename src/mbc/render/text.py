"""Terminal layout of a plan: the bottom line first (render/summary.py), then alerts,
options by category, why-not, missing info."""

from __future__ import annotations

import textwrap

from mbc.model.plan import Citation, Plan
from mbc.render.summary import assumed_note, bottom_line, render_summary

__all__ = ["render_markdown", "render_text"]

_CATS = (("preferred", "Preferred"), ("other", "Other recommended"),
         ("certain_circumstances", "Useful in certain circumstances"))  # fmt: skip


def _cites(cs: list[Citation]) -> str:
    return "; ".join(c.short + ("" if c.verified else " (unverified)") for c in cs)


def _wrap(text: str, indent: str = "      ", width: int = 96) -> str:
    return textwrap.fill(text, width=width, initial_indent=indent, subsequent_indent=indent)


def render_text(plan: Plan) -> str:
    """Plain-text plan for a terminal."""
    c = plan.classification
    out: list[str] = []
    line = f"line {c.line}" if c.line is not None else "line unknown"
    line += f" ({c.treated_as})" if c.treated_as else ""
    out.append(
        f"mbc plan for {plan.patient_id}  (as of {plan.as_of}; "
        f"KB {plan.kb_version}, engine {plan.engine_version}; region {plan.region})"
    )
    out.append(
        f"Subtype {c.subtype} | HR {c.hr_status} | HER2 {c.her2_category} | PD-L1 {c.pdl1} | "
        f"endocrine resistance {c.endocrine_resistance} | {line}"
    )
    out.append("")
    out.append(render_summary(plan, "text"))
    if plan.alerts:
        out.append("ALERTS")
        for a in plan.alerts:
            drugs = f" [{', '.join(a.drugs)}]" if a.drugs else ""
            out.append(f"  ! {a.severity.upper()}: {a.message}{drugs}")
            if a.action:
                out.append(_wrap(f"Action: {a.action}"))
            out.append(_wrap(f"Source: {_cites(a.citations)}"))
        out.append("")
    out.append("TREATMENT OPTIONS")
    if not plan.options:
        out.append("  (none could be offered from the facts given; see missing information)")
    for cat, title in _CATS:
        opts = [o for o in plan.options if o.category == cat]
        if not opts:
            continue
        out.append(f"  {title}:")
        for o in opts:
            out.append(f"    * {o.name}" + (f" ({o.qualifier})" if o.qualifier else ""))
            note = assumed_note(plan, o)
            if note:
                out.append(_wrap(note))
            out.append(_wrap(o.rationale))
            if o.note:
                out.append(_wrap(f"Note: {o.note}"))
            for d in o.doses:
                dose = d.computed or d.dose
                out.append(
                    _wrap(
                        f"Dose: {d.drug} {dose}, {d.schedule}"
                        + (f" ({d.adjustment})" if d.adjustment else "")
                    )
                )
            out.append(_wrap(f"Evidence: {o.evidence}"))
    out.append("")
    if plan.not_recommended:
        out.append("NOT RECOMMENDED")
        for n in plan.not_recommended:
            out.append(f"  x {n.name or ', '.join(n.drugs)}: {n.reason}")
            out.append(_wrap(f"Source: {_cites(n.citations)}"))
        out.append("")
    if plan.workup:
        out.append("WORKUP")
        for w in plan.workup:
            out.append(f"  - [{w.urgency}] {w.name}: {w.reason}")
        out.append("")
    if plan.supportive_care:
        out.append("SUPPORTIVE CARE")
        for s in plan.supportive_care:
            out.append(f"  - {s.name}: {s.detail}")
        out.append("")
    b = bottom_line(plan)
    if b.missing:
        out.append("MISSING INFORMATION (what would change the plan most first)")
        for m in b.missing:
            out.append(f"  ? {m.label or m.field}: {m.ask}")
            out.append(_wrap(m.why))
        if b.missing_folded:
            out.append(_wrap(f"and {len(b.missing_folded)} more: " + ", ".join(b.missing_folded), "    "))
        out.append("")
    if b.waiting:
        out.append("OPTIONS THAT WAIT FOR A FACT")
        for label, names in b.waiting:
            out.append(f"  ~ if {label} were known:")
            out.append(_wrap(", ".join(names)))
        out.append("")
    if plan.trials:
        out.append("CLINICAL TRIALS")
        for t in plan.trials[:10]:
            out.append(f"  - {t.get('trial')} [{t.get('status')}] {t.get('title', '')}")
        out.append("")
    for note in plan.notes:
        out.append(f"Note: {note}")
    return "\n".join(out).rstrip() + "\n"


def render_markdown(plan: Plan) -> str:
    """Markdown plan (for notes, tickets and the CDS card detail)."""
    c = plan.classification
    md: list[str] = [f"# Plan for {plan.patient_id}", ""]
    md.append(
        f"**Subtype** {c.subtype} · **HR** {c.hr_status} · **HER2** {c.her2_category} · "
        f"**PD-L1** {c.pdl1} · **Endocrine resistance** {c.endocrine_resistance} · "
        f"**Line** {c.line if c.line is not None else 'unknown'}"
        + (f" ({c.treated_as})" if c.treated_as else "")
    )
    md.append(
        f"\n_As of {plan.as_of}; knowledge base {plan.kb_version}, engine {plan.engine_version}._\n"
    )
    md.append(render_summary(plan, "markdown"))
    if plan.alerts:
        md.append("## Alerts\n")
        for a in plan.alerts:
            md.append(
                f"- **{a.severity.upper()}** {a.message}"
                + (f" — {a.action}" if a.action else "")
                + f" ({_cites(a.citations)})"
            )
        md.append("")
    md.append("## Treatment options\n")
    for cat, title in _CATS:
        opts = [o for o in plan.options if o.category == cat]
        if not opts:
            continue
        md.append(f"### {title}\n")
        for o in opts:
            note = assumed_note(plan, o)
            extra = "".join(f" _({x})_" for x in (o.qualifier, note) if x)
            md.append(f"- **{o.name}**{extra} — {o.rationale} _({o.evidence})_")
            for d in o.doses:
                md.append(f"  - {d.drug}: {d.computed or d.dose}, {d.schedule}")
        md.append("")
    if plan.not_recommended:
        md.append("## Not recommended\n")
        for n in plan.not_recommended:
            md.append(f"- **{n.name or ', '.join(n.drugs)}**: {n.reason} ({_cites(n.citations)})")
        md.append("")
    if plan.workup:
        md.append("## Workup\n")
        for w in plan.workup:
            md.append(f"- [{w.urgency}] **{w.name}** — {w.reason} ({_cites(w.citations)})")
        md.append("")
    if plan.supportive_care:
        md.append("## Supportive care\n")
        for s in plan.supportive_care:
            md.append(f"- **{s.name}** — {s.detail} ({_cites(s.citations)})")
        md.append("")
    b = bottom_line(plan)
    if b.missing:
        md.append("## Missing information\n")
        for m in b.missing:
            md.append(f"- [ ] **{m.label or m.field}** — {m.ask} {m.why}")
        if b.missing_folded:
            md.append(f"- and {len(b.missing_folded)} more: " + ", ".join(b.missing_folded))
        md.append("")
    if b.waiting:
        md.append("## Options that wait for a fact\n")
        md.extend(f"- **{label}**: {', '.join(names)}" for label, names in b.waiting)
        md.append("")
    if plan.notes:
        md.append("## Notes\n")
        md.extend(f"- {n}" for n in plan.notes)
    return "\n".join(md).rstrip() + "\n"
