"""Who is asking: the signed-in person (or API key) behind a request, and role checks.

Roles are ordered: ``viewer`` reads, ``clinician`` also writes and plans, ``admin`` also
deletes cases, manages API keys and reads the audit log. A route states the least role it
needs with :func:`require`; the :class:`~mbc.api.auth.gate.AuthGate` middleware has already
refused anonymous requests to every route that is not public.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated

from fastapi import Depends, Request

from mbc.errors import Problem
from mbc.service.errors import ApiError, UnauthorizedError
from mbc.service.principal import DEV, ROLES, Principal, Role, best_role

__all__ = [
    "DEV",
    "ROLES",
    "ForbiddenError",
    "Principal",
    "Role",
    "best_role",
    "current",
    "require",
]


class ForbiddenError(ApiError):
    """Signed in, but the role does not allow this."""

    status = 403


def current(request: Request) -> Principal | None:
    """The request's principal (set by the gate), or None."""
    p = request.scope.get("state", {}).get("principal")
    return p if isinstance(p, Principal) else None


def require(role: Role) -> Callable[[Request], Principal]:
    """A FastAPI dependency: the principal, who must have at least ``role``."""

    def dependency(request: Request) -> Principal:
        p = current(request)
        if p is None:
            raise UnauthorizedError(
                "sign-in required", [Problem(("authorization",), "no credentials", "missing_token")]
            )
        if not p.can(role):
            raise ForbiddenError(
                f"the {p.role} role may not do this (needs {role})",
                [Problem(("role",), f"needs {role}", "forbidden")],
            )
        return p

    dependency.__name__ = f"require_{role}"
    return dependency


Viewer = Annotated[Principal, Depends(require("viewer"))]
Clinician = Annotated[Principal, Depends(require("clinician"))]
Admin = Annotated[Principal, Depends(require("admin"))]
