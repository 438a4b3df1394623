"""Prior therapies from a note: clause by clause, with settings, stop reasons and dates."""

from __future__ import annotations

import bisect
import datetime as dt
import re
from typing import TYPE_CHECKING, Any

from mbc.ingest._data import drug_index
from mbc.ingest._extraction import Source

if TYPE_CHECKING:
    from collections.abc import Mapping

# ---------------------------------------------------------------- therapies
from mbc.ingest._note_actions import _State
from mbc.ingest._note_corrections import blanked, inside, retracted_claims
from mbc.ingest._note_cues import later_stops, surgery_next
from mbc.ingest._note_cues import operated as operated_word
from mbc.ingest._note_dated_items import split_dated_items
from mbc.ingest._note_dates import (
    _chain_durations,
    _Clause,
    _duration,
    _iso,
    _split_line_lists,
    _therapy_dates,
    relapse_date,
)
from mbc.ingest._note_fields import split_endocrine_from_chemo
from mbc.ingest._note_headed import headed_lines
from mbc.ingest._note_items import (
    _aside,
    _item,
    _item_end,
    _list_aside,
    _not_started,
    _past_course,
    _past_row,
    _row_breaks,
    _self_corrected,
)
from mbc.ingest._note_merge import partial_drop, repeated_drop
from mbc.ingest._note_pipeline import _Mention
from mbc.ingest._note_relative import _relative_dates
from mbc.ingest._note_status import medication_ended
from mbc.ingest._note_withheld import drop_proposed, withhold_not_given


def _clauses(
    sentence: str, start: int, breaks: re.Pattern[str], words: Mapping[str, Any]
) -> list[tuple[int, int, str]]:
    """(start, end, separator-before) of each clause, in absolute offsets."""
    out: list[tuple[int, int, str]] = []
    pos, sep = 0, ""
    for m in breaks.finditer(sentence):
        out.append((start + pos, start + m.start(), sep))
        pos, sep = m.end(), _english_sep(m.group(0).lower(), words)
    out.append((start + pos, start + len(sentence), sep))
    return [c for c in out if c[1] > c[0]]


def _english_sep(sep: str, words: Mapping[str, Any]) -> str:
    """A separator in another language read as its English word ("puis" -> "then"), so the
    cues that look at the separator ("then", "followed") work the same
    (``separator_words`` in knowledge/nlp/therapy.yaml, passed in from the pipeline's copy)."""
    for word, english in words.items():
        if word in sep:
            return sep.replace(word, str(english))
    return sep


def _first(patterns: list[Mapping[str, Any]], key: str, text: str) -> tuple[str, str] | None:
    text = re.sub(r"\s+", " ", text)  # a cue broken across a line ("after\nstarting") is one cue
    for p in patterns:
        if re.search(p["pattern"], text, re.IGNORECASE) and not (
            p.get("unless") and re.search(p["unless"], text, re.IGNORECASE)
        ):
            return str(p[key]), str(p["id"])
    return None


def _after_surgery(cfg: Mapping[str, Any], carried: str | None, text: str) -> str | None:
    """The setting carried on past ``text``: "neoadjuvant A, mastectomy, then B" makes B
    adjuvant (``after_surgery`` in knowledge/nlp/therapy.yaml)."""
    surgery = cfg.get("after_surgery")
    if surgery and carried == surgery["from"] and re.search(surgery["pattern"], text, re.IGNORECASE):
        return str(surgery["to"])
    return carried


def _all_clauses(
    text: str,
    sents: list[tuple[int, int]],
    breaks: re.Pattern[str],
    words: Mapping[str, Any],
    rows: Mapping[str, Any] | None = None,
) -> list[_Clause]:
    out: list[_Clause] = []
    joins = re.compile(rows["joins"], re.IGNORECASE) if rows else None
    for n, (s_start, s_end) in enumerate(sents):
        for a, b, sep in _clauses(text[s_start:s_end], s_start, breaks, words):
            cuts = _row_breaks(text, a, b, int(rows["short"]), joins) if joins is not None and rows else []
            for lo, hi in zip([a, *cuts], [*cuts, b], strict=True):
                out.append(_Clause(lo, hi, sep if lo == a else "", n))
    return out


def _assemble_therapies(  # noqa: C901, PLR0912, PLR0915 - one pass over the clauses, cue by cue
    st: _State,
    text: str,
    sents: list[tuple[int, int]],
    drugs: list[_Mention],
    cfg: Mapping[str, Any],
) -> None:
    relapse_date(st, text, drugs, cfg)
    breaks = re.compile(cfg["clause_breaks"], re.IGNORECASE)
    words = cfg.get("separator_words") or {}
    index = drug_index()
    metastatic_note = "metastatic" in st.flags or st.builder.has("metastases.sites")
    clauses = split_endocrine_from_chemo(
        text, _all_clauses(text, sents, breaks, words, cfg.get("row_breaks")), drugs, index, cfg
    )
    clauses = split_dated_items(text, clauses, drugs, cfg)  # session 13: "A 2021-23 (PD), B 2023-25 (PD)"
    clauses, list_settings = _split_line_lists(text, clauses, cfg)
    drop = {"negated", "hypothetical", "family", "planned", "uncertain"}

    drugs = sorted(drugs, key=lambda d: d.start)
    drug_starts = [d.start for d in drugs]
    cue_list = sorted(st.therapy_cues, key=lambda c: c.start)
    cue_starts = [c.start for c in cue_list]
    not_current = re.compile(cfg["medication_not_current"], re.IGNORECASE)
    continued = re.compile(cfg["continued"]["before"], re.IGNORECASE)
    joined = re.compile(cfg["continued"]["joined"], re.IGNORECASE)
    item_breaks = re.compile(cfg["medication_item_breaks"], re.IGNORECASE)
    not_started = re.compile(cfg["medication_not_started"], re.IGNORECASE)
    correction = re.compile(cfg["self_correction"], re.IGNORECASE) if cfg.get("self_correction") else None
    retract = cfg.get("retracted_claim")
    retracted = retracted_claims(text, re.compile(retract, re.IGNORECASE) if retract else None)
    cue_src = blanked(text, retracted)  # "stopped - neuropathy? no: for PD": the answer is read
    not_med_sections = set(cfg.get("not_medication_sections", ()))
    stopped_meds: set[str] = set()  # "requiring drug X; X since stopped": X is not current
    made: list[tuple[dict[str, Any], Source, tuple[int, int] | None]] = []
    since_then = _iso(st.builder.get("metastatic_diagnosis_date"))
    section_stops: Mapping[str, Mapping[str, str]] = cfg.get("section_stop_reasons", {})
    then_carry = cfg["then_carry"]
    carried: str | None = None
    carried_dates: tuple[dt.date | None, dt.date | None, str | None] = (None, None, None)
    prev_stop_hit: tuple[str, str] | None = None
    prev_clause = ""
    sentence_therapies: list[tuple[dict[str, Any], Source]] = []
    operated: str | None = None  # "lumpectomy, AC -> <taxane>": the surgery word seen in this sentence
    after_run = False  # "on C 3L (after A, then B)": clauses naming the lines before a named line
    for n, cl in enumerate(clauses):
        c_start, c_end, sep = cl.start, cl.end, cl.sep
        if n and clauses[n - 1].sent != cl.sent:
            carried, carried_dates, prev_stop_hit, prev_clause = None, (None, None, None), None, ""
            sentence_therapies = []
            operated = None
            after_run = False
        operated = operated_word(cfg, operated, text, cl, sents, drugs, drug_starts)
        clause = text[c_start:c_end]
        # "AC followed by T" is one regimen sequence: a setting or date written once applies to all
        chain_end = c_end
        for nxt in clauses[n + 1 :]:
            if nxt.sent != cl.sent or "followed" not in nxt.sep:
                break
            chain_end = nxt.end
        chain = text[c_start:chain_end]
        in_clause = drugs[bisect.bisect_left(drug_starts, c_start) : bisect.bisect_left(drug_starts, c_end)]
        usable = _continued(text, c_start, in_clause, drop, continued, joined)
        if len(usable) < len(in_clause) and _past_row(clause, cfg, st.ref_date, _first):
            usable = _past_course(in_clause, usable)
        item_end = _item_end(text, max(c_end, sents[cl.sent][1] if sents else c_end))
        kept = {id(d) for d in usable}  # a set: a long clause (a table of rows) stays linear
        for d in in_clause:
            if id(d) not in kept:
                st.builder.note_unread(
                    {
                        "kind": "mention_not_used",
                        "reason": ", ".join(sorted(d.attrs)),
                        **d.src(),
                    }
                )
        usable = [
            d
            for d in usable
            if not _taken_back(st, retracted, d)
            and not _not_started(st, text, (c_start, item_end), d, item_breaks, drug_starts, not_started)
            and not _list_aside(st, text, d, index)
        ]
        setting_hit = _first(cfg["settings"], "setting", clause) or _first(cfg["settings"], "setting", chain)
        setting = setting_hit[0] if setting_hit else None
        carry_then = (
            setting is None
            and carried in then_carry["settings"]
            and "then" in sep
            and not re.search(then_carry["unless"], clause, re.IGNORECASE)
        )
        if setting is None and carried is not None and "followed" in sep:
            setting = carried
        by_section = next(
            (cfg.get("section_settings", {}).get(d.section) for d in in_clause if d.section), None
        )
        if setting is None and by_section is not None:  # under "Metastatic lines:"
            setting_hit = (str(by_section["setting"]), str(by_section["id"]))
            setting = setting_hit[0]
        if setting is None and n in list_settings:  # an item of "s/p 3 lines (A, B, C)"
            setting_hit = list_settings[n][:2]
            setting = setting_hit[0]
        cues = cue_list[bisect.bisect_left(cue_starts, c_start) : bisect.bisect_left(cue_starts, c_end)]
        cancer = [d for d in usable if any(index.kind.get(i) == "antineoplastic" for i in d.inns)]
        cancer = _self_corrected(st, text, cancer, correction, drugs)
        # "D/C meds:" / "D/C Rx:" is the discharge list, not a stop (s8-fields)
        list_stop = re.match(
            r"^[^\w(]*(?:stopped|discontinued|d/c(?!\s*(?:meds?|medications?|rx|scripts?|list|summary)\b)|held|ceased)\b",
            clause,
            re.IGNORECASE,
        )
        for d in usable:
            # A medication list item is judged on its own words ("drug A STOPPED (AKI),
            # drug B 5 mg": drug B is current); "ended" is set by ConText (s6-ctx).
            item = _item(
                text,
                c_start,
                item_end,
                d.start,
                d.end,
                item_breaks,
                drug_starts,
            )
            stopped_med = (
                list_stop
                or not_current.search(re.sub(r"\s+", " ", item))
                or medication_ended(re.sub(r"\s+", " ", item), st.ref_date)  # session 13
                or "ended" in d.attrs
                or d.section in not_med_sections
            )
            for inn in d.inns:
                if index.kind.get(inn) == "antineoplastic":
                    continue
                if stopped_med:
                    st.builder.note_unread(
                        {"kind": "mention_not_used", "reason": "not a current medication", **d.src()}
                    )
                    stopped_meds.add(inn)
                else:
                    st.builder.add("medications", inn, d.src("nlp.drug.medication"))
        if not cancer:
            for cue in cues:
                if cue.attrs & drop:
                    continue
                what = re.sub(r"\s+", " ", cue.text.strip().lower())
                if setting and setting not in what:
                    what = f"{setting} {what}"
                st.builder.note_unread(
                    {
                        "kind": "therapy_without_drugs",
                        "value": what + cfg["unnamed_suffix"],
                        **cue.src(),
                    }
                )
                if setting in ("adjuvant", "neoadjuvant"):
                    st.flags.setdefault("early_treatment", cue.src())
            carried = setting or carried
            carried = _after_surgery(cfg, carried, clause)
            if not in_clause:
                prev_clause = clause
            continue
        inns: list[str] = []
        for d in cancer:
            inns.extend(i for i in d.inns if i not in inns and index.kind.get(i) == "antineoplastic")
        for d in cancer:  # "THP" with the taxane written out: the one written
            alts = index.either.get(d.text.lower())
            named = {i for o in cancer if o is not d for i in o.inns} & alts if alts else set()
            if alts and named:
                inns = [i for i in inns if i not in alts or i in named]
        # A drug-less clause right after this one that starts with a stop cue finishes it.
        cut = repeated_drop(text, c_start, c_end, cancer, cfg)
        # "A + B + C, A dropped for X, B + C maintained": the stop said there is A's alone (session 9)
        cue_text = cue_src[c_start:c_end]
        if cut is not None:
            cue_text = cue_src[c_start : cut[0]] + cue_src[cut[1] : c_end]
        own_text = cue_text
        if n + 1 < len(clauses):
            nxt = clauses[n + 1]
            gap = cue_src[c_end : nxt.start]
            nxt_text = cue_src[nxt.start : nxt.end]
            if (
                re.fullmatch(cfg["continuation_gap"], gap)  # s13: "held, then stopped"
                and not any(nxt.start <= d.start < nxt.end for d in drugs)
                and (re.match(cfg["continuation"], nxt_text, re.IGNORECASE) or inside(retracted, nxt.start))
                and _first(cfg["stop_reasons"], "stop_reason", own_text)
                in (None, _ongoing_hit(cfg, own_text))
            ):
                cue_text = f"{own_text} {nxt_text}"
        stop_hit = _first(cfg["stop_reasons"], "stop_reason", cue_text)
        if stop_hit is None and n in list_settings:  # "3 lines, each stopped for progression: A; B"
            stop_hit = _first(cfg["stop_reasons"], "stop_reason", list_settings[n][2])
        held = cfg["not_stopped"]
        if re.search(held["pattern"], cue_text, re.IGNORECASE) and not re.search(
            held["unless"], cue_text, re.IGNORECASE
        ):
            stop_hit = (str(held["stop_reason"]), str(held["id"]))  # a dose reduction or hold
        on_drug = cfg["on_drug"]
        if (
            stop_hit is None
            and prev_stop_hit is not None
            and prev_stop_hit[0] == "progression"
            and "then" in sep
            and re.search(cfg["progressed_on"], prev_clause, re.IGNORECASE)
            and re.match(cfg["chain_on"], clause, re.IGNORECASE)
        ):
            stop_hit = prev_stop_hit  # "progressed on X and then on Y"
        cause = cfg.get("cause_before")  # "PD on CT 09/2026 -> X stopped 22/09" (session 11)
        if stop_hit is None and cause and prev_clause and re.search(cause["sep"], sep):
            hit = _first(cfg["stop_reasons"], "stop_reason", prev_clause)
            if hit is not None and hit[0] in cause["reasons"] and re.search(cause["stopped"], cue_text, re.I):
                stop_hit = (hit[0], str(cause["id"]))
        if stop_hit is None and any(
            re.search(on_drug["pattern"], text[c_start : d.start], re.IGNORECASE) for d in cancer
        ):
            stop_hit = (str(on_drug["stop_reason"]), str(on_drug["id"]))
        listed = [  # in a medication list, and its item does not say it has ended
            d
            for d in cancer
            if d.section in section_stops
            and not _aside(text, d.start)
            and not not_current.search(
                _item(text, c_start, item_end, d.start, d.end, item_breaks, drug_starts)
            )
        ]
        if stop_hit is None:
            for d in listed:
                by_section = section_stops.get(d.section or "")
                if by_section is not None:
                    stop_hit = (str(by_section["stop_reason"]), str(by_section["id"]))
                    break
        after_run = "after" in sep or (after_run and ("then" in sep or "followed" in sep))
        metastatic = (x for x in reversed(sentence_therapies) if x[0].get("setting") == "metastatic")
        host_line = next(metastatic, None) if after_run and cfg.get("earlier_line") else None  # lazy: linear
        induction = False
        if after_run and cfg.get("earlier_line") and host_line is not None:
            # the lines given before a metastatic line named first in the sentence (session 8);
            # after a maintenance line, its induction ("HP + AI maintenance (1L, after 6x <taxane>)")
            spec = cfg["earlier_line"]
            induction = (
                re.search(cfg["maintenance_word"], str(host_line[1].get("text", "")), re.IGNORECASE)
                is not None
            )
            if setting is None:
                setting_hit = ("metastatic", str(spec["setting_id"]))
                setting = setting_hit[0]
            # its stop reason is not said: left unknown (a next line does not say why the last ended)
        stop = stop_hit[0] if stop_hit else None
        bounds = (c_start, c_end, max(d.end for d in cancer), max(c_end, sents[cl.sent][1] if sents else 0))
        dropped = stop not in (None, "ongoing", "progression") and cut is None
        if dropped and partial_drop(st.builder, text, bounds, inns, made, cfg):
            continue  # "A + B + C; A dropped for X, B + C maintained": not the line's stop (session 9)
        if carry_then and not (stop == "ongoing" and metastatic_note):
            setting = carried  # "adjuvant X then Y"; not a drug taken now for mets
        rules = [r for r in (setting_hit and setting_hit[1], stop_hit and stop_hit[1]) if r]
        if (
            setting is None
            and stop not in ("ongoing", "progression")
            and surgery_next(cfg, text, c_end, sents, cl)
        ):
            spec = cfg["surgery_setting"]  # "TCHP x6 -> surgery": before the operation (session 8)
            setting = str(spec["before"])
            rules.append(str(spec["before_id"]))
        if setting is None and operated is not None and stop not in ("ongoing", "progression"):
            spec = cfg["surgery_setting"]
            setting = str(spec["setting"])  # after the operation on the primary: adjuvant (session 8)
            rules.append(str(spec["id"]))
        after_drugs = text[max(d.end for d in cancer) : c_end]
        anchor = stop in cfg["duration_anchor_stops"] and setting not in ("adjuvant", "neoadjuvant")
        start, end, precision = _therapy_dates(
            cue_text, cfg, stop, st.ref_date, after_drugs=after_drugs, anchor=anchor, since_then=since_then,
            before_drugs=text[c_start : min(d.start for d in cancer)],
        )  # fmt: skip
        if start is None and end is None and chain != clause:
            start, end, precision = _therapy_dates(chain, cfg, stop, st.ref_date, anchor=anchor)
        if start is None and end is None and "followed" in sep:
            start, end, precision = carried_dates
        if stop == "ongoing" and end is not None and re.search(cfg["end_date"], cue_text, re.IGNORECASE):
            stop = None  # "started X 2018, stopped 2020": it has ended, reason not given
        if setting is None and stop == "progression":
            setting = cfg["progression_default_setting"]["setting"]
            rules.append(cfg["progression_default_setting"]["id"])
        elif setting is None and stop == "ongoing" and metastatic_note:
            setting = cfg["ongoing_metastatic_default"]["setting"]
            rules.append(cfg["ongoing_metastatic_default"]["id"])
        therapy: dict[str, Any] = {"drugs": inns}
        if setting:
            therapy["setting"] = setting
        if start:
            therapy["start"] = start.isoformat()
        if end and stop != "ongoing":
            therapy["end"] = end.isoformat()
        if stop:
            therapy["stop_reason"] = stop
        src: Source = {
            "source": "note",
            "rule": "nlp.therapy.clause",
            "cue_rules": rules,
            "span": [c_start, c_end],
            "text": clause.strip(),
            "drug_mentions": [[d.start, d.end, d.text] for d in cancer],
            "_sep": sep,
            "_sent": cl.sent,
            "_section": next(
                (d.section for d in cancer if d.section and (d in listed or d.section not in section_stops)),
                None,
            ),
        }
        if precision:
            src["date_precision"] = precision
        if induction:
            src["_induction"] = True
        if stop is not None and re.search(cfg["shared_stop"], clause, re.IGNORECASE):
            # "X then Y, both with progression"
            for earlier, e_src in sentence_therapies:
                if "stop_reason" not in earlier:
                    earlier["stop_reason"] = stop
                    e_src["cue_rules"] = [*e_src["cue_rules"], "nlp.therapy.stop.shared"]
                    if "setting" not in earlier and stop == "progression":
                        earlier["setting"] = cfg["progression_default_setting"]["setting"]
        st.builder.therapy(therapy, src)
        sentence_therapies.append((therapy, src))
        made.append((therapy, src, _duration(cue_text, cfg) if precision == "duration" else None))
        if setting in ("adjuvant", "neoadjuvant"):
            st.flags.setdefault("early_treatment", src)
        carried = setting
        carried = _after_surgery(cfg, carried, after_drugs)
        carried_dates = (start, end, precision)
        prev_stop_hit = stop_hit
        prev_clause = clause
    if stopped_meds:
        st.builder.discard("medications", stopped_meds)
    if cfg.get("later_stop"):
        later_stops(text, sents, drugs, cfg["later_stop"], made, cfg)
    if cfg.get("chain_durations"):
        _chain_durations(made, st.ref_date)
    from mbc.ingest._note_lines import consolidate, open_latest_line
    from mbc.ingest._note_maintenance import all_lines_stopped
    from mbc.ingest._note_went_on import went_on  # session 13: "kept taking A" after an early A
    consolidate(st.builder, cfg, index, metastatic_note)
    went_on(st.builder, text, drugs, cfg, metastatic_note or st.builder.has("metastases.sites"))
    drop_proposed(st.builder, drugs, drop)
    withhold_not_given(st.builder, text, sents, drugs, cfg, drop)
    headed_lines(st.builder, text, cfg, st.ref_date, drugs)
    _relative_dates(st, text, sents, drugs, cfg, made)
    open_latest_line(st.builder, cfg, metastatic_note)
    all_lines_stopped(st.builder, text, sents, drugs, cfg.get("all_lines_stop"))


def _continued(
    text: str,
    c_start: int,
    in_clause: list[_Mention],
    drop: set[str],
    before: re.Pattern[str],
    joined: re.Pattern[str],
) -> list[_Mention]:
    """The clause's drug mentions read as given: none that is negated, family, planned, asked or
    uncertain, except a drug the clause says goes on ("Plan: continue A + B", "she will stay on
    A"; session 9: a plan to continue a drug says it is being taken) and the drugs joined to it."""
    out: list[_Mention] = []
    going_on: _Mention | None = None
    for d in in_clause:
        if not d.attrs & drop:
            out.append(d)
            continue
        if d.attrs & drop <= {"planned", "hypothetical"} and (
            before.search(text, max(c_start, d.start - 60), d.start)
            or (going_on is not None and joined.fullmatch(text, going_on.end, d.start))
        ):
            d.attrs -= {"planned", "hypothetical"}  # read as given from here on (the not-given checks too)
            out.append(d)
            going_on = d
    return out


def _taken_back(st: _State, retracted: list[tuple[int, int]], d: _Mention) -> bool:
    """A drug named in a claim the note takes back ("A given with line 2? - no, ...") is not given."""
    if not inside(retracted, d.start):
        return False
    st.builder.note_unread({"kind": "mention_not_used", "reason": "taken back in the note", **d.src()})
    return True


def _ongoing_hit(cfg: Mapping[str, Any], clause: str) -> tuple[str, str] | None:
    """The clause's stop cue if it is only an "ongoing" cue ("started X 2023-06")."""
    hit = _first(cfg["stop_reasons"], "stop_reason", clause)
    return hit if hit is not None and hit[0] == "ongoing" else None


# a comma part that speaks of the item before it ("..., now discontinued", "..., oncologist has
# stopped it"), not a new item ("..., pip-taz stopped yesterday")
