"""``mbc algorithm``: the whole treatment algorithm, generated from the knowledge base."""

from __future__ import annotations

import click

from mbc.cli._common import format_option, handle_errors, kb_option

__all__ = ["algorithm"]


@click.command("algorithm")
@format_option(["markdown", "html"], "markdown")
@kb_option()
def algorithm(fmt: str, kb_path: str | None) -> None:
    """Render the knowledge base as a cited algorithm by patient group and line.

    Generated from the same rules the engine runs (nothing is written by hand).
    """
    from mbc.knowledge import load_kb
    from mbc.render.algorithm import render_algorithm

    with handle_errors():
        kb = load_kb(kb_path)
        text = render_algorithm(kb, "html" if fmt == "html" else "markdown")
    click.echo(text, nl=False)
