"""Test helpers shipped with mbc: the golden-case checker and a record builder.

A golden case is a directory with ``patient.json`` (a contract record) and
``expected.json`` (an excerpt of the expected plan). :func:`check_golden` returns the list
of mismatches (empty = pass). The excerpt language:

``covers``            {"positive": [rule ids that must fire], "negative": [must neither fire
                      nor be unknown], "unknown": [must be unknown, i.e. need data]}
``classification``    a subset of plan.classification that must match exactly
``options``           {"include": [{"drugs": [...], "category": "preferred"}], "exclude_drugs": [...]}
                      an included option is one whose drugs contain all listed drugs (and, when
                      given, whose category matches); no option may contain an excluded drug
``not_recommended``   {"include_drugs": [[...], ...]} each list is contained in some entry's drugs
``alerts``            {"include_codes": [...], "exclude_codes": [...], "include_severity": [...]}
``workup``            {"include": [test ids], "exclude": [...], "urgency": {test id: urgency}}
``supportive_care``   {"include": [item ids], "exclude": [...]}
``missing_information`` {"include_fields": [...], "exclude_fields": [...]}
``assumptions``       {"include_fields": [...], "exclude_fields": [...]} record fields the plan
                      must / must not have assumed (plan.assumptions[].field; a therapy's
                      setting is ``prior_therapies[i].setting``)
``scenarios``         {"include_fields": [...]} fields the plan must branch on
                      (a key of some plan.scenarios[].if)
``summary``           {"decisive_unknown": field or null, "top_includes_drugs": [...]} the bottom
                      line names this deciding unknown / its top options contain these drugs
"""

from __future__ import annotations

import json
from collections.abc import Collection, Mapping
from pathlib import Path
from typing import Any

from mbc.model.plan import Plan

__all__ = ["PatientBuilder", "check_golden", "check_plan"]


def _rule_ids(entries: list[str]) -> set[str]:
    return {e.rsplit("@", 1)[0] for e in entries}


_FIELDS = ("include_fields", "exclude_fields")


def _listed(
    errs: list[str],
    spec: Mapping[str, Any],
    keys: tuple[str, str],
    have: Collection[str],
    messages: tuple[str, str],
) -> None:
    """Each id the spec's first key lists must be in ``have`` (``missing`` names it and what
    there is), each its second key lists must not (``unwanted`` names it); ``messages`` are
    (``missing``, ``unwanted``)."""
    wanted, excluded = keys
    missing, unwanted = messages
    for x in spec.get(wanted, []):
        if x not in have:
            errs.append(missing.format(x, sorted(have)))
    for x in spec.get(excluded, []):
        if x in have:
            errs.append(unwanted.format(x))


def check_plan(plan: Plan, expected: Mapping[str, Any]) -> list[str]:
    """Compare a plan with an expected excerpt; return human-readable mismatches."""
    errs: list[str] = []
    fired = _rule_ids(plan.rules_fired)
    unknown = _rule_ids(plan.rules_unknown)
    covers = expected.get("covers", {})
    for r in covers.get("positive", []):
        if r not in fired:
            errs.append(
                f"rule {r} should fire (state: {'unknown' if r in unknown else 'not fired'})"
            )
    for r in covers.get("negative", []):
        if r in fired or r in unknown:
            errs.append(f"rule {r} should not fire (state: {'fired' if r in fired else 'unknown'})")
    for r in covers.get("unknown", []):
        if r not in unknown:
            errs.append(
                f"rule {r} should need data (state: {'fired' if r in fired else 'not fired'})"
            )

    cls = plan.classification.model_dump(mode="json")
    for k, v in expected.get("classification", {}).items():
        if cls.get(k) != v:
            errs.append(f"classification.{k}: expected {v!r}, got {cls.get(k)!r}")

    opts = expected.get("options", {})
    for want in opts.get("include", []):
        drugs = set(want["drugs"])
        hits = [o for o in plan.options if drugs <= set(o.drugs)]
        if not hits:
            errs.append(f"no option contains {sorted(drugs)}")
        elif "category" in want and not any(o.category == want["category"] for o in hits):
            errs.append(
                f"option with {sorted(drugs)} should be {want['category']}, got "
                f"{sorted({o.category for o in hits})}"
            )
    for d in opts.get("exclude_drugs", []):
        bad = [o.name for o in plan.options if d in o.drugs]
        if bad:
            errs.append(f"{d} must not be offered, but is in: {bad}")
    if "min_count" in opts and len(plan.options) < opts["min_count"]:
        errs.append(f"expected at least {opts['min_count']} options, got {len(plan.options)}")

    # session 12: options held back as conditional (each listed drug in one, with the field it needs)
    for want in expected.get("conditional_options", {}).get("include", []):
        hits = [c for c in plan.conditional_options if want["drug"] in c.drugs]
        if not hits:
            errs.append(f"a conditional option with {want['drug']} expected")
        elif "needs" in want and not any(want["needs"] in c.needs for c in hits):
            errs.append(f"conditional {want['drug']} should need {want['needs']}: {[c.needs for c in hits]}")

    for drugs in expected.get("not_recommended", {}).get("include_drugs", []):
        if not any(set(drugs) <= set(n.drugs) for n in plan.not_recommended):
            errs.append(f"not_recommended should list {drugs}")

    al = expected.get("alerts", {})
    codes = {a.code for a in plan.alerts}
    messages = ("alert {} expected; got {}", "alert {} must not be raised")
    _listed(errs, al, ("include_codes", "exclude_codes"), codes, messages)
    sev = {a.severity for a in plan.alerts}
    for s in al.get("include_severity", []):
        if s not in sev:
            errs.append(f"an alert of severity {s} expected")

    wk = expected.get("workup", {})
    by_id = {w.id: w for w in plan.workup}
    messages = ("workup {} expected; got {}", "workup {} must not be ordered")
    _listed(errs, wk, ("include", "exclude"), by_id, messages)
    for w, urg in wk.get("urgency", {}).items():
        if w in by_id and by_id[w].urgency != urg:
            errs.append(f"workup {w}: urgency {by_id[w].urgency}, expected {urg}")

    sids = {s.id for s in plan.supportive_care}
    messages = ("supportive care {} expected; got {}", "supportive care {} must not be listed")
    _listed(errs, expected.get("supportive_care", {}), ("include", "exclude"), sids, messages)
    fields = {m.field for m in plan.missing_information}
    messages = ("missing_information should name {}; got {}", "missing_information must not name {}")
    _listed(errs, expected.get("missing_information", {}), _FIELDS, fields, messages)
    assumed = {a.field for a in plan.assumptions}
    messages = ("assumptions should name {}; got {}", "assumptions must not name {}")
    _listed(errs, expected.get("assumptions", {}), _FIELDS, assumed, messages)

    branched = {f for s in plan.scenarios for f in s.if_}
    for f in expected.get("scenarios", {}).get("include_fields", []):
        if f not in branched:
            errs.append(f"scenarios should branch on {f}; got {sorted(branched)}")

    sm = expected.get("summary", {})
    if "decisive_unknown" in sm:
        got = plan.summary.decisive_unknown if plan.summary else None
        if got != sm["decisive_unknown"]:
            errs.append(f"summary.decisive_unknown: expected {sm['decisive_unknown']!r}, got {got!r}")
    top = {o.id: o for o in plan.options}
    top_ids = plan.summary.top_options if plan.summary else []
    top_drugs = {d for i in top_ids if i in top for d in top[i].drugs}
    for d in sm.get("top_includes_drugs", []):
        if d not in top_drugs:
            errs.append(f"summary.top_options should include {d}")
    return errs


def check_golden(case_dir: Path) -> tuple[Plan, list[str]]:
    """Plan the case's patient.json and compare with its expected.json."""
    from mbc.engine import plan as make_plan
    from mbc.knowledge import load_kb
    from mbc.model import parse_record

    record = parse_record(json.loads((case_dir / "patient.json").read_text()))
    expected = json.loads((case_dir / "expected.json").read_text())
    # `region` (US | EU): plan for that region (label-based options follow its regulator)
    p = make_plan(record, load_kb(), region=expected.get("region", "US"))
    return p, [*check_plan(p, expected), *_revalidated(p)]


def _revalidated(plan: Plan) -> list[str]:
    """The engine assembles plans and their items without validating them again
    (``mbc.engine._items.built``): each golden plan, validated again from its own JSON, must
    be the same plan (a value validation would reject or change fails the case loudly)."""
    made = plan.model_dump_json(by_alias=True)
    try:
        again = Plan.model_validate_json(made).model_dump_json(by_alias=True)
    except ValueError as exc:  # pydantic's ValidationError
        return [f"the plan is not valid: {exc}"]
    return [] if again == made else ["the plan is not what validating it again makes"]


class PatientBuilder:
    """Build contract records for tests fluently: ``PatientBuilder().hr_pos().line(2).build()``."""

    def __init__(self, record_id: str = "test", as_of: str = "2026-11-01") -> None:
        self._d: dict[str, Any] = {"id": record_id, "as_of": as_of}

    def set(self, **fields: Any) -> PatientBuilder:
        """Set top-level fields."""
        self._d.update(fields)
        return self

    def tumor(self, **fields: Any) -> PatientBuilder:
        """Set tumour fields."""
        self._d.setdefault("tumor", {}).update(fields)
        return self

    def labs(self, **fields: Any) -> PatientBuilder:
        """Set lab values."""
        self._d.setdefault("labs", {}).update(fields)
        return self

    def sites(self, *sites: str, visceral_crisis: bool | None = None) -> PatientBuilder:
        """Set metastatic sites."""
        m = self._d.setdefault("metastases", {})
        m["sites"] = list(sites)
        if visceral_crisis is not None:
            m["visceral_crisis"] = visceral_crisis
        return self

    def therapy(self, setting: str, drugs: list[str], start: str | None = None, end: str | None = None,
                stop_reason: str | None = None) -> PatientBuilder:  # fmt: skip
        """Append a prior therapy."""
        t: dict[str, Any] = {"setting": setting, "drugs": drugs}
        if start:
            t["start"] = start
        if end:
            t["end"] = end
        if stop_reason:
            t["stop_reason"] = stop_reason
        self._d.setdefault("prior_therapies", []).append(t)
        return self

    def hr_pos_her2_neg(self) -> PatientBuilder:
        """ER 90%, PR 50%, HER2 IHC 0."""
        return self.tumor(er_percent=90, pr_percent=50, her2_ihc="0")

    def her2_pos(self, *, hr: bool = False) -> PatientBuilder:
        """HER2 IHC 3+, HR as asked."""
        return self.tumor(er_percent=80 if hr else 0, pr_percent=20 if hr else 0, her2_ihc="3+")

    def tnbc(self) -> PatientBuilder:
        """ER 0, PR 0, HER2 IHC 0."""
        return self.tumor(er_percent=0, pr_percent=0, her2_ihc="0")

    def build(self) -> dict[str, Any]:
        """The record as a dict (validate with mbc.model.parse_record)."""
        built: dict[str, Any] = json.loads(json.dumps(self._d))
        return built
