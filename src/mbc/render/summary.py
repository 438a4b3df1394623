"""The bottom line of a plan, as one view model every view renders first (issue 10).

:func:`bottom_line` turns a :class:`~mbc.model.plan.Plan` into a :class:`BottomLine`: the
headline, the top options (with "assumed: ... - confirm" where an option rests on an
assumption, and the qualifier of a branch), the critical alerts, the one unknown fact that
would most change the plan, what was assumed, the branches, the missing information ranked
by value (at most five shown, the rest folded) and the options waiting for a fact, grouped
by that fact. :func:`render_summary` writes it as text or markdown (the CLI, the
``mbc ask`` answer); the web page, the print / PDF page and the CDS Hooks cards read the
same object. Nothing here decides anything: it only arranges the plan.

.. versionadded:: 0.2
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

from mbc.model.plan import Assumption, ConditionalOption, MissingInfo, Option, Plan

__all__ = ["BottomLine", "TopOption", "assumed_note", "bottom_line", "render_summary"]

MAX_MISSING_SHOWN = 5
_CAT = {"preferred": "preferred", "other": "other", "certain_circumstances": "certain circumstances"}


@dataclass(frozen=True)
class TopOption:
    """One of the top options, as the bottom line shows it."""

    id: str
    name: str
    category: str
    qualifier: str | None = None
    assumed: str | None = None  # "assumed: no visceral crisis, ECOG 0-1 - confirm"


@dataclass(frozen=True)
class BottomLine:
    """Everything the top of every view shows."""

    headline: str
    top: list[TopOption] = field(default_factory=list)
    critical: list[str] = field(default_factory=list)
    decisive: str | None = None  # the label of the fact that would most change the plan
    decisive_ask: str = ""
    assumptions: list[Assumption] = field(default_factory=list)
    scenarios: list[tuple[str, list[str]]] = field(default_factory=list)  # (label, option names)
    missing: list[MissingInfo] = field(default_factory=list)  # ranked, at most five
    missing_folded: list[str] = field(default_factory=list)  # labels of the rest
    waiting: list[tuple[str, list[str]]] = field(default_factory=list)  # (fact label, option names)
    safety_stop: bool = False


def _waiting_name(c: ConditionalOption, fact: str) -> str:
    """An option waiting for a fact, by category; a held one as held, with the avoid holding it
    and what it would rule out (first clause of its reason), never as preferred (session 12)."""
    if c.category != "held":
        return f"{c.name} ({_CAT[c.category]})"
    why = (c.held_reason or "").split(";")[0].strip().rstrip(".")
    why = f": not given if {why[:1].lower()}{why[1:]}" if why else ""
    return f"{c.name} (held: waits for {fact} - {c.held_by}{why})"


def _label(m: MissingInfo) -> str:
    return m.label or m.field


def assumed_note(plan: Plan, option: Option) -> str | None:
    """ "assumed: <what> - confirm" when the option rests on an assumption, else None."""
    fields = {f for t in option.trace for f in t.assumed}
    if not fields:
        return None
    shown = [a.shown for a in plan.assumptions if a.field in fields]
    return "assumed: " + ", ".join(shown) + " - confirm" if shown else None


def bottom_line(plan: Plan) -> BottomLine:
    """The bottom-line view model of a plan."""
    s = plan.summary
    by_id = {o.id: o for o in plan.options}
    top_ids = s.top_options if s is not None else [o.id for o in plan.options[:3]]
    top = [
        TopOption(o.id, o.name, _CAT[o.category], o.qualifier, assumed_note(plan, o))
        for o in (by_id[i] for i in top_ids if i in by_id)
    ]
    alerts = {a.code: a for a in plan.alerts}
    codes = s.critical_alerts if s is not None else [a.code for a in plan.alerts if a.severity == "critical"]
    critical = [alerts[c].message for c in codes if c in alerts]
    decisive = s.decisive_unknown if s is not None else None
    decisive_label, decisive_ask = None, ""
    if decisive is not None:
        m = next((m for m in plan.missing_information if m.field == decisive), None)
        decisive_label = _label(m) if m is not None else decisive
        decisive_ask = m.ask if m is not None else ""
    scenarios = [(sc.label or str(sc.if_), list(sc.names or sc.options)) for sc in plan.scenarios]
    labels = {m.field: _label(m) for m in plan.missing_information}
    for m in plan.missing_information:  # the parts of a combined field, by their own label
        for part, name in zip(m.field.split(", "), _label(m).split(" / "), strict=False):
            labels.setdefault(part, name)
    waiting: dict[str, list[str]] = {}
    for c in plan.conditional_options:
        parts = [p for n in c.needs for p in n.split(", ")]
        names = dict.fromkeys(labels.get(p, p.rsplit(".", 1)[-1].replace("_", " ")) for p in parts)
        key = " / ".join(names) or "more information"
        waiting.setdefault(key, []).append(_waiting_name(c, key))
    ranked = list(plan.missing_information)
    stop = not plan.options and any(n.kind in ("contraindicated", "declined") for n in plan.not_recommended)
    return BottomLine(
        headline=s.headline if s is not None else "",
        top=top,
        critical=critical,
        decisive=decisive_label,
        decisive_ask=decisive_ask,
        assumptions=list(plan.assumptions),
        scenarios=scenarios,
        missing=ranked[:MAX_MISSING_SHOWN],
        missing_folded=[_label(m) for m in ranked[MAX_MISSING_SHOWN:]],
        waiting=sorted(waiting.items(), key=lambda kv: -len(kv[1])),
        safety_stop=stop,
    )


def render_summary(plan: Plan, fmt: Literal["text", "markdown"] = "text") -> str:
    """The bottom line as text or markdown: top options, critical alerts, the fact that
    would most change the plan, and what was assumed (for ``mbc ask`` and every text view)."""
    b = bottom_line(plan)
    md = fmt == "markdown"
    out: list[str] = ["## Bottom line" if md else "BOTTOM LINE", ""]
    if b.headline:
        out.append(f"**{b.headline}**" if md else b.headline)
    for msg in b.critical:
        out.append(f"- **CRITICAL** {msg}" if md else f"  !! CRITICAL: {msg}")
    if b.top:
        out.append("" if md else "  Top options:")
        for n, t in enumerate(b.top, 1):
            extra = "".join(f" ({x})" for x in (t.qualifier, t.assumed) if x)
            line = (
                f"{n}. **{t.name}** [{t.category}]{extra}"
                if md
                else f"    {n}. {t.name} [{t.category}]{extra}"
            )
            out.append(line)
    elif b.safety_stop:
        out.append("No option can be offered safely; see Not recommended for the reasons.")
    else:
        out.append("No option can be chosen from the facts given yet.")
    for label, names in b.scenarios:
        line = f"{label}: {', '.join(names) or 'no preferred option'}"
        out.append(f"- {line}" if md else f"    - {line}")
    if b.decisive:
        ask = f" - {b.decisive_ask}" if b.decisive_ask else ""
        line = f"Would change it most: {b.decisive}{ask}"
        out.append(f"\n{line}" if md else f"  {line}")
    if b.assumptions:
        head = "Assumed (not recorded - confirm):"
        out.append(f"\n{head}" if md else f"  {head}")
        for a in b.assumptions:
            line = f"{a.label}: {a.shown} - {a.why}. Confirm: {a.confirm}"
            out.append(f"- {line}" if md else f"    - {line}")
    return "\n".join(out).rstrip() + "\n"
