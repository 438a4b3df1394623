"""``mbc audit``: audits. ``mbc audit COHORT`` (the ``cohort`` subcommand) audits a cohort's
guideline concordance; other subcommands may be added beside it.

A first argument that is not a subcommand name is routed to ``cohort``, so
``mbc audit registry.ndjson`` and ``mbc audit cohort registry.ndjson`` are the same.
"""

from __future__ import annotations

import click

from mbc.cli.audit_cohort import cohort

__all__ = ["audit"]


class _DefaultToCohort(click.Group):
    """Route ``mbc audit X ...`` to ``mbc audit cohort X ...`` when X is not a subcommand."""

    default_command = "cohort"

    def resolve_command(
        self, ctx: click.Context, args: list[str]
    ) -> tuple[str | None, click.Command | None, list[str]]:
        if args and args[0] not in self.commands and not args[0].startswith("-"):
            args = [self.default_command, *args]
        return super().resolve_command(ctx, args)


@click.group("audit", cls=_DefaultToCohort)
def audit() -> None:
    """Audit a cohort: `mbc audit COHORT [options]` (see `mbc audit cohort --help`)."""


audit.add_command(cohort)
