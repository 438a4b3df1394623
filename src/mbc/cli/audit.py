"""``mbc audit``: check the service's audit log (``verify``) and, when installed, audit a
cohort (``mbc audit DIR`` runs the ``cohort`` subcommand).

``mbc audit verify`` recomputes the HMAC chain of the audit log and checks every case and
plan row against it (see :mod:`mbc.api.audit_chain`). Exit status: 0 nothing found;
1 tampering found; 2 bad input (no such database, no key).
"""

from __future__ import annotations

import importlib
import importlib.util
import json
import sys
from typing import Any

import click

__all__ = ["AuditGroup", "audit"]

# Subcommands other modules provide: name -> (module, attribute). Loaded when present.
_LAZY: dict[str, tuple[str, str]] = {"cohort": ("mbc.cli.audit_cohort", "cohort")}
_DEFAULT = "cohort"


class AuditGroup(click.Group):
    """A group whose first argument, when it is not a subcommand, is the argument of the
    ``cohort`` subcommand (if one is registered): ``mbc audit DIR`` = ``mbc audit cohort DIR``."""

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        found = super().get_command(ctx, cmd_name)
        if found is not None:
            return found
        spec = _LAZY.get(cmd_name)
        if spec is None or importlib.util.find_spec(spec[0]) is None:
            return None
        command = getattr(importlib.import_module(spec[0]), spec[1], None)
        return command if isinstance(command, click.Command) else None

    def list_commands(self, ctx: click.Context) -> list[str]:
        names = set(super().list_commands(ctx))
        names |= {n for n in _LAZY if self.get_command(ctx, n) is not None}
        return sorted(names)

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        if (
            args
            and not args[0].startswith("-")
            and super().get_command(ctx, args[0]) is None
            and args[0] not in _LAZY
            and self.get_command(ctx, _DEFAULT) is not None
        ):
            args = [_DEFAULT, *args]
        return super().parse_args(ctx, args)


@click.group("audit", cls=AuditGroup, context_settings={"help_option_names": ["-h", "--help"]})
def audit() -> None:
    """Check the audit log (verify) or audit a cohort (cohort, when installed)."""


@audit.command("verify")
@click.option("--db", "database_url", default=None, help="Database URL (default: MBC_DATABASE_URL).")
@click.option(
    "--secret-key-file",
    default=None,
    help="File with the app secret (default: MBC_SECRET_KEY / MBC_SECRET_KEY_FILE).",
)
@click.option("--expect-head", default=None, help="A head ('ID:MAC') printed by an earlier run.")
@click.option("--json", "as_json", is_flag=True, help="Print the report as JSON.")
def verify(
    database_url: str | None, secret_key_file: str | None, expect_head: str | None, as_json: bool
) -> None:
    """Detect edited, deleted or forged audit, case and plan rows."""
    try:
        from mbc.service.audit_chain import verify_chain
        from mbc.service.keys import derive_key, load_secret
        from mbc.service.settings import Settings
        from mbc.service.store import Store
    except ImportError as exc:  # pragma: no cover - depends on the installed extras
        click.echo(f"error: the service stack is not installed ({exc}); pip install 'mbc[api]'", err=True)
        sys.exit(2)
    overrides: dict[str, Any] = {}
    if database_url:
        overrides["database_url"] = database_url
    if secret_key_file:
        overrides["secret_key_file"] = secret_key_file
        overrides["secret_key"] = None
    settings = Settings(**overrides)
    url = settings.database_url
    if url.startswith("sqlite:///") and not _exists(url.removeprefix("sqlite:///")):
        click.echo(f"error: no database at {url}", err=True)
        sys.exit(2)
    if not settings.secret_key and not _exists(settings.secret_key_file):
        click.echo(f"error: no secret key (MBC_SECRET_KEY, or the file {settings.secret_key_file})", err=True)
        sys.exit(2)
    try:
        key = derive_key(load_secret(settings), "audit")
        store = Store(url, audit_key=key)
        report = verify_chain(store, key, expect_head=expect_head)
        store.close()
    except Exception as exc:
        click.echo(f"error: cannot read the store: {type(exc).__name__}: {str(exc)[:200]}", err=True)
        sys.exit(2)
    if as_json:
        click.echo(json.dumps({**report.__dict__, "ok": report.ok}, indent=2))
    else:
        click.echo(f"audit rows: {report.rows}   cases: {report.cases}   plans: {report.plans}")
        click.echo(f"head: {report.head}")
        for p in report.problems:
            click.echo(f"TAMPERED: {p}")
        click.echo("ok: the chain verifies" if report.ok else f"{len(report.problems)} problem(s) found")
    sys.exit(0 if report.ok else 1)


def _exists(path: str) -> bool:
    from pathlib import Path

    return Path(path).exists()
