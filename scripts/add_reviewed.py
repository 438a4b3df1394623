#!/usr/bin/env python
"""Give every rule without one a ``reviewed:`` block (an internal review record).

The block says who reviewed the rule (``mbc-kb-team``), when (the date of the rule's last
change in git: the newest commit among the rule's lines, ignoring purely mechanical
commits given with ``--ignore-rev``), what kind of review it was (``internal``: the KB
team's consistency check against the cited sources, NOT a clinician sign-off) and against
which version (edition, else year) of each cited source. Only the new line is added to
each file; rules that already have a block are left alone, so it is safe to re-run.

    python scripts/add_reviewed.py [--ignore-rev COMMIT ...] [KB_DIR]
"""

from __future__ import annotations

import argparse
import datetime as dt
import subprocess
import sys
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parents[1]
REVIEWER = "mbc-kb-team"


def _flow(value: Any) -> str:
    text = yaml.safe_dump(value, default_flow_style=True, sort_keys=False, width=10_000).strip()
    return text.removesuffix("...").strip()


def _line_dates(path: Path, ignore: list[str]) -> dict[int, dt.date]:
    """1-based line -> date of the commit that last changed it (today if uncommitted)."""
    args = ["git", "-C", str(path.parent), "blame", "--line-porcelain"]
    for rev in ignore:
        args += ["--ignore-rev", rev]
    try:
        out = subprocess.run([*args, "--", path.name], check=True, capture_output=True, text=True).stdout
    except (OSError, subprocess.CalledProcessError):
        return {}
    dates: dict[int, dt.date] = {}
    line = 0
    for row in out.splitlines():
        if row and not row.startswith("\t") and len(row.split(" ")[0]) == 40:
            line = int(row.split(" ")[2])
        elif row.startswith("committer-time "):
            dates[line] = dt.datetime.fromtimestamp(int(row.split(" ")[1]), dt.UTC).date()
    return dates


def _end(node: yaml.Node) -> int:
    """Where a node's own text ends (block collections: their last child's end)."""
    if isinstance(node, yaml.ScalarNode) or getattr(node, "flow_style", False):
        return int(node.end_mark.index)
    children = [c for kv in node.value for c in kv] if isinstance(node, yaml.MappingNode) else node.value
    return max(_end(c) for c in children)


def _editions(kb: Path) -> dict[str, str]:
    out: dict[str, str] = {}
    for path in sorted((kb / "sources").rglob("*.yaml")):
        for s in yaml.safe_load(path.read_text()).get("sources") or ():
            out[s["id"]] = str(s.get("version") or s["year"])
    return out


def add_reviewed(kb: Path, ignore: list[str], *, write: bool = True) -> list[str]:
    """Add the missing blocks; the rules given one."""
    editions = _editions(kb)
    done: list[str] = []
    for path in sorted((kb / "rules").rglob("*.yaml")):
        text = path.read_text()
        root = yaml.compose(text, Loader=yaml.SafeLoader)
        rules = next((v for k, v in root.value if k.value == "rules"), None)
        if rules is None or not isinstance(rules, yaml.SequenceNode):
            continue
        dates = _line_dates(path, ignore)
        inserts: list[tuple[int, str, str]] = []
        for node in rules.value:
            keys = {k.value: v for k, v in node.value}
            if "reviewed" in keys:
                continue
            rule = yaml.safe_load(yaml.serialize(node))
            first = node.start_mark.line + 1
            last = text.count("\n", 0, _end(node) - 1) + 1
            on = max((dates[n] for n in range(first, last + 1) if n in dates), default=dt.date.today())
            cites = rule.get("evidence", {}).get("citations", [])
            block = {
                "by": [REVIEWER],
                "on": on,
                "kind": "internal",
                "source_version": {c: editions.get(c, "?") for c in cites},
            }
            indent = " " * node.value[0][0].start_mark.column
            eol = text.find("\n", _end(node) - 1)
            at = len(text) if eol < 0 else eol + 1
            inserts.append((at, f"{indent}reviewed: {_flow(block)}\n", rule["id"]))
        if not inserts:
            continue
        out = text
        for at, line, _ in sorted(inserts, reverse=True):
            out = out[:at] + line + out[at:]
        before = {r["id"]: r for r in yaml.safe_load(text)["rules"]}
        after = {r["id"]: r for r in yaml.safe_load(out)["rules"]}
        for rid, r in after.items():  # only the new key was added
            assert {k: v for k, v in r.items() if k != "reviewed"} == before[rid], rid
        done += [rid for _, _, rid in inserts]
        if write:
            path.write_text(out)
    return done


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("kb", nargs="?", type=Path, default=ROOT / "knowledge")
    ap.add_argument("--ignore-rev", action="append", default=[], help="a mechanical commit to look through")
    ap.add_argument("--check", action="store_true", help="change nothing; exit 1 if a rule lacks a block")
    ns = ap.parse_args(argv)
    done = add_reviewed(ns.kb.resolve(), ns.ignore_rev, write=not ns.check)
    print(f"{len(done)} rules {'lack' if ns.check else 'given'} a reviewed block")
    return 1 if ns.check and done else 0


if __name__ == "__main__":
    sys.exit(main())
