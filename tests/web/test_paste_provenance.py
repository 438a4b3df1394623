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


@pytest.mark.filterwarnings("ignore::UserWarning")
def test_paste_then_check_opens_the_form_prefilled(client: TestClient) -> None:
    """'Read, then let me check' opens the case form filled with what was read, the facts to
    check listed first; saving it keeps the provenance with the case."""
    text = "Mrs A, 61. ER 90%, HER2 0. Liver metastases. CT: 4 mm lung nodule, likely benign."
    page = client.post("/cases/paste", data={"source": text, "kind": "note", "then": "check"})
    assert page.status_code == 200
    html = page.text
    assert "Check these first" in html and "lung nodule" in html
    assert 'name="_provenance"' in html
    assert 'value="61"' in html
    import re

    prov = re.search(r'name="_provenance" value="([^"]*)"', html)
    assert prov is not None
    import html as html_lib

    record_id = re.search(r'name="id" value="([^"]*)"', html)
    assert record_id is not None  # the form carries the record read from the paste
    form = {"id": record_id.group(1), "age": "61", "sex": "female", "tumor.er_percent": "90",
            "tumor.her2_ihc": "0", "_provenance": html_lib.unescape(prov.group(1))}  # fmt: skip
    saved = client.post("/cases", data=form, follow_redirects=False)
    assert saved.status_code == 303
    assert "Where the facts came from" in client.get(saved.headers["location"]).text


@pytest.mark.filterwarnings("ignore::UserWarning")
def test_check_page_highlights_the_source_of_each_fact(client: TestClient) -> None:
    """The check form shows the facts grouped by certainty, uncertain before stated, each
    with the note text around it and the fact's own words marked."""
    text = "Mrs A, 61. ER 90%, HER2 0. Liver metastases. CT: 4 mm lung nodule, likely benign."
    html = client.post("/cases/paste", data={"source": text, "kind": "note", "then": "check"}).text
    assert "What was read, and where" in html
    assert "<mark>ER 90%</mark>" in html
    uncertain, stated = html.find("Check - uncertain"), html.find(">Stated<")
    assert 0 < uncertain < stated
    assert "<mark>lung nodule</mark>" in html


@pytest.mark.filterwarnings("ignore::UserWarning")
def test_check_page_escapes_the_note_text(client: TestClient) -> None:
    text = "<script>x()</script> Mrs A, 61. ER 90%, HER2 0. Liver metastases."
    html = client.post("/cases/paste", data={"source": text, "kind": "note", "then": "check"}).text
    assert "<script>x()" not in html
