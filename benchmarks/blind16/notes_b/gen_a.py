from gen_lib import N

N("w31_gpref_liver_palbo", """
Riverside Medical Practice
Dr H. Okafor (GP)                                        Date: 14 October 2026
To: Dr Lindqvist, Consultant Medical Oncologist, Breast Unit

Re: Mrs Brenda T., 58 y

Dear Dr Lindqvist,
Thank you for seeing Brenda again. She came in today with 3 weeks of right upper quadrant ache and
tiredness. Her liver tests were abnormal (ALT 96 U/L, ref 0-40; bilirubin 19 umol/L, ref <21). I would be
grateful for an earlier review than her planned 3-monthly slot.

Oncology history (from your letters): L breast ca 2018, ER 95% PR 40% HER2 0. WLE + SNB, then adjuvant
letrozole 2018 to Aug 2023 (5 years completed). Bone recurrence (T8, L2, pelvis) diagnosed May 2025. L2
biopsy: ER 90%, PR 5%, HER2 IHC 0 (no staining). Started on letrozole 2.5 mg + palbociclib (Ibrance)
125 mg 3 wk on/1 off by hospital on 02/06/2025; she is still taking both. US abdomen last week
(07/10/2026): two new liver lesions, 2.1 and 1.4 cm, consistent with metastases. A 4 mm RLL lung nodule
on the 2025 staging CT was "indeterminate" and has never been followed up as far as I can see.

Problem list
  Active:  Type 2 diabetes (2019, metformin)
           Hypertension
           Osteoarthritis both knees
  Past:    DVT L calf 2021 - 6 months rivaroxaban, resolved
           Hyperthyroidism 1995 - treated, euthyroid off medication

Repeat prescriptions
  Metformin 500 mg BD
  Amlodipine 5 mg OD
  Atorvastatin 20 mg ON
  Paracetamol 1 g QDS prn
  Denosumab 120 mg 4-weekly (hospital day unit - started by hospital)
  [Omeprazole 20 mg OD - stopped 08/2026, no longer needed]

Family history: sister had breast cancer at 44 and carries a BRCA2 variant. Brenda herself has not been
tested. She asked whether she should be; I said I would pass the question on.

Still works part time and walks the dog daily (I would estimate ECOG 1). Weight 82 kg. Menopause at 51.
No jaundice, no itch. She has read about "Enhertu" and "Truqap" online and wonders whether either could be
her next step - again, I said these are questions for you.

Bloods today: Hb 118 g/L, neutrophils 1.4 x10^9/L (0.9 in Sept, palbociclib week 3), platelets
162 x10^9/L, creatinine 71 umol/L, eGFR >90, HbA1c 54 mmol/mol, adjusted calcium 2.41 mmol/L.

Yours sincerely,
Dr H. Okafor
""", {
 "as_of": "2026-10-14", "age": 58, "sex": "female", "menopausal_status": "postmenopausal", "ecog": 1,
 "weight_kg": 82,
 "tumor": {"er_percent": 90, "pr_percent": 5, "her2_ihc": "0", "receptor_source": "metastasis"},
 "metastases": {"sites": ["bone", "liver"]},
 "presentation": "recurrence", "metastatic_diagnosis_date": "2025-05-01",
 "prior_therapies": [
  {"setting": "adjuvant", "drugs": ["letrozole"], "end": "2023-08-01", "stop_reason": "completed"},
  {"setting": "metastatic", "drugs": ["letrozole", "palbociclib"], "start": "2025-06-02"}],
 "labs": {"alt_x_uln": 2.4, "bilirubin_x_uln": 0.9, "anc_per_ul": 1400, "platelets_per_ul": 162000,
          "calcium_mg_dl": 9.66},
 "comorbidities": ["diabetes_type2"],
 "medications": ["metformin", "amlodipine", "atorvastatin", "acetaminophen", "denosumab"],
 "symptoms": ["right upper quadrant ache", "tiredness"]
}, [
 ("germline", ["BRCA2"], "the BRCA2 variant is the sister's; Brenda is untested (germline absent)"),
 ("prior_therapies.drugs", "trastuzumab_deruxtecan", "Enhertu only asked about by the patient"),
 ("prior_therapies.drugs", "capivasertib", "Truqap only asked about by the patient"),
 ("medications", "omeprazole", "omeprazole stopped 08/2026"),
 ("medications", "rivaroxaban", "past DVT treatment, completed 2021"),
 ("labs.anc_per_ul", 900, "September nadir; today's neutrophils are 1.4 x10^9/L"),
 ("labs.hba1c_percent", 54, "54 is mmol/mol, never a percentage"),
 ("metastases.sites", "lung", "4 mm lung nodule was indeterminate"),
])

N("w32_gpref_male_abema", """
Hillcrest Surgery - re-referral                                  12/11/2026
To: Breast Oncology Clinic, St Aidan's Hospital
Re: Mr Desmond K., 67, male

Dear colleague,
Mr K. would like a second opinion on his treatment, which he understands is "the same as for women".
Summary from our records:

Problem list
 - Metastatic breast cancer (male), de novo, ribs + sacrum, dx March 2026. L breast core and rib
   biopsy the same week: ER Allred 8/8, PR Allred 6/8, HER2 IHC 1+ (HER2-low). ISH not done.
 - Atrial fibrillation (2022) - anticoagulated
 - Provoked PE April 2026 (on tamoxifen) - treated
 - CKD 3a (eGFR 52) - stable
 - TURP 2019

Cancer treatment (hospital-initiated)
 - Tamoxifen 20 mg: started by hospital 03/2026, STOPPED 04/2026 after the PE.
 - Then started on Zoladex 10.8 mg 3-monthly + anastrozole 1 mg + Verzenio 150 mg BD by hospital on
   12 May 2026. Abemaciclib reduced to 100 mg BD in August for diarrhoea - continuing.

Repeat prescriptions
   apixaban 5 mg BD (switched from warfarin 05/2026)
   bisoprolol 2.5 mg OD
   loperamide 2 mg prn
   Xgeva 120 mg q4w - hospital
   tamsulosin 400 mcg - stopped after TURP

Father had prostate cancer at 70. Mr K. had a germline panel in April: no pathogenic variant (one VUS
in CHEK2).
Independent, plays bowls. Your last letter records PS 1.
Bloods 09/11/2026: creatinine clearance (Cockcroft-Gault, lab) 58 ml/min, ALT 28 (ref <45),
neutrophils 1.6 x10^9/L, plt 201 x10^9/L.
He asked me about "Enhertu because my tumour is HER2-low"; I said you are best placed to discuss it.

Kind regards,
Dr P. Sandhu (dictated 12 November 2026)
""", {
 "as_of": "2026-11-12", "age": 67, "sex": "male", "ecog": 1,
 "tumor": {"er_status": "positive", "pr_status": "positive", "her2_ihc": "1+", "receptor_source": "metastasis"},
 "metastases": {"sites": ["bone"]},
 "presentation": "de_novo", "metastatic_diagnosis_date": "2026-03-01",
 "prior_therapies": [
  {"setting": "metastatic", "drugs": ["tamoxifen"], "start": "2026-03-01", "end": "2026-04-01", "stop_reason": "toxicity"},
  {"setting": "metastatic", "drugs": ["goserelin", "anastrozole", "abemaciclib"], "start": "2026-05-12", "stop_reason": "ongoing"}],
 "germline": [],
 "labs": {"creatinine_clearance_ml_min": 58, "alt_x_uln": 0.62, "anc_per_ul": 1600, "platelets_per_ul": 201000},
 "medications": ["apixaban", "bisoprolol", "loperamide", "denosumab"]
}, [
 ("menopausal_status", "postmenopausal", "male patient: no menopausal status"),
 ("germline", ["CHEK2"], "a VUS is not a pathogenic variant; germline is []"),
 ("medications", "warfarin", "switched to apixaban 05/2026"),
 ("medications", "tamoxifen", "tamoxifen stopped 04/2026 after PE"),
 ("medications", "goserelin", "Zoladex is part of the cancer therapy line, not a medication"),
 ("prior_therapies.drugs", "trastuzumab_deruxtecan", "Enhertu only asked about"),
 ("tumor.er_percent", 8, "Allred score is not a percentage"),
 ("as_of", "2026-12-11", "UK date 12/11/2026 = 12 November (dictation line)"),
])

N("w33_gpref_tnbc_brca1_lung", """
GP REFERRAL - URGENT, suspected cancer recurrence
From: Dr A. Mensah, Northfield Health Centre        Sent: 2 Oct 2026
To: Oncology (Prof. Reyes' team)

Ms Kiera D., 41, female
5 weeks dry cough, breathless on stairs. No haemoptysis. No weight loss.

Background
 - Triple negative L breast ca (ER 0%, PR 0%, HER2 0) diagnosed 11/2023. Neoadjuvant pembrolizumab +
   carboplatin/paclitaxel then AC + pembrolizumab (KEYNOTE-522), surgery 06/2024 (residual 8 mm, no
   pCR), adjuvant pembrolizumab completed 03/2025, then capecitabine x6 cycles completed 09/2025.
 - Germline test 2024: BRCA1 pathogenic variant (her own result).
 - Anxiety/depression - sertraline
 - Childhood asthma, no inhaler for years

CT chest/abdo 25/09/2026 (arranged by your nurse specialist): multiple bilateral lung nodules up to 19 mm,
enlarged subcarinal node 2.3 cm. 4 mm liver hypodensity "too small to characterise".
EBUS/lung biopsy 30/09/2026 (result phoned to me): metastatic breast carcinoma, ER 0%, PR 0%, HER2 IHC 1+.

Current meds: sertraline 100 mg OD, ibuprofen 400 mg prn. Combined pill STOPPED at cancer diagnosis
(copper IUD since).
Periods regular (LMP 18/09/2026). Pregnancy test today negative.
Mum: ovarian cancer at 52 (BRCA1 carrier).
ECOG 1 in my estimation (working from home).
She has read that "olaparib or a PARP tablet" is used for BRCA1 and would like to know if it applies.

Many thanks, Dr A. Mensah
""", {
 "as_of": "2026-10-02", "age": 41, "sex": "female", "menopausal_status": "premenopausal", "ecog": 1,
 "pregnant": False,
 "tumor": {"er_percent": 0, "pr_percent": 0, "her2_ihc": "1+", "receptor_source": "metastasis"},
 "metastases": {"sites": ["lung", "distant_lymph_nodes"]},
 "presentation": "recurrence", "metastatic_diagnosis_date": "2026-09-01",
 "prior_therapies": [
  {"setting": "neoadjuvant", "drugs": ["pembrolizumab", "carboplatin", "paclitaxel", "doxorubicin", "cyclophosphamide"],
   "end": "2024-06-01", "stop_reason": "completed"},
  {"setting": "adjuvant", "drugs": ["pembrolizumab"], "end": "2025-03-01", "stop_reason": "completed"},
  {"setting": "adjuvant", "drugs": ["capecitabine"], "end": "2025-09-01", "stop_reason": "completed"}],
 "germline": ["BRCA1"],
 "medications": ["sertraline", "ibuprofen"],
 "symptoms": ["dry cough", "breathless on stairs"]
}, [
 ("prior_therapies.drugs", "olaparib", "olaparib only asked about"),
 ("tumor.her2_ihc", "0", "HER2 0 was the 2023 primary; the lung biopsy is IHC 1+"),
 ("metastases.sites", "liver", "4 mm hypodensity too small to characterise"),
 ("medications", "ethinylestradiol", "combined pill stopped at diagnosis"),
 ("symptoms", "haemoptysis", "negated"),
 ("symptoms", "weight loss", "negated"),
 ("prior_therapies.setting", "metastatic", "capecitabine was post-neoadjuvant (adjuvant), not a metastatic line"),
])

N("w34_gpref_her2pos_tdxd_pneumonitis", """
Oakwood Family Practice - Dr L. Fairweather
To: Dr Chen, Oncology                                               23rd Nov 2026
Re: Mrs Margaret ("Peggy") W., 72

Dear Dr Chen,
Peggy's husband phoned, worried about her breathing, so I saw her today. I thought you should know before
her next Enhertu cycle on 27/11.

Cancer summary (as I understand it)
 * R breast ca 2019: ER 80%, PR 10%, HER2 3+. Adjuvant TCHP (docetaxel, carboplatin, trastuzumab,
   pertuzumab), then trastuzumab to 1 year (completed 2020). Anastrozole 2020 until relapse.
 * Liver + lung mets Feb 2024 (not biopsied - "clinically and radiologically typical", per MDT).
   Phesgo + docetaxel x6, then Phesgo + letrozole maintenance. Liver progression Aug 2026.
 * Started on trastuzumab deruxtecan (Enhertu) by hospital on 5 Sep 2026 - cycle 4 due.

Breathing: mild exertional dyspnoea for 10 days, dry cough, sats 95% on air, chest clear. No fever.
I wonder about pneumonitis. I have NOT started steroids and have asked for your view / a CT.

Problem list
   Hypothyroidism
   Hypertension
   "Reduced LVEF" on echo 2025 after trastuzumab: asymptomatic, recovered. No heart failure diagnosis.
   Osteoporosis - alendronate stopped 2023; now denosumab via your unit

Repeat meds: levothyroxine 75 mcg OD, ramipril 5 mg OD, ondansetron 8 mg prn (from you),
denosumab 120 mg 4-weekly (hospital).

Echo 30/10/2026: LVEF 54% (61% in May 2026).
Karnofsky 70 per your last clinic letter.

With best wishes,
Dr L. Fairweather
""", {
 "as_of": "2026-11-23", "age": 72, "sex": "female",
 "tumor": {"er_percent": 80, "pr_percent": 10, "her2_ihc": "3+", "receptor_source": "primary"},
 "metastases": {"sites": ["liver", "lung"]},
 "presentation": "recurrence", "metastatic_diagnosis_date": "2024-02-01",
 "prior_therapies": [
  {"setting": "adjuvant", "drugs": ["docetaxel", "carboplatin", "trastuzumab", "pertuzumab"], "stop_reason": "completed"},
  {"setting": "adjuvant", "drugs": ["anastrozole"], "end": "2024-02-01", "stop_reason": "progression"},
  {"setting": "metastatic", "drugs": ["pertuzumab", "trastuzumab", "docetaxel", "letrozole"], "end": "2026-08-01", "stop_reason": "progression"},
  {"setting": "metastatic", "drugs": ["trastuzumab_deruxtecan"], "start": "2026-09-05", "stop_reason": "ongoing"}],
 "lvef_percent": 54,
 "medications": ["levothyroxine", "ramipril", "ondansetron", "denosumab"],
 "symptoms": ["exertional dyspnoea", "dry cough"]
}, [
 ("comorbidities", "interstitial_lung_disease", "pneumonitis only suspected by GP; CT pending"),
 ("comorbidities", "heart_failure", "asymptomatic LVEF fall, explicitly no HF diagnosis"),
 ("lvef_percent", 61, "May 2026 value; latest is 54%"),
 ("ecog", 2, "Karnofsky 70 is not an ECOG score"),
 ("medications", "alendronate", "stopped 2023"),
 ("tumor.receptor_source", "metastasis", "metastases were not biopsied; receptors are from the 2019 primary"),
 ("symptoms", "fever", "negated"),
 ("prior_therapies.stop_reason", "toxicity", "T-DXd not stopped; next cycle still due pending review"),
])

N("w35_gpref_erlow_ultralow_sg_brain", """
Dr M. Kowalczyk, Elmfield GP                                              19-Oct-2026
Referral/letter to: Dr Adeyemi, Medical Oncology

Re: Mrs Joanne P., 49 F - diarrhoea on Trodelvy

Thank you for looking after Joanne. She has had 6-7 loose stools/day for 4 days despite loperamide, no
blood, no fever. Mild cramps. Still eating. I have sent stool cultures.

Diagnoses
 1. L breast ca 2021 (primary: ER 30%, PR 20%, HER2 1+), EC-paclitaxel adjuvant, completed 2022.
 2. Relapse Jan 2026: liver + 2 brain lesions. Liver biopsy: ER 5% (ER-low), PR 0%, HER2 IHC 0 with faint
    incomplete membrane staining in <10% of cells (HER2-ultralow). PD-L1 22C3 CPS 12.
    SRS to both brain lesions Jan 2026; MRI 02/10/2026 stable, no new lesions. No neuro symptoms.
 3. Paclitaxel + pembrolizumab Feb-Aug 2026 -> progression (liver).
 4. Started on sacituzumab govitecan by hospital 04/09/2026. Dose reduced to 7.5 mg/kg from C2 after
    neutropenia (nadir 0.6 x10^9/L on 21/09); now on G-CSF after each cycle (hospital).
 5. Perimenopausal per gynaecology (irregular cycles).
 6. Focal seizure Jan 2026 with brain mets - on levetiracetam. Dexamethasone tapered and STOPPED 10/2026.

Meds: levetiracetam 500 mg BD, loperamide 2 mg after each loose stool (max 8/day), omeprazole 20 mg OD,
filgrastim per hospital protocol.
FH: maternal aunt ovarian ca. Germline testing sent by hospital in Sept - result awaited.

Obs: BP 108/66, HR 96. Bloods today: neutrophils 1.9 x10^9/L, platelets 240, creatinine 88 umol/L.
ECOG 1.

Many thanks,
Dr M. Kowalczyk
""", {
 "as_of": "2026-10-19", "age": 49, "sex": "female", "menopausal_status": "perimenopausal", "ecog": 1,
 "tumor": {"er_percent": 5, "pr_percent": 0, "her2_ihc": "ultralow", "pdl1_cps": 12, "receptor_source": "metastasis"},
 "metastases": {"sites": ["liver", "brain"], "brain": {"symptomatic": False, "progressing": False, "locally_treated": True}},
 "presentation": "recurrence", "metastatic_diagnosis_date": "2026-01-01",
 "prior_therapies": [
  {"setting": "adjuvant", "drugs": ["epirubicin", "cyclophosphamide", "paclitaxel"], "stop_reason": "completed"},
  {"setting": "metastatic", "drugs": ["paclitaxel", "pembrolizumab"], "start": "2026-02-01", "end": "2026-08-01", "stop_reason": "progression"},
  {"setting": "metastatic", "drugs": ["sacituzumab_govitecan"], "start": "2026-09-04", "stop_reason": "ongoing"}],
 "labs": {"anc_per_ul": 1900, "platelets_per_ul": 240000},
 "medications": ["levetiracetam", "loperamide", "omeprazole", "filgrastim"],
 "symptoms": ["diarrhoea", "cramps"]
}, [
 ("tumor.er_percent", 30, "ER 30% is the 2021 primary; metastasis ER 5%"),
 ("tumor.her2_ihc", "1+", "primary value; metastasis HER2-ultralow"),
 ("medications", "dexamethasone", "tapered and stopped 10/2026"),
 ("germline", [], "germline result awaited; aunt's history is not a result"),
 ("labs.anc_per_ul", 600, "nadir 21/09; today 1.9"),
 ("prior_therapies.stop_reason", "toxicity", "SG dose reduced, not stopped"),
 ("symptoms", "fever", "negated"),
 ("metastases.brain.progressing", True, "MRI stable, no new lesions"),
])

N("w36_chat_male_capi_glucose", """
[Secure chat - oncology ward handover]   Thu 15 Oct 2026
18:02 Dr R. Iqbal (reg): bed 14 - Mr Tomasz B, 59M, MBC ER+ (95%) PR 20% HER2 0 (IHC 0), bone + liver
18:03 RI: on fulv + alpelisib since 06/2026, admitted w/ glucose 22 mmol/L
18:04 RI: sorry, I meant capivasertib (Truqap) not alpelisib. ctDNA: PIK3CA not detected, AKT1 E17K
18:04 Dr S. Moreau (SHO): ok. 1L?
18:05 RI: leuprolide + letrozole + palbo from 03/2024, PD 05/2026
18:06 RI: capi HELD since admission, NOT stopped. fulvestrant continues (next inj 29/10)
18:07 SM: diabetic before?
18:07 RI: T2DM on metformin. HbA1c 8.4% today (6.9% in May)
18:08 RI: endo started glargine 10 units nocte; IV sliding scale stopped this pm
18:09 RI: fasting glucose this am 11.2 mmol/L (202 mg/dL)
18:10 RI: ECOG 2 today (1 before admission)
18:11 SM: allergies?
18:11 RI: penicillin. GP gave clarithromycin last wk for chest infx - stopped on admission (CYP3A w/ capi)
18:12 RI: restart capi at 320 mg BD if sugars ok? consultant to decide Mon
18:13 SM: got it
""", {
 "as_of": "2026-10-15", "age": 59, "sex": "male", "ecog": 2,
 "tumor": {"er_percent": 95, "pr_percent": 20, "her2_ihc": "0"},
 "somatic": ["AKT1 E17K", "PIK3CA wildtype"],
 "metastases": {"sites": ["bone", "liver"]},
 "prior_therapies": [
  {"setting": "metastatic", "drugs": ["leuprolide", "letrozole", "palbociclib"], "start": "2024-03-01", "end": "2026-05-01", "stop_reason": "progression"},
  {"setting": "metastatic", "drugs": ["fulvestrant", "capivasertib"], "start": "2026-06-01", "stop_reason": "ongoing"}],
 "labs": {"hba1c_percent": 8.4, "fasting_glucose_mg_dl": 202},
 "comorbidities": ["diabetes_type2"],
 "medications": ["metformin", "insulin"]
}, [
 ("prior_therapies.drugs", "alpelisib", "corrected: he is on capivasertib, not alpelisib"),
 ("somatic", "PIK3CA mutation", "PIK3CA not detected; AKT1 E17K is the finding"),
 ("labs.hba1c_percent", 6.9, "May value; today 8.4%"),
 ("labs.fasting_glucose_mg_dl", 11.2, "11.2 is mmol/L; mg/dL value is 202"),
 ("medications", "clarithromycin", "stopped on admission"),
 ("prior_therapies.stop_reason", "toxicity", "capivasertib held, not stopped"),
 ("ecog", 1, "pre-admission value; today ECOG 2"),
 ("menopausal_status", "postmenopausal", "male patient"),
])

N("w37_chat_her2pos_brain_prem", """
#onc-handover   Tue 10 Nov 2026
07:41 Dr Ama O: overnight - Ms Priya N, 36F, HER2+ MBC (ER 0, PR 0, HER2 3+ on the 2025 brain resection), on T-DXd C9
07:42 AO: new headache + vomiting x2. MRI 02:00: 2 NEW cerebellar lesions, largest 11 mm; resected L frontal cavity stable
07:43 AO: started dex 8 mg BD overnight + ondansetron. new lesions not yet treated
07:44 Dr Ben H: LVEF?
07:44 AO: 48%
07:45 AO: sorry, 48% was her echo in March 2025 on THP. latest echo 02/11/2026 = 57%
07:46 BH: history pls
07:47 AO: de novo Aug 2024 liver + brain. 1L THP (docetaxel x6 then HP) to 06/2026 -> PD liver
07:47 AO: L frontal met resected + SRS to cavity 03/2025
07:48 AO: T-DXd since 07/2026. systemic dz responding on CT last wk - intracranial PD only
07:49 AO: premenopausal, regular periods, progesterone-only pill
07:50 BH: plan?
07:51 AO: neuro-onc for SRS Thurs. if more CNS PD -> discuss tucatinib + trastuzumab + capecitabine
07:52 AO: ECOG 1 pre-admission, today 2
07:53 BH: thx, will review on ward round
""", {
 "as_of": "2026-11-10", "age": 36, "sex": "female", "menopausal_status": "premenopausal", "ecog": 2,
 "tumor": {"er_percent": 0, "pr_percent": 0, "her2_ihc": "3+", "receptor_source": "metastasis"},
 "metastases": {"sites": ["liver", "brain"], "brain": {"symptomatic": True, "progressing": True, "locally_treated": False}},
 "presentation": "de_novo", "metastatic_diagnosis_date": "2024-08-01",
 "prior_therapies": [
  {"setting": "metastatic", "drugs": ["docetaxel", "trastuzumab", "pertuzumab"], "end": "2026-06-01", "stop_reason": "progression"},
  {"setting": "metastatic", "drugs": ["trastuzumab_deruxtecan"], "start": "2026-07-01", "stop_reason": "ongoing"}],
 "lvef_percent": 57,
 "medications": ["dexamethasone", "ondansetron"],
 "symptoms": ["headache", "vomiting"]
}, [
 ("lvef_percent", 48, "corrected: 48% was March 2025; latest 57%"),
 ("prior_therapies.drugs", "tucatinib", "only to be discussed if further CNS progression"),
 ("prior_therapies.drugs", "capecitabine", "only to be discussed"),
 ("metastases.brain.locally_treated", True, "the new cerebellar lesions are untreated; SRS planned"),
 ("ecog", 1, "pre-admission value"),
 ("tumor.er_status", "positive", "ER 0"),
])

N("w38_chat_tnbc_pembro_hepatitis", """
IM thread - oncology day unit -> inpatient team        date: Mon 5 Oct 2026
09:12 Dr Lena V: pt Mrs Gloria F, 64F, de novo TNBC June 2026, lung + mediastinal LN + bone
09:13 LV: PD-L1 22C3 CPS 5 -> on pembro + nab-pac since 07/2026
09:13 LV: sorry - CPS 15, not 5. typo
09:15 LV: ALT 212 today (ULN 35). was 340 on Fri. bili 1.1 mg/dL (ULN 1.2)
09:16 LV: immune hepatitis G3 -> pembro HELD. nab-pac also held this wk, both to restart when ALT <3x ULN
09:16 Dr K. Ito: steroids?
09:17 LV: pred 1 mg/kg (60 mg) started Sat. PPI added
09:18 LV: 1.2 cm L adrenal nodule - "likely adenoma" (CT 14/09)
09:19 KI: germline?
09:19 LV: sent 09/2026, pending
09:20 LV: postmenopausal. ECOG 1. no jaundice, mild fatigue
09:21 LV: home meds: amlodipine, simvastatin (held while LFTs up), paracetamol prn
09:22 KI: ok, admitting for LFTs daily
""", {
 "as_of": "2026-10-05", "age": 64, "sex": "female", "menopausal_status": "postmenopausal", "ecog": 1,
 "tumor": {"er_status": "negative", "pr_status": "negative", "her2_status": "negative", "pdl1_cps": 15},
 "metastases": {"sites": ["lung", "distant_lymph_nodes", "bone"]},
 "presentation": "de_novo", "metastatic_diagnosis_date": "2026-06-01",
 "prior_therapies": [
  {"setting": "metastatic", "drugs": ["pembrolizumab", "nab_paclitaxel"], "start": "2026-07-01", "stop_reason": "ongoing"}],
 "labs": {"alt_x_uln": 6.06, "bilirubin_x_uln": 0.92},
 "medications": ["prednisolone", "amlodipine", "acetaminophen"],
 "symptoms": ["fatigue"]
}, [
 ("tumor.pdl1_cps", 5, "corrected to CPS 15"),
 ("tumor.pdl1_ic_percent", 15, "22C3 CPS is not an SP142 IC%"),
 ("labs.alt_x_uln", 9.71, "Friday's ALT 340; today 212"),
 ("prior_therapies.stop_reason", "toxicity", "pembrolizumab held, restart planned"),
 ("metastases.sites", "other", "adrenal nodule likely adenoma"),
 ("germline", [], "germline pending"),
 ("symptoms", "jaundice", "negated"),
 ("medications", "simvastatin", "simvastatin held while LFTs up"),
])

N("w39_chat_her2low_prem_tdxd_ild", """
WhatsApp-style handoff (Trust secure messenger)   27/11/2026
14:30 Dr F. Haddad: quick one re Ms Sofia R, 45, HR+ HER2 3+ MBC on T-DXd (3L)
14:31 FH: sorry - HER2 2+, ISH NOT amplified (HER2-low). liver bx 2023: ER 70% PR 30%
14:32 FH: CT today: new patchy GGO both bases, "possible grade 1 ILD / drug pneumonitis vs infection"
14:32 FH: T-DXd held pending resp review. not stopped yet
14:33 Dr N. Ogun: symptoms?
14:34 FH: none. sats 98%. no cough. ECOG 0
14:35 FH: lines: goserelin + letrozole + ribociclib 04/2023-06/2025 (PD), capecitabine 07/2025-05/2026 (PD), T-DXd from 06/2026
14:36 FH: still has periods, off goserelin since 06/2025
14:37 NO: brain?
14:37 FH: MRI brain 09/2026 negative. mets = liver + bone
14:38 FH: QTcF 441 today (was 468 on ribo)
14:39 FH: meds: sertraline, cetirizine prn. stopped domperidone last week
14:40 NO: ok will see her tomorrow
""", {
 "as_of": "2026-11-27", "age": 45, "sex": "female", "menopausal_status": "premenopausal", "ecog": 0,
 "tumor": {"er_percent": 70, "pr_percent": 30, "her2_ihc": "2+", "her2_ish": "not_amplified", "receptor_source": "metastasis"},
 "metastases": {"sites": ["liver", "bone"]},
 "prior_therapies": [
  {"setting": "metastatic", "drugs": ["goserelin", "letrozole", "ribociclib"], "start": "2023-04-01", "end": "2025-06-01", "stop_reason": "progression"},
  {"setting": "metastatic", "drugs": ["capecitabine"], "start": "2025-07-01", "end": "2026-05-01", "stop_reason": "progression"},
  {"setting": "metastatic", "drugs": ["trastuzumab_deruxtecan"], "start": "2026-06-01", "stop_reason": "ongoing"}],
 "qtcf_ms": 441,
 "medications": ["sertraline", "cetirizine"]
}, [
 ("tumor.her2_ihc", "3+", "corrected to 2+"),
 ("tumor.her2_ish", "amplified", "ISH not amplified"),
 ("comorbidities", "interstitial_lung_disease", "only possible ILD vs infection"),
 ("prior_therapies.stop_reason", "toxicity", "T-DXd held, not stopped"),
 ("metastases.sites", "brain", "MRI brain negative"),
 ("qtcf_ms", 468, "older value on ribociclib"),
 ("medications", "domperidone", "stopped last week"),
 ("medications", "goserelin", "off goserelin since 06/2025"),
])

N("w40_chat_male_ultralow_4l", """
Teams chat - breast MDT prep      Wed 2 Dec 2026
16:01 Dr J. Akande: next: Mr Harold E, 70M. ER 85% PR 0 HER2 IHC 0, faint incomplete staining ~5% (ultralow). liver bx 11/2026
16:02 JA: hx: 1L leuprolide + anastrozole + palbo 2023-2024
16:02 JA: sorry, ribociclib not palbo. PD 09/2024
16:03 JA: 2L fulvestrant + everolimus 10/2024-06/2025 PD. 3L capecitabine 07/2025-10/2026 PD (liver)
16:04 Dr M. Silva: ESR1?
16:04 JA: ctDNA 10/2026: ESR1 Y537S. PIK3CA wildtype
16:05 JA: bili 38 umol/L (ULN 21), ALT 66 (ULN 40). not in visceral crisis per hepatology
16:06 JA: options for 4L to discuss: T-DXd (ultralow) vs elacestrant vs SG
16:07 MS: PS?
16:07 JA: ECOG 1. KPS 80
16:08 JA: germline neg (panel 2023). daughter BRCA2+? no - daughter tested NEG, sister untested
16:09 JA: meds: tamsulosin, amlodipine, warfarin -> switched to apixaban 11/2026
""", {
 "as_of": "2026-12-02", "age": 70, "sex": "male", "ecog": 1,
 "tumor": {"er_percent": 85, "pr_percent": 0, "her2_ihc": "ultralow", "receptor_source": "metastasis"},
 "somatic": ["ESR1 Y537S", "PIK3CA wildtype"],
 "germline": [],
 "metastases": {"sites": ["liver"], "visceral_crisis": False},
 "prior_therapies": [
  {"setting": "metastatic", "drugs": ["leuprolide", "anastrozole", "ribociclib"], "end": "2024-09-01", "stop_reason": "progression"},
  {"setting": "metastatic", "drugs": ["fulvestrant", "everolimus"], "start": "2024-10-01", "end": "2025-06-01", "stop_reason": "progression"},
  {"setting": "metastatic", "drugs": ["capecitabine"], "start": "2025-07-01", "end": "2026-10-01", "stop_reason": "progression"}],
 "labs": {"bilirubin_x_uln": 1.81, "alt_x_uln": 1.65},
 "medications": ["tamsulosin", "amlodipine", "apixaban"]
}, [
 ("prior_therapies.drugs", "palbociclib", "corrected to ribociclib"),
 ("prior_therapies.drugs", "trastuzumab_deruxtecan", "4L options only to discuss"),
 ("prior_therapies.drugs", "elacestrant", "only to discuss"),
 ("tumor.her2_ihc", "0", "faint incomplete staining = ultralow, not null"),
 ("germline", ["BRCA2"], "corrected: daughter tested negative; patient's panel negative"),
 ("medications", "warfarin", "switched to apixaban"),
 ("metastases.visceral_crisis", True, "explicitly not in visceral crisis"),
 ("menopausal_status", "postmenopausal", "male patient"),
])
