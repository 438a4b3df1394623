"""The FHIR reader reads a damaged bundle, skips the damaged resource into ``unread``, or
refuses the bundle with an InputError naming the fault: never another exception.

The bundles are the repo's own examples with elements removed, given the wrong JSON type,
nulled, emptied, made huge or NaN-like, given unknown codes, references that resolve to
nothing, cycles through ``contained`` / ``hasMember``, duplicate ids and nested bundles.
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mbc.errors import InputError
from mbc.ingest import extract

from ._inputs import examples, mutated_bundle

AS_OF = dt.date(2026, 11, 20)


@settings(max_examples=examples(120), deadline=None, derandomize=True, database=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])  # fmt: skip
@given(mutated_bundle(), st.booleans())
def test_mutated_bundles_read_skip_or_refuse(doc: dict[str, Any], as_text: bool) -> None:
    try:
        source = json.dumps(doc) if as_text else doc
    except ValueError:  # a value JSON cannot write (NaN from a mutation): the dict form only
        source = doc
    try:
        result = extract(source, kind="fhir", as_of=AS_OF)
    except InputError as exc:
        assert exc.problems, "a refusal names what is wrong"
        return
    for item in result.unread:
        assert isinstance(item, dict) and item.get("kind")
