"""The public entry point :func:`answer_question`."""

from __future__ import annotations

import dataclasses
import datetime as dt
import difflib
import re
import unicodedata
from typing import Any, Literal

from mbc.answer._ask import ask_clauses
from mbc.answer._choice import answer_alternatives
from mbc.answer._clinician import Draft, answer_for_clinician
from mbc.answer._courses import (
    add_courses,
    count_lines,
    date_courses,
    progressed_now,
    settle_early,
    split_courses,
)
from mbc.answer._dictation import undictate
from mbc.answer._facts import (
    asked_line_note,
    lined_metastatic,
    overlay_facts,
    read_dates,
    read_numbers,
    read_variants,
    settle_after,
    split_lines,
)
from mbc.answer._model import Answer, AnswerBody, Citer
from mbc.answer._patient import answer_for_patient
from mbc.answer._reader_courses import drop_stand_ins, finish_courses
from mbc.answer._rests import (
    assuming,
    depends_on_receptor,
    depends_on_safety,
    engine_leads,
    reader_leads,
    receptor_decides,
    unsettled_safety,
    verdict_on_stated,
)
from mbc.answer._ruling import find_ruling, ruled
from mbc.answer._safety import changed_fields, guard_inferred
from mbc.answer._schema import load_answer_kb
from mbc.answer._settle import settle_ended_before, settle_not_progressed, settle_pregnancy
from mbc.answer._subtype import answer_by_subtype, implied_by_given, other_subtype, usual_leads
from mbc.answer._superseded import settle_superseded, split_listed
from mbc.answer._understand import classify_intent, current_medications, understand
from mbc.engine import plan as make_plan
from mbc.engine.assume import assumption_index, blocked_by_text
from mbc.errors import InputError, NoteExtractionError, Problem
from mbc.ingest import extract, inferred_assumptions
from mbc.knowledge.loader import KnowledgeBase
from mbc.model import parse_record

__all__ = ["answer_question"]

MAX_QUESTION_CHARS = 20_000
_META = ("id", "contract_version", "as_of")


def _assumption_texts(plan: Any) -> list[str]:
    """The plan's stated assumptions (engine policies, issue 10) as the answer words them."""
    return [f"{a.label or a.field}: {a.shown or a.assumed} (not recorded; {a.why})" for a in plan.assumptions]


def _safety_no(kb: KnowledgeBase, plan: Any, u: Any, clin: Draft) -> bool:
    """A "no" on a contraindication, interaction or dose stop: it rests on no assumed receptor."""
    names = {kb.drugs[d].name for d in u.drugs if d in kb.drugs}
    hit = any(n.kind == "contraindicated" and names & set(n.drugs) for n in plan.not_recommended)
    return clin.verdict == "no" and (hit or clin.text.startswith("No ("))


def _branch_texts(kb: KnowledgeBase, plan: Any) -> list[str]:
    """A fact the plan branched on (not assumed), as the answer states it."""
    if not (fields := list(dict.fromkeys(f for sc in plan.scenarios if not sc.test for f in sc.if_))):
        return []
    index = assumption_index(kb)
    held = "the options shown hold whatever it is" if plan.options else "the answer is given for each case"
    return [f"{index.label(f)} not given (not assumed) - {held}" for f in fields]


def _asks_dose(text: str, akb: Any) -> bool:
    """An asking clause also asks for a dose ("What next and what dose?")."""
    return any(re.search(akb.ask.topics["dose"], c.text, re.IGNORECASE) for c in ask_clauses(text, akb.ask))


def _with_dose(
    draft: Draft, kb: KnowledgeBase, akb: Any, plan: Any, u: Any, citer: Citer, has_patient: bool
) -> Draft:
    """The next-treatment answer with the dose of its first preferred option's drugs as a point."""
    first = next((o for o in plan.options if o.category == "preferred"), None)
    ids = [
        i
        for i in (kb.lookup_drug(n) for n in (first.drugs if first else []))
        if i and kb.drugs[i].cancer_drug
    ]
    if not ids:
        return draft
    dosed = answer_for_clinician("dose", kb, akb, plan, dataclasses.replace(u, drugs=ids, classes=[]), citer,
                                 has_patient=has_patient)  # fmt: skip
    return dataclasses.replace(draft, points=[f"Dose: {dosed.text}", *draft.points])


def _oral_first(draft: Draft, kb: KnowledgeBase, plan: Any) -> Draft:
    """The options whose drugs are all taken by mouth, named first (the question asks for tablets only)."""

    def oral(o: Any) -> bool:
        ids = [kb.lookup_drug(n) for n in o.drugs]
        return bool(ids) and all(i and kb.drugs[i].route == "oral" for i in ids)

    kinds = {
        "preferred": "preferred",
        "other": "other recommended",
        "certain_circumstances": "certain circumstances",
    }
    found = [f"{o.name} ({kinds.get(o.category, o.category)})" for o in plan.options if oral(o)]
    line = "By mouth only, as the question asks: " + (
        "; ".join(found) if found else "no option here is all oral"
    )
    return dataclasses.replace(draft, points=[line, *draft.points])


def _normalise(text: str) -> str:
    """Full-width forms to ASCII (NFKC) and accents dropped ("capécitabine"), so that names and
    patterns match however the question was typed."""
    decomposed = unicodedata.normalize("NFKD", unicodedata.normalize("NFKC", text))
    return unicodedata.normalize("NFC", "".join(ch for ch in decomposed if not unicodedata.combining(ch)))


def _spell(text: str, kb: KnowledgeBase, akb: Any) -> str:
    """Common misspellings put right (``facts.yaml`` ``spelling``), and a word close in spelling
    to one drug name or brand of the vocabulary ("<drug>" spelt with one letter wrong) read as it."""
    for w in akb.facts.spelling:
        text = re.sub(w.pattern, w.replace, text, flags=re.IGNORECASE)
    names = _drug_names(kb)

    def fix(m: re.Match[str]) -> str:
        word = m.group(0)
        low = word.lower()
        if low in names or kb.lookup_drug(word):
            return word
        close = [n for n in difflib.get_close_matches(low, names, n=3, cutoff=0.84) if n[0] == low[0]]
        ids = {names[n] for n in close}
        return close[0] if len(ids) == 1 else word

    return re.sub(r"\b[A-Za-z][a-z]{6,}\b", fix, text)


def _drug_names(kb: KnowledgeBase) -> dict[str, str]:
    """Drug names and brands of 7 letters or more (one word), lower case -> drug id."""
    out: dict[str, str] = {}
    for d in kb.drugs.values():
        for n in (d.name, *d.brands, *d.synonyms):
            if len(n) >= 7 and n.isalpha():
                out.setdefault(n.lower(), d.id)
    return out


def _prior_cancer_class(kb: KnowledgeBase, u: Any) -> bool:
    """A class of cancer drug named as given ("after AI + CDK4/6", "2 prior chemo lines"): a
    treatment history the question does not give in full (session 6, second pass)."""
    classes = {m.id for m in u.mentions if m.kind == "class" and m.prior and not m.negated}
    return any(d.cancer_drug and classes & set(kb.drug_classes_of(d.id)) for d in kb.drugs.values())


def _open(plan: Any) -> bool:
    return bool(plan.classification.subtype == "unknown")


def _has_patient(record: dict[str, Any], general: tuple[str, ...]) -> bool:
    return any(v not in (None, [], {}, "") for k, v in record.items() if k not in general and k not in _META)


_DATE = re.compile(r"\d{4}-\d{2}(?:-\d{2})?$")


def _dated(value: Any, top: bool = True) -> bool:
    """The record holds a date of its own (``as_of`` aside): a course dated back from the
    answer date by its duration would then be set against it, which the question does not state."""
    if isinstance(value, dict):
        return any(_dated(v, False) for k, v in value.items() if not (top and k in _META))
    if isinstance(value, list):
        return any(_dated(v, False) for v in value)
    return isinstance(value, str) and bool(_DATE.match(value))


def _read(
    text: str,
    base: dict[str, Any],
    u: Any,
    kb: KnowledgeBase,
    akb: Any,
    as_of: dt.date,
    *,
    infer: bool,
    variant: int | None = None,
    usual: bool = True,
) -> tuple[dict[str, Any], list[str]]:
    """The question's own facts on top of the note reader's record, each stated. With
    ``infer=False`` the steps that plan on a fact the question does not state (stand-in drugs,
    dates counted back from the answer date, receptors from the drugs given) are left out, but
    for the stand-in sequence ``variant`` (-1: the first) when one is asked for, and the usual
    assumptions a clinician makes (``usual``; ``given_implies`` entries marked ``usual``), which
    the answer states in its first line (session 7, principle 7)."""
    overlaid, said = overlay_facts(text, base, akb)  # the question's own shorthand (facts.yaml)
    found = u.mentions
    overlaid, stand_ins = drop_stand_ins(overlaid, found, kb)  # session 10 (askp)
    said = said + stand_ins
    overlaid, dated = read_dates(text, overlaid, found, kb, akb, as_of)
    overlaid, lined = lined_metastatic(overlaid, found, kb)
    overlaid, split = split_lines(overlaid, found, kb)
    split = lined + split
    overlaid, listed = split_courses(text, overlaid, found, kb, akb)
    overlaid, added = add_courses(text, overlaid, found, kb, akb)
    counted: list[str] = []
    if infer or variant is not None:
        overlaid, counted = count_lines(text, overlaid, kb, akb, -1 if variant is None else variant)
    added += counted
    overlaid, early = settle_early(text, overlaid, found, kb, akb)
    overlaid, now = progressed_now(text, overlaid, kb, akb)
    early += now
    overlaid, after = settle_after(text, overlaid, found, kb, akb)
    early += after
    overlaid, going = settle_not_progressed(text, overlaid, found, kb, akb)  # session 9
    early += going
    durations: list[str] = []
    if infer or not _dated(overlaid):  # dates only relative to the answer date: the durations as stated
        overlaid, durations = date_courses(text, overlaid, found, kb, akb, as_of)
    overlaid, before = settle_ended_before(overlaid)  # session 9
    overlaid, parted = split_listed(text, overlaid, found, kb)
    overlaid, superseded = settle_superseded(text, overlaid, found, kb, akb)
    overlaid, joined = finish_courses(text, overlaid, found, kb, akb)  # session 10 (askp): last
    superseded = parted + superseded + joined
    durations += superseded
    overlaid, numbers = read_numbers(text, overlaid, akb)
    overlaid, variants = read_variants(text, overlaid, akb)
    numbers += variants
    overlaid, pregnancy = settle_pregnancy(text, overlaid, akb)  # session 9: after the gestational age
    numbers += pregnancy
    if infer or usual:
        given = [m.id for m in found if m.prior and not m.negated]
        overlaid, implied = implied_by_given(overlaid, kb, akb, given, usual_only=not infer)
        numbers += implied
    stated = said + dated + split + listed + added + early + durations + numbers
    gone = {b.split(" read as ")[0] for b in before}  # early therapy: what was said of it as metastatic goes
    stated = [
        x
        for x in stated
        if not any(x.startswith((f"{g} read as given for the metastatic", f"{g}:")) for g in gone)
    ]
    return overlaid, stated + before


def _guard(
    text: str,
    read_base: dict[str, Any],
    record: dict[str, Any],
    u: Any,
    kb: KnowledgeBase,
    akb: Any,
    as_of: dt.date,
    blocked: set[str],
    plan: Any,
) -> tuple[Any, list[str], list[str]]:
    """The plan made on the record with the inferred facts, checked against the plan made on
    the facts as stated (:mod:`mbc.answer._safety`)."""
    stated, _ = _read(text, read_base, u, kb, akb, as_of, infer=False)
    if record.get("medications") != stated.get("medications"):
        stated = {**stated, "medications": record.get("medications")}
    fields = changed_fields(stated, record)
    if not fields:
        return plan, [], []

    def plan_of(r: dict[str, Any]) -> Any:
        try:
            return make_plan(parse_record(r), kb, as_of=as_of, no_assume=blocked)
        except InputError:
            return None

    first = plan_of(stated)
    plans = [first or plan_of(read_base)]
    for v in range(-1, 8):  # stand-ins for lines named without drugs: each usual sequence
        seq, _ = _read(text, read_base, u, kb, akb, as_of, infer=False, variant=v)
        if seq == stated:
            break
        if record.get("medications") != seq.get("medications"):
            seq = {**seq, "medications": record.get("medications")}
        plans.append(first if seq == stated else plan_of(seq))  # the same record: the same plan
    if None in plans:
        plans = plans[:1]
    index = assumption_index(kb)
    labels = [index.label(f) or f for f in fields]
    return (*guard_inferred(plan, plans, fields, labels), labels)


def answer_question(
    question: str,
    kb: KnowledgeBase,
    *,
    as_of: dt.date,
    audience: Literal["clinician", "patient"] | None = None,
    include_plan: bool = True,
) -> Answer:
    """Answer a free-text question.

    Args:
        question: The question (clinician shorthand, a tumour-board summary, or lay words).
        kb: The knowledge base.
        as_of: The date to answer for.
        audience: ``"clinician"`` or ``"patient"``; default: read from the question (a
            first-person lay question is answered for the patient).
        include_plan: Attach the plan the answer is based on.

    Returns:
        The answer, question first.

    Raises:
        InputError: An empty or over-long question.
    """
    original = (question or "").strip()
    text = _normalise(original)
    if not text:
        raise NoteExtractionError("the question is empty", [Problem(("question",), "empty", "empty")])
    if len(text) > MAX_QUESTION_CHARS:
        raise InputError(
            "the question is too long",
            [Problem(("question",), f"{len(text)} characters; at most {MAX_QUESTION_CHARS}", "too_long")],
        )
    akb = load_answer_kb(kb)
    text = _spell(undictate(text, kb, akb.facts.dictation), kb, akb)
    u = understand(text, kb, akb, audience)
    premise = u.premise if u.premise.strip() else text
    try:  # the reader's inferences (knowledge/nlp/inferences.yaml) come with their assumptions
        extraction = extract(premise, kind="note", as_of=as_of, assume=True)
        base: dict[str, Any] = dict(extraction.record)
        assumptions = inferred_assumptions(extraction)
    except NoteExtractionError:
        base = {"id": "question", "contract_version": 1, "as_of": as_of.isoformat()}
        assumptions = []
    read_base = base
    read_assumed = list(assumptions)  # the note reader's inferences from the question's words
    overlaid, said = _read(text, base, u, kb, akb, as_of, infer=True)
    if said:
        try:
            parse_record(overlaid)
            base, assumptions = overlaid, [*assumptions, *said]
        except InputError:  # an overlay the record model rejects: keep what the reader read
            pass
    record = base
    # "can I take <medication> with my <cancer drug>?": check them as taken together
    others = [d for d in u.drugs if not kb.drugs[d].cancer_drug]
    together = others if others and (len(others) < len(u.drugs) or u.prior_drugs) else []
    taken = [d for d in current_medications(u, kb, akb) if d not in together]  # session 10: "she's on X"
    if together or taken:
        meds = list(record.get("medications") or [])
        names = [kb.drugs[d].name for d in [*together, *taken]]
        record = {**record, "medications": meds + [n for n in dict.fromkeys(names) if n not in meds]}
    if together:
        assumptions.append(
            "taken together with the cancer treatment: " + ", ".join(kb.drugs[d].name for d in others)
        )
    try:
        rec = parse_record(record)
    except InputError:  # an overlay that contradicts the reader: keep what the reader found
        record, assumptions = base, []
        rec = parse_record(record)
    # One assumption layer (session 3): the engine's policies (knowledge/assumptions) assume
    # for a question what they assume for a record; the question's words can only withhold
    # an assumption (unless_text), and a cancer drug named as given before means a treatment
    # history the question does not give in full, so "no therapy yet" is not assumed then.
    blocked = set(blocked_by_text(kb, text))
    if any(kb.drugs[d].cancer_drug for d in u.prior_drugs) or _prior_cancer_class(kb, u):
        blocked.add("prior_therapies")
    plan = make_plan(rec, kb, as_of=as_of, no_assume=blocked)
    inferred = plan  # the plan on every inferred fact; a verdict it changes "depends" (session 7)
    labels: list[str] = []
    if record is not read_base:  # the question added facts: an inferred one never makes a drug preferred
        plan, held, labels = _guard(text, read_base, record, u, kb, akb, as_of, blocked, plan)
        assumptions = [*assumptions, *held]
    has_patient = _has_patient(record, akb.intents.general_fields)
    general = not _has_patient(record, (*akb.intents.general_fields, *akb.intents.subtype_fields))
    cancer = frozenset(d.id for d in kb.drugs.values() if d.cancer_drug)
    plain = not _has_patient(record, (*akb.intents.general_fields, *akb.intents.subtype_fields, "sex", "age"))
    intent = classify_intent(
        u,
        akb,
        has_patient=has_patient,
        general=general,
        ask=akb.ask,
        cancer_drugs=cancer,
        ask_general=plain,
    )
    if intent in ("appropriate", "side_effects", "dose", "tests") and not (u.drugs or u.classes):
        u.drugs = list(u.prior_drugs)  # "can we restart X?", "hair loss on X?": the current drug
    basis = basis_inferred = plan  # the plan the verdict rests on; the plan shown stays the one read
    if intent == "appropriate":  # no full subtype: the verdict for the subtypes the facts allow
        _, basis, by_subtype = answer_by_subtype(record, plan, kb, akb, u, as_of=as_of, no_assume=blocked)
        assumptions = [*assumptions, *by_subtype]
        if inferred is not plan:
            _, basis_inferred, _ = answer_by_subtype(
                record, inferred, kb, akb, u, as_of=as_of, no_assume=blocked
            )
    citer = Citer(kb)
    ruling = find_ruling(akb, intent, text, plan.facts)

    def judge(on: Any) -> Draft:
        alt = intent == "appropriate" and answer_alternatives(kb, akb, on, u, citer)
        return alt or answer_for_clinician(intent, kb, akb, on, u, citer, has_patient=has_patient)

    clin = judge(basis)
    # session 9: a drug the stated receptors rule out is "no" for that reason first (a wrong premise);
    # the plan on the facts as read when a subtype was filled in for the verdict
    wrong = None
    if intent == "appropriate" and clin.verdict == "depends" and basis.classification.subtype == "unknown":
        wrong = other_subtype(record, basis, kb, u, akb, citer, as_of=as_of, no_assume=blocked)
    elif intent == "appropriate" and clin.verdict in ("depends", "no") and _open(plan):
        wrong = other_subtype(record, plan, kb, u, akb, citer, as_of=as_of, no_assume=blocked)
    clin = wrong or clin
    if intent == "appropriate" and basis_inferred is not basis and wrong is None:  # never on an unstated fact
        clin = verdict_on_stated(clin, judge(basis_inferred), labels)
    if ruling is not None and ruling.gives and _safety_no(kb, basis, u, clin):
        ruling = None  # a ruling on giving a drug never lifts the "no" its safety checks give it
    leads: list[str] = []  # the usual assumptions the answer rests on, said in its first line
    yes = clin.verdict in ("yes", "certain_circumstances")
    named = intent == "next_treatment" and clin.verdict != "depends"
    said_first = named or (intent == "appropriate" and yes)
    if ruling is None and said_first:
        leads = [*reader_leads(read_assumed), *usual_leads(akb, assumptions)]
    if intent == "appropriate" and yes:
        leads += engine_leads(kb, basis, u)
    elif intent == "appropriate" and ruling is None and not _safety_no(kb, basis, u, clin):
        leads = usual_leads(akb, assumptions)  # a "no" / "depends" on an assumed receptor names it too
    clin = assuming(clin, leads)
    if intent == "appropriate" and ruling is None and not _safety_no(kb, basis, u, clin):  # the assumed
        # receptor decides the drug asked about
        clin = depends_on_receptor(clin, receptor_decides(kb, akb, u, assumptions))
    if intent == "appropriate" and ruling is None:  # never a safety fact assumed away
        clin = depends_on_safety(clin, unsettled_safety(kb, akb, basis, u, text))
    if ruling is not None:  # a management situation no treatment rule decides
        clin = ruled(clin, ruling, citer)
    draft = clin
    if u.audience == "patient":
        draft = answer_for_patient(intent, kb, akb, basis, u, clin, has_patient=has_patient)
        if ruling is not None:
            draft = Draft(text=ruling.plain, points=draft.points[:2], verdict=ruling.verdict,
                          verdict_text=ruling.plain, follow_up=draft.follow_up)  # fmt: skip
    if intent == "next_treatment" and re.search(akb.facts.oral_only, text, re.IGNORECASE):
        draft = _oral_first(draft, kb, plan)  # session 9: "tablets only"
    if intent == "next_treatment" and u.audience == "clinician" and _asks_dose(text, akb):
        draft = _with_dose(
            draft, kb, akb, plan, u, citer, has_patient
        )  # "what next and what dose?" (session 9)
    note = asked_line_note(text, plan.classification.line, akb) if intent == "next_treatment" else None
    if note is not None and u.audience == "clinician":  # the line asked is not the line the history gives
        draft = dataclasses.replace(draft, points=[note, *draft.points])
        assumptions = [*assumptions, note]
    body = AnswerBody(
        verdict=draft.verdict,
        verdict_text=draft.verdict_text,
        text=draft.text,
        points=draft.points,
        citations=citer.citations(),
    )
    return Answer(
        question=original,
        intent=intent,
        audience=u.audience,
        about={"drugs": u.drugs, "classes": u.classes, "terms": u.terms, "prior_drugs": u.prior_drugs},
        answer=body,
        assumptions=list(
            dict.fromkeys(
                [*assumptions, *_assumption_texts(plan), *_branch_texts(kb, plan)]
                if intent not in ("definition", "overview")  # a general answer rests on no patient
                else assumptions
            )
        ),
        read={k: v for k, v in record.items() if k not in _META},
        plan=plan.to_json() if include_plan else None,
        follow_up_questions=draft.follow_up,
    )
