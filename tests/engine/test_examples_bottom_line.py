"""Every bundled example note and FHIR bundle plans with at least one preferred option, or
says why none can be offered safely (issue 10, session 3)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from mbc.engine import plan as make_plan
from mbc.ingest import extract
from mbc.knowledge import load_kb
from mbc.model import parse_record

ROOT = Path(__file__).resolve().parents[2]
AS_OF = dt.date(2026, 11, 1)
EXAMPLES = sorted((ROOT / "examples" / "notes").glob("*.txt")) + sorted(
    (ROOT / "examples" / "fhir").glob("*.json")
)


@pytest.fixture(scope="module")
def kb():
    return load_kb()


def test_there_are_examples() -> None:
    assert any(p.suffix == ".txt" for p in EXAMPLES) and any(p.suffix == ".json" for p in EXAMPLES)


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.name)
def test_example_plans_a_preferred_option_or_a_safety_reason(kb, path: Path) -> None:
    ex = extract(path.read_bytes(), as_of=AS_OF)
    data = ex.record if isinstance(ex.record, dict) else ex.record.model_dump(exclude_none=True, mode="json")
    record = parse_record({**data, "as_of": data.get("as_of") or AS_OF.isoformat()})
    p = make_plan(record, kb)
    preferred = [o for o in p.options if o.category == "preferred"]
    safety = [n for n in p.not_recommended if n.kind in ("contraindicated", "declined")]
    assert preferred or (not p.options and safety), (
        f"{path.name}: no preferred option and no stated safety reason; headline: {p.summary and p.summary.headline}"
    )
    # the bottom line names what it offers first
    assert p.summary is not None and p.summary.top_options[: len(preferred[:1])] == [
        o.id for o in preferred[:1]
    ]


def test_fhir_2l_example_branches_on_the_genomic_test(kb) -> None:
    """2L after AI + CDK4/6 inhibitor, genomics not tested: the scenarios name the test and
    what each result would prefer; the genomics-independent option is offered outright."""
    ex = extract((ROOT / "examples" / "fhir" / "hrpos-2l-bundle.json").read_bytes(), as_of=AS_OF)
    data = ex.record if isinstance(ex.record, dict) else ex.record.model_dump(exclude_none=True, mode="json")
    p = make_plan(parse_record({**data, "as_of": data.get("as_of") or AS_OF.isoformat()}), kb)
    tests = [s for s in p.scenarios if s.test]
    assert tests and all("ESR1" in s.test or "BRCA" in s.test for s in tests)
    esr1 = next(s for s in tests if s.if_.get("somatic.esr1") == "altered")
    assert any("elacestrant" in n.lower() for n in esr1.names)
    assert any("everolimus" in o.regimen for o in p.options if o.category == "preferred")
    # what a result would add is not offered before the test (no biomarker is assumed)
    assert not any("elacestrant" in o.regimen or "capivasertib" in o.regimen for o in p.options)


def test_a_test_branch_never_names_a_drug_the_safety_checks_block(kb) -> None:
    """Scenarios on a test not done pass the safety checks on the record as given: in
    pregnancy (targeted and endocrine therapy contraindicated) no genomic branch offers
    elacestrant or capivasertib."""
    import json

    base = json.loads(
        (
            ROOT / "tests" / "golden" / "assumptions" / "2l-genomics-untested-premenopausal" / "patient.json"
        ).read_text()
    )
    p = make_plan(parse_record(base), kb)
    assert any(s.test for s in p.scenarios)  # the branches exist without the safety stop
    pregnant = make_plan(parse_record({**base, "pregnant": True}), kb)
    named = " ".join(n.lower() for s in pregnant.scenarios for n in s.names)
    assert "capivasertib" not in named and "elacestrant" not in named
