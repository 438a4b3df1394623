"""The model of ``knowledge/answer/facts.yaml``: what a question states that the note reader may
miss (dates, numbers, courses, pregnancy, subtype fills), read by :mod:`mbc.answer._facts` and its
helpers. Kept apart from :mod:`mbc.answer._schema`, which loads and checks it with the other files."""

from __future__ import annotations

import re
from typing import Any, Literal

from pydantic import Field, field_validator

from mbc.answer._topics import SafetyTopic
from mbc.knowledge.schema import StrictModel

__all__ = ["FactsFile"]


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
    # session 10: the relapse told as a time after a course ended ("liver mets 4 months after her last
    # adjuvant antibody dose", "relapsed 8 months after finishing the adjuvant aromatase inhibitor"): groups
    # `v` (a number or a word in `counts`) and `u` (unit); the course of the drug (or class) named next in the
    # sentence ends that long before the relapse (the relapse date, or the answer date when none is given)
    relative_end: tuple[str, ...] = ()
    # session 10 (second pass): a course's end told as a time ago ("last dose 5 months ago"), the course named
    # before it in its sentence (else the next one named): its end, counted back from the answer date
    ago_end: tuple[str, ...] = ()
    # session 13: the relapse told as a time after a course's written end ("finished <drug> 14-Feb-2026;
    # 7 months later liver mets"): groups `v` and `u`; dated that long after the latest course end read
    later_relapse: tuple[str, ...] = ()
    counts: dict[str, int] = Field(default_factory=dict)


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
    # session 11: the number is an upper bound ("PD-L1 CPS <1"): the field gets this value, the lowest it can
    # take, which must fall on the same side of every threshold the knowledge uses as the bound does
    below_as: float | None = None


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


class Asked(StrictModel):
    """Session 10: drugs the question asks about, compares, lists as choices or proposes are never courses
    given (mbc.answer._asked). In a sentence that asks, from the clause that asks (a question word, an
    auxiliary, a request, or a clause naming a choice) to the "?", a drug stays given only when a history
    word stands before it within its own scope (back to the nearest breaker) or a history marker right
    after it."""

    # a bare clause of an asking sentence that names a choice ("Best sequence: A, B, C?", "A or B?") asks
    choice: str = r"(?!)"
    # what ends the scope of a history word ("which order after <class>: A, B" - the colon; "A or B")
    breakers: str = r"(?!)"
    # an "or" of a choice list ("..., A or B?"): a comma before such a list ends the history word's scope too
    choice_or: str = r"(?!)"
    # history words within a drug's scope: it was given ("What next after <drug>?"); with prior_context
    given: str = r"(?!)"
    # right after a drug: it was given ("<drug> (14 mo)", "<drug> failed", "<drug> 2021-23")
    given_after: tuple[str, ...] = ()
    # a negation that only frames the question ("why not <drug>?", "any reason not to give <drug>?"): asked
    why_not: str = r"(?!)"
    # declined, right before the drug ("doesn't want chemo", "refuses any more IV treatment") or right after
    # it ("<drug> was declined"): neither given nor asked - the reader reads the refusal from the premise
    declined: str = r"(?!)"
    declined_after: str = r"(?!)"

    @field_validator("choice", "breakers", "choice_or", "given", "why_not", "declined", "declined_after")
    @classmethod
    def _compiles(cls, v: str) -> str:
        re.compile(v)
        return v

    @field_validator("given_after")
    @classmethod
    def _all_compile(cls, v: tuple[str, ...]) -> tuple[str, ...]:
        for p in v:
            re.compile(p)
        return v


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


class Dictation(StrictModel):
    """Session 12: a question typed by speech recognition (``cue``: spoken punctuation, "voice
    dictation"): its ``rewrites`` (spoken punctuation, "her two"), then number words before a unit and
    a drug name heard as syllables ("rib oh sick lib") matched to the drug vocabulary by sound
    (``min_ratio``)."""

    cue: str
    rewrites: tuple[Rewrite, ...] = ()
    units: str = r"(?!)"
    min_ratio: float = 0.8


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
    dictation: Dictation | None = None
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
    # session 10: tumour genes the question reports without an alteration in shorthand the reader misses
    # ("ESR1-, PIK3CA-", "PIK3CA/AKT1/PTEN: none found", "both ESR1 and PIK3CA were negative"); `{gene}`
    # stands for `negative_genes`, group `genes` holds the list (wild type where the reader left it unset)
    negative_genes: str = r"(?!)"
    negatives: tuple[str, ...] = ()
    pregnancy: Pregnancy | None = None
    asked: Asked | None = None  # session 10
    # session 9: treatment by mouth only ("refuses drips"): all-oral options named first (ranking kept)
    oral_only: str = r"(?!)"
