from gen_lib import N

N("w41_ocr_esr1_elacestrant", """
ST. BRENDAN'S REGIONAL HOSPITAL      ONCOLOGY CLINIC NOTE      Page 1 of 2
Pt: Mrs He1en G.    MRN: ########    DOB: --/--/1971
Clinic date: 0ct 21, 2026          Provider: Dr. T. Vance, MD
---------------------------------------------------------------------
DIAGNOSIS: Metastatic ER+ breast carcinoma, recurrent, HER2-low
HISTORY: R breast IDC 2014, pT2N1, ER 9O%, PR 6O%, HER2 2+ / FISH neg (ratio 1.3). Adj
uvant FEC x3 -> docetaxel x3 (2014-15), tamoxifen 2015-2O17 then letrozole 2O17-2O22 (c0mpleted
Dec 2022).
Recurrence 03/2024: bone (T-spine, pelvis) and liver. Liver bx O4/2O24: ER 8O%, PR l%, HER2
IHC l+.
lL: anastrozole + ribocicl ib (Kisqali) 05/2024 -> PD 08/2026 (liver).
ctDNA (O8/2026): ESRl Y537S detected; PIK3CA n0t detected; AKTl and PTEN: no alteration.
2L: Orserdu (elacestrant) 345 mg daily from O9/O4/2026. Dose reduced to 258 mg on 10/O2/2026
for nausea - continuing at 258 mg.
---------------------------------------------------------------------
ST. BRENDAN'S REGIONAL HOSPITAL      ONCOLOGY CLINIC NOTE      Page 2 of 2
Pt: Mrs He1en G.    Clinic date: 0ct 21, 2026
INTERVAL: nausea improved on ondansetron. Mild back ache, stable. No
bone pain in pelvis now. Denies headache. Appetite OK.
PMH: hyper1ipidemia; GERD; remote hepatitis A (1990s, resolved).
FH: mother breast ca age 6l; pt germline testing not done - declined.
MEDS: atorvastatin 4O mg, ondansetron 8 mg prn, pantoprazole 4O mg, Xgeva l20 mg q4wk,
calcium + vit D. Pt asks about St John's wort for mood - advised AGAINST (CYP3A).
EXAM: Wt l54 lb, Ht 5 ft 4 in. ECOG l. No hepatomegaly.
LABS (10/l9/2026): WBC 4.l, ANC 2,3OO/uL, Plt l8l K/uL, AST 3l, ALT 29 (ULN 4O),
T bili O.6 (ULN l.2), Ca 9.8 mg/dL, Alb 3.9 g/dL.
CT 10/l5/2026: liver lesions decreased; new 5 mm lung nodule, nonspecific - fo11ow.
PLAN: continue elacestrant 258 mg. Repeat CT 3 mo. If PD: consider everolimus + exemestane
vs T-DXd (HER2-low).
Electronically signed T. Vance MD  10/2l/2026  l6:O2
""", {
 "as_of": "2026-10-21", "age": 55, "sex": "female", "ecog": 1, "weight_kg": 69.9, "height_cm": 163,
 "tumor": {"er_percent": 80, "pr_percent": 1, "her2_ihc": "1+", "receptor_source": "metastasis", "histology": "ductal"},
 "somatic": ["ESR1 Y537S", "PIK3CA wildtype", "AKT1 wildtype", "PTEN wildtype"],
 "metastases": {"sites": ["bone", "liver"]},
 "presentation": "recurrence", "metastatic_diagnosis_date": "2024-03-01",
 "prior_therapies": [
  {"setting": "adjuvant", "drugs": ["fluorouracil", "epirubicin", "cyclophosphamide", "docetaxel"], "stop_reason": "completed"},
  {"setting": "adjuvant", "drugs": ["tamoxifen", "letrozole"], "end": "2022-12-01", "stop_reason": "completed"},
  {"setting": "metastatic", "drugs": ["anastrozole", "ribociclib"], "start": "2024-05-01", "end": "2026-08-01", "stop_reason": "progression"},
  {"setting": "metastatic", "drugs": ["elacestrant"], "start": "2026-09-04", "stop_reason": "ongoing"}],
 "labs": {"anc_per_ul": 2300, "platelets_per_ul": 181000, "alt_x_uln": 0.72, "bilirubin_x_uln": 0.5,
          "calcium_mg_dl": 9.8, "albumin_g_dl": 3.9},
 "medications": ["atorvastatin", "ondansetron", "pantoprazole", "denosumab", "calcium", "vitamin_d"],
 "symptoms": ["back ache"]
}, [
 ("tumor.er_percent", 90, "ER 90% is the 2014 primary (OCR '9O'); metastasis ER 80%"),
 ("tumor.her2_ihc", "2+", "2+ is the primary; liver biopsy IHC 1+"),
 ("medications", "st_johns_wort", "only asked about; advised against"),
 ("prior_therapies.drugs", "everolimus", "only a possible future option"),
 ("prior_therapies.drugs", "trastuzumab_deruxtecan", "only a possible future option"),
 ("prior_therapies.stop_reason", "toxicity", "elacestrant dose-reduced, continuing"),
 ("metastases.sites", "lung", "5 mm nodule nonspecific"),
 ("germline", [], "germline testing not done"),
])

N("w42_ocr_male_her2pos_brca2", """
== OUTSIDE RECORDS - SCANNED ==  Lakeview Cancer Centre  == Pg 1/1 ==
CONSULTATION SUMMARY                                Date of visit: 03 NOV 2026
Patient: Mr Viktor S.   Sex: M   Age: 62
Dx: De novo metastatic breast cancer (male), L breast, diagnosed 04/2026.
  Core bx L breast: IDC grade 3. ER 7O% , PR 2O%, HER2 IHC 3+.
  Bone bx (L4) 04/2026: ER 6O%, PR 5%, HER2 3+ .
Staging: L4, ribs, bilateral lung nodules (largest l4 mm), L axillary nodes.
  8 mm liver lesion - "likely haemangioma", no further w/u.
TREATMENT:
  docetaxel + trastuzumab + pertuzumab from 2O APR 2O26, docetaxel stopped after 6 cycles (as planned),
  HP + tamoxifen 2O mg maintenance since 08/2O26 - ongoing, good PR.
GENETICS: germline panel O6/2026: BRCA2 c.5946delT PATHOGENIC. Father: prostate ca (untested).
  Note: PARP inhibitor may be considered at a later line.
CARDIAC: echo 1O/2026 LVEF 6O% (baseline O4/2O26 65%).
FUNCTION: Karnofsky 9O. Works full time.
Other: HTN, gout. Meds: lisinopril l0 mg, allopurinol lOO mg, denosumab l2O mg q4wk.
  Colchicine stopped O9/2O26.
Labs O2 NOV: ANC 3.l x1O^9/L, plt 2l2 x1O^9/L, Cr O.9 mg/dL.
Pt asked whether T-DM1 (Kadcyla) would be "stronger" - explained it is a later option.
== OUTSIDE RECORDS - SCANNED ==  Lakeview Cancer Centre  == Pg 1/1 ==
""", {
 "as_of": "2026-11-03", "age": 62, "sex": "male",
 "tumor": {"er_percent": 60, "pr_percent": 5, "her2_ihc": "3+", "receptor_source": "metastasis", "histology": "ductal"},
 "germline": ["BRCA2"],
 "metastases": {"sites": ["bone", "lung"]},
 "presentation": "de_novo", "metastatic_diagnosis_date": "2026-04-01",
 "prior_therapies": [
  {"setting": "metastatic", "drugs": ["docetaxel", "trastuzumab", "pertuzumab", "tamoxifen"], "start": "2026-04-20", "stop_reason": "ongoing"}],
 "lvef_percent": 60,
 "labs": {"anc_per_ul": 3100, "platelets_per_ul": 212000},
 "medications": ["lisinopril", "allopurinol", "denosumab"]
}, [
 ("lvef_percent", 65, "baseline April value; latest 60%"),
 ("ecog", 1, "Karnofsky 90 is not ECOG"),
 ("menopausal_status", "postmenopausal", "male patient"),
 ("prior_therapies.drugs", "olaparib", "PARP inhibitor only a future consideration"),
 ("prior_therapies.drugs", "trastuzumab_emtansine", "Kadcyla only asked about"),
 ("metastases.sites", "liver", "likely haemangioma"),
 ("metastases.sites", "distant_lymph_nodes", "axillary nodes are regional"),
 ("medications", "colchicine", "stopped 09/2026"),
])

N("w43_ocr_prem_ribo_qtc", """
F a x  from: Northgate Oncology   2026-11-09 11:42   p.1
----------------------------------------------------------
PROGRESS NOTE       Ms. Ana-Lucia M.    47 y/o F
Visit: O9 Nov 2O26
ONC HX: L breast ER+ PR+ HER2 0 (ER 95%, PR 8O%, IHC 0) 2021, adjuvant
tamoxifen from O2/2O22. Relapse O5/2O26 ON tamoxifen: bone + R pleural eff-
usion (cytology POSITIVE for adenocarcinoma, breast primary). Pleural bx
ER 9O%, PR lO%, HER2 IHC O (no staining).
Menses regular until starting goserelin; now amenorrhoeic ON goserelin
(premenopausal, ovarian suppression).
CURRENT Rx: goserelin 3.6 mg q28d + fu1vestrant 5OO mg + ribociclib
(Kisqali) 6OO mg 3/1 from O6/2O26. Ribociclib ↓ 4OO mg from C3 for G3
neutropenia. Continues.
ECG: QTcF 452 ms today (baseline O6/2O26: 4l8 ms).
Citalopram STOPPED (QT) -> sertraline 5O mg from 1O/2O26.
Other meds: ibuprofen prn, vitamin D.
ECOG O-l -> 1 today (more fatigue).
Labs: ANC l.l x1O^9/L, Plt l9O, ALT 22 (ULN 33).
Germ1ine: negative (BRCA1/2, PALB2) 2O26.  Sister: BRCA2 VUS.
----------------------------------------------------------
F a x  from: Northgate Oncology   2026-11-09 11:42   p.1
""", {
 "as_of": "2026-11-09", "age": 47, "sex": "female", "menopausal_status": "premenopausal", "ecog": 1,
 "tumor": {"er_percent": 90, "pr_percent": 10, "her2_ihc": "0", "receptor_source": "metastasis"},
 "germline": [],
 "metastases": {"sites": ["bone", "pleura"]},
 "presentation": "recurrence", "metastatic_diagnosis_date": "2026-05-01",
 "prior_therapies": [
  {"setting": "adjuvant", "drugs": ["tamoxifen"], "start": "2022-02-01", "end": "2026-05-01", "stop_reason": "progression"},
  {"setting": "metastatic", "drugs": ["goserelin", "fulvestrant", "ribociclib"], "start": "2026-06-01", "stop_reason": "ongoing"}],
 "qtcf_ms": 452,
 "labs": {"anc_per_ul": 1100, "platelets_per_ul": 190000, "alt_x_uln": 0.67},
 "medications": ["sertraline", "ibuprofen", "vitamin_d"],
 "symptoms": ["fatigue"]
}, [
 ("menopausal_status", "postmenopausal", "amenorrhoea is from goserelin; she is premenopausal"),
 ("qtcf_ms", 418, "baseline value; today 452"),
 ("medications", "citalopram", "stopped for QT, switched to sertraline"),
 ("prior_therapies.stop_reason", "toxicity", "ribociclib dose-reduced, continuing"),
 ("tumor.er_percent", 95, "primary 2021 value"),
 ("germline", ["BRCA2"], "VUS in the sister, patient negative"),
 ("medications", "goserelin", "GnRH agonist is part of the therapy line"),
])

N("w44_ocr_tnbc_sg_pleura", """
 ***  SCANNED DOCUMENT - RIVERBEND MEDICAL CENTER  ***  Oncology  ***
 Report printed 11/l8/2O26
 ONCOLOGY FOLLOW-UP          Patient: Mrs Dolores A.  68 F
 Triple-negative breast cancer, metastatic (recurrent).
 Hx: R breast TNBC 2O19, neoadj AC-T (doxorubicin/cyclophosphamide
 -> paclitaxel), surgery 2O2O. Recurrence O2/2O25: R pleura (effusion
 cytology +) and lung. PD-L1 22C3 CPS <l -> not a pembrolizumab candidate.
 1L carboplatin + gemcitabine O3/2O25 - O7/2O26, PD.
 2L sacituzumab govitecan (Trodelvy) lO mg/kg D1,8 q21d since O8/2O26.
 C4 D8 (11/O5) OMITTED for ANC O.8; C5 D1 delayed 1 wk. Continuing.
 UGT1A1: *1/*28 (heterozygous).
 Germline: BRCA1/2 negative (2O19). Cousin: BRCA1 positive.
 CT ll/l2/2O26: effusion smaller; lung nodules stable; small volume
 ascites, not tapped; no liver lesions.
 Sx: diarrhoea settled on loperamide; mild fatigue. SOB improved.
 ECOG l.
 ***  SCANNED DOCUMENT - RIVERBEND MEDICAL CENTER  ***  Oncology  ***
 Labs 11/l7/2O26: ANC l,2OO/uL, Plt l6l,OOO/uL, Hgb 9.8, T bili O.9 (ULN l.2)
 Meds: loperamide prn, ondansetron, lorazepam prn, filgrastim D3-D7 (added)
 Stopped: dexamethasone premed -> not needed (per protocol change)
""", {
 "as_of": "2026-11-18", "age": 68, "sex": "female", "ecog": 1,
 "tumor": {"er_status": "negative", "pr_status": "negative", "her2_status": "negative"},
 "germline": [],
 "metastases": {"sites": ["pleura", "lung"]},
 "presentation": "recurrence", "metastatic_diagnosis_date": "2025-02-01",
 "prior_therapies": [
  {"setting": "neoadjuvant", "drugs": ["doxorubicin", "cyclophosphamide", "paclitaxel"], "stop_reason": "completed"},
  {"setting": "metastatic", "drugs": ["carboplatin", "gemcitabine"], "start": "2025-03-01", "end": "2026-07-01", "stop_reason": "progression"},
  {"setting": "metastatic", "drugs": ["sacituzumab_govitecan"], "start": "2026-08-01", "stop_reason": "ongoing"}],
 "labs": {"anc_per_ul": 1200, "platelets_per_ul": 161000, "bilirubin_x_uln": 0.75},
 "medications": ["loperamide", "ondansetron", "lorazepam", "filgrastim"],
 "symptoms": ["fatigue"]
}, [
 ("prior_therapies.drugs", "pembrolizumab", "CPS <1, explicitly not a candidate"),
 ("metastases.sites", "peritoneum", "ascites not tapped, no cytology"),
 ("prior_therapies.stop_reason", "toxicity", "dose omitted/delayed, SG continues"),
 ("labs.anc_per_ul", 800, "D8 value on 11/05; latest 1200"),
 ("germline", ["BRCA1"], "cousin's variant; patient negative"),
 ("symptoms", "diarrhoea", "settled"),
 ("medications", "dexamethasone", "premed stopped"),
 ("metastases.sites", "liver", "no liver lesions"),
])

N("w45_ocr_erlow_cape_dpyd", """
P A T H W A Y S   H E A L T H  - Medical Oncology Letter (scanned)        [page l]
Date: 28/1O/2O26
Re: Mrs Ingrid H., aged 8O
Diagnosis: metastatic breast cancer, ER-low / HER2-negative.
  Primary (2Ol6): ER 6O%, PR lO%, HER2 l+.  Adjuvant anastrozole 2Ol6-2O2l (completed).
  Relapse O7/2O26: lung nodules + mediastinal nodes. EBUS node bx: ER 3%, PR O%,
  HER2 IHC O (null, no membrane staining).
  T-spine: sclerotic focus, "likely degenerative / bone island" on MRI.
Treatment: capecitabine started O8/2O26 at 5O% dose because DPYD c.2846A>T heterozygous
  (intermediate metaboliser). C3 delayed 1 wk for G2 hand-foot; continuing, no further change.
Renal: creatinine clearance (Cockcroft-Gault) 42 mL/min; eGFR 48.
Other: AF on warfarin (INR weekly - capecitabine interaction); digoxin stopped O9/2O26;
  osteoarthritis; "mild cognitive impairment" (lives with daughter).
WHO PS 2.  Wt 58 kg.
Denies SOB. Mild cough.
P A T H W A Y S   H E A L T H  - Medical Oncology Letter (scanned)        [page 2]
Plan: continue capecitabine; restage Dec. Daughter asked about "immunotherapy" - PD-L1 not
  yet tested; to request on the node block.
""", {
 "as_of": "2026-10-28", "age": 80, "sex": "female", "ecog": 2, "weight_kg": 58,
 "tumor": {"er_percent": 3, "pr_percent": 0, "her2_ihc": "0", "receptor_source": "metastasis"},
 "dpyd": "intermediate",
 "metastases": {"sites": ["lung", "distant_lymph_nodes"]},
 "presentation": "recurrence", "metastatic_diagnosis_date": "2026-07-01",
 "prior_therapies": [
  {"setting": "adjuvant", "drugs": ["anastrozole"], "stop_reason": "completed"},
  {"setting": "metastatic", "drugs": ["capecitabine"], "start": "2026-08-01", "stop_reason": "ongoing"}],
 "labs": {"creatinine_clearance_ml_min": 42},
 "medications": ["warfarin"],
 "symptoms": ["cough"]
}, [
 ("tumor.er_percent", 60, "primary 2016 value (OCR '6O'); metastasis ER 3%"),
 ("tumor.her2_ihc", "1+", "primary value; node is IHC 0 null"),
 ("metastases.sites", "bone", "likely degenerative / bone island"),
 ("labs.creatinine_clearance_ml_min", 48, "48 is eGFR"),
 ("medications", "digoxin", "stopped 09/2026"),
 ("prior_therapies.drugs", "pembrolizumab", "immunotherapy only asked about; PD-L1 not tested"),
 ("symptoms", "shortness of breath", "negated"),
 ("dpyd", "normal", "heterozygous c.2846A>T = intermediate"),
])

N("w46_endo_alpelisib_hyperglycaemia", """
ENDOCRINOLOGY CONSULTATION - Diabetes & Metabolism
Date: 9 October 2026        Requested by: Dr Osei (Breast Oncology)
Patient: Mrs Rosalind C., 63 F

Reason: hyperglycaemia on alpelisib.

Oncology background (from referral): HR+ HER2-negative MBC (bone, liver). Liver biopsy 2025:
ER 85%, PR 40%, HER2 IHC 0. PIK3CA E545K (tissue). Postmenopausal. 1L letrozole + abemaciclib
01/2025-07/2026 (PD). Started fulvestrant + alpelisib (Piqray) 300 mg on 24/08/2026.

History: "borderline sugar" (prediabetes, HbA1c 6.0% in 2024), never treated. No previous diabetes
diagnosis. No history of SJS / erythema multiforme. Mother and brother: type 2 diabetes.
BMI 31 (weight 84 kg, height 165 cm). Polyuria and thirst for 10 days; no vomiting, no abdominal pain.

Laboratory results
| date       | test                 | SI            | US conventional |
|------------|----------------------|---------------|-----------------|
| 20/08/2026 | fasting glucose      | 6.4 mmol/L    | 115 mg/dL       |
| 20/08/2026 | HbA1c                | 44 mmol/mol   | 6.2 %           |
| 02/10/2026 | fasting glucose      | 14.8 mmol/L   | 267 mg/dL       |
| 08/10/2026 | fasting glucose      | 9.6 mmol/L    | 173 mg/dL       |
| 08/10/2026 | HbA1c                | 63 mmol/mol   | 7.9 %           |
| 08/10/2026 | beta-hydroxybutyrate | 0.3 mmol/L    | -               |
| 08/10/2026 | creatinine           | 74 umol/L     | 0.84 mg/dL      |
| 08/10/2026 | corrected calcium    | 2.38 mmol/L   | 9.5 mg/dL       |

Assessment
 1. Alpelisib-induced hyperglycaemia, CTCAE grade 3 on 02/10 - not type 2 diabetes at this stage.
 2. No ketoacidosis.

Actions / recommendations
 - Alpelisib HELD by oncology since 02/10 (fulvestrant continues). When FPG <160 mg/dL, restart at
   250 mg (one dose level down) - oncology to decide.
 - Metformin started 03/10, now 1000 mg BD; tolerating.
 - SGLT2 inhibitor (empagliflozin) considered but NOT started given ketoacidosis risk.
 - Pioglitazone: not recommended.
 - If hyperglycaemia recurs despite this, oncology may consider switching to capivasertib.
 - Home glucose monitoring; fasting glucose weekly x 4 then monthly. HbA1c in 3 months.
Current other meds: ramipril 5 mg, atorvastatin 20 mg, metformin.

Dr E. Nakamura, Consultant Endocrinologist
""", {
 "as_of": "2026-10-09", "age": 63, "sex": "female", "menopausal_status": "postmenopausal",
 "weight_kg": 84, "height_cm": 165,
 "tumor": {"er_percent": 85, "pr_percent": 40, "her2_ihc": "0", "receptor_source": "metastasis"},
 "somatic": ["PIK3CA E545K"],
 "metastases": {"sites": ["bone", "liver"]},
 "prior_therapies": [
  {"setting": "metastatic", "drugs": ["letrozole", "abemaciclib"], "start": "2025-01-01", "end": "2026-07-01", "stop_reason": "progression"},
  {"setting": "metastatic", "drugs": ["fulvestrant", "alpelisib"], "start": "2026-08-24", "stop_reason": "ongoing"}],
 "labs": {"fasting_glucose_mg_dl": 173, "hba1c_percent": 7.9, "calcium_mg_dl": 9.5},
 "medications": ["metformin", "ramipril", "atorvastatin"],
 "symptoms": ["polyuria", "thirst"]
}, [
 ("comorbidities", "diabetes_type2", "drug-induced hyperglycaemia, explicitly not T2DM; family history only"),
 ("labs.fasting_glucose_mg_dl", 267, "02/10 peak; latest 173"),
 ("labs.hba1c_percent", 63, "63 is mmol/mol"),
 ("labs.hba1c_percent", 6.2, "baseline August value"),
 ("prior_therapies.stop_reason", "toxicity", "alpelisib held, restart planned"),
 ("medications", "empagliflozin", "considered, not started"),
 ("prior_therapies.drugs", "capivasertib", "only a possible switch"),
 ("symptoms", "vomiting", "negated"),
])

N("w47_endo_hypercalcaemia", """
Metabolic medicine / endocrine consult - inpatient          04.11.2026
Pt: Mrs Yvonne L., 57 F, postmenopausal (surgical menopause, TAH-BSO 2010)
Asked to see re: hypercalcaemia, confusion on admission 01.11.

Onc: HR+ HER2-low MBC (bone only, widespread). T10 biopsy 2024: ER 90%, PR 15%, HER2 IHC 2+,
ISH not amplified. 1L letrozole + palbociclib 03/2024-07/2026 PD. 2L exemestane + everolimus since
08/2026 - everolimus paused on admission (acute illness), exemestane continues.

Labs               SI                    conventional
 01.11 Ca (corr)   3.12 mmol/L           12.5 mg/dL     <- admission
 01.11 albumin     31 g/L                3.1 g/dL
 01.11 creatinine  142 umol/L            1.61 mg/dL
 04.11 Ca (corr)   2.71 mmol/L           10.9 mg/dL
 04.11 albumin     29 g/L                2.9 g/dL
 04.11 creatinine  101 umol/L            1.14 mg/dL  (eGFR 54)
 PTH 0.6 pmol/L (suppressed); PTHrP raised; 25-OH vit D 48 nmol/L; TSH 1.9 mU/L.

Impression: humoral hypercalcaemia of malignancy + bone destruction. PTH-independent.
Given: IV 0.9% saline 4 L/48 h; zoledronic acid 4 mg IV once (02.11, dose-adjusted for renal function).
Bendroflumethiazide and calcium carbonate/vitamin D tablets STOPPED on admission.
Confusion resolved by 03.11; still constipated, mild nausea.
ECOG 2 (was 1 before this admission).
Recommend: denosumab 120 mg q4w to start at oncology clinic once Ca normal and dental check done;
no further zoledronic acid planned. Continue home amlodipine, omeprazole.
""", {
 "as_of": "2026-11-04", "age": 57, "sex": "female", "menopausal_status": "postmenopausal", "ecog": 2,
 "tumor": {"er_percent": 90, "pr_percent": 15, "her2_ihc": "2+", "her2_ish": "not_amplified", "receptor_source": "metastasis"},
 "metastases": {"sites": ["bone"]},
 "prior_therapies": [
  {"setting": "metastatic", "drugs": ["letrozole", "palbociclib"], "start": "2024-03-01", "end": "2026-07-01", "stop_reason": "progression"},
  {"setting": "metastatic", "drugs": ["exemestane", "everolimus"], "start": "2026-08-01", "stop_reason": "ongoing"}],
 "labs": {"calcium_mg_dl": 10.86, "albumin_g_dl": 2.9},
 "medications": ["amlodipine", "omeprazole"],
 "symptoms": ["constipation", "nausea"]
}, [
 ("labs.calcium_mg_dl", 12.5, "admission value; latest corrected 2.71 mmol/L"),
 ("labs.albumin_g_dl", 3.1, "admission value"),
 ("medications", "zoledronic_acid", "single in-hospital dose"),
 ("medications", "denosumab", "only recommended, not started"),
 ("medications", "bendroflumethiazide", "stopped on admission"),
 ("symptoms", "confusion", "resolved"),
 ("prior_therapies.stop_reason", "toxicity", "everolimus paused, not stopped"),
 ("labs.creatinine_clearance_ml_min", 54, "54 is eGFR"),
])

N("w48_endo_male_capi_t2dm", """
Endocrine clinic - diabetes review (requested by oncology)
Date 16 Nov 2026  |  Mr Arjun P., 66 M  |  weight 91 kg
Background: T2DM since 2015 (metformin + sitagliptin; never on insulin). HR+ HER2 0 MBC (bone, lung),
ER 90% PR 50% (lung bx 2024). 1L goserelin + anastrozole + abemaciclib 02/2024 - 08/2026 (PD).
Tumour NGS: AKT1 E17K; PIK3CA wild type; PTEN intact.
Oncology started Truqap (capivasertib) 400 mg BD 4 days on/3 off + fulvestrant 500 mg on 14/09/2026.

Glucose log / labs
   date      FPG mmol/L (mg/dL)   HbA1c
   10/09     7.8 (140)            58 mmol/mol (7.5%)
   28/09     13.1 (236)
   12/10     10.2 (184)
   14/11     8.9 (160)            64 mmol/mol (8.0%)

 - capivasertib dose-reduced to 320 mg BD from 13/10 (oncology) - continuing.
 - Itraconazole (toenail fungus, GP) stopped 20/09 - interacts with capivasertib.
 - Gliclazide 40 mg discussed as next step if FPG stays >8; not started today.
 - No hypoglycaemia. Mild diarrhoea, 2/day. No rash.
 - eGFR 68; creatinine clearance (CG) 81 mL/min.
 - Thyroid: TSH 3.2 mU/L, normal. Ca 2.35 mmol/L (9.4 mg/dL), albumin 40 g/L.
Plan: continue metformin 1 g BD + sitagliptin 100 mg OD. Recheck 4 weeks.
ECOG 1.
""", {
 "as_of": "2026-11-16", "age": 66, "sex": "male", "ecog": 1, "weight_kg": 91,
 "tumor": {"er_percent": 90, "pr_percent": 50, "her2_ihc": "0", "receptor_source": "metastasis"},
 "somatic": ["AKT1 E17K", "PIK3CA wildtype", "PTEN wildtype"],
 "metastases": {"sites": ["bone", "lung"]},
 "prior_therapies": [
  {"setting": "metastatic", "drugs": ["goserelin", "anastrozole", "abemaciclib"], "start": "2024-02-01", "end": "2026-08-01", "stop_reason": "progression"},
  {"setting": "metastatic", "drugs": ["capivasertib", "fulvestrant"], "start": "2026-09-14", "stop_reason": "ongoing"}],
 "labs": {"fasting_glucose_mg_dl": 160, "hba1c_percent": 8.0, "creatinine_clearance_ml_min": 81,
          "calcium_mg_dl": 9.4, "albumin_g_dl": 4.0},
 "comorbidities": ["diabetes_type2"],
 "medications": ["metformin", "sitagliptin"],
 "symptoms": ["diarrhoea"]
}, [
 ("labs.hba1c_percent", 7.5, "September value; latest 8.0%"),
 ("labs.fasting_glucose_mg_dl", 236, "peak value; latest 160"),
 ("medications", "itraconazole", "stopped 20/09"),
 ("medications", "gliclazide", "only discussed"),
 ("medications", "insulin", "never on insulin"),
 ("prior_therapies.stop_reason", "toxicity", "capivasertib dose-reduced, continuing"),
 ("labs.creatinine_clearance_ml_min", 68, "68 is eGFR"),
 ("menopausal_status", "postmenopausal", "male patient"),
])

N("w49_endo_prem_tnbc_thyroiditis", """
Endocrinology consult note                       Date: 26/10/2026
Patient: Ms Chiara B., 39 F        Referred by: breast oncology
Re: abnormal thyroid function on pembrolizumab

TNBC (ER 0%, PR 0%, HER2 1+) de novo, diagnosed 06/2026: liver + bone. PD-L1 22C3 CPS 22.
Pembrolizumab + paclitaxel since 07/07/2026 (cycle 5 given 20/10).
Thyroid course:
            TSH (mU/L)   FT4 pmol/L (ng/dL)
 07/07      1.8          14 (1.09)          baseline
 18/08      <0.01        38 (2.95)          thyrotoxic phase - palpitations; propranolol 40 mg
 22/09      6.1          11 (0.85)
 20/10      24.0         6  (0.47)          hypothyroid; tired, cold intolerance
Impression: pembrolizumab-induced painless thyroiditis, now hypothyroid (expected permanent).
 - Propranolol stopped 25/09 (palpitations resolved). Carbimazole NOT indicated.
 - Start levothyroxine 75 mcg OD today (weight 61 kg). TSH in 6 weeks.
 - Pembrolizumab can CONTINUE - no hold needed for thyroid.
 - Cortisol 09:00 412 nmol/L - adrenal insufficiency excluded. No need for prednisolone.
 - Glucose 5.1 mmol/L (92 mg/dL) fasting; HbA1c 34 mmol/mol.
Menstrual cycles regular; beta-hCG negative 20/10. ECOG 0.
FH: father Graves' disease. Germline: BRCA negative, PALB2 negative.
Other meds: ondansetron prn.
""", {
 "as_of": "2026-10-26", "age": 39, "sex": "female", "menopausal_status": "premenopausal", "ecog": 0,
 "pregnant": False, "weight_kg": 61,
 "tumor": {"er_percent": 0, "pr_percent": 0, "her2_ihc": "1+", "pdl1_cps": 22},
 "germline": [],
 "metastases": {"sites": ["liver", "bone"]},
 "presentation": "de_novo", "metastatic_diagnosis_date": "2026-06-01",
 "prior_therapies": [
  {"setting": "metastatic", "drugs": ["pembrolizumab", "paclitaxel"], "start": "2026-07-07", "stop_reason": "ongoing"}],
 "labs": {"fasting_glucose_mg_dl": 92},
 "medications": ["levothyroxine", "ondansetron"],
 "symptoms": ["tiredness", "cold intolerance"]
}, [
 ("medications", "propranolol", "stopped 25/09"),
 ("medications", "carbimazole", "explicitly not indicated"),
 ("medications", "prednisolone", "not needed"),
 ("prior_therapies.stop_reason", "toxicity", "pembrolizumab continues"),
 ("symptoms", "palpitations", "resolved"),
 ("labs.hba1c_percent", 34, "34 is mmol/mol"),
 ("labs.fasting_glucose_mg_dl", 5.1, "5.1 is mmol/L"),
])

N("w50_endo_inavolisib", """
Diabetes/Endocrine - e-consult reply to Oncology              30-Nov-2026
Patient: Mrs Fatima Z., 71, postmenopausal.
Q from oncology: "glucose rising on inavolisib, please advise."

Summary: HR+ (ER 95%, PR 60%) HER2-low (IHC 1+) breast cancer; adjuvant letrozole 2020-2025
completed 03/2025; relapse 11/2025 (bone, liver; liver bx confirmed, receptors above from liver).
PIK3CA H1047R (tissue). Started inavolisib 9 mg + palbociclib 125 mg + fulvestrant 01/2026.

Labs:  HbA1c 6.1% (43 mmol/mol) 12/2025 -> 7.0% (53 mmol/mol) 25/11/2026.
       FPG 25/11: 182 mg/dL (10.1 mmol/L); 18/11: 221 mg/dL (12.3 mmol/L).
       Creatinine clearance 55 mL/min. ALT 30 U/L (ULN 35).
Inavolisib interrupted 19/11 until FPG <=160 mg/dL, then resume 6 mg (one dose level lower).
Palbociclib and fulvestrant continue.
Advice:
  1. Metformin 500 mg BD started 19/11 - continue, titrate.
  2. Not diabetes pre-treatment (HbA1c 6.1% = prediabetes range); this is drug-related hyperglycaemia.
  3. Unlike alpelisib, rash was not an issue; no need for antihistamine prophylaxis.
  4. Hydrochlorothiazide: already stopped by GP 20/11 (raises glucose) - agree.
Other meds: losartan, aspirin 75 mg.
ECOG 1 (oncology note 25/11).
""", {
 "as_of": "2026-11-30", "age": 71, "sex": "female", "menopausal_status": "postmenopausal", "ecog": 1,
 "tumor": {"er_percent": 95, "pr_percent": 60, "her2_ihc": "1+", "receptor_source": "metastasis"},
 "somatic": ["PIK3CA H1047R"],
 "metastases": {"sites": ["bone", "liver"]},
 "presentation": "recurrence", "metastatic_diagnosis_date": "2025-11-01",
 "prior_therapies": [
  {"setting": "adjuvant", "drugs": ["letrozole"], "end": "2025-03-01", "stop_reason": "completed"},
  {"setting": "metastatic", "drugs": ["inavolisib", "palbociclib", "fulvestrant"], "start": "2026-01-01", "stop_reason": "ongoing"}],
 "labs": {"hba1c_percent": 7.0, "fasting_glucose_mg_dl": 182, "creatinine_clearance_ml_min": 55, "alt_x_uln": 0.86},
 "medications": ["metformin", "losartan", "aspirin"]
}, [
 ("comorbidities", "diabetes_type2", "drug-related hyperglycaemia; prediabetes before"),
 ("labs.hba1c_percent", 6.1, "December 2025 baseline"),
 ("labs.fasting_glucose_mg_dl", 221, "18/11 value; latest 182"),
 ("prior_therapies.drugs", "alpelisib", "only mentioned for comparison"),
 ("prior_therapies.stop_reason", "toxicity", "inavolisib interrupted, resume planned"),
 ("medications", "hydrochlorothiazide", "stopped 20/11"),
])
