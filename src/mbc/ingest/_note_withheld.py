"""Courses the note names but does not say were given (session 8, issue 11).

Three general reasons, checked after the courses are assembled, each only for a course with no
start or end date of its own (a dated course was given, whatever else its sentence says):

* a choice: two of its drugs are joined by nothing but "or", "vs", "versus" ("we are between A
  or B", "A or B with C"): a regimen is never given as a disjunction; when the note names one of
  them again ("A or B, she takes A") the other is taken out of the course instead, dated or not;
* a proposal in its own sentence: every drug of the course is also named in the same sentence
  as proposed, planned or asked about ("I would recommend A, B and C, with C started at a
  reduced dose"): the later mention is the same proposal;
* a clause that says it is not given (yet): ``not_given`` in knowledge/nlp/therapy.yaml
  ("not part of the current plan", "C1D1 scheduled"), or a line headed as an order
  ("ORDER: ...").

Each course withheld is listed in ``unread`` with its reason.
"""

from __future__ import annotations

import bisect
import itertools
import re
from typing import TYPE_CHECKING, Any, NamedTuple

if TYPE_CHECKING:
    from collections.abc import Mapping

    from mbc.ingest._extraction import RecordBuilder
    from mbc.ingest._note_pipeline import _Mention

__all__ = ["SENTENCE_END", "drop_proposed", "withhold_not_given"]

# where a sentence ends (and the next starts): a full stop, "!" or "?" before a space or the end,
# or a line break; shared with the question reader (mbc.answer._understand, session 9)
SENTENCE_END = re.compile(r"[.!?](?=\s|$)|\n")
# a line break inside a sentence of a hard-wrapped note: the line before ends with no stop mark and
# the next one goes on in lower case or with a joining sign (session 9, second pass)
_SOFT_BREAK = re.compile(r"(?<![.!?:;\s])[ \t]*\n[ \t]*(?=[a-z+&(/,-])")


def _sentence_end(text: str, pos: int) -> re.Match[str] | None:
    """The end of the sentence at ``pos``: ``SENTENCE_END`` past the line breaks of a wrapped line."""
    for m in SENTENCE_END.finditer(text, pos):
        if m.group(0) == "\n" and _SOFT_BREAK.match(text, _line_end_start(text, m.start())):
            continue
        return m
    return None


def _line_end_start(text: str, at: int) -> int:
    """Where the blanks before the line break at ``at`` begin."""
    while at > 0 and text[at - 1] in " \t":
        at -= 1
    return at


def withhold_not_given(
    b: RecordBuilder,
    text: str,
    sents: list[tuple[int, int]],
    drugs: list[_Mention],
    cfg: Mapping[str, Any],
    withheld_attrs: set[str],
) -> None:
    """Drop the courses the note does not say were given (see the module doc)."""
    spec = cfg.get("not_given") or {}
    choice = re.compile(str(spec.get("choice", "(?!)")), re.IGNORECASE)
    clause_cue = re.compile(str(spec.get("clause", "(?!)")), re.IGNORECASE)
    cues = _Cues(
        clause_cue,
        re.compile(str(spec.get("proposal", "(?!)")), re.IGNORECASE),
        re.compile(str(spec.get("before", "(?!)")), re.IGNORECASE),
    )
    header = re.compile(str(spec.get("header", "(?!)")), re.IGNORECASE)
    starts = [a for a, _ in sents]
    drugs = sorted(drugs, key=lambda d: d.start)
    drug_starts = [d.start for d in drugs]
    proposed: dict[int, set[str]] = {}  # sentence -> drugs named there as proposed / asked
    for d in drugs:
        if d.attrs & withheld_attrs:
            k = bisect.bisect_right(starts, d.start) - 1
            proposed.setdefault(k, set()).update(d.inns)
    inns_at = {d.start: d.inns for d in drugs}
    items = b.therapy_sources()
    keep = []
    for t, src in items:
        mentions = _mentions(src, drugs, drug_starts)
        open_choice, unchosen = _choice(text, mentions, choice, inns_at)
        if unchosen and set(t["drugs"]) - unchosen:  # "A or B, she takes A": B was not given
            t["drugs"] = [d for d in t["drugs"] if d not in unchosen]
            b.note_unread(
                {
                    "kind": "mention_not_used",
                    "reason": "the choice not taken",
                    "text": ", ".join(sorted(unchosen)),
                }
            )
        if t.get("start") or t.get("end"):
            reason = None  # a dated course was given, whatever else its sentence says
        elif open_choice:
            reason = "a choice between drugs, not a course given"
        else:
            reason = _reason(t, src, text, starts, proposed, cues, header, drug_starts)
        if reason is None:
            keep.append((t, src))
            continue
        b.note_unread(
            {
                "kind": "mention_not_used",
                "reason": reason,
                **{k: src[k] for k in ("span", "text") if k in src},
            }
        )
    # the drugs proposed: those of the courses withheld above, and those named where the words
    # before them propose them ("recommend A + B", even when no course was made of the mention)
    offered = _proposal_drugs(items, keep) | {
        inn for d in drugs if cues.before.search(_lead(text, d.start)) for inn in d.inns
    }
    keep = _proposed_elsewhere(b, text, keep, offered, cfg)
    if len(keep) != len(items):
        b.replace_therapies(keep)


def drop_proposed(b: RecordBuilder, drugs: list[_Mention], withheld: set[str]) -> None:
    """A bare mention (no date, setting or stop reason) of drugs that the note elsewhere only
    proposes, asks about or withholds is that proposal, not a line given ("I'm thinking X. ...
    X is fine with her anticoagulant"): dropped, and listed in ``unread``."""
    proposed = {i for d in drugs if d.attrs & withheld for i in d.inns}
    if not proposed:
        return
    items = b.therapy_sources()
    keep = []
    for t, src in items:
        bare = not any(t.get(k) for k in ("start", "end", "setting", "stop_reason"))
        if bare and set(t["drugs"]) <= proposed and not src.get("merged"):
            b.note_unread(
                {
                    "kind": "mention_not_used",
                    "reason": "proposed elsewhere in the note",
                    **{k: src[k] for k in ("span", "text") if k in src},
                }
            )
            continue
        keep.append((t, src))
    if len(keep) != len(items):
        b.replace_therapies(keep)


def _proposal_drugs(items: list[Any], keep: list[Any]) -> set[str]:
    """The drugs of the undated courses withheld as proposed, expected or asked about."""
    kept = {id(t) for t, _ in keep}
    return {d for t, _ in items if id(t) not in kept for d in t["drugs"]}


def _proposed_elsewhere(
    b: RecordBuilder, text: str, keep: list[Any], proposed: set[str], cfg: Mapping[str, Any]
) -> list[Any]:
    """A course with no date of its own whose drugs the note only proposes elsewhere ("recommend
    A + B ... recheck glucose weekly on A") is that proposal again, unless its own clause says it was
    given (``not_given.given`` in knowledge/nlp/therapy.yaml; session 9, second pass)."""
    if not proposed:
        return keep
    given = re.compile(str((cfg.get("not_given") or {}).get("given", "(?!)")), re.IGNORECASE)
    out = []
    for t, src in keep:
        span = src.get("span")
        if t.get("start") or t.get("end") or not set(t["drugs"]) <= proposed or src.get("merged") or not span:
            out.append((t, src))
            continue
        lo, hi = int(span[0]), int(span[1])
        stop = _sentence_end(text, max(lo, hi - 1))
        sentence = text[text.rfind("\n", 0, lo) + 1 : stop.start() if stop else len(text)]
        if given.search(sentence):
            out.append((t, src))
            continue
        b.note_unread(
            {
                "kind": "mention_not_used",
                "reason": "proposed elsewhere in the note, not said to be given",
                **{k: src[k] for k in ("span", "text") if k in src},
            }
        )
    return out


def _reason(
    t: Mapping[str, Any],
    src: Mapping[str, Any],
    text: str,
    starts: list[int],
    proposed: Mapping[int, set[str]],
    cues: _Cues,
    header: re.Pattern[str],
    drug_starts: list[int],
) -> str | None:
    mentions = sorted(int(m[0]) for m in src.get("drug_mentions") or [])
    if mentions:
        k = bisect.bisect_right(starts, mentions[0]) - 1
        if k >= 0 and set(t["drugs"]) <= proposed.get(k, set()) and not src.get("merged"):
            return "proposed in the same sentence"
    span = src.get("span")
    if span:
        lo, hi = int(span[0]), int(span[1])
        # its clause and the rest of its sentence up to the next drug ("X approved; C1D1 booked"),
        # not the next sentence when its clause ends with its own full stop
        stop = _sentence_end(text, max(lo, hi - 1))
        k = bisect.bisect_left(drug_starts, hi)
        next_drug = drug_starts[k] if k < len(drug_starts) else len(text)
        tail = min(stop.start() if stop else len(text), next_drug)
        line_start = text.rfind("\n", 0, lo) + 1
        # ... up to a drug named after its own that is not part of it ("A 03-09/2023, residual
        # disease, B planned but she declined": the proposal is B's; session 11)
        j = bisect.bisect_right(drug_starts, mentions[-1]) if mentions else len(drug_starts)
        foreign = drug_starts[j] if j < len(drug_starts) else len(text)
        own = text[lo : min(max(hi, tail), max(foreign, mentions[-1] + 1 if mentions else hi))]
        if cues.clause.search(own) or cues.proposal.search(own) or header.match(text, line_start, hi):
            return "the note says it is not given (yet)"
        if (
            stop is not None
            and stop.group(0) == "?"
            and not _ASIDE.search(text, mentions[-1] if mentions else lo, stop.start())
        ):
            # a question names it ("A, B or C for the fourth line?"), not a question put after
            # it ("She is on A - should we continue?")
            return "asked about, not given"
        if cues.before.search(_lead(text, mentions[0] if mentions else lo)):
            return "proposed or expected, not given"
        # the next sentence names no drug and says the first dose is still to come ("X
        # recommended. First dose planned 03/12.")
        # (not a course said to go on: "On A, tolerating well. C1D1 of the next block booked")
        if not t.get("stop_reason") and stop is not None and stop.group(0) != "\n" and next_drug > stop.end():
            nxt = _sentence_end(text, stop.end())
            end = min(nxt.start() if nxt else len(text), next_drug)
            if cues.clause.search(text[stop.end() : end]):
                return "the note says it is not given (yet)"
    return None


class _Cues(NamedTuple):
    clause: re.Pattern[str]  # the clause or the rest of its sentence says "not given (yet)"
    proposal: re.Pattern[str]  # ... or that it is proposed ("X recommended", "would start X")
    before: re.Pattern[str]  # the words of its clause before it ("likely X", "consider X")


_CONDITION = re.compile(r"\b(?:if|when|once|should|unless|in case|after|at)\b", re.IGNORECASE)


def _aside_end(text: str, at: int) -> int:
    """Where the parenthesis open at ``at`` closes (or the line ends)."""
    close, line = text.find(")", at), text.find("\n", at)
    ends = [x for x in (close, line) if x != -1]
    return min(ends) if ends else len(text)


_ASIDE = re.compile(r"\s[-\u2013\u2014]\s|;|:\s")
_LEAD_BREAK = re.compile(r"[.!?;:](?=\s|$)|\n|\)\s")


def _lead(text: str, lo: int) -> str:
    """The words of a course's clause before its first drug (from the last sentence, semicolon,
    colon or line break before it; at most 60 characters)."""
    cut = max((m.end() for m in _LEAD_BREAK.finditer(text, max(0, lo - 60), lo)), default=max(0, lo - 60))
    return text[cut:lo]


def _mentions(src: Mapping[str, Any], drugs: list[_Mention], starts: list[int]) -> list[tuple[int, int, str]]:
    """The drug mentions of a course (start, end, lower-case text): its own and those of the
    mentions merged into it ("A or B; A chosen, now on A": the later clause joined the course).
    ``drugs`` are sorted by start and ``starts`` are their starts (a bisect per merged span)."""
    own = {(int(m[0]), int(m[1]), str(m[-1]).lower()) for m in src.get("drug_mentions") or []}
    spans = [m["span"] for m in src.get("merged") or [] if isinstance(m, dict) and m.get("span")]
    merged = {
        (d.start, d.end, d.text.lower())
        for a, b in spans
        for d in drugs[bisect.bisect_left(starts, a) : bisect.bisect_left(starts, b)]
    }
    return sorted(own | merged)


def _choice(
    text: str, mentions: list[tuple[int, int, str]], choice: re.Pattern[str], inns_at: Mapping[int, list[str]]
) -> tuple[bool, set[str]]:
    """Two mentions joined by nothing but the choice word ("A or B", "A vs B", "A, or B"): an
    open choice (True) unless one of them is named again after it ("A or B, she takes A": the
    note says which was given), when the drugs of the other one are returned, not given. A choice
    word elsewhere between two mentions ("on A, no pain or fatigue, with B") is no choice."""
    left_out: set[int] = set()  # the starts of the mentions not chosen
    for i, ((a_start, a_end, a), (b_start, b_end, b)) in enumerate(itertools.pairwise(mentions)):
        if not choice.fullmatch(text[a_end:b_start].strip(" \t,(")):
            continue
        if "(" in text[a_end:b_start] and _CONDITION.search(text, b_end, _aside_end(text, b_end)):
            # "on A (or B if PD)": B is the fallback of a condition, A is given (session 9)
            left_out.add(b_start)
            continue
        again = {m[2] for m in mentions[i + 2 :]}
        if not {a, b} & again:
            return True, set()
        left_out.update(x for x, name in ((a_start, a), (b_start, b)) if name not in again)
    named = {inn for m in mentions if m[0] not in left_out for inn in inns_at.get(m[0], ())}
    return False, {inn for x in left_out for inn in inns_at.get(x, ())} - named
