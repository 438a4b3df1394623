"""Session 11 (issue 11, notes: therapy timeline).

Mechanisms, each tested with phrasings written for these tests (none copied from a blind note):
a claim put as a question and answered "no" at once is taken back (its drugs not given, its stop
words give way to the answer, the inferences skip it); a drug named only as a later or possible
option is no course; "no relapse on it" is no progression; the reason a line stopped written
after it ("; reason: ...") is its stop reason; a "|" medication chart makes no course and a
status cell ("STOPPED 03/10") stays with its row's drug; a proposal later in a clause belongs to
the drug named there; a medication item that says no further doses or not now is no current
medication; the KEYNOTE-522 regimen name is one course; long tables stay linear (timed in
``benchmarks/bench_pipe_table.py``, not here)."""

from __future__ import annotations

import re

import pytest

from ._note_helpers import _course, _given, _read
from ._note_helpers import _med_ids as _meds

HISTORY = "Metastatic breast cancer to bone and liver since 03/2024.\n"


# ------------------------------------------------------------ a claim asked and answered "no"


@pytest.mark.parametrize(
    "line",
    [
        "Endocrine: tamoxifen + goserelin given alongside line 2? - no, both were only planned.\n",
        "(Was tamoxifen given with the capecitabine? no: never prescribed.)\n",
        "History: tamoxifen before? nope, none.\n",
    ],
)
def test_a_drug_in_a_claim_answered_no_is_not_given(line: str) -> None:
    """A drug named in a question the note answers "no" at once was not given."""
    rec = _read(HISTORY + "1L capecitabine 04/2024 - 02/2025, PD.\n" + line)
    assert "tamoxifen" not in _given(rec)
    assert "goserelin" not in _given(rec)
    assert "capecitabine" in _given(rec)


@pytest.mark.parametrize(
    "line",
    [
        "1L: docetaxel 100 mg/m2 q3w (six cycles) 05/2024 - 01/2025, stopped - neuropathy? no: stopped for "
        "progression (liver).\n",
        "1L docetaxel + pembrolizumab (CPS 15) 05/2024-01/2025, d/c - toxicity? No - it was for PD in the liver.\n",
    ],
)
def test_a_stop_reason_asked_and_answered_no_gives_way_to_the_answer(line: str) -> None:
    """The stop reason taken back ("neuropathy? no:") gives way to the one stated after it."""
    rec = _read(HISTORY + line)
    assert _course(rec, "docetaxel").get("stop_reason") == "progression"


def test_a_presentation_asked_and_answered_no_is_not_inferred() -> None:
    """"de novo? no - recurrent": no de novo presentation read."""
    rec = _read("Hx: de novo? no - recurrent. Relapse 02/2025 in bone.\n1L letrozole + palbociclib since 03/2025.\n")
    assert rec.get("presentation") != "de_novo"


@pytest.mark.parametrize(
    "text",
    [
        "She is on letrozole - should we continue? No changes today.\n",
        "Any new symptoms? No.\n",
        "Is it progression? Yes, in the liver.\n",
    ],
)
def test_a_question_not_answered_no_takes_nothing_back(text: str) -> None:
    """A question followed by anything but a bare "no" and a mark takes nothing back, and a
    question answered "no" takes back only its own words."""
    from mbc.ingest._note_corrections import retracted_claims

    pattern = re.compile(_retract_pattern(), re.IGNORECASE)
    claims = retracted_claims(text, pattern)
    if text.startswith("Any"):
        assert [text[a:b].split("?")[0] for a, b in claims] == ["Any new symptoms"]
    else:
        assert claims == []


def test_blanking_keeps_offsets_and_inside_finds_the_claim() -> None:
    """The blanked text has the same length; ``inside`` tells a mention in a claim."""
    from mbc.ingest._note_corrections import blanked, inside, retracted_claims

    text = "A: tamoxifen given? no, planned. B: letrozole."
    claims = retracted_claims(text, re.compile(_retract_pattern(), re.IGNORECASE))
    out = blanked(text, claims)
    assert len(out) == len(text)
    assert "tamoxifen" not in out
    assert "letrozole" in out
    assert inside(claims, text.index("tamoxifen"))
    assert not inside(claims, text.index("letrozole"))


def _retract_pattern() -> str:
    from mbc.ingest._data import load_yaml

    return str(load_yaml("nlp/therapy.yaml")["retracted_claim"])


# ------------------------------------------------------------ named only as an option


@pytest.mark.parametrize(
    "line",
    [
        "Fulvestrant + abemaciclib chosen. Anastrozole also possible.\n",
        "Board view:\n  a) fulvestrant + abemaciclib first\n  b) Later: eribulin (HER2-low) after the endocrine options\n",
        "Fulvestrant + abemaciclib chosen; eribulin after the endocrine options.\n",
    ],
)
def test_a_drug_named_only_as_a_later_or_possible_option_is_no_course(line: str) -> None:
    """"X also possible", "Later: X", "X after the endocrine options": no course of X."""
    rec = _read(HISTORY + "1L letrozole + palbociclib 04/2024 - 09/2026, progression.\n" + line)
    assert "eribulin" not in _given(rec)
    assert "anastrozole" not in _given(rec)
    assert {"letrozole", "palbociclib"} <= _given(rec)


# ------------------------------------------------------------ stop reasons


def test_no_relapse_on_a_drug_is_no_progression() -> None:
    """"completed five years, no relapse on it": completed, not progression."""
    rec = _read(
        "Early breast cancer 2015, adjuvant letrozole 2015 -> 2020 (completed 5 years, no relapse on it).\n"
        "Relapse 06/2024 in bone.\n"
    )
    assert _course(rec, "letrozole").get("stop_reason") == "completed"


@pytest.mark.parametrize(
    "tail",
    [
        "; reason given at the next visit: grade 3 colitis.",
        ". Reason for stopping was grade 2 pneumonitis.",
        "; reason: pneumonitis, steroid-treated.",
    ],
)
def test_the_reason_written_after_a_stop_is_its_stop_reason(tail: str) -> None:
    """A drug-less clause that opens with "reason ..." after a stop gives the stop reason."""
    rec = _read(HISTORY + "2L (02/2025 - 08/2026): trastuzumab deruxtecan, stopped 08/2026" + tail + "\n")
    assert _course(rec, "trastuzumab deruxtecan").get("stop_reason") == "toxicity"


# ------------------------------------------------------------ tables and medication items


CHART = (
    "MEDICATION CHART\n"
    "| drug          | dose    | freq | notes                     |\n"
    "|---------------|---------|------|---------------------------|\n"
    "| Letrozole     | 2.5 mg  | OD   | continue                  |\n"
    "| Bisoprolol    | 2.5 mg  | OD   |                           |\n"
    "| Citalopram    | 20 mg   | -    | STOPPED 03/10 (low sodium)|\n"
    "| Lactulose     | 10 mL   | BD   |                           |\n"
)


def test_a_medication_chart_row_without_a_cancer_drug_is_no_course() -> None:
    """Rows of a "|" medication chart naming no cancer drug are medications, not courses."""
    rec = _read(HISTORY + "On letrozole since 04/2024.\n" + CHART)
    assert _given(rec) == {"letrozole"}
    assert {"bisoprolol", "lactulose"} <= _meds(rec)


def test_a_status_cell_with_a_date_stays_with_its_rows_drug() -> None:
    """"| STOPPED 03/10 |" is the row drug's status, not a new item: no current medication."""
    rec = _read(HISTORY + "On letrozole since 04/2024.\n" + CHART)
    assert "citalopram" not in _meds(rec)


def test_a_proposal_after_another_drug_of_the_clause_is_that_drugs() -> None:
    """"A 03-09/2023, ..., B planned but declined": the proposal words are B's, A was given."""
    rec = _read(
        "Early TNBC 2023, neoadj KEYNOTE-522 regimen 03-09/2023, residual disease, adj olaparib planned "
        "but she declined.\nRelapse 02/2025 in lung.\n"
    )
    assert {"pembrolizumab", "carboplatin", "paclitaxel", "doxorubicin", "cyclophosphamide"} <= _given(rec)
    assert "olaparib" not in _given(rec)


@pytest.mark.parametrize(
    "item",
    [
        "- Denosumab: last dose 05/2026; GP asked whether to continue -> no further doses\n",
        "- dexamethasone 4 mg bd d-1 to d+1 around the taxane (not now); denosumab 120 mg (not now)\n",
        "- Denosumab recommended; zoledronic acid also an option\n",
    ],
)
def test_a_medication_item_with_no_further_doses_or_only_proposed_is_not_current(item: str) -> None:
    """"no further doses", "(not now)", "recommended" / "also an option": no current medication."""
    rec = _read(HISTORY + "On letrozole since 04/2024.\nMeds:\n- Amlodipine 5 mg od\n" + item)
    assert not {"denosumab", "zoledronic_acid", "dexamethasone"} & _meds(rec)
    assert "amlodipine" in _meds(rec)


def test_a_dose_taken_as_recommended_stays_current() -> None:
    """"as recommended" is how a current drug is taken, not a proposal."""
    rec = _read(HISTORY + "On letrozole since 04/2024.\nMeds:\n- Denosumab 120 mg q4w as recommended\n")
    assert "denosumab" in _meds(rec)


# ------------------------------------------------------------ the note's own date


def test_an_ambiguous_note_date_read_as_the_given_as_of_date() -> None:
    """"04/10/2026" with as_of 4 October 2026: the note is dated that day (day/month), so a line
    ended "08/26" keeps its August end (it is not clipped to a 10 April note date)."""
    import datetime as dt

    text = "Clinic e-mail 04/10/2026\n" + HISTORY + "2) capecitabine 05/25-08/26 PD. Choosing line 3 now.\n"
    rec = _read(text, as_of=dt.date(2026, 10, 4))
    assert _course(rec, "capecitabine").get("end", "").startswith("2026-08")


@pytest.mark.parametrize("arrow", ["->", "\u2192"])
def test_a_reason_before_an_arrow_to_the_drugs_stopped_is_their_stop_reason(arrow: str) -> None:
    """"Progression on CT 08/2026 (new liver lesions) -> A/B discontinued 14/08/2026": progression."""
    rec = _read(
        HISTORY + "- 1L anastrozole + abemaciclib 04/2024 - 08/2026.\n"
        f"- Progression on CT 08/2026 (new liver lesions) {arrow} anastrozole/abemaciclib\n"
        "  discontinued 14/08/2026.\n"
    )
    courses = [t for t in rec["prior_therapies"] if "abemaciclib" in t["drugs"]]
    assert courses
    assert all(t.get("stop_reason") == "progression" for t in courses)


def test_a_completion_before_an_arrow_gives_no_stop_reason_to_the_next_drug() -> None:
    """Only a progression or a toxicity before the arrow is a cause ("completed RT -> X stopped"
    says nothing of why X stopped)."""
    rec = _read(HISTORY + "Radiotherapy to the spine completed -> capecitabine stopped 09/2026.\n")
    assert _course(rec, "capecitabine").get("stop_reason") in (None, "ongoing")


def test_a_setting_word_after_a_comma_starts_a_new_course() -> None:
    """"treated with KEYNOTE-522 + surgery, adj capecitabine finished 01/2026": two courses, the
    neoadjuvant regimen and the adjuvant capecitabine."""
    rec = _read(
        "Hx: TNBC 2024, treated w/ KEYNOTE-522 regimen + surgery (residual disease), adj capecitabine finished "
        "01/2026. Relapse 10/2026 in lung.\n"
    )
    cape = _course(rec, "capecitabine")
    assert cape["drugs"] == ["capecitabine"]
    assert cape.get("setting") == "adjuvant"
    assert "pembrolizumab" in _given(rec)


def test_the_as_of_date_sets_the_notes_day_month_order() -> None:
    """With the header "03/11/2026" and as_of 3 November, the note's other numeric dates are read
    day/month too ("Bloods 01/11/26" is 1 November: a current value, not one from January)."""
    import datetime as dt

    text = "Palliative care review 03/11/2026\n" + HISTORY + "Bloods 01/11/26: ALT 58 U/L (ref 7-40), alb 29 g/L.\n"
    rec = _read(text, as_of=dt.date(2026, 11, 3))
    assert rec.get("labs", {}).get("albumin_g_dl") == 2.9
