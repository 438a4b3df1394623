"""FHIR Condition and Procedure resources: sites, stage, history (Patient: ``_fhir_patient``)."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from mbc.ingest._fhir_base import (
    Ctx,
    Res,
    Timeline,
    check_date,
    codings,
    extension_values,
    narrative,
    parse_date,
    period,
    required_code,
    src,
    text_of,
    unread_code,
    unread_first,
    words_match,
)
from mbc.ingest._fhir_stage import is_stage_iv
from mbc.ingest._fhir_words import (
    brain_symptoms,
    brain_untreated,
    denied_before,
    said_of_patient,
    symptom_by_words,
)

if TYPE_CHECKING:
    from mbc.ingest._extraction import Source

__all__ = ["icd_lookup", "read_condition"]


_NOT_A_FACT = {
    "entered-in-error": "verificationStatus entered-in-error",
    "refuted": "verificationStatus refuted",
    "unconfirmed": "uncertain (verificationStatus unconfirmed)",
    "provisional": "uncertain (verificationStatus provisional)",
    "differential": "uncertain (verificationStatus differential)",
}


def _not_a_fact(ctx: Ctx, res: Res) -> str | None:
    """Why a condition is not a fact (refuted, in error, or not confirmed), else None."""
    ver = {c for _, c, _ in codings(ctx, res, "verificationStatus", res.body.get("verificationStatus"))}
    return next((why for code, why in _NOT_A_FACT.items() if code in ver), None)


def _active(ctx: Ctx, res: Res) -> bool:
    clin = {c for _, c, _ in codings(ctx, res, "clinicalStatus", res.body.get("clinicalStatus"))}
    if clin and not clin & {"active", "recurrence", "relapse"}:
        return False
    return "abatementDateTime" not in res.body and "abatementPeriod" not in res.body


def _current(ctx: Ctx, res: Res, onset: dt.date | None) -> bool:
    """A symptom the patient has now: an active problem that began within
    ``symptom_current_days`` of the record's date (a chemotherapy neuropathy from years ago,
    still on the problem list, is a history, not a presenting symptom)."""
    days = ctx.cfg.get("symptom_current_days")
    if not _active(ctx, res):
        return False
    if not days or onset is None:
        return True
    recent = (ctx.builder.as_of - onset).days <= int(days)
    if not recent:
        why = f"symptom began {onset.isoformat()}, more than {days} days before the record's date"
        ctx.builder.note_unread({"kind": "ignored", "resource": res.ref, "reason": why})
    return recent


def icd_lookup(table: dict[str, str], code: str) -> str | None:
    """Longest listed prefix of an ICD-10-CM code ("C79.51" -> "C79.5" -> ...)."""
    code = code.upper()
    if "." not in code and len(code) > 3:
        code = code[:3] + "." + code[3:]
    for n in range(len(code), 2, -1):
        if code[:n] in table:
            return table[code[:n]]
    return None


def _onset(ctx: Ctx, res: Res) -> dt.date | None:
    onset = check_date(ctx, res, "onsetDateTime")
    if onset is None and "onsetPeriod" in res.body:
        onset = period(ctx, res, "onsetPeriod")[0]
    if onset is None:  # the date the condition was asserted (extension), before the recorded date
        for value in extension_values(res, "condition-assertedDate"):
            onset = parse_date(value) if isinstance(value, str) else None
            if onset is not None:
                break
    return onset or check_date(ctx, res, "recordedDate")


def read_condition(ctx: Ctx, res: Res, tl: Timeline) -> None:  # noqa: C901, PLR0911, PLR0912
    why = _not_a_fact(ctx, res)
    if why is not None:
        text = (res.body.get("code") or {}).get("text") if isinstance(res.body.get("code"), dict) else None
        ctx.builder.note_unread(
            {"kind": "ignored", "resource": res.ref, "reason": why, **({"text": text} if text else {})}
        )
        return
    codes = required_code(ctx, res)
    if codes is None:
        return
    onset = _onset(ctx, res)
    cfg = ctx.cfg
    snomed = ctx.sys("snomed")
    icd = {ctx.sys("icd10cm"), *cfg.get("icd10_systems", [])}
    icd |= {system for system, _, _ in codes if re.search(cfg["icd10_system_words"], system, re.IGNORECASE)}
    sec = cfg["secondary_conditions"]
    if _read_icdo3(ctx, res, codes, onset, tl):
        return
    for system, code, display in codes:
        site: str | None = None
        if system == snomed and code in sec["snomed"]:
            site = sec["snomed"][code]
        elif system in icd:
            site = icd_lookup(sec["icd10cm"], code)
        site = _display_site(sec, site, display)
        if site is None and system in icd and _contralateral(sec, code, res):
            site = "distant_lymph_nodes"
        if site == "by_body_site":
            if _regional_body_site(ctx, sec, res):  # an axillary node: staged by N, not distant
                why = "secondary cancer in regional lymph nodes (bodySite): not a distant metastasis"
                ctx.builder.note_unread({"kind": "ignored", "resource": res.ref, "reason": why})
                return
            site = None
            for _, bcode, _ in codings(ctx, res, "bodySite", res.body.get("bodySite")):
                site = sec["body_sites"].get(bcode, site)
            if site is None:
                site = words_match(sec.get("body_site_words", {}), _site_text(res))
            if site is None:  # metastatic, site not said: the date still counts
                _metastatic_found(tl, onset, src(res, "code", "fhir.condition.secondary_site_unknown", onset))
                unread_code(ctx, res, system, code, display, "secondary cancer, bodySite unknown")
                return
        if site is not None:
            source = src(res, "code", "fhir.condition.secondary", onset)
            ctx.builder.add("metastases.sites", site, source)
            if site == "brain":
                brain_symptoms(ctx, res, " | ".join([text_of(res.body.get("code")), *_notes(res)]), onset)
                brain_untreated(ctx, res, " | ".join([text_of(res.body.get("code")), *_notes(res)]), onset)
            _site_found(tl, onset, source, site, res)
            return
        bc = cfg["breast_cancer_conditions"]
        if (system == snomed and code in bc["snomed"]) or (
            system in icd and any(code.upper().startswith(p) for p in bc["icd10cm_prefixes"])
        ):
            _read_primary(ctx, res, tl, onset)
            return
        status = icd_lookup(cfg["receptor_status_conditions"]["icd10cm"], code) if system in icd else None
        if status is not None:  # ICD-10-CM Z17.x: a receptor status recorded as a condition
            _receptor_status(ctx, res, dict(status), onset, "fhir.condition.receptor_status")
            return
        como = cfg.get("comorbidities", {})
        comorbidity = (
            como.get("snomed", {}).get(code) if system == snomed
            else icd_lookup(como.get("icd10cm", {}), code) if system in icd else None
        )  # fmt: skip
        if comorbidity is not None:  # a past condition (ILD, heart failure) still counts
            ctx.builder.add(
                "comorbidities", comorbidity, src(res, "code", "fhir.condition.comorbidity", onset)
            )
            return
        if system == snomed and code in cfg.get("symptom_codes", {}):
            if _current(ctx, res, onset):
                word = cfg["symptom_codes"][code]
                ctx.builder.add("symptoms", word, src(res, "code", "fhir.condition.symptom", onset))
            return
        if system == snomed and code in cfg.get("pregnancy_conditions", []):
            if _active(ctx, res):
                source = src(res, "code", "fhir.condition.pregnancy", onset)
                ctx.builder.set("pregnant", True, source, rank=(str(onset),))
            return
        if system == snomed and code in cfg["menopause"]["codes"]:
            source = src(res, "code", "fhir.condition.menopause", onset)
            ctx.builder.set("menopausal_status", cfg["menopause"]["codes"][code], source, rank=(str(onset),))
            return
        if system == snomed and code in cfg.get("ignore", {}).get("conditions", []):
            return
    name = text_of(res.body.get("code"))
    if name and _secondary_by_words(ctx, res, name, onset, tl):
        return
    if name and re.search(cfg["pregnancy_words"], name) and not re.search(cfg["not_pregnancy_words"], name):
        if _active(ctx, res):
            source = src(res, "code", "fhir.condition.pregnancy_by_name", onset, certainty="inferred")
            ctx.builder.set("pregnant", True, source, rank=(str(onset),))
        return
    breast = re.search(cfg["breast_cancer_conditions"]["words"], name, re.IGNORECASE) if name else None
    if breast and said_of_patient(cfg, name, breast):  # not "family history of breast cancer", "... - mother"
        _read_primary(ctx, res, tl, onset, certainty="inferred")
        return
    named = " | ".join([name, *(d for _, _, d in codes if d)])
    word = _comorbidity_words(cfg, named)
    if word is not None:
        source = src(res, "code", "fhir.condition.comorbidity_by_name", onset, certainty="inferred")
        ctx.builder.add("comorbidities", word, source)
        return
    word = symptom_by_words(cfg, named)
    if word is not None:  # "R hip pain, worse weight bearing", "Right upper quadrant pain (finding)"
        if _current(ctx, res, onset):
            source = src(res, "code", "fhir.condition.symptom_by_name", onset, certainty="inferred")
            ctx.builder.add("symptoms", word, source)
        return
    if codes:
        unread_first(ctx, res, codes, "condition code not in knowledge/ingest/fhir.yaml")


def _read_icdo3(
    ctx: Ctx, res: Res, codes: list[tuple[str, str, str]], onset: dt.date | None, tl: Timeline
) -> bool:
    """A condition coded in ICD-O-3 (registries): a breast topography with a malignant primary
    behaviour is the primary; another topography with the metastatic behaviour (/6) is a
    metastatic site. True when read."""
    table = ctx.cfg["icdo3"]
    icdo = [c for s, c, _ in codes if re.search(table["system_words"], s, re.IGNORECASE)]
    topo = [c for c in icdo if c[:1].upper() == "C"]
    if not topo:
        return False
    said = [c for s, c, _ in codes] + [
        c for v in extension_values(res, "histology-morphology-behavior")
        for _, c, _ in codings(ctx, res, "extension.valueCodeableConcept", v)
    ]  # fmt: skip
    behaviours = {m.group(2) for c in said if (m := re.match(table["morphology"], c))}
    metastatic = table["metastatic_behaviour"] in behaviours
    code = topo[0].upper()
    if any(code.startswith(p) for p in table["primary_prefixes"]) and not metastatic:
        if behaviours and behaviours <= set(table.get("not_invasive_behaviours") or ()):
            ctx.builder.note_unread(
                {"kind": "ignored", "resource": res.ref, "reason": "not an invasive cancer"}
            )
            return True
        _read_primary(ctx, res, tl, onset)
        return True
    site = icd_lookup(dict(table["sites"]), code) if metastatic else None
    if site is None:
        return False
    source = src(res, "code", "fhir.condition.secondary_icdo3", onset)
    ctx.builder.add("metastases.sites", site, source)
    _site_found(tl, onset, source, site, res)
    return True


def _comorbidity_words(cfg: Mapping[str, Any], text: str) -> str | None:
    for pattern, word in (cfg["comorbidities"].get("words") or {}).items():
        m = re.search(pattern, text, re.IGNORECASE)
        if (
            m
            and said_of_patient(cfg, text, m)
            and not re.search(cfg["comorbidities"]["denied_words"], text, re.IGNORECASE)
        ):
            return str(word)
    return None


def _notes(res: Res) -> list[str]:
    notes = res.body.get("note") or []
    return [n["text"] for n in notes if isinstance(n, dict) and isinstance(n.get("text"), str)]


def _contralateral(sec: Mapping[str, Any], code: str, res: Res) -> bool:
    """Regional node metastases the condition's words put on the other side ("contralateral
    axillary nodal metastases"): distant nodes."""
    if not any(code.upper().startswith(c) for c in sec.get("regional_icd10cm") or []):
        return False
    said = " | ".join([text_of(res.body.get("code")), _site_text(res), *_notes(res)])
    return bool(re.search(sec.get("contralateral_words") or "(?!)", said))


def _regional_body_site(ctx: Ctx, sec: Mapping[str, Any], res: Res) -> bool:
    """The condition's body sites are all regional lymph nodes (``regional_body_sites`` codes,
    ``regional_words`` in their words) and no words put them on the other side."""
    sites = res.body.get("bodySite")
    sites = sites if isinstance(sites, list) else [sites] if sites else []
    if not sites:
        return False
    for concept in sites:
        said = text_of(concept) if isinstance(concept, Mapping) else ""
        coded = {c for _, c, _ in codings(ctx, res, "bodySite", concept)}
        if not (coded & set(sec.get("regional_body_sites") or ()) or re.search(sec["regional_words"], said)):
            return False
    said = " | ".join([text_of(res.body.get("code")), _site_text(res), *_notes(res)])
    return not re.search(sec.get("contralateral_words") or "(?!)", said)


def _display_site(sec: Mapping[str, Any], site: str | None, display: str) -> str | None:
    """The site a secondary-neoplasm code maps to, unless its own display names another
    ("<code of lung> | Secondary malignant neoplasm of pleura"): the display carries the
    meaning a local or mistyped code lost. Regional nodes in the display change nothing."""
    if site in (None, "by_body_site") or not display or re.search(sec["regional_words"], display):
        return site
    said = words_match(sec.get("body_site_words", {}), display)
    return said or site


def _metastatic_found(tl: Timeline, onset: dt.date | None, source: Source) -> None:
    """Metastatic disease known from ``onset`` (its site not said)."""
    if onset and (tl.metastatic is None or onset < tl.metastatic):
        tl.metastatic, tl.metastatic_ref = onset, source


def _site_found(tl: Timeline, onset: dt.date | None, source: Source, site: str, res: Res) -> None:
    """A metastatic site dated ``onset``: the earliest metastatic date, and the earliest site
    finding; kept per site with whether the date is the condition's own onset (not only the
    date it was recorded: a site entered late is no new site) of a site still present (a
    resolved one's entry dates no progression)."""
    if onset and (tl.metastatic is None or onset < tl.metastatic):
        tl.metastatic, tl.metastatic_ref = onset, source
    if onset and (tl.sites is None or onset < tl.sites):
        tl.sites, tl.sites_ref = onset, source
    if onset:  # a site now resolved dates no progression (review: its onset may be a history entry's)
        tl.site_onsets.append((site, onset, _onset_given(res) and _current_site(res)))


def site_found(tl: Timeline, when: dt.date | None, source: Source, site: str) -> None:
    """A metastatic site found on ``when`` by a result that is not a condition (a report's
    coded conclusion): dated by its own date, present."""
    if when and (tl.metastatic is None or when < tl.metastatic):
        tl.metastatic, tl.metastatic_ref = when, source
    if when and (tl.sites is None or when < tl.sites):
        tl.sites, tl.sites_ref = when, source
    if when:
        tl.site_onsets.append((site, when, True))


def _current_site(res: Res) -> bool:
    """The site's condition is not resolved, inactive or in remission, nor abated."""
    clin = res.body.get("clinicalStatus")
    codes = (
        {str(c.get("code")) for c in (clin.get("coding") or []) if isinstance(c, Mapping)}
        if isinstance(clin, Mapping)
        else set()
    )
    if codes & {"resolved", "inactive", "remission"}:
        return False
    return "abatementDateTime" not in res.body and "abatementPeriod" not in res.body


def _onset_given(res: Res) -> bool:
    """The condition gives its onset (``onsetDateTime`` or ``onsetPeriod.start``)."""
    started = res.body.get("onsetPeriod")
    started = started.get("start") if isinstance(started, Mapping) else None
    return parse_date(res.body.get("onsetDateTime")) is not None or parse_date(started) is not None


def _site_text(res: Res) -> str:
    """The words of a condition's body sites (0..* CodeableConcepts)."""
    sites = res.body.get("bodySite")
    return " | ".join(text_of(c) for c in (sites if isinstance(sites, list) else [sites]))


def _secondary_by_words(ctx: Ctx, res: Res, name: str, onset: dt.date | None, tl: Timeline) -> bool:
    """A metastasis known only by its words ("METS RETROPERITONEAL NODES"): its site."""
    sec = ctx.cfg["secondary_conditions"]
    m = re.search(sec["words"], name) if sec.get("words") else None
    if m is None:
        return False
    if denied_before(ctx.cfg, name[: m.start()]) or re.search(sec["not_metastatic_words"], name):
        return False  # named to deny or doubt it ("no liver metastases", "Keine Lebermetastasen")
    where = " | ".join([name, _site_text(res)])
    regional = re.search(sec["regional_words"], where) is not None
    far = regional and re.search(sec.get("contralateral_words") or "(?!)", where) is not None
    if regional and not far:  # regional nodes (the other side's are distant)
        return False
    site = "distant_lymph_nodes" if far else words_match(sec.get("body_site_words", {}), where)
    if site is None:  # "Metastatic breast cancer": metastatic from its onset, site not said
        source = src(res, "code", "fhir.condition.metastatic_by_name", onset, certainty="inferred")
        _metastatic_found(tl, onset, source)
        ctx.builder.note_unread({"kind": "metastatic_site_unknown", "resource": res.ref, "text": name})
        return True
    source = src(res, "code", "fhir.condition.secondary_by_name", onset, certainty="inferred")
    ctx.builder.add("metastases.sites", site, source)
    _site_found(tl, onset, source, site, res)
    return True


def _read_primary(ctx: Ctx, res: Res, tl: Timeline, onset: dt.date | None, **extra: Any) -> None:
    """The primary breast cancer: diagnosis date, stage group, histology."""
    if onset and (tl.primary_dx is None or onset < tl.primary_dx):
        tl.primary_dx = onset
    stages = res.body.get("stage", [])
    if not isinstance(stages, list):
        ctx.fail(res, "stage", "expected a list")
        return
    later = ctx.cfg["stage_group"].get("restaged_words", "(?!)")
    at_dx = ctx.cfg["stage_group"].get("at_diagnosis_words", "(?!)")
    found: list[tuple[int, bool, str]] = []
    for i, st in enumerate(stages):
        if isinstance(st, dict) or hasattr(st, "get"):
            concept = st.get("summary")
            coded = codings(ctx, res, f"stage[{i}].summary", concept)
            if coded or text_of(concept):
                found.append((i, is_stage_iv(ctx, coded, text_of(concept)), text_of(concept)))
    early_too = any(not iv for _, iv, _ in found)  # an early stage beside it: the stage at diagnosis
    clin = {c for _, c, _ in codings(ctx, res, "clinicalStatus", res.body.get("clinicalStatus"))}
    early_too = early_too or bool(clin & {"recurrence", "relapse"})  # the cancer came back: a restage
    for i, iv, words in found:
        restaged = early_too or re.search(later, words, re.IGNORECASE)
        if iv and restaged and not re.search(at_dx, words, re.IGNORECASE):
            # stage IV at a recurrence (a restage), not at diagnosis: the sites date it
            ctx.builder.note_unread(
                {"kind": "ignored", "resource": res.ref, "element": f"stage[{i}].summary",
                 "reason": "stage IV at a later restaging, not at diagnosis"}
            )  # fmt: skip
            continue
        if iv:
            tl.stage_iv_at_dx = True
            if onset is not None and (tl.metastatic is None or onset < tl.metastatic):
                tl.metastatic = onset
                tl.metastatic_ref = src(res, f"stage[{i}].summary", "fhir.condition.stage_iv", onset)
    histology = ctx.cfg["histology"]
    from_extension = False
    for value in extension_values(res, "histology-morphology-behavior"):
        word = None
        for _, code, _ in codings(ctx, res, "extension.valueCodeableConcept", value):
            word = word or histology["codes"].get(code)
        word = word or words_match(histology["words"], text_of(value))
        if word:
            source = src(
                res, "extension[histologyMorphologyBehavior]", "fhir.condition.histology", onset, **extra
            )
            ctx.builder.set("tumor.histology", word, source)
            from_extension = True
    code = res.body.get("code")
    names = " | ".join([text_of(code), *(d for _, _, d in codings(ctx, res, "code", code) if d)])
    said: dict[str, str] = {}
    for row in ctx.cfg["receptor_status_conditions"]["words"]:  # "Triple negative ... of breast"
        m = re.search(row["pattern"], names, re.IGNORECASE)
        if m and not denied_before(
            ctx.cfg, names[: m.start()]
        ):  # not "family history of triple negative ..."
            said = {**row["set"], **said}
    if said:
        _receptor_status(ctx, res, said, onset, "fhir.condition.receptor_status_by_name")
        from mbc.ingest._fhir_text import receptor_words

        for path, value in receptor_words(ctx, names):  # "HER2-positive (IHC 3+)": the score too
            if path.endswith(("_ihc", "_ish", "_percent")):
                source = src(res, "code", "fhir.condition.receptor_words", onset, certainty="inferred")
                ctx.builder.set(path, value, source, rank=(0, (onset or dt.date.min).isoformat()))
    if not from_extension:  # "Infiltrating duct carcinoma of breast"
        word = words_match(histology["words"], names)
        # "R mastectomy 05/2019: IDC grade 2" in a note, else in the resource's narrative
        for more in (" | ".join(_notes(res)), narrative(res)):
            if word in (None, "other") and more:
                word = words_match(histology["words"], more) or word
        if word:
            source = src(res, "code", "fhir.condition.histology_by_name", onset, certainty="inferred")
            ctx.builder.set("tumor.histology", word, source)


def _receptor_status(ctx: Ctx, res: Res, said: Mapping[str, str], onset: dt.date | None, rule: str) -> None:
    """Receptor statuses a condition carries (``er`` / ``pr`` / ``her2`` / ``hr``), ranked
    below every receptor observation."""
    rank = (0, (onset or dt.date.min).isoformat())
    for marker, word in said.items():
        if marker == "hr":  # HR positive may be ER- PR+: neither is known from it
            fields = [] if word == "positive" else ["er", "pr"]
            why: dict[str, str] = {}
            if not fields:
                said_hr = {"value": "hormone receptor positive", "resource": res.ref}
                why_not = "ER and PR each unknown (either may be the positive one)"
                ctx.builder.note_unread({"kind": "value", **said_hr, "reason": why_not})
        else:
            fields, why = [marker], {}
        for m in fields:
            if m == "pr" and marker == "hr" and "pr" in said:
                continue
            source = src(res, "code", rule, onset, **why)
            ctx.builder.set(f"tumor.{m}_status", word, source, rank=rank)
