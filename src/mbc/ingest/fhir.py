"""Read a FHIR R4 bundle (mCODE STU1-STU4, US Core, Synthea) into a contract-v1 record.

Resources are read as plain dicts (``fhir.resources`` models are an order of magnitude too
slow for a Synthea bundle). Which code means what lives in ``knowledge/ingest/fhir.yaml``.

Strict about what is broken, lenient about what is valid but unusual: the bundle is rejected
(:class:`~mbc.errors.FHIRMappingError`, naming every problem) only for structural faults —
not a resource, ``entry`` not a list, an entry without a resource type, two different
patients. A resource with a malformed element we read (a bad date, a coding that is not a
list, an unresolvable medication reference) is skipped whole: nothing it says is used, and it
is listed in ``unread`` (kind ``unreadable_resource``) with each problem.

Rules (each fact's provenance names its rule id): ``fhir.patient.*``, ``fhir.observation.*``
(newest valid observation wins; a metastasis specimen beats the primary for tumour markers),
``fhir.condition.*``, ``fhir.medication.lines`` (medication records -> courses -> lines, see
:mod:`mbc.ingest._fhir_lines`), ``fhir.genomics.variant``, ``fhir.report.*``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from typing import Any

from mbc.errors import FHIRMappingError, Problem
from mbc.ingest._data import load_yaml
from mbc.ingest._extraction import Extraction, RecordBuilder
from mbc.ingest._fhir_base import Ctx, Pending, Res, Timeline, walk_entries
from mbc.ingest._fhir_cond import read_condition
from mbc.ingest._fhir_genomics import read_report
from mbc.ingest._fhir_lines import emit_therapies
from mbc.ingest._fhir_meds import read_medication
from mbc.ingest._fhir_obs import read_observation
from mbc.ingest._fhir_patient import read_patient
from mbc.ingest._fhir_procedures import read_procedure, read_service_request
from mbc.ingest._fhir_reasons import reason_conditions
from mbc.ingest._fhir_reports import read_clinical_impression
from mbc.ingest._fhir_shape import well_formed
from mbc.ingest._fhir_subject import other_subject, patient_named

__all__ = ["read_bundle"]

_DISPATCH: dict[str, Callable[[Ctx, Res, Timeline], None]] = {
    "Patient": read_patient,
    "Observation": read_observation,
    "Condition": read_condition,
    "Procedure": read_procedure,
    "MedicationRequest": read_medication,
    "MedicationStatement": read_medication,
    "MedicationAdministration": read_medication,
    "MedicationDispense": read_medication,
    "DiagnosticReport": read_report,
    "ServiceRequest": read_service_request,
    "ClinicalImpression": read_clinical_impression,
}


def read_bundle(bundle: Mapping[str, Any], *, as_of: dt.date) -> Extraction:
    """Read a FHIR R4 Bundle (any type, nested message bundles too) or one resource.

    Args:
        bundle: The decoded JSON.
        as_of: The date ages and intervals are computed against.

    Returns:
        The extraction (unreadable resources are listed in ``unread``).

    Raises:
        FHIRMappingError: If the JSON is not FHIR or the bundle's structure is broken
            (every problem is named).
    """
    problems: list[Problem] = []
    if not isinstance(bundle, Mapping) or not isinstance(bundle.get("resourceType"), str):
        raise FHIRMappingError(
            "not a FHIR resource",
            [Problem(("resourceType",), "a FHIR resource needs a string resourceType", "fhir")],
        )
    cfg = load_yaml("ingest/fhir.yaml")
    urls: dict[str, Res] = {}
    dropped: list[dict[str, Any]] = []  # a history bundle's older versions and deleted resources
    if bundle["resourceType"] == "Bundle":
        resources = list(walk_entries(bundle, problems, urls, dropped))
    else:
        resources = [Res(bundle, None)]
    patients = [r for r in resources if r.type == "Patient"]
    record_id = patients[0].id if patients and patients[0].id else str(bundle.get("id") or "fhir")
    if len({p.id for p in patients}) > 1 and not _one_person(patients):
        problems.append(Problem(("entry",), "bundle holds more than one Patient", "fhir"))
    if problems:
        raise FHIRMappingError(
            f"malformed FHIR bundle ({len(problems)} problem{'s' if len(problems) > 1 else ''})", problems
        )
    builder = RecordBuilder(record_id, as_of, "fhir")
    for note in dropped:
        builder.note_unread(note)
    resources = [r for r in resources if well_formed(r, builder)]  # wrong JSON types: skipped whole
    resources = _newest_versions(resources, builder)  # a resource given twice: its newest version only
    resources += reason_conditions(cfg, resources)  # no Condition: the medication records' reasons
    kept = {id(r.body) for r in resources}
    by_ref = {r.ref: r for r in resources if r.id}
    by_ref.update((url, r) for url, r in urls.items() if id(r.body) in kept)
    tl = Timeline()
    memo: dict[str, dict[str, Any]] = {}  # per-bundle indexes, shared by every resource's Ctx
    seen: set[tuple[str, str]] = set()
    patient_ids = {p.id for p in patients if p.id}
    if not patient_named([r.body for r in resources if r.type != "Patient"], by_ref, patient_ids):
        patient_ids = set()  # no resource names the bundle's patient: their Patient id is hers
    for r in resources:
        reader = _DISPATCH.get(r.type)
        if reader is None:
            continue
        someone = other_subject(r.body, by_ref, patient_ids) if r.type != "Patient" else None
        if someone is not None:  # a relative's, a group's, another patient's: not this patient's
            builder.note_unread({"kind": "other_subject", "resource": r.ref, "subject": someone})
            continue
        if r.id and (r.type, r.id) in seen and r.type != "Patient":
            builder.note_unread({"key": f"duplicate|{r.ref}", "kind": "duplicate_id", "resource": r.ref})
        seen.add((r.type, r.id))
        _read_one(cfg, builder, by_ref, reader, r, tl, memo)
    _finish(cfg, builder, tl)
    return builder.build()


def _version(res: Res) -> tuple[int, str, str]:
    """How new a version of a resource is: ``meta.versionId`` (as a number when it is one),
    then ``meta.lastUpdated``."""
    meta = res.body.get("meta")
    meta = meta if isinstance(meta, Mapping) else {}
    vid, updated = str(meta.get("versionId") or ""), str(meta.get("lastUpdated") or "")
    return (int(vid) if vid.isdigit() else -1, vid if not vid.isdigit() else "", updated)


def _newest_versions(resources: list[Res], builder: RecordBuilder) -> list[Res]:
    """The same resource given more than once in different versions (``meta.versionId`` or
    ``meta.lastUpdated`` differ, e.g. a history bundle or an amended result sent again): only
    the newest counts; the others are listed in ``unread``. Copies that do not say their version
    are all read (and listed as a duplicate id)."""
    groups: dict[tuple[str, str], list[Res]] = {}
    for r in resources:
        if r.id and r.type != "Patient":
            groups.setdefault((r.type, r.id), []).append(r)
    dropped: set[int] = set()
    for copies in groups.values():
        versions = {_version(r) for r in copies}
        if len(copies) < 2 or len(versions) < 2 or (-1, "", "") in versions:
            continue
        newest = max(copies, key=_version)
        for r in copies:
            if r is not newest:
                dropped.add(id(r))
                why = "an older version of a resource the bundle holds again"
                builder.note_unread({"kind": "superseded_version", "resource": r.ref, "reason": why})
    return [r for r in resources if id(r) not in dropped]


def _one_person(patients: list[Res]) -> bool:
    """Patient resources that are one person: each shares an identifier (system and value;
    a value without a system does not count) with another, or links to it (``Patient.link``,
    e.g. a merged record)."""

    def keys(p: Res) -> set[str]:
        out = {f"{i.get('system')}|{i.get('value')}" for i in p.body.get("identifier") or []
               if isinstance(i, Mapping) and i.get("value") and isinstance(i.get("system"), str)
               and i["system"]}  # fmt: skip  # a value without its system names no one
        for link in p.body.get("link") or []:
            other = link.get("other") if isinstance(link, Mapping) else None
            if isinstance(other, Mapping) and isinstance(other.get("reference"), str):
                out.add("ref|" + other["reference"].rsplit("/", 1)[-1])
        return out | {"ref|" + str(p.id)}

    groups = [keys(p) for p in patients]
    merged = set(groups[0])
    changed = True
    while changed:
        changed = False
        for g in groups:
            if g & merged and not g <= merged:
                merged |= g
                changed = True
    return all(g & merged for g in groups)


def _read_one(
    cfg: Mapping[str, Any],
    builder: RecordBuilder,
    by_ref: dict[str, Res],
    reader: Callable[[Ctx, Res, Timeline], None],
    res: Res,
    tl: Timeline,
    memo: dict[str, dict[str, Any]],
) -> None:
    """Read one resource; keep what it says only if every element read was well formed."""
    pending = Pending(builder.as_of)
    mine = Timeline()
    ctx = Ctx(cfg=cfg, builder=pending, by_ref=by_ref, systems=dict(cfg["systems"]), timeline=mine, memo=memo)
    reader(ctx, res, mine)
    if ctx.problems:
        builder.note_unread(
            {
                "kind": "unreadable_resource",
                "resource": res.ref,
                "reason": f"{res.ref}: "
                + "; ".join(f"{p.loc[-1]}: {p.msg.removeprefix(f'in {res.ref}: ')}" for p in ctx.problems),
                "elements": [".".join(str(x) for x in p.loc) for p in ctx.problems],
            }
        )
        return
    pending.replay(builder)
    tl.merge(mine)


def _finish(cfg: Mapping[str, Any], b: RecordBuilder, tl: Timeline) -> None:
    if tl.metastatic is not None and tl.metastatic_ref is not None:
        window = dt.timedelta(days=int(cfg["therapy_grouping"]["de_novo_window_days"]))
        day, ref = tl.metastatic, tl.metastatic_ref
        if (
            ref.get("rule") == "fhir.condition.stage_iv"
            and tl.sites is not None
            and tl.sites_ref is not None
            and tl.sites - day <= window
        ):  # the primary's onset carries its stage IV; the metastases are dated by their finding
            day, ref = tl.sites, tl.sites_ref
        b.set("metastatic_diagnosis_date", day.isoformat(), ref)
        if tl.primary_dx is not None:
            # a stage IV group recorded at restaging is not stage IV at diagnosis: the dates decide
            de_novo = day - tl.primary_dx <= window
            b.set(
                "presentation",
                "de_novo" if de_novo else "recurrence",
                {**ref, "rule": "fhir.presentation", "certainty": "inferred"},
            )
    elif tl.stage_iv_at_dx and tl.primary_dx is not None:
        b.set(
            "presentation",
            "de_novo",
            {"source": "fhir", "rule": "fhir.presentation", "certainty": "inferred"},
        )
    # what is said of brain metastases none was recorded: a symptom state, a local therapy
    # only ordered (a local therapy done stays: it says there were brain metastases)
    for path, unsaid in (("metastases.brain.symptomatic", None), ("metastases.brain.locally_treated", True)):
        if b.get(path) not in (None, unsaid) and "brain" not in b.list_values("metastases.sites"):
            b.drop(path, "no brain metastasis recorded")
    if b.get("pregnant") is True:
        for path, value in (cfg.get("pregnancy_implies") or {}).items():
            if b.get(path) is None:
                b.set(path, value, {**(b.source_of("pregnant") or {}), "rule": "fhir.pregnancy.implies",
                                    "certainty": "inferred", "derived": "pregnant now"})  # fmt: skip
    if tl.histology and (b.get("tumor.histology") in (None, "other")):
        word, source = tl.histology[0]  # no condition names the histology: a pathology report's words
        b.set("tumor.histology", word, source)
    ctx = Ctx(cfg=cfg, builder=b, by_ref={}, systems=dict(cfg["systems"]))
    emit_therapies(ctx, tl)
    episode = int(cfg["receptor_episode_days"])
    _unstated_after_metastatic(b, tl, episode)
    b.drop_historical(_MARKERS, episode, unstated_same_episode=True)
    b.harmonise_receptors()
    # Receptor source: the specimen of the winning (current) receptor result.
    for path in (
        "tumor.er_status",
        "tumor.er_percent",
        "tumor.pr_status",
        "tumor.pr_percent",
        "tumor.her2_ihc",
        "tumor.her2_ish",
        "tumor.her2_status",
    ):
        src = b.source_of(path)
        # a current result from a metastasis wins
        if src and src.get("specimen") and (
            b.get("tumor.receptor_source") is None or src["specimen"] == "metastasis"
        ):
            b.set(
                "tumor.receptor_source",
                src["specimen"],
                {**src, "rule": "fhir.specimen"},
                rank=(int(src["specimen"] == "metastasis"),),
            )
    _source_by_date(b, tl, int(cfg["therapy_grouping"]["source_window_days"]))


def _unstated_after_metastatic(b: RecordBuilder, tl: Timeline, episode: int) -> None:
    """A receptor result that names no specimen, dated well after the metastatic diagnosis,
    is a re-biopsy of the metastatic disease (certainty inferred): it ranks with the
    metastasis results, so the newest one is current ("newest biopsy, metastasis over
    primary"), not an older result whose specimen happens to be named."""
    if tl.metastatic is None:
        return
    for path, value, source, day in tl.unstated:
        named = b.source_of(path) or {}
        if not named.get("specimen") or str(named.get("observed_on") or "") >= day.isoformat():
            continue  # only a newer re-test beats an older result whose specimen is named
        if (day - tl.metastatic).days > episode:
            b.set(path, value, {
                **source, "specimen": "metastasis", "certainty": "inferred",
                "derived": f"no specimen named; dated {day.isoformat()}, after the metastatic diagnosis "
                f"({tl.metastatic.isoformat()})",
            }, rank=(2, day.isoformat()))  # fmt: skip


def _source_by_date(b: RecordBuilder, tl: Timeline, window_days: int) -> None:
    """Receptor results with no specimen, taken by their dates (certainty inferred):
    - de novo disease: all dated before the metastatic diagnosis or within ``window_days``
      after it (the diagnostic work-up) -> the primary tumour;
    - a recurrence: all dated from ``window_days`` before the metastatic diagnosis on (the
      biopsy that confirmed it) -> the metastasis; all dated before that -> the primary;
    - presentation unknown: all dated on or before the metastatic diagnosis -> the primary.
    """
    if b.get("tumor.receptor_source") is not None or tl.metastatic is None:
        return
    sources = [b.source_of(f) for fields in _MARKERS.values() for f in fields if b.get(f) is not None]
    sources = [s for s in sources if s and not str(s.get("rule", "")).startswith("fhir.condition.")]
    days = [dt.date.fromisoformat(str(s["observed_on"])[:10]) for s in sources if s and s.get("observed_on")]
    if not days or len(days) < len(sources):
        return
    window = dt.timedelta(days=window_days)
    met = tl.metastatic
    presentation = b.get("presentation")
    word, why = None, ""
    if presentation == "de_novo" and all(d <= met + window for d in days):
        word, why = "primary", f"dated within {window_days} days of the de novo metastatic diagnosis ({met})"
    elif presentation == "recurrence" and all(d >= met - window for d in days):
        word, why = "metastasis", f"dated at or after the recurrence ({met}), not at the primary's diagnosis"
    elif presentation == "recurrence" and all(d < met - window for d in days):
        word, why = "primary", f"dated before the recurrence ({met})"
    elif presentation is None and all(d <= met for d in days):
        word, why = "primary", f"dated on or before the metastatic diagnosis ({met})"
    if word is not None:
        b.set("tumor.receptor_source", word, {
            "source": "fhir", "rule": "fhir.specimen.by_date", "certainty": "inferred",
            "derived": f"receptor results with no specimen named, {why}",
        })  # fmt: skip


_MARKERS = {
    "er": ("tumor.er_percent", "tumor.er_status"),
    "pr": ("tumor.pr_percent", "tumor.pr_status"),
    "her2": ("tumor.her2_ihc", "tumor.her2_ish", "tumor.her2_status"),
}
