"""`POST /v1/plan?region=EU` (issue 9): the plan is made for the region asked for; any other
value is a 422 naming the parameter."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from mbc.knowledge import KnowledgeBase

RECORD = json.loads((Path(__file__).parent / "fixtures" / "her2pos-first-line.json").read_text())


def test_plan_region_parameter(make_client: Any, kb: KnowledgeBase) -> None:
    """region=EU is echoed in the plan; the default is US; region=XX is rejected with 422."""
    client = make_client(kb=kb, role="clinician")
    assert client.post("/v1/plan", json=RECORD).json()["region"] == "US"
    assert client.post("/v1/plan?region=EU", json=RECORD).json()["region"] == "EU"
    bad = client.post("/v1/plan?region=XX", json=RECORD)
    assert bad.status_code == 422
    assert "region" in json.dumps(bad.json())
