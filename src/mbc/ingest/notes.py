"""Read a clinical note, or a clinician's / patient's question, into a contract-v1 record.

Rule-based clinical NLP on medspaCy: target rules (regular expressions with named groups,
``knowledge/nlp/targets.yaml``) find mentions; medspaCy's PyRuSH splits sentences, its
Sectionizer finds sections (``knowledge/nlp/sections.yaml``) and its ConText marks negated,
hypothetical, family and historical mentions (``knowledge/nlp/context.yaml``). Each mention's
``emit`` actions (a closed set, :data:`_ACTIONS`) turn it into facts. Drug mentions come from
``knowledge/ingest/drugs.yaml`` and are assembled into prior therapies clause by clause with
the cues in ``knowledge/nlp/therapy.yaml``.

Target rules are matched by our own regex pass, not medspaCy's TargetMatcher: its regex
matcher drops any match that does not align with token boundaries and warns (an error under
``filterwarnings=error``) when two matches overlap, and several rules here overlap on purpose.
The spans are handed to the medspaCy components as a span group.

Nothing here downloads a model; the pipeline is a blank English one.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from typing import TYPE_CHECKING, Any

from mbc.errors import NoteExtractionError, Problem
from mbc.ingest._data import drug_index, load_yaml
from mbc.ingest._extraction import Extraction, RecordBuilder

if TYPE_CHECKING:
    pass

from mbc.ingest._note_actions import _ACTIONS, _apply, _site_words, _State, note_date_of
from mbc.ingest._note_aside import clear_family_asides
from mbc.ingest._note_corrections import (
    blanked,
    copied_regions,
    correction_regions,
    prefer_corrections,
    prefer_fresh,
    taken_back,
    without_retracted,
)
from mbc.ingest._note_fields import (
    dated_symptoms,
    flatten_dropdowns,
    prefer_measured_receptors,
    primary_panel_superseded,
    receptor_source_from_specimen,
    ticked_sites,
)
from mbc.ingest._note_infer import infer
from mbc.ingest._note_labs import REF_DATE, expire_old_labs, read_lab_tables
from mbc.ingest._note_ocr import mend_ocr
from mbc.ingest._note_order import DAY_FIRST, day_first
from mbc.ingest._note_pipeline import (
    TargetRule,
    _annotate,
    _Compiled,
    _find_mentions,
    _Mention,
    _pipeline,
    _proxy_words,
)
from mbc.ingest._note_spelling import mend_spelling
from mbc.ingest._note_status import note_status
from mbc.ingest._note_table import read_therapy_tables
from mbc.ingest._note_therapy import _assemble_therapies, _first
from mbc.ingest._note_vocab import words_of

__all__ = ["_ACTIONS", "TargetRule", "_Compiled", "read_note"]

_EARLIEST_DATE = dt.date(1900, 1, 1)  # a reference date before it is no date of a visit

# ---------------------------------------------------------------- entry point


def read_note(text: str, *, as_of: dt.date | None = None, assume: bool = False) -> Extraction:
    """Read a note or question into an extraction.

    Args:
        text: The note text.
        as_of: The record's ``as_of``; a date in the note header is the reference for
            "now" and durations. Default: the note date, else today.
        assume: Also record the facts an inference only assumes (else listed in ``unread``).

    Returns:
        The extraction.

    Raises:
        NoteExtractionError: If the note is empty.
    """
    if not text or not text.strip():
        raise NoteExtractionError("the note is empty", [Problem(("note",), "no text to read", "empty_note")])
    if as_of is not None and as_of < _EARLIEST_DATE:  # durations back from it would leave the calendar
        problem = Problem(("as_of",), f"before {_EARLIEST_DATE}", "date")
        raise NoteExtractionError("as_of is out of range", [problem])
    text = mend_ocr(flatten_dropdowns(_unquote(text)))  # same length: spans still point at the note as given
    text = mend_spelling(text)  # session 12: a misspelt cancer drug name, same length
    token = DAY_FIRST.set(day_first(text, as_of))
    try:
        return _read(text, as_of, assume)
    finally:
        DAY_FIRST.reset(token)


_QUOTE = re.compile(r"^[ \t]*(?:>[ \t]?)+", re.MULTILINE)


def _unquote(text: str) -> str:
    """E-mail quote marks ("> " at a line start) blanked, same length (offsets kept): a quoted
    list or history is read as the lines it quotes."""
    return _QUOTE.sub(lambda m: " " * len(m.group(0)), text) if ">" in text else text


def _read(text: str, as_of: dt.date | None, assume: bool) -> Extraction:
    pipe = _pipeline()
    if pipe.scope is not None:  # session 13: a claim the writer takes back is not read
        sc = pipe.scope
        named = drug_index().find(text) if sc.rejects.search(text) else []
        drugs = [(s, e, inns) for s, e, _w, inns in named]
        text = blanked(text, taken_back(text, sc.takes_back, sc.rejects, sc.reject_reach, drugs))
    note_date, date_how = note_date_of(text, pipe.therapy, as_of)
    if note_date is not None and note_date < _EARLIEST_DATE:  # "Date: 0001-01-03" dates no visit
        note_date, date_how = None, {}
    ref = note_date or as_of or dt.date.today()
    token = REF_DATE.set(ref)  # session 8: the year of a measured value's "dd/mm" date
    try:
        return _read_at(text, as_of, assume, pipe, note_date, date_how, ref)
    finally:
        REF_DATE.reset(token)


def _read_at(
    text: str,
    as_of: dt.date | None,
    assume: bool,
    pipe: Any,
    note_date: dt.date | None,
    date_how: dict[str, Any],
    ref: dt.date,
) -> Extraction:
    ref_kind = "note date" if note_date else ("as_of date" if as_of else "date of reading")
    record_as_of = as_of or note_date or dt.date.today()
    digest = hashlib.sha256(text.encode("utf-8")).hexdigest()[:12]
    builder = RecordBuilder(f"note-{digest}", record_as_of, "note")
    if note_date is not None and as_of is None:
        certainty = "uncertain" if date_how.get("ambiguous") else "stated"
        builder.as_of_source = {"source": "note", "rule": "nlp.note_date", **date_how, "certainty": certainty}
    st = _State(builder, ref, ref_kind, text=text)
    proxy, proxy_sex = _proxy_words(pipe, text)

    mentions = _find_mentions(text, pipe.rules)
    drugs = [_Mention(s, e, w, None, None, inns=list(inns)) for s, e, w, inns in drug_index().find(text)]
    sents = _annotate(pipe, text, [*mentions, *drugs], proxy)
    clear_family_asides(pipe.scopes.get("family_aside"), text, mentions)  # s13: "(mother same variant)"
    if proxy_sex is not None:
        builder.set("sex", proxy_sex, {"source": "note", "rule": "nlp.proxy.relation"}, rank=(-1, 0))
    for m in mentions:
        _apply(st, m)
    read_lab_tables(st, text, pipe.rules)
    drugs = read_therapy_tables(st, text, drugs, pipe.therapy, _first)
    _assemble_therapies(st, text, sents, drugs, pipe.therapy)
    if pipe.scope is not None:  # session 9: a later correction (addendum, attestation) wins
        regions = correction_regions(text, pipe.scope.correction_opens, pipe.scope.correction_reach)
        prefer_corrections(builder, regions)
        sc = pipe.scope
        copied = copied_regions(text, sc.copied_opens, sc.copied_ends, sc.fresh_header)
        prefer_fresh(builder, drugs, copied, sc.stale_fields)
    if not date_how.get("ambiguous"):  # session 9: a lab dated months ago is no current value
        expire_old_labs(builder, ref, text)
    _finish(st)
    return infer(without_retracted(text, pipe.therapy), builder.build(), assume=assume)


def _finish(st: _State) -> None:
    b = st.builder
    _date_new_metastases(st)
    dated_symptoms(b, st.text or "", st.ref_date)  # session 8: a symptom told with a past date
    note_status(b, st.text or "")  # session 13: resolved comorbidities, normal again, untreated brain
    _brain_symptomatic(st)
    _treated_since_new(st)
    _nothing_given(st)
    _resolved_symptoms(st)
    _doubted_sites(st)
    # Presentation inferred: metastatic now, after treatment for early disease.
    if b.get("presentation") is None and "metastatic" in st.flags:
        early = st.flags.get("early_treatment") or st.flags.get("surgery") or st.flags.get("early_stage")
        if early is not None:
            b.set(
                "presentation",
                "recurrence",
                {
                    **{k: v for k, v in early.items() if k not in ("relative", "date_precision")},
                    "rule": "nlp.presentation.inferred",
                },
                rank=(-1, 0),
            )
    # Receptor source only means something with a receptor result.
    if b.get("tumor.receptor_source") is not None and not any(
        b.get(f"tumor.{f}") is not None
        for f in (
            "er_percent",
            "pr_percent",
            "er_status",
            "pr_status",
            "her2_ihc",
            "her2_ish",
            "her2_status",
        )
    ):
        b.drop("tumor.receptor_source", "no receptor result in the note")
    ticked_sites(b, st.text or "", _site_words())
    _harmonise(b)
    receptor_source_from_specimen(b, st.text or "")


def _date_new_metastases(st: _State) -> None:
    """Metastases described as new now, with no date written: diagnosed at the note date.

    Only when no metastatic therapy is named (a metastatic line would mean the metastases
    were found earlier) and the metastases are not denied or hypothetical.
    """
    b = st.builder
    cue = st.flags.get("new_metastases") or st.flags.get("relative_relapse")
    if cue is None or b.get("metastatic_diagnosis_date") is not None:
        return
    if any(t.get("setting") == "metastatic" for t in b.therapies()):
        return
    src = {
        "source": "note",
        "rule": "nlp.metastatic.dated_now",
        "cue": {k: cue[k] for k in ("rule", "span", "text") if k in cue},
        "derived": f"metastases described as new: dated to the {st.ref_kind} ({st.ref_date.isoformat()})",
    }
    b.set("metastatic_diagnosis_date", st.ref_date.isoformat(), src, rank=(-3, 0))


def _doubted_sites(st: _State) -> None:
    """A site known only from unspecific findings ("2 lung nodules") that the note elsewhere
    calls uncertain ("lung nodules - not biopsied, favour metastatic") is not recorded
    (``doubted_site`` in knowledge/nlp/lexicon.yaml: what an unspecific finding is)."""
    unspecific = load_yaml("nlp/lexicon.yaml").get("doubted_site")
    if not unspecific:
        return
    regex, table = _site_words()
    doubted = {
        table[w.lower()]
        for u in st.builder.unread
        if u.get("kind") == "mention_not_used"
        and "uncertain" in str(u.get("reason", ""))
        and str(u.get("rule", "")).startswith("nlp.sites")
        for w in regex.findall(str(u.get("text", "")))
        if w.lower() in table
    }
    items = st.builder.list_items("metastases.sites")
    drop = set()
    for site in doubted:
        texts = [str(src.get("text", "")) for v, src in items if v == site]
        if texts and all(re.search(unspecific, t, re.IGNORECASE) for t in texts):
            drop.add(site)
    if drop:
        st.builder.discard("metastases.sites", drop)


def _resolved_symptoms(st: _State) -> None:
    """A symptom the note says has resolved or settled is not a current symptom."""
    template = load_yaml("nlp/lexicon.yaml").get("symptom_resolved")
    text = st.text
    if not template or text is None:
        return
    gone = {
        s
        for s in st.builder.list_values("symptoms")
        if re.search(str(template).replace("{symptom}", _symptom_words(str(s))), text, re.IGNORECASE)
    }
    if gone:
        st.builder.discard("symptoms", gone)


def _symptom_words(symptom: str) -> str:
    """The recorded symptom or any word of its vocabulary term ("breathlessness" for dyspnea)."""
    words = words_of("symptoms", symptom)
    # session 11: a name ending in a generic noun is also told by its head ("word-finding
    # difficulty" -> "Word-finding has recovered")
    head = _GENERIC_TAIL.sub("", symptom)
    heads = (re.escape(head),) if head != symptom and len(head) >= 5 else ()
    return "(?:" + "|".join((re.escape(symptom), *words, *heads)) + ")"


_GENERIC_TAIL = re.compile(r"\s+(?:difficult(?:y|ies)|problems?|trouble|issues?)$", re.IGNORECASE)


def _nothing_given(st: _State) -> None:
    """``prior_therapies: []`` when the note says nothing has been given yet.

    "treatment-naive", or de novo metastatic disease asked about as "first line?", with no
    therapy named anywhere in the note (absent would mean *unknown*, contract §1).
    """
    b = st.builder
    if b.therapies():
        return
    cue = st.flags.get("treatment_naive")
    if cue is None and b.get("presentation") == "de_novo":
        cue = st.flags.get("first_line_question")
    if cue is not None:
        b.no_therapies({**cue, "rule": "nlp.therapy.none_given", "cue_rule": cue.get("rule")})


def _treated_since_new(st: _State) -> None:
    """Session 9: brain metastases read as progressing only because they were new, and treated
    locally right after in the same sentence ("2 new brain mets (...) -> SRS to both"), are not
    progressing now: the note tells of the event and its treatment, not of a progression since.
    An earlier lesion's SRS named in another sentence does not count (``brain_new_word``,
    ``brain_local_therapy`` in knowledge/nlp/lexicon.yaml)."""
    b = st.builder
    lexicon = load_yaml("nlp/lexicon.yaml")
    new, local = lexicon.get("brain_new_word"), lexicon.get("brain_local_therapy")
    prog = b.source_of("metastases.brain.progressing")
    if not new or not local or prog is None or "span" not in prog or st.text is None:
        return
    if (
        b.get("metastases.brain.progressing") is not True
        or b.get("metastases.brain.locally_treated") is not True
    ):
        return
    if not re.search(str(new), str(prog.get("text", "")), re.IGNORECASE):
        return
    end = int(prog["span"][1])
    stop = min(
        (i for i in (st.text.find(c, end) for c in (". ", ".\n", "\n", ";")) if i != -1), default=len(st.text)
    )
    # the treatment read as done is told with or after the new lesions, not an older lesion's only
    # (beside a local treatment of this sentence that is only planned: "SRS to be booked")
    treated = (b.source_of("metastases.brain.locally_treated") or {}).get("span")
    if not treated or int(treated[1]) <= int(prog["span"][0]):
        return
    if re.compile(str(local), re.IGNORECASE).search(st.text, end, stop):
        b.drop("metastases.brain.progressing", "new brain metastases treated locally since")


def _brain_symptomatic(st: _State) -> None:
    """Brain metastases with a neurological symptom in the note are symptomatic.

    The symptom list is ``brain_symptoms`` in ``knowledge/nlp/lexicon.yaml``; a symptom
    stated about the brain lesions themselves ("asymptomatic brain met") wins.
    """
    b = st.builder
    if b.get("metastases.brain.symptomatic") is not None:
        return
    if "brain" not in b.list_values("metastases.sites"):
        return
    lexicon = load_yaml("nlp/lexicon.yaml")
    quiet = lexicon.get(
        "brain_asymptomatic"
    )  # session 8: "asymptomatic neurologically" wins over an old symptom
    if quiet and st.text is not None and re.search(str(quiet), st.text, re.IGNORECASE):
        return
    words = {str(w).lower() for w in lexicon.get("brain_symptoms", [])}
    found = [s for s in b.list_values("symptoms") if str(s).lower() in words]
    if found:
        b.set(
            "metastases.brain.symptomatic",
            value=True,
            source={"source": "note", "rule": "nlp.brain.symptomatic_from_symptoms", "symptoms": found},
            rank=(-3, 0),
        )


_MARKERS = {
    "er": ("tumor.er_percent", "tumor.er_status"),
    "pr": ("tumor.pr_percent", "tumor.pr_status"),
    "her2": ("tumor.her2_ihc", "tumor.her2_ish", "tumor.her2_status"),
}


def _harmonise(b: RecordBuilder) -> None:
    """Keep the current receptor results (metastasis over primary), one form of each
    (contract §1), and the most specific somatic strings."""
    prefer_measured_receptors(b)
    b.drop_historical(_MARKERS, episode_days=10**6, historical_rank=0)
    primary_panel_superseded(b)  # session 8: a metastasis panel replaces the primary's
    for marker in ("er", "pr"):  # "PR 30%" (specimen unstated) vs a re-biopsy's "PR <1%"
        pct, status = f"tumor.{marker}_percent", f"tumor.{marker}_status"
        p_rank, s_rank, value = b.rank_of(pct), b.rank_of(status), b.get(pct)
        if p_rank is None or s_rank is None or not isinstance(value, int | float):
            continue
        disagree = (b.get(status) == "negative") == (value >= 1)
        if disagree and s_rank > p_rank:  # a better specimen, or the same one written later
            b.drop(pct, "older result of a less certain specimen than the current status")
    b.harmonise_receptors()
    b.prune_somatic()
