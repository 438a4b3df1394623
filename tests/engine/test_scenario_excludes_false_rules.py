"""A test-result scenario drops a preferred option whose rule the result makes FALSE.

Regression: ``_holds_on`` read ``rule_outcome``'s None (the rule does not apply) as
"still open", so every preferred option was kept in every scenario (e.g. first-line
sacituzumab govitecan, whose rule is excluded for germline BRCA carriers, stayed in the
"if germline BRCA" scenario)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from mbc.engine import plan as make_plan
from mbc.engine._test_branches import _holds_on
from mbc.knowledge import load_kb
from mbc.model import parse_record

GOLDEN = Path(__file__).resolve().parents[1] / "golden"


@pytest.fixture(scope="module")
def kb():
    return load_kb()


def test_holds_on_is_false_for_a_rule_that_does_not_apply(kb) -> None:
    # a named rule with an `unless` and no `present` guard (a guarded rule is FALSE on an empty record)
    rule = next(r for r in kb.rules if r.id == "tnbc.gbrca.parp-inhibitor")
    assert rule.unless is not None
    # a record with nothing in it leaves the rule open (UNKNOWN), so it holds
    assert _holds_on(rule, {}) is True
    assert _holds_on(None, {}) is True


def _scenario_regimens(p, field: str) -> set[str]:
    """Regimens of the scenarios on ``field`` (option ids are ``rule:regimen``)."""
    return {i.rsplit(":", 1)[-1] for s in p.scenarios if field in s.if_ for i in s.options}


def test_germline_brca_scenario_drops_an_option_excluded_for_carriers(kb) -> None:
    record = parse_record(json.loads((GOLDEN / "tnbc/tnbc-germline-not-tested/patient.json").read_text()))
    p = make_plan(record, kb)
    preferred = {o.regimen for o in p.options if o.category == "preferred"}
    excluded_for_carriers = {
        o.regimen
        for o in p.options
        if o.category == "preferred"
        and any(
            r.id == t.rule and r.unless is not None and "germline.brca" in json.dumps(r.unless.model_dump(mode="json"))
            for t in o.trace
            for r in kb.rules
        )
    }
    assert excluded_for_carriers, "the case must offer an option whose rule excludes germline BRCA carriers"
    in_scenario = _scenario_regimens(p, "germline.brca")
    assert in_scenario, "a germline BRCA scenario is expected for an untested TNBC patient"
    assert not (excluded_for_carriers & in_scenario)
    assert in_scenario - preferred, "the carrier scenario adds a PARP inhibitor"
