"""The per-patient audit: one function that both engines (local, Spark) run unchanged.

:func:`audit_patient` takes one patient's raw input (a contract record or a FHIR bundle),
plans the patient as of the start of each metastatic line actually given, classifies the
therapy given against that plan, and returns the patient's rows of the three output tables
(:mod:`mbc.cohort.tables`). It does no I/O and reads no clock.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

from mbc.cohort._classify import CONCORDANT, classify, drug_ids
from mbc.cohort._lines import as_of_line, given_lines
from mbc.engine import derive_facts, plan
from mbc.errors import CDSError, RecordError
from mbc.knowledge.loader import KnowledgeBase
from mbc.model import PatientRecord, parse_record

if TYPE_CHECKING:
    from mbc.trials import Trial

__all__ = ["Rows", "audit_patient", "decode"]

_TRIALS_SHOWN = 5

Rows = dict[str, list[dict[str, Any]]]


def decode(payload: str | bytes | Mapping[str, Any]) -> Any:
    """The decoded JSON of one input (already-decoded objects pass through)."""
    if isinstance(payload, Mapping):
        return payload
    return json.loads(payload)


def _record(data: Any, *, as_of: dt.date) -> PatientRecord:
    """A contract record from a decoded contract record or FHIR bundle."""
    if isinstance(data, Mapping) and "resourceType" in data:
        from mbc.ingest import extract  # noqa: PLC0415

        return parse_record(extract(data, kind="fhir", as_of=as_of).record)
    return parse_record(data)


def _invalid(name: str, errors: list[str], kb: KnowledgeBase, pid: str | None) -> Rows:
    patient_id = pid or name
    return {
        "patients": [
            {
                "patient_id": patient_id,
                "source": name,
                "valid": False,
                "errors": errors,
                "subtype": None,
                "sex": None,
                "age": None,
                "as_of": None,
                "n_lines": 0,
                "n_assessed": 0,
                "n_concordant": 0,
                "n_not_in_plan": 0,
                "n_not_recommended": 0,
                "n_not_assessable": 0,
                "n_missing_facts": 0,
                "n_critical_alerts": 0,
                "kb_version": kb.version,
                "n_trials_eligible": None,
            }
        ],
        "lines": [],
        "findings": [
            {
                "patient_id": patient_id,
                "line": 0,
                "kind": "invalid_record",
                "code": e.split(":", 1)[0],
                "severity": None,
                "detail": e,
            }
            for e in errors
        ],
    }


def audit_patient(
    name: str,
    payload: str | bytes | Mapping[str, Any],
    kb: KnowledgeBase,
    *,
    as_of: dt.date,
    trials: Sequence[Trial] | None = None,
) -> Rows:
    """Audit one patient.

    Args:
        name: Where the input came from (file name, NDJSON line), kept in ``patients.source``.
        payload: The record or FHIR bundle (JSON text, bytes or decoded).
        kb: The knowledge base.
        as_of: Date for records that give none (and for reading FHIR bundles).
        trials: A trial registry's trials: the patient is matched as of the record's date and
            the eligible trials (best first, at most five) become ``trial_match`` findings.

    Returns:
        ``{"patients": [row], "lines": [rows], "findings": [rows]}``.
    """
    pid: str | None = None
    try:
        data = decode(payload)
        if isinstance(data, Mapping) and isinstance(data.get("id"), str):
            pid = data["id"]
        record = _record(data, as_of=as_of)
    except RecordError as exc:
        return _invalid(name, [f"{p.path}: {p.msg}" for p in exc.problems], kb, pid)
    except CDSError as exc:
        probs = getattr(exc, "problems", None) or []
        return _invalid(name, [f"{p.path}: {p.msg}" for p in probs] or [str(exc)], kb, pid)
    except (ValueError, UnicodeDecodeError) as exc:  # JSON syntax
        return _invalid(name, [f"(record): not valid JSON: {exc}"], kb, pid)
    rows = _audit_record(name, record, kb, as_of=record.as_of or as_of)
    if trials is not None:
        _add_trials(rows, record, kb, trials, as_of=record.as_of or as_of)
    return rows


def _add_trials(
    rows: Rows, record: PatientRecord, kb: KnowledgeBase, trials: Sequence[Trial], *, as_of: dt.date
) -> None:
    from mbc.trials import match_trials  # noqa: PLC0415

    eligible = [m for m in match_trials(record, trials, kb=kb, as_of=as_of) if m.status == "eligible"]
    rows["patients"][0]["n_trials_eligible"] = len(eligible)
    for m in eligible[:_TRIALS_SHOWN]:
        rows["findings"].append(
            {
                "patient_id": record.id,
                "line": 0,
                "kind": "trial_match",
                "code": m.trial.nct_id,
                "severity": m.status,
                "detail": (m.trial.title or "")[:200],
            }
        )


def _audit_record(name: str, record: PatientRecord, kb: KnowledgeBase, *, as_of: dt.date) -> Rows:
    pid = record.id
    lines: list[dict[str, Any]] = []
    findings: list[dict[str, Any]] = []
    missing_all: set[str] = set()
    n_critical = 0
    subtype: str | None = None
    previous: str | None = None
    for given in given_lines(record):
        t = given.therapy
        drugs = sorted(drug_ids(kb, t.drugs))
        row: dict[str, Any] = {
            "patient_id": pid,
            "line": given.number,
            "start": t.start,
            "end": t.end,
            "stop_reason": t.stop_reason,
            "drugs": drugs,
            "subtype": None,
            "planned_line": None,
            "matched": None,
            "matched_regimen": None,
            "reason": None,
            "missing": [],
            "preferred": [],
            "n_options": 0,
            "alerts": [],
            "previous": previous,
        }
        previous = "+".join(drugs)
        truncated, why = as_of_line(record, given)
        if truncated is None:
            row.update(
                verdict="not_assessable",
                concordant=None,
                reason="line cannot be placed in time",
                missing=[why],
            )
            missing_all.add(str(why))
            findings.append(
                {
                    "patient_id": pid,
                    "line": given.number,
                    "kind": "missing_fact",
                    "code": str(why),
                    "severity": "treatment",
                    "detail": "line start unknown or before diagnosis",
                }
            )
            lines.append(row)
            continue
        p = plan(truncated, kb)
        v = classify(kb, t.drugs, p)
        subtype = p.classification.subtype
        alerts = sorted({a.code for a in p.alerts})
        row.update(
            subtype=subtype,
            planned_line=p.classification.line,
            verdict=v.category,
            concordant=None if v.category == "not_assessable" else v.category in CONCORDANT,
            matched=v.option,
            matched_regimen=v.regimen,
            reason=v.reason,
            missing=list(v.missing),
            preferred=sorted({o.regimen for o in p.options if o.category == "preferred"}),
            n_options=len(p.options),
            alerts=alerts,
        )
        lines.append(row)
        seen: set[str] = set()
        for m in p.missing_information:
            if m.field in seen:
                continue
            seen.add(m.field)
            missing_all.add(m.field)
            findings.append(
                {
                    "patient_id": pid,
                    "line": given.number,
                    "kind": "missing_fact",
                    "code": m.field,
                    "severity": m.priority,
                    "detail": m.why,
                }
            )
        for a in p.alerts:
            n_critical += a.severity == "critical"
            findings.append(
                {
                    "patient_id": pid,
                    "line": given.number,
                    "kind": "alert",
                    "code": a.code,
                    "severity": a.severity,
                    "detail": a.message,
                }
            )
        if v.category == "not_recommended":
            findings.append(
                {
                    "patient_id": pid,
                    "line": given.number,
                    "kind": "not_recommended_given",
                    "code": str(v.option),
                    "severity": None,
                    "detail": v.reason,
                }
            )
    if subtype is None:
        subtype = derive_facts(record, kb, as_of).facts.get("subtype", "unknown")
    verdicts = [r["verdict"] for r in lines]
    patient = {
        "patient_id": pid,
        "source": name,
        "valid": True,
        "errors": None,
        "subtype": subtype,
        "sex": record.sex,
        "age": record.age,
        "as_of": record.as_of,
        "n_lines": len(lines),
        "n_assessed": sum(v != "not_assessable" for v in verdicts),
        "n_concordant": sum(v in CONCORDANT for v in verdicts),
        "n_not_in_plan": verdicts.count("not_in_plan"),
        "n_not_recommended": verdicts.count("not_recommended"),
        "n_not_assessable": verdicts.count("not_assessable"),
        "n_missing_facts": len(missing_all),
        "n_critical_alerts": n_critical,
        "kb_version": kb.version,
        "n_trials_eligible": None,
    }
    return {"patients": [patient], "lines": lines, "findings": findings}
