from _lib import *

# ---------------------------------------------------------------- s01 UK Core
def s01():
    name = "s01_ukcore_hrpos_relapse_1l"
    UKP = "https://fhir.hl7.org.uk/StructureDefinition/"
    DMD = "https://dmd.nhs.uk"
    def dmd(code, disp): return cc((DMD, code, disp), text=disp)
    R = []
    R.append({"resourceType": "Patient", "id": "pt", "meta": {"profile": [UKP + "UKCore-Patient"]},
              "identifier": [{"system": "https://fhir.nhs.uk/Id/nhs-number", "value": "9990001161"}],
              "name": [{"use": "official", "family": "H.", "given": ["J."], "prefix": ["Mrs"]}],
              "gender": "female", "birthDate": "1972-03-15",
              "generalPractitioner": [{"display": "Riverside Medical Practice"}]})
    R.append(cond("prim", cc((SCT, "254837009", "Malignant neoplasm of breast"), (ICD10, "C50.4", "Malignant neoplasm: Upper-outer quadrant of breast"),
                             text="Right breast invasive ductal carcinoma (NST), grade 2"), onset="2019-05-20",
                  clinical="active", profile=UKP + "UKCore-Condition",
                  bodySite=[cc((SCT, "80248007", "Right breast structure"))],
                  stage=[{"summary": txt("pT2 pN1a M0 - stage IIB (2019)")}],
                  note=[{"text": "WLE + ANC 06/2019. Adj EC x3 -> paclitaxel x9 (2019). Adj letrozole Jan 2020 - Jan 2025, completed 5 yrs."}]))
    R.append(cond("bone", cc((SCT, "94222008", "Secondary malignant neoplasm of bone"), (ICD10, "C79.5", "Secondary malignant neoplasm of bone and bone marrow"),
                             text="Bone metastases - L iliac bone, T8, T11 (biopsy proven 14/09/2026)"), onset="2026-09-02",
                  profile=UKP + "UKCore-Condition"))
    R.append(cond("nodes", cc((SCT, "94392001", "Secondary malignant neoplasm of lymph node"), (ICD10, "C77.1", "Secondary malignant neoplasm: Intrathoracic lymph nodes"),
                              text="Mediastinal (subcarinal) lymphadenopathy - metastatic"), onset="2026-09-02",
                  profile=UKP + "UKCore-Condition"))
    R.append(cond("liver", cc((SCT, "94381002", "Secondary malignant neoplasm of liver"), text="?Liver metastasis segment 6"), status="refuted",
                  clinical=None, onset="2026-09-02", note=[{"text": "MRI liver 21/09/2026: 9 mm lesion seg 6 is a typical haemangioma. No liver metastases."}]))
    R.append(cond("hip", cc((SCT, "202474002", "Pain in left hip"), text="Left hip pain, worse on weight bearing"), onset="2026-08-10"))
    R.append(cond("htn", cc((SCT, "38341003", "Hypertensive disorder"), (ICD10, "I10", "Essential (primary) hypertension")), onset="2016-02-01"))
    # receptors: old 2019 primary vs new 2026 bone biopsy
    R.append({"resourceType": "Specimen", "id": "spec19", "subject": {"reference": "@pt"},
              "type": cc((SCT, "122738005", "Core needle biopsy specimen"), text="Right breast core biopsy 2019"),
              "collection": {"collectedDateTime": "2019-05-20"}})
    R.append({"resourceType": "Specimen", "id": "spec26", "subject": {"reference": "@pt"},
              "type": cc((SCT, "430268003", "Specimen from bone"), text="L iliac bone core, EDTA-decalcified"),
              "collection": {"collectedDateTime": "2026-09-14"}})
    R.append(obs("er19", cc((LOINC, "85337-4", "Estrogen receptor Ag [Presence] in Breast cancer specimen by Immune stain")), date="2019-05-24",
                 valueCodeableConcept=txt("Positive - Allred 8/8"), specimen={"reference": "@spec19"}))
    R.append(obs("pr19", cc((LOINC, "85339-0", "Progesterone receptor Ag [Presence] in Breast cancer specimen by Immune stain")), date="2019-05-24",
                 valueCodeableConcept=txt("Positive - Allred 6/8"), specimen={"reference": "@spec19"}))
    R.append(obs("her19", cc((LOINC, "85319-2", "HER2 [Presence] in Breast cancer specimen by Immune stain")), date="2019-05-24",
                 valueCodeableConcept=txt("Score 0 (negative)"), specimen={"reference": "@spec19"}))
    R.append(obs("er26", cc((LOINC, "85329-1", "Estrogen receptor [Interpretation] in Breast cancer specimen by Immune stain"),
                            text="ER % positive nuclei"), date="2026-09-17", valueQuantity=qty(90, "%"), specimen={"reference": "@spec26"}))
    R.append(obs("pr26", cc((LOINC, "85325-9", "Progesterone receptor [Interpretation] in Breast cancer specimen by Immune stain"),
                            text="PR % positive nuclei"), date="2026-09-17", valueQuantity=qty(10, "%"), specimen={"reference": "@spec26"}))
    R.append(obs("her26", cc((LOINC, "85319-2", "HER2 [Presence] in Breast cancer specimen by Immune stain")), date="2026-09-17",
                 valueCodeableConcept=txt("1+ (faint incomplete membrane staining in ~30% of tumour cells) - HER2-low"),
                 specimen={"reference": "@spec26"},
                 note=[{"text": "Decalcified bone specimen; ER/PR may be under-estimated. ISH not indicated."}]))
    R.append(obs("ecog", cc((LOINC, "89247-1", "ECOG Performance Status score")), category="survey", date="2026-10-08", valueInteger=1))
    R.append(obs("meno", cc((SCT, "161712005", "Menopause, function"), text="Menopausal status"), category="social-history", date="2026-10-08",
                 valueCodeableConcept=cc((SCT, "76498008", "Postmenopausal state"), text="Post-menopausal (LMP 2021)")))
    R.append(obs("wt", cc((LOINC, "29463-7", "Body weight")), category="vital-signs", date="2026-10-08", valueQuantity=qty(71.4, "kg")))
    R.append(obs("ht", cc((LOINC, "8302-2", "Body height")), category="vital-signs", date="2026-10-08", valueQuantity=qty(163, "cm")))
    def lab(k, loinc, disp, v, unit, code, hi=None, lo=None):
        rr = {}
        if hi is not None:
            rr = {"referenceRange": [{**({"low": qty(lo, unit, code)} if lo is not None else {}), "high": qty(hi, unit, code)}]}
        return obs(k, cc((LOINC, loinc, disp)), date="2026-10-06", valueQuantity=qty(v, unit, code), **rr)
    R.append(lab("crea", "14682-9", "Creatinine [Moles/volume] in Serum or Plasma", 68, "umol/L", "umol/L", 97, 45))
    R.append(lab("ca", "2000-8", "Calcium [Moles/volume] in Serum or Plasma", 2.38, "mmol/L", "mmol/L", 2.6, 2.2))
    R.append(lab("alb", "61151-7", "Albumin [Mass/volume] in Serum or Plasma by Bromocresol green (BCG) dye binding method", 41, "g/L", "g/L", 50, 35))
    R.append(lab("alt", "1742-6", "Alanine aminotransferase [Enzymatic activity/volume] in Serum or Plasma", 22, "U/L", "U/L", 33))
    R.append(lab("bili", "14631-6", "Bilirubin.total [Moles/volume] in Serum or Plasma", 9, "umol/L", "umol/L", 21))
    R.append(lab("anc", "751-8", "Neutrophils [#/volume] in Blood by Automated count", 3.9, "10*9/L", "10*9/L", 7.5, 2.0))
    R.append(lab("plt", "777-3", "Platelets [#/volume] in Blood by Automated count", 245, "10*9/L", "10*9/L", 400, 150))
    # therapies
    R.append(medstmt("ms_ec", dmd("39720311000001101", "Epirubicin 50mg/25ml solution for infusion vials"), "completed", "2019-07-08", "2019-08-19",
                     note="Adjuvant EC (epirubicin 90 mg/m2 + cyclophosphamide 600 mg/m2) x3", category=txt("Adjuvant chemotherapy")))
    R.append(medstmt("ms_cyc", dmd("36000411000001108", "Cyclophosphamide 1g powder for solution for injection vials"), "completed", "2019-07-08", "2019-08-19",
                     category=txt("Adjuvant chemotherapy")))
    R.append(medstmt("ms_pac", dmd("4218411000001104", "Paclitaxel 300mg/50ml concentrate for solution for infusion vials"), "completed", "2019-09-09", "2019-11-25",
                     note="Weekly paclitaxel 80 mg/m2; 9 of 12 planned doses given - stopped early for grade 2 neuropathy", category=txt("Adjuvant chemotherapy")))
    R.append(medstmt("ms_let", dmd("42208111000001106", "Letrozole 2.5mg tablets"), "completed", "2020-01-10", "2025-01-08",
                     note="Adjuvant letrozole - completed planned 5 years", category=txt("Adjuvant endocrine therapy")))
    R.append(medstmt("ms_aml", dmd("319283006", "Amlodipine 5mg tablets"), "active", "2016-02-01", dosage=["5mg once daily"]))
    R.append(medstmt("ms_vitd", dmd("39637911000001109", "Colecalciferol 800unit capsules"), "active", "2025-02-01", dosage=["ONE capsule daily"]))
    R.append(medreq("mr_let", dmd("42208111000001106", "Letrozole 2.5mg tablets"), "draft", "plan", "2026-10-08",
                    dosageInstruction=[{"text": "2.5mg once daily - to start after MDT / consent"}], requester={"display": "Dr A. P., Consultant Medical Oncologist"}))
    R.append(medreq("mr_rib", dmd("34917711000001107", "Kisqali 200mg tablets (Novartis Pharmaceuticals UK Ltd)"), "draft", "plan", "2026-10-08",
                    dosageInstruction=[{"text": "600mg once daily d1-21 q28d - pending baseline ECG"}]))
    R.append(medreq("mr_zol", dmd("37211811000001104", "Zoledronic acid 4mg/100ml solution for infusion"), "draft", "plan", "2026-10-08",
                    note="Dental review first"))
    R.append({"resourceType": "FamilyMemberHistory", "id": "fh1", "status": "completed", "patient": {"reference": "@pt"},
              "relationship": cc(("http://terminology.hl7.org/CodeSystem/v3-RoleCode", "SIS", "sister")),
              "condition": [{"code": cc((SCT, "254837009", "Malignant neoplasm of breast")), "onsetAge": {"value": 48, "unit": "a", "system": UCUM, "code": "a"}}]})
    R.append({"resourceType": "FamilyMemberHistory", "id": "fh2", "status": "completed", "patient": {"reference": "@pt"},
              "relationship": cc(("http://terminology.hl7.org/CodeSystem/v3-RoleCode", "MTH", "mother")),
              "condition": [{"code": cc((SCT, "363443007", "Malignant tumor of ovary")), "note": [{"text": "BRCA2 carrier (tested 2018)"}]}]})
    R.append({"resourceType": "ServiceRequest", "id": "sr_gen", "status": "active", "intent": "order", "subject": {"reference": "@pt"},
              "code": txt("Referral to Clinical Genetics - germline BRCA1/BRCA2/PALB2 testing (R208)"), "authoredOn": "2026-10-08"})
    b = build(name, "collection", R, style="abs", base="https://fhir.nhstrust.example.uk/R4", timestamp="2026-10-08T11:20:00+01:00",
              meta={"profile": [UKP + "UKCore-Bundle"]} if False else None)
    exp = {"as_of": "2026-10-08", "age": 54, "sex": "female", "menopausal_status": "postmenopausal", "ecog": 1,
           "weight_kg": 71.4, "height_cm": 163,
           "tumor": {"er_percent": 90, "pr_percent": 10, "her2_ihc": "1+", "receptor_source": "metastasis", "histology": "ductal"},
           "metastases": {"sites": ["bone", "distant_lymph_nodes"]}, "presentation": "recurrence", "metastatic_diagnosis_date": "2026-09-02",
           "prior_therapies": [
               {"setting": "adjuvant", "drugs": ["epirubicin", "cyclophosphamide", "paclitaxel"], "start": "2019-07-08", "end": "2019-11-25", "stop_reason": "toxicity"},
               {"setting": "adjuvant", "drugs": ["letrozole"], "start": "2020-01-10", "end": "2025-01-08", "stop_reason": "completed"}],
           "labs": {"calcium_mg_dl": 9.54, "albumin_g_dl": 4.1, "alt_x_uln": 0.67, "bilirubin_x_uln": 0.43, "anc_per_ul": 3900, "platelets_per_ul": 245000},
           "medications": ["amlodipine", "cholecalciferol"], "symptoms": ["left hip pain"]}
    plan = {"subtype": "HR+/HER2-", "line": 1, "preferred_any": [[a, c] for a in ["letrozole", "anastrozole", "exemestane", "fulvestrant"] for c in ["ribociclib", "palbociclib", "abemaciclib"]]}
    write(name, b, exp, plan)

# ---------------------------------------------------------------- s02 Italian producer
def s02():
    name = "s02_it_tnbc_pdl1_1l"
    R = []
    ITP = "http://hl7.it/fhir/base/StructureDefinition/"
    R.append({"resourceType": "Patient", "id": "pt", "meta": {"profile": [ITP + "patient-it-base"]},
              "identifier": [{"system": "http://hl7.it/sid/codiceFiscale", "value": "RSSMRA82H70X000Y"}],
              "name": [{"family": "R.", "given": ["M."]}], "gender": "female", "birthDate": "1982-06-30",
              "address": [{"city": "Bologna", "country": "IT"}], "communication": [{"language": cc(("urn:ietf:bcp:47", "it-IT", "italiano"))}]})
    R.append(cond("prim", cc((SCT, "408643008", "Infiltrating duct carcinoma of breast"), (ICD10, "C50.2", "Tumore maligno del quadrante supero-interno della mammella"),
                             text="Carcinoma duttale infiltrante (NST) mammella sinistra, G3, triplo negativo"), onset="2021-03-11",
                  stage=[{"summary": txt("pT2 pN0 (0/2 sn) M0 - stadio IIA")}],
                  note=[{"text": "Quadrantectomia + BLS 03/2021; EC x4 -> paclitaxel settimanale x12 adiuvante; RT mammaria 2021."}]))
    R.append(cond("pleura", cc((SCT, "94390009", "Secondary malignant neoplasm of pleura"), (ICD10, "C78.2", "Tumore maligno secondario della pleura"),
                               text="Versamento pleurico destro - citologia POSITIVA per carcinoma"), onset="2026-10-20"))
    R.append(cond("lung", cc((SCT, "94391008", "Secondary malignant neoplasm of lung"), (ICD10, "C78.0", "Tumore maligno secondario del polmone"),
                             text="Noduli polmonari bilaterali (max 14 mm LID) - metastasi, biopsia TC-guidata"), onset="2026-10-20"))
    R.append(cond("adr", cc((SCT, "126873006", "Neoplasm of adrenal gland"), text="Nodulo surrenalico sx 11 mm - verosimilmente adenoma"),
                  status="unconfirmed", onset="2026-10-18"))
    R.append(cond("dysp", cc((SCT, "60845006", "Dyspnea on exertion"), text="Dispnea da sforzo (dopo 1 rampa di scale)"), onset="2026-10-01"))
    R.append(cond("hypo", cc((SCT, "40930008", "Hypothyroidism"), (ICD10, "E03.9", "Ipotiroidismo, non specificato")), onset="2015-01-01"))
    def ihc(k, code, disp, date, spec, **v):
        return obs(k, cc((LOINC, code, disp)), date=date, specimen={"reference": spec}, **v)
    R.append({"resourceType": "Specimen", "id": "sp21", "subject": {"reference": "@pt"}, "type": txt("Biopsia mammaria (core) 2021"), "collection": {"collectedDateTime": "2021-03-11"}})
    R.append({"resourceType": "Specimen", "id": "sp26", "subject": {"reference": "@pt"}, "type": txt("Biopsia polmonare TC-guidata LID"), "collection": {"collectedDateTime": "2026-10-20"}})
    R.append(ihc("er21", "85329-1", "Recettore estrogenico % nuclei positivi", "2021-03-15", "@sp21", valueQuantity=qty(0, "%")))
    R.append(ihc("pr21", "85325-9", "Recettore progestinico % nuclei positivi", "2021-03-15", "@sp21", valueQuantity=qty(0, "%")))
    R.append(ihc("her21", "85319-2", "HER2 immunoistochimica", "2021-03-15", "@sp21", valueCodeableConcept=txt("1+ (HER2-low)")))
    R.append(ihc("er26", "85329-1", "Recettore estrogenico % nuclei positivi", "2026-10-24", "@sp26", valueQuantity=qty(0, "%")))
    R.append(ihc("pr26", "85325-9", "Recettore progestinico % nuclei positivi", "2026-10-24", "@sp26", valueQuantity=qty(0, "%")))
    R.append(ihc("her26", "85319-2", "HER2 immunoistochimica", "2026-10-24", "@sp26",
                 valueCodeableConcept=txt("Score 0 - assenza di colorazione di membrana (HER2-null)")))
    R.append(obs("pdl1", cc(("http://ospedale.example.it/CodeSystem/anatomia-patologica", "PDL1-22C3-CPS", "PD-L1 (clone 22C3) Combined Positive Score")),
                 date="2026-10-24", specimen={"reference": "@sp26"}, valueQuantity={"value": 22, "unit": "CPS"},
                 interpretation=[txt("Positivo (CPS >= 10)")]))
    R.append(obs("ki67", cc((LOINC, "85330-9", "Ki-67 % nuclei positivi")), date="2026-10-24", valueQuantity=qty(70, "%")))
    R.append({"resourceType": "Observation", "id": "gbrca", "status": "final", "category": cat("laboratory"),
              "code": cc((LOINC, "81247-9", "Master HL7 genetic variant reporting panel"), text="Test germinale BRCA1/BRCA2 (NGS + MLPA)"),
              "subject": {"reference": "@pt"}, "effectiveDateTime": "2021-05-02",
              "valueCodeableConcept": txt("Nessuna variante patogenetica o probabilmente patogenetica identificata in BRCA1 e BRCA2"),
              "component": [{"code": cc((LOINC, "48002-0", "Genomic source class [Type]")), "valueCodeableConcept": cc((LOINC, "LA6683-2", "Germline"))}]})
    R.append(obs("ecog", cc((LOINC, "89247-1", "ECOG Performance Status score"), text="Performance status ECOG"), category="survey", date="2026-11-12", valueInteger=1))
    R.append(obs("meno", txt("Stato menopausale"), category="social-history", date="2026-11-12", valueCodeableConcept=txt("Premenopausa - cicli regolari, UM 28/10/2026")))
    R.append(obs("hcg", cc((LOINC, "21198-7", "Choriogonadotropin.beta subunit [Units/volume] in Serum or Plasma")), date="2026-11-10",
                 valueQuantity=qty(2, "UI/L", "[IU]/L", comparator="<"), interpretation=[txt("Negativo")]))
    R.append(obs("neut", cc((LOINC, "751-8", "Neutrofili")), date="2026-11-10", valueQuantity=qty(3.2, "10^9/L", "10*9/L")))
    R.append(obs("plt", cc((LOINC, "777-3", "Piastrine")), date="2026-11-10", valueQuantity=qty(310, "10^9/L", "10*9/L")))
    R.append(obs("alt", cc((LOINC, "1742-6", "ALT (GPT)")), date="2026-11-10", valueQuantity=qty(18, "U/L"),
                 referenceRange=[{"high": qty(35, "U/L")}]))
    R.append(obs("crea", cc((LOINC, "2160-0", "Creatinina")), date="2026-11-10", valueQuantity=qty(0.7, "mg/dL")))
    R.append(obs("wt", cc((LOINC, "29463-7", "Peso corporeo")), category="vital-signs", date="2026-11-12", valueQuantity=qty(62, "kg")))
    R.append(obs("ht", cc((LOINC, "8302-2", "Altezza")), category="vital-signs", date="2026-11-12", valueQuantity=qty(168, "cm")))
    def atc(code, disp, t=None): return cc((ATC, code, disp), text=t or disp)
    R.append(medstmt("ms_epi", atc("L01DB03", "epirubicina"), "completed", "2021-04-20", "2021-06-22", category=txt("Adiuvante"), note="EC 90/600 ogni 21 gg x4"))
    R.append(medstmt("ms_cyc", atc("L01AA01", "ciclofosfamide"), "completed", "2021-04-20", "2021-06-22", category=txt("Adiuvante")))
    R.append(medstmt("ms_pac", atc("L01CD01", "paclitaxel"), "completed", "2021-07-13", "2021-10-05", category=txt("Adiuvante"),
                     note="Paclitaxel 80 mg/m2 settimanale x12; dose ridotta a 65 mg/m2 dalla 8a per neuropatia G1, completato"))
    R.append(medstmt("ms_cape", atc("L01BC06", "capecitabina"), "entered-in-error", "2021-11-02", "2022-04-20",
                     note="Registrazione errata (paziente omonima) - la paziente NON ha ricevuto capecitabina"))
    R.append(medstmt("ms_levo", atc("H03AA01", "levotiroxina sodica", "Eutirox 75 mcg"), "active", "2015-01-01", dosage=["75 mcg al mattino"]))
    R.append(medreq("mr_pem", atc("L01FF02", "pembrolizumab", "Keytruda 200 mg"), "draft", "proposal", "2026-11-12",
                    note="Proposta GOM 12/11/2026: pembrolizumab + nab-paclitaxel, in attesa di consenso"))
    R.append(medreq("mr_nab", atc("L01CD01", "paclitaxel albumina (nab-paclitaxel)", "Abraxane"), "draft", "proposal", "2026-11-12"))
    R.append({"resourceType": "Procedure", "id": "thora", "status": "completed", "subject": {"reference": "@pt"},
              "code": cc((SCT, "91602002", "Thoracentesis"), text="Toracentesi evacuativa dx (1200 ml)"), "performedDateTime": "2026-10-20"})
    R.append({"resourceType": "FamilyMemberHistory", "id": "fh", "status": "completed", "patient": {"reference": "@pt"},
              "relationship": cc(("http://terminology.hl7.org/CodeSystem/v3-RoleCode", "MTH", "madre")),
              "condition": [{"code": txt("Carcinoma mammario a 60 anni")}]})
    b = build(name, "collection", R, style="abs", base="https://fhir.ospedale.example.it/fhir", timestamp="2026-11-12T16:05:00+01:00")
    exp = {"as_of": "2026-11-12", "age": 44, "sex": "female", "menopausal_status": "premenopausal", "ecog": 1, "weight_kg": 62, "height_cm": 168,
           "pregnant": False,
           "tumor": {"er_percent": 0, "pr_percent": 0, "her2_ihc": "0", "pdl1_cps": 22, "receptor_source": "metastasis", "histology": "ductal"},
           "germline": [], "metastases": {"sites": ["pleura", "lung"]}, "presentation": "recurrence", "metastatic_diagnosis_date": "2026-10-20",
           "prior_therapies": [{"setting": "adjuvant", "drugs": ["epirubicin", "cyclophosphamide", "paclitaxel"], "start": "2021-04-20", "end": "2021-10-05", "stop_reason": "completed"}],
           "labs": {"anc_per_ul": 3200, "platelets_per_ul": 310000, "alt_x_uln": 0.51},
           "medications": ["levothyroxine"], "symptoms": ["exertional dyspnoea"]}
    plan = {"subtype": "TNBC", "line": 1, "preferred_any": [["pembrolizumab", "paclitaxel"], ["pembrolizumab", "nab_paclitaxel"], ["pembrolizumab", "gemcitabine", "carboplatin"]]}
    write(name, b, exp, plan)

# ---------------------------------------------------------------- s03 ABDM / NDHM document
def s03():
    name = "s03_abdm_her2pos_denovo_1l"
    NR = "https://nrces.in/ndhm/fhir/r4/StructureDefinition/"
    R = []
    R.append({"resourceType": "Composition", "id": "comp", "meta": {"profile": [NR + "OPConsultRecord"]},
              "identifier": {"system": "https://ndhm.in/phr", "value": "b3c7d1e0-16a3-4c2e-9a11-000000000003"},
              "status": "final", "type": cc((SCT, "371530004", "Clinical consultation report")),
              "subject": {"reference": "@pt"}, "date": "2026-10-22T12:40:00+05:30", "author": [{"reference": "@prac"}],
              "title": "OP Consultation - Medical Oncology", "custodian": {"reference": "@org"},
              "section": [
                  {"title": "Chief complaints", "code": cc((SCT, "422843007", "Chief complaint section")), "entry": [{"reference": "@cpain"}]},
                  {"title": "Medical History", "code": cc((SCT, "371529009", "History and physical report")),
                   "entry": [{"reference": "@prim"}, {"reference": "@liver"}, {"reference": "@bone"}, {"reference": "@brain"}, {"reference": "@dm"}]},
                  {"title": "Investigation Advice / results", "code": cc((SCT, "721981007", "Diagnostic studies report")),
                   "entry": [{"reference": "@er"}, {"reference": "@pr"}, {"reference": "@her2"}, {"reference": "@ecog"}, {"reference": "@kps"},
                             {"reference": "@lvef"}, {"reference": "@bili"}, {"reference": "@alt"}, {"reference": "@anc"}, {"reference": "@plt"},
                             {"reference": "@hba1c"}, {"reference": "@hbs"}, {"reference": "@wt"}, {"reference": "@ht"}, {"reference": "@meno"}]},
                  {"title": "Medications", "code": cc((SCT, "721912009", "Medication summary document")),
                   "entry": [{"reference": "@ms_met"}, {"reference": "@ms_tel"}, {"reference": "@ms_zol"}, {"reference": "@mr_phesgo"}, {"reference": "@mr_doc"}]}]})
    R.append({"resourceType": "Patient", "id": "pt", "meta": {"profile": [NR + "Patient"]},
              "identifier": [{"type": cc(("http://terminology.hl7.org/CodeSystem/v2-0203", "MR", "Medical record number")),
                              "system": "https://healthid.ndhm.gov.in", "value": "22-0000-0000-0016"}],
              "name": [{"text": "S. K."}], "gender": "female", "birthDate": "1977-08-02"})
    R.append({"resourceType": "Practitioner", "id": "prac", "meta": {"profile": [NR + "Practitioner"]}, "name": [{"text": "Dr. R. I."}]})
    R.append({"resourceType": "Organization", "id": "org", "meta": {"profile": [NR + "Organization"]}, "name": "Example Cancer Institute, Pune"})
    CP = NR + "Condition"
    R.append(cond("prim", cc((SCT, "408643008", "Infiltrating duct carcinoma of breast"), (ICD10, "C50.9", "Malignant neoplasm of breast, unspecified"),
                             text="Ca left breast - IDC grade 3, HER2 positive, Stage IV at diagnosis"), onset="2026-09-28", profile=CP,
                  stage=[{"summary": txt("cT3 N2 M1 (liver, bone) - Stage IV")}]))
    R.append(cond("liver", cc((SCT, "94381002", "Secondary malignant neoplasm of liver"), (ICD10, "C78.7", "Secondary malignant neoplasm of liver")),
                  onset="2026-10-06", profile=CP, note=[{"text": "USG-guided biopsy seg VII 06/10/26: metastatic carcinoma, breast primary"}]))
    R.append(cond("bone", cc((SCT, "94222008", "Secondary malignant neoplasm of bone"), (ICD10, "C79.5", "Secondary malignant neoplasm of bone and bone marrow"),
                             text="Skeletal mets D10, L2, R ilium on PET-CT"), onset="2026-09-30", profile=CP))
    R.append(cond("brain", cc((SCT, "94225005", "Secondary malignant neoplasm of brain"), text="Brain metastasis"), status="refuted", clinical=None,
                  profile=CP, note=[{"text": "MRI brain with contrast 01/10/26: no intracranial metastasis."}]))
    R.append(cond("dm", cc((SCT, "44054006", "Diabetes mellitus type 2"), (ICD10, "E11.9", "Type 2 diabetes mellitus without complications")),
                  onset="2019-01-01", profile=CP))
    R.append(cond("cpain", cc((SCT, "29857009", "Chest pain"), text="Dull ache right hypochondrium x 1 month"), onset="2026-09-15", profile=CP))
    OP = NR + "Observation"
    R.append(obs("er", cc((LOINC, "85329-1", "Estrogen receptor [Interpretation] in Breast cancer specimen by Immune stain")), date="2026-10-01", profile=OP,
                 valueQuantity=qty(0, "%"), interpretation=[txt("Negative")]))
    R.append(obs("pr", cc((LOINC, "85325-9", "Progesterone receptor [Interpretation] in Breast cancer specimen by Immune stain")), date="2026-10-01", profile=OP,
                 valueQuantity=qty(0, "%"), interpretation=[txt("Negative")]))
    R.append(obs("her2", cc((LOINC, "85319-2", "HER2 [Presence] in Breast cancer specimen by Immune stain")), date="2026-10-01", profile=OP,
                 valueCodeableConcept=cc((LOINC, "LA6576-8", "Positive"), text="3+ (strong complete membrane staining >10%)")))
    R.append(obs("ecog", cc((LOINC, "89247-1", "ECOG Performance Status score")), category="survey", date="2026-10-22", profile=OP, valueInteger=1))
    R.append(obs("kps", cc((LOINC, "89243-0", "Karnofsky Performance Status score")), category="survey", date="2026-10-22", profile=OP, valueInteger=80))
    R.append(obs("meno", txt("Menstrual history"), category="social-history", date="2026-10-22", profile=OP,
                 valueString="Regular cycles, LMP 09/10/2026 - premenopausal"))
    R.append(obs("lvef", cc((LOINC, "10230-1", "Left ventricular Ejection fraction")), category="imaging", date="2026-10-15", profile=OP,
                 valueQuantity=qty(62, "%")))
    R.append(obs("bili", cc((LOINC, "14631-6", "Bilirubin.total [Moles/volume] in Serum or Plasma")), date="2026-10-20", profile=OP,
                 valueQuantity=qty(12, "umol/L"), referenceRange=[{"low": qty(3, "umol/L"), "high": qty(21, "umol/L")}]))
    R.append(obs("alt", cc((LOINC, "1742-6", "SGPT (ALT)")), date="2026-10-20", profile=OP, valueQuantity=qty(48, "U/L"), referenceRange=[{"high": qty(40, "U/L")}]))
    R.append(obs("anc", cc((LOINC, "751-8", "Absolute neutrophil count")), date="2026-10-20", profile=OP, valueQuantity=qty(4.5, "10^9/L", "10*9/L")))
    R.append(obs("plt", cc((LOINC, "777-3", "Platelet count")), date="2026-10-20", profile=OP,
                 valueQuantity={"value": 2.8, "unit": "lakhs/cumm", "system": UCUM, "code": "10*5/uL"}))
    R.append(obs("hba1c", cc((LOINC, "4548-4", "Hemoglobin A1c/Hemoglobin.total in Blood")), date="2026-10-20", profile=OP, valueQuantity=qty(6.8, "%")))
    R.append(obs("hbs", cc((LOINC, "5196-1", "Hepatitis B virus surface Ag [Presence] in Serum")), date="2026-10-20", profile=OP,
                 valueCodeableConcept=cc((SCT, "260385009", "Negative"))))
    R.append(obs("wt", cc((LOINC, "29463-7", "Body weight")), category="vital-signs", date="2026-10-22", profile=OP, valueQuantity=qty(58, "kg")))
    R.append(obs("ht", cc((LOINC, "8302-2", "Body height")), category="vital-signs", date="2026-10-22", profile=OP, valueQuantity=qty(156, "cm")))
    MP = NR + "MedicationStatement"
    R.append(medstmt("ms_met", cc((SCT, "109081006", "Metformin"), text="Tab. Glycomet 500 mg BD"), "active", "2019-01-15", meta={"profile": [MP]}))
    R.append(medstmt("ms_tel", cc((SCT, "387069000", "Telmisartan"), text="Tab. Telma 40 mg OD"), "active", "2021-06-01", meta={"profile": [MP]}))
    R.append(medstmt("ms_zol", cc((SCT, "395926009", "Zoledronic acid"), text="Inj. Zoldonat 4 mg IV"), "not-taken", date="2026-10-22", meta={"profile": [MP]},
                     statusReason=[txt("Deferred until dental clearance - not yet given")]))
    R.append({"resourceType": "Medication", "id": "med_phesgo",
              "code": txt("Phesgo 1200 mg/600 mg/30,000 units SC (pertuzumab/trastuzumab/hyaluronidase) - loading dose"),
              "ingredient": [{"itemCodeableConcept": cc((SCT, "704226002", "Pertuzumab")), "isActive": True},
                             {"itemCodeableConcept": cc((SCT, "327822003", "Trastuzumab")), "isActive": True},
                             {"itemCodeableConcept": txt("Hyaluronidase (recombinant human)"), "isActive": False}]})
    R.append(medreq("mr_phesgo", "@med_phesgo", "draft", "plan", "2026-10-22", meta={"profile": [NR + "MedicationRequest"]},
                    note="Planned C1D1 28/10/2026 after insurance (PMJAY) approval"))
    R.append(medreq("mr_doc", cc((SCT, "386917000", "Docetaxel"), text="Inj. Docetaxel 75 mg/m2 q3w x6"), "draft", "plan", "2026-10-22",
                    meta={"profile": [NR + "MedicationRequest"]}))
    b = build(name, "document", R, style="urn", timestamp="2026-10-22T12:40:00+05:30",
              meta={"profile": [NR + "DocumentBundle"]}, extra_bundle={"identifier": {"system": "http://hip.in", "value": "305fecc2-4ba2-46bc-9ccd-000000000003"}})
    exp = {"as_of": "2026-10-22", "age": 49, "sex": "female", "menopausal_status": "premenopausal", "ecog": 1, "weight_kg": 58, "height_cm": 156,
           "tumor": {"er_percent": 0, "pr_percent": 0, "her2_ihc": "3+", "receptor_source": "primary", "histology": "ductal"},
           "metastases": {"sites": ["liver", "bone"]}, "presentation": "de_novo", "metastatic_diagnosis_date": "2026-09-30",
           "prior_therapies": [], "lvef_percent": 62,
           "labs": {"bilirubin_x_uln": 0.57, "alt_x_uln": 1.2, "anc_per_ul": 4500, "platelets_per_ul": 280000, "hba1c_percent": 6.8},
           "comorbidities": ["diabetes_type2"], "medications": ["metformin", "telmisartan"], "symptoms": ["right hypochondrial ache"]}
    plan = {"subtype": "HR-/HER2+", "line": 1, "preferred_any": [["trastuzumab", "pertuzumab", "docetaxel"], ["trastuzumab", "pertuzumab", "paclitaxel"],
                                                                 ["trastuzumab_deruxtecan", "pertuzumab"]]}
    write(name, b, exp, plan)

# ---------------------------------------------------------------- s04 Dutch nl-core, male
def s04():
    name = "s04_nlcore_male_esr1_2l"
    NL = "http://nictiz.nl/fhir/StructureDefinition/"
    GS = "urn:oid:2.16.840.1.113883.2.4.4.10"  # G-Standaard PRK (illustrative)
    def gs(prk, t, atc_code, atc_disp): return cc((GS, prk, t), (ATC, atc_code, atc_disp), text=t)
    R = []
    R.append({"resourceType": "Patient", "id": "pt", "meta": {"profile": [NL + "nl-core-Patient"]},
              "identifier": [{"system": "http://fhir.nl/fhir/NamingSystem/bsn", "value": "999911160"}],
              "name": [{"family": "B.", "given": ["W."], "prefix": ["dhr."]}], "gender": "male", "birthDate": "1959-01-21"})
    R.append(cond("prim", cc((SCT, "254837009", "Malignant neoplasm of breast"), (ICD10, "C50.9", "Mammacarcinoom"),
                             text="Mammacarcinoom links (man), invasief carcinoom NST, graad 2"), onset="2022-04-04",
                  profile=NL + "zib-Problem", stage=[{"summary": txt("pT2 pN1a M0 - stadium IIB")}],
                  note=[{"text": "Mastectomie + OKD links 05/2022; adjuvant tamoxifen vanaf 06/2022."}]))
    R.append(cond("bone", cc((SCT, "94222008", "Secondary malignant neoplasm of bone"), (ICD10, "C79.5", "Botmetastasen"), text="Botmetastasen (wervelkolom, bekken)"),
                  onset="2024-02-10", profile=NL + "zib-Problem"))
    R.append(cond("liver", cc((SCT, "94381002", "Secondary malignant neoplasm of liver"), (ICD10, "C78.7", "Levermetastasen"), text="Levermetastasen (3 laesies, PA bevestigd)"),
                  onset="2026-10-05", profile=NL + "zib-Problem"))
    R.append(cond("ruq", cc((SCT, "301717006", "Right upper quadrant pain"), text="Pijn rechter bovenbuik"), onset="2026-09-20", profile=NL + "zib-Problem"))
    R.append(cond("af", cc((SCT, "49436004", "Atrial fibrillation"), (ICD10, "I48.9", "Boezemfibrilleren")), onset="2019-01-01", profile=NL + "zib-Problem"))
    R.append(cond("bph", cc((SCT, "266569009", "Benign prostatic hyperplasia"), text="BPH"), onset="2018-01-01", profile=NL + "zib-Problem"))
    IP = NL + "zib-TextResult"
    def ihc(k, code, disp, date, **v): return obs(k, cc((LOINC, code, disp)), date=date, profile=IP, **v)
    R.append(ihc("er22", "85329-1", "Oestrogeenreceptor % positieve kernen", "2022-04-08", valueQuantity=qty(95, "%")))
    R.append(ihc("pr22", "85325-9", "Progesteronreceptor % positieve kernen", "2022-04-08", valueQuantity=qty(40, "%")))
    R.append(ihc("her22", "85319-2", "HER2 immunohistochemie", "2022-04-08", valueCodeableConcept=txt("0 (negatief)")))
    R.append(ihc("er26", "85329-1", "Oestrogeenreceptor % positieve kernen", "2026-10-09", valueQuantity=qty(80, "%"),
                 note=[{"text": "Leverbiopt 05-10-2026"}]))
    R.append(ihc("pr26", "85325-9", "Progesteronreceptor % positieve kernen", "2026-10-09", valueQuantity=qty(1, "%", comparator="<")))
    R.append(ihc("her26", "85319-2", "HER2 immunohistochemie", "2026-10-09", valueCodeableConcept=txt("2+ (equivocal)")))
    R.append(ihc("ish26", "85318-4", "HER2 ISH", "2026-10-12", valueCodeableConcept=cc((LOINC, "LA6577-6", "Negative"), text="Niet geamplificeerd (ratio 1,4; 2,9 kopieën/cel)")))
    R.append(variant("v_esr1", "ESR1", "HGNC:3467", "2026-10-14", dna="c.1613A>G", protein="p.Asp538Gly", text="ESR1 p.D538G aangetoond (ctDNA, VAF 4,2%)"))
    R.append(variant("v_pik", "PIK3CA", "HGNC:8975", "2026-10-14", present=False, text="Geen PIK3CA-mutatie aangetoond (ctDNA)"))
    R.append(variant("v_akt", "AKT1", "HGNC:391", "2026-10-14", present=False, text="Geen AKT1-mutatie aangetoond (ctDNA)"))
    R.append(variant("v_brca2", "BRCA2", "HGNC:1101", "2022-06-20", source="germline", dna="c.7522G>A", protein="p.Gly2508Ser", signif="vus",
                     text="Kiembaan: BRCA2 variant van onbekende betekenis (klasse 3); geen pathogene variant in BRCA1/BRCA2/PALB2/CHEK2"))
    R.append(obs("who", cc((LOINC, "89247-1", "ECOG Performance Status score"), text="WHO-performancestatus"), category="survey", date="2026-10-30", valueInteger=1))
    R.append(obs("wt", cc((LOINC, "29463-7", "Lichaamsgewicht")), category="vital-signs", date="2026-10-30", valueQuantity=qty(84, "kg"), meta={"profile": [NL + "zib-BodyWeight"]}))
    R.append(obs("ht", cc((LOINC, "8302-2", "Lichaamslengte")), category="vital-signs", date="2026-10-30", valueQuantity=qty(178, "cm"), meta={"profile": [NL + "zib-BodyHeight"]}))
    def lab(k, code, disp, v, unit, hi=None):
        extra = {"referenceRange": [{"high": qty(hi, unit)}]} if hi else {}
        return obs(k, cc((LOINC, code, disp)), date="2026-10-28", valueQuantity=qty(v, unit), meta={"profile": [NL + "zib-LaboratoryTestResult"]}, **extra)
    R.append(lab("crea", "14682-9", "Kreatinine", 88, "umol/L", 110))
    R.append(lab("egfr", "62238-1", "eGFR CKD-EPI", 78, "mL/min/{1.73_m2}"))
    R.append(lab("alt", "1742-6", "ALAT", 31, "U/L", 45))
    R.append(lab("bili", "14631-6", "Bilirubine totaal", 11, "umol/L", 17))
    R.append(lab("ca", "2000-8", "Calcium", 2.52, "mmol/L", 2.65))
    R.append(lab("alb", "61151-7", "Albumine", 38, "g/L", 50))
    R.append(obs("plt", cc((LOINC, "777-3", "Trombocyten")), date="2026-10-28", valueQuantity=qty(198, "10*9/L")))
    R.append(obs("anc", cc((LOINC, "751-8", "Neutrofielen")), date="2026-10-28", valueQuantity=qty(2.1, "10*9/L")))
    MU = NL + "zib-MedicationUse"
    R.append(medstmt("ms_tam", gs("20877", "TAMOXIFEN 20MG TABLET", "L02BA01", "tamoxifen"), "stopped", "2022-06-01", "2024-02-10", meta={"profile": [MU]},
                     reason=txt("Progressie: botmetastasen 02-2024"), category=txt("Adjuvant")))
    R.append(medstmt("ms_ana", gs("30708", "ANASTROZOL 1MG TABLET", "L02BG03", "anastrozole"), "stopped", "2024-03-01", "2026-10-05", meta={"profile": [MU]},
                     reason=txt("Progressie (lever) 05-10-2026")))
    R.append(medstmt("ms_leu", gs("96938", "LEUPRORELINE 22,5MG INJPDR (Eligard)", "L02AE02", "leuprorelin"), "stopped", "2024-03-01", "2026-10-05", meta={"profile": [MU]},
                     reason=txt("Progressie (lever) 05-10-2026")))
    R.append(medstmt("ms_pal", gs("124478", "PALBOCICLIB 125MG TABLET (Ibrance)", "L01EF01", "palbociclib"), "stopped", "2024-03-01", "2026-10-05", meta={"profile": [MU]},
                     reason=txt("Progressie (lever) 05-10-2026"),
                     dosage=["125 mg 1dd d1-21 q28d (03-2024 t/m 06-2024)", "100 mg 1dd d1-21 q28d vanaf 07-2024 (dosisreductie ivm neutropenie gr 3)"]))
    R.append(medstmt("ms_xgeva", gs("89788", "DENOSUMAB 120MG/1,7ML INJVLST (Xgeva)", "M05BX04", "denosumab"), "active", "2024-03-15", meta={"profile": [MU]},
                     dosage=["120 mg sc elke 4 weken"]))
    R.append(medstmt("ms_cavit", gs("139963", "CALCIUMCARBONAAT/COLECALCIFEROL 1,25G/800IE KAUWTABLET", "A12AX", "calcium, combinations with vitamin D"), "active", "2024-03-15",
                     meta={"profile": [MU]}))
    R.append(medstmt("ms_apix", gs("105791", "APIXABAN 5MG TABLET (Eliquis)", "B01AF02", "apixaban"), "active", "2019-02-01", meta={"profile": [MU]}, dosage=["5 mg 2dd"]))
    R.append(medstmt("ms_tams", gs("30465", "TAMSULOSINE 0,4MG CAPSULE MGA", "G04CA02", "tamsulosin"), "active", "2018-05-01", meta={"profile": [MU]}))
    R.append(medstmt("ms_simva", gs("11363", "SIMVASTATINE 40MG TABLET", "C10AA01", "simvastatin"), "stopped", "2017-01-01", "2024-03-01", meta={"profile": [MU]},
                     reason=txt("Gestopt bij start palliatieve behandeling")))
    R.append(medreq("mr_ela", txt("ELACESTRANT 345MG TABLET (Orserdu) - aanvraag ziekenhuisapotheek"), "draft", "proposal", "2026-10-30",
                    meta={"profile": [NL + "zib-MedicationAgreement"]}, note="MDO 30-10-2026: voorstel elacestrant 2e lijn"))
    b = build(name, "searchset", R, style="rel", base="https://fhir.ziekenhuis.example.nl/fhir", timestamp="2026-10-30T14:55:00+01:00",
              search_modes={}, extra_bundle={"total": len(R), "link": [{"relation": "self", "url": "https://fhir.ziekenhuis.example.nl/fhir/Patient/pt/$everything"}]})
    exp = {"as_of": "2026-10-30", "age": 67, "sex": "male", "ecog": 1, "weight_kg": 84, "height_cm": 178,
           "tumor": {"er_percent": 80, "pr_status": "negative", "her2_ihc": "2+", "her2_ish": "not_amplified", "receptor_source": "metastasis", "histology": "ductal"},
           "somatic": ["ESR1 D538G", "PIK3CA wildtype", "AKT1 wildtype"], "germline": [],
           "metastases": {"sites": ["bone", "liver"]}, "presentation": "recurrence", "metastatic_diagnosis_date": "2024-02-10",
           "prior_therapies": [
               {"setting": "adjuvant", "drugs": ["tamoxifen"], "start": "2022-06-01", "end": "2024-02-10", "stop_reason": "progression"},
               {"setting": "metastatic", "drugs": ["anastrozole", "leuprolide", "palbociclib"], "start": "2024-03-01", "end": "2026-10-05", "stop_reason": "progression"}],
           "labs": {"alt_x_uln": 0.69, "bilirubin_x_uln": 0.65, "calcium_mg_dl": 10.1, "albumin_g_dl": 3.8, "platelets_per_ul": 198000, "anc_per_ul": 2100},
           "medications": ["denosumab", "calcium carbonate", "cholecalciferol", "apixaban", "tamsulosin"], "symptoms": ["right upper quadrant pain"]}
    plan = {"subtype": "HR+/HER2-", "line": 2, "preferred_any": [["elacestrant"], ["imlunestrant"]]}
    write(name, b, exp, plan)

for f in (s01, s02, s03, s04): f()
print("ok")
