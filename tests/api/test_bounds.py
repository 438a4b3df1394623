"""Query parameters are bounded: out-of-range values get the 422 envelope, never a 500."""

from __future__ import annotations

from typing import Any


def test_huge_offset_is_a_422(client: Any) -> None:
    """An offset beyond the database's integer range names the field instead of failing."""
    r = client.get("/v1/cases", params={"offset": 2**63})
    assert r.status_code == 422
    body = r.json()
    assert body["ok"] is False
    assert any(e["loc"][-1] == "offset" for e in body["errors"])
