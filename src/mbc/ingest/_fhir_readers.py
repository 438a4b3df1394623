"""The FHIR observation readers by the kind the observation map names (``reader:`` in fhir.yaml)."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from mbc.ingest._fhir_base import Ctx, Res
from mbc.ingest._fhir_ranges import _r_xuln
from mbc.ingest._fhir_values import (
    Read,
    _r_ecog,
    _r_germline_text,
    _r_her2,
    _r_karnofsky,
    _r_no_field,
    _r_number,
    _r_percent,
    _r_pregnancy,
    _r_receptor,
    _r_words,
)

READERS: dict[str, Callable[[Ctx, Res, Mapping[str, Any]], Read]] = {
    "receptor": _r_receptor,
    "her2": _r_her2,
    "number": _r_number,
    "percent": _r_percent,
    "xuln": _r_xuln,
    "ecog": _r_ecog,
    "karnofsky": _r_karnofsky,
    "words": _r_words,
    "pregnancy": _r_pregnancy,
    "no_field": _r_no_field,
    "germline_text": _r_germline_text,
}
