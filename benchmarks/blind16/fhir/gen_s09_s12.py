from _lib import *

def lab(k, code, disp, v, unit, ucum=None, hi=None, lo=None, date=None, **kw):
    rr = {}
    if hi is not None:
        rr["referenceRange"] = [{**({"low": qty(lo, unit, ucum)} if lo is not None else {}), "high": qty(hi, unit, ucum)}]
    return obs(k, cc((LOINC, code, disp)), date=date, valueQuantity=qty(v, unit, ucum), **rr, **kw)
def rx(code, disp): return cc((RXN, code, disp), text=disp)

# ---------------------------------------------------------------- s09 collection urn:uuid, stage only in Condition.stage, HR+/HER2+ elderly, KPS only
def s09():
    name = "s09_collection_hrpos_her2pos_elderly_1l"
    R = []
    R.append({"resourceType": "Patient", "id": "pt", "name": [{"given": ["Margit"], "family": "S."}], "gender": "female", "birthDate": "1954-07-19"})
    R.append(cond("prim", cc((SCT, "408643008", "Infiltrating duct carcinoma of breast"), (ICD10CM, "C50.812", "Malignant neoplasm of overlapping sites of left female breast")),
                  onset="2026-11-03",
                  stage=[{"summary": cc(("http://cancerstaging.org", "4", "Stage IV"), (SCT, "258228008", "Stage 4"), text="Clinical stage IV (cT3 cN1 cM1), AJCC 8th"),
                          "type": cc((SCT, "260998006", "Clinical staging (qualifier value)"))}]))
    R.append(cond("bone", cc((SCT, "94222008", "Secondary malignant neoplasm of bone"), text="Osseous metastases (L shoulder, pelvis) on PET-CT"), onset="2026-11-06"))
    R.append(cond("liver", cc((SCT, "94381002", "Secondary malignant neoplasm of liver"), text="Liver metastasis segment IVa, biopsy-confirmed"), onset="2026-11-10"))
    R.append(cond("lungnod", cc((SCT, "786838002", "Pulmonary nodule"), text="4 mm RUL nodule - indeterminate, follow-up CT 3 months"), status="unconfirmed", onset="2026-11-06"))
    R.append(cond("af", cc((SCT, "49436004", "Atrial fibrillation")), onset="2018-03-01"))
    R.append(cond("ckd", cc((SCT, "433146000", "Chronic kidney disease stage 3B")), onset="2022-01-01"))
    R.append(cond("pain", cc((SCT, "45326000", "Shoulder pain"), text="Left shoulder bone pain"), onset="2026-10-15"))
    R.append(obs("er", cc((LOINC, "85337-4", "Estrogen receptor Ag [Presence] in Breast cancer specimen by Immune stain")), date="2026-11-05",
                 valueCodeableConcept=cc((LOINC, "LA6576-8", "Positive")),
                 component=[{"code": cc((LOINC, "85329-1", "Estrogen receptor [Interpretation] in Breast cancer specimen by Immune stain")), "valueQuantity": qty(60, "%")}]))
    R.append(obs("pr", cc((LOINC, "85339-0", "Progesterone receptor Ag [Presence] in Breast cancer specimen by Immune stain")), date="2026-11-05",
                 valueCodeableConcept=cc((LOINC, "LA6577-6", "Negative")),
                 component=[{"code": cc((LOINC, "85325-9", "Progesterone receptor [Interpretation] in Breast cancer specimen by Immune stain")), "valueQuantity": qty(1, "%", comparator="<")}]))
    R.append(obs("her2", cc((LOINC, "85319-2", "HER2 [Presence] in Breast cancer specimen by Immune stain")), date="2026-11-05",
                 valueCodeableConcept=cc((LOINC, "LA4259-3", "Equivocal"), text="IHC 2+")))
    R.append(obs("ish", cc((LOINC, "85318-4", "HER2 [Presence] in Breast cancer specimen by FISH")), date="2026-11-09",
                 valueCodeableConcept=cc((LOINC, "LA6576-8", "Positive"), text="Amplified"),
                 component=[{"code": txt("HER2/CEP17 ratio"), "valueRatio": {"numerator": {"value": 2.4}, "denominator": {"value": 1}}},
                            {"code": txt("Mean HER2 copy number per cell"), "valueQuantity": {"value": 6.1, "unit": "copies/cell"}}]))
    R.append(obs("kps", cc((LOINC, "89243-0", "Karnofsky Performance Status score")), category="survey", date="2026-11-25", valueInteger=70))
    R.append(obs("wt", cc((LOINC, "29463-7", "Body weight")), category="vital-signs", date="2026-11-25", valueQuantity=qty(59, "kg")))
    R.append(obs("ht", cc((LOINC, "8302-2", "Body height")), category="vital-signs", date="2026-11-25", valueQuantity=qty(160, "cm")))
    R.append(obs("lvef", cc((LOINC, "10230-1", "Left ventricular Ejection fraction")), category="imaging", date="2026-11-18", valueQuantity=qty(55, "%")))
    R.append(lab("crea", "2160-0", "Creatinine", 1.5, "mg/dL", date="2026-11-20"))
    R.append(lab("egfr", "62238-1", "eGFR (CKD-EPI 2021)", 36, "mL/min/{1.73_m2}", date="2026-11-20"))
    R.append(obs("crcl", cc((LOINC, "35591-7", "Creatinine renal clearance predicted by Cockcroft-Gault formula")), date="2026-11-20", valueQuantity=qty(33, "mL/min")))
    R.append(lab("ca", "17861-6", "Calcium", 10.2, "mg/dL", date="2026-11-20"))
    R.append(lab("alb", "1751-7", "Albumin", 3.6, "g/dL", date="2026-11-20"))
    R.append(lab("bili", "1975-2", "Bilirubin total", 0.8, "mg/dL", hi=1.2, date="2026-11-20"))
    R.append(lab("inr", "6301-6", "INR", 2.6, "{INR}", date="2026-11-20"))
    R.append(obs("meno", txt("Menopausal status"), category="social-history", date="2026-11-25", valueString="Postmenopausal (menopause age 51)"))
    R.append(medstmt("ms_warf", rx("11289", "warfarin"), "active", "2018-03-10"))
    R.append(medstmt("ms_biso", rx("19484", "bisoprolol"), "active", "2018-03-10"))
    R.append(medstmt("ms_alen", rx("46041", "alendronate"), "stopped", "2019-01-01", "2026-11-10", reason=txt("Stopped - to switch to denosumab for bone metastases")))
    R.append(medreq("mr_let", rx("72965", "letrozole"), "cancelled", "order", "2026-11-12", note="GP started-letrozole order cancelled by oncology before dispensing"))
    R.append(medreq("mr_tras", rx("224905", "trastuzumab"), "draft", "plan", "2026-11-25"))
    R.append(medreq("mr_pert", rx("1298944", "pertuzumab"), "draft", "plan", "2026-11-25"))
    R.append(medreq("mr_pac", rx("56946", "paclitaxel"), "draft", "plan", "2026-11-25", note="weekly paclitaxel 80 mg/m2 preferred over docetaxel given age/KPS"))
    b = build(name, "collection", R, style="urn", timestamp="2026-11-25T13:00:00+01:00")
    exp = {"as_of": "2026-11-25", "age": 72, "sex": "female", "menopausal_status": "postmenopausal", "weight_kg": 59, "height_cm": 160,
           "tumor": {"er_percent": 60, "pr_status": "negative", "her2_ihc": "2+", "her2_ish": "amplified", "receptor_source": "primary", "histology": "ductal"},
           "metastases": {"sites": ["bone", "liver"]}, "presentation": "de_novo", "metastatic_diagnosis_date": "2026-11-06",
           "prior_therapies": [], "lvef_percent": 55,
           "labs": {"creatinine_clearance_ml_min": 33, "calcium_mg_dl": 10.2, "albumin_g_dl": 3.6, "bilirubin_x_uln": 0.67},
           "medications": ["warfarin", "bisoprolol"], "symptoms": ["left shoulder bone pain"]}
    plan = {"subtype": "HR+/HER2+", "line": 1, "preferred_any": [["trastuzumab", "pertuzumab", "docetaxel"], ["trastuzumab", "pertuzumab", "paclitaxel"],
                                                                 ["trastuzumab_deruxtecan", "pertuzumab"]]}
    write(name, b, exp, plan)

# ---------------------------------------------------------------- s10 Portuguese (BR), dataAbsentReason, TNBC HER2-low 3L
def s10():
    name = "s10_ptbr_tnbc_her2low_3l"
    BR = "http://www.saude.gov.br/fhir/r4/StructureDefinition/"
    CID = "http://www.saude.gov.br/fhir/r4/CodeSystem/BRCID10"
    R = []
    R.append({"resourceType": "Patient", "id": "pt", "meta": {"profile": [BR + "BRIndividuo-1.0"]},
              "identifier": [{"system": "http://rnds.saude.gov.br/fhir/r4/NamingSystem/cpf", "value": "00000001616"}],
              "name": [{"text": "A. P. S."}], "gender": "female", "birthDate": "1971-01-30"})
    R.append(cond("prim", cc((CID, "C50.4", "Neoplasia maligna do quadrante superior externo da mama"), text="Carcinoma ductal invasivo mama direita, triplo-negativo, G3"),
                  onset="2019-08-12", note=[{"text": "Neoadjuvância AC dose-densa -> paclitaxel + carboplatina (2019-2020), mastectomia 02/2020 (doença residual)."}]))
    R.append(cond("lung", cc((CID, "C78.0", "Neoplasia maligna secundária do pulmão"), text="Metástases pulmonares"), onset="2024-12-10"))
    R.append(cond("ln", cc((CID, "C77.1", "Neoplasia maligna secundária e não especificada dos gânglios linfáticos intratorácicos"), text="Linfonodos mediastinais"), onset="2024-12-10"))
    R.append(cond("liver", cc((CID, "C78.7", "Neoplasia maligna secundária do fígado"), text="Metástases hepáticas (novas, 10/2026)"), onset="2026-10-05"))
    R.append(cond("dor", cc((SCT, "301717006", "Right upper quadrant pain"), text="Dor em hipocôndrio direito"), onset="2026-09-28"))
    R.append(cond("has", cc((CID, "I10", "Hipertensão essencial (primária)")), onset="2015-01-01"))
    R.append(obs("er26", cc((LOINC, "85329-1", "Receptor de estrogênio (% núcleos)")), date="2026-10-14", valueQuantity=qty(0, "%"), note=[{"text": "Biópsia hepática 12/10/2026"}]))
    R.append(obs("pr26", cc((LOINC, "85325-9", "Receptor de progesterona (% núcleos)")), date="2026-10-14", valueQuantity=qty(0, "%")))
    R.append(obs("her26", cc((LOINC, "85319-2", "HER2 imuno-histoquímica")), date="2026-10-14", valueCodeableConcept=txt("Escore 1+ (HER2-low)")))
    R.append(obs("pdl1_26", txt("PD-L1 22C3 CPS (biópsia hepática 2026)"), date="2026-10-14",
                 dataAbsentReason=cc((DAR, "not-performed", "Not Performed"), text="Material insuficiente")))
    R.append(obs("pdl1_24", txt("PD-L1 22C3 CPS (biópsia pulmonar 2024)"), date="2024-12-16", valueQuantity={"value": 15, "unit": "CPS"}))
    R.append(obs("her24", cc((LOINC, "85319-2", "HER2 imuno-histoquímica")), date="2024-12-16", valueCodeableConcept=txt("Escore 0")))
    R.append(obs("ki67", cc((LOINC, "85330-9", "Ki-67")), date="2026-10-14", dataAbsentReason=cc((DAR, "error", "Error"))))
    R.append(obs("gbrca", txt("Teste genético germinativo BRCA1/BRCA2"), date="2025-01-08",
                 dataAbsentReason=cc((DAR, "asked-declined", "Asked But Declined"), text="Paciente recusou o teste")))
    R.append(obs("dpyd", cc((LOINC, "80742-5", "DPYD gene targeted mutation analysis")), date="2025-11-20",
                 dataAbsentReason=cc((DAR, "not-performed", "Not Performed"), text="Não realizado (indisponível no SUS)")))
    R.append(obs("ecog", cc((LOINC, "89247-1", "ECOG Performance Status score")), category="survey", date="2026-10-27",
                 valueCodeableConcept=txt("ECOG 1 - sintomática, deambula, atividades leves")))
    R.append(obs("meno", txt("Status menopausal"), category="social-history", date="2026-10-27", valueCodeableConcept=txt("Pós-menopausa")))
    R.append(obs("crcl", cc((LOINC, "2164-2", "Creatinine renal clearance in 24 hour Urine and Serum or Plasma")), period=("2026-10-20T07:00:00-03:00", "2026-10-21T07:00:00-03:00"),
                 valueQuantity=qty(72, "mL/min")))
    R.append(obs("wt", cc((LOINC, "29463-7", "Peso")), category="vital-signs", date="2026-10-27", valueQuantity=qty(66, "kg")))
    R.append(obs("ht", cc((LOINC, "8302-2", "Altura")), category="vital-signs", date="2026-10-27", valueQuantity=qty(158, "cm")))
    d = "2026-10-24"
    R.append(lab("bili", "1975-2", "Bilirrubina total", 1.9, "mg/dL", hi=1.2, lo=0.2, date=d))
    R.append(lab("alt", "1742-6", "TGP (ALT)", 88, "U/L", hi=40, date=d))
    R.append(lab("alb", "1751-7", "Albumina", 3.1, "g/dL", date=d))
    R.append(lab("neut", "751-8", "Neutrófilos", 1600, "/mm3", "/uL", date=d))
    R.append(lab("plt", "777-3", "Plaquetas", 154000, "/mm3", "/uL", date=d))
    def atc(c, disp, t=None): return cc((ATC, c, disp), text=t or disp)
    R.append(medstmt("ms_ac", atc("L01DB01", "doxorrubicina"), "completed", "2019-09-02", "2019-10-14", category=txt("neoadjuvante"), note="AC dose-densa x4"))
    R.append(medstmt("ms_cy", atc("L01AA01", "ciclofosfamida"), "completed", "2019-09-02", "2019-10-14", category=txt("neoadjuvante")))
    R.append(medstmt("ms_pcb", atc("L01CD01", "paclitaxel"), "completed", "2019-10-28", "2020-01-27", category=txt("neoadjuvante")))
    R.append(medstmt("ms_cb", atc("L01XA02", "carboplatina"), "completed", "2019-10-28", "2020-01-27", category=txt("neoadjuvante")))
    R.append(medstmt("ms_pem", atc("L01FF02", "pembrolizumabe", "Keytruda"), "stopped", "2025-01-06", "2025-11-03", reason=txt("Progressão de doença"), category=txt("1ª linha metastática")))
    R.append(medstmt("ms_nab", atc("L01CD01", "paclitaxel ligado à albumina (nab-paclitaxel)"), "stopped", "2025-01-06", "2025-11-03", reason=txt("Progressão de doença")))
    R.append(medstmt("ms_cape", atc("L01BC06", "capecitabina"), "stopped", "2025-11-24", "2026-10-05", reason=txt("Progressão hepática"), category=txt("2ª linha metastática")))
    R.append(medstmt("ms_los", atc("C09CA01", "losartana potássica"), "active", "2015-01-01"))
    R.append(medstmt("ms_ome", atc("A02BC01", "omeprazol"), "active", "2025-01-06"))
    R.append(medstmt("ms_mor", atc("N02AA01", "morfina", "Morfina 10 mg VO se dor"), "active", "2026-10-06"))
    R.append(medreq("mr_sg", atc("L01FX17", "sacituzumabe govitecana", "Trodelvy"), "draft", "plan", "2026-10-27", note="Aguarda aprovação do convênio"))
    b = build(name, "collection", R, style="rel", base="https://rnds-fhir.example.saude.gov.br/api/fhir/r4", timestamp="2026-10-27T17:30:00-03:00",
              meta={"profile": [BR + "BRDocumentoClinico-1.0"]} if False else None)
    exp = {"as_of": "2026-10-27", "age": 55, "sex": "female", "menopausal_status": "postmenopausal", "ecog": 1, "weight_kg": 66, "height_cm": 158,
           "tumor": {"er_percent": 0, "pr_percent": 0, "her2_ihc": "1+", "pdl1_cps": 15, "receptor_source": "metastasis", "histology": "ductal"},
           "metastases": {"sites": ["lung", "distant_lymph_nodes", "liver"]}, "presentation": "recurrence", "metastatic_diagnosis_date": "2024-12-10",
           "prior_therapies": [
               {"setting": "neoadjuvant", "drugs": ["doxorubicin", "cyclophosphamide", "paclitaxel", "carboplatin"], "start": "2019-09-02", "end": "2020-01-27", "stop_reason": "completed"},
               {"setting": "metastatic", "drugs": ["pembrolizumab", "nab_paclitaxel"], "start": "2025-01-06", "end": "2025-11-03", "stop_reason": "progression"},
               {"setting": "metastatic", "drugs": ["capecitabine"], "start": "2025-11-24", "end": "2026-10-05", "stop_reason": "progression"}],
           "labs": {"creatinine_clearance_ml_min": 72, "bilirubin_x_uln": 1.58, "alt_x_uln": 2.2, "albumin_g_dl": 3.1, "anc_per_ul": 1600, "platelets_per_ul": 154000},
           "medications": ["losartan", "omeprazole", "morphine"], "symptoms": ["right upper quadrant pain"]}
    plan = {"subtype": "TNBC", "line": 3, "preferred_any": [["sacituzumab_govitecan"], ["trastuzumab_deruxtecan"]]}
    write(name, b, exp, plan)

# ---------------------------------------------------------------- s11 combination product (Kisqali Femara Co-Pack), AKT1 2L
def s11():
    name = "s11_copack_hrpos_akt1_2l"
    R = []
    R.append({"resourceType": "Patient", "id": "pt", "name": [{"given": ["Rosa"], "family": "V."}], "gender": "female", "birthDate": "1965-05-05"})
    R.append(cond("prim", cc((SCT, "254837009", "Malignant neoplasm of breast"), (ICD10CM, "C50.411", "Malignant neoplasm of upper-outer quadrant of right female breast")),
                  onset="2024-01-22", stage=[{"summary": txt("Stage IV (de novo) - bone only")}]))
    R.append(cond("bone", cc((SCT, "94222008", "Secondary malignant neoplasm of bone"), (ICD10CM, "C79.51", "Secondary malignant neoplasm of bone")), onset="2024-01-22"))
    R.append(cond("liver", cc((SCT, "94381002", "Secondary malignant neoplasm of liver"), (ICD10CM, "C78.7", "Secondary malignant neoplasm of liver and intrahepatic bile duct")), onset="2026-08-31"))
    R.append(cond("fat", cc((SCT, "84229001", "Fatigue")), onset="2026-08-01"))
    R.append(cond("pna", cc((SCT, "233604007", "Pneumonia")), onset="2026-09-08", clinical="resolved", abatementDateTime="2026-09-22"))
    def o(k, code, disp, date, **v): return obs(k, cc((LOINC, code, disp)), date=date, **v)
    R.append(o("er24", "85329-1", "ER % (breast core)", "2024-01-25", valueQuantity=qty(95, "%")))
    R.append(o("pr24", "85325-9", "PR % (breast core)", "2024-01-25", valueQuantity=qty(60, "%")))
    R.append(o("her24", "85319-2", "HER2 IHC (breast core)", "2024-01-25", valueCodeableConcept=txt("1+")))
    R.append(o("er26", "85329-1", "ER % (liver core 2026-09-04)", "2026-09-08", valueQuantity=qty(85, "%")))
    R.append(o("pr26", "85325-9", "PR % (liver core 2026-09-04)", "2026-09-08", valueQuantity=qty(2, "%")))
    R.append(o("her26", "85319-2", "HER2 IHC (liver core 2026-09-04)", "2026-09-08", valueCodeableConcept=txt("0 - no membrane staining in any tumor cell (null)")))
    R.append(variant("v_akt1", "AKT1", "HGNC:391", "2026-09-18", dna="c.49G>A", protein="p.Glu17Lys", text="AKT1 E17K detected (ctDNA, VAF 6.8%)"))
    R.append(variant("v_pik", "PIK3CA", "HGNC:8975", "2026-09-18", present=False, text="PIK3CA: not detected"))
    R.append(variant("v_esr1", "ESR1", "HGNC:3467", "2026-09-18", present=False, text="ESR1: not detected"))
    R.append(variant("v_pten", "PTEN", "HGNC:9588", "2026-09-18", present=False, text="PTEN: no alteration detected"))
    R.append(obs("ecog", cc((LOINC, "89247-1", "ECOG Performance Status score")), category="survey", date="2026-10-14", valueInteger=1))
    R.append(obs("meno", txt("Menopausal status"), category="social-history", date="2026-10-14", valueCodeableConcept=cc((SCT, "76498008", "Postmenopausal state"))))
    R.append(obs("wt", cc((LOINC, "29463-7", "Body weight")), category="vital-signs", date="2026-10-14", valueQuantity=qty(81.2, "kg")))
    R.append(obs("qtc", cc((LOINC, "8636-3", "QT interval corrected"), text="QTcF (Fridericia)"), category="procedure", date="2026-10-01", valueQuantity=qty(438, "ms")))
    R.append(lab("a1c", "4548-4", "Hemoglobin A1c", 5.9, "%", date="2026-10-10"))
    R.append(lab("fpg", "1558-6", "Fasting glucose", 104, "mg/dL", date="2026-10-10"))
    R.append(lab("alt", "1742-6", "ALT", 35, "U/L", hi=35, date="2026-10-10"))
    R.append(lab("bili", "1975-2", "Bilirubin total", 0.6, "mg/dL", hi=1.2, date="2026-10-10"))
    R.append({"resourceType": "Medication", "id": "med_copack",
              "code": cc((RXN, "1873983", "ribociclib 200 MG Oral Tablet / letrozole 2.5 MG Oral Tablet Pack [Kisqali Femara Co-Pack]"),
                         text="Kisqali Femara Co-Pack (ribociclib 600 mg/day + letrozole 2.5 mg/day)"),
              "form": txt("kit"),
              "ingredient": [{"itemCodeableConcept": cc((RXN, "1873916", "ribociclib")), "isActive": True,
                              "strength": {"numerator": qty(200, "mg"), "denominator": {"value": 1, "unit": "tablet", "system": UCUM, "code": "{tbl}"}}},
                             {"itemCodeableConcept": cc((RXN, "72965", "letrozole")), "isActive": True,
                              "strength": {"numerator": qty(2.5, "mg"), "denominator": {"value": 1, "unit": "tablet", "system": UCUM, "code": "{tbl}"}}}]})
    R.append(medreq("mr_copack", "@med_copack", "stopped", "order", "2024-02-12",
                    dosage=["ribociclib 600 mg daily d1-21 + letrozole 2.5 mg daily, 28-day cycle", "ribociclib reduced to 400 mg from C4 (neutropenia G3); letrozole unchanged"],
                    statusReason=txt("Disease progression - new liver metastases 2026-08-31"),
                    dispenseRequest={"validityPeriod": {"start": "2024-02-12", "end": "2026-08-31"}}))
    R.append(medstmt("ms_copack", "@med_copack", "stopped", "2024-02-12", "2026-08-31", reason=txt("Progression")))
    R.append(medstmt("ms_zol", rx("77655", "zoledronic acid"), "active", "2024-02-20", dosage=["4 mg IV every 12 weeks"]))
    R.append(medstmt("ms_clar", rx("21212", "clarithromycin"), "completed", "2026-09-08", "2026-09-18", note="Pneumonia course - finished"))
    R.append(medstmt("ms_hctz", rx("5487", "hydrochlorothiazide"), "active", "2017-01-01"))
    R.append(medstmt("ms_vd", rx("2418", "cholecalciferol"), "active", "2024-02-20"))
    R.append(medreq("mr_capi", txt("capivasertib 400 mg BID, 4 days on / 3 days off (Truqap)"), "draft", "proposal", "2026-10-14"))
    R.append(medreq("mr_ful", rx("282357", "fulvestrant"), "draft", "proposal", "2026-10-14"))
    b = build(name, "collection", R, style="abs", base="http://fhir.oncology-clinic.example.org/baseR4", timestamp="2026-10-14T09:05:00-07:00")
    exp = {"as_of": "2026-10-14", "age": 61, "sex": "female", "menopausal_status": "postmenopausal", "ecog": 1, "weight_kg": 81.2,
           "tumor": {"er_percent": 85, "pr_percent": 2, "her2_ihc": "0", "receptor_source": "metastasis"},
           "somatic": ["AKT1 E17K", "PIK3CA wildtype", "ESR1 wildtype", "PTEN wildtype"],
           "metastases": {"sites": ["bone", "liver"]}, "presentation": "de_novo", "metastatic_diagnosis_date": "2024-01-22",
           "prior_therapies": [{"setting": "metastatic", "drugs": ["ribociclib", "letrozole"], "start": "2024-02-12", "end": "2026-08-31", "stop_reason": "progression"}],
           "qtcf_ms": 438, "labs": {"hba1c_percent": 5.9, "fasting_glucose_mg_dl": 104, "alt_x_uln": 1.0, "bilirubin_x_uln": 0.5},
           "medications": ["zoledronic_acid", "hydrochlorothiazide", "cholecalciferol"], "symptoms": ["fatigue"]}
    plan = {"subtype": "HR+/HER2-", "line": 2, "preferred_any": [["capivasertib", "fulvestrant"]]}
    write(name, b, exp, plan)

# ---------------------------------------------------------------- s12 EHR export: Encounter, Procedure, ClinicalImpression, Provenance
def s12():
    name = "s12_ehrexport_premeno_ultralow_1l"
    R = []
    R.append({"resourceType": "Patient", "id": "pt", "name": [{"given": ["Chloe"], "family": "W."}], "gender": "female", "birthDate": "1984-02-14"})
    R.append({"resourceType": "Practitioner", "id": "onc", "name": [{"text": "Dr. F. G."}]})
    R.append({"resourceType": "Encounter", "id": "enc1", "status": "finished", "class": {"system": "http://terminology.hl7.org/CodeSystem/v3-ActCode", "code": "AMB", "display": "ambulatory"},
              "type": [txt("New patient consult - medical oncology")], "subject": {"reference": "@pt"},
              "participant": [{"individual": {"reference": "@onc"}}], "period": {"start": "2026-11-30T09:00:00-05:00", "end": "2026-11-30T10:10:00-05:00"}})
    R.append({"resourceType": "Encounter", "id": "enc0", "status": "finished", "class": {"system": "http://terminology.hl7.org/CodeSystem/v3-ActCode", "code": "AMB", "display": "ambulatory"},
              "type": [txt("Interventional radiology - CT-guided bone biopsy")], "subject": {"reference": "@pt"}, "period": {"start": "2026-11-16", "end": "2026-11-16"}})
    R.append(cond("prim", cc((SCT, "408643008", "Infiltrating duct carcinoma of breast"), (ICD10CM, "C50.411", "Malignant neoplasm of upper-outer quadrant of right female breast")),
                  onset="2026-11-09", encounter={"reference": "@enc1"}, stage=[{"summary": txt("cT2 cN1 M1 (bone) - stage IV, de novo")}]))
    R.append(cond("bone", cc((SCT, "94222008", "Secondary malignant neoplasm of bone"), (ICD10CM, "C79.51", "Secondary malignant neoplasm of bone"),
                             text="Bone-only metastases: T12, L3, sacrum (biopsy T12 positive)"), onset="2026-11-12"))
    R.append(cond("liv", cc((SCT, "94381002", "Secondary malignant neoplasm of liver"), text="Liver - 6 mm hypodensity, too small to characterize; likely cyst"),
                  status="unconfirmed", onset="2026-11-12"))
    R.append(cond("bp", cc((SCT, "279039007", "Low back pain"), text="Mid/low back pain, no neuro deficit"), onset="2026-10-20"))
    R.append({"resourceType": "Procedure", "id": "bx_breast", "status": "completed", "subject": {"reference": "@pt"},
              "code": cc((SCT, "237372001", "Core needle biopsy of breast"), text="US-guided core biopsy R breast 10 o'clock"), "performedDateTime": "2026-11-09"})
    R.append({"resourceType": "Procedure", "id": "bx_bone", "status": "completed", "subject": {"reference": "@pt"}, "encounter": {"reference": "@enc0"},
              "code": cc((SCT, "48635004", "Biopsy of bone"), text="CT-guided biopsy T12 vertebral body"), "performedDateTime": "2026-11-16"})
    R.append({"resourceType": "Procedure", "id": "rt", "status": "not-done", "subject": {"reference": "@pt"},
              "code": txt("Palliative RT to T12 (8 Gy x1)"), "statusReason": txt("Pain controlled with analgesia; no cord compression on MRI - RT deferred")})
    def o(k, code, disp, date, **v): return obs(k, cc((LOINC, code, disp)), date=date, **v)
    R.append(o("er_b", "85329-1", "ER % (breast)", "2026-11-11", valueQuantity=qty(98, "%")))
    R.append(o("pr_b", "85325-9", "PR % (breast)", "2026-11-11", valueQuantity=qty(85, "%")))
    R.append(o("her_b", "85319-2", "HER2 IHC (breast)", "2026-11-11", valueCodeableConcept=txt("1+")))
    R.append(o("er_t", "85329-1", "ER % (T12 bone, decalcified)", "2026-11-20", valueQuantity=qty(90, "%")))
    R.append(o("pr_t", "85325-9", "PR % (T12 bone, decalcified)", "2026-11-20", valueQuantity=qty(30, "%")))
    R.append(o("her_t", "85319-2", "HER2 IHC (T12 bone, decalcified)", "2026-11-20",
               valueCodeableConcept=txt("0 with faint incomplete membrane staining in ~5% of cells (HER2-ultralow)")))
    R.append(obs("ecog", cc((LOINC, "89247-1", "ECOG Performance Status score")), category="survey", date="2026-11-30", valueInteger=0, encounter={"reference": "@enc1"}))
    R.append(obs("meno", txt("Menopausal status"), category="social-history", date="2026-11-30", valueCodeableConcept=cc((SCT, "289904002", "Premenopausal state")),
                 note=[{"text": "Regular cycles; LMP 11/18/2026. Was on combined OCP until 11/12/2026."}]))
    R.append(o("hcg", "2106-3", "Choriogonadotropin (pregnancy test) [Presence] in Urine", "2026-11-30", valueCodeableConcept=cc((SCT, "260385009", "Negative"))))
    R.append(obs("wt", cc((LOINC, "29463-7", "Body weight")), category="vital-signs", date="2026-11-30", valueQuantity=qty(68, "kg")))
    R.append(obs("ht", cc((LOINC, "8302-2", "Body height")), category="vital-signs", date="2026-11-30", valueQuantity=qty(171, "cm")))
    R.append(lab("ca", "17861-6", "Calcium", 9.8, "mg/dL", date="2026-11-25"))
    R.append(lab("alb", "1751-7", "Albumin", 4.3, "g/dL", date="2026-11-25"))
    R.append(lab("anc", "751-8", "Neutrophils", 4.2, "10*3/uL", date="2026-11-25"))
    R.append(lab("plt", "777-3", "Platelets", 287, "10*3/uL", date="2026-11-25"))
    R.append(medstmt("ms_tam", rx("10324", "tamoxifen 20 MG Oral Tablet"), "not-taken", date="2026-11-30",
                     statusReason=[txt("Prescribed by PCP 11/10/2026 while awaiting oncology; patient chose not to start it")]))
    R.append(medstmt("ms_ocp", rx("1359133", "ethinyl estradiol / levonorgestrel oral contraceptive"), "stopped", "2015-01-01", "2026-11-12",
                     reason=txt("Stopped - hormone receptor positive breast cancer")))
    R.append(medstmt("ms_apap", rx("161", "acetaminophen"), "active", "2026-10-25", dosage=["1 g PO q8h PRN back pain"]))
    R.append(medstmt("ms_nap", rx("7258", "naproxen"), "active", "2026-10-25", dosage=["500 mg BID with food"]))
    R.append(medreq("mr_gos", rx("50610", "goserelin"), "active", "order", "2026-11-30", note="First implant scheduled 12/03/2026"))
    R.append(medreq("mr_let", rx("72965", "letrozole"), "draft", "plan", "2026-11-30", note="Start 2 weeks after goserelin"))
    R.append(medreq("mr_rib", rx("1873916", "ribociclib"), "draft", "plan", "2026-11-30", note="After baseline ECG"))
    R.append({"resourceType": "ServiceRequest", "id": "sr_germ", "status": "active", "intent": "order", "subject": {"reference": "@pt"},
              "code": txt("Germline multigene panel (BRCA1/2, PALB2 ...)"), "authoredOn": "2026-11-30"})
    R.append({"resourceType": "ClinicalImpression", "id": "ci", "status": "completed", "subject": {"reference": "@pt"}, "encounter": {"reference": "@enc1"},
              "effectiveDateTime": "2026-11-30", "assessor": {"reference": "@onc"},
              "description": "42F premenopausal, de novo ER+/PR+ HER2-ultralow IDC with bone-only metastases. No visceral crisis. Liver hypodensity likely cyst.",
              "summary": "No visceral crisis. Plan: OFS (goserelin) + letrozole + ribociclib; denosumab after dental clearance; germline testing sent.",
              "finding": [{"itemReference": {"reference": "@bone"}}, {"itemCodeableConcept": txt("No visceral crisis")}]})
    R.append({"resourceType": "Provenance", "id": "prov", "target": [{"reference": "@ci"}, {"reference": "@prim"}, {"reference": "@her_t"}],
              "recorded": "2026-11-30T10:15:00-05:00",
              "activity": cc(("http://terminology.hl7.org/CodeSystem/v3-DataOperation", "CREATE", "create")),
              "agent": [{"type": cc(("http://terminology.hl7.org/CodeSystem/provenance-participant-type", "author", "Author")), "who": {"reference": "@onc"}}]})
    b = build(name, "collection", R, style="urn", timestamp="2026-11-30T10:20:00-05:00",
              meta={"source": "urn:example:epic-export", "tag": [{"system": "urn:example:export", "code": "bulk-patient-export"}]})
    exp = {"as_of": "2026-11-30", "age": 42, "sex": "female", "menopausal_status": "premenopausal", "ecog": 0, "weight_kg": 68, "height_cm": 171, "pregnant": False,
           "tumor": {"er_percent": 90, "pr_percent": 30, "her2_ihc": "ultralow", "receptor_source": "metastasis", "histology": "ductal"},
           "metastases": {"sites": ["bone"], "visceral_crisis": False}, "presentation": "de_novo", "metastatic_diagnosis_date": "2026-11-12",
           "prior_therapies": [],
           "labs": {"calcium_mg_dl": 9.8, "albumin_g_dl": 4.3, "anc_per_ul": 4200, "platelets_per_ul": 287000},
           "medications": ["paracetamol", "naproxen"], "symptoms": ["back pain"]}
    plan = {"subtype": "HR+/HER2-", "line": 1, "preferred_any": [[a, c] for a in ["letrozole", "anastrozole", "exemestane", "fulvestrant"] for c in ["ribociclib", "palbociclib", "abemaciclib"]]}
    write(name, b, exp, plan)

for f in (s09, s10, s11, s12): f()
print("ok")
