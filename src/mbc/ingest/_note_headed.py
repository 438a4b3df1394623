"""Paragraphs headed by a metastatic line and its dates (session 9, issue 11).

A narrative history often gives each line a paragraph of its own whose heading names the line
and its dates, and tells the drugs, dose changes and stop in the sentences after it::

    Second line (Mar 2024 - Aug 2024). Tissue NGS showed ... She started A + B. B was reduced
    for rash. Both drugs were stopped in August 2024.

The courses read inside such a paragraph (from its heading to the next heading or blank line)
are one metastatic line: they are joined, and take the heading's dates (their own, when they
have them, win) and the setting ``metastatic``. ``headed_line`` in knowledge/nlp/therapy.yaml
holds the heading pattern; the dates are read with the clause date reader.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from mbc.ingest._note_dates import _therapy_dates
from mbc.ingest._note_lines import _dose_change, _merge_into

if TYPE_CHECKING:
    import datetime as dt
    from collections.abc import Mapping

    from mbc.ingest._extraction import RecordBuilder
    from mbc.ingest._note_pipeline import _Mention

__all__ = ["headed_lines"]

_BLANK = re.compile(r"\n[ \t]*\n")
_SENTENCE = re.compile(r"[^.!?\n]+(?:[.!?](?=\s|$)|$)", re.MULTILINE)


def _stop_reason(text: str, cfg: Mapping[str, Any], spec: Mapping[str, Any]) -> str | None:
    """The stop reason of the last sentence of a paragraph that gives one, leaving out the
    sentences about a dose change or hold and the denied ones ("there was no progression")."""
    denied = re.compile(str(spec.get("denied", "(?!)")), re.IGNORECASE)
    growth = (cfg.get("later_stop") or {}).get("pattern")
    stop_verb = re.compile(str((cfg.get("later_stop") or {}).get("stop_verb", "(?!)")), re.IGNORECASE)
    found = None
    for m in _SENTENCE.finditer(text):
        sentence = denied.sub(" ", m.group(0))
        if _dose_change(sentence, cfg):
            continue
        if growth and re.search(growth, sentence, re.IGNORECASE):
            found = str(cfg["later_stop"].get("stop_reason", "progression"))
            continue
        said_stop = stop_verb.search(sentence) is not None
        for rule in cfg["stop_reasons"]:
            if rule["stop_reason"] == "ongoing" or not re.search(rule["pattern"], sentence, re.IGNORECASE):
                continue
            if rule["stop_reason"] not in ("progression", "completed") and not said_stop:
                continue  # a side effect named without a stop is not why the line ended (safety)
            if rule.get("unless") and re.search(rule["unless"], sentence, re.IGNORECASE):
                continue
            found = str(rule["stop_reason"])
            break
    return found


def _paragraphs(
    text: str, heading: re.Pattern[str], item: re.Pattern[str]
) -> list[tuple[int, int, str]]:
    """(start, end, heading's date text) of each headed paragraph: to the next heading, blank
    line or line that starts a new item ("Line 4 - ...", "- ...", "3) ...")."""
    heads = list(heading.finditer(text))
    out = []
    for i, m in enumerate(heads):
        end = heads[i + 1].start() if i + 1 < len(heads) else len(text)
        blank = _BLANK.search(text, m.end(), end)
        end = blank.start() if blank else end
        line = text.find("\n", m.end(), end)
        while line != -1:
            if item.match(text, line + 1):
                end = line
                break
            line = text.find("\n", line + 1, end)
        out.append((m.start(), end, m.group("dates")))
    return out


def headed_lines(
    b: RecordBuilder, text: str, cfg: Mapping[str, Any], ref: dt.date, drugs: list[_Mention]
) -> None:
    """Join the courses of each headed paragraph into its line (see the module doc)."""
    spec = cfg.get("headed_line")
    items = b.therapy_sources()
    if not spec or not items:
        return
    heading = re.compile(str(spec["heading"]), re.IGNORECASE | re.MULTILINE)
    item = re.compile(str((cfg.get("later_stop") or {}).get("new_item", "(?!)")), re.IGNORECASE)
    paragraphs = _paragraphs(text, heading, item)
    if not paragraphs:
        return
    out = []
    lines: dict[int, Any] = {}  # paragraph -> the item the others join
    firsts: dict[int, int] = {}  # paragraph -> where its line's first drug is named
    ended: set[int] = set()  # paragraphs whose heading gives an end
    for t, src in items:
        mentions = [int(m[0]) for m in src.get("drug_mentions") or []]
        mentions += [
            int(m["span"][0]) for m in src.get("merged") or [] if isinstance(m, dict) and m.get("span")
        ]
        inside = {i for i, (a, z, _) in enumerate(paragraphs) for x in mentions if a <= x < z}
        k = inside.pop() if len(inside) == 1 else None  # in one headed paragraph (and no other)
        if k is None or t.get("setting") in ("adjuvant", "neoadjuvant"):
            out.append((t, src))
            continue
        firsts[k] = min(firsts.get(k, len(text)), *(x for x in mentions if paragraphs[k][0] <= x))
        if k not in lines:
            start, end, _ = _therapy_dates(paragraphs[k][2], cfg, None, ref)
            if start and not t.get("start"):
                t["start"] = start.isoformat()
            if end and t.get("stop_reason") == "ongoing" and not t.get("end"):
                del t["stop_reason"]  # "started A" in a paragraph whose heading says the line ended
            if end and not t.get("end") and t.get("stop_reason") != "ongoing":
                t["end"] = end.isoformat()
            if end:
                ended.add(k)
            t.setdefault("setting", spec.get("setting", "metastatic"))
            src.setdefault("cue_rules", []).append(str(spec["id"]))
            lines[k] = (t, src)
            out.append((t, src))
            continue
        _merge_into(lines[k], (t, src), str(spec["id"]), cfg)
    for k in ended:  # a line the heading ends, with no stop reason: its paragraph's
        t = lines[k][0]
        a, z, _ = paragraphs[k]
        named = [d.start for d in drugs if a <= d.start < z and set(d.inns) & set(t["drugs"])]
        firsts[k] = min([firsts[k], *named])
        if t.get("stop_reason") is None and t.get("end"):
            # from its first drug on: the sentences before it (a "progressing lesion" biopsied
            # to choose it) do not say why it ended
            reason = _stop_reason(text[firsts[k] : paragraphs[k][1]], cfg, spec)
            if reason:
                t["stop_reason"] = reason
    b.replace_therapies(out)
