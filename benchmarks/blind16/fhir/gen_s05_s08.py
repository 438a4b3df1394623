from _lib import *

def lab(k, code, disp, v, unit, ucum=None, hi=None, lo=None, date=None, **kw):
    rr = {}
    if hi is not None:
        rr["referenceRange"] = [{**({"low": qty(lo, unit, ucum)} if lo is not None else {}), "high": qty(hi, unit, ucum)}]
    return obs(k, cc((LOINC, code, disp)), date=date, valueQuantity=qty(v, unit, ucum), **rr, **kw)

# ---------------------------------------------------------------- s05 CH Core (German), ER-low, gBRCA2, transaction
def s05():
    name = "s05_chcore_erlow_gbrca2_2l"
    CH = "http://fhir.ch/ig/ch-core/StructureDefinition/"
    R = []
    R.append({"resourceType": "Patient", "id": "pt", "meta": {"profile": [CH + "ch-core-patient"]},
              "identifier": [{"system": "urn:oid:2.16.756.5.32", "value": "7560000000016"}],
              "name": [{"family": "M.", "given": ["L."]}], "gender": "female", "birthDate": "1987-04-09",
              "communication": [{"language": cc(("urn:ietf:bcp:47", "de-CH", "Deutsch (Schweiz)"))}]})
    R.append(cond("prim", cc((SCT, "408643008", "Infiltrating duct carcinoma of breast"), (ICD10, "C50.8", "Bösartige Neubildung: Brustdrüse, mehrere Teilbereiche überlappend"),
                             text="Mammakarzinom rechts, invasiv NST, G3 - primär metastasiert (Leber, retroperitoneale LK)"), onset="2025-03-03",
                  stage=[{"summary": txt("cT2 cN1 M1 - Stadium IV")}], meta={"profile": [CH + "ch-core-condition"]}))
    R.append(cond("liver", cc((SCT, "94381002", "Secondary malignant neoplasm of liver"), (ICD10, "C78.7", "Sekundäre bösartige Neubildung der Leber")),
                  onset="2025-03-12"))
    R.append(cond("ln", cc((SCT, "94392001", "Secondary malignant neoplasm of lymph node"), (ICD10, "C77.2", "Sekundäre bösartige Neubildung: Intraabdominale Lymphknoten"),
                           text="Retroperitoneale/paraaortale Lymphknotenmetastasen"), onset="2025-03-05"))
    R.append(cond("brain", cc((SCT, "94225005", "Secondary malignant neoplasm of brain"), text="Hirnmetastasen"), status="refuted", clinical=None,
                  note=[{"text": "MRT Schädel 20.10.2026: kein Nachweis von Hirnmetastasen"}]))
    R.append(cond("epi", cc((SCT, "271681002", "Stomach ache"), text="Druckgefühl Oberbauch rechts"), onset="2026-09-25"))
    R.append(cond("dep", cc((SCT, "35489007", "Depressive disorder"), (ICD10, "F32.1", "Mittelgradige depressive Episode")), onset="2025-06-01"))
    R.append({"resourceType": "Specimen", "id": "sp_b", "subject": {"reference": "@pt"}, "type": txt("Stanzbiopsie Mamma rechts"), "collection": {"collectedDateTime": "2025-03-03"}})
    R.append({"resourceType": "Specimen", "id": "sp_l", "subject": {"reference": "@pt"}, "type": txt("Leberbiopsie Segment VIII"), "collection": {"collectedDateTime": "2025-03-12"}})
    R.append(obs("er_b", cc((LOINC, "85329-1", "Östrogenrezeptor (% Tumorzellkerne)")), date="2025-03-05", specimen={"reference": "@sp_b"}, valueQuantity=qty(15, "%")))
    R.append(obs("pr_b", cc((LOINC, "85325-9", "Progesteronrezeptor (% Tumorzellkerne)")), date="2025-03-05", specimen={"reference": "@sp_b"}, valueQuantity=qty(0, "%")))
    R.append(obs("her_b", cc((LOINC, "85319-2", "HER2 Immunhistochemie")), date="2025-03-05", specimen={"reference": "@sp_b"}, valueCodeableConcept=txt("Score 0")))
    R.append(obs("er_l", cc((LOINC, "85329-1", "Östrogenrezeptor (% Tumorzellkerne)")), date="2025-03-14", specimen={"reference": "@sp_l"}, valueQuantity=qty(5, "%"),
                 interpretation=[txt("ER-low positiv (1-10%)")]))
    R.append(obs("pr_l", cc((LOINC, "85325-9", "Progesteronrezeptor (% Tumorzellkerne)")), date="2025-03-14", specimen={"reference": "@sp_l"}, valueQuantity=qty(0, "%")))
    R.append(obs("her_l", cc((LOINC, "85319-2", "HER2 Immunhistochemie")), date="2025-03-14", specimen={"reference": "@sp_l"},
                 valueCodeableConcept=txt("Score 0 - keine Membranfärbung (HER2-null)")))
    R.append(obs("pdl1", txt("PD-L1 (22C3) CPS"), date="2025-03-14", specimen={"reference": "@sp_l"}, valueQuantity={"value": 3, "unit": "CPS"}))
    R.append(variant("g_brca2", "BRCA2", "HGNC:1101", "2025-04-02", source="germline", dna="c.5946del", protein="p.Ser1982ArgfsTer22", signif="pathogenic",
                     text="Keimbahn: pathogene Variante BRCA2 nachgewiesen (Klasse 5)"))
    R.append(variant("s_tp53", "TP53", "HGNC:11998", "2025-04-10", dna="c.743G>A", protein="p.Arg248Gln", text="Tumor-NGS (Leber): TP53 p.R248Q"))
    R.append(variant("s_pik", "PIK3CA", "HGNC:8975", "2025-04-10", present=False, text="Tumor-NGS: keine PIK3CA-Mutation"))
    R.append(obs("ecog", cc((LOINC, "89247-1", "ECOG Performance Status score")), category="survey", date="2026-11-04",
                 valueCodeableConcept=cc((LOINC, "LA9622-7", "Fully active, able to carry on all pre-disease performance without restriction"))))
    R.append(obs("meno", txt("Menopausenstatus"), category="social-history", date="2026-11-04", valueCodeableConcept=txt("prämenopausal")))
    R.append(obs("wt", cc((LOINC, "29463-7", "Körpergewicht")), category="vital-signs", date="2026-11-04", valueQuantity=qty(57.5, "kg")))
    R.append(obs("ht", cc((LOINC, "8302-2", "Körpergrösse")), category="vital-signs", date="2026-11-04", valueQuantity=qty(166, "cm")))
    d = "2026-11-02"
    R.append(lab("alt", "1742-6", "ALAT", 74, "U/l", "U/L", hi=35, date=d))
    R.append(lab("bili", "14631-6", "Bilirubin total", 15, "µmol/l", "umol/L", hi=21, date=d))
    R.append(lab("crea", "14682-9", "Kreatinin", 61, "µmol/l", "umol/L", hi=90, lo=45, date=d))
    R.append(lab("neut", "751-8", "Neutrophile absolut", 1.4, "G/l", "10*9/L", date=d))
    R.append(lab("plt", "777-3", "Thrombozyten", 132, "G/l", "10*9/L", date=d))
    def atc(c, disp, t): return cc((ATC, c, disp), text=t)
    R.append(medstmt("ms_carbo", atc("L01XA02", "carboplatin", "Carboplatin AUC 6 q21d"), "completed", "2025-03-24", "2025-08-25",
                     dosage=["AUC 6 Zyklus 1-2", "AUC 5 ab Zyklus 3 (Dosisreduktion wegen Thrombozytopenie Grad 3)"], category=txt("palliativ, 1. Linie")))
    R.append(medstmt("ms_pac", atc("L01CD01", "paclitaxel", "Paclitaxel 175 mg/m2 q21d"), "completed", "2025-03-24", "2025-08-25",
                     note="6 Zyklen abgeschlossen, danach Therapiepause; Progression Leber 12.10.2026", category=txt("palliativ, 1. Linie")))
    R.append(medstmt("ms_esc", atc("N06AB10", "escitalopram", "Cipralex 10 mg"), "active", "2025-06-15", dosage=["10 mg 1-0-0"]))
    R.append(medstmt("ms_panto", atc("A02BC02", "pantoprazole", "Pantozol 20 mg"), "active", "2025-03-24"))
    R.append(medreq("mr_ola", atc("L01XK01", "olaparib", "Lynparza 150 mg Filmtabletten"), "on-hold", "order", "2026-11-04",
                    dosage=["300 mg 2x täglich"], note="Wartet auf Kostengutsprache der Krankenkasse - noch nicht begonnen"))
    R.append({"resourceType": "FamilyMemberHistory", "id": "fh", "status": "completed", "patient": {"reference": "@pt"},
              "relationship": cc(("http://terminology.hl7.org/CodeSystem/v3-RoleCode", "MTH", "Mutter")),
              "condition": [{"code": cc((SCT, "363443007", "Malignant tumor of ovary"), text="Ovarialkarzinom mit 52 J."),
                             "onsetAge": {"value": 52, "unit": "a", "system": UCUM, "code": "a"}}]})
    b = build(name, "transaction", R, style="abs", base="https://fhir.spital.example.ch/fhir", timestamp="2026-11-04T09:30:00+01:00")
    for e in b["entry"]:
        r = e["resource"]
        e["request"] = {"method": "PUT", "url": f"{r['resourceType']}/{r['id']}"}
    exp = {"as_of": "2026-11-04", "age": 39, "sex": "female", "menopausal_status": "premenopausal", "ecog": 0, "weight_kg": 57.5, "height_cm": 166,
           "tumor": {"er_percent": 5, "pr_percent": 0, "her2_ihc": "0", "pdl1_cps": 3, "receptor_source": "metastasis", "histology": "ductal"},
           "somatic": ["TP53 R248Q", "PIK3CA wildtype"], "germline": ["BRCA2"],
           "metastases": {"sites": ["liver", "distant_lymph_nodes"]}, "presentation": "de_novo", "metastatic_diagnosis_date": "2025-03-05",
           "prior_therapies": [{"setting": "metastatic", "drugs": ["carboplatin", "paclitaxel"], "start": "2025-03-24", "end": "2025-08-25", "stop_reason": "completed"}],
           "labs": {"alt_x_uln": 2.11, "bilirubin_x_uln": 0.71, "anc_per_ul": 1400, "platelets_per_ul": 132000},
           "medications": ["escitalopram", "pantoprazole"], "symptoms": ["right upper abdominal pressure"]}
    plan = {"subtype": "TNBC", "line": 2, "preferred_any": [["olaparib"], ["talazoparib"]]}
    write(name, b, exp, plan)

# ---------------------------------------------------------------- s06 CA Core, HER2-low 3L
def s06():
    name = "s06_cacore_hrpos_her2low_3l"
    CA = "http://hl7.org/fhir/ca/core/StructureDefinition/"
    DIN = "http://hl7.org/fhir/NamingSystem/ca-hc-din"
    def din(c, t, rx=None):
        cods = [(DIN, c, t)] + ([(RXN, rx[0], rx[1])] if rx else [])
        return cc(*cods, text=t)
    R = []
    R.append({"resourceType": "Patient", "id": "pt", "meta": {"profile": [CA + "profile-patient"]},
              "identifier": [{"system": "https://fhir.infoway-inforoute.ca/NamingSystem/ca-on-patient-hcn", "value": "9990016006"}],
              "name": [{"family": "T.", "given": ["D."]}], "gender": "female", "birthDate": "1963-02-11",
              "communication": [{"language": cc(("urn:ietf:bcp:47", "fr-CA", "French (Canada)"))}]})
    R.append(cond("prim", cc((SCT, "254837009", "Malignant neoplasm of breast"), (ICD10, "C50.9", "Malignant neoplasm of breast, unspecified"),
                             text="L breast IDC, pT1c pN0, ER+/PR+/HER2 0 (2017)"), onset="2017-05-02", meta={"profile": [CA + "profile-condition"]}))
    R.append(cond("bone", cc((SCT, "94222008", "Secondary malignant neoplasm of bone"), text="Bone metastases (spine, ribs)"), onset="2023-01-16"))
    R.append(cond("liver", cc((SCT, "94381002", "Secondary malignant neoplasm of liver"), text="Liver metastases - progressing"), onset="2023-01-16"))
    R.append(cond("fat", cc((SCT, "84229001", "Fatigue"), text="Fatigue"), onset="2026-09-01"))
    R.append(cond("dvt", cc((SCT, "128053003", "Deep venous thrombosis"), text="R leg DVT 2025"), onset="2025-04-02", clinical="active"))
    R.append(cond("hfs", cc((SCT, "238996000", "Palmar-plantar erythrodysesthesia"), text="Hand-foot syndrome G2 (capecitabine)"), onset="2025-06-10", clinical="resolved"))
    def ihc(k, code, disp, date, **v): return obs(k, cc((LOINC, code, disp)), date=date, **v)
    R.append(ihc("er17", "85329-1", "ER % nuclei", "2017-05-05", valueQuantity=qty(90, "%")))
    R.append(ihc("pr17", "85325-9", "PR % nuclei", "2017-05-05", valueQuantity=qty(70, "%")))
    R.append(ihc("her17", "85319-2", "HER2 IHC", "2017-05-05", valueCodeableConcept=txt("0")))
    R.append(ihc("her23", "85319-2", "HER2 IHC (T9 bone biopsy)", "2023-01-20", valueCodeableConcept=txt("0 - no staining")))
    R.append(ihc("er26", "85329-1", "ER % nuclei (liver core bx 2026-10-30)", "2026-11-03", valueQuantity=qty(60, "%")))
    R.append(ihc("pr26", "85325-9", "PR % nuclei (liver core bx 2026-10-30)", "2026-11-03", valueQuantity=qty(0, "%")))
    R.append(ihc("her26", "85319-2", "HER2 IHC (liver core bx 2026-10-30)", "2026-11-03",
                 valueCodeableConcept=cc((LOINC, "LA4259-3", "Equivocal"), text="2+ equivocal")))
    R.append(ihc("ish26", "85318-4", "HER2 by FISH (liver core bx 2026-10-30)", "2026-11-06",
                 valueCodeableConcept=txt("NOT amplified - HER2/CEP17 ratio 1.3, mean HER2 copy 3.1/cell"),
                 note=[{"text": "Final: HER2-low (IHC 2+/ISH negative)"}]))
    R.append(obs("dpyd", cc((LOINC, "80742-5", "DPYD gene targeted mutation analysis"), text="DPYD genotype (c.1905+1G>A, c.1679T>G, c.2846A>T, HapB3)"),
                 date="2024-11-15", valueCodeableConcept=txt("No variants detected - normal DPD metabolizer (activity score 2)")))
    R.append(obs("ecog", cc((LOINC, "89247-1", "ECOG Performance Status score")), category="survey", date="2026-11-19", valueInteger=1))
    R.append(obs("meno", txt("Menopausal status"), category="social-history", date="2026-11-19", valueString="postmenopausal since 2013"))
    R.append(obs("wt", cc((LOINC, "29463-7", "Body weight")), category="vital-signs", date="2026-11-19", valueQuantity=qty(64.5, "kg")))
    R.append(obs("ct", cc((LOINC, "24627-2", "CT Chest")), category="imaging", date="2026-10-28",
                 valueString="New and enlarging liver lesions (PD). Lungs clear - no evidence of interstitial lung disease."))
    d = "2026-11-17"
    R.append(lab("bili", "14631-6", "Bilirubin total", 24, "umol/L", hi=20, date=d))
    R.append(lab("alt", "1742-6", "ALT", 55, "U/L", hi=33, date=d))
    R.append(lab("alb", "61151-7", "Albumin", 33, "g/L", hi=48, lo=35, date=d))
    R.append(lab("ca", "2000-8", "Calcium total", 2.31, "mmol/L", hi=2.55, lo=2.15, date=d))
    R.append(lab("inr", "6301-6", "INR", 2.4, "{INR}", date=d))
    R.append(medstmt("ms_ana", din("02224135", "ARIMIDEX 1MG TABLET", ("84857", "anastrozole")), "completed", "2017-08-01", "2022-08-01", category=txt("adjuvant")))
    R.append({"resourceType": "Medication", "id": "med_kis", "code": din("02471493", "KISQALI 200MG TABLET", ("1873916", "ribociclib"))})
    R.append(medstmt("ms_rib", "@med_kis", "stopped", "2023-02-01", "2024-11-04", reason=txt("Disease progression (liver)"),
                     dosage=["600 mg daily d1-21 q28d", "400 mg from 2023-05 (neutropenia G3)"]))
    R.append(medstmt("ms_let", din("02231384", "FEMARA 2.5MG TABLET", ("72965", "letrozole")), "stopped", "2023-02-01", "2024-11-04", reason=txt("Disease progression (liver)")))
    CAPE = din("02238453", "XELODA 500MG TABLET", ("194000", "capecitabine"))
    R.append(medreq("mr_cape1", CAPE, "on-hold", "order", "2024-11-25", dosage=["1000 mg/m2 BID d1-14 q21d"],
                    statusReason=txt("Held 2025-06-10 for hand-foot syndrome G2; resume at 750 mg/m2 when <= G1"),
                    dispenseRequest={"validityPeriod": {"start": "2024-11-25", "end": "2025-06-10"}}))
    R.append(medreq("mr_cape2", CAPE, "stopped", "order", "2025-06-24", dosage=["750 mg/m2 BID d1-14 q21d (reduced)"],
                    statusReason=txt("Stopped 2026-10-28: progressive disease in liver"),
                    dispenseRequest={"validityPeriod": {"start": "2025-06-24", "end": "2026-10-28"}}))
    R.append(medstmt("ms_cape", CAPE, "stopped", "2024-11-25", "2026-10-28", reason=txt("Progressive disease"),
                     note="Held 2 weeks June 2025 for HFS, then dose-reduced and continued"))
    R.append(medstmt("ms_xgeva", din("02368153", "XGEVA 120MG/1.7ML SOLUTION", None), "active", "2023-02-15", dosage=["120 mg SC q4w"]))
    R.append(medstmt("ms_warf", din("02242924", "COUMADIN 2MG TABLET", ("11289", "warfarin")), "active", "2025-04-03", dosage=["as per INR clinic"]))
    R.append(medstmt("ms_caco3", txt("Calcium carbonate 500 mg + vitamin D3 400 IU"), "active", "2023-02-15"))
    R.append(medreq("mr_tdxd", din("02518244", "ENHERTU 100MG POWDER FOR SOLUTION", None), "draft", "proposal", "2026-11-19",
                    note="Tumour board 2026-11-19: propose trastuzumab deruxtecan 5.4 mg/kg q3w"))
    b = build(name, "collection", R, style="abs", base="https://fhir.cancercentre.example.ca/fhir", timestamp="2026-11-19T10:10:00-05:00")
    exp = {"as_of": "2026-11-19", "age": 63, "sex": "female", "menopausal_status": "postmenopausal", "ecog": 1, "weight_kg": 64.5,
           "tumor": {"er_percent": 60, "pr_percent": 0, "her2_ihc": "2+", "her2_ish": "not_amplified", "receptor_source": "metastasis", "histology": "ductal"},
           "metastases": {"sites": ["bone", "liver"]}, "presentation": "recurrence", "metastatic_diagnosis_date": "2023-01-16",
           "prior_therapies": [
               {"setting": "adjuvant", "drugs": ["anastrozole"], "start": "2017-08-01", "end": "2022-08-01", "stop_reason": "completed"},
               {"setting": "metastatic", "drugs": ["letrozole", "ribociclib"], "start": "2023-02-01", "end": "2024-11-04", "stop_reason": "progression"},
               {"setting": "metastatic", "drugs": ["capecitabine"], "start": "2024-11-25", "end": "2026-10-28", "stop_reason": "progression"}],
           "dpyd": "normal",
           "labs": {"bilirubin_x_uln": 1.2, "alt_x_uln": 1.67, "albumin_g_dl": 3.3, "calcium_mg_dl": 9.26},
           "medications": ["denosumab", "warfarin", "calcium carbonate", "cholecalciferol"], "symptoms": ["fatigue"]}
    plan = {"subtype": "HR+/HER2-", "line": 3, "preferred_any": [["trastuzumab_deruxtecan"]]}
    write(name, b, exp, plan)

# ---------------------------------------------------------------- s07 document bundle, PIK3CA, relapse on adjuvant AI
def s07():
    name = "s07_document_hrpos_pik3ca_1l"
    MC = "http://hl7.org/fhir/us/mcode/StructureDefinition/"
    R = []
    secs = [("Problems", ["prim", "lung", "bone", "cough"]), ("Pathology and biomarkers", ["er23", "pr23", "her23", "er26", "pr26", "her26", "v_pik", "v_esr1", "g_panel"]),
            ("Functional status and vitals", ["ecog", "meno", "wt", "ht"]), ("Results", ["fpg", "a1c", "crea", "crcl"]),
            ("Treatment history", ["ms_tc", "ms_cyc", "ms_ana"]), ("Current medications", ["ms_ram", "ms_ator"]),
            ("Plan", ["mr_ful", "mr_pal", "mr_ina"]), ("Family history", ["fh"])]
    R.append({"resourceType": "Composition", "id": "comp", "status": "final",
              "type": cc((LOINC, "11488-4", "Consult note")), "subject": {"reference": "@pt"}, "date": "2026-10-16T15:00:00-04:00",
              "author": [{"display": "Breast Medical Oncology"}], "title": "Breast tumor board - metastatic recurrence",
              "section": [{"title": t, "entry": [{"reference": "@" + k} for k in ks]} for t, ks in secs]})
    R.append({"resourceType": "Patient", "id": "pt", "meta": {"profile": [MC + "mcode-cancer-patient"]},
              "name": [{"given": ["Ellen"], "family": "K."}], "gender": "female", "birthDate": "1968-09-27"})
    R.append(cond("prim", cc((SCT, "254837009", "Malignant neoplasm of breast"), (ICD10CM, "C50.212", "Malignant neoplasm of upper-inner quadrant of left female breast"),
                             text="Left breast IDC, pT1c pN1a, stage IIA"), onset="2023-04-18", profile=MC + "mcode-primary-cancer-condition"))
    R.append(cond("lung", cc((SCT, "94391008", "Secondary malignant neoplasm of lung"), (ICD10CM, "C78.01", "Secondary malignant neoplasm of right lung")),
                  onset="2026-09-18", profile=MC + "mcode-secondary-cancer-condition"))
    R.append(cond("bone", cc((SCT, "94222008", "Secondary malignant neoplasm of bone"), (ICD10CM, "C79.51", "Secondary malignant neoplasm of bone")),
                  onset="2026-09-18", profile=MC + "mcode-secondary-cancer-condition"))
    R.append(cond("cough", cc((SCT, "11833005", "Dry cough")), onset="2026-08-20"))
    def ihc(k, code, disp, date, **v): return obs(k, cc((LOINC, code, disp)), date=date, profile=MC + "mcode-tumor-marker-test", **v)
    R.append(ihc("er23", "85329-1", "Estrogen receptor [Interpretation] in Breast cancer specimen by Immune stain", "2023-04-21", valueQuantity=qty(95, "%")))
    R.append(ihc("pr23", "85325-9", "Progesterone receptor [Interpretation] in Breast cancer specimen by Immune stain", "2023-04-21", valueQuantity=qty(80, "%")))
    R.append(ihc("her23", "85319-2", "HER2 [Presence] in Breast cancer specimen by Immune stain", "2023-04-21", valueCodeableConcept=txt("1+")))
    R.append(ihc("er26", "85329-1", "Estrogen receptor [Interpretation] in Breast cancer specimen by Immune stain", "2026-09-29", valueQuantity=qty(90, "%"),
                 note=[{"text": "Specimen: RLL lung core biopsy 2026-09-25"}]))
    R.append(ihc("pr26", "85325-9", "Progesterone receptor [Interpretation] in Breast cancer specimen by Immune stain", "2026-09-29", valueQuantity=qty(5, "%")))
    R.append(ihc("her26", "85319-2", "HER2 [Presence] in Breast cancer specimen by Immune stain", "2026-09-29",
                 valueCodeableConcept=cc((LOINC, "LA6577-6", "Negative"), text="0 - faint, incomplete membrane staining in <=10% of cells (HER2-ultralow)")))
    R.append(variant("v_pik", "PIK3CA", "HGNC:8975", "2026-10-06", dna="c.1633G>A", protein="p.Glu545Lys", profile=MC + "mcode-genomic-variant",
                     text="PIK3CA E545K detected (tissue NGS, lung biopsy), VAF 31%"))
    R.append(variant("v_esr1", "ESR1", "HGNC:3467", "2026-10-06", present=False, profile=MC + "mcode-genomic-variant", text="ESR1: no mutation detected"))
    R.append({"resourceType": "Observation", "id": "g_panel", "status": "final", "category": cat("laboratory"),
              "code": cc((LOINC, "81247-9", "Master HL7 genetic variant reporting panel"), text="Germline 9-gene hereditary breast cancer panel"),
              "subject": {"reference": "@pt"}, "effectiveDateTime": "2023-05-30",
              "valueCodeableConcept": txt("NEGATIVE - no pathogenic/likely pathogenic variants in ATM, BRCA1, BRCA2, CDH1, CHEK2, PALB2, PTEN, STK11, TP53"),
              "component": [{"code": cc((LOINC, "48002-0", "Genomic source class [Type]")), "valueCodeableConcept": cc((LOINC, "LA6683-2", "Germline"))}]})
    R.append(obs("ecog", cc((LOINC, "89247-1", "ECOG Performance Status score")), category="survey", date="2026-10-16",
                 valueCodeableConcept=cc((LOINC, "LA9622-7", "Fully active, able to carry on all pre-disease performance without restriction")),
                 profile=MC + "mcode-ecog-performance-status"))
    R.append(obs("meno", txt("Menopausal status"), category="social-history", date="2026-10-16", valueCodeableConcept=cc((SCT, "76498008", "Postmenopausal state"))))
    R.append(obs("wt", cc((LOINC, "29463-7", "Body weight")), category="vital-signs", date="2026-10-16", valueQuantity=qty(77, "kg")))
    R.append(obs("ht", cc((LOINC, "8302-2", "Body height")), category="vital-signs", date="2026-10-16", valueQuantity=qty(165, "cm")))
    R.append(lab("fpg", "14771-0", "Fasting glucose [Moles/volume] in Serum or Plasma", 5.4, "mmol/L", date="2026-10-14"))
    R.append(lab("a1c", "59261-8", "Hemoglobin A1c/Hemoglobin.total in Blood by IFCC protocol", 38, "mmol/mol", date="2026-10-14"))
    R.append(lab("crea", "2160-0", "Creatinine [Mass/volume] in Serum or Plasma", 0.9, "mg/dL", date="2026-10-14"))
    R.append(obs("crcl", cc((LOINC, "35591-7", "Creatinine renal clearance predicted by Cockcroft-Gault formula")), date="2026-10-14",
                 valueQuantity=qty(81, "mL/min")))
    def rx(code, disp): return cc((RXN, code, disp), text=disp)
    R.append(medstmt("ms_tc", rx("72962", "docetaxel"), "completed", "2023-05-22", "2023-07-24", note="Adjuvant TC x4 (docetaxel 75 / cyclophosphamide 600 mg/m2)",
                     extension=[{"url": MC + "mcode-procedure-intent", "valueCodeableConcept": cc((SCT, "373808002", "Curative - procedure intent"))}]))
    R.append(medstmt("ms_cyc", rx("3002", "cyclophosphamide"), "completed", "2023-05-22", "2023-07-24"))
    R.append(medstmt("ms_ana", rx("84857", "anastrozole"), "stopped", "2023-08-15", "2026-09-18", reason=txt("Recurrence (lung, bone) on adjuvant anastrozole")))
    R.append(medstmt("ms_ram", rx("35296", "ramipril"), "active", "2020-01-01"))
    R.append(medstmt("ms_ator", rx("83367", "atorvastatin"), "active", "2020-01-01"))
    R.append(medreq("mr_ful", rx("282357", "fulvestrant"), "draft", "plan", "2026-10-16", note="Planned pending insurance authorization"))
    R.append(medreq("mr_pal", rx("1601374", "palbociclib"), "draft", "plan", "2026-10-16"))
    R.append(medreq("mr_ina", txt("inavolisib 9 mg tablet (Itovebi)"), "draft", "plan", "2026-10-16"))
    R.append({"resourceType": "FamilyMemberHistory", "id": "fh", "status": "completed", "patient": {"reference": "@pt"},
              "relationship": cc(("http://terminology.hl7.org/CodeSystem/v3-RoleCode", "FTH", "father")),
              "condition": [{"code": cc((SCT, "399068003", "Malignant tumor of prostate")), "onsetAge": {"value": 70, "unit": "a", "system": UCUM, "code": "a"}}]})
    b = build(name, "document", R, style="urn", timestamp="2026-10-16T15:00:00-04:00", extra_bundle={"identifier": {"system": "urn:ietf:rfc:3986", "value": "urn:uuid:0b8c2f9a-16a7-4e2b-a000-000000000007"}})
    exp = {"as_of": "2026-10-16", "age": 58, "sex": "female", "menopausal_status": "postmenopausal", "ecog": 0, "weight_kg": 77, "height_cm": 165,
           "tumor": {"er_percent": 90, "pr_percent": 5, "her2_ihc": "ultralow", "receptor_source": "metastasis", "histology": "ductal"},
           "somatic": ["PIK3CA E545K", "ESR1 wildtype"], "germline": [],
           "metastases": {"sites": ["lung", "bone"]}, "presentation": "recurrence", "metastatic_diagnosis_date": "2026-09-18",
           "prior_therapies": [
               {"setting": "adjuvant", "drugs": ["docetaxel", "cyclophosphamide"], "start": "2023-05-22", "end": "2023-07-24", "stop_reason": "completed"},
               {"setting": "adjuvant", "drugs": ["anastrozole"], "start": "2023-08-15", "end": "2026-09-18", "stop_reason": "progression"}],
           "labs": {"fasting_glucose_mg_dl": 97.3, "hba1c_percent": 5.6, "creatinine_clearance_ml_min": 81},
           "medications": ["ramipril", "atorvastatin"], "symptoms": ["dry cough"]}
    plan = {"subtype": "HR+/HER2-", "line": 1, "preferred_any": [["inavolisib", "palbociclib", "fulvestrant"]]}
    write(name, b, exp, plan)

# ---------------------------------------------------------------- s08 searchset + OperationOutcome, HER2+ brain 2L
def s08():
    name = "s08_searchset_her2pos_brain_2l"
    USC = "http://hl7.org/fhir/us/core/StructureDefinition/"
    R = []
    R.append({"resourceType": "Patient", "id": "p8812", "meta": {"profile": [USC + "us-core-patient"]},
              "name": [{"given": ["Nadia"], "family": "O."}], "gender": "female", "birthDate": "1979-12-05"})
    P = "@p8812"
    R.append(cond("c1", cc((SCT, "254837009", "Malignant neoplasm of breast"), (ICD10CM, "C50.911", "Malignant neoplasm of unspecified site of right female breast"),
                           text="R breast IDC, HER2+, ER/PR neg - stage IV de novo (lung, mediastinal LN)"), subj=P, onset="2024-05-13",
                  stage=[{"summary": cc((SCT, "258228008", "Stage 4"))}]))
    R.append(cond("c2", cc((SCT, "94391008", "Secondary malignant neoplasm of lung"), (ICD10CM, "C78.00", "Secondary malignant neoplasm of unspecified lung")), subj=P, onset="2024-05-13"))
    R.append(cond("c3", cc((ICD10CM, "C77.1", "Secondary and unspecified malignant neoplasm of intrathoracic lymph nodes"), text="Mediastinal adenopathy"), subj=P, onset="2024-05-13"))
    R.append(cond("c4", cc((SCT, "94225005", "Secondary malignant neoplasm of brain"), (ICD10CM, "C79.31", "Secondary malignant neoplasm of brain")), subj=P,
                  onset="2026-11-16", note=[{"text": "MRI 11/16/2026: 3 enhancing lesions (R frontal 9 mm, L parietal 6 mm, cerebellar 4 mm), minimal edema. Asymptomatic; neuro exam non-focal."}]))
    R.append(cond("c5", cc((SCT, "25064002", "Headache")), subj=P, onset="2024-01-01", clinical="resolved",
                  note=[{"text": "Migraine history - no headaches in past year"}]))
    R.append({"resourceType": "Procedure", "id": "srs", "status": "preparation", "subject": {"reference": P},
              "code": cc((SCT, "473191000", "Stereotactic radiosurgery"), text="SRS to 3 brain lesions - simulation booked 12/08/2026")})
    def o(k, code, disp, date, **v): return obs(k, cc((LOINC, code, disp)), subj=P, date=date, **v)
    R.append(o("o_er", "85329-1", "ER %", "2024-05-16", valueQuantity=qty(1, "%", comparator="<")))
    R.append(o("o_pr", "85325-9", "PR %", "2024-05-16", valueQuantity=qty(1, "%", comparator="<")))
    R.append(o("o_her2", "85319-2", "HER2 IHC", "2024-05-16", valueCodeableConcept=txt("3+")))
    R.append(obs("o_ecog", cc((LOINC, "89247-1", "ECOG Performance Status score")), subj=P, category="survey", date="2026-12-02", valueInteger=1))
    R.append(obs("o_wt", cc((LOINC, "29463-7", "Body weight")), subj=P, category="vital-signs", date="2026-12-02", valueQuantity=qty(143, "[lb_av]", "[lb_av]")))
    R.append(obs("o_ht", cc((LOINC, "8302-2", "Body height")), subj=P, category="vital-signs", date="2026-12-02", valueQuantity=qty(66, "[in_i]", "[in_i]")))
    for k, d, v in (("o_ef1", "2024-05-20", 64), ("o_ef2", "2025-03-10", 48), ("o_ef3", "2025-05-05", 55), ("o_ef4", "2026-11-20", 58)):
        R.append(obs(k, cc((LOINC, "10230-1", "Left ventricular Ejection fraction")), subj=P, category="imaging", date=d, valueQuantity=qty(v, "%")))
    R.append(obs("o_crcl", cc((LOINC, "35591-7", "Creatinine renal clearance predicted by Cockcroft-Gault formula")), subj=P, date="2026-11-30", valueQuantity=qty(96, "mL/min")))
    R.append(obs("o_alt", cc((LOINC, "1742-6", "ALT")), subj=P, date="2026-11-30", valueQuantity=qty(29, "U/L"), referenceRange=[{"low": qty(7, "U/L"), "high": qty(52, "U/L")}]))
    R.append(obs("o_plt", cc((LOINC, "777-3", "Platelets")), subj=P, date="2026-11-30", valueQuantity=qty(221, "10*3/uL")))
    def rx(code, disp): return cc((RXN, code, disp), text=disp)
    R.append(medstmt("m_doc", rx("72962", "docetaxel"), "completed", "2024-06-03", "2024-10-07", subj=P, note="THP cycles 1-6; docetaxel stopped after C6 as planned"))
    R.append(medstmt("m_tra", rx("224905", "trastuzumab"), "stopped", "2024-06-03", "2026-11-16", subj=P, reason=txt("Progression (brain, lung)"),
                     note="HP held 03/2025-05/2025 for LVEF drop to 48% (asymptomatic), resumed after recovery to 55%"))
    R.append(medstmt("m_per", rx("1298944", "pertuzumab"), "stopped", "2024-06-03", "2026-11-16", subj=P, reason=txt("Progression (brain, lung)")))
    R.append(medstmt("m_sert", rx("36437", "sertraline"), "active", "2023-01-01", subj=P))
    R.append(medstmt("m_ome", rx("7646", "omeprazole"), "active", "2024-06-03", subj=P))
    R.append(medstmt("m_dex", rx("3264", "dexamethasone"), "intended", subj=P, note="Only if neurologic symptoms develop - not started"))
    R.append(medreq("m_tdxd", rx("2267582", "fam-trastuzumab deruxtecan-nxki"), "draft", "proposal", "2026-12-02", subj=P))
    R.append({"resourceType": "OperationOutcome", "id": "oo1", "issue": [{"severity": "warning", "code": "suppressed",
              "diagnostics": "1 Observation (category=social-history) withheld: not authorized for this client scope"}]})
    modes = {r["id"]: ("match" if r["resourceType"] == "Condition" else "include") for r in R}
    modes["oo1"] = "outcome"
    R.sort(key=lambda r: r["resourceType"] == "OperationOutcome")
    b = build(name, "searchset", R, style="rel", base="https://ehr.example.com/fhir/R4", timestamp="2026-12-02T08:45:00-06:00",
              search_modes=modes, extra_bundle={"total": 5,
                "link": [{"relation": "self", "url": "https://ehr.example.com/fhir/R4/Condition?patient=p8812&_include=Condition:subject&_revinclude:iterate=*:patient"}]})
    # Patient is the included resource, not a match
    for e in b["entry"]:
        if e["resource"]["resourceType"] == "Patient": e["search"]["mode"] = "include"
    exp = {"as_of": "2026-12-02", "age": 46, "sex": "female", "ecog": 1, "weight_kg": 64.9, "height_cm": 168,
           "tumor": {"er_status": "negative", "pr_status": "negative", "her2_ihc": "3+", "receptor_source": "primary", "histology": "ductal"},
           "metastases": {"sites": ["lung", "distant_lymph_nodes", "brain"], "brain": {"symptomatic": False, "locally_treated": False}},
           "presentation": "de_novo", "metastatic_diagnosis_date": "2024-05-13",
           "prior_therapies": [{"setting": "metastatic", "drugs": ["docetaxel", "trastuzumab", "pertuzumab"], "start": "2024-06-03", "end": "2026-11-16", "stop_reason": "progression"}],
           "lvef_percent": 58, "labs": {"creatinine_clearance_ml_min": 96, "alt_x_uln": 0.56, "platelets_per_ul": 221000},
           "medications": ["sertraline", "omeprazole"]}
    plan = {"subtype": "HR-/HER2+", "line": 2, "preferred_any": [["trastuzumab_deruxtecan"], ["tucatinib", "trastuzumab", "capecitabine"]]}
    write(name, b, exp, plan)

for f in (s05, s06, s07, s08): f()
print("ok")
