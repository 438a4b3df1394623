"""CDS Hooks 2.0: discovery registry, JWT verification and plan -> card mapping."""

from __future__ import annotations

from mbc.api.cdshooks.registry import REGISTRY, CDSService, discovery, find_service

__all__ = ["REGISTRY", "CDSService", "discovery", "find_service"]
