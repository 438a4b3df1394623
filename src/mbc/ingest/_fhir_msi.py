"""MSI / MMR status in words, clause by clause (an MSI result's value, a genomics report's
conclusion, a panel's words).

Each clause gives MSI-H when it says so and nothing denies it ("MSI-H not detected", "no
loss of MLH1 ...", "negative for MSI-high" are MSS), MSS when it says stable / proficient /
intact; a clause that only hedges ("MSI-high cannot be excluded") gives nothing. A clause
that speaks of an earlier result ("the 2019 panel had reported MSI-high",
"previously MSS") counts only when no other clause gives a value. Of the rest, a loss of an
MMR protein is dMMR whatever the other proteins show (MSI-H); otherwise the last clause that
gives a value wins (a report's result after what was tried: "indeterminate by PCR; MSI-high by
NGS"). Words in ``knowledge/ingest/fhir.yaml`` (``msi`` and ``msi_reading``)."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from mbc.ingest._fhir_base import Ctx, Res, said_match
from mbc.ingest._fhir_values import Read, no_answer, value_codes, value_words

__all__ = ["msi_in_words", "msi_value"]


def msi_in_words(cfg: Mapping[str, Any], text: str, named_only: bool = False) -> tuple[str, str] | None:
    """(MSS or MSI-H, the clause that decided) from words, or None.

    Args:
        cfg: The FHIR mapping (``fhir.yaml``).
        text: The words.
        named_only: Read only clauses that name MSI / MMR (a report that speaks of genes too);
            otherwise every clause is about MSI (an MSI result's value).
    """
    rule = cfg["msi_reading"]
    high = next(p for p, v in cfg["msi"]["words"].items() if v == "MSI-H")
    stable = next(p for p, v in cfg["msi"]["words"].items() if v == "MSS")
    found: list[tuple[bool, str, bool, str]] = []  # (earlier result, value, protein loss, clause)
    for clause in re.split(rule["clause_split"], text):
        if not clause.strip() or (named_only and not re.search(rule["named"], clause, re.IGNORECASE)):
            continue
        if re.search(rule.get("hedged") or "(?!)", clause, re.IGNORECASE):
            continue  # "MSI-high cannot be excluded": a doubt, not a result
        said_high = said_match({high: "MSI-H"}, clause, rule["denied_before"], rule["denied_after"])
        if said_high:
            value = "MSI-H"
        elif any(re.search(p, clause, re.IGNORECASE) for p in (high, stable, rule["bare_no"])):
            value = "MSS"  # a denied MSI-H, stable / proficient / intact, a bare "no"
        else:
            continue
        loss = value == "MSI-H" and re.search(rule["protein_loss"], clause, re.IGNORECASE) is not None
        earlier = re.search(rule["earlier"], clause, re.IGNORECASE) is not None
        found.append((earlier, value, loss, clause.strip()))
    current = [f for f in found if not f[0]] or found
    if not current:
        return None
    lost = [f for f in current if f[2]]
    _, value, _, clause = lost[0] if lost else current[-1]
    return value, clause


def msi_value(ctx: Ctx, res: Res, spec: Mapping[str, Any]) -> Read:
    """An MSI / MMR result: a coded answer (``msi.codes``), else its words clause by clause."""
    table = ctx.cfg["msi"]
    for _, code, _ in value_codes(ctx, res):
        if code in table.get("codes", {}):
            return spec["field"], table["codes"][code], {}
    got = msi_in_words(ctx.cfg, value_words(res))
    if got is None:
        raise no_answer(ctx, res)
    return spec["field"], got[0], {}
