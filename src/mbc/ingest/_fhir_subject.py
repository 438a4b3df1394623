"""Whose record a resource is: its ``subject`` (or ``patient``) reference.

A bundle read for one patient may carry resources of someone else: a searchset's included
resources, a Condition of a relative (``subject`` a RelatedPerson), a Group's. What they say is
not this patient's. A resource is set aside (listed in ``unread``) only when its reference
plainly names another subject: a resource of another type than Patient, or a Patient the bundle
does not hold while other resources do refer to the patient it holds (a bundle whose resources
all name one Patient id other than its Patient's is a producer's way of writing the patient,
read as before). A reference that cannot be judged (none, a conditional
``Patient?identifier=...``, an unresolved ``urn:uuid``) is read as the patient's.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

__all__ = ["other_subject", "patient_named"]

_TYPED = re.compile(r"(?:^|/)(?P<type>[A-Z][A-Za-z]+)/(?P<id>[A-Za-z0-9\-.]{1,64})(?:/_history/[^/]*)?$")


def _ref(body: Mapping[str, Any]) -> str | None:
    value = body.get("subject") if "subject" in body else body.get("patient")
    ref = value.get("reference") if isinstance(value, Mapping) else None
    if not isinstance(ref, str) or not ref or "?" in ref or ref.startswith("#"):
        return None
    return ref


def patient_named(bodies: list[Mapping[str, Any]], by_ref: Mapping[str, Any], patient_ids: set[str]) -> bool:
    """Some resource's subject names a Patient the bundle holds (by reference or URL)."""
    for body in bodies:
        ref = _ref(body)
        target = by_ref.get(ref) if ref else None
        m = _TYPED.search(ref) if ref and target is None else None
        if (target is not None and getattr(target, "type", None) == "Patient") or (
            m is not None and m.group("type") == "Patient" and m.group("id") in patient_ids
        ):
            return True
    return False


def other_subject(body: Mapping[str, Any], by_ref: Mapping[str, Any], patient_ids: set[str]) -> str | None:
    """The reference of the other subject a resource is about, else None (the patient's).
    ``patient_ids``: the bundle's Patient ids when some resource names one of them, else empty
    (then no Patient reference is judged another's)."""
    ref = _ref(body)
    if ref is None:
        return None
    target = by_ref.get(ref)
    if target is not None:
        kind = getattr(target, "type", None)
        return None if kind == "Patient" else ref
    m = _TYPED.search(ref)
    if m is None:
        return None  # an unresolved urn:uuid or a bare id: cannot be judged
    if m.group("type") != "Patient":
        return ref
    return ref if patient_ids and m.group("id") not in patient_ids else None
