"""Facts a question states in its own shorthand, laid over the note reader's record
(``knowledge/answer/facts.yaml``, overlays): "de novo" despite a "recurrent" elsewhere, a
bilirubin "climbing" with liver metastases, brain lesions on an MRI. Each overlay that
changes the record is returned as an assumption in words, so the answer states it."""

from __future__ import annotations

import copy
import datetime as dt
import itertools
import re
from typing import Any

from mbc.answer._schema import AnswerKB
from mbc.answer._understand import negated
from mbc.ingest import inferences
from mbc.knowledge.loader import KnowledgeBase
from mbc.model.paths import get_path

__all__ = [
    "asked_line_note",
    "lined_metastatic",
    "overlay_facts",
    "read_dates",
    "read_numbers",
    "read_variants",
    "settle_after",
    "split_lines",
]

_FLAGS = re.IGNORECASE
_SENTENCE = re.compile(r"[.;?!\n]")


def _parent(record: dict[str, Any], path: str) -> tuple[dict[str, Any], str] | None:
    parts = path.split(".")
    node = record
    for p in parts[:-1]:
        nxt = node.setdefault(p, {})
        if not isinstance(nxt, dict):
            return None
        node = nxt
    return node, parts[-1]


def _set(record: dict[str, Any], path: str, value: Any) -> bool:
    """Set the dotted ``path`` in ``record``; False when a part above it is not a mapping."""
    where = _parent(record, path)
    if where is None:
        return False
    where[0][where[1]] = value
    return True


def _said(text: str, pattern: str, negations: re.Pattern[str]) -> bool:
    """The pattern occurs at least once without a negation word just before it."""
    return any(
        not negations.search(text[max(0, m.start() - 60) : m.start()])
        for m in re.finditer(pattern, text, _FLAGS)
    )


def overlay_facts(text: str, record: dict[str, Any], akb: AnswerKB) -> tuple[dict[str, Any], list[str]]:
    """The record with every overlay that fires on ``text`` applied, and what was read."""
    negations = re.compile(inferences().negations, _FLAGS)
    out = record
    said: list[str] = []
    for o in akb.facts.overlays:
        if any(get_path(out, p) != v for p, v in o.requires.items()):
            continue
        if not all(_said(text, p, negations) for p in o.all):
            continue
        if any(re.search(p, text, _FLAGS) for p in o.unless):
            continue
        changed = False
        trial = copy.deepcopy(out)
        for path, value in o.set.items():
            if get_path(trial, path) == value or (get_path(trial, path) is not None and not o.override):
                continue
            if _set(trial, path, copy.deepcopy(value)):
                changed = True
        for path, item in o.add.items():
            where = _parent(trial, path)
            if where is None:
                continue
            items = where[0].setdefault(where[1], [])
            if isinstance(items, list) and item not in items:
                items.append(item)
                changed = True
        if changed:
            out = trial
            said.append(o.said)
    return out, said


def _month(m: re.Match[str], months: dict[str, int]) -> str | None:
    g = m.groupdict()
    if g.get("mon"):
        month = months.get(g["mon"][:3].lower())
        year = g.get("year")
    else:
        month, year = int(g["mm"]) if g.get("mm") else None, g.get("yy")
    return f"{year}-{month:02d}-01" if month and year else None


def read_dates(
    text: str, record: dict[str, Any], found: list[Any], kb: KnowledgeBase, akb: AnswerKB, as_of: dt.date
) -> tuple[dict[str, Any], list[str]]:
    """The relapse date and therapy end dates a question gives as a month and year, where the
    reader left them unset (``knowledge/answer/facts.yaml``, dates). ``found``: the question's
    drug and class mentions (:func:`mbc.answer._understand.mentions`)."""
    spec = akb.facts.dates
    if spec is None:
        return record, []
    out = copy.deepcopy(record)
    said: list[str] = []
    # a date the question gives beats a relapse the reader dated "now" from an undated "new lesions"
    undated = out.get("metastatic_diagnosis_date") in (None, as_of.isoformat())
    if undated and out.get("presentation") != "de_novo":
        # never a date before an early (neo)adjuvant course began: that is the first diagnosis
        floor = min(
            (str(t["start"]) for t in out.get("prior_therapies") or []
             if t.get("setting") in ("adjuvant", "neoadjuvant") and t.get("start")),
            default="",
        )  # fmt: skip
        for p in spec.metastatic:
            days = (_month(m, spec.months) for m in re.finditer(p.replace("{date}", spec.date), text, _FLAGS))
            day = next((d for d in days if d and d > floor), None)
            if day and day <= as_of.isoformat():
                out["metastatic_diagnosis_date"] = day
                said.append(f"metastatic disease found {day[:7]} (as the question says)")
                break
        else:
            later = _later_relapse(text, out, spec, as_of)
            if later is not None:
                out["metastatic_diagnosis_date"] = later
                said.append(f"metastatic disease found {later[:7]} (the time after the course end, as said)")
            elif not out.get("metastatic_diagnosis_date") and any(
                re.search(p, text, _FLAGS) for p in spec.metastatic_now
            ):
                out["metastatic_diagnosis_date"] = as_of.isoformat()
                said.append(
                    f"metastatic disease found now ({as_of.isoformat()}, the question speaks of it as new)"
                )
    therapies = out.get("prior_therapies") or []
    finite = set(akb.facts.completed_before_next)
    for t, nxt in itertools.pairwise(therapies):
        ids = [kb.lookup_drug(n) for n in t.get("drugs") or []]
        if (
            t.get("setting") in ("adjuvant", "neoadjuvant")
            and not t.get("end") and not t.get("stop_reason")
            and any(i is not None and kb.drug_classes_of(i) & finite for i in ids)
        ):  # fmt: skip
            t["stop_reason"] = "completed"
            said.append(
                f"{' + '.join(t['drugs'])} read as completed before {' + '.join(nxt.get('drugs') or [])}"
            )
    date_rx = re.compile(spec.date, _FLAGS)
    for p in spec.therapy_end:
        for m in re.finditer(p.replace("{date}", spec.date), text, _FLAGS):
            d = date_rx.search(text, m.start())
            day = _month(d, spec.months) if d else None
            start = max((x.end() for x in re.finditer(r"[.;?!](?=\s|$)|\n", text[: m.start()])), default=0)
            before = [x for x in found if start <= x.start < (d.start() if d else m.end())]
            if not before and start and text[start - 1] == ";":  # "..., then X + Y; last dose <date>"
                start = max((x.end() for x in re.finditer(r"[.?!](?=\s|$)|\n", text[: m.start()])), default=0)
                before = [x for x in found if start <= x.start < (d.start() if d else m.end())]
            if not day or not before:
                continue
            named = before[-1]
            for t in reversed(therapies):  # the latest course of the drug named: its last dose
                ids = [kb.lookup_drug(n) for n in t.get("drugs") or []]
                hit = (
                    named.id in ids
                    if named.kind == "drug"
                    else any(i is not None and named.id in kb.drug_classes_of(i) for i in ids)
                )
                if hit and not t.get("end") and t.get("stop_reason") in (None, "completed"):
                    t["end"] = day
                    t.setdefault("stop_reason", "completed")
                    said.append(f"{' + '.join(t['drugs'])} ended {day[:7]} (as the question says)")
                    break
    out, relative = _relative_end(text, out, found, kb, spec, as_of)
    return out, said + relative


def _later_relapse(text: str, record: dict[str, Any], spec: Any, as_of: dt.date) -> str | None:
    """Session 13: "<end date>; N months later <mets>": the latest course end read plus N (to the month)."""
    ends = [str(t["end"]) for t in record.get("prior_therapies") or [] if t.get("end")]
    if not ends:
        return None
    for p in spec.later_relapse:
        m = re.search(p, text, _FLAGS)
        if m is None:
            continue
        v = m.group("v").lower()
        n = int(float(v)) if v[0].isdigit() else spec.counts.get(v)
        if n is None:
            return None
        months = n * 12 if m.group("u").lower().startswith("y") else n
        end = dt.date.fromisoformat(max(ends)[:10])
        total = end.year * 12 + end.month - 1 + months
        day = dt.date(total // 12, total % 12 + 1, 1)
        return day.isoformat() if day <= as_of else None
    return None


def _relative_end(
    text: str, record: dict[str, Any], found: list[Any], kb: KnowledgeBase, spec: Any, as_of: dt.date
) -> tuple[dict[str, Any], list[str]]:
    """Session 10: a course that ended a stated time before the relapse ("4 months after her last adjuvant
    antibody dose"): its end, counted back from the relapse date (or the answer date), where unset."""
    said: list[str] = []
    relapse = dt.date.fromisoformat(str(record.get("metastatic_diagnosis_date") or as_of.isoformat())[:10])
    patterns = [(p, False) for p in spec.relative_end] + [(p, True) for p in spec.ago_end]
    for p, ago in patterns:
        for m in re.finditer(p, text, _FLAGS):
            stop = _SENTENCE.search(text, m.end())
            close = stop.start() if stop else len(text)
            opened = max((s.end() for s in _SENTENCE.finditer(text, 0, m.start())), default=0)
            before = [x for x in found if opened <= x.start < m.start() and x.prior] if ago else []
            after = [x for x in found if m.end() <= x.start < close and x.prior]
            if not (before or after):
                continue
            named = before[-1] if before else after[0]
            g = m.group("v").lower()
            v = float(g) if g[0].isdigit() else float(spec.counts.get(g, 0))
            if not v:
                continue
            months = v * {"m": 1, "y": 12, "w": 0.23}[m.group("u")[0].lower()]
            end = _months_before(as_of if ago else relapse, months)
            for t in reversed(record.get("prior_therapies") or []):
                ids = [kb.lookup_drug(n) for n in t.get("drugs") or []]
                hit = (
                    named.id in ids
                    if named.kind == "drug"
                    else any(i is not None and named.id in kb.drug_classes_of(i) for i in ids)
                )
                if hit and not t.get("end") and t.get("setting") != "metastatic":
                    t["end"] = end.isoformat()
                    t.setdefault("stop_reason", "completed")
                    said.append(
                        f"{' + '.join(t['drugs'])} ended about {end.isoformat()[:7]} ({m.group('v')} "
                        f"{m.group('u')} {'ago' if ago else 'before the relapse'}, as the question says)"
                    )
                    break
    return record, said


def _months_before(day: dt.date, months: float) -> dt.date:
    """The day ``months`` (rounded to whole months) before ``day``, on the first of that month."""
    n = round(months)
    y, mo = divmod(day.year * 12 + day.month - 1 - n, 12)
    return dt.date(y, mo + 1, 1)


def lined_metastatic(
    record: dict[str, Any], found: list[Any], kb: KnowledgeBase
) -> tuple[dict[str, Any], list[str]]:
    """A course the reader set as (neo)adjuvant whose drugs the question names with a numbered
    line ("progressed on first-line <drug A> + <drug B>, also had neoadjuvant chemo") is a
    metastatic line (session 7): line numbers count metastatic therapy only."""
    lined = {m.id for m in found if m.kind == "drug" and m.line is not None and not m.negated}
    if not lined:
        return record, []
    out = copy.deepcopy(record)
    said: list[str] = []
    for t in out.get("prior_therapies") or []:
        ids = {kb.lookup_drug(n) for n in t.get("drugs") or []}
        if t.get("setting") in ("adjuvant", "neoadjuvant") and ids and ids <= lined:
            t["setting"] = "metastatic"
            said.append(f"{' + '.join(t['drugs'])} read as a metastatic line (the question numbers it)")
    return (out, said) if said else (record, [])


def split_lines(
    record: dict[str, Any], found: list[Any], kb: KnowledgeBase
) -> tuple[dict[str, Any], list[str]]:
    """A therapy of the reader that holds the drugs of two numbered lines ("after 1st-line
    <drug A> + <drug B> and 2nd-line <drug C>") split into one metastatic course per
    line, in line order; every course but the last ended at progression."""
    groups: dict[int, set[str]] = {}
    for m in found:
        if m.line is not None and m.kind == "drug":
            groups.setdefault(m.line[2], set()).add(m.id)
    if len(groups) < 2:
        return record, []
    therapies = record.get("prior_therapies") or []
    out: list[dict[str, Any]] = []
    said: list[str] = []
    for t in therapies:
        names = list(t.get("drugs") or [])
        ids = [kb.lookup_drug(n) for n in names]
        lines = sorted(n for n, g in groups.items() if g & set(ids))
        if len(lines) < 2:
            out.append(t)
            continue
        parts: list[dict[str, Any]] = []
        for k, n in enumerate(lines):
            drugs = [nm for nm, i in zip(names, ids, strict=True) if i in groups[n]]
            if k == 0:  # drugs of no numbered line stay with the first course
                drugs += [
                    nm for nm, i in zip(names, ids, strict=True) if not any(i in g for g in groups.values())
                ]
            part: dict[str, Any] = {"drugs": drugs, "setting": "metastatic"}
            last = k == len(lines) - 1
            if k == 0 and t.get("start"):
                part["start"] = t["start"]
            if last:
                part.update({key: t[key] for key in ("end", "stop_reason") if t.get(key)})
            else:
                part["stop_reason"] = "progression"
            parts.append(part)
        out.extend(parts)
        said.append(
            "lines of therapy as numbered in the question: "
            + "; ".join(f"line {n}: {' + '.join(p['drugs'])}" for n, p in zip(lines, parts, strict=True))
        )
    if not said:
        return record, []
    return {**record, "prior_therapies": out}, said


def _num(text: str) -> float | None:
    try:
        return float(text)
    except (TypeError, ValueError):
        return None


def read_numbers(text: str, record: dict[str, Any], akb: AnswerKB) -> tuple[dict[str, Any], list[str]]:
    """Numbers the question gives in its own phrasing (``knowledge/answer/facts.yaml``,
    numbers) where the reader left the field unset, then creatinine clearance by
    Cockcroft-Gault from a serum creatinine when age, weight and sex are all read."""
    out = copy.deepcopy(record)
    said: list[str] = []
    for n in akb.facts.numbers:
        if get_path(out, n.field) is not None:
            continue
        for m in re.finditer(n.pattern, text, _FLAGS):
            v = _num(m.group("v"))
            if v is None or negated(text, m.start(), akb):
                continue
            if (n.min is not None and v < n.min) or (n.max is not None and v > n.max):
                continue
            if n.below_as is not None:
                v = n.below_as
            elif n.scale != 1.0:
                v = round(v * n.scale, 2)
            if _set(out, n.field, int(v) if v.is_integer() else v):  # a count field takes no float
                said.append(n.said.replace("{v}", f"{v:g}").replace("{raw}", m.group("v")))
            break
    cg = akb.facts.clearance
    age, kg, sex = out.get("age"), out.get("weight_kg"), out.get("sex")
    if cg is not None and get_path(out, "labs.creatinine_clearance_ml_min") is None and age and kg and sex:
        for c in cg.creatinine:
            hit = re.search(c.pattern, text, _FLAGS)
            value = _num(hit.group("v")) if hit else None
            if hit is None or not value:
                continue
            mg_dl = value / c.per_mg_dl
            crcl = (cg.age_offset - float(age)) * float(kg) / (cg.divisor * mg_dl)
            crcl *= cg.female_factor if sex == "female" else 1.0
            if crcl <= 0:
                break
            if _set(out, "labs.creatinine_clearance_ml_min", round(crcl, 1)):
                said.append(
                    cg.said.replace("{v}", f"{crcl:.0f}").replace("{creatinine}", hit.group(0).strip())
                )
            break
    return out, said


def asked_line_note(text: str, line: Any, akb: AnswerKB) -> str | None:
    """When the question names the line it asks about ("3rd line q") and the treatments it
    names give another line, say so: the history is not made up to fit the number."""
    facts = akb.facts
    for p in facts.asked_line:
        m = re.search(p, text, _FLAGS)
        if m is None:
            continue
        n = m.group("n")
        asked = int(n) if n.isdigit() else facts.ordinals.get(n.lower())
        if asked is not None and isinstance(line, int) and asked != line:
            return facts.asked_line_note.replace("{asked}", str(asked)).replace("{line}", str(line))
        return None
    return None


def read_variants(text: str, record: dict[str, Any], akb: AnswerKB) -> tuple[dict[str, Any], list[str]]:
    """Tumour variants named by their protein change ("PIK3CA E545K") for genes the reader left
    without a result (``knowledge/answer/facts.yaml``, ``variants``), each stated (session 7);
    not one the question denies or asks for ("ctDNA sent to check for <variant>", "if she has
    <variant>": ``variant_unless`` after it, ``variant_hedge`` in its sentence before it)."""
    have = {str(x).split()[0].upper() for x in record.get("somatic") or [] if str(x).strip()}
    added: list[str] = []
    for m in re.finditer(akb.facts.variants, text, _FLAGS):
        gene = m.group("gene").upper()
        after = text[m.end() :]
        if gene in have or negated(text, m.start(), akb):
            continue
        if re.search(akb.facts.variant_unless, after, _FLAGS):
            continue
        if re.search(akb.facts.variant_hedge, _SENTENCE.split(text[: m.start()])[-1], _FLAGS):
            continue
        have.add(gene)
        added.append(f"{gene} {m.group('var')}")
    out = {**record, "somatic": [*(record.get("somatic") or []), *added]} if added else record
    out, negatives = read_negatives(text, out, akb)  # session 10
    return out, [f"{v} read as a tumour variant (as the question says)" for v in added] + negatives


def read_negatives(text: str, record: dict[str, Any], akb: AnswerKB) -> tuple[dict[str, Any], list[str]]:
    """Session 10: tumour genes the question reports without an alteration in shorthand ("ESR1-, PIK3CA-",
    "PIK3CA/AKT1/PTEN: none found"), read as wild type where the reader left the gene without a result;
    not in a sentence that asks or looks for them (``variant_hedge``)."""
    f = akb.facts
    have = {str(x).split()[0].upper() for x in record.get("somatic") or [] if str(x).strip()}
    added: list[str] = []
    for p in f.negatives:
        for m in re.finditer(p.replace("{gene}", f.negative_genes), text, _FLAGS):
            if negated(text, m.start(), akb) or re.search(
                f.variant_hedge, _SENTENCE.split(text[: m.start()])[-1], _FLAGS
            ):
                continue
            stop = _SENTENCE.search(text, m.end())
            if stop is not None and text[stop.start()] == "?":
                continue  # asked, not stated
            for g in re.findall(f.negative_genes, m.group("genes"), _FLAGS):
                if g.upper() not in have:
                    have.add(g.upper())
                    added.append(f"{g.upper()} wildtype")
    if not added:
        return record, []
    out = {**record, "somatic": [*(record.get("somatic") or []), *added]}
    return out, [f"{v.split()[0]}: no alteration (as the question says)" for v in added]


_AFTER = re.compile(  # "after", "progressed on" ... then the course up to the drug (no sentence break)
    r"\b(?:after|post|following|progress\w*\s+(?:on|after|through|while on)|PD\s+(?:on|after)|failed|"
    r"failure of|refractory to|resistant to|relapsed? on)\s+[\w\s/+&,()-]{0,60}$",
    _FLAGS,
)


def settle_after(
    text: str, record: dict[str, Any], found: list[Any], kb: KnowledgeBase, akb: AnswerKB
) -> tuple[dict[str, Any], list[str]]:
    """Session 8: a course the reader recorded with no setting and no end, named right after
    "after / progressed on / failed" ("after an AI + a CDK4/6 inhibitor", "PD on a SERD") in a
    sentence that names no early (adjuvant) treatment: a metastatic line that ended at progression,
    as the question says."""
    spec = akb.facts.courses
    therapies = record.get("prior_therapies") or []
    if spec is None or not therapies:
        return record, []
    out = copy.deepcopy(record)
    said: list[str] = []
    for t in out["prior_therapies"]:
        if t.get("setting") is not None or t.get("stop_reason") is not None or t.get("end"):
            continue
        ids = {kb.lookup_drug(n) or n for n in t.get("drugs") or []}
        for m in (m for m in found if m.kind == "drug" and m.id in ids and m.prior and not m.negated):
            start = max((s.end() for s in _SENTENCE.finditer(text, 0, m.start)), default=0)
            stop = _SENTENCE.search(text, m.end)
            sentence = text[start : stop.start() if stop else len(text)]
            if _AFTER.search(text[start : m.start]) and not re.search(spec.early, sentence, _FLAGS):
                t["setting"], t["stop_reason"] = "metastatic", "progression"
                names = " + ".join(t.get("drugs") or [])
                said.append(
                    f"{names} read as a metastatic line that ended at progression"
                    " (the question names it after 'after' / 'progressed on')"
                )
                break
    return (out, said) if said else (record, [])
