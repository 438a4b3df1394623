"""One day/month order per note: the note's own dates decide how an ambiguous one is read."""

from __future__ import annotations

import datetime as dt

from mbc.ingest import extract
from mbc.ingest._note_order import DAY_FIRST, day_first, numeric_date

UK_LETTER = """Date dictated: 06/10/2026
Dear Dr Patel,
Diagnosis: metastatic relapse diagnosed September 2026 (pleural effusion, bone).
Pleural fluid cell block 12/09/2026: ER positive, HER2 IHC 1+.
She started letrozole 2.5 mg once daily on 01/10/2026.
"""


def test_a_written_month_decides_the_order_of_ambiguous_dates() -> None:
    assert day_first(UK_LETTER) is True
    got = extract(UK_LETTER, kind="note")  # read without an as_of: the letter's own date is "now"
    assert got.record["as_of"] == "2026-10-06"
    starts = {t.get("start") for t in got.record.get("prior_therapies", [])}
    assert "2026-10-01" in starts


def test_a_part_above_twelve_decides_the_order() -> None:
    assert day_first("Seen 25/10/2026. CT 03/10/2026 stable.") is True
    assert day_first("Seen 10/25/2026. CT 10/03/2026 stable.") is False


def test_no_evidence_keeps_month_day() -> None:
    assert day_first("Seen 03/04/2026.") is False
    assert numeric_date(3, 4) == (3, 4)
    token = DAY_FIRST.set(True)
    try:
        assert numeric_date(3, 4) == (4, 3)
        assert numeric_date(10, 25) == (10, 25)  # a part above 12 is the day whatever the note says
    finally:
        DAY_FIRST.reset(token)


def test_the_order_does_not_leak_to_the_next_note() -> None:
    extract(UK_LETTER, kind="note")
    assert DAY_FIRST.get() is False
    got = extract("Date: 03/04/2026\n58F, ER+ HER2 0, bone mets.", kind="note")
    assert got.record["as_of"] == dt.date(2026, 3, 4).isoformat()
