"""The safety gate on facts the answer layer infers (session 6, second pass).

Some steps of the question reader plan on a fact the question does not state: receptors read
from the class of a drug given (``facts.yaml`` ``given_implies``), stand-in drugs for "after 2
lines of endocrine therapy" (``line_counts``) and dates counted back from the answer date for a
course given with its duration. Such a fact may complete the picture, but it must never make a
drug preferred that the facts as stated (with the engine's own assumption policies) do not make
preferred. So the plan made on the inferred facts is compared with the plan made on the stated
facts, and an option preferred only on the inferred facts is

- not recommended when the stated plan rules any of its drugs out as contraindicated;
- otherwise held as a conditional option that needs the inferred facts confirmed.

Options the stated plan also prefers, and every option that is not preferred, stay as they are
(a contraindicated drug is moved out of the options whatever its category)."""

from __future__ import annotations

from typing import Any

from mbc.model.plan import ConditionalOption, NotRecommended

__all__ = ["changed_fields", "guard_inferred"]

_WHY = "preferred only on a fact the question does not state"


def changed_fields(stated: dict[str, Any], inferred: dict[str, Any]) -> list[str]:
    """The record fields (``tumor.er_status``, ``prior_therapies``...) the inference changed."""
    out: list[str] = []
    for key in sorted(set(stated) | set(inferred)):
        a, b = stated.get(key), inferred.get(key)
        if a == b:
            continue
        if isinstance(a, dict | None) and isinstance(b, dict) and key != "prior_therapies":
            out += [f"{key}.{k}" for k in sorted(set(a or {}) | set(b)) if (a or {}).get(k) != b.get(k)]
        else:
            out.append(key)
    return out


def _same(o: Any, p: Any) -> bool:
    return o.regimen == p.regimen or set(o.drugs) == set(p.drugs)


def _preferred(plan: Any) -> list[Any]:
    return [o for o in plan.options if o.category == "preferred"]


def guard_inferred(
    inferred_plan: Any, stated: list[Any], fields: list[str], labels: list[str] | None = None
) -> tuple[Any, list[str]]:
    """The plan to show: ``inferred_plan`` with every option preferred only on the inferred
    facts held or rejected (see the module doc), and a sentence for each one changed.

    ``stated[0]`` is the plan on the facts as stated; ``stated[1:]``, when given, are the plans
    for each usual sequence of stand-in drugs: an option preferred in every one of them is
    preferred whatever the unstated drugs were, so it stays preferred."""
    stated_plan = stated[0]
    preferred = _preferred(stated_plan)
    if len(stated) > 1:
        preferred += [
            o
            for o in _preferred(stated[1])
            if all(any(_same(o, p) for p in _preferred(s)) for s in stated[2:])
        ]
    contraindicated = {
        d: n for n in stated_plan.not_recommended if n.kind == "contraindicated" for d in n.drugs
    }
    keep: list[Any] = []
    held: list[Any] = []
    rejected: list[Any] = []
    said: list[str] = []
    needs = fields or ["prior_therapies"]
    named = ", ".join(labels or needs)
    for o in inferred_plan.options:
        bad = next((contraindicated[d] for d in o.drugs if d in contraindicated), None)
        if bad is not None:
            rejected.append(
                NotRecommended(
                    id=f"{o.id}.stated",
                    regimen=o.regimen,
                    name=o.name,
                    drugs=list(o.drugs),
                    reason=bad.reason,
                    kind="contraindicated",
                    citations=list(bad.citations),
                )
            )
            said.append(f"{o.name}: not offered - on the facts as stated: {bad.reason}")
            continue
        if o.category != "preferred" or any(_same(o, p) for p in preferred):
            keep.append(o)
            continue
        rule = o.trace[0].rule if o.trace else o.id
        held.append(ConditionalOption.waiting(o, category="preferred", needs=needs, rule=rule))
        said.append(f"{o.name}: {_WHY} ({named}) - held until it is confirmed")
    if not held and not rejected:
        return inferred_plan, []
    gone = {o.id for o in held} | {n.id.removesuffix(".stated") for n in rejected}
    summary = inferred_plan.summary
    if summary is not None:
        summary = summary.model_copy(
            update={"top_options": [i for i in summary.top_options if i not in gone]}
        )
    plan = inferred_plan.model_copy(
        update={
            # the branches the answer words ("if postmenopausal: X") are those of the facts as stated
            "scenarios": list(stated_plan.scenarios),
            "summary": summary,
            "options": keep,
            "conditional_options": [*held, *inferred_plan.conditional_options],
            "not_recommended": [*inferred_plan.not_recommended, *rejected],
        }
    )
    return plan, said
