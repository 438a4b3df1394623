"""`mbc ask`: the answer first, for the question asked (issue 12)."""

from __future__ import annotations

import json
import re
from typing import Any

import pytest
from click.testing import CliRunner

from mbc.answer import render_answer_text

SEED = "What is the recommended treatment plan for a patient with breast cancer and metastasis?"


def _preferred(a: Any) -> list[set[str]]:
    return [set(o["drugs"]) for o in a.plan["options"] if o["category"] == "preferred"]


def test_seed_question_gets_the_cited_overview(ask: Any, kb: Any) -> None:
    from mbc.render.algorithm import load_groups

    a = ask(SEED)
    assert a.intent == "overview"
    text = render_answer_text(a, max_lines=1000)
    assert len(text.splitlines()) < 60
    titles = [g.title for g in load_groups(kb).groups]
    named = [
        line for line in text.splitlines()
        if any(line.strip().startswith(t + ":") for t in titles) and re.search(r"\[\d+(, \d+)*\]\s*$", line)
    ]  # fmt: skip
    with_therapy = [line for line in named if "no single preferred option" not in line]
    assert len(with_therapy) >= 6
    assert a.answer.citations and [c.n for c in a.answer.citations] == list(
        range(1, len(a.answer.citations) + 1)
    )
    for heading in ("Initial assessment", "Supportive care", "Response evaluation", "Pitfalls"):
        assert heading in text


@pytest.mark.parametrize(
    "question",
    [
        SEED,
        "Is olaparib appropriate for a somatic BRCA2 mutation?",
        "62F ER+ HER2- MBC, bone mets, progressed on letrozole + palbociclib after 2 years, ESR1 Y537S. Next?",
        "how do I dose capecitabine with DPYD*2A heterozygous?",
    ],
)
def test_text_view_answer_first_and_short(ask: Any, question: str) -> None:
    a = ask(question)
    lines = render_answer_text(a).splitlines()
    assert len(lines) < 40
    assert lines[0].split(":")[0] in ("ANSWER", "YES", "NO", "DEPENDS", "ONLY IN CERTAIN CIRCUMSTANCES")
    assert a.answer.text.split(" - ", 1)[-1][:40] in "\n".join(lines[:5])


def test_somatic_brca_olaparib_is_certain_circumstances(ask: Any) -> None:
    a = ask("Is olaparib appropriate for a somatic BRCA2 mutation?")
    assert a.intent == "appropriate"
    assert a.answer.verdict == "certain_circumstances"
    assert "phase II" in a.answer.text and "label" in a.answer.text
    assert any(c.id == "tbcrc-048" for c in a.answer.citations)


def test_dpyd_intermediate_reduces_the_capecitabine_start(ask: Any) -> None:
    a = ask("how do I dose capecitabine with DPYD*2A heterozygous?")
    assert a.intent == "dose"
    assert a.read.get("dpyd") == "intermediate"
    assert "50%" in a.answer.text


def test_man_on_ai_gets_a_gnrh_agonist(ask: Any) -> None:
    a = ask("a man starting letrozole + ribociclib - anything to add?")
    assert a.read.get("sex") == "male"
    assert a.answer.verdict == "certain_circumstances"  # only with a GnRH agonist
    assert "GnRH agonist" in a.answer.text


def test_visceral_crisis_phrasing_puts_chemotherapy_first(ask: Any, kb: Any) -> None:
    a = ask(
        "bilateral lymphangitis carcinomatosa, SpO2 87 % on air, ECOG 2 declining fast, ER+ HER2- MBC, what now?"
    )
    assert a.read["metastases"]["visceral_crisis"] is True
    pref = _preferred(a)
    assert pref
    for drugs in pref:
        ids = {kb.lookup_drug(d) for d in drugs}
        assert all("chemotherapy" in kb.drug_classes_of(i) for i in ids if i)
    assert any("visceral crisis" in x for x in a.assumptions)


def test_negative_ctdna_panel_is_not_read_as_mutated(ask: Any) -> None:
    a = ask(
        "HR+ HER2- MBC progressed on letrozole + palbociclib. ctDNA: no ESR1, PIK3CA, AKT1 or PTEN alteration. Next?"
    )
    assert {"ESR1 wildtype", "PIK3CA wildtype", "AKT1 wildtype", "PTEN wildtype"} <= set(a.read["somatic"])
    offered = {d for o in a.plan["options"] for d in o["drugs"]}
    rejected = {d for n in a.plan["not_recommended"] for d in n["drugs"]}
    assert "capivasertib" not in offered and "capivasertib" in rejected


def test_newly_diagnosed_means_no_prior_therapy(ask: Any) -> None:
    a = ask(
        "newly diagnosed ER+ HER2- MBC with bone mets in a 65 year old postmenopausal woman, what do you recommend?"
    )
    assert a.read["prior_therapies"] == []
    assert a.intent == "next_treatment"
    assert _preferred(a)
    assert any("no systemic therapy" in x for x in a.assumptions)


def test_negated_visceral_crisis_phrase_is_not_read(ask: Any) -> None:
    a = ask("ER+ HER2- MBC, lung mets, no lymphangitic spread, no hypoxia. First line?")
    assert a.read.get("metastases", {}).get("visceral_crisis") is not True


@pytest.mark.parametrize(
    "question",
    [
        "my cancer came back in my bones, what now?",
        "I'm 58, my breast cancer spread to my liver. It's ER positive and HER2 negative. What are my options?",
        "What are the side effects of abemaciclib for me?",
        "Can I take letrozole with my ribociclib?",
    ],
)
def test_patient_voice_plain_words_no_doses(ask: Any, question: str, fk_grade: Any) -> None:
    a = ask(question)
    assert a.audience == "patient"
    prose = " ".join([a.answer.text, *a.answer.points])
    assert fk_grade(prose) <= 6
    assert not re.search(r"\d\s*(mg|mcg|mg/m2|mg/kg)\b", prose)
    assert a.follow_up_questions


def test_audience_flag_forces_plain_words(ask: Any, fk_grade: Any) -> None:
    a = ask("Dose of ribociclib?", audience="patient")
    assert a.audience == "patient" and "mg" not in a.answer.text
    assert fk_grade(a.answer.text) <= 6


def test_definition(ask: Any) -> None:
    a = ask("What is HER2-low?")
    assert a.intent == "definition" and "IHC 1+" in a.answer.text


def test_json_shape_via_cli() -> None:
    from mbc.cli import _cli

    res = CliRunner().invoke(_cli, ["ask", "--format", "json", "--as-of", "2026-11-01", "What is HER2-low?"])
    assert res.exit_code == 0, res.output
    out = json.loads(res.output)
    assert {"question", "intent", "answer", "assumptions", "plan", "follow_up_questions"} <= set(out)
    assert {"verdict", "text", "points", "citations"} <= set(out["answer"])


def test_empty_question_is_exit_2() -> None:
    from mbc.cli import _cli

    res = CliRunner().invoke(_cli, ["ask", "   "])
    assert res.exit_code == 2


def test_knowledge_files_are_checked(kb: Any, tmp_path: Any) -> None:
    import shutil

    from mbc.answer import load_answer_kb
    from mbc.errors import KnowledgeError
    from mbc.knowledge import load_kb

    assert load_answer_kb(kb).intents.intents
    root = tmp_path / "kb"
    shutil.copytree(kb.path, root, symlinks=False)
    bad = root / "answer" / "verdicts.yaml"
    bad.write_text(bad.read_text().replace("[tbcrc-048,", "[no-such-source,"))
    with pytest.raises(KnowledgeError) as err:
        load_answer_kb(load_kb(root))
    assert "no-such-source" in str(err.value.problems)


def test_post_v1_ask(kb: Any, make_client: Any) -> None:
    """POST /v1/ask gives the verdict; a bad body is a 422 naming the fields."""
    client = make_client(kb=kb, role="clinician")
    r = client.post("/v1/ask", json={"question": "Is olaparib appropriate for a somatic BRCA2 mutation?"})
    assert r.status_code == 200, r.text
    assert r.json()["answer"]["verdict"] == "certain_circumstances"
    bad = client.post("/v1/ask", json={"question": "", "audience": "alien"})
    assert bad.status_code == 422
    anonymous = make_client(kb=kb, role=None)
    assert anonymous.post("/v1/ask", json={"question": "What is HER2-low?"}).status_code == 401


def test_web_ask_box_gives_the_same_answer(kb: Any, ask: Any, make_client: Any) -> None:
    """The home page's Ask box answers as mbc ask does."""
    client = make_client(kb=kb, role="clinician")
    q = "Is olaparib appropriate for a somatic BRCA2 mutation?"
    home = client.get("/")
    assert home.status_code == 200 and 'action="/ask"' in home.text and 'name="question"' in home.text
    page = client.post("/ask", data={"question": q, "audience": "auto"})
    assert page.status_code == 200
    assert "Only in certain circumstances" in page.text
    assert ask(q).answer.text[:60] in page.text.replace("&#39;", "'")
    assert client.post("/ask", data={"question": "  "}).status_code == 422


def test_a_drug_progressed_on_is_not_offered_again(ask: Any) -> None:
    a = ask(
        "TNBC HER2 IHC 1+, progressed after one line of chemotherapy (capecitabine) in the metastatic setting. Next?"
    )
    assert all(set(o["drugs"]) != {"capecitabine"} for o in a.plan["options"])
    assert any(
        set(n["drugs"]) == {"capecitabine"} and "rogress" in n["reason"] for n in a.plan["not_recommended"]
    )


def test_unstated_receptor_status_gives_only_options_that_hold_either_way(ask: Any, kb: Any) -> None:
    a = ask("HER2-negative MBC, progressed on capecitabine then eribulin in the metastatic setting. Next?")
    # one assumption layer (session 3): the engine branches on the unstated receptor
    assert any("Hormone-receptor (ER/PR) status not given (not assumed)" in x for x in a.assumptions)
    assert any("tumor.er_status" in sc["if"] for sc in a.plan["scenarios"])
    assert a.plan["classification"]["hr_status"] == "unknown"
    assert a.plan["options"]
    for o in a.plan["options"]:  # nothing endocrine: it would hold only if ER/PR were positive
        assert not any(
            "endocrine" in kb.drug_classes_of(kb.lookup_drug(d) or d) for d in o["drugs"] if kb.lookup_drug(d)
        )


def test_frail_patient_is_not_assumed_fit(ask: Any) -> None:
    a = ask(
        "my mom is 78, breast cancer spread to bone, hormone positive her2 negative, she is very frail. What now?"
    )
    assert not any("ECOG 0-1" in x for x in a.assumptions)


def test_accents_and_full_width_forms_are_read(ask: Any) -> None:
    a = ask("Quelle est la dose de capécitabine ?")
    assert a.intent == "dose" and a.about["drugs"] == ["capecitabine"]
    assert a.question.endswith("capécitabine ?")
    b = ask("ＨＥＲ２＋ ＭＢＣ first line?")
    assert b.read["tumor"]["her2_status"] == "positive"


def test_aromatase_inhibitor_before_menopause_needs_suppression(ask: Any) -> None:
    a = ask("Is letrozole appropriate for a premenopausal woman without ovarian suppression?")
    # session 5: asked without suppression (alone), the answer is no; with it, "only with"
    assert a.answer.verdict == "no"
    assert "suppression" in a.answer.text
    assert ask("Is letrozole appropriate for a premenopausal woman?").answer.verdict == "certain_circumstances"
    assert "ovarian function suppression" in a.answer.text


def test_class_only_prior_therapy_and_listed_lines_are_read(ask: Any) -> None:
    a = ask(
        "ER+ HER2-negative metastatic breast cancer after AI + CDK4/6 inhibitor and two chemo lines (eribulin, capecitabine). What next?"
    )
    priors = a.read["prior_therapies"]
    assert [len(t["drugs"]) for t in priors if set(t["drugs"]) & {"eribulin", "capecitabine"}] == [1, 1]
    assert any({"letrozole", "palbociclib"} <= set(t["drugs"]) for t in priors)
    assert all(t["setting"] == "metastatic" and t["stop_reason"] == "progression" for t in priors)
    assert any("named only by class" in x for x in a.assumptions)
    assert a.plan["classification"]["prior_metastatic_lines"] == 3


def test_progression_fill_skips_adjuvant_history(kb: Any) -> None:
    from mbc.ingest import extract

    del kb
    filled = extract("HR+ MBC progressed on tamoxifen. Next?", kind="note").record
    assert filled["prior_therapies"][0]["setting"] == "metastatic"
    kept = extract("HR+ MBC after adjuvant tamoxifen. Next?", kind="note").record
    assert kept["prior_therapies"][0]["setting"] != "metastatic"


def test_oral_serd_without_esr1_mutation_is_no_whatever_her2(ask: Any) -> None:
    a = ask("Is imlunestrant an option for ER+ MBC, ESR1 not detected on ctDNA?")
    assert a.answer.verdict == "no"
    assert "ESR1" in a.answer.text


def test_adjuvant_endocrine_therapy_implies_hr_positive_as_a_stated_assumption(ask: Any) -> None:
    a = ask("Liver metastases 3 years after adjuvant exemestane, HER2 negative. First-line options?")
    assert a.plan["classification"]["hr_status"] == "positive"
    assert any("read from the adjuvant endocrine therapy" in x for x in a.assumptions)
    b = ask("Liver metastases, HER2 negative, she declined adjuvant endocrine therapy. First-line options?")
    assert b.plan["classification"]["hr_status"] != "positive"


# --------------------------------------------------------------- session 3, second pass


@pytest.mark.parametrize(
    ("weeks", "preferred"),
    [("21+3 weeks pregnant", True), ("pregnant at 10 weeks", False)],
)
def test_gestational_age_in_the_question_decides_chemotherapy(
    ask: Any, weeks: str, preferred: bool
) -> None:
    """Anthracycline-based chemotherapy is preferred from the second trimester (week 14) and not
    offered in the first; anti-HER2 therapy is never offered during pregnancy (Shachar 2017)."""
    a = ask(
        f"31F, {weeks}. New diagnosis of HER2+ (IHC 3+) ER-negative breast cancer with liver mets, "
        "LFTs normal. What systemic therapy now?"
    )
    assert a.plan["facts"]["pregnant"] is True
    anthracycline = [s for s in _preferred(a) if {"doxorubicin", "cyclophosphamide"} <= s]
    assert bool(anthracycline) is preferred
    offered = {d for o in a.plan["options"] for d in o["drugs"]}
    assert not offered & {"trastuzumab", "pertuzumab", "trastuzumab deruxtecan"}
    if not preferred:
        assert not offered & {"doxorubicin", "epirubicin", "paclitaxel"}
        assert "pregnancy-first-trimester" in {x["code"] for x in a.plan["alerts"]}


def test_germline_brca_testing_question_gets_a_yes(ask: Any) -> None:
    a = ask("Recurrent HER2-negative MBC, age 70, no family history. Is germline BRCA testing still worth doing?")
    assert a.answer.verdict == "yes"
    assert "PARP" in a.answer.text
    b = ask("Recurrent HER2-negative MBC, germline BRCA2 mutation found. Is olaparib an option?")
    assert b.answer.verdict != "yes" or "germline BRCA1/2 testing is offered" not in b.answer.text


def test_drugs_listed_before_has_stopped_working_are_prior(kb: Any) -> None:
    from mbc.answer._schema import load_answer_kb
    from mbc.answer._understand import mentions

    q = "Letrozole with Ibrance and the monthly injection has stopped working. Can I take elacestrant?"
    prior = {m.id: m.prior for m in mentions(q, kb, load_answer_kb(kb))}
    assert prior == {"letrozole": True, "palbociclib": True, "elacestrant": False}


def test_overview_by_subtype_lists_every_group(ask: Any) -> None:
    """A question naming every subtype is not narrowed to the last subtype the reader took."""
    text = render_answer_text(
        ask("Quick summary: first-line standard for stage IV breast cancer by subtype (HR+/HER2-, HER2+, TNBC)."),
        max_lines=200,
    )
    assert "pertuzumab" in text.lower() and "ribociclib" in text.lower() and "pembrolizumab" in text.lower()


def test_grade_2_ild_on_deruxtecan_is_no_rechallenge(ask: Any) -> None:
    a = ask("Grade 2 ILD on T-DXd, now settling on steroids. Can we rechallenge?")
    assert a.answer.verdict == "no" and "permanently" in a.answer.text
    assert ask("Grade 1 asymptomatic ILD on T-DXd. Can we continue?").answer.verdict == "depends"
