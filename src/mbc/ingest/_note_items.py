"""The items and rows a note's therapy clauses are read in (session 10): where one item of a
medication list or one row of a table starts and ends, whether its own words say the drug is not
taken yet or has stopped, a drug named inside an aside of another item, a drug taken back at once
("A... no, B"), a table row dated in the past whose planned mark comes from a header above it,
and the sentence, aside and date shapes of the relapse-date reader (``_note_dates.relapse_date``).
Split out of ``_note_therapy`` (kept under 500 lines)."""

from __future__ import annotations

import bisect
import datetime as dt
import functools
import re
from typing import TYPE_CHECKING, Any

from mbc.ingest._data import kb_root, load_yaml
from mbc.ingest._note_actions import _parse_date
from mbc.ingest._note_status import runs_on

if TYPE_CHECKING:
    from collections.abc import Callable, Mapping
    from pathlib import Path

    from mbc.ingest._note_actions import _State
    from mbc.ingest._note_pipeline import _Mention


def _row_breaks(text: str, a: int, b: int, short: int, joins: re.Pattern[str]) -> list[int]:
    """Where the rows of a list written one item a line start inside the clause [a, b): an
    indented line after a line of the same indent that is short or laid out in columns and
    does not go on to the next ("Medications:\n drug A 1 mg od\n drug B 600 mg (pending)"), or a
    line indented less than the one before (the remark under a row has ended); a hanging indent
    under a bullet or a hard-wrapped sentence is no row (session 10)."""
    out: list[int] = []
    pos = text.find("\n", a, b)
    while pos != -1:
        nxt = pos + 1
        indent = len(text[nxt:b]) - len(text[nxt:b].lstrip(" \t"))
        line_start = text.rfind("\n", 0, pos) + 1
        line = text[line_start:pos]
        prev_indent = len(line) - len(line.lstrip(" \t"))
        body = line.strip()
        if (
            indent > 0
            and text[nxt + indent : nxt + indent + 1] not in ("(", "")
            and not joins.search(body)
            and (indent < prev_indent or (indent == prev_indent and (len(body) <= short or "  " in body)))
        ):
            out.append(nxt)
        pos = text.find("\n", nxt, b)
    return out


_PLAN_SECTIONS = ("plan", "question", "risks_discussed")


def _past_row(
    clause: str, cfg: Mapping[str, Any], ref: dt.date, first: Callable[..., tuple[str, str] | None]
) -> bool:
    """The clause is a course that happened: both ends of its date range are written and past,
    and it says how it ended ("A + B   07/2023   03/2025   progression"), or it started on a
    past date and its end is left open ("A + B  07/2026 -"); no proposal words in it (session 10)."""
    spec = cfg["not_given"]
    if "?" in clause or any(re.search(spec[k], clause, re.IGNORECASE) for k in ("proposal", "before")):
        return False
    m = re.search(cfg["year_range"], clause, re.IGNORECASE)
    if m is not None:
        end = _parse_date(m.group("b"), end=True)
        hit = first(cfg["stop_reasons"], "stop_reason", clause)
        outcome = hit is not None and hit[0] in ("progression", "toxicity", "completed")
        return end is not None and end <= ref and outcome
    m = re.search(cfg["open_start"], clause, re.IGNORECASE | re.MULTILINE)  # "A + B  07/2026 -"
    start = _parse_date(m.group("d"), end=False) if m else None
    return start is not None and start <= ref


def _past_course(in_clause: list[_Mention], usable: list[_Mention]) -> list[_Mention]:
    """A planned or hypothetical mark on a course that happened comes from words outside it
    (a column header "start / stop" above a table row): the mention is read as given; never a
    negated, family or uncertain one."""
    out = []
    for d in in_clause:
        if d in usable or (
            d.attrs <= {"planned", "hypothetical", "historical", "ended"} and d.section not in _PLAN_SECTIONS
        ):
            d.attrs -= {"planned", "hypothetical"}
            out.append(d)
    return out


_NEXT_LINE_ASIDE = re.compile(r"[ \t]*\n[ \t]*\([^()\n]*\)?[^\n]*")


def _self_corrected(
    st: _State,
    text: str,
    cancer: list[_Mention],
    correction: re.Pattern[str] | None,
    mentions: list[_Mention] = (),  # type: ignore[assignment]
) -> list[_Mention]:
    """A drug taken back at once ("A... no, B", "A - sorry, B") is not given; listed in
    ``unread`` (session 10). The drug named next may stand in the next clause ("A - no wait,
    they changed it, it's B"): ``mentions`` are all the note's drug mentions, sorted (session 10b)."""
    if correction is None or not cancer:
        return cancer
    starts = [m.start for m in mentions]
    out = []
    for d in cancer:
        k = bisect.bisect_right(starts, d.start)
        nxt = mentions[k] if k < len(mentions) else None
        if nxt is not None and correction.match(text[d.end : nxt.start]):
            st.builder.note_unread({"kind": "mention_not_used", "reason": "corrected in the note", **d.src()})
            continue
        out.append(d)
    return out


def _item_end(text: str, sent_end: int) -> int:
    """How far a drug's item may reach: the end of its line (the item breaks, sentence ends
    included, stop it sooner), and the next line too when that line opens with an aside
    ("zopiclone 7.5 mg\n (stopped today)"; session 10)."""
    end = text.find("\n", sent_end)
    end = len(text) if end == -1 else end
    aside = _NEXT_LINE_ASIDE.match(text, end)
    return aside.end() if aside else end


def _not_started(
    st: _State,
    text: str,
    bounds: tuple[int, int],
    d: _Mention,
    breaks: re.Pattern[str],
    starts: list[int],
    not_started: re.Pattern[str],
) -> bool:
    """The drug's own item says it has not been taken yet ("X ordered, not yet dispensed", "X
    after the dental check"): no course and no current medication (listed in ``unread``)."""
    item = _item(text, bounds[0], bounds[1], d.start, d.end, breaks, starts)
    if not not_started.search(re.sub(r"\s+", " ", item)):
        return False
    d.attrs.add("planned")  # the other checks (a bare mention elsewhere) see it as not given
    st.builder.note_unread({"kind": "mention_not_used", "reason": "not started yet", **d.src()})
    return True


def _list_aside(st: _State, text: str, d: _Mention, index: Any) -> bool:
    """A cancer drug named inside an aside of a medication-list item ("drug A (started for
    high sugars on X)") is no course of its own (listed in ``unread``; session 10)."""
    if d.section != "medications" or not _aside(text, d.start):
        return False
    if not any(index.kind.get(i) == "antineoplastic" for i in d.inns):
        return False
    why = "named in an aside of a list item"
    st.builder.note_unread({"kind": "mention_not_used", "reason": why, **d.src()})
    return True


def _aside(text: str, at: int) -> bool:
    """A drug named inside a parenthesis of its line ("drug A (restarted, was diet-controlled
    before X)") is an aside of another item, not an item of the list (session 10)."""
    line = text[text.rfind("\n", 0, at) + 1 : at]
    return line.count("(") > line.count(")")


_ITEM_GOES_ON = re.compile(
    r"\s*(?:now|since|then|but|and|last|currently|subsequently|later|resolved|settled|healed|recovered|not|never|"
    r"pending|awaiting)\b|[^\n]*?\b(?:it|this|them|these|further doses?|more doses?|to continue|"
    r"be repeated)\b",
    re.IGNORECASE,
)


# a "|" cell that opens another item ("| drug B 10 mg"): a name followed by a dose, not a status and
# its date ("STOPPED 01/11"; session 11); units: `dose_units` of knowledge/nlp/lexicon.yaml (session 12)
@functools.cache
def _new_item_cell_at(root: Path) -> re.Pattern[str]:
    del root  # the cache key
    units = sorted(map(str, load_yaml("nlp/lexicon.yaml").get("dose_units") or ["mg"]), key=len, reverse=True)
    return re.compile(
        r"\s*[A-Za-z][\w-]*(?:\s+[A-Za-z][\w-]*)?\s+\d+(?:[.,]\d+)?\s*(?:"
        + "|".join(map(re.escape, units))
        + r")(?![a-z])",
        re.IGNORECASE,
    )


def _in_aside(text: str, brk: re.Match[str], others: list[int]) -> bool:
    """An item break inside an open bracket of its line that names no drug ("drug A (ward,
    2/11) | ...") is none; a bracket naming another drug keeps its breaks ("B (replaced A,
    which was stopped)")."""
    if brk.group(0) not in (",", ";") or not _aside(text, brk.start()):
        return False
    line_start = text.rfind("\n", 0, brk.start()) + 1
    opened = text.rfind("(", line_start, brk.start())
    closed = text.find(")", brk.end())
    closed = len(text) if closed == -1 else closed
    k = bisect.bisect_left(others, opened)
    return not (k < len(others) and others[k] < closed)


def _wrapped(text: str, brk: re.Match[str]) -> bool:
    """A line break inside a sentence of hard-wrapped prose (a long line ending with no mark,
    the next going on in lower case: "She received X\nfrom 2022, but it was stopped") does not
    end an item (session 10); a list written one item a line keeps its breaks."""
    if brk.group(0) != "\n":
        return False
    line_start = text.rfind("\n", 0, brk.start()) + 1
    line = text[line_start : brk.start()].rstrip()
    nxt = text[brk.end() : brk.end() + 1]
    tabular = "  " in line or ".." in line or "\t" in line  # a list or table row, not prose
    return len(line) >= 50 and not tabular and line[-1:] not in ".;:,|)" and nxt.islower()


def _item(
    text: str,
    lo: int,
    hi: int,
    a: int,
    b: int,
    breaks: re.Pattern[str],
    others: list[int] = (),  # type: ignore[assignment]
) -> str:
    """The list item around a mention [a, b) inside the clause [lo, hi): from the last item
    break before it to the first one after it; a comma part after it that names no other drug
    is still its item ("drug A - last dose in August, oncologist has stopped it"), and so is a
    table cell after it that names no other drug ("drug A | 250 mg | STOPPED today"); a comma
    inside a bracket ("drug A (ward, 2/11)") is no break (session 10b)."""
    lo = max(lo, a - 600)  # an item starts near its drug: a long clause stays linear
    hi = min(hi, b + 600)  # ... and ends near it
    before = [  # session 13: nor a line break after a word no line ends with ("She stopped the\nsenna")
        m.end()
        for m in breaks.finditer(text, lo, a)
        if not _in_aside(text, m, others) and not runs_on(text, m)
    ]
    end = hi
    after = breaks.search(text, b, hi)
    while after is not None and (_wrapped(text, after) or _in_aside(text, after, others)):
        after = breaks.search(text, after.end(), hi)
    while after is not None:
        end = after.start()
        nxt = breaks.search(text, after.end(), hi)
        while nxt is not None and _in_aside(text, nxt, others):
            nxt = breaks.search(text, nxt.end(), hi)
        part_end = nxt.start() if nxt else hi
        k = bisect.bisect_left(others, after.end())  # ``others``: sorted starts of the drug mentions
        if (
            after.group(0) not in (",", ";", "|")
            or (k < len(others) and others[k] < part_end)
            or (after.group(0) != "|" and not _ITEM_GOES_ON.match(text, after.end(), part_end))
            or (after.group(0) == "|" and _new_item_cell_at(kb_root()).match(text, after.end(), part_end))
        ):
            break
        end = part_end
        after = nxt
        while after is not None and (_wrapped(text, after) or _in_aside(text, after, others)):
            after = breaks.search(text, after.end(), hi)
    return text[(before[-1] if before else lo) : end]


# a sentence for the relapse date: to a full stop or a line break, not a line break inside a
# hard-wrapped sentence (the next line goes on in lower case; session 10)
_SENTENCE = re.compile(r"[^.\n]+(?:(?:\.(?!\s)|\n(?=[ \t]*[a-z]))[^.\n]*)*")
# an aside in brackets: not counted in the distance from the anchor, and its words ("no
# ascites") are not the sentence's doubt (session 10)
_ASIDE = re.compile(r"\([^()\n]*\)")
