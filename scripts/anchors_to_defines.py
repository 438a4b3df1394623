#!/usr/bin/env python
"""Replace YAML anchors and aliases in knowledge rule files by named definitions.

Every anchored condition (``&name {fact: ...}``, or a block ``&name`` + ``all:``/``any:``)
becomes an entry of ``rules/definitions.yaml`` (``defines:`` with an id, a version and a
title), and the anchor site and every alias (``*name``) become ``{ref: <id>}``. An
anchored string (e.g. a shared ``missing_why``) is written out in full at each alias
instead. The rest of each file (comments, layout) is left as it is: only the anchor and
alias spans change.

Idempotent and safe on any state of the rule files: a file without anchors is not
touched; an anchor whose condition equals an existing definition of the same id reuses
it; one whose condition differs gets the id ``<name>_<file stem>`` (printed). Run it again
after merging rule edits that added anchors:

    python scripts/anchors_to_defines.py [KB_DIR]          # default: knowledge/
    python scripts/anchors_to_defines.py --check [KB_DIR]  # exit 1 if anything would change

Afterwards ``mbc kb lint`` checks the references, and scripts/plan_snapshot.py shows the
plans did not change.
"""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))  # this checkout's mbc

from mbc.knowledge.diff import expand_refs  # noqa: E402

DEFS_FILE = Path("rules") / "definitions.yaml"
_COND_KEYS = {"fact", "all", "any", "not", "at_least", "ref"}
_DEFS_HEADER = """\
# Named, versioned conditions shared by rules: a rule says {ref: <id>} where it needs one.
# Changing a definition's condition changes every rule that uses it: bump the definition's
# version AND the version of each rule that uses it (`mbc kb diff OLD NEW` lists them and
# the golden cases whose plans change). `mbc kb lint` checks that every reference resolves,
# every definition is used and no definition refers to itself.
schema: mbc/rules@1
topic: definitions
rules: []
defines:
"""


class _Recorder(yaml.SafeLoader):
    """A loader that remembers each anchored node (with where its anchor starts) and each
    alias (with its span and the node it names), in document order."""

    def __init__(self, text: str) -> None:
        super().__init__(text)
        self.anchored: list[tuple[str, int, yaml.Node]] = []
        self.aliases: list[tuple[int, int, yaml.Node]] = []
        self.ends: dict[int, int] = {}  # anchored node -> where its text ends
        self._last_end = 0

    def compose_node(self, parent: Any, index: Any) -> Any:
        event = self.peek_event()
        node = super().compose_node(parent, index)
        if isinstance(event, yaml.AliasEvent):
            end = event.end_mark.index
            self.aliases.append((event.start_mark.index, end, node))
        elif isinstance(node, yaml.ScalarNode) or getattr(node, "flow_style", False):
            end = node.end_mark.index
        else:  # a block collection ends with its last child (its end mark is the next token)
            end = self._last_end
        self._last_end = end
        if not isinstance(event, yaml.AliasEvent) and getattr(event, "anchor", None):
            self.anchored.append((event.anchor, event.start_mark.index, node))
            self.ends[id(node)] = end
        return node


def _content_start(text: str, anchor_at: int, name: str) -> int:
    """Where a node's text starts after its ``&name`` anchor."""
    i = anchor_at + 1 + len(name)
    while text[i] in " \t":
        i += 1
    return i


def _value(node: yaml.Node, ids: dict[int, str], top: bool = True) -> Any:
    """The Python value of a node, with every other anchored node as ``{ref: id}``."""
    if not top and id(node) in ids:
        return {"ref": ids[id(node)]}
    if isinstance(node, yaml.MappingNode):
        return {_value(k, ids, False): _value(v, ids, False) for k, v in node.value}
    if isinstance(node, yaml.SequenceNode):
        return [_value(v, ids, False) for v in node.value]
    return yaml.SafeLoader("").construct_object(node, deep=True)


def _is_condition(node: yaml.Node) -> bool:
    return isinstance(node, yaml.MappingNode) and any(
        isinstance(k, yaml.ScalarNode) and k.value in _COND_KEYS for k, _ in node.value
    )


def _flow(value: Any) -> str:
    text = yaml.safe_dump(value, default_flow_style=True, sort_keys=False, width=10_000).strip()
    return text.removesuffix("...").strip()  # a bare scalar ends its document


def _id_for(name: str) -> str:
    base = re.sub(r"[^a-z0-9_.\-]", "_", name.lower()).lstrip("_.-") or "def"
    return base if len(base) >= 2 else f"{base}_def"


def _title(value: Any) -> str:
    """The condition in words (mbc's own wording), or '' if mbc cannot be imported."""
    try:
        from pydantic import TypeAdapter

        from mbc.knowledge.conditions import Condition

        return str(TypeAdapter(Condition).validate_python(value).describe())
    except Exception:  # noqa: BLE001 - a title is a courtesy; the id is enough
        return ""


def convert(kb: Path, *, write: bool = True) -> list[str]:
    """Convert every rule / safety file of the KB at ``kb``; the changes made, one a line."""
    defs_path = kb / DEFS_FILE
    existing: dict[str, Any] = {}
    if defs_path.is_file():
        data = yaml.safe_load(defs_path.read_text()) or {}
        existing = {d["id"]: d["when"] for d in data.get("defines") or ()}
    new_defs: list[tuple[str, Any]] = []
    changes: list[str] = []
    files = sorted(p for d in ("rules", "safety") for p in (kb / d).rglob("*.yaml") if p != defs_path)
    for path in files:
        text = path.read_text()
        if "&" not in text:
            continue
        rec = _Recorder(text)
        try:
            rec.get_single_node()
        finally:
            rec.dispose()
        if not rec.anchored:
            continue
        ids: dict[int, str] = {}
        spans: list[tuple[int, int, str]] = []
        for name, _, node in rec.anchored:
            if _is_condition(node):
                ids[id(node)] = _id_for(name)
        for name, start, node in rec.anchored:
            if id(node) in ids:
                value = _value(node, ids)
                def_id = ids[id(node)]
                known = existing.get(def_id)
                if known is not None and expand_refs(known, existing) != expand_refs(value, existing):
                    def_id = ids[id(node)] = _id_for(f"{name}_{path.stem}")
                    changes.append(f"{path.relative_to(kb)}: anchor {name!r} differs from the definition "
                                   f"of that name; defined as {def_id!r}")  # fmt: skip
                    known = existing.get(def_id)
                    if known is not None and expand_refs(known, existing) != expand_refs(value, existing):
                        raise SystemExit(f"{path}: cannot name anchor {name!r}: {def_id!r} also differs")
                if known is None:
                    existing[def_id] = value
                    new_defs.append((def_id, value))
                spans.append((start, rec.ends[id(node)], _flow({"ref": def_id})))
            elif isinstance(node, yaml.ScalarNode):  # drop the anchor; aliases get the text
                spans.append((start, _content_start(text, start, name), ""))
            else:
                raise SystemExit(f"{path}: anchor {name!r} is not a condition or a string; edit it by hand")
        for start, end, node in rec.aliases:
            if id(node) in ids:
                spans.append((start, end, _flow({"ref": ids[id(node)]})))
            else:
                anchor_at = next(a for n, a, x in rec.anchored if x is node)
                name = next(n for n, a, x in rec.anchored if x is node)
                spans.append((start, end, text[_content_start(text, anchor_at, name) : rec.ends[id(node)]]))
        spans.sort()
        out: list[str] = []
        at = 0
        for start, end, new in spans:
            if start < at:  # inside an anchored node already replaced by its reference
                continue
            out.append(text[at:start])
            out.append(new)
            at = end
        out.append(text[at:])
        result = "".join(out)
        yaml.safe_load(result)  # still YAML
        changes.append(f"{path.relative_to(kb)}: {len(rec.anchored)} anchors, {len(rec.aliases)} aliases")
        if write:
            path.write_text(result)
    if new_defs:
        lines = [] if defs_path.is_file() else [_DEFS_HEADER]
        for def_id, value in new_defs:
            title = _title(expand_refs(value, existing))
            lines.append(f"  - id: {def_id}\n    version: 1\n")
            if title:
                lines.append(f"    title: {_flow(title)}\n")
            lines.append(f"    when: {_flow(value)}\n")
        changes.append(f"{DEFS_FILE}: {len(new_defs)} new definitions")
        if write:
            body = defs_path.read_text() if defs_path.is_file() else ""
            if body and not body.endswith("\n"):
                body += "\n"
            defs_path.write_text(body + "".join(lines))
    return changes


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("kb", nargs="?", type=Path, default=ROOT / "knowledge")
    ap.add_argument("--check", action="store_true", help="change nothing; exit 1 if a change is due")
    ns = ap.parse_args(argv)
    changes = convert(ns.kb, write=not ns.check)
    for line in changes:
        print(line)
    if not changes:
        print("no anchors: nothing to do")
    return 1 if ns.check and changes else 0


if __name__ == "__main__":
    sys.exit(main())
