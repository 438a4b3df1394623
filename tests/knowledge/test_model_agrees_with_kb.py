"""The record model checks that status words agree with measurements using the contract's
own definitions (it cannot read the KB); those must say what knowledge/derive.yaml says."""

from __future__ import annotations

import itertools

import pytest

from mbc.knowledge import KnowledgeBase
from mbc.model import parse_record
from mbc.model import record as model_record


def test_receptor_cut_offs_match_derive_yaml(kb: KnowledgeBase) -> None:
    """ER/PR positive and ER-low cut-offs are the KB's."""
    assert kb.param("er_positive_min_percent") == model_record.RECEPTOR_POSITIVE_MIN_PERCENT
    assert kb.param("pr_positive_min_percent") == model_record.RECEPTOR_POSITIVE_MIN_PERCENT
    assert kb.param("er_low_max_percent") == model_record.ER_LOW_MAX_PERCENT


@pytest.mark.parametrize(
    ("ihc", "ish"),
    list(itertools.product([None, "0", "ultralow", "1+", "2+", "3+"], [None, "amplified", "not_amplified"])),
)
def test_her2_agreement_matches_the_kb_tables(kb: KnowledgeBase, ihc: str | None, ish: str | None) -> None:
    """A HER2 status word the model rejects is one the KB tables derive differently."""
    derived = kb.lookup("her2_status", category=kb.lookup("her2_category", ihc=ihc, ish=ish, status=None))  # type: ignore[arg-type]
    for word in ("positive", "negative"):
        tumor = {
            "her2_status": word,
            **({"her2_ihc": ihc} if ihc else {}),
            **({"her2_ish": ish} if ish else {}),
        }
        try:
            parse_record({"id": "t", "as_of": "2026-11-01", "tumor": tumor})
            accepted = True
        except ValueError:
            accepted = False
        if derived is not None:
            assert accepted is (word == derived), (ihc, ish, word, derived)
