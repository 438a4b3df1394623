"""Locate and load the ingest knowledge files (``knowledge/ingest``, ``knowledge/nlp``).

The files are data: codes, names and rule packs. They are read once per process and
cached; nothing here knows a drug, a code or a threshold.
"""

from __future__ import annotations

import contextlib
import contextvars
import functools
import os
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import yaml

from mbc.errors import KnowledgeError, Problem

__all__ = ["DrugIndex", "drug_index", "kb_root", "load_yaml", "using_kb"]

_ROOT: contextvars.ContextVar[Path | None] = contextvars.ContextVar("mbc_ingest_kb", default=None)


@contextlib.contextmanager
def using_kb(path: str | Path | None) -> Iterator[None]:
    """Read the ingest knowledge from ``path`` (``--kb``) inside the block; None: the default."""
    token = _ROOT.set(Path(path) if path is not None else None)
    try:
        yield
    finally:
        _ROOT.reset(token)


def kb_root() -> Path:
    """The knowledge directory: the one given by :func:`using_kb` (``--kb``), else
    ``$MBC_KB_PATH``, else the packaged ``mbc/_kb``.

    Returns:
        The directory holding ``ingest/`` and ``nlp/``.

    Raises:
        KnowledgeError: If no knowledge directory can be found.
    """
    chosen = _ROOT.get()
    candidates: list[Path] = (
        [chosen] if chosen is not None else [_default_root(os.environ.get("MBC_KB_PATH"))]
    )
    for path in candidates:
        if (path / "ingest").is_dir():
            return path
    raise KnowledgeError(
        "cannot find the knowledge directory (set MBC_KB_PATH)",
        [Problem(loc=("knowledge",), msg=f"looked in {', '.join(map(str, candidates))}")],
    )


@functools.lru_cache(maxsize=8)
def _default_root(env: str | None) -> Path:
    """The default knowledge directory for one value of ``$MBC_KB_PATH`` (a cache: it is asked
    for once per mention, and resolving the packaged path cost a fifth of a long note's reading)."""
    del env  # the cache key: default_kb_path reads it
    from mbc.knowledge.loader import default_kb_path

    return default_kb_path()


def load_yaml(relative: str) -> Any:
    """Load one knowledge file of the current knowledge root (cached per root and file).

    Args:
        relative: Path below the knowledge root, e.g. ``"ingest/fhir.yaml"``.

    Returns:
        The decoded YAML document.

    Raises:
        KnowledgeError: If the file is missing or not valid YAML.
    """
    return _load(kb_root(), relative)


@functools.cache
def _load(root: Path, relative: str) -> Any:
    path = root / relative
    try:
        with path.open(encoding="utf-8") as fh:
            return yaml.safe_load(fh)
    except (OSError, yaml.YAMLError) as exc:
        raise KnowledgeError(
            f"cannot read knowledge file {relative}",
            [Problem(loc=(relative,), msg=str(exc))],
        ) from exc


_SPACING = re.compile(r"[\s\u3000-]+")
_KANA = re.compile("[\u3041-\u30ff\u31f0-\u31ff\uff66-\uff9f]")


class DrugIndex:
    """Name and RxNorm look-ups over ``knowledge/ingest/drugs.yaml`` (and the non-cancer
    medications of ``knowledge/ingest/medications.yaml``)."""

    def __init__(self, doc: dict[str, Any], meds: dict[str, Any] | None = None) -> None:
        self.kind: dict[str, str] = {}
        self.group: dict[str, str] = {}
        self.either: dict[str, frozenset[str]] = {}
        self.by_rxnorm: dict[str, str] = {}
        self.by_name: dict[str, list[str]] = {}
        self.by_atc: dict[str, list[str]] = {}  # a co-medication's ATC code -> its name(s)
        for entry in doc.get("drugs", []):
            inn = str(entry["inn"]).lower()
            self.kind[inn] = str(entry.get("kind", "other"))
            if entry.get("group"):
                self.group[inn] = str(entry["group"])
            for code in entry.get("rxnorm", []) or []:
                self.by_rxnorm[str(code)] = inn
            for name in [inn, *(entry.get("brands") or []), *(entry.get("synonyms") or [])]:
                self.by_name[str(name).lower()] = [inn]
        for med in (meds or {}).get("medications", []) or []:
            name = str(med["name"]).lower()
            if name in self.kind:
                continue  # a KB drug: drugs.yaml wins
            parts = [str(d).lower() for d in med.get("combination") or [name]]
            for part in parts:
                self.kind.setdefault(part, "other")
            for word in [name, *(med.get("brands") or []), *(med.get("synonyms") or [])]:
                self.by_name.setdefault(str(word).lower(), parts)
            for code in med.get("atc") or []:
                self.by_atc.setdefault(str(code).upper(), parts)
        for reg in doc.get("regimens", []) or []:
            self.by_name[str(reg["abbrev"]).lower()] = [str(d).lower() for d in reg["drugs"]]
            if reg.get("either"):  # "THP" with the taxane written out: the one written
                self.either[str(reg["abbrev"]).lower()] = frozenset(str(d).lower() for d in reg["either"])
        # Abbreviations written in capitals in the file ("AC") match only in capitals.
        self.upper_only = {
            str(r["abbrev"]).lower() for r in doc.get("regimens", []) or [] if str(r["abbrev"]).isupper()
        }
        names = sorted(self.by_name, key=len, reverse=True)
        # A name ends at a word end; "-related" / "-induced" after it still ends the name.
        # A name of two words may be written with a hyphen (an antibody-drug conjugate).
        alternatives = "|".join(re.escape(n).replace(r"\ ", r"[\s-]+") for n in names)
        ends = r"(?![\w]|-(?!(?:related|induced|associated|mediated)\b))"
        # A name written in kana (Japanese: no spaces between words, a drug name followed by
        # the form's kanji, "<name>錠20mg") ends where the kana end, not at a word end.
        kana = "|".join(re.escape(n).replace(r"\ ", r"[\s\u3000-]+") for n in names if _KANA.search(n))
        latin = f"(?<![\\w-])(?:{alternatives}){ends}"
        self.pattern = re.compile(
            f"({latin}" + (f"|(?<!{_KANA.pattern})(?:{kana})(?!{_KANA.pattern})" if kana else "") + ")",
            re.IGNORECASE,
        )
        # Names joined by hyphens (a regimen abbreviation, a hyphen, a drug): each part is a name.
        self.compound = re.compile(
            r"(?<![\w-])(?:" + alternatives + r")(?:-(?:" + alternatives + r"))+(?![\w-])", re.IGNORECASE
        )
        self.part = re.compile(r"(" + alternatives + r")(?=-|(?![\w-]))", re.IGNORECASE)

    def _key(self, word: str) -> str:
        """The index key of a matched name: as written, else with its spaces and hyphens as one
        space (a two-word name written with a hyphen)."""
        key = word.lower()
        return key if key in self.by_name else _SPACING.sub(" ", key)

    def find(self, text: str) -> list[tuple[int, int, str, list[str]]]:
        """Every drug name in ``text``: (start, end, matched text, INNs)."""
        out = []
        for m in self.pattern.finditer(text):
            word = m.group(1)
            key = self._key(word)
            if key not in self.by_name:
                continue
            if key in self.upper_only and word != word.upper():
                continue  # "AC" the regimen, not "ac" the word
            out.append((m.start(1), m.end(1), word, self.by_name[key]))
        covered = [(a, b) for a, b, _, _ in out]
        for m in self.compound.finditer(text):
            if any(a <= m.start() and m.end() <= b for a, b in covered):
                continue  # a name of its own ("AC-T", "T-DXd")
            parts: list[re.Match[str]] = []
            pos = m.start()
            while pos < m.end():
                p = self.part.match(text, pos)
                if p is None or p.end() > m.end():
                    parts = []
                    break
                parts.append(p)
                pos = p.end() + 1
            words = [(p.start(1), p.end(1), p.group(1)) for p in parts]
            if len(words) < 2 or any(w.lower() in self.upper_only and w != w.upper() for _, _, w in words):
                continue
            out = [o for o in out if not (m.start() <= o[0] and o[1] <= m.end())]
            out.extend((a, b, w, self.by_name[self._key(w)]) for a, b, w in words)
        return sorted(out)


def drug_index() -> DrugIndex:
    """The drug index of the current knowledge root (cached per root)."""
    return _drug_index(kb_root())


@functools.cache
def _drug_index(root: Path) -> DrugIndex:
    has_meds = (root / "ingest" / "medications.yaml").is_file()
    meds = _load(root, "ingest/medications.yaml") if has_meds else None
    return DrugIndex(_load(root, "ingest/drugs.yaml"), meds)
