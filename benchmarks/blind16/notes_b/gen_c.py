from gen_lib import N

N("w51_derm_alpelisib_rash", """
DERMATOLOGY CONSULT (oncodermatology clinic)                    Oct 28th, 2026
Pt: Mrs Gwen A., 52 F, postmenopausal     Referring: Dr Patel, breast oncology

HPI: HR+/HER2-negative MBC (bone, nodes - mediastinal). T-spine bx 2025: ER 95%, PR 25%, HER2 IHC 0.
PIK3CA H1047R. 1L anastrozole + ribociclib 03/2025-08/2026 (PD). Fulvestrant + alpelisib (Piqray)
300 mg started 15/09/2026. Day 12: pruritic maculopapular rash trunk + arms, ~40% BSA = grade 3.
Alpelisib HELD 27/09. Prednisolone 30 mg x5 days (completed 02/10), cetirizine, betamethasone
valerate 0.1% cream. Fulvestrant continued.
Rash faded to post-inflammatory pigmentation by 12/10.
Rechallenge: alpelisib restarted 20/10 at 250 mg with cetirizine 10 mg daily prophylaxis -
day 8 of rechallenge today, no new rash.

Exam: residual hyperpigmentation, no blisters, no target lesions, no mucosal involvement. Afebrile.
Hx: no prior SJS / TEN / erythema multiforme. Penicillin -> urticaria 1998.
Meds: cetirizine 10 mg OD, betamethasone cream prn, metformin 500 mg BD (for alpelisib
hyperglycaemia; no diabetes before), colecalciferol.

Imp: alpelisib-related maculopapular rash G3, resolved; tolerating rechallenge at reduced dose.
Plan: continue cetirizine while on alpelisib. If G3 recurs -> stop alpelisib permanently; oncology
would then consider everolimus + exemestane.
ECOG 1.
""", {
 "as_of": "2026-10-28", "age": 52, "sex": "female", "menopausal_status": "postmenopausal", "ecog": 1,
 "tumor": {"er_percent": 95, "pr_percent": 25, "her2_ihc": "0", "receptor_source": "metastasis"},
 "somatic": ["PIK3CA H1047R"],
 "metastases": {"sites": ["bone", "distant_lymph_nodes"]},
 "prior_therapies": [
  {"setting": "metastatic", "drugs": ["anastrozole", "ribociclib"], "start": "2025-03-01", "end": "2026-08-01", "stop_reason": "progression"},
  {"setting": "metastatic", "drugs": ["fulvestrant", "alpelisib"], "start": "2026-09-15", "stop_reason": "ongoing"}],
 "medications": ["cetirizine", "betamethasone", "metformin", "colecalciferol"]
}, [
 ("medications", "prednisolone", "5-day course completed 02/10"),
 ("prior_therapies.stop_reason", "toxicity", "alpelisib held then rechallenged; line ongoing"),
 ("prior_therapies.drugs", "everolimus", "only a contingency option"),
 ("prior_therapies.drugs", "exemestane", "only a contingency option"),
 ("comorbidities", "diabetes_type2", "metformin is for alpelisib hyperglycaemia; no diabetes"),
 ("symptoms", "rash", "rash resolved; no new rash on rechallenge"),
 ("symptoms", "mucositis", "no mucosal involvement"),
])

N("w52_derm_cape_hfs", """
Dermatology - treatment toxicity clinic          date 05/11/2026 (5 Nov)
Mrs Olga V., 60 y, female, postmenopausal
Referral: hand-foot syndrome on Xeloda.

Onc summary (from EPR): ER+ (ER 70%, PR 0%) HER2 1+ (HER2-low) MBC, recurrent 2023, bone + liver.
 - adjuvant: EC x4 -> paclitaxel x12 (2017), tamoxifen 2017-2022 completed
 - 1L letrozole + palbociclib 05/2023 - 01/2025, PD
 - 2L fulvestrant + everolimus 02/2025 - 06/2026, PD
 - 3L capecitabine 1000 mg/m2 BD d1-14 q21d from 07/2026. DPYD genotype normal (tested 06/2026).
Findings: painful erythema + desquamation soles, fissures on both heels, interferes with walking but
self-care OK = HFS grade 2 (was grade 1 in Sept). No ulceration, no infection.
Capecitabine: cycle 6 postponed 1 week by oncology; resume at 750 mg/m2 BD (dose reduction).
Advice: urea 10% cream BD, emollients, cool soaks, avoid friction. Pyridoxine not recommended
(no evidence). Celecoxib discussed - not started (GI bleed 2019).
PMH: T2DM 2010-2022, resolved after 20 kg weight loss, off all diabetic meds since 2022; GI bleed
2019 (H. pylori); hypertension.
Meds: amlodipine, omeprazole 20 mg, denosumab 120 mg q4w.
Height 5'6", weight 143 lb. ECOG 1. KPS 80.
""", {
 "as_of": "2026-11-05", "age": 60, "sex": "female", "menopausal_status": "postmenopausal", "ecog": 1,
 "weight_kg": 64.9, "height_cm": 168,
 "tumor": {"er_percent": 70, "pr_percent": 0, "her2_ihc": "1+"},
 "dpyd": "normal",
 "metastases": {"sites": ["bone", "liver"]},
 "presentation": "recurrence",
 "prior_therapies": [
  {"setting": "adjuvant", "drugs": ["epirubicin", "cyclophosphamide", "paclitaxel"], "stop_reason": "completed"},
  {"setting": "adjuvant", "drugs": ["tamoxifen"], "stop_reason": "completed"},
  {"setting": "metastatic", "drugs": ["letrozole", "palbociclib"], "start": "2023-05-01", "end": "2025-01-01", "stop_reason": "progression"},
  {"setting": "metastatic", "drugs": ["fulvestrant", "everolimus"], "start": "2025-02-01", "end": "2026-06-01", "stop_reason": "progression"},
  {"setting": "metastatic", "drugs": ["capecitabine"], "start": "2026-07-01", "stop_reason": "ongoing"}],
 "medications": ["amlodipine", "omeprazole", "denosumab"],
 "symptoms": ["painful soles", "heel fissures"]
}, [
 ("comorbidities", "diabetes_type2", "T2DM resolved, off treatment since 2022"),
 ("prior_therapies.stop_reason", "toxicity", "capecitabine postponed and dose-reduced, not stopped"),
 ("medications", "celecoxib", "discussed, not started"),
 ("medications", "pyridoxine", "not recommended"),
 ("ecog", 2, "KPS 80 is not ECOG; ECOG stated 1"),
 ("metastatic_diagnosis_date", "2017-01-01", "2017 is the adjuvant year"),
])

N("w53_hep_male_tucatinib_alt", """
HEPATOLOGY CONSULTATION                                         Date: 17 November 2026
Patient: Mr Kwame O., 58-year-old man
Requesting: Dr Ruiz, Breast Oncology - "rising transaminases on tucatinib combination"

Oncological history (from oncology letters):
 - HER2-positive, HR-negative breast cancer (L breast, male), diagnosed de novo 02/2024 with liver
   and brain metastases. Liver biopsy: ER 0%, PR 0%, HER2 IHC 3+.
 - 1L docetaxel + trastuzumab + pertuzumab 03/2024 -> HP maintenance; progression 04/2025.
 - 2L trastuzumab deruxtecan 05/2025 - 02/2026: stopped for grade 2 pneumonitis (drug-induced ILD,
   confirmed by respiratory team, treated with steroids, resolved radiologically).
 - Brain: 3 lesions, SRS 03/2024; MRI 10/2026 stable; no neurological symptoms.
 - 3L tucatinib 300 mg BD + trastuzumab + capecitabine (HER2CLIMB regimen) since 03/2026.

Presenting issue: ALT rose from 38 to 168 U/L (ULN 40) on 03/11; tucatinib HELD 03/11 (trastuzumab and
capecitabine continued). Today ALT 92 U/L, AST 71 U/L (ULN 40), bilirubin 15 umol/L (ULN 21),
ALP normal, INR 1.0. No jaundice, no itch, no RUQ pain.

Viral/other screen: HBsAg negative, anti-HBc positive, HBV DNA undetectable (past resolved infection);
HCV Ab negative. Alcohol 4 units/week. US liver: mild steatosis, stable metastases; FibroScan
6.2 kPa - no advanced fibrosis or cirrhosis.
Interacting drugs: none identified; he stopped omeprazole in Oct (capecitabine absorption query).

Assessment: grade 2 transaminase rise most consistent with tucatinib-related hepatotoxicity; past HBV
without reactivation.
Recommendations:
 1. Resume tucatinib at 250 mg BD (one level down) once ALT <3x ULN - already met; oncology to restart
    this week.
 2. Start entecavir 0.5 mg daily as HBV prophylaxis? - discussed; we favour HBV DNA monitoring
    every 3 months instead. Not started.
 3. LFTs weekly x4.
Current meds: levetiracetam 500 mg BD (seizure 2024), amlodipine 10 mg, loperamide prn.
LVEF 58% (echo 09/2026; 64% in 2024). ECOG 1.
""", {
 "as_of": "2026-11-17", "age": 58, "sex": "male", "ecog": 1,
 "tumor": {"er_percent": 0, "pr_percent": 0, "her2_ihc": "3+", "receptor_source": "metastasis"},
 "metastases": {"sites": ["liver", "brain"], "brain": {"symptomatic": False, "progressing": False, "locally_treated": True}},
 "presentation": "de_novo", "metastatic_diagnosis_date": "2024-02-01",
 "prior_therapies": [
  {"setting": "metastatic", "drugs": ["docetaxel", "trastuzumab", "pertuzumab"], "start": "2024-03-01", "end": "2025-04-01", "stop_reason": "progression"},
  {"setting": "metastatic", "drugs": ["trastuzumab_deruxtecan"], "start": "2025-05-01", "end": "2026-02-01", "stop_reason": "toxicity"},
  {"setting": "metastatic", "drugs": ["tucatinib", "trastuzumab", "capecitabine"], "start": "2026-03-01", "stop_reason": "ongoing"}],
 "lvef_percent": 58,
 "labs": {"alt_x_uln": 2.3, "bilirubin_x_uln": 0.71},
 "comorbidities": ["interstitial_lung_disease"],
 "medications": ["levetiracetam", "amlodipine", "loperamide"]
}, [
 ("labs.alt_x_uln", 4.2, "03/11 peak 168/40; today 92/40"),
 ("medications", "capecitabine", "capecitabine is part of the cancer line, not a medication"),
 ("comorbidities", "cirrhosis", "FibroScan: no cirrhosis; steatosis only"),
 ("medications", "entecavir", "discussed, not started"),
 ("medications", "omeprazole", "stopped in October"),
 ("lvef_percent", 64, "2024 value"),
 ("menopausal_status", "postmenopausal", "male patient"),
 ("symptoms", "jaundice", "negated"),
])

N("w54_hep_prem_ribo_transaminitis", """
Liver clinic - oncology liaison                         2026-10-12
Ms Deepa R., 44 F. Premenopausal on goserelin (ovarian function suppression), still premenopausal.
Dx: de novo HR+ HER2-negative MBC 05/2026 - bone + lymph nodes (retroperitoneal), bx of retroperitoneal
node: ER 100%, PR 90%, HER2 IHC 0.
Tx: goserelin 3.6 mg + letrozole 2.5 mg + ribociclib 600 mg (3 wk on/1 off) from 06/06/2026.
LFTs:
              ALT (U/L)   AST    bili (umol/L)    [ULN ALT 33, AST 32, bili 21]
  06/06        21          24       9
  22/09       198         141      12            G3 - ribociclib held 22/09
  05/10        74          52       10
  11/10        41          35       8
Hx: hepatitis C genotype 3 treated 2019 (SVR12 achieved, cured). Mild steatosis on US 2026.
No alcohol. Not cirrhotic (FibroScan 5.4 kPa).
Meds: paracetamol max 2 g/day, vitamin D, cetirizine. Stopped: herbal "liver detox" tea (08/2026).
Letrozole + goserelin continued throughout.
Plan (joint w/ oncology): ALT now <=ULN-ish -> rechallenge ribociclib at 400 mg once ALT <=2.5x ULN
(met) - restart 13/10. If recurs -> consider switching to abemaciclib.
ECOG 0. No jaundice. No RUQ pain.
QTcF 438 ms (09/2026).
""", {
 "as_of": "2026-10-12", "age": 44, "sex": "female", "menopausal_status": "premenopausal", "ecog": 0,
 "tumor": {"er_percent": 100, "pr_percent": 90, "her2_ihc": "0", "receptor_source": "metastasis"},
 "metastases": {"sites": ["bone", "distant_lymph_nodes"]},
 "presentation": "de_novo", "metastatic_diagnosis_date": "2026-05-01",
 "prior_therapies": [
  {"setting": "metastatic", "drugs": ["goserelin", "letrozole", "ribociclib"], "start": "2026-06-06", "stop_reason": "ongoing"}],
 "qtcf_ms": 438,
 "labs": {"alt_x_uln": 1.24, "bilirubin_x_uln": 0.38},
 "medications": ["acetaminophen", "vitamin_d", "cetirizine"]
}, [
 ("menopausal_status", "postmenopausal", "premenopausal on goserelin"),
 ("labs.alt_x_uln", 6.0, "22/09 peak; latest 41/33"),
 ("prior_therapies.stop_reason", "toxicity", "ribociclib held then rechallenged"),
 ("prior_therapies.drugs", "abemaciclib", "only a contingency switch"),
 ("comorbidities", "cirrhosis", "FibroScan 5.4 kPa, not cirrhotic"),
 ("medications", "goserelin", "goserelin is part of the therapy line"),
 ("symptoms", "jaundice", "negated"),
])

N("w55_derm_everolimus_stomatitis", """
Oral medicine / dermatology joint clinic                Tuesday 1 December 2026
Mrs Beatrix N., 69, female. Postmenopausal.
Breast ca: ER 60% PR 5% HER2 IHC 0 with faint incomplete membrane staining in ~5% (HER2-ultralow),
liver biopsy 2024. (Primary 2012: ER 90%, HER2 2+/ISH negative.)
Mets: liver, bone. Recurrent 2024 (8 yr after adjuvant tamoxifen completed).
Lines: 1) letrozole + ribociclib 2024-2025 PD; 2) fulvestrant 2025-08/2026 PD;
3) exemestane + everolimus (Afinitor) 10 mg from 09/2026.
Problem: stomatitis G2 (painful ulcers, modified diet) + acneiform rash face/chest G1.
 - Everolimus REDUCED to 5 mg daily from 24/11 - continuing.
 - Dexamethasone 0.5 mg/5 mL alcohol-free mouthwash QID (SWISH) - continue.
 - Nystatin suspension (started 10/11 for thrush) - stopped 24/11, thrush cleared.
 - Doxycycline 100 mg OD for 6 weeks started today for the rash.
No cough or breathlessness; CT 20/11: no pneumonitis.
FBG 6.2 mmol/L. Cholesterol up - GP to review statin (not yet prescribed).
Other meds: ramipril, denosumab (oncology).
Oncology mentioned T-DXd as a possible next line (ultralow).
ECOG 1.
""", {
 "as_of": "2026-12-01", "age": 69, "sex": "female", "menopausal_status": "postmenopausal", "ecog": 1,
 "tumor": {"er_percent": 60, "pr_percent": 5, "her2_ihc": "ultralow", "receptor_source": "metastasis"},
 "metastases": {"sites": ["liver", "bone"]},
 "presentation": "recurrence",
 "prior_therapies": [
  {"setting": "adjuvant", "drugs": ["tamoxifen"], "stop_reason": "completed"},
  {"setting": "metastatic", "drugs": ["letrozole", "ribociclib"], "stop_reason": "progression"},
  {"setting": "metastatic", "drugs": ["fulvestrant"], "end": "2026-08-01", "stop_reason": "progression"},
  {"setting": "metastatic", "drugs": ["exemestane", "everolimus"], "start": "2026-09-01", "stop_reason": "ongoing"}],
 "medications": ["dexamethasone", "doxycycline", "ramipril", "denosumab"],
 "symptoms": ["painful mouth ulcers", "acneiform rash"]
}, [
 ("tumor.her2_ihc", "2+", "2+ is the 2012 primary"),
 ("tumor.er_percent", 90, "primary value"),
 ("medications", "nystatin", "stopped 24/11"),
 ("prior_therapies.stop_reason", "toxicity", "everolimus dose-reduced, continuing"),
 ("prior_therapies.drugs", "trastuzumab_deruxtecan", "only a possible next line"),
 ("comorbidities", "interstitial_lung_disease", "CT: no pneumonitis"),
 ("medications", "atorvastatin", "statin not yet prescribed"),
 ("labs.fasting_glucose_mg_dl", 6.2, "6.2 is mmol/L"),
])

N("w56_appeal_elacestrant", """
LETTER OF MEDICAL NECESSITY - EXPEDITED APPEAL
To: Utilization Review, Keystone Health Plan          Date: October 6, 2026
Re: Member Patricia H. (DOB on file), 54, female. Claim ref. 26-88412
Requested drug: elacestrant (Orserdu) 345 mg PO daily - DENIED 09/29/2026 as "not medically necessary;
fulvestrant monotherapy is a covered alternative".

I am appealing this denial. Mrs H. has de novo metastatic ER-positive, HER2-negative breast cancer
(bone, liver), diagnosed 03/2024; postmenopausal. Liver biopsy 03/2024: ER 95%, PR 30%, HER2 IHC 0.
She received letrozole + palbociclib from 04/2024 until CT-confirmed progression on 09/10/2026
(September 10); both were stopped on that date. She has received no therapy since.

Key facts:
 1. ctDNA (Guardant360, 09/15/2026): ESR1 D538G detected. PIK3CA, AKT1, PTEN: not detected.
    (An earlier tissue NGS from 2024, before endocrine therapy, showed no ESR1 mutation - ESR1
    mutations are acquired under aromatase inhibitor therapy, so the 2024 test does not apply.)
 2. Progression after >12 months on AI + CDK4/6 inhibitor (endocrine-sensitive).
 3. ECOG 1. No visceral crisis. Liver function: bilirubin 0.8 mg/dL (ULN 1.2), ALT 44 U/L (ULN 40).
 4. Fulvestrant alone is not expected to be as effective as elacestrant in ESR1-mutant disease
    (EMERALD); elacestrant is FDA-approved for ER+/HER2- ESR1-mutated advanced BC after >=1 line of ET.
Family history: mother and maternal aunt with breast cancer; patient's germline panel (2024) negative.
Other meds: levothyroxine, denosumab 120 mg q4w.

Please overturn the denial; treatment is urgent.
Dr S. Whitaker, MD, Medical Oncology
""", {
 "as_of": "2026-10-06", "age": 54, "sex": "female", "menopausal_status": "postmenopausal", "ecog": 1,
 "tumor": {"er_percent": 95, "pr_percent": 30, "her2_ihc": "0", "receptor_source": "metastasis"},
 "somatic": ["ESR1 D538G", "PIK3CA wildtype", "AKT1 wildtype", "PTEN wildtype"],
 "germline": [],
 "metastases": {"sites": ["bone", "liver"], "visceral_crisis": False},
 "presentation": "de_novo", "metastatic_diagnosis_date": "2024-03-01",
 "prior_therapies": [
  {"setting": "metastatic", "drugs": ["letrozole", "palbociclib"], "start": "2024-04-01", "end": "2026-09-10", "stop_reason": "progression"}],
 "labs": {"bilirubin_x_uln": 0.67, "alt_x_uln": 1.1},
 "medications": ["levothyroxine", "denosumab"]
}, [
 ("prior_therapies.drugs", "elacestrant", "requested in the appeal, not yet given"),
 ("prior_therapies.drugs", "fulvestrant", "insurer's alternative, not given"),
 ("somatic", "ESR1 wildtype", "2024 pre-ET tissue result superseded by 2026 ctDNA ESR1 D538G"),
 ("prior_therapies.end", "2026-10-09", "09/10/2026 is US format: September 10"),
 ("prior_therapies.stop_reason", "ongoing", "letrozole + palbociclib stopped at progression"),
 ("germline", ["BRCA1"], "family history only; patient's panel negative"),
])

N("w57_appeal_male_tdxd", """
Prior Authorization Appeal - 2nd level                          11/20/2026
Plan: Summit Medicare Advantage.   Member: Mr Leonard F., 64 y, male.
Drug requested: fam-trastuzumab deruxtecan-nxki (Enhertu) 5.4 mg/kg IV q3w.
Denial reason (11/12/2026): "patient is HER2-negative; drug indicated for HER2-positive disease."

Dear Medical Director,
The denial misreads the pathology. Mr F. has HER2-LOW metastatic breast cancer, an FDA-approved
indication (DESTINY-Breast04) after prior chemotherapy in the metastatic setting.
 - Primary (2022, R breast): ER 90%, PR 40%, HER2 IHC 0 - at that time reported as "HER2-negative".
 - Recurrence 06/2025, rib biopsy: ER 85%, PR 10%, HER2 IHC 1+ (HER2-low), ISH not amplified.
 - Adjuvant: tamoxifen 2022-06/2025 (stopped at recurrence).
 - 1L metastatic: leuprolide + anastrozole + abemaciclib 07/2025-03/2026 -> PD (bone, lung).
 - 2L: paclitaxel weekly 04/2026-10/2026 -> PD in lung (CT 10/28/2026). Paclitaxel stopped.
 - No HER2-directed therapy has ever been given.
 - LVEF 60% (10/2026). No history of ILD/pneumonitis. ECOG 1.
 - Germline: BRCA2 pathogenic variant (confirmed 2022). Olaparib was considered in 2025 but not given
   (patient preference for CDK4/6 route).
 - Residual paclitaxel neuropathy grade 1 (toes).
 - Meds: tamsulosin, metoprolol, duloxetine.
The alternative proposed by your reviewer (capecitabine) remains an option for a later line.
Please approve.
Dr A. Lindgren, Medical Oncology
""", {
 "as_of": "2026-11-20", "age": 64, "sex": "male", "ecog": 1,
 "tumor": {"er_percent": 85, "pr_percent": 10, "her2_ihc": "1+", "her2_ish": "not_amplified", "receptor_source": "metastasis"},
 "germline": ["BRCA2"],
 "metastases": {"sites": ["bone", "lung"]},
 "presentation": "recurrence", "metastatic_diagnosis_date": "2025-06-01",
 "prior_therapies": [
  {"setting": "adjuvant", "drugs": ["tamoxifen"], "end": "2025-06-01", "stop_reason": "progression"},
  {"setting": "metastatic", "drugs": ["leuprolide", "anastrozole", "abemaciclib"], "start": "2025-07-01", "end": "2026-03-01", "stop_reason": "progression"},
  {"setting": "metastatic", "drugs": ["paclitaxel"], "start": "2026-04-01", "end": "2026-10-01", "stop_reason": "progression"}],
 "lvef_percent": 60,
 "medications": ["tamsulosin", "metoprolol", "duloxetine"],
 "symptoms": ["neuropathy toes"]
}, [
 ("prior_therapies.drugs", "trastuzumab_deruxtecan", "requested, not given"),
 ("tumor.her2_ihc", "0", "2022 primary value; 2025 rib biopsy IHC 1+"),
 ("tumor.her2_status", "negative", "HER2-low with an IHC score; the insurer's label is wrong"),
 ("prior_therapies.drugs", "olaparib", "considered, not given"),
 ("prior_therapies.drugs", "capecitabine", "reviewer's alternative, not given"),
 ("comorbidities", "interstitial_lung_disease", "negated"),
 ("menopausal_status", "postmenopausal", "male patient"),
])

N("w58_appeal_prem_tnbc_talazoparib", """
UTILISATION REVIEW - PEER-TO-PEER FOLLOW-UP LETTER
Date: 14 Nov 2026
Patient: Ms Renata Q., 46, female, premenopausal (regular cycles; on no hormonal contraception).
Request: talazoparib (Talzenna) 1 mg daily. Status: pending - reviewer asked for germline proof.

Summary
 - TNBC (ER <1%, PR 0%, HER2 IHC 0), R breast 2021. Neoadjuvant docetaxel + carboplatin, mastectomy
   2021 (pCR). No adjuvant capecitabine. No pembrolizumab (pre-approval era at our centre).
 - Recurrence 02/2026 (> 4 years later): lung + mediastinal nodes; lung biopsy TNBC (ER 0%, PR 0%,
   HER2 IHC 0), PD-L1 22C3 CPS 14.
 - 1L pembrolizumab + gemcitabine + carboplatin 03/2026 - 10/2026 -> PD (new pleural-based nodules,
   pleural fluid not sampled). Pembrolizumab stopped; chemo stopped.
 - Germline (Myriad, 2021): BRCA2 c.6275_6276del PATHOGENIC - report attached (this is her own result,
   not her sister's - the sister tested negative).
 - Pembrolizumab-related hypothyroidism 06/2026 - on levothyroxine.
 - Brain MRI 10/2026: no metastases.
Rationale: OlympiAD/EMBRACA - PARP inhibitor vs physician's-choice chemotherapy in gBRCA HER2-negative
MBC; she has had one chemotherapy line for metastatic disease. Sacituzumab govitecan remains an
alternative if talazoparib is refused. Olaparib would be acceptable if formulary prefers.
ECOG 0. Hb 112 g/L, ANC 2.9 x10^9/L, platelets 188 x10^9/L; creatinine clearance 92 mL/min.
""", {
 "as_of": "2026-11-14", "age": 46, "sex": "female", "menopausal_status": "premenopausal", "ecog": 0,
 "tumor": {"er_percent": 0, "pr_percent": 0, "her2_ihc": "0", "pdl1_cps": 14, "receptor_source": "metastasis"},
 "germline": ["BRCA2"],
 "metastases": {"sites": ["lung", "distant_lymph_nodes"]},
 "presentation": "recurrence", "metastatic_diagnosis_date": "2026-02-01",
 "prior_therapies": [
  {"setting": "neoadjuvant", "drugs": ["docetaxel", "carboplatin"], "stop_reason": "completed"},
  {"setting": "metastatic", "drugs": ["pembrolizumab", "gemcitabine", "carboplatin"], "start": "2026-03-01", "end": "2026-10-01", "stop_reason": "progression"}],
 "labs": {"anc_per_ul": 2900, "platelets_per_ul": 188000, "creatinine_clearance_ml_min": 92},
 "medications": ["levothyroxine"]
}, [
 ("prior_therapies.drugs", "talazoparib", "requested, pending"),
 ("prior_therapies.drugs", "olaparib", "acceptable alternative, not given"),
 ("prior_therapies.drugs", "sacituzumab_govitecan", "alternative only"),
 ("prior_therapies.drugs", "capecitabine", "no adjuvant capecitabine"),
 ("metastases.sites", "pleura", "pleural-based nodules, fluid not sampled"),
 ("metastases.sites", "brain", "MRI brain negative"),
 ("germline", [], "her own BRCA2 is pathogenic; the sister's negative test is not hers"),
])

N("w59_appeal_her2pos_brain_tucatinib", """
Aetherna Health Insurance - Appeal of Adverse Determination            December 3, 2026
Re: Mrs Harriet D., 61, female. Policy #####-221. Case UR-26-4471.
Requested regimen: tucatinib (Tukysa) 300 mg PO BID + trastuzumab 6 mg/kg IV q3w + capecitabine
1000 mg/m2 BID d1-14 (HER2CLIMB). Denied 11/24/2026: "brain metastases should be treated with
radiotherapy first; tucatinib is not first-line".

To the Reviewing Physician:

I write to request reversal. This is NOT first-line use. Mrs D.'s history:

Diagnosis. Right breast IDC 2019, ER 0%, PR 0%, HER2 IHC 3+. Neoadjuvant TCHP x6, surgery with
residual disease, adjuvant trastuzumab emtansine x14 cycles, completed 01/2021.
Metastatic disease. Relapse 08/2022 in liver and mediastinal nodes; liver biopsy HER2 3+ (ISH ratio 6.1),
ER 0%, PR 0%.
  1st line (metastatic): paclitaxel + trastuzumab + pertuzumab 09/2022, then HP maintenance, to
  11/2024 (progression, liver).
  2nd line: trastuzumab deruxtecan 12/2024 - 11/2026. Extracranial disease still controlled, but MRI
  11/09/2026 shows 4 new brain metastases (largest 14 mm) and growth of a previously treated lesion.
  She has headaches and mild right-hand clumsiness. T-DXd stopped 11/2026 because of CNS progression.
Brain treatment so far: SRS to one left parietal lesion 05/2025. The 4 new lesions have NOT been
irradiated; radiation oncology (Dr Ng) recommends systemic therapy with CNS activity first, with SRS
held in reserve, because whole-brain RT would harm cognition and the lesions are small.

Why tucatinib now. HER2CLIMB showed longer overall and CNS progression-free survival, including in
patients with active, progressing brain metastases; ASCO guidance supports tucatinib-based therapy for
progressing brain metastases after prior HER2-directed therapy.

Other facts for the reviewer:
 - LVEF 55% (echo 11/20/2026); 62% at baseline 2022.
 - Dexamethasone 4 mg daily started 11/10/2026 for headache; taper planned.
 - Levetiracetam NOT started (no seizures).
 - Hepatic: bilirubin 0.7 mg/dL (ULN 1.2); ALT 36 U/L (ULN 40). Creatinine clearance 78 mL/min.
 - DPYD genotype: normal (tested 11/2026, before capecitabine).
 - ECOG 1. Postmenopausal. Germline testing: negative (2019).
 - Home medications: dexamethasone, omeprazole 20 mg, sertraline 50 mg.

Delay risks neurological deterioration. Please approve.
Sincerely, Dr M. Okonkwo, Breast Medical Oncology
""", {
 "as_of": "2026-12-03", "age": 61, "sex": "female", "menopausal_status": "postmenopausal", "ecog": 1,
 "tumor": {"er_percent": 0, "pr_percent": 0, "her2_ihc": "3+", "her2_ish": "amplified", "receptor_source": "metastasis", "histology": "ductal"},
 "germline": [],
 "dpyd": "normal",
 "metastases": {"sites": ["liver", "distant_lymph_nodes", "brain"],
                "brain": {"symptomatic": True, "progressing": True, "locally_treated": False}},
 "presentation": "recurrence", "metastatic_diagnosis_date": "2022-08-01",
 "prior_therapies": [
  {"setting": "neoadjuvant", "drugs": ["docetaxel", "carboplatin", "trastuzumab", "pertuzumab"], "stop_reason": "completed"},
  {"setting": "adjuvant", "drugs": ["trastuzumab_emtansine"], "end": "2021-01-01", "stop_reason": "completed"},
  {"setting": "metastatic", "drugs": ["paclitaxel", "trastuzumab", "pertuzumab"], "start": "2022-09-01", "end": "2024-11-01", "stop_reason": "progression"},
  {"setting": "metastatic", "drugs": ["trastuzumab_deruxtecan"], "start": "2024-12-01", "end": "2026-11-01", "stop_reason": "progression"}],
 "lvef_percent": 55,
 "labs": {"bilirubin_x_uln": 0.58, "alt_x_uln": 0.9, "creatinine_clearance_ml_min": 78},
 "medications": ["dexamethasone", "omeprazole", "sertraline"],
 "symptoms": ["headache", "right-hand clumsiness"]
}, [
 ("prior_therapies.drugs", "tucatinib", "requested regimen, not given"),
 ("prior_therapies.drugs", "capecitabine", "part of the requested regimen"),
 ("metastases.brain.locally_treated", True, "the 4 new lesions are not irradiated; only one old lesion had SRS"),
 ("lvef_percent", 62, "2022 baseline"),
 ("medications", "levetiracetam", "explicitly not started"),
 ("labs.bilirubin_x_uln", 0.7, "0.7 is mg/dL; 0.7/1.2 = 0.58 x ULN"),
 ("prior_therapies.stop_reason", "toxicity", "T-DXd stopped for CNS progression"),
])

N("w60_appeal_erlow_sacituzumab", """
Request for reconsideration - specialty pharmacy benefit              2026-11-27
Member: Mrs Noor A., 50 y, F. Perimenopausal (irregular periods, last period ~5 months ago; FSH
not diagnostic).
Requested: sacituzumab govitecan (Trodelvy) 10 mg/kg D1, D8 q21d.
Denial: "SG is approved for triple-negative disease; the member's tumour is ER-positive."

Clinical facts
 * Breast primary 2020: ER 40%, PR 20%, HER2 2+ ISH non-amplified. Adjuvant AC -> paclitaxel,
   then tamoxifen 2021-04/2025 (stopped at relapse).
 * Relapse 04/2025: liver + bone. Liver biopsy 05/2025: ER 2% (ER-LOW), PR 0%, HER2 IHC 1+.
   PD-L1 22C3 CPS 3.
 * Treated as triple-negative: 1L carboplatin + gemcitabine 06/2025 - 09/2026, PD (liver).
   Pembrolizumab not given (CPS <10).
 * Endocrine therapy was considered but judged unlikely to help (ER-low; relapse on tamoxifen).
 * Trastuzumab deruxtecan (HER2-low) is the other option we considered; we prefer SG here.
 * UGT1A1 genotype *1/*1. ANC 2.4 x10^9/L (11/2026), platelets 214 x10^9/L.
 * Bilirubin 14 umol/L (ULN 21); ALT 52 U/L (ULN 40).
 * ECOG 1. Diabetes type 1 since age 12 (insulin pump). No other comorbidity.
 * Meds: insulin (pump), lisinopril, ondansetron prn.
ER-low (1-10%) tumours behave like TNBC; ASCO/CAP and NCCN treat them accordingly.
Dr P. Esposito, Medical Oncology
""", {
 "as_of": "2026-11-27", "age": 50, "sex": "female", "menopausal_status": "perimenopausal", "ecog": 1,
 "tumor": {"er_percent": 2, "pr_percent": 0, "her2_ihc": "1+", "pdl1_cps": 3, "receptor_source": "metastasis"},
 "metastases": {"sites": ["liver", "bone"]},
 "presentation": "recurrence", "metastatic_diagnosis_date": "2025-04-01",
 "prior_therapies": [
  {"setting": "adjuvant", "drugs": ["doxorubicin", "cyclophosphamide", "paclitaxel"], "stop_reason": "completed"},
  {"setting": "adjuvant", "drugs": ["tamoxifen"], "end": "2025-04-01", "stop_reason": "progression"},
  {"setting": "metastatic", "drugs": ["carboplatin", "gemcitabine"], "start": "2025-06-01", "end": "2026-09-01", "stop_reason": "progression"}],
 "labs": {"anc_per_ul": 2400, "platelets_per_ul": 214000, "bilirubin_x_uln": 0.67, "alt_x_uln": 1.3},
 "comorbidities": ["diabetes_type1"],
 "medications": ["insulin", "lisinopril", "ondansetron"]
}, [
 ("prior_therapies.drugs", "sacituzumab_govitecan", "requested, not given"),
 ("prior_therapies.drugs", "trastuzumab_deruxtecan", "considered only"),
 ("prior_therapies.drugs", "pembrolizumab", "not given"),
 ("tumor.er_percent", 40, "primary 2020 value; metastasis ER 2%"),
 ("tumor.her2_ihc", "2+", "primary value"),
 ("comorbidities", "diabetes_type2", "type 1 diabetes"),
 ("menopausal_status", "postmenopausal", "perimenopausal, last period 5 months ago"),
])
