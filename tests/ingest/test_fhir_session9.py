"""Session 9 FHIR readings, each in small bundles of our own (none copied from a blind set):
the one rule-driven merge of placed lines (an early chain that stops at an anti-HER2 part, a
metastatic line going on with some of its drugs after a break), and the shapes other producers
use."""

from __future__ import annotations

import datetime as dt
from typing import Any

from ._fhir_builders import LOINC, RXNORM, SNOMED, condition, extraction, given, med, obs, read

AS_OF = dt.date(2026, 11, 1)


def liver(day: str = "2024-01-10") -> dict[str, Any]:
    return condition("m1", {"coding": [{"system": SNOMED, "code": "94381002"}]}, day)


def lines(*resources: dict[str, Any]) -> list[dict[str, Any]]:
    return sorted(read(AS_OF, *resources).get("prior_therapies", []), key=lambda t: t["start"])


def adjuvant(mid: str, name: str, start: str, end: str) -> dict[str, Any]:
    return med(mid, name, start, end, category={"text": "adjuvant"})


# ---------------------------------------------------------------- early chains


def test_chain_of_chemotherapy_only_is_one_course() -> None:
    got = lines(
        adjuvant("a", "doxorubicin", "2019-02-01", "2019-04-01"),
        adjuvant("b", "cyclophosphamide", "2019-02-01", "2019-04-01"),
        adjuvant("c", "docetaxel", "2019-04-20", "2019-07-01"),
        liver(),
    )
    assert [sorted(t["drugs"]) for t in got] == [["cyclophosphamide", "docetaxel", "doxorubicin"]]


def test_chain_stops_where_an_anti_her2_antibody_begins() -> None:
    """EC, then a taxane with an anti-HER2 antibody: two regimens as written, the antibody
    part not absorbed into the anthracycline course (nor the anthracycline into it)."""
    for antibody in ("trastuzumab", "pertuzumab"):
        got = lines(
            adjuvant("a", "epirubicin", "2019-02-01", "2019-04-01"),
            adjuvant("b", "cyclophosphamide", "2019-02-01", "2019-04-01"),
            adjuvant("c", "docetaxel", "2019-04-20", "2019-07-01"),
            adjuvant("d", antibody, "2019-04-20", "2020-03-01"),
            liver(),
        )
        assert [sorted(t["drugs"]) for t in got] == [
            ["cyclophosphamide", "epirubicin"],
            sorted(["docetaxel", antibody]),
        ]
        assert [t["setting"] for t in got] == ["adjuvant", "adjuvant"]


# ---------------------------------------------------------------- a line going on after a break


def test_line_continued_with_some_of_its_drugs_after_a_break_is_one_line() -> None:
    """Taxane + two antibodies given together, the taxane stopped, the antibodies recorded
    again months later with no progression between: one line (the antibodies went on)."""
    got = lines(
        liver("2023-01-05"),
        given("t1", "docetaxel", "2023-01-20"),
        given("t2", "docetaxel", "2023-03-03"),
        given("t3", "docetaxel", "2023-05-05"),
        given("h1", "trastuzumab", "2023-01-20"),
        given("p1", "pertuzumab", "2023-01-20"),
        given("h2", "trastuzumab", "2023-09-15"),
        given("p2", "pertuzumab", "2023-09-15"),
        given("h3", "trastuzumab", "2024-07-01"),
        given("p3", "pertuzumab", "2024-07-01"),
        given("e1", "eribulin", "2024-09-01"),
    )
    assert [sorted(t["drugs"]) for t in got] == [
        ["docetaxel", "pertuzumab", "trastuzumab"],
        ["eribulin"],
    ]
    assert got[0]["end"] == "2024-07-01"


def test_line_with_some_drugs_after_progression_is_a_new_line() -> None:
    """The same shape with a progression between (a disease status saying so): two lines."""
    progressed = {"resourceType": "Observation", "id": "ds", "status": "final",
                  "code": {"coding": [{"system": "http://loinc.org", "code": "97509-4"}]},
                  "subject": {"reference": "Patient/p"}, "effectiveDateTime": "2023-07-01",
                  "valueCodeableConcept": {"coding": [{"system": SNOMED, "code": "271299001"}]}}  # fmt: skip
    got = lines(
        liver("2023-01-05"),
        progressed,
        given("t1", "paclitaxel", "2023-01-20"),
        given("t2", "paclitaxel", "2023-05-05"),
        given("h1", "trastuzumab", "2023-01-20"),
        given("h2", "trastuzumab", "2023-09-15"),
    )
    assert len(got) == 2


def test_a_partner_given_again_a_year_and_more_later_is_a_new_line() -> None:
    """Beyond ``resume_subset_days`` a drug of the earlier line given alone is a new line."""
    got = lines(
        liver("2022-01-05"),
        given("c1", "capecitabine", "2022-01-20"),
        given("v1", "vinorelbine", "2022-01-20"),
        given("c2", "capecitabine", "2022-04-01"),
        given("v2", "vinorelbine", "2022-04-01"),
        given("c3", "capecitabine", "2023-09-01"),
    )
    assert len(got) == 2


# ---------------------------------------------------------------- a new site dates a progression


def brain(day: str) -> dict[str, Any]:
    return condition("m2", {"coding": [{"system": SNOMED, "code": "94225005"}]}, day)


def test_a_site_found_months_after_the_metastatic_diagnosis_stops_the_line_at_progression() -> None:
    got = lines(
        liver("2024-01-10"),
        brain("2025-06-20"),
        given("e1", "eribulin", "2024-02-01"),
        given("e2", "eribulin", "2025-06-01"),
    )
    assert got[0]["stop_reason"] == "progression"


def test_sites_found_together_at_the_diagnosis_are_no_progression() -> None:
    got = lines(
        liver("2024-01-10"),
        brain("2024-01-20"),
        given("e1", "eribulin", "2024-02-01"),
        given("e2", "eribulin", "2024-05-01"),
    )
    assert "stop_reason" not in got[0]


# ---------------------------------------------------------------- orders are not things done


def service(sid: str, text: str, status: str = "active", **more: Any) -> dict[str, Any]:
    return {"resourceType": "ServiceRequest", "id": sid, "status": status, "intent": "order",
            "code": {"text": text}, "subject": {"reference": "Patient/p"}, **more}  # fmt: skip


def test_brain_radiosurgery_only_ordered_is_not_local_treatment() -> None:
    for words in ("Stereotactic radiosurgery to 3 brain lesions", "SRS booked", "Whole-brain RT"):
        got = read(AS_OF, liver(), brain("2026-09-01"), service("s", words))
        assert got["metastases"]["brain"]["locally_treated"] is False, words


def test_brain_radiosurgery_done_beats_the_order_and_no_brain_site_says_nothing() -> None:
    done = {"resourceType": "Procedure", "id": "pr", "status": "completed",
            "code": {"text": "Gamma knife radiosurgery, brain"}, "subject": {"reference": "Patient/p"},
            "performedDateTime": "2026-10-01"}  # fmt: skip
    got = read(AS_OF, liver(), brain("2026-09-01"), done, service("s", "SRS to brain lesions"))
    assert got["metastases"]["brain"]["locally_treated"] is True
    got = read(AS_OF, liver(), service("s", "SRS to brain lesions"))
    assert "locally_treated" not in (got.get("metastases") or {}).get("brain", {})
    for status in ("completed", "revoked", "entered-in-error"):  # not an open order: nothing said
        got = read(AS_OF, liver(), brain("2026-09-01"), service("s", "SRS to brain lesions", status))
        assert "locally_treated" not in (got.get("metastases") or {}).get("brain", {}), status
    got = read(AS_OF, liver(), brain("2026-09-01"), service("s", "MDT review: new brain metastases"))
    assert "locally_treated" not in (got.get("metastases") or {}).get("brain", {})


# ---------------------------------------------------------------- a line's end at progression


def progressed(day: str) -> dict[str, Any]:
    return {"resourceType": "Observation", "id": f"ds{day}", "status": "final",
            "code": {"coding": [{"system": LOINC, "code": "97509-4"}]}, "subject": {"reference": "Patient/p"},
            "effectiveDateTime": day,
            "valueCodeableConcept": {"coding": [{"system": SNOMED, "code": "271299001"}]}}  # fmt: skip


def order(rid: str, name: str, authored: str, reason: str) -> dict[str, Any]:
    return {"resourceType": "MedicationRequest", "id": rid, "status": "stopped", "intent": "order",
            "medicationCodeableConcept": {"text": name}, "subject": {"reference": "Patient/p"},
            "authoredOn": authored, "statusReason": {"text": reason}}  # fmt: skip


def test_a_line_given_by_administrations_ends_on_its_last_dose_though_ordered() -> None:
    """The order stopped at progression and the doses given on it: the last dose is the end,
    not the later scan's date."""
    got = lines(
        liver("2025-01-05"),
        order("o1", "eribulin", "2025-01-20", "progressive disease"),
        *(
            {**given(f"a{i}", "eribulin", day), "request": {"reference": "MedicationRequest/o1"}}
            for i, day in enumerate(("2025-02-01", "2025-04-01", "2025-06-10"))
        ),
        progressed("2025-07-02"),
    )
    assert got[0]["end"] == "2025-06-10" and got[0]["stop_reason"] == "progression"


def test_an_oral_line_beside_injected_suppression_ends_at_the_progression() -> None:
    """The oral drugs known by statements, the GnRH agonist by its injections: the oral drugs
    stopped last, so the progression recorded after them is the end."""
    got = lines(
        liver("2025-01-05"),
        med(
            "s1",
            "letrozole",
            "2025-01-20",
            "2025-06-01",
            status="stopped",
            statusReason=[{"text": "progression"}],
        ),
        med(
            "s2",
            "palbociclib",
            "2025-01-20",
            "2025-06-01",
            status="stopped",
            statusReason=[{"text": "progression"}],
        ),
        given("g1", "goserelin", "2025-01-20"),
        given("g2", "goserelin", "2025-04-15"),
        progressed("2025-06-20"),
    )
    assert got[0]["end"] == "2025-06-20"


# ---------------------------------------------------------------- units written as the score's name


def test_pd_l1_cps_with_the_score_as_its_unit() -> None:
    for unit in ("CPS", "{CPS}", "score"):
        o = obs("p", "83052-1", valueQuantity={"value": 12, "unit": unit})
        assert read(AS_OF, o)["tumor"]["pdl1_cps"] == 12, unit
    o = obs("p", "83052-1", valueQuantity={"value": 12, "unit": "%"})  # a percentage is not a CPS
    assert "pdl1_cps" not in read(AS_OF, o).get("tumor", {})


# ---------------------------------------------------------------- names and answers known by words


def named(oid: str, name: str, day: str = "2026-10-01", **value: Any) -> dict[str, Any]:
    return {"resourceType": "Observation", "id": oid, "status": "final", "code": {"text": name},
            "subject": {"reference": "Patient/p"}, "effectiveDateTime": day, **value}  # fmt: skip


def test_her2_named_as_the_gene_product_without_receptor() -> None:
    for name, answer, want in (
        (
            "Human epidermal growth factor 2 gene product status",
            "IHC score 2+ (weak to moderate, complete)",
            "2+",
        ),
        ("Human epidermal growth factor 2 protein expression", "score 1+", "1+"),
    ):
        got = read(AS_OF, named("h", name, valueCodeableConcept={"text": answer}))
        assert got["tumor"]["her2_ihc"] == want, name


def test_menopausal_status_in_dutch() -> None:
    for name, answer, want in (
        ("Menopauzale status", "postmenopauzaal (laatste menstruatie 2010)", "postmenopausal"),
        ("Menopauzale status", "premenopauzaal", "premenopausal"),
    ):
        got = read(AS_OF, named("m", name, valueCodeableConcept={"text": answer}))
        assert got["menopausal_status"] == want, answer


# ---------------------------------------------------------------- a secondary neoplasm's display


def test_secondary_neoplasm_display_naming_another_site_than_its_code_wins() -> None:
    """A code the map reads as one site, its display naming another: the display's site."""
    for display, want in (("Secondary malignant neoplasm of pleura", "pleura"),
                          ("Metastasis to liver", "liver")):  # fmt: skip
        c = condition(
            "m9", {"coding": [{"system": SNOMED, "code": "94391008", "display": display}]}, "2025-01-01"
        )
        assert read(AS_OF, c)["metastases"]["sites"] == [want], display
    plain = condition("m9", {"coding": [{"system": SNOMED, "code": "94391008"}]}, "2025-01-01")
    assert read(AS_OF, plain)["metastases"]["sites"] == ["lung"]
    regional = condition("m9", {"coding": [{"system": SNOMED, "code": "94391008",
                                            "display": "Secondary neoplasm of axillary lymph node"}]}, "2025-01-01")  # fmt: skip
    assert read(AS_OF, regional)["metastases"]["sites"] == ["lung"]  # regional words change nothing


# ---------------------------------------------------------------- a genomics report's words


def report(conclusion: str, name: str = "Plasma cfDNA panel") -> dict[str, Any]:
    return {"resourceType": "DiagnosticReport", "id": "g", "status": "final",
            "code": {"coding": [{"system": LOINC, "code": "81247-9"}], "text": name},
            "subject": {"reference": "Patient/p"}, "effectiveDateTime": "2026-09-01",
            "conclusion": conclusion}  # fmt: skip


def test_tmb_and_msi_in_a_genomics_report_conclusion() -> None:
    for words, tmb, msi in (
        ("PIK3CA H1047R detected. TMB 7 mut/Mb. MSI-High not detected.", 7, "MSS"),
        (
            "No ESR1 alterations; tumour mutational burden: 12.5 mutations/Mb; microsatellite stable",
            12.5,
            "MSS",
        ),
        ("AKT1 E17K detected. TMB 31 muts/Mb. MSI-H detected.", 31, "MSI-H"),
        ("Mismatch repair deficient (dMMR). No TMB reported.", None, "MSI-H"),
    ):
        got = read(AS_OF, report(words))
        assert got.get("tmb_per_mb") == tmb, words
        assert got.get("msi") == msi, words


def test_a_variant_put_down_to_clonal_haematopoiesis_is_not_a_tumour_finding() -> None:
    for words in ("ESR1 D538G detected; TP53 R248Q VAF 0.5% (possible CHIP).",
                  "ESR1 D538G detected; TP53 R248Q, likely clonal hematopoiesis."):  # fmt: skip
        got = read(AS_OF, report(words))
        assert "ESR1 D538G" in got["somatic"] and not any(s.startswith("TP53") for s in got["somatic"]), words
    got = read(AS_OF, report("ESR1 D538G detected; TP53 R248Q detected."))
    assert "TP53 R248Q" in got["somatic"]


# ---------------------------------------------------------------- contralateral regional nodes


def test_contralateral_axillary_nodes_are_distant() -> None:
    icd = "http://hl7.org/fhir/sid/icd-10-cm"
    for text in ("Contralateral axillary nodal metastases", "axillary node metastasis, opposite side (FNA)"):
        c = condition("n", {"coding": [{"system": icd, "code": "C77.3"}], "text": text}, "2025-01-01")
        assert read(AS_OF, c)["metastases"]["sites"] == ["distant_lymph_nodes"], text
    same_side = condition(
        "n", {"coding": [{"system": icd, "code": "C77.3"}], "text": "Left axillary nodes"}, "2025-01-01"
    )
    assert "sites" not in (read(AS_OF, same_side).get("metastases") or {})
    words = condition("n", {"text": "Metastasis to contralateral axillary lymph nodes"}, "2025-01-01")
    assert read(AS_OF, words)["metastases"]["sites"] == ["distant_lymph_nodes"]
    lung = condition("n", {"text": "Metastasis to contralateral lung"}, "2025-01-01")
    assert read(AS_OF, lung)["metastases"]["sites"] == ["lung"]


# ---------------------------------------------------------------- histology in other words


def primary(name: str, **more: Any) -> dict[str, Any]:
    icd = "http://hl7.org/fhir/sid/icd-10-cm"
    return condition(
        "b", {"coding": [{"system": icd, "code": "C50.912"}], "text": name}, "2020-01-01", **more
    )


def test_histology_in_other_languages_and_in_the_narrative() -> None:
    for text, want in (("Carcinoma duttale infiltrante mammella destra", "ductal"),
                       ("Carcinome canalaire infiltrant du sein", "ductal"),
                       ("Carcinoma lobulillar infiltrante", "lobular"),
                       ("Invasief ductaal carcinoom", "ductal")):  # fmt: skip
        assert read(AS_OF, primary(text))["tumor"]["histology"] == want, text
    div = {"status": "generated", "div": "<div xmlns=\"http://www.w3.org/1999/xhtml\"><p>Right breast invasive "
           "lobular carcinoma 2018, stage II.</p></div>"}  # fmt: skip
    got = read(AS_OF, primary("Breast cancer", text=div))
    assert got["tumor"]["histology"] == "lobular"


def test_the_symptom_an_open_order_gives_as_its_reason_is_current() -> None:
    mri = service("s", "MRI brain with contrast", authoredOn="2026-10-20",
                  reasonCode=[{"text": "new headaches for two weeks, rule out metastases"}])  # fmt: skip
    assert read(AS_OF, mri)["symptoms"] == ["headache"]
    denied = service("s", "MRI brain", authoredOn="2026-10-20", reasonCode=[{"text": "staging; no headache"}])
    assert "symptoms" not in read(AS_OF, denied)
    old = service("s", "MRI brain", authoredOn="2023-01-10", reasonCode=[{"text": "headaches"}])
    assert "symptoms" not in read(AS_OF, old)  # more than a year before the record's date
    done = service("s", "MRI brain", "completed", authoredOn="2026-10-20", reasonCode=[{"text": "headaches"}])
    assert "symptoms" not in read(AS_OF, done)


# ---------------------------------------------------------------- "worse" in a disease status


def status_words(day: str, words: str) -> dict[str, Any]:
    return {"resourceType": "Observation", "id": f"ds{day}", "status": "final",
            "code": {"coding": [{"system": LOINC, "code": "97509-4"}]}, "subject": {"reference": "Patient/p"},
            "effectiveDateTime": day, "valueCodeableConcept": {"text": words}}  # fmt: skip


def test_worse_in_a_disease_status_is_progression_only_when_said_of_the_disease() -> None:
    for words, progressed_ in (
        ("Worse", True),
        ("Worsening", True),
        ("Patient's condition worsened", True),
        ("Disease worse on restaging CT", True),
        ("worsening liver metastases", True),
        ("worse fatigue", False),
        ("stable disease; worsening back pain", False),
        ("no worsening", False),
    ):
        got = lines(
            liver("2025-01-05"),
            med("s", "capecitabine", "2025-01-20", "2025-06-01", status="stopped"),
            status_words("2025-06-01", words),
        )
        assert (got[0].get("stop_reason") == "progression") is progressed_, words


# ---------------------------------------------------------------- a finding inside a panel's brackets


def test_a_variant_given_inside_the_panel_brackets_is_read() -> None:
    for words, want in (
        ("Tumour NGS (panel including 50 genes: PIK3CA E545K detected; ESR1 wildtype)",
         {"PIK3CA E545K", "ESR1 wildtype"}),
        ("Result (hotspots covered in 52 genes - AKT1 p.E17K identified)", {"AKT1 E17K"}),
    ):  # fmt: skip
        got = read(AS_OF, report(words, "Tumour tissue NGS"))
        assert want <= set(got["somatic"]), words
    looked_for = read(AS_OF, report("ESR1 mutation not detected (E380Q, Y537S, D538G tested)", "Tumour NGS"))
    assert looked_for["somatic"] == ["ESR1 wildtype"]


# ---------------------------------------------------------------- other producers' shapes (FHIR R4)


def statement_of(ref: dict[str, Any], sid: str = "s") -> dict[str, Any]:
    return {"resourceType": "MedicationStatement", "id": sid, "status": "active", "medicationReference": ref,
            "subject": {"reference": "Patient/p"}, "effectivePeriod": {"start": "2025-01-01"}}  # fmt: skip


def medication(mid: str, **more: Any) -> dict[str, Any]:
    return {"resourceType": "Medication", "id": mid, **more}


def test_medication_by_a_logical_reference_its_identifier() -> None:
    """R4 Reference.identifier with no literal reference: the Medication holding it."""
    held = medication("m7", identifier=[{"system": "urn:oid:1.2.3", "value": "F-77"}],
                      code={"text": "abemaciclib 150 mg tablet"})  # fmt: skip
    ref = {"identifier": {"system": "urn:oid:1.2.3", "value": "F-77"}}
    assert lines(liver(), held, statement_of(ref))[0]["drugs"] == ["abemaciclib"]
    other_system = {"identifier": {"system": "urn:oid:9.9", "value": "F-77"}, "display": "anastrozole 1 mg"}
    assert lines(liver(), held, statement_of(other_system))[0]["drugs"] == ["anastrozole"]  # its display


def test_combination_medication_by_ingredient() -> None:
    """A Medication whose code names no drug we know (a kit, a regimen) is read by its
    ingredients: coded, or references to other Medications."""
    kit = medication("k", code={"text": "HP infusion kit"}, ingredient=[
        {"itemCodeableConcept": {"coding": [{"system": RXNORM, "code": "224905"}]}},
        {"itemCodeableConcept": {"text": "pertuzumab"}}])  # fmt: skip
    assert sorted(lines(liver(), kit, statement_of({"reference": "Medication/k"}))[0]["drugs"]) == [
        "pertuzumab", "trastuzumab"]  # fmt: skip
    parts = medication("k", ingredient=[{"itemReference": {"reference": "Medication/a"}},
                                        {"itemReference": {"reference": "Medication/b"}}])  # fmt: skip
    a, b = medication("a", code={"text": "capecitabine"}), medication("b", code={"text": "tucatinib"})
    got = lines(liver(), parts, a, b, statement_of({"reference": "Medication/k"}))
    assert sorted(got[0]["drugs"]) == ["capecitabine", "tucatinib"]
    named = medication("k", code={"coding": [{"system": RXNORM, "code": "224905"}]},
                       ingredient=[{"itemCodeableConcept": {"text": "hyaluronidase"}}])  # fmt: skip
    assert lines(liver(), named, statement_of({"reference": "Medication/k"}))[0]["drugs"] == ["trastuzumab"]


def test_absolute_and_versioned_references() -> None:
    m = medication("m1", code={"text": "palbociclib"})
    for ref in ("https://ehr.example.org/fhir/Medication/m1", "Medication/m1/_history/4",
                "https://ehr.example.org/fhir/Medication/m1/_history/4"):  # fmt: skip
        assert lines(liver(), m, statement_of({"reference": ref}))[0]["drugs"] == ["palbociclib"], ref


def er(oid: str, answer: str, status: str = "final", **more: Any) -> dict[str, Any]:
    return obs(oid, "85337-4", "2026-09-01", status=status,
               valueCodeableConcept={"coding": [{"system": LOINC, "code": answer}]}, **more)  # fmt: skip


POS, NEG = "LA6576-8", "LA6577-6"


def test_the_newest_version_of_a_resource_given_twice_counts() -> None:
    old, new = er("e", POS, meta={"versionId": "1"}), er("e", NEG, meta={"versionId": "2"})
    for order in ((old, new), (new, old)):
        ex = extraction(AS_OF, *order)
        assert ex.record["tumor"]["er_status"] == "negative"
        assert any(u.get("kind") == "superseded_version" for u in ex.unread)
    by_time = (er("e", NEG, meta={"lastUpdated": "2026-09-03T10:00:00Z"}),
               er("e", POS, meta={"lastUpdated": "2026-09-02T10:00:00Z"}))  # fmt: skip
    assert read(AS_OF, *by_time)["tumor"]["er_status"] == "negative"


def test_cancelled_or_entered_in_error_results_never_count_and_a_correction_beats_the_original() -> None:
    for status in ("cancelled", "entered-in-error"):
        assert "tumor" not in read(AS_OF, er("e", POS, status))
    for status in ("corrected", "amended"):
        for order in ((er("e1", POS), er("e2", NEG, status)), (er("e2", NEG, status), er("e1", POS))):
            assert read(AS_OF, *order)["tumor"]["er_status"] == "negative", status


def test_data_absent_reason_is_no_value_and_no_fault() -> None:
    absent = obs("w", "29463-7", dataAbsentReason={"coding": [{"code": "asked-declined"}]})
    ex = extraction(AS_OF, absent)
    assert "weight_kg" not in ex.record
    assert not any(u.get("kind") == "unreadable_resource" for u in ex.unread)


def test_result_dated_by_its_period_or_its_specimen() -> None:
    weight = obs("w", "29463-7", valueQuantity={"value": 61, "unit": "kg", "code": "kg"})
    del weight["effectiveDateTime"]
    older = obs("w0", "29463-7", "2026-08-01", valueQuantity={"value": 70, "unit": "kg", "code": "kg"})
    assert read(AS_OF, older, {**weight, "effectivePeriod": {"start": "2026-10-01"}})["weight_kg"] == 61
    spec = {"resourceType": "Specimen", "id": "sp", "collection": {"collectedDateTime": "2026-10-02"}}
    new = er("e2", NEG)
    del new["effectiveDateTime"]
    got = read(AS_OF, er("e1", POS), spec, {**new, "specimen": {"reference": "Specimen/sp"}})
    assert got["tumor"]["er_status"] == "negative"  # collected later than the other result


def test_requests_with_a_planning_intent_are_not_given() -> None:
    for intent in ("plan", "proposal", "option"):  # R4 MedicationRequest.intent: not orders
        r = {"resourceType": "MedicationRequest", "id": "r", "status": "active", "intent": intent,
             "medicationCodeableConcept": {"text": "capecitabine"}, "subject": {"reference": "Patient/p"},
             "authoredOn": "2025-02-01"}  # fmt: skip
        assert lines(liver(), r) == [], intent


def test_operation_outcome_entries_are_skipped() -> None:
    from mbc.ingest import extract

    b = {"resourceType": "Bundle", "type": "batch-response", "entry": [
        {"resource": {"resourceType": "Patient", "id": "p", "gender": "female"}},
        {"response": {"status": "404 Not Found", "outcome": {"resourceType": "OperationOutcome",
                                                             "issue": [{"severity": "error", "code": "not-found"}]}}},
        {"resource": {"resourceType": "OperationOutcome", "id": "oo",
                      "issue": [{"severity": "information", "code": "informational"}]},
         "response": {"status": "200"}},
        {"resource": er("e", NEG), "response": {"status": "200 OK"}}]}  # fmt: skip
    assert extract(b, as_of=AS_OF).record["tumor"]["er_status"] == "negative"


def test_value_range_and_value_ratio() -> None:
    rng = obs(
        "e", "85337-4", valueRange={"low": {"value": 60, "unit": "%"}, "high": {"value": 70, "unit": "%"}}
    )
    assert read(AS_OF, rng)["tumor"]["er_status"] == "positive"
    ratio = obs("i", "48676-1", valueRatio={"numerator": {"value": 2.6}, "denominator": {"value": 1}})
    assert read(AS_OF, ratio)["tumor"]["her2_ish"] == "amplified"


def test_a_drug_only_ordered_as_a_service_request_is_not_given() -> None:
    chemo = service(
        "s", "Chemotherapy: docetaxel + trastuzumab + pertuzumab, cycle 1", authoredOn="2026-10-20"
    )
    assert "prior_therapies" not in read(AS_OF, liver(), chemo)


def test_an_order_is_dated_by_its_dosage_bounds_before_its_validity_period() -> None:
    """``dispenseRequest.validityPeriod`` is when the order may be dispensed; the dosage's
    ``timing.repeat.boundsPeriod`` is when the drug is to be taken: the latter dates it."""
    r = {"resourceType": "MedicationRequest", "id": "r", "status": "stopped", "intent": "order",
         "medicationCodeableConcept": {"text": "eribulin"}, "subject": {"reference": "Patient/p"},
         "authoredOn": "2025-01-28", "statusReason": {"text": "progressive disease"},
         "dispenseRequest": {"validityPeriod": {"start": "2025-01-28", "end": "2025-12-31"}},
         "dosageInstruction": [{"timing": {"repeat": {"boundsPeriod": {"start": "2025-02-03", "end": "2025-05-30"}}}}]}  # fmt: skip
    got = lines(liver(), r)
    assert (got[0]["start"], got[0]["end"]) == ("2025-02-03", "2025-05-30")
    del r["dosageInstruction"]
    got = lines(liver(), r)
    assert (got[0]["start"], got[0]["end"]) == ("2025-01-28", "2025-12-31")


# ---------------------------------------------------------------- progression in an imaging report's words


def imaging(day: str, conclusion: str, name: str = "CT chest abdomen pelvis with contrast") -> dict[str, Any]:
    return {"resourceType": "DiagnosticReport", "id": f"ct{day}", "status": "final", "code": {"text": name},
            "subject": {"reference": "Patient/p"}, "effectiveDateTime": day, "conclusion": conclusion}  # fmt: skip


def test_an_imaging_report_saying_progression_stops_the_line() -> None:
    for words, progressed_ in (
        ("Interval progression: two new hepatic lesions.", True),
        ("Progressive disease per RECIST 1.1", True),
        ("Stable disease. No new lesions. No evidence of progression.", False),
        ("Partial response; no new lesions", False),
    ):
        got = lines(
            liver("2025-01-05"),
            med("s", "capecitabine", "2025-01-20", "2025-06-01", status="stopped"),
            imaging("2025-06-03", words),
        )
        assert (got[0].get("stop_reason") == "progression") is progressed_, words
    not_imaging = {**imaging("2025-06-03", "Interval progression"), "code": {"text": "Clinic letter"}}
    got = lines(liver("2025-01-05"), med("s", "capecitabine", "2025-01-20", "2025-06-01", status="stopped"),
                not_imaging)  # fmt: skip
    assert "stop_reason" not in got[0]


def test_malformed_medication_shapes_are_skipped_not_a_traceback() -> None:
    for bad in ({"code": "palbociclib"}, {"code": ["x"]}, {"ingredient": "x"},
                {"code": {"text": "kit"}, "ingredient": [{"itemReference": {"reference": 5}}, "x"]}):  # fmt: skip
        ex = extraction(AS_OF, liver(), medication("k", **bad), statement_of({"reference": "Medication/k"}))
        assert "prior_therapies" not in ex.record, bad
    odd = statement_of({"identifier": "F-77"})  # an identifier that is not an object: nothing resolved
    assert "prior_therapies" not in extraction(AS_OF, liver(), odd).record
    unversioned = er("e", NEG, meta="v2")  # meta not an object: an unversioned copy, both read
    ex = extraction(AS_OF, unversioned, er("e", POS, meta={"versionId": "1"}))
    assert any(u.get("kind") == "duplicate_id" for u in ex.unread)
    assert not any(u.get("kind") == "superseded_version" for u in ex.unread)
