"""Session 7 (issue 11, notes): a variant that a note looks for, asks about, awaits or supposes
is not a variant found (principle 7). Every phrasing here was written for these tests; the
results that must still be read sit beside them, so a rule that withholds every variant fails."""

from __future__ import annotations

import datetime as dt

import pytest

from mbc.ingest import extract

AS_OF = dt.date(2026, 11, 20)
LEAD = "Metastatic ER+ HER2- breast cancer, liver metastases. "


def _somatic(sentence: str) -> set[str]:
    rec = extract(LEAD + sentence, kind="note", as_of=AS_OF).record
    return set(rec.get("somatic") or [])


@pytest.mark.parametrize(
    "sentence",
    [
        "ctDNA sent to check for ESR1 Y537S.",
        "We are looking for a PIK3CA mutation.",
        "Supposing she has AKT1 E17K, capivasertib could be used.",
        "Will screen her plasma for ESR1 D538G.",
        "Ordered tissue NGS for PIK3CA H1047R.",
        "Unclear whether she has an ESR1 Y537S mutation.",
        "Assuming he carries AKT1 E17K we would discuss the options.",
        "Awaiting ctDNA for ESR1 Y537S.",
        "PIK3CA H1047R result awaited.",
        "Query: ESR1 Y537S",
        "Query ESR1 Y537S on repeat ctDNA",
        "Sent off for PIK3CA E545K, ESR1 D538G and AKT1 E17K.",
        "To exclude an ESR1 Y537S mutation we will repeat ctDNA.",
        "ESR1 Y537S not yet back.",
        "Testing for PIK3CA is pending.",
        "Repeat ctDNA to rule out ESR1 Y537S.",
        "? PIK3CA H1047R",
        "?ESR1 Y537S - repeat ctDNA.",
        "Check whether she harbours PIK3CA H1047R.",
    ],
)
def test_a_variant_looked_for_is_not_found(sentence: str) -> None:
    assert _somatic(sentence) == set()


@pytest.mark.parametrize(
    ("sentence", "variant"),
    [
        ("ESR1 Y537S detected on ctDNA.", "ESR1 Y537S"),
        ("Testing showed PIK3CA H1047R.", "PIK3CA H1047R"),
        ("NGS: AKT1 E17K", "AKT1 E17K"),
        ("ctDNA (sent 3/2026) showed ESR1 D538G.", "ESR1 D538G"),
        ("Guardant360 (sent 02/2026): ESR1 Y537S, VAF 2%.", "ESR1 Y537S"),
        ("Tissue NGS (ordered 2025) revealed PIK3CA E545K.", "PIK3CA E545K"),
        ("She tested positive for ESR1 Y537S on ctDNA.", "ESR1 Y537S"),
        ("Repeat ctDNA was sent and showed ESR1 D538G.", "ESR1 D538G"),
        ("Known PIK3CA H1047R on tissue; repeat ctDNA sent for ESR1.", "PIK3CA H1047R"),
    ],
)
def test_a_variant_reported_is_still_read(sentence: str, variant: str) -> None:
    assert variant in _somatic(sentence)


def test_a_list_looked_for_stays_withheld_to_the_sentence_end() -> None:
    # the commas and "and" of the list must not end the scope of "sent off for"
    found = _somatic("Sent off for PIK3CA E545K, ESR1 D538G and AKT1 E17K. NGS 2025: AKT1 E17K.")
    assert found == {"AKT1 E17K"}


def test_a_finding_stated_after_tested_for_is_still_read() -> None:
    # "is" states the finding: the scope of "re-tested for" ends there
    text = "Liver biopsy was re-tested for HER2 and is IHC 2+ with FISH not amplified."
    rec = extract(text, kind="note", as_of=AS_OF).record
    assert rec["tumor"]["her2_ish"] == "not_amplified"


def test_a_question_header_does_not_withhold_the_facts_it_states() -> None:
    rec = extract(
        "Question: 41 yo, ER+/HER2-, metastatic to bone; ESR1 Y537S on ctDNA 2025. What next after fulvestrant?",
        kind="question",
        as_of=AS_OF,
    ).record
    assert "ESR1 Y537S" in set(rec.get("somatic") or [])
