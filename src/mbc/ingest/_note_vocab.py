"""Term vocabularies of the note reader (``knowledge/nlp/lexicon.yaml``, e.g. ``symptoms``).

A vocabulary is a list of terms ``{name, words}``; each word is a regular-expression fragment
(case-insensitive, matched whole). A target rule matches any word of a vocabulary through the
macro ``{vocab_NAME}``; the ``add_term`` action records the name of the term whose words
match the mention's text. Words may be phrased in lay English ("can't catch my breath").
"""

from __future__ import annotations

import functools
import re
from typing import TYPE_CHECKING, Any

from mbc.ingest._data import kb_root, load_yaml

if TYPE_CHECKING:
    from pathlib import Path

_VOCABULARIES = ("symptoms",)


@functools.cache
def _terms_at(root: Path, name: str) -> tuple[tuple[str, re.Pattern[str], tuple[str, ...]], ...]:
    del root  # the cache key: one vocabulary per knowledge root
    rows: list[Any] = load_yaml("nlp/lexicon.yaml").get(name) or []
    out = []
    for row in rows:
        # a space in a word is any run of white space ("left arm\nweakness")
        words = tuple(re.sub(r" +", r"\\s+", str(w)) for w in row["words"])
        out.append((str(row["name"]), re.compile(r"(?:" + "|".join(words) + r")", re.IGNORECASE), words))
    return tuple(out)


def terms(name: str) -> tuple[tuple[str, re.Pattern[str], tuple[str, ...]], ...]:
    """The terms of vocabulary ``name``: (recorded name, whole-text pattern, words)."""
    return _terms_at(kb_root(), name)


def macros() -> dict[str, str]:
    """``vocab_NAME`` -> an alternation of every word of the vocabulary (longest first, so
    "dry cough" wins over "cough" at the same place)."""
    out = {}
    for name in _VOCABULARIES:
        words = {w for _, _, ws in terms(name) for w in ws}
        out[f"vocab_{name}"] = "(?:" + "|".join(sorted(words, key=lambda w: (-len(w), w))) + ")"
    return out


def term_of(name: str, text: str) -> str | None:
    """The name of the first term of vocabulary ``name`` whose words match all of ``text``."""
    key = re.sub(r"\s+", " ", text.strip())
    for term, pattern, _ in terms(name):
        if pattern.fullmatch(key):
            return term
    return None


def words_of(name: str, term: str) -> tuple[str, ...]:
    """The words of one term (empty if the vocabulary has no such term)."""
    return next((ws for t, _, ws in terms(name) if t == term), ())
