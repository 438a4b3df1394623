"""Issue 11: a pasted note's provenance (where each fact came from, its certainty) is kept
with the case and shown on the case page."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient


@pytest.mark.filterwarnings("ignore::UserWarning")  # medspaCy warns about an empty matcher
def test_pasted_note_keeps_its_provenance(client: TestClient) -> None:
    text = "Mrs A, 61. ER 90%, HER2 0. Liver metastases. CT: 4 mm lung nodule, likely benign."
    resp = client.post("/cases/paste", data={"source": text, "kind": "note"}, follow_redirects=False)
    assert resp.status_code == 303
    page = client.get(resp.headers["location"]).text
    assert "Where the facts came from" in page
    assert "certainty" in page and "nlp.er.percent" in page
