"""Schema of the safety topics of ``knowledge/answer/facts.yaml`` (session 7)."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field

__all__ = ["SafetyTopic"]


class SafetyTopic(BaseModel):
    """A safety fact a question may raise without settling it ("some lung problems", "her
    kidneys are not great"): ``facts`` are the engine fact names a contraindication check reads,
    ``words`` how a question raises it, ``label`` how the answer names it. A yes/no verdict on a
    drug whose check needs one of them, unknown, is "depends" on it (principle 7)."""

    model_config = ConfigDict(frozen=True, extra="forbid", populate_by_name=True)
    id: str
    facts: tuple[str, ...] = Field(min_length=1)
    words: str
    label: str
    # session 8: the question settles it as no bar in words ("LFTs fine", "normal kidney function"):
    # a pattern matched just after (or before) where the question raises it
    settled: str | None = None
