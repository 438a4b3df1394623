"""The web Ask box: ``GET /ask`` and ``POST /ask`` (form: ``question``, ``audience``).

The same answer as ``mbc ask`` and ``POST /v1/ask``; the home page includes the box.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import HTMLResponse

from mbc.answer import VERDICT_WORDS
from mbc.api.deps import ServicesDep
from mbc.errors import InputError

__all__ = ["router"]

router = APIRouter(include_in_schema=False)


def _ctx(request: Request, svc: Any, **kw: Any) -> dict[str, Any]:
    from mbc.web.routes import _ctx as page_ctx  # the pages' context: user, CSRF token, auth banner

    return page_ctx(request, svc, verdict_words=VERDICT_WORDS, **kw)


@router.get("/ask", response_class=HTMLResponse)
def ask_page(request: Request, svc: ServicesDep) -> HTMLResponse:
    from mbc.web.routes import templates

    return templates.TemplateResponse(request, "ask.html", _ctx(request, svc))


@router.post("/ask", response_class=HTMLResponse)
async def ask(request: Request, svc: ServicesDep) -> HTMLResponse:
    from mbc.answer import answer_question
    from mbc.web.routes import templates

    form = await request.form()
    question = str(form.get("question") or "")
    audience = str(form.get("audience") or "auto")
    who: Any = audience if audience in ("clinician", "patient") else None
    try:
        answer = await run_in_threadpool(
            answer_question, question, svc.kb, as_of=svc.today(), audience=who, include_plan=False
        )
    except InputError as exc:
        ctx = _ctx(request, svc, question=question, audience=audience, error=str(exc).splitlines()[0],
                   problems=[p.msg for p in exc.problems])  # fmt: skip
        return templates.TemplateResponse(request, "ask.html", ctx, status_code=422)
    ctx = _ctx(request, svc, question=question, audience=audience, answer=answer.to_json())
    return templates.TemplateResponse(request, "ask.html", ctx)
