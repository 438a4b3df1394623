"""Bounded decoding of untrusted JSON and YAML (framework-free; used by the API and the CLI).

A small document must not cost a large amount of work or memory: nesting deeper than
``max_depth``, more than ``max_nodes`` values (after YAML aliases are expanded), integers
longer than 30 digits, NaN / Infinity / non-finite floats, lone surrogates, and YAML
documents with more than ``max_aliases`` aliases are refused with a located
:class:`~mbc.errors.Problem` (:class:`BadInput`), never a ``RecursionError`` or a hang.
"""

from __future__ import annotations

import json
import math
from typing import Any

import yaml

from mbc.errors import Problem

__all__ = ["BadInput", "check_tree", "loads_bounded", "yaml_load_bounded"]

MAX_INT_DIGITS = 30


class BadInput(ValueError):
    """A document outside the bounds; carries one located problem."""

    def __init__(self, problem: Problem) -> None:
        super().__init__(problem.msg)
        self.problem = problem


def _int(text: str) -> int:
    if len(text.lstrip("-")) > MAX_INT_DIGITS:
        raise BadInput(Problem((), f"a number has more than {MAX_INT_DIGITS} digits", "number_too_large"))
    return int(text)


def _float(text: str) -> float:
    if len(text) > 400:
        raise BadInput(Problem((), "a number is too long", "number_too_large"))
    value = float(text)
    if not math.isfinite(value):
        raise BadInput(Problem((), f"the number {text[:40]} is out of range", "number_too_large"))
    return value


def _constant(name: str) -> Any:
    raise BadInput(Problem((), f"{name} is not a JSON number", "json_invalid"))


def _check_str(s: str, loc: tuple[str | int, ...]) -> None:
    try:
        s.encode("utf-8")
    except UnicodeEncodeError:
        raise BadInput(
            Problem(loc[:8], "text contains a lone surrogate (not valid Unicode)", "unicode_error")
        ) from None


def check_tree(value: Any, *, max_depth: int = 64, max_nodes: int = 1_000_000) -> None:
    """Check depth, size, numbers and strings of a decoded document iteratively."""
    stack: list[tuple[Any, tuple[str | int, ...]]] = [(value, ())]
    seen = 0
    while stack:
        node, loc = stack.pop()
        seen += 1
        if seen > max_nodes:
            raise BadInput(Problem((), f"more than {max_nodes} values", "too_large"))
        if len(loc) > max_depth:
            raise BadInput(Problem(loc[:8], f"nested deeper than {max_depth} levels", "too_deep"))
        if isinstance(node, dict):
            for k, v in node.items():
                if isinstance(k, str):
                    _check_str(k, loc)
                stack.append((v, (*loc, k if isinstance(k, str | int) else str(k)[:40])))
        elif isinstance(node, list | tuple):
            stack.extend((v, (*loc, i)) for i, v in enumerate(node))
        elif isinstance(node, str):
            _check_str(node, loc)
        elif isinstance(node, float) and not math.isfinite(node):
            raise BadInput(Problem(loc[:8], "the number is not finite", "number_too_large"))
        elif isinstance(node, int) and not isinstance(node, bool) and abs(node) >= 10**MAX_INT_DIGITS:
            raise BadInput(
                Problem(loc[:8], f"a number has more than {MAX_INT_DIGITS} digits", "number_too_large")
            )


def loads_bounded(raw: bytes | str, *, max_depth: int = 64) -> Any:
    """Decode JSON within the bounds.

    Raises:
        BadInput: Out of bounds, or not JSON (the problem's type is then ``json_invalid``).
    """
    try:
        value = json.loads(raw, parse_int=_int, parse_float=_float, parse_constant=_constant)
    except BadInput:
        raise
    except RecursionError:
        raise BadInput(Problem((), f"nested deeper than {max_depth} levels", "too_deep")) from None
    except (ValueError, UnicodeDecodeError) as exc:
        where = (
            f"line {exc.lineno}, column {exc.colno}: {exc.msg}"
            if isinstance(exc, json.JSONDecodeError)
            else str(exc)[:200]
        )
        raise BadInput(Problem((), where, "json_invalid")) from None
    check_tree(value, max_depth=max_depth)
    return value


class _BoundedLoader(yaml.SafeLoader):
    max_aliases = 100

    def __init__(self, stream: Any) -> None:
        super().__init__(stream)
        self._aliases = 0

    def compose_node(self, parent: Any, index: Any) -> Any:
        if self.check_event(yaml.AliasEvent):
            self._aliases += 1
            if self._aliases > self.max_aliases:
                raise BadInput(Problem((), f"more than {self.max_aliases} YAML aliases", "too_large"))
        return super().compose_node(parent, index)


def yaml_load_bounded(text: str, *, max_depth: int = 64, max_nodes: int = 200_000) -> Any:
    """Load YAML (safe subset) within the bounds (aliases, depth, expanded size).

    Raises:
        BadInput: Out of bounds.
        yaml.YAMLError: Not YAML.
    """
    try:
        value = yaml.load(text, Loader=_BoundedLoader)  # noqa: S506 - a SafeLoader subclass
    except RecursionError:
        raise BadInput(Problem((), f"nested deeper than {max_depth} levels", "too_deep")) from None
    check_tree(value, max_depth=max_depth, max_nodes=max_nodes)
    return value
