"""Dependency direction (STYLE §1): model <- knowledge <- engine <- {trials, api, cli, web};
ingest depends on model (and reads its data files through the KB path only)."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[1] / "src" / "mbc"

FORBIDDEN = {
    "model": ("mbc.knowledge", "mbc.engine", "mbc.ingest", "mbc.trials", "mbc.api", "mbc.web", "mbc.cli"),
    "knowledge": ("mbc.engine", "mbc.ingest", "mbc.trials", "mbc.api", "mbc.web", "mbc.cli"),
    "engine": ("mbc.ingest", "mbc.trials", "mbc.api", "mbc.web", "mbc.cli"),
    "ingest": ("mbc.engine", "mbc.trials", "mbc.api", "mbc.web", "mbc.cli"),
    # The service layer sits below the web frameworks; REST/CDS (api) and pages (web) are
    # siblings above it, composed by the top-level mbc.app.
    "service": ("mbc.api", "mbc.web", "mbc.cli", "mbc.app", "fastapi", "starlette"),
    "api": ("mbc.web", "mbc.cli"),
}


def test_web_calls_the_service_layer_not_the_api_service() -> None:
    """Pages call mbc.service directly; the only api modules they use are the HTTP glue
    (auth dependencies, request dependencies)."""
    allowed = ("mbc.api.auth", "mbc.api.deps")
    bad = [
        f"{f.relative_to(SRC)} imports {mod}"
        for f in sorted((SRC / "web").rglob("*.py"))
        for mod in _imports(f)
        if mod.startswith("mbc.api") and not mod.startswith(allowed)
    ]
    assert bad == []


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text())
    out: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            out.update(a.name for a in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            out.add(node.module)
    return out


@pytest.mark.parametrize("layer", sorted(FORBIDDEN))
def test_layer_imports(layer: str) -> None:
    """No module of a lower layer imports a higher one."""
    bad = []
    for f in sorted((SRC / layer).rglob("*.py")):
        for mod in _imports(f):
            if mod.startswith(FORBIDDEN[layer]):
                bad.append(f"{f.relative_to(SRC)} imports {mod}")
    assert bad == []
