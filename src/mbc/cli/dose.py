"""``mbc dose REGIMEN``: the doses of one regimen for a given weight, height and CrCl."""

from __future__ import annotations

import json
import math

import click

from mbc.cli._common import fail_input, format_option, handle_errors, kb_option

__all__ = ["dose"]


@click.command("dose")
@click.argument("regimen")
@click.option(
    "--weight-kg", type=click.FloatRange(min=0, min_open=True), default=None, help="Body weight (kg)."
)
@click.option(
    "--height-cm", type=click.FloatRange(min=0, min_open=True), default=None, help="Height (cm), for BSA."
)
@click.option("--crcl", type=click.FloatRange(min=0), default=None, help="Creatinine clearance (mL/min).")
@format_option(["json", "text"], "text")
@kb_option()
def dose(
    regimen: str,
    weight_kg: float | None,
    height_cm: float | None,
    crcl: float | None,
    fmt: str,
    kb_path: str | None,
) -> None:
    """Compute the doses of REGIMEN (a regimen id; join add-ons with '+', e.g.
    'nsai_ribociclib+ofs'). Every dose must be verified against the current label.

    Exit status 0 on success, 2 for an unknown regimen.
    """
    from mbc.engine.doses import regimen_doses
    from mbc.knowledge import load_kb

    with handle_errors():
        kb = load_kb(kb_path)
        unknown = [p for p in regimen.split("+") if p not in kb.regimens]
        if unknown:
            fail_input(f"unknown regimen {', '.join(unknown)!s}; see knowledge/vocab/regimens*.yaml")
        facts: dict[str, float] = {}
        if weight_kg is not None:
            facts["weight_kg"] = weight_kg
            if height_cm is not None:
                # Mosteller BSA, as in the fact derivation (divisor from derive.yaml)
                facts["bsa_m2"] = round(
                    math.sqrt(height_cm * weight_kg / float(kb.param("mosteller_divisor"))), 2
                )
        if crcl is not None:
            facts["crcl_ml_min"] = crcl
        lines = regimen_doses(kb, regimen, facts)
    if fmt == "json":
        out = {
            "regimen": regimen,
            "name": kb.regimen_name(regimen),
            "inputs": facts,
            "doses": [d.model_dump(mode="json") for d in lines],
        }
        click.echo(json.dumps(out, indent=2, ensure_ascii=False))
        return
    click.echo(f"{kb.regimen_name(regimen)}  [{regimen}]")
    shown = ", ".join(f"{k} {v:g}" for k, v in facts.items()) or "none (per-patient doses not computed)"
    click.echo(f"Inputs: {shown}")
    for d in lines:
        click.echo(f"- {d.drug}: {d.dose}; {d.schedule}")
        if d.computed:
            click.echo(f"    for this patient: {d.computed}")
        if d.adjustment:
            click.echo(f"    note: {d.adjustment}")
        if d.citations:
            click.echo(f"    source: {'; '.join(c.short for c in d.citations)}")
    click.echo("Verify every dose against the current label before prescribing.")
