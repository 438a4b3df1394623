"""Session 11 FHIR readings, each in small bundles of our own (none copied from a blind set):
a regimen written as one record, drug names as other languages spell them, adjuvant endocrine
therapy with its partner, a full endocrine course then extended therapy, a course dated by its
end only, a line progressing while its records say active, a drug carried into the next line's
known regimen, somatic results named in words, counts in words, a receptor's percentage in a
note, a primitive's original text, a tumour type named in a result, and every symptom a
symptom result names."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from ._fhir_builders import LOINC, RXNORM, SNOMED, condition, med, obs, read, statement

AS_OF = dt.date(2026, 11, 1)
LOCAL = "urn:oid:2.16.840.1.113883.3.9999.77"


def lines(*resources: dict[str, Any]) -> list[dict[str, Any]]:
    return read(AS_OF, *resources).get("prior_therapies", [])


def drugs(*resources: dict[str, Any]) -> list[list[str]]:
    return sorted(sorted(t["drugs"]) for t in lines(*resources))


def bone(day: str = "2025-03-01") -> dict[str, Any]:
    return condition("m1", {"coding": [{"system": SNOMED, "code": "94222008"}]}, day)


def liver(day: str = "2024-01-10") -> dict[str, Any]:
    return condition("m2", {"coding": [{"system": SNOMED, "code": "94381002"}]}, day)


def mastectomy(day: str = "2017-05-01") -> dict[str, Any]:
    return {"resourceType": "Procedure", "id": "sx", "status": "completed", "subject": {"reference": "Patient/p"},
            "code": {"coding": [{"system": SNOMED, "code": "172043006"}], "text": "Mastectomy"},
            "performedDateTime": day}  # fmt: skip


def why(text: str) -> dict[str, Any]:
    return {"statusReason": [{"text": text}]}


def worsened(day: str) -> dict[str, Any]:
    return {"resourceType": "Observation", "id": f"ds{day}", "status": "final",
            "code": {"coding": [{"system": LOINC, "code": "97509-4"}]}, "subject": {"reference": "Patient/p"},
            "effectiveDateTime": day,
            "valueCodeableConcept": {"coding": [{"system": SNOMED, "code": "271299001"}]}}  # fmt: skip


def local(oid: str, name: str, day: str = "2026-10-20", **value: Any) -> dict[str, Any]:
    """A result under a local code whose name is its only meaning."""
    return {**obs(oid, oid.upper(), day, system=LOCAL), "code": {"coding": [{"system": LOCAL, "code": oid.upper(),
            "display": name}], "text": name}, **value}  # fmt: skip


# ---------------------------------------------------------------- the drugs of one record


def test_a_record_coded_by_one_drug_whose_words_name_its_regimen_gives_every_drug() -> None:
    rec = statement("r", "3639", "2018-02-01", "2018-07-01",
                    medicationCodeableConcept={"coding": [{"system": RXNORM, "code": "3639"}],
                                               "text": "doxorubicin/cyclophosphamide x4 then paclitaxel x12 (adjuvant)"})  # fmt: skip
    assert drugs(mastectomy(), bone(), rec) == [["cyclophosphamide", "doxorubicin", "paclitaxel"]]
    alone = statement("r", "3639", "2018-02-01", "2018-07-01",
                      medicationCodeableConcept={"coding": [{"system": RXNORM, "code": "3639"}],
                                                 "text": "doxorubicin 60 mg/m2 (adjuvant)"})  # fmt: skip
    assert drugs(mastectomy(), bone(), alone) == [["doxorubicin"]]


def test_drug_names_spelled_as_other_languages_write_them() -> None:
    rec = med("r", "Karboplatin + paklitaksel ukentlig", "2025-04-01", "2025-09-01", "stopped", **why("PD"))
    assert drugs(bone(), rec) == [["carboplatin", "paclitaxel"]]
    thyroid = med("t", "Levotyroksin 50 mikrog", "2024-01-01", None, "active")
    assert "levothyroxine" in read(AS_OF, bone(), thyroid).get("medications", [])


# ---------------------------------------------------------------- courses and lines


def test_an_adjuvant_ai_and_its_partner_begun_together_are_one_course() -> None:
    ai = med("a", "anastrozole (adjuvant)", "2018-01-10", "2021-01-10")
    cdk = med("c", "ribociclib (adjuvant)", "2018-01-10", "2021-01-10")
    assert drugs(mastectomy(), bone(), ai, cdk) == [["anastrozole", "ribociclib"]]


def test_extended_endocrine_therapy_after_a_full_course_is_a_course_of_its_own() -> None:
    serm = med("t", "tamoxifen", "2017-06-01", "2022-06-01")  # five years, completed
    ai = med("l", "letrozole (extended adjuvant)", "2022-06-15", "2024-06-15")
    assert drugs(mastectomy(), bone(), serm, ai) == [["letrozole"], ["tamoxifen"]]


def test_a_course_dated_by_its_end_only_has_no_start() -> None:
    rec = med("r", "epirubicin + cyclophosphamide (adjuvant)", "", "2018-03-01")
    rec["effectivePeriod"] = {"end": "2018-03-01"}
    (got,) = lines(mastectomy(), bone(), rec)
    assert got["end"] == "2018-03-01" and "start" not in got


def test_the_last_line_recorded_active_with_a_progression_found_on_it_stopped_at_progression() -> None:
    ai = med("a", "letrozole", "2025-04-01", None, "active")
    cdk = med("c", "palbociclib", "2025-04-01", None, "active")
    (got,) = lines(bone(), ai, cdk, worsened("2026-09-20"))
    assert got["stop_reason"] == "progression" and "end" not in got
    (still,) = lines(bone(), ai, cdk)
    assert still["stop_reason"] == "ongoing"


def test_a_stop_at_progression_is_not_moved_to_a_later_sites_onset() -> None:
    ai = med("a", "exemestane", "2025-04-01", "2026-08-28", "stopped", **why("PD"))
    new_site = liver("2026-09-10")
    (got,) = lines(bone(), ai, new_site)
    assert got["end"] == "2026-08-28"


def test_an_antibody_going_on_is_carried_into_the_next_lines_known_regimen() -> None:
    taxane = med("d", "docetaxel", "2024-02-01", "2024-06-01", "completed")
    h = med("h", "trastuzumab", "2024-02-01", None, "active")
    p = med("p", "pertuzumab", "2024-02-01", "2025-09-01", "stopped", **why("progression"))
    tuc = med("t", "tucatinib", "2025-09-20", None, "active")
    cap = med("c", "capecitabine", "2025-09-20", None, "active")
    got = sorted(lines(liver(), taxane, h, p, tuc, cap), key=lambda t: t["start"])
    assert [sorted(t["drugs"]) for t in got] == [
        ["docetaxel", "pertuzumab", "trastuzumab"],
        ["capecitabine", "trastuzumab", "tucatinib"],
    ]
    assert got[0]["stop_reason"] == "progression"


# ---------------------------------------------------------------- somatic results in words


def test_genes_named_in_component_words_not_detected_in_other_languages() -> None:
    panel = obs("v", "81247-9", "2026-09-01", valueString="PIK3CA H1047R detected",
                component=[{"code": {"text": "PIK3CA"}, "valueString": "p.(His1047Arg) detected"},
                           {"code": {"text": "ESR1"}, "valueString": "ikke påvist / not detected"},
                           {"code": {"text": "AKT1"}, "valueString": "ikke påvist"}])  # fmt: skip
    got = read(AS_OF, bone(), panel).get("somatic", [])
    assert sorted(got) == ["AKT1 wildtype", "ESR1 wildtype", "PIK3CA H1047R"]
    words = local("ngs", "Plasma ctDNA NGS", valueString="ESR1: 未检出; PTEN: 未检出. TP53 R248Q 检出")
    assert sorted(read(AS_OF, bone(), words).get("somatic", [])) == ["ESR1 wildtype", "PTEN wildtype", "TP53 R248Q"]


def test_a_variant_named_by_its_gene_takes_the_change_its_value_gives() -> None:
    result = local("pik", "PIK3CA (plasma ctDNA)", valueString="p.E545K (c.1633G>A) DETECTED, VAF 4.8%")
    assert read(AS_OF, bone(), result).get("somatic") == ["PIK3CA E545K"]


def test_a_report_named_genomic_in_words_gives_tmb_and_msi() -> None:
    report = {"resourceType": "DiagnosticReport", "id": "g", "status": "final", "subject": {"reference": "Patient/p"},
              "code": {"text": "Liquid biopsy CGP report"}, "effectiveDateTime": "2026-10-01",
              "conclusion": "No reportable alterations. TMB 6 mut/Mb. Microsatellite stable."}  # fmt: skip
    rec = read(AS_OF, bone(), report)
    assert rec.get("tmb_per_mb") == 6 and rec.get("msi") == "MSS"


# ---------------------------------------------------------------- values in words


@pytest.mark.parametrize(
    ("name", "value", "path", "want"),
    [
        ("PLATELET COUNT", "212 x10E3/uL", "platelets_per_ul", 212000),
        ("ABS NEUTROPHILS", "3.9 K/uL", "anc_per_ul", 3900),
        ("NEUTROPHILS, ABSOLUTE", "1.2 10*9/L", "anc_per_ul", 1200),
    ],
)
def test_a_count_in_words_takes_its_unit_from_the_word_after_it(name: str, value: str, path: str, want: int) -> None:
    assert read(AS_OF, bone(), local("lab", name, valueString=value)).get("labs", {}).get(path) == want


def test_a_height_in_words() -> None:
    assert read(AS_OF, local("ht", "HEIGHT", valueString="158 cm")).get("height_cm") == 158


def test_a_receptor_answer_in_words_takes_the_percentage_its_note_gives() -> None:
    er = local("er", "Estrogen Receptor (ER) IHC", valueString="POS",
               note=[{"text": "80% of tumor nuclei, strong intensity."}])  # fmt: skip
    assert read(AS_OF, bone(), er)["tumor"].get("er_percent") == 80
    other = local("er", "Estrogen Receptor (ER) IHC", valueString="POS",
                  note=[{"text": "Tumour cellularity 60%."}])  # fmt: skip
    tumor = read(AS_OF, bone(), other)["tumor"]
    assert tumor.get("er_status") == "positive" and "er_percent" not in tumor


def test_a_value_given_only_as_a_primitives_original_text() -> None:
    ecog = obs("e", "89247-1", "2026-10-20",
               _valueInteger={"extension": [{"url": "http://hl7.org/fhir/StructureDefinition/originalText",
                                             "valueString": "ECOG 2"}]})  # fmt: skip
    assert read(AS_OF, ecog).get("ecog") == 2


def test_a_result_naming_the_tumour_type() -> None:
    hist = local("hist", "Histological type", valueString="Invasive carcinoma of no special type, grade 2")
    assert read(AS_OF, bone(), hist)["tumor"].get("histology") == "ductal"


def test_a_symptom_result_gives_every_symptom_its_words_say_is_there() -> None:
    said = local("sy", "Current symptoms", valueString="dry cough, exertional dyspnoea; no fever")
    got = read(AS_OF, bone(), said).get("symptoms", [])
    assert "dry cough" in got and any("dyspn" in s for s in got) and "fever" not in got
    denied = local("sy", "Current symptoms", valueString="no fever, cough or dyspnoea")
    assert read(AS_OF, bone(), denied).get("symptoms") in (None, [])


@pytest.mark.parametrize(
    ("said", "want"),
    [("MSI-high cannot be excluded; repeat testing advised", None), ("MSI-H possible", None),
     ("Microsatellite stable", "MSS"), ("indeterminate by PCR; MSI-high by NGS", "MSI-H")],
)  # fmt: skip
def test_an_msi_clause_that_only_hedges_gives_no_value(said: str, want: str | None) -> None:
    assert read(AS_OF, bone(), local("msi", "Microsatellite instability", valueString=said)).get("msi") == want


def test_a_narrative_sentence_about_another_course_gives_no_dates() -> None:
    record = {"resourceType": "MedicationStatement", "id": "n", "status": "stopped",
              "text": {"status": "generated", "div": '<div xmlns="http://www.w3.org/1999/xhtml"><p>'
                       "Previously on anastrozole from 2 May 2021 until 5 June 2023. "
                       "Fulvestrant started 10 July 2023; stopped 4 August 2025 for progression.</p></div>"},
              "medicationCodeableConcept": {"text": "endocrine therapy - see narrative"},
              "subject": {"reference": "Patient/p"}}  # fmt: skip
    (got,) = lines(liver("2021-04-01"), record)
    assert got["drugs"] == ["fulvestrant"]
    assert (got["start"], got["end"]) == ("2023-07-10", "2025-08-04")


def test_a_drug_the_words_give_to_another_course_is_not_added_to_the_coded_one() -> None:
    rec = statement("r", "3639", "2018-02-01", "2018-07-01",
                    medicationCodeableConcept={"coding": [{"system": RXNORM, "code": "3639"}],
                                               "text": "doxorubicin (adjuvant), switched from epirubicin"})  # fmt: skip
    assert drugs(mastectomy(), bone(), rec) == [["doxorubicin"]]


@pytest.mark.parametrize(
    ("said", "want"),
    [("tørrhoste, dyspné ved anstrengelse; ingen feber", {"dry cough", "dyspnea on exertion"}),
     ("ingen hoste", set()), ("inte hosta, ingen andfåddhet vid ansträngning", set())],
)  # fmt: skip
def test_nordic_symptom_words_and_their_denials(said: str, want: set[str]) -> None:
    got = read(AS_OF, bone(), local("sy", "Symptomer", valueString=said)).get("symptoms") or []
    assert set(got) == want
