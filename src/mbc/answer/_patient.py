"""Answers in plain words for patients (reading grade 6 or below, no doses).

Words come from ``knowledge/answer/patient.yaml``, the ``plain`` fields of the other answer
files, and the patient view of the plan (:mod:`mbc.render.patient`, ``knowledge/patient``).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from mbc.answer._clinician import Draft, _special
from mbc.answer._schema import AnswerKB
from mbc.answer._understand import Understanding
from mbc.knowledge.classes import nearest_class
from mbc.knowledge.loader import KnowledgeBase, read_yaml
from mbc.model.plan import Plan
from mbc.render.patient import build_patient_view

__all__ = ["answer_for_patient"]


def _class_words(kb: KnowledgeBase, drug_id: str) -> str | None:
    path = Path(kb.path) / "patient" / "classes.yaml"
    if not path.is_file():
        return None
    classes: dict[str, Any] = read_yaml(path).get("classes", {})
    cl = nearest_class(kb, drug_id, classes)  # the nearest class with plain words
    return f"It is a {classes[cl]['plain']}. {classes[cl]['what']}" if cl is not None else None


def _interaction_words(kb: KnowledgeBase, verdicts: dict[str, str], u: Understanding) -> str:
    """The interaction verdict in the words of the first ``interaction.<class>`` entry (file
    order) whose class a drug asked about has - an inhibitor raises the cancer drug's level, an
    inducer lowers it; the general ``interaction`` words when none matches."""
    classes = set().union(*(kb.drug_classes_of(d) for d in u.drugs)) if u.drugs else set()
    for key, said in verdicts.items():
        if key.startswith("interaction.") and key.split(".", 1)[1] in classes:
            return said
    return verdicts["interaction"]


def _watch(kb: KnowledgeBase, akb: AnswerKB, u: Understanding) -> list[Any]:
    """The monitoring entries of the drugs and classes asked about, most specific first (one per plain
    text)."""
    out: list[Any] = []
    for did in u.drugs:
        classes = kb.drug_classes_of(did)
        out += [m for m in akb.monitoring.entries if did in m.drugs or classes & set(m.classes)]
    out += [m for cl in u.classes for m in akb.monitoring.entries if cl in m.classes]
    seen: dict[str, Any] = {}
    for m in out:
        seen.setdefault(m.plain, m)
    return list(seen.values())


def _options(kb: KnowledgeBase, plan: Plan) -> list[str]:
    view = build_patient_view(plan, kb)
    out: list[str] = []
    seen: set[tuple[str, str]] = set()
    for sec in view.sections:
        for opt in sec.options:
            plain = opt.title.split(": ", 1)[-1]
            if (plain, opt.category) in seen or len(out) >= 3:
                continue  # the same words for two drugs of one kind say nothing new
            seen.add((plain, opt.category))
            out.append(f"{plain} ({opt.category.lower()}). " + " ".join(opt.what[:1]))
    return out


def _reason_words(kb: KnowledgeBase, akb: AnswerKB, plan: Plan, u: Understanding, clin: Draft) -> list[str]:
    """Session 12: the plain words of the verdict entry the clinician answer gave (its reason is in the
    clinician text), so a patient "no" or "only if" says why in plain words."""
    v = _special(kb, akb, plan, u)
    if v is None or not v.plain or v.verdict != clin.verdict or v.reason.split(" - ")[0] not in clin.text:
        return []
    return [v.plain]


def answer_for_patient(
    intent: str,
    kb: KnowledgeBase,
    akb: AnswerKB,
    plan: Plan,
    u: Understanding,
    clin: Draft,
    *,
    has_patient: bool,
) -> Draft:
    """The patient answer for an intent; ``clin`` is the clinician answer it is based on."""
    words = akb.patient
    intros = words.intros
    urgent = [intros["urgent"]] if any(a.severity == "critical" for a in plan.alerts) else []
    ask = list(words.ask_team[:3])
    if intent == "definition":
        terms = [t for t in akb.definitions.terms if t.id in u.terms]
        return Draft(text=terms[0].plain if terms else intros["definition"], follow_up=ask)
    if intent == "dose":
        return Draft(text=intros["dose"], points=urgent, follow_up=ask)
    if intent == "appropriate":
        verdict = clin.verdict or "depends"
        if verdict == "no" and "interaction" in clin.text.split(" - ")[0]:
            said = _interaction_words(kb, words.verdicts, u)
            return Draft(text=said, points=urgent, verdict="no", verdict_text=said, follow_up=ask)
        points = urgent + _reason_words(kb, akb, plan, u, clin)
        points += [w for d in u.drugs if (w := _class_words(kb, d))][:2]
        if verdict in ("yes", "certain_circumstances"):  # session 10: how the drug is watched
            points += [m.plain for m in _watch(kb, akb, u)[:1]]
        if verdict == "depends" and plan.classification.subtype == "unknown":
            points += list(akb.overview.patient.by_type)
        return Draft(text=words.verdicts[verdict], points=points, verdict=clin.verdict,
                     verdict_text=words.verdicts[verdict], follow_up=ask)  # fmt: skip
    if intent == "side_effects":
        seen = [m.plain for m in _watch(kb, akb, u)]
        return Draft(
            text=seen[0] if seen else intros["side_effects"], points=urgent + seen[1:3], follow_up=ask
        )
    defs = [t.plain for t in akb.definitions.terms if t.id in u.terms]
    if intent in ("tests", "response", "trials"):
        return Draft(text=intros[intent], points=urgent + defs[:2], follow_up=ask)
    if intent == "overview" or not has_patient:
        ov = akb.overview.patient
        return Draft(
            text=" ".join(ov.intro), points=urgent + list(ov.by_type) + list(ov.other), follow_up=ask
        )
    options = _options(kb, plan)
    if not options:
        ov = akb.overview.patient
        if urgent:  # session 6: something urgent comes before "we need more facts"
            return Draft(text=urgent[0], points=[intros["next_treatment_none"], *ov.by_type], follow_up=ask)
        return Draft(text=intros["next_treatment_none"], points=urgent + list(ov.by_type), follow_up=ask)
    return Draft(text=intros["next_treatment"], points=urgent + options, follow_up=ask)
