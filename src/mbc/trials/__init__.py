"""Clinical-trial matching: a local registry, eligibility criteria parsed into the shared
condition language, and explained matches.

Public API::

    registry = load_registry("records/")          # directory of records or a .db file
    matches = match_registry(registry, record, kb=kb, as_of=date, limit=20)  # streams
    matches = match_trials(record, trials, kb=kb, as_of=date)   # a list of Trial objects
    matches[0].to_dict()                          # trial, status, score, criteria[...]

Every criterion keeps its sentence, its section (inclusion / exclusion) and, when a
pattern of ``knowledge/trials/patterns.yaml`` understood it, a condition; a sentence
nothing understood is *needs review* and never counts as met.
"""

from __future__ import annotations

from mbc.trials._criteria import parse_criteria, parse_sentence, parse_trial, split_sentences
from mbc.trials._match import evaluate_criterion, match_trials, trial_facts
from mbc.trials._model import Criterion, CriterionResult, Trial, TrialId, TrialMatch
from mbc.trials._patterns import TrialKnowledge, load_trial_knowledge
from mbc.trials._sources import read_path, trials_from_text
from mbc.trials._store import Registry, load_registry
from mbc.trials._stream import match_registry
from mbc.trials._sync import SyncReport, Transport, UrllibTransport, sync_registry

__all__ = [
    "Criterion",
    "CriterionResult",
    "Registry",
    "SyncReport",
    "Transport",
    "Trial",
    "TrialId",
    "TrialKnowledge",
    "TrialMatch",
    "UrllibTransport",
    "evaluate_criterion",
    "load_registry",
    "load_trial_knowledge",
    "match_registry",
    "match_trials",
    "parse_criteria",
    "parse_sentence",
    "parse_trial",
    "read_path",
    "split_sentences",
    "sync_registry",
    "trial_facts",
    "trials_from_text",
]
