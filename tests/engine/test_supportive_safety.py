"""Safety rules also check the drugs of supportive-care items (e.g. zoledronic acid)."""

from __future__ import annotations

from mbc.engine import plan
from mbc.knowledge import KnowledgeBase
from mbc.model import parse_record
from mbc.testing import PatientBuilder


def _bone_patient(**labs: float) -> dict[str, object]:
    b = (
        PatientBuilder()
        .hr_pos_her2_neg()
        .set(sex="female", menopausal_status="postmenopausal", presentation="de_novo",
             metastatic_diagnosis_date="2026-10-01", prior_therapies=[])  # fmt: skip
        .sites("bone", visceral_crisis=False)
    )
    if labs:
        b.labs(**labs)
    return b.build()


def _bma_drugs(p: object) -> set[str]:
    return {d for s in p.supportive_care for d in s.drugs}  # type: ignore[attr-defined]


def test_zoledronic_acid_removed_below_crcl_30(kb: KnowledgeBase) -> None:
    """CrCl < 30: zoledronic acid leaves the bone-agent item and is listed as not recommended."""
    p = plan(parse_record(_bone_patient(creatinine_clearance_ml_min=22)), kb)
    assert "denosumab" in _bma_drugs(p)
    assert "zoledronic acid" not in _bma_drugs(p)
    assert any("zoledronic acid" in n.drugs and n.kind == "contraindicated" for n in p.not_recommended)


def test_zoledronic_acid_kept_with_normal_renal_function(kb: KnowledgeBase) -> None:
    """CrCl 80: zoledronic acid stays an option for bone metastases."""
    p = plan(parse_record(_bone_patient(creatinine_clearance_ml_min=80)), kb)
    assert "zoledronic acid" in _bma_drugs(p)
    assert not any("zoledronic acid" in n.drugs for n in p.not_recommended)


def test_unknown_renal_function_is_asked_for(kb: KnowledgeBase) -> None:
    """Unknown CrCl: the item stays and the plan asks for creatinine clearance."""
    p = plan(parse_record(_bone_patient()), kb)
    assert "zoledronic acid" in _bma_drugs(p)
    assert any(m.field == "labs.creatinine_clearance_ml_min" for m in p.missing_information)
