"""``POST /v1/ask``: answer a free-text question (the same answer as ``mbc ask``)."""

from __future__ import annotations

import datetime as dt
from typing import Literal

from fastapi import APIRouter
from fastapi.concurrency import run_in_threadpool
from pydantic import BaseModel, ConfigDict, Field

from mbc.answer import Answer, answer_question
from mbc.answer._api import MAX_QUESTION_CHARS
from mbc.api.deps import ServicesDep

__all__ = ["AskIn", "router"]

router = APIRouter(prefix="/v1", tags=["v1"])


class AskIn(BaseModel):
    """A question to answer."""

    model_config = ConfigDict(extra="forbid")
    question: str = Field(min_length=1, max_length=MAX_QUESTION_CHARS)
    audience: Literal["clinician", "patient"] | None = Field(
        None, description="Default: read from the question (first-person lay words -> patient)."
    )
    as_of: dt.date | None = Field(None, description="Date to answer for (default: today).")
    include_plan: bool = Field(False, description="Attach the plan the answer is based on.")


@router.post("/ask", summary="Answer a free-text question", response_model=Answer)
async def post_ask(body: AskIn, svc: ServicesDep) -> Answer:
    """Answer a question - general, about a patient, or in a patient's words - answer first,
    with a verdict for yes/no questions, numbered references and the assumptions made."""
    when = body.as_of or svc.today()
    return await run_in_threadpool(
        answer_question,
        body.question,
        svc.kb,
        as_of=when,
        audience=body.audience,
        include_plan=body.include_plan,
    )
