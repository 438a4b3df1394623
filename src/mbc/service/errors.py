"""Errors of the service layer, each with the HTTP status the API answers with.

```
CDSError
└── ApiError (400)                 an error with a status and located problems
    ├── NotFoundError (404)        no such case, rule or service
    ├── UnauthorizedError (401)    missing or invalid credentials
    ├── PayloadTooLargeError (413) a body or text over its limit
    └── UnavailableError (501)     an optional component is not installed
```
"""

from __future__ import annotations

from collections.abc import Sequence

from mbc.errors import CDSError, Problem

__all__ = ["ApiError", "NotFoundError", "PayloadTooLargeError", "UnauthorizedError", "UnavailableError"]


class ApiError(CDSError):
    """An error with an HTTP status and optional located problems."""

    status = 400

    def __init__(self, message: str, problems: Sequence[Problem] = (), *, status: int | None = None) -> None:
        super().__init__(message)
        self.problems = list(problems)
        if status is not None:
            self.status = status


class NotFoundError(ApiError):
    """No such case, rule or service."""

    status = 404


class UnavailableError(ApiError):
    """An optional component (FHIR / note reading) is not installed."""

    status = 501


class UnauthorizedError(ApiError):
    """Missing or invalid credentials (CDS Hooks JWT)."""

    status = 401


class PayloadTooLargeError(ApiError):
    """The request body is over the size limit."""

    status = 413
