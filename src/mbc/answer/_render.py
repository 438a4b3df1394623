"""The text view of an answer: the answer in its first lines, under 40 lines in all."""

from __future__ import annotations

from mbc.answer._model import VERDICT_WORDS, Answer

__all__ = ["render_answer_text"]

_VERDICT = {k: v.upper() for k, v in VERDICT_WORDS.items()}
MAX_LINES = 39


def render_answer_text(answer: Answer, *, max_lines: int = MAX_LINES) -> str:
    """Plain text: verdict and answer first, then points, assumptions, follow-up, references."""
    body = answer.answer
    head = f"{_VERDICT[body.verdict]}: " if body.verdict else "ANSWER: "
    text = body.text
    lead = text.split(" - ")[0]
    if body.verdict and lead.upper() == _VERDICT[body.verdict]:  # "Yes - ..." after "YES:"
        text = text[len(lead) + 3 :]
    lines = [head + text]
    if answer.audience == "patient":  # plain words all through: short source names, one per sentence
        return _patient_text(answer, lines)
    refs = [
        f"  [{c.n}] {c.short} ({c.year}). {c.title}" + (f" {c.url}" if c.url else "") for c in body.citations
    ]
    tail: list[str] = []
    if answer.assumptions:
        tail.append("Assumed: " + "; ".join(answer.assumptions))
    if answer.follow_up_questions:
        tail.append("To ask next: " + " | ".join(answer.follow_up_questions))
    budget = max_lines - len(lines) - len(tail) - 1
    ref_lines = (
        refs
        if len(refs) + len(body.points) + 1 <= budget
        else ["References: " + "; ".join(f"[{c.n}] {c.short} ({c.year})" for c in body.citations)]
    )
    room = budget - len(ref_lines) - (1 if ref_lines and len(ref_lines) > 1 else 0)
    points = [f"- {p}" if not p.startswith("  ") else f"  {p}" for p in body.points]
    if len(points) > room:
        points = [
            *points[: max(room - 1, 0)],
            f"- ... {len(body.points) - max(room - 1, 0)} more (see --format json)",
        ]
    out = lines + points + tail
    if ref_lines:
        out += (["References:"] if len(ref_lines) > 1 else []) + ref_lines
    return "\n".join(out[:max_lines]) + "\n"


def _patient_text(answer: Answer, lines: list[str]) -> str:
    out = lines + [f"- {p.strip()}" for p in answer.answer.points[:12]]
    if answer.follow_up_questions:
        out.append("Ask your care team:")
        out += [f"- {q}" for q in answer.follow_up_questions]
    if answer.answer.citations:
        out.append("Sources: " + " ".join(f"{c.short}." for c in answer.answer.citations[:8]))
    return "\n".join(out) + "\n"
