"""Issue 11, session 4: the therapy timeline read across sentences (a stop reason written
later, induction then maintenance, early courses over by the relapse, settings from dates),
metastatic diagnosis dates written around a relapse, day-precision dates and the patient's
own negative germline test (our own phrasings, not the blind sets')."""

from __future__ import annotations

import datetime as dt

import pytest

from mbc.ingest import extract

pytestmark = pytest.mark.filterwarnings("ignore::UserWarning")
AS_OF = dt.date(2026, 11, 20)


def _read(text: str) -> dict:
    return extract(text, kind="note", as_of=AS_OF).record


def _therapy(rec: dict, drug: str) -> dict:
    return next(t for t in rec.get("prior_therapies", []) if drug in t["drugs"])


def test_a_stop_reason_in_a_later_sentence_ends_the_line() -> None:
    rec = _read(
        "Metastatic HR+ breast cancer (bone).\n"
        "(1) anastrozole + abemaciclib 02/2024 - 08/2026. Abemaciclib reduced to 100 mg for "
        "diarrhoea, then continued. PD on PET 08/2026 (new liver lesions).\n"
        "(2) fulvestrant since 09/2026."
    )
    first = _therapy(rec, "abemaciclib")
    assert first["stop_reason"] == "progression" and first["end"].startswith("2026-08")
    assert _therapy(rec, "fulvestrant")["stop_reason"] == "ongoing"


def test_a_later_sentence_about_pd_l1_or_doubt_is_not_a_progression() -> None:
    rec = _read(
        "Metastatic TNBC (lung). Paclitaxel 01/2026 - 05/2026. Biopsy: PD-L1 CPS 5. "
        "Possible progression on CT, to be confirmed."
    )
    assert "stop_reason" not in _therapy(rec, "paclitaxel")


def test_a_later_sentence_naming_another_drug_is_that_drugs() -> None:
    rec = _read(
        "MBC (liver). Letrozole + ribociclib 03/2024 - 06/2026. Capecitabine since 07/2026, "
        "progression on CT 10/2026."
    )
    assert "stop_reason" not in _therapy(rec, "ribociclib")


def test_induction_then_maintenance_is_one_line() -> None:
    rec = _read(
        "HER2+ MBC (lung). 1L: docetaxel + trastuzumab + pertuzumab from 12 March 2026; "
        "6 cycles docetaxel done, now trastuzumab + pertuzumab alone."
    )
    lines = rec["prior_therapies"]
    assert len(lines) == 1
    assert set(lines[0]["drugs"]) == {"docetaxel", "trastuzumab", "pertuzumab"}
    assert lines[0]["start"] == "2026-03-12" and lines[0]["stop_reason"] == "ongoing"


def test_an_early_course_is_over_by_the_relapse() -> None:
    """Chemotherapy given before surgery is completed; endocrine therapy that ran into the
    relapse stopped for it; one that ended years before was completed (all inferred)."""
    rec = _read(
        "Dx 2016: neoadjuvant EC then paclitaxel, mastectomy, then adjuvant letrozole 2017-2021.\n"
        "Relapse (liver, bone) March 2025. Capecitabine since 04/2025."
    )
    chemo = _therapy(rec, "paclitaxel")
    assert chemo["setting"] == "neoadjuvant" and chemo["stop_reason"] == "completed"
    assert _therapy(rec, "letrozole")["stop_reason"] == "completed"
    ex = extract(
        "Adjuvant exemestane 2019 -> Feb 2025. Relapse in bone 02/2025. Fulvestrant + palbociclib since 03/2025.",
        kind="note",
        as_of=AS_OF,
    )
    ai = _therapy(ex.record, "exemestane")
    assert ai["stop_reason"] == "progression"
    idx = ex.record["prior_therapies"].index(ai)
    assert ex.provenance[f"prior_therapies[{idx}]"]["certainty"] == "inferred"


def test_settings_from_the_metastatic_date() -> None:
    rec = _read(
        "Recurrence in the liver 05/2025. Tamoxifen 2019 -> 05/2025. "
        "Letrozole + palbociclib 06/2025 - 10/2026, progression."
    )
    assert _therapy(rec, "tamoxifen")["setting"] == "adjuvant"
    assert _therapy(rec, "tamoxifen")["stop_reason"] == "progression"
    assert _therapy(rec, "palbociclib")["setting"] == "metastatic"


@pytest.mark.parametrize(
    ("text", "date"),
    [
        ("Relapse (bone + liver) June 2024. Letrozole started.", "2024-06-01"),
        ("De novo HR+/HER2- MBC (bone, liver) dx Jan 2026.", "2026-01-01"),
        ("Recidive in 01/2022 with bone and peritoneum.", "2022-01-01"),
        ("- 12 of September 2024: recidive - bone and liver.", "2024-09-01"),
        ("New dx July 2026: TNBC with liver + bone mets (de novo).", "2026-07-01"),
        ("Recurrence in the liver and bone 03/2025.", "2025-03-01"),
    ],
)
def test_metastatic_dates_written_around_a_relapse(text: str, date: str) -> None:
    assert _read(text).get("metastatic_diagnosis_date") == date


def test_the_primarys_diagnosis_date_is_not_the_metastatic_one() -> None:
    assert "metastatic_diagnosis_date" not in _read("Breast cancer diagnosed 03/2015, metastatic relapse to bone.")


@pytest.mark.parametrize(
    ("text", "start"),
    [
        ("MBC. Fulvestrant since 10 June 2026.", "2026-06-10"),
        ("MBC. Fulvestrant from 10/06/2026 (10 June 2026).", "2026-06-10"),
        ("MBC. Fulvestrant since 25.06.2026.", "2026-06-25"),
        ("MBC. Fulvestrant since June 3, 2026.", "2026-06-03"),
    ],
)
def test_day_precision_start_dates(text: str, start: str) -> None:
    assert _therapy(_read(text), "fulvestrant")["start"] == start


@pytest.mark.parametrize(
    "text",
    [
        "Germline: BRCA1/2 test negative 2025.",
        "No known germline mutation - test was done 2022 (BRCA1/2, PALB2 negative).",
        "Germline panel 2022: no pathogenic variant found.",
        "My sister has a BRCA change. My own gene test came back clean.",
    ],
)
def test_own_negative_germline_test(text: str) -> None:
    assert _read(text).get("germline") == []


@pytest.mark.parametrize(
    "text",
    [
        "Germline testing sent 09/2026, result pending.",
        "Germline BRCA2 pathogenic variant; tumour NGS negative for PIK3CA.",
        "Her mother's germline test was negative.",
    ],
)
def test_not_an_own_negative_germline_test(text: str) -> None:
    assert _read(text).get("germline") != []


def test_a_blood_test_is_not_a_germline_test() -> None:
    assert "germline" not in _read("My blood test was normal. My scan was fine.")


def test_a_named_alteration_wins_over_an_earlier_not_detected() -> None:
    rec = _read(
        "Tissue NGS 2024: PIK3CA E542K; ESR1 not detected.\n"
        "Repeat ctDNA 10/2026: PIK3CA E542K, ESR1 Y537S (new), MSI not detected."
    )
    assert "ESR1 Y537S" in rec["somatic"] and "ESR1 wildtype" not in rec["somatic"]


def test_medication_list_items_are_judged_one_by_one() -> None:
    rec = _read(
        "Current medication: bendroflumethiazide 2.5 mg (stopped 2 weeks ago), amlodipine 10 mg,\n"
        "lisinopril STOPPED (AKI), co-codamol 30/500, Adcal-D3, filgrastim: NOT prescribed."
    )
    meds = set(rec["medications"])
    assert {"amlodipine", "codeine", "acetaminophen", "calcium carbonate", "cholecalciferol"} <= meds
    assert not meds & {"bendroflumethiazide", "lisinopril", "filgrastim"}


def test_a_site_denied_in_its_own_parenthesis_is_not_recorded() -> None:
    rec = _read("Recurrence 09/2026: bone (multiple), pleural effusion (cytology negative x2), mediastinal nodes.")
    assert "bone" in rec["metastases"]["sites"] and "pleura" not in rec["metastases"]["sites"]


def test_a_side_effect_of_a_line_that_goes_on_is_not_a_stop() -> None:
    rec = _read("MBC. Since 09/2025: letrozole + abemaciclib 150 bd -> 100 bd (diarrhoea gr 3) -> 100 bd ongoing.")
    assert _therapy(rec, "abemaciclib")["stop_reason"] == "ongoing"


def test_a_drug_declined_after_its_name_is_not_given() -> None:
    rec = _read(
        "TNBC 2021. Neoadj EC-paclitaxel, mastectomy, residual disease -> adjuvant olaparib declined by pt, "
        "capecitabine given instead (completed Sept 2022). Relapse in lung 02/2025."
    )
    drugs = {d for t in rec["prior_therapies"] for d in t["drugs"]}
    assert "olaparib" not in drugs and {"epirubicin", "paclitaxel", "capecitabine"} <= drugs
    assert _therapy(rec, "capecitabine")["setting"] == "adjuvant"


@pytest.mark.parametrize(
    "text",
    [
        "MBC. Trastuzumab deruxtecan requested, funding pending.",
        "MBC. Consented for sacituzumab govitecan, due to start next week.",
        "MBC. She asked if olaparib would be an option.",
        "MBC. Next line: capecitabine.",
    ],
)
def test_requested_or_asked_drugs_are_not_given(text: str) -> None:
    assert "prior_therapies" not in _read(text)


def test_stopped_at_relapse_is_a_progression() -> None:
    rec = _read("Adjuvant anastrozole from Oct 2021; stopped Sept 2026 at relapse. Liver metastases.")
    assert _therapy(rec, "anastrozole")["stop_reason"] == "progression"


@pytest.mark.parametrize(
    "text", ["31F, G2P1, 19 weeks' gestation. HER2 3+ MBC.", "31F, 19 weeks’ gestation, HER2 3+ MBC."]
)
def test_gestational_age_with_an_apostrophe_is_pregnancy(text: str) -> None:
    """"19 weeks' gestation" is a pregnancy of 19 weeks (safety: anti-HER2 therapy is contraindicated)."""
    rec = _read(text)
    assert rec["pregnant"] is True
    assert rec["pregnancy_weeks"] == 19


@pytest.mark.parametrize(
    ("text", "germline"),
    [
        ("TNBC. gBRCA1/2 and PALB2 neg. ECOG 0.", []),
        ("TNBC. gBRCA1 and PALB2 negative.", []),
        ("TNBC. gBRCA1+, PALB2 neg.", ["BRCA1"]),
    ],
)
def test_a_negative_germline_gene_list(text: str, germline: list[str]) -> None:
    """One negative word after a g-prefixed gene list negates the whole list (it was read as a
    BRCA1 carrier: a negated fact recorded as present)."""
    assert _read(text)["germline"] == germline
