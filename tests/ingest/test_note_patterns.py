"""Unit table: one row per note-reading pattern (real phrasings), value read or not read."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from mbc.ingest import extract

from ._helpers import ABSENT as _ABSENT
from ._helpers import get_path as _get

AS_OF = dt.date(2026, 11, 22)


def _therapies(text: str) -> list[dict[str, Any]]:
    return extract(text, kind="note", as_of=AS_OF).record.get("prior_therapies", [])


# (id, text, field path, expected value; _ABSENT = must not be recorded)
FIELDS: list[tuple[str, str, str, Any]] = [
    ("er-colon-percent", "ER: positive (80%, strong).", "tumor.er_percent", 80),
    ("pr-colon-negative", "PR: negative (<1%).", "tumor.pr_status", "negative"),
    ("her2-colon-negative", "HER2: negative.", "tumor.her2_status", "negative"),
    ("er-allred-positive", "ER 8/8 (Allred), PR 0/8.", "tumor.er_status", "positive"),
    ("pr-allred-negative", "ER 8/8 (Allred), PR 0/8.", "tumor.pr_status", "negative"),
    ("ish-ratio-amplified", "HER2 2+ FISH 2.4 ratio.", "tumor.her2_ish", "amplified"),
    ("ish-ratio-of", "FISH ratio 2.6, copy number 6.1.", "tumor.her2_ish", "amplified"),
    ("ish-ratio-low", "HER2 2+, FISH ratio 1.3.", "tumor.her2_ish", "not_amplified"),
    ("ish-verdict-wins", "FISH negative (ratio 1.3).", "tumor.her2_ish", "not_amplified"),
    ("partial-response-not-pr", "CT CAP shows PR in liver lesions.", "tumor.pr_status", _ABSENT),
    ("anc-units", "ANC 1100.", "labs.anc_per_ul", 1100),
    ("anc-thousands", "ANC 1.1 today.", "labs.anc_per_ul", 1100),
    ("platelets-k", "plt 145k.", "labs.platelets_per_ul", 145000),
    ("platelets-comma", "Platelets 145,000.", "labs.platelets_per_ul", 145000),
    ("calcium-albumin-short", "Ca 11.8, alb 3.1.", "labs.albumin_g_dl", 3.1),
    ("t-dm1-is-not-diabetes", "adjuvant T-DM1 in 2020.", "comorbidities", _ABSENT),
    ("gbrca12-negative", "gBRCA1/2 negative.", "germline", []),
    ("gbrca-neg", "gBRCA neg.", "germline", []),
    ("germline-test-revealed", "Germline testing (Invitae) revealed a pathogenic PALB2 variant.", "germline", ["PALB2"]),
    ("genetic-test-showed", "My genetic test showed a BRCA2 mutation.", "germline", ["BRCA2"]),
    ("family-genetic-test", "Family history: sister's genetic test showed a BRCA1 mutation.", "germline", _ABSENT),
    ("coordinated-negated", "No AKT1 or PTEN alterations detected.", "somatic", ["AKT1 wildtype", "PTEN wildtype"]),
    ("coordinated-positive", "PIK3CA and ESR1 mutations on ctDNA.", "somatic", ["PIK3CA mutation", "ESR1 mutation"]),
    ("site-bone-part", "Solitary sternal lesion treated with SBRT.", "metastases.sites", ["bone"]),
    ("site-node-compound", "Recurrence with supraclavicular LN and lung nodules.", "metastases.sites", ["distant_lymph_nodes", "lung"]),
    ("site-hilar-nodes", "FDG-avid mediastinal and hilar nodes.", "metastases.sites", ["distant_lymph_nodes"]),
    ("site-negated-list", "No evidence of bone, liver or brain mets.", "metastases", _ABSENT),
    ("site-parenthesised", "64F MBC (bone, liver).", "metastases.sites", ["bone", "liver"]),
    ("site-parenthesised-long", "Metastatic left breast cancer (bone, pleura).", "metastases.sites", ["bone", "pleura"]),
    ("site-only", "de novo stage IV, initially bone-only.", "metastases.sites", ["bone"]),
    ("site-aside-in-list", "Metastatic to liver (segments 6 and 7) and lung.", "metastases.sites", ["liver", "lung"]),
    ("site-receptor-words", "metastatic ER+/PR+ HER2-negative breast cancer to bone and liver", "metastases.sites", ["bone", "liver"]),
    ("site-breast-ca", "de novo metastatic breast ca to liver", "metastases.sites", ["liver"]),
    ("site-lay-went", "It went to my liver and my bones last year.", "metastases.sites", ["liver", "bone"]),
    ("site-lay-came-back", "The cancer came back in my bones and liver.", "metastases.sites", ["bone", "liver"]),
    ("oligometastatic", "Oligometastatic disease: single liver lesion.", "metastases.sites", ["liver"]),
    ("brain-stable-after", "Brain MRI: treated brain mets stable.", "metastases.brain.progressing", False),
    ("brain-craniotomy", "Brain mets, s/p craniotomy and resection.", "metastases.brain.locally_treated", True),
    ("brain-srs-planned", "Brain mets. Plan: SRS to cavity.", "metastases.brain.locally_treated", _ABSENT),
    ("met-date-recurrence", "Recurrence 2023-05 with lung nodules.", "metastatic_diagnosis_date", "2023-05-01"),
    ("met-date-stage-iv", "de novo stage IV HR+/HER2- breast cancer (03/2021).", "metastatic_diagnosis_date", "2021-03-01"),
    ("met-date-imaging", "In March 2025 restaging PET/CT showed osseous mets.", "metastatic_diagnosis_date", "2025-03-01"),
    ("receptor-source-bx-of", "Bone mets. Bx of L2 lesion: ER 95%.", "tumor.receptor_source", "metastasis"),
    ("receptor-source-site-bx", "Peritoneal mets; ER 90% on peritoneal bx.", "tumor.receptor_source", "metastasis"),
    ("denies-list", "ROS: denies back pain, headache or vision changes.", "symptoms", _ABSENT),
    ("lay-back-hurts", "My back hurts a lot.", "symptoms", ["back pain"]),
    ("family-section-site", "Family history: sister with ovarian cancer.", "metastases", _ABSENT),
    ("years-ago-not-age", "72F, hx of breast ca 10 yrs ago, now bone mets.", "age", 72),
    ("history-of-is-recurrence", "History of HR+ breast cancer, now liver mets.", "presentation", "recurrence"),
    ("lobular-cancer-word", "Lobular breast cancer with peritoneal mets.", "tumor.histology", "lobular"),
    ("bare-site-list", "Stage IV ER+ breast cancer, liver + bone, 60F.", "metastases.sites", ["liver", "bone"]),
    ("biopsy-shows-site", "Lung biopsy shows metastatic carcinoma.", "metastases.sites", ["lung"]),
    ("relapsed-in-site", "Relapsed in bone and liver.", "metastases.sites", ["bone", "liver"]),
    ("brain-met-paren-asymptomatic", "New brain met (asymptomatic).", "metastases.brain.symptomatic", False),
    ("brain-symptomatic-from-headache", "2 new brain mets, headaches.", "metastases.brain.symptomatic", True),
    ("lab-came-back-not-recurrence", "My calcium came back 12.8.", "presentation", _ABSENT),
    ("lab-came-back-value", "My calcium came back 12.8.", "labs.calcium_mg_dl", 12.8),
    ("lay-symptoms", "I'm constipated, thirsty and throwing up.", "symptoms",
     ["constipation", "excessive thirst", "vomiting"]),
    ("new-mets-dated-now", "ER+ breast cancer with new liver mets.", "metastatic_diagnosis_date", "2026-11-22"),
    ("new-mets-on-therapy-not-dated", "New liver mets on letrozole + palbociclib.", "metastatic_diagnosis_date", _ABSENT),
    ("no-new-mets-not-dated", "No new metastases on CT.", "metastatic_diagnosis_date", _ABSENT),
    ("mets-years-ago", "It went to my bones 2 years ago.", "metastatic_diagnosis_date", "2024-11-22"),
    ("proxy-mom-age", "My mom is 78 and her breast cancer spread to her liver.", "age", 78),
    ("proxy-mom-sites", "My mom is 78 and her breast cancer spread to her liver.", "metastases.sites", ["liver"]),
    ("proxy-mom-sex", "My mom is 78 and her breast cancer spread to her liver.", "sex", "female"),
    ("family-not-proxy", "My mom had breast cancer. I was diagnosed with TNBC, now in my lungs.", "sex", _ABSENT),
]  # fmt: skip


@pytest.mark.parametrize(("text", "path", "expected"), [r[1:] for r in FIELDS], ids=[r[0] for r in FIELDS])
def test_pattern_reads_field(text: str, path: str, expected: Any) -> None:
    """Each pattern records exactly the expected value (or nothing)."""
    record = extract(text, kind="note", as_of=AS_OF).record
    got = _get(record, path)
    if expected is _ABSENT:
        assert got is _ABSENT, got
    elif isinstance(expected, list):
        assert sorted(got) == sorted(expected)
    else:
        assert got == expected


# (id, text, index of the therapy (by order of start), expected subset of its fields)
THERAPIES: list[tuple[str, str, int, dict[str, Any]]] = [
    ("month-range", "1L goserelin + letrozole + ribociclib 04/2021 - 01/2024, PD.", 0,
     {"start": "2021-04-01", "end": "2024-01-31", "stop_reason": "progression", "setting": "metastatic"}),
    ("month-range-to", "palbociclib + fulvestrant (1L, 03/2023 to 08/2026) with progression", 0,
     {"start": "2023-03-01", "end": "2026-08-31"}),
    ("bare-start-end-verb", "2L fulvestrant + everolimus 02/2024, stopped 06/2024 due to stomatitis.", 0,
     {"start": "2024-02-01", "end": "2024-06-30", "stop_reason": "toxicity"}),
    ("continuation-clause", "Started Kisqali + Faslodex 2023-06; progressed 2025-08.", 0,
     {"start": "2023-06-01", "end": "2025-08-31", "stop_reason": "progression", "setting": "metastatic"}),
    ("progressed-then-on", "Progressed on anastrozole + abemaciclib and then on Enhertu.", 1,
     {"drugs": ["trastuzumab deruxtecan"], "stop_reason": "progression"}),
    ("shared-stop", "Prior weekly paclitaxel then eribulin, both with progression.", 0,
     {"drugs": ["paclitaxel"], "stop_reason": "progression", "setting": "metastatic"}),
    ("medication-section", "Bone mets.\nMedications: Ibrance 125 mg, letrozole 2.5 mg daily.", 0,
     {"stop_reason": "ongoing", "setting": "metastatic"}),
    ("continue-cycle", "Liver mets. Continue Kadcyla (cycle 14).", 0, {"stop_reason": "ongoing"}),
    ("started-date", "Lung mets. 2L T-DXd started 05/2026.", 0, {"start": "2026-05-01", "stop_reason": "ongoing"}),
    ("after-surgery-adjuvant", "I was on tamoxifen for 5 years after my surgery.", 0,
     {"setting": "adjuvant", "stop_reason": "completed"}),
    ("then-carries-adjuvant", "s/p mastectomy, adjuvant AC-T then Arimidex 2017-2022.", 1,
     {"drugs": ["anastrozole"], "setting": "adjuvant", "start": "2017-01-01"}),
    ("regimen-ac-t", "adjuvant AC-T in 2017.", 0,
     {"drugs": ["doxorubicin", "cyclophosphamide", "paclitaxel"], "setting": "adjuvant"}),
    ("and-adjuvant-breaks", "treated with neoadjuvant TCHP, mastectomy and adjuvant T-DM1.", 0,
     {"drugs": ["docetaxel", "carboplatin", "trastuzumab", "pertuzumab"], "setting": "neoadjuvant"}),
    ("after-progression-on-breaks", "Currently on exemestane + everolimus since September 2026 after progression on palbociclib + fulvestrant.", 1,
     {"drugs": ["exemestane", "everolimus"], "start": "2026-09-01", "stop_reason": "ongoing"}),
    ("completed-x5y", "adjuvant letrozole x5y.", 0, {"stop_reason": "completed"}),
    ("relative-after-finishing", "Relapsed 8 months after finishing adjuvant anastrozole, new bone mets.", 0,
     {"setting": "adjuvant", "end": "2026-03-22", "stop_reason": "completed"}),
    ("relative-after-with-length", "Recurred in the liver 5 months after completing 5 years of adjuvant letrozole.", 0,
     {"start": "2021-06-22", "end": "2026-06-22", "stop_reason": "completed"}),
    ("relative-after-regimen", "3 years after adjuvant TCHP, now a new brain met.", 0,
     {"setting": "adjuvant", "end": "2023-11-22", "stop_reason": "completed"}),
    ("relative-from-explicit-relapse", "Metastatic recurrence diagnosed in 03/2025, 2 years after finishing adjuvant anastrozole.", 0,
     {"end": "2023-03-01", "stop_reason": "completed"}),
    ("relative-into", "Relapsed in bone 2 years into adjuvant tamoxifen.", 0,
     {"start": "2024-11-22", "end": "2026-11-22", "stop_reason": "progression"}),
    ("relative-then-paren-neoadjuvant", "TNBC recurred 5 months after completing adjuvant capecitabine (given after neoadjuvant AC-T).", 1,
     {"drugs": ["capecitabine"], "end": "2026-06-22", "setting": "adjuvant"}),
    ("prog-x-months", "MBC, prog on palbo + letrozole x 20 mo.", 0,
     {"start": "2025-03-22", "end": "2026-11-22", "stop_reason": "progression", "setting": "metastatic"}),
    ("chain-of-durations", "Progressed on letrozole + palbociclib after 26 months and then on capecitabine after 6 months.", 0,
     {"drugs": ["letrozole", "palbociclib"], "start": "2024-03-22", "end": "2026-05-22"}),
    ("chain-of-durations-last", "Progressed on letrozole + palbociclib after 26 months and then on capecitabine after 6 months.", 1,
     {"drugs": ["capecitabine"], "start": "2026-05-22", "end": "2026-11-22"}),
    ("for-the-past-new-lesions", "On anastrozole + ribociclib for the past 3 years, scans now show new liver lesions.", 0,
     {"start": "2023-11-22", "end": "2026-11-22", "stop_reason": "progression"}),
    ("new-brain-only-not-progression", "HER2+ MBC on T-DXd, MRI shows 2 new brain mets, body disease stable.", 0,
     {"stop_reason": "ongoing"}),
    ("stopped-ago-for-a-year", "After it spread I had Herceptin for a year, but they stopped it 4 months ago because of my heart.", 0,
     {"setting": "metastatic", "start": "2025-07-22", "end": "2026-07-22", "stop_reason": "toxicity"}),
    ("since-then", "It went to my bones 2 years ago. I've been on Kisqali and Femara since then.", 0,
     {"start": "2024-11-22", "stop_reason": "ongoing"}),
    ("line-list-first", "s/p 3 lines (letrozole/palbociclib, capecitabine, eribulin), ECOG 3.", 0,
     {"drugs": ["letrozole", "palbociclib"], "setting": "metastatic"}),
]  # fmt: skip  # fmt: skip


@pytest.mark.parametrize(("text", "index", "expected"), [r[1:] for r in THERAPIES], ids=[r[0] for r in THERAPIES])
def test_therapy_pattern(text: str, index: int, expected: dict[str, Any]) -> None:
    """Each therapy pattern yields a therapy with the expected setting, dates and stop reason."""
    therapy = _therapies(text)[index]
    for key, value in expected.items():
        got = therapy.get(key)
        assert (sorted(got) if key == "drugs" else got) == (sorted(value) if key == "drugs" else value), (key, therapy)


@pytest.mark.parametrize(
    "text",
    [
        "s/p lumpectomy and adjuvant anastrozole x 5 yrs.",
        "I was on tamoxifen for 5 years after my surgery.",
    ],
    ids=["x-5-yrs", "for-5-years"],
)
def test_completed_early_therapy_duration_is_not_dated_from_the_note(text: str) -> None:
    """A duration alone does not date a completed adjuvant therapy from the note date."""
    therapy = _therapies(text)[0]
    assert "start" not in therapy and "end" not in therapy


def test_relative_times_need_a_relapse() -> None:
    """An interval between two early therapies is not counted back from the note date."""
    therapy = _therapies("Started adjuvant letrozole 2 months after finishing adjuvant AC-T.")
    assert all("end" not in t for t in therapy), therapy


def test_relative_times_wait_for_metastatic_lines() -> None:
    """With a metastatic line of unknown dates, the relapse is not 'now': nothing is dated."""
    text = "Relapsed 1 year after adjuvant exemestane; then letrozole + palbociclib, progressed."
    early = [t for t in _therapies(text) if t.get("setting") == "adjuvant"]
    assert early and "end" not in early[0]
    assert "metastatic_diagnosis_date" not in extract(text, kind="note", as_of=AS_OF).record


def test_relative_dates_say_where_they_came_from() -> None:
    """A date counted back from a relative phrase names the phrase and the anchor."""
    got = extract("Relapsed 8 months after finishing adjuvant anastrozole, new bone mets.", kind="note", as_of=AS_OF)
    src = got.provenance["prior_therapies[0]"]
    assert src["date_precision"] == "relative"
    assert "8 months after finishing adjuvant anastrozole" in src["relative"]["phrase"]
    assert "2026-11-22" in src["relative"]["counted_back_from"]
    assert got.provenance["metastatic_diagnosis_date"]["rule"] == "nlp.metastatic.dated_now"


def test_line_list_items_are_separate_lines() -> None:
    """Each item of "s/p 3 lines (A, B, C)" is its own metastatic therapy."""
    therapies = _therapies("s/p 3 lines (letrozole/palbociclib, capecitabine, eribulin), ECOG 3.")
    assert sorted(sorted(t["drugs"]) for t in therapies) == [["capecitabine"], ["eribulin"], ["letrozole", "palbociclib"]]
    assert {t.get("setting") for t in therapies} == {"metastatic"}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("De novo stage IV HER2-positive breast cancer, liver + bone. First line?", []),
        ("Treatment-naive metastatic TNBC to lung.", []),
        ("Stage IV ER+ breast cancer, liver mets. First line?", _ABSENT),
        ("De novo stage IV ER+ breast cancer on letrozole + palbociclib. First line?", "therapy"),
    ],
    ids=["de-novo-first-line", "treatment-naive", "not-de-novo-unknown", "therapy-named"],
)
def test_nothing_given_yet(text: str, expected: Any) -> None:
    """'First line?' in de novo disease, or 'treatment-naive', records prior_therapies: []."""
    got = _get(extract(text, kind="note", as_of=AS_OF).record, "prior_therapies")
    assert got != [] if expected == "therapy" else got == expected


def test_hypothetical_plan_after_continue_is_not_a_therapy() -> None:
    """'Consider capivasertib if ...' in a plan section never becomes a therapy; the drug the
    plan continues is the one being taken (session 9: it was dropped with the plan before)."""
    text = "Assessment/Plan: Continue letrozole. Consider capivasertib if PIK3CA altered."
    got = _therapies(text)
    assert [t["drugs"] for t in got] == [["letrozole"]]
    assert got[0].get("stop_reason") == "ongoing"
