"""The JSON shape of the FHIR elements the readers use, checked before any reader runs.

A bundle from an interface engine may carry an element of the wrong JSON type (a ``status``
that is an object, a ``code`` that is a number, a ``coding`` that is not a list, a quantity
``value`` that is a string or out of range). FHIR R4 fixes the type of each of these elements,
so a resource that breaks it is malformed: :func:`shape_problems` names each such element, and
:func:`mbc.ingest.fhir.read_bundle` skips the whole resource (listed in ``unread``, kind
``unreadable_resource``) - before any reader, and before another resource can reach it by a
reference. Elements the readers do not use are not checked (lenient about the rest), and
where R4 allows one element or a list (``category``, ``bodySite``, ``statusReason`` differ
between resource types) either is accepted.

This is the FHIR JSON format, not clinical knowledge: no code or threshold lives here.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from typing import Any

__all__ = ["shape_problems", "well_formed"]

# the resource types read, or reached by a reference and then read; others are not checked
# (their elements of the same name may have other types, e.g. Group.type is a code)
CHECKED = frozenset({
    "Patient", "Observation", "Condition", "Procedure", "DiagnosticReport", "Medication",
    "MedicationRequest", "MedicationStatement", "MedicationAdministration", "MedicationDispense",
    "Specimen", "ServiceRequest", "ClinicalImpression",
})  # fmt: skip
_MAX_DEPTH = 24  # contained resources / extensions nested deeper are refused, not recursed into
_MAX_INT = 10**18  # beyond what a FHIR decimal carries; float() of it would overflow or lose it

# A shape is a primitive name, a datatype name (a key of _TYPES), ("list", shape) for 0..*,
# or ("either", shape, ...) where R4 differs between resource types.
_CC = "CodeableConcept"
_REF = "Reference"
_TYPES: dict[str, dict[str, Any]] = {
    "CodeableConcept": {"coding": ("list", "Coding"), "text": "string"},
    "Coding": {"system": "string", "code": ("either", "string", "integer"), "display": "string"},
    "Reference": {"reference": "string", "display": "string", "type": "string"},
    "Quantity": {
        "value": "number",
        "unit": "string",
        "system": "string",
        "code": "string",
        "comparator": "string",
    },
    "Period": {"start": "string", "end": "string"},
    "Range": {"low": "Quantity", "high": "Quantity"},
    "Ratio": {"numerator": "Quantity", "denominator": "Quantity"},
    "Identifier": {"system": "string", "value": "string"},
    "Annotation": {"text": "string"},
    "Attachment": {"contentType": "string", "data": "string", "url": "string", "title": "string"},
    "Extension": {"url": "string", "extension": ("list", "Extension")},
    "Component": {"code": _CC, "interpretation": ("list", _CC), "referenceRange": ("list", "ReferenceRange")},
    "ReferenceRange": {
        "low": "Quantity",
        "high": "Quantity",
        "text": "string",
        "type": _CC,
        "appliesTo": ("list", _CC),
    },
    "Dosage": {"text": "string", "timing": "Timing", "route": _CC, "patientInstruction": "string"},
    "Timing": {"repeat": "Repeat", "code": _CC, "event": ("list", "string")},
    "Repeat": {},
    "Stage": {"summary": _CC, "type": _CC, "assessment": ("list", _REF)},
    "Evidence": {"code": ("list", _CC), "detail": ("list", _REF)},
    "Ingredient": {},
    "DispenseRequest": {"validityPeriod": "Period", "expectedSupplyDuration": "Quantity"},
    "Collection": {"bodySite": _CC, "method": _CC},
    "Contained": {"resourceType": "string"},  # checked as a resource if of a CHECKED type
    "Resource": {},  # filled below: the elements of a resource, whatever its type
}
_TYPES["Resource"] = {
    "resourceType": "string",
    "id": "string",
    "status": "string",
    "intent": "string",
    "gender": "string",
    "birthDate": "string",
    "issued": "string",
    "conclusion": "string",
    "summary": "string",
    "description": "string",
    "recordedDate": "string",
    "authoredOn": "string",
    "dateAsserted": "string",
    "code": _CC,
    "method": _CC,
    "clinicalStatus": _CC,
    "verificationStatus": _CC,
    "outcome": _CC,
    "medicationCodeableConcept": _CC,
    "type": ("either", _CC, ("list", _CC)),
    "category": ("either", _CC, ("list", _CC)),
    "bodySite": ("either", _CC, ("list", _CC)),
    "statusReason": ("either", _CC, ("list", _CC)),
    "interpretation": ("list", _CC),
    "reasonCode": ("list", _CC),
    "usedCode": ("list", _CC),
    "conclusionCode": ("list", _CC),
    "subject": _REF,
    "specimen": ("either", _REF, ("list", _REF)),
    "medicationReference": _REF,
    "priorPrescription": _REF,
    "hasMember": ("list", _REF),
    "derivedFrom": ("list", _REF),
    "result": ("list", _REF),
    "reasonReference": ("list", _REF),
    "focus": ("either", _REF, ("list", _REF)),
    "identifier": ("either", "Identifier", ("list", "Identifier")),
    "note": ("list", "Annotation"),
    "component": ("list", "Component"),
    "referenceRange": ("list", "ReferenceRange"),
    "presentedForm": ("list", "Attachment"),
    "dosage": ("either", "Dosage", ("list", "Dosage")),  # MedicationAdministration: one
    "dosageInstruction": ("list", "Dosage"),
    "dispenseRequest": "DispenseRequest",
    "daysSupply": "Quantity",
    "stage": ("list", "Stage"),
    "evidence": ("list", "Evidence"),
    "ingredient": ("list", "Ingredient"),
    "collection": "Collection",
    "extension": ("list", "Extension"),
    "modifierExtension": ("list", "Extension"),
    "contained": ("list", "Contained"),
    "link": ("list", "object"),
}
# choice elements (value[x], effective[x], ...): the type is the name's suffix
_CHOICE = re.compile(
    r"^(value|effective|onset|abatement|performed|deceased|occurrence|collected|bounds|item|"
    r"multipleBirth|timing|asNeeded|medication|born|age|dose|rate)([A-Z][A-Za-z]*)$"
)
_SUFFIX: dict[str, Any] = {
    "String": "string", "Code": "string", "Date": "string", "DateTime": "string", "Instant": "string",
    "Time": "string", "Uri": "string", "Url": "string", "Canonical": "string", "Id": "string",
    "Markdown": "string", "Boolean": "boolean", "Integer": "integer", "PositiveInt": "integer",
    "UnsignedInt": "integer", "Decimal": "number", "Quantity": "Quantity", "Age": "Quantity",
    "Duration": "Quantity", "SimpleQuantity": "Quantity", "CodeableConcept": _CC, "Coding": "Coding",
    "Period": "Period", "Range": "Range", "Ratio": "Ratio", "Reference": _REF, "Annotation": "Annotation",
    "Attachment": "Attachment", "Identifier": "Identifier",
}  # fmt: skip
# these datatypes carry choice elements of their own (Extension.value[x], Component.value[x], ...)
_WITH_CHOICES = frozenset(
    {"Resource", "Extension", "Component", "Repeat", "Ingredient", "Collection", "Dosage"}
)


def shape_problems(body: Mapping[str, Any]) -> list[tuple[str, str]]:
    """(element path, what is wrong) for each element of a resource whose JSON type breaks R4.

    Args:
        body: The resource as decoded JSON.

    Returns:
        The problems, in document order; empty when every element the readers use is well typed.
    """
    out: list[tuple[str, str]] = []
    _check(body, "Resource", "", out, 0)
    return out


def _check(value: Any, shape: Any, path: str, out: list[tuple[str, str]], depth: int) -> None:
    if value is None:
        return  # an absent element (JSON null) is no element
    if isinstance(shape, tuple):
        if shape[0] == "list":
            if not isinstance(value, list):
                out.append((path, "expected a list"))
                return
            for i, item in enumerate(value):
                _check(item, shape[1], f"{path}[{i}]", out, depth)
            return
        trial: list[tuple[str, str]] = []
        for alternative in shape[1:]:
            trial = []
            _check(value, alternative, path, trial, depth)
            if not trial:
                return
        out.extend(trial)  # none fits: the last alternative's complaint names the element
        return
    problem = _primitive(value, shape)
    if problem is not None:
        out.append((path, problem))
        return
    if shape == "Contained":
        if not isinstance(value.get("resourceType"), str):
            out.append((path, "a contained resource needs a string resourceType"))
            return
        shape = "Resource" if value["resourceType"] in CHECKED else shape
    if shape not in _TYPES:
        return
    if depth > _MAX_DEPTH:
        out.append((path, f"nested more than {_MAX_DEPTH} levels deep"))
        return
    elements = _TYPES[shape]
    for key, item in value.items():
        sub = elements.get(key)
        if sub is None and shape in _WITH_CHOICES and isinstance(key, str):
            m = _CHOICE.match(key)
            sub = _SUFFIX.get(m.group(2)) if m else None
        if sub is not None:
            _check(item, sub, f"{path}.{key}" if path else key, out, depth + 1)


def _primitive(value: Any, shape: str) -> str | None:
    """What is wrong with ``value`` as a ``shape`` (a primitive, or an object datatype)."""
    if shape == "string":
        return None if isinstance(value, str) else "expected a string"
    if shape == "boolean":
        return None if isinstance(value, bool) else "expected true or false"
    if shape == "integer":
        ok = isinstance(value, int) and not isinstance(value, bool) and abs(value) < _MAX_INT
        return None if ok else "expected an integer"
    if shape == "number":
        if isinstance(value, bool) or not isinstance(value, int | float):
            return "expected a number"
        if (isinstance(value, int) and abs(value) >= _MAX_INT) or (
            isinstance(value, float) and not math.isfinite(value)
        ):
            return "number out of range"
        return None
    return None if isinstance(value, Mapping) else "expected an object"


def well_formed(res: Any, builder: Any) -> bool:
    """Whether a resource's elements have their R4 JSON types; if not, it is listed in
    ``unread`` (kind ``unreadable_resource``, each element named) and must not be read.

    Args:
        res: The resource (a :class:`~mbc.ingest._fhir_base.Res`).
        builder: The record builder whose ``unread`` list names the skipped resource.

    Returns:
        ``True`` when it can be read.
    """
    problems = shape_problems(res.body) if res.type in CHECKED else []
    if not problems:
        return True
    builder.note_unread(
        {
            "kind": "unreadable_resource",
            "resource": res.ref,
            "reason": f"{res.ref}: " + "; ".join(f"{path}: {msg}" for path, msg in problems[:5]),
            "elements": [path for path, _ in problems],
        }
    )
    return False
