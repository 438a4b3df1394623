"""Session 11, second clinical pass (the independent audit, /work/wt/AUDIT11.md): each test fails
on the s11-clin branch head (d9c50701)."""

from __future__ import annotations

from typing import Any

from mbc.engine import plan
from mbc.knowledge import load_kb
from mbc.knowledge.lint import lint_kb
from mbc.model import parse_record

KB = load_kb()
BASE: dict[str, Any] = {
    "id": "clin11-second-pass",
    "as_of": "2026-12-01",
    "age": 55,
    "sex": "female",
    "menopausal_status": "postmenopausal",
    "ecog": 1,
    "tumor": {"er_percent": 90, "pr_percent": 40, "her2_ihc": "0"},
    "metastases": {"sites": ["bone", "liver"], "visceral_crisis": False},
    "presentation": "recurrence",
    "metastatic_diagnosis_date": "2026-11-01",
    "labs": {"creatinine_clearance_ml_min": 80, "bilirubin_x_uln": 0.6},
    "somatic": ["ESR1 wildtype", "PIK3CA wildtype", "AKT1 wildtype", "PTEN wildtype"],
    "germline": [],
}


def _plan(**change: Any):
    data = {**BASE, **change}
    return plan(parse_record(data), KB)


def _cites(p, drug: str) -> set[str]:
    return {c.id for o in p.options if drug in o.drugs for c in o.citations}


def test_each_tnbc_single_agent_cites_its_own_evidence() -> None:
    """TNT (carboplatin vs docetaxel) is cited for carboplatin only, not capecitabine / vinorelbine."""
    p = _plan(
        tumor={"er_percent": 0, "pr_percent": 0, "her2_ihc": "0", "pdl1_cps": 3},
        prior_therapies=[{"setting": "adjuvant", "drugs": ["doxorubicin", "cyclophosphamide", "paclitaxel"],
                          "start": "2022-01-01", "end": "2022-06-01", "stop_reason": "completed"}],
    )  # fmt: skip
    assert _cites(p, "capecitabine") and "tnt" not in _cites(p, "capecitabine")
    assert "tnt" not in _cites(p, "vinorelbine")
    assert "tnt" in _cites(p, "carboplatin")


def test_premenopausal_cdk46_options_cite_their_own_trial_and_label() -> None:
    p = _plan(age=42, menopausal_status="premenopausal", presentation="de_novo", prior_therapies=[])
    assert {"monarch-3", "label-verzenio"} <= _cites(p, "abemaciclib")
    assert not {"label-kisqali", "monaleesa-7"} & _cites(p, "abemaciclib")
    assert {"paloma-2", "label-ibrance"} <= _cites(p, "palbociclib")
    assert "label-kisqali" in _cites(p, "ribociclib")


def test_option_citation_outside_the_rule_is_a_lint_error(tmp_path) -> None:
    import shutil

    kb_dir = tmp_path / "kb"
    shutil.copytree(KB.path, kb_dir)
    f = kb_dir / "rules" / "tnbc" / "3_chemotherapy.yaml"
    f.write_text(
        f.read_text().replace(
            "citations: [asco-ct-2021, tnt]\n    evidence",
            "citations: [asco-ct-2021, embrace]\n    evidence",
            1,
        )
    )
    issues = [str(i) for i in lint_kb(load_kb(kb_dir))]
    assert any("cites 'embrace', not in the rule's evidence" in i for i in issues)


def test_her2_low_after_one_chemotherapy_line_tdxd_before_more_chemotherapy() -> None:
    """DESTINY-Breast04: T-DXd preferred; single-agent chemotherapy is 'other', not preferred beside it."""
    p = _plan(
        tumor={"er_percent": 90, "pr_percent": 20, "her2_ihc": "1+"},
        prior_therapies=[
            {"setting": "metastatic", "drugs": ["letrozole", "palbociclib"], "start": "2023-01-01",
             "end": "2025-01-01", "stop_reason": "progression"},
            {"setting": "metastatic", "drugs": ["capecitabine"], "start": "2025-02-01", "end": "2026-10-01",
             "stop_reason": "progression"},
        ],
    )  # fmt: skip
    preferred = {d for o in p.options if o.category == "preferred" for d in o.drugs}
    assert "trastuzumab_deruxtecan" in preferred or "trastuzumab deruxtecan" in preferred
    assert not preferred & {"paclitaxel", "docetaxel", "doxorubicin", "eribulin", "vinorelbine"}
    assert {o.category for o in p.options if "paclitaxel" in o.drugs} == {"other"}


def test_headline_line_is_the_classification_line() -> None:
    """Recurrence on adjuvant letrozole: the metastatic line chosen is 1 (rules treat it as line 2);
    the headline said 'line 2' beside classification.line 1."""
    p = _plan(
        prior_therapies=[
            {"setting": "adjuvant", "drugs": ["letrozole"], "start": "2024-01-01", "stop_reason": "ongoing"}
        ]
    )
    assert p.classification.line == 1
    assert p.summary.headline.startswith("HR+/HER2-, line 1 (")


def test_a_man_is_offered_testicular_not_ovarian_suppression() -> None:
    """Male HR+ first line: the GnRH agonist add-on is named for him (regimens.yaml name_male)."""
    p = _plan(sex="male", age=58, menopausal_status=None, presentation="de_novo", prior_therapies=[])
    names = [o.name for o in p.options if "letrozole" in o.drugs or "anastrozole" in o.drugs]
    assert names and all("ovarian" not in n.lower() for n in names)
    assert any("testicular suppression (GnRH agonist)" in n for n in names)
    assert "ovarian" not in p.summary.headline.lower()
    woman = _plan(age=42, menopausal_status="premenopausal", presentation="de_novo", prior_therapies=[])
    assert any("ovarian function suppression" in o.name for o in woman.options)
