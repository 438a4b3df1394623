"""The public API is exactly what __all__ says (httpx style)."""

from __future__ import annotations

import importlib

import pytest

MODULES = ["mbc", "mbc.errors", "mbc.logic", "mbc.model", "mbc.engine", "mbc.knowledge", "mbc.testing"]


@pytest.mark.parametrize("name", MODULES)
def test_all_is_sorted_and_importable(name: str) -> None:
    """Every name in __all__ exists, and __all__ is sorted."""
    mod = importlib.import_module(name)
    names = list(mod.__all__)
    assert names == sorted(names, key=str.lower) or names == sorted(names)
    for n in names:
        assert hasattr(mod, n), f"{name}.{n}"
