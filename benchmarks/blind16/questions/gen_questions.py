import json, re, os
HERE = os.path.dirname(os.path.abspath(__file__))
CHEMO = ["paclitaxel","nab_paclitaxel","docetaxel","doxorubicin","pegylated_liposomal_doxorubicin","epirubicin",
         "capecitabine","fluorouracil","carboplatin","cisplatin","eribulin","vinorelbine","ixabepilone","gemcitabine",
         "methotrexate","cyclophosphamide"]
ET = ["letrozole","anastrozole","exemestane","tamoxifen","toremifene","fulvestrant","elacestrant","imlunestrant","megestrol"]
CDK = ["palbociclib","ribociclib","abemaciclib"]
PAM = ["alpelisib","inavolisib","capivasertib","everolimus"]
NSAI = ["letrozole","anastrozole"]
def nsai_cdk(): return [[a,c] for a in NSAI for c in CDK]
def fulv_cdk(): return [["fulvestrant",c] for c in CDK]
PEMBRO_CHEMO = [["pembrolizumab","paclitaxel"],["pembrolizumab","nab_paclitaxel"],["pembrolizumab","gemcitabine","carboplatin"]]
THP = [["trastuzumab","pertuzumab","docetaxel"],["trastuzumab","pertuzumab","paclitaxel"],["trastuzumab_deruxtecan","pertuzumab"]]
Q = []
def q(id_, question, audience, intent, drug=None, verdict=None, exp=None, forb=None, mm=None, source=""):
    Q.append(dict(id=id_, question=question, audience=audience, intent=intent, drug=drug, verdict=verdict,
                  expected_preferred=exp or [], forbidden=forb or [], must_mention=mm or [], source=source))

# ---------------- next_treatment (25) ----------------
q("q1601", "GP here, not an oncologist. 71 y/o lady, finished 5 yrs of anastrozole for a stage II ER+ cancer back in 2022 (so ~4 yrs off it). "
  "Now bone pain, CT/bone scan show multiple bone mets + two small liver lesions, LFTs normal, she feels well, ECOG 1. Biopsy of iliac lesion: ER 95%, PR 40%, HER2 1+. "
  "What will oncology most likely start first-line? Her daughter is pushing for 'strong chemo'.", "clinician", "next_treatment",
  exp=nsai_cdk()+fulv_cdk(), forb=CHEMO+["trastuzumab_deruxtecan","trastuzumab"],
  mm=["CDK4/6"], source="guidelines.md §1.0 (ET first even with visceral disease, timing table: relapse >12 mo after adjuvant AI -> AI-based 1L acceptable), §1.1 [ASCO-ET21; NCCN; ABC5; CA-STMT]; §1.3 (T-DXd HER2-low needs prior ET/chemo)")
q("q1602", "Pasted from the lab/EMR:\n  ER 90% | PR 5% | HER2 IHC 2+ / ISH not amplified (ratio 1.3)\n  ctDNA (Guardant, 10/2026): PIK3CA not detected; AKT1 not detected; PTEN not detected; ESR1 not detected\n"
  "Postmenopausal 63F on adjuvant anastrozole since Mar 2024 (yr 3 of planned 5), now lung nodules + T8/L2 mets, biopsy-proven. No organ dysfunction. Best 1L regimen?",
  "clinician", "next_treatment", exp=fulv_cdk(), forb=["letrozole","anastrozole","exemestane","alpelisib","inavolisib","capivasertib","trastuzumab","pertuzumab"]+CHEMO,
  mm=["fulvestrant"], source="guidelines.md §1.0 timing table (relapse during adjuvant AI -> fulvestrant + CDK4/6i) [ASCO-ET21; ESMO21/ABC5]; §1.1 AI vs fulvestrant partner; HER2 2+/ISH- = HER2-low, not HER2+ (§2 HER2 scoring)")
q("q1603", "56F, ER+/PR+/HER2 0 (no staining). Finished 5y letrozole 14-Feb-2026; 7 months later (Sep 2026) liver + bone mets, no jaundice, bili/ALT normal. "
  "Tissue NGS: PIK3CA H1047R. No diabetes, HbA1c 5.4% (36 mmol/mol), BMI 24. No metastatic therapy yet. Preferred 1L?", "clinician", "next_treatment",
  exp=[["inavolisib","palbociclib","fulvestrant"]], forb=["letrozole","anastrozole","exemestane","trastuzumab_deruxtecan"]+CHEMO,
  mm=["glucose"], source="guidelines.md §1.0 timing table (PIK3CA-mut, relapse within 12 mo of adjuvant ET -> inavolisib + palbociclib + fulvestrant) [INAVO120; LBL:Itovebi]; §4.4 glucose monitoring; §1.3 (HER2 0 no staining: no T-DXd)")
q("q1604", "im 38 and still have periods. they found my breast cancer has already spread to my spine and hips (first time diagnosis). its ER positive, HER2 1+ they said 'HER2-low'. "
  "my friend got Enhertu for HER2 low - should I be asking for that first? what is the normal first treatment for someone my age", "patient", "next_treatment",
  exp=nsai_cdk()+fulv_cdk(), forb=["trastuzumab_deruxtecan","trastuzumab","pertuzumab"]+CHEMO,
  mm=["ovar"], source="guidelines.md §1.1 premenopausal: OFS/OFA then postmenopausal algorithm, MONALEESA-7 [ABC5; ABC4]; §1.3 (T-DXd in HER2-low only after ET (DB06) or chemo (DB04))")
q("q1605", "Pt (Ibrance + letrozole 1L for 22 mo) now progressing in liver. ctDNA: ESR1 D538G detected; PIK3CA wt, AKT1 wt; tissue IHC PTEN loss. gBRCA1/2 neg (2025). HER2 IHC 0 w/ no membrane staining. "
  "Postmenopausal, ECOG 0, no diabetes, LFTs ok. 2L?", "clinician", "next_treatment",
  exp=[["elacestrant"],["imlunestrant"],["capivasertib","fulvestrant"]], forb=["letrozole","anastrozole","alpelisib","inavolisib","olaparib","talazoparib","trastuzumab_deruxtecan"],
  mm=["ESR1"], source="guidelines.md §1.2 step 1/2 table (ESR1m -> elacestrant/imlunestrant; PIK3CA/AKT1/PTEN -> capivasertib + fulvestrant; alpelisib PIK3CA only) [ASCO-ET24; LBL:Orserdu; LBL:Truqap; EMBER-3]")
q("q1606", "txt from daughter: hi mum just told stage 4 triple negative, in her lungs. can it be cured?? what's the usual plan in general, what tests do they need first", "patient", "overview",
  mm=["chemo","PD-L1"], source="guidelines.md §1.6 TNBC (PD-L1 CPS >=10 -> pembrolizumab + chemo; otherwise single-agent chemo; PARPi if gBRCA; SG later; T-DXd if HER2-low) and §2 (biopsy, PD-L1, germline BRCA) [ASCO-CT21; ASCO-BIO22; ASCO-SSO24]")
q("q1607", "MDT q: 69F HR+/HER2-neg (IHC 0, null), PD on anastrozole + ribociclib after 15 mo (bone, nodes). ctDNA: AKT1 E17K; PIK3CA wildtype; ESR1 wildtype. "
  "T2DM on metformin 1 g BD, HbA1c 6.4% (46 mmol/mol); no insulin. What's preferred 2L and any caveat re her diabetes?", "clinician", "next_treatment",
  exp=[["capivasertib","fulvestrant"]], forb=["alpelisib","inavolisib","elacestrant","imlunestrant","anastrozole","letrozole","trastuzumab_deruxtecan"],
  mm=["glucose"], source="guidelines.md §1.2 table (capivasertib for PIK3CA/AKT1/PTEN; alpelisib PIK3CA only); §4.4 (capivasertib not studied in insulin-requiring diabetes; hyperglycemia 2.3% G>=3 vs 36.6% alpelisib) [ASCO-ET24; LBL:Truqap]")
q("q1608", "3L HR+ mBC: 1L letrozole/abemaciclib 26 mo -> 2L elacestrant (ESR1 Y537S) 7 mo -> now PD. Repeat ctDNA: no PIK3CA/AKT1/PTEN; gBRCA neg. Never had chemo for MBC. "
  "Re-biopsy of liver met: ER 70%, HER2 IHC 0 but 'faint incomplete membrane staining in ~5% of cells'. Options?", "clinician", "next_treatment",
  exp=[["trastuzumab_deruxtecan"]], forb=["sacituzumab_govitecan","alpelisib","capivasertib","inavolisib","olaparib","talazoparib","trastuzumab","pertuzumab"],
  mm=["ultralow"], source="guidelines.md §1.3 DESTINY-Breast06 (HR+, HER2-low or ultralow, >=1 ET, chemo-naive for MBC; FDA 27 Jan 2025); §1.2 table (SG after >=2 chemo lines) [LBL:Trodelvy; ASCO-CAP23 ultralow]")
q("q1609", "Heavily pretreated ER+ pt, 4th line: (1) letrozole+ribociclib, (2) everolimus+exemestane, (3) capecitabine, (4) weekly paclitaxel -> PD in liver, ECOG 1, bili normal. "
  "HER2 IHC 0 on two biopsies, no membrane staining at all. No actionable mutations, gBRCA neg. What now?", "clinician", "next_treatment",
  exp=[["sacituzumab_govitecan"],["datopotamab_deruxtecan"]], forb=["trastuzumab_deruxtecan","alpelisib","capivasertib","olaparib","talazoparib","trastuzumab"],
  mm=["TROP"], source="guidelines.md §1.2 table (SG after ET + >=2 chemo lines, TROPiCS-02; Dato-DXd after ET and chemo, TROPION-Breast01) [ASCO-CT23; LBL:Trodelvy; LBL:Datroway]; §1.3 (T-DXd not for HER2 0 without staining)")
q("q1610", "New pt, 47F, de novo triple negative (ER 0, PR 0, HER2 IHC 0), lung + nodal mets, ECOG 0. PD-L1 22C3 CPS = 25. Germline panel pending. No prior treatment of any kind. 1L?",
  "clinician", "next_treatment", exp=PEMBRO_CHEMO, forb=["atezolizumab","sacituzumab_govitecan","trastuzumab_deruxtecan","datopotamab_deruxtecan"],
  mm=["CPS"], source="guidelines.md §1.6 1L (pembrolizumab + nab-paclitaxel/paclitaxel/gem-carbo when CPS >=10, KEYNOTE-355; atezolizumab US indication withdrawn 2021; ASCENT-04 not standard) [ASCO-CT21; LBL:Keytruda]")
q("q1611", "my cancer is triple negative and it came back in my liver and lungs, 2 years after I finished chemo (AC then taxol). the PD-L1 test was 3 (CPS). BRCA test was negative. "
  "will I get immunotherapy (Keytruda) this time with my chemo?", "patient", "next_treatment",
  exp=[[c] for c in ["capecitabine","paclitaxel","nab_paclitaxel","docetaxel","eribulin","vinorelbine","gemcitabine","carboplatin","pegylated_liposomal_doxorubicin"]],
  forb=["pembrolizumab","atezolizumab","olaparib","talazoparib","sacituzumab_govitecan","trastuzumab_deruxtecan"],
  mm=["single"], source="guidelines.md §1.6 (CPS 1-9 not an indication for pembrolizumab; PD-L1 negative -> single-agent chemo; SG after >=2 prior therapies, early therapy counts only if relapse <=12 mo; PARPi only gBRCA) [ASCO-CT21; KEYNOTE-355; ASCENT]")
q("q1612", "* 52F TNBC (HER2 0)\n* neoadj AC-T 2024, completed Jan 2025, residual disease; relapse Nov 2025 = 10 mo later (pleura, nodes)\n* 1L carbo/gem from Dec 2025 (CPS 4) -> PD Oct 2026\n* gBRCA neg, ECOG 1\n"
  "* Q: next line?", "clinician", "next_treatment", exp=[["sacituzumab_govitecan"]],
  forb=["pembrolizumab","atezolizumab","trastuzumab_deruxtecan","olaparib","talazoparib"], mm=["sacituzumab"],
  source="guidelines.md §1.6 2L (SG after >=2 prior therapies, >=1 metastatic; early therapy counts as a line if relapse <=12 mo, ASCENT) [ASCO-CT21; LBL:Trodelvy]; CPS <10 no ICI; HER2 0 no T-DXd")
q("q1613", "2L for TNBC, HER2 IHC 1+ (HER2-low), de novo 2025. 1L pembro + paclitaxel (CPS 12) -> PD after 9 mo. No neo/adjuvant history. gBRCA neg. ECOG 1, no ILD hx, sats fine. Pref?",
  "clinician", "next_treatment", exp=[["trastuzumab_deruxtecan"]], forb=["sacituzumab_govitecan","pembrolizumab","trastuzumab","pertuzumab","olaparib","talazoparib"],
  mm=["interstitial"], source="guidelines.md §1.3 DB04 (HER2-low incl. HR- after >=1 chemo for MBC should be offered T-DXd) [ASCO-CT22]; §1.6 (SG needs >=2 prior therapies; pembrolizumab monotherapy later lines no OS benefit, KEYNOTE-119); §4.2 ILD")
q("q1614", "44F de novo HER2+ (IHC 3+), ER 0 PR 0. Liver (3 lesions, LFTs normal) + bone. LVEF 62%. ECOG 0. Two-part q: (a) preferred first-line regimen? (b) what cardiac monitoring?",
  "clinician", "next_treatment", exp=THP, forb=["tucatinib","lapatinib","neratinib","trastuzumab_emtansine","doxorubicin","epirubicin","margetuximab"],
  mm=["cardi"], source="guidelines.md §1.4 1L (THP, CLEOPATRA; T-DXd + pertuzumab DB09, FDA Dec 2025) [ASCO-HER2-22 rec 1.1]; §2 cardiac (LVEF baseline and every 3 mo) [LBL:Herceptin]; §4.1 no trastuzumab + anthracycline")
q("q1615", "Relapse after KATHERINE-style therapy: HER2+ (3+) HR-neg, neoadj TCHP, residual dz -> adjuvant T-DM1 x14, last dose 20-Mar-2026. Sep 2026 (6 mo later): lung + liver mets, "
  "plus one 8 mm brain met treated with SRS on 20-Sep, stable on repeat MRI late Oct, no neuro sx, off steroids. LVEF 58%. What systemic therapy now?", "clinician", "next_treatment",
  exp=[["trastuzumab_deruxtecan"]], forb=["trastuzumab_emtansine","lapatinib","doxorubicin","epirubicin"],
  mm=["deruxtecan"], source="guidelines.md §1.0 timing table (recurrence <=12 mo after adjuvant HER2 therapy -> 2L rules, T-DXd) [ASCO-HER2-22 recs 5.0/5.1; LBL:Enhertu]; §1.5 stable treated brain mets (T-DXd 2L; DB12)")
q("q1616", "HER2+ MBC PT, 3RD LINE. HAD THP THEN T-DXD (PD AFTER 14 MO). NOW NEW BRAIN MRI (DONE FOR DIZZINESS WORKUP, NOW RESOLVED): 3 LESIONS, LARGEST 9 MM, NO EDEMA, ASYMPTOMATIC. "
  "ALSO NEW LIVER LESIONS. WHAT SYSTEMIC TX? DO WE NEED WBRT FIRST?", "clinician", "next_treatment",
  exp=[["tucatinib","trastuzumab","capecitabine"]], forb=["trastuzumab_deruxtecan","doxorubicin","epirubicin"],
  mm=["tucatinib"], source="guidelines.md §1.4 3L table (tucatinib + trastuzumab + capecitabine preferred with brain mets, HER2CLIMB); §1.5 (<2 cm asymptomatic on CNS-active HER2 therapy: may discuss SRS or deferring local therapy) [ASCO-BM22]")
q("q1617", "On-call med reg: 58F known HR+/HER2-0 MBC on letrozole + ribociclib 1L x 11 months. Admitted with jaundice, itch, confusion-free, RUQ pain. "
  "Bilirubin 54 umol/L (ULN 21; = 3.2 mg/dL) up from 12 two weeks ago, ALT 6x ULN, albumin 29 g/L, INR 1.3. CT: liver now replaced by innumerable mets, no biliary obstruction. ECOG 2. "
  "Oncology want a plan tonight - continue ribociclib? switch to fulvestrant?", "clinician", "next_treatment",
  exp=[[c] for c in CHEMO], forb=ET+CDK+PAM+["trastuzumab_deruxtecan"],
  mm=["chemo"], source="guidelines.md §1.0/§1.8 visceral crisis = severe organ dysfunction by signs, labs and rapid progression -> chemotherapy (combination acceptable), not ET +/- CDK4/6i [ABC4; ABC5; CA-STMT]; specific regimen UNVERIFIED")
q("q1618", "I'm a 66 yr old man. Breast cancer in my left breast, and the scan shows it's in my ribs and spine already. ER positive, HER2 negative. "
  "They said hormone tablets plus another tablet. Do men get the same treatment as women? Is chemo better for a man?", "patient", "next_treatment",
  exp=nsai_cdk()+fulv_cdk(), forb=CHEMO+["trastuzumab","trastuzumab_deruxtecan"],
  mm=["germline"], source="guidelines.md §1.9 (male: ET first unless visceral crisis; AI with GnRH agonist; CDK4/6i added as in women; germline testing for all men) [ASCO-MALE20 rec 4.1; ASCO-SSO24]")
q("q1619", "grandma is 86, lives alone, ECOG 3 (in chair most of day), CKD eGFR 28, heart failure. New breast lump + bone mets only, ER 100% HER2 0. "
  "oncologist wants 'gentle' treatment. what is realistic for someone like her?", "patient", "next_treatment",
  exp=[["letrozole"],["anastrozole"],["exemestane"],["fulvestrant"],["tamoxifen"]], forb=CHEMO,
  mm=["endocrine"], source="guidelines.md §1.1 (ET alone when comorbidities or PS preclude CDK4/6i) [ESMO21/ABC5; BMJBP]; §1.0 (no chemo with ECOG 3-4) [CA-STMT]")
q("q1620", "I am 22 weeks pregnant and they just told me my breast cancer (ER positive, HER2 negative) has spread to my liver and bones. I feel ok, liver tests normal. "
  "Can I take the hormone tablets and the Kisqali like other women? What can I actually have while pregnant?", "patient", "next_treatment",
  exp=[["doxorubicin"],["epirubicin"]], forb=ET+CDK+["goserelin","leuprolide","trastuzumab","pertuzumab","trastuzumab_deruxtecan","olaparib","talazoparib","sacituzumab_govitecan","denosumab"],
  mm=["pregnan"], source="guidelines.md §4.6 (in pregnancy anti-HER2, ET and RT contraindicated; anthracycline-based chemo only in 2nd-3rd trimester; CDK4/6i, PARPi, ADC embryo-fetal toxicity; denosumab contraception) [Shachar 2017; labels]")
q("q1621", "62F HR+/HER2 0, gBRCA2 pathogenic variant. Hx: neoadj chemo 2024, then adjuvant olaparib (OlympiA) + anastrozole from Jan 2026. Relapse Sep 2026 (month 9 of 12) while STILL on both (bone + 2 liver mets, LFTs nl). "
  "Tissue PIK3CA wild-type. Should we go back to a PARP inhibitor? What's 1L?", "clinician", "next_treatment",
  exp=fulv_cdk(), forb=["olaparib","talazoparib","letrozole","anastrozole","alpelisib","inavolisib"]+CHEMO,
  mm=["fulvestrant"], source="guidelines.md §1.0 timing table (relapse during adjuvant AI -> fulvestrant + CDK4/6i) [ASCO-ET21]; relapse during adjuvant olaparib = PARPi-refractory (judgement call, see README); §1.0 ET first without crisis")
q("q1622", "HR+ MBC, 2L. PD after letrozole+palbociclib x20 mo. ctDNA: PIK3CA E545K; ESR1 wt; AKT1/PTEN wt. gBRCA neg. HER2 0 (null). "
  "BUT: T2DM on insulin glargine 30u + metformin, HbA1c 8.1% (65 mmol/mol), BMI 34. Is a PI3K/AKT drug still the way, or what else?", "clinician", "next_treatment",
  exp=[["everolimus","exemestane"],["everolimus","fulvestrant"],["fulvestrant","abemaciclib"],["fulvestrant"]],
  forb=["alpelisib","inavolisib","capivasertib","elacestrant","imlunestrant","letrozole","anastrozole","trastuzumab_deruxtecan","olaparib","talazoparib"],
  mm=["diabet"], source="guidelines.md §4.4 (alpelisib/inavolisib/capivasertib: not studied in insulin-requiring or uncontrolled diabetes; hyperglycemia) [LBL:Piqray; LBL:Truqap; LBL:Itovebi]; §1.2 table (everolimus irrespective of genomics; postMONARCH); ESR1 wt -> no oral SERD")
q("q1623", "ER 80% / HER2 3+ mBC, 4th line. Prior: THP -> HP + letrozole maintenance; T-DXd (PD 16 mo); tucatinib/trastuzumab/cape (PD 7 mo). No brain mets on MRI. LVEF 55%. "
  "What's left that's evidence-based?", "clinician", "next_treatment",
  exp=[["trastuzumab_emtansine"],["neratinib","capecitabine"],["margetuximab"],["lapatinib","capecitabine"],["lapatinib","trastuzumab"],["abemaciclib","trastuzumab","fulvestrant"],["trastuzumab","fulvestrant"]],
  forb=["tucatinib","doxorubicin","epirubicin"], mm=["HER2"],
  source="guidelines.md §1.4 3L+ (continue HER2 therapy: T-DM1, neratinib + cape, margetuximab + chemo, lapatinib combos; ER+: ET + HER2, monarcHER) [ASCO-HER2-22 recs 3.0, 3.2.0, 3.2.1]; §4.1 no trastuzumab + anthracycline")
q("q1624", "HR+/HER2- pt, 2L. PD on anastrozole+abemaciclib after 19 mo. Germline: BRCA2 pathogenic (c.5946delT). ctDNA ESR1 not detected, PIK3CA not detected. HER2 IHC 0 null. "
  "Chemo-naive. Lobular. Preferred targeted option?", "clinician", "next_treatment",
  exp=[["olaparib"],["talazoparib"]], forb=["alpelisib","capivasertib","inavolisib","elacestrant","imlunestrant","trastuzumab_deruxtecan","anastrozole","letrozole"],
  mm=["PARP"], source="guidelines.md §1.2 table (gBRCA1/2 -> olaparib or talazoparib, 1st-3rd line) [ASCO-ET21; OlympiAD; EMBRACA; LBL:Lynparza]")
q("q1625", "Tumour NGS (FoundationOne, liver bx): BRCA2 loss-of-function (somatic), TP53 mut; PIK3CA/AKT1/PTEN/ESR1 negative. Germline panel NEGATIVE. "
  "HR+/HER2 0 (null), PD on letrozole + ribociclib 1L after 2 yrs, postmenopausal, chemo-naive. Can we use olaparib? if not, what 2L?", "clinician", "next_treatment",
  exp=[["everolimus","exemestane"],["everolimus","fulvestrant"],["fulvestrant","abemaciclib"],["fulvestrant"]],
  forb=["olaparib","talazoparib","alpelisib","capivasertib","inavolisib","elacestrant","imlunestrant","letrozole","anastrozole","trastuzumab_deruxtecan"],
  mm=["somatic"], source="guidelines.md §1.6 (PALB2 germline and somatic BRCA: evidence insufficient for a recommendation) [ASCO-BIO22 3.2]; §1.2 table (everolimus; fulvestrant +/- abemaciclib postMONARCH)")
# TNBC active brain
q("q1626", "TNBC de novo, 39F. CPS 18 (22C3). Lung mets + 2 brain mets: R frontal 2.6 cm with vasogenic oedema and L arm weakness; 6 mm cerebellar, asymptomatic. "
  "Systemic naive, gBRCA pending. Sequence of local vs systemic, and which systemic regimen?", "clinician", "next_treatment",
  exp=PEMBRO_CHEMO, forb=["atezolizumab","sacituzumab_govitecan","trastuzumab_deruxtecan","olaparib","talazoparib"],
  mm=["local"], source="guidelines.md §1.5 general brain mets (symptomatic -> local therapy whatever the systemic therapy; surgery for large lesions with mass effect) [ASCO-SNO-ASTRO22; ASCO-BM22]; §1.6 CPS >=10 -> pembrolizumab + chemo")
# ---------------- is_appropriate (10) ----------------
q("q1627", "TNBC, CPS 30. KEYNOTE-522 regimen, then adjuvant pembrolizumab finished May 2026. Now (Oct 2026) biopsy-proven lung + nodal relapse. "
  "Fellow wants to restart pembrolizumab with paclitaxel since CPS is high. Appropriate?", "clinician", "is_appropriate", drug="pembrolizumab", verdict="no",
  forb=["pembrolizumab","atezolizumab"], mm=["months"],
  source="guidelines.md §1.0 timing table (ICI in TNBC only if de novo or relapse >=12 mo after (neo)adjuvant therapy; KEYNOTE-355 required >=6 mo) - UNVERIFIED from primary source; relapse 5 mo after adjuvant pembrolizumab fails both")
q("q1628", "Can I use letrozole + ribociclib for a pt who relapsed 6 months after completing adjuvant letrozole + abemaciclib (monarchE, 2 yrs abema, letrozole to 5 yrs)? HR+ HER2-neg, bone/liver, no crisis.",
  "clinician", "is_appropriate", drug="letrozole", verdict="no", forb=["letrozole","anastrozole"], mm=["fulvestrant"],
  source="guidelines.md §1.0 timing table and §1.1 AI vs fulvestrant partner (relapse within 12 mo of adjuvant AI -> fulvestrant-based, not AI) [ASCO-ET21; ESMO21/ABC5]")
q("q1629", "My aunt (mum's sister) has the BRCA1 gene. I have breast cancer that spread to bones, ER+ HER2-neg, and my own gene blood test isn't back yet. "
  "Can I get Lynparza now because of my aunt?", "patient", "is_appropriate", drug="olaparib", verdict="depends", forb=["olaparib","talazoparib"], mm=["germline"],
  source="guidelines.md §1.6 (olaparib label: germline BRCA-mutated HER2- MBC, BRACAnalysis CDx); §2 germline testing [ASCO-SSO24 2.1]; a relative's variant does not establish the patient's own status")
q("q1630", "Pharmacy check before starting Kisqali 600 mg + letrozole: baseline ECG QTcF 458 ms. On escitalopram 20 mg and PRN ondansetron. K+ 3.2 mmol/L, Mg 0.6 mmol/L. OK to dispense and start?",
  "clinician", "is_appropriate", drug="ribociclib", verdict="no", forb=["ribociclib"], mm=["QT"],
  source="guidelines.md §4.3 ribociclib (start only if QTcF <450 ms; avoid QT-prolonging drugs, electrolyte imbalance; correct K/Mg) [LBL:Kisqali]; §6.11 safety flags")
q("q1631", "Pt on Enhertu for HER2-low MBC had grade 2 pneumonitis (cough, exertional dyspnoea, GGO on CT) in Aug, treated with prednisolone, now fully resolved and CT clear. "
  "Tumour was responding beautifully. Can we rechallenge T-DXd at a reduced dose?", "clinician", "is_appropriate", drug="trastuzumab_deruxtecan", verdict="no",
  forb=["trastuzumab_deruxtecan","datopotamab_deruxtecan"], mm=["permanent"],
  source="guidelines.md §4.2 (T-DXd grade >=2 ILD: permanently discontinue) [LBL:Enhertu]; Dato-DXd same rule [LBL:Datroway]")
q("q1632", "HER2+ (3+) ER-neg MBC, new liver mets with rising bili (2.5x ULN) - registrar proposes AC (doxorubicin/cyclophosphamide) given CONCURRENTLY with Herceptin + Perjeta for fastest response. OK?",
  "clinician", "is_appropriate", drug="doxorubicin", verdict="no", forb=["doxorubicin","epirubicin","pegylated_liposomal_doxorubicin"], mm=["cardi"],
  source="guidelines.md §4.1 (no concurrent trastuzumab + anthracycline; boxed cardiomyopathy) [LBL:Herceptin]; §1.8 HER2+ visceral crisis -> THP / trastuzumab + chemo")
q("q1633", "DPYD genotype back: homozygous c.1905+1G>A (*2A/*2A), i.e. complete DPD deficiency. Plan was capecitabine 1000 mg/m2 BID for HR+ endocrine-refractory MBC. Proceed with a 50% dose?",
  "clinician", "is_appropriate", drug="capecitabine", verdict="no", forb=["capecitabine","fluorouracil"], mm=["DPD"],
  source="guidelines.md §4.5 (complete DPD deficiency: avoid, no safe dose; partial: reduced dose) [FDA labeling update 2025]")
q("q1634", "67M, ER+ HER2 1+ MBC. PD on anastrozole + leuprolide + abemaciclib after 18 mo. ctDNA ESR1 Y537S. Is elacestrant (Orserdu) appropriate in a male patient?",
  "clinician", "is_appropriate", drug="elacestrant", verdict="yes", forb=["anastrozole","letrozole"], mm=["ESR1"],
  source="guidelines.md §1.2 table (elacestrant label: postmenopausal women and men, ER+/HER2- ESR1m after >=1 ET) [LBL:Orserdu]; §1.9 (alpelisib and elacestrant labelled for men)")
q("q1635", "they said my HER2 is 'ultralow'. I had letrozole + Kisqali (stopped working after 5 months) and then fulvestrant, never had chemo. can I get Enhertu or do I have to do chemo first?",
  "patient", "is_appropriate", drug="trastuzumab_deruxtecan", verdict="yes", mm=["lung"],
  source="guidelines.md §1.3 DESTINY-Breast06 (HR+ HER2-low/ultralow, >=1 ET line, chemo-naive; progression within 6 mo of 1L ET + CDK4/6i or >=2 ET lines; FDA 27 Jan 2025); §4.2 ILD warning")
q("q1636", "my doctor wants me on Piqray + fulvestrant (PIK3CA mutation). I have type 2 diabetes controlled by diet only, my HbA1c is 45 mmol/mol (6.3%), BMI 31. is Piqray safe for me?",
  "patient", "is_appropriate", drug="alpelisib", verdict="certain_circumstances", mm=["diabet"],
  source="guidelines.md §4.4 alpelisib (check FPG/HbA1c and optimise before starting; diabetes, prediabetes or BMI >=30 -> consult a diabetologist; hyperglycemia 65%) [LBL:Piqray]; capivasertib lower hyperglycemia [ASCO-ET24]")
# ---------------- dose (5) ----------------
q("q1637", "Community pharmacist: customer on Kisqali 600 mg daily brings a script for clarithromycin 500 mg BD x 14 days (H. pylori). What do I tell the prescriber - dose change or avoid?",
  "clinician", "dose", drug="ribociclib", mm=["400"],
  source="guidelines.md §4.3 ribociclib (strong CYP3A inhibitors: avoid; if unavoidable reduce to 400 mg daily; avoid QT-prolonging drugs) [LBL:Kisqali]; clarithromycin is a strong CYP3A inhibitor and QT-prolonging (drugs.yaml)")
q("q1638", "Starting Truqap + fulvestrant (PTEN loss). Pt on itraconazole for chronic pulmonary aspergillosis, ID say it cannot be stopped. Capivasertib dose?",
  "clinician", "dose", drug="capivasertib", mm=["320"],
  source="guidelines.md §4.4 capivasertib (strong CYP3A inhibitor if unavoidable or moderate inhibitor: 320 mg BID) [LBL:Truqap]")
q("q1639", "zoledronic acid for bone mets: 74F, 58 kg, creat 1.5 mg/dL (133 umol/L), Cockcroft-Gault CrCl ~35 mL/min. What dose, and what before each infusion?",
  "clinician", "dose", drug="zoledronic_acid", mm=["3.0"],
  source="guidelines.md §3.1 zoledronic acid renal table (CrCl 30-39 -> 3.0 mg; creatinine before each dose) [LBL:Zometa; ASCO-BMA]")
q("q1640", "Abemaciclib 150 mg BID with fulvestrant; pt has cirrhosis now Child-Pugh C. Dose adjustment per label?",
  "clinician", "dose", drug="abemaciclib", mm=["once"],
  source="guidelines.md §4.3 abemaciclib (severe hepatic impairment: once daily) [LBL:Verzenio]")
q("q1641", "Onc nurse: pt on maintenance Herceptin 6 mg/kg q3w (HP after THP) missed a cycle due to holiday - now 2 1/2 weeks late (i.e. >1 week past due). Do we just give 6 mg/kg?",
  "clinician", "dose", drug="trastuzumab", mm=["8 mg/kg"],
  source="guidelines.md §5 trastuzumab (missed dose >1 week -> reload 8 mg/kg q3w regimen, then 6 mg/kg) [LBL:Herceptin; EU SmPC]")
# ---------------- tests (4) ----------------
q("q1642", "Progression on 1L AI + CDK4/6i in HR+/HER2- MBC. Which biomarkers should be tested now, on what sample, before picking 2L?",
  "clinician", "tests", mm=["ESR1","PIK3CA","ctDNA"],
  source="guidelines.md §1.2 step 1, §2 tumour genomic testing (ESR1 ctDNA preferred; PIK3CA/AKT1/PTEN tissue or ctDNA; gBRCA; HER2 0 vs low/ultralow) [ASCO-ET23; ASCO-ET24; ASCO-BIO22]")
q("q1643", "Guardant ctDNA after PD: 'no somatic alterations detected', ctDNA fraction low (<1%). Can I call her PIK3CA wild-type and move on, or should I send the archival liver biopsy for NGS?",
  "clinician", "tests", verdict="yes", mm=["tissue"],
  source="guidelines.md §2 (PIK3CA by NGS of tissue or ctDNA; if ctDNA negative, test tissue) [ASCO-BIO22 1.1; ASCO-ET21]")
q("q1644", "Oncology clinic: 72 y/o man, de novo ER+ HER2- MBC, no family history of anything, not Ashkenazi. Does he need germline BRCA testing at his age?",
  "clinician", "tests", verdict="yes", mm=["germline"],
  source="guidelines.md §1.9 and §2 (germline testing offered to all men with breast cancer; age >65 -> male, PARPi candidate) [ASCO-MALE20; ASCO-SSO24 1.2, 2.1]")
q("q1645", "ED doctor: 61F with known bone-mets breast ca (on letrozole/palbo), 3 days of thoracic back pain, now new bilateral leg weakness and numb feet. XR thoracic spine 'no fracture'. "
  "What imaging and what do I give right now?", "clinician", "tests", drug="dexamethasone", mm=["MRI","dexamethasone"],
  source="guidelines.md §3.3 MSCC (dexamethasone 16 mg ASAP; whole-spine MRI within 24 h; plain X-rays must not be used to rule out; urgent surgery/RT decision) [NICE-NG234]")
# ---------------- side_effects (5) ----------------
q("q1646", "ICU reg: 55F on trastuzumab deruxtecan (cycle 9) admitted with fever, cough, SpO2 89% RA, bilateral ground-glass on CT, infection screen negative so far. "
  "What does this likely represent and what's the management re her cancer drug?", "clinician", "side_effects", drug="trastuzumab_deruxtecan", mm=["interstitial","steroid","permanent"],
  source="guidelines.md §4.2 (T-DXd ILD boxed warning; grade >=2 symptomatic: permanently stop, steroids promptly) [LBL:Enhertu]")
q("q1647", "on verzenio 2 weeks. runny poo 4 or 5 times a day since yesterday. is that normal what do i do", "patient", "side_effects", drug="abemaciclib", mm=["loperamide"],
  source="guidelines.md §4.3 abemaciclib diarrhea (loperamide at first loose stool, fluids, tell the team; G2 not resolving in 24 h -> suspend) [LBL:Verzenio]")
q("q1648", "hi its her son. mum had her trodelvy day 8 on tues, now shivering temp 38.6 and feels awful. do we wait till her appt monday??", "patient", "side_effects",
  drug="sacituzumab_govitecan", mm=["neutrop"],
  source="guidelines.md §4.5 SG (boxed warning neutropenia and diarrhea; withhold for febrile neutropenia; G-CSF) [LBL:Trodelvy]")
q("q1649", "Started Piqray 10 days ago. My finger-prick sugar this morning before breakfast was 14.8 mmol/L (my nurse said that's about 267 in US units). I'm thirsty all the time. Is this the tablet?",
  "patient", "side_effects", drug="alpelisib", mm=["glyc"],
  source="guidelines.md §4.4 alpelisib (hyperglycemia 65%, median onset 15 days; ketoacidosis reported; fasting glucose monitoring weeks 1,2,4...) [LBL:Piqray]")
q("q1650", "on Datroway since Aug. mouth is full of sore ulcers and my eyes are gritty and watery. i wear contacts. what should i be doing", "patient", "side_effects",
  drug="datopotamab_deruxtecan", mm=["mouthwash","eye"],
  source="guidelines.md §4.5 Dato-DXd (stomatitis 59%; keratitis/ocular surface toxicity, no contact lenses) and §3.4 (steroid mouthwash, ice chips, lubricant eye drops, ophthalmic exams) [LBL:Datroway]")
# ---------------- definition (3) ----------------
q("q1651", "Med student Q: what exactly is 'visceral crisis' in MBC? Is a patient with liver mets automatically in visceral crisis?", "clinician", "definition",
  verdict=None, mm=["organ"],
  source="guidelines.md §1.0 visceral crisis (severe organ dysfunction by signs, symptoms, labs and rapid progression; not mere presence of visceral mets) [ABC4]")
q("q1652", "what is the difference between HER2 0, HER2 ultralow, HER2 low and HER2 positive? my report says 'IHC 0 with faint incomplete membrane staining in <10% of cells'",
  "patient", "definition", mm=["ultralow","membrane"],
  source="guidelines.md §1.3 and §2 HER2 scoring (0 / ultralow / 1+ / 2+ ISH / 3+) [ASCO-CAP23]")
q("q1653", "GP: path report says ER 5% (weak), PR 0%, HER2 1+. Pathologist called it 'ER-low positive'. What does that category mean?",
  "clinician", "definition", mm=["10"],
  source="CONTRACT.md §1 tumor.er_percent (ASCO-CAP: <1 negative, 1-10 ER-low, >10 positive); guidelines.md §2 receptor testing")
# ---------------- response (4) ----------------
q("q1654", "how will they know if the tablets are working? will I have scans all the time? i'm on letrozole and kisqali", "patient", "response", mm=["month"],
  source="guidelines.md §2 response evaluation (every 2-4 months on ET, do not shorten; earlier if progression suspected) [ESMO21; ABC/ESMO 2018]")
q("q1655", "Research-minded fellow asks: should we do monthly ctDNA on everyone on 1L CDK4/6i to detect progression early and switch therapy?", "clinician", "response", verdict="no",
  mm=["ctDNA"], source="guidelines.md §2 response evaluation (serial ctDNA/CTC not recommended for monitoring) [ASCO-BIO22 recs 10.1/11.1]; §1.2 SERENA-6 switch not approved")
q("q1656", "I want a PET scan every 6 weeks so we catch anything early. My oncologist says every 3 months. Who is right?", "patient", "response", verdict="no", mm=["month"],
  source="guidelines.md §2 (response every 2-4 months, do not shorten intervals; NICE: do not use bone scan or PET-CT to monitor response) [ESMO21; NICE-CG81]")
q("q1657", "scan result says 'stable disease, no new lesions'. been on enhertu 6 months. is that good?? do i keep going or stop", "patient", "response",
  drug="trastuzumab_deruxtecan", verdict="yes", mm=["continu"],
  source="guidelines.md §2 response evaluation; §1.3/§1.4 (T-DXd continued until progression or unacceptable toxicity; stable disease is not progression) [LBL:Enhertu]")
# ---------------- trials (2) ----------------
q("q1658", "Clinical-trial coordinator: for an eligibility briefing, which trial supports T-DXd in HR+ HER2-ultralow MBC, who was eligible, and what was the PFS?",
  "clinician", "trials", drug="trastuzumab_deruxtecan", mm=["DESTINY","13.2"],
  source="guidelines.md §1.3 DESTINY-Breast06 (HR+, HER2-low/ultralow, >=1 ET, chemo-naive; mPFS 13.2 vs 8.1 mo ITT; ultralow HR 0.78) [Bardia NEJM 2024]")
q("q1659", "My blood test (ctDNA) showed an ESR1 mutation but my scans are still fine on letrozole + Ibrance. I read about switching to camizestrant before it grows. Is that a standard option or only in a trial?",
  "patient", "trials", drug="camizestrant", mm=["SERENA"],
  source="guidelines.md §1.2 table (SERENA-6 switch to camizestrant: PFS 16.0 vs 9.2; not approved as of stored sources; not standard)")
# ---------------- overview (2) ----------------
q("q1660", "Tumour-board chair, one line please: standard treatment sequence for HR+/HER2- MBC without visceral crisis, from 1L to chemo.", "clinician", "overview", mm=["CDK4/6"],
  source="guidelines.md §1.1, §1.2, §6 rules 1-5 [ASCO-ET21; ASCO-ET24; ASCO-CT21/22/23]")

import yaml
ids=set(d["id"] for d in yaml.safe_load(open("/work/main/knowledge/vocab/drugs.yaml"))["drugs"])
assert len(Q)==60 and [x["id"] for x in Q]==["q%d"%i for i in range(1601,1661)]
for x in Q:
    ds=[x["drug"]] if x["drug"] else []
    ds+= [d for st in x["expected_preferred"] for d in st]+x["forbidden"]
    bad=[d for d in ds if d not in ids]; assert not bad,(x["id"],bad)
    for st in x["expected_preferred"]:
        assert not set(st)&set(x["forbidden"]),(x["id"],st)
    if x["intent"]=="is_appropriate": assert x["verdict"] and not x["expected_preferred"]
    if x["intent"]=="is_appropriate" and x["verdict"]=="no": assert x["drug"] in x["forbidden"], x["id"]
with open(os.path.join(HERE,"questions.jsonl"),"w") as f:
    for x in Q: f.write(json.dumps(x, ensure_ascii=False)+"\n")
from collections import Counter
print(len(Q), Counter(x["intent"] for x in Q), Counter(x["audience"] for x in Q), Counter((x["intent"],x["verdict"]) for x in Q if x["verdict"]))
