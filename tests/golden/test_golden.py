"""Golden cases: each tests/golden/<topic>/<case>/patient.json planned and compared with
expected.json (see mbc.testing for the excerpt language). On mismatch the actual plan is
written beside it as actual.json (git-ignored)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from mbc.testing import check_golden

ROOT = Path(__file__).parent
CASES = sorted(p.parent for p in ROOT.rglob("expected.json"))
# skip-list.txt: "<case>: <reason>" per line (cql-execution style: every skip says why)
SKIP = {
    k.strip(): v.strip()
    for k, _, v in (
        ln.partition(":") for ln in (ROOT / "skip-list.txt").read_text().splitlines() if ln.strip() and not ln.startswith("#")
    )
} if (ROOT / "skip-list.txt").is_file() else {}


@pytest.mark.parametrize("case", CASES, ids=[str(c.relative_to(ROOT)) for c in CASES])
def test_golden_case(case: Path) -> None:
    """The plan for the case's patient matches its expected excerpt."""
    reason = SKIP.get(str(case.relative_to(ROOT)))
    if reason:
        pytest.skip(reason)
    plan, errors = check_golden(case)
    actual = case / "actual.json"
    if errors:
        actual.write_text(json.dumps(plan.to_json(), indent=2, sort_keys=True) + "\n")
        pytest.fail("\n".join(errors))
    elif actual.exists():
        actual.unlink()


def test_there_are_golden_cases() -> None:
    """The clinical regression suite is not empty."""
    assert len(CASES) >= 1
