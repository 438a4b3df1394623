"""Session 10 (integrator, from the reader review): the OCR mends ("1iver" -> "liver") never turn
a real token into another one: a gene symbol ending in 1 run into the next word, a cycle-day
code, or a digit run into a negation stay as written."""

from __future__ import annotations

import pytest

from mbc.ingest._note_ocr import mend_ocr


@pytest.mark.parametrize("text", ["brca1mutated", "Brca1mutation", "esr1mutant", "akt1altered", "mlh1loss",
                                  "c1d1 given", "C2D1", "HER2 1not amplified", "1non-mass"])  # fmt: skip
def test_tokens_that_are_no_ocr_confusion_stay(text: str) -> None:
    assert mend_ocr(text) == text


@pytest.mark.parametrize(("text", "want"), [("1iver mets", "liver mets"), ("pa1bocic1ib", "palbociclib"),
                                            ("ER 9O%", "ER 90%")])  # fmt: skip
def test_real_confusions_are_still_mended(text: str, want: str) -> None:
    assert mend_ocr(text) == want
