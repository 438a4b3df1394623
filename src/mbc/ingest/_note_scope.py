"""Assertion scope beyond one ConText cue: lists, questions, forms and whole-note drug status.

ConText gives each cue a window of tokens; notes need the scope of a *structure*:

- **Coordinated lists** (:func:`spread_lists`): a modifier that reaches one item of a list of
  drugs covers the whole list ("Options we went through: drug A given the visceral disease,
  or drug B"): items joined by a list link (comma, "or", "and", "vs", "/", "+"), with a
  reason clause, a dose or a parenthesis between them, share the withholding attribute.
- **Questions** (:func:`mark_questions`): a drug in a sentence that asks ("OK to give X?") is
  asked about, unless the words before it say the patient is on it ("on X", "her X").
- **Form lines** (:func:`mark_forms`): an unticked box ("[ ] diabetes"), a "Diabetes: no"
  answer, a "Negatives:" line: the item is not a fact.
- **One drug, one status** (:func:`spread_drug_status`): a non-cancer medication that the note
  proposes or asks about is not a current medication where it is named again without a word
  saying the patient takes it ("GP has prescribed X ... Q: OK to give X?").

All patterns are data (``knowledge/nlp/context.yaml`` ``scope``, checked by :class:`ScopeSpec`
when the pipeline is built). Every pass is linear in the note's length.
"""

from __future__ import annotations

import bisect
import re
from typing import TYPE_CHECKING, Any

from mbc.ingest._note_scope_spec import CompiledScope as _Compiled
from mbc.ingest._note_scope_spec import ScopeSpec, compile_scope

if TYPE_CHECKING:
    from collections.abc import Sequence

__all__ = [
    "ScopeSpec",
    "compile_scope",
    "mark_forms",
    "mark_questions",
    "mark_requests",
    "mark_sentences",
    "spread_drug_status",
    "spread_lists",
]


# ---------------------------------------------------------------- helpers


def _sent_of(starts: list[int], sents: Sequence[tuple[int, int]], pos: int) -> int:
    return max(0, bisect.bisect_right(starts, pos) - 1) if sents else 0


def _by_sentence(sents: Sequence[tuple[int, int]], items: list[Any]) -> dict[int, list[Any]]:
    starts = [a for a, _ in sents]
    out: dict[int, list[Any]] = {}
    for m in sorted(items, key=lambda x: x.start):
        out.setdefault(_sent_of(starts, sents, m.start), []).append(m)
    return out


def _after_last(pattern: re.Pattern[str], text: str, start: int, end: int) -> int:
    """Where the last match of ``pattern`` in ``text[start:end]`` ends (``start`` when none)."""
    pos = start
    for m in pattern.finditer(text, start, end):
        pos = m.end()
    return pos


_WS = re.compile(r"\s+")


def _chains(text: str, items: list[Any], sc: _Compiled) -> list[list[Any]]:
    """Items of one sentence grouped into coordinated lists (in order)."""
    chains: list[list[Any]] = []
    for m in items:
        if chains:
            prev = chains[-1][-1]
            gap = text[prev.end : m.start]
            # whitespace runs as one space: `link` repeats a "\s+" alternative, which backtracks
            # exponentially on a long run of an aligned table when the gap is not a link
            if (
                m.start >= prev.end
                and len(gap) <= sc.spec.lists.max_gap
                and sc.link.fullmatch(_WS.sub(" ", gap))
            ):
                chains[-1].append(m)
                continue
        chains.append([m])
    return chains


# ---------------------------------------------------------------- passes


def spread_lists(sc: _Compiled, text: str, sents: Sequence[tuple[int, int]], drugs: list[Any]) -> None:
    """A withholding attribute of one item of a coordinated drug list covers the whole list."""
    spec = sc.spec.lists
    starts = [a for a, _ in sents]
    for m in drugs:  # "remains on A", "continue A": not withheld by a plan or options cue
        if "planned" in m.attrs and not m.attrs & {"negated", "family", "hypothetical"}:
            a, b = sents[_sent_of(starts, sents, m.start)] if sents else (0, len(text))
            if sc.held.search(text, max(a, m.start - 60), m.start) and not sc.q_ends.search(text, a, b):
                m.attrs.discard("planned")
    for items in _by_sentence(sents, drugs).values():
        for chain in _chains(text, items, sc):
            if len(chain) < 2:
                continue
            attrs: set[str] = set()  # forward: a cue before or on an item covers the items after it
            for m in chain:
                own = {a for a in m.attrs if a in spec.attrs}
                if not (
                    m.section in spec.item_sections or m.attrs & set(spec.blocked_by)
                ) and not _said_current(sc, text, sents, starts, m):
                    m.attrs.update(attrs)
                attrs |= own


def _clause_before(
    sc: _Compiled, text: str, sents: Sequence[tuple[int, int]], starts: list[int], m: Any
) -> str:
    a = sents[_sent_of(starts, sents, m.start)][0] if sents else 0
    before = text[max(a, m.start - 200) : m.start]  # bounded: linear in the note
    # session 8: an aside closed before the drug is not its clause ("(... diabetes on <drug>), or X")
    return _ASIDE.sub(" ", before[_after_last(sc.q_break, before, 0, len(before)) :])


_ASIDE = re.compile(r"\([^()\n]*\)")


def _said_current(
    sc: _Compiled, text: str, sents: Sequence[tuple[int, int]], starts: list[int], m: Any
) -> bool:
    """The words before a drug in its clause say the patient is (or was) on it."""
    return bool(sc.q_current.search(_clause_before(sc, text, sents, starts, m)))


def _asked_current(
    sc: _Compiled, text: str, sents: Sequence[tuple[int, int]], starts: list[int], m: Any
) -> bool:
    """In a question: said current, unless the question asks to start it ("should she go on X?")."""
    clause = _clause_before(sc, text, sents, starts, m)
    return bool(sc.q_current.search(clause)) and not sc.q_proposes.search(clause)


def mark_questions(sc: _Compiled, text: str, sents: Sequence[tuple[int, int]], drugs: list[Any]) -> set[str]:
    """Drugs asked about in a question sentence (not those the patient is said to be on).

    A word of a question that shortens a drug named elsewhere in the note ("OK to give
    short name?") asks about that drug too. Returns the drug ids asked about.
    """
    spec = sc.spec.questions
    asked: set[str] = set()
    starts = [a for a, _ in sents]
    q_lines = [(m.start(), text.find("\n", m.start())) for m in sc.q_starts.finditer(text)]
    q_starts = [s for s, _ in q_lines]
    by_sent = _by_sentence(sents, drugs)
    questions: list[tuple[int, int]] = []
    for k, (a, b) in enumerate(sents):
        j = bisect.bisect_right(q_starts, a) - 1
        in_q_line = j >= 0 and (q_lines[j][1] == -1 or a < q_lines[j][1])
        if not in_q_line:
            if not sc.q_ends.search(text[a:b]):
                continue
            a = _after_last(sc.q_from, text, a, b)  # "Meds: A, B - flagged: on C?" asks about C only
        questions.append((a, b))
        for chain in _chains(text, [d for d in by_sent.get(k, []) if d.start >= a], sc):
            if any(_asked_current(sc, text, sents, starts, m) for m in chain):
                continue
            for m in chain:
                m.attrs.add(spec.attr)
                asked.update(m.inns)
    if questions and drugs:
        names = {d.text.lower(): d.inns for d in drugs}
        for a, b in questions:
            for w in re.finditer(r"[A-Za-z]{5,}", text[a:b]):
                word = w.group(0).lower()
                if word in names:
                    continue
                for name, inns in names.items():
                    if name.startswith(word) and name[len(word) : len(word) + 1].isalpha():  # cut short
                        asked.update(inns)
    return asked


def _box_spans(sc: _Compiled, text: str) -> list[tuple[int, int, str]]:
    """Items of the lines that hold check boxes, each with the attribute its box gives.

    Three layouts: "Item [ ] yes [x] no" (option boxes: the ticked answer decides; none
    ticked = unknown), "[ ] item [x] item" (box before its item) and "item [ ] item [x]"
    (box after its item: the line ends with a box).
    """
    boxes: dict[int, list[tuple[int, int, bool]]] = {}
    for m in sc.box.finditer(text):
        line = text.rfind("\n", 0, m.start()) + 1
        boxes.setdefault(line, []).append((m.start(), m.end(), bool(m.group("ticked"))))
    out: list[tuple[int, int, str]] = []
    for line, row in boxes.items():
        end = text.find("\n", line)
        end = len(text) if end == -1 else end
        words = [sc.option.match(text, b_end, end) for _, b_end, _ in row]
        if all(words):  # option boxes after one item (from the last sentence break)
            item = (_after_last(sc.sentence_break, text, line, row[0][0]), row[0][0])
            chosen = [w.group(0).strip().lower() for w, (_, _, t) in zip(words, row, strict=True) if t and w]
            if not chosen or any(sc.answer_unknown.fullmatch(c) for c in chosen):
                out.append((*item, "uncertain"))
            elif all(sc.answer_no.fullmatch(c) for c in chosen):
                out.append((*item, "negated"))
            continue
        if not text[row[-1][1] : end].strip():  # "item [ ]": each box closes its item
            prev = line
            for b_start, b_end, ticked in row:
                if not ticked:
                    out.append((_after_last(sc.item_break, text, prev, b_start), b_start, "negated"))
                prev = b_end
            continue
        for n, (_, b_end, ticked) in enumerate(row):  # "[ ] item"
            if not ticked:
                out.append((b_end, row[n + 1][0] if n + 1 < len(row) else end, "negated"))
    return out


def mark_forms(sc: _Compiled, text: str, mentions: list[Any]) -> None:
    """Check boxes, "Item: no" answers and "Negatives:" lines: the items are not facts."""
    spans = _box_spans(sc, text)
    answers = [  # session 8: table rows too; session 9: "key=value" pairs of a coded form
        *sc.answer.finditer(text),
        *sc.row_answer.finditer(text),
        *sc.pair_answer.finditer(text),
    ]
    for m in answers:
        answer = m.group("answer").strip()
        if sc.answer_no.fullmatch(answer):
            spans.append((m.start("item"), m.end("item"), "negated"))
        elif sc.answer_unknown.fullmatch(answer):
            spans.append((m.start("item"), m.end("item"), "uncertain"))
        elif sc.answer_stopped.fullmatch(answer):  # "drug X 5 mg    STOP (falls)"
            spans.append((m.start("item"), m.end("item"), "ended"))
    spans.extend(_query_spans(sc, text))
    drugs = [men.start for men in mentions if men.inns]
    for m in sc.ended_item.finditer(text):  # review 11: a drug named on the way has its own phrase
        if not any(m.end("item") <= d < m.end() for d in drugs):
            spans.append((m.start("item"), m.end("item"), "ended"))
    for label, attr in sc.line_labels:
        for m in label.finditer(text):
            line_end = text.find("\n", m.end())
            line_end = len(text) if line_end == -1 else line_end
            if not text[m.end() : line_end].strip() and line_end < len(text):  # "Stopped:" ends the line
                nxt = text.find("\n", line_end + 1)
                line_end = len(text) if nxt == -1 else nxt
            spans.append((m.end(), line_end, attr))
    for label, attr in sc.list_headers:  # "No evidence of:" then "1) ...", "2) ..." below
        for m in label.finditer(text):
            pos = m.end() + 1
            while pos < len(text) and sc.list_item.match(text, pos):
                line_end = text.find("\n", pos)
                line_end = len(text) if line_end == -1 else line_end
                spans.append((pos, line_end, attr))
                pos = line_end + 1
    if not spans:
        return
    spans.sort()
    starts = [s for s, _, _ in spans]
    for men in mentions:
        k = bisect.bisect_right(starts, men.start) - 1
        # spans do not nest much: look back a few
        for j in range(k, max(-1, k - 4), -1):
            s, e, attr = spans[j]
            if s <= men.start and men.end <= e:
                men.attrs.add(attr)
                break


def _query_spans(sc: _Compiled, text: str) -> list[tuple[int, int, str]]:
    """Session 11: a query answered no on its reply line ("Q7. Excl 11 - CNS mets." then "A7.
    N."): what the query names, from its label to the reply, is denied (unknown: uncertain)."""
    out: list[tuple[int, int, str]] = []
    replies = list(sc.qa_answer.finditer(text))
    if not replies:
        return out
    starts = [r.start() for r in replies]
    for q in sc.qa_question.finditer(text):
        k = bisect.bisect_right(starts, q.end())
        if k >= len(replies):
            break
        reply = replies[k]
        between = text[q.end() : reply.start()]
        if sc.qa_question.search(between) or between.count("\n") > 4:  # another query first, or far
            continue
        answer = reply.group("answer")
        if sc.answer_no.fullmatch(answer):
            out.append((q.end(), reply.start(), "negated"))
        elif sc.answer_unknown.fullmatch(answer):
            out.append((q.end(), reply.start(), "uncertain"))
    return out


def mark_sentences(
    sc: _Compiled, text: str, sents: Sequence[tuple[int, int]], mentions: list[Any], proxy: frozenset[str]
) -> None:
    """Sentence types: a conditional sentence ("If she develops X, take Y") is hypothetical as a
    whole; a sentence or line whose subject is a relative ("Her mother's cancer was HER2+",
    "Sister - BRCA2 carrier") is about the relative."""
    starts = [a for a, _ in sents]
    for k, items in _by_sentence(sents, mentions).items():
        a, b = sents[k] if sents else (0, len(text))
        if sc.conditional.match(text, a, b):
            for m in items:
                m.attrs.add("hypothetical")
            continue
        if sc.proposal.search(text, a, b):  # "X is indicated for ...", "we ask for approval of X"
            for m in items:
                if (
                    m.rule is None
                    and m.section not in sc.spec.lists.item_sections
                    and not (
                        sc.given_before.search(_clause_before(sc, text, sents, starts, m))
                        or sc.given_after.match(text, m.end, min(b, m.end + 80))
                    )
                ):
                    m.attrs.add("planned")
        rel = sc.relative.match(text, a, b)
        if rel and rel.group("who").lower() not in proxy:
            for m in items:
                if m.start >= rel.end("who"):
                    m.attrs.add("family")


def mark_requests(sc: _Compiled, text: str, drugs: list[Any]) -> None:
    """In a request letter (prior authorisation, appeal), the drugs on its subject or form
    lines ("Re: X 400 mg", "Drug requested: X") are requested, not given; a heading line that
    names no drug ("PRIOR AUTHORIZATION - URGENT") passes this to the next line with text."""
    if sc.spec.requests is None or not drugs or not sc.req_document.search(text):
        return
    attr = sc.spec.requests.attr
    spans: list[tuple[int, int]] = []
    starts = sorted(d.start for d in drugs)
    lines = [(m.start(), m.end()) for m in re.finditer(r"[^\n]*\S[^\n]*", text)]  # lines with text
    line_starts = [a for a, _ in lines]
    heads = [m.start() for m in sc.req_subject.finditer(text)]  # the whole line
    heads += [m.start() for m in sc.req_header.finditer(text)]  # from the heading words on
    for pos in sorted(set(heads)):
        n = bisect.bisect_right(line_starts, pos) - 1
        if n < 0:
            continue
        line_b = lines[n][1]
        k = bisect.bisect_left(starts, pos)
        if k < len(starts) and starts[k] < line_b:
            spans.append((pos, line_b))
        elif n + 1 < len(lines):  # the heading names no drug: the next line with text
            spans.append(lines[n + 1])
    spans.sort()
    span_starts = [a for a, _ in spans]
    for d in drugs:
        k = bisect.bisect_right(span_starts, d.start)
        if any(a <= d.start and d.end <= b for a, b in spans[max(0, k - 3) : k]):
            d.attrs.add(attr)


def spread_drug_status(
    sc: _Compiled,
    text: str,
    sents: Sequence[tuple[int, int]],
    drugs: list[Any],
    kind: dict[str, str],
    asked: set[str] = frozenset(),  # type: ignore[assignment]
) -> None:
    """A non-cancer medication proposed or asked about is not current where it is named
    again without a word saying the patient takes it."""
    spec = sc.spec.drug_status
    trigger = set(spec.trigger)
    proposed = {
        inn
        for inn in {i for d in drugs if d.attrs & trigger for i in d.inns} | set(asked)
        if kind.get(inn) != "antineoplastic"
    }
    if not proposed:
        return
    starts = [a for a, _ in sents]

    def current(d: Any) -> bool:
        a, b = sents[_sent_of(starts, sents, d.start)] if sents else (0, len(text))
        if sc.q_ends.search(text, a, b) and sc.q_proposes.search(_clause_before(sc, text, sents, starts, d)):
            return False  # "Should she go on X?" asks to start X: not a word that she takes it
        line = text.rfind("\n", 0, d.start) + 1
        return d.section in spec.current_sections or bool(
            sc.med_current.search(text[max(a, line, d.start - 80) : d.start])
            or sc.med_current_after.match(text, d.end, min(len(text), d.end + 60))
        )

    proposed -= {inn for d in drugs for inn in d.inns if inn in proposed and current(d)}
    for d in drugs:
        if set(d.inns) & proposed and not any(kind.get(inn) == "antineoplastic" for inn in d.inns):
            d.attrs.add("planned")
