"""The web page: server-rendered Jinja2 + htmx over the same service layer as the API.

Pages: the case list, the case form (with instant validation: htmx posts the form to
``/web/validate``, which answers with every field's error at once), "paste a note or
FHIR bundle", the clinician plan view, the plain-language patient view, print and PDF
exports of both (audited as ``plan_exported``), the therapy timeline (SVG) and rule pages.
Routes only parse, call :mod:`mbc.service` and render; templates hold no logic beyond
loops over what the view helpers prepared.
"""

from __future__ import annotations

import contextlib
import importlib.resources
import json
import re
import secrets
from pathlib import Path
from typing import Any

import yaml
from fastapi import APIRouter, Depends, FastAPI, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates

from mbc import service
from mbc.api.auth.gate import PRINT_CSP
from mbc.api.auth.principal import Clinician, Principal, current, require
from mbc.api.deps import ServicesDep
from mbc.errors import InputError, Problem
from mbc.service.errors import ApiError, NotFoundError
from mbc.web import views
from mbc.web.form import errors_by_field, form_spec, form_to_record, record_to_form

__all__ = ["mount_web", "router"]

router = APIRouter(include_in_schema=False, dependencies=[Depends(require("viewer"))])
_PKG = Path(str(importlib.resources.files("mbc.web")))
templates = Jinja2Templates(directory=str(_PKG / "templates"))
_THERAPY_ROWS_MIN = 3
MAX_THERAPY_ROWS = 40
"""Most prior-therapy rows a form may carry (an index beyond it is a 422, not a loop)."""
_MAX_FIELDS = 1000
_THERAPY_KEY = re.compile(r"prior_therapies\.(\d{1,4})\.(\w{1,40})")


def mount_web(app: FastAPI) -> None:
    """Add the web pages and static files to an app."""
    app.mount("/static", StaticFiles(directory=str(_PKG / "static")), name="static")
    app.include_router(router)
    app.include_router(importlib.import_module("mbc.web.ask").router)  # the Ask box (issue 12)


def _csrf(request: Request) -> str:
    """The session's CSRF token (created on first use; the gate checks it on every post)."""
    session = request.scope.get("session")
    if not isinstance(session, dict):
        return ""
    if not session.get("csrf"):
        session["csrf"] = secrets.token_urlsafe(32)
    return str(session["csrf"])


def _ctx(request: Request, svc: service.AppServices, **kw: Any) -> dict[str, Any]:
    return {
        "request": request,
        "root": "",
        "kb_version": svc.kb.version,
        "printing": False,
        "css": None,
        "csrf": _csrf(request),
        "user": current(request),
        "auth_off": not svc.settings.auth_on,
        **kw,
    }


def _actor(request: Request) -> str:
    p: Principal | None = current(request)
    return p.actor if p is not None else "anonymous"


def _not_found(request: Request, svc: service.AppServices, exc: NotFoundError) -> HTMLResponse:
    return templates.TemplateResponse(
        request,
        "error.html",
        _ctx(request, svc, status=404, title="Not found", message=str(exc)),
        status_code=404,
    )


def _bad_form(msg: str, loc: tuple[str | int, ...]) -> ApiError:
    return ApiError(f"the form is invalid: {msg}", [Problem(loc, msg, "value_error")], status=422)


async def _form(request: Request) -> dict[str, Any]:
    """The submitted form, bounded: at most ``_MAX_FIELDS`` fields and ``MAX_THERAPY_ROWS``
    therapy rows; a therapy index that is not a small integer is a 422 (never a loop)."""
    try:
        form = await request.form(max_files=0, max_fields=_MAX_FIELDS)
    except ApiError:
        raise
    except Exception:  # too many fields, a file, a malformed multipart body
        raise _bad_form(f"it could not be read (at most {_MAX_FIELDS} fields, no files)", ()) from None
    for key in form:
        if key.startswith("prior_therapies."):
            m = _THERAPY_KEY.fullmatch(key)
            if m is None:
                raise _bad_form("a therapy field name is malformed", (key[:80],))
            if int(m.group(1)) >= MAX_THERAPY_ROWS:
                raise _bad_form(f"at most {MAX_THERAPY_ROWS} therapy rows", (key[:80],))
    out: dict[str, Any] = {}
    for key in form:
        values = [v for v in form.getlist(key) if isinstance(v, str)]
        out[key] = values if len(values) > 1 or key in _checkbox_names() else (values[0] if values else "")
    if "id" in out and not str(out["id"]).strip():
        out["id"] = f"case-{secrets.token_hex(4)}"  # the record id is generated, not invented
    return out


def _checkbox_names() -> set[str]:
    return {n for n, f in form_spec().by_name.items() if f.widget == "checkboxes"}


def _known_fields(values: dict[str, Any]) -> set[str]:
    spec = form_spec()
    known = set(spec.by_name)
    rows = max(_therapy_rows(values), _THERAPY_ROWS_MIN)
    known |= {f"prior_therapies.{i}.{tf.name}" for i in range(rows) for tf in spec.therapy_fields}
    return known


def _on_page(name: str, values: dict[str, Any]) -> bool:
    m = _THERAPY_KEY.fullmatch(name)
    if m is None:
        return True
    submitted = [int(x.group(1)) for k in values if (x := _THERAPY_KEY.fullmatch(k))]
    return int(m.group(1)) <= max(submitted, default=_THERAPY_ROWS_MIN - 1)


def _therapy_rows(values: dict[str, Any]) -> int:
    idx = [int(m.group(1)) for k in values if (m := _THERAPY_KEY.fullmatch(k))]
    return min(max(idx) + 2, MAX_THERAPY_ROWS) if idx else _THERAPY_ROWS_MIN


def _validate(values: dict[str, Any]) -> tuple[dict[str, Any], dict[str, list[str]], list[str]]:
    from mbc.model import parse_record

    record = form_to_record(values)
    try:
        parse_record(record)
    except InputError as exc:
        by_field, general = errors_by_field(exc.problems, _known_fields(values))
        return record, by_field, general
    return record, {}, []


def _errors_context(
    values: dict[str, Any], by_field: dict[str, list[str]], general: list[str], *, oob: bool, checked: bool
) -> dict[str, Any]:
    spec = form_spec()
    known = sorted(_known_fields(values))
    ids = {n: "f-" + n.replace(".", "-") for n in known}
    labels = {n: f.label for n, f in spec.by_name.items()}
    for n in known:
        if n.startswith("prior_therapies."):
            _, i, f = n.split(".")
            labels[n] = f"Therapy {int(i) + 1} {f.replace('_', ' ')}"
    return {
        "count": sum(len(v) for v in by_field.values()) + len(general),
        "field_errors": by_field,
        "general": general,
        "spec_ids": ids,
        "labels": labels,
        # Out-of-band targets only for rows the page has (the submitted ones): no htmx
        # oobErrorNoTarget for a row that is not on the page.
        "error_ids": {n: "err-" + n.replace(".", "-") for n in known if _on_page(n, values)},
        "oob": oob,
        "checked": checked,
    }


def _form_page(
    request: Request,
    svc: service.AppServices,
    *,
    values: dict[str, Any],
    heading: str,
    action: str,
    submit: str,
    by_field: dict[str, list[str]] | None = None,
    general: list[str] | None = None,
    label: str | None = None,
    status_code: int = 200,
    extra: dict[str, Any] | None = None,
) -> HTMLResponse:
    ctx = _ctx(
        request,
        svc,
        **(extra or {}),
        spec=form_spec(),
        values=values,
        errors=by_field or {},
        heading=heading,
        action=action,
        submit=submit,
        label=label,
        therapy_rows=max(_therapy_rows(values), _THERAPY_ROWS_MIN),
        **_errors_context(values, by_field or {}, general or [], oob=False, checked=False),
    )
    return templates.TemplateResponse(request, "case_form.html", ctx, status_code=status_code)


# ---------------------------------------------------------------------------- pages


@router.get("/", response_class=HTMLResponse)
def index(request: Request, svc: ServicesDep) -> HTMLResponse:
    """The case list (the read is audited)."""
    cases = service.list_cases(svc, actor=_actor(request))
    return templates.TemplateResponse(
        request, "index.html", _ctx(request, svc, cases=cases, examples=views.example_labels())
    )


@router.get("/cases/new", response_class=HTMLResponse)
def new_case(request: Request, svc: ServicesDep, _who: Clinician, example: str | None = None) -> HTMLResponse:
    """The empty case form, or one filled from a bundled example."""
    record = views.load_example(example) if example else None
    values = record_to_form(record) if record else {}
    return _form_page(
        request,
        svc,
        values=values,
        heading="New case",
        action="/cases",
        submit="Save and plan",
        label=(record or {}).get("id"),
    )


@router.post("/web/validate", response_class=HTMLResponse)
async def validate(request: Request, svc: ServicesDep, _who: Clinician) -> HTMLResponse:
    """htmx: every field's error at once (error summary + out-of-band field messages)."""
    values = await _form(request)
    _, by_field, general = _validate(values)
    ctx = _ctx(request, svc, **_errors_context(values, by_field, general, oob=True, checked=True))
    return templates.TemplateResponse(request, "_errors.html", ctx)


async def _submitted(
    request: Request, svc: ServicesDep, *, heading: str, action: str
) -> tuple[Any, str | None, Response | None]:
    """Read and validate a submitted case form: (record, label, None), or the form page again
    with every error (422) as the third element."""
    values = await _form(request)
    record, by_field, general = _validate(values)
    label = str(values.get("_label") or "") or None
    if not (by_field or general):
        return record, label, None
    page = _form_page(
        request,
        svc,
        values=values,
        heading=heading,
        action=action,
        submit="Save and plan",
        by_field=by_field,
        general=general,
        label=label,
        status_code=422,
    )
    return record, label, page


@router.post("/cases", response_class=HTMLResponse)
async def create_case(request: Request, svc: ServicesDep, who: Clinician) -> Response:
    """Save the form as a case and show its plan (or the form again with every error)."""
    record, label, invalid = await _submitted(request, svc, heading="New case", action="/cases")
    if invalid is not None:
        return invalid
    provenance = (await _form(request)).get("_provenance")
    if provenance:  # confirmed after a paste: keep where each fact came from (issue 11)
        with contextlib.suppress(ValueError):
            record["provenance"] = {**json.loads(str(provenance)), "confirmed_in_form": True}
    row = await run_in_threadpool(
        service.create_case, svc, record, source_kind="form", actor=who.actor, label=label
    )
    return RedirectResponse(f"/cases/{row.id}", status_code=303)


@router.get("/cases/paste", response_class=HTMLResponse)
def paste_page(request: Request, svc: ServicesDep, _who: Clinician) -> HTMLResponse:
    """Paste a note or a FHIR bundle."""
    return templates.TemplateResponse(request, "paste.html", _ctx(request, svc, kind="auto"))


@router.post("/cases/paste", response_class=HTMLResponse)
async def paste(request: Request, svc: ServicesDep, who: Clinician) -> Response:
    """Read the pasted source into a case."""
    values = await _form(request)
    source = str(values.get("source") or "")
    service.check_note_size(svc, source)
    kind = str(values.get("kind") or "auto")
    kind = kind if kind in ("auto", "fhir", "note") else "auto"
    try:
        if not source.strip():
            raise InputError("nothing was pasted")
        data: Any = source
        if kind in ("fhir", "auto") and source.lstrip().startswith("{"):
            try:
                data = json.loads(source)
                kind = "fhir" if isinstance(data, dict) and "resourceType" in data else kind
            except ValueError:
                data = source
        if values.get("then") == "check":
            return await _check_page(request, svc, data, kind, str(values.get("_label") or "") or None)
        row = await run_in_threadpool(
            service.case_from_source,
            svc,
            data,
            kind=kind,  # type: ignore[arg-type]
            actor=who.actor,
            label=str(values.get("_label") or "") or None,
        )
    except InputError as exc:
        ctx = _ctx(
            request,
            svc,
            error=str(exc).splitlines()[0],
            problems=[str(p) for p in exc.problems],
            source=source,
            kind=kind,
        )
        return templates.TemplateResponse(request, "paste.html", ctx, status_code=422)
    return RedirectResponse(f"/cases/{row.id}", status_code=303)


_CHECK_KINDS = ("mention_not_used", "phrase", "therapy_without_drugs", "code", "unreadable_resource")


async def _check_page(
    request: Request, svc: ServicesDep, data: Any, kind: str, label: str | None
) -> HTMLResponse:
    """The case form pre-filled with what was read, for the clinician to confirm or correct
    before planning (issue 11); the facts to check (conflicting, uncertain, not understood)
    are listed first and the provenance travels with the form."""
    from mbc.ingest import extract
    from mbc.ingest.review import review

    extraction = await run_in_threadpool(extract, data, kind=kind, as_of=svc.today())  # type: ignore[arg-type]
    record = extraction.record
    checks = [
        f"{path}: {src.get('certainty')} - {src.get('text') or src.get('resource') or ''}".strip(" -")
        for path, src in extraction.provenance.items()
        if isinstance(src, dict) and src.get("certainty") in ("conflicting", "uncertain")
    ]
    checks += [
        f"not recorded ({u.get('reason')}): {u.get('text') or u.get('value') or u.get('display') or ''}"
        for u in extraction.unread
        if u.get("kind") in _CHECK_KINDS
    ][:30]
    page = _form_page(
        request,
        svc,
        values=record_to_form(record),
        heading="Check the facts read from the paste",
        action="/cases",
        submit="Save and plan",
        label=label,
        extra={
            "checks": checks,
            "provenance_json": json.dumps(extraction.to_json()["provenance"]),
            # the facts grouped by certainty, each with its source text highlighted
            "review": review(extraction, data if isinstance(data, str) else None),
        },
    )
    return page


@router.get("/cases/{case_id}", response_class=HTMLResponse)
def case_page(case_id: str, request: Request, svc: ServicesDep) -> HTMLResponse:
    """The clinician view of a case's plan (audited as shown)."""
    return _case_view(case_id, request, svc, "clinician")


@router.get("/cases/{case_id}/patient", response_class=HTMLResponse)
def patient_page(case_id: str, request: Request, svc: ServicesDep) -> HTMLResponse:
    """The plain-language patient view (audited as shown)."""
    return _case_view(case_id, request, svc, "patient")


def _view_context(view: service.CaseView, svc: service.AppServices, which: str) -> dict[str, Any]:
    """The template variables of the clinician or the patient view."""
    if which == "patient":
        return views.patient_context(view, svc.kb)
    return views.clinician_context(view, svc.kb)


def _case_view(case_id: str, request: Request, svc: service.AppServices, which: str) -> HTMLResponse:
    try:
        view = service.show_case(svc, case_id, actor=_actor(request), detail={"view": which})
    except NotFoundError as exc:
        return _not_found(request, svc, exc)
    page = "patient.html" if which == "patient" else "case.html"
    return templates.TemplateResponse(request, page, _ctx(request, svc, **_view_context(view, svc, which)))


def _export_html(request: Request, svc: service.AppServices, case_id: str, which: str, fmt: str) -> str:
    view = service.show_case(
        svc, case_id, actor=_actor(request), event="plan_exported", detail={"view": which, "format": fmt}
    )
    ctx = _ctx(request, svc, **_view_context(view, svc, which))
    ctx.update(printing=True, css=views.stylesheet())
    tpl = templates.get_template("patient.html" if which == "patient" else "case.html")
    return tpl.render(ctx)


@router.get("/cases/{case_id}/print", response_class=HTMLResponse)
def print_page(case_id: str, request: Request, svc: ServicesDep, view: str = "clinician") -> HTMLResponse:
    """A print-ready page (sources listed in full, no navigation). Audited as exported."""
    which = "patient" if view == "patient" else "clinician"
    try:
        html = _export_html(request, svc, case_id, which, "print")
        return HTMLResponse(html, headers={"Content-Security-Policy": PRINT_CSP})
    except NotFoundError as exc:
        return _not_found(request, svc, exc)


@router.get("/cases/{case_id}/pdf")
def pdf(case_id: str, request: Request, svc: ServicesDep, view: str = "clinician") -> Response:
    """The print page as PDF (WeasyPrint). Audited as exported."""
    which = "patient" if view == "patient" else "clinician"
    try:
        html = _export_html(request, svc, case_id, which, "pdf")
    except NotFoundError as exc:
        return _not_found(request, svc, exc)
    data = views.html_to_pdf(html)
    name = f"mbc-{case_id}-{which}.pdf"
    return Response(
        data, media_type="application/pdf", headers={"Content-Disposition": f'inline; filename="{name}"'}
    )


@router.get("/cases/{case_id}/timeline.svg")
def timeline(case_id: str, request: Request, svc: ServicesDep) -> Response:
    """The therapy timeline of a case, as SVG."""
    try:
        case = service.get_case(svc, case_id, actor=_actor(request))
    except NotFoundError as exc:
        return _not_found(request, svc, exc)
    return Response(views.case_timeline(case.record, svc), media_type="image/svg+xml")


@router.get("/cases/{case_id}/edit", response_class=HTMLResponse)
def edit_page(case_id: str, request: Request, svc: ServicesDep, who: Clinician) -> HTMLResponse:
    """The case form, filled with the case's record."""
    try:
        case = service.get_case(svc, case_id, actor=who.actor)
    except NotFoundError as exc:
        return _not_found(request, svc, exc)
    return _form_page(
        request,
        svc,
        values=record_to_form(case.record),
        heading=f"Edit {case.label}",
        action=f"/cases/{case_id}/edit",
        submit="Save and plan",
        label=case.label,
    )


@router.post("/cases/{case_id}/edit", response_class=HTMLResponse)
async def edit(case_id: str, request: Request, svc: ServicesDep, who: Clinician) -> Response:
    """Save an edited case."""
    record, label, invalid = await _submitted(
        request, svc, heading="Edit case", action=f"/cases/{case_id}/edit"
    )
    if invalid is not None:
        return invalid
    try:
        await run_in_threadpool(service.update_case, svc, case_id, record, actor=who.actor, label=label)
    except NotFoundError as exc:
        return _not_found(request, svc, exc)
    return RedirectResponse(f"/cases/{case_id}", status_code=303)


@router.get("/rules/{rule_id}", response_class=HTMLResponse)
def rule_page(rule_id: str, request: Request, svc: ServicesDep) -> HTMLResponse:
    """A rule with its sources (the target of CDS card source links)."""
    try:
        rule = service.get_rule(svc, rule_id)
    except NotFoundError as exc:
        return _not_found(request, svc, exc)
    text = yaml.safe_dump(rule["rule"], sort_keys=False, allow_unicode=True)
    return templates.TemplateResponse(request, "rule.html", _ctx(request, svc, rule=rule, rule_yaml=text))
