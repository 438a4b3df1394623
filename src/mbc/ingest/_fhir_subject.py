"""Whose record a resource is: its ``subject`` (or ``patient``) reference.

A bundle read for one patient may carry resources of someone else: a searchset's included
resources, a Condition of a relative (``subject`` a RelatedPerson), a Group's. What they say is
not this patient's. A resource is set aside (listed in ``unread``) only when its reference
plainly names another subject: a resource of another type than Patient, or a Patient the bundle
does not hold while it holds the patient. A reference that cannot be judged (none, a
conditional ``Patient?identifier=...``, an unresolved ``urn:uuid``) is read as the patient's.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

__all__ = ["other_subject"]

_TYPED = re.compile(r"(?:^|/)(?P<type>[A-Z][A-Za-z]+)/(?P<id>[A-Za-z0-9\-.]{1,64})(?:/_history/[^/]*)?$")


def other_subject(body: Mapping[str, Any], by_ref: Mapping[str, Any], patient_ids: set[str]) -> str | None:
    """The reference of the other subject a resource is about, else None (the patient's)."""
    value = body.get("subject") if "subject" in body else body.get("patient")
    ref = value.get("reference") if isinstance(value, Mapping) else None
    if not isinstance(ref, str) or not ref or "?" in ref or ref.startswith("#"):
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
