"""FHIR staging results: the TNM distant metastasis (M) category and the stage group, coded
(``distant_metastasis`` / ``stage_group`` observation codes in ``knowledge/ingest/fhir.yaml``)
or under a local code known by its name (``names``: "Distant metastases (M)", "M-Kategorie",
"TNM stage group"; issue 11, session 13). An M1 category or a stage IV group dates the
metastatic disease; an M0 or an early stage says nothing of it.
"""

from __future__ import annotations

import datetime as dt
import re

from mbc.ingest._fhir_base import Ctx, Res, Timeline, src, text_of
from mbc.ingest._fhir_values import value_codes

__all__ = ["is_stage_iv", "read_m_category", "read_stage_group", "staging_by_name"]


def _value_text(res: Res) -> str:
    """The value in words: a coded value's text and displays, or a string value."""
    said = (text_of(res.body.get("valueCodeableConcept")), res.body.get("valueString"))
    return " | ".join(t for t in said if isinstance(t, str) and t)


def read_m_category(ctx: Ctx, res: Res, when: dt.date | None, tl: Timeline) -> None:
    values = {c for _, c, _ in value_codes(ctx, res)}
    text = _value_text(res)
    table = ctx.cfg["distant_metastasis"]
    m1 = values & set(table["m1_values"]) or re.search(r"\bc?p?M1[abc]?\b", text)
    m1 = m1 or any(re.match(table.get("m1_code_pattern") or "(?!)", v, re.IGNORECASE) for v in values)
    if m1 and when is not None and (tl.metastatic is None or when < tl.metastatic):
        tl.metastatic = when
        tl.metastatic_ref = src(res, "valueCodeableConcept", "fhir.observation.m1", when)


def is_stage_iv(ctx: Ctx, codes: list[tuple[str, str, str]], text: str) -> bool:
    sg = ctx.cfg["stage_group"]
    if {c for _, c, _ in codes} & set(sg["stage_iv_values"]):
        return True
    return bool(text and re.search(sg["stage_iv_words"], text))


def read_stage_group(ctx: Ctx, res: Res, when: dt.date | None, tl: Timeline) -> None:
    if is_stage_iv(ctx, value_codes(ctx, res), _value_text(res)):
        tl.stage_iv_at_dx = True
        if when is not None and (tl.metastatic is None or when < tl.metastatic):
            tl.metastatic = when
            tl.metastatic_ref = src(res, "valueCodeableConcept", "fhir.observation.stage_iv", when)


def staging_by_name(ctx: Ctx, res: Res, name: str, when: dt.date | None, tl: Timeline) -> bool:
    """A staging result under a local code, known by its name: read as the coded one. True
    when the name is a staging name (read, whatever its value)."""
    if re.search(ctx.cfg["distant_metastasis"].get("names") or "(?!)", name):
        read_m_category(ctx, res, when, tl)
        return True
    if re.search(ctx.cfg["stage_group"].get("names") or "(?!)", name):
        read_stage_group(ctx, res, when, tl)
        return True
    return False
