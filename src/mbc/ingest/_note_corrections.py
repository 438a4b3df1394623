"""A later correction wins: a value stated in a correction outranks the one it corrects.

Notes correct themselves in several shapes: a pathology ADDENDUM or "revised" / "amended" result,
an attending's attestation ("seen and examined; agree except ..."), a chat message that says the
earlier one was a typo. Ranking by specimen and by position does not see them: an attestation
that says the brain lesions were treated since loses to the fellow's "untreated" ranked by rule,
and an addendum that re-quotes the old value ("the HER2 1+ reported on 18/11 should be
disregarded") makes that old value the last one written.

:func:`correction_regions` finds each correction (its opening words are data: ``corrections``
in ``knowledge/nlp/context.yaml`` ``scope``) and its reach (to the end of its paragraph, at most
``reach`` characters). :func:`prefer_corrections` then makes, for every scalar field, the last
value offered inside a correction win over a value from before it. Lab values and dates keep
their own newest-dated rule; a receptor result of the primary tumour is not promoted.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from mbc.ingest._extraction import RecordBuilder

__all__ = ["correction_regions", "prefer_corrections"]

_PARAGRAPH_END = re.compile(r"\n[ \t]*\n")
_KEEP_OWN_RULE = ("labs.", "metastatic_diagnosis_date", "as_of", "tumor.receptor_source")
_TOP = (float("inf"),)


def correction_regions(text: str, opens: re.Pattern[str], reach: int) -> list[tuple[int, int]]:
    """(start, end) of each correction: from its opening words to its paragraph's end."""
    out: list[tuple[int, int]] = []
    for m in opens.finditer(text):
        if out and m.start() < out[-1][1]:
            continue
        para = _PARAGRAPH_END.search(text, m.end())
        end = min(para.start() if para else len(text), m.end() + reach)
        out.append((m.start(), end))
    return out


def prefer_corrections(builder: RecordBuilder, regions: list[tuple[int, int]]) -> None:
    """Promote, per scalar field, the last value offered in a correction after the winner."""
    if not regions:
        return
    for path, cand in builder.scalar_candidates():
        if path.startswith(_KEEP_OWN_RULE):
            continue
        won_at = _start(cand.source)
        best: dict[str, Any] | None = None
        for old in builder.superseded_of(path):
            at = _start(old)
            if at is None or "dropped" in old or old.get("historical") or old.get("specimen") == "primary":
                continue
            region = next((r for r in regions if r[0] <= at < r[1]), None)
            if region is None or (won_at is not None and won_at >= region[0]):
                continue  # not in a correction, or the winner is itself in (or after) it
            if old.get("value") == cand.value:
                continue
            if best is None or at > (_start(best) or -1):
                best = old
        if best is not None:
            src = {k: v for k, v in best.items() if k != "value"}
            src["corrects"] = {"value": cand.value, "span": cand.source.get("span")}
            builder.set(path, best["value"], src, rank=_TOP)


def _start(source: dict[str, Any]) -> int | None:
    span = source.get("span")
    return int(span[0]) if isinstance(span, (list, tuple)) and span else None
