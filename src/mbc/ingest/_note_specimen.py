"""The text a mention's specimen is judged from (its "context"): its line within its sentence,
or the parenthesis around it, without an aside that holds other results.

Session 10: an aside opened after a result and closed on a later line ("PR 0% (breast core
2023<newline>was PR 40%)") is that aside, not the result's own specimen; a result inside a
parenthesis opened on an earlier line is judged from that parenthesis; and when the text before
a result names both a primary and a metastatic specimen ("originally ER 30%; latest biopsy
(pleura) ER 0%"), the nearest one before it is its specimen (``specimen`` in
knowledge/nlp/lexicon.yaml).
"""

from __future__ import annotations

import functools
import re
from pathlib import Path

from mbc.ingest._data import kb_root, load_yaml
from mbc.ingest._note_fields import without_other_results
from mbc.ingest._note_reach import REACH

__all__ = ["mention_context", "wrapped_from"]

# a line that runs on into the next: it ends with a colon, a comma or a word (not a full stop)
_WRAPPED = re.compile(r"(?:[:,]|[A-Za-z0-9%)])[ \t]*\n")
_SENTENCE_END = re.compile(r"[.;?!]\s+")
# session 11: a line that opens with its own form field ("ER (SP1) ...... Negative") starts anew
_FIELD_LINE = re.compile(
    r"[ \t]*[A-Za-z][\w/+-]*(?:[ \t]+(?:\([^()\n]{1,12}\)|[A-Za-z][\w/+-]*)){0,3}"
    r"[ \t]*(?:\.{3,}|_{3,}|[ \t]{3,}\S)"
)


@functools.cache
def _patterns_at(root: Path) -> dict[str, re.Pattern[str]]:
    """The ``specimen`` patterns of knowledge/nlp/lexicon.yaml, compiled once per KB."""
    del root  # the cache key
    spec = load_yaml("nlp/lexicon.yaml").get("specimen") or {}
    return {k: re.compile(str(v), re.IGNORECASE) for k, v in spec.items() if v and isinstance(v, str)}


def _cues_at(root: Path) -> tuple[re.Pattern[str], re.Pattern[str]] | None:
    rx = _patterns_at(root)
    return (rx["primary"], rx["metastasis"]) if "primary" in rx and "metastasis" in rx else None


def _nearest_cue_start(before: str) -> int | None:
    """Where the nearest specimen cue before a result starts, when the text before it names both
    kinds (else None: the whole context is judged as before)."""
    cues = _cues_at(kb_root())
    if cues is None:
        return None
    found = [(m.start(), kind) for kind, rx in enumerate(cues) for m in rx.finditer(before)]
    if len({kind for _, kind in found}) < 2:
        return None
    return max(found)[0]


def _open_paren_before(text: str, start: int, lo: int) -> int:
    """The offset of an unclosed "(" before ``start`` (back to ``lo``), else -1."""
    depth = 0
    for i in range(start - 1, lo - 1, -1):
        c = text[i]
        if c == ")":
            depth += 1
        elif c == "(":
            if depth == 0:
                return i
            depth -= 1
        elif c == "\n" and i + 1 < len(text) and text[i + 1] == "\n":
            return -1  # a blank line: a new paragraph
    return -1


def wrapped_from(text: str, line_a: int) -> int:
    """Where the sentence that runs on into the line starting at ``line_a`` begins on the line
    before (``line_a`` itself when that line ends a sentence)."""
    if line_a <= 0:
        return line_a
    prev_a = text.rfind("\n", 0, line_a - 1) + 1
    if not _WRAPPED.search(text, prev_a, line_a) or _FIELD_LINE.match(text, line_a):
        return line_a
    breaks = [m.end() for m in _SENTENCE_END.finditer(text, prev_a, line_a)]
    return breaks[-1] if breaks else prev_a


def _history_at(root: Path) -> tuple[re.Pattern[str], re.Pattern[str], re.Pattern[str]] | None:
    rx = _patterns_at(root)
    names = ("metastasis", "history_aside", "result_between")
    return tuple(rx[n] for n in names) if all(n in rx for n in names) else None  # type: ignore[return-value]


def _without_history_aside(context: str) -> str:
    """Review rv10-nf: a history word after a metastatic specimen with no result between ("Liver
    biopsy, h/o breast cancer: ER 5%", "Pleural cytology, initially read as reactive: ER 5%")
    tells the disease's past, not the specimen: it is blanked (same length) before the specimen
    is judged (``specimen.history_aside`` in knowledge/nlp/lexicon.yaml)."""
    rxs = _history_at(kb_root())
    if rxs is None:
        return context
    met, hist, result = rxs
    for h in reversed(list(hist.finditer(context))):
        ends = [m.end() for m in met.finditer(context, 0, h.start())]
        if ends and not result.search(context, ends[-1], h.start()):
            context = context[: h.start()] + " " * (h.end() - h.start()) + context[h.end() :]
    return context


def _paren_state(before: str) -> tuple[bool, bool]:
    """(a "(" opened on this line is still open, a ")" closes a parenthesis of an earlier line)."""
    depth, closed_earlier = 0, False
    for c in before:
        if c == "(":
            depth += 1
        elif c == ")":
            if depth == 0:
                closed_earlier = True
            else:
                depth -= 1
    return depth > 0, closed_earlier


def mention_context(text: str, start: int, end: int, sent: tuple[int, int]) -> str:
    """The context of the mention ``text[start:end]`` in sentence ``sent``."""
    return _without_history_aside(_mention_context(text, start, end, sent))


def _mention_context(text: str, start: int, end: int, sent: tuple[int, int]) -> str:
    lo = max(0, start - REACH)
    line_a = text.rfind("\n", lo, start) + 1 or lo
    line_b = text.find("\n", end, end + REACH)
    line_b = min(len(text), end + REACH) if line_b == -1 else line_b
    ctx_a, ctx_b = max(line_a, sent[0]), min(line_b, max(sent[1], end))
    if line_a > 0 and ctx_a == line_a:  # session 10: a sentence wrapped from the line before
        ctx_a = wrapped_from(text, line_a)
    before = text[line_a:start]
    inside, closed_earlier = _paren_state(before)
    if inside:  # inside a parenthesis: its line up to ")"
        close = text.find(")", end, line_b)
        ctx_a, ctx_b = line_a, close + 1 if close != -1 else line_b
    else:
        # session 11: a parenthesis of an earlier line already closed before the result on this
        # line ("(liver,<newline>Nov 2024) ER 30%") is not around it
        opened = _open_paren_before(text, line_a, lo) if line_a > 0 and not closed_earlier else -1
        close = text.find(")", end, min(len(text), end + REACH)) if opened != -1 else -1
        if opened != -1 and close != -1 and "\n\n" not in text[end:close]:
            ctx_a, ctx_b = opened, close + 1  # session 10: an aside begun on an earlier line
    cut = _nearest_cue_start(_without_history_aside(text[ctx_a:start]))  # rv10-nf: same length
    if cut is not None:
        ctx_a += cut
    context = text[ctx_a:ctx_b]
    after = text[end:ctx_b]
    if after.count("(") > after.count(")"):  # session 10: an aside that runs past the line
        close = text.find(")", ctx_b, min(len(text), ctx_b + REACH))
        if close != -1 and "\n\n" not in text[ctx_b:close]:
            head = text[ctx_a:end]
            head = without_other_results(head) if "(" in head else head
            return head + without_other_results(text[end : close + 1])[: ctx_b - end]
    if "(" in context and ctx_a >= line_a and not inside:
        # session 7: an aside holding other results is not this one's
        context = without_other_results(context)
    elif closed_earlier and "(" in after:  # session 11: nor one after a result whose specimen's
        # bracket opened on the line before ("biopsy (liver,<newline>Nov 2024) ER 30% (primary was ...)")
        context = text[ctx_a:end] + without_other_results(after)
    return context
