"""What the question sentence asks (session 8).

A question's intent is read first from the sentence(s) that ask - each sentence ending in "?",
or the last sentence when none does - not from the case summary before them: the form of each
clause of that sentence (a "what / which / how" question, a yes / no question, a request, a bare
phrase), the topic words in it, and facts the whole question states (a symptom, a dose change).
The vocabulary and the ordered rules are data (``knowledge/answer/ask.yaml``); when no rule
decides, the phrase patterns of ``intents.yaml`` decide (:func:`mbc.answer._understand.classify_intent`).
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass
from typing import Any, Literal

from pydantic import Field

from mbc.ingest import inferences
from mbc.knowledge.loader import KnowledgeBase
from mbc.knowledge.schema import StrictModel

__all__ = ["AskKB", "Clause", "ask_clauses", "ask_intent", "load_ask_kb"]

_FLAGS = re.IGNORECASE
Form = Literal["wh", "polar", "request", "bare"]
Need = Literal[
    "term", "drug", "asked_drug", "no_asked_drug", "asked_supportive", "asked_given", "general", "no_history",
    "lead_drug",
]  # fmt: skip


class AskForms(StrictModel):
    wh: str
    polar: str
    request: str
    # a clause that asks whether the patient has something ("Does she have X?", "Is she X?",
    # "Any X?"): what it names is asked about, not stated (kept out of the premise)
    fact: str = r"(?!)"
    # session 9: in a clause that asks, a supposition ("what if she ...", "in case ...") and the subject of
    # a yes / no question that is no person ("Is pregnancy a problem with X?", "Would an ESR1 mutation
    # change it?") are asked about, not stated: `hypothetical` opens such a stretch (to the clause end);
    # `subject` is the subject after the opening auxiliary, up to the word that opens the predicate
    hypothetical: str = r"(?!)"
    # a yes / no question reported by whoever asks it ("The registrar asks whether ..."): its "whether" opens
    # the question itself, not a supposition
    reported: str = r"(?!)"
    subject: str = r"(?!)"
    # session 10: a "?" glued to the word after it ("Ward referral, ?appropriate for systemic tx") is clinical
    # shorthand for a query: it does not end the sentence, and the sentence it is in asks
    query: str = r"(?!)"
    # session 10: an elliptic clause ("Acceptable?", "Is that normal?", "Thoughts?") asks about what the
    # sentence
    # before it says: that sentence is read with it for its topics and the drugs it names
    refers: str = r"(?!)"


class AskRule(StrictModel):
    intent: Literal[
        "definition", "dose", "side_effects", "response", "trials", "overview", "tests",
        "appropriate", "next_treatment",
    ]  # fmt: skip
    forms: tuple[Form, ...] = ()
    ask: tuple[str, ...] = ()
    not_ask: tuple[str, ...] = ()
    question: tuple[str, ...] = ()
    not_question: tuple[str, ...] = ()
    needs: tuple[Need, ...] = ()


class AskKB(StrictModel):
    schema_: Literal["mbc/answer-ask@1"] = Field(alias="schema")
    clause_split: str
    forms: AskForms
    topics: dict[str, str]
    rules: tuple[AskRule, ...] = Field(min_length=1)


def load_ask_kb(kb: KnowledgeBase) -> AskKB:
    """``knowledge/answer/ask.yaml``, loaded and checked with the rest of the answer knowledge
    (:func:`mbc.answer._schema.load_answer_kb`, cached per KB path).

    Raises:
        KnowledgeError: Listing every problem (schema, unknown topic, pattern that does not compile).
    """
    from mbc.answer._schema import load_answer_kb  # noqa: PLC0415 (the answer KB holds this file's model)

    return load_answer_kb(kb).ask


@dataclass(frozen=True)
class Clause:
    """One clause of an asking sentence: its span in the question and its form; ``lead``: where the text it
    refers to starts (the sentence before an elliptic clause - session 10), else its own start."""

    start: int
    end: int
    text: str
    form: Form
    lead: int = -1

    @property
    def begin(self) -> int:
        return self.start if self.lead < 0 else self.lead


_END = re.compile(r"\?+(?![A-Za-z])|[.!](?=\s|$)|\n")


def _sentences(text: str, query: str = r"(?!)") -> list[tuple[int, int, bool]]:
    """(start, end, asks) of each sentence; ``asks``: it ends in a question mark, or holds a query
    ("?word")."""
    out: list[tuple[int, int, bool]] = []
    start = 0
    for m in _END.finditer(text):
        if text[start : m.start()].strip():
            asks = m.group(0).startswith("?") or re.search(query, text[start : m.start()]) is not None
            out.append((start, m.end(), asks))
        start = m.end()
    if text[start:].strip():
        out.append((start, len(text), re.search(query, text[start:]) is not None))
    return out


def _form(text: str, ak: AskKB) -> Form:
    if re.search(ak.forms.request, text, _FLAGS):
        return "request"
    if re.search(ak.forms.wh, text, _FLAGS):
        return "wh"
    if re.search(ak.forms.polar, text, _FLAGS):
        return "polar"
    return "bare"


def ask_clauses(text: str, ak: AskKB) -> list[Clause]:
    """The clauses of the sentences that ask: those ending in "?", or the last sentence."""
    sentences = _sentences(text, ak.forms.query)
    asking = [s for s in sentences if s[2]]
    if asking and sentences[-1] is not asking[-1] and not text.rstrip().endswith((".", "!")):
        # session 12 (text-message style): a last sentence left without a mark after a question asks too,
        # when it opens as a question does ("shud i stop it?? what do i take")
        s, e, _ = sentences[-1]
        if _form(text[s:e].strip(" -–—;:,"), ak) in ("wh", "polar"):
            asking = [*asking, (s, e, True)]
    out: list[Clause] = []
    for s, e, _ in asking or sentences[-1:]:
        cuts = [s, *(m.start() + s for m in re.finditer(ak.clause_split, text[s:e], _FLAGS)), e]
        first = True
        for a, b in itertools.pairwise(cuts):
            piece = text[a:b]
            lead = len(piece) - len(piece.lstrip(" -–—;:,?"))
            a += lead
            if text[a:b].strip(" ?.!"):
                clause = Clause(a, b, text[a:b], _form(text[a:b], ak))
                if first and re.search(ak.forms.refers, clause.text, _FLAGS):
                    clause = Clause(a, b, clause.text, clause.form, _before(sentences, s))
                out.append(clause)
                first = False
    if asking:
        return out
    # no question mark: the clauses of the last sentence that ask ("Define X and how ..."), or its last;
    # with none, the last earlier sentence that opens with a question word or a request ("what does X mean.
    # doctor said mine is X" - session 9; a yes / no opening is not looked for there: "Has had 2 lines. ...")
    chosen = [c for c in out if c.form != "bare"]
    if chosen:
        return chosen
    for s, e, _ in reversed(sentences[:-1]):
        piece = text[s:e]
        a = s + len(piece) - len(piece.lstrip(" -–—;:,"))
        if _form(text[a:e], ak) in ("wh", "request"):
            return [Clause(a, e, text[a:e], _form(text[a:e], ak))]
    return out[-1:]


_LEAD = re.compile(r"[\W_]*(?:(?:the|a|an|and|so|or|then|what about|how about)\s+)?", _FLAGS)


def _before(sentences: list[tuple[int, int, bool]], start: int) -> int:
    """The start of the sentence before the one starting at ``start`` (-1: none)."""
    earlier = [s for s, e, _ in sentences if e <= start]
    return earlier[-1] if earlier else -1


_NORMAL = re.compile(
    r"^\W*(?:(?:is|are|was|were|and|both|all|has been|have been|levels?|tests?|\w+)\W+){0,3}"
    r"(?:normal|fine|ok|okay|wnl|unremarkable|within normal limits|satisfactory)\b",
    _FLAGS,
)


def _said(pattern: str, text: str) -> bool:
    """The topic occurs in the text, not just after a negation word ("no fever") nor called normal
    ("bilirubin and ALT normal")."""
    neg = inferences().negations
    for m in re.finditer(pattern, text, _FLAGS):
        if re.search(neg, text[max(0, m.start() - 30) : m.start()], _FLAGS) is not None:
            continue
        rest = re.split(r"[.;?!](?:\s|$)", text[m.end() : m.end() + 40])[0]  # within its own sentence
        normal = _NORMAL.search(rest)
        if normal or re.search(r"\bnormal\s+$", text[: m.start()], _FLAGS):
            continue
        return True
    return False


def ask_intent(
    u: Any,
    ak: AskKB,
    terms: list[tuple[str, tuple[str, ...]]],
    *,
    general: bool,
    cancer_drugs: frozenset[str] = frozenset(),
) -> str | None:
    """The intent the asking sentence decides, or None (then the phrase patterns decide).

    ``u``: the :class:`~mbc.answer._understand.Understanding`; ``terms``: (id, patterns) of the
    defined terms; ``general``: the question gives no patient fact beyond a subtype;
    ``cancer_drugs``: the ids of anticancer drugs (a clause naming only others asks about
    supportive care).
    """
    text = u.question
    clauses = ask_clauses(text, ak)
    topics = ak.topics
    named = [m for m in u.mentions if not m.negated]
    # drugs given before, named outside every asking clause (one named in an asking clause is asked about)
    history = [m for m in named if m.prior and not any(k.start <= m.start < k.end for k in clauses)]
    for rule in ak.rules:
        if any(_said(topics[t], text) for t in rule.not_question):
            continue
        if not all(_said(topics[t], text) for t in rule.question):
            continue
        for c in reversed(clauses):  # the last clause first ("..., and what's the 1L?")
            if rule.forms and c.form not in rule.forms:
                continue
            # an elliptic clause ("Acceptable?") is read with the sentence it refers to for what it asks and
            # names;
            # what it rules out is judged on its own words
            read = text[c.begin : c.end]
            if not all(re.search(topics[t], read, _FLAGS) for t in rule.ask):
                continue
            if any(re.search(topics[t], c.text, _FLAGS) for t in rule.not_ask):
                continue
            inside = [m for m in named if c.begin <= m.start < c.end and not m.prior]
            facts = {
                "drug": bool(named),
                "asked_drug": bool(inside),
                # session 10: the clause opens with the drug asked about ("Zometa for new bone mets?")
                "lead_drug": any(_LEAD.fullmatch(text[c.start : m.start]) for m in inside),
                "no_asked_drug": not inside,
                "asked_given": any(m.id in {h.id for h in history} for m in inside),
                "asked_supportive": bool(inside)
                and all(m.kind == "drug" and m.id not in cancer_drugs for m in inside),
                "general": general,
                "no_history": not history,
            }
            ok = all(
                any(re.search(p, read, _FLAGS) for _, ps in terms for p in ps)
                if need == "term"
                else facts[need]
                for need in rule.needs
            )
            if ok:
                return rule.intent
    return None
