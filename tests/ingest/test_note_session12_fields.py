"""Issue 11, session 12 (notes: fields and therapy): a cancer drug's name misspelt by a patient,
an OCR or a speech recogniser is read as that drug (``misspelt_drugs`` in knowledge/nlp/therapy.yaml,
mbc.ingest._note_spelling). Phrasings written for this file (none copied from a note); controls:
a short word, a home medication, an everyday phrase and a correctly spelt name are left alone, and
a misspelt drug only proposed is still not given."""

from __future__ import annotations

import datetime as dt

import pytest

from mbc.ingest import extract
from mbc.ingest._note_spelling import mend_spelling

pytestmark = pytest.mark.filterwarnings("ignore::UserWarning")
AS_OF = dt.date(2026, 11, 20)
HEAD = "Clinic note 18 Nov 2026. Mrs T, 61, metastatic breast cancer to bone.\n"


def _drugs(text: str) -> list[tuple[str, ...]]:
    rec = extract(HEAD + text + "\nReview in four weeks.", kind="note", as_of=AS_OF).record
    return [tuple(sorted(t.get("drugs") or [])) for t in rec.get("prior_therapies") or []]


@pytest.mark.parametrize(
    ("text", "drugs"),
    [
        # a patient's spelling (one letter off, "ph" for "f")
        ("I was on Tamoxiphen for five years after my operation, finished 2021.", ("tamoxifen",)),
        ("Then letrazole from March 2024 until the scan showed it had grown in August 2026.", ("letrozole",)),
        # a brand written as it sounds
        ("She has been on Trodelvi every three weeks since July 2026.", ("sacituzumab govitecan",)),
        # an OCR's digit for a letter at a word end
        ("1L: docetaxe1 from 02/2025, stopped 06/2025 for neuropathy.", ("docetaxel",)),
        # a speech recogniser cutting a name into words
        ("First line fool vest rant from May 2025 until progression in October 2026.", ("fulvestrant",)),
        ("Second line ever oh limus with exemestane from 11/2026.", ("everolimus", "exemestane")),
        ("Adjuvant cad sila fourteen cycles, completed 2022.", ("trastuzumab emtansine",)),
    ],
)
def test_a_misspelt_cancer_drug_is_read(text: str, drugs: tuple[str, ...]) -> None:
    assert drugs in _drugs(text)


def test_the_mend_keeps_the_length_and_the_offsets() -> None:
    text = "on pal bociclib and Tamoxiphen; ECOG 1"
    mended = mend_spelling(text)
    assert len(mended) == len(text)
    assert mended.startswith("on palbociclib ")
    assert mended.endswith("; ECOG 1")
    assert "Tamoxifen" in mended


@pytest.mark.parametrize(
    "text",
    [
        "She walked to the cafe and ate a salad with her sister.",  # everyday words
        "Metformin 500 mg bd, amlodipine 5 mg od.",  # home medications spelt right
        "Letrozole 2.5 mg daily since 2024.",  # a known name: nothing to mend
        "Palbo held for a week.",  # a short synonym, never compared
    ],
)
def test_words_that_are_no_misspelt_cancer_drug_are_left_alone(text: str) -> None:
    assert mend_spelling(text) == text


def test_a_misspelt_drug_only_proposed_is_not_given() -> None:
    got = _drugs("Anastrozole since 02/2025. Options at progression: Ella Sestrant or Kiss Kali, to discuss at MDT.")
    assert ("anastrozole",) in got
    assert not any("elacestrant" in d or "ribociclib" in d for d in got)


def _record(text: str) -> dict:
    return extract(HEAD + text + "\nReview in four weeks.", kind="note", as_of=AS_OF).record


def _courses(text: str) -> list[dict]:
    return list(_record(text).get("prior_therapies") or [])


# ---------------------------------------------------------------- a hold is no stop


@pytest.mark.parametrize(
    "text",
    [
        "1L anastrozole + abemaciclib since 04/2025. Abemaciclib stopped for 10 days in June, then back at 100 mg.",
        "1L anastrozole + abemaciclib since 04/2025. Abemaciclib off for two weeks with diarrhoea, then restarted.",
    ],
)
def test_a_drug_stopped_for_some_days_is_held_not_stopped(text: str) -> None:
    courses = _courses(text)
    assert [c.get("stop_reason") for c in courses if "abemaciclib" in c["drugs"]] == ["ongoing"]
    assert not any(c.get("stop_reason") == "toxicity" for c in courses)


def test_a_drug_stopped_for_a_side_effect_is_still_a_toxicity_stop() -> None:  # control
    courses = _courses("1L anastrozole + abemaciclib 04/2025 - 09/2026, stopped for colitis.")
    assert any(c.get("stop_reason") == "toxicity" for c in courses)


# ---------------------------------------------------------------- a drug for when this one fails


def test_a_drug_named_for_when_the_current_one_fails_is_not_given() -> None:
    courses = _courses("On fulvestrant since 03/2025. The doctor mentioned Kadcyla if this one doesn't work.")
    drugs = {d for c in courses for d in c["drugs"]}
    assert "fulvestrant" in drugs
    assert "trastuzumab emtansine" not in drugs


# ---------------------------------------------------------------- induction ending inside a line


def test_an_induction_drug_finishing_before_maintenance_leaves_the_line_going_on() -> None:
    courses = _courses(
        "1L from 02/2026: paclitaxel x6 + trastuzumab + pertuzumab; paclitaxel finished in June,\n"
        "maintenance trastuzumab + pertuzumab + anastrozole since 01/07/2026, same line."
    )
    line = [c for c in courses if "paclitaxel" in c["drugs"]]
    assert len(line) == 1
    assert line[0].get("stop_reason") == "ongoing"


# ---------------------------------------------------------------- sites after a dated anchor


@pytest.mark.parametrize(
    ("text", "sites"),
    [
        ("Metastatic recurrence 05/2024: bone, liver. Anastrozole since 06/2024.", {"bone", "liver"}),
        ("Metastatic disease since 05/2024: liver, bone.", {"bone", "liver"}),
        ("Stage IV MBC (Jan 2026): liver (segment 7), bone (T8).", {"bone", "liver"}),
        ("Recurrence Sept '23 - bone (ribs, pelvis); lung later.", {"bone"}),
    ],
)
def test_a_site_list_after_a_dated_metastatic_anchor_is_read_whole(text: str, sites: set[str]) -> None:
    rec = extract("Clinic note 18 Nov 2026. Mrs T, 61.\n" + text, kind="note", as_of=AS_OF).record
    got = set((rec.get("metastases") or {}).get("sites") or [])
    assert sites <= got


# ---------------------------------------------------------------- a month without its year


@pytest.mark.parametrize(
    ("text", "start"),
    [
        ("On capecitabine since September; hand-foot grade 1.", "2026-09"),
        ("Since March she has taken anastrozole and ribociclib.", "2026-03"),
        ("Fulvestrant + abemaciclib since last December, tolerating well.", "2025-12"),
    ],
)
def test_a_month_without_a_year_is_the_latest_such_month(text: str, start: str) -> None:
    courses = [c for c in _courses(text) if c.get("stop_reason") == "ongoing"]
    assert courses
    assert str(courses[0].get("start", "")).startswith(start)


def test_a_word_beginning_like_a_month_is_no_date() -> None:  # control
    from mbc.ingest._note_dates import _iso_days

    ref = dt.date(2026, 11, 20)
    assert _iso_days("since marked weight loss", ref) == "since marked weight loss"
    assert _iso_days("from June 2025", ref) == "from June 2025"
