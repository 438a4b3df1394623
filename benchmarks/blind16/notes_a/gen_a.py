# throw-away helper: writes notes w01-w10 (text, expected, safety)
import json, os
D = os.path.dirname(os.path.abspath(__file__))
NOTES = []
def N(name, text, exp, mn):
    NOTES.append((name, text.strip("\n") + "\n", exp, mn))
def T(field, value, why): return {"field": field, "value": value, "why": why}

# ---------------- style 1: palliative-care consult ----------------
N("w01_palliative_liver", """
PALLIATIVE CARE CONSULTATION — inpatient, Ward 7B
Date: 14 Oct 2026     Pt: Margaret H., 68 y/o F     Referred by: Dr Osei (med onc)
Reason for referral: symptom control (RUQ pain, nausea), goals-of-care conversation.

Oncology background (from chart + pt):
- L breast IDC dx 2015, T2N1, ER 90% PR 40% HER2 1+ on core. Adjuvant EC-paclitaxel, then letrozole x5y, finished 2021.
- Relapse March 2023: bone (spine, pelvis) + liver. Liver core 04/2023: ER 80%, PR 5%, HER2 IHC 1+ (HER2-low).
- 1L letrozole + palbociclib (Ibrance) Apr 2023 - Jan 2025, progression in liver.
- 2L fulvestrant alone Feb 2025 - Jul 2025, PD.
- 3L capecitabine (Xeloda) from Aug 2025, dose reduced to 1000 mg bd d1-14 in Sept 2026 for G2 hand-foot; ongoing. Last CT 02/10/2026 = liver mets slightly larger, "mixed response".
- Onc has raised trastuzumab deruxtecan as possible next line; pt wants to think about it. NOT started.

Symptoms today: RUQ ache 6/10 worst at night, nausea most mornings, poor appetite, fatigue. No vomiting. Breathlessness denied. Constipation resolved since laxatives started last week.
Function: walks to bathroom with stick, spends ~half the day in chair. KPS 60. (Onc clinic 3 mo ago recorded ECOG 1; today she is ECOG 2.)

Current meds (home + ward):
  morphine MR (MST) 20 mg bd + Oramorph 5 mg prn
  paracetamol 1 g qds
  metoclopramide 10 mg tds
  senna 15 mg nocte
  denosumab (Xgeva) 120 mg SC q4wk - next due 20/10
  dexamethasone 4 mg - STOPPED on admission (mood, insomnia)
Allergies: NKDA.

Bloods 13/10: bili 38 umol/L (ULN 21), ALT 74 U/L (ULN 35), alb 29 g/L, adj Ca 2.41 mmol/L, Cr 71.
(Bloods 21/09: bili 19, ALT 40.)

PMH: hypertension (amlodipine stopped 2024 as BP low), osteoarthritis knees. No diabetes.
FH: sister ovarian ca at 60 (not tested); pt herself has never had genetic testing.

Assessment: HER2-low HR+ MBC on 3rd line capecitabine, liver capsule pain and opioid/hepatic nausea.
Plan: increase MST to 30 mg bd; add haloperidol 0.5 mg nocte if nausea persists (not yet started); consider dexamethasone re-trial for capsular pain only if morphine fails. ACP: pt wishes to stay at home; DNACPR discussed, she will talk to her son.
""", {
 "as_of": "2026-10-14", "age": 68, "sex": "female", "ecog": 2,
 "tumor": {"er_percent": 80, "pr_percent": 5, "her2_ihc": "1+", "receptor_source": "metastasis", "histology": "ductal"},
 "metastases": {"sites": ["bone", "liver"]},
 "presentation": "recurrence", "metastatic_diagnosis_date": "2023-03-01",
 "prior_therapies": [
  {"setting": "adjuvant", "drugs": ["epirubicin", "cyclophosphamide", "paclitaxel"], "stop_reason": "completed"},
  {"setting": "adjuvant", "drugs": ["letrozole"], "stop_reason": "completed"},
  {"setting": "metastatic", "drugs": ["letrozole", "palbociclib"], "start": "2023-04-01", "end": "2025-01-01", "stop_reason": "progression"},
  {"setting": "metastatic", "drugs": ["fulvestrant"], "start": "2025-02-01", "end": "2025-07-01", "stop_reason": "progression"},
  {"setting": "metastatic", "drugs": ["capecitabine"], "start": "2025-08-01", "stop_reason": "ongoing"}],
 "labs": {"bilirubin_x_uln": 1.81, "alt_x_uln": 2.11, "albumin_g_dl": 2.9, "calcium_mg_dl": 9.66},
 "medications": ["morphine", "acetaminophen", "metoclopramide", "senna", "denosumab"],
 "symptoms": ["RUQ pain", "nausea", "poor appetite", "fatigue"]
}, [
 T("prior_therapies.drugs", "trastuzumab_deruxtecan", "only raised as a possible next line, not started"),
 T("medications", "dexamethasone", "stopped on admission; a re-trial is only considered"),
 T("medications", "haloperidol", "planned 'if nausea persists', not started"),
 T("ecog", 1, "ECOG 1 is from clinic 3 months ago; today ECOG 2 (KPS 60 is not ECOG)"),
 T("labs.bilirubin_x_uln", 0.9, "21/09 value (19 umol/L) is older; latest is 38/21"),
 T("tumor.pr_percent", 40, "PR 40% is the 2015 primary; liver core PR 5% is newest"),
 T("germline", [], "patient never tested; sister's ovarian cancer is family history"),
 T("symptoms", "constipation", "resolved")])

N("w02_palliative_male", """
Pall care consult (community) 05-Nov-2026
Mr Desmond K, 74M. MBC (male), ER+ 95% PR+ 60% HER2 0 (no staining) on T7 vertebra bx 2024.
Dx de novo Feb 2024: bones + lungs. 1L tamoxifen Mar 2024 -> Oct 2025 (PD). 2L anastrozole + leuprolide + abemaciclib since 11/2025, abemaciclib reduced to 100 mg bd for diarrhoea, continuing.
Seen at home with wife. Main issues: (1) hip/back pain, (2) breathless on stairs, (3) low mood.
Function: ECOG 3 today (bed/chair >50% of day). Was ECOG 1 in June.
CT 28/10: lungs stable, bony disease progressed (new L-femur lesion). "3 mm R frontal focus, likely vascular, cannot exclude tiny metastasis - MRI suggested". MRI not done, pt undecided.
Meds: oxycodone MR 10 mg bd, oxynorm prn, warfarin (AF) - INR 2.6, loperamide prn, sertraline 50 mg started 2 wk ago, zoledronic acid - last 3 mo ago, now on hold (dentist ?ONJ, awaiting review - not confirmed).
Previously on citalopram (stopped 2025, swapped for sertraline this autumn - pt now only on sertraline).
PMH: AF, T2DM diet-controlled, past TB 1970s treated.
Plan: RT referral for L-femur (single 8 Gy); discuss hospice day-centre; if MRI confirms brain met -> SRS discussion.
""", {
 "as_of": "2026-11-05", "age": 74, "sex": "male", "ecog": 3,
 "tumor": {"er_percent": 95, "pr_percent": 60, "her2_ihc": "0", "receptor_source": "metastasis"},
 "metastases": {"sites": ["bone", "lung"]},
 "presentation": "de_novo", "metastatic_diagnosis_date": "2024-02-01",
 "prior_therapies": [
  {"setting": "metastatic", "drugs": ["tamoxifen"], "start": "2024-03-01", "end": "2025-10-01", "stop_reason": "progression"},
  {"setting": "metastatic", "drugs": ["anastrozole", "leuprolide", "abemaciclib"], "start": "2025-11-01", "stop_reason": "ongoing"}],
 "comorbidities": ["diabetes_type2"],
 "medications": ["oxycodone", "warfarin", "loperamide", "sertraline", "zoledronic_acid"],
 "symptoms": ["hip pain", "back pain", "breathless on stairs", "low mood"]
}, [
 T("menopausal_status", "postmenopausal", "male patient"),
 T("metastases.sites", "brain", "3 mm focus 'likely vascular, cannot exclude' - MRI not done"),
 T("prior_therapies.stop_reason", "toxicity", "abemaciclib dose reduced, line continues"),
 T("medications", "citalopram", "stopped, swapped to sertraline"),
 T("comorbidities", "osteonecrosis_jaw", "?ONJ awaiting dental review, not confirmed"),
 T("ecog", 1, "ECOG 1 was in June; today 3"),
 T("tumor.her2_ihc", "ultralow", "report says no staining = HER2 0")])

N("w03_palliative_tnbc", """
PALLIATIVE MEDICINE - OUTPATIENT
Date 22/10/2026. Name: Priya S. Age 44. Female, premenopausal (regular cycles).
Dx: R breast TNBC 2022 (ER 0%, PR 0%, HER2 1+ -> ISH not amplified... later reclassified on relapse).
Neoadj KEYNOTE-522 regimen (pembrolizumab + carbo/paclitaxel then AC) 2022, surgery non-pCR, adj capecitabine 6 cycles completed Aug 2023.
Relapse 05/2024 (L pleural effusion, cytology POSITIVE for adenocarcinoma c/w breast; lung nodules). Pleural fluid cell block: ER 0, PR 0, HER2 IHC 0 (null). PD-L1 22C3 CPS 5.
1L (met) gemcitabine + carboplatin Jun 2024 -> Mar 2025, PD.
2L sacituzumab govitecan (Trodelvy) since 04/2025 - ongoing, D8 doses repeatedly delayed for neutropenia.
Germline: BRCA1/2 + panel negative (2022). Mother had BRCA1 pathogenic variant (dx ovarian ca at 49) - pt did NOT inherit it.

Symptoms: dyspnoea on exertion (IPC drained 3x/wk), cough, diarrhoea settled with loperamide. Anxiety high - 2 children.
PS: ECOG 1-2 per onc; we record ECOG 2 today (rests most afternoons, self-caring).
Meds: methadone 5 mg tds (started by us 09/2026, switched FROM morphine - morphine stopped), loperamide prn, lorazepam 0.5 mg prn, ondansetron 8 mg prn.
Discussed: pt asked whether olaparib or 'a trial drug' could help - explained not applicable given negative germline; onc to discuss trial.
Plan: continue methadone, ECG for QTc (methadone + ondansetron) - not yet done. Psychology referral.
""", {
 "as_of": "2026-10-22", "age": 44, "sex": "female", "menopausal_status": "premenopausal", "ecog": 2,
 "tumor": {"er_percent": 0, "pr_percent": 0, "her2_ihc": "0", "pdl1_cps": 5, "receptor_source": "metastasis"},
 "germline": [],
 "metastases": {"sites": ["pleura", "lung"]},
 "presentation": "recurrence", "metastatic_diagnosis_date": "2024-05-01",
 "prior_therapies": [
  {"setting": "neoadjuvant", "drugs": ["pembrolizumab", "carboplatin", "paclitaxel", "doxorubicin", "cyclophosphamide"], "stop_reason": "completed"},
  {"setting": "adjuvant", "drugs": ["capecitabine"], "end": "2023-08-01", "stop_reason": "completed"},
  {"setting": "metastatic", "drugs": ["gemcitabine", "carboplatin"], "start": "2024-06-01", "end": "2025-03-01", "stop_reason": "progression"},
  {"setting": "metastatic", "drugs": ["sacituzumab_govitecan"], "start": "2025-04-01", "stop_reason": "ongoing"}],
 "medications": ["methadone", "loperamide", "lorazepam", "ondansetron"],
 "symptoms": ["dyspnoea on exertion", "cough", "anxiety"]
}, [
 T("germline", "BRCA1", "mother's variant; patient tested negative and did not inherit it"),
 T("tumor.her2_ihc", "1+", "1+ was the 2022 primary; pleural cell block is HER2 0"),
 T("prior_therapies.drugs", "olaparib", "only asked about"),
 T("medications", "morphine", "switched to methadone, morphine stopped"),
 T("symptoms", "diarrhoea", "settled"),
 T("prior_therapies.stop_reason", "toxicity", "SG D8 delays are holds, line ongoing"),
 T("tumor.pdl1_ic_percent", 5, "CPS 5 is 22C3, not SP142 IC%")])

N("w04_palliative_her2brain", """
Palliative care inpatient review — 2 December 2026
Helen W., 59F, post-menopausal. HR-negative HER2-positive MBC (liver core 2025: ER <1%, PR 0, HER2 IHC 3+).
Recurrent: primary 2019 -> neoadjuvant TCHP, then surgery, then trastuzumab to 1 yr (completed 2020). Relapse Jan 2025 liver + brain.
Brain: 3 lesions, SRS done 02/2025; MRI 11/2026 = treated lesions stable, no new lesions. No steroids needed currently.
1L (met) docetaxel + trastuzumab + pertuzumab 02/2025 -> 04/2026 (PD liver).
2L trastuzumab deruxtecan (Enhertu) from 05/2026; cycle 9 due 28/11 was WITHHELD - CT shows "subtle bilateral ground-glass, possible early drug-related pneumonitis (grade 1) vs infection"; respiratory review pending. Not discontinued.
Echo 20/11/2026 LVEF 52% (Mar 2026: 61%).
Symptoms: fatigue, dry cough, reduced appetite. Headache - none. Seizures - none since 2025.
ECOG 1. KPS 80.
Meds: levetiracetam (Keppra) 500 mg bd, omeprazole 20 mg od, cetirizine prn. Dexamethasone finished in March 2025 (no current steroid).
Family: daughter asking about testing; pt's own germline panel never sent.
Goals: wants to continue active treatment; lives alone; DNACPR not yet discussed.
""", {
 "as_of": "2026-12-02", "age": 59, "sex": "female", "menopausal_status": "postmenopausal", "ecog": 1,
 "tumor": {"er_status": "negative", "pr_percent": 0, "her2_ihc": "3+", "receptor_source": "metastasis"},
 "metastases": {"sites": ["liver", "brain"], "brain": {"symptomatic": False, "progressing": False, "locally_treated": True}},
 "presentation": "recurrence", "metastatic_diagnosis_date": "2025-01-01",
 "prior_therapies": [
  {"setting": "neoadjuvant", "drugs": ["docetaxel", "carboplatin", "trastuzumab", "pertuzumab"], "stop_reason": "completed"},
  {"setting": "metastatic", "drugs": ["docetaxel", "trastuzumab", "pertuzumab"], "start": "2025-02-01", "end": "2026-04-01", "stop_reason": "progression"},
  {"setting": "metastatic", "drugs": ["trastuzumab_deruxtecan"], "start": "2026-05-01", "stop_reason": "ongoing"}],
 "lvef_percent": 52,
 "medications": ["levetiracetam", "omeprazole", "cetirizine"],
 "symptoms": ["fatigue", "dry cough", "reduced appetite"]
}, [
 T("comorbidities", "interstitial_lung_disease", "'possible' grade 1 pneumonitis vs infection, not confirmed"),
 T("prior_therapies.stop_reason", "toxicity", "T-DXd withheld, not discontinued"),
 T("lvef_percent", 61, "March value; latest echo 52%"),
 T("medications", "dexamethasone", "finished March 2025"),
 T("metastases.brain.progressing", True, "treated lesions stable, no new lesions"),
 T("germline", [], "never tested"),
 T("symptoms", "headache", "negated")])

N("w05_palliative_erlow", """
PC consult 9.10.2026 (Thurs) — re: hypercalcaemia, ascites, end-of-life planning
Pt Ruth A, 77 yo woman.
Ca history: 2016 L breast IDC, ER 40% PR 10% HER2 1+ -> lumpectomy/RT, anastrozole 5 y (done 2021).
Relapse Nov 2023 - liver, peritoneum. Peritoneal bx 12/2023: ER 5% (ER-low), PR 0%, HER2 IHC 0 (no membrane staining).
Lines: (1) paclitaxel weekly 01/2024-08/2024 PD; (2) capecitabine 09/2024-05/2025 PD; (3) trastuzumab deruxtecan? - NO, not eligible (HER2 0); (3) sacituzumab govitecan 06/2025-02/2026 PD; (4) eribulin 03/2026-09/2026, stopped for PD.
No further anticancer treatment - Ruth clearly declines more chemotherapy ("I've had enough").
Ascites tapped 03/10: cytology positive malignant cells.
Labs 08/10: corrected Ca 2.92 mmol/L (was 2.61 on 25/09); bili 44 umol/L (ULN 21); alb 24 g/L.
Given pamidronate 90 mg IV x1 on 08/10 in hospital.
Performance: Karnofsky 40. (No ECOG documented by onc this admission.)
Meds: furosemide 20 mg od, spironolactone 100 mg od, morphine SR 15 mg bd, lactulose.
Comorbidities: CKD3, previous DVT 2019 (anticoag finished 2019), no diabetes.
Plan: drain ascites prn (consider IPC), hospice referral, PPC at home.
""", {
 "as_of": "2026-10-09", "age": 77, "sex": "female",
 "tumor": {"er_percent": 5, "pr_percent": 0, "her2_ihc": "0", "receptor_source": "metastasis", "histology": "ductal"},
 "metastases": {"sites": ["liver", "peritoneum"]},
 "presentation": "recurrence", "metastatic_diagnosis_date": "2023-11-01",
 "prior_therapies": [
  {"setting": "adjuvant", "drugs": ["anastrozole"], "stop_reason": "completed"},
  {"setting": "metastatic", "drugs": ["paclitaxel"], "start": "2024-01-01", "end": "2024-08-01", "stop_reason": "progression"},
  {"setting": "metastatic", "drugs": ["capecitabine"], "start": "2024-09-01", "end": "2025-05-01", "stop_reason": "progression"},
  {"setting": "metastatic", "drugs": ["sacituzumab_govitecan"], "start": "2025-06-01", "end": "2026-02-01", "stop_reason": "progression"},
  {"setting": "metastatic", "drugs": ["eribulin"], "start": "2026-03-01", "end": "2026-09-01", "stop_reason": "progression"}],
 "labs": {"calcium_mg_dl": 11.7, "bilirubin_x_uln": 2.1, "albumin_g_dl": 2.4},
 "medications": ["furosemide", "spironolactone", "morphine", "lactulose"],
 "preferences": {"declines_chemotherapy": True}
}, [
 T("prior_therapies.drugs", "trastuzumab_deruxtecan", "listed then negated: not eligible, never given"),
 T("ecog", 4, "only KPS 40 given; KPS is never ECOG"),
 T("tumor.er_percent", 40, "2016 primary; peritoneal biopsy ER 5% is newest"),
 T("medications", "pamidronate", "single in-hospital dose"),
 T("labs.calcium_mg_dl", 10.46, "25/09 value; latest corrected 2.92 mmol/L"),
 T("medications", "apixaban", "anticoagulation finished 2019"),
 T("tumor.her2_ihc", "1+", "primary 1+; metastasis HER2 0")])

# ---------------- style 2: pharmacist medication reconciliation ----------------
N("w06_medrec_ribo", """
CLINICAL PHARMACIST — MEDICATION RECONCILIATION ON ADMISSION
Date: 18 Nov 2026   Pt: Linda B   DOB 1963 (63 y)   Sex F   Wt 71 kg   Ht 163 cm
Admitted via ED with community-acquired pneumonia. Oncology: de novo HR+/HER2- MBC (bone only) dx July 2026;
ER 95%, PR 70%, HER2 IHC 0 (no staining) on iliac crest bx. On 1L ribociclib (Kisqali) 600 mg d1-21 + letrozole 2.5 mg since 08/2026.
Sources: pt, husband, GP list, community pharmacy, onc letter 30/10.

| Home medication           | Dose          | Admission order | Action / comment |
|---------------------------|---------------|-----------------|------------------|
| ribociclib (Kisqali)      | 600 mg d1-21  | withheld        | HOLD while on clarithro question; resume at d/c per onc |
| letrozole                 | 2.5 mg od     | continued       | - |
| citalopram                | 20 mg od      | continued       | ** QT-prolonging + ribociclib: onc aware, ECG done |
| omeprazole                | 20 mg od      | continued       | - |
| atorvastatin              | 20 mg nocte   | continued       | - |
| denosumab (Xgeva)         | 120 mg q4w    | n/a (clinic)    | next due 25/11 |
| ibuprofen                 | prn           | NOT continued   | pt stopped 2 months ago; remove from GP list |
| clarithromycin (ED order) | 500 mg bd     | CANCELLED before 1st dose | strong CYP3A inhib + QT; changed to doxycycline |
| doxycycline               | 100 mg bd     | new             | 5 days |

ECG today: QTcF 441 ms (baseline Aug 2026: 418 ms; cycle 1 d14: 452 ms -> onc kept dose).
K 3.4 mmol/L (replace), Mg 0.72.
Allergies: penicillin (rash).
Note: pt asked about starting St John's wort for low mood - advised NOT to (inducer).
""", {
 "as_of": "2026-11-18", "age": 63, "sex": "female", "weight_kg": 71, "height_cm": 163,
 "tumor": {"er_percent": 95, "pr_percent": 70, "her2_ihc": "0", "receptor_source": "metastasis"},
 "metastases": {"sites": ["bone"]},
 "presentation": "de_novo", "metastatic_diagnosis_date": "2026-07-01",
 "prior_therapies": [{"setting": "metastatic", "drugs": ["ribociclib", "letrozole"], "start": "2026-08-01", "stop_reason": "ongoing"}],
 "qtcf_ms": 441,
 "medications": ["citalopram", "omeprazole", "atorvastatin", "denosumab", "doxycycline"]
}, [
 T("medications", "clarithromycin", "cancelled before the first dose"),
 T("medications", "st_johns_wort", "only asked about; advised against"),
 T("medications", "ibuprofen", "patient stopped it 2 months ago"),
 T("qtcf_ms", 452, "cycle 1 day 14 value; latest 441"),
 T("prior_therapies.stop_reason", "toxicity", "ribociclib withheld during admission, not stopped"),
 T("tumor.her2_ihc", "ultralow", "no staining = HER2 0"),
 T("medications", "ribociclib", "cancer therapy belongs in prior_therapies, not medications")])

N("w07_medrec_abema_male", """
Pharmacy med rec - oncology day unit - 03/12/2026
Patient: Mr Tomasz R., 66 yo male. MBC HR+ HER2-low (liver bx 2025: ER 85%, PR 20%, HER2 2+, ISH not amplified, ratio 1.3).
Recurrent (primary 2019; adj tamoxifen from 2019, relapse while still on tamoxifen March 2025, bone + liver).
Current line (1st metastatic): fulvestrant + abemaciclib + leuprolide since April 2025.
Abemaciclib: 150 -> 100 mg bd (G3 diarrhoea, July 2026) - continuing at 100 mg.

Home list reconciled:
1. abemaciclib 100 mg bd
2. fulvestrant 500 mg IM q28d (given in clinic)
3. leuprolide 22.5 mg q3mo
4. metformin 1 g bd  (T2DM, HbA1c 7.4% on 02/12; 58 mmol/mol)
5. loperamide 2 mg prn (using ~2/day)
6. itraconazole 200 mg od — STARTED 25/11 by dermatology for onychomycosis  <<< INTERACTION: strong CYP3A4 inhibitor with abemaciclib. Recommend: stop itraconazole / switch to topical (terbinafine) - dermatology contacted, awaiting reply. Pt has taken 8 doses.
7. St John's wort — pt stopped himself 2 weeks ago after reading leaflet.
8. bisoprolol 2.5 mg od.
9. amlodipine 5 mg od.
Labs: creatinine 112 umol/L, CrCl (Cockcroft-Gault) 68 mL/min; ALT 41 U/L (ULN 45); ANC 1.6 x10^9/L; plt 188 x10^9/L.
Previous ANC 10/2026: 1.1.
ECOG 1.
Recommendations to prescriber: (a) hold itraconazole; if must continue, reduce abemaciclib to 50 mg bd per label; (b) ibrance not an alternative at this stage (pt asked). 
""", {
 "as_of": "2026-12-03", "age": 66, "sex": "male", "ecog": 1,
 "tumor": {"er_percent": 85, "pr_percent": 20, "her2_ihc": "2+", "her2_ish": "not_amplified", "receptor_source": "metastasis"},
 "metastases": {"sites": ["bone", "liver"]},
 "presentation": "recurrence", "metastatic_diagnosis_date": "2025-03-01",
 "prior_therapies": [
  {"setting": "adjuvant", "drugs": ["tamoxifen"], "end": "2025-03-01", "stop_reason": "progression"},
  {"setting": "metastatic", "drugs": ["fulvestrant", "abemaciclib", "leuprolide"], "start": "2025-04-01", "stop_reason": "ongoing"}],
 "labs": {"creatinine_clearance_ml_min": 68, "alt_x_uln": 0.91, "anc_per_ul": 1600, "platelets_per_ul": 188000, "hba1c_percent": 7.4},
 "comorbidities": ["diabetes_type2"],
 "medications": ["metformin", "loperamide", "itraconazole", "bisoprolol", "amlodipine"]
}, [
 T("medications", "st_johns_wort", "patient stopped it 2 weeks ago"),
 T("prior_therapies.drugs", "palbociclib", "Ibrance only asked about"),
 T("menopausal_status", "postmenopausal", "male"),
 T("labs.hba1c_percent", 58, "58 is mmol/mol"),
 T("labs.anc_per_ul", 1100, "October value"),
 T("prior_therapies.stop_reason", "toxicity", "abemaciclib dose-reduced, continuing"),
 T("medications", "terbinafine", "only suggested as a switch")])

N("w08_medrec_palbo_premeno", """
MEDICATION RECONCILIATION (pharmacist) — transfer from surgical to oncology ward
Date 27 October 2026 | Sunita P. | 41 F | premenopausal on ovarian suppression
Indication: HR+ MBC (ER 70%, PR 30%), HER2 IHC 0 with faint incomplete membrane staining in <10% of cells (HER2-ultralow) - from liver biopsy 06/2025.
Line 1: goserelin (Zoladex) 3.6 mg q28d + letrozole 2.5 mg + palbociclib 125 mg d1-21 since July 2025.
  -> palbociclib HELD this cycle (ANC 0.8 x10^9/L on 26/10); plan restart at 100 mg once ANC >=1.0.

Home meds vs admission orders:
 - carbamazepine 400 mg bd (epilepsy since teens) -> continued. FLAG: strong CYP3A inducer, may lower palbociclib exposure; neurology asked re levetiracetam switch (not yet changed).
 - warfarin -> STOPPED 08/2026 (PE 2025), replaced by apixaban 5 mg bd -> continued.
 - folic acid 5 mg od -> continued.
 - codeine 30 mg prn -> discontinued on admission (constipation), replaced by paracetamol 1 g qds prn.
 - calcium carbonate/colecalciferol (Adcal D3) -> continued.
 - pt brought "turmeric capsules" - advised to avoid while inpatient.
Labs 26/10: ANC 0.8, Hb 104 g/L, plt 142 x10^9/L; bili 12 umol/L (ULN 21); ALT 28 (ULN 35).
Labs 12/10: ANC 1.4.
Pregnancy test not done (on goserelin).
""", {
 "as_of": "2026-10-27", "age": 41, "sex": "female", "menopausal_status": "premenopausal",
 "tumor": {"er_percent": 70, "pr_percent": 30, "her2_ihc": "ultralow", "receptor_source": "metastasis"},
 "metastases": {"sites": ["liver"]},
 "prior_therapies": [{"setting": "metastatic", "drugs": ["goserelin", "letrozole", "palbociclib"], "start": "2025-07-01", "stop_reason": "ongoing"}],
 "labs": {"anc_per_ul": 800, "platelets_per_ul": 142000, "bilirubin_x_uln": 0.57, "alt_x_uln": 0.8},
 "medications": ["carbamazepine", "apixaban", "folic acid", "acetaminophen", "calcium carbonate", "colecalciferol"]
}, [
 T("medications", "warfarin", "stopped 08/2026, replaced by apixaban"),
 T("medications", "codeine", "discontinued on admission"),
 T("medications", "levetiracetam", "switch only asked of neurology"),
 T("prior_therapies.stop_reason", "toxicity", "palbociclib held, not stopped"),
 T("menopausal_status", "postmenopausal", "premenopausal on goserelin stays premenopausal"),
 T("labs.anc_per_ul", 1400, "12/10 value"),
 T("medications", "goserelin", "GnRH agonist with AI/CDK4/6i belongs to the therapy object"),
 T("pregnant", False, "no pregnancy test stated")])

N("w09_medrec_capi", """
Pharmacist note — new oral anticancer start check / med rec
10-Nov-2026. Pt: Aisha M, 58F, postmenopausal. Weight 88 kg.
MBC HR+/HER2-low (ER 60%, PR <1%, HER2 1+, bone bx 2024). Metastatic since 01/2024 (recurrence).
Prior: adjuvant anastrozole 2018-2023 (completed). Met 1L palbociclib + anastrozole?? -> NO: 1L was palbociclib + fulvestrant (relapse <12 mo after AI) 02/2024-09/2026, PD.
NGS (tissue, 10/2026): AKT1 E17K detected; PIK3CA no mutation detected; ESR1 not detected.
NEW: capivasertib (Truqap) 400 mg bd 4 days on/3 off + fulvestrant, started 04/11/2026 (2L).

Home meds:
 - metformin 500 mg bd (T2DM)          continue; FPG 6.4 mmol/L (115 mg/dL) 09/11
 - diltiazem MR 180 mg od (AF rate)     ** moderate CYP3A inhibitor -> capivasertib reduced to 320 mg bd per label (done 10/11)
 - verapamil                            stopped 2024 (replaced by diltiazem)
 - atorvastatin 40 mg                   continue
 - apixaban 5 mg bd                     continue
 - denosumab q4w                        continue
HbA1c 6.9% (06/11). HbA1c 03/2026 was 6.2%.
Discussed alpelisib as alternative if AKT route fails - not relevant (PIK3CA wt).
""", {
 "as_of": "2026-11-10", "age": 58, "sex": "female", "menopausal_status": "postmenopausal", "weight_kg": 88,
 "tumor": {"er_percent": 60, "pr_status": "negative", "her2_ihc": "1+", "receptor_source": "metastasis"},
 "somatic": ["AKT1 E17K", "PIK3CA wildtype", "ESR1 wildtype"],
 "metastases": {"sites": ["bone"]},
 "presentation": "recurrence", "metastatic_diagnosis_date": "2024-01-01",
 "prior_therapies": [
  {"setting": "adjuvant", "drugs": ["anastrozole"], "stop_reason": "completed"},
  {"setting": "metastatic", "drugs": ["palbociclib", "fulvestrant"], "start": "2024-02-01", "end": "2026-09-01", "stop_reason": "progression"},
  {"setting": "metastatic", "drugs": ["capivasertib", "fulvestrant"], "start": "2026-11-04", "stop_reason": "ongoing"}],
 "labs": {"hba1c_percent": 6.9, "fasting_glucose_mg_dl": 115},
 "comorbidities": ["diabetes_type2"],
 "medications": ["metformin", "diltiazem", "atorvastatin", "apixaban", "denosumab"]
}, [
 T("prior_therapies.drugs", "anastrozole", "metastatic 1L was palbociclib + fulvestrant; anastrozole was the corrected mistake"),
 T("medications", "verapamil", "stopped 2024"),
 T("prior_therapies.drugs", "alpelisib", "only discussed"),
 T("labs.hba1c_percent", 6.2, "March value"),
 T("labs.fasting_glucose_mg_dl", 6.4, "6.4 is mmol/L"),
 T("somatic", "PIK3CA H1047R", "PIK3CA no mutation detected"),
 T("prior_therapies.stop_reason", "toxicity", "capivasertib dose reduced for interaction, ongoing")])

N("w10_medrec_tucatinib", """
MED REC + INTERACTION REVIEW | 2026-10-06 | pharmacist J. Ng
Pt: Carla D., 47 F, premenopausal (periods regular, not on OFS).
Dx: HR+/HER2+ MBC; brain mets. Primary 2021 ER 60% PR 15% HER2 3+; brain resection specimen 03/2026: ER 20%, PR 0%, HER2 3+.
Hx: neoadj TCHP 2021 -> surgery -> trastuzumab+pertuzumab to 1y + tamoxifen (stopped 2024 at relapse).
Relapse 08/2024 lung + bone. 1L THP -> HP + tamoxifen? no: 1L paclitaxel+HP 09/2024-02/2026 (PD brain).
03/2026 craniotomy (1 lesion) + SRS cavity; 2 small new lesions 09/2026 untreated, asymptomatic.
3L now: tucatinib + trastuzumab + capecitabine started 21/09/2026 (2L was T-DM1 04/2026-08/2026, PD).
DPYD genotype: normal metabolizer (tested 09/2026).

Home meds | Adm order | Comment
phenytoin 100 mg tds | STOPPED 15/09 | switched to levetiracetam by neuro (inducer would lower tucatinib)
levetiracetam 750 mg bd | continue |
dexamethasone 2 mg od | continue | taper plan from neuro
warfarin 3 mg | continue | !! capecitabine raises INR - INR 3.8 today (2.4 last wk) -> dose held 1 night, weekly INR
omeprazole 20 mg | continue | ok
tramadol prn | not taking | removed
Labs: bili 18 umol/L (ULN 21); ALT 66 U/L (ULN 33); CrCl 94 mL/min.
Tucatinib 300 mg bd - no change. ECOG 1.
""", {
 "as_of": "2026-10-06", "age": 47, "sex": "female", "menopausal_status": "premenopausal", "ecog": 1,
 "tumor": {"er_percent": 20, "pr_percent": 0, "her2_ihc": "3+", "receptor_source": "metastasis"},
 "dpyd": "normal",
 "metastases": {"sites": ["lung", "bone", "brain"], "brain": {"symptomatic": False, "locally_treated": False}},
 "presentation": "recurrence", "metastatic_diagnosis_date": "2024-08-01",
 "prior_therapies": [
  {"setting": "neoadjuvant", "drugs": ["docetaxel", "carboplatin", "trastuzumab", "pertuzumab"], "stop_reason": "completed"},
  {"setting": "adjuvant", "drugs": ["tamoxifen"], "end": "2024-08-01", "stop_reason": "progression"},
  {"setting": "metastatic", "drugs": ["paclitaxel", "trastuzumab", "pertuzumab"], "start": "2024-09-01", "end": "2026-02-01", "stop_reason": "progression"},
  {"setting": "metastatic", "drugs": ["trastuzumab_emtansine"], "start": "2026-04-01", "end": "2026-08-01", "stop_reason": "progression"},
  {"setting": "metastatic", "drugs": ["tucatinib", "trastuzumab", "capecitabine"], "start": "2026-09-21", "stop_reason": "ongoing"}],
 "labs": {"bilirubin_x_uln": 0.86, "alt_x_uln": 2.0, "creatinine_clearance_ml_min": 94},
 "medications": ["levetiracetam", "dexamethasone", "warfarin", "omeprazole"]
}, [
 T("medications", "phenytoin", "stopped 15/09, switched to levetiracetam"),
 T("medications", "tramadol", "not taking, removed"),
 T("tumor.er_percent", 60, "2021 primary; brain specimen ER 20% is newest"),
 T("metastases.brain.locally_treated", True, "two new lesions untreated (only the resected one was treated)"),
 T("menopausal_status", "postmenopausal", "regular periods"),
 T("dpyd", "intermediate", "normal metabolizer"),
 T("prior_therapies.drugs", "tamoxifen", "not part of metastatic 1L - the note corrects itself ('no:')")])

if __name__ == "__main__":
    for name, text, exp, mn in NOTES:
        open(os.path.join(D, name + ".txt"), "w").write(text)
        json.dump(exp, open(os.path.join(D, name + ".expected.json"), "w"), indent=1)
        json.dump({"must_not": mn}, open(os.path.join(D, name + ".safety.json"), "w"), indent=1)
    print(len(NOTES))
