#!/usr/bin/env python
"""Record golden-case expectations against the KB release notes that explain them.

tests/golden/expected.lock holds, per golden case, the SHA-256 of its expected.json and
where the change is logged: a KB version with a heading in knowledge/CHANGELOG.md
(e.g. ``2026.11.0``), or a change fragment ``changes/issue-N.md`` that names the case.
tests/golden/test_expected_lock.py fails when an expected.json differs from the lock, or
when a lock entry points at no log entry; so an expectation cannot change without a
release-note entry saying so.

    python scripts/golden_lock.py --logged-in changes/issue-14.md   # after editing cases
    python scripts/golden_lock.py --check                            # what the test checks

Only entries whose expected.json changed (or are new) take the given ``--logged-in``;
the others keep theirs. Removed cases are dropped.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
GOLDEN = ROOT / "tests" / "golden"
LOCK = GOLDEN / "expected.lock"


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def cases() -> dict[str, Path]:
    return {str(p.parent.relative_to(GOLDEN)): p for p in sorted(GOLDEN.rglob("expected.json"))}


def read_lock() -> dict[str, dict[str, str]]:
    return json.loads(LOCK.read_text()) if LOCK.is_file() else {}


def log_problem(case: str, logged_in: str) -> str | None:
    """Why ``logged_in`` does not explain a change of ``case`` (None when it does)."""
    if logged_in.startswith("changes/"):
        fragment = ROOT / logged_in
        if not fragment.is_file():
            return f"{logged_in} does not exist"
        if case not in fragment.read_text():
            return f"{logged_in} does not name {case}"
        return None
    changelog = (ROOT / "knowledge" / "CHANGELOG.md").read_text()
    if not re.search(rf"^##+ {re.escape(logged_in)}\b", changelog, flags=re.MULTILINE):
        return f"knowledge/CHANGELOG.md has no heading for {logged_in}"
    return None


def problems() -> list[str]:
    """Every case whose expectation is not recorded, or recorded against no log entry."""
    lock = read_lock()
    out: list[str] = []
    for case, path in cases().items():
        entry = lock.get(case)
        if entry is None:
            out.append(f"{case}: new case not in {LOCK.name}")
        elif entry["sha256"] != digest(path):
            out.append(f"{case}: expected.json changed since it was logged in {entry['logged_in']}")
        else:
            why = log_problem(case, entry["logged_in"])
            if why:
                out.append(f"{case}: {why}")
    out += [f"{case}: in {LOCK.name} but no longer a case" for case in sorted(set(lock) - set(cases()))]
    return out


def update(logged_in: str) -> list[str]:
    lock = read_lock()
    now = cases()
    changed = [c for c, p in now.items() if c not in lock or lock[c]["sha256"] != digest(p)]
    for case in changed:
        why = log_problem(case, logged_in)
        if why:
            raise SystemExit(f"cannot log {case} in {logged_in}: {why}")
        lock[case] = {"sha256": digest(now[case]), "logged_in": logged_in}
    lock = {c: lock[c] for c in sorted(lock) if c in now}
    LOCK.write_text(json.dumps(lock, indent=1, sort_keys=True) + "\n")
    return changed


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--logged-in", help="KB version (CHANGELOG heading) or changes/issue-N.md")
    ap.add_argument("--check", action="store_true")
    ns = ap.parse_args(argv)
    if ns.check or not ns.logged_in:
        found = problems()
        print("\n".join(found) or "every golden expectation is logged")
        return 1 if found else 0
    changed = update(ns.logged_in)
    print(f"{len(changed)} entries logged in {ns.logged_in}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
