"""Inferences of the note reader: shorthand that implies a record fact (``knowledge/nlp/inferences.yaml``).

Run on the note (or question) text after the target rules and the therapy assembly, on the
built record. Each entry that fires sets, adds or fills record fields; every field it
changes gets a provenance entry naming the rule, the matched text and span, its certainty
(``inferred`` when the entry states an assumption, else ``stated``) and the assumption in
words. A phrase preceded by a negation in the same clause is skipped (unless the entry is
itself a negative finding). If the record model rejects the result, no inference is kept.

Moved from ``mbc.answer`` (its question-fact overlay), so that ``mbc ask`` and
``mbc extract`` read the same facts (issue 11).
"""

from __future__ import annotations

import copy
import functools
import itertools
import re
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from mbc.errors import InputError
from mbc.ingest._data import kb_root, load_yaml
from mbc.ingest._extraction import Extraction

__all__ = ["Inference", "InferencesFile", "infer", "inferred_assumptions"]

_FLAGS = re.IGNORECASE
_SPLIT = re.compile(r"\s*(?:,|/(?!2)|\bor\b|\band\b|\bnor\b|&)\s*", _FLAGS)
_STRICT = ConfigDict(frozen=True, extra="forbid", populate_by_name=True)


class Inference(BaseModel):
    """One entry of ``knowledge/nlp/inferences.yaml``."""

    model_config = _STRICT
    id: str
    pattern: str
    requires_also: tuple[str, ...] = ()
    unless_any: tuple[str, ...] = ()
    min: float | None = None
    set: dict[str, Any] = Field(default_factory=dict)
    set_number: dict[str, str] = Field(default_factory=dict)  # path -> named group (an integer)
    mode: Literal["if_absent", "override"] = "override"
    add: dict[str, str] = Field(default_factory=dict)
    somatic: Literal["wildtype", "altered"] | None = None
    genes: tuple[str, ...] = ()
    gene_from_text: bool = False
    negated_ok: bool = False
    prior_add: dict[str, Any] = Field(default_factory=dict)
    prior_fill: dict[str, Any] = Field(default_factory=dict)
    prior_split: bool = False
    assumption: str | None = None


class InferencesFile(BaseModel):
    """``knowledge/nlp/inferences.yaml`` (schema ``mbc/nlp-inferences@1``)."""

    model_config = _STRICT
    schema_: Literal["mbc/nlp-inferences@1"] = Field(alias="schema")
    negations: str
    gene_token: str
    tumour_gene_token: str = ""
    same_fact: dict[str, tuple[str, ...]] = Field(
        default_factory=dict,
        description="Record path -> other paths holding the same fact in another form "
        "(an `if_absent` set is skipped when one of them has a value).",
    )
    facts: tuple[Inference, ...]
    not_evaluated: str = Field(
        "(?!)",
        description=(
            "Text naming a gene whose test was not done or not evaluated: no wildtype is inferred for it."
        ),
    )


@functools.lru_cache(maxsize=8)
def _load(
    root: str,
) -> tuple[InferencesFile, tuple[tuple[Inference, re.Pattern[str]], ...], re.Pattern[str], re.Pattern[str]]:
    del root  # the cache key: load_yaml reads the current knowledge root
    doc = InferencesFile.model_validate(load_yaml("nlp/inferences.yaml"))
    tokens = {"{gene}": doc.gene_token, "{tumour_gene}": doc.tumour_gene_token or doc.gene_token}

    def pattern(text: str) -> re.Pattern[str]:
        for token, value in tokens.items():
            text = text.replace(token, value)
        return re.compile(text, _FLAGS)

    compiled = tuple((f, pattern(f.pattern)) for f in doc.facts)
    return doc, compiled, re.compile(doc.negations, _FLAGS), pattern(doc.not_evaluated)


def inferences() -> InferencesFile:
    """The inference entries of the current knowledge root (validated)."""
    return _load(str(kb_root()))[0]


class _Run:
    """One inference pass over a record: the record copy and the provenance it adds."""

    def __init__(self, record: dict[str, Any], prov: dict[str, Any]) -> None:
        self.rec = copy.deepcopy(record)
        self.prov = dict(prov)
        self.src: dict[str, Any] = {}
        self.unevaluated: set[str] = set()  # session 8: genes the note says were not evaluated

    def has(self, path: str) -> bool:
        node: Any = self.rec
        for p in path.split("."):
            if not isinstance(node, dict) or p not in node:
                return False
            node = node[p]
        return node is not None

    def put(self, path: str, value: Any, mode: str) -> bool:
        parts = path.split(".")
        node = self.rec
        for p in parts[:-1]:
            node = node.setdefault(p, {})
            if not isinstance(node, dict):
                return False
        if mode == "if_absent" and parts[-1] in node:
            return False
        node[parts[-1]] = copy.deepcopy(value)
        self.prov[path] = dict(self.src)
        return True

    def add(self, path: str, value: str) -> bool:
        parts = path.split(".")
        node = self.rec
        for p in parts[:-1]:
            node = node.setdefault(p, {})
        items = node.setdefault(parts[-1], [])
        if not isinstance(items, list) or value in items:
            return False
        items.append(value)
        self.prov[f"{path}[{len(items) - 1}]"] = dict(self.src)
        return True

    def somatic(self, genes: list[str], state: str) -> None:
        word = "wildtype" if state == "wildtype" else "mutation"
        if state == "wildtype":  # "Not evaluated: PTEN deletion" leaves PTEN unknown
            genes = [g for g in genes if g.replace("1/2", "") not in self.unevaluated]
            if not genes:
                return
        current = [s for s in self.rec.get("somatic", []) if isinstance(s, str)]
        old_prov = [self.prov.pop(f"somatic[{i}]", None) for i in range(len(current))]
        names = {g.replace("1/2", "") for g in genes}
        # A result already read for the gene that is more than this shorthand says wins: a
        # named alteration ("ESR1 Y537S" on a later ctDNA) over "ESR1 not detected".
        known = {s.split()[0].upper() for s in current if s.split()[-1] not in ("wildtype", "mutation")}
        names -= known
        genes = [g for g in genes if g.replace("1/2", "") not in known]
        kept = [(s, p) for s, p in zip(current, old_prov, strict=True) if s.split()[0].upper() not in names]
        items = kept + [(f"{g} {word}", dict(self.src)) for g in genes]
        self.rec["somatic"] = [s for s, _ in items]
        for i, (_, p) in enumerate(items):
            if p is not None:
                self.prov[f"somatic[{i}]"] = p


def _genes(f: Inference, m: re.Match[str], doc: InferencesFile) -> list[str]:
    if "genes" in m.re.groupindex and m.group("genes"):
        return [g.upper() for g in _SPLIT.split(m.group("genes")) if g.strip()]
    if f.gene_from_text:
        found = re.findall(doc.gene_token, m.group(0), _FLAGS)
        if found:
            return [g.upper() for g in found]
    return list(f.genes)


def _prior(run: _Run, f: Inference, matches: list[re.Match[str]]) -> bool:
    """Add a class-level therapy, split a therapy whose drugs the match lists as separate
    lines, or fill unstated keys of every prior therapy (in this order)."""
    rec = run.rec
    priors = [
        (t, run.prov.get(f"prior_therapies[{i}]"))
        for i, t in enumerate(rec.get("prior_therapies") or [])
        if isinstance(t, dict)
    ]
    changed = False
    if f.prior_add:
        named = {d.lower() for t, _ in priors for d in t.get("drugs") or []}
        if not named & {d.lower() for d in f.prior_add.get("drugs", [])}:
            priors.append((copy.deepcopy(f.prior_add), dict(run.src)))
            changed = True
    if f.prior_split:
        said = " ".join(m.group(0).lower() for m in matches)
        out: list[tuple[dict[str, Any], Any]] = []
        for t, p in priors:
            drugs = t.get("drugs") or []
            if len(drugs) > 1 and all(d.lower() in said for d in drugs) and _listed_apart(said, drugs):
                out += [({**t, "drugs": [d]}, {**(p or {}), "split_by": dict(run.src)}) for d in drugs]
                changed = True
            else:
                out.append((t, p))
        priors = out
    filled = []
    for t, p in priors:
        keys = [k for k in f.prior_fill if t.get(k) is None]
        for key in keys:
            t[key] = copy.deepcopy(f.prior_fill[key])
        if keys:
            changed = True
            p = {**(p or {}), "filled": {**(p or {}).get("filled", {}), **{k: dict(run.src) for k in keys}}}
        filled.append((t, p))
    if changed:
        for i in range(len(rec.get("prior_therapies") or [])):
            run.prov.pop(f"prior_therapies[{i}]", None)
        rec["prior_therapies"] = [t for t, _ in filled]
        for i, (_, p) in enumerate(filled):
            if p is not None:
                run.prov[f"prior_therapies[{i}]"] = p
    return changed


def _listed_apart(said: str, drugs: list[str]) -> bool:
    """The drugs are written as separate items ("a, b and c"), not as one combination
    ("a/b", "a + b"): a list separator lies between each two, in the order written."""
    at = sorted(said.find(d.lower()) for d in drugs)
    return all(
        re.search(r",|;|\band\b|\bthen\b", said[a:b]) is not None and not re.search(r"[/+]", said[a:b])
        for a, b in itertools.pairwise(at)
    )


def _fires(f: Inference, rx: re.Pattern[str], neg: re.Pattern[str], text: str) -> list[re.Match[str]]:
    if any(not re.search(r, text, _FLAGS) for r in f.requires_also):
        return []
    if any(re.search(r, text, _FLAGS) for r in f.unless_any):
        return []
    out: list[re.Match[str]] = []
    for m in rx.finditer(text):
        if not f.negated_ok and neg.search(text[max(0, m.start() - 60) : m.start()]):
            continue
        if f.min is not None:
            try:
                if float(m.group("v")) < f.min:
                    continue
            except (IndexError, TypeError, ValueError):
                continue
        out.append(m)
    return out


def infer(text: str, ex: Extraction, *, assume: bool = False) -> Extraction:
    """Apply every inference that fires on ``text`` to the extraction's record.

    An inference that only assumes its fact (it has an ``assumption``) is applied when
    ``assume``; otherwise what it would record is listed in ``unread`` (kind ``inference``)
    for the clinician to confirm, and the record is left as read.

    Returns:
        A new extraction (the same one when nothing fires or the result is not a valid
        record).
    """
    from mbc.model import parse_record

    doc, compiled, neg, unevaluated = _load(str(kb_root()))
    run = _Run(ex.record, ex.provenance)
    gene = re.compile(doc.gene_token, _FLAGS)
    run.unevaluated = {g.upper() for m in unevaluated.finditer(text) for g in gene.findall(m.group(0))}
    any_change = False
    suggested: list[dict[str, Any]] = []
    for f, rx in compiled:
        matches = _fires(f, rx, neg, text)
        if not matches:
            continue
        if f.assumption and not assume:
            trial = _Run(run.rec, run.prov)
            if _apply(trial, f, matches, doc):
                m0 = matches[0]
                changed_paths = sorted(k for k, v in trial.prov.items() if run.prov.get(k) is not v)
                suggested.append({
                    "kind": "inference", "rule": f"nlp.infer.{f.id}", "text": m0.group(0),
                    "span": [m0.start(), m0.end()], "assumption": f.assumption, "fields": changed_paths,
                })  # fmt: skip
            continue
        any_change = _apply(run, f, matches, doc) or any_change
    unread = ex.unread + suggested if suggested else ex.unread
    if not any_change:
        return ex if not suggested else Extraction(ex.record, ex.provenance, unread, ex.kind)
    try:
        parse_record(run.rec)
    except InputError:  # an inference that contradicts the reader: keep what it read
        return Extraction(ex.record, ex.provenance, unread, ex.kind)
    return Extraction(record=run.rec, provenance=run.prov, unread=unread, kind=ex.kind)


def _apply(run: _Run, f: Inference, matches: list[re.Match[str]], doc: InferencesFile) -> bool:
    """Apply one entry that fired; True when the record changed."""
    m0 = matches[0]
    run.src = {
        "source": "note",
        "rule": f"nlp.infer.{f.id}",
        "text": m0.group(0),
        "span": [m0.start(), m0.end()],
        "certainty": "inferred" if f.assumption else "stated",
        **({"assumption": f.assumption} if f.assumption else {}),
    }
    changed = False
    for path, value in f.set.items():
        if f.mode == "if_absent" and any(run.has(p) for p in doc.same_fact.get(path, ())):
            continue  # the fact is already read in another form (ER 90% vs ER-positive)
        changed = run.put(path, value, f.mode) or changed
    for path, group in f.set_number.items():  # the first match's number, e.g. "21 weeks"
        found = m0.groupdict()
        number = found.get(group) or next((v for v in found.values() if v), None)
        if number is not None:
            changed = run.put(path, int(float(number)), f.mode) or changed
    for path, value in f.add.items():
        changed = run.add(path, value) or changed
    if f.prior_add or f.prior_fill or f.prior_split:
        changed = _prior(run, f, matches) or changed
    if f.somatic:
        for m in matches:
            genes = _genes(f, m, doc)
            if genes:
                run.somatic(genes, f.somatic)
                changed = True
    return changed


def inferred_assumptions(ex: Extraction) -> list[str]:
    """The assumptions behind the extraction's inferred facts, in words (each once)."""
    out: list[str] = []

    def visit(src: Any) -> None:
        if isinstance(src, dict):
            if isinstance(src.get("assumption"), str) and str(src.get("rule", "")).startswith("nlp.infer."):
                out.append(src["assumption"])
            for key in ("split_by", "filled"):
                inner = src.get(key)
                for v in inner.values() if key == "filled" and isinstance(inner, dict) else [inner]:
                    visit(v)

    for src in ex.provenance.values():
        visit(src)
    return list(dict.fromkeys(out))
