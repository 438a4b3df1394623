"""Safety stage: check every option, and the drugs of supportive-care items, against the
safety rules (knowledge/safety/). Contraindicated / declined -> not_recommended; caution
-> alert; a check that cannot be decided -> missing information.

Also the one drug check for drugs about to be ordered (:func:`check_order`, used by the
service's order-sign hook), with the same applicability test and three-valued evaluation.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from mbc.engine._drug_checks import Finding, Found, SafetyMemo, check_drugs, safety_applies
from mbc.engine._grouped import _droppable, screen_option
from mbc.engine._items import (
    ItemCache,
    built,
    citations,
    copy_with,
    drug_names,
    field_of,
    jsonable,
    known_drugs,
    replaced,
    shared_trace,
    trace,
)
from mbc.engine._progression import Progression, progression_for, unlisted
from mbc.engine._stand_in import blocks_top, stand_in
from mbc.engine.context import EvalContext
from mbc.knowledge._index import has_room
from mbc.knowledge.conditions import OPERATORS, Outcome, iter_fact_tests
from mbc.knowledge.loader import KnowledgeBase
from mbc.knowledge.schema import SafetyRule
from mbc.logic import Truth
from mbc.model.plan import (
    Alert,
    Citation,
    ConditionalOption,
    MissingInfo,
    NotRecommended,
    Option,
    SupportiveItem,
)

__all__ = ["OrderFinding", "check_order", "safety_applies", "stage_safety"]


def _reason(s: SafetyRule) -> str:
    return s.message.strip() + (f" {s.action.strip()}" if s.action else "")


def _caution_alert(kb: KnowledgeBase, f: Finding) -> Alert:
    s = f.rule
    trace, key = shared_trace(kb, s.id, s.version, f.outcome)
    items = kb.attached(ItemCache).items
    item_key = ("alert", key, *f.hit) if key is not None else None
    found = items.get(item_key) if item_key is not None else None
    if found is None:
        found = Alert(
            severity=s.severity,
            code=s.id,
            message=s.message.strip(),
            action=s.action.strip() if s.action else None,
            drugs=drug_names(kb, f.hit),
            citations=citations(kb, s.evidence.citations),
            trace=[trace],
        )
        if item_key is not None and has_room(items):
            items[item_key] = found
    return found


def stage_safety(ctx: EvalContext) -> EvalContext:
    """Check every option, and the drugs of supportive-care items, against the safety rules.

    Contraindicated / declined -> the option moves to not_recommended (a supportive item
    loses that drug); caution -> alert; a check that cannot be decided -> missing information.
    """
    kb = ctx.kb
    facts = ctx.safety_facts  # the record as given: an assumption never switches safety off
    kept: list[Option] = []
    moved: list[NotRecommended] = []
    alerts: list[Alert] = []
    missing: list[MissingInfo] = []
    memo = SafetyMemo()
    made: dict[int, Alert] = {}  # one per finding, however many options it concerns

    def alert(f: Finding) -> Alert:
        found = made.get(id(f))
        if found is None:
            found = made[id(f)] = _caution_alert(kb, f)
        return found

    # issue 9: progression exclusion, grouped options split, critical caution -> "other"
    progression = progression_for(kb, facts, ctx.derived.therapies if ctx.derived else ())

    def check(ids: tuple[str, ...]) -> Found:
        found = check_drugs(kb, facts, ids, memo)
        if not progression.progressed:
            return found
        extra = [Finding(r, hit, None) for r, hit in progression.findings(kb, ids)]
        return ([*found[0], *extra], found[1], found[2]) if extra else found

    def names_of(ids: Sequence[str]) -> list[str]:
        return drug_names(kb, ids)

    partial: list[str] = []  # not_recommended ids that remove only some alternatives
    blocked: list[str] = []  # first-category options a contraindication removed (session 13)
    screens = kb.attached(_Screens)
    progressed = progression.progressed
    for opt in ctx.options:
        regimen = opt.regimen
        drug_ids = kb.regimen_drugs(regimen)  # remembered per KB
        screen_key = None
        found = memo.sets.get(drug_ids) or check_drugs(kb, facts, drug_ids, memo)
        if not found[0] and not (progressed and progression.findings(kb, drug_ids)):
            # nothing blocks (no check, no progression): the screening is a function of
            # the option and its drug set's findings
            screen_key = (id(opt), id(found))
            hit = screens.get(screen_key)
            if hit is not None and hit[0] is opt and hit[1] is found:
                screened = hit[2]
                if screened.missing:
                    missing.extend(screened.missing)
                if screened.cautions:
                    alerts.extend(map(alert, screened.cautions))
                kept.append(hit[3])
                continue
        screened = screen_option(kb, opt, drug_ids, check, names_of)
        missing.extend(screened.missing)
        alerts.extend(alert(f) for f in screened.cautions)
        # a patient-specific contraindication is also a safety alert (same code as the check)
        alerts.extend(
            alert(f)
            for f in screened.blocks
            if f.rule.effect == "contraindicated" and f.rule.progressed_on is None
        )
        for f in screened.blocks:
            moved.append(_moved(kb, f, opt, screened.dropped, progression.progressed))
            if screened.dropped:
                partial.append(moved[-1].id)
        if screened.option is None and blocks_top(kb, opt.category, screened.blocks):
            blocked.append(opt.name)
        if screened.option is not None:
            codes = [f.rule.id for f in screened.cautions]
            option = copy_with(kb, screened.option, "cautions", codes) if codes else screened.option
            kept.append(option)
            if screen_key is not None and has_room(screens):  # held: the ids stay theirs
                screens[screen_key] = (opt, found, screened, option)
    named: set[str] = set()
    if progression.progressed:
        named = {kb.lookup_drug(d) or d for n in (*ctx.not_recommended, *moved) for d in n.drugs}
    listed = kb.attached(_ProgressedEntries)
    for rule, drug in unlisted(progression, named) if progression.progressed else ():
        entry = listed.get((rule.id, drug))
        if entry is None:
            name = kb.drugs[drug].name
            entry = listed[(rule.id, drug)] = NotRecommended(
                id=f"{rule.id}:{drug}",
                name=name,
                drugs=[name],
                reason=f"Progressed on {name} (metastatic setting). {_reason(rule)}",
                kind="not_indicated",
                citations=citations(kb, rule.evidence.citations),
                trace=[trace(rule.id, rule.version, None)],
            )
        moved.append(entry)
        partial.append(entry.id)
    supportive: list[SupportiveItem] = []
    for item in ctx.supportive:
        ids = known_drugs(kb, item.drugs)
        blocks, cautions, need = check_drugs(kb, facts, ids, memo)
        missing.extend(need)
        alerts.extend(alert(f) for f in cautions)
        removed: set[str] = set()
        for f in blocks:
            names = drug_names(kb, f.hit)
            removed.update(names)
            moved.append(
                NotRecommended(
                    id=f"{f.rule.id}:{item.id}",
                    name=", ".join(names),
                    drugs=names,
                    reason=_reason(f.rule),
                    kind="declined" if f.rule.effect == "declined" else "contraindicated",
                    citations=citations(kb, f.rule.evidence.citations),
                    trace=[trace(f.rule.id, f.rule.version, f.outcome)],
                )
            )
        if removed and not [d for d in item.drugs if d not in removed]:
            continue  # every drug of the item is ruled out: not_recommended says why
        supportive.append(
            replaced(item, {"drugs": [d for d in item.drugs if d not in removed]}) if removed else item
        )
    conditional = _screen_conditional(kb, ctx, memo, facts, moved, partial, progression, blocked)
    critical = frozenset(a.code for a in (*ctx.alerts, *alerts) if a.severity == "critical")
    kept, conditional = stand_in(kb, ctx.options, kept, conditional, blocked, critical)
    added = ctx.appended(not_recommended=moved, alerts=alerts, missing=missing)
    return ctx.evolve(
        options=tuple(kept),
        conditional=conditional,
        supportive=tuple(supportive),
        partial_nr=ctx.partial_nr | frozenset(partial) if partial else ctx.partial_nr,
        **added,
    )


def _screen_conditional(
    kb: KnowledgeBase,
    ctx: EvalContext,
    memo: SafetyMemo,
    facts: dict[str, Any],
    moved: list[NotRecommended],
    partial: list[str],
    progression: Progression,
    blocked: list[str] | None = None,
) -> tuple[Any, ...]:
    """Session 7: an option that waits for a missing fact (a conditional option) is checked
    too. A contraindication of the record holds whatever the missing fact turns out to be,
    so a conditional option whose fixed drugs are contraindicated (or declined) is not shown
    as a possibility: it moves to not_recommended with the reason (a targeted drug for an
    insulin-treated patient whose menopausal status is unknown). A hit only on
    interchangeable alternatives of a group takes those alternatives out, as for an option
    (:func:`screen_option`); the option's entries then go into ``partial``. Progression
    exclusions count too (session 9): a recorded progression on a drug stays recorded, so
    "if visceral crisis: <a chemotherapy doublet>" is not shown to a patient whose disease
    grew through that combination (blind8 note w13's record)."""
    if not ctx.conditional:
        return ctx.conditional

    def blocking(ids: tuple[str, ...]) -> list[Finding]:
        found = [
            f
            for f in check_drugs(kb, facts, ids, memo)[0]
            if f.rule.progressed_on is None and _monotone(f.rule, facts)
        ]
        if progression.progressed:
            found.extend(Finding(r, hit, None) for r, hit in progression.findings(kb, ids))
        return found

    named = {n.id for n in (*ctx.not_recommended, *moved)}
    out = []
    for c in ctx.conditional:
        drug_ids = kb.regimen_drugs(c.regimen)
        blocks = blocking(drug_ids)
        if not blocks:
            out.append(c)
            continue
        dropped: tuple[str, ...] = ()
        drop = _droppable(kb, c.regimen, {d for f in blocks for d in f.hit})
        if drop is not None:
            more = blocking(tuple(d for d in drug_ids if d not in drop))
            if more:  # the other alternatives are blocked too: the whole option goes
                blocks = [*blocks, *more]
            else:
                dropped = tuple(d for d in drug_ids if d in drop)
                gone = drug_names(kb, dropped)
                shown = {
                    "drugs": [n for n in c.drugs if n not in gone],
                    "name": f"{c.name} - not {', '.join(gone)}",
                }
                out.append(replaced(c, shown))
        if not dropped and blocked is not None and blocks_top(kb, c.category, blocks):
            blocked.append(c.name)
        for f in blocks:
            entry = _moved(kb, f, c, dropped, progression.progressed)
            if entry.id not in named:
                named.add(entry.id)
                moved.append(entry)
                if dropped:
                    partial.append(entry.id)
    return tuple(out)


def _monotone(rule: SafetyRule, facts: dict[str, Any]) -> bool:
    """Whether the rule stays TRUE when more facts are recorded. Kleene logic is monotone, so
    only the operators that see missingness itself (``present`` / ``absent``) can turn a TRUE
    rule FALSE, and only while their fact is unrecorded: every such test must be on a fact
    already recorded (ECOG 3-4 blocks chemotherapy only while no visceral crisis is recorded,
    so it cannot rule out an option that waits for the crisis status; a recorded pregnancy
    stays recorded, so the pregnancy contraindication, whose ``pregnant absent`` test is then
    settled, does - session 8)."""
    return rule.when is None or all(
        not OPERATORS[t.op].sees_missing or t.fact in facts for t in iter_fact_tests(rule.when)
    )


class _Screens(dict[tuple[int, int], tuple[Option, Found, Any, Option]]):
    """(option id, id of its drug set's findings) -> (the option, the findings, the
    screening, the option kept), per KB, when nothing blocks it: options and findings are
    shared by patients, and the screening is then a pure function of the two."""


class _ProgressedEntries(dict[tuple[str, str], NotRecommended]):
    """(progression rule id, drug id) -> its "not re-offered" entry (per KB)."""


class _MovedEntries(dict[Any, tuple[Any, Any, NotRecommended]]):
    """Not-recommended entries made by safety findings that show no patient-specific value
    (per KB; the rule and option objects are held so their ids cannot be reused)."""


def _moved(
    kb: KnowledgeBase,
    f: Finding,
    opt: Option | ConditionalOption,
    dropped: tuple[str, ...],
    progressed: frozenset[str],
) -> NotRecommended:
    """The not_recommended entry for a finding that removed an option (or, with ``dropped``,
    only those alternatives of its group). Remembered per KB when its trace is shared."""
    s = f.rule
    on: list[str] = []
    if s.progressed_on is not None:
        on = [d for d in f.hit if d in progressed]
        # in drug id order: a set's order changes from one process to the next
        on = on or [d for d in sorted(progressed) if kb.drug_classes_of(d) & set(s.classes)]
    shown, trace_key = shared_trace(kb, s.id, s.version, f.outcome)
    shared = f.outcome is None or trace_key is not None
    key = (id(s), id(opt), tuple(f.hit), dropped, tuple(on), trace_key) if shared else None
    memo = kb.attached(_MovedEntries)
    hit = memo.get(key) if key is not None else None
    if hit is not None and hit[0] is s and hit[1] is opt:
        return hit[2]
    reason = _reason(s)
    if on:
        reason = f"Progressed on {', '.join(drug_names(kb, on))} (metastatic setting). {reason}"
    gone = [d for d in f.hit if d in dropped] if dropped else []
    kind = "declined" if s.effect == "declined" else "not_indicated" if s.progressed_on else "contraindicated"
    # strings, the option's (valid) names, resolved citations and a trace: built without
    # validating them again (a fresh list where validation would copy one)
    made = built(
        NotRecommended,
        {
            "id": f"{s.id}:{opt.regimen}" + (f"-{'-'.join(gone)}" if gone else ""),
            "regimen": None if dropped else opt.regimen,
            "name": f"{', '.join(drug_names(kb, gone))} (in {opt.name})" if dropped else opt.name,
            "drugs": drug_names(kb, gone) if dropped else list(opt.drugs),
            "reason": reason,
            "kind": kind,
            "citations": citations(kb, s.evidence.citations),
            "trace": [shown],
        },
    )
    if key is not None and has_room(memo):
        memo[key] = (s, opt, made)
    return made


@dataclass(frozen=True)
class OrderFinding:
    """A safety rule that concerns drugs about to be ordered: TRUE (it applies) or UNKNOWN
    (it needs data), with the drugs it is about and its explanation."""

    rule: SafetyRule
    truth: Truth
    hit: tuple[str, ...]
    outcome: Outcome | None
    citations: tuple[Citation, ...]

    def facts_used(self) -> dict[str, Any]:
        """The facts the rule read, as JSON shows them."""
        return dict(jsonable(self.outcome.used)) if self.outcome else {}

    def needs(self, kb: KnowledgeBase) -> list[str]:
        """The record fields that would decide it (empty when it applies)."""
        return sorted({field_of(kb, m) for m in self.outcome.missing}) if self.outcome else []


def check_order(
    kb: KnowledgeBase, facts: dict[str, Any], ordered: Sequence[str], ongoing: Sequence[str]
) -> list[OrderFinding]:
    """Safety rules that concern drugs about to be ordered, in KB order.

    The drug set is the ordered drugs plus the patient's ongoing therapy; a rule is
    reported only when it involves an ordered drug and its patient condition is not FALSE.
    """
    all_drugs = list(ordered) + [d for d in ongoing if d not in ordered]
    out: list[OrderFinding] = []
    for s in kb.active_safety:
        hit = safety_applies(kb, s, all_drugs)
        if not hit or not set(hit) & set(ordered):
            continue
        truth = s.when.truth(facts) if s.when is not None else Truth.TRUE
        if truth is Truth.FALSE:
            continue
        outcome = s.when.explain(facts) if s.when is not None else None
        out.append(OrderFinding(s, truth, tuple(hit), outcome, tuple(citations(kb, s.evidence.citations))))
    return out
