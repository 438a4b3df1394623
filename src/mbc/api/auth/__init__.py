"""Sign-in and roles: OIDC (web, bearer access tokens), API keys, the gate middleware."""

from __future__ import annotations

from mbc.api.auth.principal import ROLES, ForbiddenError, Principal, Role, current, require

__all__ = ["ROLES", "ForbiddenError", "Principal", "Role", "current", "require"]
