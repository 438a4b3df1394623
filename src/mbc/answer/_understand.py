"""Question understanding: intent, voice, the drugs / classes / terms asked about, and the
premise text handed to the note reader. Everything it matches comes from
``knowledge/answer/intents.yaml`` and ``definitions.yaml`` and the KB drug vocabulary."""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, Literal

from mbc.answer._ask import AskKB, ask_clauses, ask_intent
from mbc.answer._asked import settle_asked
from mbc.answer._schema import AnswerKB
from mbc.ingest import SENTENCE_END, inferences
from mbc.knowledge.loader import KnowledgeBase, read_yaml

__all__ = ["Mention", "Understanding", "classify_intent", "understand"]

Audience = Literal["clinician", "patient"]
_FLAGS = re.IGNORECASE
_CLAUSE = re.compile(r"[.;,?!\n:]|\s[-–—]\s|\bwhat\b|\bis\b|\bshould\b|\bcan\b", _FLAGS)


@dataclass(frozen=True)
class Mention:
    """A drug or drug class named in the question."""

    kind: Literal["drug", "class"]
    id: str
    start: int
    end: int
    prior: bool
    negated: bool = False
    # a line-of-therapy marker directly before it ("L2 <drug>"): (start, end, line)
    line: tuple[int, int, int] | None = None
    # session 11: where the negation word that negates it starts (-1: none) - one window for every reader
    cue: int = -1


@dataclass
class Understanding:
    """What a question asks, before the patient facts are read."""

    question: str
    audience: Audience
    drugs: list[str] = field(default_factory=list)
    classes: list[str] = field(default_factory=list)
    prior_drugs: list[str] = field(default_factory=list)
    terms: list[str] = field(default_factory=list)
    premise: str = ""
    # asked on its own ("just <drug>", "skip the <drug class>"): no other regimen part
    alone: bool = False
    excluded: list[str] = field(default_factory=list)
    # every drug and class mention of the question (prior, negated and asked alike)
    mentions: list[Mention] = field(default_factory=list)


_Index = tuple[re.Pattern[str], dict[str, tuple[str, str]], list[tuple[re.Pattern[str], str]]]
_INDEX: dict[int, _Index] = {}
_REGIMENS: dict[int, list[tuple[re.Pattern[str], tuple[str, ...]]]] = {}


def _regimens(kb: KnowledgeBase) -> list[tuple[re.Pattern[str], tuple[str, ...]]]:
    """Regimen abbreviations of the reader's drug list (``THP``, ``AC-T``), case-sensitive."""
    cached = _REGIMENS.get(id(kb))
    if cached is not None:
        return cached
    out: list[tuple[re.Pattern[str], tuple[str, ...]]] = []
    ingest = Path(kb.path) / "ingest" / "drugs.yaml"
    doc: Any = read_yaml(ingest) if ingest.is_file() else {}
    for entry in sorted(doc.get("regimens", []) or [], key=lambda e: -len(str(e.get("abbrev", "")))):
        drugs = tuple(kb.lookup_drug(d) or d for d in entry.get("drugs", []))
        if entry.get("abbrev") and all(d in kb.drugs for d in drugs):
            out.append((re.compile(rf"(?<![\w-]){re.escape(entry['abbrev'])}(?![\w-])"), drugs))
    _REGIMENS[id(kb)] = out
    return out


def _index(kb: KnowledgeBase, akb: AnswerKB) -> _Index:
    """Names (generic, synonym, brand, ingest synonym, alias) -> (kind, id), as one regex."""
    cached = _INDEX.get(id(kb))
    if cached is not None:
        return cached
    names: dict[str, tuple[str, str]] = {}
    for d in kb.drugs.values():
        for n in (d.id, d.name, d.id.replace("_", " "), *d.synonyms, *d.brands):
            if len(n) > 2:
                names[n.lower()] = ("drug", d.id)
    ingest = Path(kb.path) / "ingest" / "drugs.yaml"
    if ingest.is_file():
        doc: Any = read_yaml(ingest)
        for entry in doc.get("drugs", []):
            inn = entry.get("inn")
            if inn in kb.drugs:
                for n in (*entry.get("synonyms", []), *entry.get("brands", [])):
                    if len(n) > 2:
                        names.setdefault(str(n).lower(), ("drug", inn))
    for alias, target in akb.intents.drug_aliases.items():
        names[alias.lower()] = ("drug", target) if target in kb.drugs else ("class", target)
    alternation = "|".join(re.escape(n) for n in sorted(names, key=len, reverse=True))
    pattern = re.compile(rf"(?<![\w-])(?:{alternation})(?!\w)", _FLAGS)
    classes: list[tuple[re.Pattern[str], str]] = []
    for cls, words in akb.intents.class_words.items():
        for w in words:
            flags = 0 if w.isupper() or re.fullmatch(r"[A-Z]+s?\??", w) else _FLAGS
            classes.append((re.compile(rf"(?<![\w/-])(?:{w})(?![\w/-])", flags), cls))
    _INDEX[id(kb)] = (pattern, names, classes)
    return pattern, names, classes


def _is_prior(text: str, start: int, end: int, akb: AnswerKB) -> bool:
    before = text[max(0, start - 400) : start]  # its clause is near: a long question stays linear
    opened = before.rfind("(")
    inner = ""
    if opened > before.rfind(")"):  # inside a parenthesised list: judge by what precedes it
        inner = before[opened + 1 :]  # session 13: ... or by its clause in the brackets ("(neoadj <drug>")
        before = before[:opened]
    cut = max((m.end() for m in _CLAUSE.finditer(before)), default=0)
    if cut and before[cut - 1] == ":":  # "Prior for MBC: X, Y": the label before the colon counts
        cut = max((m.end() for m in _CLAUSE.finditer(before[: cut - 1])), default=0)
    clause = before[cut:][-60:]
    own = inner[max((m.end() for m in _CLAUSE.finditer(inner)), default=0) :][-60:] if inner else ""
    if any(re.search(p, c, _FLAGS) for p in akb.intents.prior_context for c in (clause, own) if c):
        return True
    if _LISTED.search(before[-160:]):  # the last item of a list of treatments given (session 9)
        return True
    after = text[end : end + 70]  # room for "X with Y and Z has stopped working"
    return any(re.search(p, after, _FLAGS) for p in akb.intents.prior_after)


_SENTENCE_END = SENTENCE_END  # also where the next sentence starts (one splitter with the note reader)
# session 9: a drug closing a list of treatments given ("treated with surgery, RT and <drug>", "had
# mastectomy, AC-T, radiotherapy and <drug>"): each item a short phrase with no verb that asks or plans
_ITEM = (
    r"(?:(?!\b(?:should|would|could|can|will|we|she|he|I|you|they|is|are|give|start|use|try|consider\w*|offer|"
    r"plan\w*|then|now|next|if|or)\b)[^.;:?!,()])"
)
_LISTED = re.compile(
    r"\b(?:treated with|received|had|got|completed|underwent|s/p|status post|tried|prior lines?:?|prior:)\s+"
    rf"(?:{_ITEM}{{1,30}}"
    r"(?:,|;|\band\b|\+|&)\s*){1,5}$",
    _FLAGS,
)


def _line_marker(text: str, start: int, end: int, akb: AnswerKB) -> tuple[int, int, int] | None:
    """A line-of-therapy marker directly before a drug of a statement (not a question):
    the marker's span and the line number."""
    facts = akb.facts
    if not facts.prior_line:
        return None
    stop = _SENTENCE_END.search(text, end)
    if stop is not None and text[stop.start()] == "?":
        return None
    cut = max((m.end() for m in _SENTENCE_END.finditer(text, 0, start)), default=0)
    cut = max(cut, start - 160)
    before = text[cut:start]
    found = [(p, before, cut) for p in facts.prior_line]
    after = text[end : stop.start() if stop is not None else len(text)][:80]
    found += [(p, after, end) for p in facts.prior_line_after]
    for p, where, offset in found:
        m = re.search(p, where, _FLAGS)
        if m is None:
            continue
        n = next((g for g in (m.groupdict().get(k) for k in ("n", "n2", "n3", "n4")) if g), None)
        line = int(n) if n and n.isdigit() else facts.ordinals.get((n or "").lower())
        if line is None:
            continue
        if where is after:  # named after the drugs: no marker to hand the reader
            return end, end, line
        return offset + m.start("m"), offset + m.end("m"), line
    return None


def _planned(text: str, start: int, akb: AnswerKB) -> bool:
    """Session 10: the drug is the object of a plan or a wish ("the oncologist wants X for 2L", "plan is to
    start X", "should I be on X?"), in its own sentence: asked about, not given - whatever line or "on" is
    near."""
    before = text[max(0, start - 60) : start]
    before = before[max((m.end() for m in _SENTENCE_END.finditer(before)), default=0) :]
    return any(re.search(p, before, _FLAGS) for p in akb.intents.asked_context)


def current_medications(u: Understanding, kb: KnowledgeBase, akb: AnswerKB) -> list[str]:
    """Session 10: the non-cancer medicines the question says the patient takes now ("she's on methadone
    60 mg/day",
    "takes amiodarone for AF"): a stated fact the interaction checks need. A medicine stopped, negated or
    only asked about is not one."""
    out: list[str] = []
    for m in u.mentions:
        if m.kind != "drug" or m.negated or not m.prior or kb.drugs[m.id].cancer_drug:
            continue
        before = clause_before(u.question, m.start, akb)
        if any(re.search(p, before, _FLAGS) for p in akb.intents.taking_context) and m.id not in out:
            out.append(m.id)
    return out


def _excluded(text: str, start: int, akb: AnswerKB) -> bool:
    before = clause_before(text, start, akb)
    return any(re.search(p, before, _FLAGS) for p in akb.intents.exclude_before)


def _alone(text: str, m: Mention, akb: AnswerKB) -> bool:
    near = text[max(0, m.start - 25) : m.end + 25]
    return any(re.search(p, near, _FLAGS) for p in akb.intents.alone_words)


def clause_before(text: str, start: int, akb: AnswerKB, width: int = 40) -> str:
    """The words of the drug's own clause just before it (at most ``width`` characters): cut at the sentence's
    start and, session 11, at a clause breaker ("declined <A> but took <B>": <B>'s clause is "took ")."""
    before = text[max(0, start - width) : start]
    cut = max((m.end() for m in _SENTENCE_END.finditer(before)), default=0)
    for p in akb.intents.clause_breakers:
        cut = max(cut, max((m.end() for m in re.finditer(p, before, _FLAGS)), default=0))
    return before[cut:]


def negation_cue(text: str, start: int, akb: AnswerKB) -> int:
    """Where the negation word (the note reader's, knowledge/nlp/inferences.yaml) that negates the drug at
    ``start`` begins, or -1: the nearest one in the drug's own clause (:func:`clause_before`; session 10: "why
    not X? ... after Y" no longer negates Y), unless it asks about the drug ("why not X?")."""
    before = clause_before(text, start, akb)
    if any(re.search(p, before, _FLAGS) for p in akb.intents.not_negating):
        return -1
    if re.search(inferences().negations, before, _FLAGS) is None:
        return -1
    cues = [m.start() for m in re.finditer(f"(?={inferences().negations})", before, _FLAGS)]
    cue = start - len(before) + cues[-1]
    # session 11: the question's own framing ("why not A for her PIK3CA mutation?") denies nothing after it
    spec = akb.facts.asked
    end = cue + len(text[cue:].split(None, 1)[0])
    if spec is not None and re.search(spec.why_not, text[start - len(before) : end], _FLAGS):
        return -1
    return cue


def negated(text: str, start: int, akb: AnswerKB) -> bool:
    """A negation word negates what starts at ``start`` (:func:`negation_cue`)."""
    return negation_cue(text, start, akb) >= 0


def mentions(text: str, kb: KnowledgeBase, akb: AnswerKB) -> list[Mention]:
    """Every drug and drug-class mention, marked prior (already given), negated ("no chemo
    yet") or asked about."""
    pattern, names, classes = _index(kb, akb)
    out: list[Mention] = []
    taken: list[tuple[int, int]] = []
    found: list[tuple[str, str, int, int]] = []
    for m in pattern.finditer(text):
        kind, ident = names[m.group(0).lower()]
        found.append((kind, ident, m.start(), m.end()))
        taken.append((m.start(), m.end()))
    for rrx, drugs in _regimens(kb):
        for m in rrx.finditer(text):
            if any(s <= m.start() < e for s, e in taken):
                continue
            found.extend(("drug", d, m.start(), m.end()) for d in drugs)
            taken.append((m.start(), m.end()))
    for rx, cls in classes:
        for m in rx.finditer(text):
            if any(s <= m.start() < e for s, e in taken):
                continue
            found.append(("class", cls, m.start(), m.end()))
            taken.append((m.start(), m.end()))
    planned: set[int] = set()
    for kind, ident, s, e in found:
        line = _line_marker(text, s, e, akb)
        prior = line is not None or _is_prior(text, s, e, akb)
        # session 10: "wants X for 2L", "should I be on X": asked, not given
        if _planned(text, s, akb):
            prior, line = False, None
            planned.add(s)
        cue = negation_cue(text, s, akb)
        out.append(Mention(kind, ident, s, e, prior, cue >= 0, line, cue))  # type: ignore[arg-type]
    out = _planned_mates(text, sorted(out, key=lambda x: x.start), akb, planned)
    found = _asked_choices(text, _course_mates(text, out, akb, planned))
    return settle_asked(text, found, akb)  # session 10 (askp): asked drugs are never given


# session 12: words between a planned drug and a later one that make the later one history, not the plan
_HISTORY_BETWEEN = re.compile(
    r"\b(?:after|post|following|since|failed|progress\w*|had|received|was|were|s/p|despite|previous\w*|prior|"
    r"before|stopped|instead of|replac\w*|in place of)\b",
    _FLAGS,
)


def _planned_mates(text: str, found: list[Mention], akb: AnswerKB, planned: set[int]) -> list[Mention]:
    """Session 12: drugs named after a planned drug in its clause ("wants me on X with Y plus an injection
    (Z)") are planned with it, not given - unless a history word comes between ("wants X after Y")."""
    out = list(found)
    for i, m in enumerate(out):
        if m.start in planned or not m.prior:
            continue
        lead = [p for p in planned if p < m.start]
        if not lead:
            continue
        gap = text[max(lead) : m.start]
        if len(gap) > 90 or SENTENCE_END.search(gap) or _HISTORY_BETWEEN.search(gap):
            continue
        if any(re.search(b, gap, _FLAGS) for b in akb.intents.clause_breakers):
            continue
        out[i] = replace(m, prior=False, line=None)
        planned.add(m.start)
    return out


_CHOICE_SEP = re.compile(r",|\bor\b|\bvs\.?\b|\bversus\b", _FLAGS)
# review of session 9: a first item opened by a history word ("After X + Y, A or B?", "She had X, then A or
# B?") names what was given, not a choice
_GIVEN_LEAD = re.compile(
    r"^\W*(?:(?:she|he|they|pt|the patient)\s+(?:has\s+|have\s+)?)?"
    r"(?:after|post|following|progress\w*\s+(?:on|after)|failed|on|had|received|s/p|status post|despite)\b",
    _FLAGS,
)


def _asked_choices(text: str, found: list[Mention]) -> list[Mention]:
    """Session 9: the drugs of a choice the question asks ("What order after CDK4/6i: X, Y or Z?",
    "Then X or Y?"): a list of short items, each naming a drug or class, joined by "or" and ending at
    the question mark, is asked about, not given - whatever history word comes before the list."""
    out = list(found)
    for q in re.finditer(r"\?", text):
        start = max(text.rfind(c, 0, q.start()) for c in ":.;?!\n") + 1
        seg = text[start : q.start()]
        if not re.search(r"\bor\b|\bvs\.?\b|\bversus\b", seg, _FLAGS):
            continue
        cuts = [start, *(m.end() + start for m in _CHOICE_SEP.finditer(seg)), q.start()]
        items = [(a, b) for a, b in itertools.pairwise(cuts) if text[a:b].strip(" ,")]
        if items and _GIVEN_LEAD.search(text[items[0][0] : items[0][1]]):
            items = items[1:]  # "After X + Y, A or B?": the first item is the history the choice follows
        named = [any(a <= m.start < b for m in out) for a, b in items]
        if len(items) < 2 or not all(named) or any(len(text[a:b].split()) > 5 for a, b in items):
            continue
        for i, m in enumerate(out):
            if items[0][0] <= m.start < q.start() and m.prior:
                out[i] = replace(m, prior=False, line=None)
    return out


def _course_mates(
    text: str, found: list[Mention], akb: AnswerKB, planned: frozenset[int] | set[int] = frozenset()
) -> list[Mention]:
    """Drugs joined as one course ("X+Y (28 months)", "X with Y") share what marks one of
    them as given: given before (and its line) when any of them is (session 6); session 12: planned
    when its first drug is planned ("wants me on X with Y": Y is planned too, not given)."""
    spec = akb.facts.courses
    if spec is None:
        return found
    out = list(found)
    k = 0
    while k < len(out):
        j = k
        while j + 1 < len(out) and (
            out[j + 1].start == out[j].start
            or re.fullmatch(spec.join, text[out[j].end : out[j + 1].start], _FLAGS) is not None
        ):
            j += 1
        group = out[k : j + 1]
        if group[0].start in planned:
            for i in range(k, j + 1):
                out[i] = replace(out[i], prior=False, line=None)
            k = j + 1
            continue
        lead = next((m for m in group if m.prior), None)
        if lead is not None and not any(m.negated for m in group):
            line = next((m.line for m in group if m.line is not None), None)
            for i in range(k, j + 1):
                if not out[i].prior:
                    out[i] = replace(out[i], prior=True, line=out[i].line or line)
        k = j + 1
    return out


def _audience(text: str, akb: AnswerKB) -> Audience:
    a = akb.intents.audience
    if any(re.search(p, text, _FLAGS) for p in a.clinician):
        return "clinician"
    if any(re.search(p, text, _FLAGS) for p in a.patient):
        return "patient"
    return "clinician"


def _mask(text: str, spans: list[tuple[int, int]]) -> str:
    chars = list(text)
    for s, e in spans:
        for i in range(s, e):
            if chars[i] not in "\n":
                chars[i] = " "
    return "".join(chars)


def understand(
    question: str, kb: KnowledgeBase, akb: AnswerKB, audience: Audience | None = None
) -> Understanding:
    """Read what the question asks and build the premise text for the note reader."""
    every = mentions(question, kb, akb)
    out = [m for m in every if not m.prior and _excluded(question, m.start, akb)]
    found = [m for m in every if not m.negated and m not in out]
    asked = [m for m in found if not m.prior]
    u = Understanding(question=question, audience=audience or _audience(question, akb))
    u.mentions = every
    u.excluded = list(dict.fromkeys(m.id for m in out))
    u.alone = bool(asked) and (bool(out) or any(_alone(question, m, akb) for m in asked))
    for m in asked:
        target = u.drugs if m.kind == "drug" else u.classes
        if m.id not in target:
            target.append(m.id)
    u.prior_drugs = list(dict.fromkeys(m.id for m in found if m.prior and m.kind == "drug"))
    for t in akb.definitions.terms:
        if any(re.search(p, question, _FLAGS) for p in t.patterns):
            u.terms.append(t.id)
    # an asked anticancer drug is not yet given: keep it out of the premise (a non-cancer
    # medication stays, so that the reader records it for the interaction checks)
    spans = [(m.start, m.end) for m in asked if m.kind == "class" or kb.drugs[m.id].cancer_drug]
    for p in akb.intents.frame_words:
        spans.extend((m.start(), m.end()) for m in re.finditer(p, question, _FLAGS))
    # a clause asking whether the patient has something states nothing ("Does she have an ESR1
    # mutation?", "Is she pregnant?", "Any ILD?"); one naming a drug, asked about or given, keeps
    # its facts ("Is <drug> OK for her ESR1-mutant cancer?", "Does she have options after <drug>?")
    for c in ask_clauses(question, akb.ask):
        named = any(c.start <= m.start < c.end for m in every)  # a drug asked about or given
        if not named and re.search(akb.ask.forms.fact, c.text, _FLAGS):
            spans.append((c.start, c.end))
        elif question[c.start : c.end + 1].rstrip().endswith("?") or c.form != "bare":
            spans.extend(_supposed(question, c, akb))
    premise = _mask(question, spans)
    # a line marker the note reader may not know ("L2", "Line 2", "second-line") in its "2L" form
    markers = sorted({m.line for m in found if m.line is not None and m.line[0] < m.line[1]}, reverse=True)
    for s, e, n in markers:
        premise = f"{premise[:s]}{n}L{' ' * max(0, e - s - len(str(n)) - 1)}{premise[e:]}"
    for w in akb.facts.premise_rewrites:
        premise = re.sub(w.pattern, w.replace, premise, flags=_FLAGS)
    # In a question, the premise is given: a question mark does not make it hypothetical.
    u.premise = premise.replace("?", ".")
    return u


def _supposed(question: str, c: Any, akb: AnswerKB) -> list[tuple[int, int]]:
    """Session 9: in a clause that asks, the stretch of a supposition ("what if she is pregnant", to the
    clause end) and the subject of a yes / no question that is no person ("Is pregnancy a problem ...?"):
    asked about, not stated - kept out of the premise, whatever the wording around them."""
    if c.form == "bare" and not question[c.start : c.end + 1].rstrip().endswith("?"):
        return []
    out: list[tuple[int, int]] = []
    frame = re.search(akb.ask.forms.reported, c.text, _FLAGS)
    skip = frame.end() if frame is not None else 0  # "... asks whether": the question itself
    h = re.search(akb.ask.forms.hypothetical, c.text[skip:], _FLAGS)
    if h is not None:
        out.append((c.start + skip + h.start(), c.end))
    if c.form == "polar" and frame is None:
        m = re.search(akb.ask.forms.subject, c.text, _FLAGS)
        if m is not None:
            out.append((c.start + m.start("s"), c.start + m.end("s")))
    return out


def classify_intent(
    u: Understanding,
    akb: AnswerKB,
    *,
    has_patient: bool,
    general: bool | None = None,
    ask: AskKB | None = None,
    cancer_drugs: frozenset[str] = frozenset(),
    ask_general: bool | None = None,
) -> str:
    """The first intent (in file order) whose pattern matches and whose needs are met.

    ``general``: the question names at most a subtype (an overview may still answer it).
    ``ask``: read what the asking sentence asks first (``knowledge/answer/ask.yaml``, session 8);
    ``cancer_drugs``: the anticancer drug ids (a question naming only others asks about supportive care);
    ``ask_general``: for the asking-sentence rules, no patient fact beyond a subtype, sex and age.
    """
    general = (not has_patient) if general is None else general
    if ask is not None:  # what the asking sentence asks (session 8)
        terms = [(t.id, t.patterns) for t in akb.definitions.terms]
        plain = general if ask_general is None else ask_general
        asked = ask_intent(u, ask, terms, general=plain, cancer_drugs=cancer_drugs)
        if asked is not None:
            return asked
    for it in akb.intents.intents:
        if it.requires == "term" and not u.terms:
            continue
        if it.requires == "drug" and not (u.drugs or u.classes or u.prior_drugs):
            continue
        if it.requires == "no_patient" and not general:
            continue
        if it.requires == "patient" and not (has_patient or u.prior_drugs):
            continue
        if any(re.search(p, u.question, _FLAGS) for p in it.unless):
            continue
        if any(re.search(p, u.question, _FLAGS) for p in it.patterns):
            return it.id
    return "overview" if not has_patient else "next_treatment"
