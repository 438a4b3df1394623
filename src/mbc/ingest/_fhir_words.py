"""What the words of a FHIR finding say: a symptom there now (the note reader's symptom
vocabulary, not denied, not a relative's, not gone), and what brain metastases' words say
(no symptoms; not yet locally treated). Split from :mod:`mbc.ingest._fhir_cond`."""

from __future__ import annotations

import datetime as dt
import functools
import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from mbc.ingest._data import kb_root, load_yaml
from mbc.ingest._fhir_base import Ctx, Res, src
from mbc.ingest._note_vocab import terms

__all__ = ["brain_symptoms", "brain_untreated", "denied_before", "said_of_patient", "symptom_by_words"]


def denied_before(cfg: Mapping[str, Any], before: str) -> bool:
    """Words just before a finding deny it ("without congestive heart failure", "no pain")."""
    return bool(re.search(cfg["denied_before_words"], before[-40:], re.IGNORECASE))


def said_of_patient(cfg: Mapping[str, Any], text: str, m: re.Match[str]) -> bool:
    """A finding the words give to the patient: not denied just before it, nor given to a
    relative just after it ("diabetes type 2 in mother")."""
    after = text[m.end() : m.end() + 40]
    relative = re.match(cfg["denied_after_words"], after, re.IGNORECASE)
    return not denied_before(cfg, text[: m.start()]) and not relative


def _symptom_now(cfg: Mapping[str, Any], text: str, m: re.Match[str]) -> bool:
    """A symptom match the words say is the patient's and there now: not denied, not given to
    a relative, not said gone just before ("resolved headache") or just after ("headache, no
    longer present")."""
    clause = re.split(r"[|;.]", text[: m.start()])[-1]
    after = text[m.end() : m.end() + 40]
    return (
        said_of_patient(cfg, text, m)
        and not re.search(cfg["symptom_denied_words"], clause, re.IGNORECASE)
        and not re.match(cfg["resolved_after_words"], after, re.IGNORECASE)
    )


def _symptom_present(cfg: Mapping[str, Any], text: str) -> bool:
    """Some symptom the words say is there now."""
    return symptom_by_words(cfg, text) is not None


def symptom_by_words(cfg: Mapping[str, Any], text: str) -> str | None:
    """The symptom a finding's words name, by the symptom vocabulary the note reader uses
    (``knowledge/nlp/lexicon.yaml``: "RUQ discomfort" -> right upper quadrant pain): the
    longest match the words say is there now (``_symptom_now``) wins. A symptom named more
    than once is judged by its last mention ("presented with headaches; ...; headaches
    resolved": gone)."""
    if not text.strip(" |"):
        return None
    best: tuple[int, str] | None = None
    text = re.sub(r"[()\[\]]", "", text)  # "chest wall (rib) pain"
    for term, pattern in _symptom_terms():
        found = list(pattern.finditer(text))
        if not found:
            continue
        m = found[-1]
        if _symptom_now(cfg, text, m) and (best is None or m.end() - m.start() > best[0]):
            best = (m.end() - m.start(), term)
    return None if best is None else best[1]


def symptoms_by_words(cfg: Mapping[str, Any], text: str) -> list[str]:
    """Every symptom a symptom result's words say is there now ("dry cough, mild exertional
    dyspnoea; no fever": both), each judged as :func:`symptom_by_words` judges one; a match
    inside a longer one ("dyspnoea" in "exertional dyspnoea") is that one."""
    if not text.strip(" |"):
        return []
    text = re.sub(r"[()\[\]]", "", text)
    spans: list[tuple[int, int, str]] = []
    for term, pattern in _symptom_terms():
        found = list(pattern.finditer(text))
        if found and _symptom_now(cfg, text, found[-1]):
            spans.append((found[-1].start(), found[-1].end(), term))
    kept = [a for a in spans if not any(b != a and b[0] <= a[0] and a[1] <= b[1] for b in spans)]
    return list(dict.fromkeys(term for _, _, term in sorted(kept)))


def _symptom_terms() -> tuple[tuple[str, re.Pattern[str]], ...]:
    return _terms_at(kb_root())


@functools.cache
def _terms_at(root: Path) -> tuple[tuple[str, re.Pattern[str]], ...]:
    """The note reader's symptom terms, each matched as whole words anywhere in a text."""
    del root  # the cache key: one vocabulary per knowledge root
    whole = r"(?<!\w)(?:{})(?!\w)"
    vocab = [(name, words) for name, _, words in terms("symptoms")]
    # and the words other languages write for them that the note reader's lexicon lacks
    # (``symptom_words`` in fhir.yaml: patterns, by the lexicon's name of the symptom)
    more = (load_yaml("ingest/fhir.yaml") or {}).get("symptom_words") or {}
    vocab += [(str(name), tuple(str(w) for w in words)) for name, words in more.items()]
    return tuple((name, re.compile(whole.format("|".join(words)), re.I)) for name, words in vocab)


def brain_symptoms(ctx: Ctx, res: Res, text: str, when: dt.date | None) -> bool:
    """Brain metastases said to cause no symptoms ("asymptomatic", "no headache, no focal
    deficit"): ``metastases.brain.symptomatic`` false (dropped later if no brain site)."""
    pattern = ctx.cfg.get("brain_asymptomatic_words")
    if not pattern or not re.search(pattern, text) or _symptom_present(ctx.cfg, text):
        return False
    source = src(res, "note", "fhir.brain.asymptomatic", when, certainty="inferred")
    ctx.builder.set("metastases.brain.symptomatic", False, source, rank=((when or dt.date.min).isoformat(),))
    return True


def brain_untreated(ctx: Ctx, res: Res, text: str, when: dt.date | None) -> bool:
    """Brain metastases said not (yet) locally treated ("untreated", "no prior radiotherapy",
    "treatment-naive"): ``metastases.brain.locally_treated`` false (inferred; a local therapy
    recorded as done wins; dropped later if no brain site)."""
    pattern = ctx.cfg.get("brain_untreated_words")
    if not pattern or not re.search(pattern, text):
        return False
    source = src(res, "note", "fhir.brain.untreated", when, certainty="inferred")
    ctx.builder.set("metastases.brain.locally_treated", False, source, rank=(0,))
    return True
