# throw-away helper: writes notes w11-w20
import json, os
from gen_a import T, D
NOTES = []
def N(name, text, exp, mn): NOTES.append((name, text.strip("\n") + "\n", exp, mn))

# ---------------- style 3: chemotherapy-day nursing pre-assessment ----------------
N("w11_chemoday_sg", """
CHEMO DAY PRE-ASSESSMENT (nursing)     Date: 08/10/2026
Pt: Gloria F   Age 61   F   Regimen: sacituzumab govitecan 10 mg/kg D1,8 q21d   Cycle 4 Day 8
Dx: TNBC, metastatic (liver, mediastinal nodes). Recurrent. Line: 2nd (1L was nab-paclitaxel + pembrolizumab 2025 -> PD 06/2026).
Wt 64.5 kg (C1 66.0 kg)   Ht 158 cm
Vitals: T 36.8  HR 92  BP 118/74  RR 16  SpO2 97% RA
Toxicity (CTCAE v5):
  [x] Diarrhoea G1 (3 loose/day) - loperamide prn
  [x] Nausea G1
  [ ] Vomiting - none
  [x] Fatigue G2
  [x] Peripheral neuropathy G1 (from previous nab-paclitaxel, stable)
  [ ] Fever - none   [ ] Mucositis - none   [ ] Rash - none
ECOG 1
Bloods today: WCC 2.4, ANC 0.9 x10^9/L, Hb 98 g/L, plt 151 x10^9/L, bili 9 umol/L (ULN 21), ALT 22 (ULN 35), creat 64.
(C4D1 bloods 01/10: ANC 2.1.)
UGT1A1: not tested.
OK TO TREAT?  [ ] YES   [x] NO - D8 withheld (ANC <1.0). Discussed with Dr Ruiz: omit D8, start G-CSF secondary prophylaxis from C5 (to be prescribed). Continue SG C5D1 on 15/10 if ANC >=1.5.
Premeds today: not given.
Meds list: loperamide prn, ondansetron 8 mg prn, olanzapine 2.5 mg nocte, omeprazole.
""", {
 "as_of": "2026-10-08", "age": 61, "sex": "female", "ecog": 1, "weight_kg": 64.5, "height_cm": 158,
 "tumor": {"er_status": "negative", "pr_status": "negative", "her2_status": "negative"},
 "metastases": {"sites": ["liver", "distant_lymph_nodes"]},
 "presentation": "recurrence",
 "prior_therapies": [
  {"setting": "metastatic", "drugs": ["nab_paclitaxel", "pembrolizumab"], "end": "2026-06-01", "stop_reason": "progression"},
  {"setting": "metastatic", "drugs": ["sacituzumab_govitecan"], "stop_reason": "ongoing"}],
 "labs": {"anc_per_ul": 900, "platelets_per_ul": 151000, "bilirubin_x_uln": 0.43, "alt_x_uln": 0.63},
 "medications": ["loperamide", "ondansetron", "olanzapine", "omeprazole"],
 "symptoms": ["diarrhoea", "nausea", "fatigue", "peripheral neuropathy"]
}, [
 T("prior_therapies.stop_reason", "toxicity", "D8 omitted for neutropenia - SG continues C5"),
 T("labs.anc_per_ul", 2100, "C4D1 value; today 0.9"),
 T("medications", "filgrastim", "G-CSF planned from C5, not yet prescribed"),
 T("weight_kg", 66.0, "C1 weight; today 64.5"),
 T("symptoms", "vomiting", "negated"),
 T("symptoms", "fever", "negated"),
 T("medications", "dexamethasone", "premeds not given today; no steroid on the list"),
])

N("w12_chemoday_tdxd_low", """
SYSTEMIC THERAPY CHECKLIST — DAY UNIT
Date: 2026-11-12 | Pt: Beatrix L (55 y, F, post-menopausal since 2019) | Protocol: trastuzumab deruxtecan 5.4 mg/kg q3w | C7D1
Dx: ER+ (ER 70%) PR 10% HER2-low (IHC 2+, FISH neg) MBC, lung + bone + pleura (cytology +). Recurrent 2023.
Line 3 (after letrozole+ribociclib 2023-2025, then paclitaxel wkly 2025-2026).
Weight: 152 lb (69.0 kg)  (C1: 158 lb)
Vitals: T 36.5, HR 78, BP 131/82, SpO2 96%.
Pre-assessment:
 Nausea .................. G2 (despite olanzapine) 
 Vomiting ................ G0
 Fatigue ................. G2
 Alopecia ................ G1
 Cough / SOB ............. none new; CT 05/11: "no pneumonitis"
 Diarrhoea ............... G0
ECOG 1   (KPS 80 on onc note)
Echo 29/10: LVEF 56% (baseline 04/2026: 63%)
Bloods 11/11: ANC 2.3 K/uL; Plt 98 K/uL; Hb 10.9 g/dL; bili 0.8 mg/dL (ULN 1.2); ALT 52 U/L (ULN 40); Cr 0.9.
OK to treat?  YES - with dose reduction to 4.4 mg/kg for persistent G2 nausea (Dr Pham). Not a stop.
Home meds: olanzapine 5 mg nocte, ondansetron prn, denosumab q4w (given 05/11), lisinopril 10 mg.
Pt asked about "switching to Trodelvy" if nausea continues - to discuss at next review.
""", {
 "as_of": "2026-11-12", "age": 55, "sex": "female", "menopausal_status": "postmenopausal", "ecog": 1, "weight_kg": 69.0,
 "tumor": {"er_percent": 70, "pr_percent": 10, "her2_ihc": "2+", "her2_ish": "not_amplified"},
 "metastases": {"sites": ["lung", "bone", "pleura"]},
 "presentation": "recurrence", "metastatic_diagnosis_date": None,
 "prior_therapies": [
  {"setting": "metastatic", "drugs": ["letrozole", "ribociclib"], "stop_reason": "progression"},
  {"setting": "metastatic", "drugs": ["paclitaxel"], "stop_reason": "progression"},
  {"setting": "metastatic", "drugs": ["trastuzumab_deruxtecan"], "stop_reason": "ongoing"}],
 "lvef_percent": 56,
 "labs": {"anc_per_ul": 2300, "platelets_per_ul": 98000, "bilirubin_x_uln": 0.67, "alt_x_uln": 1.3},
 "medications": ["olanzapine", "ondansetron", "denosumab", "lisinopril"],
 "symptoms": ["nausea", "fatigue"]
}, [
 T("prior_therapies.drugs", "sacituzumab_govitecan", "Trodelvy only asked about"),
 T("prior_therapies.stop_reason", "toxicity", "dose reduced, not stopped"),
 T("lvef_percent", 63, "baseline April; latest 56"),
 T("weight_kg", 71.7, "C1 weight 158 lb"),
 T("ecog", 2, "ECOG 1 stated; KPS 80 is not ECOG"),
 T("comorbidities", "interstitial_lung_disease", "CT: no pneumonitis"),
 T("symptoms", "cough", "negated")])
del NOTES[-1][2]["metastatic_diagnosis_date"]

N("w13_chemoday_hp_male", """
Chemo suite pre-treatment assessment — 19 Oct 2026
Patient: Mr Ifeanyi O, 57, male.
Diagnosis: de novo metastatic breast ca (Sept 2025), ER 0%, PR 0%, HER2 3+ (liver core). Liver + bone.
Regimen: CLEOPATRA-type: docetaxel + trastuzumab + pertuzumab x6 (Oct 2025 - Feb 2026), docetaxel then stopped as planned; maintenance trastuzumab + pertuzumab q3w continuing (C17 today).
Checklist:
 - Temp 37.0  P 70  BP 142/88  SpO2 98%
 - Diarrhoea G1, nail changes G1, neuropathy G1 (residual from docetaxel)
 - SOB / oedema / orthopnoea: NONE
 - ECOG 0
 - Echo 15/10/2026: LVEF 47% (baseline 09/2025 = 63%; July 2026 = 58%)
   -> fall of 16 points from baseline => HOLD trastuzumab + pertuzumab today per protocol, repeat echo in 4 weeks, cardio-oncology referral. Pertuzumab/trastuzumab NOT discontinued.
 - Bloods: ANC 3.8, plt 210, bili 11 umol/L (ULN 21), ALT 30 (ULN 50).
OK TO TREAT: NO (cardiac hold). 
Cardio-oncology may start ramipril/bisoprolol - not prescribed yet.
Meds: none regular except colecalciferol. Pt mentioned previously taking tamsulosin - stopped by GP in 2025.
""", {
 "as_of": "2026-10-19", "age": 57, "sex": "male", "ecog": 0,
 "tumor": {"er_percent": 0, "pr_percent": 0, "her2_ihc": "3+", "receptor_source": "metastasis"},
 "metastases": {"sites": ["liver", "bone"]},
 "presentation": "de_novo", "metastatic_diagnosis_date": "2025-09-01",
 "prior_therapies": [{"setting": "metastatic", "drugs": ["docetaxel", "trastuzumab", "pertuzumab"], "start": "2025-10-01", "stop_reason": "ongoing"}],
 "lvef_percent": 47,
 "labs": {"anc_per_ul": 3800, "platelets_per_ul": 210000, "bilirubin_x_uln": 0.52, "alt_x_uln": 0.6},
 "medications": ["colecalciferol"],
 "symptoms": ["diarrhoea", "nail changes", "neuropathy"]
}, [
 T("comorbidities", "heart_failure", "asymptomatic LVEF fall, no SOB/oedema"),
 T("lvef_percent", 58, "July value; latest 47"),
 T("prior_therapies.stop_reason", "toxicity", "cardiac hold, not discontinued"),
 T("medications", "ramipril", "may be started by cardio-oncology, not prescribed"),
 T("medications", "tamsulosin", "stopped 2025"),
 T("menopausal_status", "postmenopausal", "male"),
 T("symptoms", "shortness of breath", "negated")])

N("w14_chemoday_eribulin_erlow", """
ONC DAY UNIT - NURSE PRE-ASSESS
date: 2 Nov 2026 | Nadia K | 49F | perimenopausal (irregular periods, last LMP Aug 2026)
ER-low MBC: ER 8% (weak), PR 0, HER2 1+ on lymph node bx (supraclavicular + mediastinal) 2025. Primary 2020: ER 30% PR 5% HER2 0.
On eribulin (Halaven) D1,8 q21d = 4th line; started 14/08/2026. Prior met lines: capecitabine; T-DXd (stopped for grade 2 ILD 06/2026, on prednisolone taper until Aug); carboplatin.
Weight 132 lb. Height 5 ft 5 in.
Tox:
 neuropathy G2 (tingling fingers, buttoning ok) - new since C3
 fatigue G1
 cough: improved, mild
 SOB: none at rest
Bloods 01/11: ANC 1.2 x10^9/L; plt 176; bili 0.6 mg/dL (ULN 1.2); ALT 31 (ULN 40)
OK to treat? -> YES, D1 given at 1.1 mg/m2 (reduced from 1.4 for neuropathy G2). Not stopped.
Meds: pregabalin 75 mg bd (new), lansoprazole, prednisolone - finished 20/08/2026.
Pregnancy test not required per protocol (discussed, pt declines).
""", {
 "as_of": "2026-11-02", "age": 49, "sex": "female", "menopausal_status": "perimenopausal", "weight_kg": 59.9, "height_cm": 165,
 "tumor": {"er_percent": 8, "pr_percent": 0, "her2_ihc": "1+", "receptor_source": "metastasis"},
 "metastases": {"sites": ["distant_lymph_nodes"]},
 "presentation": "recurrence",
 "prior_therapies": [
  {"setting": "metastatic", "drugs": ["capecitabine"]},
  {"setting": "metastatic", "drugs": ["trastuzumab_deruxtecan"], "end": "2026-06-01", "stop_reason": "toxicity"},
  {"setting": "metastatic", "drugs": ["carboplatin"]},
  {"setting": "metastatic", "drugs": ["eribulin"], "start": "2026-08-14", "stop_reason": "ongoing"}],
 "comorbidities": ["interstitial_lung_disease"],
 "labs": {"anc_per_ul": 1200, "platelets_per_ul": 176000, "bilirubin_x_uln": 0.5, "alt_x_uln": 0.78},
 "medications": ["pregabalin", "lansoprazole"],
 "symptoms": ["neuropathy", "fatigue", "cough"]
}, [
 T("tumor.er_percent", 30, "2020 primary; node biopsy ER 8% is newest"),
 T("tumor.her2_ihc", "0", "primary HER2 0; metastasis 1+"),
 T("medications", "prednisolone", "finished 20/08/2026"),
 T("prior_therapies.stop_reason", "toxicity", "eribulin dose reduced, ongoing (T-DXd is the one stopped)"),
 T("menopausal_status", "postmenopausal", "irregular periods, last LMP Aug 2026 = perimenopausal"),
 T("weight_kg", 132, "132 is lb"),
 T("pregnant", False, "no pregnancy test done"),
 T("symptoms", "shortness of breath", "negated")])

N("w15_chemoday_pacli_pembro", """
=== CHEMOTHERAPY DAY PRE-ASSESSMENT / NURSE-LED TOXICITY CLINIC ===
Date: 25/11/2026           Unit: Haematology-Oncology Day Ward, chair 6
Patient: Jess T.  Age: 38  Sex: F   Menstrual status: premenopausal (cycles regular on chemo, LMP 10/11/2026)
Urine hCG today: NEGATIVE.
Diagnosis: metastatic triple-negative breast cancer, de novo (diagnosed 14 July 2026): L breast primary +
  liver (2 lesions), bone (T11, L-ilium). Axillary nodes also involved (regional).
  Liver core 07/2026: ER 0%, PR 0%, HER2 IHC 1+, ISH not amplified (HER2-low, TN by ER/PR).
  PD-L1 22C3 CPS 15. (SP142 not done.)
  Germline: BRCA1/2 negative (panel 08/2026), PALB2 VUS.
Regimen: paclitaxel 80 mg/m2 D1,8,15 + pembrolizumab 200 mg D1 q21d (KEYNOTE-355). Line 1. Cycle 6 Day 1. Started 05/08/2026.

Vital signs: T 36.9 | HR 104 (new) | BP 108/66 | RR 18 | SpO2 98% | Wt 58.2 kg (C1 61.0) | Ht 167 cm

Toxicity screen (CTCAE v5)                   today     last cycle
 - peripheral sensory neuropathy              G1        G1
 - fatigue                                    G2        G1
 - diarrhoea                                  G0        G1 (resolved)
 - rash / pruritus                            G1 rash   G0
 - cough / dyspnoea                           none      none
 - palpitations, heat intolerance             YES (new, 1 week)
 - headache / visual change                   none

Bloods (24/11/2026):
 ANC 1.9 x10^9/L | plt 233 x10^9/L | Hb 112 g/L
 bilirubin 14 umol/L (ULN 21) | ALT 98 U/L (ULN 40) | AST 71
 creatinine 58 umol/L | CrCl (C-G) 112 mL/min
 TSH <0.01 mU/L, fT4 38 pmol/L  -> thyroiditis (hyperthyroid phase) likely immune-related
 (Bloods 03/11: ALT 36, TSH 1.9)

ECOG 1
OK TO TREAT?
 [x] paclitaxel D1 - YES given
 [x] pembrolizumab - WITHHELD today (G2 ALT rise + thyroiditis) - NOT discontinued; endocrine review; repeat LFT in 1 week
 [ ] prednisolone 1 mg/kg - NOT started; only if ALT >5x ULN
 propranolol 10 mg tds started today for palpitations.

Medications: propranolol (new), ondansetron prn, dexamethasone 8 mg premed with paclitaxel only on chemo days,
  cetirizine premed, sertraline 50 mg od, COCP stopped at diagnosis (July).
PMH: asthma (childhood, resolved), no autoimmune disease.
FH: aunt (maternal) breast ca 45y - not tested.
Discussed with pt: if not tolerating, oncologist mentioned sacituzumab govitecan or carboplatin as later options.
""", {
 "as_of": "2026-11-25", "age": 38, "sex": "female", "menopausal_status": "premenopausal", "pregnant": False,
 "ecog": 1, "weight_kg": 58.2, "height_cm": 167,
 "tumor": {"er_percent": 0, "pr_percent": 0, "her2_ihc": "1+", "her2_ish": "not_amplified", "pdl1_cps": 15, "receptor_source": "metastasis"},
 "germline": [],
 "metastases": {"sites": ["liver", "bone"]},
 "presentation": "de_novo", "metastatic_diagnosis_date": "2026-07-14",
 "prior_therapies": [{"setting": "metastatic", "drugs": ["paclitaxel", "pembrolizumab"], "start": "2026-08-05", "stop_reason": "ongoing"}],
 "labs": {"anc_per_ul": 1900, "platelets_per_ul": 233000, "bilirubin_x_uln": 0.67, "alt_x_uln": 2.45, "creatinine_clearance_ml_min": 112},
 "medications": ["propranolol", "ondansetron", "dexamethasone", "cetirizine", "sertraline"],
 "symptoms": ["neuropathy", "fatigue", "rash", "palpitations", "heat intolerance"]
}, [
 T("germline", "PALB2", "VUS only"),
 T("metastases.sites", "distant_lymph_nodes", "axillary nodes are regional"),
 T("prior_therapies.stop_reason", "toxicity", "pembrolizumab withheld, not discontinued"),
 T("medications", "prednisolone", "not started; conditional"),
 T("medications", "ethinylestradiol", "COCP stopped in July"),
 T("labs.alt_x_uln", 0.9, "03/11 value"),
 T("tumor.pdl1_ic_percent", 15, "CPS is 22C3; SP142 not done"),
 T("prior_therapies.drugs", "sacituzumab_govitecan", "only mentioned as later option")])

# ---------------- style 4: cancer-genetics counselling letter ----------------
N("w16_genetics_brca2", """
Department of Clinical Genetics
15 October 2026
Dear Dr Laurent,
Re: Fatima Z., 45 years (female)
Thank you for referring Fatima, who has metastatic hormone-receptor-positive, HER2-negative breast cancer (bone, liver) that recurred in May 2026, six years after treatment for a left breast cancer at 39. She remains premenopausal and is currently taking goserelin with letrozole and ribociclib, which she started in June 2026.

Family history (pedigree in words): Fatima is the second of three sisters. Her older sister (49) had breast cancer at 44 and was found to carry a BRCA2 pathogenic variant (c.5946delT) in 2023. Her mother died of ovarian cancer at 58; her maternal uncle had prostate cancer in his 60s. Her younger sister (41) has tested negative for the familial variant. Her father's side is unremarkable. Fatima has a daughter (19), not yet tested.

Results: Fatima's blood (germline) test, reported 02/10/2026, confirms that she carries the same BRCA2 pathogenic variant, c.5946delT. No other pathogenic variant was found in the 30-gene panel; a variant of uncertain significance in CHEK2 was reported and should not be used for clinical decisions.
Her tumour (liver biopsy, somatic panel, 07/2026) showed PIK3CA - no mutation detected; ESR1 testing of plasma ctDNA has been sent and is pending.

Implications: PARP inhibitors such as olaparib or talazoparib may be relevant for her treatment at a later line; this is for her oncologist to consider. We have offered predictive testing to her daughter from age 18 onward.
Yours sincerely, Dr A. Mensah, Consultant Clinical Geneticist
""", {
 "as_of": "2026-10-15", "age": 45, "sex": "female", "menopausal_status": "premenopausal",
 "tumor": {"er_status": "positive", "her2_status": "negative"},
 "germline": ["BRCA2"],
 "somatic": ["PIK3CA wildtype"],
 "metastases": {"sites": ["bone", "liver"]},
 "presentation": "recurrence", "metastatic_diagnosis_date": "2026-05-01",
 "prior_therapies": [{"setting": "metastatic", "drugs": ["goserelin", "letrozole", "ribociclib"], "start": "2026-06-01", "stop_reason": "ongoing"}]
}, [
 T("germline", "CHEK2", "VUS"),
 T("prior_therapies.drugs", "olaparib", "only mentioned for a later line"),
 T("prior_therapies.drugs", "talazoparib", "only mentioned"),
 T("somatic", "ESR1 wildtype", "ESR1 pending"),
 T("menopausal_status", "postmenopausal", "stated premenopausal, on goserelin"),
 T("somatic", "BRCA2 somatic", "BRCA2 is germline, not a tumour-only finding"),
 T("age", 39, "39 was age at primary")])

N("w17_genetics_male", """
CANCER GENETICS CLINIC - RESULTS LETTER
Date: 4 Nov 2026
To: Oncology (Dr Brennan); cc GP
Patient: Mr George P, aged 62. Metastatic male breast cancer, ER 90%, PR 50%, HER2 1+ (HER2-low) on rib biopsy 01/2026; de novo with bone + lung disease diagnosed January 2026. Currently on anastrozole + leuprolide + palbociclib (since Feb 2026).

Pedigree: George's mother had breast cancer at 52 and his maternal aunt at 48 (both deceased, never tested). His brother (58) is well and untested. George has two children: daughter Maria (34) - tested in 2025 through her own clinic and found to carry a BRCA2 pathogenic variant; son (30) untested.

George's germline result (panel of 12 genes, reported 27/10/2026): BRCA2 c.7007G>A pathogenic variant DETECTED. BRCA1, PALB2, CHEK2, ATM, TP53: no pathogenic variants.
Tumour NGS (rib, 02/2026): PIK3CA E545K; ESR1 wild type; AKT1 not detected. Note: tumour BRCA2 finding is the same germline variant (not separately somatic).
Family cascade: son offered testing. Brother offered testing. Prostate screening advice for George (PSA) given.
He asked whether his daughter's "talazoparib trial" would apply to him - explained that trial was for her and we will inform his oncologist of the PARP-inhibitor relevance.
""", {
 "as_of": "2026-11-04", "age": 62, "sex": "male",
 "tumor": {"er_percent": 90, "pr_percent": 50, "her2_ihc": "1+", "receptor_source": "metastasis"},
 "germline": ["BRCA2"],
 "somatic": ["PIK3CA E545K", "ESR1 wildtype", "AKT1 wildtype"],
 "metastases": {"sites": ["bone", "lung"]},
 "presentation": "de_novo", "metastatic_diagnosis_date": "2026-01-01",
 "prior_therapies": [{"setting": "metastatic", "drugs": ["anastrozole", "leuprolide", "palbociclib"], "start": "2026-02-01", "stop_reason": "ongoing"}]
}, [
 T("prior_therapies.drugs", "talazoparib", "daughter's trial, only asked about"),
 T("menopausal_status", "postmenopausal", "male"),
 T("somatic", "BRCA2 somatic", "the tumour finding is the germline variant"),
 T("germline", "PALB2", "negated"),
 T("medications", "leuprolide", "GnRH with AI/CDK4/6i belongs to the therapy"),
 T("sex", "female", "male patient; mother and aunt are female relatives")])

N("w18_genetics_negative", """
Familial Cancer Service
Date: 28/10/2026
RE: Olivia N (DOB 14/03/1987), 39 y, premenopausal
Diagnosis: metastatic triple-negative breast cancer (lung, mediastinal lymph nodes), relapsed 09/2026, 2 years after neoadjuvant carboplatin/paclitaxel/pembrolizumab then AC and surgery (pCR not achieved) and adjuvant pembrolizumab, completed 07/2025. Starting 1st line chemotherapy under Dr Silva.

Family history: mother breast cancer at 41 and a BRCA1 pathogenic variant (tested 2019). Maternal grandmother ovarian cancer. Father: colon cancer at 70. One brother - untested.

Germline results (Olivia, 47-gene panel, reported 20/10/2026):
  - BRCA1: familial variant NOT detected
  - ATM c.5557G>A - variant of uncertain significance (VUS), not actionable
  - no other pathogenic variants
Tumour sequencing (lung biopsy 09/2026, tissue only): BRCA1 somatic loss-of-function variant (c.68_69del at VAF 38%) - this is a tumour (somatic) finding, not inherited. PIK3CA not detected.
Comment: with a negative germline result, Olivia's risk of further primaries is as per population/family-history models. Her mother's variant remains relevant for her brother and maternal relatives. Eligibility for PARP inhibitors based on somatic BRCA1 is a question for her oncologist (not standard).
""", {
 "as_of": "2026-10-28", "age": 39, "sex": "female", "menopausal_status": "premenopausal",
 "tumor": {"er_status": "negative", "pr_status": "negative", "her2_status": "negative"},
 "germline": [],
 "somatic": ["BRCA1 somatic", "PIK3CA wildtype"],
 "metastases": {"sites": ["lung", "distant_lymph_nodes"]},
 "presentation": "recurrence", "metastatic_diagnosis_date": "2026-09-01",
 "prior_therapies": [{"setting": "neoadjuvant", "drugs": ["carboplatin", "paclitaxel", "pembrolizumab", "doxorubicin", "cyclophosphamide"], "end": "2025-07-01", "stop_reason": "completed"}]
}, [
 T("germline", "BRCA1", "mother's variant not inherited; tumour BRCA1 is somatic"),
 T("germline", "ATM", "VUS"),
 T("prior_therapies.drugs", "olaparib", "PARP inhibitor only a question for the oncologist"),
 T("metastatic_diagnosis_date", "2026-03-14", "DOB, not diagnosis date"),
 T("somatic", "BRCA1 germline", "tumour finding is somatic"),
 T("age", 41, "mother's age at diagnosis")])

N("w19_genetics_palb2", """
Genetics counselling letter — 30 Nov 2026
Dear Ms Okafor (Rosa),
It was good to see you and your partner on 24 November. This letter summarises what we talked about.
You have breast cancer that has spread to your bones and liver (first found in August 2024, five years after your first breast cancer). Your cancer is hormone receptor positive and HER2 positive (liver biopsy: ER 80%, PR 10%, HER2 IHC 3+). You are currently having Phesgo (pertuzumab + trastuzumab) injections with letrozole after 6 cycles of docetaxel with Phesgo; you've had this since October 2024. You are 51 and your periods stopped for good in 2022.
Your family: your mother is alive at 78 and well. Your father's sister had breast cancer at 46. Your cousin (father's side) was found to carry a CHEK2 variant in 2024. You have no children.
Your test result: your blood test (germline) found a harmful (pathogenic) change in the PALB2 gene. You do NOT carry your cousin's CHEK2 change. This PALB2 change increases the risk of breast cancer and, to a smaller degree, ovarian and pancreatic cancer.
What this means: your oncologist will receive a copy. We suggested your father's relatives be offered testing for both PALB2 and CHEK2. You asked about risk-reducing removal of the ovaries - we will refer you to gynaecology to discuss; no decision has been made.
Best wishes, Kim Tran, Genetic Counsellor
""", {
 "as_of": "2026-11-30", "age": 51, "sex": "female", "menopausal_status": "postmenopausal",
 "tumor": {"er_percent": 80, "pr_percent": 10, "her2_ihc": "3+", "receptor_source": "metastasis"},
 "germline": ["PALB2"],
 "metastases": {"sites": ["bone", "liver"]},
 "presentation": "recurrence", "metastatic_diagnosis_date": "2024-08-01",
 "prior_therapies": [{"setting": "metastatic", "drugs": ["docetaxel", "pertuzumab", "trastuzumab", "letrozole"], "start": "2024-10-01", "stop_reason": "ongoing"}]
}, [
 T("germline", "CHEK2", "cousin's variant, patient does not carry it"),
 T("prior_therapies.drugs", "bilateral_oophorectomy", "only asked about; referral, no decision"),
 T("as_of", "2026-11-24", "clinic date; letter dated 30 Nov"),
 T("prior_therapies.stop_reason", "completed", "docetaxel induction then HP+letrozole maintenance is one ongoing line"),
 T("metastases.sites", "peritoneum", "pancreatic/ovarian are risk statements, not sites"),
 T("menopausal_status", "premenopausal", "periods stopped for good 2022")])

N("w20_genetics_pending", """
CLINICAL GENETICS - PRE-TEST COUNSELLING LETTER (results to follow)
08 Oct 2026
Patient: Mrs Edith V, 66 y. MBC, relapse 2024 in bone and pleura (malignant effusion, cytology positive) - receptors on pleural cell block 2024: ER 6%, PR 0%, HER2 IHC 0 with faint, incomplete membrane staining in ~5% of cells.
Treatment so far for metastatic disease: capecitabine 2024-2025 (PD), now T-DXd since 02/2026 (oncology letter 12/09/2026: continuing).
Blood test for inherited genes (BRCA1, BRCA2, PALB2 and others) taken today; results in 6-8 weeks. Until then we cannot say whether she carries a variant.
Pedigree: Edith's brother (70) has a known BRCA1 pathogenic variant (found after his pancreatic cancer). Their mother had breast cancer in her 50s. Edith's two sons are untested.
Oncology ctDNA (Guardant, 09/2026) already shows: ESR1 Y537S, PIK3CA H1047R, TP53 R175H. These are tumour changes; a tumour change in one gene does not tell us about the germline.
Next: results clinic early December.
""", {
 "as_of": "2026-10-08", "age": 66, "sex": "female",
 "tumor": {"er_percent": 6, "pr_percent": 0, "her2_ihc": "ultralow", "receptor_source": "metastasis"},
 "somatic": ["ESR1 Y537S", "PIK3CA H1047R", "TP53 R175H"],
 "metastases": {"sites": ["bone", "pleura"]},
 "presentation": "recurrence",
 "prior_therapies": [
  {"setting": "metastatic", "drugs": ["capecitabine"], "stop_reason": "progression"},
  {"setting": "metastatic", "drugs": ["trastuzumab_deruxtecan"], "start": "2026-02-01", "stop_reason": "ongoing"}]
}, [
 T("germline", [], "test pending"),
 T("germline", "BRCA1", "brother's variant"),
 T("tumor.her2_ihc", "0", "faint incomplete staining in <=10% = ultralow"),
 T("metastases.sites", "peritoneum", "pancreatic cancer is the brother's"),
 T("tumor.er_status", "positive", "ER 6% is ER-low"),
 T("as_of", "2026-09-12", "oncology letter date")])

if __name__ == "__main__":
    for name, text, exp, mn in NOTES:
        open(os.path.join(D, name + ".txt"), "w").write(text)
        json.dump(exp, open(os.path.join(D, name + ".expected.json"), "w"), indent=1)
        json.dump({"must_not": mn}, open(os.path.join(D, name + ".safety.json"), "w"), indent=1)
    print(len(NOTES))
