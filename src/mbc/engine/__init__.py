"""The engine: a pure pipeline from a patient record to a plan."""

from __future__ import annotations

from mbc.engine.derive import derive_facts
from mbc.engine.pipeline import ENGINE_VERSION, EvalContext, plan

__all__ = ["ENGINE_VERSION", "EvalContext", "derive_facts", "plan"]
