"""Session 12: a question typed by speech recognition, put back into the words the readers know.

Only a question that carries a dictation cue (``facts.yaml`` ``dictation.cue``: spoken punctuation
such as "question mark", or "voice dictation") is touched: its rewrites (spoken punctuation, "her two"
for HER2), letters spelled out one by one ("e c g", "Q T C F"), number words before a unit ("four
sixty two milliseconds") and a drug name heard as syllables ("rib oh sick lib") joined and matched to
the drug vocabulary by sound. No drug is named here; the names come from the vocabulary.
"""

from __future__ import annotations

import difflib
import itertools
import re
from typing import Any

from mbc.knowledge import KnowledgeBase

__all__ = ["undictate"]

_FLAGS = re.IGNORECASE
_UNITS = {
    "zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
    "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14,
    "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19,
}  # fmt: skip
_TENS = {
    "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50,
    "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90,
}  # fmt: skip
_WORD = "|".join([*_UNITS, *_TENS, "hundred", "and"])
# letters spelled one by one (not "a" or "i", which are words)
_LETTERS = re.compile(r"\b(?:[b-hj-z] ){1,5}[b-hj-z]\b", _FLAGS)


def _below_100(words: list[str]) -> int | None:
    if len(words) == 1:
        return _UNITS.get(words[0], _TENS.get(words[0]))
    if len(words) == 2 and words[0] in _TENS and words[1] in _UNITS and _UNITS[words[1]] < 10:
        return _TENS[words[0]] + _UNITS[words[1]]
    return None


def _number(phrase: str) -> int | None:
    """ "four sixty two" or "four hundred and sixty two" -> 462; "sixty two" -> 62; None when not a number."""
    words = [w for w in re.split(r"[\s-]+", phrase.lower()) if w and w != "and"]
    if not words:
        return None
    if "hundred" in words:
        k = words.index("hundred")
        if k != 1 or words[0] not in _UNITS:
            return None
        rest = _below_100(words[2:]) if words[2:] else 0
        return None if rest is None else _UNITS[words[0]] * 100 + rest
    whole = _below_100(words)
    if whole is not None:
        return whole
    if words[0] in _UNITS and 0 < _UNITS[words[0]] < 10:  # "four sixty two": hundreds, then the rest
        rest = _below_100(words[1:])
        if rest is not None and rest >= 10:
            return _UNITS[words[0]] * 100 + rest
    return None


def _sound(word: str) -> str:
    """A rough spelling by sound: soft c as s, hard c / ck as k, z as s, ph as f, doubled letters once."""
    w = word.lower().replace("ph", "f").replace("ck", "k")
    w = re.sub(r"c(?=[eiy])", "s", w).replace("c", "k").replace("z", "s")
    w = re.sub(r"(?<=[aeiou])h", "", w)
    return re.sub(r"(.)\1+", r"\1", w)


def _drug_sounds(kb: KnowledgeBase) -> dict[str, str]:
    out: dict[str, str] = {}
    for d in kb.drugs.values():
        for n in (d.name, *d.brands):
            if len(n) >= 7 and n.isalpha():
                out.setdefault(_sound(n), n.lower())
    return out


def _join_syllables(text: str, kb: KnowledgeBase, min_ratio: float) -> str:
    sounds = _drug_sounds(kb)
    toks = list(re.finditer(r"[A-Za-z]+", text))
    out: list[tuple[int, int, str]] = []
    i = 0
    while i < len(toks):
        done = False
        for n in (4, 3, 2):
            win = toks[i : i + n]
            if len(win) < n or any(len(t.group(0)) > 6 for t in win):
                continue
            if any(text[a.end() : b.start()] != " " for a, b in itertools.pairwise(win)):
                continue
            heard = _sound("".join(t.group(0) for t in win))
            close = difflib.get_close_matches(heard, list(sounds), n=3, cutoff=min_ratio)
            close = [c for c in close if c[0] == heard[0]]
            ids = {kb.lookup_drug(sounds[c]) or sounds[c] for c in close}
            if len(ids) == 1:
                out.append((win[0].start(), win[-1].end(), sounds[close[0]]))
                i += n
                done = True
                break
        if not done:
            i += 1
    for a, b, name in reversed(out):
        text = f"{text[:a]}{name}{text[b:]}"
    return text


def undictate(text: str, kb: KnowledgeBase, d: Any) -> str:
    """The question with its dictation put right; unchanged without a dictation cue (``d``: ``facts.yaml``
    ``dictation``, or None)."""
    if d is None or not re.search(d.cue, text, _FLAGS):
        return text
    for w in d.rewrites:
        text = re.sub(w.pattern, w.replace, text, flags=_FLAGS)
    text = _LETTERS.sub(lambda m: m.group(0).replace(" ", "").upper(), text)

    def number(m: re.Match[str]) -> str:
        v = _number(m.group(1))
        return m.group(0) if v is None else f"{v} "

    text = re.sub(rf"\b((?:{_WORD})(?:[\s-]+(?:{_WORD}))*)\s+(?=(?:{d.units})\b)", number, text, flags=_FLAGS)
    return _join_syllables(text, kb, d.min_ratio)
