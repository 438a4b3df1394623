"""Session 12, FHIR as other systems write it, in small bundles of our own (none copied from a
blind set): an order whose words say nothing is given yet, or whose first dose is due later
(a day written d/m/y or m/d/y); drug names in kana (JP Core) and a Japanese ISH answer and
histology; the setting written in French; a quantitative hCG; "non ménopausée"; ATC codes of
targeted and cytotoxic drugs; a dispense on hold; Karnofsky in words; Dutch answers; stage IV
written as compact TNM or "UICC IV"; document and searchset bundles as guards."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from mbc.ingest import extract

from ._fhir_builders import ATC, RXNORM, SNOMED, condition, obs, read, request, statement

AS_OF = dt.date(2026, 10, 29)
BREAST = {"coding": [{"system": SNOMED, "code": "254837009", "display": "Malignant neoplasm of breast"}]}
PRIMARY = condition("c1", BREAST, "2019-05-01")
LETROZOLE, FULVESTRANT = "72965", "282357"
LOCAL_JP = "urn:oid:1.2.392.100495.20.2.74"


def therapies(*resources: dict[str, Any], as_of: dt.date = AS_OF) -> list[dict[str, Any]]:
    return read(as_of, PRIMARY, *resources).get("prior_therapies") or []


def drugs_of(lines: list[dict[str, Any]]) -> list[list[str]]:
    return [sorted(x["drugs"]) for x in lines]


def jp_statement(sid: str, words: str, start: str, end: str | None, status: str) -> dict[str, Any]:
    concept = {"coding": [{"system": LOCAL_JP, "code": "X" + sid, "display": words}], "text": words}
    period = {"start": start, **({"end": end} if end else {})}
    return {"resourceType": "MedicationStatement", "id": sid, "status": status, "medicationCodeableConcept": concept,
            "subject": {"reference": "Patient/p"}, "effectivePeriod": period}  # fmt: skip


# --- an order not yet given ------------------------------------------------------------------


@pytest.mark.parametrize(
    "note",
    ["New order. Not yet administered.", "Pending prior authorisation; not yet dispensed.",
     "Awaiting prior authorization", "noch nicht verabreicht", "pas encore administré"],
)  # fmt: skip
def test_active_order_whose_words_say_not_given_yet_is_not_a_therapy(note: str) -> None:
    order = request("r1", FULVESTRANT, "2026-10-27", note=[{"text": note}])
    assert therapies(order) == []


def test_active_order_without_such_words_is_the_line_going_on() -> None:
    order = request("r1", FULVESTRANT, "2026-03-02", note=[{"text": "500 mg IM q28d"}])
    assert drugs_of(therapies(order)) == [["fulvestrant"]]


def test_later_cycle_not_yet_given_is_a_course_going_on() -> None:
    """ "C3 not yet given (neutropenia)": the course began; a dose is late, not a line to come."""
    going = statement(
        "s1", LETROZOLE, "2026-06-01", None, status="active", note=[{"text": "C3 not yet given"}]
    )
    assert drugs_of(therapies(going)) == [["letrozole"]]


def test_first_dose_scheduled_month_first_after_the_record_is_not_given() -> None:
    """11/04/2026 written on an order of 27 Oct: 11 April is before the order, so 4 November."""
    order = request(
        "r1", FULVESTRANT, "2026-10-27", dosageInstruction=[{"text": "C1D1 scheduled 11/04/2026"}]
    )
    assert therapies(order) == []


def test_first_dose_scheduled_day_first_after_the_record_is_not_given() -> None:
    order = request("r1", FULVESTRANT, "2026-10-20", note=[{"text": "C1D1 scheduled 03.11.2026"}])
    assert therapies(order) == []


def test_first_dose_scheduled_on_a_past_day_either_way_is_given() -> None:
    """03/04/2026 is 4 March or 3 April: both after the order, both before the record."""
    order = request("r1", FULVESTRANT, "2026-02-20", note=[{"text": "C1D1 scheduled 03/04/2026"}])
    assert drugs_of(therapies(order)) == [["fulvestrant"]]


# --- Japanese (JP Core) ----------------------------------------------------------------------


def test_drug_names_in_kana_followed_by_the_form_in_kanji() -> None:
    record = read(
        AS_OF, PRIMARY,
        jp_statement("m1", "タモキシフェン錠20mg（ノルバデックス）", "2019-07-01", "2024-06-30", "completed"),
        jp_statement("m2", "ワーファリン錠1mg 3mg/日", "2015-04-10", None, "active"),
        jp_statement("m3", "アムロジピン錠5mg", "2018-01-01", None, "active"),
    )  # fmt: skip
    assert drugs_of(record["prior_therapies"]) == [["tamoxifen"]]
    assert sorted(record["medications"]) == ["amlodipine", "warfarin"]


def test_kana_name_inside_a_longer_kana_word_is_not_that_drug() -> None:
    """A name ends where the kana end: no drug is read from the middle of another word."""
    record = read(
        AS_OF, PRIMARY, jp_statement("m1", "エキセメスタンプロ錠", "2019-07-01", "2024-06-30", "completed")
    )
    assert not record.get("prior_therapies")


def test_japanese_ish_answer_and_ductal_histology() -> None:
    dish = obs(
        "d1", "85318-4", "2026-10-05", valueCodeableConcept={"text": "増幅なし（陰性）HER2/CEP17比 1.4"}
    )
    ihc = obs("h1", "85319-2", "2026-10-05", valueCodeableConcept={"text": "2+"})
    primary = condition("c1", {**BREAST, "text": "左乳癌（浸潤性乳管癌）pT2N0M0"}, "2019-05-01")
    record = read(AS_OF, primary, ihc, dish)
    assert record["tumor"]["her2_ish"] == "not_amplified"
    assert record["tumor"]["histology"] == "ductal"


# --- settings, pregnancy, menopause in other words -----------------------------------------------


def test_french_neoadjuvant_and_adjuvant_courses_stay_apart() -> None:
    def fr(sid: str, words: str, start: str, end: str, note: str) -> dict[str, Any]:
        return {"resourceType": "MedicationStatement", "id": sid, "status": "completed",
                "medicationCodeableConcept": {"text": words}, "subject": {"reference": "Patient/p"},
                "effectivePeriod": {"start": start, "end": end}, "note": [{"text": note}]}  # fmt: skip

    lines = therapies(
        fr("a", "Épirubicine + cyclophosphamide ×4", "2021-02-01", "2021-04-06", "néoadjuvant"),
        fr("b", "Paclitaxel hebdomadaire ×12", "2021-04-20", "2021-07-06", "néoadjuvant"),
        fr("c", "Capécitabine ×6 cycles", "2021-09-13", "2022-02-14", "adjuvante (maladie résiduelle)"),
    )
    settings = {tuple(sorted(x["drugs"])): x.get("setting") for x in lines}
    assert settings == {
        ("cyclophosphamide", "epirubicin", "paclitaxel"): "neoadjuvant",
        ("capecitabine",): "adjuvant",
    }


@pytest.mark.parametrize(
    ("value", "day", "expected"),
    [({"value": 1, "unit": "[IU]/L"}, "2026-10-20", False),
     ({"value": 2, "unit": "m[IU]/mL", "comparator": "<"}, "2026-10-20", False),
     ({"value": 12, "unit": "IU/L"}, "2026-10-20", None),
     ({"value": 1, "unit": "IU/L"}, "2026-07-01", None),
     ({"value": 3100, "unit": "IU/L"}, "2026-10-20", True)],
)  # fmt: skip
def test_quantitative_hcg_by_the_serum_cut_offs(
    value: dict[str, Any], day: str, expected: bool | None
) -> None:
    record = read(AS_OF, PRIMARY, obs("g", "21198-7", day, valueQuantity=value))
    assert record.get("pregnant") is expected


@pytest.mark.parametrize(
    "words", ["Non ménopausée – cycles réguliers", "Premenopausal - regular 28-day cycles"]
)
def test_menstruating_woman_is_premenopausal(words: str) -> None:
    status = obs("m", "8678-5", "2026-10-20", valueCodeableConcept={"text": words})
    assert read(AS_OF, PRIMARY, status)["menopausal_status"] == "premenopausal"


# --- codes and statuses -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("code", "drug"),
    [("L01EF03", "abemaciclib"), ("L01XE33", "palbociclib"), ("L01XK01", "olaparib"), ("L01CD02", "docetaxel"),
     ("L01BC06", "capecitabine")],
)  # fmt: skip
def test_atc_coded_cancer_drug_without_words(code: str, drug: str) -> None:
    coded = {"resourceType": "MedicationStatement", "id": "s", "status": "active",
             "medicationCodeableConcept": {"coding": [{"system": ATC, "code": code}]},
             "subject": {"reference": "Patient/p"}, "effectivePeriod": {"start": "2026-03-01"}}  # fmt: skip
    assert drugs_of(therapies(coded)) == [[drug]]


def test_dispense_on_hold_was_not_handed_over() -> None:
    held = {"resourceType": "MedicationDispense", "id": "d", "status": "on-hold",
            "medicationCodeableConcept": {"coding": [{"system": RXNORM, "code": LETROZOLE}]},
            "subject": {"reference": "Patient/p"}, "whenPrepared": "2026-10-20"}  # fmt: skip
    assert therapies(held) == []


@pytest.mark.parametrize(("words", "ecog"), [("80% - normal activity with effort", 1), ("KPS 60", 2)])
def test_karnofsky_in_words(words: str, ecog: int) -> None:
    kps = obs("k", "89243-0", "2026-10-20", valueString=words)
    assert read(AS_OF, PRIMARY, kps)["ecog"] == ecog


def test_dutch_receptor_answer_under_a_local_code() -> None:
    er = {**obs("e", "X"), "code": {"coding": [{"system": "urn:oid:2.16.840.1.113883.2.4.3.11.999", "code": "ER1",
                                                "display": "Oestrogeenreceptor"}]},
          "valueCodeableConcept": {"text": "positief"}}  # fmt: skip
    assert read(AS_OF, PRIMARY, er)["tumor"]["er_status"] == "positive"


# --- stage only in Condition.stage ------------------------------------------------------------


@pytest.mark.parametrize(
    ("summary", "stage_iv"),
    [("T2N1M1", True), ("M1b (bone)", True), ("UICC IV", True), ("IV (AJCC 8)", True), ("cT4b N2 M0", False),
     ("Stage IIIA", False), ("ypT1c ypN1 M0", False)],
)  # fmt: skip
def test_stage_summary_words(summary: str, stage_iv: bool) -> None:
    primary = condition("c1", BREAST, "2026-09-01", stage=[{"summary": {"text": summary}}])
    record = read(AS_OF, primary)
    assert (record.get("presentation") == "de_novo") is stage_iv


# --- bundle shapes (guards) -------------------------------------------------------------------


def test_document_bundle_with_urn_uuid_full_urls() -> None:
    def u(n: int) -> str:
        return f"urn:uuid:5f0c0000-0000-4000-8000-{n:012d}"

    pat = {"resourceType": "Patient", "id": "x", "gender": "female", "birthDate": "1960-05-05"}
    er = {**obs("e", "85337-4"), "subject": {"reference": u(1)}, "valueQuantity": {"value": 90, "unit": "%"}}
    dx = {**condition("c", BREAST, "2026-09-01", stage=[{"summary": {"text": "Stage IV"}}]),
          "subject": {"reference": u(1)}}  # fmt: skip
    comp = {"resourceType": "Composition", "id": "doc", "status": "final", "type": {"text": "MDT"},
            "subject": {"reference": u(1)}, "date": "2026-10-20", "author": [{"display": "Dr A"}], "title": "MDT",
            "section": [{"title": "Pathology", "entry": [{"reference": u(3)}]}, {"entry": [{"reference": u(2)}]}]}  # fmt: skip
    bundle = {"resourceType": "Bundle", "type": "document", "timestamp": "2026-10-20T10:00:00Z",
              "identifier": {"system": "urn:ietf:rfc:3986", "value": u(99)},
              "entry": [{"fullUrl": u(i), "resource": r} for i, r in enumerate([comp, pat, dx, er])]}  # fmt: skip
    record = extract(bundle, as_of=AS_OF).record
    assert record["tumor"]["er_percent"] == 90
    assert record["presentation"] == "de_novo"


def test_searchset_with_included_entries_and_an_operation_outcome() -> None:
    base = "https://ehr.example.org/fhir/"
    pat = {"resourceType": "Patient", "id": "p", "gender": "female", "birthDate": "1960-05-05"}
    her2 = {**obs("h", "85319-2"), "valueCodeableConcept": {"text": "3+"}}
    outcome = {"resourceType": "OperationOutcome", "issue": [{"severity": "warning", "code": "incomplete"}]}
    bundle = {"resourceType": "Bundle", "type": "searchset", "total": 2, "entry": [
        {"fullUrl": base + "Patient/p", "resource": pat, "search": {"mode": "match"}},
        {"fullUrl": base + "Observation/h", "resource": her2, "search": {"mode": "include"}},
        {"resource": outcome, "search": {"mode": "outcome"}}]}  # fmt: skip
    got = extract(bundle, as_of=AS_OF)
    assert got.record["tumor"]["her2_ihc"] == "3+"
