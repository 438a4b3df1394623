"""Session 13, FHIR as producers not yet in any benchmark set write it, in small bundles of
our own (none copied from a set): ICD-10 named by other languages (CIM-10 France, CIE-10
Spain, CID-10 Brazil); menopausal status in Portuguese, Japanese and as a "menstrual history";
a stop note naming the toxicity or written in another language; planned cycles completed;
germline results negative in other languages and a germline VUS; co-medications coded only in
ATC (Brazilian, Dutch, German producers); a drug name with a Romance final vowel; the tissue
named in a result's display; a brain procedure still in preparation; an M category and a stage
group under local codes (OMOP-on-FHIR, ISiK); a transaction bundle."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from mbc.ingest import extract

from ._fhir_builders import ATC, LOINC, SNOMED, comp, condition, obs, read, statement

AS_OF = dt.date(2026, 11, 20)
BREAST = {"coding": [{"system": SNOMED, "code": "254837009", "display": "Malignant neoplasm of breast"}]}
PRIMARY = condition("c1", BREAST, "2020-02-10")
PACLITAXEL, CARBOPLATIN = "56946", "40048"


def local_obs(oid: str, name: str, day: str = "2026-11-02", **value: Any) -> dict[str, Any]:
    """An Observation under a local (OMOP-style) code known by its name only."""
    code = {"coding": [{"system": "https://omop.example.org/concept", "code": "2000" + oid, "display": name}], "text": name}
    return {"resourceType": "Observation", "id": oid, "status": "final", "code": code,
            "subject": {"reference": "Patient/p"}, "effectiveDateTime": day, **value}  # fmt: skip


def atc_statement(sid: str, code: str, words: str, start: str, status: str = "active") -> dict[str, Any]:
    concept = {"coding": [{"system": ATC, "code": code, "display": words}], "text": words}
    return {"resourceType": "MedicationStatement", "id": sid, "status": status, "medicationCodeableConcept": concept,
            "subject": {"reference": "Patient/p"}, "effectivePeriod": {"start": start}}  # fmt: skip


# --- ICD-10 under other languages' names ------------------------------------------------------


@pytest.mark.parametrize(
    ("system", "code", "site"),
    [("https://smt.esante.gouv.fr/terminologie-cim-10/", "C78.7", "liver"),
     ("http://terminologias.sanidad.example.es/CodeSystem/cie-10-es", "C79.51", "bone"),
     ("http://www.saude.gov.br/fhir/r4/CodeSystem/BRCID10", "C77.1", "distant_lymph_nodes")],
)  # fmt: skip
def test_icd10_named_in_another_language_gives_the_site(system: str, code: str, site: str) -> None:
    sec = condition("m1", {"coding": [{"system": system, "code": code}]}, "2026-10-01")
    assert site in read(AS_OF, PRIMARY, sec)["metastases"]["sites"]


@pytest.mark.parametrize(("code", "site"), [("C79.5", "bone"), ("C79.3", "brain"), ("C79.32", "leptomeninges")])
def test_a_four_character_who_icd10_code_gives_the_site(code: str, site: str) -> None:
    sec = condition("m1", {"coding": [{"system": "http://fhir.de/CodeSystem/bfarm/icd-10-gm", "code": code}]}, "2026-10-01")
    assert read(AS_OF, PRIMARY, sec)["metastases"]["sites"] == [site]


def test_a_system_naming_the_procedure_edition_is_still_not_read_as_a_diagnosis() -> None:
    proc = condition("m1", {"coding": [{"system": "http://example.org/cim-10-pcs", "code": "C78.7"}]}, "2026-10-01")
    assert "liver" not in (read(AS_OF, PRIMARY, proc).get("metastases") or {}).get("sites", [])


# --- menopausal status ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "said", "status"),
    [("Situação menopausal", "Pós-menopausa desde 2018", "postmenopausal"),
     ("閉経状況", "閉経後", "postmenopausal"),
     ("閉経状況", "閉経前（月経周期は規則的）", "premenopausal"),
     ("Menstrual history", "Cycles every 28 days, last period two weeks ago; premenopausal", "premenopausal")],
)  # fmt: skip
def test_menopausal_status_in_other_words(name: str, said: str, status: str) -> None:
    assert read(AS_OF, PRIMARY, local_obs("mn", name, valueString=said)).get("menopausal_status") == status


# --- why a course stopped ---------------------------------------------------------------------


def _early(note: str) -> dict[str, Any]:
    return read(
        AS_OF, PRIMARY, condition("m1", {"coding": [{"system": SNOMED, "code": "94222008"}]}, "2026-09-01"),
        statement("s1", PACLITAXEL, "2020-04-01", "2020-06-10", note=[{"text": note}],
                  category={"text": "adjuvant"}),
    )["prior_therapies"][0]  # fmt: skip


@pytest.mark.parametrize(
    "note",
    ["Weekly course ended after 8 of 12 doses: stopped for grade 3 sensory neuropathy",
     "suspendido por neutropenia febril", "abgebrochen wegen Thrombozytopenie Grad 3",
     "interrompu pour toxicité hépatique"],
)  # fmt: skip
def test_a_stop_note_naming_the_toxicity_is_toxicity(note: str) -> None:
    assert _early(note)["stop_reason"] == "toxicity"


def test_a_completed_status_without_a_named_toxicity_stays_completed() -> None:
    assert _early("12 weekly doses given, tolerated well")["stop_reason"] == "completed"


@pytest.mark.parametrize("note", ["6 cycles completed, then a treatment break", "6 Zyklen abgeschlossen", "6 ciclos completados"])
def test_a_metastatic_course_said_to_have_run_its_cycles_is_completed(note: str) -> None:
    line = read(
        AS_OF, PRIMARY, condition("m1", {"coding": [{"system": SNOMED, "code": "94381002"}]}, "2024-12-01"),
        statement("s1", CARBOPLATIN, "2025-01-10", "2025-05-20", note=[{"text": note}]),
    )["prior_therapies"][0]  # fmt: skip
    assert (line["setting"], line["stop_reason"]) == ("metastatic", "completed")


# --- germline results -------------------------------------------------------------------------


def _germline(words: str, *parts: dict[str, Any]) -> Any:
    germ = comp("48002-0", valueCodeableConcept={"coding": [{"system": LOINC, "code": "LA6683-2"}]})
    variant = obs("g1", "81247-9", "2025-03-01", valueCodeableConcept={"text": words}, component=[germ, *parts])
    return read(AS_OF, PRIMARY, variant).get("germline")


@pytest.mark.parametrize(
    "words",
    ["Nessuna variante patogenetica rilevata in BRCA1 e BRCA2",
     "Aucune variation pathogène détectée dans BRCA1 ni BRCA2",
     "Sin variantes patogénicas en BRCA1/BRCA2",
     "Geen pathogene variant aangetoond in BRCA1, BRCA2 en PALB2"],
)  # fmt: skip
def test_a_germline_panel_negative_in_another_language_is_tested_negative(words: str) -> None:
    assert _germline(words) == []


def test_a_germline_vus_says_tested_with_nothing_pathogenic() -> None:
    gene = comp("48018-6", valueCodeableConcept={"coding": [{"system": "http://www.genenames.org/geneId",
                                                             "code": "HGNC:1100", "display": "BRCA1"}]})  # fmt: skip
    vus = comp("53037-8", valueCodeableConcept={"coding": [{"system": LOINC, "code": "LA26333-7",
                                                            "display": "Uncertain significance"}]})  # fmt: skip
    assert _germline("BRCA1 Variante unklarer Signifikanz (Klasse 3)", gene, vus) == []


def test_a_germline_pathogenic_variant_in_words_is_still_read() -> None:
    assert _germline("Variante patogenetica identificata in BRCA2 (c.5946delT)") != []


# --- co-medications in ATC and other spellings ------------------------------------------------


@pytest.mark.parametrize(
    ("code", "words", "names"),
    [("C09CA01", "losartana potássica 50 mg", {"losartan"}),
     ("N02AA01", "Morfin Tropfen", {"morphine"}),
     ("A12AX", "CALCIUMCARBONAAT/COLECALCIFEROL 1,25G/880IE", {"calcium carbonate", "cholecalciferol"}),
     ("C07AB07", "Bisoprololfumarat 2,5 mg", {"bisoprolol"})],
)  # fmt: skip
def test_a_comedication_coded_in_atc_alone_is_read(code: str, words: str, names: set[str]) -> None:
    got = set(read(AS_OF, PRIMARY, atc_statement("a1", code, words, "2025-01-01")).get("medications") or [])
    assert names <= got


def test_an_atc_code_no_list_knows_gives_no_listed_drug() -> None:
    got = read(AS_OF, PRIMARY, atc_statement("a1", "C09CA99", "Zorbatan 5 mg", "2025-01-01")).get("medications") or []
    assert "losartan" not in got and "bisoprolol" not in got


def test_a_drug_name_with_a_final_vowel_is_read_as_the_name_it_spells() -> None:
    concept = {"text": "Morfina 10 mg VO se necessário"}
    ms = {"resourceType": "MedicationStatement", "id": "m1", "status": "active", "medicationCodeableConcept": concept,
          "subject": {"reference": "Patient/p"}, "effectivePeriod": {"start": "2026-10-01"}}  # fmt: skip
    assert "morphine" in (read(AS_OF, PRIMARY, ms).get("medications") or [])


# --- the tissue a receptor result was read on -------------------------------------------------


def test_a_receptor_result_whose_display_names_a_metastatic_site_is_from_a_metastasis() -> None:
    er = {"resourceType": "Observation", "id": "er", "status": "final", "subject": {"reference": "Patient/p"},
          "code": {"coding": [{"system": LOINC, "code": "85329-1", "display": "ER % (pleural fluid cell block)"}]},
          "effectiveDateTime": "2026-10-20", "valueQuantity": {"value": 70, "unit": "%"}}  # fmt: skip
    assert read(AS_OF, PRIMARY, er)["tumor"]["receptor_source"] == "metastasis"


def test_a_standard_display_names_no_tissue() -> None:
    er = {"resourceType": "Observation", "id": "er", "status": "final", "subject": {"reference": "Patient/p"},
          "code": {"coding": [{"system": LOINC, "code": "85329-1", "display": "Cells.estrogen receptor/100 cells "
                                                                             "in Breast cancer specimen by Immune stain"}]},
          "effectiveDateTime": "2026-10-20", "valueQuantity": {"value": 70, "unit": "%"}}  # fmt: skip
    assert read(AS_OF, PRIMARY, er)["tumor"].get("receptor_source") != "metastasis"


# --- a brain procedure not done yet -----------------------------------------------------------


def _brain(status: str) -> dict[str, Any]:
    brain = condition("b1", {"coding": [{"system": SNOMED, "code": "94225005"}]}, "2026-11-01")
    proc = {"resourceType": "Procedure", "id": "p1", "status": status, "subject": {"reference": "Patient/p"},
            "code": {"text": "Whole-brain radiotherapy 30 Gy/10 - planning CT booked"},
            **({"performedDateTime": "2026-11-10"} if status == "completed" else {})}  # fmt: skip
    return read(AS_OF, PRIMARY, brain, proc)["metastases"]["brain"]


def test_a_brain_procedure_in_preparation_is_not_a_local_treatment() -> None:
    assert _brain("preparation").get("locally_treated") is False


def test_a_completed_brain_procedure_is_a_local_treatment() -> None:
    assert _brain("completed").get("locally_treated") is True


# --- staging under a local code ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "value"),
    [("Distant metastases (M)", {"valueCodeableConcept": {"text": "cM1 (oss)"}}),
     ("M-Kategorie", {"valueString": "cM1b"}),
     ("TNM stage group", {"valueCodeableConcept": {"text": "IV"}}),
     ("Stadium (UICC)", {"valueString": "UICC IV"})],
)  # fmt: skip
def test_staging_under_a_local_code_dates_the_metastatic_disease(name: str, value: dict[str, Any]) -> None:
    stage = local_obs("st", name, "2020-02-12", **value)
    later = statement("s1", PACLITAXEL, "2020-03-01", "2020-08-01")
    line = read(AS_OF, PRIMARY, stage, later)["prior_therapies"][0]
    assert line["setting"] == "metastatic"


@pytest.mark.parametrize(("name", "value"), [("Distant metastases (M)", "cM0"), ("TNM stage group", "IIB")])
def test_an_early_local_stage_dates_nothing(name: str, value: str) -> None:
    record = read(AS_OF, PRIMARY, local_obs("st", name, "2020-02-12", valueString=value))
    assert record.get("presentation") != "de_novo"


# --- bundle shapes ----------------------------------------------------------------------------


def test_a_transaction_bundle_reads_as_a_collection() -> None:
    sec = condition("m1", {"coding": [{"system": SNOMED, "code": "94381002"}]}, "2026-10-01")
    patient = {"resourceType": "Patient", "id": "p", "gender": "female", "birthDate": "1970-01-01"}
    entries = [{"fullUrl": f"urn:uuid:0000000{i}-0000-4000-8000-000000000000", "resource": r,
                "request": {"method": "POST", "url": r["resourceType"]}} for i, r in enumerate((patient, PRIMARY, sec))]  # fmt: skip
    bundle = {"resourceType": "Bundle", "type": "transaction", "entry": entries}
    assert "liver" in extract(bundle, as_of=AS_OF).record["metastases"]["sites"]


# --- OMOP-on-FHIR: local concept ids with their names -----------------------------------------

OMOP = "https://fhir.omop.example.org/CodeSystem/concept"


def test_an_omop_bundle_is_read_by_its_concept_names() -> None:
    primary = condition("c1", {"coding": [{"system": OMOP, "code": "101", "display": "Malignant tumor of female breast"}]},
                        "2020-01-15")  # fmt: skip
    liver = condition("m1", {"coding": [{"system": OMOP, "code": "102", "display": "Secondary malignant neoplasm of liver"}]},
                      "2026-09-01")  # fmt: skip
    record = read(AS_OF, primary, liver)
    assert record["metastases"]["sites"] == ["liver"]
    assert record["presentation"] == "recurrence"


def test_a_benign_breast_tumour_is_not_the_cancer() -> None:
    benign = condition("c1", {"coding": [{"system": OMOP, "code": "103", "display": "Benign tumor of breast"}]}, "2020-01-15")
    assert read(AS_OF, benign).get("presentation") is None


# --- German MII / oBDS: a TNM category coded by its bare symbol --------------------------------

UICC = "https://www.uicc.org/resources/tnm"


@pytest.mark.parametrize(("symbol", "metastatic"), [("1", True), ("1b", True), ("0", False), ("X", False)])
def test_an_m_category_coded_by_its_bare_uicc_symbol(symbol: str, metastatic: bool) -> None:
    m = obs("m", "21907-1", "2020-01-20", valueCodeableConcept={"coding": [{"system": UICC, "code": symbol}]})
    line = read(AS_OF, PRIMARY, m, statement("s1", PACLITAXEL, "2020-02-01", "2020-06-01"))["prior_therapies"][0]
    assert (line.get("setting") == "metastatic") is metastatic
