"""Session 7: conditional options (waiting for a missing fact) are screened by the safety
rules too; a contraindication of the record holds whatever the missing fact turns out to be."""

from __future__ import annotations

import json
from pathlib import Path

from mbc.engine import plan as make_plan
from mbc.model import parse_record
from mbc.knowledge import load_kb

CASE = Path(__file__).parents[1] / "golden" / "blind_safety" / "metab-akt1-insulin-menopause-unknown"


def _plan(**change: object):
    rec = json.loads((CASE / "patient.json").read_text())
    rec.update(change)
    return make_plan(parse_record(rec), load_kb())


def test_contraindicated_conditional_option_moves_to_not_recommended() -> None:
    p = _plan()
    assert p.classification.menopausal_status == "unknown"
    waiting = {c.regimen for c in p.conditional_options}
    assert not {r for r in waiting if r.startswith(("capivasertib", "alpelisib"))}
    reasons = [n.reason for n in p.not_recommended if "capivasertib" in n.drugs]
    assert reasons and any("insulin" in r for r in reasons)


def test_without_the_contraindication_the_option_is_still_shown() -> None:
    p = _plan(medications=[], labs={"hba1c_percent": 5.6})
    shown = {c.regimen for c in p.conditional_options} | {o.regimen for o in p.options}
    assert {"capivasertib_fulvestrant", "capivasertib_fulvestrant+ofs"} & shown
    assert not [n for n in p.not_recommended if "capivasertib" in n.drugs]


def test_contraindicated_alternative_leaves_a_conditional_group_option() -> None:
    # a group option waiting for the visceral-crisis status, with one interchangeable
    # alternative contraindicated by the record (bilirubin above the upper limit of normal):
    # the alternative is taken out of the conditional option, as it is out of an option
    case = Path(__file__).parents[1] / "golden" / "triage" / "t08-jaundice-liver-metastases"
    p = make_plan(parse_record(json.loads((case / "patient.json").read_text())), load_kb())
    blocked = {
        d
        for n in p.not_recommended
        if n.kind == "contraindicated" and n.regimen is None
        for d in n.drugs
    }
    grouped = [c for c in p.conditional_options if c.regimen == "taxane"]
    assert grouped and "docetaxel" in blocked
    for c in p.conditional_options:
        assert not blocked & set(c.drugs), c.regimen
    assert "docetaxel" not in grouped[0].drugs and "paclitaxel" in grouped[0].drugs
    assert "not docetaxel" in grouped[0].name
