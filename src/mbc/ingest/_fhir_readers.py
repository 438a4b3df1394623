"""The FHIR observation readers by the kind the observation map names (``reader:`` in fhir.yaml)."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from mbc.ingest._fhir_base import Ctx, Res
from mbc.ingest._fhir_msi import msi_value
from mbc.ingest._fhir_ranges import xuln_value
from mbc.ingest._fhir_registry import naaccr_value
from mbc.ingest._fhir_simple import (
    ecog_value,
    germline_text_value,
    karnofsky_value,
    last_period_value,
    no_field_value,
    number_value,
    percent_value,
    pregnancy_value,
    words_value,
)
from mbc.ingest._fhir_values import Read, her2_value, receptor_value


def given_value(ctx: Ctx, res: Res, spec: Mapping[str, Any]) -> Read:
    """A value read before (the receptor results of a report's words): the spec carries it."""
    return str(spec["path"]), spec["value"], {}


READERS: dict[str, Callable[[Ctx, Res, Mapping[str, Any]], Read]] = {
    "given": given_value,
    "receptor": receptor_value,
    "her2": her2_value,
    "number": number_value,
    "percent": percent_value,
    "xuln": xuln_value,
    "ecog": ecog_value,
    "karnofsky": karnofsky_value,
    "last_period": last_period_value,
    "words": words_value,
    "msi": msi_value,
    "pregnancy": pregnancy_value,
    "no_field": no_field_value,
    "germline_text": germline_text_value,
    "naaccr": naaccr_value,
}
