"""``mbc kb``: lint, show and export the knowledge base."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import click

from mbc.cli._common import format_option, handle_errors, kb_option

__all__ = ["kb", "schema_documents"]


def _golden_default(kb_root: Path) -> Path | None:
    cand = kb_root.parent / "tests" / "golden"
    return cand if cand.is_dir() else None


@click.group("kb")
def kb() -> None:
    """Inspect and check the knowledge base."""


@kb.command("lint")
@kb_option("KB directory.")
@click.option("--golden", type=click.Path(file_okay=False), default=None,
              help="Golden cases root (default: tests/golden beside the KB, if present).")  # fmt: skip
@click.option("--strict", is_flag=True, help="Fail on warnings too.")
@click.option("--quiet", is_flag=True, help="Print errors only.")
def lint(kb_path: str | None, golden: str | None, strict: bool, quiet: bool) -> None:
    """Report every problem in the KB at once: dangling ids, uncited rules, unknown
    vocabulary, unreachable rules, rules without golden cases."""
    from mbc.knowledge import load_kb
    from mbc.knowledge.lint import lint_kb

    with handle_errors():
        kbase = load_kb(kb_path, use_cache=False)
    gdir = Path(golden) if golden else _golden_default(kbase.path)
    issues = lint_kb(kbase, golden_dir=gdir)
    errors = [i for i in issues if i.severity == "error"]
    warnings = [i for i in issues if i.severity == "warning"]
    for i in issues:
        if quiet and i.severity != "error":
            continue
        click.echo(str(i))
    click.echo(
        f"KB {kbase.version}: {len(kbase.active_rules)} active rules, {len(kbase.active_safety)} safety "
        f"rules, {len(kbase.regimens)} regimens, {len(kbase.drugs)} drugs, {len(kbase.sources)} sources; "
        f"{len(errors)} errors, {len(warnings)} warnings"
    )
    if errors or (strict and warnings):
        sys.exit(1)


@kb.command("show")
@click.argument("rule_id")
@kb_option("KB directory.")
@click.option("--golden", type=click.Path(file_okay=False), default=None, help="Golden cases root.")
def show(rule_id: str, kb_path: str | None, golden: str | None) -> None:
    """Show a rule (or safety rule) with its review, the definitions it uses, its citations
    and the golden cases that cover it; or a named definition and the rules that use it."""
    import yaml

    from mbc.knowledge import load_kb

    with handle_errors():
        kbase = load_kb(kb_path)
    found: Any = next((r for r in kbase.rules if r.id == rule_id), None) or next(
        (s for s in kbase.safety if s.id == rule_id), None
    )
    if found is None and rule_id in kbase.definitions:  # a named definition and its users
        d = kbase.definitions[rule_id]
        click.echo(f"# definition {d.id}@{d.version} ({kbase.files.get(d.id, '?')})")
        dumped = d.model_dump(mode="json", by_alias=True, exclude_none=True)
        click.echo(yaml.safe_dump(dumped, sort_keys=False))
        click.echo("used by: " + (", ".join(kbase.users(d.id)) or "nothing"))
        return
    if found is None:
        import difflib

        ids = [r.id for r in kbase.rules] + [s.id for s in kbase.safety] + list(kbase.definitions)
        close = difflib.get_close_matches(rule_id, ids, n=3)
        click.echo(
            f"error: no rule {rule_id!r}"
            + (f"; did you mean {', '.join(close)}?" if close else ""),
            err=True,
        )
        sys.exit(2)
    click.echo(f"# {found.id}@{found.version} ({kbase.files.get(found.id, '?')})")
    click.echo(
        yaml.safe_dump(
            found.model_dump(mode="json", by_alias=True, exclude_none=True), sort_keys=False
        )
    )
    review = getattr(found, "reviewed", None)
    if review is None:
        click.echo("review: none recorded")
    else:
        kind = "clinician review"
        if review.kind == "internal":
            kind = "internal KB-team review, not a clinician sign-off"
        click.echo(f"review: {kind} by {', '.join(review.by)} on {review.on.isoformat()}")
        for cid, edition in review.source_version.items():
            click.echo(f"  - against {cid} {edition}")
    uses = kbase.uses.get(found.id, ())
    if uses:
        click.echo("definitions used: " + ", ".join(f"{d}@{kbase.definitions[d].version}" for d in uses))
    click.echo("citations:")
    for cid in found.evidence.citations:
        s = kbase.sources[cid]
        ident = (s.doi and f"doi:{s.doi}") or (s.pmid and f"pmid:{s.pmid}") or s.url or ""
        click.echo(f"  - [{cid}] {s.title} ({s.org or ''}, {s.year}) {ident}")
    gdir = Path(golden) if golden else _golden_default(kbase.path)
    if gdir is not None:
        click.echo("golden cases:")
        for exp in sorted(gdir.rglob("expected.json")):
            covers = json.loads(exp.read_text()).get("covers", {})
            kinds = [k for k in ("positive", "negative", "unknown") if rule_id in covers.get(k, [])]
            if kinds:
                click.echo(f"  - {exp.parent.relative_to(gdir)} ({', '.join(kinds)})")


def schema_documents() -> dict[str, dict[str, Any]]:
    """JSON Schemas of every knowledge file type, generated from the pydantic models."""
    from mbc.knowledge._folders import FOLDER_SCHEMAS
    from mbc.knowledge.loader import _SCHEMAS

    out: dict[str, dict[str, Any]] = {}
    for tag, model in sorted({**_SCHEMAS, **FOLDER_SCHEMAS}.items()):
        name = tag.split("/", 1)[1].replace("@", "-v")
        doc = model.model_json_schema(by_alias=True)
        doc["$id"] = f"https://mbc.example/schema/{name}.schema.json"
        out[f"{name}.schema.json"] = doc
    return out


@kb.command("schema")
@click.option("--write", is_flag=True, help="Write knowledge/schema/*.schema.json.")
@kb_option("KB directory.")
def schema(write: bool, kb_path: str | None) -> None:
    """Print (or write) the JSON Schemas of the knowledge files."""
    from mbc.knowledge import default_kb_path

    docs = schema_documents()
    if not write:
        click.echo(json.dumps(docs, indent=2, sort_keys=True))
        return
    target = Path(kb_path or default_kb_path()) / "schema"
    target.mkdir(parents=True, exist_ok=True)
    for name, doc in docs.items():
        (target / name).write_text(json.dumps(doc, indent=2, sort_keys=True) + "\n")
    click.echo(f"wrote {len(docs)} schemas to {target}")


def _kb_dir(spec: str, tmp: Path) -> Path:
    """A KB directory, or ``REF`` / ``REF:PATH`` of the git repository here exported into
    ``tmp`` (PATH defaults to ``knowledge``)."""
    if Path(spec).is_dir():
        return Path(spec)
    import subprocess  # noqa: PLC0415
    import tarfile  # noqa: PLC0415

    ref, _, sub = spec.partition(":")
    sub = sub or "knowledge"
    try:
        top = subprocess.run(["git", "rev-parse", "--show-toplevel"], check=True,  # noqa: S607
                             capture_output=True, text=True).stdout.strip()  # fmt: skip
        archive = tmp / "kb.tar"
        with archive.open("wb") as fh:
            subprocess.run(["git", "-C", top, "archive", "--format=tar", ref, sub],  # noqa: S607
                           check=True, stdout=fh, stderr=subprocess.PIPE)  # fmt: skip
    except (OSError, subprocess.CalledProcessError) as exc:
        from mbc.cli._common import fail_input  # noqa: PLC0415

        fail_input(f"{spec!r} is neither a KB directory nor a git ref with {sub}/ ({exc})")
    out = tmp / ref.replace("/", "_")
    with tarfile.open(archive) as tar:
        tar.extractall(out, filter="data")
    return out / sub


@kb.command("diff")
@click.argument("old")
@click.argument("new")
@click.option("--golden", type=click.Path(file_okay=False), default=None,
              help="Golden cases root (default: tests/golden beside NEW, if present).")  # fmt: skip
@format_option(["text", "markdown"], "text", None)
@click.option("--no-cases", is_flag=True, help="Only the structural diff (do not plan the golden cases).")
@click.option("--strict", is_flag=True, help="Exit 1 when a version bump is missing.")
def diff(old: str, new: str, golden: str | None, fmt: str, no_cases: bool, strict: bool) -> None:
    """What changed between two KBs OLD and NEW (directories, or git refs such as HEAD~1 or
    v0.1.0:knowledge): rules, definitions, sources, vocabularies and assumption policies,
    missing version bumps, and the clinical effect: which golden cases change their plan,
    and how."""
    import tempfile  # noqa: PLC0415

    from mbc.knowledge import load_kb  # noqa: PLC0415
    from mbc.knowledge.diff import diff_kb  # noqa: PLC0415
    from mbc.render.kb_diff import golden_cases, plan_changes, render_kb_diff  # noqa: PLC0415

    with tempfile.TemporaryDirectory() as tmp, handle_errors():
        old_kb = load_kb(_kb_dir(old, Path(tmp)), use_cache=False)
        new_kb = load_kb(_kb_dir(new, Path(tmp)), use_cache=False)
        result = diff_kb(old_kb, new_kb)
        cases = None
        found: list[Path] = []
        gdir = Path(golden) if golden else None
        if gdir is None and Path(new).is_dir():
            gdir = _golden_default(Path(new).resolve())
        if gdir is None and Path("tests/golden").is_dir():
            gdir = Path("tests/golden")
        if not no_cases and gdir is not None:
            found = golden_cases(gdir)
            cases = plan_changes(old_kb, new_kb, found, gdir)
        click.echo(render_kb_diff(result, cases, fmt, n_cases=len(found)), nl=False)  # type: ignore[arg-type]
    if strict and result.version_problems:
        sys.exit(1)
