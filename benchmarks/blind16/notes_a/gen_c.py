# throw-away helper: writes notes w21-w30
import json, os
from gen_a import T, D
NOTES = []
def N(name, text, exp, mn): NOTES.append((name, text.strip("\n") + "\n", exp, mn))

# ---------------- style 5: orthopaedic / spine surgery consult ----------------
N("w21_spine_mscc", """
SPINAL SURGERY CONSULT — URGENT (MSCC pathway)
Date/time: 07 Nov 2026 21:40. Requested by acute oncology.
Pt: Dorothy E, 72 F, postmenopausal. Wt 154 lb. Ht 160 cm.
HPC: 3 wk worsening mid-thoracic back pain, 48 h bilateral leg weakness + heaviness, unsteady, 2 falls. Band-like pain T10 dermatome. Bladder: voiding normally, no retention (PVR 40 mL). Bowels normal. No saddle anaesthesia.
Onc hx: R breast IDC 2016 (ER 90%, PR 60%, HER2 2+ ISH not amplified), WLE + RT, adj anastrozole 5 y completed 03/2021. Relapse 02/2025: bone (spine, ribs). T9 bx 02/2025: ER 85%, PR 0%, HER2 1+.
 1L met: anastrozole + palbociclib since 03/2025 - palbociclib HELD from today for surgery, to resume after wound healing; anastrozole continues.
 Zoledronic acid q12w - last 09/2026.
O/E: power hip flexion 4-/5 bilat, knee ext 4/5, ankle DF 4+/5. Sensory level ~T10. Reflexes brisk, upgoing plantars. Perianal sensation intact.
Function: ECOG 3 today (pre-morbid ECOG 1 in Sept clinic).
MRI whole spine 07/11: T10 lytic lesion with pathological collapse (~40% height loss) + posterior element involvement, epidural disease Bilsky 3 with cord compression and T2 signal change. T4, L3 lesions without epidural extension. Liver: 9 mm segment 6 lesion "indeterminate, likely haemangioma - correlate". No brain imaging.
SINS 14 (unstable). Revised Tokuhashi 11.
Bloods: Hb 116 g/L, plt 244 x10^9/L, INR 1.0, creat 88 umol/L, adj Ca 2.55 mmol/L (admission 2.71), alb 34 g/L, glucose 14.2 mmol/L on dexamethasone (no hx diabetes).
Meds: dexamethasone 16 mg/day started 07/11 (+ omeprazole cover), oxycodone 5 mg prn, anastrozole, atorvastatin 20 mg, sliding-scale insulin while on steroids (ward only).
PMH: hypertension (amlodipine - stopped 2024), hypothyroid on levothyroxine 75 mcg.
FH: nil relevant.
Impression: MSCC T10 from HR+/HER2-low MBC with mechanical instability and neuro deficit; good prognostic scores.
Plan: T8-T12 posterior decompression + instrumented stabilisation tomorrow (consented); post-op SBRT/conventional RT 20 Gy/5# to be discussed with clin onc; enoxaparin prophylaxis to start 24 h post-op; flat bed rest + log roll until surgery.
""", {
 "as_of": "2026-11-07", "age": 72, "sex": "female", "menopausal_status": "postmenopausal", "ecog": 3,
 "weight_kg": 69.9, "height_cm": 160,
 "tumor": {"er_percent": 85, "pr_percent": 0, "her2_ihc": "1+", "receptor_source": "metastasis", "histology": "ductal"},
 "metastases": {"sites": ["bone"]},
 "presentation": "recurrence", "metastatic_diagnosis_date": "2025-02-01",
 "prior_therapies": [
  {"setting": "adjuvant", "drugs": ["anastrozole"], "end": "2021-03-01", "stop_reason": "completed"},
  {"setting": "metastatic", "drugs": ["anastrozole", "palbociclib"], "start": "2025-03-01", "stop_reason": "ongoing"}],
 "labs": {"calcium_mg_dl": 10.22, "albumin_g_dl": 3.4, "platelets_per_ul": 244000},
 "medications": ["dexamethasone", "omeprazole", "oxycodone", "atorvastatin", "levothyroxine", "zoledronic_acid"],
 "symptoms": ["back pain", "leg weakness", "unsteady", "falls"]
}, [
 T("metastases.sites", "liver", "indeterminate, likely haemangioma"),
 T("comorbidities", "diabetes_type2", "steroid hyperglycaemia, no history of diabetes"),
 T("medications", "insulin", "sliding scale on the ward only"),
 T("medications", "enoxaparin", "planned post-op"),
 T("prior_therapies.stop_reason", "other", "palbociclib held for surgery, line ongoing"),
 T("ecog", 1, "pre-morbid value"),
 T("labs.calcium_mg_dl", 10.86, "admission calcium 2.71"),
 T("symptoms", "urinary retention", "negated")])

N("w22_ortho_femur_male", """
Orthopaedic oncology consult / post-op note
04.12.2026
Mr Harold J, 69 y, male.  Wt 92 kg.
Background: L breast IDC 2018 (ER+ PR+ HER2 2+, FISH negative) - mastectomy, adj tamoxifen x5y completed 2023.
New bone-only relapse Sept 2026 (L femur, pelvis, T-spine). L femur lesion bx 22/09/2026: ER 95%, PR 80%, HER2 IHC 0, no membrane staining.
Oncology plan (Dr Falk, 30/09): anastrozole + leuprolide + ribociclib to start once recovered from surgery - NOT yet started.
Event: 01/12/2026 pathological subtrochanteric fracture L femur on walking (Mirels would have been 10). 
Op 02/12/2026: L cephalomedullary nail (long), reamings to histology (pending). Uncomplicated.
Post-op day 2: pain controlled, mobilising with frame, PWB. ECOG 2 today (pre-fracture ECOG 0).
Bone health: zoledronic acid 4 mg IV given 03/12 on ward (single dose); oncology to decide on long-term agent (denosumab vs zoledronate) after dental review. No history of osteonecrosis of the jaw. Dentures.
Bloods: Hb 101 g/L (pre-op 128), CrCl 55 mL/min, corrected Ca 2.38 mmol/L, ALT 19.
Meds: tamsulosin 400 mcg, ramipril 5 mg, enoxaparin 40 mg od (post-op, 28 days), paracetamol 1 g qds, oxycodone 5 mg prn, lactulose.
Diabetes: none. Pre-op ECG QTc 436 (Bazett).
Plan: post-op RT to whole femur 8 Gy/1 - referral made. Physio.
""", {
 "as_of": "2026-12-04", "age": 69, "sex": "male", "ecog": 2, "weight_kg": 92,
 "tumor": {"er_percent": 95, "pr_percent": 80, "her2_ihc": "0", "receptor_source": "metastasis", "histology": "ductal"},
 "metastases": {"sites": ["bone"]},
 "presentation": "recurrence", "metastatic_diagnosis_date": "2026-09-01",
 "prior_therapies": [{"setting": "adjuvant", "drugs": ["tamoxifen"], "stop_reason": "completed"}],
 "labs": {"creatinine_clearance_ml_min": 55, "calcium_mg_dl": 9.54},
 "medications": ["tamsulosin", "ramipril", "enoxaparin", "acetaminophen", "oxycodone", "lactulose"]
}, [
 T("prior_therapies.drugs", "ribociclib", "planned, not started"),
 T("medications", "zoledronic_acid", "single in-hospital dose"),
 T("comorbidities", "osteonecrosis_jaw", "negated"),
 T("qtcf_ms", 436, "Bazett QTc, not QTcF"),
 T("tumor.her2_ihc", "2+", "2018 primary; femur biopsy HER2 0"),
 T("ecog", 0, "pre-fracture"),
 T("menopausal_status", "postmenopausal", "male"),
 T("medications", "denosumab", "only under consideration")])

N("w23_spine_tnbc", """
Spine surgery opinion (outpatient) - 16/10/2026
Pt: Mei L., 53F, post-menopausal.
Referral Q: painful L2 lesion - surgery vs cement augmentation?
Oncology: metastatic TNBC (ER 0, PR 0, HER2 0), relapse Jan 2025 (bone + lung), 4 yr after adj AC-paclitaxel.
 1L paclitaxel + pembrolizumab (CPS 12) 02/2025-05/2026 -> PD. 2L capecitabine from 06/2026. DPYD: heterozygous c.1905+1G>A (intermediate metabolizer) -> started at 50% dose, ongoing; recent cycle delayed 1 wk for G2 hand-foot.
Sx: mechanical low back pain 7/10 on standing, eases lying. No leg pain, no weakness, no numbness. Sphincters normal.
MRI L-spine 10/10: L2 lytic lesion, 20% anterior height loss, no retropulsion, NO epidural disease, no cauda equina compression. Small enhancing focus along the conus? - "likely vascular, leptomeningeal disease not excluded; consider CSF if symptomatic". Pelvis/L4 small lesions.
SINS 9 (potentially unstable). 
ECOG 1.
Labs: plt 87 x10^9/L (last month 142), INR 1.1, CrCl 48 mL/min (eGFR 55).
Meds: denosumab 120 mg q4w, apixaban 5 mg bd (DVT 07/2026), codeine/paracetamol (co-codamol), ibuprofen - STOPPED 09/2026 (renal).
Plan: L2 kyphoplasty (day case) - apixaban to be held 48 h pre-procedure; SBRT after; no open surgery needed.
Pt asked about sacituzumab as next treatment - oncology to discuss.
""", {
 "as_of": "2026-10-16", "age": 53, "sex": "female", "menopausal_status": "postmenopausal", "ecog": 1,
 "tumor": {"er_percent": 0, "pr_percent": 0, "her2_ihc": "0", "pdl1_cps": 12},
 "dpyd": "intermediate",
 "metastases": {"sites": ["bone", "lung"]},
 "presentation": "recurrence", "metastatic_diagnosis_date": "2025-01-01",
 "prior_therapies": [
  {"setting": "adjuvant", "drugs": ["doxorubicin", "cyclophosphamide", "paclitaxel"], "stop_reason": "completed"},
  {"setting": "metastatic", "drugs": ["paclitaxel", "pembrolizumab"], "start": "2025-02-01", "end": "2026-05-01", "stop_reason": "progression"},
  {"setting": "metastatic", "drugs": ["capecitabine"], "start": "2026-06-01", "stop_reason": "ongoing"}],
 "labs": {"platelets_per_ul": 87000, "creatinine_clearance_ml_min": 48},
 "medications": ["denosumab", "apixaban", "codeine", "acetaminophen"],
 "symptoms": ["low back pain"]
}, [
 T("metastases.sites", "leptomeninges", "'not excluded', likely vascular"),
 T("medications", "ibuprofen", "stopped 09/2026"),
 T("labs.creatinine_clearance_ml_min", 55, "eGFR is never a clearance"),
 T("prior_therapies.stop_reason", "toxicity", "capecitabine cycle delayed, not stopped"),
 T("prior_therapies.drugs", "sacituzumab_govitecan", "only asked about"),
 T("symptoms", "leg weakness", "negated"),
 T("labs.platelets_per_ul", 142000, "last month's value"),
 T("dpyd", "normal", "heterozygous = intermediate")])

N("w24_ortho_humerus_her2", """
ORTHOPAEDIC ONCOLOGY CLINIC LETTER — 20 October 2026
Dear Dr Amari,
Re: Chloe B., 46, premenopausal
Diagnosis: de novo HR+/HER2+ metastatic breast cancer (May 2025): bone (R humerus, ribs, sacrum) - no visceral disease. Bone biopsy (sacrum, decalcified) 05/2025: ER 75%, PR 40%, HER2 IHC 3+.
Treatment: docetaxel + Phesgo x6 (06-10/2025), then Phesgo + letrozole + goserelin (Zoladex) maintenance - ongoing, last Phesgo 13/10/2026. Denosumab 120 mg q4w.
Brain MRI 09/2026: no intracranial metastases.
Echo 09/2026 LVEF 60% (baseline 2025: 65%).
Seen with 6 weeks of R arm pain, worse with lifting, night pain. X-ray/CT: lytic lesion proximal humeral diaphysis, >2/3 cortical involvement. Mirels score 9 -> high fracture risk.
Recommendation: prophylactic intramedullary nail R humerus (listed 03/11/2026), then RT 20 Gy/5. Continue systemic therapy; hold denosumab peri-op? - not needed.
Oncology has mentioned tucatinib or T-DXd for the future if progression - none needed now.
Past history: eczema; previous mild asthma (none for >10 yrs). Meds: salbutamol inhaler (hardly used), paracetamol, naproxen 500 mg bd (started by GP last week), omeprazole.
ECOG 0. Her mother had breast cancer at 60; Chloe has not had genetic testing yet (referral sent).
""", {
 "as_of": "2026-10-20", "age": 46, "sex": "female", "menopausal_status": "premenopausal", "ecog": 0,
 "tumor": {"er_percent": 75, "pr_percent": 40, "her2_ihc": "3+", "receptor_source": "metastasis"},
 "metastases": {"sites": ["bone"]},
 "presentation": "de_novo", "metastatic_diagnosis_date": "2025-05-01",
 "prior_therapies": [{"setting": "metastatic", "drugs": ["docetaxel", "pertuzumab", "trastuzumab", "letrozole", "goserelin"], "start": "2025-06-01", "stop_reason": "ongoing"}],
 "lvef_percent": 60,
 "medications": ["denosumab", "salbutamol", "acetaminophen", "naproxen", "omeprazole"],
 "symptoms": ["right arm pain", "night pain"]
}, [
 T("metastases.sites", "brain", "MRI: no intracranial metastases"),
 T("prior_therapies.drugs", "tucatinib", "future option only"),
 T("prior_therapies.drugs", "trastuzumab_deruxtecan", "future option only"),
 T("lvef_percent", 65, "baseline 2025"),
 T("germline", [], "not tested, referral sent"),
 T("medications", "goserelin", "part of the therapy object"),
 T("metastases.visceral_crisis", True, "no visceral disease at all")])

N("w25_spine_lobular", """
Neurosurgery/spine consult   date: 11-Nov-2026
Patient: Agnes R, 80 yo F.
Reason: C2 lesion, neck pain - stability?
Onc: HR+ invasive LOBULAR ca, recurrent (primary 2009, adj tamoxifen then letrozole; relapse 03/2023 bone + peritoneum? -> peritoneal thickening "possible, not biopsied"). Iliac bone bx 03/2023: ER 95%, PR 0%, HER2 1+.
 1L letrozole + abemaciclib 04/2023-06/2025 (PD).
 2L exemestane + everolimus 07/2025-07/2026 (PD; stomatitis, dose reduced earlier).
 3L elacestrant (Orserdu) since 08/2026 (ctDNA 07/2026: ESR1 D538G; PIK3CA not detected).
CT C-spine 09/11: lytic C2 body + dens lesion, no subluxation, SINS 13 (potentially unstable/indeterminate). MRI: no cord compression.
Neuro exam: intact. Neck pain 6/10 with rotation, occipital headache. No arm weakness.
Cardiac: HFrEF (ischaemic), NYHA II; echo 08/2026 LVEF 35%. AF on apixaban.
Renal: creat 118 umol/L, CrCl (Cockcroft-Gault) 38 mL/min; eGFR 39.
ECOG 2. 
Meds: furosemide 40 mg, bisoprolol 2.5 mg, sacubitril/valsartan 24/26 mg bd, apixaban 2.5 mg bd, denosumab (Xgeva) q4w - currently paused for dental extraction, paracetamol. Elacestrant 345 mg od.
Impression: high anaesthetic risk (HF). Recommend non-operative: hard collar (Miami J) + SBRT/RT C2. Occipitocervical fusion discussed and NOT recommended at present.
""", {
 "as_of": "2026-11-11", "age": 80, "sex": "female", "ecog": 2,
 "tumor": {"er_percent": 95, "pr_percent": 0, "her2_ihc": "1+", "receptor_source": "metastasis", "histology": "lobular"},
 "somatic": ["ESR1 D538G", "PIK3CA wildtype"],
 "metastases": {"sites": ["bone"]},
 "presentation": "recurrence", "metastatic_diagnosis_date": "2023-03-01",
 "prior_therapies": [
  {"setting": "adjuvant", "drugs": ["tamoxifen", "letrozole"]},
  {"setting": "metastatic", "drugs": ["letrozole", "abemaciclib"], "start": "2023-04-01", "end": "2025-06-01", "stop_reason": "progression"},
  {"setting": "metastatic", "drugs": ["exemestane", "everolimus"], "start": "2025-07-01", "end": "2026-07-01", "stop_reason": "progression"},
  {"setting": "metastatic", "drugs": ["elacestrant"], "start": "2026-08-01", "stop_reason": "ongoing"}],
 "comorbidities": ["heart_failure"],
 "lvef_percent": 35,
 "labs": {"creatinine_clearance_ml_min": 38},
 "medications": ["furosemide", "bisoprolol", "sacubitril", "valsartan", "apixaban", "denosumab", "acetaminophen"],
 "symptoms": ["neck pain", "occipital headache"]
}, [
 T("metastases.sites", "peritoneum", "'possible, not biopsied'"),
 T("labs.creatinine_clearance_ml_min", 39, "eGFR is never a clearance"),
 T("medications", "elacestrant", "cancer therapy, belongs in prior_therapies"),
 T("symptoms", "arm weakness", "negated"),
 T("prior_therapies.stop_reason", "toxicity", "everolimus line stopped for PD (dose reduction earlier)"),
 T("tumor.histology", "ductal", "lobular"),
 T("metastases.sites", "brain", "occipital headache from C2, no brain lesion reported")])

# ---------------- style 6: copy-forward progress note ----------------
N("w26_copyfwd_ribo", """
ONCOLOGY PROGRESS NOTE — 20/11/2026
Pt: Sandra V, 52 F, postmenopausal (LMP 2022)
*** sections marked [copied fwd 02/09/2026] were carried over from the September note; see UPDATE TODAY ***

[copied fwd 02/09/2026] HPI: De novo HR+/HER2- MBC (bone, liver) dx 06/2026. Liver bx: ER 90%, PR 25%, HER2 IHC 1+. Started ribociclib 600 mg + letrozole 2.5 mg 01/07/2026. Tolerating well. ECOG 0.
[copied fwd 02/09/2026] ECG: QTcF 431 ms.
[copied fwd 02/09/2026] Meds: ribociclib, letrozole, citalopram 20 mg, omeprazole 20 mg, vitamin D, denosumab q4w.
[copied fwd 02/09/2026] Labs: ANC 1.3, ALT 30 (ULN 35), bili 10.
[copied fwd 02/09/2026] Plan: continue; ECG C3. Consider fulvestrant if progression.

UPDATE TODAY 20/11/2026 (current):
- 28/10/2026 ECG QTcF 507 ms with palpitations -> ribociclib PERMANENTLY STOPPED (toxicity). Citalopram stopped same day (QT). K 3.2 at that time, replaced.
- Switched to abemaciclib 150 mg bd + letrozole from 05/11/2026 (letrozole never interrupted).
- Mood: started sertraline 50 mg 30/10.
- ECG today QTcF 448 ms. K 4.1.
- Tox: diarrhoea G1 on abemaciclib -> loperamide prn. Palpitations resolved.
- ECOG 1 (tired, still working part-time).
- Labs 19/11: ANC 1.6 x10^9/L, plt 201 x10^9/L, ALT 58 U/L (ULN 35), bili 15 umol/L (ULN 21).
- CT 14/11: bone stable; liver lesions smaller (PR). New 6 mm lung nodule RLL - "nonspecific, likely inflammatory, follow-up CT".
- Current meds: abemaciclib, letrozole, sertraline, omeprazole, vitamin D (colecalciferol), denosumab q4w, loperamide prn.
- Family hx: none (copied from Sept note, confirmed today).
Plan: continue abemaciclib + letrozole; LFT every 2 weeks; repeat CT chest 3 mo. No indication for fulvestrant now.
""", {
 "as_of": "2026-11-20", "age": 52, "sex": "female", "menopausal_status": "postmenopausal", "ecog": 1,
 "tumor": {"er_percent": 90, "pr_percent": 25, "her2_ihc": "1+", "receptor_source": "metastasis"},
 "metastases": {"sites": ["bone", "liver"]},
 "presentation": "de_novo", "metastatic_diagnosis_date": "2026-06-01",
 "prior_therapies": [
  {"setting": "metastatic", "drugs": ["ribociclib", "letrozole"], "start": "2026-07-01", "end": "2026-10-28", "stop_reason": "toxicity"},
  {"setting": "metastatic", "drugs": ["abemaciclib", "letrozole"], "start": "2026-11-05", "stop_reason": "ongoing"}],
 "qtcf_ms": 448,
 "labs": {"anc_per_ul": 1600, "platelets_per_ul": 201000, "alt_x_uln": 1.66, "bilirubin_x_uln": 0.71},
 "medications": ["sertraline", "omeprazole", "colecalciferol", "denosumab", "loperamide"],
 "symptoms": ["diarrhoea", "tired"]
}, [
 T("medications", "citalopram", "copied-forward list; stopped 28/10"),
 T("qtcf_ms", 507, "28/10 value; today 448"),
 T("ecog", 0, "copied-forward September value"),
 T("prior_therapies.drugs", "fulvestrant", "only 'consider' in the copied plan"),
 T("metastases.sites", "lung", "nonspecific nodule, likely inflammatory"),
 T("symptoms", "palpitations", "resolved"),
 T("labs.anc_per_ul", 1300, "copied-forward September value"),
 T("comorbidities", "long_qt", "drug-induced QT prolongation resolved after stopping ribociclib")])

N("w27_copyfwd_her2_male", """
Progress note 24 Nov 2026 — Mr Pavel S, 58 M
(history below pasted from 11 March 2026 note - newest info at bottom)
> 03/2026: HR-neg HER2-pos MBC (ER 0, PR 0, HER2 3+ on lung bx 2024), recurrence 2024 (lung, mediastinal nodes). Primary 2021: ER 15%, HER2 3+.
> 03/2026: on T-DXd 5.4 mg/kg q3w since 06/2025 (2nd line; 1L docetaxel + Phesgo 2024-2025 PD). 
> 03/2026: MRI brain: no intracranial metastases. ECOG 0. LVEF 60%.
> 03/2026: meds: amlodipine, atorvastatin. No steroids.
---- NEW 24/11/2026 (current) ----
MRI brain 28/10/2026 (surveillance): 2 new lesions (R parietal 9 mm, L cerebellar 6 mm), asymptomatic, no oedema.
SRS to both lesions completed 03/11/2026. Extracranial disease stable on CT 20/10 -> continue T-DXd (unchanged, not stopped).
Dexamethasone 4 mg x 5 days around SRS - finished 08/11.
Echo 12/11: LVEF 54%.
ECOG 1 (fatigue). No headache, no seizures.
Meds now: amlodipine 10 mg, atorvastatin, ondansetron prn; atorvastatin dose same.
Tucatinib-based regimen would be considered if further intracranial progression - not now.
""", {
 "as_of": "2026-11-24", "age": 58, "sex": "male", "ecog": 1,
 "tumor": {"er_percent": 0, "pr_percent": 0, "her2_ihc": "3+", "receptor_source": "metastasis"},
 "metastases": {"sites": ["lung", "distant_lymph_nodes", "brain"], "brain": {"symptomatic": False, "locally_treated": True}},
 "presentation": "recurrence",
 "prior_therapies": [
  {"setting": "metastatic", "drugs": ["docetaxel", "pertuzumab", "trastuzumab"], "stop_reason": "progression"},
  {"setting": "metastatic", "drugs": ["trastuzumab_deruxtecan"], "start": "2025-06-01", "stop_reason": "ongoing"}],
 "lvef_percent": 54,
 "medications": ["amlodipine", "atorvastatin", "ondansetron"],
 "symptoms": ["fatigue"]
}, [
 T("lvef_percent", 60, "pasted March value"),
 T("medications", "dexamethasone", "finished 08/11"),
 T("prior_therapies.drugs", "tucatinib", "only considered for the future"),
 T("tumor.er_percent", 15, "2021 primary"),
 T("ecog", 0, "pasted March value"),
 T("prior_therapies.stop_reason", "progression", "T-DXd continues; intracranial progression treated locally"),
 T("symptoms", "headache", "negated"),
 T("menopausal_status", "postmenopausal", "male")])

N("w28_copyfwd_tnbc_brca", """
PROGRESS NOTE (oncology clinic) 2026-10-14
Zara M, 35F, premenopausal.
--- carried forward from note of 2025-07-09 ---
 Dx: de novo TNBC (ER 0%, PR 0%, HER2 0) dx June 2025, liver only.
 PD-L1: pending.  Germline BRCA: sent, pending.
 Plan: start pembrolizumab + paclitaxel if CPS >=10, otherwise paclitaxel alone.
 Sx: pleuritic chest pain (R).
 Meds: ibuprofen 400 tds, omeprazole.
--- end of carried-forward text ---
TODAY (2026-10-14), current:
 PD-L1 22C3 CPS 3 (result 07/2025) -> pembrolizumab NOT given. 1L weekly paclitaxel 07/2025 - 08/2026, stopped for progression (new bone lesions T6, R ilium; liver stable).
 Germline (08/2025): BRCA1 pathogenic variant (c.68_69delAG) CONFIRMED.
 2L olaparib 300 mg bd started 10/09/2026; tolerating; Hb 101 g/L (was 118 in Sept), ANC 2.0 K/uL, plt 190 K/uL.
 Chest pain settled months ago; now mild back pain T6, nausea G1.
 Meds current: paracetamol prn, metoclopramide prn, zoledronic acid 4 mg q12w (first dose 18/09), contraception: copper IUD. Ibuprofen stopped (on olaparib, renal). Omeprazole continuing.
 Urine hCG 10/09: negative (before olaparib). 
 ECOG 0.
 Sister (32) to be tested for BRCA1 - appointment pending.
""", {
 "as_of": "2026-10-14", "age": 35, "sex": "female", "menopausal_status": "premenopausal", "ecog": 0,
 "tumor": {"er_percent": 0, "pr_percent": 0, "her2_ihc": "0", "pdl1_cps": 3},
 "germline": ["BRCA1"],
 "metastases": {"sites": ["liver", "bone"]},
 "presentation": "de_novo", "metastatic_diagnosis_date": "2025-06-01",
 "prior_therapies": [
  {"setting": "metastatic", "drugs": ["paclitaxel"], "start": "2025-07-01", "end": "2026-08-01", "stop_reason": "progression"},
  {"setting": "metastatic", "drugs": ["olaparib"], "start": "2026-09-10", "stop_reason": "ongoing"}],
 "labs": {"anc_per_ul": 2000, "platelets_per_ul": 190000},
 "medications": ["acetaminophen", "metoclopramide", "zoledronic_acid", "omeprazole"],
 "symptoms": ["back pain", "nausea"]
}, [
 T("prior_therapies.drugs", "pembrolizumab", "conditional plan; CPS 3 so not given"),
 T("germline", [], "BRCA1 confirmed; 'pending' is copied-forward"),
 T("medications", "ibuprofen", "stopped"),
 T("symptoms", "pleuritic chest pain", "settled; copied-forward"),
 T("metastases.sites", "pleura", "pleuritic pain is a symptom, not a site"),
 T("pregnant", True, "hCG negative"),
 T("somatic", "BRCA1 somatic", "BRCA1 is germline")])
# pregnant false is recorded only when a negative test is stated: add to expected
NOTES[-1][2]["pregnant"] = False

N("w29_copyfwd_erlow", """
Oncology progress note — 3 Dec 2026
Mrs Ines G, 64F postmenopausal
=== pasted from 17/06/2026 note (NOT updated) ===
Dx: ER-low/HER2-low MBC, liver. Liver bx 2024: ER 3%, PR 0%, HER2 2+ (ISH not amplified). Primary 2019: ER 60%, PR 20%, HER2 1+.
1L (met): paclitaxel weekly 03/2024 - 01/2025 PD.
2L: trastuzumab deruxtecan since 02/2025 - continuing, good PR. ECOG 0.
Labs 06/2026: bili 12 umol/L (ULN 21), ALT 25.
Meds: letrozole?? (pt had stopped adj letrozole 2023); amlodipine.
=== end paste ===
CURRENT (03/12/2026):
- T-DXd permanently discontinued 14/10/2026: grade 2 drug-induced ILD (symptomatic cough/SOB, CT confirmed, resp team agree). Prednisolone 40 mg tapering - now 10 mg od, finishing 17/12.
- CT 25/11: liver progression (new lesions, largest 4.1 cm), no other sites. Lungs: ILD changes improving.
- Bili 44 umol/L (ULN 21), ALT 96 U/L (ULN 40), alb 31 g/L. 
- ECOG 1. Mild dry cough persisting; SOB improved to walking 1 flight.
- For 3rd line: sacituzumab govitecan proposed at MDT 28/11 - consent visit next week; NOT started.
- Meds now: prednisolone 10 mg, omeprazole 20 mg, amlodipine 5 mg, co-trimoxazole PJP prophylaxis (stop with steroid).
""", {
 "as_of": "2026-12-03", "age": 64, "sex": "female", "menopausal_status": "postmenopausal", "ecog": 1,
 "tumor": {"er_percent": 3, "pr_percent": 0, "her2_ihc": "2+", "her2_ish": "not_amplified", "receptor_source": "metastasis"},
 "metastases": {"sites": ["liver"]},
 "presentation": "recurrence",
 "prior_therapies": [
  {"setting": "adjuvant", "drugs": ["letrozole"], "stop_reason": "completed"},
  {"setting": "metastatic", "drugs": ["paclitaxel"], "start": "2024-03-01", "end": "2025-01-01", "stop_reason": "progression"},
  {"setting": "metastatic", "drugs": ["trastuzumab_deruxtecan"], "start": "2025-02-01", "end": "2026-10-14", "stop_reason": "toxicity"}],
 "comorbidities": ["interstitial_lung_disease"],
 "labs": {"bilirubin_x_uln": 2.1, "alt_x_uln": 2.4, "albumin_g_dl": 3.1},
 "medications": ["prednisolone", "omeprazole", "amlodipine", "co-trimoxazole"],
 "symptoms": ["dry cough", "shortness of breath"]
}, [
 T("prior_therapies.stop_reason", "ongoing", "pasted 'continuing'; T-DXd permanently stopped 14/10"),
 T("prior_therapies.drugs", "sacituzumab_govitecan", "proposed, not started"),
 T("medications", "letrozole", "pasted, and stopped 2023"),
 T("tumor.er_percent", 60, "2019 primary"),
 T("labs.bilirubin_x_uln", 0.57, "pasted June value"),
 T("ecog", 0, "pasted June value"),
 T("tumor.er_status", "positive", "ER 3% is ER-low")])
# adjuvant letrozole 'stopped 2023': completion not stated -> drop stop_reason
NOTES[-1][2]["prior_therapies"][0] = {"setting": "adjuvant", "drugs": ["letrozole"]}

N("w30_copyfwd_male", """
F/U note 29.10.2026 -- Mr Walter H, 75M
[prev. text from 04/2026 retained below for reference]
 MBC ER+ (95%) PR+ (30%) HER2 0 (IHC 0, no staining), relapse 02/2025 in nodes (mediastinal) after adj tamoxifen (2019-2024).
 On tamoxifen 20 mg (re-challenge? no - 1L met: anastrozole + leuprolide, from 03/2025).
 No bone mets on bone scan 03/2025.
 CrCl 65 mL/min. Wt 84 kg. ECOG 1.
 Meds: warfarin (AF), simvastatin, metformin.
[new 29/10/2026 - CURRENT]
 PD 09/2026: bone scan + CT: new T-spine/rib/pelvic bone mets; nodes larger.
 -> 2L: fulvestrant + leuprolide + palbociclib 125 mg started 06/10/2026. anastrozole stopped 30/09.
 Warfarin switched to apixaban 04/2026 (INR lability). Metformin stopped 08/2026 (eGFR fall) -> now linagliptin; T2DM.
 CrCl today 42 mL/min. Wt 79 kg.
 ECOG 1-2 -> recorded ECOG 2 today (uses stick, rests afternoons).
 Germline panel (ordered 05/2026): no pathogenic variant; CHEK2 VUS.
 ESR1 ctDNA: pending. PIK3CA: pending.
 Pain: hips, ribs. No neuro sx.
""", {
 "as_of": "2026-10-29", "age": 75, "sex": "male", "ecog": 2, "weight_kg": 79,
 "tumor": {"er_percent": 95, "pr_percent": 30, "her2_ihc": "0"},
 "germline": [],
 "metastases": {"sites": ["distant_lymph_nodes", "bone"]},
 "presentation": "recurrence", "metastatic_diagnosis_date": "2025-02-01",
 "prior_therapies": [
  {"setting": "adjuvant", "drugs": ["tamoxifen"], "stop_reason": "completed"},
  {"setting": "metastatic", "drugs": ["anastrozole", "leuprolide"], "start": "2025-03-01", "end": "2026-09-30", "stop_reason": "progression"},
  {"setting": "metastatic", "drugs": ["fulvestrant", "leuprolide", "palbociclib"], "start": "2026-10-06", "stop_reason": "ongoing"}],
 "labs": {"creatinine_clearance_ml_min": 42},
 "comorbidities": ["diabetes_type2"],
 "medications": ["apixaban", "simvastatin", "linagliptin"],
 "symptoms": ["hip pain", "rib pain"]
}, [
 T("medications", "warfarin", "switched to apixaban"),
 T("medications", "metformin", "stopped 08/2026"),
 T("labs.creatinine_clearance_ml_min", 65, "old value"),
 T("prior_therapies.drugs", "tamoxifen", "metastatic line is anastrozole + leuprolide, tamoxifen was adjuvant"),
 T("germline", "CHEK2", "VUS"),
 T("somatic", "ESR1 wildtype", "pending"),
 T("menopausal_status", "postmenopausal", "male"),
 T("weight_kg", 84, "old weight")])

if __name__ == "__main__":
    for name, text, exp, mn in NOTES:
        open(os.path.join(D, name + ".txt"), "w").write(text)
        json.dump(exp, open(os.path.join(D, name + ".expected.json"), "w"), indent=1)
        json.dump({"must_not": mn}, open(os.path.join(D, name + ".safety.json"), "w"), indent=1)
    print(len(NOTES))
