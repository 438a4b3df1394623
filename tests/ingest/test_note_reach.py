"""What bears on a mention reaches a bounded distance: one huge line or list is linear work.

Found by benchmarks/bench_robust.py (session 9): a note written as one line with no sentence
break ("ER 90% PR 10% HER2 1+ on letrozole ..." repeated) took 20 s at 10 KB and 618 s at
50 KB, because every receptor result searched its whole line for specimen words, and every
negation cue ("denies", "no") scanned to the next terminator however far. Both now stop
``_REACH`` characters from the mention.
"""

from __future__ import annotations

import datetime as dt

from mbc.ingest._note_pipeline import _annotate, _find_mentions, _list_negations
from mbc.ingest._note_reach import REACH as _REACH
from mbc.ingest.notes import _pipeline

AS_OF = dt.date(2026, 11, 20)


def test_a_negated_list_stops_within_reach() -> None:
    text = "Denies " + "fever, chills, night sweats, " * 200 + "and headache"
    spans = _list_negations(_pipeline(), text)
    assert spans and all(b - a <= len("Denies ") + _REACH for a, b in spans)


def test_a_mention_context_is_bounded_on_one_huge_line() -> None:
    unit = "ER 90% PR 10% HER2 1+ (IHC) on letrozole + ribociclib since 06/2024 then fulvestrant, "
    text = unit * 100  # one line, one sentence, ~9 KB
    pipe = _pipeline()
    mentions = _find_mentions(text, pipe.rules)
    _annotate(pipe, text, mentions)
    assert mentions
    assert max(len(m.context_text) for m in mentions) <= 2 * _REACH + max(len(m.text) for m in mentions)


def test_a_primary_far_back_on_the_line_is_not_this_results_specimen() -> None:
    """Beyond its reach a word names no specimen: the liver result is not read as the primary's."""
    from mbc.ingest.notes import read_note

    filler = "stable disease on imaging with no new lesions and good tolerance overall " * 12
    text = f"Primary breast tumour 2019 ER 10%; {filler} liver biopsy 10/2026 ER 95% PR 20% HER2 0"
    record = read_note(text, as_of=AS_OF).record
    assert record["tumor"]["er_percent"] == 95


def test_a_run_on_sentence_is_cut_for_context() -> None:
    """A 2 KB "sentence" of numbers ("1,1,1,...": 1,024 ConText modifiers, paired each with each)
    took 8 s at 2 KB and 27 s at 4 KB; ConText now sees it in pieces of at most ``_CHUNK``."""
    from mbc.ingest._note_pipeline import _CHUNK
    from mbc.ingest._note_reach import bounded

    text = "ER 90% " + "1," * 1024 + " PR 10%"
    pieces = bounded([(0, len(text))], text, _CHUNK)
    assert pieces[0][0] == 0 and pieces[-1][1] == len(text)
    assert all(b - a <= _CHUNK for a, b in pieces)
    assert all(pieces[i][1] == pieces[i + 1][0] for i in range(len(pieces) - 1))
    assert text[pieces[0][1] - 1] == ","  # cut at a clause break
