"""Hypothesis strategies of hostile inputs built from the repo's own material.

Notes and questions mix the knowledge base's vocabulary (drug names and brands, lab and
receptor words, section headings) with numbers and dates in every format and awkward
unicode; FHIR bundles are the repo's example bundles with elements removed, retyped,
nulled, duplicated, nested or made to point nowhere. Used by the ``test_robust_*`` modules.
"""

from __future__ import annotations

import copy
import json
import os
import re
from collections.abc import Iterator
from functools import cache
from pathlib import Path
from typing import Any

import yaml
from hypothesis import strategies as st

REPO = Path(__file__).resolve().parents[2]
_SCALE = int(os.environ.get("MBC_FUZZ_SCALE", "1"))


def examples(n: int) -> int:
    """``n`` examples, times ``$MBC_FUZZ_SCALE`` (a longer hunt: ``MBC_FUZZ_SCALE=50``)."""
    return n * _SCALE


KNOWLEDGE = REPO / "knowledge"
_META = re.compile(r"[\\\[\](){}|^$*+?]")  # a regex, not a word
_SKIP_KEYS = frozenset({"pattern", "id", "schema", "source", "url", "citations", "note", "notes"})
_VOCAB_FILES = ("vocab/drugs.yaml", "vocab/tests.yaml", "vocab/sites.yaml", "vocab/genes.yaml",
                "vocab/symptoms.yaml", "vocab/comorbidities.yaml")  # fmt: skip


def _strings(node: Any, out: set[str]) -> None:
    if isinstance(node, dict):
        for key, value in node.items():
            if key not in _SKIP_KEYS:
                _strings(value, out)
    elif isinstance(node, list):
        for value in node:
            _strings(value, out)
    elif isinstance(node, str) and 1 < len(node) < 50 and "\n" not in node and not _META.search(node):
        out.add(node)


@cache
def vocabulary() -> tuple[str, ...]:
    """Every short literal string of the vocabularies, the ingest maps and the NLP files."""
    files = [KNOWLEDGE / f for f in _VOCAB_FILES]
    files += sorted((KNOWLEDGE / "ingest").glob("*.yaml")) + sorted((KNOWLEDGE / "nlp").glob("*.yaml"))
    out: set[str] = set()
    for f in files:
        _strings(yaml.safe_load(f.read_text(encoding="utf-8")), out)
    return tuple(sorted(out))


@cache
def headings() -> tuple[str, ...]:
    """The section headings of knowledge/nlp/sections.yaml."""
    rules = yaml.safe_load((KNOWLEDGE / "nlp/sections.yaml").read_text(encoding="utf-8"))["rules"]
    return tuple(sorted({r["literal"] for r in rules if "literal" in r}))


def _join(*parts: Any) -> str:
    return "".join(str(p) for p in parts)


NUMBERS = st.one_of(
    st.integers(-999, 99999).map(str),
    st.tuples(st.integers(0, 999), st.integers(0, 99)).map(lambda t: f"{t[0]},{t[1]}"),
    st.tuples(st.integers(0, 999), st.integers(0, 999)).map(lambda t: f"{t[0]}.{t[1]}"),
    st.tuples(st.integers(1, 999), st.integers(0, 999), st.integers(0, 999)).map(
        lambda t: f"{t[0]}.{t[1]:03d}.{t[2]:03d}"
    ),
    st.tuples(st.integers(1, 9), st.integers(0, 999), st.integers(0, 9)).map(lambda t: f"{t[0]}.{t[1]:03d},{t[2]}"),
    st.tuples(st.integers(1, 9), st.integers(0, 999), st.integers(0, 99)).map(lambda t: f"{t[0]},{t[1]:03d}.{t[2]}"),
    st.tuples(st.integers(0, 99), st.sampled_from("-/–"), st.integers(0, 99)).map(lambda t: _join(*t)),
    st.tuples(st.sampled_from(["<", ">", "<=", "≥", "~", "-", "+"]), st.integers(0, 99)).map(lambda t: f"{t[0]}0.{t[1]}"),
    st.integers(0, 99).map(lambda n: f"{n} x10^9/L"),
    st.integers(0, 99).map(lambda n: f"{n}x10⁹/L"),
    st.integers(0, 100).map(lambda n: f"{n}%"),
    st.sampled_from(["²", "³", "¹⁰", "٣", "۵", "०", "１２", "½", "1½", "1e5", "1E-3", "NaN", "inf", "∞", "0.", ".5",
                     "00", "1 000", "1 000,5", "1'000", "10⁹", "3+", "2+/3+", "++", "—", "9" * 40]),
)  # fmt: skip
DATES = st.one_of(
    st.tuples(st.integers(0, 35), st.integers(0, 14), st.integers(0, 9999)).map(
        lambda t: f"{t[0]:02d}.{t[1]:02d}.{t[2]:04d}"
    ),
    st.tuples(st.integers(0, 9999), st.integers(0, 14), st.integers(0, 35)).map(
        lambda t: f"{t[0]:04d}-{t[1]:02d}-{t[2]:02d}"
    ),
    st.tuples(st.integers(0, 14), st.integers(0, 99)).map(lambda t: f"{t[0]:02d}/{t[1]:02d}"),
    st.tuples(st.integers(0, 35), st.integers(0, 14), st.integers(0, 9999)).map(lambda t: f"{t[0]}/{t[1]}/{t[2]}"),
    st.tuples(st.integers(0, 5), st.integers(0, 9999)).map(lambda t: f"Q{t[0]} {t[1]}"),
    st.tuples(st.sampled_from(["spring", "summer", "fall", "winter", "early", "mid"]), st.integers(0, 9999)).map(
        lambda t: f"{t[0]} {t[1]}"
    ),
    st.tuples(st.integers(0, 40), st.sampled_from(["Jan", "Feb", "Sept", "Dec", "juin", "Mai"]), st.integers(0, 9999)).map(
        lambda t: f"{t[0]} {t[1]} {t[2]}"
    ),
    st.sampled_from(["31/02/2026", "13/13/13", "0000-00-00", "9999-12-31", "00/00", "29.02.2025", "2026-13-45",
                     "99/99/9999", "Feb 30 2025", "day -5", "C0D0", "C99D99", "cycle 1e9"]),
)  # fmt: skip
ODD = st.sampled_from(["\u00a0", "\u200b", "\u200f", "\u202e", "\ufeff", "😀", "乳腺癌", "\u2028", "\r", "\t", "\x0b",
                       "\x00", "\u0301", "ﬁ", "İ", "|", "\t|\t", " | ", ":", "—", "•", "(", ")", "[", "\"", "/",
                       "\\", ";", "...", "?", "\n", "\n\n", "\n- ", "\n1. ", "\n\t"])  # fmt: skip
_SEPARATORS = st.sampled_from([" ", " ", "", "\n", "\t", " | ", ", ", ": ", "\u00a0"])


@st.composite
def vocabulary_text(draw: st.DrawFn, max_tokens: int = 50) -> str:
    """Words of the knowledge base, numbers, dates and odd characters, in any order."""
    words = vocabulary()
    token = st.one_of(
        st.sampled_from(words),
        st.sampled_from(words).map(str.upper),
        NUMBERS,
        DATES,
        ODD,
        st.sampled_from(headings()).map(lambda h: "\n" + h + " "),
        st.text(max_size=5),
    )
    parts = draw(st.lists(st.tuples(token, _SEPARATORS), max_size=max_tokens))
    return "".join(a + b for a, b in parts)


@cache
def seed_notes() -> tuple[str, ...]:
    """The repo's example and test notes."""
    paths = sorted((REPO / "examples/notes").glob("*.txt")) + sorted(
        (REPO / "tests/ingest").glob("notes*/*.txt")
    )
    return tuple(p.read_text(encoding="utf-8") for p in paths)


_NUMBER_RE = re.compile(r"\d+(?:[.,/:-]\d+)*")


@st.composite
def mutated_note(draw: st.DrawFn) -> str:
    """A real note with some numbers and dates rewritten, words inserted, spaces changed,
    a table made of pipes or tabs, or a slice cut out."""
    text = draw(st.sampled_from(seed_notes()))
    found = list(_NUMBER_RE.finditer(text))
    if found:
        chosen = sorted(set(draw(st.lists(st.integers(0, len(found) - 1), max_size=10))), reverse=True)
        for i in chosen:
            m = found[i]
            text = text[: m.start()] + draw(st.one_of(NUMBERS, DATES)) + text[m.end() :]
    for _ in range(draw(st.integers(0, 6))):
        at = draw(st.integers(0, len(text)))
        extra = draw(st.one_of(ODD, st.sampled_from(vocabulary()), NUMBERS, DATES,
                               st.sampled_from(headings()).map(lambda h: "\n" + h + " ")))  # fmt: skip
        text = text[:at] + extra + text[at:]
    space = draw(st.sampled_from([None, "\u00a0", "\t", " | ", "\u200b "]))
    if space:
        text = text.replace(" ", space, draw(st.integers(1, 60)))
    if draw(st.booleans()):
        a = draw(st.integers(0, len(text)))
        text = text[:a] + text[a + draw(st.integers(0, 200)) :]
    return text


# ------------------------------------------------------------------------------ FHIR


@cache
def seed_bundles() -> tuple[tuple[str, dict[str, Any]], ...]:
    """The repo's example and fixture bundles (name, JSON)."""
    paths = [REPO / "examples/fhir/hrpos-2l-bundle.json", *sorted((REPO / "tests/ingest/fixtures").glob("*.json")),
             *sorted((REPO / "tests/ingest/fixtures/mcode").glob("*.json"))]  # fmt: skip
    out = []
    for p in paths:
        doc = json.loads(p.read_text(encoding="utf-8"))
        if isinstance(doc, dict) and "resourceType" in doc:
            out.append((p.name, doc))
    return tuple(out)


def _paths(node: Any, prefix: tuple[Any, ...] = ()) -> Iterator[tuple[Any, ...]]:
    yield prefix
    if isinstance(node, dict):
        for key, value in node.items():
            yield from _paths(value, (*prefix, key))
    elif isinstance(node, list):
        for i, value in enumerate(node):
            yield from _paths(value, (*prefix, i))


VALUES: list[Any] = [None, "", " ", [], {}, 0, -1, 1e308, -1e308, 10**30, 2**63, "NaN", "Infinity", True, False,
    "1,66", "9999-99-99", "0000-00-00", "2026-02-31", "x" * 2000, "\x00", "😀", {"reference": "Patient/nope"},
    {"reference": "#nope"}, {"reference": ""}, {"reference": None}, {"coding": None}, {"coding": [{}]},
    {"coding": [{"system": None, "code": None}]}, [None], [[]], [{}], {"value": "abc"}, {"value": None, "unit": 5},
    {"start": "2099-01-01", "end": "1900-01-01"}, {"resourceType": None}, {"resourceType": 5}, 5.5, -0.0,
    {"coding": [{"system": "http://example.org/x", "code": "zzz", "display": "who knows"}]},
    {"resourceType": "Bundle", "entry": [{"resource": {"resourceType": "Patient", "id": "nested"}}]}]  # fmt: skip
_KINDS = [
    "delete",
    "replace",
    "wrap",
    "unwrap",
    "stringify",
    "dup_entry",
    "nest",
    "cycle",
    "dup_ids",
    "bad_ref",
]


def _entries(doc: Any) -> list[Any] | None:
    entries = doc.get("entry") if isinstance(doc, dict) else None
    return entries if isinstance(entries, list) else None


def _mutate(draw: st.DrawFn, doc: dict[str, Any], path: tuple[Any, ...], kind: str) -> None:
    parent: Any = doc
    for key in path[:-1]:
        parent = parent[key]
    last = path[-1] if path else None
    entries = _entries(doc)
    if kind == "delete" and path:
        del parent[last]
    elif kind == "replace" and path:
        parent[last] = copy.deepcopy(draw(st.sampled_from(VALUES)))
    elif kind == "wrap" and path:
        parent[last] = [parent[last]]
    elif kind == "unwrap" and path and isinstance(parent[last], list) and parent[last]:
        parent[last] = parent[last][0]
    elif kind == "stringify" and path:
        parent[last] = json.dumps(parent[last])[:100]
    elif kind == "dup_entry" and entries:
        entries.append(copy.deepcopy(entries[draw(st.integers(0, len(entries) - 1))]))
    elif kind == "nest" and entries is not None:
        entries.append({"resource": copy.deepcopy(doc)})
    elif kind == "cycle" and entries:
        res = entries[draw(st.integers(0, len(entries) - 1))]
        res = res.get("resource") if isinstance(res, dict) else None
        if isinstance(res, dict):
            rid = str(res.get("id") or "x")
            res["id"] = rid
            res["contained"] = [
                {"resourceType": "Observation", "id": "c1", "hasMember": [{"reference": "#c2"}], "derivedFrom": [{"reference": "#"}]},
                {"resourceType": "Observation", "id": "c2", "hasMember": [{"reference": "#c1"}]},
            ]  # fmt: skip
            res["hasMember"] = [{"reference": "#c1"}, {"reference": f"{res.get('resourceType')}/{rid}"}]
    elif kind == "dup_ids" and entries:
        for entry in entries:
            if isinstance(entry, dict) and isinstance(entry.get("resource"), dict):
                entry["resource"]["id"] = "same"
                entry["fullUrl"] = "urn:uuid:same"
    elif kind == "bad_ref" and path:
        parent[last] = {
            "reference": draw(st.sampled_from(["Patient/none", "urn:uuid:0", "#x", "Observation/", "/"]))
        }


@st.composite
def mutated_json(draw: st.DrawFn, seeds: tuple[Any, ...], at_most: int = 4) -> Any:
    """One of ``seeds`` (decoded JSON) with one to ``at_most`` mutations."""
    doc = copy.deepcopy(draw(st.sampled_from(seeds)))
    for _ in range(draw(st.integers(1, at_most))):
        paths = list(_paths(doc))
        path = paths[draw(st.integers(0, len(paths) - 1))]
        try:
            _mutate(draw, doc, path, draw(st.sampled_from(_KINDS)))
        except (KeyError, IndexError, TypeError):  # the path moved under an earlier mutation
            continue
    return doc


def mutated_bundle() -> st.SearchStrategy[Any]:
    """An example bundle with one to four mutations."""
    return mutated_json(tuple(doc for _, doc in seed_bundles()))


# ------------------------------------------------------------------------------ questions and records


@cache
def seed_questions() -> tuple[str, ...]:
    """The questions of the repo's earlier blind sets."""
    out: list[str] = []
    for p in sorted((REPO / "benchmarks").glob("blind*/questions/questions.jsonl")):
        out += [
            json.loads(line)["question"]
            for line in p.read_text(encoding="utf-8").splitlines()
            if line.strip()
        ]
    return tuple(out)


_ASKING = ["can I take", "what about", "is it safe", "dose of", "my mother", "should she", "?", "what next",
           "after", "with", "or", "and", "not", "no", "I have", "I'm on", "stop", "instead of"]  # fmt: skip


@st.composite
def question(draw: st.DrawFn) -> str:
    """A real question with numbers, dates and words changed, or a string of vocabulary and asking words."""
    if draw(st.booleans()):
        text = draw(st.sampled_from(seed_questions()))
        found = list(_NUMBER_RE.finditer(text))
        if found:
            for i in sorted(set(draw(st.lists(st.integers(0, len(found) - 1), max_size=5))), reverse=True):
                text = text[: found[i].start()] + draw(st.one_of(NUMBERS, DATES)) + text[found[i].end() :]
        for _ in range(draw(st.integers(0, 4))):
            at = draw(st.integers(0, len(text)))
            text = (
                text[:at]
                + draw(st.one_of(ODD, st.sampled_from(vocabulary()), NUMBERS, DATES))
                + " "
                + text[at:]
            )
        return text
    words = st.one_of(st.sampled_from(vocabulary()), NUMBERS, DATES, ODD, st.sampled_from(_ASKING))
    return " ".join(draw(st.lists(words, max_size=25)))


@cache
def seed_records() -> tuple[dict[str, Any], ...]:
    """The example contract records."""
    return tuple(
        json.loads(p.read_text(encoding="utf-8")) for p in sorted((REPO / "examples").glob("*.json"))
    )
