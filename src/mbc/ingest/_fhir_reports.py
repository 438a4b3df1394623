"""What a (non-genomic) DiagnosticReport says in words: a HER2 ISH result written only in the
report's text (``presentedForm`` text/plain, e.g. an "ISH addendum", or its conclusion), and the
histology a pathology report's conclusion names.

Read as a result of the report itself (its date, its specimen; certainty ``inferred``): a coded
result observation of the same date and specimen is read beside it and agrees or conflicts as
any two results do. Which words mean what: ``knowledge/ingest/fhir.yaml`` (``report_text``).
"""

from __future__ import annotations

import base64
import binascii
import contextlib
import re
from collections.abc import Mapping
from typing import Any

from mbc.ingest._fhir_base import (
    Ctx,
    Res,
    Timeline,
    Unreadable,
    codings,
    effective,
    parse_date,
    progression_said,
    src,
    text_of,
    words_match,
)
from mbc.ingest._fhir_text import emit_receptor_words

__all__ = ["read_clinical_impression", "read_report_text"]


def _plain_texts(res: Res) -> list[tuple[str, str]]:
    """(element, text) of the report's plain-text attachments and its conclusion."""
    out: list[tuple[str, str]] = []
    forms = res.body.get("presentedForm")
    for i, form in enumerate(forms if isinstance(forms, list) else []):
        if not isinstance(form, Mapping) or not str(form.get("contentType") or "").startswith("text/plain"):
            continue
        data = form.get("data")
        if not isinstance(data, str):
            continue
        try:
            text = base64.b64decode(data, validate=False).decode("utf-8", errors="replace")
        except (binascii.Error, ValueError):
            continue  # not base64: an attachment we cannot read is not a fault of the bundle
        out.append((f"presentedForm[{i}]", text))
    if isinstance(res.body.get("conclusion"), str):
        out.append(("conclusion", res.body["conclusion"]))
    return out


def _specimen(res: Res, text: str) -> Mapping[str, Any]:
    spec = res.body.get("specimen")
    spec = spec[0] if isinstance(spec, list) and spec else spec
    return spec if isinstance(spec, Mapping) else {"display": text}


def _tissue(res: Res, text: str) -> Any:
    """The report's specimen, else the head of its words naming the tissue ("Liver, core
    biopsy: ..."), else nothing (placed by date); never the whole text ("... consistent with a
    breast primary" names the cancer, not the tissue)."""
    spec = res.body.get("specimen")
    if spec:
        return spec
    for line in text.splitlines()[:6]:
        head, colon, _ = line.partition(":")
        if colon and 0 < len(head.strip()) <= 80:
            return {"display": head.strip()}
    return None


def _is_pathology(ctx: Ctx, res: Res) -> bool:
    """A pathology report: by its code, its category or the words of its name."""
    cfg = ctx.cfg["report_text"]
    name = text_of(res.body.get("code"))
    cats = res.body.get("category")
    cat_codes = {c for cat in (cats if isinstance(cats, list) else [cats])
                 for _, c, _ in codings(ctx, res, "category", cat)}  # fmt: skip
    return res.body.get("code") is not None and (
        bool({c for _, c, _ in codings(ctx, res, "code", res.body.get("code"))} & set(cfg["pathology_codes"]))
        or bool(cat_codes & set(cfg["pathology_categories"]))
        or re.search(cfg["pathology_words"], name, re.IGNORECASE) is not None
    )


def _pdl1_words(ctx: Ctx, res: Res, text: str, when: Any, element: str) -> None:
    """A PD-L1 CPS a pathology report gives only in words (its first stated score)."""
    from mbc.ingest._fhir_obs import emit_result

    m = re.search(ctx.cfg["report_text"].get("pdl1_cps") or "(?!)", text)
    if m is None:
        return
    body = {"resourceType": res.type, "id": res.id, "code": {"text": "PD-L1 CPS (report text)"}}
    if res.body.get("specimen") is not None:
        body["specimen"] = res.body["specimen"]
    if when is not None:
        body["effectiveDateTime"] = when.isoformat()
    given = {"reader": "given", "path": "tumor.pdl1_cps", "value": float(m.group("n"))}
    said = {"certainty": "inferred", "derived": f"read from the words: {m.group(0)!r}"}
    with contextlib.suppress(Unreadable):
        emit_result(ctx, Res(body, res.index), given, when, "fhir.report.text_pdl1", element, **said)


def _imaging_progression(ctx: Ctx, res: Res, when: Any, tl: Timeline) -> None:
    """An imaging report (by its category or the words of its name: CT, MRI, PET, bone scan)
    whose conclusion says the disease progressed, in words not denied ("Interval progression:
    new hepatic lesions"; not "no evidence of progression", "progression-free"): progression on
    its date (it ends the line running then), as a disease status saying so would."""
    cfg = ctx.cfg["report_text"]
    said = res.body.get("conclusion")
    if when is None or not isinstance(said, str) or not said.strip() or not cfg.get("imaging_words"):
        return
    cats = res.body.get("category")
    cat_codes = {c for cat in (cats if isinstance(cats, list) else [cats])
                 for _, c, _ in codings(ctx, res, "category", cat)}  # fmt: skip
    imaging = bool(cat_codes & set(cfg.get("imaging_categories") or [])) or re.search(
        cfg["imaging_words"], text_of(res.body.get("code"))
    )
    if imaging and progression_said(ctx.cfg, said):
        tl.progression.append(when)


def _conclusion_sites(ctx: Ctx, res: Res, when: Any, tl: Timeline) -> None:
    """A final report's coded conclusion naming a secondary cancer of a site ("Secondary
    malignant neoplasm of liver" in ``conclusionCode``): a metastatic site found on its date,
    as a condition of that code would be (session 10)."""
    if res.body.get("status") not in ("final", "amended", "corrected", "appended"):
        return
    from mbc.ingest._fhir_cond import icd_lookup, site_found

    sec = ctx.cfg["secondary_conditions"]
    icd = {ctx.sys("icd10cm"), *ctx.cfg.get("icd10_systems", [])}
    concepts = res.body.get("conclusionCode") or []
    for i, concept in enumerate(concepts if isinstance(concepts, list) else []):
        for system, code, _ in codings(ctx, res, f"conclusionCode[{i}]", concept):
            site = sec["snomed"].get(code) if system == ctx.sys("snomed") else None
            site = site or (icd_lookup(sec["icd10cm"], code) if system in icd else None)
            if site and site != "by_body_site":
                source = src(res, f"conclusionCode[{i}]", "fhir.report.conclusion_site", when)
                ctx.builder.add("metastases.sites", site, source)
                site_found(tl, when, source, site)


def read_report_text(ctx: Ctx, res: Res, tl: Timeline) -> None:
    from mbc.ingest._fhir_obs import emit_result

    cfg = ctx.cfg["report_text"]
    when = effective(ctx, res)
    _imaging_progression(ctx, res, when, tl)
    _conclusion_sites(ctx, res, when, tl)
    pathology = _is_pathology(ctx, res)
    strong = ctx.cfg["text_receptors"]["report_mention"]
    for element, text in _plain_texts(res):
        ish_read = False
        if pathology or re.search(strong, text):  # ER / PR / HER2 written in the report's words
            rule = "fhir.report.text_receptors"
            found = emit_receptor_words(ctx, res, text, when, rule, element, _tissue(res, text))
            ish_read = "tumor.her2_ish" in found
        if pathology:
            _pdl1_words(ctx, res, text, when, element)
        m = re.search(cfg["her2_ish"], text, re.IGNORECASE)
        if m and not ish_read:  # the note reader did not find it: the report's ISH words
            said = text[m.start() :]
            body = {
                "resourceType": "DiagnosticReport", "id": res.id, "code": {"text": "HER2 ISH (report text)"},
                "valueCodeableConcept": {"text": said}, "specimen": _specimen(res, said[:200]),
            }  # fmt: skip
            if when is not None:
                body["effectiveDateTime"] = when.isoformat()
            spec = {"reader": "her2", "method": "ish"}
            with contextlib.suppress(Unreadable):  # "ISH to follow", "see ISH addendum": no result here
                found = Res(body, res.index)
                emit_result(ctx, found, spec, when, "fhir.report.text", element, certainty="inferred")
    conclusion = res.body.get("conclusion")
    if pathology and isinstance(conclusion, str):
        word = words_match(ctx.cfg["histology"]["words"], conclusion)
        if word not in (None, "other"):
            source = src(res, "conclusion", "fhir.report.histology", when, certainty="inferred")
            tl.histology.append((word, source))


def read_clinical_impression(ctx: Ctx, res: Res, tl: Timeline) -> None:
    """A clinician's assessment (ClinicalImpression) whose summary or findings say the disease
    progressed (a coded finding in ``progression_answers``, or words not denied: "progressive
    disease", "new brain lesion"): a progression on its date (it ends the line running then).
    A draft, an assessment entered in error or one not yet done says nothing."""
    if res.body.get("status") not in (None, "completed", "in-progress"):
        return
    when = effective(ctx, res) or _dated(res, "date")
    if when is None:
        return
    texts = [str(res.body.get("summary") or "")]
    coded = False
    findings = res.body.get("finding")
    for i, finding in enumerate(findings if isinstance(findings, list) else []):
        item = finding.get("itemCodeableConcept") if isinstance(finding, Mapping) else None
        if isinstance(item, Mapping):
            codes = {c for _, c, _ in codings(ctx, res, f"finding[{i}].itemCodeableConcept", item)}
            coded = coded or bool(codes & set(ctx.cfg["progression_answers"]))
            texts.append(str(item.get("text") or ""))
    if coded or any(t and progression_said(ctx.cfg, t) for t in texts):
        tl.progression.append(when)


def _dated(res: Res, element: str) -> Any:
    return parse_date(res.body.get(element))
