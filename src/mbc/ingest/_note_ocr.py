"""Session 10: characters an OCR or a typist put for others, mended before reading ("1iver",
"1etrozo1e", "pa1bocic1ib", "ER 9O%"). Each mend replaces one character by one, so the text
keeps its length and every span still points at the note as given. The patterns are data
(``ocr_mends`` in knowledge/nlp/lexicon.yaml: a regex matching the one character, and what
to put there).
"""

from __future__ import annotations

import functools
import re
from pathlib import Path

from mbc.ingest._data import kb_root, load_yaml

__all__ = ["mend_ocr"]


@functools.cache
def _mends_at(root: Path) -> tuple[tuple[re.Pattern[str], str], ...]:
    del root  # the cache key
    out = []
    for item in load_yaml("nlp/lexicon.yaml").get("ocr_mends") or []:
        put = str(item["put"])
        if len(put) != 1:
            raise ValueError(f"ocr_mends: {put!r} must be one character (spans keep their offsets)")
        out.append((re.compile(str(item["pattern"])), put))
    return tuple(out)


def mend_ocr(text: str) -> str:
    """``text`` with each OCR confusion mended, same length."""
    for rx, put in _mends_at(kb_root()):
        if rx.search(text):
            text = rx.sub(lambda m, p=put: p if len(m.group(0)) == 1 else m.group(0), text)
    return text
