"""Read real records into contract-v1 patient records.

:func:`extract` turns a FHIR R4 / mCODE bundle or a free-text note (or a clinician's
question) into an :class:`Extraction`: the record, where each fact came from, and what
could not be read. The engine then sees the same record whatever the source.

.. versionadded:: 0.1
"""

from __future__ import annotations

from mbc.ingest._api import detect_kind, extract, read_source
from mbc.ingest._extraction import Extraction
from mbc.ingest._note_dates import chain_back
from mbc.ingest._note_infer import inferences, inferred_assumptions
from mbc.ingest._note_withheld import SENTENCE_END

__all__ = [
    "SENTENCE_END",
    "Extraction",
    "chain_back",
    "detect_kind",
    "extract",
    "inferences",
    "inferred_assumptions",
    "read_source",
]
