"""The criteria parser: real registry sentences -> conditions (table-driven)."""

from __future__ import annotations

from typing import Any

import pytest

from mbc.trials import Trial, TrialKnowledge, parse_criteria, parse_sentence, parse_trial, split_sentences


def _dump(cond: Any) -> Any:
    return None if cond is None else cond.model_dump(by_alias=True, exclude_none=True, mode="json")


def _fact(fact: str, op: str, value: Any) -> dict[str, Any]:
    return {"fact": fact, "op": op, "value": value}


_NU = _fact("not_understood", "eq", True)  # an alternative no pattern understood: UNKNOWN

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
    # ---- structure (issue 5, second pass): subgroup conditions, definitions, alternatives
    (
        "conditional-subgroup",
        "inclusion",
        "Estrogen receptor positive (ER+) patients must have progressed on a prior endocrine therapy or are "
        "considered inappropriate for any FDA approved endocrine therapies for ER+ breast cancer.",
        {
            "any": [
                {"not": _fact("hr_status", "in", ["positive", "low"])},
                {
                    "all": [
                        _fact("progressed_on.class.endocrine", "eq", True),
                        _fact("hr_status", "in", ["positive", "low"]),
                    ]
                },
            ]
        },
    ),
    (
        "conditional-body-not-understood",
        "inclusion",
        "HR+/HER2+ patients should be agreeable to concomitant treatment with fulvestrant per study protocol.",
        {
            "any": [
                {
                    "not": {
                        "all": [
                            _fact("hr_status", "in", ["positive", "low"]),
                            _fact("her2_status", "eq", "positive"),
                        ]
                    }
                },
                _NU,
            ]
        },
    ),
    (
        "conditional-men-or-postmenopausal",
        "inclusion",
        "HR+/HER2+ patients should be men or post-menopausal women",
        {
            "any": [
                {
                    "not": {
                        "all": [
                            _fact("hr_status", "in", ["positive", "low"]),
                            _fact("her2_status", "eq", "positive"),
                        ]
                    }
                },
                {
                    "any": [
                        _fact("sex", "eq", "male"),
                        _fact("menopausal_status", "eq", "postmenopausal"),
                        _NU,
                    ]
                },
            ]
        },
    ),
    (
        "conditional-eligible-if",
        "inclusion",
        "premenopausal women with HR+/HER2+ breast cancer are eligible if on ovarian suppression, or agreeable"
        " to mandatory ovarian suppression",
        {
            "any": [
                {
                    "not": {
                        "all": [
                            {
                                "all": [
                                    _fact("sex", "eq", "female"),
                                    _fact("menopausal_status", "in", ["premenopausal", "perimenopausal"]),
                                ]
                            },
                            {
                                "all": [
                                    _fact("hr_status", "in", ["positive", "low"]),
                                    _fact("her2_status", "eq", "positive"),
                                ]
                            },
                        ]
                    }
                },
                _NU,
            ]
        },
    ),
    (
        "exclusion-short-or-gap",
        "exclusion",
        "Pregnant patients or currently breast-feeding.",
        {"any": [_fact("pregnant", "eq", True), _fact("breastfeeding", "eq", True)]},
    ),
    (
        "steroids-for-brain-symptoms-are-not-brain-metastases",
        "exclusion",
        "Ongoing use of systemic corticosteroids for control of symptoms of brain metastases at a total daily"
        " dose of >2 mg of dexamethasone (or equivalent).",
        None,
    ),
    (
        "dpd-deficiency",
        "exclusion",
        "Known dihydropyrimidine dehydrogenase deficiency.",
        _fact("dpyd", "in", ["poor", "intermediate"]),
    ),
    (
        "anc-si-units",
        "inclusion",
        "Absolute neutrophil count (ANC) >/= 1.5 x 109/L with no GCSF administration within 28 days",
        _fact("anc_per_ul", "ge", 1500.0),
    ),
    (
        "platelets-si-units",
        "inclusion",
        "Platelets ≥100 × 10^9/L",
        _fact("platelets_per_ul", "ge", 100000.0),
    ),
    (
        "alt-higher-limit-with-liver-metastases",
        "inclusion",
        "Aspartate aminotransferase (AST) and/or alanine aminotransferase (ALT) =< 3 x ULN (=< 5.0 x ULN if liver"
        " metastases present)",
        {
            "any": [
                _fact("alt_x_uln", "le", 3),
                {"all": [_fact("site.liver", "eq", True), _fact("alt_x_uln", "le", 5)]},
            ]
        },
    ),
    (
        "menopause-either-sets-nothing",
        "inclusion",
        "Postmenopausal women, women with suppressed ovarian function, or premenopausal women, provided they are"
        " being treated with monthly LHRH analogues",
        None,
    ),
    (
        "ned-or-bone-only",
        "inclusion",
        "No evidence of disease (NED), or Stable bone only disease after definitive therapy",
        {"any": [_fact("disease.evident", "eq", False), _fact("bone_only", "eq", True)]},
    ),
    (
        "premenopausal-subgroup-is-women",
        "inclusion",
        "Pre-menopausal / peri-menopausal women and men must be concurrently receiving a luteinizing"
        " hormone-releasing hormone (LHRH) agonist",
        {
            "any": [
                {
                    "not": {
                        "all": [
                            _fact("sex", "eq", "female"),
                            _fact("menopausal_status", "in", ["premenopausal", "perimenopausal"]),
                        ]
                    }
                },
                _NU,
            ]
        },
    ),
    (
        "ecog-number-before-the-scale",
        "inclusion",
        "Performance status of =< 1 on the Eastern Cooperative Oncology Group (ECOG) performance scale",
        _fact("ecog", "le", 1),
    ),
    (
        "lvef-far-from-its-threshold",
        "inclusion",
        "Left ventricular ejection fraction (LVEF) assessment by 2-dimensional (D) echocardiogram or multi-gated"
        " acquisition (MUGA) scan performed within 90 days prior to registration must be >= 50%",
        _fact("lvef_percent", "ge", 50),
    ),
    (
        "her2-normal",
        "inclusion",
        "HER2-normal (IHC score 0-1 or FISH negative [in-situ hybridization (ISH) ratio <= 2.0 status])",
        _fact("her2_status", "eq", "negative"),
    ),
    (
        "no-distant-metastases-is-non-metastatic",
        "inclusion",
        "No distant metastases",
        _fact("disease.stage", "in", ["early", "locally_advanced"]),
    ),
    (
        "tnm-m0-after-a-digit",
        "inclusion",
        "Pathologically stage is T1-3N0-3M0",
        _fact("disease.stage", "in", ["early", "locally_advanced"]),
    ),
    (
        "creatinine-or-clearance",
        "inclusion",
        "Serum creatinine =< 2.0 mg/dl or creatinine clearance > 60 ml/min",
        {"any": [_fact("crcl_ml_min", "gt", 60), _NU]},
    ),
    (
        "or-before-a-relapse-window-is-an-alternative",
        "inclusion",
        "Have had prior treatment with at least 1 line of anti-HER2 therapy for locally advanced/metastatic"
        " disease or relapsed within 6 months of completion of adjuvant anti-HER2 therapy",
        {
            "any": [
                _fact("prior.metastatic_anti_her2_lines", "ge", 1),
                {
                    "all": [
                        _fact("prior.early.class.anti_her2", "eq", True),
                        _fact("relapse_months_from_end.class.anti_her2", "le", 6),
                    ]
                },
            ]
        },
    ),
    (
        "recurrence-time-is-not-a-stage",
        "inclusion",
        "Has recurrent disease <2 years from the completion of adjuvant ET",
        {  # the therapy and the time since it, not a stage
            "all": [
                _fact("prior.early.class.endocrine", "eq", True),
                _fact("relapse_months_from_end.class.endocrine", "le", 24.0),
            ]
        },
    ),
    (
        "conditional-guard-de-novo",
        "inclusion",
        "Patients with de novo metastatic disease at the Screening Visit must undergo a SOC diagnostic biopsy.",
        {"any": [{"not": _fact("presentation", "eq", "de_novo")}, _NU]},
    ),
    (
        "numbered-alternatives",
        "inclusion",
        "Has received ET in the noncurative setting and has 1) Radiographic disease progression on 12 months or "
        "more of ET in combination with CDK4/6 inhibitor in the noncurative setting or 2) Received at least 2 "
        "lines of ET in the noncurative setting including CDK4/6 inhibitor where the CDK 4/6 inhibitor was "
        "discontinued due to intolerance",
        {
            "all": [
                _fact("prior.metastatic.class.endocrine", "eq", True),
                {
                    "any": [
                        {
                            "any": [
                                _fact("progressed_on.class.endocrine", "eq", True),
                                _fact("progressed_on.class.cdk46_inhibitor", "eq", True),
                            ]
                        },
                        {
                            "all": [
                                _fact("prior.metastatic.class.cdk46_inhibitor", "eq", True),
                                _fact("prior.metastatic_endocrine_lines", "ge", 2),
                            ]
                        },
                    ]
                },
            ]
        },
    ),
    (
        "clause-or-alternatively",
        "inclusion",
        "De-novo HR+ , HER2- ABC, or, alternatively, relapsed HR+ , HER2- ABC after at least 2 years of "
        "standard neoadjuvant/adjuvant endocrine therapy",
        {
            "any": [
                {
                    "all": [
                        _fact("presentation", "eq", "de_novo"),
                        _fact("hr_status", "in", ["positive", "low"]),
                        _fact("her2_status", "eq", "negative"),
                    ]
                },
                {
                    "all": [
                        _fact("hr_status", "in", ["positive", "low"]),
                        _fact("her2_status", "eq", "negative"),
                    ]
                },
            ]
        },
    ),
    (
        "definition-attached-to-list-item",
        "exclusion",
        "Inflammatory breast cancer defined as clinically significant erythema of the breast and/or documented "
        "dermal lymphatic invasion",
        _fact("inflammatory_breast_cancer", "eq", True),
    ),
    (
        "abbreviation-one-mention",
        "inclusion",
        "No known leptomeningeal disease (LMD)",
        {"not": _fact("site.leptomeninges", "eq", True)},
    ),
    # ---- patterns added in the second pass
    (
        "de-novo",
        "inclusion",
        "Patients must have stage IV breast carcinoma at diagnosis (i.e., de novo metastatic) with unequivocal "
        "evidence of metastasis on imaging.",
        _fact("presentation", "eq", "de_novo"),
    ),
    (
        "no-evidence-of-disease",
        "inclusion",
        "Patients in complete radiological remission (CRR), including a stable bone scan, as determined by "
        "computed tomography (CT), positron-emission tomography (PET), or PET-CT.",
        _fact("disease.evident", "eq", False),
    ),
    (
        "genomic-instability-brca",
        "inclusion",
        "Have a diagnosis of a tumor with evidence of genomic instability on CLIA certified genomic testing, "
        "inclusive of mutations in POLE, POLD1 for arm 1 and in BRCA1 and BRCA2 for arm 2",
        {
            "any": [
                _fact("germline.brca", "eq", True),
                _fact("somatic.brca", "eq", "altered"),
                _NU,
            ]
        },
    ),
    (
        "prior-brain-radiotherapy",
        "inclusion",
        "No prior radiotherapy to the brain (partial or whole brain irradiation, SRS, FSRS, or prophylactic "
        "cranial irradiation [PCI])",
        {"not": _fact("brain.locally_treated", "eq", True)},
    ),
    (
        "progressed-on-both",
        "inclusion",
        "Relapsed disease, not amenable to curative therapy, with documented evidence of progressive disease (PD) "
        "following receipt of both (neo) adjuvant endocrine therapy and a CDK 4/6 inhibitor therapy",
        {
            "all": [
                _fact("progressed_on.class.endocrine", "eq", True),
                _fact("progressed_on.class.cdk46_inhibitor", "eq", True),
            ]
        },
    ),
    (
        "her2-positivity",
        "inclusion",
        "Confirmation of HER2 biomarker eligibility based on valid results from central testing of tumor tissue "
        "documenting HER2-positivity",
        _fact("her2_status", "eq", "positive"),
    ),
    (
        "her2-negative-parenthesised",
        "inclusion",
        "Estrogen receptor (ER)/progesterone receptor (PR)-negative (=< 5% cells) by immunohistochemistry (IHC) "
        "and human epidermal grow (HER2) negative (by IHC or fluorescence in situ hybridization (FISH))",
        {"all": [_fact("hr_status", "in", ["negative", "low"]), _fact("her2_status", "eq", "negative")]},
    ),
    (
        "er-and-or-pr-positive",
        "inclusion",
        "Documented estrogen receptor (ER) and/or progesterone receptor (PR)-positive tumor",
        _fact("hr_status", "in", ["positive", "low"]),
    ),
    (
        "parp-spelled-out",
        "exclusion",
        "Has a known germline BRCA mutation (deleterious or suspected deleterious) and has received previous "
        "treatment with poly-ADP ribose polymerase (PARP) inhibition either in the adjuvant or metastatic setting",
        {"all": [_fact("germline.brca", "eq", True), _fact("prior.class.parp_inhibitor", "eq", True)]},
    ),
    (
        "only-treated-stable-brain-implies-exclusion",
        "inclusion",
        "Only treated and stable brain metastases may enrol",
        _fact("brain.active", "eq", False),
    ),
    (
        "brain-allowed-only-if-lead-in",
        "inclusion",
        "Brain metastases are allowed only if the following 4 parameters hold:",
        _fact("brain.active", "eq", False),
    ),
    (
        "brain-allowed-only-if-untreated-is-not-a-restriction-to-treated",
        "inclusion",
        "Brain metastases are allowed only if untreated and asymptomatic",
        None,
    ),
    (
        "prior-tdxd-required-strictly",
        "inclusion",
        "Prior treatment with T-DXd (discontinued for progression and/or intolerance), which does not have to"
        " be the treatment immediately prior to enrollment on trial.",
        _fact("prior.drug.trastuzumab_deruxtecan", "eq", True),
    ),
    (
        "progression-within-months-of-starting-a-class",
        "inclusion",
        "Has disease progression within the first 12 months of CDK4/6 in the first line metastatic setting",
        {
            "all": [
                _fact("progressed_on.class.cdk46_inhibitor", "eq", True),
                _fact("progression_months.class.cdk46_inhibitor", "le", 12),
            ]
        },
    ),
    (
        "relapse-within-months-of-completing-adjuvant-needs-that-therapy",
        "inclusion",
        "Has disease progression on CDK4/6 inhibitor-based regimen within 12 months of completion of adjuvant"
        " therapy with a CDK4/6 inhibitor",
        {
            "all": [
                _fact("prior.early.class.cdk46_inhibitor", "eq", True),
                _fact("relapse_months_from_end.class.cdk46_inhibitor", "le", 12),
            ]
        },
    ),
    (
        "relapse-within-years-of-starting-adjuvant",
        "inclusion",
        "Has recurrent disease <2 years from the initiation of adjuvant ET",
        {
            "all": [
                _fact("prior.early.class.endocrine", "eq", True),
                _fact("relapse_months_from_start.class.endocrine", "le", 24.0),
            ]
        },
    ),
    (
        # an exception in an exclusion list implies the exclusion it makes an exception to:
        # treated, stable brain metastases are eligible, so active ones are not
        "permissive-brain-exception",
        "exclusion",
        "Patients with treated, stable brain metastases are eligible.",
        _fact("brain.active", "eq", True),
    ),
    (
        "no-prior-therapy-aside-from-first-line",
        "inclusion",
        "No prior systemic therapy for invasive breast cancer, aside from first-line trastuzumab/pertuzumab/taxane"
        " (THP) within 6 weeks from treatment start.",
        _fact("prior.metastatic_lines", "le", 1),
    ),
    (
        "a-match-inside-another-qualifies-it",
        "exclusion",
        "Any prior systemic non-hormonal anti-cancer therapy for locally advanced or metastatic HER2-positive breast"
        " cancer prior to initiation of induction therapy",
        {"all": [_fact("prior.metastatic_lines", "ge", 1), _fact("her2_status", "eq", "positive")]},
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
    (
        "definition-sentence",
        "inclusion",
        "HR+ status defined as estrogen receptor >= 10% and/or progesterone receptor ≥ 10% and HER2 low.",
    ),
    (
        "definition-considered",
        "inclusion",
        "Considered HR- if estrogen receptor (ER) and progesterone receptor (PR) < 10% and HER2-low.",
    ),
    (
        "definition-is-defined",
        "inclusion",
        "Visceral crisis is defined as advanced, symptomatic, visceral spread that is at risk of life-threatening "
        "complication in the short term and that requires chemotherapy.",
    ),
    (
        "either-status",
        "inclusion",
        "Must include percentage of positively stained cells to characterize if hormone receptor-positive or -negative.",
    ),
    (
        "future-treatment",
        "inclusion",
        "Is a candidate for treatment with pembrolizumab and one of the TPC options: paclitaxel or nab-paclitaxel "
        "or gemcitabine + carboplatin",
    ),
    ("skin-only", "exclusion", "Has skin only metastatic disease"),
    (
        "permissive-may-be-used",
        "exclusion",
        "However, for cohorts A and B, head CT with contrast may be used in place of MRI at baseline if MRI is "
        "contraindicated and the participant's CNS metastases are clearly measurable by head CT.",
    ),
    (
        "bone-only-safety-cohort",
        "inclusion",
        "For bone metastases only (without measurable lesions), patients may be accrued to the safety Cohorts only.",
    ),
    ("consent", "inclusion", "Ability to understand and willingness to sign informed consent"),
    ("permissive-other", "exclusion", "Patients with adequately controlled hepatitis B are allowed."),
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


def _texts_and_conditions(text: str, tk: TrialKnowledge) -> list[tuple[str, Any]]:
    return [(c.text, _dump(c.condition)) for c in parse_criteria(text, tk)]


def test_definition_lead_in_items_set_nothing(tk: TrialKnowledge) -> None:
    """Items under 'Postmenopausal status is defined by:' are definitions, not requirements."""
    text = (
        "Inclusion Criteria:\n\n1. Women or men aged >=18 years.\n\n"
        "   * Female participants may be either postmenopausal or pre/perimenopausal. "
        "Postmenopausal status is defined by:\n\n"
        "     1. Age ≥60 years\n"
        "     2. Age <60 years and amenorrhea for 12 or more months\n"
    )
    crits = parse_criteria(text, tk)
    by_text = {c.text: c for c in crits}
    assert by_text["Age ≥60 years"].condition is None
    assert by_text["Age ≥60 years"].note is not None
    assert "definition" in by_text["Age ≥60 years"].note
    assert by_text["Postmenopausal status is defined by:"].condition is None


def test_subgroup_lead_in_binds_its_items(tk: TrialKnowledge) -> None:
    """'In participants with HR+ HER2-low metastatic BC (Cohort 3):' + items joined by OR:
    one criterion that only binds that subgroup."""
    text = (
        "* Has had at least one and up to two prior lines of therapy in the metastatic setting.\n\n"
        "  * In participants with hormone receptor-positive HER2-low metastatic BC (Cohort 3):\n\n"
        "    * Has recurrent disease <2 years from the initiation of adjuvant ET OR\n"
        "    * Has disease progression on CDK4/6 inhibitor-based regimen within 12 months of completion of "
        "adjuvant therapy with a CDK4/6 inhibitor OR\n"
        "    * Has disease progression within the first 12 months of CDK4/6 in the first line metastatic setting\n"
    )
    crits = parse_criteria(text, tk)
    assert len(crits) == 2  # the lead-in and its three items are one criterion: nothing dropped
    group = crits[1]
    assert group.text.startswith("In participants with hormone receptor-positive HER2-low")
    assert "first line metastatic setting" in group.text
    cond = _dump(group.condition)
    assert list(cond) == ["any"]
    assert cond["any"][0] == {
        "not": {
            "all": [
                _fact("hr_status", "in", ["positive", "low"]),
                _fact("her2_category", "eq", "low"),
                _fact("disease.stage", "in", ["metastatic"]),
            ]
        }
    }


def test_alternatives_lead_in(tk: TrialKnowledge) -> None:
    """'... meeting any of the following categories:' joins its items with any."""
    text = (
        "4. Patient has locally advanced (not amenable to curative therapy or metastatic) breast cancer "
        "meeting any of the following categories:\n\n"
        "   * Relapsed disease, not amenable to curative therapy, with documented evidence of progressive "
        "disease (PD) following receipt of both (neo) adjuvant endocrine therapy and a CDK 4/6 inhibitor therapy.\n"
        "   * Newly diagnosed advanced breast cancer, with relapsed disease (i.e., documented evidence of PD) "
        "while receiving or after endocrine therapy plus a CDK 4/6 inhibitor.\n"
    )
    (crit,) = parse_criteria(text, tk)
    cond = _dump(crit.condition)
    assert list(cond) == ["all"]
    assert cond["all"][0]["fact"] == "disease.stage"
    assert list(cond["all"][1]) == ["any"]


def test_or_links_sentences(tk: TrialKnowledge) -> None:
    """'A; or B' and 'A OR' + 'B' are one criterion; an alternative nothing understood is UNKNOWN."""
    text = (
        "Exclusion Criteria:\n\n"
        "* Type 2 diabetes requiring ongoing systemic treatment at the time of study entry; or any history of "
        "Type 1 diabetes\n"
    )
    assert _texts_and_conditions(text, tk) == [
        (
            "Type 2 diabetes requiring ongoing systemic treatment at the time of study entry "
            "or any history of Type 1 diabetes",
            {"any": [_NU, _fact("comorbidity.diabetes_type1", "eq", True)]},
        )
    ]


def test_note_items_explain(tk: TrialKnowledge) -> None:
    """An item starting 'Note:' explains the item above it and sets no requirement."""
    text = (
        "* No known leptomeningeal disease (LMD)\n\n"
        "  * Note: For the purposes of exclusion, LMD is a clinical diagnosis, defined as positive "
        "cerebrospinal fluid (CSF) cytology. Patients with leptomeningeal symptoms would be considered to "
        "have LMD even in the absence of positive CSF cytology.\n"
    )
    got = _texts_and_conditions(text, tk)
    assert got[0] == (
        "No known leptomeningeal disease (LMD)",
        {"not": _fact("site.leptomeninges", "eq", True)},
    )
    assert [c for _, c in got[1:]] == [None, None]


def test_note_making_an_exception_narrows_the_exclusion(tk: TrialKnowledge) -> None:
    """'Brain metastases.' + 'Note: stable ones are allowed if ...' excludes only active brain
    metastases; a note about something else leaves the exclusion as it is; a sentence that
    only says how lesions are measured excludes no one."""
    text = (
        "Exclusion Criteria:\n\n"
        "* Patients with brain metastases. Note: Patients with stable brain or subdural metastases are "
        "allowed if the patient has completed local therapy. RANO criteria are used to evaluate brain "
        "metastases\n"
        "* Prior therapy with abemaciclib in the metastatic setting. Note: Use of abemaciclib in the adjuvant "
        "setting is allowed if the last dose was more than 12 months before recurrence.\n"
        "* Has a diagnosis of leptomeningeal carcinomatosis. NOTE: Stable brain metastases are allowed.\n"
    )
    got = _texts_and_conditions(text, tk)
    assert got[0] == (
        "Patients with brain metastases. Note: Patients with stable brain or subdural metastases are allowed "
        "if the patient has completed local therapy.",
        _fact("brain.active", "eq", True),
    )
    assert got[1] == ("RANO criteria are used to evaluate brain metastases", None)
    assert got[2] == (
        "Prior therapy with abemaciclib in the metastatic setting.",
        _fact("prior.drug.abemaciclib", "eq", True),
    )
    assert got[3][1] is None  # the adjuvant exception: read, excludes no one
    assert got[4] == (
        "Has a diagnosis of leptomeningeal carcinomatosis.",
        _fact("site.leptomeninges", "eq", True),
    )
    assert got[5] == ("NOTE: Stable brain metastases are allowed.", _fact("brain.active", "eq", True))


def test_title_defines_population(tk: TrialKnowledge) -> None:
    """A title naming the population ('Hormone Refractory') is read by the title patterns."""
    trial = Trial(
        nct_id="NCT00000001",
        title="Adaptive Therapy With Capecitabine for Metastatic Estrogen Receptor Positive, Hormone Refractory "
        "Breast Cancer",
        conditions=("Metastatic Breast Cancer",),
    )
    crits = parse_trial(trial, tk).criteria or ()
    titles = [c for c in crits if c.text.startswith("Title:")]
    assert len(titles) == 1
    assert _dump(titles[0].condition) == _fact("progressed_on.class.endocrine", "eq", True)
    assert titles[0].source == "registry"


def test_keyword_prefilter_changes_nothing(tk: TrialKnowledge, monkeypatch: pytest.MonkeyPatch) -> None:
    """The cheap keyword pre-filter only skips patterns that could not match."""
    from mbc.trials._patterns import CompiledPattern

    sentences = [(c[1], c[2]) for c in CASES] + [(c[1], c[2]) for c in REVIEW]
    fast = [_dump(parse_sentence(s, k, tk).condition) for k, s in sentences]  # type: ignore[arg-type]
    monkeypatch.setattr(CompiledPattern, "may_match", lambda _self, _lowered: True)
    slow = [_dump(parse_sentence(s, k, tk).condition) for k, s in sentences]  # type: ignore[arg-type]
    assert fast == slow


def test_undetermined_receptor_result_sets_nothing(tk: TrialKnowledge) -> None:
    """An exclusion of an inconclusive / equivocal / unavailable receptor result is about
    a test without an answer: it must not be read as 'HER2 positive' (which would exclude
    every HER2-positive patient); it is left for review."""
    for text in (
        "Inconclusive, equivocal or unavailable result of HER2/neu overexpression by IHC and FISH",
        "HER2 status unknown",
        "Equivocal HER2 result (IHC 2+ without ISH)",
    ):
        crit = parse_sentence(text, "exclusion", tk)
        assert crit.condition is None, text
    assert parse_sentence("HER2-positive breast cancer", "exclusion", tk).condition is not None
