"""Session 12: a cancer drug's name as a patient, an OCR or a speech recogniser spelt it (one
letter off, "ph" for "f", a digit for a letter, a name cut into two or three words by a
dictation) mended to a name the drug index knows before reading. The examples live with the
settings in knowledge/nlp/therapy.yaml; code names no drug.

A run of up to ``max_words`` words on one line (joined by a space or a hyphen: a dictated name
cut into pieces) is compared with every name of a drug of the listed ``kinds`` by a sound key
(``sounds``: "ph" is "f", a soft "c" is "s", "y" is "i", a doubled letter is one, a final "e" is
dropped ...). A key shorter than ``exact_below`` letters must be equal; a longer one may differ by
one letter (an insertion, a deletion or a substitution). Keys shorter than ``min_length`` are never
compared (a short synonym or brand). A run that touches a name the index already finds, or one
of whose words (over three letters) is itself a name the index knows, is left alone.

The mend writes a name of the same drug that fits the run (the matched name, else the longest
other name that fits) and pads the rest with spaces, so the text keeps its length and every span
still points at the note as given. The settings are data (``misspelt_drugs`` in
knowledge/nlp/therapy.yaml).
"""

from __future__ import annotations

import functools
import itertools
import re
from pathlib import Path
from typing import Any

from mbc.ingest._data import drug_index, kb_root, load_yaml

__all__ = ["mend_spelling"]

_WORD = re.compile(r"[A-Za-z][A-Za-z01]*")


class _Spelling:
    def __init__(self, cfg: dict[str, Any]) -> None:
        index = drug_index()
        self.sounds = [(re.compile(str(a)), str(b)) for a, b in cfg.get("sounds") or []]
        self.min_length = int(cfg.get("min_length", 6))
        self.exact_below = int(cfg.get("exact_below", 8))
        self.max_words = int(cfg.get("max_words", 3))
        kinds = set(cfg.get("kinds") or ["antineoplastic"])
        self.titles = re.compile(str(cfg["titles"])) if cfg.get("titles") else None
        self.common = {str(w).lower() for w in cfg.get("common_words") or []}
        self.context = re.compile(str(cfg["context"])) if cfg.get("context") else None
        self.context_chars = int(cfg.get("context_chars", 60))
        fuzzy = cfg.get("fuzzy_brand_context")
        self.fuzzy_context = re.compile(str(fuzzy)) if fuzzy else None
        self.join_min = int(cfg.get("join_min", 8))
        self.brands = _brands()
        self.names: dict[str, list[str]] = {}  # inn -> its names
        for name, inns in index.by_name.items():
            if len(inns) == 1 and index.kind.get(inns[0]) in kinds:
                self.names.setdefault(inns[0], []).append(name)
        self.keys: dict[str, tuple[str, str]] = {}  # sound key -> (inn, name)
        self.brand_keys: set[str] = set()  # keys only a brand has (never matched one letter off)
        for inn, names in self.names.items():
            for name in sorted(names, key=lambda n: n in self.brands):
                if " " in name or "-" in name:
                    continue
                key = self.key(name)
                if len(key) >= self.min_length and key not in self.keys:
                    self.keys[key] = (inn, name)
                    if name in self.brands:
                        self.brand_keys.add(key)
        self.by_first: dict[str, list[str]] = {}
        for key in self.keys:
            if key not in self.brand_keys:
                self.by_first.setdefault(key[0], []).append(key)
        self.known = set(index.by_name)

    def key(self, word: str) -> str:
        out = word.lower()
        for rx, put in self.sounds:
            out = rx.sub(put, out)
        return re.sub(r"(.)\1+", r"\1", out)

    def match(self, key: str, brands: bool = False) -> tuple[str, str] | None:
        if len(key) < self.min_length:
            return None
        if key in self.keys:
            return self.keys[key]
        if len(key) < self.exact_below:
            return None
        near = (k for k in self.by_first.get(key[0], ()) if len(k) >= self.exact_below)
        if brands:  # a name spelt syllable by syllable ("Ver-zen-eo") may be one letter off a brand too
            brand = (k for k in self.brand_keys if k[0] == key[0] and len(k) >= self.exact_below)
            near = itertools.chain(near, brand)
        hits = {self.keys[k] for k in near if _one_edit(key, k)}
        inns = {inn for inn, _ in hits}
        return next(iter(hits)) if len(inns) == 1 else None

    def name_for(self, inn: str, matched: str, room: int) -> str | None:
        if len(matched) <= room:
            return matched
        fits = [n for n in self.names[inn] if len(n) <= room and " " not in n]
        return max(fits, key=len) if fits else None


def _brands() -> set[str]:
    """Every brand name (lower case) of ingest/drugs.yaml: a brand is only mended from an equal key."""
    drugs = load_yaml("ingest/drugs.yaml").get("drugs") or []
    return {str(b).lower() for d in drugs if isinstance(d, dict) for b in d.get("brands") or []}


def _one_edit(a: str, b: str) -> bool:
    """``a`` and ``b`` differ by at most one insertion, deletion or substitution."""
    if abs(len(a) - len(b)) > 1:
        return False
    if len(a) > len(b):
        a, b = b, a
    i = 0
    while i < len(a) and a[i] == b[i]:
        i += 1
    if len(a) == len(b):
        return a[i + 1 :] == b[i + 1 :]
    return a[i:] == b[i + 1 :]


@functools.cache
def _spelling_at(root: Path) -> _Spelling | None:
    del root  # the cache key
    cfg = load_yaml("nlp/therapy.yaml").get("misspelt_drugs")
    return _Spelling(cfg) if cfg else None


def mend_spelling(text: str) -> str:
    """``text`` with each misspelt cancer drug name written as a name the index knows, same length."""
    sp = _spelling_at(kb_root())
    if sp is None:
        return text
    taken = [(a, b) for a, b, _, _ in drug_index().find(text)]
    words = list(_WORD.finditer(text))
    out = list(text)
    n = 0
    while n < len(words):
        done = 0
        for size in range(sp.max_words, 0, -1):
            run = words[n : n + size]
            if len(run) < size or not _joined(text, run):
                continue
            a, b = run[0].start(), run[-1].end()
            if any(x < b + 1 and a - 1 < y for x, y in taken):
                continue
            pieces = [w.group(0).lower() for w in run]
            if size > 1 and any(p in sp.known and len(p) > 3 for p in pieces):
                continue  # a known word among the pieces: a phrase, not one name cut up
            if size == 1 and pieces[0] in sp.known:
                continue
            gaps = [text[x.end() : y.start()] for x, y in itertools.pairwise(run)]
            hyphens = size > 1 and all(g == "-" for g in gaps)
            hit = sp.match(sp.key("".join(pieces)), brands=hyphens or _fuzzy_brand_ok(sp, text, run))
            if hit is None or not _safe(sp, text, run, pieces, hit):
                continue
            name = sp.name_for(hit[0], hit[1], b - a)
            if name is None:
                continue
            if text[a].isupper():
                name = name[0].upper() + name[1:]
            out[a:b] = list(name.ljust(b - a))
            done = size
            break
        n += done or 1
    return "".join(out)


def _joined(text: str, run: list[re.Match[str]]) -> bool:
    """The words of ``run`` follow one another with one space or one hyphen between them."""
    return all(text[x.end() : y.start()] in (" ", "-") for x, y in itertools.pairwise(run))


def _safe(
    sp: _Spelling, text: str, run: list[re.Match[str]], pieces: list[str], hit: tuple[str, str]
) -> bool:
    """Review 16 (M1): a mend never invents a drug from a person's name or from ordinary words."""
    a, b = run[0].start(), run[-1].end()
    line_start = text.rfind("\n", 0, a) + 1
    if sp.titles is not None and sp.titles.search(text[line_start:a]):
        return False  # "Dr Firestone" is a person
    spaced = any(text[x.end() : y.start()] == " " for x, y in itertools.pairwise(run))
    if hit[1] in sp.brands:
        if not spaced:
            return True
        if any(p in sp.common for p in pieces):
            return False  # "the gems are", "tuck is a"
        return sp.context is not None and sp.context.search(_near(sp, text, a, b)) is not None
    return len(run) == 1 or len(hit[1]) >= sp.join_min


def _near(sp: _Spelling, text: str, a: int, b: int) -> str:
    """The text within ``context_chars`` of ``a``..``b`` on the same line."""
    line_start = text.rfind("\n", 0, a) + 1
    line_end = text.find("\n", b)
    line_end = len(text) if line_end < 0 else line_end
    before = text[max(line_start, a - sp.context_chars) : a]
    return before + " " + text[b : min(line_end, b + sp.context_chars)]


def _fuzzy_brand_ok(sp: _Spelling, text: str, run: list[re.Match[str]]) -> bool:
    """One word one letter off a brand ("Verzinio") is mended only with a dose or treatment word near it."""
    if len(run) != 1 or sp.fuzzy_context is None:
        return False
    a, b = run[0].start(), run[0].end()
    before = re.search(r"([A-Za-z]+)[ \t]+$", text[max(0, a - 40) : a])
    if text[a].isupper() and before and before.group(1)[0].isupper():
        return False  # "Harvey Firestone", "Dr Firestone"
    return sp.fuzzy_context.search(_near(sp, text, a, b)) is not None
