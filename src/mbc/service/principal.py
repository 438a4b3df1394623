"""Who is asking: a signed-in person or an API key, and the ordered roles.

``viewer`` reads, ``clinician`` also writes and plans, ``admin`` also deletes cases,
manages API keys and reads the audit log.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

__all__ = ["DEV", "ROLES", "Principal", "Role", "best_role"]

Role = Literal["viewer", "clinician", "admin"]
ROLES: tuple[Role, ...] = ("viewer", "clinician", "admin")
_RANK = {r: i for i, r in enumerate(ROLES)}
Via = Literal["oidc", "session", "api_key", "dev"]


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
    ranked: list[Role] = [r for r in ROLES if r in {role_map.get(str(v)) for v in values}]
    return ranked[-1] if ranked else None
