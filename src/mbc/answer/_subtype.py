"""A yes/no question about a drug that gives no full subtype ("is <drug> appropriate if
ESR1 is wild-type?", "is <drug> an option for HR+ MBC after one chemo line?"): the plan
is made once for each subtype the question's facts allow (``knowledge/answer/facts.yaml``,
``subtype_fills``); when the drug asked about has a place in some of them and the verdict is
the same in each, that verdict is the answer, for the subtype stated in the assumptions.
When the subtypes disagree the answer stays "depends on the subtype" (session 6). The plan
shown with the answer stays the one read from the question: no option is offered as preferred
for a subtype the question did not give."""

from __future__ import annotations

import copy
import datetime as dt
from typing import Any

from mbc.answer._clinician import Draft, _asked_in, _covers, _names, _special, answer_for_clinician
from mbc.answer._model import Citer
from mbc.answer._schema import AnswerKB
from mbc.answer._understand import Understanding
from mbc.engine import plan as make_plan
from mbc.errors import InputError
from mbc.knowledge.loader import KnowledgeBase
from mbc.logic import Truth
from mbc.model import parse_record
from mbc.model.paths import get_path

__all__ = ["answer_by_subtype", "implied_by_given", "other_subtype", "usual_leads"]


def _placed(kb: KnowledgeBase, plan: Any, u: Understanding) -> bool:
    """The drug (or class) asked about is offered, held for a fact, or rejected by this plan."""
    names = set(_names(kb, u.drugs))
    if any(_covers(kb, o.drugs, u) for o in (*plan.options, *plan.conditional_options)):
        return True
    return any(_asked_in(kb, u, names, n.drugs) for n in plan.not_recommended)


def _fill(record: dict[str, Any], fields: dict[str, Any]) -> dict[str, Any] | None:
    out = copy.deepcopy(record)
    for path, value in fields.items():
        have = get_path(out, path)
        if have is not None:
            if have != value:
                return None  # the question says otherwise: not this subtype
            continue
        node = out
        parts = path.split(".")
        for p in parts[:-1]:
            node = node.setdefault(p, {})
        node[parts[-1]] = value
    return out


def answer_by_subtype(
    record: dict[str, Any],
    plan: Any,
    kb: KnowledgeBase,
    akb: AnswerKB,
    u: Understanding,
    *,
    as_of: dt.date,
    no_assume: set[str],
) -> tuple[dict[str, Any], Any, list[str]]:
    """The record and plan to answer a yes/no question on, and what was assumed."""
    if plan.classification.subtype != "unknown" or not (u.drugs or u.classes) or not akb.facts.subtype_fills:
        return record, plan, []
    if _placed(kb, plan, u) or _special(kb, akb, plan, u) is not None:
        return record, plan, []  # the plan as read already answers it
    tried: list[tuple[Any, dict[str, Any], Any, str]] = []
    for fill in akb.facts.subtype_fills:
        filled = _fill(record, fill.set)
        if filled is None:
            continue
        try:
            p2 = make_plan(parse_record(filled), kb, as_of=as_of, no_assume=no_assume)
        except InputError:
            continue
        if not _placed(kb, p2, u):
            continue
        draft = answer_for_clinician("appropriate", kb, akb, p2, u, Citer(kb), has_patient=True)
        tried.append((draft.verdict, filled, p2, fill.said))
    verdicts = {v for v, *_ in tried}
    if not tried or len(verdicts) != 1 or None in verdicts:
        return record, plan, []
    _, filled, p2, said = tried[0]
    others = [s for *_, s in tried[1:]]
    return filled, p2, [said + (f" (the same answer for {'; '.join(others)})" if others else "")]


def implied_by_given(
    record: dict[str, Any], kb: KnowledgeBase, akb: AnswerKB, given: list[str], *, usual_only: bool = False
) -> tuple[dict[str, Any], list[str]]:
    """Subtype fields the question leaves unset, read from the classes of the cancer drugs it
    names as given (``knowledge/answer/facts.yaml``, ``given_implies``): only when the record
    has no receptor field of that kind, and no other drug given implies another value for it,
    and each use is stated. ``usual_only``: only the
    entries marked ``usual`` (session 7: an assumption a clinician makes, stated up front)."""
    tumor = record.get("tumor") or {}
    out = record
    said: list[str] = []
    classes = set().union(*(kb.drug_classes_of(d) for d in given if d in kb.drugs)) if given else set()
    entries = [g for g in akb.facts.given_implies if classes & set(g.classes) and (g.usual or not usual_only)]
    values: dict[str, set[Any]] = {}
    for g in entries:
        for path, value in g.set.items():
            values.setdefault(path, set()).add(value)
    for g in entries:
        if any(len(values[p]) > 1 for p in g.set):
            continue  # the drugs given disagree on it (a CDK4/6 inhibitor with anti-HER2 drugs): not read
        keys = {p.split(".")[-1].split("_")[0] for p in g.set}  # "er", "her2"
        if any(k.split("_")[0] in keys and v is not None for k, v in tumor.items()):
            continue  # the question gives that receptor
        filled = _fill(out, g.set)
        if filled is not None and filled != out:
            out = filled
            said.append(g.said)
    return out, said


def usual_leads(akb: AnswerKB, said: list[str]) -> list[str]:
    """The short "assuming ..." words of the usual assumptions among ``said`` (session 7): what
    the first line of an answer resting on them names."""
    return [g.assume or g.said for g in akb.facts.given_implies if g.usual and g.said in said]


def _offering(kb: KnowledgeBase, u: Understanding) -> list[Any]:
    """The active rules of the KB that offer the drugs asked about (as one option)."""
    asked = set(u.drugs)
    out = []
    for r in kb.active_rules:
        for action in r.then:
            option = getattr(action, "option", None)
            if option is None:
                continue
            drugs = set(kb.regimen_drugs(option)) if option in kb.regimens else {option}
            if asked and asked <= drugs:
                out.append(r)
                break
    return out


def _against(said: Any, forced: Any) -> list[str]:
    """The receptor results stated (HER2 category, hormone-receptor status) that a forced subtype
    contradicts, as "HER2-low", "HR-negative"."""
    out = []
    for attr, label in (("her2_category", "HER2"), ("hr_status", "HR")):
        have, want = getattr(said, attr, "unknown"), getattr(forced, attr, "unknown")
        if "unknown" in (have, want) or have == "equivocal" or want == "equivocal":
            continue
        if (have == "positive") != (want == "positive"):
            out.append(f"{label}-{have}")
    return out


def other_subtype(
    record: dict[str, Any],
    plan: Any,
    kb: KnowledgeBase,
    u: Understanding,
    akb: AnswerKB,
    citer: Citer,
    *,
    as_of: dt.date,
    no_assume: set[str],
) -> Draft | None:
    """Session 8: a drug asked about that every rule offering it rules out on the facts stated,
    while a subtype those facts rule out would let some rule offer it ("a HER2 kinase inhibitor
    for HER2-negative disease"): "no", naming the receptor stated. Nothing when a rule could
    still offer it."""
    rules = _offering(kb, u)
    if not rules or any(r.when.truth(plan.facts) is not Truth.FALSE for r in rules):
        return None
    # the subtype alone must make the difference: the facts stated, with the line left open as in the
    # forced plans below, already rule the drug out (not a line assumed, as "first line" rules out a
    # later-line drug while a subtype the question allows would take it)
    opened = {*no_assume, "prior_therapies"}
    try:
        stated_plan = make_plan(parse_record(record), kb, as_of=as_of, no_assume=opened)
    except InputError:
        return None
    if any(r.when.truth(stated_plan.facts) is not Truth.FALSE for r in rules):
        return None
    names = " + ".join(_names(kb, u.drugs)) or "this treatment"
    said = stated_plan.classification
    for fill in akb.facts.subtype_fills:
        filled = _fill(record, fill.set)
        forced = copy.deepcopy(record)
        stated = []
        for path, value in fill.set.items():
            have = get_path(forced, path)
            if have is not None and have != value:
                stated.append(f"{path.split('.')[-1].replace('_status', '').upper()}-{have}")
            node = forced
            *parents, last = path.split(".")
            for part in parents:
                node = node.setdefault(part, {})
            if node.get(last) != value:  # that receptor's stated test details give way to the forced status
                stem = last.split("_")[0] + "_"
                for k in [k for k in node if k.startswith(stem) and k != last]:
                    del node[k]
            node[last] = value
        try:
            # the line left open: only the subtype is asked whether it would let a rule offer the drug
            p = make_plan(parse_record(forced), kb, as_of=as_of, no_assume=opened)
        except InputError:
            continue
        # session 9: a subtype the question's own results rule out, though no field it sets is stated
        # ("HER2-low (IHC 2+, ISH negative)" rules out HER2-positive): the wrong premise is named
        against = _against(said, p.classification)
        if filled is not None and not against:
            continue  # a subtype the question allows: the facts stated rule the drug out already
        stated = stated or against
        fits = [r for r in rules if r.when.truth(p.facts) is not Truth.FALSE]
        if fits:
            subtype = fill.said.split("(")[0].replace("answered for ", "").strip()
            text = f"No - {names} is given for {subtype}; the question states {', '.join(stated)} disease."
            return Draft(text=text + citer.ref(fits[0].evidence.citations), verdict="no", verdict_text="No")
    return None
