"""A golden expectation cannot change without a release-note entry: every expected.json
matches tests/golden/expected.lock, and each lock entry points at a KB CHANGELOG heading or
a changes/issue-N.md fragment that names the case (scripts/golden_lock.py)."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

SCRIPT = Path(__file__).resolve().parents[2] / "scripts" / "golden_lock.py"


def test_every_golden_expectation_change_is_logged() -> None:
    """Run `python scripts/golden_lock.py --logged-in changes/issue-N.md` after changing an
    expected.json, and name the case in that fragment (or a KB version's notes)."""
    spec = importlib.util.spec_from_file_location("golden_lock", SCRIPT)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["golden_lock"] = module
    spec.loader.exec_module(module)
    assert module.problems() == []
