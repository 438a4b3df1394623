"""The extract entry point: kind detection without parsing, BOMs, broken JSON, GC state."""

from __future__ import annotations

import codecs
import datetime as dt
import gc

import pytest

from mbc.errors import FHIRMappingError
from mbc.ingest import detect_kind, extract

AS_OF = dt.date(2026, 11, 22)
PATIENT = b'{"resourceType": "Patient", "id": "p1", "gender": "female"}'


@pytest.mark.parametrize(
    ("source", "kind"),
    [
        (PATIENT, "fhir"),
        (codecs.BOM_UTF8 + PATIENT, "fhir"),
        (b'{"resourceType": "Bundle", "entry": [', "fhir"),
        ('{"a": 1}', "note"),
        ("ER 95%, PR 20%", "note"),
    ],
    ids=["fhir", "bom", "broken-fhir", "other-json", "note"],
)
def test_detect_kind(source: str | bytes, kind: str) -> None:
    """JSON naming a resourceType is FHIR (even with a BOM or broken); other text a note."""
    assert detect_kind(source) == kind


def test_bom_bundle_is_read() -> None:
    """A FHIR file saved with a UTF-8 byte-order mark is read as FHIR."""
    assert extract(codecs.BOM_UTF8 + PATIENT, as_of=AS_OF).record["sex"] == "female"


def test_broken_fhir_json_is_an_error_not_a_note() -> None:
    """Truncated FHIR JSON raises FHIRMappingError naming the position."""
    with pytest.raises(FHIRMappingError, match="not valid JSON"):
        extract(b'{"resourceType": "Bundle", "entry": [', as_of=AS_OF)


@pytest.mark.parametrize("enabled", [True, False], ids=["gc-on", "gc-off"])
def test_collector_state_is_restored(enabled: bool) -> None:
    """Reading a bundle leaves the garbage collector as it found it, even on error."""
    was = gc.isenabled()
    try:
        (gc.enable if enabled else gc.disable)()
        extract(PATIENT, as_of=AS_OF)
        assert gc.isenabled() is enabled
        with pytest.raises(FHIRMappingError):
            extract(b'{"resourceType": 1}', kind="fhir", as_of=AS_OF)
        assert gc.isenabled() is enabled
    finally:
        (gc.enable if was else gc.disable)()


def test_kb_option_is_honoured_by_the_readers(tmp_path) -> None:  # type: ignore[no-untyped-def]
    """``kb=`` (``--kb``) makes the readers use that directory's vocabularies, not a cached one."""
    import shutil

    from mbc.ingest._data import kb_root

    root = tmp_path / "kb"
    shutil.copytree(kb_root() / "ingest", root / "ingest")
    shutil.copytree(kb_root() / "nlp", root / "nlp")
    drugs = (root / "ingest" / "drugs.yaml").read_text(encoding="utf-8")
    import re

    custom_drugs = re.sub(r"(inn: letrozole\n(?:    .*\n)*?    synonyms: \[)", r'\1"zzletro", ', drugs, count=1)
    assert custom_drugs != drugs
    (root / "ingest" / "drugs.yaml").write_text(custom_drugs, encoding="utf-8")
    note = "Metastatic breast cancer to bone, on zzletro since 2024-01."
    default = extract(note, kind="note", as_of=dt.date(2026, 1, 1))
    custom = extract(note, kind="note", as_of=dt.date(2026, 1, 1), kb=root)
    assert "prior_therapies" not in default.record
    assert custom.record["prior_therapies"][0]["drugs"] == ["letrozole"]
    again = extract(note, kind="note", as_of=dt.date(2026, 1, 1))
    assert "prior_therapies" not in again.record
