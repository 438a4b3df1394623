"""Read a cohort as a stream of ``(name, raw JSON)`` items, one per patient.

A cohort is any of:

* an NDJSON file (one contract record or FHIR bundle per line);
* a JSON file (one record or bundle);
* a directory of ``*.json`` files (records or bundles) and/or ``*.ndjson`` files;
* a ``.tar``/``.tar.gz`` archive of ``*.json`` bundles or records (read in place);
* a FHIR Bulk Data export: a directory of ``<ResourceType>*.ndjson`` files as ``$export``
  writes them, with a ``Patient`` file. Resources are grouped by their patient reference into
  one ``collection`` bundle per patient.

Items are yielded lazily and in a stable order, so a cohort is never held in memory (except
a Bulk Data export, whose resources must be grouped by patient first).
"""

from __future__ import annotations

import json
import tarfile
from collections import defaultdict
from collections.abc import Iterator
from pathlib import Path
from typing import Any

__all__ = ["is_bulk_export", "iter_cohort"]

_TAR_SUFFIXES = (".tar", ".tar.gz", ".tgz")
_NDJSON_SUFFIXES = (".ndjson", ".jsonl")
# Where a resource names its patient (FHIR R4 compartment parameters most often used).
_PATIENT_KEYS = ("subject", "patient", "beneficiary", "individual")


def _ndjson(path: Path, prefix: str = "") -> Iterator[tuple[str, bytes]]:
    with path.open("rb") as fh:
        for n, line in enumerate(fh, 1):
            if line.strip():
                yield f"{prefix}line {n}", line


def _first_resource_type(path: Path) -> str | None:
    with path.open("rb") as fh:
        for line in fh:
            if line.strip():
                try:
                    obj = json.loads(line)
                except ValueError:
                    return None
                rt = obj.get("resourceType") if isinstance(obj, dict) else None
                return rt if isinstance(rt, str) else None
    return None


def is_bulk_export(path: Path) -> bool:
    """A directory of NDJSON files of FHIR resources (not bundles) including Patients."""
    if not path.is_dir():
        return False
    types = {_first_resource_type(f) for f in sorted(path.glob("*.ndjson"))}
    return "Patient" in types and "Bundle" not in types


def _patient_of(res: dict[str, Any]) -> str | None:
    if res.get("resourceType") == "Patient":
        return f"Patient/{res.get('id')}"
    for key in _PATIENT_KEYS:
        ref = res.get(key)
        if isinstance(ref, dict) and isinstance(ref.get("reference"), str):
            return str(ref["reference"])
    return None


def _references(node: Any, out: set[str]) -> set[str]:
    """Every ``reference`` string inside a resource."""
    if isinstance(node, dict):
        ref = node.get("reference")
        if isinstance(ref, str):
            out.add(ref)
        for v in node.values():
            _references(v, out)
    elif isinstance(node, list):
        for v in node:
            _references(v, out)
    return out


def _bulk(path: Path) -> Iterator[tuple[str, bytes]]:
    groups: dict[str, list[dict[str, Any]]] = defaultdict(list)
    shared: dict[str, dict[str, Any]] = {}  # resources of no patient (e.g. Medication), by reference
    order: list[str] = []
    for f in sorted(path.glob("*.ndjson")):
        for _, line in _ndjson(f):
            res = json.loads(line)
            if not isinstance(res, dict):
                continue
            ref = _patient_of(res)
            if ref is None:
                shared[f"{res.get('resourceType')}/{res.get('id')}"] = res
                continue
            if ref not in groups:
                order.append(ref)
            groups[ref].append(res)
    for ref in order:
        resources = groups.pop(ref)
        if not any(r.get("resourceType") == "Patient" for r in resources):
            continue  # resources of a patient the export does not hold
        resources.sort(key=lambda r: r.get("resourceType") != "Patient")
        wanted = sorted(_references(resources, set()) & shared.keys())
        resources += [shared[w] for w in wanted]
        bundle = {
            "resourceType": "Bundle",
            "type": "collection",
            "entry": [{"fullUrl": f"{r['resourceType']}/{r.get('id')}", "resource": r} for r in resources],
        }
        yield ref, json.dumps(bundle).encode()


def _tar(path: Path) -> Iterator[tuple[str, bytes]]:
    with tarfile.open(path) as tf:
        for member in tf:
            if member.isfile() and member.name.endswith(".json"):
                fh = tf.extractfile(member)
                if fh is not None:
                    yield Path(member.name).name, fh.read()


def iter_cohort(source: str | Path) -> Iterator[tuple[str, bytes]]:
    """``(name, raw JSON bytes)`` for each patient of a cohort (see the module docstring).

    Raises:
        FileNotFoundError: If ``source`` does not exist.
    """
    path = Path(source)
    if not path.exists():
        raise FileNotFoundError(str(path))
    if path.is_file():
        name = path.name.lower()
        if name.endswith(_TAR_SUFFIXES):
            yield from _tar(path)
        elif name.endswith(".json"):
            yield path.name, path.read_bytes()
        else:
            yield from _ndjson(path)
        return
    if is_bulk_export(path):
        yield from _bulk(path)
        return
    for f in sorted(path.iterdir()):
        low = f.name.lower()
        if not f.is_file():
            continue
        if low.endswith(".json"):
            yield f.name, f.read_bytes()
        elif low.endswith(_NDJSON_SUFFIXES):
            yield from _ndjson(f, prefix=f"{f.name} ")
        elif low.endswith(_TAR_SUFFIXES):
            yield from _tar(f)
