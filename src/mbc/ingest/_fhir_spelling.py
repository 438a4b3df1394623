"""Drug names as other languages spell them ("cyklofosfamid", "docetaksel", "levotyroksin"):
a word no drug list knows is compared with the names the lists do know by a spelling key
(``foreign_spelling`` in fhir.yaml: ordered regex rewrites that fold the letters languages
write differently, ph/f, th/t, x/ks, a hard c/k, a soft c/s, y/i, a final e); a word whose key
is the key of exactly one known name is read as that name (issue 11, session 11).
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Mapping
from typing import Any

from mbc.ingest._data import drug_index

__all__ = ["respell"]


def _fold(word: str, rules: tuple[tuple[str, str], ...]) -> str:
    key = unicodedata.normalize("NFKD", word.lower())
    key = "".join(ch for ch in key if not unicodedata.combining(ch))
    for pattern, repl in rules:
        key = re.sub(pattern, repl, key)
    return key


@functools.cache
def _keys(rules: tuple[tuple[str, str], ...], min_length: int, id_: int) -> dict[str, str]:
    """key -> a known single-word name it folds from (a key names of two drugs share is
    dropped; two names of one drug, English and German spellings, may share one)."""
    known = drug_index().by_name
    seen: dict[str, dict[tuple[str, ...], str]] = {}
    for name in sorted(known):
        if len(name) >= min_length and name.isalpha():
            seen.setdefault(_fold(name, rules), {}).setdefault(tuple(known[name]), name)
    return {k: next(iter(v.values())) for k, v in seen.items() if len(v) == 1}


def respell(cfg: Mapping[str, Any], text: str) -> str:
    """``text`` with each word no drug list knows, whose spelling key is that of one known
    name, written as that name."""
    spec = cfg.get("foreign_spelling")
    if not spec or not text:
        return text
    rules = tuple((str(p), str(r)) for p, r in spec["key"])
    least = int(spec.get("min_length", 6))
    known = drug_index().by_name
    keys = _keys(rules, least, id(drug_index()))

    def one(m: re.Match[str]) -> str:
        word = m.group(0)
        if word.lower() in known:
            return word
        return keys.get(_fold(word, rules), word)

    return re.sub(rf"(?<![\w-])[^\W\d_]{{{least},}}(?![\w])", one, text)
