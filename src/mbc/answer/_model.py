"""The answer: what ``mbc ask --format json``, ``POST /v1/ask`` and the web Ask box return."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from mbc.knowledge.loader import KnowledgeBase

__all__ = ["VERDICT_WORDS", "Answer", "AnswerBody", "AnswerCitation", "Citer", "VerdictId"]

_CFG = ConfigDict(frozen=True, extra="forbid")
VerdictId = Literal["yes", "no", "certain_circumstances", "depends"]
VERDICT_WORDS: dict[str, str] = {  # how each verdict opens an answer (text view: in capitals)
    "yes": "Yes",
    "no": "No",
    "certain_circumstances": "Only in certain circumstances",
    "depends": "Depends",
}


class AnswerCitation(BaseModel):
    """A numbered reference of the answer."""

    model_config = _CFG
    n: int
    id: str
    short: str
    title: str
    year: int
    url: str | None = None


class AnswerBody(BaseModel):
    """The answer itself: verdict (yes/no questions), one-paragraph text, points, references."""

    model_config = _CFG
    verdict: VerdictId | None = Field(None, description="For yes/no questions.")
    verdict_text: str | None = Field(None, description="The verdict in words, e.g. 'depends on HER2 status'.")
    text: str
    points: list[str] = Field(default_factory=list)
    citations: list[AnswerCitation] = Field(default_factory=list)


class Answer(BaseModel):
    """A question and its answer, with what was read and the plan behind it."""

    model_config = _CFG
    question: str
    intent: str
    audience: Literal["clinician", "patient"]
    about: dict[str, list[str]] = Field(
        default_factory=dict, description="Drugs, classes, terms asked about."
    )
    answer: AnswerBody
    assumptions: list[str] = Field(default_factory=list)
    read: dict[str, Any] = Field(
        default_factory=dict, description="The patient facts read from the question."
    )
    plan: dict[str, Any] | None = None
    follow_up_questions: list[str] = Field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        return self.model_dump(mode="json")


@dataclass
class Citer:
    """Numbers citations in the order they are first used."""

    kb: KnowledgeBase
    order: list[str] = field(default_factory=list)

    def ref(self, ids: Any) -> str:
        nums: list[int] = []
        for cid in ids:
            cid = getattr(cid, "id", cid)
            if cid not in self.kb.sources:
                continue
            if cid not in self.order:
                self.order.append(cid)
            n = self.order.index(cid) + 1
            if n not in nums:
                nums.append(n)
        return f" [{', '.join(map(str, sorted(nums)))}]" if nums else ""

    def citations(self) -> list[AnswerCitation]:
        out = []
        for i, cid in enumerate(self.order, 1):
            s = self.kb.sources[cid]
            url = f"https://doi.org/{s.doi}" if s.doi else s.url
            out.append(AnswerCitation(n=i, id=cid, short=s.short, title=s.title, year=s.year, url=url))
        return out
