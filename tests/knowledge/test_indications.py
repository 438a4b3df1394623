"""The regulator indications table (knowledge/labels/indications.yaml) is fully covered:
every FDA row maps to a rule that offers its drugs in a US plan, every EMA row to one that
offers them in an EU plan (withdrawn rows: to a rule that says not to use them)."""

from __future__ import annotations

import pytest

from mbc.knowledge import load_kb
from mbc.knowledge.conditions import iter_fact_tests
from mbc.knowledge.indications import load_indications
from mbc.knowledge.schema import AvoidAction, OptionAction, Rule

KB = load_kb()
ROWS = load_indications(KB, strict=True)
RULES = {r.id: r for r in KB.active_rules}


def _regions_allowed(rule: Rule) -> set[str]:
    """Regions the rule can fire in (a top-level `region eq X` test restricts it)."""
    allowed = {"US", "EU"}
    for t in iter_fact_tests(rule.when):
        if t.fact == "region" and t.op == "eq":
            allowed &= {str(t.value)}
    return allowed


def _offers(rule: Rule, drugs: set[str]) -> bool:
    for a in rule.then:
        if isinstance(a, OptionAction) and drugs <= set(KB.regimen_drugs("+".join((a.option, *a.add)))):
            return True
    return False


def _avoids(rule: Rule, drugs: set[str]) -> bool:
    for a in rule.then:
        if isinstance(a, AvoidAction):
            named = set(a.drugs) | (set(KB.regimen_drugs(a.avoid)) if a.avoid else set())
            if drugs <= named:
                return True
    return False


def test_table_has_both_regulators() -> None:
    """The table lists FDA and EMA indications."""
    regulators = {r.regulator for r in ROWS}
    assert regulators == {"FDA", "EMA"}
    assert len(ROWS) >= 49


@pytest.mark.parametrize("row", ROWS, ids=[r.id for r in ROWS])
def test_row_is_covered_in_its_region(row) -> None:  # type: ignore[no-untyped-def]
    """Each indication maps to an active rule that offers (withdrawn: avoids) its drugs in the
    row's region."""
    drugs = set(row.drugs)
    rules = [RULES[r] for r in row.rules if r in RULES]
    assert len(rules) == len(row.rules), f"inactive or unknown rule in {row.rules}"
    check = _avoids if row.status == "withdrawn" else _offers
    covering = [r for r in rules if check(r, drugs) and row.region in _regions_allowed(r)]
    assert covering, (
        f"{row.id}: no rule {'avoids' if row.status == 'withdrawn' else 'offers'} {sorted(drugs)} in {row.region}"
    )


@pytest.mark.parametrize("row", [r for r in ROWS if r.exclusive and r.regulator == "EMA"], ids=lambda r: r.id)
def test_ema_only_rows_are_not_offered_in_the_us(row) -> None:  # type: ignore[no-untyped-def]
    """An option only the EMA approved is not offered by its rules in a US plan."""
    for rid in row.rules:
        assert _regions_allowed(RULES[rid]) == {"EU"}, rid
