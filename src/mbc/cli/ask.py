"""``mbc ask``: answer a free-text question - general, about a patient, or in a patient's words.

The answer comes first (a verdict for yes/no questions), then its points, the assumptions
made, what to ask next and numbered references. ``--format json`` prints
``{question, intent, answer: {verdict, text, points, citations}, assumptions, plan,
follow_up_questions, ...}``.

Exit status: 0 success; 2 empty or unreadable question; 1 internal error.
"""

from __future__ import annotations

import datetime as dt
import json
import sys

import click

from mbc.cli._common import as_of_option, format_option, handle_errors, kb_option

__all__ = ["ask"]


@click.command("ask")
@click.argument("question", nargs=-1, required=True)
@click.option("--audience", type=click.Choice(["auto", "clinician", "patient"]), default="auto",
              show_default=True,
              help="Who the answer is for; auto: a first-person lay question gets plain words.")  # fmt: skip
@format_option(["text", "json"], "text")
@click.option("--no-plan", is_flag=True, default=False, help="Leave the plan out of the JSON output.")
@as_of_option("Date to answer for (default: today).")
@kb_option()
def ask(
    question: tuple[str, ...],
    audience: str,
    fmt: str,
    no_plan: bool,
    as_of: dt.datetime | None,
    kb_path: str | None,
) -> None:
    """Answer a free-text QUESTION ('-' reads stdin), the answer first."""
    from mbc.answer import answer_question, render_answer_text
    from mbc.knowledge import load_kb

    text = sys.stdin.read() if question == ("-",) else " ".join(question)
    with handle_errors():
        when = as_of.date() if as_of else dt.date.today()  # the CLI is the only clock
        result = answer_question(
            text,
            load_kb(kb_path),
            as_of=when,
            audience=None if audience == "auto" else audience,  # type: ignore[arg-type]
            include_plan=not no_plan,
        )
    if fmt == "json":
        click.echo(json.dumps(result.to_json(), indent=2, ensure_ascii=False, default=str))
    else:
        click.echo(render_answer_text(result), nl=False)
