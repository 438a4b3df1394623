"""Session 10 FHIR readings, each in small bundles of our own (none copied from a blind set):
a medication record known only by its narrative, counts in another power of ten, a current
drug named in brackets, germline words in other languages, a result's name beside a code we
do not read, TMB / MSI in a panel's words, brain metastases said untreated, a recurring dose
that goes on."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from ._fhir_builders import LOINC, RXNORM, SNOMED, condition, extraction, obs, read

AS_OF = dt.date(2026, 11, 1)


def liver(day: str = "2022-06-01") -> dict[str, Any]:
    return condition("m1", {"coding": [{"system": SNOMED, "code": "94381002"}]}, day)


def brain(text: str, day: str = "2026-10-01") -> dict[str, Any]:
    return condition("b1", {"coding": [{"system": SNOMED, "code": "94225005"}], "text": text}, day)


def result(oid: str, code: dict[str, Any], **value: Any) -> dict[str, Any]:
    """A final Observation with the given code concept and value."""
    return {"resourceType": "Observation", "id": oid, "status": "final", "code": code,
            "subject": {"reference": "Patient/p"}, "effectiveDateTime": "2026-09-01", **value}  # fmt: skip


def told(mid: str, status: str, words: str, label: str = "regimen - see narrative") -> dict[str, Any]:
    """A MedicationStatement whose concept names no drug; the narrative says what was given."""
    return {
        "resourceType": "MedicationStatement",
        "id": mid,
        "status": status,
        "text": {
            "status": "generated",
            "div": f'<div xmlns="http://www.w3.org/1999/xhtml"><p>{words}</p></div>',
        },
        "medicationCodeableConcept": {"text": label},
        "subject": {"reference": "Patient/p"},
    }


# ---------------------------------------------------------------- narrative-only medication records


def test_narrative_regimen_with_a_dose_change_and_a_stop_for_progression() -> None:
    got = read(
        AS_OF,
        liver(),
        told(
            "n1",
            "stopped",
            "Exemestane 25 mg daily with everolimus 10 mg, begun 3 March 2023. Everolimus dose "
            "reduced to 5 mg on 12 April 2023 (mouth ulcers) and kept going. Both stopped on "
            "Jan 9, 2025 because the bone disease progressed.",
        ),
    )
    [line] = got["prior_therapies"]
    assert sorted(line["drugs"]) == ["everolimus", "exemestane"]
    assert (line["start"], line["end"]) == ("2023-03-03", "2025-01-09")
    assert line["stop_reason"] == "progression"
    assert line["setting"] == "metastatic"


@pytest.mark.parametrize(
    ("words", "start"),
    [
        ("Capecitabine 1000 mg/m2 bid d1-14, commenced 2024-05-20; ongoing.", "2024-05-20"),
        ("On capecitabine since 05/2024, tolerating it well.", "2024-05-01"),
        ("Capecitabine started 20.05.2024 at full dose.", "2024-05-20"),
    ],
)
def test_narrative_regimen_going_on_is_the_current_line(words: str, start: str) -> None:
    got = read(AS_OF, liver(), told("n1", "active", words))
    [line] = got["prior_therapies"]
    assert line["drugs"] == ["capecitabine"]
    assert line["start"] == start
    assert line["stop_reason"] == "ongoing"


def test_narrative_non_cancer_drugs_current_only_when_the_record_is_active() -> None:
    got = read(
        AS_OF,
        told(
            "n1",
            "active",
            "Zoledronic acid 4 mg IV every 12 weeks from June 2023, given with calcium.",
            "bone agent",
        ),
        told("n2", "stopped", "Simvastatin 40 mg at night, stopped Sept 2026 for muscle aches.", "statin"),
    )
    assert [m.replace(" ", "_") for m in got.get("medications", [])] == ["zoledronic_acid"]
    assert "prior_therapies" not in got


def test_a_narrative_is_not_read_when_the_concept_names_the_drug() -> None:
    rec = told("n1", "completed", "Paclitaxel weekly, started 1 Feb 2023.", "letrozole 2.5 mg")
    rec["effectivePeriod"] = {"start": "2023-07-01", "end": "2024-07-01"}
    got = read(AS_OF, liver(), rec)
    assert [t["drugs"] for t in got["prior_therapies"]] == [["letrozole"]]
    assert got["prior_therapies"][0]["start"] == "2023-07-01"


def test_narrative_dates_in_an_ambiguous_numeric_order_are_not_read() -> None:
    from mbc.ingest._data import load_yaml
    from mbc.ingest._fhir_narrative import narrative_dates

    months = load_yaml("ingest/fhir.yaml")["narrative_therapy"]["months"]
    got = [d.isoformat() for _, d in narrative_dates("on 04/05/2023, then 14/05/2023 and 05/14/2023", months)]
    assert got == ["2023-05-14", "2023-05-14"]


# ---------------------------------------------------------------- units, names, words


@pytest.mark.parametrize(
    ("value", "unit", "want"),
    [(23.4, "10*4/uL", 234000), (190.0, "10*9/L", 190000), (210000.0, "10*6/L", 210000)],
)
def test_platelets_in_any_power_of_ten(value: float, unit: str, want: int) -> None:
    got = read(AS_OF, obs("pl", "777-3", valueQuantity={"value": value, "unit": unit, "code": unit}))
    assert got["labs"]["platelets_per_ul"] == pytest.approx(want)


def test_current_drug_named_in_brackets_after_a_local_brand() -> None:
    rec = {
        "resourceType": "MedicationStatement",
        "id": "m1",
        "status": "active",
        "medicationCodeableConcept": {
            "coding": [
                {"system": "urn:oid:9.9.9", "code": "X1", "display": "\u30e0\u30b3\u30b9\u30bf\u7320100mg"}
            ],
            "text": "\u30e0\u30b3\u30b9\u30bf 100 mg (rebamipide) three times daily",
        },
        "subject": {"reference": "Patient/p"},
    }
    assert read(AS_OF, rec).get("medications") == ["rebamipide"]


@pytest.mark.parametrize(
    "name",
    ["Konstitutionell BRCA1/2-analys", "Arvelig kreft - genpanel", "Erbliche Tumordisposition (Panel)"],
)
def test_germline_panel_named_in_another_language(name: str) -> None:
    res = result(
        "g1",
        {"coding": [{"system": SNOMED, "code": "405824009"}], "text": name},
        valueCodeableConcept={
            "coding": [{"system": SNOMED, "code": "260385009"}],
            "text": "no pathogenic variant",
        },
    )
    got = read(AS_OF, res)
    assert got.get("germline") == []
    assert not got.get("somatic")


def test_a_code_we_do_not_read_beside_a_name_we_do() -> None:
    """A survey code we deliberately skip, sent with a display asking the menopausal status:
    the display carries the meaning."""
    res = result(
        "q1",
        {"coding": [{"system": LOINC, "code": "63513-6", "display": "Menopausal status (self-reported)"}]},
        valueCodeableConcept={
            "coding": [{"system": SNOMED, "code": "76498008"}],
            "text": "no periods since 2015",
        },
    )
    assert read(AS_OF, res).get("menopausal_status") == "postmenopausal"
    plain = obs("q2", "63513-6", valueCodeableConcept={"text": "Yes"})
    assert read(AS_OF, plain).get("menopausal_status") is None


def test_tmb_and_msi_in_a_panel_results_words() -> None:
    res = result(
        "ngs",
        {"text": "Tumour sequencing panel - result"},
        valueString="ESR1 p.Y537S detected. PIK3CA: no mutation. Tumour mutational burden 11 mut/Mb; "
        "microsatellite status: stable.",
    )
    got = read(AS_OF, res)
    assert got.get("tmb_per_mb") == 11
    assert got.get("msi") == "MSS"
    assert "ESR1 Y537S" in got.get("somatic", [])


# ---------------------------------------------------------------- brain, recurring doses


@pytest.mark.parametrize(
    ("text", "want"),
    [
        ("two small cerebellar metastases, untreated so far", False),
        ("brain metastases, no prior radiotherapy", False),
        ("brain metastases, treatment-naive", False),
        ("brain metastases, previously untreated, treated with SRS in 09/2026", None),
        ("brain metastases, stable", None),
    ],
)
def test_brain_metastases_said_untreated(text: str, want: bool | None) -> None:
    got = read(AS_OF, liver(), brain(text))
    assert got["metastases"].get("brain", {}).get("locally_treated") is want


def test_brain_said_untreated_but_a_radiosurgery_done_wins() -> None:
    srs = {
        "resourceType": "Procedure",
        "id": "srs",
        "status": "completed",
        "code": {"text": "Stereotactic radiosurgery, brain"},
        "subject": {"reference": "Patient/p"},
        "performedDateTime": "2026-10-15",
    }
    got = read(AS_OF, liver(), brain("one brain metastasis, untreated"), srs)
    assert got["metastases"]["brain"]["locally_treated"] is True


def _dose(day: str, note: str | None) -> dict[str, Any]:
    out: dict[str, Any] = {
        "resourceType": "MedicationAdministration",
        "id": f"d{day}",
        "status": "completed",
        "medicationCodeableConcept": {
            "coding": [{"system": RXNORM, "code": "993449", "display": "denosumab"}]
        },
        "subject": {"reference": "Patient/p"},
        "effectiveDateTime": day,
    }
    if note:
        out["note"] = [{"text": note}]
    return out


@pytest.mark.parametrize(
    ("day", "note", "current"),
    [
        ("2026-10-10", "120 mg SC, every 4 weeks", True),
        ("2026-10-10", "given; continuing monthly", True),
        ("2026-10-10", None, False),
        ("2026-10-10", "last dose - not continued", False),
        ("2025-01-10", "120 mg SC, every 4 weeks", False),
    ],
)
def test_a_recent_recurring_dose_is_a_current_medication(day: str, note: str | None, current: bool) -> None:
    got = extraction(AS_OF, _dose(day, note)).record
    assert ("denosumab" in (got.get("medications") or [])) is current


# ---------------------------------------------------------------- a line nobody closed


def _progressed(day: str) -> dict[str, Any]:
    return result(
        f"ds{day}",
        {"coding": [{"system": LOINC, "code": "97509-4"}]},
        effectiveDateTime=day,
        valueCodeableConcept={"coding": [{"system": SNOMED, "code": "271299001"}]},
    )


def _taken(
    mid: str, name: str, start: str, end: str | None = None, status: str = "active", **more: Any
) -> dict[str, Any]:
    return {
        "resourceType": "MedicationStatement",
        "id": mid,
        "status": status,
        "medicationCodeableConcept": {"text": name},
        "subject": {"reference": "Patient/p"},
        "effectivePeriod": {"start": start, **({"end": end} if end else {})},
        **more,
    }


def test_an_open_line_ends_at_the_progression_before_the_next_line() -> None:
    got = read(
        AS_OF,
        liver(),
        _taken("a", "anastrozole", "2022-07-01"),
        _progressed("2024-01-20"),
        _taken("b", "eribulin", "2024-02-05"),
    )
    first, second = sorted(got["prior_therapies"], key=lambda t: t["start"])
    assert first["drugs"] == ["anastrozole"]
    assert (first.get("end"), first.get("stop_reason")) == ("2024-01-20", "progression")
    assert second["stop_reason"] == "ongoing"


def test_an_open_line_with_no_progression_recorded_ends_when_the_next_began() -> None:
    got = read(
        AS_OF, liver(), _taken("a", "tamoxifen", "2022-07-01"), _taken("b", "capecitabine", "2023-09-01")
    )
    first, second = sorted(got["prior_therapies"], key=lambda t: t["start"])
    assert first.get("end") == "2023-09-01"
    assert "stop_reason" not in first  # why it stopped is not known
    assert second["stop_reason"] == "ongoing"


def test_ovarian_suppression_and_maintenance_go_on_beside_the_next_drugs() -> None:
    got = read(
        AS_OF,
        liver(),
        _taken("g", "goserelin", "2022-07-01"),
        _taken("a", "letrozole", "2022-07-01", "2024-01-10", status="stopped"),
        _progressed("2024-01-10"),
        _taken("f", "fulvestrant", "2024-01-25"),
    )
    assert [t["stop_reason"] for t in got["prior_therapies"] if "fulvestrant" in t["drugs"]] == ["ongoing"]
    maintenance = read(
        AS_OF,
        liver(),
        _taken("t", "trastuzumab", "2023-01-10"),
        _taken("p", "pertuzumab", "2023-01-10"),
        _taken("d", "docetaxel", "2023-01-10", "2023-05-01", status="completed"),
        _taken("l", "letrozole", "2023-06-01"),
    )
    assert [t["stop_reason"] for t in maintenance["prior_therapies"]] == ["ongoing"]


# ---------------------------------------------------------------- MSI in words, clause by clause


def _msi(words: str) -> dict[str, Any]:
    return result("msi", {"coding": [{"system": LOINC, "code": "81695-9"}]}, valueString=words)


@pytest.mark.parametrize(
    ("words", "want"),
    [
        ("MSI-high: not detected", "MSS"),
        ("negative for MSI-H", "MSS"),
        ("no loss of MLH1, PMS2, MSH2 or MSH6 nuclear staining", "MSS"),
        ("microsatellite stable (an outside panel had previously called it MSI-high)", "MSS"),
        ("MLH1 and PMS2 lost; MSH2 and MSH6 retained", "MSI-H"),
        ("PCR inconclusive; instability-high by sequencing", "MSI-H"),
        ("MSI: no", "MSS"),
        ("MSI-H", "MSI-H"),
    ],
)
def test_msi_words_read_clause_by_clause(words: str, want: str) -> None:
    assert read(AS_OF, _msi(words)).get("msi") == want


def test_a_reports_earlier_msi_does_not_outweigh_its_current_one() -> None:
    report = {
        "resourceType": "DiagnosticReport",
        "id": "gr",
        "status": "final",
        "code": {"coding": [{"system": LOINC, "code": "81247-9"}]},
        "subject": {"reference": "Patient/p"},
        "effectiveDateTime": "2026-09-01",
        "conclusion": "MSI-high on the prior 2020 panel. Current sample: microsatellite stable; TMB 3 mut/Mb.",
    }
    got = read(AS_OF, report)
    assert got.get("msi") == "MSS"
    assert got.get("tmb_per_mb") == 3


# ---------------------------------------------------------------- progression in an assessment's words


def _impression(summary: str, day: str = "2024-06-03", status: str = "completed") -> dict[str, Any]:
    return {
        "resourceType": "ClinicalImpression",
        "id": "ci",
        "status": status,
        "subject": {"reference": "Patient/p"},
        "effectiveDateTime": day,
        "summary": summary,
    }


def _line_end(*resources: dict[str, Any]) -> tuple[str | None, str | None]:
    got = read(
        AS_OF, liver(), _taken("a", "letrozole", "2022-07-01", "2024-06-20", status="stopped"), *resources
    )
    [line] = got["prior_therapies"]
    return line.get("end"), line.get("stop_reason")


@pytest.mark.parametrize(
    "summary",
    [
        "Restaging MRI: a new cerebellar lesion, 6 mm. Plan to change systemic therapy.",
        "CT shows two new hepatic metastases.",
        "Progressive disease per RECIST 1.1.",
    ],
)
def test_an_assessment_saying_the_disease_progressed_dates_a_progression(summary: str) -> None:
    assert _line_end(_impression(summary)) == ("2024-06-20", "progression")


@pytest.mark.parametrize(
    ("summary", "status"),
    [
        ("No new lesions; stable disease.", "completed"),
        ("New sclerotic lesions in the spine, in keeping with healing response.", "completed"),
        ("New lesion in the liver, likely a cyst.", "completed"),
        ("Progressive disease per RECIST 1.1.", "entered-in-error"),
    ],
)
def test_an_assessment_without_progression_dates_none(summary: str, status: str) -> None:
    assert _line_end(_impression(summary, status=status)) == ("2024-06-20", None)


def test_a_disease_status_naming_a_new_site_lesion_is_progression() -> None:
    status = result(
        "ds",
        {"coding": [{"system": LOINC, "code": "97509-4"}]},
        effectiveDateTime="2024-06-03",
        valueString="new right frontal brain lesion on MRI",
    )
    assert _line_end(status) == ("2024-06-20", "progression")


# ---------------------------------------------------------------- a resolved site dates no progression


def _lung(day: str, status: str = "active", **more: Any) -> dict[str, Any]:
    out = condition("m2", {"coding": [{"system": SNOMED, "code": "94391008"}]}, day, **more)
    out["clinicalStatus"] = {"coding": [{"code": status}]}
    return out


@pytest.mark.parametrize(
    ("site", "reason"),
    [
        (_lung("2024-03-01"), "progression"),  # a new site on restaging: progression
        (_lung("2024-03-01", "resolved"), None),  # a resolved entry: no progression dated
        (_lung("2024-03-01", abatementDateTime="2024-09-01"), None),
    ],
)
def test_only_a_site_still_present_dates_a_progression(site: dict[str, Any], reason: str | None) -> None:
    got = read(AS_OF, liver(), site, _taken("a", "letrozole", "2022-07-01", "2024-06-20", status="stopped"))
    [line] = got["prior_therapies"]
    assert line.get("stop_reason") == reason


# ---------------------------------------------------------------- a dispense's supply


def _dispensed(did: str, name: str, day: str, supply: dict[str, Any] | None) -> dict[str, Any]:
    out: dict[str, Any] = {
        "resourceType": "MedicationDispense",
        "id": did,
        "status": "completed",
        "medicationCodeableConcept": {"text": name},
        "subject": {"reference": "Patient/p"},
        "whenHandedOver": day,
    }
    if supply is not None:
        out["daysSupply"] = supply
    return out


@pytest.mark.parametrize(
    ("supply", "end"),
    [
        ({"value": 28, "unit": "days", "code": "d"}, "2023-03-29"),
        ({"value": 4, "unit": "weeks", "code": "wk"}, "2023-03-29"),
        (None, "2023-03-02"),
    ],
)
def test_a_course_is_taken_up_to_its_last_supply(supply: dict[str, Any] | None, end: str) -> None:
    got = read(
        AS_OF,
        liver(),
        _dispensed("d1", "capecitabine", "2023-01-05", supply),
        _dispensed("d2", "capecitabine", "2023-02-02", supply),
        _dispensed("d3", "capecitabine", "2023-03-02", supply),
        _taken("e", "eribulin", "2023-06-01", "2023-10-01", status="completed"),
    )
    first = min(got["prior_therapies"], key=lambda t: t["start"])
    assert first["end"] == end


def test_a_supply_does_not_outlast_a_progression_or_the_next_line() -> None:
    supply = {"value": 28, "unit": "days", "code": "d"}
    progressed = read(
        AS_OF,
        liver(),
        _dispensed("d1", "capecitabine", "2023-01-05", supply),
        _progressed("2023-01-20"),
        _taken("e", "eribulin", "2023-01-25", "2023-10-01", status="completed"),
    )
    first = min(progressed["prior_therapies"], key=lambda t: t["start"])
    assert (first["end"], first["stop_reason"]) == ("2023-01-20", "progression")
    switched = read(
        AS_OF,
        liver(),
        _dispensed("d1", "capecitabine", "2023-01-05", {"value": 90, "unit": "d"}),
        _taken("e", "eribulin", "2023-02-20", "2023-10-01", status="completed"),
    )
    first = min(switched["prior_therapies"], key=lambda t: t["start"])
    assert first["end"] == "2023-02-20"


# ---------------------------------------------------------------- a value only in the narrative; unread shown


def _narrated(code: str, words: str, **more: Any) -> dict[str, Any]:
    return result(
        "nr",
        {"coding": [{"system": LOINC, "code": code}]},
        text={"status": "generated", "div": f'<div xmlns="http://www.w3.org/1999/xhtml">{words}</div>'},
        **more,
    )


def test_a_results_value_written_only_in_its_narrative() -> None:
    assert read(AS_OF, _narrated("16113-3", "<p>PgR: <b>40 %</b> of tumour nuclei</p>"))["tumor"] == {
        "pr_percent": 40
    }
    assert read(AS_OF, _narrated("18474-7", "<p>score 3+, complete membrane staining</p>"))["tumor"] == {
        "her2_ihc": "3+"
    }
    # a value of its own, or a reason it is absent: the narrative is not read
    own = _narrated("16113-3", "<p>PgR 40 %</p>", valueQuantity={"value": 5, "unit": "%"})
    assert read(AS_OF, own)["tumor"] == {"pr_percent": 5}
    absent = _narrated("16113-3", "<p>PgR 40 % on the 2019 block</p>", dataAbsentReason={"text": "not done"})
    assert "tumor" not in read(AS_OF, absent)


def test_an_unreadable_resource_is_named_in_unread() -> None:
    bad = result("b1", {"coding": "not a list"}, valueQuantity={"value": 3})
    ex = extraction(AS_OF, bad)
    [item] = [u for u in ex.unread if u["kind"] == "unreadable_resource"]
    assert item["resource"] == "Observation/b1"
    assert item["reason"].startswith("Observation/b1: ")


# ---------------------------------------------------------------- receptors in other words


def _named(name: str, words: str) -> dict[str, Any]:
    return result("rn", {"text": name}, valueString=words)


@pytest.mark.parametrize(
    ("name", "words", "want"),
    [
        ("Östrogenrezeptor", "positiv, 85 %", {"er_percent": 85}),
        ("Recettori estrogenici", "positivo (60%)", {"er_percent": 60}),
        ("Oestrogeenreceptor", "positief 75%", {"er_percent": 75}),
        ("Østrogenreceptor", "negativ", {"er_status": "negative"}),
        ("Recettori progestinici", "negativo", {"pr_status": "negative"}),
        ("HER2 SISH", "niet geamplificeerd", {"her2_ish": "not_amplified"}),
        ("ERBB2 ISH", "ej amplifierad", {"her2_ish": "not_amplified"}),
        ("HER2 FISH", "amplificeret", {"her2_ish": "amplified"}),
    ],
)
def test_receptor_names_and_ish_words_in_other_languages(name: str, words: str, want: dict[str, Any]) -> None:
    assert read(AS_OF, _named(name, words))["tumor"] == want


@pytest.mark.parametrize(
    ("words", "want"),
    [
        ("ASCO/CAP group 1: ratio 2.6, mean copy number 6.1 per cell", "amplified"),
        ("Group 5 - HER2/CEP17 1,2; HER2 copies 2.9", "not_amplified"),
    ],
)
def test_ish_numbers_each_by_its_name(words: str, want: str) -> None:
    assert read(AS_OF, _named("HER2 dual-probe ISH", words))["tumor"] == {"her2_ish": want}


@pytest.mark.parametrize(
    ("words", "want"),
    [
        ("positive, >10% of nuclei", {"er_status": "positive"}),
        ("positive (>= 5 %)", {"er_status": "positive"}),
        ("> 70 % strong", {"er_percent": 70}),
        ("<1 %", {"er_percent": 0}),
    ],
)
def test_a_more_than_percentage_near_the_low_band_is_a_status(words: str, want: dict[str, Any]) -> None:
    assert read(AS_OF, _named("Estrogen receptor (IHC)", words))["tumor"] == want


# ---------------------------------------------------------------- why a line stopped, in more words


def test_a_stop_and_its_reason_with_a_date_between() -> None:
    note = [{"text": "discontinued on 2024-06-20 owing to radiological disease progression"}]
    got = read(
        AS_OF, liver(), _taken("a", "letrozole", "2022-07-01", "2024-06-20", status="stopped", note=note)
    )
    assert got["prior_therapies"][0]["stop_reason"] == "progression"


@pytest.mark.parametrize(
    ("name", "words"),
    [
        ("Estado de la enfermedad", "progresión hepática"),
        ("Etat de la maladie", "progression osseuse"),
        ("Krankheitsstatus", "progredient, neue Lebermetastasen"),
    ],
)
def test_a_disease_status_named_and_worded_in_another_language(name: str, words: str) -> None:
    status = result("ds", {"text": name}, effectiveDateTime="2024-06-03", valueString=words)
    assert _line_end(status) == ("2024-06-20", "progression")


# ---------------------------------------------------------------- a partner added to a running endocrine line


def _lines_of(*resources: dict[str, Any]) -> list[list[str]]:
    got = read(
        AS_OF, condition("m9", {"coding": [{"system": SNOMED, "code": "94381002"}]}, "2024-01-01"), *resources
    )
    return [sorted(t["drugs"]) for t in sorted(got.get("prior_therapies", []), key=lambda t: t["start"])]


def test_a_partner_added_weeks_after_the_endocrine_drug_is_the_same_line() -> None:
    assert _lines_of(_taken("a", "anastrozole", "2024-01-15"), _taken("b", "abemaciclib", "2024-04-02")) == [
        ["abemaciclib", "anastrozole"]
    ]
    # ovarian suppression begun weeks before the endocrine drug and its partner
    assert _lines_of(
        _taken("g", "leuprolide", "2024-01-08"),
        _taken("a", "exemestane", "2024-03-01"),
        _taken("b", "everolimus", "2024-03-01"),
    ) == [["everolimus", "exemestane", "leuprolide"]]


def test_a_partner_after_a_progression_or_long_after_is_a_new_line() -> None:
    assert _lines_of(
        _taken("a", "anastrozole", "2024-01-15", "2024-05-01", status="stopped"),
        _progressed("2024-05-01"),
        _taken("f", "fulvestrant", "2024-05-10"),
        _taken("b", "alpelisib", "2024-05-10"),
    ) == [["anastrozole"], ["alpelisib", "fulvestrant"]]
    assert (
        len(_lines_of(_taken("a", "anastrozole", "2024-01-15"), _taken("b", "capivasertib", "2025-06-02")))
        == 2
    )
