"""``mbc synth``: realistic, valid synthetic contract records for benchmarks and tests.

Subtype, biomarker, presentation, line-count and missing-data mixes come from
``knowledge/synth/epidemiology.yaml`` (published MBC epidemiology, marked as estimates).
Each metastatic line's therapy is chosen from the plan the engine makes *as of that line's
start* (the same truncation the audit uses), by the category weights of the file. With
``discordance > 0`` a line is, with that probability, given a regimen none of whose drugs
the plan offered (the injected discordance); the ground truth lists every line.

Records are reproducible: record ``i`` of seed ``s`` depends only on ``(s, i)``.
"""

from __future__ import annotations

import datetime as dt
import math
import random
from dataclasses import dataclass
from typing import Any

from mbc.cohort._classify import drug_ids
from mbc.cohort._epi import Epidemiology, apply_choice, pick
from mbc.cohort._lines import GivenLine, as_of_line
from mbc.engine import plan
from mbc.knowledge.loader import KnowledgeBase
from mbc.model import Therapy, parse_record
from mbc.model.plan import Plan

__all__ = ["Synthesizer", "TruthRow"]

_DAYS_PER_MONTH = 30.44
_EARLY_YEARS = (2, 9)  # recurrence: early therapy began this many years before metastasis


@dataclass(frozen=True)
class TruthRow:
    """What the generator put in one line: injected discordance or a plan option."""

    patient_id: str
    line: int
    injected: bool
    expected: (
        str  # preferred | other | certain_circumstances | not_in_plan | not_recommended | not_assessable
    )
    regimen: str | None


class Synthesizer:
    """Makes record ``i`` of a seeded cohort."""

    def __init__(self, kb: KnowledgeBase, epi: Epidemiology, *, seed: int, discordance: float = 0.0) -> None:
        self.kb, self.epi, self.seed, self.discordance = kb, epi, seed, discordance
        self._names = {d.id: d.name.lower() for d in kb.drugs.values()}
        self._regimens = sorted(kb.regimens)

    def record(self, i: int) -> tuple[dict[str, Any], list[TruthRow]]:
        """Record ``i`` and its ground truth."""
        rng = random.Random(f"{self.seed}:{i}")
        epi = self.epi
        rec: dict[str, Any] = {"id": f"synth-{self.seed}-{i:07d}", "contract_version": 1}
        profile = pick(rng, epi.profiles)
        for facet in (*profile.facets, *epi.common):
            apply_choice(rng, rec, pick(rng, facet))
        for path, prob in epi.missing.items():
            if rng.random() < prob:
                _drop(rec, path)
        lo, hi = (dt.date.fromisoformat(d) for d in epi.lines.diagnosis_window)
        mdx = lo + dt.timedelta(days=rng.randint(0, (hi - lo).days))
        rec["metastatic_diagnosis_date"] = mdx.isoformat()
        therapies: list[dict[str, Any]] = []
        if rec.get("presentation") == "recurrence":
            therapies += self._early(rng, profile.id, mdx)
        n_lines = pick(rng, epi.lines.count).n
        starts, ends = self._timeline(rng, mdx, n_lines)
        latest = dt.date.fromisoformat(epi.lines.latest_date)
        while len(starts) > 1 and starts[-1] > latest:
            starts.pop()
            ends.pop()
        if ends[-1] is not None and ends[-1] > latest:
            ends[-1] = None  # still on it at the latest date
        last_end = ends[-1]
        as_of = (last_end or starts[-1] + dt.timedelta(days=rng.randint(30, 120))) + dt.timedelta(
            days=rng.randint(7, 30)
        )
        as_of = min(as_of, latest + dt.timedelta(days=30))
        rec["as_of"] = as_of.isoformat()
        truth: list[TruthRow] = []
        for k, (start, end) in enumerate(zip(starts, ends, strict=True), 1):
            rec["prior_therapies"] = therapies
            probe = parse_record(rec)
            truncated, _ = as_of_line(probe, GivenLine(k, -1, Therapy(drugs=("probe",), start=start)))
            assert truncated is not None
            p = plan(truncated, self.kb)
            chosen = self._choose(rng, p, rec["id"], k)
            if chosen is None:
                break  # the plan offers nothing to give: the history stops here
            drugs, row = chosen
            t: dict[str, Any] = {"setting": "metastatic", "drugs": drugs, "start": start.isoformat()}
            if end is not None:
                t.update(end=end.isoformat(), stop_reason="progression")
            therapies = [*therapies, t]
            truth.append(row)
        rec["prior_therapies"] = therapies
        parse_record(rec)  # valid by construction; fail loudly if not
        return rec, truth

    # ---------------------------------------------------------------- parts

    def _drugs_of(self, rng: random.Random, regimen: str) -> list[str]:
        return [self._names.get(d, d) for d in (rng.choice(c) for c in self.kb.regimen_components(regimen))]

    def _early(self, rng: random.Random, subtype: str, mdx: dt.date) -> list[dict[str, Any]]:
        options = self.epi.adjuvant.get(subtype)
        if not options:
            return []
        start = mdx - dt.timedelta(days=int(365.25 * rng.uniform(*_EARLY_YEARS)))
        out = []
        for reg in pick(rng, options).regimens:
            kind = self.kb.regimens[reg].kind
            months = 60 if kind == "endocrine" else 4
            end = min(start + dt.timedelta(days=int(months * _DAYS_PER_MONTH)), mdx - dt.timedelta(days=30))
            if end <= start:
                break
            out.append({"setting": "adjuvant", "drugs": self._drugs_of(rng, reg), "start": start.isoformat(),
                        "end": end.isoformat(), "stop_reason": "completed"})  # fmt: skip
            start = end + dt.timedelta(days=14)
        return out

    def _timeline(
        self, rng: random.Random, mdx: dt.date, n: int
    ) -> tuple[list[dt.date], list[dt.date | None]]:
        medians = self.epi.lines.median_months
        starts: list[dt.date] = []
        ends: list[dt.date | None] = []
        start = mdx + dt.timedelta(days=rng.randint(14, 60))
        for k in range(n):
            median = medians[min(k, len(medians) - 1)]
            months = max(1.0, rng.expovariate(math.log(2) / median))
            end = start + dt.timedelta(days=int(months * _DAYS_PER_MONTH))
            starts.append(start)
            ends.append(end)
            start = end + dt.timedelta(days=rng.randint(1, 21))
        if rng.random() < self.epi.lines.last_line_ongoing:
            ends[-1] = None
        return starts, ends

    def _choose(self, rng: random.Random, p: Plan, pid: str, k: int) -> tuple[list[str], TruthRow] | None:
        if p.options and self.discordance > 0 and rng.random() < self.discordance:
            offered = set().union(*(drug_ids(self.kb, o.drugs) for o in p.options))
            offered |= set().union(set(), *(drug_ids(self.kb, c.drugs) for c in p.conditional_options))
            candidates = [r for r in self._regimens if not set(self.kb.regimen_drugs(r)) & offered]
            if candidates:
                reg = rng.choice(candidates)
                drugs = self._drugs_of(rng, reg)
                avoided = set().union(set(), *(drug_ids(self.kb, n.drugs) for n in p.not_recommended))
                expected = "not_recommended" if drug_ids(self.kb, drugs) & avoided else "not_in_plan"
                return drugs, TruthRow(pid, k, True, expected, reg)
        if p.options:
            weights = self.epi.lines.choice
            by_cat = {c: [o for o in p.options if o.category == c] for c in weights}
            cats = [c for c in weights if by_cat[c]]
            cat = rng.choices(cats, weights=[weights[c] for c in cats], k=1)[0]
            opt = rng.choice(by_cat[cat])
            comps = opt.components or [[d] for d in opt.drugs]
            return [rng.choice(c) for c in comps], TruthRow(pid, k, False, cat, opt.regimen)
        avoided = set().union(set(), *(drug_ids(self.kb, n.drugs) for n in p.not_recommended))
        held_back = [c for c in p.conditional_options if not drug_ids(self.kb, c.drugs) & avoided]
        if held_back:
            cond = rng.choice(held_back)
            return self._drugs_of(rng, cond.regimen), TruthRow(pid, k, False, "not_assessable", cond.regimen)
        return None


def _drop(rec: dict[str, Any], path: str) -> None:
    *parents, leaf = path.split(".")
    node: Any = rec
    for p in parents:
        node = node.get(p) if isinstance(node, dict) else None
    if isinstance(node, dict):
        node.pop(leaf, None)
