"""A relative named only in a bracketed aside after the patient's own result (session 13).

"Germline BRCA2 pathogenic (mother same variant)", "gBRCA1/2 negative (mother had ovarian
cancer, never tested)": ConText's family cue reaches back over the bracket and voids the
patient's own result. When every relation word of the sentence sits in a bracket opened after
the mention, and that aside reads as a comparison with the patient (``aside_cue``: "same",
"also", "never tested", "own", ...), and does not say the result is the relative's
(``aside_not``: "found in her sister"), the mention is the patient's again. The cue words live
in ``knowledge/nlp/context.yaml`` (``scopes.family_aside``); fields it applies to too.
"""

from __future__ import annotations

import functools
import re
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from collections.abc import Mapping

    from mbc.ingest._note_pipeline import _Mention

__all__ = ["clear_family_asides"]


@functools.cache
def _compiled(relation: str, cue: str, not_: str) -> tuple[re.Pattern[str], ...]:
    return tuple(re.compile(p, re.IGNORECASE) for p in (relation, cue, not_))


def _aside_ok(after: str, rel: re.Pattern[str], cue: re.Pattern[str], not_: re.Pattern[str]) -> bool:
    """Every relation word in ``after`` (the sentence after the mention) sits inside a bracket
    opened after the mention, and that aside compares the relative with the patient."""
    found = False
    for r in rel.finditer(after):
        found = True
        pre = after[: r.start()]
        opened = pre.rfind("(")
        if opened < 0 or ")" in pre[opened:]:
            return False
        close = after.find(")", r.end())
        aside = after[opened : close if close >= 0 else len(after)]
        if not cue.search(aside) or not_.search(aside):
            return False
    return found


def clear_family_asides(spec: Mapping[str, Any] | None, text: str, mentions: list[_Mention]) -> None:
    """Drop ``family`` from the mentions whose only relative is a bracketed comparison after them."""
    if not spec:
        return
    fields = tuple(spec.get("fields") or ())
    sections = frozenset(spec.get("not_in_sections") or ())
    rel, cue, not_ = _compiled(
        str(spec["relation"]), str(spec["aside_cue"]), str(spec.get("aside_not") or "(?!)")
    )
    for m in mentions:
        if "family" not in m.attrs or m.rule is None or not any(f.startswith(fields) for f in m.rule.fields):
            continue
        if m.section in sections:
            continue
        a, b = m.sent
        if rel.search(text[a : m.start]):
            continue  # a relative named before the result: the result may be theirs
        if _aside_ok(text[m.end : b], rel, cue, not_):
            m.attrs.discard("family")
