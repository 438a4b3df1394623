"""Trial matches as text lines, from their JSON form (``TrialMatch.to_dict()``).

Works on the plain dict, so the CLI, the plan's text view and any other view can show the
same lines: NCT id with its link, phase, recruitment status, the met / not met / open counts
with the sentences, and the one fact that would settle a possible match.

.. versionadded:: issue-16
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from collections.abc import Callable, Mapping

    from mbc.knowledge.loader import KnowledgeBase

__all__ = ["fact_label", "nearest_sites", "render_trial_lines"]


def fact_label(kb: KnowledgeBase, fact: str) -> str:
    """A readable name for a fact: its vocabulary description, else the id in words."""
    try:
        spec = kb.fact_spec(fact)
    except Exception:  # noqa: BLE001 - a label must never fail a view
        spec = None
    desc = getattr(spec, "description", None) if spec is not None else None
    if desc:
        return str(desc).rstrip(".")
    return fact.replace("prior.", "prior ").replace(".class.", " ").replace(".", " ").replace("_", " ")


def nearest_sites(locations: list[str] | tuple[str, ...], near: str | None, k: int = 3) -> list[str]:
    """The trial's sites that name the place given (city, state, country or postcode),
    closest wording first; none when no place is given. A text match, not a geocoder:
    a site is "near" when its address mentions the place."""
    if not near:
        return []
    words = [w for w in near.lower().replace(",", " ").split() if w]
    scored = [(sum(w in loc.lower() for w in words), i, loc) for i, loc in enumerate(locations)]
    return [loc for n, _, loc in sorted(scored, key=lambda x: (-x[0], x[1])) if n][:k]


def render_trial_lines(
    match: Mapping[str, Any], *, label: Callable[[str], str] | None = None, sentences: bool = True
) -> list[str]:
    """Lines for one match (the dict of ``TrialMatch.to_dict()``)."""
    name = label or (lambda f: f)
    nct = match.get("nct_id") or match.get("trial") or ""
    status = str(match.get("status", "")).upper()
    bits = [b for b in (match.get("phase"), match.get("recruitment_status")) if b]
    stale = match.get("staleness_days")
    if stale is not None:
        bits.append(f"updated {stale} days ago")
    out = [f"{nct}  {status}  score {match.get('score', 0):g}  [{', '.join(bits) or 'status unknown'}]"]
    out.append(f"    {match.get('title', '')}")
    out.append(f"    {match.get('url') or f'https://clinicaltrials.gov/study/{nct}'}")
    c = match.get("counts") or {}
    out.append(
        f"    criteria: {c.get('met', 0)} met, {c.get('not_met', 0)} not met, {c.get('unknown', 0)} open"
        f" (missing facts), {c.get('needs_review', 0)} for a clinician to check"
    )
    for site in match.get("nearest_sites") or ():
        out.append(f"    site: {site}")
    settle = match.get("settle")
    if settle:
        out.append(f"    would settle it: {name(settle)}")
    unrecorded = sorted(
        {
            m
            for r in match.get("criteria") or ()
            if r.get("result") == "needs_review"
            for m in r.get("facts_missing") or ()
        }
    )
    if unrecorded:  # facts no record can hold, left for the clinician (issue 16)
        out.append(f"    to check (not in the record): {', '.join(name(m) for m in unrecorded)}")
    if sentences:
        for r in match.get("criteria") or ():
            if r.get("result") in {"not_met", "unknown"}:
                missing = r.get("facts_missing") or ()
                extra = f" (needs: {', '.join(name(m) for m in missing)})" if missing else ""
                result = "not met" if r["result"] == "not_met" else "open"
                out.append(f"    - {result} [{r.get('kind')}] {r.get('text')}{extra}")
    return out
