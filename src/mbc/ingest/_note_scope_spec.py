"""The checked spec of note assertion scope (``knowledge/nlp/context.yaml`` ``scope``).

:class:`ScopeSpec` validates the data; :func:`compile_scope` compiles its patterns once when the
pipeline is built. The passes that use it live in :mod:`mbc.ingest._note_scope`.
"""

from __future__ import annotations

import re
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, field_validator

_STRICT = ConfigDict(frozen=True, extra="forbid")


def _regex(value: str) -> str:
    try:
        re.compile(value)
    except re.error as exc:
        raise ValueError(f"not a regular expression: {exc}") from exc
    return value


class _Lists(BaseModel):
    model_config = _STRICT
    attrs: tuple[str, ...] = Field(min_length=1, description="Attributes a list item passes to the others.")
    blocked_by: tuple[str, ...] = Field((), description="An item with one of these keeps its own status.")
    item_sections: tuple[str, ...] = Field((), description="Sections whose lists are of independent items.")
    held: str = Field(
        "(?!)", description="Words before a drug in its clause: the patient is on it (not withheld)."
    )
    link: str = Field(description="What may stand between two items of one list (matched in full).")
    max_gap: int = Field(160, ge=1, le=400)
    _check = field_validator("link", "held")(_regex)


class _Questions(BaseModel):
    model_config = _STRICT
    ends: str = Field(description="A sentence that asks (matched at its end).")
    starts: str = Field("(?!)", description="A line that asks, by its label ('Q:').")
    current: str = Field(description="Words before a drug (in its clause) that say the patient is on it.")
    proposes: str = Field(
        "(?!)", description="Words right before a drug that ask to start it ('go on', 'start her on')."
    )
    clause_break: str = Field(description="Where the clause before a drug begins.")
    asks_from: str = Field(
        description="A strong break (':', ';', '(', a dash): a question asks about what follows the last one."
    )
    attr: str = "planned"
    _check = field_validator("ends", "starts", "current", "proposes", "clause_break", "asks_from")(_regex)


class _LineLabel(BaseModel):
    model_config = _STRICT
    label: str = Field(description="The label at the start of a line ('Negatives:', 'Not taking:').")
    attr: str
    _check = field_validator("label")(_regex)


class _Sentences(BaseModel):
    model_config = _STRICT
    conditional: str = Field(
        description="A sentence that opens with a condition: everything in it is hypothetical."
    )
    relative_subject: str = Field(
        description="A sentence (or line) about a relative: group `who`; every fact in it is the relative's."
    )
    proposal: str = Field(
        "(?!)",
        description=(
            "A sentence that requests, proposes or quotes a label: its drugs are not given unless said"
            " current."
        ),
    )
    given_after: str = Field(
        "(?!)",
        description=(
            "Words right after a drug (in its clause) saying it was given: a proposal sentence keeps it."
        ),
    )
    given_before: str = Field(
        "(?!)",
        description=(
            "Words before a drug (in its clause) saying the patient is or was on it: a proposal keeps it."
        ),
    )
    _check = field_validator("conditional", "relative_subject", "proposal", "given_after", "given_before")(
        _regex
    )


class _Requests(BaseModel):
    model_config = _STRICT
    document: str = Field(
        description="Words that make the whole note a request (prior authorisation, appeal)."
    )
    subject: str = Field(
        description="A subject or form line of a request ('Re:', 'Drug requested:'), matched at a line start."
    )
    header: str = Field(description="Words anywhere on a line that make it the request's heading.")
    attr: str = "planned"
    _check = field_validator("document", "subject", "header")(_regex)


class _Forms(BaseModel):
    model_config = _STRICT
    unticked: str = Field(
        description="An empty box; the item after it (to the next box or line end) is not a fact."
    )
    ticked: str = Field(description="A ticked box (ends an unticked item).")
    option: str = Field(description="An answer word right after a box ('[ ] yes [x] no').")
    answer: str = Field(description="'Item: answer' on one line; groups `item` and `answer`.")
    answer_no: str = Field(description="An answer that denies the item.")
    answer_unknown: str = Field(description="An answer that leaves the item unknown.")
    line_labels: tuple[_LineLabel, ...] = Field(
        (), description="Line labels whose items all take an attribute."
    )
    list_headers: tuple[_LineLabel, ...] = Field(
        (),
        description="A line that ends with this label: the list items on the lines below take the attribute.",
    )
    list_item: str = Field(r"^[ \t]*(?:[-•*]|\d{1,2}[.)]|[a-z][.)])[ \t]", description="A list item line.")
    row_answer: str = Field(
        "(?!)",
        description=(
            "A table row whose answer column ends the line ('Visceral crisis    N'); groups `item`, `answer`."
        ),
    )
    pair_answer: str = Field(
        "(?!)", description="A 'key=value' pair of a coded form ('brain=0'); groups `item`, `answer`."
    )
    answer_stopped: str = Field(
        "(?!)", description="An answer saying the item (a medication) is stopped: it takes `ended`."
    )
    ended_item: str = Field(
        "(?!)", description="A list item line saying its drug is given no more; group `item`."
    )
    qa_question: str = Field("(?!)", description="A numbered query line ('Q7.'); its reply follows.")
    qa_answer: str = Field("(?!)", description="The reply line of a query ('A7. N.'); group `answer`.")
    _check = field_validator(
        "unticked",
        "ticked",
        "option",
        "answer",
        "answer_no",
        "answer_unknown",
        "list_item",
        "row_answer",
        "pair_answer",
        "answer_stopped",
        "qa_question",
        "qa_answer",
        "ended_item",
    )(_regex)


class _DrugStatus(BaseModel):
    model_config = _STRICT
    trigger: tuple[str, ...] = Field(min_length=1)
    current: str = Field(description="Words before a mention (in its sentence) saying the patient takes it.")
    current_after: str = Field("(?!)", description="Words right after a mention saying the patient takes it.")
    current_sections: tuple[str, ...] = ()
    _check = field_validator("current", "current_after")(_regex)


class _Corrections(BaseModel):
    model_config = _STRICT
    opens: str = Field(
        description="Words opening a correction (addendum, revised result, attestation 'agree except')."
    )
    reach: int = Field(800, ge=40, le=4000, description="At most this many characters after the opening.")
    copied_opens: str = Field("(?!)", description="A marker opening a block copied from an earlier note.")
    copied_ends: str = Field("(?!)", description="A marker closing a copied block.")
    fresh_header: str = Field("(?!)", description="A header calling what follows current ('today').")
    stale_fields: tuple[str, ...] = Field((), description="Fields a copied block alone cannot give.")
    takes_back: str = Field(
        "(?!)",
        description="A claim and the words taking it back at once ('lung, scratch that'); group `claim`.",
    )
    rejects: str = Field(
        "(?!)", description="A correction naming the wrong term ('sorry, B not A'); group `wrong`."
    )
    reject_reach: int = Field(300, ge=0, le=2000, description="How far back the wrong term is taken back.")
    _check = field_validator("opens", "copied_opens", "copied_ends", "fresh_header", "takes_back", "rejects")(
        _regex
    )


class ScopeSpec(BaseModel):
    """``scope`` of ``knowledge/nlp/context.yaml``."""

    model_config = _STRICT
    lists: _Lists
    questions: _Questions
    forms: _Forms
    sentences: _Sentences
    drug_status: _DrugStatus
    requests: _Requests | None = None
    corrections: _Corrections | None = None


class CompiledScope:
    def __init__(self, spec: ScopeSpec) -> None:
        f = re.IGNORECASE
        self.spec = spec
        self.link = re.compile(spec.lists.link, f)
        self.held = re.compile(spec.lists.held, f)
        self.q_ends = re.compile(spec.questions.ends, f)
        self.q_starts = re.compile(spec.questions.starts, f | re.MULTILINE)
        self.q_current = re.compile(spec.questions.current, f)
        self.q_proposes = re.compile(spec.questions.proposes, f)
        self.q_break = re.compile(spec.questions.clause_break, f)
        self.q_from = re.compile(spec.questions.asks_from, f)
        self.box = re.compile(f"(?P<unticked>{spec.forms.unticked})|(?P<ticked>{spec.forms.ticked})", f)
        self.option = re.compile(spec.forms.option, f)
        self.item_break = re.compile(r"[:;,.]\s")
        self.sentence_break = re.compile(r"[.;]\s")
        self.answer = re.compile(spec.forms.answer, f | re.MULTILINE)
        self.row_answer = re.compile(spec.forms.row_answer, f | re.MULTILINE)
        self.answer_no = re.compile(spec.forms.answer_no, f)
        self.answer_unknown = re.compile(spec.forms.answer_unknown, f)
        self.pair_answer = re.compile(spec.forms.pair_answer, f)
        self.answer_stopped = re.compile(spec.forms.answer_stopped, f)
        self.ended_item = re.compile(spec.forms.ended_item, f | re.MULTILINE)
        self.qa_question = re.compile(spec.forms.qa_question, f | re.MULTILINE)
        self.qa_answer = re.compile(spec.forms.qa_answer, f | re.MULTILINE)
        self.line_labels = [(re.compile(x.label, f | re.MULTILINE), x.attr) for x in spec.forms.line_labels]
        self.list_headers = [
            (re.compile(x.label + r"[ \t]*$", f | re.MULTILINE), x.attr) for x in spec.forms.list_headers
        ]
        self.list_item = re.compile(spec.forms.list_item, f | re.MULTILINE)
        self.conditional = re.compile(spec.sentences.conditional, f)
        self.relative = re.compile(spec.sentences.relative_subject, f)
        self.proposal = re.compile(spec.sentences.proposal, f)
        self.given_after = re.compile(spec.sentences.given_after, f)
        self.given_before = re.compile(spec.sentences.given_before, f)
        req = spec.requests
        self.req_document = re.compile(req.document if req else "(?!)", f)
        self.req_subject = re.compile(f"^(?:{req.subject})" if req else "(?!)", f | re.MULTILINE)
        self.req_header = re.compile(req.header if req else "(?!)", f)
        self.med_current = re.compile(spec.drug_status.current, f)
        self.med_current_after = re.compile(spec.drug_status.current_after, f)
        cor = spec.corrections
        self.correction_opens = re.compile(cor.opens if cor else "(?!)", f)
        self.correction_reach = cor.reach if cor else 0
        self.copied_opens = re.compile(cor.copied_opens if cor else "(?!)", f | re.MULTILINE)
        self.copied_ends = re.compile(cor.copied_ends if cor else "(?!)", f)
        self.fresh_header = re.compile(cor.fresh_header if cor else "(?!)", f | re.MULTILINE)
        self.stale_fields = cor.stale_fields if cor else ()
        self.takes_back = re.compile(cor.takes_back if cor else "(?!)", f | re.MULTILINE)
        self.rejects = re.compile(cor.rejects if cor else "(?!)", f | re.MULTILINE)
        self.reject_reach = cor.reject_reach if cor else 0


def compile_scope(doc: dict[str, Any] | None) -> CompiledScope | None:
    """The checked scope spec (``None`` when the rule pack has none)."""
    return CompiledScope(ScopeSpec.model_validate(doc)) if doc else None
