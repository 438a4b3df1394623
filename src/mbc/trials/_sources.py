"""Read trial records in the shapes registries and tools export them.

Shapes read (detected from the content, not the file name):

* ClinicalTrials.gov API v2 study (``protocolSection``), alone, in a JSON array, in a
  page of the API (``{"studies": [...]}``) or one per line (NDJSON);
* legacy ClinicalTrials.gov XML (``<clinical_study>``);
* the TREC CT 2021 compact shape distributed with TrialGPT (``nctid``, ``raw_criteria``);
* the clinical-trial-agent export (``nct_id``, ``eligibility.raw_text``).

Each reader is a small pure function ``dict -> Trial``; :func:`read_path` walks files.
"""

from __future__ import annotations

import ast
import datetime as dt
import html
import json
import re
import xml.etree.ElementTree as ET
from collections.abc import Callable, Iterable, Iterator, Mapping
from pathlib import Path
from typing import Any

from mbc.errors import TrialSourceError
from mbc.trials._model import Trial

__all__ = ["parse_age", "parse_date", "read_path", "trial_from_mapping", "trials_from_text"]

_AGE_RE = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*(year|month|week|day)s?\b", re.IGNORECASE)
_AGE_UNIT = {"year": 1.0, "month": 1 / 12, "week": 7 / 365.25, "day": 1 / 365.25}
_MONTHS = {
    m: i
    for i, m in enumerate(
        ["january", "february", "march", "april", "may", "june", "july", "august",
         "september", "october", "november", "december"],
        start=1,
    )
}  # fmt: skip


def parse_age(text: object) -> float | None:
    """``"18 Years"`` -> 18.0; ``"6 Months"`` -> 0.5; ``"N/A"``/empty -> None."""
    if not isinstance(text, str):
        return None
    m = _AGE_RE.match(text)
    if not m:
        return None
    return round(float(m.group(1)) * _AGE_UNIT[m.group(2).lower()], 2)


def parse_date(text: object) -> dt.date | None:
    """ISO ``YYYY-MM-DD`` / ``YYYY-MM`` or legacy ``March 9, 2020`` / ``August 2015``."""
    if not isinstance(text, str) or not text.strip():
        return None
    s = text.strip()
    m = re.match(r"^(\d{4})-(\d{2})(?:-(\d{2}))?", s)
    if m:
        return dt.date(int(m.group(1)), int(m.group(2)), int(m.group(3) or 1))
    m = re.match(r"^([A-Za-z]+)\s+(?:(\d{1,2}),\s*)?(\d{4})$", s)
    if m and m.group(1).lower() in _MONTHS:
        return dt.date(int(m.group(3)), _MONTHS[m.group(1).lower()], int(m.group(2) or 1))
    return None


def _status(text: object) -> str | None:
    if not isinstance(text, str) or not text.strip():
        return None
    return re.sub(r"[^A-Z]+", "_", text.strip().upper()).strip("_")


def _sex(text: object) -> str | None:
    if not isinstance(text, str):
        return None
    v = text.strip().lower()
    return {"all": "all", "both": "all", "female": "female", "male": "male"}.get(v)


def _phases(values: Iterable[object]) -> tuple[str, ...]:
    out: list[str] = []
    for v in values:
        if not isinstance(v, str) or not v.strip() or v.strip().upper() in {"NA", "N/A"}:
            continue
        for part in re.split(r"\s*/\s*", v.strip()):
            norm = re.sub(r"[^A-Z0-9]", "", part.upper())
            norm = norm.replace("EARLYPHASE", "EARLY_PHASE")
            if norm and norm not in {"NA", "NOTAPPLICABLE"} and norm not in out:
                out.append(norm)
    return tuple(out)


def _clean_text(text: object) -> str:
    """Undo the registry's markdown escapes and (possibly repeated) HTML escaping."""
    if not isinstance(text, str):
        return ""
    s = text
    for _ in range(12):  # some exports escape entities many times over (&amp;amp;...)
        un = html.unescape(s)
        if un == s:
            break
        s = un
    return re.sub(r"\\([\\<>\[\]~^*_=#\-(){}.!+|`])", r"\1", s)


def _strs(value: object) -> tuple[str, ...]:
    if isinstance(value, str):
        return (value,)
    if isinstance(value, list | tuple):
        return tuple(str(v) for v in value if isinstance(v, str | int | float) and str(v).strip())
    return ()


def _get(d: Mapping[str, Any], *path: str) -> Any:
    cur: Any = d
    for p in path:
        if not isinstance(cur, Mapping):
            return None
        cur = cur.get(p)
    return cur


# ------------------------------------------------------------------ one reader per shape


def _from_ctgov_v2(d: Mapping[str, Any]) -> Trial:
    ps = d["protocolSection"]
    ident = _get(ps, "identificationModule") or {}
    status = _get(ps, "statusModule") or {}
    elig = _get(ps, "eligibilityModule") or {}
    locs = _get(ps, "contactsLocationsModule", "locations") or []
    locations = tuple(
        ", ".join(str(x) for x in (loc.get("facility"), loc.get("city"), loc.get("country")) if x)
        for loc in locs
        if isinstance(loc, Mapping)
    )
    interventions = tuple(
        str(i.get("name"))
        for i in (_get(ps, "armsInterventionsModule", "interventions") or [])
        if isinstance(i, Mapping) and i.get("name")
    )
    last = _get(status, "lastUpdatePostDateStruct", "date") or status.get("lastUpdateSubmitDate")
    return Trial(
        nct_id=str(ident["nctId"]),
        title=str(ident.get("briefTitle") or ident.get("officialTitle") or ""),
        official_title=ident.get("officialTitle"),
        status=_status(status.get("overallStatus")),
        phases=_phases(_get(ps, "designModule", "phases") or ()),
        conditions=_strs(_get(ps, "conditionsModule", "conditions")),
        interventions=interventions,
        eligibility_text=_clean_text(elig.get("eligibilityCriteria")),
        sex=_sex(elig.get("sex")),
        minimum_age_years=parse_age(elig.get("minimumAge")),
        maximum_age_years=parse_age(elig.get("maximumAge")),
        locations=locations,
        start_date=parse_date(_get(status, "startDateStruct", "date")),
        last_update=parse_date(last),
        source_format="ctgov_v2",
    )


def _from_trialgpt(d: Mapping[str, Any]) -> Trial:
    return Trial(
        nct_id=str(d["nctid"]),
        title=str(d.get("title") or ""),
        status=_status(d.get("overall_status")),
        phases=_phases(_strs(d.get("phases"))),
        conditions=_strs(_listish(d.get("condition") or d.get("diseases_list"))),
        eligibility_text=_clean_text(d.get("raw_criteria") or d.get("criteria")),
        sex=_sex(d.get("sex") or d.get("gender")),
        minimum_age_years=parse_age(d.get("minimum_age")),
        maximum_age_years=parse_age(d.get("maximum_age")),
        source_format="trialgpt",
    )


def _from_agent(d: Mapping[str, Any]) -> Trial:
    elig = d.get("eligibility") or {}
    return Trial(
        nct_id=str(d["nct_id"]),
        title=str(d.get("title") or ""),
        status=_status(d.get("status")),
        phases=_phases(_strs(d.get("phase"))),
        conditions=_strs(_listish(d.get("conditions"))),
        interventions=_strs(d.get("interventions")),
        eligibility_text=_clean_text(elig.get("raw_text") if isinstance(elig, Mapping) else ""),
        sex=_sex(elig.get("sex")) if isinstance(elig, Mapping) else None,
        minimum_age_years=parse_age(elig.get("minimum_age")) if isinstance(elig, Mapping) else None,
        maximum_age_years=parse_age(elig.get("maximum_age")) if isinstance(elig, Mapping) else None,
        locations=_strs(d.get("locations")),
        start_date=parse_date(d.get("start_date")),
        last_update=parse_date(d.get("last_update") or d.get("last_updated")),
        source_format="agent",
    )


def _listish(value: object) -> object:
    """Some exports store a list as its Python repr (``"['A', 'B']"``)."""
    if isinstance(value, str) and value.startswith("[") and value.endswith("]"):
        try:
            return ast.literal_eval(value)
        except (ValueError, SyntaxError):
            return value
    return value


_SHAPES: tuple[tuple[Callable[[Mapping[str, Any]], bool], Callable[[Mapping[str, Any]], Trial]], ...] = (
    (lambda d: "protocolSection" in d, _from_ctgov_v2),
    (lambda d: "nctid" in d, _from_trialgpt),
    (lambda d: "nct_id" in d, _from_agent),
)


def trial_from_mapping(d: Mapping[str, Any]) -> Trial:
    """Read one decoded JSON record of any supported shape.

    Raises:
        TrialSourceError: The shape is not recognised or a required key is missing.
    """
    for test, reader in _SHAPES:
        if test(d):
            try:
                return reader(d)
            except (KeyError, TypeError, ValueError) as exc:
                raise TrialSourceError(f"malformed trial record: {exc}") from exc
    raise TrialSourceError(f"unrecognised trial record shape (keys: {sorted(d)[:8]})")


def _from_xml(text: str) -> Trial:
    try:
        root = ET.fromstring(text)
    except ET.ParseError as exc:
        raise TrialSourceError(f"invalid XML: {exc}") from exc

    def find(path: str) -> str | None:
        el = root.find(path)
        return el.text.strip() if el is not None and el.text else None

    nct = find("id_info/nct_id")
    if nct is None:
        raise TrialSourceError("XML record has no id_info/nct_id")
    locations = tuple(
        ", ".join(
            x
            for x in (
                (loc.findtext("facility/name") or "").strip(),
                (loc.findtext("facility/address/city") or "").strip(),
                (loc.findtext("facility/address/country") or "").strip(),
            )
            if x
        )
        for loc in root.findall("location")
    )
    crit = root.findtext("eligibility/criteria/textblock") or ""
    return Trial(
        nct_id=nct,
        title=find("brief_title") or find("official_title") or "",
        official_title=find("official_title"),
        status=_status(find("overall_status")),
        phases=_phases([find("phase") or ""]),
        conditions=tuple(c.text.strip() for c in root.findall("condition") if c.text),
        interventions=tuple(
            (i.findtext("intervention_name") or "").strip() for i in root.findall("intervention")
        ),
        eligibility_text=_dedent(crit),
        sex=_sex(find("eligibility/gender")),
        minimum_age_years=parse_age(find("eligibility/minimum_age")),
        maximum_age_years=parse_age(find("eligibility/maximum_age")),
        locations=locations,
        start_date=parse_date(find("start_date")),
        last_update=parse_date(find("last_update_posted") or find("lastchanged_date")),
        source_format="ctgov_xml",
    )


def _dedent(text: str) -> str:
    lines = text.splitlines()
    widths = [len(x) - len(x.lstrip()) for x in lines if x.strip()]
    cut = min(widths, default=0)
    return "\n".join(x[cut:] for x in lines).strip()


def trials_from_text(text: str, *, name: str = "<text>") -> Iterator[Trial]:
    """Every trial in one file's text (JSON object/array, API page, NDJSON or XML).

    Raises:
        TrialSourceError: The text is none of the supported shapes.
    """
    s = text.lstrip("\ufeff").strip()
    if not s:
        return
    if s.startswith("<"):
        yield _from_xml(s)
        return
    try:
        data = json.loads(s)
    except json.JSONDecodeError:
        data = None
    if data is None:  # NDJSON: one record per line
        for n, line in enumerate(s.splitlines(), start=1):
            if not line.strip():
                continue
            try:
                yield from _from_json(json.loads(line))
            except json.JSONDecodeError as exc:
                raise TrialSourceError(f"{name}:{n}: not JSON: {exc.msg}") from exc
        return
    yield from _from_json(data)


def _from_json(data: object) -> Iterator[Trial]:
    if isinstance(data, list):
        for item in data:
            yield from _from_json(item)
    elif isinstance(data, Mapping):
        if "studies" in data and isinstance(data["studies"], list):
            yield from _from_json(data["studies"])
        elif "trials" in data and isinstance(data["trials"], list):
            yield from _from_json(data["trials"])
        else:
            yield trial_from_mapping(data)
    else:
        raise TrialSourceError(f"expected a JSON object or array, got {type(data).__name__}")


_SUFFIXES = (".json", ".ndjson", ".jsonl", ".xml")


def read_path(path: str | Path) -> Iterator[Trial]:
    """Every trial in a file, or in every ``.json``/``.ndjson``/``.jsonl``/``.xml``
    file under a directory (sorted, recursive).

    Raises:
        TrialSourceError: A file cannot be read; the message names the file.
    """
    p = Path(path)
    files = sorted(f for f in p.rglob("*") if f.suffix.lower() in _SUFFIXES) if p.is_dir() else [p]
    for f in files:
        try:
            text = f.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise TrialSourceError(f"{f}: cannot read: {exc}") from exc
        try:
            yield from trials_from_text(text, name=str(f))
        except TrialSourceError as exc:
            raise TrialSourceError(f"{f}: {exc}") from exc
