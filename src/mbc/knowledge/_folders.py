"""Schemas of the KB folders the engine does not assemble: ``nlp/``, ``ingest/``,
``patient/`` and ``algorithm/`` (``doses/`` and ``trials/`` are checked by their own
loaders, :mod:`mbc.knowledge.doses` and :mod:`mbc.trials`).

:func:`mbc.knowledge.loader.load_kb` validates every file of these folders against the
model its ``schema:`` names, so a malformed note-reader rule pack or a patient-text file
fails at load time with its path, like a rule. The models type the container shapes the
readers rely on and allow additional keys (the readers' packs grow additively), so a new
key is not an error but a changed shape of a known one is.

.. versionadded:: 0.2
"""

from __future__ import annotations

from typing import Any, Literal, get_args

from pydantic import BaseModel, ConfigDict, Field

from mbc.knowledge.schema import StrictModel

__all__ = ["FOLDER_SCHEMAS", "OWN_LOADERS"]

_OPEN = ConfigDict(frozen=True, extra="allow", populate_by_name=True)
_Rows = list[dict[str, Any]]


class _File(BaseModel):
    model_config = _OPEN
    schema_: str = Field(alias="schema")  # each file's own schema id (a Literal) in its model


class _RulePack(_File):
    """A note-reader rule pack: at least one rule (each a mapping the reader checks)."""

    rules: _Rows = Field(min_length=1)


class NlpContextFile(_RulePack):
    """``nlp/context.yaml``: ConText modifier rules (negation, hypothetical, family ...)."""

    schema_: Literal["mbc/nlp-context@1"] = Field(alias="schema")
    proxy: dict[str, Any] = Field(default_factory=dict)


class NlpSectionsFile(_RulePack):
    """``nlp/sections.yaml``: section headers and the attributes they imply."""

    schema_: Literal["mbc/nlp-sections@1"] = Field(alias="schema")


class NlpTargetsFile(_RulePack):
    """``nlp/targets.yaml``: target (fact) rules of the note reader, with macros."""

    schema_: Literal["mbc/nlp-targets@1"] = Field(alias="schema")
    macros: dict[str, Any] = Field(default_factory=dict)


class NlpLexiconFile(_File):
    """``nlp/lexicon.yaml``: words -> contract values."""

    schema_: Literal["mbc/nlp-lexicon@1"] = Field(alias="schema")
    sites: dict[str, str | None]
    dose_units: list[str] = Field(min_length=1)  # session 12: the units a dose is written in


class NlpTherapyFile(_File):
    """``nlp/therapy.yaml``: the therapy-history reader's patterns and words."""

    schema_: Literal["mbc/nlp-therapy@1"] = Field(alias="schema")
    settings: list[Any] = Field(default_factory=list)
    stop_reasons: list[Any] = Field(default_factory=list)


class NlpInferencesFile(_File):
    """``nlp/inferences.yaml``: shorthand that implies a record fact (the note reader's last stage;
    checked strictly by :mod:`mbc.ingest._note_infer`)."""

    schema_: Literal["mbc/nlp-inferences@1"] = Field(alias="schema")
    negations: str
    gene_token: str
    facts: _Rows = Field(min_length=1)


class IngestDrugsFile(_File):
    """``ingest/drugs.yaml``: drug names, brands, RxNorm codes and regimen abbreviations."""

    schema_: Literal["mbc/ingest-drugs@1"] = Field(alias="schema")
    drugs: _Rows = Field(min_length=1)
    regimens: _Rows = Field(default_factory=list)


class IngestMedicationsFile(_File):
    """``ingest/medications.yaml``: common non-cancer medications (generic, brands, synonyms)."""

    schema_: Literal["mbc/ingest-medications@1"] = Field(alias="schema")
    medications: _Rows = Field(min_length=1)


class IngestFhirFile(_File):
    """``ingest/fhir.yaml``: code systems and codes the FHIR / mCODE mapper reads."""

    schema_: Literal["mbc/ingest-fhir@1"] = Field(alias="schema")
    systems: dict[str, Any]
    observations: _Rows = Field(default_factory=list)


class PatientClassesFile(_File):
    """``patient/classes.yaml``: plain words for drug classes in the patient view."""

    schema_: Literal["mbc/patient-classes@1"] = Field(alias="schema")
    classes: dict[str, Any]


class PatientTextFile(_File):
    """``patient/text.yaml``: the patient view's headings and sentences."""

    schema_: Literal["mbc/patient-text@1"] = Field(alias="schema")
    title: str
    subtypes: dict[str, Any] = Field(default_factory=dict)
    category_words: dict[str, Any] = Field(default_factory=dict)


class AlgorithmVariant(StrictModel):
    """A variant of a patient group (e.g. pre- vs postmenopausal)."""

    label: str
    facts: dict[str, Any]


class AlgorithmGroup(StrictModel):
    """A patient group of the algorithm view (its defining facts, cited)."""

    id: str
    title: str
    citations: tuple[str, ...] = Field(min_length=1)
    facts: dict[str, Any]
    variants: tuple[AlgorithmVariant, ...] = ()


class AlgorithmLine(StrictModel):
    """A line of therapy of the algorithm view."""

    id: str
    title: str
    facts: dict[str, Any]
    false_families: tuple[str, ...] = Field(
        (),
        description="Fact families (prefix before the drug class) set to false, "
        "e.g. no prior metastatic therapy.",
    )


class AlgorithmFile(StrictModel):
    """``algorithm/groups.yaml`` (schema mbc/algorithm@1)."""

    schema_: Literal["mbc/algorithm@1"] = Field(alias="schema")
    title: str
    citations: tuple[str, ...] = Field(min_length=1)
    lines: tuple[AlgorithmLine, ...] = Field(min_length=1)
    groups: tuple[AlgorithmGroup, ...] = Field(min_length=1)


FOLDER_SCHEMAS: dict[str, type[BaseModel]] = {
    get_args(m.model_fields["schema_"].annotation)[0]: m
    for m in (
        NlpContextFile,
        NlpSectionsFile,
        NlpTargetsFile,
        NlpLexiconFile,
        NlpTherapyFile,
        NlpInferencesFile,
        IngestDrugsFile,
        IngestFhirFile,
        IngestMedicationsFile,
        PatientClassesFile,
        PatientTextFile,
        AlgorithmFile,
    )
}
"""Schema id -> model, for the folders validated (not assembled) by ``load_kb``."""

OWN_LOADERS: dict[str, tuple[str, ...]] = {
    "doses": ("mbc/doses@1",),
    "trials": ("mbc/trial-lexicon@1", "mbc/trial-patterns@1"),
    "answer": (  # mbc.answer validates these with its own models (mbc.answer._schema, ._ask)
        "mbc/answer-ask@1",
        "mbc/answer-definitions@1",
        "mbc/answer-facts@1",
        "mbc/answer-intents@1",
        "mbc/answer-monitoring@1",
        "mbc/answer-overview@1",
        "mbc/answer-patient@1",
        "mbc/answer-rulings@1",
        "mbc/answer-verdicts@1",
    ),
    "synth": ("mbc/synth-epidemiology@1",),  # mbc.cohort._epi
}
"""Folders whose files are validated by their own loader; ``load_kb`` checks that each
file names one of these schema ids."""
