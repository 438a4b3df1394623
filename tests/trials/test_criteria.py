"""The criteria parser: real registry sentences -> conditions (table-driven)."""

from __future__ import annotations

from typing import Any

import pytest

from mbc.trials import TrialKnowledge, parse_sentence, split_sentences


def _dump(cond: Any) -> Any:
    return None if cond is None else cond.model_dump(by_alias=True, exclude_none=True, mode="json")


def _fact(fact: str, op: str, value: Any) -> dict[str, Any]:
    return {"fact": fact, "op": op, "value": value}


CASES = [
    # (id, kind, sentence, expected condition)
    (
        "ecog-list",
        "inclusion",
        "Eastern Cooperative Oncology Group (ECOG) performance status 0, 1 or 2",
        _fact("ecog", "le", 2),
    ),
    ("ecog-range", "inclusion", "ECOG performance status 0-1", _fact("ecog", "le", 1)),
    (
        "lvef",
        "inclusion",
        "Left ventricular ejection fraction (LVEF) ≥50% measured by MUGA or ECHO.",
        _fact("lvef_percent", "ge", 50),
    ),
    (
        "crcl",
        "inclusion",
        "Creatinine clearance >= 30 ml/min calculated using the Cockcroft-Gault formula",
        _fact("crcl_ml_min", "ge", 30),
    ),
    (
        "bilirubin-uln",
        "inclusion",
        "Total bilirubin ≤ 1.5 x upper limit of normal (ULN)",
        _fact("bilirubin_x_uln", "le", 1.5),
    ),
    (
        "chemo-lines-up-to",
        "inclusion",
        "Up to 4 prior chemotherapy-based treatments in the metastatic setting are allowed",
        _fact("prior.metastatic_chemo_lines", "le", 4),
    ),
    (
        "chemo-lines-more-than",
        "exclusion",
        "More than 2 lines of chemotherapy in the metastatic setting",
        _fact("prior.metastatic_chemo_lines", "gt", 2),
    ),
    (
        "lines-range",
        "inclusion",
        "Has had at least one and up to two prior lines of therapy in the metastatic setting.",
        {"all": [_fact("prior.metastatic_lines", "ge", 1), _fact("prior.metastatic_lines", "le", 2)]},
    ),
    (
        "no-prior-cdk",
        "inclusion",
        "No prior therapy with a CDK inhibitor",
        {"not": _fact("prior.class.cdk46_inhibitor", "eq", True)},
    ),
    (
        "prior-drug-not-permitted",
        "inclusion",
        "Prior neratinib treatment is not permitted.",
        {"not": _fact("prior.drug.neratinib", "eq", True)},
    ),
    (
        "prior-class-list-metastatic",
        "exclusion",
        "Prior treatment in the locally advanced or metastatic setting with any PI3K, AKT, or mTOR inhibitor",
        {
            "any": [
                _fact("prior.metastatic.class.pi3k_inhibitor", "eq", True),
                _fact("prior.metastatic.class.akt_inhibitor", "eq", True),
                _fact("prior.metastatic.class.mtor_inhibitor", "eq", True),
            ]
        },
    ),
    (
        "prior-chemo-metastatic",
        "exclusion",
        "Has received prior chemotherapy for unresectable locally advanced or metastatic breast cancer",
        _fact("prior.metastatic.class.chemotherapy", "eq", True),
    ),
    (
        "first-line-untreated",
        "inclusion",
        "Previously untreated with any systemic anticancer therapy for their locally advanced or metastatic disease.",
        _fact("prior.metastatic_lines", "eq", 0),
    ),
    (
        "er-her2-stage",
        "inclusion",
        "ER+, HER2- locally advanced or metastatic breast cancer that is not amenable to curative therapy.",
        {
            "all": [
                _fact("hr_status", "in", ["positive", "low"]),
                _fact("her2_status", "eq", "negative"),
                _fact("disease.stage", "in", ["locally_advanced", "metastatic"]),
            ]
        },
    ),
    (
        "subtype-combo-or",
        "inclusion",
        "Patients with HR-/HER2+ or HR+/HER2+ breast cancer may enroll",
        {
            "any": [
                {
                    "all": [
                        _fact("hr_status", "in", ["negative", "low"]),
                        _fact("her2_status", "eq", "positive"),
                    ]
                },
                {
                    "all": [
                        _fact("hr_status", "in", ["positive", "low"]),
                        _fact("her2_status", "eq", "positive"),
                    ]
                },
            ]
        },
    ),
    (
        "tnbc",
        "inclusion",
        "Metastatic triple negative breast cancer.",
        {"all": [_fact("disease.stage", "in", ["metastatic"]), _fact("subtype", "eq", "TNBC")]},
    ),
    (
        "her2-low-or-zero",
        "inclusion",
        "Has confirmed HER2 IHC 1+ or IHC 2+/ISH- (HER2-low) status or HER2 IHC 0 status",
        {"any": [_fact("her2_category", "eq", "low"), _fact("her2_category", "in", ["zero", "ultralow"])]},
    ),
    (
        "pi3k-pathway-any",
        "inclusion",
        "PI3K pathway alteration, defined as a PIK3CA mutation or PTEN loss or an AKT1 mutation",
        {
            "any": [
                _fact("somatic.pik3ca", "eq", "altered"),
                _fact("somatic.pten", "eq", "altered"),
                _fact("somatic.akt1", "eq", "altered"),
            ]
        },
    ),
    (
        "esr1",
        "inclusion",
        "Patients must have a confirmed ESR1 mutation.",
        _fact("somatic.esr1", "eq", "altered"),
    ),
    ("gbrca", "inclusion", "Documented germline BRCA1 or BRCA2 mutation", _fact("germline.brca", "eq", True)),
    (
        "pdl1-cps",
        "exclusion",
        "Has TNBC with PD-L1 expression at combined positive score (CPS) ≥10",
        {"all": [_fact("subtype", "eq", "TNBC"), _fact("pdl1_cps", "ge", 10)]},
    ),
    (
        "cns-list",
        "exclusion",
        "Symptomatic central nervous system metastases, carcinomatous meningitis, leptomeningeal disease, or a spinal cord compression",
        {"any": [_fact("brain.active", "eq", True), _fact("site.leptomeninges", "eq", True)]},
    ),
    (
        "pregnancy-lactation",
        "exclusion",
        "Pregnancy or lactation",
        {"any": [_fact("pregnant", "eq", True), _fact("breastfeeding", "eq", True)]},
    ),
    (
        "stage-roman-exclusion",
        "exclusion",
        "Patients with Stage I or IV breast cancer are not eligible.",
        _fact("disease.stage", "in", ["early", "metastatic"]),
    ),
    ("early-stage", "inclusion", "Stage I-III", _fact("disease.stage", "in", ["early", "locally_advanced"])),
    ("metastatic-exclusion", "exclusion", "Metastatic disease", _fact("disease.stage", "in", ["metastatic"])),
    (
        "m0-negated",
        "inclusion",
        "No evidence of distant metastasis (M0) by routine clinical assessment.",
        _fact("disease.stage", "in", ["early", "locally_advanced"]),
    ),
    (
        "visceral-crisis-negated",
        "inclusion",
        "No visceral crisis.",
        {"not": _fact("visceral_crisis", "eq", True)},
    ),
    (
        "ild",
        "exclusion",
        "History of Grade 3 or Grade 4 interstitial lung disease (ILD) on previous therapy.",
        _fact("comorbidity.interstitial_lung_disease", "eq", True),
    ),
]


@pytest.mark.parametrize(("kind", "sentence", "expected"), [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_sentence_to_condition(tk: TrialKnowledge, kind: str, sentence: str, expected: Any) -> None:
    """Each real registry sentence becomes the condition a clinician would write."""
    crit = parse_sentence(sentence, kind, tk)  # type: ignore[arg-type]
    assert _dump(crit.condition) == expected
    assert crit.text == sentence
    assert crit.kind == kind


REVIEW = [
    ("consent", "inclusion", "Ability to understand and willingness to sign informed consent"),
    ("permissive-brain", "exclusion", "Patients with treated, stable brain metastases are eligible."),
    ("uncontrolled-metastatic", "exclusion", "Patients with uncontrolled metastatic disease."),
    (
        "pregnancy-hypothetical",
        "inclusion",
        "Should a woman become pregnant while she is taking part, she should inform her doctor.",
    ),
    (
        "windowed-exposure",
        "exclusion",
        "Any systemic anti-cancer therapy (including hormonal therapy) in <14 days prior to the first dose",
    ),
]


@pytest.mark.parametrize(("kind", "sentence"), [c[1:] for c in REVIEW], ids=[c[0] for c in REVIEW])
def test_sentence_needs_review(tk: TrialKnowledge, kind: str, sentence: str) -> None:
    """A sentence the patterns cannot decide is kept, with a note, and no condition."""
    crit = parse_sentence(sentence, kind, tk)  # type: ignore[arg-type]
    assert crit.condition is None
    assert crit.note
    assert crit.text == sentence


def test_split_sections_and_bullets(tk: TrialKnowledge) -> None:
    """Headers switch the section; bullets, numbered items and '; ' make sentences."""
    text = (
        "Key inclusion criteria:\n\n* Adult participants.\n* ECOG 0-1. Measurable disease.\n"
        "1. Age 18 or older\n\nKey exclusion criteria:\n\n"
        "  -  Prior chemotherapy for metastatic\n     disease; prior fulvestrant\n"
    )
    got = [(s.kind, s.text) for s in split_sentences(text, tk)]
    assert got == [
        ("inclusion", "Adult participants."),
        ("inclusion", "ECOG 0-1."),
        ("inclusion", "Measurable disease."),
        ("inclusion", "Age 18 or older"),
        ("exclusion", "Prior chemotherapy for metastatic disease"),
        ("exclusion", "prior fulvestrant"),
    ]


def test_cohort_label(tk: TrialKnowledge) -> None:
    """A sentence limited to one cohort carries the cohort's name."""
    crit = parse_sentence(
        "Cohort 2: Participants with HR-/HER2-low metastatic breast cancer.", "inclusion", tk
    )
    assert crit.cohort == "cohort 2"
