"""Matching: results per criterion, exclusion negation, statuses and ranking."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from mbc.knowledge import KnowledgeBase
from mbc.model import PatientRecord, parse_record
from mbc.model.record import Brain
from mbc.trials import Criterion, evaluate_criterion, match_trials, read_path
from mbc.trials._model import Trial

AS_OF = dt.date(2026, 1, 15)


def _trials(fixtures: Path) -> list[Trial]:
    return list(read_path(fixtures))


def test_statuses_and_order(fixtures: Path, hrpos_patient: PatientRecord, kb: KnowledgeBase) -> None:
    """The fitting trial is eligible and first; early-stage, TNBC and lung trials are excluded."""
    matches = match_trials(hrpos_patient, _trials(fixtures), kb=kb, as_of=AS_OF)
    assert (matches[0].trial.nct_id, matches[0].status) == ("NCT90000001", "eligible")
    status = {m.trial.nct_id: m.status for m in matches}
    assert status == {"NCT90000001": "eligible", "NCT90000002": "excluded",
                      "NCT90000003": "excluded", "NCT90000004": "excluded"}  # fmt: skip
    assert matches[0].score > matches[1].score


def test_every_criterion_is_explained(
    fixtures: Path, hrpos_patient: PatientRecord, kb: KnowledgeBase
) -> None:
    """Each criterion reports its sentence, section, result and the facts it used."""
    (m,) = match_trials(hrpos_patient, [_trials(fixtures)[0]], kb=kb, as_of=AS_OF)
    out = {c["text"]: c for c in m.to_dict()["criteria"]}
    esr1 = out["Documented ESR1 mutation."]
    assert (esr1["kind"], esr1["result"], esr1["facts_used"]) == (
        "inclusion",
        "met",
        {"somatic.esr1": "altered"},
    )
    brain = out["Active brain metastases."]
    assert (brain["kind"], brain["result"]) == ("exclusion", "met")
    review = out["Willing to complete questionnaires."]
    assert review["result"] == "needs_review"
    assert m.to_dict()["staleness_days"] == (AS_OF - dt.date(2025, 6, 1)).days


def test_exclusion_is_negated(kb: KnowledgeBase, hrpos_patient: PatientRecord) -> None:
    """An exclusion whose condition is TRUE is not met; FALSE is met; missing is unknown."""
    crit = Criterion.model_validate(
        {
            "text": "Prior palbociclib",
            "kind": "exclusion",
            "condition": {"fact": "prior.drug.palbociclib", "op": "eq", "value": True},
        }  # fmt: skip
    )
    assert evaluate_criterion(crit, {"prior.drug.palbociclib": True}).result == "not_met"
    assert evaluate_criterion(crit, {"prior.drug.palbociclib": False}).result == "met"
    missing = evaluate_criterion(crit, {})
    assert (missing.result, missing.facts_missing) == ("unknown", ("prior.drug.palbociclib",))


def test_needs_review_never_counts_as_met() -> None:
    """A sentence without a condition is needs_review whatever the facts."""
    crit = Criterion(text="Adequate organ function", kind="inclusion")
    assert evaluate_criterion(crit, {"ecog": 0}).result == "needs_review"


def test_unknown_disease_gives_possible_status(fixtures: Path, kb: KnowledgeBase) -> None:
    """Without receptor results the disease fit is open: a possible match, never eligible
    or excluded, naming the fact that would settle it."""
    bare = parse_record({"id": "bare", "age": 60, "sex": "female", "ecog": 1})
    (m,) = match_trials(bare, [_trials(fixtures)[0]], kb=kb, as_of=AS_OF)
    assert m.status == "possible"
    assert "hr_status" in m.reasons[0]


def test_untested_biomarker_is_never_eligible(kb: KnowledgeBase, hrpos_patient: PatientRecord) -> None:
    """A trial requiring a mutation is a possible match, not eligible, for a patient whose
    record says nothing about that gene; a wild-type result excludes."""
    text = "Inclusion Criteria:\n\n* Metastatic breast cancer.\n* Documented PIK3CA mutation.\n"
    trial = Trial(
        nct_id="NCT90000011", title="PIK3CA study", conditions=("Breast Cancer",), eligibility_text=text
    )
    untested = hrpos_patient.model_copy(update={"somatic": None})
    (m,) = match_trials(untested, [trial], kb=kb, as_of=AS_OF)
    assert m.status == "possible"
    assert any("PIK3CA" in f.upper() for r in m.criteria for f in r.facts_missing)
    wild = hrpos_patient.model_copy(update={"somatic": ("PIK3CA wildtype",)})
    (m2,) = match_trials(wild, [trial], kb=kb, as_of=AS_OF)
    assert m2.status == "excluded"


def test_cohort_alternatives(kb: KnowledgeBase, hrpos_patient: PatientRecord) -> None:
    """Failing one cohort's criterion does not exclude a patient who fits another cohort."""
    text = (
        "Inclusion Criteria:\n\n* Metastatic breast cancer.\n"
        "* Cohort 1: HR+/HER2- breast cancer.\n* Cohort 2: Triple negative breast cancer.\n"
    )
    trial = Trial(
        nct_id="NCT90000010", title="Two cohorts", conditions=("Breast Cancer",), eligibility_text=text
    )
    (m,) = match_trials(hrpos_patient, [trial], kb=kb, as_of=AS_OF)
    assert m.status == "eligible"
    assert [c.result for c in m.criteria if c.criterion.cohort] == ["met", "not_met"]


def test_other_cancer_is_excluded(fixtures: Path, hrpos_patient: PatientRecord, kb: KnowledgeBase) -> None:
    """A trial whose conditions name neither breast cancer nor solid tumours does not fit."""
    lung = next(t for t in _trials(fixtures) if t.nct_id == "NCT90000004")
    (m,) = match_trials(hrpos_patient, [lung], kb=kb, as_of=AS_OF)
    assert m.status == "excluded"
    assert m.criteria[0].criterion.source == "registry"


def test_fact_no_record_can_hold_is_to_check_not_possible() -> None:
    """Breastfeeding has no contract field: an exclusion of it (or an inclusion "not
    breastfeeding") is left for a clinician to check, naming the fact; an inclusion that
    needs an unrecordable fact present stays open (possible); a recordable missing fact
    (pregnant) keeps the criterion open."""
    unrecordable = frozenset({"breastfeeding", "inflammatory_breast_cancer"})
    excl = Criterion.model_validate(
        {
            "text": "Pregnant or breastfeeding",
            "kind": "exclusion",
            "condition": {
                "any": [
                    {"fact": "pregnant", "op": "eq", "value": True},
                    {"fact": "breastfeeding", "op": "eq", "value": True},
                ]
            },
        }  # fmt: skip
    )
    r = evaluate_criterion(excl, {"pregnant": False}, unrecordable)
    assert (r.result, r.facts_missing) == ("needs_review", ("breastfeeding",))
    assert evaluate_criterion(excl, {"pregnant": False}).result == "unknown"  # without the list: open
    assert evaluate_criterion(excl, {}, unrecordable).result == "unknown"  # pregnant is recordable
    assert evaluate_criterion(excl, {"pregnant": True}, unrecordable).result == "not_met"
    ibc = Criterion.model_validate(
        {
            "text": "Inflammatory breast cancer",
            "kind": "inclusion",
            "condition": {"fact": "inflammatory_breast_cancer", "op": "eq", "value": True},
        }
    )
    r = evaluate_criterion(ibc, {}, unrecordable)
    assert (r.result, r.facts_missing) == ("unknown", ("inflammatory_breast_cancer",))


def test_premenopausal_woman_is_not_possible_only_for_breastfeeding(
    fixtures: Path, hrpos_patient: PatientRecord, kb: KnowledgeBase
) -> None:
    """A premenopausal patient (breastfeeding never recordable) fits the trial that
    excludes breastfeeding; the fact is named among the criteria to check."""
    pre = hrpos_patient.model_copy(update={"menopausal_status": "premenopausal", "age": 41})
    trial = Trial(
        nct_id="NCT90000099",
        title="t",
        conditions=("Breast Cancer",),
        eligibility_text="Inclusion Criteria:\n- Metastatic breast cancer.\nExclusion Criteria:\n"
        "- Pregnant or breastfeeding women.\n",
    )
    (m,) = match_trials(pre.model_copy(update={"pregnant": False}), [trial], kb=kb, as_of=AS_OF)
    assert m.status == "eligible"
    (row,) = [c for c in m.to_dict()["criteria"] if "breastfeeding" in c["text"]]
    assert (row["result"], row["facts_missing"]) == ("needs_review", ["breastfeeding"])


def _one(text: str) -> Trial:
    return Trial(nct_id="NCT90000021", title="Study", conditions=("Breast Cancer",), eligibility_text=text)


def test_progression_within_months_of_starting_a_class(
    kb: KnowledgeBase, hrpos_patient: PatientRecord
) -> None:
    """ "Progression within N months of starting a class" is decided from the course's start,
    end and stop reason; a course without dates leaves it open (possible, the fact named)."""
    trial = _one(
        "Inclusion Criteria:\n\n* Metastatic breast cancer.\n"
        "* Disease progression within 12 months of starting a CDK4/6 inhibitor.\n"
    )
    (late,) = match_trials(hrpos_patient, [trial], kb=kb, as_of=AS_OF)  # 23 months on it
    assert late.status == "excluded"
    (course,) = hrpos_patient.prior_therapies or ()
    early = hrpos_patient.model_copy(
        update={"prior_therapies": (course.model_copy(update={"end": dt.date(2024, 3, 1)}),)}
    )
    (m,) = match_trials(early, [trial], kb=kb, as_of=AS_OF)
    assert m.status == "eligible"
    undated = hrpos_patient.model_copy(
        update={"prior_therapies": (course.model_copy(update={"start": None}),)}
    )
    (u,) = match_trials(undated, [trial], kb=kb, as_of=AS_OF)
    assert u.status == "possible"
    assert "progression_months.class.cdk46_inhibitor" in {f for r in u.criteria for f in r.facts_missing}
    completed = hrpos_patient.model_copy(
        update={"prior_therapies": (course.model_copy(update={"stop_reason": "completed"}),)}
    )
    (c,) = match_trials(completed, [trial], kb=kb, as_of=AS_OF)
    assert c.status == "excluded"


def test_only_treated_stable_brain_metastases_excludes_untreated(
    kb: KnowledgeBase, hrpos_patient: PatientRecord
) -> None:
    """ "Only treated and stable brain metastases may enrol" excludes untreated ones and
    keeps a patient without brain metastases."""
    trial = _one(
        "Inclusion Criteria:\n\n* Metastatic breast cancer.\n* Only treated and stable brain metastases may enrol.\n"
    )
    (none,) = match_trials(hrpos_patient, [trial], kb=kb, as_of=AS_OF)  # sites: bone, liver
    assert none.status == "eligible"
    mets = hrpos_patient.metastases
    assert mets is not None
    untreated = hrpos_patient.model_copy(
        update={
            "metastases": mets.model_copy(
                update={
                    "sites": (*(mets.sites or ()), "brain"),
                    "brain": Brain(symptomatic=False, progressing=False, locally_treated=False),
                }
            )
        }
    )
    (m,) = match_trials(untreated, [trial], kb=kb, as_of=AS_OF)
    assert m.status == "excluded"
    treated = untreated.model_copy(
        update={
            "metastases": untreated.metastases.model_copy(  # type: ignore[union-attr]
                update={"brain": Brain(symptomatic=False, progressing=False, locally_treated=True)}
            )
        }
    )
    (t,) = match_trials(treated, [trial], kb=kb, as_of=AS_OF)
    assert t.status == "eligible"
