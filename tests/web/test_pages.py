"""The web page: form, instant validation, plan view, patient view, exports, timeline."""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from mbc.api.testing import sample_prefetch
from mbc.engine import plan as make_plan
from mbc.knowledge import KnowledgeBase
from mbc.model import parse_record
from mbc.render.patient import render_patient_text
from mbc.web.form import form_to_record, record_to_form
from mbc.web.views import load_examples

EXAMPLES = sorted(load_examples())


class _Controls(HTMLParser):
    """Collects form controls and label targets (accessibility checks)."""

    def __init__(self) -> None:
        super().__init__()
        self.controls: list[dict[str, str | None]] = []
        self.label_for: set[str] = set()
        self.in_label = 0
        self.ids: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if a.get("id"):
            self.ids.append(str(a["id"]))
        if tag == "label":
            self.in_label += 1
            if a.get("for"):
                self.label_for.add(str(a["for"]))
        if tag in {"input", "select", "textarea"} and a.get("type") != "hidden":
            self.controls.append({**a, "_wrapped": "yes" if self.in_label else None})

    def handle_endtag(self, tag: str) -> None:
        if tag == "label":
            self.in_label -= 1


def _form_values(record: dict[str, Any]) -> dict[str, Any]:
    return {"_label": "test case", **record_to_form(record)}


def test_form_round_trips_every_example() -> None:
    """Record -> form fields -> record gives back the same record for every example."""
    for name in EXAMPLES:
        rec = load_examples()[name]
        assert parse_record(form_to_record(record_to_form(rec))) == parse_record(rec), name


def test_form_is_accessible(client: TestClient) -> None:
    """Every form control has a label, ids are unique, and the page has one h1 and a skip link."""
    html = client.get("/cases/new").text
    p = _Controls()
    p.feed(html)
    assert len(p.controls) > 40
    for c in p.controls:
        assert c.get("id") in p.label_for or c["_wrapped"], c
    assert len(p.ids) == len(set(p.ids))
    assert html.count("<h1") == 1
    assert 'class="skip" href="#main"' in html
    assert 'lang="en"' in html


def test_instant_validation_names_every_field(client: TestClient) -> None:
    """The validate endpoint answers every bad field at once, with out-of-band field messages."""
    values = {
        "id": "x",
        "age": "5",
        "tumor.er_percent": "150",
        "ecog": "two",
        "prior_therapies.0.start": "2020-01-01",
    }
    html = client.post("/web/validate", data=values).text
    assert "4 problems in the form" in html
    for eid in ("err-age", "err-tumor-er_percent", "err-ecog", "err-prior_therapies-0-drugs"):
        m = re.search(rf'<span id="{eid}"[^>]*hx-swap-oob="true">([^<]*)</span>', html)
        assert m, eid
        assert m.group(1).strip(), eid
    ok = client.post("/web/validate", data={"id": "x", "age": "50"}).text
    assert "No problems found" in ok
    assert re.search(r'<span id="err-age"[^>]*hx-swap-oob="true"></span>', ok)


def test_form_submit_creates_case_and_shows_plan(client: TestClient) -> None:
    """Submitting the form saves the case and shows alerts, options with sources, and the timeline."""
    rec = load_examples()["visceral-crisis"]
    resp = client.post("/cases", data=_form_values(rec), follow_redirects=False)
    assert resp.status_code == 303
    page = client.get(resp.headers["location"]).text
    assert page.index("h-alerts") < page.index("h-options") < page.index("h-nr") < page.index("h-missing")
    assert "Visceral crisis - give the fastest effective therapy." in page
    assert 'role="alert"' in page
    assert 'id="h-sources"' in page and 'href="#src-1"' in page  # one numbered source list
    assert "Paclitaxel" in page
    assert '<ul class="checklist">' in page
    assert "<svg" in page and "Timeline of prior therapy" in page
    assert "tamoxifen" in page


def test_invalid_form_submit_keeps_values_and_lists_errors(client: TestClient) -> None:
    """An invalid submission re-renders the form (422) with the errors and the typed values."""
    resp = client.post("/cases", data={"id": "x", "age": "5", "weight_kg": "70"})
    assert resp.status_code == 422
    assert "problem" in resp.text
    assert 'value="70"' in resp.text
    assert 'aria-invalid="true"' in resp.text


def test_edit_case(client: TestClient) -> None:
    """A case can be edited through the form."""
    rec = load_examples()["her2pos-2l"]
    loc = client.post("/cases", data=_form_values(rec), follow_redirects=False).headers["location"]
    edit = client.get(f"{loc}/edit").text
    assert 'value="example-her2pos-2l"' in edit
    values = _form_values({**rec, "ecog": 2})
    assert client.post(f"{loc}/edit", data=values, follow_redirects=False).status_code == 303
    assert client.get(f"/v1/cases/{loc.rsplit('/', 1)[1]}").json()["record"]["ecog"] == 2


def _grade(text: str, monkeypatch: pytest.MonkeyPatch) -> float:
    """Flesch-Kincaid grade by textstat. textstat looks words up in NLTK's CMU dictionary,
    which it would download (no network in tests); without it textstat falls back to its
    own Pyphen syllable counter, which is what we use here."""
    import textstat
    import textstat.backend.counts._count_syllables as syllables

    monkeypatch.setattr(syllables, "get_cmudict", lambda _lang: None)
    syllables.count_syllables.cache_clear() if hasattr(syllables.count_syllables, "cache_clear") else None
    return float(textstat.flesch_kincaid_grade(text))


class _Text(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.parts: list[str] = []
        self.skip = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in {"script", "style", "header", "nav", "footer"}:
            self.skip += 1

    def handle_endtag(self, tag: str) -> None:
        if tag in {"script", "style", "header", "nav", "footer"}:
            self.skip -= 1
        if tag in {"p", "li", "h1", "h2", "h3"}:
            self.parts.append(".\n")

    def handle_data(self, data: str) -> None:
        if not self.skip:
            self.parts.append(data)


@pytest.mark.parametrize("name", EXAMPLES)
def test_patient_view_reading_grade(client: TestClient, name: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """The patient view of every example reads at grade 6 or below (Flesch-Kincaid)."""
    cid = client.post("/v1/cases", json={"record": load_examples()[name]}).json()["id"]
    html = client.get(f"/cases/{cid}/patient").text
    p = _Text()
    p.feed(html)
    text = re.sub(r"(\.\s*)+", ". ", "".join(p.parts))
    assert "Your care plan in plain words" in text
    assert _grade(text, monkeypatch) <= 6.0


@pytest.mark.parametrize("name", EXAMPLES)
def test_patient_text_reading_grade(
    fixture_kb: KnowledgeBase, name: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """render_patient_text gives plain text at grade 6 or below, naming each option's drugs."""
    import datetime as dt

    rec = parse_record(load_examples()[name])
    plan = make_plan(rec, fixture_kb, as_of=rec.as_of or dt.date(2026, 11, 1))
    text = render_patient_text(plan, fixture_kb)
    assert text.endswith("\n")
    for o in plan.options:
        assert all(d in text for d in o.drugs)
    assert _grade(text, monkeypatch) <= 6.0


def test_patient_view_shows_site_symptoms_and_urgency(client: TestClient) -> None:
    """A patient with liver metastases in crisis sees liver symptoms and an urgent notice."""
    cid = client.post("/v1/cases", json={"record": load_examples()["visceral-crisis"]}).json()["id"]
    html = client.get(f"/cases/{cid}/patient").text
    assert "Yellow skin or yellow eyes" in html
    assert "Something needs action soon" in html
    assert "Choice 1: Chemo" in html


def test_print_and_pdf_exports_are_audited(client: TestClient) -> None:
    """Print pages are self-contained; PDFs are real PDFs; each export is one audit row."""
    cid = client.post("/v1/cases", json={"record": load_examples()["her2pos-2l"]}).json()["id"]
    printed = client.get(f"/cases/{cid}/print?view=clinician").text
    assert "<nav" not in printed
    assert '<link rel="stylesheet"' not in printed
    assert 'id="h-sources"' in printed and "<details" not in printed
    for view in ("clinician", "patient"):
        pdf = client.get(f"/cases/{cid}/pdf?view={view}")
        assert pdf.status_code == 200
        assert pdf.headers["content-type"] == "application/pdf"
        assert pdf.content.startswith(b"%PDF")
    rows = client.app.state.services.store.audit_rows(case_id=cid)  # type: ignore[attr-defined]
    exports = [r.detail for r in rows if r.event == "plan_exported"]
    assert [(e["view"], e["format"]) for e in exports] == [
        ("clinician", "print"),
        ("clinician", "pdf"),
        ("patient", "pdf"),
    ]


def test_timeline_svg(client: TestClient) -> None:
    """The timeline is valid SVG with a title and a description listing every course."""
    cid = client.post("/v1/cases", json={"record": load_examples()["her2pos-2l"]}).json()["id"]
    resp = client.get(f"/cases/{cid}/timeline.svg")
    assert resp.headers["content-type"].startswith("image/svg+xml")
    root = ET.fromstring(resp.text)
    ns = "{http://www.w3.org/2000/svg}"
    assert root.get("role") == "img"
    desc = root.find(f"{ns}desc")
    assert desc is not None and desc.text is not None
    assert desc.text.count(" to ") == 3
    assert len(root.findall(f"{ns}rect")) == 3


def test_paste_fhir_bundle_creates_case(client: TestClient) -> None:
    """A pasted FHIR bundle becomes a case whose source is FHIR."""
    pre = sample_prefetch(her2_ihc="3+", er_percent=0)
    bundle = {
        "resourceType": "Bundle",
        "type": "collection",
        "entry": [{"resource": pre["patient"]}] + pre["observations"]["entry"],
    }
    resp = client.post(
        "/cases/paste", data={"source": json.dumps(bundle), "kind": "auto"}, follow_redirects=False
    )
    assert resp.status_code == 303
    page = client.get(resp.headers["location"]).text
    assert "source: fhir" in page
    assert "/HER2+</span>" in page


@pytest.mark.filterwarnings("ignore::UserWarning")  # medspaCy warns about an empty matcher
def test_paste_note_creates_case(client: TestClient) -> None:
    """A pasted note becomes a case; an empty paste is refused with a message."""
    text = (Path(__file__).parents[1] / "api" / "fixtures" / "tnbc-question.txt").read_text(encoding="utf-8")
    resp = client.post("/cases/paste", data={"source": text, "kind": "note"}, follow_redirects=False)
    assert resp.status_code == 303
    assert "TNBC" in client.get(resp.headers["location"]).text
    empty = client.post("/cases/paste", data={"source": "  ", "kind": "note"})
    assert empty.status_code == 422
    assert "nothing was pasted" in empty.text


def test_rule_page_and_404(client: TestClient) -> None:
    """Rule pages show the rule and its sources; unknown cases and rules are HTML 404 pages."""
    page = client.get("/rules/test.her2.first-line").text
    assert "test.her2.first-line@1" in page
    assert "ASCO 2022 (HER2+)" in page
    assert client.get("/rules/nope").status_code == 404
    missing = client.get("/cases/nope")
    assert missing.status_code == 404
    assert "<h1>Not found</h1>" in missing.text


def test_index_lists_cases_and_examples(client: TestClient) -> None:
    """The home page lists saved cases and offers the bundled examples."""
    client.post("/v1/cases", json={"record": load_examples()["tnbc-1l-pdl1"], "label": "TNBC case"})
    html = client.get("/").text
    assert "TNBC case" in html
    for name in EXAMPLES:
        assert f"/cases/new?example={name}" in html


def test_each_source_listed_once_with_numbered_references(client: TestClient) -> None:
    """Options cite by number; the full source list appears once, at the end."""
    import re

    cid = client.post("/v1/cases", json={"record": load_examples()["her2pos-2l"]}).json()["id"]
    page = client.get(f"/cases/{cid}").text
    sources = page[page.index('id="h-sources"') :]
    items = re.findall(r'<li id="src-(\d+)">', sources)
    assert items and items == [str(i) for i in range(1, len(items) + 1)]
    refs = set(re.findall(r'href="#src-(\d+)"', page))
    assert refs <= set(items)
    assert page.count('<nav class="toc"') == 1


def test_missing_information_uses_human_labels(client: TestClient) -> None:
    from mbc.web.views import field_label

    assert field_label("labs.creatinine_clearance_ml_min") != "labs.creatinine_clearance_ml_min"
    assert "." not in field_label("labs.creatinine_clearance_ml_min")
    cid = client.post("/v1/cases", json={"record": load_examples()["missing-data"]}).json()["id"]
    page = client.get(f"/cases/{cid}").text
    checklist = page[page.index('<ul class="checklist">') : page.index("</ul>", page.index('<ul class="checklist">'))]
    assert not re.search(r"<strong>[a-z_]+\.[a-z_.]+</strong>", checklist)


def test_trials_show_nct_link_status_and_counts() -> None:
    """A trial with unresolved criteria is a possible match, never plain "eligible"."""
    from mbc.web.views import _trials

    rows = _trials([
        {"trial": "NCT01234567", "title": "A trial", "status": "eligible", "recruitment_status": "RECRUITING",
         "counts": {"met": 3, "not_met": 0, "unknown": 1, "needs_review": 0},
         "criteria": [{"text": "Tumour mutation X", "result": "unknown"}]},
        {"trial": "NCT07654321", "title": "B trial", "status": "eligible",
         "counts": {"met": 4, "not_met": 0, "unknown": 0, "needs_review": 0}, "criteria": []},
    ])
    assert rows[0]["status"] == "possible match" and rows[0]["url"] == "https://clinicaltrials.gov/study/NCT01234567"
    assert rows[0]["unresolved"] == ["Tumour mutation X"] and rows[0]["recruitment"] == "recruiting"
    assert rows[1]["status"] == "criteria met"


def test_every_repo_example_is_bundled() -> None:
    from pathlib import Path

    from mbc.web.views import load_examples as bundled

    repo = Path(__file__).resolve().parents[2] / "examples"
    assert {p.stem for p in repo.glob("*.json")} <= set(bundled())


def test_same_paste_twice_opens_the_same_case(client: TestClient) -> None:
    note = "62-year-old woman, ER positive 90%, HER2 0, bone metastases, no prior therapy."
    first = client.post("/cases/paste", data={"source": note, "kind": "note"}, follow_redirects=False)
    again = client.post("/cases/paste", data={"source": note, "kind": "note"}, follow_redirects=False)
    assert first.status_code == again.status_code == 303
    assert first.headers["location"] == again.headers["location"]
    assert len(client.get("/v1/cases").json()["cases"]) == 1


def test_record_id_is_generated_when_left_empty(client: TestClient) -> None:
    resp = client.post("/cases", data={"id": "", "age": "60", "sex": "female"}, follow_redirects=False)
    assert resp.status_code == 303
    cid = resp.headers["location"].rsplit("/", 1)[1]
    assert client.get(f"/v1/cases/{cid}").json()["record"]["id"].startswith("case-")
