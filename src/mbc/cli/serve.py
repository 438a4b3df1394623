"""``mbc serve``: run the web page, REST API and CDS Hooks service under uvicorn."""

from __future__ import annotations

import sys
from typing import Any

import click

__all__ = ["load_examples", "serve"]


def load_examples(app: object) -> int:
    """Save the bundled example cases into the app's store; return how many were added.

    Args:
        app: An app built by :func:`mbc.api.create_app`.

    Returns:
        The number of cases added (examples already present are skipped).
    """
    from mbc import service
    from mbc.web.views import load_examples as examples

    svc = app.state.services  # type: ignore[attr-defined]
    added = 0
    for name, record in examples().items():
        case_id = f"example-{name}"
        if svc.store.get_case(case_id) is not None:
            continue
        service.create_case(svc, record, source_kind="example", actor="cli", case_id=case_id, label=name)
        added += 1
    return added


@click.command("serve")
@click.option("--host", default="127.0.0.1", show_default=True, help="Interface to listen on.")
@click.option("--port", default=8000, show_default=True, type=int, help="TCP port (0 = any free port).")
@click.option(
    "--examples/--no-examples",
    default=None,
    help="Load the bundled example cases (default: only when the store is empty).",
)
@click.option("--db", "database_url", default=None, help="Database URL (overrides MBC_DATABASE_URL).")
@click.option("--kb", "kb_path", default=None, help="Knowledge-base directory (overrides MBC_KB_PATH).")
@click.option(
    "--workers",
    default=1,
    show_default=True,
    type=click.IntRange(1, 64),
    help="Worker processes (forked; each builds the app from the MBC_* settings).",
)
@click.option("--log-level", default="warning", show_default=True, help="uvicorn log level.")
@click.option(
    "--create-key",
    "create_key",
    default=None,
    metavar="ROLE:NAME",
    help="Create an API key (viewer|clinician|admin) in the store, print its token once, and exit.",
)
def serve(
    host: str,
    port: int,
    examples: bool | None,
    database_url: str | None,
    kb_path: str | None,
    workers: int,
    log_level: str,
    create_key: str | None,
) -> None:
    """Run the web page, REST API (/v1) and CDS Hooks service (/cds-services).

    Settings come from MBC_* environment variables or a .env file (see docs/web.md).
    """
    try:
        import uvicorn

        from mbc.api import Settings, create_app
    except ImportError as exc:  # pragma: no cover - depends on the installed extras
        click.echo(f"error: the web stack is not installed ({exc}); pip install 'mbc[api,web]'", err=True)
        sys.exit(1)
    overrides = {k: v for k, v in (("database_url", database_url), ("kb_path", kb_path)) if v}
    settings = Settings(**overrides)  # type: ignore[arg-type]
    if create_key is not None:
        _create_key(settings, create_key)
        return
    if not settings.auth_on:
        click.echo("WARNING: sign-in is OFF (MBC_AUTH=off): development mode, not for real patient data.")
    elif not (settings.oidc_issuer and settings.oidc_client_id):
        click.echo("note: no identity provider (MBC_OIDC_ISSUER / MBC_OIDC_CLIENT_ID): only API keys sign in")
    app = create_app(settings)
    store = app.state.services.store
    if examples or (examples is None and (settings.load_examples or store.count_cases() == 0)):
        n = load_examples(app)
        if n:
            click.echo(f"loaded {n} example case{'s' * (n != 1)}")
    if workers > 1:
        _serve_workers(settings, overrides, host=host, port=port, workers=workers, log_level=log_level)
        return
    config = uvicorn.Config(app, host=host, port=port, log_level=log_level, workers=workers)
    server = uvicorn.Server(config)

    original_startup = server.startup

    async def startup(sockets: object = None) -> None:
        await original_startup(sockets=sockets)  # type: ignore[arg-type]
        for s in server.servers:
            for sock in s.sockets:
                h, p = sock.getsockname()[:2]
                shown = f"[{h}]" if ":" in h else h
                click.echo(f"mbc serving at http://{shown}:{p}/  (API docs: http://{shown}:{p}/docs)")
        sys.stdout.flush()

    server.startup = startup  # type: ignore[method-assign]
    server.run()


def _create_key(settings: Any, spec: str) -> None:
    from mbc.service.keys import create_key, derive_key, load_secret
    from mbc.service.principal import ROLES
    from mbc.service.store import Store

    role, _, name = spec.partition(":")
    if role not in ROLES or not name.strip():
        click.echo(f"error: --create-key wants ROLE:NAME with ROLE one of {', '.join(ROLES)}", err=True)
        sys.exit(2)
    store = Store(settings.database_url, audit_key=derive_key(load_secret(settings), "audit"))
    try:
        key, token = create_key(store, name=name.strip(), role=role, actor="cli")
    finally:
        store.close()
    click.echo(f"API key {key.id} ({key.role}, {key.name}); shown once:")
    click.echo(token)


def _serve_workers(
    settings: object, overrides: dict[str, str], *, host: str, port: int, workers: int, log_level: str
) -> None:
    """Fork ``workers`` uvicorn processes, each building the app from the environment
    (:func:`mbc.app.create_app_from_env`); they share one listening socket."""
    import os

    import uvicorn
    from uvicorn.supervisors import Multiprocess

    # The workers read their settings from the environment; pass the command-line overrides on.
    for name, value in overrides.items():
        os.environ[f"MBC_{name.upper()}"] = value
    config = uvicorn.Config(
        "mbc.app:create_app_from_env",
        factory=True,
        host=host,
        port=port,
        log_level=log_level,
        workers=workers,
    )
    sock = config.bind_socket()
    sock.listen(config.backlog)  # connections queue until the workers accept them
    h, p = sock.getsockname()[:2]
    shown = f"[{h}]" if ":" in h else h
    click.echo(f"mbc serving at http://{shown}:{p}/  ({workers} worker processes)")
    sys.stdout.flush()
    Multiprocess(config, sockets=[sock]).run()
