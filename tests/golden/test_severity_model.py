"""One severity model (issue 9), checked on every golden patient: no preferred option carries
a critical alert that names one of its own drugs, and no offered option contains a drug a
contraindication moved to not_recommended for that patient."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from mbc.engine import plan as make_plan
from mbc.engine._grouped import avoidable
from mbc.knowledge import load_kb
from mbc.model import parse_record

ROOT = Path(__file__).parent
CASES = sorted(p.parent for p in ROOT.rglob("expected.json"))
KB = load_kb()


def _plan(case: Path):  # type: ignore[no-untyped-def]
    record = parse_record(json.loads((case / "patient.json").read_text()))
    region = json.loads((case / "expected.json").read_text()).get("region", "US")
    return make_plan(record, KB, region=region)


@pytest.mark.parametrize("case", CASES, ids=[str(c.relative_to(ROOT)) for c in CASES])
def test_no_preferred_option_with_a_critical_alert_on_its_drugs(case: Path) -> None:
    """A preferred option never has a critical alert about its own drugs - unless the alert
    names only interchangeable alternatives that another alternative of the option avoids
    (then the option's note names them)."""
    p = _plan(case)
    critical = [a for a in p.alerts if a.severity == "critical" and a.drugs]
    ids = {KB.drugs[d].name: d for d in KB.drugs} if critical else {}
    bad = [
        (o.name, a.code)
        for o in p.options
        if o.category == "preferred"
        for a in critical
        if set(a.drugs) & set(o.drugs)
        and not (
            avoidable(KB, o.regimen, [ids.get(n, n) for n in o.drugs], {ids.get(n, n) for n in a.drugs})
            and "unless its critical alert is resolved" in (o.note or "")
        )
    ]
    assert not bad


@pytest.mark.parametrize("case", CASES, ids=[str(c.relative_to(ROOT)) for c in CASES])
def test_contraindicated_drugs_are_not_offered(case: Path) -> None:
    """A drug a contraindication removed (alone, not as a combination) is in no option."""
    p = _plan(case)
    single = {s.id for s in KB.active_safety if s.effect == "contraindicated" and not s.combination}
    blocked = {
        d
        for n in p.not_recommended
        if n.kind == "contraindicated" and any(t.rule in single for t in n.trace) and len(n.drugs) == 1
        for d in n.drugs
    }
    offered = {d for o in p.options for d in o.drugs}
    assert not (blocked & offered)
