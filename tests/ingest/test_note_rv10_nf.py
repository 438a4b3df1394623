"""Review rv10-nf (safety, both ways): a current result written before an aside that discards an
older one stays; a known disease watched for its course stays. Phrasings written for this file."""

from __future__ import annotations

import datetime as dt

import pytest

from mbc.ingest import extract

pytestmark = pytest.mark.filterwarnings("ignore::UserWarning")
AS_OF = dt.date(2026, 11, 20)
HEAD = "Oncology review 18 Nov 2026. Mrs D, 61, metastatic breast cancer.\n"


def _read(text: str) -> dict:
    return extract(HEAD + text + "\nSee again in a month.", kind="note", as_of=AS_OF).record


@pytest.mark.parametrize(
    ("text", "field", "value"),
    [
        (
            "Liver biopsy 10/2026: ER 90%, PR 20%, HER2 3+ (disregard the earlier 1+ report).",
            "her2_ihc",
            "3+",
        ),
        ("Liver biopsy 10/2026: HER2 3+ - ignore the previous HER2 0 result.", "her2_ihc", "3+"),
        ("Pleural cytology: HER2 3+ (prior 0 invalid).", "her2_ihc", "3+"),
        ("Liver biopsy: ER 85% (the ER 0% issued 02/11 was retracted).", "er_percent", 85),
    ],
)
def test_a_current_result_before_an_aside_discarding_an_old_one_stays(
    text: str, field: str, value: object
) -> None:
    assert (_read(text).get("tumor") or {}).get(field) == value


@pytest.mark.parametrize(
    "text",
    [
        "Final: HER2 IHC 0. Please disregard the HER2 1+ issued on 02/11.",
        "Revised: HER2 IHC 0. The 1+ given in the first report is to be ignored.",
    ],
)
def test_the_discarded_result_is_still_dropped(text: str) -> None:  # control
    assert (_read(text).get("tumor") or {}).get("her2_ihc") == "0"


@pytest.mark.parametrize(
    "text",
    [
        "Ongoing surveillance for progression of her liver metastases, which are stable on CT.",
        "Monitoring for response of liver mets on CT every 3 months.",
    ],
)
def test_a_known_disease_watched_for_its_course_stays(text: str) -> None:
    assert "liver" in ((_read(text).get("metastases") or {}).get("sites") or [])


def test_a_disease_only_watched_for_is_not_present() -> None:  # control
    rec = _read("Surveillance for liver metastases with CT.")
    assert "liver" not in ((rec.get("metastases") or {}).get("sites") or [])


@pytest.mark.parametrize(
    "text",
    [
        "Pleural fluid cytology 10/2026, initially read as reactive: ER 5%, HER2 0.\nReceptors on file: ER 95%, HER2 1+.",
        "Liver core 10/2026 (hx breast ca): ER 5%, HER2 0.\nER 95%, HER2 1+ per referral letter.",
        "Relapse 2026. Liver biopsy, h/o breast cancer: ER 5%, HER2 0. Referral: ER 95%.",
    ],
)
def test_a_history_word_after_a_metastatic_specimen_does_not_make_its_result_primary(text: str) -> None:
    tumor = _read(text).get("tumor") or {}
    assert tumor.get("er_percent") == 5
    assert tumor.get("receptor_source") == "metastasis"


def test_a_primary_result_between_still_loses_to_the_metastasis() -> None:  # control
    tumor = (
        _read("Initially ER 90% HER2 1+; most recent biopsy (lung, 2026) ER 50%, HER2 2+.").get("tumor") or {}
    )
    assert tumor.get("er_percent") == 50
