"""Act stage: turn the fired rules' actions into plan items (before safety and
de-duplication); UNKNOWN rules' options become conditional options (what they need)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from mbc.engine._items import (
    ItemCache,
    built,
    citations,
    drug_names,
    evidence_text,
    field_of,
    shared_trace,
)
from mbc.engine.context import EvalContext
from mbc.knowledge._index import has_room
from mbc.knowledge.loader import KnowledgeBase
from mbc.knowledge.schema import AlertAction, AvoidAction, OptionAction, Rule, SupportiveAction, WorkupAction
from mbc.model.plan import (
    Alert,
    ConditionalOption,
    NotRecommended,
    Option,
    SupportiveItem,
    WorkupItem,
)

__all__ = ["stage_act"]


class _Statics(dict[tuple[str, int], dict[str, Any]]):
    """The static fields of the item each (rule, action) makes (per KB)."""


def _option_parts(kb: KnowledgeBase, r: Rule, a: OptionAction) -> dict[str, Any]:
    """What an option and a conditional option (one needing data) show alike."""
    reg_id = "+".join((a.option, *a.add))
    return {
        "id": f"{r.id}:{reg_id}",
        "regimen": reg_id,
        "name": kb.regimen_name(reg_id),
        "drugs": drug_names(kb, kb.regimen_drugs(reg_id)),
        "category": a.category,
    }


def _option(kb: KnowledgeBase, r: Rule, a: OptionAction) -> dict[str, Any]:
    reg_id = "+".join((a.option, *a.add))
    return {
        **_option_parts(kb, r, a),
        "components": [drug_names(kb, c) for c in kb.regimen_components(reg_id)],
        "rationale": r.rationale.strip(),
        "evidence": evidence_text(kb, r.evidence.level, r.evidence.citations),
        "evidence_level": r.evidence.level,
        "note": a.note,
    }


def _avoid(kb: KnowledgeBase, r: Rule, a: AvoidAction) -> dict[str, Any]:
    drug_ids = list(a.drugs) or (list(kb.regimen_drugs(a.avoid)) if a.avoid else [])
    return {
        "id": f"{r.id}:{a.avoid or '+'.join(a.drugs)}",
        "regimen": a.avoid,
        "name": kb.regimen_name(a.avoid) if a.avoid else None,
        "drugs": drug_names(kb, drug_ids),
        "reason": a.reason.strip(),
        "kind": "not_indicated",
    }


def _workup(kb: KnowledgeBase, r: Rule, a: WorkupAction) -> dict[str, Any]:
    test = kb.term("tests", a.workup)
    name = test.name if test else a.workup
    return {"id": a.workup, "name": name, "reason": a.reason.strip(), "urgency": a.urgency}


def _supportive(kb: KnowledgeBase, r: Rule, a: SupportiveAction) -> dict[str, Any]:
    item = kb.term("supportive", a.supportive)
    name = item.name if item else a.supportive
    return {"id": a.supportive, "name": name, "detail": a.detail.strip(), "drugs": drug_names(kb, a.drugs)}


def _alert(kb: KnowledgeBase, r: Rule, a: AlertAction) -> dict[str, Any]:
    return {
        "severity": a.severity,
        "code": a.alert,
        "message": a.message.strip(),
        "drugs": drug_names(kb, a.drugs),
    }


# Action class -> (bucket, item class, the item's static fields). Buckets: options, avoid,
# workup, supportive, alerts; options (bucket 0) also take the patient's line.
_ACTIONS: dict[type[Any], tuple[int, type[Any], Callable[..., dict[str, Any]]]] = {
    OptionAction: (0, Option, _option),
    AvoidAction: (1, NotRecommended, _avoid),
    WorkupAction: (2, WorkupItem, _workup),
    SupportiveAction: (3, SupportiveItem, _supportive),
    AlertAction: (4, Alert, _alert),
}


def _static_parts(kb: KnowledgeBase, r: Rule, idx: int, a: Any) -> dict[str, Any]:
    """The patient-independent fields of the item an action produces (cached per KB)."""
    cache = kb.attached(_Statics)
    key = (r.id, idx)
    found = cache.get(key)
    if found is None:
        found = cache[key] = {
            **_ACTIONS[type(a)][2](kb, r, a),
            "citations": citations(kb, getattr(a, "citations", ()) or r.evidence.citations),
        }
    return found


_Made = tuple[int, type[Any], dict[str, Any]]


@dataclass
class _ActIndex:
    """Per rule, the static part of what its actions make (per KB)."""

    made: dict[int, tuple[_Made, ...]] = field(default_factory=dict)
    conditional: dict[int, tuple[dict[str, Any], ...]] = field(default_factory=dict)
    waiting: dict[tuple[int, frozenset[str]], tuple[ConditionalOption, ...]] = field(default_factory=dict)
    # (id(outcome), id(rule), line type, line) -> (outcome, rule, (bucket, item) pairs)
    by_outcome: dict[tuple[Any, ...], tuple[Any, Rule, tuple[tuple[int, Any], ...]]] = field(
        default_factory=dict
    )

    def fired(self, kb: KnowledgeBase, r: Rule) -> tuple[_Made, ...]:
        found = self.made.get(id(r))
        if found is None:
            out: list[_Made] = []
            for idx, a in enumerate(r.then):
                bucket, cls, _ = _ACTIONS[type(a)]
                parts = _static_parts(kb, r, idx, a)
                # validated here, once per KB: the items stage_act builds from these values
                # are then the models validation makes
                probe = cls(**parts, line=None, trace=[]) if bucket == 0 else cls(**parts, trace=[])
                out.append((bucket, cls, {k: getattr(probe, k) for k in parts}))
            found = self.made[id(r)] = tuple(out)
        return found

    def unknown(self, kb: KnowledgeBase, r: Rule) -> tuple[dict[str, Any], ...]:
        found = self.conditional.get(id(r))
        if found is None:
            out: list[dict[str, Any]] = []
            for a in r.then:
                if isinstance(a, OptionAction):
                    out.append({**_option_parts(kb, r, a), "rule": f"{r.id}@{r.version}"})
            found = self.conditional[id(r)] = tuple(out)
        return found

    def conditional_options(
        self, kb: KnowledgeBase, r: Rule, statics: tuple[dict[str, Any], ...], missing: frozenset[str]
    ) -> tuple[ConditionalOption, ...]:
        """The conditional options of an UNKNOWN rule (a function of the rule and the
        facts it lacks: made once per KB)."""
        key = (id(r), missing)
        found = self.waiting.get(key)
        if found is None:
            needs = sorted({field_of(kb, m) for m in missing})
            found = tuple(ConditionalOption(**parts, needs=needs) for parts in statics)
            if has_room(self.waiting):
                self.waiting[key] = found
        return found


def stage_act(ctx: EvalContext) -> EvalContext:
    """Turn fired rules' actions into plan items (before safety and de-duplication)."""
    kb = ctx.kb
    index = kb.attached(_ActIndex)
    line = ctx.facts.get("line.metastatic", ctx.facts.get("line"))
    line = int(line) if isinstance(line, int) else None  # as Option validates it (a bool as 0/1)
    made: tuple[list[Any], ...] = ([], [], [], [], [])
    items = kb.attached(ItemCache).items
    by_outcome = index.by_outcome
    for f in ctx.fired:
        r = f.rule
        # what a rule makes is a function of the rule, its outcome and the line: outcomes
        # are shared by patients (Recall), so the same outcome object makes the same items
        seen_key = (id(f.outcome), id(r), type(line), line)
        seen = by_outcome.get(seen_key)
        if seen is not None and seen[0] is f.outcome and seen[1] is r:
            for bucket, item in seen[2]:
                made[bucket].append(item)
            continue
        trace, key = shared_trace(kb, r.id, r.version, f.outcome)
        pairs: list[tuple[int, Any]] = []
        for n, (bucket, cls, parts) in enumerate(index.fired(kb, r)):
            # an item is a function of its rule's action, its trace and (options) the line
            item_key = (key, n, type(line), line) if key is not None else None
            item = items.get(item_key) if item_key is not None else None
            if item is None:
                # the static parts were validated (fired), the trace is a Trace and the line
                # an int or None: built without validating again (engine._items.built)
                values = (
                    {**parts, "line": line, "trace": [trace]} if bucket == 0 else {**parts, "trace": [trace]}
                )
                item = built(cls, values)
                if item_key is not None and has_room(items):
                    items[item_key] = item
            made[bucket].append(item)
            pairs.append((bucket, item))
        if key is not None and has_room(by_outcome):  # held: the ids stay theirs
            by_outcome[seen_key] = (f.outcome, r, tuple(pairs))
    conditional: list[ConditionalOption] = []
    for f in ctx.unknown:
        statics = index.unknown(kb, f.rule)
        if statics:
            conditional.extend(index.conditional_options(kb, f.rule, statics, f.outcome.missing))
    options, avoid, workup, supportive, alerts = made
    added = ctx.appended(not_recommended=avoid, workup=workup, supportive=supportive, alerts=alerts)
    return ctx.evolve(options=tuple(options), conditional=tuple(conditional), **added)
