"""Who is asking: the signed-in person (or API key) behind a request, and role checks.

Roles are ordered: ``viewer`` reads, ``clinician`` also writes and plans, ``admin`` also
deletes cases, manages API keys and reads the audit log. A route states the least role it
needs with :func:`require`; the :class:`~mbc.api.auth.gate.AuthGate` middleware has already
refused anonymous requests to every route that is not public.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Annotated, Any, Literal

from fastapi import Depends, Request

from mbc.api.errors import ApiError, UnauthorizedError
from mbc.errors import Problem

__all__ = [
    "ROLES",
    "ForbiddenError",
    "Principal",
    "Role",
    "current",
    "require",
]

Role = Literal["viewer", "clinician", "admin"]
ROLES: tuple[Role, ...] = ("viewer", "clinician", "admin")
_RANK = {r: i for i, r in enumerate(ROLES)}
Via = Literal["oidc", "session", "api_key", "dev"]


class ForbiddenError(ApiError):
    """Signed in, but the role does not allow this."""

    status = 403


@dataclass(frozen=True)
class Principal:
    """A signed-in person or API key.

    Attributes:
        subject: Stable id (OIDC ``sub``, or the API key id).
        name: Display name.
        role: The mbc role.
        via: How the request was authenticated.
    """

    subject: str
    name: str
    role: Role
    via: Via

    @property
    def actor(self) -> str:
        """What audit rows record as the actor (a person, never just "api")."""
        return f"{self.via}:{self.subject}"[:64]

    def can(self, role: Role) -> bool:
        """Whether this principal has at least ``role``."""
        return _RANK[self.role] >= _RANK[role]


DEV = Principal(subject="developer", name="Local developer (auth off)", role="admin", via="dev")


def best_role(values: Any, role_map: dict[str, str]) -> Role | None:
    """The highest mbc role that any of ``values`` (IdP roles) maps to, or None."""
    if isinstance(values, str):
        values = values.split()
    if not isinstance(values, list | tuple):
        return None
    found = [role_map.get(str(v)) for v in values]
    ranked = [r for r in found if r in _RANK]
    return max(ranked, key=lambda r: _RANK[r]) if ranked else None  # type: ignore[return-value]


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
