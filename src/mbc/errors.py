"""Exceptions raised by mbc.

The tree::

    CDSError
    ├── InputError                # a patient record (or other user input) is invalid
    │   └── RecordError           # carries every Problem(loc, msg, type) at once
    ├── KnowledgeError            # the knowledge base failed to load or validate
    │   └── UnresolvedReference   # unknown vocabulary term / citation id
    ├── IngestError               # FHIR bundle or note could not be read
    │   ├── FHIRMappingError      # names the resource type/id and element path
    │   └── NoteExtractionError
    ├── TrialSourceError          # trial registry could not be read
    └── EngineError               # a bug in us; never raised for missing patient data

Missing patient data is never an exception: it is the UNKNOWN truth value.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

__all__ = [
    "CDSError",
    "EngineError",
    "FHIRMappingError",
    "IngestError",
    "InputError",
    "KnowledgeError",
    "NoteExtractionError",
    "Problem",
    "RecordError",
    "TrialSourceError",
    "UnresolvedReference",
]


@dataclass(frozen=True, slots=True)
class Problem:
    """One thing wrong with an input, located by a JSON path."""

    loc: tuple[str | int, ...]
    msg: str
    type: str = "value_error"

    @property
    def path(self) -> str:
        """The location as a dotted path with list indices, e.g. ``prior_therapies[1].start``."""
        out = ""
        for part in self.loc:
            if isinstance(part, int):
                out += f"[{part}]"
            else:
                out += ("." if out else "") + str(part)
        return out or "(record)"

    def as_dict(self) -> dict[str, object]:
        """The error-envelope form used by the CLI and the API."""
        return {"loc": list(self.loc), "msg": self.msg, "type": self.type}

    def __str__(self) -> str:
        return f"{self.path}: {self.msg}"


class CDSError(Exception):
    """Base class of every error raised on purpose by mbc."""


class _WithProblems(CDSError):
    """An error that carries every problem found (not only the first) and lists them."""

    def __init__(self, message: str, problems: Iterable[Problem] = ()) -> None:
        self.problems: list[Problem] = list(problems)
        super().__init__(message)

    def __str__(self) -> str:
        head = super().__str__()
        if not self.problems:
            return head
        return head + "\n" + "\n".join(f"  - {p}" for p in self.problems)


class InputError(_WithProblems, ValueError):
    """User input is invalid. Carries every problem found, not only the first."""


class RecordError(InputError):
    """A patient record does not follow the contract."""


class KnowledgeError(_WithProblems):
    """The knowledge base failed to load or validate."""


class UnresolvedReference(KnowledgeError):
    """A knowledge file names a vocabulary term or citation that does not exist."""


class IngestError(InputError):
    """A FHIR bundle or a note could not be read."""


class FHIRMappingError(IngestError):
    """A FHIR resource could not be mapped (names resource type/id and element path)."""


class NoteExtractionError(IngestError):
    """A free-text note could not be read (for example, it is empty)."""


class TrialSourceError(CDSError):
    """A trial registry or record could not be read."""


class EngineError(CDSError, RuntimeError):
    """An internal error of the engine. Never raised for missing patient data."""
