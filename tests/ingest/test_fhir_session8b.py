"""Session 8 (second pass) FHIR readings, each in small bundles of our own (none copied from
a blind set): results named and answered in other languages, stop / maintenance words in other
languages, a line's stop reason, endocrine maintenance added with its GnRH agonist, a line
resumed after a break, a progression date after the last dispense, a genomics conclusion whose
sentences name their origin, a dated mention of the primary in a result's note, secondary
neoplasms named in other languages."""

from __future__ import annotations

import datetime as dt
from typing import Any

from ._fhir_builders import LOINC, SNOMED, condition, given, med, read

AS_OF = dt.date(2026, 11, 1)


def named(oid: str, name: str, day: str = "2026-10-01", **value: Any) -> dict[str, Any]:
    """An Observation known only by its name (code.text), as producers without LOINC write it."""
    return {"resourceType": "Observation", "id": oid, "status": "final", "code": {"text": name},
            "subject": {"reference": "Patient/p"}, "effectiveDateTime": day, **value}  # fmt: skip


def qty(value: float, unit: str, high: float | None = None) -> dict[str, Any]:
    got: dict[str, Any] = {"valueQuantity": {"value": value, "unit": unit, "code": unit,
                                             "system": "http://unitsofmeasure.org"}}  # fmt: skip
    if high is not None:
        got["referenceRange"] = [{"high": {"value": high, "unit": unit}}]
    return got




def dispensed(mid: str, name: str, day: str) -> dict[str, Any]:
    return {"resourceType": "MedicationDispense", "id": mid, "status": "completed",
            "medicationCodeableConcept": {"text": name}, "subject": {"reference": "Patient/p"},
            "whenHandedOver": day}  # fmt: skip


def why(text: str) -> dict[str, Any]:
    return {"statusReason": [{"text": text}]}


def liver(day: str = "2024-01-10") -> dict[str, Any]:
    return condition("m1", {"coding": [{"system": SNOMED, "code": "94381002"}]}, day)


def worsened(day: str) -> dict[str, Any]:
    return {"resourceType": "Observation", "id": f"ds{day}", "status": "final",
            "code": {"coding": [{"system": LOINC, "code": "97509-4"}]}, "subject": {"reference": "Patient/p"},
            "effectiveDateTime": day,
            "valueCodeableConcept": {"coding": [{"system": SNOMED, "code": "271299001"}]}}  # fmt: skip


def lines(*resources: dict[str, Any]) -> list[dict[str, Any]]:
    return sorted(read(AS_OF, *resources).get("prior_therapies", []), key=lambda t: t["start"])


# ---------------------------------------------------------------- other languages


def test_results_named_and_answered_in_french_and_german_are_read() -> None:
    rec = read(
        AS_OF,
        named("er", "Récepteurs aux oestrogènes (IHC)", valueString="Positif (80 %)"),
        named("pr", "Progesteronrezeptor", valueString="negativ"),
        named("h2", "HER2 immunohistochimie", valueString="2+ (équivoque)"),
        named("ish", "HER2 hybridation in situ", valueString="non amplifié (ratio 1,3)"),
        named("wt", "Poids", **qty(58.2, "kg")),
        named("ht", "Taille", **qty(162, "cm")),
        named("plt", "Plaquettes", **qty(240, "10*9/L")),
        named("ca", "Calcémie", **qty(2.40, "mmol/L")),
        named("alb", "Albumine sérique", **qty(38, "g/L")),
        named("bil", "Bilirubine totale", **qty(10, "umol/L", high=20)),
        named("ef", "FEVG (échographie)", **qty(61, "%")),
        named("meno", "Statut ménopausique", valueString="post-ménopausée"),
    )
    tumor = rec["tumor"]
    assert tumor["er_percent"] == 80
    assert tumor.get("pr_status") == "negative" or tumor.get("pr_percent") == 0
    assert (tumor["her2_ihc"], tumor["her2_ish"]) == ("2+", "not_amplified")
    assert rec["weight_kg"] == 58.2 and rec["height_cm"] == 162 and rec["lvef_percent"] == 61
    labs = rec["labs"]
    assert labs["platelets_per_ul"] == 240000 and labs["albumin_g_dl"] == 3.8
    assert abs(labs["calcium_mg_dl"] - 9.62) < 0.01 and abs(labs["bilirubin_x_uln"] - 0.5) < 0.01
    assert rec["menopausal_status"] == "postmenopausal"


def test_a_weight_loss_in_another_language_is_not_a_weight() -> None:
    rec = read(AS_OF, named("wl", "Pérdida de peso (6 meses)", **qty(4, "kg")))
    assert "weight_kg" not in rec


def test_a_secondary_neoplasm_named_in_spanish_is_a_site() -> None:
    pleura = condition("m2", {"text": "Neoplasia maligna secundaria de pleura"}, "2025-03-01")
    bone = condition("m3", {"text": "Métastases osseuses (rachis)"}, "2025-03-01")
    assert sorted(read(AS_OF, pleura, bone)["metastases"]["sites"]) == ["bone", "pleura"]


def test_stop_words_in_other_languages() -> None:
    t = lines(
        liver(), med("x", "capecitabine", "2024-02-01", "2024-09-01", "stopped", **why("recaída hepática"))
    )
    assert t[0]["stop_reason"] == "progression"
    t = lines(
        liver(),
        med("x", "capecitabine", "2024-02-01", "2024-09-01", "stopped", **why("toxicidad cutánea G3")),
    )
    assert t[0]["stop_reason"] == "toxicity"


# ---------------------------------------------------------------- lines


def test_endocrine_maintenance_added_with_its_gnrh_agonist_joins_the_running_line() -> None:
    """A taxane with the HER2 antibodies, then a SERM and a GnRH agonist added together while
    the antibodies go on, no words: one line, ended at the antibodies' progression."""
    recs = [
        liver(),
        med("t", "paclitaxel", "2024-02-01", "2024-06-01", "completed", **why("12 weekly doses completed")),
        med("h", "trastuzumab", "2024-02-01", "2026-03-01", "stopped", **why("PD")),
        med("p", "pertuzumab", "2024-02-01", "2026-03-01", "stopped", **why("PD")),
        med("a", "tamoxifen", "2024-07-01", "2026-03-01", "stopped", **why("PD")),
        med("g", "leuprolide", "2024-07-01", "2026-03-01", "stopped", **why("PD")),
    ]
    got = lines(*recs)
    assert [sorted(t["drugs"]) for t in got] == [
        ["leuprolide", "paclitaxel", "pertuzumab", "tamoxifen", "trastuzumab"]
    ]
    assert got[0]["stop_reason"] == "progression"  # the drugs that stopped last, not the taxane


def test_an_ai_beside_an_older_running_ai_is_still_not_maintenance() -> None:
    """The guard of the first pass: a drug of a kind the line already ran from its start is
    not an addition (a stale active record), ovarian suppression or not."""
    recs = [
        liver(),
        med("l", "letrozole", "2024-02-01", None, "active"),
        med("r", "ribociclib", "2024-02-01", "2025-05-01", "stopped", **why("PD")),
        med("e", "exemestane", "2025-05-20", "2026-01-01", "stopped", **why("PD")),
    ]
    assert len(lines(*recs)) == 2


def test_a_line_resumed_after_a_break_without_progression_is_one_line() -> None:
    doses = [given("e1", "eribulin", "2025-01-10"), given("e2", "eribulin", "2025-03-01"),
             given("e3", "eribulin", "2025-10-01")]  # fmt: skip
    got = lines(liver(), *doses)
    assert len(got) == 1 and (got[0]["start"], got[0]["end"]) == ("2025-01-10", "2025-10-01")
    assert len(lines(liver(), *doses, worsened("2025-06-15"))) == 2  # a progression between: two
    first = med("c1", "eribulin", "2025-01-10", "2025-04-01", **why("6 cycles completed"))
    again = med("c2", "eribulin", "2025-10-01", "2026-01-01", "stopped", **why("PD"))
    assert len(lines(liver(), first, again)) == 2  # a completed course given again: a re-challenge


def test_a_line_stopped_at_progression_ends_on_the_progression_after_its_last_dispense() -> None:
    recs = [
        liver(),
        med("o", "alpelisib", "2025-01-10", "2025-08-01", "stopped", **why("disease progression")),
        dispensed("d1", "alpelisib", "2025-01-10"),
        dispensed("d2", "alpelisib", "2025-08-01"),
    ]
    assert lines(*recs, worsened("2025-09-12"))[0]["end"] == "2025-09-12"
    nxt = med("n", "eribulin", "2025-08-20", "2026-01-01", "stopped", **why("PD"))
    assert lines(*recs, nxt, worsened("2025-09-12"))[0]["end"] == "2025-08-01"  # next line began first
    doses = [given("x1", "eribulin", "2025-01-10"), given("x2", "eribulin", "2025-08-01")]
    stopped = {**given("x3", "eribulin", "2025-09-12"), "status": "not-done",
               "statusReason": {"text": "held - scan shows progression"}}  # fmt: skip
    assert lines(liver(), *doses, stopped)[0]["end"] == "2025-08-01"  # doses given: the last dose


# ---------------------------------------------------------------- genomics, receptors


def test_a_conclusion_whose_sentences_name_their_origin() -> None:
    report = {"resourceType": "DiagnosticReport", "id": "g", "status": "final",
              "code": {"coding": [{"system": LOINC, "code": "81247-9"}]}, "subject": {"reference": "Patient/p"},
              "effectiveDateTime": "2026-09-01",
              "conclusion": "Tumour tissue: PIK3CA E545K detected. Germline: no pathogenic variant; ATM VUS."}  # fmt: skip
    rec = read(AS_OF, report)
    assert rec.get("germline") == []
    assert rec["somatic"] == ["PIK3CA E545K"]


def test_a_dated_mention_of_the_primary_in_a_note_is_not_the_results_tissue() -> None:
    er = named("er", "Estrogen receptor", valueQuantity={"value": 70, "unit": "%"},
               note=[{"text": "Core biopsy, left upper lobe mass. 2019 primary: ER 90%, PR 60%"}])  # fmt: skip
    rec = read(AS_OF, liver("2026-08-01"), er)
    assert rec["tumor"]["er_percent"] == 70 and rec["tumor"]["receptor_source"] == "metastasis"


def test_brain_metastases_whose_symptoms_are_said_resolved_are_asymptomatic() -> None:
    icd = "http://hl7.org/fhir/sid/icd-10-cm"
    brain = condition("b", {"coding": [{"system": icd, "code": "C79.31"}]}, "2026-05-01",
                      note=[{"text": "seizure at diagnosis; WBRT 06/2026; seizures have resolved, neurologically intact"}])  # fmt: skip
    assert read(AS_OF, brain)["metastases"]["brain"]["symptomatic"] is False
    still = condition("b", {"coding": [{"system": icd, "code": "C79.31"}]}, "2026-05-01",
                      note=[{"text": "seizures resolved on levetiracetam; new headaches this week"}])  # fmt: skip
    assert read(AS_OF, still)["metastases"].get("brain", {}).get("symptomatic") is not False


def test_a_symptom_observation_named_in_another_language_is_read_in_its_words() -> None:
    got = read(AS_OF, named("s", "Síntoma", valueString="disnea de esfuerzo; sin dolor torácico"))
    assert got.get("symptoms") == ["dyspnea on exertion"]
    denied = read(AS_OF, named("s", "Symptôme", valueString="pas de dyspnée d'effort"))
    assert "symptoms" not in denied
