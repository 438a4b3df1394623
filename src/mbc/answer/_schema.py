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
from mbc.answer._facts_model import FactsFile
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
    # session 10: a negation word just before a drug that does not negate it ("why not <drug>?" asks about it)
    not_negating: tuple[str, ...] = ()
    # session 11: where a clause ends inside a sentence for a word before a drug ("declined <A> but took
    # <B>": the negation of A does not reach B; the same scope for exclusions and medications taken)
    clause_breakers: tuple[str, ...] = ()
    # session 10: a drug right after one of these is the object of a plan or a wish, not a therapy given
    asked_context: tuple[str, ...] = ()
    # session 10: a non-cancer drug right after one of these is a medication taken now ("she's on <drug>")
    taking_context: tuple[str, ...] = ()
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
    # session 12: drug classes that, asked together with the drug, meet the condition the entry sets
    # ("letrozole + goserelin" in a premenopausal woman: the entry's "only with ovarian suppression" is met)
    met_by: tuple[str, ...] = ()
    verdict: Literal["yes", "no", "certain_circumstances"]
    reason: str
    # session 12: the reason in plain words for a patient (reading grade 6 or below)
    plain: str | None = None


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
    # session 11: a clause about a relative ("her sister has a BRCA2 mutation"): a ruling's `unless` is not
    # tested on it - the relative's result is not the patient's
    relative_clause: str | None = None
    rulings: tuple[Ruling, ...]


class Monitoring(_Cited):
    drugs: tuple[str, ...] = ()
    classes: tuple[str, ...] = ()
    effects: str
    monitoring: str
    plain: str
    # session 12: the one check a treatment answer names when the drug is offered (hyperglycaemia on a
    # PI3K / AKT inhibitor, ILD on a deruxtecan ADC, LVEF on HER2 antibodies); none: no check named
    key: str | None = None


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
              *i.exclude_before, *i.alone_words, *i.not_negating, *i.clause_breakers, *i.asked_context,
              *i.taking_context):  # fmt: skip
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
    if akb.rulings.relative_clause:
        regex(("answer/rulings.yaml", "relative_clause"), akb.rulings.relative_clause)
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
        for p in (f.dates.date, *f.dates.metastatic, *f.dates.metastatic_now, *f.dates.therapy_end,
                  *f.dates.later_relapse):  # fmt: skip
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
