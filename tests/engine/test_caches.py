"""The engine's per-KB caches never change a plan: the same records planned in a different
order, against a freshly loaded KB (cold caches) and a warm one, give identical plans."""

from __future__ import annotations

import json
import random
import sys
from pathlib import Path
from typing import Any

import pytest

from mbc.engine import plan
from mbc.knowledge import load_kb
from mbc.model import parse_record

sys.path.insert(0, str(Path(__file__).parents[2] / "benchmarks"))
from bench_plan import random_record  # noqa: E402

_DROP = ("labs", "prior_therapies", "metastases", "medications", "comorbidities", "lvef_percent",
         "qtcf_ms", "weight_kg", "menopausal_status", "somatic", "germline")  # fmt: skip


def _records(n: int) -> list[dict[str, Any]]:
    kb = load_kb()
    rng = random.Random(11)
    drugs = sorted(d.name for d in kb.drugs.values() if d.cancer_drug)
    out = []
    for i in range(n):
        r = random_record(rng, i, drugs)
        for key in _DROP:
            if rng.random() < 0.2:
                r.pop(key, None)
        if rng.random() < 0.2 and r.get("prior_therapies"):
            r["prior_therapies"][0].pop("setting", None)
        out.append(r)
    return out


def test_plans_do_not_depend_on_cache_state_or_order() -> None:
    records = [parse_record(r) for r in _records(80)]
    warm = load_kb()
    forward = {r.id: json.dumps(plan(r, warm).to_json()) for r in records}
    cold = load_kb(use_cache=False)  # a new KB object: every per-KB cache starts empty
    backward = {r.id: json.dumps(plan(r, cold).to_json()) for r in reversed(records)}
    assert forward == backward
    again = {r.id: json.dumps(plan(r, warm).to_json()) for r in reversed(records)}
    assert forward == again


def test_full_caches_do_not_change_plans(monkeypatch: pytest.MonkeyPatch) -> None:
    """With every cache bound hit at once (nothing more is remembered), plans are the same."""
    from mbc.knowledge import _index

    records = [parse_record(r) for r in _records(30)]
    expected = {r.id: json.dumps(plan(r, load_kb()).to_json()) for r in records}
    # the recalls' budget, and the one bound of every other memory (read by has_room)
    monkeypatch.setattr(_index, "MAX_RECALLED", 3)
    monkeypatch.setattr(_index, "MAX_CACHED", 3)
    kb = load_kb(use_cache=False)
    got = {r.id: json.dumps(plan(r, kb).to_json()) for r in records}
    assert got == expected
    from mbc.engine._items import ItemCache

    memories = kb.attached(ItemCache)
    assert 0 < len(memories.traces) <= 3 and 0 < len(memories.items) <= 3  # the bound held


def test_plain_rows_are_those_whose_equal_values_print_alike() -> None:
    """``plain`` (checked mostly in C) agrees with its definition, value by value: strings,
    bools, ints, None, absent, non-zero non-NaN floats and tuples of strings."""
    from mbc.knowledge._index import ABSENT, plain

    def by_definition(row: tuple[tuple[Any, type], ...]) -> bool:
        for v, t in row:
            if t is float:
                if v != v or v == 0.0:
                    return False
            elif t is tuple:
                if not all(type(x) is str for x in v):
                    return False
            elif not (t is str or t is bool or t is int or v is None or v is ABSENT):
                return False
        return True

    class _Str(str):
        pass

    values: list[Any] = [1, 0, True, False, 1.5, 0.0, -0.0, float("nan"), float("inf"), "a", "",
                         _Str("x"), None, ABSENT, object(), ("a", "b"), (1,), (), [1], 2**70]  # fmt: skip
    rng = random.Random(3)
    for _ in range(5000):
        row = tuple((v, type(v)) for v in rng.sample(values, rng.randint(0, 6)))
        assert plain(row) is by_definition(row), row
