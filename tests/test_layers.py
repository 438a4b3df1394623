"""Dependency direction (STYLE §1, the lessons of 0.1.0): every package of ``mbc`` sits in
one layer, and a module imports only from lower layers (never a sibling of its own layer):

    cli -> app -> web -> api -> service -> answer / cohort -> trials / render
        -> engine / ingest -> knowledge / model -> logic / errors

(``app``, ``service``, ``answer`` and ``cohort`` are placed for issues 13, 12 and 15.)

Also: no import cycle between modules (module-level imports; a function-level import is a
deliberate lazy load and is not counted)."""

from __future__ import annotations

import ast
import functools
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[1] / "src" / "mbc"

LAYERS: tuple[tuple[str, ...], ...] = (
    ("cli",),
    ("app",),
    ("web",),
    ("api",),
    ("service",),
    ("answer", "cohort"),
    ("trials", "render"),
    ("engine", "ingest"),
    ("knowledge", "model"),
    ("bounded",),
    ("logic", "errors"),
)
LEVEL = {name: n for n, layer in enumerate(LAYERS) for name in layer}
# Top-level helper modules that may use any layer below the CLI.
TOP = {"__init__", "__main__", "testing"}
# Known arrows the wrong way, each with the issue that removes it. Delete an entry when it
# is gone (test_known_exceptions_still_exist says so).
KNOWN: dict[tuple[str, str], str] = {
    ("api/__init__.py", "mbc.app"): "lazy re-export of mbc.app.create_app for 0.1.0 callers of mbc.api",
    ("api/testing.py", "mbc.app"): "the test-app helper builds the whole app (pages included)",
}


def _unit(path: Path) -> str:
    rel = path.relative_to(SRC).parts
    return rel[0] if len(rel) > 1 else rel[0].removesuffix(".py")


def _imports(path: Path, *, top_level_only: bool = False) -> set[str]:
    tree = ast.parse(path.read_text())
    nodes = tree.body if top_level_only else list(ast.walk(tree))
    out: set[str] = set()
    for node in nodes:
        if isinstance(node, ast.Import):
            out.update(a.name for a in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            out.add(node.module)
            if top_level_only:
                out.update(f"{node.module}.{a.name}" for a in node.names)
    return {m for m in out if m == "mbc" or m.startswith("mbc.")}


@functools.cache
def _wrong_way() -> frozenset[tuple[str, str]]:
    bad: set[tuple[str, str]] = set()
    for f in sorted(SRC.rglob("*.py")):
        unit = _unit(f)
        if unit in TOP:
            continue
        for mod in _imports(f):
            target = mod.split(".")[1] if "." in mod else ""
            if target in LEVEL and target != unit and LEVEL[target] <= LEVEL[unit]:
                bad.add((str(f.relative_to(SRC)), mod))
    return frozenset(bad)


def test_every_package_has_a_layer() -> None:
    """A new package must be placed in LAYERS."""
    units = {_unit(f) for f in SRC.rglob("*.py")} - TOP
    assert units <= set(LEVEL), sorted(units - set(LEVEL))


@pytest.mark.parametrize("layer", sorted(LEVEL))
def test_layer_imports(layer: str) -> None:
    """No module imports from its own layer's siblings or from a higher layer."""
    bad = sorted(b for b in _wrong_way() if _unit(SRC / b[0]) == layer and b not in KNOWN)
    assert bad == []


def test_known_exceptions_still_exist() -> None:
    """Each known exception is still there (delete it from KNOWN once it is fixed)."""
    assert set(KNOWN) <= _wrong_way()


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(SRC.parent).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def test_no_import_cycle() -> None:
    """The module-level import graph of src/mbc has no cycle."""
    modules = {_module_name(f): f for f in SRC.rglob("*.py")}
    graph = {
        m: {d for d in _imports(f, top_level_only=True) if d in modules and d != m}
        for m, f in modules.items()
    }
    state: dict[str, int] = {}  # 1 = on the current path, 2 = done
    cycles: list[list[str]] = []

    def visit(m: str, path: list[str]) -> None:
        state[m] = 1
        for d in sorted(graph[m]):
            if state.get(d) == 1:
                cycles.append([*path[path.index(d) :], d])
            elif d not in state:
                visit(d, [*path, d])
        state[m] = 2

    for m in sorted(graph):
        if m not in state:
            visit(m, [m])
    assert cycles == []


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


def test_service_imports_no_web_framework() -> None:
    """The service package sits below the frameworks: no FastAPI, Starlette or Jinja."""
    import ast as _ast

    bad = []
    for f in sorted((SRC / "service").rglob("*.py")):
        for node in _ast.walk(_ast.parse(f.read_text())):
            names = [a.name for a in node.names] if isinstance(node, _ast.Import) else (
                [node.module] if isinstance(node, _ast.ImportFrom) and node.module else [])
            bad += [f"{f.relative_to(SRC)}: {n}" for n in names if n.split(".")[0] in {"fastapi", "starlette", "jinja2"}]
    assert bad == []
