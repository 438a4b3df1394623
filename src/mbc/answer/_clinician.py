"""Answers for clinicians, one function per intent. Each returns a :class:`Draft`; the
wording of the clinical content comes from the plan (rules, safety, doses) and from
``knowledge/answer``; nothing clinical is written here."""

from __future__ import annotations

import dataclasses
import re
from dataclasses import dataclass, field
from typing import Any

from mbc.answer._checks import dose_stops, refusing, safety_hits
from mbc.answer._evidence import trial_evidence
from mbc.answer._held import held_lines, needs_text
from mbc.answer._model import VERDICT_WORDS, Citer, VerdictId
from mbc.answer._monitor import key_checks
from mbc.answer._overview import overview_points
from mbc.answer._schema import AnswerKB
from mbc.answer._understand import Understanding
from mbc.engine.assume import assumption_index
from mbc.engine.doses import dose_line
from mbc.knowledge.doses import load_doses
from mbc.knowledge.loader import KnowledgeBase
from mbc.logic import Truth
from mbc.model.plan import Option, Plan

__all__ = ["Draft", "answer_for_clinician", "matching_options"]

_CATEGORY = {
    "preferred": "preferred",
    "other": "other recommended",
    "certain_circumstances": "certain-circumstances",
    "held": "held-back",
}
_ORDER = {"preferred": 0, "other": 1, "certain_circumstances": 2}
_URGENCY = {"emergency": 0, "soon": 1, "routine": 2}


@dataclass
class Draft:
    text: str
    points: list[str] = field(default_factory=list)
    verdict: VerdictId | None = None
    verdict_text: str | None = None
    follow_up: list[str] = field(default_factory=list)


def _names(kb: KnowledgeBase, ids: list[str]) -> list[str]:
    return [kb.drugs[i].name for i in ids if i in kb.drugs]


def _drug_has_class(kb: KnowledgeBase, drug_name: str, classes: list[str]) -> bool:
    did = kb.lookup_drug(drug_name)
    return did is not None and bool(kb.drug_classes_of(did) & set(classes))


def _asked_in(kb: KnowledgeBase, u: Understanding, names: set[str], drugs: list[str]) -> bool:
    """A drug (or a drug of a class) asked about is among ``drugs``."""
    return bool(names & set(drugs)) or any(_drug_has_class(kb, d, u.classes) for d in drugs)


def _covers(kb: KnowledgeBase, drugs: list[str], u: Understanding) -> bool:
    names = _names(kb, u.drugs)
    if any(n not in drugs for n in names):
        return False
    return all(any(_drug_has_class(kb, d, [c]) for d in drugs) for c in u.classes)


def matching_options(kb: KnowledgeBase, plan: Plan, u: Understanding) -> list[Option]:
    """Options containing every drug (and a drug of every class) asked about, best first."""
    found = [o for o in plan.options if _covers(kb, o.drugs, u)]
    if u.alone:  # "just <drug>": no other part of a regimen, nothing left out
        asked = set(_names(kb, u.drugs))

        def left_out(d: str) -> bool:
            return _drug_has_class(kb, d, u.excluded) or kb.lookup_drug(d) in u.excluded

        found = [
            o for o in found
            if all(asked & set(comp) for comp in o.components) and not any(left_out(d) for d in o.drugs)
        ]  # fmt: skip
    return sorted(found, key=lambda o: _ORDER.get(o.category, 3))


def _components(kb: KnowledgeBase, regimen: str) -> list[list[str]]:
    try:
        return [[kb.drugs[d].name for d in comp] for comp in kb.regimen_components(regimen)]
    except KeyError:
        return []


def _follow_up(plan: Plan, limit: int = 3) -> list[str]:
    order = {"treatment": 0, "safety": 1, "workup": 2}
    items = sorted(plan.missing_information, key=lambda m: order.get(m.priority, 3))
    return [m.ask or m.why for m in items[:limit] if (m.ask or m.why)]


def _critical(plan: Plan, c: Citer) -> list[str]:
    return [
        f"URGENT: {a.message}" + (f" {a.action}" if a.action else "") + c.ref(a.citations)
        for a in plan.alerts
        if a.severity == "critical"
    ]


def _option_line(o: Option, c: Citer) -> str:
    return f"{o.name} ({_CATEGORY.get(o.category, o.category)}): {o.rationale.strip()}{c.ref(o.citations)}"


def _branch_lines(plan: Plan) -> list[str]:
    """The plan's scenarios in words: one line per branch; a test is named once."""
    out: list[str] = []
    tests: set[str] = set()
    for sc in plan.scenarios:
        line = f"{sc.label[:1].upper()}{sc.label[1:]}: {', '.join(sc.names) or 'no preferred option'}"
        if sc.test and sc.test not in tests:
            tests.add(sc.test)
            line += f" (test: {sc.test})"
        out.append(line)
    return out


def _depends_on(kb: KnowledgeBase, plan: Plan) -> str:
    fields = [f for sc in plan.scenarios if not sc.test for f in sc.if_]
    index = assumption_index(kb)
    return " and ".join(dict.fromkeys(index.label(f) for f in fields)) or "a fact not given"


def next_treatment(kb: KnowledgeBase, akb: AnswerKB, plan: Plan, u: Understanding, c: Citer) -> Draft:
    points = _critical(plan, c)
    opts = sorted(plan.options, key=lambda o: _ORDER.get(o.category, 3))
    if opts:
        best = [o for o in opts if o.category == opts[0].category]
        label = _CATEGORY.get(opts[0].category, "")
        qualifier = f" ({best[0].qualifier})" if best[0].qualifier else ""
        text = (
            f"{label.capitalize()}: "
            + "; ".join(o.name for o in best[:4])
            + qualifier
            + c.ref([x for o in best[:4] for x in o.citations[:2]])
        )
        seen: set[str] = set()
        for o in opts[:5]:
            if o.rationale in seen:
                points.append(
                    f"{o.name} ({_CATEGORY.get(o.category, o.category)}) - same reasoning"
                    + c.ref(o.citations[:1])
                )
            else:
                seen.add(o.rationale)
                points.append(_option_line(o, c))
        points.extend(_branch_lines(plan))
        points.extend(key_checks(kb, akb, [x for o in best[:4] for x in o.drugs], c))
        points.extend(held_lines(kb, plan, u, akb.intents.field_labels))
        for n in plan.not_recommended[:3]:
            what = n.name or ", ".join(n.drugs)
            points.append(f"Not recommended: {what} - {n.reason.strip()}{c.ref(n.citations)}")
        return Draft(text=text, points=points, follow_up=_follow_up(plan))
    if any(not sc.test for sc in plan.scenarios):
        # a branch on an unstated fact (HER2 status, menopausal status ...): answer per branch
        branches = [sc for sc in plan.scenarios if not sc.test]
        text = f"Depends on {_depends_on(kb, plan)} - " + "; ".join(
            f"{sc.label}: {', '.join(sc.names) or 'no preferred option'}" for sc in branches
        )
        points.extend(_branch_lines(plan))
        return Draft(
            text=text, points=points, verdict="depends", verdict_text=text, follow_up=_follow_up(plan)
        )
    cond = sorted(plan.conditional_options, key=lambda o: _ORDER.get(o.category, 3))
    needs = list(dict.fromkeys(n for o in cond for n in o.needs))
    text = (
        "No option can be named from the facts given; it depends on "
        + (needs_text(plan, needs[:4], akb.intents.field_labels) or "the tumour subtype (ER, PR, HER2)")
        + "."
    )
    for o in cond[:5]:
        points.append(
            f"If known ({needs_text(plan, o.needs, akb.intents.field_labels)}): "
            f"{o.name} ({_CATEGORY.get(o.category, o.category)})"
        )
    return Draft(text=text, points=points, verdict="depends", verdict_text=text, follow_up=_follow_up(plan))


def _special(kb: KnowledgeBase, akb: AnswerKB, plan: Plan, u: Understanding) -> Any:
    asked = set(u.drugs)
    asked_classes = set(u.classes) | {cl for d in u.drugs for cl in kb.drug_classes_of(d)}
    for v in akb.verdicts.verdicts:
        if not (asked & set(v.drugs) or asked_classes & set(v.classes)):
            continue
        if v.unless is not None and v.unless.truth(plan.facts) is Truth.TRUE:
            continue
        if v.alone and not u.alone:
            continue
        if asked_classes & set(v.met_by):
            continue
        if v.when.truth(plan.facts) is Truth.TRUE:
            return v
    return None


def appropriate(kb: KnowledgeBase, akb: AnswerKB, plan: Plan, u: Understanding, c: Citer) -> Draft:
    names = _names(kb, u.drugs) + [kb.drug_classes[x].name for x in u.classes if x in kb.drug_classes]
    what = " + ".join(names) or "this treatment"
    points = _critical(plan, c)
    asked_names = set(_names(kb, u.drugs))
    nr = [n for n in plan.not_recommended if _asked_in(kb, u, asked_names, n.drugs)]
    opts = matching_options(kb, plan, u)
    alerts = [a for a in plan.alerts if asked_names & set(a.drugs) and a.severity != "critical"]
    contraindicated = refusing(nr, opts, asked_names)
    cond = [x for x in plan.conditional_options if _covers(kb, x.drugs, u)]
    # a combination not recommended for its other drug does not refuse the drug asked about while a
    # conditional option still offers that drug (it "depends" then)
    refused = [n for n in nr if not cond or set(n.drugs) <= asked_names]
    hits = safety_hits(kb, plan, u)
    stops = dose_stops(kb, plan, u)
    verdict: VerdictId
    if stops and not contraindicated and not hits:
        verdict = "no"
        text = f"No - {what}: " + " ".join(t for t, _ in stops) + c.ref([x for _, cs in stops for x in cs])
    elif hits and not contraindicated:
        h = hits[0]
        verdict = "no"
        kind = "drug interaction" if h.effect == "caution" else "contraindicated"
        text = (
            f"No ({kind}) - {what}: {h.message.strip()}"
            + (f" {h.action.strip()}" if h.action else "")
            + c.ref(h.evidence.citations)
        )
        points += [f"Also: {x.message.strip()}{c.ref(x.evidence.citations)}" for x in hits[1:3]]
    elif contraindicated or (refused and not opts):
        # the entry a safety check of the asked drug itself blocked gives the reason, if any does
        hit_ids = {h.id for h in hits}
        own = [x for x in contraindicated if any(t.rule in hit_ids for t in x.trace)]
        n = (own or contraindicated or refused)[0]
        verdict, text = "no", f"No - {what}: {n.reason.strip()}{c.ref(n.citations)}"
        points += [_option_line(o, c) for o in sorted(plan.options, key=lambda o: _ORDER[o.category])[:3]]
    elif opts:
        o = opts[0]
        covered = set(asked_names)
        extra = [comp for comp in o.components if not covered & set(comp)]
        adds = "; ".join(" or ".join(comp) for comp in extra)
        verdict = "certain_circumstances" if o.category == "certain_circumstances" else "yes"
        lead = VERDICT_WORDS[verdict]
        if extra and len(u.drugs) >= 2:  # the regimen asked about is incomplete
            verdict, lead = "certain_circumstances", f"Only with {adds}"
        kind = ("an " if o.category == "other" else "a ") + _CATEGORY[o.category]
        text = f"{lead} - {o.name} is {kind} option here: {o.rationale.strip()}{c.ref(o.citations)}"
        if extra:
            points.append(f"Add: {adds} (part of this regimen){c.ref(o.citations[:1])}")
        if o.note:
            points.append(o.note)
        mon = _monitoring_entries(kb, akb, u)[:1]  # session 10: a "yes" says how the drug is watched
        points += [f"Monitoring: {m.monitoring}{c.ref(m.citations)}" for m in mon]
        better = [x for x in plan.options if _ORDER[x.category] < _ORDER[o.category]]
        points += [f"Preferred instead: {_option_line(x, c)}" for x in better[:2]]
    elif support := [s for s in plan.supportive_care if _asked_in(kb, u, asked_names, s.drugs)]:
        s0 = support[0]
        verdict = "yes"
        text = f"Yes - {s0.name}: {s0.detail.strip()}{c.ref(s0.citations)}"
        held = [a for a in alerts if a.severity == "warning" and a.code.startswith("safety.")]
        if held:  # session 9: a safety check of the supportive drug fired on a stated fact: put right first
            a0 = held[0]
            verdict = "no"
            text = f"Not yet - {what}: {a0.message.strip()} {a0.action or ''}".rstrip() + c.ref(a0.citations)
            alerts = [a for a in alerts if a is not a0]
            points.append(f"Then: {s0.name}: {s0.detail.strip()}{c.ref(s0.citations)}")
    else:
        special = _special(kb, akb, plan, u)
        if special is not None:
            verdict = special.verdict
            lead = VERDICT_WORDS[verdict]
            text = f"{lead} - {what}: {special.reason.strip()}{c.ref(special.citations)}"
        elif cond:
            verdict = "depends"
            need = needs_text(plan, cond[0].needs[:3], akb.intents.field_labels)
            kind = ("an " if cond[0].category == "other" else "a ") + _CATEGORY[cond[0].category]
            need = need if need[1:2].isupper() else need[:1].lower() + need[1:]  # "HER2 status" kept
            text = f"Depends on {need}: {cond[0].name} would be {kind} option if confirmed."
            extra = [
                comp for comp in _components(kb, cond[0].regimen) if not set(_names(kb, u.drugs)) & set(comp)
            ]
            if extra:
                points.append(
                    "Add: " + "; ".join(" or ".join(comp) for comp in extra) + " (part of this regimen)"
                )
        elif plan.classification.subtype == "unknown":
            verdict = "depends"
            text = f"Depends on the tumour subtype (ER, PR and HER2) - not given, so {what} cannot be placed."
        else:
            verdict = "no"
            text = f"No - {what} is not among the guideline options for this situation."
        points += [
            f"Instead: {_option_line(x, c)}"
            for x in sorted(plan.options, key=lambda o: _ORDER[o.category])[:3]
        ]
    for a in alerts[:3]:
        points.append(f"Caution: {a.message}" + (f" {a.action}" if a.action else "") + c.ref(a.citations))
    # session 12: the key check of the drug asked
    if verdict in ("depends", "certain_circumstances") and not any(
        x.startswith("Monitoring") for x in points
    ):
        points += key_checks(kb, akb, list(u.drugs), c, limit=1)
    vt = text.split(" - ")[0] if verdict != "depends" else text.split(":")[0]
    return Draft(text=text, points=points, verdict=verdict, verdict_text=vt, follow_up=_follow_up(plan))


def dose(kb: KnowledgeBase, akb: AnswerKB, plan: Plan, u: Understanding, c: Citer) -> Draft:
    tables = load_doses(kb)
    drugs = [d for d in u.drugs if kb.drugs[d].cancer_drug] or list(u.drugs)
    drugs = drugs or [d for d in kb.drugs if kb.drug_classes_of(d) & set(u.classes)][:3]
    opts = matching_options(kb, plan, u)
    contexts = tuple(p for o in opts for p in o.regimen.split("+"))
    lines: list[str] = []
    first = ""
    for did in drugs:
        entry = tables.find(did, contexts)
        if entry is None:
            lines.append(f"{kb.drugs[did].name}: no dose in the knowledge base - use the current label.")
            continue
        d = dose_line(kb, entry, plan.facts, tables)
        line = f"{d.drug}: {d.dose}; {d.schedule}"
        if d.computed:
            line += f"; for this patient: {d.computed}"
        line += c.ref(d.citations)
        applied, _, checks = (d.adjustment or "").partition("Check (data not recorded):")
        if applied.strip():
            line = f"{line}. For this patient: {applied.strip()}"
        lines.append(line)
        if checks.strip():
            lines.append(f"Check (not recorded in the question): {checks.strip()}")
        first = first or line
    names = set(_names(kb, drugs))
    nr = [n for n in plan.not_recommended if names & set(n.drugs)]
    stop = [(n.reason, n.citations) for n in refusing(nr, opts, names)] + dose_stops(kb, plan, u)
    if stop:
        # a dose question about a drug this patient must not have: the answer is no, at any dose
        reason, cites = stop[0]
        what = " + ".join(_names(kb, drugs))
        text = f"No - {what}: {reason.strip()}{c.ref(list(cites))}"
        points = [*_critical(plan, c), *(f"Label dose (not for this patient): {x}" for x in lines[:1])]
        points.append("Verify every dose against the current label before prescribing.")
        return Draft(
            text=text, points=points, verdict="no", verdict_text=f"No - {what}", follow_up=_follow_up(plan)
        )
    points = _critical(plan, c) + lines[1:] if first else _critical(plan, c) + lines
    for n in nr[:2]:
        points.append(f"Not recommended for this patient: {n.reason.strip()}{c.ref(n.citations)}")
    points.append("Verify every dose against the current label before prescribing.")
    return Draft(
        text=first or (lines[0] if lines else "No drug named."), points=points, follow_up=_follow_up(plan)
    )


def _monitoring_entries(kb: KnowledgeBase, akb: AnswerKB, u: Understanding) -> list[Any]:
    out: list[Any] = []
    for did in u.drugs:
        classes = kb.drug_classes_of(did)
        out += [m for m in akb.monitoring.entries if did in m.drugs and m not in out]
        out += [m for m in akb.monitoring.entries if classes & set(m.classes) and m not in out]
    for cl in u.classes:
        out += [m for m in akb.monitoring.entries if cl in m.classes and m not in out]
    return out


def side_effects(kb: KnowledgeBase, akb: AnswerKB, plan: Plan, u: Understanding, c: Citer) -> Draft:
    entries = _monitoring_entries(kb, akb, u)
    if not entries:
        return Draft(
            text="No side-effect summary is stored for this drug; see its label.", follow_up=_follow_up(plan)
        )
    m = entries[0]
    points = [f"Monitoring: {m.monitoring}{c.ref(m.citations)}"]
    for extra in entries[1:3]:
        points.append(
            f"Also ({extra.id.split('.')[-1]}): {extra.effects} {extra.monitoring}{c.ref(extra.citations)}"
        )
    names = set(_names(kb, u.drugs))
    for a in plan.alerts:
        if names & set(a.drugs):
            points.append(f"For this patient: {a.message}{c.ref(a.citations)}")
    for s in plan.supportive_care:
        if names & set(s.drugs) or any(n.lower() in s.detail.lower() for n in names):
            points.append(f"Supportive care: {s.name} - {s.detail.strip()}{c.ref(s.citations)}")
    return Draft(
        text=f"Main side effects: {m.effects}{c.ref(m.citations)}",
        points=points[:8],
        follow_up=_follow_up(plan),
    )


def tests(
    kb: KnowledgeBase, akb: AnswerKB, plan: Plan, u: Understanding, c: Citer, has_patient: bool
) -> Draft:
    focus = any(re.search(tf.pattern, u.question, re.IGNORECASE) for tf in akb.intents.test_focus)
    # tests before / on a named drug - unless the question names a kind of test ("which
    # biomarkers before choosing 2L?") and the drugs named are only the ones given before
    asked = [d for d in u.drugs if d not in u.prior_drugs]
    entries = _monitoring_entries(kb, akb, u) if asked or not (focus and has_patient) else []
    if entries:
        m = entries[0]
        points = [f"{e.monitoring}{c.ref(e.citations)}" for e in entries[1:3]]
        return Draft(text=f"Before and during treatment: {m.monitoring}{c.ref(m.citations)}", points=points)
    if not has_patient and not (focus and plan.workup):
        sec = next(s for s in akb.overview.sections if s.id == "assessment")
        return Draft(text=sec.points[0] + c.ref(sec.citations), points=list(sec.points[1:]))
    items = sorted(plan.workup, key=lambda w: _URGENCY.get(w.urgency, 3))
    items = [w for w in items if not w.id.startswith("response_")] or items
    for tf in akb.intents.test_focus:  # "which molecular tests?": those first
        if re.search(tf.pattern, u.question, re.IGNORECASE):
            items = sorted(items, key=lambda w: 0 if re.search(tf.ids, w.id) else 1)
            break
    refs = c.ref([x for w in items[:4] for x in w.citations[:1]])
    text = "Tests now: " + "; ".join(w.name for w in items[:4]) + refs
    points = [f"{w.name} ({w.urgency}): {w.reason.strip()}{c.ref(w.citations)}" for w in items[:8]]
    return Draft(text=text, points=points, follow_up=_follow_up(plan))


def response(kb: KnowledgeBase, akb: AnswerKB, plan: Plan, u: Understanding, c: Citer) -> Draft:
    sec = next(s for s in akb.overview.sections if s.id == "response")
    items = [w for w in plan.workup if w.id.startswith("response_")]
    if items:
        text = items[0].reason.strip() + c.ref(items[0].citations)
        points = [f"{w.name}: {w.reason.strip()}{c.ref(w.citations)}" for w in items[1:4]]
        points += [p + c.ref(sec.citations) for p in sec.points[1:]]
    else:
        text = sec.points[0] + c.ref(sec.citations)
        points = list(sec.points[1:])
    return Draft(text=text, points=points + [p for p in sec.points[1:] if p not in points])


def trials(kb: KnowledgeBase, akb: AnswerKB, plan: Plan, u: Understanding, c: Citer) -> Draft:
    if (evidence := trial_evidence(kb, akb, plan, u, c)) is not None:  # "which trial supports X?" (s. 11)
        return Draft(text=evidence[0], points=evidence[1])
    sec = next(s for s in akb.overview.sections if s.id == "trials")
    found = plan.trials
    lead = f"{len(found)} registered trial(s) match the facts given. " if found else ""
    text = lead + sec.points[0] + c.ref(sec.citations)
    points = [f"{t.get('id', '')} {t.get('title', '')}".strip() for t in found[:5]] + list(sec.points[1:])
    return Draft(text=text, points=points, follow_up=_follow_up(plan))


def definition(kb: KnowledgeBase, akb: AnswerKB, u: Understanding, c: Citer) -> Draft:
    terms = [t for t in akb.definitions.terms if t.id in u.terms]
    t = max(
        terms,
        key=lambda x: max(len(m.group(0)) for p in x.patterns for m in [re.search(p, u.question, re.I)] if m),
    )
    return Draft(text=f"{t.name}: {t.text}{c.ref(t.citations)}")


def answer_for_clinician(
    intent: str,
    kb: KnowledgeBase,
    akb: AnswerKB,
    plan: Plan,
    u: Understanding,
    c: Citer,
    *,
    has_patient: bool,
) -> Draft:
    """The clinician answer for an intent."""
    if intent == "overview":
        keys = ("subtype", "her2_status", "hr_status")
        known = {k: plan.facts[k] for k in keys if plan.facts.get(k) not in (None, "unknown")}
        if any(re.search(p, u.question, re.IGNORECASE) for p in akb.overview.all_subtypes):
            known = {}  # "by subtype (HR+/HER2-, HER2+, TNBC)": every group, not the last one read
        text, points = overview_points(kb, akb, c, known or None)
        return Draft(text=text, points=points)
    if intent == "definition":
        return definition(kb, akb, u, c)
    if intent == "tests":  # session 13: a critical alert (suspected cord compression) leads the tests answer
        d, urgent = tests(kb, akb, plan, u, c, has_patient), _critical(plan, c)
        if urgent:
            d = dataclasses.replace(d, text=urgent[0], points=[*urgent[1:], d.text, *d.points])
        return d
    handler = {
        "appropriate": appropriate, "dose": dose, "side_effects": side_effects,
        "response": response, "trials": trials,
    }.get(intent, next_treatment)  # fmt: skip
    if intent in ("dose", "side_effects") and not (u.drugs or u.classes):
        handler = next_treatment
    return handler(kb, akb, plan, u, c)
