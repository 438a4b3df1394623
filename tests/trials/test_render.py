"""The text lines of a trial match (mbc.render.trials), from its JSON form."""

from __future__ import annotations

from mbc.render.trials import nearest_sites, render_trial_lines


def _match(**over: object) -> dict:
    base = {
        "nct_id": "NCT01234567",
        "url": "https://clinicaltrials.gov/study/NCT01234567",
        "status": "possible",
        "score": 80,
        "phase": "Phase 2",
        "recruitment_status": "RECRUITING",
        "title": "A study",
        "counts": {"met": 5, "not_met": 0, "unknown": 1, "needs_review": 3},
        "settle": "somatic.PIK3CA",
        "criteria": [
            {
                "text": "PIK3CA-mutated tumour",
                "kind": "inclusion",
                "result": "unknown",
                "facts_missing": ["somatic.PIK3CA"],
            },
            {"text": "ECOG 0-1", "kind": "inclusion", "result": "met", "facts_missing": []},
        ],
    }
    base.update(over)
    return base


def test_possible_match_names_link_phase_counts_and_the_settling_fact() -> None:
    lines = render_trial_lines(_match(), label=lambda f: f.split(".")[-1] + " status")
    text = "\n".join(lines)
    assert lines[0].startswith("NCT01234567  POSSIBLE")
    assert "Phase 2, RECRUITING" in lines[0]
    assert "https://clinicaltrials.gov/study/NCT01234567" in text
    assert "5 met, 0 not met, 1 open" in text
    assert "would settle it: PIK3CA status" in text
    assert "open [inclusion] PIK3CA-mutated tumour (needs: PIK3CA status)" in text
    assert "ECOG 0-1" not in text  # met criteria are counted, not listed


def test_eligible_match_has_no_settling_line() -> None:
    lines = render_trial_lines(_match(status="eligible", settle=None, criteria=[]))
    assert not any("would settle" in line for line in lines)
    assert not any("to check (not in the record)" in line for line in lines)


def test_fact_no_record_holds_is_named_to_check() -> None:
    """An eligible match whose exclusion of breastfeeding was left to check names the fact."""
    crit = [{"text": "Pregnant or breastfeeding", "kind": "exclusion", "result": "needs_review",
             "facts_missing": ["breastfeeding"]}]  # fmt: skip
    lines = render_trial_lines(_match(status="eligible", settle=None, criteria=crit))
    assert "    to check (not in the record): breastfeeding" in lines


def test_nearest_sites_by_place_words() -> None:
    sites = ("Dana-Farber, Boston, Massachusetts, United States", "MD Anderson, Houston, Texas, United States",
             "Mass General, Boston, Massachusetts, United States")  # fmt: skip
    assert nearest_sites(sites, "Boston, Massachusetts") == [sites[0], sites[2]]
    assert nearest_sites(sites, None) == []
    assert nearest_sites(sites, "Paris") == []


def test_patient_view_lists_trials_in_plain_words() -> None:
    """The patient view names each trial of the plan with its link, whether it takes new
    people and, for a possible match, the one fact that would settle it - in plain words
    from knowledge/patient/text.yaml, not a fact id."""
    import json
    from pathlib import Path

    from mbc.engine import plan as engine_plan
    from mbc.knowledge.loader import load_kb
    from mbc.model import parse_record
    from mbc.render.patient import build_patient_view, render_patient_text

    kb = load_kb()
    repo = Path(__file__).resolve().parents[2]
    record = parse_record(json.loads((repo / "examples" / "hrpos-2l-esr1.json").read_text()))
    rows = [
        _match(settle="somatic.pik3ca"),
        _match(nct_id="NCT07654321", url="https://clinicaltrials.gov/study/NCT07654321", status="eligible",
               settle=None, recruitment_status="NOT_YET_RECRUITING"),
    ]  # fmt: skip
    plan = engine_plan(record, kb).model_copy(update={"trials": rows})
    (section,) = [s for s in build_patient_view(plan, kb).sections if s.trials]
    first, second = section.trials
    assert (first.nct_id, first.url) == ("NCT01234567", "https://clinicaltrials.gov/study/NCT01234567")
    assert "taking new people" in first.line and "a test of your cancer for a PIK3CA change" in first.line
    assert "somatic" not in first.line
    assert "not open yet" in second.line and "needs" not in second.line
    text = render_patient_text(plan, kb)
    assert "NCT07654321 (https://clinicaltrials.gov/study/NCT07654321):" in text
    bare = render_patient_text(engine_plan(record, kb), kb)
    assert "clinicaltrials.gov" not in bare  # no trials in the plan: no trial lines
