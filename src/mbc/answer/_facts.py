"""Facts a question states in its own shorthand, laid over the note reader's record
(``knowledge/answer/facts.yaml``, overlays): "de novo" despite a "recurrent" elsewhere, a
bilirubin "climbing" with liver metastases, brain lesions on an MRI. Each overlay that
changes the record is returned as an assumption in words, so the answer states it."""

from __future__ import annotations

import copy
import re
from typing import Any

from mbc.answer._schema import AnswerKB
from mbc.ingest import inferences

__all__ = ["overlay_facts"]

_FLAGS = re.IGNORECASE


def _get(record: dict[str, Any], path: str) -> Any:
    node: Any = record
    for p in path.split("."):
        if not isinstance(node, dict) or p not in node:
            return None
        node = node[p]
    return node


def _parent(record: dict[str, Any], path: str) -> tuple[dict[str, Any], str] | None:
    parts = path.split(".")
    node = record
    for p in parts[:-1]:
        nxt = node.setdefault(p, {})
        if not isinstance(nxt, dict):
            return None
        node = nxt
    return node, parts[-1]


def _said(text: str, pattern: str, negations: re.Pattern[str]) -> bool:
    """The pattern occurs at least once without a negation word just before it."""
    return any(
        not negations.search(text[max(0, m.start() - 60) : m.start()])
        for m in re.finditer(pattern, text, _FLAGS)
    )


def overlay_facts(text: str, record: dict[str, Any], akb: AnswerKB) -> tuple[dict[str, Any], list[str]]:
    """The record with every overlay that fires on ``text`` applied, and what was read."""
    negations = re.compile(inferences().negations, _FLAGS)
    out = record
    said: list[str] = []
    for o in akb.facts.overlays:
        if any(_get(out, p) != v for p, v in o.requires.items()):
            continue
        if not all(_said(text, p, negations) for p in o.all):
            continue
        if any(re.search(p, text, _FLAGS) for p in o.unless):
            continue
        changed = False
        trial = copy.deepcopy(out)
        for path, value in o.set.items():
            if _get(trial, path) == value or (_get(trial, path) is not None and not o.override):
                continue
            where = _parent(trial, path)
            if where is not None:
                where[0][where[1]] = copy.deepcopy(value)
                changed = True
        for path, item in o.add.items():
            where = _parent(trial, path)
            if where is None:
                continue
            items = where[0].setdefault(where[1], [])
            if isinstance(items, list) and item not in items:
                items.append(item)
                changed = True
        if changed:
            out = trial
            said.append(o.said)
    return out, said
