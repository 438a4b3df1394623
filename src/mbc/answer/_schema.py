"""Schemas of ``knowledge/answer/*.yaml`` and their loader.

Every file is validated with ``extra="forbid"``; citation ids, drug ids and drug classes
are resolved against the knowledge base, and every pattern must compile. All problems are
reported at once (:class:`~mbc.errors.KnowledgeError`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal, get_type_hints

from pydantic import BaseModel, Field, ValidationError

from mbc.answer._ask import AskKB
from mbc.answer._topics import SafetyTopic
from mbc.errors import KnowledgeError, Problem
from mbc.knowledge.conditions import Condition
from mbc.knowledge.loader import KnowledgeBase, read_yaml
from mbc.knowledge.schema import StrictModel

__all__ = ["AnswerKB", "load_answer_kb"]


class _Cited(StrictModel):
    """An entry with an id and the sources it rests on (at least one)."""

    id: str
    citations: tuple[str, ...] = Field(min_length=1)


IntentId = Literal[
    "definition", "dose", "side_effects", "response", "trials", "overview", "tests",
    "appropriate", "next_treatment",
]  # fmt: skip


class Intent(StrictModel):
    id: IntentId
    label: str
    requires: Literal["term", "drug", "no_patient", "patient"] | None = None
    unless: tuple[str, ...] = ()
    patterns: tuple[str, ...] = Field(min_length=1)


class Audience(StrictModel):
    patient: tuple[str, ...]
    clinician: tuple[str, ...]


class TestFocus(StrictModel):
    pattern: str
    ids: str


class IntentsFile(StrictModel):
    schema_: Literal["mbc/answer-intents@1"] = Field(alias="schema")
    intents: tuple[Intent, ...] = Field(min_length=1)
    audience: Audience
    general_fields: tuple[str, ...] = ()
    subtype_fields: tuple[str, ...] = ()
    frame_words: tuple[str, ...] = ()
    prior_context: tuple[str, ...] = ()
    prior_after: tuple[str, ...] = ()
    # a drug or class right after one of these is left out of what is asked ("skip the <drug
    # class>", "without <drug>"); a word of `alone_words` next to an asked drug asks
    # for it without the rest of its usual regimen ("just <drug>", "<drug> alone")
    exclude_before: tuple[str, ...] = ()
    alone_words: tuple[str, ...] = ()
    drug_aliases: dict[str, str] = Field(default_factory=dict)
    class_words: dict[str, tuple[str, ...]] = Field(default_factory=dict)
    field_labels: dict[str, str] = Field(default_factory=dict)
    # a tests question that names a kind of test ("which molecular tests?"): the work-up items
    # whose id matches come first
    test_focus: tuple[TestFocus, ...] = ()


class Verdict(_Cited):
    drugs: tuple[str, ...] = ()
    classes: tuple[str, ...] = ()
    when: Condition
    unless: Condition | None = None
    # True: only for a drug asked about on its own ("just <drug>", "skip the <drug class>")
    alone: bool = False
    verdict: Literal["yes", "no", "certain_circumstances"]
    reason: str


class VerdictsFile(StrictModel):
    schema_: Literal["mbc/answer-verdicts@1"] = Field(alias="schema")
    verdicts: tuple[Verdict, ...]


class Ruling(_Cited):
    intents: tuple[IntentId, ...] = Field(min_length=1)
    all: tuple[str, ...] = Field(min_length=1)
    unless: tuple[str, ...] = ()
    when: Condition | None = None  # on the plan's facts: a ruling its facts rule out (FALSE) is not used
    verdict: Literal["yes", "no", "certain_circumstances", "depends"]
    # the verdict is on giving the drug asked about (not on a test, a pause or a stop): a "no" the
    # safety checks give that drug stands over it (session 8 review)
    gives: bool = False
    text: str
    plain: str


class RulingsFile(StrictModel):
    schema_: Literal["mbc/answer-rulings@1"] = Field(alias="schema")
    rulings: tuple[Ruling, ...]


class Monitoring(_Cited):
    drugs: tuple[str, ...] = ()
    classes: tuple[str, ...] = ()
    effects: str
    monitoring: str
    plain: str


class MonitoringFile(StrictModel):
    schema_: Literal["mbc/answer-monitoring@1"] = Field(alias="schema")
    entries: tuple[Monitoring, ...]


class Definition(_Cited):
    name: str
    patterns: tuple[str, ...] = Field(min_length=1)
    text: str
    plain: str


class DefinitionsFile(StrictModel):
    schema_: Literal["mbc/answer-definitions@1"] = Field(alias="schema")
    terms: tuple[Definition, ...]


class Section(_Cited):
    heading: str
    points: tuple[str, ...] = Field(min_length=1)


class OverviewPatient(StrictModel):
    intro: tuple[str, ...]
    by_type: tuple[str, ...]
    other: tuple[str, ...]


class OverviewFile(StrictModel):
    schema_: Literal["mbc/answer-overview@1"] = Field(alias="schema")
    title: str
    typical_facts: dict[str, Any]
    max_per_group: int = Field(3, ge=1)
    typical_note: str
    # a question matching one of these asks about every subtype: the overview is not narrowed
    all_subtypes: tuple[str, ...] = ()
    sections: tuple[Section, ...] = Field(min_length=1)
    patient: OverviewPatient


class PatientFile(StrictModel):
    schema_: Literal["mbc/answer-patient@1"] = Field(alias="schema")
    verdicts: dict[str, str]
    intros: dict[str, str]
    ask_team: tuple[str, ...]
    no_dose: str
    footer: str


class Rewrite(StrictModel):
    pattern: str
    replace: str


class Overlay(StrictModel):
    id: str
    all: tuple[str, ...] = Field(min_length=1)
    unless: tuple[str, ...] = ()
    # record fields (dotted paths) and the value the question gives them
    set: dict[str, Any] = Field(default_factory=dict)
    # list fields (dotted paths) and the item the question adds to them
    add: dict[str, str] = Field(default_factory=dict)
    # replace a value the note reader read (default: only fill a field it left unset)
    override: bool = False
    # the record must already hold these values (dotted path -> value) for the overlay to apply
    requires: dict[str, Any] = Field(default_factory=dict)
    said: str


class Dates(StrictModel):
    """Month-year dates a question gives for the relapse and for the end of a therapy;
    ``{date}`` in a pattern stands for ``date`` (named groups mon + year, or mm + yy)."""

    date: str
    months: dict[str, int]
    metastatic: tuple[str, ...] = ()
    # the metastases described as found now ("now multiple liver mets", "now relapsed"): the
    # date answered for, when the question gives no other date of the relapse
    metastatic_now: tuple[str, ...] = ()
    therapy_end: tuple[str, ...] = ()


class Number(StrictModel):
    """A number the question gives (group ``v``), into a record field where the reader left it unset."""

    id: str
    pattern: str
    field: str
    min: float | None = None
    max: float | None = None
    said: str
    # session 9: the value is multiplied by this into the field's unit (calcium mmol/L -> mg/dL); min / max
    # bound the value as the question gives it
    scale: float = 1.0


class Creatinine(StrictModel):
    pattern: str
    per_mg_dl: float = Field(gt=0)  # this unit's value of 1 mg/dL


class Clearance(StrictModel):
    """Creatinine clearance by Cockcroft-Gault from a serum creatinine the question gives, with
    the age, weight and sex read (all three needed): (offset - age) x kg / (divisor x mg/dL),
    x female_factor for a woman."""

    creatinine: tuple[Creatinine, ...] = Field(min_length=1)
    age_offset: float
    divisor: float = Field(gt=0)
    female_factor: float = Field(gt=0)
    citations: tuple[str, ...] = Field(min_length=1)
    said: str


class Courses(StrictModel):
    """Metastatic courses a question names as given that the note reader did not record, and
    course durations ("PD at 5 months", "(14 mo)", "19 month <drug>") that date undated courses."""

    # the text between two drug mentions of one course ("X + Y", "X with Y", "X/Y"), matched in full
    join: str
    # words in the clause before a course that make it (neo)adjuvant: such courses are left to the reader
    early: str
    # words that say the disease progressed (the last course named ended at progression)
    progression: str
    # words that say the last course is still given (a listed last course is otherwise taken as ended)
    ongoing: str
    said: str
    # words that name metastatic disease: a course with no setting in a question that names it and
    # no early cancer is a metastatic course (session 6, second pass); empty = never
    metastatic: str = r"(?!)"
    # a duration right after the drugs of a course / right before them (groups `v` and `u`)
    duration_after: tuple[str, ...] = ()
    duration_before: tuple[str, ...] = ()
    # months per unit, by the unit's first letter (m, y, w)
    months: dict[str, float] = Field(default_factory=dict)
    said_duration: str = ""
    # session 7: the disease progresses now: courses still given ended at progression
    now_progression: str = r"(?!)"
    now_unless: str = r"(?!)"
    said_now: str = ""
    # session 9: a sequence word between two courses ("then", "followed by"): the first ended
    # (mbc.answer._superseded); `said_superseded` ({drugs}, {later}) empty = never
    superseded_by: str = r"(?!)"
    said_superseded: str = ""
    # session 9: words that say a course has not progressed ("never progressed on it", "still responding"):
    # a course read as ended at progression is still given when its own stretch of the sentence says so
    not_progressed: str = r"(?!)"
    said_not_progressed: str = ""


class Pregnancy(StrictModel):
    """Session 9: pregnancy as the question states it - never over- nor under-read."""

    # "not pregnant now", "pregnancy test negative": not pregnant
    not_now: str = r"(?!)"
    # a pregnancy in the past ("was 12 weeks pregnant last year", "a pregnancy in 2023")
    past: str = r"(?!)"
    # a pregnancy now ("is 20 weeks pregnant", "currently pregnant"): the reader's reading stands
    present: str = r"(?!)"
    said_not_now: str = ""
    said_past: str = ""


class SubtypeFill(StrictModel):
    """A subtype a yes/no question may be answered for when it gives no full subtype."""

    id: str
    set: dict[str, Any] = Field(min_length=1)
    said: str


class GivenImplies(StrictModel):
    """A subtype field a question leaves unset, read from the class of a cancer drug it names
    as already given (a CDK4/6 inhibitor is given for HR+/HER2- disease)."""

    classes: tuple[str, ...] = Field(min_length=1)
    set: dict[str, Any] = Field(min_length=1)
    said: str
    # session 7: a usual assumption (may decide; said first as "Assuming <assume>: ...")
    usual: bool = False
    assume: str | None = None


class LineCount(StrictModel):
    """ "after 2 lines of endocrine therapy" with no drugs named: that many metastatic courses
    of stand-in drugs of the class (group ``n``), each ended at progression, stated."""

    id: str
    pattern: str
    stand_ins: tuple[tuple[str, ...], ...] = Field(min_length=1)
    # other sequences a careful reader would accept as well (session 6, second pass): an option
    # is preferred on the stand-ins only when it is preferred for each of them (answer/_safety.py)
    variants: tuple[tuple[tuple[str, ...], ...], ...] = ()
    said: str
    setting: Literal["metastatic", "neoadjuvant", "adjuvant"] = "metastatic"  # session 7


class FactsFile(StrictModel):
    schema_: Literal["mbc/answer-facts@1"] = Field(alias="schema")
    dates: Dates | None = None
    # an undated (neo)adjuvant course of these drug classes, with another course recorded after
    # it, ended before that course ("adj <chemotherapy> then <endocrine drug>"): stop reason `completed`
    completed_before_next: tuple[str, ...] = ()
    numbers: tuple[Number, ...] = ()
    clearance: Clearance | None = None
    premise_rewrites: tuple[Rewrite, ...] = ()
    spelling: tuple[Rewrite, ...] = ()  # session 6: misspellings ("HER2 positve") put right first
    prior_line: tuple[str, ...] = ()
    # the same, named right after the drugs of the line ("<drug> (2nd line)", "<drug> in 2L");
    # matched against the start of the text after the drug
    prior_line_after: tuple[str, ...] = ()
    # the line the question asks about ("3rd line q", "What would you give as 4L?"): group `n`
    # (a digit or an ordinal word); compared with the line the named treatments give
    asked_line: tuple[str, ...] = ()
    asked_line_note: str = ""
    ordinals: dict[str, int] = Field(default_factory=dict)
    overlays: tuple[Overlay, ...] = ()
    courses: Courses | None = None
    subtype_fills: tuple[SubtypeFill, ...] = ()
    given_implies: tuple[GivenImplies, ...] = ()
    line_counts: tuple[LineCount, ...] = ()
    safety_topics: tuple[SafetyTopic, ...] = ()
    # session 7: "PIK3CA E545K" (groups gene, var), a gene with no result; not denied after, nor asked before
    variants: str = r"(?!)"
    variant_unless: str = r"(?!)"
    variant_hedge: str = r"(?!)"
    pregnancy: Pregnancy | None = None
    # session 9: treatment by mouth only ("refuses drips"): all-oral options named first (ranking kept)
    oral_only: str = r"(?!)"


@dataclass(frozen=True)
class AnswerKB:
    """The question-answer knowledge of one KB (``knowledge/answer``)."""

    intents: IntentsFile
    verdicts: VerdictsFile
    rulings: RulingsFile
    monitoring: MonitoringFile
    definitions: DefinitionsFile
    overview: OverviewFile
    patient: PatientFile
    facts: FactsFile
    ask: AskKB


_FILES: dict[str, type[BaseModel]] = get_type_hints(AnswerKB)  # file name (no .yaml) -> its model
_CACHE: dict[Path, AnswerKB] = {}


def load_answer_kb(kb: KnowledgeBase) -> AnswerKB:
    """Load and check ``kb.path / "answer"`` (cached per KB path).

    Raises:
        KnowledgeError: Listing every problem (schema, unknown citation / drug / class,
            pattern that does not compile).
    """
    root = Path(kb.path) / "answer"
    cached = _CACHE.get(root)
    if cached is not None:
        return cached
    problems: list[Problem] = []
    docs: dict[str, Any] = {}
    for name, model in _FILES.items():
        path = root / f"{name}.yaml"
        rel = f"answer/{name}.yaml"
        if not path.is_file():
            problems.append(Problem((rel,), "file missing", "missing"))
            continue
        try:
            docs[name] = model.model_validate(read_yaml(path))
        except ValidationError as exc:
            for err in exc.errors(include_url=False):
                problems.append(Problem((rel, *map(str, err["loc"])), err["msg"], err["type"]))
    if not problems:
        akb = AnswerKB(**docs)
        problems.extend(_check(kb, akb))
    if problems:
        raise KnowledgeError(f"answer knowledge at {root} is invalid ({len(problems)} problems)", problems)
    _CACHE[root] = akb
    return akb


def _check(kb: KnowledgeBase, akb: AnswerKB) -> list[Problem]:
    out: list[Problem] = []

    def cites(where: tuple[str, ...], ids: tuple[str, ...]) -> None:
        out.extend(
            Problem(where, f"unknown citation {c!r}", "unresolved") for c in ids if c not in kb.sources
        )

    def drugs(where: tuple[str, ...], ids: tuple[str, ...], classes: tuple[str, ...]) -> None:
        out.extend(Problem(where, f"unknown drug {d!r}", "unresolved") for d in ids if d not in kb.drugs)
        out.extend(
            Problem(where, f"unknown drug class {c!r}", "unresolved")
            for c in classes
            if c not in kb.drug_classes
        )

    def regex(where: tuple[str, ...], pattern: str) -> None:
        try:
            re.compile(pattern)
        except re.error as exc:
            out.append(Problem(where, f"pattern does not compile: {exc}", "regex"))

    i = akb.intents
    for it in i.intents:
        for p in (*it.patterns, *it.unless):
            regex(("answer/intents.yaml", it.id), p)
    for p in (*i.audience.patient, *i.audience.clinician, *i.frame_words, *i.prior_context, *i.prior_after,
              *i.exclude_before, *i.alone_words):  # fmt: skip
        regex(("answer/intents.yaml",), p)
    for alias, target in i.drug_aliases.items():
        if target not in kb.drugs and target not in kb.drug_classes:
            out.append(
                Problem(
                    ("answer/intents.yaml", "drug_aliases", alias), f"unknown drug {target!r}", "unresolved"
                )
            )
    for tf in i.test_focus:
        regex(("answer/intents.yaml", "test_focus"), tf.pattern)
        regex(("answer/intents.yaml", "test_focus"), tf.ids)
    drugs(("answer/intents.yaml", "class_words"), (), tuple(i.class_words))
    for cls, words in i.class_words.items():
        for w in words:
            regex(("answer/intents.yaml", "class_words", cls), w)
    for v in akb.verdicts.verdicts:
        cites(("answer/verdicts.yaml", v.id), v.citations)
        drugs(("answer/verdicts.yaml", v.id), v.drugs, v.classes)
    for r in akb.rulings.rulings:
        cites(("answer/rulings.yaml", r.id), r.citations)
        for p in (*r.all, *r.unless):
            regex(("answer/rulings.yaml", r.id), p)
    for m in akb.monitoring.entries:
        cites(("answer/monitoring.yaml", m.id), m.citations)
        drugs(("answer/monitoring.yaml", m.id), m.drugs, m.classes)
    for d in akb.definitions.terms:
        cites(("answer/definitions.yaml", d.id), d.citations)
        for p in d.patterns:
            regex(("answer/definitions.yaml", d.id), p)
    for s in akb.overview.sections:
        cites(("answer/overview.yaml", s.id), s.citations)
    f = akb.facts
    rewrites = (*f.premise_rewrites, *f.spelling)
    for p in (*(w.pattern for w in rewrites), *f.prior_line, *f.prior_line_after, *f.asked_line):
        regex(("answer/facts.yaml",), p)
    drugs(("answer/facts.yaml", "completed_before_next"), (), f.completed_before_next)
    for lc in f.line_counts:
        regex(("answer/facts.yaml", lc.id), lc.pattern)
        for group in (*lc.stand_ins, *(g for v in lc.variants for g in v)):
            drugs(("answer/facts.yaml", lc.id), group, ())
    for t in f.safety_topics:
        for p in (t.words, *([t.settled] if t.settled else [])):
            regex(("answer/facts.yaml", t.id), p)
    for g in f.given_implies:
        drugs(("answer/facts.yaml", "given_implies"), (), g.classes)
    for n in f.numbers:
        regex(("answer/facts.yaml", n.id), n.pattern)
    if f.clearance is not None:
        cites(("answer/facts.yaml", "clearance"), f.clearance.citations)
        for c in f.clearance.creatinine:
            regex(("answer/facts.yaml", "clearance"), c.pattern)
    if f.dates is not None:
        for p in (f.dates.date, *f.dates.metastatic, *f.dates.metastatic_now, *f.dates.therapy_end):
            regex(("answer/facts.yaml", "dates"), p.replace("{date}", f.dates.date))
    for o in f.overlays:
        for p in (*o.all, *o.unless):
            regex(("answer/facts.yaml", o.id), p)
    if f.courses is not None:
        cs = f.courses
        words = (cs.join, cs.early, cs.progression, cs.ongoing, cs.metastatic)
        for p in (*words, *cs.duration_after, *cs.duration_before):
            regex(("answer/facts.yaml", "courses"), p)
    a = akb.ask
    for where, p in (("clause_split", a.clause_split), *a.forms.model_dump().items(), *a.topics.items()):
        regex(("answer/ask.yaml", where), p)
    for pos, rule in enumerate(a.rules):
        out.extend(
            Problem(("answer/ask.yaml", "rules", str(pos)), f"unknown topic {t!r}", "unresolved")
            for t in (*rule.ask, *rule.not_ask, *rule.question, *rule.not_question)
            if t not in a.topics
        )
    return out
