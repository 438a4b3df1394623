"""Diagnoses a bundle gives only as the reasons of its medication records (session 13).

An infusion-centre or pharmacy export may hold administrations and no Condition at all; each
administration names what it treats in ``reasonCode`` ("C78.7 Secondary malignant neoplasm of
liver", "Z17.1 Estrogen receptor negative status", "HER2-positive (IHC 3+) ... breast cancer").
In such a bundle (and only there: a bundle with conditions says its diagnoses itself) each
distinct reason concept is read as a confirmed condition of the patient, undated (the date of a
dose is not the date of a diagnosis). Which resource types count:
``knowledge/ingest/fhir.yaml`` (``reason_conditions``).
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from mbc.ingest._fhir_base import Res

__all__ = ["reason_conditions"]


def reason_conditions(cfg: Mapping[str, Any], resources: list[Res]) -> list[Res]:
    """Condition resources made from the reason codes of the medication records of a bundle that
    holds no Condition; none otherwise."""
    table = cfg.get("reason_conditions") or {}
    types = set(table.get("resource_types") or [])
    skip = set(table.get("skipped_statuses") or [])
    if not types or any(r.type == "Condition" for r in resources):
        return []
    out: list[Res] = []
    seen: set[str] = set()
    for r in resources:
        if r.type not in types or r.body.get("status") in skip:
            continue
        reasons = r.body.get("reasonCode")
        for i, concept in enumerate(reasons if isinstance(reasons, list) else []):
            if not isinstance(concept, Mapping) or not (concept.get("coding") or concept.get("text")):
                continue
            key = json.dumps(concept, sort_keys=True, default=str)
            if key in seen:
                continue
            seen.add(key)
            body: dict[str, Any] = {
                "resourceType": "Condition",
                "id": f"{r.ref}.reasonCode[{i}]",
                "code": concept,
                "verificationStatus": {"coding": [{"code": "confirmed"}]},
            }
            if isinstance(r.body.get("subject"), Mapping):
                body["subject"] = r.body["subject"]
            out.append(Res(body, r.index))
    return out
