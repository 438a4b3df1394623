"""Names for a male patient (session 11): an option whose regimen has a ``name_male`` in
knowledge/vocab/regimens.yaml (the GnRH agonist add-on: testicular, not ovarian, suppression)
is shown with it. Option items are shared per KB, so a renamed copy is made per plan."""

from __future__ import annotations

from typing import TYPE_CHECKING

from mbc.engine._items import replaced

if TYPE_CHECKING:
    from mbc.engine.context import EvalContext

__all__ = ["stage_sex_words"]


def stage_sex_words(ctx: EvalContext) -> EvalContext:
    """Give each option its male display name when the patient is a man."""
    if ctx.facts.get("sex") != "male":
        return ctx
    kb = ctx.kb
    out = []
    changed = False
    for o in ctx.options:
        name = kb.regimen_name(o.regimen, male=True)
        if name != o.name:
            o = replaced(o, {"name": name})
            changed = True
        out.append(o)
    return ctx.evolve(options=tuple(out)) if changed else ctx
