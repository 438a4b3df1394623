"""FHIR Observation values: what each mapped code's reader takes from the value.

A reader gets the resource and its mapping entry (``knowledge/ingest/fhir.yaml``,
``observations`` / ``display_fallbacks``) and returns ``(field, value, provenance extras)`` or
raises :class:`Unreadable`. Every reader looks at the value it is given (quantity, ratio,
integer, string or coded answer) rather than assuming one shape.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from mbc.ingest._fhir_base import (
    Ctx,
    Res,
    Unreadable,
    codings,
    ratio_value,
    text_of,
)
from mbc.ingest._fhir_percent import agrees, note_percent, percent_beside

__all__ = [
    "Read",
    "answer_word",
    "count_size",
    "her2_value",
    "no_answer",
    "percent_range",
    "read_number",
    "receptor_value",
    "said_of",
    "scaled",
    "unit_key",
    "value_codes",
    "value_words",
]

_NUMBER = re.compile(
    r"(?:(?P<cmp><=?|>=?|less than|greater than|under|over)\s*)?"
    r"(?<![A-Za-z0-9/.])(?P<n>\d+(?:\.\d+)?)(?![A-Za-z0-9])",
    re.I,
)


def value_codes(ctx: Ctx, res: Res) -> list[tuple[str, str, str]]:
    return codings(ctx, res, "valueCodeableConcept", res.body.get("valueCodeableConcept"))


def answer_word(ctx: Ctx, res: Res, words: tuple[str, ...]) -> str | None:
    """The first of ``words`` whose answer code, or answer wording, the value carries."""
    answers = ctx.cfg["answers"]
    codes = value_codes(ctx, res)
    for word in words:
        for a in answers.get(word, []):
            system = ctx.sys(a["system"])
            if any(s == system and c == str(a["code"]) for s, c, _ in codes):
                return word
    text = value_words(res)
    if isinstance(res.body.get("valueBoolean"), bool):
        text += " | " + ("positive" if res.body["valueBoolean"] else "negative")
    if text.strip(" |"):
        for pattern, word in ctx.cfg["answer_words"].items():
            if word in words and re.search(pattern, text, re.IGNORECASE):
                return word
    if not any(k.startswith("value") for k in res.body):  # only an interpretation (POS / NEG)
        table = ctx.cfg.get("interpretation_answers", {})
        for _, code, _ in codings(ctx, res, "interpretation", res.body.get("interpretation")):
            if table.get(code) in words:
                return str(table[code])
    return None


def no_answer(ctx: Ctx, res: Res) -> Unreadable:
    codes = value_codes(ctx, res)
    if codes:
        return Unreadable(f"answer {codes[0][1]} ({codes[0][2]}) not in the mapping")
    return Unreadable("no value the mapping can read")


def read_number(ctx: Ctx, res: Res) -> tuple[float, str, str] | None:
    """(value, unit, comparator) from valueQuantity, valueInteger or a numeric valueString."""
    body = res.body
    q = body.get("valueQuantity")
    if q is not None:
        if not isinstance(q, Mapping) or not isinstance(q.get("value"), int | float):
            ctx.fail(res, "valueQuantity.value", "expected a number")
            raise Unreadable("malformed valueQuantity")
        unit = str(q.get("code") or q.get("unit") or "")
        return float(q["value"]), unit, str(q.get("comparator") or "")
    if isinstance(body.get("valueInteger"), int) and not isinstance(body["valueInteger"], bool):
        return float(body["valueInteger"]), "", ""
    if isinstance(body.get("valueString"), str):
        m = _NUMBER.search(body["valueString"])
        if m:
            cmp = (m.group("cmp") or "").lower()
            cmp = {"less than": "<", "under": "<", "greater than": ">", "over": ">"}.get(cmp, cmp)
            unit = "%" if "%" in body["valueString"] else ""
            return float(m.group("n")), unit, cmp
    ratio = ratio_value(body)  # "HER2/CEP17 2.4 : 1"
    return None if ratio is None else (ratio, "ratio", "")


def unit_key(ctx: Ctx, unit: str) -> str:
    """A unit as written, made comparable: micro signs, powers ("10^9/L", "x10E9/L"), case
    and spaces folded, then the synonyms of ``unit_synonyms`` ("G/L" -> 10*9/L)."""
    u = unit.strip().replace("\u00b5", "u").replace("\u03bc", "u").replace("\u00d7", "x").replace("^", "*")
    u = re.sub(r"\s+", "", u).casefold()
    u = re.sub(r"^x(?=\d)", "", u)
    u = re.sub(r"^10e(?=\d)", "10*", u)
    synonyms = ctx.cfg.get("unit_synonyms") or {}
    table = {re.sub(r"\s+", "", str(k)).casefold(): str(v) for k, v in synonyms.items()}
    return re.sub(r"\s+", "", table.get(u, u)).casefold()


_COUNT = re.compile(r"^(?:10\*(?P<power>\d{1,2})|(?P<plain>1))?/(?P<volume>ul|mm3|nl|l)$")
_PER_UL = {"ul": 1.0, "mm3": 1.0, "nl": 1000.0, "l": 1e-6}  # one per volume, as a count per microlitre


def count_size(key: str) -> float | None:
    """A count per volume as UCUM writes it ("10*9/L", "10*4/uL", "/mm3"; folded by
    :func:`unit_key`): how many per microlitre one unit is. None: not a count per volume."""
    m = _COUNT.match(key)
    if m is None:
        return None
    return 10.0 ** int(m.group("power") or 0) * _PER_UL[m.group("volume")]


def _string_unit(res: Res) -> str:
    """The word just after the number of a value in words ("3.9 K/uL" -> "K/uL"), or ""."""
    said = res.body.get("valueString")
    m = _NUMBER.search(said) if isinstance(said, str) else None
    if m is None:
        return ""
    after = re.match(r"\s*([^\s,;()]+)", said[m.end() :])
    return after.group(1).rstrip(".:") if after else ""


def scaled(ctx: Ctx, res: Res, units: Mapping[str, float] | None) -> float:
    got = read_number(ctx, res)
    if got is None:
        raise Unreadable("no numeric value")
    value, unit, _ = got
    if units is None:
        return value
    q = res.body.get("valueQuantity")
    # the human-readable unit; of a number in words, the word after it ("212 x10E3/uL", "165 cm")
    written = str(q.get("unit") or "") if isinstance(q, Mapping) else _string_unit(res)
    if unit not in units:  # the UCUM code is not listed: the human-readable unit may be
        unit = written if written in units else unit
    if unit not in units:  # as written elsewhere: "mmol/l", "umol/L", "10^9/L", "lbs"
        folded = {unit_key(ctx, str(k)): float(v) for k, v in units.items()}
        for cand in (unit, written):
            if cand and unit_key(ctx, cand) in folded:
                return value * folded[unit_key(ctx, cand)]
        for cand in (unit, written):  # a count per volume in another power ("10*4/uL", "10*12/L")
            size = count_size(unit_key(ctx, cand)) if cand else None
            listed = [(count_size(k), f) for k, f in folded.items() if count_size(k)]
            if size is not None and listed:
                per, factor = listed[0]
                return value * size / float(per or 1) * factor
        raise Unreadable(f"unit {unit!r} not in the mapping")
    return value * float(units[unit])


# ------------------------------------------------- readers: (field, value, extra) or Unreadable

Read = tuple[str, Any, dict[str, Any]]


def receptor_value(ctx: Ctx, res: Res, spec: Mapping[str, Any]) -> Read:
    marker = spec["marker"]
    got = None
    said = res.body.get("valueString")
    score_words = ctx.cfg["receptor_score_words"]
    scored = isinstance(said, str) and "%" not in said and re.search(score_words, said, re.IGNORECASE)
    # a result named as a score ("ER by IHC - Allred": "7/8", or a bare 7): its number is a score
    named_score = re.search(score_words, text_of(res.body.get("code")) or said_of(res), re.IGNORECASE)
    scored = scored or (named_score and not (isinstance(said, str) and "%" in said))
    span = percent_range(res)
    if span is not None:  # "1-10 %" or a valueRange: a status, not a number the record would invent
        return _range_status(marker, span)
    if res.body.get("valueCodeableConcept") is None and not scored:  # "Allred 7/8" is no percentage
        got = read_number(ctx, res)
    else:  # "Positive (95%)" as a coded answer's text, or the percent in a component
        got = percent_beside(ctx, res)
        if got is not None and not agrees(got, answer_word(ctx, res, ("positive", "negative"))):
            got = None  # another percentage ("Negative; tumour cellularity 60%"): the answer stands
    if got is not None:
        value, _, cmp = got
        if cmp.startswith("<") and value <= 1:
            return (
                f"tumor.{marker}_percent",
                0,
                {"certainty": "inferred", "derived": f"reported as {cmp}{value:g}%"},
            )
        if cmp.startswith((">", "\u2265")) and 0 <= value <= float(ctx.cfg["receptor_low_band_top"]):
            # "> 10 %": more than the number, which itself may be a low-positive reading: positive
            why = {"certainty": "inferred", "derived": f"reported as {cmp}{value:g}%"}
            return f"tumor.{marker}_status", "positive", why
        if 0 <= value <= 100:
            return f"tumor.{marker}_percent", value, {}
        raise Unreadable(f"{value} is not a percentage")
    words = ("low", "positive", "negative") if marker == "er" else ("positive", "negative")
    word = answer_word(ctx, res, words)
    allred = ctx.cfg["allred"]
    m = re.search(allred["pattern"], said, re.IGNORECASE) if word is None and isinstance(said, str) else None
    if word is None and m is None and named_score:  # the score word is in the result's name
        value = said if isinstance(said, str) else _bare_number(res)
        allred_named = re.search(allred["name"], said_of(res), re.IGNORECASE)
        m = re.search(allred["pattern"], f"Allred {value}", re.IGNORECASE) if value and allred_named else None
    if m:  # "Allred 7/8": the total score's reading (0-2 negative, 3-8 positive)
        score = int(m.group("score"))
        word = "positive" if score >= int(allred["positive_at"]) else "negative"
        return f"tumor.{marker}_status", word, {"certainty": "inferred", "derived": f"Allred {score}/8"}
    if word is None:
        raise no_answer(ctx, res)
    noted = note_percent(ctx, res)  # "POS" with "95% of tumor nuclei staining" in a note (v2 NTE)
    if noted is not None and agrees(noted, word):
        return f"tumor.{marker}_percent", noted[0], {"derived": "the percentage its note gives"}
    return f"tumor.{marker}_status", word, {}


_RANGE = re.compile(r"(?<![\d.])(?P<lo>\d{1,3})\s*%?\s*(?:-|\u2013|to)\s*(?P<hi>\d{1,3})\s*%")


def percent_range(res: Res) -> tuple[float, float] | None:
    """A percentage of stained nuclei given as a range: a valueRange or "1-10 %" in the words."""
    body = res.body
    rng = body.get("valueRange")
    if isinstance(rng, Mapping):
        lo, hi = (rng.get(k) if isinstance(rng.get(k), Mapping) else {} for k in ("low", "high"))
        if isinstance(lo.get("value"), int | float) and isinstance(hi.get("value"), int | float):
            return float(lo["value"]), float(hi["value"])
    said = " | ".join([str(body.get("valueString") or ""), text_of(body.get("valueCodeableConcept"))])
    m = _RANGE.search(said)
    if m and int(m.group("lo")) <= int(m.group("hi")) <= 100:
        return float(m.group("lo")), float(m.group("hi"))
    return None


def _range_status(marker: str, span: tuple[float, float]) -> Read:
    """ER / PR status of a percentage range: below 1 negative, 1-10 ER-low, else positive."""
    lo, hi = span
    said = {"certainty": "inferred", "derived": f"reported as {lo:g}-{hi:g}%"}
    if hi < 1:
        return f"tumor.{marker}_status", "negative", said
    if lo < 1:
        raise Unreadable(f"range {lo:g}-{hi:g}% spans negative and positive")
    if marker == "er" and hi <= 10:
        return "tumor.er_status", "low", said
    if marker == "er" and lo < 10:
        raise Unreadable(f"range {lo:g}-{hi:g}% spans ER-low and positive")
    return f"tumor.{marker}_status", "positive", said


def _bare_number(res: Res) -> str | None:
    """A value given as a bare number (valueInteger, or a valueQuantity without a unit)."""
    body = res.body
    if isinstance(body.get("valueInteger"), int) and not isinstance(body["valueInteger"], bool):
        return str(body["valueInteger"])
    q = body.get("valueQuantity")
    unitless = isinstance(q, Mapping) and not (q.get("unit") or q.get("code"))
    if isinstance(q, Mapping) and isinstance(q.get("value"), int | float) and unitless:
        return f"{q['value']:g}"
    return None


def _valueless(res: Res) -> Res:
    """A result written with no value[x]: its note's words ("group 5 - negative (not
    amplified)") as its value."""
    body = res.body
    if any(k.startswith("value") for k in body):
        return res
    notes = [
        n["text"] for n in body.get("note") or [] if isinstance(n, Mapping) and isinstance(n.get("text"), str)
    ]
    if notes:
        return Res({**body, "valueCodeableConcept": {"text": " | ".join(notes)}}, res.index)
    return res


_NUM = r"(?P<cmp><=?|>=?|\u2264|\u2265)?\s*(?P<n>\d{1,3}(?:[.,]\d{1,3})?)"


def _ish_said(ish: Mapping[str, Any], text: str) -> tuple[tuple[float, str] | None, float | None]:
    """The HER2/CEP17 ratio and the mean copy number a result's words name each by its own
    name ("ratio 2.4, copy number 5.2"; "HER2/CEP17 1,3"), not the first number written
    ("Group 1 ...")."""
    ratio: tuple[float, str] | None = None
    copies: float | None = None
    m = re.search(rf"(?:{ish['ratio_words']})\W{{0,12}}?(?:(?:of|is|was|=)\s*)?{_NUM}", text, re.IGNORECASE)
    if m is not None:
        cmp = {"\u2264": "<=", "\u2265": ">="}.get(m.group("cmp") or "", m.group("cmp") or "")
        ratio = (float(m.group("n").replace(",", ".")), cmp)
    m = re.search(rf"(?:{ish['copies_words']})[^\d;|]{{0,25}}?{_NUM}", text, re.IGNORECASE)
    if m is not None:
        copies = float(m.group("n").replace(",", "."))
    return ratio, copies


def _ish_numbers(ctx: Ctx, res: Res) -> tuple[tuple[float, str] | None, float | None]:
    """((HER2/CEP17 ratio, comparator), mean HER2 copies per cell) from the value and the
    components (a component named "ratio" / "copy number"); a copies unit marks a copy number."""
    ish = ctx.cfg["her2_ish"]
    ratio: tuple[float, str] | None = None
    copies: float | None = None
    q = res.body.get("valueQuantity")
    said = res.body.get("valueString")
    if isinstance(said, str):  # "Group 1 (ratio 2.4, copy number 5.2)": each number by its name
        ratio, copies = _ish_said(ish, said)
    if (
        ratio is None
        and copies is None
        and "valueCodeableConcept" not in res.body
        and not isinstance(res.body.get("valueInteger"), int)
    ):
        got = read_number(ctx, res)
        if got is not None:
            value, unit, cmp = got
            unit_words = f"{unit} {q.get('unit', '') if isinstance(q, Mapping) else ''}"
            # a result named as a copy number ("HER2 copy number per cell"), or whose value's own
            # words say so ("HER2 copy number 4.5"), not a ratio
            copies_words, ratio_words = ish["copies_words"], ish["ratio_words"]
            named_copies = any(
                re.search(copies_words, w, re.IGNORECASE) and not re.search(ratio_words, w, re.IGNORECASE)
                for w in (said_of(res), value_words(res))
            )
            named_ratio = any(
                re.search(ratio_words, w, re.IGNORECASE) for w in (said_of(res), value_words(res), unit_words)
            )
            if named_copies or re.search(ish["copies_words"], unit_words, re.IGNORECASE):
                copies = value
            elif not named_ratio and not unit.strip() and not cmp:
                _either_way(ctx, value)  # "HER2 FISH": 4.5 - a ratio or a copy number? read if both agree
                ratio = (value, cmp)
            else:
                ratio = (value, cmp)
    for comp in res.body.get("component") or []:
        if not isinstance(comp, Mapping):
            continue
        name = text_of(comp.get("code"))
        values = {k: v for k, v in comp.items() if k.startswith("value")}
        part = Res({"resourceType": res.type, "id": res.id, **values}, res.index)  # names its resource
        got = read_number(ctx, part) if values else None
        if got is None:
            continue
        if ratio is None and re.search(ish["ratio_words"], name, re.IGNORECASE):
            ratio = (got[0], got[2])
        elif copies is None and re.search(ish["copies_words"], name, re.IGNORECASE):
            copies = got[0]
    return ratio, copies


def _either_way(ctx: Ctx, value: float) -> None:
    """A bare number under a HER2 ISH name that says neither ratio nor copies: read only when
    it means the same as a HER2/CEP17 ratio and as a mean copy number (below 2.0, or 6.0 and
    above); between, a ratio would say amplified and a copy number would not decide."""
    ish = ctx.cfg["her2_ish"]
    cut, high = float(ctx.cfg["her2_ratio_amplified_at"]), float(ish["copies_high"])
    if cut <= value < high:
        raise Unreadable(f"HER2 ISH value {value:g} without a unit: a ratio or a copy number is not said")


def _with_sibling(
    ctx: Ctx, res: Res, ratio: tuple[float, str] | None, copies: float | None
) -> tuple[tuple[float, str] | None, float | None]:
    """A HER2/CEP17 ratio and the mean HER2 copy number reported as two results of one test
    (same day, same specimen): read together (ASCO-CAP groups), not each alone."""
    ish = ctx.cfg["her2_ish"]
    day, spec = res.body.get("effectiveDateTime"), res.body.get("specimen")
    seen: set[int] = {id(res.body)}
    for other in ctx.by_ref.values():
        body = other.body
        if id(body) in seen or other.type != "Observation" or "valueCodeableConcept" in body:
            continue
        seen.add(id(body))
        if body.get("effectiveDateTime") != day or body.get("specimen") != spec:
            continue
        name = said_of(other)
        if not re.search(ish["her2_words"], name, re.IGNORECASE):
            continue
        got = read_number(ctx, other)
        if got is None:
            continue
        if ratio is None and re.search(ish["ratio_words"], name, re.IGNORECASE):
            return (got[0], got[2]), copies
        if (
            copies is None
            and re.search(ish["copies_words"], name, re.IGNORECASE)
            and not re.search(ish["ratio_words"], name, re.IGNORECASE)
        ):
            return ratio, got[0]
    return ratio, copies


def _ish_word(ctx: Ctx, ratio: tuple[float, str] | None, copies: float | None) -> tuple[str, str]:
    """Amplification from the ratio and / or the copy number (ASCO-CAP 2018 groups 1 and 5 for
    a dual-probe assay; the single-probe cut-offs for a copy number alone). Groups 2-4 and a
    single-probe 4-6 copies need the IHC read beside them: not decided here."""
    ish = ctx.cfg["her2_ish"]
    cut = float(ctx.cfg["her2_ratio_amplified_at"])
    low, high = float(ish["copies_low"]), float(ish["copies_high"])
    if ratio is not None and copies is not None:
        r = ratio[0]
        if r >= cut and copies >= low:
            return "amplified", f"HER2/CEP17 ratio {r:g}, {copies:g} copies (ASCO-CAP group 1)"
        if r < cut and copies < low:
            return "not_amplified", f"HER2/CEP17 ratio {r:g}, {copies:g} copies (ASCO-CAP group 5)"
        raise Unreadable(f"ratio {r:g} with {copies:g} copies: ASCO-CAP group 2-4, needs the IHC")
    if ratio is not None:
        value, cmp = ratio
        if (cmp.startswith("<") and value <= cut) or (not cmp and value < cut):
            return "not_amplified", f"HER2/CEP17 ratio {cmp}{value:g}"
        if (cmp.startswith(">") and value >= cut) or (not cmp and value >= cut):
            return "amplified", f"HER2/CEP17 ratio {cmp}{value:g}"
        raise Unreadable(f"ratio {cmp}{value:g} does not decide amplification")
    assert copies is not None
    if copies >= high:
        return "amplified", f"{copies:g} HER2 copies per cell (single probe)"
    if copies < low:
        return "not_amplified", f"{copies:g} HER2 copies per cell (single probe)"
    raise Unreadable(f"{copies:g} HER2 copies per cell: 4-6, needs the IHC")


def her2_value(ctx: Ctx, res: Res, spec: Mapping[str, Any]) -> Read:
    """HER2 by IHC, ISH or interpretation: the value's shape decides the field."""
    method = spec.get("method", "any")
    res = _valueless(res)
    if method != "ish":
        from mbc.ingest._fhir_ihc import ihc_score  # (split out: module size)

        score = ihc_score(ctx, res, ihc=method == "ihc")
        if score is not None:
            return "tumor.her2_ihc", score, {}
    if method != "ihc":
        ratio, copies = _ish_numbers(ctx, res)
        if (ratio is None) != (copies is None):  # the other number as a result of its own, same test
            ratio, copies = _with_sibling(ctx, res, ratio, copies)
        words = res.body.get("valueCodeableConcept") is not None or (
            isinstance(res.body.get("valueString"), str) and ratio is None and copies is None
        )
        if not words and (ratio is not None or copies is not None):
            word, why = _ish_word(ctx, ratio, copies)
            return "tumor.her2_ish", word, {"certainty": "inferred", "derived": why}
    amp = answer_word(ctx, res, ("not_amplified_word", "amplified_word"))
    if amp is not None and method != "ihc":
        return "tumor.her2_ish", amp.removesuffix("_word"), {}
    word = answer_word(ctx, res, ("equivocal", "positive", "negative"))
    if word is None:
        raise no_answer(ctx, res)
    if method == "ish":
        if word == "equivocal":
            raise Unreadable("equivocal ISH result")
        return "tumor.her2_ish", "amplified" if word == "positive" else "not_amplified", {}
    if method == "ihc" and word in ("equivocal", "positive"):
        score = ctx.cfg["her2_ihc_qualitative"][word]
        return "tumor.her2_ihc", score, {"certainty": "inferred", "derived": f"IHC reported as {word}"}
    if word == "equivocal":
        raise Unreadable("HER2 equivocal with no IHC score or ISH result")
    return "tumor.her2_status", word, {}


def value_words(res: Res) -> str:
    """The words of a result's value: its coded answer's text, then its string ("a | b")."""
    text = text_of(res.body.get("valueCodeableConcept"))
    if isinstance(res.body.get("valueString"), str):
        text += " | " + res.body["valueString"]
    return text


def said_of(res: Res) -> str:
    """The words around a result: its code's text and displays, method and notes."""
    body = res.body
    parts = [text_of(body.get("code")), text_of(body.get("method"))]
    codes = (body.get("code") or {}).get("coding") or []
    parts += [str(c.get("display")) for c in codes if isinstance(c, Mapping)]
    parts += [str(n.get("text")) for n in body.get("note") or [] if isinstance(n, Mapping)]
    return " | ".join(p for p in parts if p)
