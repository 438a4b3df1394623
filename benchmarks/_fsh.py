"""The mCODE STU4 IG's own examples (FSH, shared data) as FHIR JSON bundles, for fhir_eval.

SUSHI (the FSH compiler, a Node tool) is not available here, so this turns the subset of FSH
the IG's example instances use into FHIR R4 JSON: ``Alias`` lines, ``Instance`` /
``InstanceOf`` blocks and ``* path = value`` rules (codes ``SYS#code "display"``, bare
``#code``, strings, numbers, booleans, dates, quantities ``N 'unit' "display"`` and
``Reference(id)``), with the slices the examples use mapped to their fixed codes or
extension URLs (:data:`SLICES`). Profiles map to their base resource type
(:data:`PROFILES`). Each patient becomes one collection bundle holding every instance that
points at it, plus what those point at. Not a general FSH compiler: rules it does not
understand are skipped (the bundle is still valid FHIR JSON, just thinner).

Expectations written by hand from the IG's narrative (not from the reader's output) live in
``benchmarks/ig_examples/NAME.expected.json``; :func:`ig_examples_folder` writes the bundles
next to copies of them in a temporary folder.
"""

from __future__ import annotations

import json
import re
import shutil
import tempfile
from pathlib import Path
from typing import Any

FSH = Path("/work/shared/data/mcode_stu4/input/fsh")
EXPECTED = Path(__file__).resolve().parent / "ig_examples"

_MCODE = "http://hl7.org/fhir/us/mcode/StructureDefinition/"
PROFILES = {
    "CancerPatient": "Patient", "USCorePatient": "Patient",
    "PrimaryCancerCondition": "Condition", "SecondaryCancerCondition": "Condition",
    "USCoreCondition": "Condition", "HistoryOfMetastaticCancer": "Observation",
    "TumorMarkerTest": "Observation", "ECOGPerformanceStatus": "Observation",
    "KarnofskyPerformanceStatus": "Observation", "TNMStageGroup": "Observation",
    "TNMPrimaryTumorCategory": "Observation", "TNMRegionalNodesCategory": "Observation",
    "TNMDistantMetastasesCategory": "Observation", "CancerStage": "Observation",
    "GenomicVariant": "Observation", "GenomicRegionStudied": "Observation", "TumorSize": "Observation",
    "USCoreObservationLab": "Observation", "Comorbidities": "Observation",
    "CancerDiseaseStatus": "Observation", "USCoreSmokingStatusProfile": "Observation",
    "TMB": "Observation", "MSI": "Observation", "BodySurfaceArea": "Observation",
    "HistologicGrade": "Observation", "HistologicBehaviorAndType": "Observation",
    "http://hl7.org/fhir/StructureDefinition/bodyweight": "Observation",
    "http://hl7.org/fhir/StructureDefinition/bodyheight": "Observation",
    "CancerRelatedMedicationRequest": "MedicationRequest",
    "CancerRelatedMedicationAdministration": "MedicationAdministration",
    "CancerRelatedSurgicalProcedure": "Procedure", "USCoreProcedure": "Procedure",
    "RadiotherapyCourseSummary": "Procedure", "HumanSpecimen": "Specimen",
    "GenomicsReport": "DiagnosticReport", "mcode-genomics-report": "DiagnosticReport",
    "USCoreDiagnosticReportLab": "DiagnosticReport", "FamilyMemberHistory": "FamilyMemberHistory",
    "USCorePractitioner": "Practitioner", "Practitioner": "Practitioner",
    "USCoreOrganization": "Organization", "Observation": "Observation",
}  # fmt: skip
"""Profile (``InstanceOf``) -> FHIR resource type; instances of other profiles are left out."""

_LNC = "http://loinc.org"
FIXED_CODES = {
    "ECOGPerformanceStatus": "89247-1", "KarnofskyPerformanceStatus": "89243-0",
    "http://hl7.org/fhir/StructureDefinition/bodyweight": "29463-7",
    "http://hl7.org/fhir/StructureDefinition/bodyheight": "8302-2", "BodySurfaceArea": "8277-6",
    "GenomicVariant": "69548-6", "GenomicRegionStudied": "53041-0", "TMB": "94076-7", "MSI": "81695-9",
    "CancerDiseaseStatus": "97509-4", "Comorbidities": "78923-6",
}  # fmt: skip
"""Profile -> the LOINC code it fixes (SUSHI would fill it in)."""
_ARRAYS = {
    "extension", "identifier", "coding", "component", "stage", "hasMember", "result", "note",
    "dosageInstruction", "name", "given", "line", "telecom", "address", "reasonCode",
    "reasonReference", "condition", "interpretation", "specimen", "performer", "category",
    "bodySite", "focus", "basedOn", "partOf", "derivedFrom", "evidence", "processing", "assessment",
    "referenceRange",
}  # fmt: skip
_SINGLE = {  # (resource type, top-level element) that are single in R4 although named like arrays
    ("MedicationAdministration", "category"), ("MedicationRequest", "performer"),
    ("Observation", "bodySite"), ("Observation", "specimen"), ("Specimen", "bodySite"),
}  # fmt: skip
SLICES: dict[str, dict[str, Any]] = {
    "extension[histologyMorphologyBehavior]": {"url": _MCODE + "mcode-histology-morphology-behavior"},
    "extension[treatmentIntent]": {"url": _MCODE + "mcode-procedure-intent"},
    "extension[terminationReason]": {"url": _MCODE + "mcode-treatment-termination-reason"},
    "extension[relatedCondition]": {"url": "http://hl7.org/fhir/StructureDefinition/procedure-reasonReference"},
    "extension[comorbidConditionPresent]": {"url": _MCODE + "mcode-comorbid-condition-present"},
    "extension[comorbidConditionAbsent]": {"url": _MCODE + "mcode-comorbid-condition-absent"},
    "extension[USCoreBirthSex]": {"url": "http://hl7.org/fhir/us/core/StructureDefinition/us-core-birthsex"},
    "extension[birthsex]": {"url": "http://hl7.org/fhir/us/core/StructureDefinition/us-core-birthsex"},
    "component[gene-studied]": {"code": {"coding": [{"system": _LNC, "code": "48018-6"}]}},
    "component[variation-code]": {"code": {"coding": [{"system": _LNC, "code": "81252-9"}]}},
    "component[genomic-hgvs]": {"code": {"coding": [{"system": _LNC, "code": "81290-9"}]}},
    "component[coding-hgvs]": {"code": {"coding": [{"system": _LNC, "code": "48004-6"}]}},
    "component[protein-hgvs]": {"code": {"coding": [{"system": _LNC, "code": "48005-3"}]}},
    "component[genomic-source-class]": {"code": {"coding": [{"system": _LNC, "code": "48002-0"}]}},
    "component[clinical-significance]": {"code": {"coding": [{"system": _LNC, "code": "53037-8"}]}},
    "component[sample-allelic-frequency]": {"code": {"coding": [{"system": _LNC, "code": "81258-6"}]}},
    "component[tumorLongestDimension]": {"code": {"coding": [{"system": _LNC, "code": "33728-7"}]}},
}
"""Slice -> the fixed content it implies (its code or extension URL)."""

_CODE_ONLY = {"status", "gender", "intent", "use", "priority"}
_CODING = {"valueCoding", "class"}
_RULE = re.compile(r"^\*\s+(?P<path>[^=]+?)\s*=\s*(?P<value>.+?)\s*$")
_INSTANCE = re.compile(r"^Instance:\s*(\S+)\s*\nInstanceOf:\s*(\S+)(.*?)(?=^Instance:|^Profile:|^Extension:|\Z)", re.M | re.S)


def _aliases() -> dict[str, str]:
    out: dict[str, str] = {}
    for path in sorted(FSH.glob("*.fsh")):
        for m in re.finditer(r"^Alias:\s*(\S+)\s*=\s*(\S+)", path.read_text(encoding="utf-8"), re.M):
            out[m.group(1)] = m.group(2)
    return out


def _strip_comments(body: str) -> str:
    body = re.sub(r'(?m)(?:^|\s)//(?=(?:[^"]*"[^"]*")*[^"]*$).*$', "", body)  # line comments first
    return re.sub(r"(?m)^\s*/\*.*?\*/", "", body, flags=re.S)


def _coding(token: str, aliases: dict[str, str]) -> dict[str, Any]:
    m = re.match(r'^(?P<sys>[^#\s"]*)#(?P<code>"[^"]*"|\S+)(?:\s+"(?P<display>[^"]*)")?$', token)
    if m is None:
        raise ValueError(token)
    out: dict[str, Any] = {}
    if m.group("sys"):
        out["system"] = aliases.get(m.group("sys"), m.group("sys"))
    out["code"] = m.group("code").strip('"')
    if m.group("display"):
        out["display"] = m.group("display")
    return out


def _value(raw: str, last: str, aliases: dict[str, str]) -> Any:
    raw = raw.strip()
    if m := re.fullmatch(r"Reference\(([^)]+)\)", raw):
        return {"_ref": m.group(1).strip()}
    if "#" in raw and not raw.startswith('"'):
        coding = _coding(raw, aliases)
        if last in _CODE_ONLY or (last.endswith(("Code",)) and "system" not in coding):
            return coding["code"]
        if last in _CODING or last.startswith("coding"):
            return coding
        return {"coding": [coding]}
    if m := re.fullmatch(r"(-?\d+(?:\.\d+)?)\s+'([^']*)'(?:\s+\"([^\"]*)\")?", raw):
        q: dict[str, Any] = {"value": float(m.group(1)) if "." in m.group(1) else int(m.group(1)),
                             "system": "http://unitsofmeasure.org", "code": m.group(2)}  # fmt: skip
        if m.group(3):
            q["unit"] = m.group(3)
        return q
    if raw.startswith('"'):
        return raw.strip('"')
    if raw in ("true", "false"):
        return raw == "true"
    if re.fullmatch(r"-?\d+", raw):
        return int(raw)
    if re.fullmatch(r"-?\d+\.\d+", raw):
        return float(raw)
    return raw  # a bare date or an unknown token


def _set(resource: dict[str, Any], path: str, value: Any, counters: dict[str, int]) -> None:
    parts = re.findall(r"[^.\[]+(?:\[[^\]]*\])?", path)
    node: Any = resource
    prefix = ""
    for i, part in enumerate(parts):
        m = re.fullmatch(r"([^\[]+)(?:\[([^\]]*)\])?", part)
        assert m is not None
        name, index = m.group(1), m.group(2)
        single = ((resource["resourceType"], name) in _SINGLE and i == 0) or (i > 0 and name == "bodySite")
        if index is None and name in _ARRAYS and not single:
            index = "0"
        if isinstance(value, dict) and "coding" in value and name == "coding":
            value = value["coding"][0]
        prefix = f"{prefix}.{name}"
        last = i == len(parts) - 1
        if index is None:
            if last:
                node[name] = value
                return
            node = node.setdefault(name, {})
            if isinstance(node, list):  # "component.code" on a one-item list
                node = node[-1] if node else (node.append({}) or node[-1])
            continue
        items = node.setdefault(name, [])
        if index == "+":
            counters[prefix] = len(items)
            items.append({} if not last else None)
            pos = len(items) - 1
        elif index == "=":
            pos = max(len(items) - 1, 0)
            if not items:
                items.append({})
        elif index.isdigit():
            pos = int(index)
            while len(items) <= pos:
                items.append({})
        else:  # a named slice: one item per slice name (and index within it)
            key = f"{prefix}[{index}]"
            fixed = SLICES.get(f"{name}[{index}]", {})
            slot = next((j for j, it in enumerate(items) if isinstance(it, dict) and it.get("_slice") == key), None)
            if slot is None:
                items.append({"_slice": key, **json.loads(json.dumps(fixed))})
                slot = len(items) - 1
            pos = slot
        if last:
            items[pos] = value
            return
        if not isinstance(items[pos], dict):
            items[pos] = {}
        node = items[pos]


def _clean(value: Any, ids: dict[str, str]) -> Any:
    if isinstance(value, dict):
        if set(value) == {"_ref"}:
            target = value["_ref"]
            return {"reference": f"{ids[target]}/{target}"} if target in ids else {"display": target}
        return {k: _clean(v, ids) for k, v in value.items() if k != "_slice"}
    if isinstance(value, list):
        return [_clean(v, ids) for v in value if v is not None]
    return value


def instances() -> dict[str, dict[str, Any]]:
    """Every example instance of a known profile, as FHIR JSON (references resolved)."""
    aliases = _aliases()
    raw: dict[str, dict[str, Any]] = {}
    for path in sorted(FSH.glob("EX_*.fsh")):
        text = _strip_comments(path.read_text(encoding="utf-8"))
        for m in _INSTANCE.finditer(text):
            name, profile, body = m.group(1), m.group(2), m.group(3)
            rtype = PROFILES.get(profile)
            if rtype is None:
                continue
            res: dict[str, Any] = {"resourceType": rtype, "id": name}
            if profile in FIXED_CODES:
                res["code"] = {"coding": [{"system": _LNC, "code": FIXED_CODES[profile]}]}
            counters: dict[str, int] = {}
            for line in body.splitlines():
                r = _RULE.match(line.strip())
                if r is None or r.group("path").startswith(("meta", "text", "identifier")):
                    continue
                rule_path = r.group("path").strip()
                last = re.sub(r"\[.*?\]", "", rule_path.split(".")[-1])
                try:
                    _set(res, rule_path, _value(r.group("value"), last, aliases), counters)
                except (ValueError, AssertionError, IndexError, TypeError, AttributeError):
                    continue
            raw[name] = res
    ids = {k: v["resourceType"] for k, v in raw.items()}
    return {k: _clean(v, ids) for k, v in raw.items()}


def _refs(value: Any) -> set[str]:
    if isinstance(value, dict):
        out = {value["reference"].split("/", 1)[1]} if isinstance(value.get("reference"), str) else set()
        return out.union(*(_refs(v) for v in value.values()))
    if isinstance(value, list):
        return set().union(*(_refs(v) for v in value))
    return set()


def bundles() -> dict[str, dict[str, Any]]:
    """One collection bundle per example patient (its id -> bundle)."""
    every = instances()
    out: dict[str, dict[str, Any]] = {}
    for pid, patient in every.items():
        if patient["resourceType"] != "Patient":
            continue
        members = {pid}
        for rid, res in every.items():
            if rid != pid and pid in _refs({k: v for k, v in res.items() if k in ("subject", "patient")}):
                members.add(rid)
        members |= {r for m in list(members) for r in _refs(every[m]) if r in every}
        members = {m for m in members if every[m]["resourceType"] != "Patient" or m == pid}
        entries = [{"fullUrl": f"urn:example:{m}", "resource": every[m]} for m in sorted(members)]
        out[pid] = {"resourceType": "Bundle", "id": f"ig-{pid}", "type": "collection", "entry": entries}
    return out


def ig_examples_folder() -> Path:
    """A temporary folder with the IG example bundles that have a hand-written expectation."""
    if not FSH.is_dir():
        raise SystemExit(f"the mCODE STU4 FSH sources are not at {FSH}")
    folder = Path(tempfile.mkdtemp(prefix="mbc-ig-"))
    made = bundles()
    for expected in sorted(EXPECTED.glob("*.expected.json")):
        name = expected.name.removesuffix(".expected.json")
        if name in made:
            (folder / f"{name}.json").write_text(json.dumps(made[name], indent=1), encoding="utf-8")
            shutil.copy(expected, folder / expected.name)
            plan = EXPECTED / f"{name}.plan.json"
            if plan.is_file():
                shutil.copy(plan, folder / plan.name)
    return folder


if __name__ == "__main__":
    for pid, b in bundles().items():
        print(pid, len(b["entry"]), sorted({e["resource"]["resourceType"] for e in b["entry"]}))
